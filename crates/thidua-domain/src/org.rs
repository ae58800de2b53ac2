//! The organisation: users and their roles, units and their lineage, clusters with their yearly
//! membership and leadership, movements with their reporting calendar. Its commands are decided
//! by [`decide`]; its events are folded by `State::apply_org`, which refuses what does not fit.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::authz::{authorise, Permission};
use crate::calendar::validate_calendar;
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::ids::{ClusterId, MovementId, UnitId, UserId};
use crate::model::{
    Cluster, Leadership, LeadershipMethod, LeadershipPosition, LineageChange, LineageKind,
    Movement, ReportingWindow, Role, Unit, UnitKind, User,
};
use crate::state::{ClusterState, State};
use crate::text::{limits, same_name, Text};

/// First and last day of a reporting year (15/12 of the previous year – 14/12), by the date
/// rule's one home (`thidua_scoring::period`).
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    thidua_scoring::period::Window::whole_year(year).dates()
}

/// A date of the organisation's history (a unit's founding, a renaming, a merger): from 1900 to
/// 2100, so that a mistyped year never enters the log.
pub(crate) fn validate_date(field: &'static str, date: NaiveDate) -> Result<(), DomainError> {
    use chrono::Datelike;
    if (1900..=2100).contains(&date.year()) {
        Ok(())
    } else {
        Err(DomainError::DateOutOfRange {
            field,
            date: date.to_string(),
        })
    }
}

/// A year the system plans for.
pub fn validate_year(year: i32) -> Result<(), DomainError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::YearOutOfRange(year))
    }
}

/// Checks the fields of an organisation command and turns it into its event, through the
/// command's own function. Rules that read the state (a duplicate name or short code) are
/// asked after the actor's authorisation; existence, duplicate ids and authorisation are
/// checked again when the event is applied, as at replay.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    use Command as C;
    // Rules that read the state are asked only of an actor holding the role, so that nobody
    // learns about the state from a refusal: each such command is authorised before them.
    let payload = match command {
        C::RegisterUser {
            user,
            display_name,
            demo,
        } => register_user(user, display_name, demo)?,
        C::GrantRole { user, role } => grant_role(state, actor, user, role)?,
        C::RevokeRole { user, role } => Payload::RoleRevoked { user, role },
        C::RecordPasswordReset { user } => {
            authorise(state, actor, &Permission::Administer)?;
            state.user(&user)?;
            Payload::PasswordReset { user }
        }
        C::CreateUnit {
            unit,
            name,
            short_code,
            kind,
            parent,
            established,
        } => create_unit(
            state,
            actor,
            unit,
            name,
            short_code,
            kind,
            parent,
            established,
        )?,
        C::RenameUnit {
            unit,
            name,
            short_code,
            effective,
            decision,
        } => rename_unit(state, actor, unit, name, short_code, effective, decision)?,
        C::RecordLineage { change } => record_lineage(state, change)?,
        C::WithdrawLineage { index, reason } => {
            return crate::lineage::decide(state, actor, index, reason)
        }
        C::CreateCluster { cluster, name } => create_cluster(state, actor, cluster, name)?,
        C::SetClusterYear {
            cluster,
            year,
            members,
        } => set_cluster_year(state, actor, cluster, year, members)?,
        C::SetClusterLeadership {
            cluster,
            year,
            position,
            unit,
            method,
            decision,
        } => set_cluster_leadership(cluster, year, position, unit, method, decision)?,
        C::CreateMovement {
            movement,
            name,
            year,
            plan_ref,
            slogan,
            calendar,
        } => {
            authorise(state, actor, &Permission::Administer)?;
            movement_name_free(state, &movement, &name, year)?;
            create_movement(movement, name, year, plan_ref, slogan, calendar)?
        }
        other => unreachable!("not an organisation command: {other:?}"),
    };
    Ok(vec![payload])
}

/// Registers a user: a display name within its limit.
fn register_user(user: UserId, display_name: Text, demo: bool) -> Result<Payload, DomainError> {
    display_name.check_line("display_name", limits::DISPLAY_NAME)?;
    Ok(Payload::UserRegistered {
        user,
        display_name,
        demo,
    })
}

/// Creates a unit: its fields, then (an administrator) a name and short code free among siblings.
#[allow(clippy::too_many_arguments)]
fn create_unit(
    state: &State,
    actor: &Actor,
    unit: UnitId,
    name: Text,
    short_code: Text,
    kind: UnitKind,
    parent: Option<UnitId>,
    established: NaiveDate,
) -> Result<Payload, DomainError> {
    name.check_line("name", limits::NAME)?;
    short_code.check_line("short_code", limits::SHORT_CODE)?;
    validate_date("established", established)?;
    authorise(state, actor, &Permission::Administer)?;
    parent_fits(state, kind, parent.as_ref())?;
    names_free(
        state,
        None,
        parent.as_ref(),
        (established, None),
        &name,
        &short_code,
    )?;
    Ok(Payload::UnitCreated {
        unit,
        name,
        short_code,
        kind,
        parent,
        established,
    })
}

/// Renames a unit: its fields, then (an administrator) a name and short code free among siblings.
fn rename_unit(
    state: &State,
    actor: &Actor,
    unit: UnitId,
    name: Text,
    short_code: Text,
    effective: NaiveDate,
    decision: Text,
) -> Result<Payload, DomainError> {
    name.check_line("name", limits::NAME)?;
    short_code.check_line("short_code", limits::SHORT_CODE)?;
    decision.check_line("decision", limits::DECISION)?;
    validate_date("effective", effective)?;
    authorise(state, actor, &Permission::Administer)?;
    let renamed = state.unit(&unit)?;
    let (parent, period) = (renamed.parent.clone(), (effective, renamed.dissolved));
    names_free(
        state,
        Some(&unit),
        parent.as_ref(),
        period,
        &name,
        &short_code,
    )?;
    Ok(Payload::UnitRenamed {
        unit,
        name,
        short_code,
        effective,
        decision,
    })
}

/// Grants a role, never the officer's and the leader's of one unit to one person: whoever
/// enters a unit's figures does not approve them (asked of an administrator only, so that a
/// refusal tells nobody else who holds what). A rule of the command, not of replay.
fn grant_role(
    state: &State,
    actor: &Actor,
    user: UserId,
    role: Role,
) -> Result<Payload, DomainError> {
    let other = match &role {
        Role::Officer { unit } => Some(Role::Leader { unit: unit.clone() }),
        Role::Leader { unit } => Some(Role::Officer { unit: unit.clone() }),
        _ => None,
    };
    if let Some(other) = other {
        authorise(state, actor, &Permission::Administer)?;
        if state
            .users
            .get(&user)
            .is_some_and(|u| u.roles.contains(&other))
        {
            return Err(DomainError::RolesConflict {
                user: user.to_string(),
                role: role.to_string(),
            });
        }
    }
    Ok(Payload::RoleGranted { user, role })
}

/// Records a merger or split: its decision within its limit, a plausible date, and units of
/// one level ([`lineage_kinds`]). Whether each unit exists and is active on the date is checked
/// when the event is applied.
fn record_lineage(state: &State, change: LineageChange) -> Result<Payload, DomainError> {
    change.decision.check_line("decision", limits::DECISION)?;
    validate_date("effective", change.effective)?;
    lineage_kinds(state, &change)?;
    Ok(Payload::LineageRecorded(change))
}

/// A merger or split joins units of one kind (provinces with provinces, wards with wards), and
/// never the Ministry, the top of the hierarchy: a ward could otherwise absorb the Ministry and
/// end it. A rule of the command, not of replay, so a log written before it replays unchanged.
fn lineage_kinds(state: &State, change: &LineageChange) -> Result<(), DomainError> {
    let units: Vec<&Unit> = change
        .predecessors
        .iter()
        .chain(&change.successors)
        .filter_map(|u| state.units.get(u))
        .collect();
    let first = units.first().map(|u| u.kind);
    let mixed = units.iter().any(|u| Some(u.kind) != first);
    let ministry = units.iter().any(|u| u.kind == UnitKind::Ministry);
    if !mixed && !ministry {
        return Ok(());
    }
    let named: Vec<String> = units
        .iter()
        .map(|u| format!("{} ({})", u.id, u.kind.as_str()))
        .collect();
    Err(DomainError::LineageKinds {
        units: named.join(", "),
    })
}

/// Creates a cluster: a name within its limit that no other cluster has (letter case aside:
/// two "Cụm thi đua số 12" could not be told apart on anyone's page), asked of an
/// administrator only. A rule of the command, not of replay.
fn create_cluster(
    state: &State,
    actor: &Actor,
    cluster: ClusterId,
    name: Text,
) -> Result<Payload, DomainError> {
    name.check_line("name", limits::NAME)?;
    authorise(state, actor, &Permission::Administer)?;
    let taken = state
        .clusters
        .values()
        .any(|c| c.cluster.id != cluster && same_name(c.cluster.name.as_str(), name.as_str()));
    if taken {
        return Err(DomainError::ClusterNameTaken(name.to_string()));
    }
    Ok(Payload::ClusterCreated { cluster, name })
}

/// No two movements of one year share a name (letter case aside): a cluster choosing the
/// movement of its covenant could not tell them apart. A rule of the command, not of replay.
fn movement_name_free(
    state: &State,
    movement: &MovementId,
    name: &Text,
    year: i32,
) -> Result<(), DomainError> {
    let taken = state
        .movements
        .values()
        .any(|m| &m.id != movement && m.year == year && same_name(m.name.as_str(), name.as_str()));
    if taken {
        return Err(DomainError::MovementNameTaken {
            name: name.to_string(),
            year,
        });
    }
    Ok(())
}

/// Sets a cluster's members for a year: a planned year, then (its manager) members lasting it.
fn set_cluster_year(
    state: &State,
    actor: &Actor,
    cluster: ClusterId,
    year: i32,
    members: Vec<UnitId>,
) -> Result<Payload, DomainError> {
    validate_year(year)?;
    authorise(state, actor, &Permission::ManageCluster(cluster.clone()))?;
    members_last_the_year(state, year, &members)?;
    members_of_one_kind(state, &cluster, year, &members)?;
    state.check_members(cluster.as_str(), year, &members)?;
    state.check_membership_open(&cluster, year, &members)?;
    a_change_of_membership(state, &cluster, year, &members)?;
    Ok(Payload::ClusterYearSet {
        cluster,
        year,
        members,
    })
}

/// A year's membership is at least two units (units emulate and inspect one another), or empty
/// to clear one set before; recording the membership the year already has is refused rather
/// than logged again.
fn a_change_of_membership(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    members: &[UnitId],
) -> Result<(), DomainError> {
    let current = state
        .clusters
        .get(cluster)
        .and_then(|c| c.years.get(&year))
        .map(|y| y.members.as_slice())
        .unwrap_or_default();
    let clears = members.is_empty() && !current.is_empty();
    if members.len() < 2 && !clears {
        return Err(DomainError::ClusterTooSmall {
            cluster: cluster.to_string(),
            year,
        });
    }
    let same = members.len() == current.len()
        && members.iter().collect::<BTreeSet<_>>() == current.iter().collect::<BTreeSet<_>>();
    if same {
        return Err(DomainError::ClusterYearUnchanged {
            cluster: cluster.to_string(),
            year,
        });
    }
    Ok(())
}

/// Sets a cluster's head or deputy for a year: a decision within its limit.
fn set_cluster_leadership(
    cluster: ClusterId,
    year: i32,
    position: LeadershipPosition,
    unit: UnitId,
    method: LeadershipMethod,
    decision: Text,
) -> Result<Payload, DomainError> {
    decision.check_line("decision", limits::DECISION)?;
    Ok(Payload::ClusterLeadershipSet {
        cluster,
        year,
        position,
        unit,
        method,
        decision,
    })
}

/// Creates a movement: its texts within their limits, a planned year, a valid calendar.
fn create_movement(
    movement: MovementId,
    name: Text,
    year: i32,
    plan_ref: Text,
    slogan: Option<Text>,
    calendar: Vec<ReportingWindow>,
) -> Result<Payload, DomainError> {
    name.check_line("name", limits::NAME)?;
    plan_ref.check_line("plan_ref", limits::PLAN_REF)?;
    if let Some(s) = &slogan {
        s.check("slogan", limits::SLOGAN)?;
    }
    validate_year(year)?;
    for window in &calendar {
        window.name.check_line("window", limits::WINDOW_NAME)?;
    }
    validate_calendar(year, &calendar)?;
    Ok(Payload::MovementCreated {
        movement,
        name,
        year,
        plan_ref,
        slogan,
        calendar,
    })
}

/// A new unit stands where its kind belongs ([`UnitKind::parent_kinds`]): a department or a
/// provincial police under the Ministry, a commune or ward police under a provincial police, the
/// Ministry under nobody; its parent exists and has not ceased to exist (a dissolved unit takes
/// no new units: its successor does). Asked by `decide` only, so that logs written before the
/// rule replay.
fn parent_fits(state: &State, kind: UnitKind, parent: Option<&UnitId>) -> Result<(), DomainError> {
    let parent_unit = parent.map(|p| state.unit(p)).transpose()?;
    if !kind.fits_under(parent_unit.map(|p| p.kind)) {
        return Err(DomainError::ParentKind {
            kind,
            parent: parent_unit.map(|p| p.kind),
        });
    }
    match parent_unit.and_then(|p| p.dissolved.map(|d| (p, d))) {
        Some((p, date)) => Err(DomainError::ParentDissolved {
            parent: p.id.to_string(),
            date: date.to_string(),
        }),
        None => Ok(()),
    }
}

/// A cluster's members in a year are units of one kind — provincial police forces, the
/// Ministry's departments, or commune police — since they are scored against each other: a
/// commune police has no place in a cluster of provinces. Units that do not exist or cannot
/// join a cluster at all (the Ministry) are left to the event's own checks. Asked by `decide`
/// only, so that logs written before the rule replay.
pub fn members_of_one_kind(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    members: &[UnitId],
) -> Result<(), DomainError> {
    let mut units = members
        .iter()
        .filter_map(|m| state.units.get(m))
        .filter(|u| u.may_join_clusters());
    let Some(first) = units.next() else {
        return Ok(());
    };
    match units.find(|u| u.kind != first.kind) {
        Some(u) => Err(DomainError::MemberKinds {
            cluster: cluster.to_string(),
            year,
            unit: u.id.to_string(),
            found: u.kind,
            other: first.id.to_string(),
            expected: first.kind,
        }),
        None => Ok(()),
    }
}

/// Units under the same parent (the Ministry and no parent being one level) that exist at the
/// same time carry different names and short codes (compared as people read them: letter case
/// and repeated spaces aside, [`same_name`]), so that nobody can pass one unit off as another: a
/// unit made to exist during a dissolved unit's life cannot take its name ("Kiên Giang" again,
/// dated before the 2025 merger); after the dissolution the name is free again. `new` is the
/// period the name is to hold (from `established` or a rename's `effective` day, to the unit's
/// dissolution if any); `except` is the unit being renamed.
fn names_free(
    state: &State,
    except: Option<&UnitId>,
    parent: Option<&UnitId>,
    new: (NaiveDate, Option<NaiveDate>),
    name: &crate::text::Text,
    short_code: &crate::text::Text,
) -> Result<(), DomainError> {
    let (from, until) = new;
    let at_the_same_time = |u: &crate::model::Unit| {
        u.dissolved.is_none_or(|gone| from < gone) && until.is_none_or(|end| u.established < end)
    };
    let here = level(state, parent);
    let siblings = state.units.values().filter(|u| {
        level(state, u.parent.as_ref()) == here && Some(&u.id) != except && at_the_same_time(u)
    });
    for u in siblings {
        if same_name(u.name.as_str(), name.as_str()) {
            return Err(DomainError::UnitNameTaken(name.to_string()));
        }
        if same_name(u.short_code.as_str(), short_code.as_str()) {
            return Err(DomainError::ShortCodeTaken(short_code.to_string()));
        }
    }
    Ok(())
}

/// The level a unit under `parent` stands at, for telling names apart: its parent, except that
/// the Ministry's units and units with no parent stand at one level (a provincial force
/// created without a parent is not told apart from one under the Ministry).
fn level<'a>(state: &State, parent: Option<&'a UnitId>) -> Option<&'a UnitId> {
    parent.filter(|p| {
        state
            .units
            .get(*p)
            .is_none_or(|u| u.kind != crate::model::UnitKind::Ministry)
    })
}

/// A member of a cluster's year takes part in its year-end review: a unit that ceases to exist
/// during the reporting year (merged or split before 14/12) cannot; its successor takes its
/// place. (Units gone before the year starts are refused when the event is applied.)
/// Every such unit is named in one error (units and successors joined with ", ").
fn members_last_the_year(state: &State, year: i32, members: &[UnitId]) -> Result<(), DomainError> {
    let ceased = state.ceased_among(members, year);
    let Some(first) = ceased.first() else {
        return Ok(());
    };
    Err(DomainError::UnitDissolved {
        unit: crate::succession::joined(ceased.iter().map(|c| &c.unit)),
        date: first.date.to_string(),
        successors: crate::succession::joined(ceased.iter().flat_map(|c| &c.successors)),
    })
}

impl State {
    /// Folds an organisation event after checking that it fits.
    pub(crate) fn apply_org(&mut self, payload: &Payload) -> Result<(), DomainError> {
        use Payload as P;
        match payload {
            P::UserRegistered {
                user,
                display_name,
                demo,
            } => self.apply_user_registered(user, display_name, *demo),
            P::RoleGranted { user, role } => self.apply_role_granted(user, role),
            P::RoleRevoked { user, role } => self.apply_role_revoked(user, role),
            P::PasswordReset { user } => {
                let at = self.size;
                self.user(user)?;
                let u = self.users.get_mut(user).expect("checked above");
                u.password_reset = Some(at);
                Ok(())
            }
            P::UnitCreated {
                unit,
                name,
                short_code,
                kind,
                parent,
                established,
            } => self.apply_unit_created(unit, name, short_code, *kind, parent, *established),
            P::UnitRenamed {
                unit,
                name,
                short_code,
                effective,
                ..
            } => self.apply_unit_renamed(unit, name, short_code, *effective),
            P::LineageRecorded(change) => self.apply_lineage_recorded(change),
            P::ClusterCreated { cluster, name } => self.apply_cluster_created(cluster, name),
            P::ClusterYearSet {
                cluster,
                year,
                members,
            } => self.apply_cluster_year_set(cluster, *year, members),
            P::ClusterLeadershipSet {
                cluster,
                year,
                position,
                unit,
                method,
                decision,
            } => self
                .apply_cluster_leadership_set(cluster, *year, *position, unit, *method, decision),
            P::MovementCreated {
                movement,
                name,
                year,
                plan_ref,
                slogan,
                calendar,
            } => self.apply_movement_created(movement, name, *year, plan_ref, slogan, calendar),
            other => unreachable!("not an organisation event: {}", other.kind()),
        }
    }

    /// A new user, without roles; an existing user id is refused.
    fn apply_user_registered(
        &mut self,
        user: &UserId,
        display_name: &Text,
        demo: bool,
    ) -> Result<(), DomainError> {
        if self.users.contains_key(user) {
            return Err(DomainError::UserExists(user.to_string()));
        }
        self.users.insert(
            user.clone(),
            User {
                id: user.clone(),
                display_name: display_name.clone(),
                demo,
                roles: Vec::new(),
                roles_held: Vec::new(),
                password_reset: None,
            },
        );
        Ok(())
    }

    /// A role granted to a user: its scope must exist and the role not be held already.
    fn apply_role_granted(&mut self, user: &UserId, role: &Role) -> Result<(), DomainError> {
        let held = self.user(user)?.roles.contains(role);
        self.role_scope_must_exist(role)?;
        if held {
            return Err(DomainError::RoleAlreadyGranted {
                user: user.to_string(),
                role: role.to_string(),
            });
        }
        let u = self.users.get_mut(user).expect("checked above");
        u.roles.push(role.clone());
        u.roles.sort();
        if !u.roles_held.contains(role) {
            u.roles_held.push(role.clone());
            u.roles_held.sort();
        }
        Ok(())
    }

    /// A role revoked from a user who holds it; the last administrator keeps theirs.
    fn apply_role_revoked(&mut self, user: &UserId, role: &Role) -> Result<(), DomainError> {
        if !self.user(user)?.roles.contains(role) {
            return Err(DomainError::RoleNotGranted {
                user: user.to_string(),
                role: role.to_string(),
            });
        }
        if *role == Role::Admin && self.administrators().count() == 1 {
            return Err(DomainError::LastAdmin);
        }
        let u = self.users.get_mut(user).expect("checked above");
        u.roles.retain(|r| r != role);
        Ok(())
    }

    /// A new unit: a new id, under an existing parent other than itself.
    fn apply_unit_created(
        &mut self,
        unit: &UnitId,
        name: &Text,
        short_code: &Text,
        kind: UnitKind,
        parent: &Option<UnitId>,
        established: NaiveDate,
    ) -> Result<(), DomainError> {
        if self.units.contains_key(unit) {
            return Err(DomainError::UnitExists(unit.to_string()));
        }
        if let Some(p) = parent {
            if p == unit {
                return Err(DomainError::ParentCycle(p.to_string()));
            }
            self.unit(p)?;
        }
        self.units.insert(
            unit.clone(),
            Unit {
                id: unit.clone(),
                name: name.clone(),
                short_code: short_code.clone(),
                kind,
                parent: parent.clone(),
                established,
                dissolved: None,
                former_names: Vec::new(),
            },
        );
        Ok(())
    }

    /// A unit renamed on a day it is active, after its founding; the old names are kept.
    fn apply_unit_renamed(
        &mut self,
        unit: &UnitId,
        name: &Text,
        short_code: &Text,
        effective: NaiveDate,
    ) -> Result<(), DomainError> {
        let u = self.unit(unit)?;
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
        let u = self.units.get_mut(unit).expect("checked above");
        let old_name = std::mem::replace(&mut u.name, name.clone());
        let old_code = std::mem::replace(&mut u.short_code, short_code.clone());
        u.former_names.push((old_name, old_code, effective));
        Ok(())
    }

    /// A merger or split: predecessors that do not continue are dissolved on its date, and
    /// their witness keys stop counting from here on (`State::record_witness_ends`). A member's
    /// partial state that does not see its units keeps only the latter.
    fn apply_lineage_recorded(&mut self, change: &LineageChange) -> Result<(), DomainError> {
        if self.lineage_context_hidden(change) {
            self.record_witness_ends(change);
            return Ok(());
        }
        self.check_lineage(change)?;
        for p in crate::witness::ceased_units(change) {
            let u = self.units.get_mut(p).expect("checked above");
            u.dissolved = Some(change.effective);
        }
        self.record_witness_ends(change);
        self.lineage.push_back(crate::lineage::RecordedLineage {
            change: change.clone(),
            at: self.size,
            withdrawn: None,
        });
        Ok(())
    }

    /// A new cluster, without years; an existing cluster id is refused.
    fn apply_cluster_created(
        &mut self,
        cluster: &ClusterId,
        name: &Text,
    ) -> Result<(), DomainError> {
        if self.clusters.contains_key(cluster) {
            return Err(DomainError::ClusterExists(cluster.to_string()));
        }
        self.clusters.insert(
            cluster.clone(),
            ClusterState {
                cluster: Cluster {
                    id: cluster.clone(),
                    name: name.clone(),
                },
                years: Default::default(),
            },
        );
        Ok(())
    }

    /// A cluster's members for a year: valid members, unchanged once a covenant fixes them but
    /// for a succession.
    fn apply_cluster_year_set(
        &mut self,
        cluster: &ClusterId,
        year: i32,
        members: &[UnitId],
    ) -> Result<(), DomainError> {
        self.cluster(cluster)?;
        self.check_members(cluster.as_str(), year, members)?;
        let succession = self.check_membership_open(cluster, year, members)?;
        let c = self.clusters.get_mut(cluster).expect("checked above");
        let entry = c.years.entry(year).or_default();
        entry.members = members.to_vec();
        if succession {
            // A position held by a member that ceased falls vacant (crate::succession).
            let gone =
                |p: &Option<Leadership>| p.as_ref().is_some_and(|l| !members.contains(&l.unit));
            if gone(&entry.head) {
                entry.head = None;
            }
            if gone(&entry.deputy) {
                entry.deputy = None;
            }
        }
        Ok(())
    }

    /// A cluster's head or deputy for a year: a member, not the other one, the year not locked.
    fn apply_cluster_leadership_set(
        &mut self,
        cluster: &ClusterId,
        year: i32,
        position: LeadershipPosition,
        unit: &UnitId,
        method: LeadershipMethod,
        decision: &Text,
    ) -> Result<(), DomainError> {
        self.check_leadership(cluster, year, position, unit)?;
        if self.year_locked(cluster, year) {
            return Err(DomainError::LeadershipLocked {
                cluster: cluster.to_string(),
                year,
            });
        }
        if method == LeadershipMethod::Elected {
            crate::votes::check_elected_leader(self, cluster, year, position, unit)?;
        }
        let c = self.clusters.get_mut(cluster).expect("checked above");
        let entry = c.years.entry(year).or_default();
        let leadership = Some(Leadership {
            unit: unit.clone(),
            method,
            decision: decision.clone(),
        });
        match position {
            LeadershipPosition::Head => entry.head = leadership,
            LeadershipPosition::Deputy => entry.deputy = leadership,
        }
        Ok(())
    }

    /// A new movement with its calendar; an existing movement id is refused.
    fn apply_movement_created(
        &mut self,
        movement: &MovementId,
        name: &Text,
        year: i32,
        plan_ref: &Text,
        slogan: &Option<Text>,
        calendar: &[ReportingWindow],
    ) -> Result<(), DomainError> {
        if self.movements.contains_key(movement) {
            return Err(DomainError::MovementExists(movement.to_string()));
        }
        self.movements.insert(
            movement.clone(),
            Movement {
                id: movement.clone(),
                name: name.clone(),
                year,
                plan_ref: plan_ref.clone(),
                slogan: slogan.clone(),
                calendar: calendar.to_vec(),
            },
        );
        Ok(())
    }

    fn role_scope_must_exist(&self, role: &Role) -> Result<(), DomainError> {
        match role {
            Role::Admin | Role::MinistrySupervisor => Ok(()),
            Role::Secretariat { cluster } | Role::Supervisor { cluster } => {
                self.cluster(cluster).map(|_| ())
            }
            Role::Officer { unit } | Role::Leader { unit } => self.unit(unit).map(|_| ()),
        }
    }

    /// Members must exist, be listed once, and exist at some point of the reporting year.
    fn check_members(
        &self,
        cluster: &str,
        year: i32,
        members: &[UnitId],
    ) -> Result<(), DomainError> {
        let mut seen = BTreeSet::new();
        let (start, end) = year_bounds(year);
        for m in members {
            if !seen.insert(m) {
                return Err(DomainError::DuplicateMember {
                    cluster: cluster.to_owned(),
                    unit: m.to_string(),
                });
            }
            let u = self.unit(m)?;
            if !u.may_join_clusters() {
                return Err(DomainError::MinistryNotMember(m.to_string()));
            }
            if u.established > end || u.dissolved.is_some_and(|d| d <= start) {
                return Err(DomainError::UnitNotActive {
                    unit: m.to_string(),
                    date: year.to_string(),
                });
            }
        }
        Ok(())
    }

    /// A year's members stay as they are once its covenant is signed (in force, or signed by
    /// anyone in its latest version: a new draft version reopens them), but for a succession
    /// ([`crate::succession`]): whether the change is one.
    fn check_membership_open(
        &self,
        cluster: &crate::ids::ClusterId,
        year: i32,
        members: &[UnitId],
    ) -> Result<bool, DomainError> {
        let current: BTreeSet<&UnitId> =
            self.members(cluster, year).unwrap_or(&[]).iter().collect();
        if members.iter().collect::<BTreeSet<_>>() == current {
            return Ok(false);
        }
        match self.membership_signed(cluster, year) {
            Some(c) => self.check_succession(c, members).map(|()| true),
            None => Ok(false),
        }
    }

    /// The covenant whose signatures fix a cluster's members for `year`: one in force, or one
    /// whose latest version anyone has signed.
    pub fn membership_signed(
        &self,
        cluster: &crate::ids::ClusterId,
        year: i32,
    ) -> Option<&crate::state::Covenant> {
        self.covenants.values().find(|c| {
            &c.cluster == cluster
                && c.year == year
                && (c.in_force().is_some() || !c.latest().signatures.is_empty())
        })
    }

    /// The kind of unit a cluster's members are in `year` (see [`members_of_one_kind`]): the
    /// kind of the year's members, else of the members of the nearest year that has some (the
    /// earlier of two as near), else none — a cluster without members yet may gather units of
    /// any kind that can join one.
    pub fn cluster_member_kind(&self, cluster: &ClusterId, year: i32) -> Option<UnitKind> {
        let c = self.clusters.get(cluster)?;
        let kind_of = |members: &[UnitId]| {
            members
                .iter()
                .filter_map(|m| self.units.get(m))
                .find(|u| u.may_join_clusters())
                .map(|u| u.kind)
        };
        let mut years: Vec<(&i32, &crate::model::ClusterYear)> = c.years.iter().collect();
        years.sort_by_key(|(y, _)| ((**y - year).abs(), **y));
        years.into_iter().find_map(|(_, y)| kind_of(&y.members))
    }

    /// Whether the year-end review of a cluster's year has locked the year's scores.
    fn year_locked(&self, cluster: &crate::ids::ClusterId, year: i32) -> bool {
        self.covenants
            .values()
            .any(|c| &c.cluster == cluster && c.year == year && self.figures_locked(&c.id))
    }

    fn check_leadership(
        &self,
        cluster: &crate::ids::ClusterId,
        year: i32,
        position: LeadershipPosition,
        unit: &UnitId,
    ) -> Result<(), DomainError> {
        if !self.members(cluster, year)?.contains(unit) {
            return Err(DomainError::NotMember {
                cluster: cluster.to_string(),
                unit: unit.to_string(),
                year,
            });
        }
        let other = self
            .cluster(cluster)?
            .years
            .get(&year)
            .and_then(|y| match position {
                LeadershipPosition::Head => y.deputy.as_ref(),
                LeadershipPosition::Deputy => y.head.as_ref(),
            });
        if other.is_some_and(|o| &o.unit == unit) {
            return Err(DomainError::HeadIsDeputy);
        }
        Ok(())
    }

    /// A merge takes at least two units into one, a split one unit into at least two; every
    /// unit exists, predecessors were established before the date and none is dissolved by it.
    fn check_lineage(&self, change: &LineageChange) -> Result<(), DomainError> {
        let shape_ok = match change.kind {
            LineageKind::Merge => change.successors.len() == 1 && change.predecessors.len() >= 2,
            LineageKind::Split => change.predecessors.len() == 1 && change.successors.len() >= 2,
        };
        let distinct = |list: &[UnitId]| list.iter().collect::<BTreeSet<_>>().len() == list.len();
        if !shape_ok || !distinct(&change.predecessors) || !distinct(&change.successors) {
            return Err(DomainError::InvalidLineage);
        }
        let all: BTreeSet<&UnitId> = change
            .predecessors
            .iter()
            .chain(&change.successors)
            .collect();
        for id in all {
            let u = self.unit(id)?;
            let too_early = change.effective < u.established
                || (change.effective == u.established && change.predecessors.contains(id));
            if too_early {
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
}
