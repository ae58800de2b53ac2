//! The state: a pure fold over the events, held in memory. [`State::apply`] is the only way it
//! changes; it trusts that events were produced by [`crate::decide`] but still refuses an event
//! that does not fit (a corrupted or forged log must stop the replay, never be papered over).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use imbl::{OrdMap, Vector};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::DomainError;
use crate::event::{canonical_json, Actor, Event, Payload};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::{
    Cluster, ClusterYear, CovenantContent, Leadership, LeadershipPosition, LineageChange, Movement,
    Unit, User,
};
use crate::text::collate;

/// A cluster with its membership year by year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterState {
    pub cluster: Cluster,
    pub years: BTreeMap<i32, ClusterYear>,
}

/// A recorded signature of a covenant version by one member unit's leader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureRecord {
    pub signer: Actor,
    pub index: u64,
    pub time_ms: i64,
}

/// One version of a covenant: its content, who must sign, who has, and whether it is frozen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CovenantVersion {
    pub version: u32,
    pub content: CovenantContent,
    /// The member units at drafting time: every one must sign.
    pub members: Vec<UnitId>,
    /// The canonical hash (hex) that leaders sign.
    pub hash: String,
    pub signatures: BTreeMap<UnitId, SignatureRecord>,
    /// Log index of the freezing event, once every member has signed.
    pub frozen_at: Option<u64>,
    /// Log index of the event that created this version.
    pub drafted_at: u64,
}

/// A covenant of one cluster under one movement, with its versions (oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Covenant {
    pub id: CovenantId,
    pub movement: MovementId,
    pub cluster: ClusterId,
    pub year: i32,
    pub versions: Vec<CovenantVersion>,
}

impl Covenant {
    pub fn latest(&self) -> &CovenantVersion {
        self.versions
            .last()
            .expect("a covenant has at least one version")
    }

    pub fn version(&self, v: u32) -> Option<&CovenantVersion> {
        self.versions.iter().find(|x| x.version == v)
    }
}

/// Everything the log says, folded. The collections are persistent (structurally shared), so
/// a clone is O(1): a batch of commands is decided against a scratch copy without copying the
/// whole state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct State {
    /// Number of events applied (the next log index).
    pub size: u64,
    pub users: OrdMap<UserId, User>,
    pub units: OrdMap<UnitId, Unit>,
    pub lineage: Vector<LineageChange>,
    pub clusters: OrdMap<ClusterId, ClusterState>,
    pub movements: OrdMap<MovementId, Movement>,
    pub covenants: OrdMap<CovenantId, Covenant>,
    /// Each unit's current witness key, with which it cosigns checkpoints.
    pub witness_keys: OrdMap<UnitId, WitnessKey>,
}

/// A unit's registered witness key (C2SP tlog-cosignature verifier key text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WitnessKey {
    pub key: String,
    /// Log index of the registering event.
    pub registered_at: u64,
}

/// The input of a covenant version's hash: everything a leader agrees to by signing.
#[derive(Serialize)]
struct CovenantHashInput<'a> {
    format: &'static str,
    covenant: &'a CovenantId,
    version: u32,
    movement: &'a MovementId,
    cluster: &'a ClusterId,
    year: i32,
    members: &'a [UnitId],
    content: &'a CovenantContent,
}

/// SHA-256 (hex) of the canonical JSON of a covenant version.
pub fn covenant_hash(
    covenant: &CovenantId,
    version: u32,
    movement: &MovementId,
    cluster: &ClusterId,
    year: i32,
    members: &[UnitId],
    content: &CovenantContent,
) -> String {
    let input = CovenantHashInput {
        format: "thidua-covenant/v1",
        covenant,
        version,
        movement,
        cluster,
        year,
        members,
        content,
    };
    hex::encode(Sha256::digest(canonical_json(&input)))
}

fn missing<T>(
    what: impl FnOnce() -> DomainError,
) -> impl FnOnce(Option<T>) -> Result<T, DomainError> {
    move |opt| opt.ok_or_else(what)
}

impl State {
    /// Folds one event into the state. Events must arrive in log order.
    pub fn apply(&mut self, event: &Event) -> Result<(), DomainError> {
        if event.index != self.size {
            return Err(DomainError::InvalidValue {
                field: "index",
                reason: format!("expected event {}, got {}", self.size, event.index),
            });
        }
        self.apply_payload(event)?;
        self.size += 1;
        Ok(())
    }

    fn apply_payload(&mut self, event: &Event) -> Result<(), DomainError> {
        match &event.payload {
            Payload::UserRegistered {
                user,
                display_name,
                demo,
            } => {
                self.users.insert(
                    user.clone(),
                    User {
                        id: user.clone(),
                        display_name: display_name.clone(),
                        demo: *demo,
                        roles: Vec::new(),
                    },
                );
            }
            Payload::RoleGranted { user, role } => {
                let u = missing(|| DomainError::UnknownUser(user.to_string()))(
                    self.users.get_mut(user),
                )?;
                if !u.roles.contains(role) {
                    u.roles.push(role.clone());
                    u.roles.sort();
                }
            }
            Payload::RoleRevoked { user, role } => {
                let u = missing(|| DomainError::UnknownUser(user.to_string()))(
                    self.users.get_mut(user),
                )?;
                u.roles.retain(|r| r != role);
            }
            Payload::UnitCreated {
                unit,
                name,
                short_code,
                kind,
                parent,
                established,
            } => {
                self.units.insert(
                    unit.clone(),
                    Unit {
                        id: unit.clone(),
                        name: name.clone(),
                        short_code: short_code.clone(),
                        kind: *kind,
                        parent: parent.clone(),
                        established: *established,
                        dissolved: None,
                        former_names: Vec::new(),
                    },
                );
            }
            Payload::UnitRenamed {
                unit,
                name,
                short_code,
                effective,
                ..
            } => {
                let u = missing(|| DomainError::UnknownUnit(unit.to_string()))(
                    self.units.get_mut(unit),
                )?;
                let old_name = std::mem::replace(&mut u.name, name.clone());
                let old_code = std::mem::replace(&mut u.short_code, short_code.clone());
                u.former_names.push((old_name, old_code, *effective));
            }
            Payload::LineageRecorded(change) => {
                for p in &change.predecessors {
                    if !change.successors.contains(p) {
                        let u = missing(|| DomainError::UnknownUnit(p.to_string()))(
                            self.units.get_mut(p),
                        )?;
                        u.dissolved = Some(change.effective);
                    }
                }
                self.lineage.push_back(change.clone());
            }
            Payload::ClusterCreated { cluster, name } => {
                self.clusters.insert(
                    cluster.clone(),
                    ClusterState {
                        cluster: Cluster {
                            id: cluster.clone(),
                            name: name.clone(),
                        },
                        years: BTreeMap::new(),
                    },
                );
            }
            Payload::ClusterYearSet {
                cluster,
                year,
                members,
            } => {
                let c = self.cluster_mut(cluster)?;
                let entry = c.years.entry(*year).or_default();
                entry.members = members.clone();
            }
            Payload::ClusterLeadershipSet {
                cluster,
                year,
                position,
                unit,
                method,
                decision,
            } => {
                let c = self.cluster_mut(cluster)?;
                let entry = c.years.entry(*year).or_default();
                let leadership = Some(Leadership {
                    unit: unit.clone(),
                    method: *method,
                    decision: decision.clone(),
                });
                match position {
                    LeadershipPosition::Head => entry.head = leadership,
                    LeadershipPosition::Deputy => entry.deputy = leadership,
                }
            }
            Payload::MovementCreated {
                movement,
                name,
                year,
                plan_ref,
                slogan,
                calendar,
            } => {
                self.movements.insert(
                    movement.clone(),
                    Movement {
                        id: movement.clone(),
                        name: name.clone(),
                        year: *year,
                        plan_ref: plan_ref.clone(),
                        slogan: slogan.clone(),
                        calendar: calendar.clone(),
                    },
                );
            }
            Payload::CovenantDrafted {
                covenant,
                movement,
                cluster,
                version,
                content,
            } => {
                let year = self
                    .movements
                    .get(movement)
                    .ok_or_else(|| DomainError::UnknownMovement(movement.to_string()))?
                    .year;
                let members = self.members(cluster, year)?.to_vec();
                let hash = covenant_hash(
                    covenant, *version, movement, cluster, year, &members, content,
                );
                let draft = CovenantVersion {
                    version: *version,
                    content: content.clone(),
                    members,
                    hash,
                    signatures: BTreeMap::new(),
                    frozen_at: None,
                    drafted_at: event.index,
                };
                match self.covenants.get_mut(covenant) {
                    Some(c) => c.versions.push(draft),
                    None => {
                        self.covenants.insert(
                            covenant.clone(),
                            Covenant {
                                id: covenant.clone(),
                                movement: movement.clone(),
                                cluster: cluster.clone(),
                                year,
                                versions: vec![draft],
                            },
                        );
                    }
                }
            }
            Payload::CovenantDraftAmended {
                covenant,
                version,
                content,
            } => {
                let c = self.covenant_mut(covenant)?;
                let (id, movement, cluster, year) =
                    (c.id.clone(), c.movement.clone(), c.cluster.clone(), c.year);
                let v = c
                    .versions
                    .iter_mut()
                    .find(|v| v.version == *version)
                    .ok_or_else(|| DomainError::UnknownVersion {
                        covenant: id.to_string(),
                        version: *version,
                    })?;
                v.content = content.clone();
                v.hash = covenant_hash(
                    &id, *version, &movement, &cluster, year, &v.members, content,
                );
            }
            Payload::CovenantSigned {
                covenant,
                version,
                unit,
                ..
            } => {
                let v = self.version_mut(covenant, *version)?;
                v.signatures.insert(
                    unit.clone(),
                    SignatureRecord {
                        signer: event.actor.clone(),
                        index: event.index,
                        time_ms: event.time_ms,
                    },
                );
            }
            Payload::CovenantFrozen {
                covenant, version, ..
            } => {
                let v = self.version_mut(covenant, *version)?;
                v.frozen_at = Some(event.index);
            }
            Payload::WitnessKeyRegistered { unit, key } => {
                if !self.units.contains_key(unit) {
                    return Err(DomainError::UnknownUnit(unit.to_string()));
                }
                self.witness_keys.insert(
                    unit.clone(),
                    WitnessKey {
                        key: key.clone(),
                        registered_at: event.index,
                    },
                );
            }
        }
        Ok(())
    }

    fn cluster_mut(&mut self, id: &ClusterId) -> Result<&mut ClusterState, DomainError> {
        self.clusters
            .get_mut(id)
            .ok_or_else(|| DomainError::UnknownCluster(id.to_string()))
    }

    fn version_mut(
        &mut self,
        id: &CovenantId,
        version: u32,
    ) -> Result<&mut CovenantVersion, DomainError> {
        self.covenant_mut(id)?
            .versions
            .iter_mut()
            .find(|v| v.version == version)
            .ok_or_else(|| DomainError::UnknownVersion {
                covenant: id.to_string(),
                version,
            })
    }

    fn covenant_mut(&mut self, id: &CovenantId) -> Result<&mut Covenant, DomainError> {
        self.covenants
            .get_mut(id)
            .ok_or_else(|| DomainError::UnknownCovenant(id.to_string()))
    }

    /// The member units of a cluster in a year.
    pub fn members(&self, cluster: &ClusterId, year: i32) -> Result<&[UnitId], DomainError> {
        let c = self
            .clusters
            .get(cluster)
            .ok_or_else(|| DomainError::UnknownCluster(cluster.to_string()))?;
        c.years
            .get(&year)
            .map(|y| y.members.as_slice())
            .ok_or(DomainError::NoClusterYear {
                cluster: cluster.to_string(),
                year,
            })
    }

    /// Units sorted by name in Vietnamese collation order.
    pub fn sorted_by_name<'a>(&'a self, ids: &'a [UnitId]) -> Vec<&'a Unit> {
        let mut units: Vec<&Unit> = ids.iter().filter_map(|id| self.units.get(id)).collect();
        units.sort_by(|a, b| collate(a.name.as_str(), b.name.as_str()));
        units
    }

    /// The units that `unit` directly came from through lineage changes effective on or before `date`.
    pub fn predecessors(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        self.linked(unit, date, |c| (&c.successors, &c.predecessors))
    }

    /// The units that `unit` went into through lineage changes effective on or before `date`.
    pub fn successors(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        self.linked(unit, date, |c| (&c.predecessors, &c.successors))
    }

    /// The units on the other side of the lineage changes in which `unit` stands on the side
    /// that `sides` names first.
    fn linked(
        &self,
        unit: &UnitId,
        date: NaiveDate,
        sides: impl Fn(&LineageChange) -> (&Vec<UnitId>, &Vec<UnitId>),
    ) -> Vec<UnitId> {
        let mut out: Vec<UnitId> = self
            .lineage
            .iter()
            .filter(|c| c.effective <= date && sides(c).0.contains(unit))
            .flat_map(|c| sides(c).1.iter().filter(|u| *u != unit).cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every unit whose history feeds into `unit` by `date` (transitively), including itself.
    pub fn lineage_closure(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        let mut seen = vec![unit.clone()];
        let mut i = 0;
        while i < seen.len() {
            for p in self.predecessors(&seen[i].clone(), date) {
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
            i += 1;
        }
        seen.sort();
        seen
    }

    /// Whether `user` holds `role`.
    pub fn has_role(&self, user: &UserId, role: &crate::model::Role) -> bool {
        self.users.get(user).is_some_and(|u| u.roles.contains(role))
    }
}
