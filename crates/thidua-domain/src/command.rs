//! Commands: what an actor asks for. [`decide`] validates a command against the current state
//! and the actor's roles and yields the events to append, or a typed error. Nothing else decides.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::validate_calendar;
use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::{
    Comparison, CovenantContent, LeadershipMethod, LeadershipPosition, LineageChange, LineageKind,
    ReportingWindow, Role, TargetKind, UnitKind,
};
use crate::state::State;
use crate::text::Text;

/// A request to change the state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    RegisterUser {
        user: UserId,
        display_name: Text,
        demo: bool,
    },
    GrantRole {
        user: UserId,
        role: Role,
    },
    RevokeRole {
        user: UserId,
        role: Role,
    },
    CreateUnit {
        unit: UnitId,
        name: Text,
        short_code: Text,
        kind: UnitKind,
        parent: Option<UnitId>,
        established: NaiveDate,
    },
    RenameUnit {
        unit: UnitId,
        name: Text,
        short_code: Text,
        effective: NaiveDate,
        decision: Text,
    },
    RecordLineage {
        change: LineageChange,
    },
    CreateCluster {
        cluster: ClusterId,
        name: Text,
    },
    SetClusterYear {
        cluster: ClusterId,
        year: i32,
        members: Vec<UnitId>,
    },
    SetClusterLeadership {
        cluster: ClusterId,
        year: i32,
        position: LeadershipPosition,
        unit: UnitId,
        method: LeadershipMethod,
        decision: Text,
    },
    CreateMovement {
        movement: MovementId,
        name: Text,
        year: i32,
        plan_ref: Text,
        slogan: Option<Text>,
        calendar: Vec<ReportingWindow>,
    },
    /// Creates version 1 of a covenant.
    DraftCovenant {
        covenant: CovenantId,
        movement: MovementId,
        cluster: ClusterId,
        content: CovenantContent,
    },
    /// Edits the latest version while nobody has signed it.
    AmendCovenantDraft {
        covenant: CovenantId,
        content: CovenantContent,
    },
    /// Opens a new version after the latest was frozen; it needs all signatures again.
    ProposeCovenantVersion {
        covenant: CovenantId,
        content: CovenantContent,
    },
    /// A unit leader signs a version by confirming its hash.
    SignCovenant {
        covenant: CovenantId,
        version: u32,
        unit: UnitId,
        hash: String,
    },
    /// Registers (or replaces) the witness key with which a unit cosigns the log's checkpoints.
    /// `key` is a C2SP tlog-cosignature verifier key, `<name>+<keyhash hex8>+<base64>`.
    RegisterWitnessKey {
        unit: UnitId,
        key: String,
    },
}

/// What an actor is trying to do, for authorisation.
enum Permission<'a> {
    Administer,
    ManageCluster(&'a ClusterId),
    LeadUnit(&'a UnitId),
}

fn authorise(state: &State, actor: &Actor, needed: Permission<'_>) -> Result<(), DomainError> {
    let user = match actor {
        Actor::System => return Ok(()),
        Actor::User(u) => state.users.get(u).ok_or(DomainError::Forbidden)?,
    };
    if user.roles.contains(&Role::Admin) {
        return Ok(());
    }
    let allowed = match needed {
        Permission::Administer => false,
        Permission::ManageCluster(c) => user
            .roles
            .contains(&Role::Secretariat { cluster: c.clone() }),
        Permission::LeadUnit(u) => user.roles.contains(&Role::Leader { unit: u.clone() }),
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

fn unit_must_exist(state: &State, unit: &UnitId) -> Result<(), DomainError> {
    if state.units.contains_key(unit) {
        Ok(())
    } else {
        Err(DomainError::UnknownUnit(unit.to_string()))
    }
}

fn role_scope_must_exist(state: &State, role: &Role) -> Result<(), DomainError> {
    match role {
        Role::Admin => Ok(()),
        Role::Secretariat { cluster } | Role::Supervisor { cluster } => state
            .clusters
            .contains_key(cluster)
            .then_some(())
            .ok_or_else(|| DomainError::UnknownCluster(cluster.to_string())),
        Role::Officer { unit } | Role::Leader { unit } => unit_must_exist(state, unit),
    }
}

fn validate_year(year: i32) -> Result<(), DomainError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::InvalidValue {
            field: "year",
            reason: format!("{year} is not between 2000 and 2100"),
        })
    }
}

fn validate_content(content: &CovenantContent) -> Result<(), DomainError> {
    let mut ids = BTreeSet::new();
    for t in &content.targets {
        if !ids.insert(&t.id) {
            return Err(DomainError::DuplicateTarget(t.id.to_string()));
        }
        let bad = |reason: &str| DomainError::InvalidValue {
            field: "target",
            reason: format!("{}: {reason}", t.id),
        };
        match t.comparison {
            Comparison::Between => match t.range {
                Some((lo, hi)) if lo <= hi => {}
                _ => return Err(bad("a range target needs low ≤ high")),
            },
            Comparison::Holds | Comparison::Judged => {
                if t.threshold.is_some() || t.range.is_some() {
                    return Err(bad("a yes/no or judged target has no threshold"));
                }
            }
            _ => {
                if t.threshold.is_none() {
                    return Err(bad("a numeric target needs a threshold"));
                }
            }
        }
        if t.kind == TargetKind::Change && t.baseline_year.is_none() {
            return Err(bad("a change target needs a baseline year"));
        }
    }
    let text_hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        content.regulation.text.as_bytes(),
    ));
    if text_hash != content.regulation.sha256 {
        return Err(DomainError::InvalidValue {
            field: "regulation",
            reason: "sha256 does not match the regulation text".into(),
        });
    }
    Ok(())
}

/// Validates `command` from `actor` against `state` and returns the events it produces.
pub fn decide(state: &State, actor: &Actor, command: Command) -> Result<Vec<Payload>, DomainError> {
    use Command::*;
    match command {
        RegisterUser {
            user,
            display_name,
            demo,
        } => {
            authorise(state, actor, Permission::Administer)?;
            if state.users.contains_key(&user) {
                return Err(DomainError::UserExists(user.to_string()));
            }
            Ok(vec![Payload::UserRegistered {
                user,
                display_name,
                demo,
            }])
        }
        GrantRole { user, role } => {
            authorise(state, actor, Permission::Administer)?;
            let u = state
                .users
                .get(&user)
                .ok_or_else(|| DomainError::UnknownUser(user.to_string()))?;
            role_scope_must_exist(state, &role)?;
            if u.roles.contains(&role) {
                return Err(DomainError::RoleAlreadyGranted {
                    user: user.to_string(),
                    role: role.to_string(),
                });
            }
            Ok(vec![Payload::RoleGranted { user, role }])
        }
        RevokeRole { user, role } => {
            authorise(state, actor, Permission::Administer)?;
            let u = state
                .users
                .get(&user)
                .ok_or_else(|| DomainError::UnknownUser(user.to_string()))?;
            if !u.roles.contains(&role) {
                return Err(DomainError::RoleNotGranted {
                    user: user.to_string(),
                    role: role.to_string(),
                });
            }
            Ok(vec![Payload::RoleRevoked { user, role }])
        }
        CreateUnit {
            unit,
            name,
            short_code,
            kind,
            parent,
            established,
        } => {
            authorise(state, actor, Permission::Administer)?;
            if state.units.contains_key(&unit) {
                return Err(DomainError::UnitExists(unit.to_string()));
            }
            if let Some(p) = &parent {
                unit_must_exist(state, p)?;
                if p == &unit {
                    return Err(DomainError::ParentCycle(p.to_string()));
                }
            }
            Ok(vec![Payload::UnitCreated {
                unit,
                name,
                short_code,
                kind,
                parent,
                established,
            }])
        }
        RenameUnit {
            unit,
            name,
            short_code,
            effective,
            decision,
        } => {
            authorise(state, actor, Permission::Administer)?;
            let u = state
                .units
                .get(&unit)
                .ok_or_else(|| DomainError::UnknownUnit(unit.to_string()))?;
            if effective <= u.established {
                return Err(DomainError::LineageBeforeEstablished {
                    unit: unit.to_string(),
                    date: effective.to_string(),
                });
            }
            if !u.active_on(effective) {
                return Err(DomainError::UnitNotActive {
                    unit: unit.to_string(),
                    date: effective.to_string(),
                });
            }
            Ok(vec![Payload::UnitRenamed {
                unit,
                name,
                short_code,
                effective,
                decision,
            }])
        }
        RecordLineage { change } => {
            authorise(state, actor, Permission::Administer)?;
            validate_lineage(state, &change)?;
            Ok(vec![Payload::LineageRecorded(change)])
        }
        CreateCluster { cluster, name } => {
            authorise(state, actor, Permission::Administer)?;
            if state.clusters.contains_key(&cluster) {
                return Err(DomainError::ClusterExists(cluster.to_string()));
            }
            Ok(vec![Payload::ClusterCreated { cluster, name }])
        }
        SetClusterYear {
            cluster,
            year,
            members,
        } => {
            authorise(state, actor, Permission::ManageCluster(&cluster))?;
            validate_year(year)?;
            if !state.clusters.contains_key(&cluster) {
                return Err(DomainError::UnknownCluster(cluster.to_string()));
            }
            let mut seen = BTreeSet::new();
            for m in &members {
                if !seen.insert(m) {
                    return Err(DomainError::DuplicateMember {
                        cluster: cluster.to_string(),
                        unit: m.to_string(),
                    });
                }
                let u = state
                    .units
                    .get(m)
                    .ok_or_else(|| DomainError::UnknownUnit(m.to_string()))?;
                // A member must exist at some point of the reporting year.
                let (start, end) = year_bounds(year);
                if u.established > end || u.dissolved.is_some_and(|d| d <= start) {
                    return Err(DomainError::UnitNotActive {
                        unit: m.to_string(),
                        date: year.to_string(),
                    });
                }
            }
            Ok(vec![Payload::ClusterYearSet {
                cluster,
                year,
                members,
            }])
        }
        SetClusterLeadership {
            cluster,
            year,
            position,
            unit,
            method,
            decision,
        } => {
            authorise(state, actor, Permission::ManageCluster(&cluster))?;
            let members = state.members(&cluster, year)?;
            if !members.contains(&unit) {
                return Err(DomainError::NotMember {
                    cluster: cluster.to_string(),
                    unit: unit.to_string(),
                    year,
                });
            }
            let other = state.clusters[&cluster]
                .years
                .get(&year)
                .and_then(|y| match position {
                    LeadershipPosition::Head => y.deputy.as_ref(),
                    LeadershipPosition::Deputy => y.head.as_ref(),
                });
            if other.is_some_and(|o| o.unit == unit) {
                return Err(DomainError::HeadIsDeputy);
            }
            Ok(vec![Payload::ClusterLeadershipSet {
                cluster,
                year,
                position,
                unit,
                method,
                decision,
            }])
        }
        CreateMovement {
            movement,
            name,
            year,
            plan_ref,
            slogan,
            calendar,
        } => {
            authorise(state, actor, Permission::Administer)?;
            validate_year(year)?;
            if state.movements.contains_key(&movement) {
                return Err(DomainError::MovementExists(movement.to_string()));
            }
            validate_calendar(year, &calendar)?;
            Ok(vec![Payload::MovementCreated {
                movement,
                name,
                year,
                plan_ref,
                slogan,
                calendar,
            }])
        }
        DraftCovenant {
            covenant,
            movement,
            cluster,
            content,
        } => {
            authorise(state, actor, Permission::ManageCluster(&cluster))?;
            if state.covenants.contains_key(&covenant) {
                return Err(DomainError::CovenantExists(covenant.to_string()));
            }
            let year = state
                .movements
                .get(&movement)
                .ok_or_else(|| DomainError::UnknownMovement(movement.to_string()))?
                .year;
            let members = state.members(&cluster, year)?;
            if members.is_empty() {
                return Err(DomainError::NoClusterYear {
                    cluster: cluster.to_string(),
                    year,
                });
            }
            validate_content(&content)?;
            Ok(vec![Payload::CovenantDrafted {
                covenant,
                movement,
                cluster,
                version: 1,
                content,
            }])
        }
        AmendCovenantDraft { covenant, content } => {
            let c = covenant_of(state, &covenant)?;
            authorise(state, actor, Permission::ManageCluster(&c.cluster))?;
            let latest = c.latest();
            if latest.frozen_at.is_some() {
                return Err(DomainError::CovenantFrozen {
                    covenant: covenant.to_string(),
                    version: latest.version,
                });
            }
            if !latest.signatures.is_empty() {
                return Err(DomainError::CovenantHasSignatures {
                    covenant: covenant.to_string(),
                    version: latest.version,
                });
            }
            validate_content(&content)?;
            Ok(vec![Payload::CovenantDraftAmended {
                covenant,
                version: latest.version,
                content,
            }])
        }
        ProposeCovenantVersion { covenant, content } => {
            let c = covenant_of(state, &covenant)?;
            authorise(state, actor, Permission::ManageCluster(&c.cluster))?;
            let latest = c.latest();
            if latest.frozen_at.is_none() {
                return Err(DomainError::CovenantNotFrozen {
                    covenant: covenant.to_string(),
                    version: latest.version,
                });
            }
            validate_content(&content)?;
            state.members(&c.cluster, c.year)?;
            Ok(vec![Payload::CovenantDrafted {
                covenant,
                movement: c.movement.clone(),
                cluster: c.cluster.clone(),
                version: latest.version + 1,
                content,
            }])
        }
        SignCovenant {
            covenant,
            version,
            unit,
            hash,
        } => {
            let c = covenant_of(state, &covenant)?;
            authorise(state, actor, Permission::LeadUnit(&unit))?;
            let v = c
                .version(version)
                .ok_or_else(|| DomainError::UnknownVersion {
                    covenant: covenant.to_string(),
                    version,
                })?;
            if v.frozen_at.is_some() && !v.signatures.contains_key(&unit) {
                return Err(DomainError::CovenantFrozen {
                    covenant: covenant.to_string(),
                    version,
                });
            }
            if !v.members.contains(&unit) {
                return Err(DomainError::NotMember {
                    cluster: c.cluster.to_string(),
                    unit: unit.to_string(),
                    year: c.year,
                });
            }
            if v.signatures.contains_key(&unit) {
                return Err(DomainError::AlreadySigned {
                    covenant: covenant.to_string(),
                    version,
                    unit: unit.to_string(),
                });
            }
            if version != c.latest().version {
                return Err(DomainError::InvalidValue {
                    field: "version",
                    reason: format!(
                        "version {version} has been superseded by version {}",
                        c.latest().version
                    ),
                });
            }
            if hash != v.hash {
                return Err(DomainError::HashMismatch {
                    expected: v.hash.clone(),
                });
            }
            let everyone = v
                .members
                .iter()
                .all(|m| m == &unit || v.signatures.contains_key(m));
            let mut events = vec![Payload::CovenantSigned {
                covenant: covenant.clone(),
                version,
                unit,
                hash: hash.clone(),
            }];
            if everyone {
                events.push(Payload::CovenantFrozen {
                    covenant,
                    version,
                    hash,
                });
            }
            Ok(events)
        }
        RegisterWitnessKey { unit, key } => {
            authorise(state, actor, Permission::LeadUnit(&unit))?;
            unit_must_exist(state, &unit)?;
            validate_witness_key(&key)?;
            if state.witness_keys.get(&unit).is_some_and(|k| k.key == key) {
                return Err(DomainError::InvalidValue {
                    field: "key",
                    reason: "this witness key is already registered for the unit".into(),
                });
            }
            Ok(vec![Payload::WitnessKeyRegistered { unit, key }])
        }
    }
}

/// Checks the shape of a witness verifier key, `<name>+<8 hex digits>+<base64 of 33 bytes>`.
/// The ledger parses it fully; the domain only keeps malformed text out of the log.
fn validate_witness_key(key: &str) -> Result<(), DomainError> {
    let bad = |reason: &str| DomainError::InvalidValue {
        field: "key",
        reason: reason.into(),
    };
    // The base64 part may itself contain '+'.
    let parts: Vec<&str> = key.splitn(3, '+').collect();
    let [name, hash, b64] = parts[..] else {
        return Err(bad("a witness key has the form name+keyhash+base64"));
    };
    if name.is_empty() || name.len() > 200 || name.chars().any(|c| c <= ' ' || c == '\u{7f}') {
        return Err(bad(
            "the key name must be non-empty, without spaces or controls",
        ));
    }
    if hash.len() != 8
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(bad("the key hash must be 8 lowercase hex digits"));
    }
    // 33 bytes (type 0x04 and a 32-byte Ed25519 key) are 44 base64 characters.
    let b64_ok = b64.len() == 44
        && b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    if !b64_ok {
        return Err(bad(
            "the key must be the base64 of a 33-byte Ed25519 cosignature key",
        ));
    }
    Ok(())
}

fn covenant_of<'a>(
    state: &'a State,
    covenant: &CovenantId,
) -> Result<&'a crate::state::Covenant, DomainError> {
    state
        .covenants
        .get(covenant)
        .ok_or_else(|| DomainError::UnknownCovenant(covenant.to_string()))
}

/// First and last day of a reporting year (15/12 of the previous year – 14/12).
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year - 1, 12, 15).expect("valid"),
        NaiveDate::from_ymd_opt(year, 12, 14).expect("valid"),
    )
}

fn validate_lineage(state: &State, change: &LineageChange) -> Result<(), DomainError> {
    let all: BTreeSet<&UnitId> = change
        .predecessors
        .iter()
        .chain(&change.successors)
        .collect();
    let shape_ok = !change.predecessors.is_empty()
        && !change.successors.is_empty()
        && match change.kind {
            LineageKind::Merge => change.successors.len() == 1 && change.predecessors.len() >= 2,
            LineageKind::Split => change.predecessors.len() == 1 && change.successors.len() >= 2,
        };
    let distinct_preds: BTreeSet<_> = change.predecessors.iter().collect();
    let distinct_succs: BTreeSet<_> = change.successors.iter().collect();
    if !shape_ok
        || distinct_preds.len() != change.predecessors.len()
        || distinct_succs.len() != change.successors.len()
    {
        return Err(DomainError::InvalidLineage);
    }
    for id in all {
        let u = state
            .units
            .get(id)
            .ok_or_else(|| DomainError::UnknownUnit(id.to_string()))?;
        if change.effective <= u.established && change.predecessors.contains(id) {
            return Err(DomainError::LineageBeforeEstablished {
                unit: id.to_string(),
                date: change.effective.to_string(),
            });
        }
        if change.effective < u.established {
            return Err(DomainError::LineageBeforeEstablished {
                unit: id.to_string(),
                date: change.effective.to_string(),
            });
        }
        if u.dissolved.is_some_and(|d| d <= change.effective) {
            return Err(DomainError::UnitNotActive {
                unit: id.to_string(),
                date: change.effective.to_string(),
            });
        }
    }
    Ok(())
}
