//! The state: a pure fold over the events, held in memory. [`State::apply`] is the only way it
//! changes, and it is strict: before an event changes anything, its actor must have held the
//! permission for it ([`crate::authz`]) and the event must fit the state (no duplicate creation,
//! no impossible transition). A log that breaks either stops the replay, naming the event.
//! Each stage applies its own events: [`crate::org`], [`crate::covenant`], [`crate::witness`],
//! [`crate::figures`], [`crate::documents`], [`crate::votes`], [`crate::yearend`],
//! [`crate::midyear`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use imbl::{OrdMap, Vector};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::{
    Cluster, ClusterYear, CovenantContent, LineageChange, Movement, Role, Unit, User,
};
use crate::text::Text;

/// A cluster with its membership year by year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterState {
    pub cluster: Cluster,
    pub years: BTreeMap<i32, ClusterYear>,
}

/// A recorded signature of a covenant version by one member unit's leader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    pub signer: Actor,
    pub index: u64,
    pub time_ms: i64,
}

/// Why and when a draft or a lineage record was withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub index: u64,
    pub time_ms: i64,
    pub reason: Text,
}

/// The latest amendment of a draft: when it was recorded and the content it replaced, so that
/// what it changed can be shown to the members ([`Covenant::amendment_changes`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub index: u64,
    pub time_ms: i64,
    pub before: CovenantContent,
}

/// One version of a covenant: its content, who must sign, who has, and whether it is frozen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Set when the secretariat withdrew this draft before anyone signed it.
    pub withdrawn: Option<Withdrawal>,
    /// The draft's latest amendment, if it was amended before anyone signed it.
    pub amended: Option<Amendment>,
}

impl CovenantVersion {
    /// Still open for signatures: neither frozen nor withdrawn.
    pub fn is_open(&self) -> bool {
        self.frozen_at.is_none() && self.withdrawn.is_none()
    }
}

/// A covenant of one cluster under one movement, with its versions (oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

    /// The version in force: the newest frozen one, if any.
    pub fn in_force(&self) -> Option<&CovenantVersion> {
        self.versions.iter().rev().find(|v| v.frozen_at.is_some())
    }
}

/// A unit's registered witness key (C2SP tlog-cosignature verifier key text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessKey {
    pub key: String,
    /// Log index of the registering event.
    pub registered_at: u64,
}

/// Everything the log says, folded. The collections are persistent (structurally shared), so
/// a clone is O(1): a batch of commands is decided against a scratch copy, and readers keep a
/// consistent copy while the next events are applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Number of events applied (the next log index).
    pub size: u64,
    pub users: OrdMap<UserId, User>,
    pub units: OrdMap<UnitId, Unit>,
    /// Every merger and split recorded, withdrawn ones kept and marked ([`crate::lineage`]).
    pub lineage: Vector<crate::lineage::RecordedLineage>,
    pub clusters: OrdMap<ClusterId, ClusterState>,
    pub movements: OrdMap<MovementId, Movement>,
    pub covenants: OrdMap<CovenantId, Covenant>,
    /// Each unit's current witness key, with which it cosigns checkpoints (kept when its unit
    /// ceases: [`State::witnesses_at`] says it no longer counts).
    pub witness_keys: OrdMap<UnitId, WitnessKey>,
    /// Whose cosignatures count and how many make a checkpoint witnessed; `None`: the default
    /// (every registered witness, all but one of them needed).
    pub witness_policy: Option<WitnessPolicy>,
    /// Every change of the witness set (a key registered, a policy recorded) in log order, so
    /// that each checkpoint is judged by the set in force at its size ([`State::witnesses_at`]).
    #[serde(default)]
    pub witness_changes: Vector<WitnessChange>,
    /// Reported figures: reports, forms, deadlines, rules, historical imports.
    #[serde(default)]
    pub figures: crate::figures::Figures,
    /// Folded from part of the log only (a member's replay, [`State::apply_readable`]): rules
    /// that count every event of a kind (a report's revisions) accept the gaps.
    #[serde(skip)]
    pub partial: bool,
    /// Which events concern each unit, cluster and kind ([`crate::history`]).
    #[serde(default)]
    pub history: crate::history::HistoryIndex,
    /// The official documents issued, in log order.
    #[serde(default)]
    pub documents: Vector<crate::documents::IssuedDocument>,
    /// Each cluster's yearly standings (rank, eligibility) by unit ([`crate::votes`]).
    #[serde(default)]
    pub standings: OrdMap<ClusterId, BTreeMap<i32, BTreeMap<UnitId, crate::votes::Standing>>>,
    #[serde(default)]
    pub elections: OrdMap<crate::ids::ElectionId, crate::votes::Election>,
    /// Every commitment and box key a trustee has posted (hex), in every election and attempt:
    /// a key-ceremony message copied from the log, where all of them are public, is refused
    /// ([`crate::votes`]), so no trustee takes another's key material as its own.
    #[serde(default)]
    pub ceremony_values: imbl::OrdSet<String>,
    /// Year-end reviews: dossiers, draw, findings, resolutions, results.
    #[serde(default)]
    pub yearend: crate::yearend::YearEnds,
    /// Mid-year reviews, one per covenant ([`crate::midyear`]).
    #[serde(default)]
    pub midyear: OrdMap<CovenantId, crate::midyear::Review>,
    /// Explanations of integrity flags, per covenant ([`crate::explanations`]).
    #[serde(default)]
    pub flag_explanations: OrdMap<CovenantId, crate::explanations::Explanations>,
    /// Each year's declared public holidays ([`crate::holidays`]).
    #[serde(default)]
    pub holidays: crate::holidays::Holidays,
}

/// The witnesses whose cosignatures count, and how many of them are needed (k of n).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessPolicy {
    pub witnesses: Vec<UnitId>,
    pub quorum: u32,
    /// Log index of the event that set it.
    pub set_at: u64,
}

/// One change of the witness set, kept at the log index of its event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WitnessChange {
    /// A unit's key registered (or replaced), `WitnessKey::registered_at` being the index.
    Key { unit: UnitId, key: WitnessKey },
    /// A policy recorded, `WitnessPolicy::set_at` being the index.
    Policy(WitnessPolicy),
    /// A unit with a witness key ceased to exist (a merger or split recorded at `at`, effective
    /// on `date`): its key counts for no checkpoint of more than `at` entries.
    Ceased {
        unit: UnitId,
        date: NaiveDate,
        at: u64,
    },
    /// The record that ended the unit was withdrawn at `at` ([`crate::lineage`]): its key counts
    /// again for checkpoints of more than `at` entries.
    Resumed { unit: UnitId, at: u64 },
}

/// A witness key that no longer counts because its unit ceased to exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeasedWitness {
    /// The key the unit last registered.
    pub key: WitnessKey,
    /// The day the unit ceased (the lineage change's effective date).
    pub date: NaiveDate,
    /// The log index of the lineage change that recorded its end.
    pub at: u64,
}

/// The witness keys and the policy in force for a checkpoint of a given size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WitnessSet {
    /// The keys that count: of units that had not ceased by that size.
    pub keys: BTreeMap<UnitId, WitnessKey>,
    pub policy: Option<WitnessPolicy>,
    /// The keys of units whose end the log recorded before that size: they no longer count.
    pub ceased: BTreeMap<UnitId, CeasedWitness>,
}

impl State {
    /// Folds one event into the state, after checking that its actor was authorised and that
    /// it fits. On error nothing changes. Events must arrive in log order.
    pub fn apply(&mut self, event: &Event) -> Result<(), DomainError> {
        if event.index != self.size {
            return Err(DomainError::InvalidValue {
                field: "index",
                reason: format!("expected event {}, got {}", self.size, event.index),
            });
        }
        self.fold(event)
    }

    /// Folds an event of a partial log — the events a member may read, with gaps where the
    /// others were — under the same rules as [`apply`](Self::apply): indices only increase, and
    /// each event keeps its own, so that events referring to others by index still find them.
    pub fn apply_readable(&mut self, event: &Event) -> Result<(), DomainError> {
        if event.index < self.size {
            return Err(DomainError::InvalidValue {
                field: "index",
                reason: format!("event {} comes after event {}", event.index, self.size),
            });
        }
        let (size, partial) = (self.size, self.partial);
        self.partial |= event.index > self.size;
        self.size = event.index;
        self.fold(event).inspect_err(|_| {
            self.size = size;
            self.partial = partial;
        })
    }

    /// Authorises and applies one event at `self.size`, then counts it.
    fn fold(&mut self, event: &Event) -> Result<(), DomainError> {
        if !self.witness_context_hidden(event) {
            crate::authz::authorise_event(self, &event.actor, &event.payload)?;
        }
        use Payload as P;
        match &event.payload {
            P::UserRegistered { .. }
            | P::RoleGranted { .. }
            | P::RoleRevoked { .. }
            | P::PasswordReset { .. }
            | P::UnitCreated { .. }
            | P::UnitRenamed { .. }
            | P::LineageRecorded(_)
            | P::ClusterCreated { .. }
            | P::ClusterYearSet { .. }
            | P::ClusterLeadershipSet { .. }
            | P::MovementCreated { .. } => self.apply_org(&event.payload)?,
            P::CovenantDrafted { .. }
            | P::CovenantDraftAmended { .. }
            | P::CovenantDraftWithdrawn { .. }
            | P::CovenantSigned { .. }
            | P::CovenantFrozen { .. } => self.apply_covenant(event)?,
            P::WitnessKeyRegistered { .. } | P::WitnessPolicySet { .. } => {
                self.apply_witness(event)?
            }
            P::FiguresSaved { .. }
            | P::FiguresSubmitted { .. }
            | P::FiguresApproved { .. }
            | P::FiguresReopened { .. }
            | P::FiguresDeadlineSet { .. }
            | P::FiguresRulesSet { .. }
            | P::HistoricalImportRecorded { .. }
            | P::HistoricalFiguresRecorded { .. } => self.apply_figures(event)?,
            P::LineageWithdrawn(e) => self.apply_lineage_withdrawn(event.time_ms, e)?,
            P::DocumentIssued { .. } => self.apply_documents(event)?,
            P::Vote(vote) => self.apply_votes(event, vote)?,
            P::YearEnd(e) => self.apply_yearend(event, e)?,
            P::MidyearReviewFrozen(e) => self.apply_midyear(event, e)?,
            P::FlagExplained(e) => self.apply_explanation(event, e)?,
            P::HolidaysDeclared(e) => self.apply_holidays(event, e)?,
        }
        let mut history = std::mem::take(&mut self.history);
        history.record(self, event);
        self.history = history;
        self.size += 1;
        Ok(())
    }

    pub fn user(&self, id: &UserId) -> Result<&User, DomainError> {
        self.users
            .get(id)
            .ok_or_else(|| DomainError::UnknownUser(id.to_string()))
    }

    pub fn unit(&self, id: &UnitId) -> Result<&Unit, DomainError> {
        self.units
            .get(id)
            .ok_or_else(|| DomainError::UnknownUnit(id.to_string()))
    }

    pub fn cluster(&self, id: &ClusterId) -> Result<&ClusterState, DomainError> {
        self.clusters
            .get(id)
            .ok_or_else(|| DomainError::UnknownCluster(id.to_string()))
    }

    pub fn movement(&self, id: &MovementId) -> Result<&Movement, DomainError> {
        self.movements
            .get(id)
            .ok_or_else(|| DomainError::UnknownMovement(id.to_string()))
    }

    pub fn covenant(&self, id: &CovenantId) -> Result<&Covenant, DomainError> {
        self.covenants
            .get(id)
            .ok_or_else(|| DomainError::UnknownCovenant(id.to_string()))
    }

    /// The member units of a cluster in a year.
    pub fn members(&self, cluster: &ClusterId, year: i32) -> Result<&[UnitId], DomainError> {
        self.cluster(cluster)?
            .years
            .get(&year)
            .map(|y| y.members.as_slice())
            .ok_or(DomainError::NoClusterYear {
                cluster: cluster.to_string(),
                year,
            })
    }

    /// Units sorted by their whole names in Vietnamese collation order: the order of the
    /// official documents' signature blocks, which every issued document is rebuilt with
    /// (never to change under documents issued before).
    pub fn sorted_by_name<'a>(&'a self, ids: &'a [UnitId]) -> Vec<&'a Unit> {
        let mut units = self.known_units(ids);
        crate::text::sort_by_name(&mut units, |u| u.name.as_str());
        units
    }

    /// Units in the order of the places they serve, as the pages list them
    /// ([`crate::text::sort_units_by_name`]).
    pub fn sorted_by_place<'a>(&'a self, ids: &'a [UnitId]) -> Vec<&'a Unit> {
        let mut units = self.known_units(ids);
        crate::text::sort_units_by_name(&mut units, |u| u.name.as_str());
        units
    }

    /// The units of `ids` the state knows, in the order given.
    fn known_units<'a>(&'a self, ids: &'a [UnitId]) -> Vec<&'a Unit> {
        ids.iter().filter_map(|id| self.units.get(id)).collect()
    }

    /// The units that `unit` directly came from through lineage changes effective on or before `date`.
    pub fn predecessors(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        self.linked(unit, date, |c| (&c.successors, &c.predecessors))
    }

    /// The units that `unit` went into through lineage changes effective on or before `date`.
    pub fn successors(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        self.linked(unit, date, |c| (&c.predecessors, &c.successors))
    }

    /// The unit that answers for `unit` on `date`: the unit itself while it exists, else the
    /// one unit it went into, followed through later reorganisations (Công an tỉnh Kiên Giang
    /// → Công an tỉnh An Giang from 01/07/2025); `None` for an unknown unit or one that split
    /// into several.
    pub fn continuing_unit(&self, unit: &UnitId, date: NaiveDate) -> Option<&Unit> {
        let mut current = self.units.get(unit)?;
        for _ in 0..=self.lineage.len() {
            let Some(ceased) = current.dissolved.filter(|d| *d <= date) else {
                return Some(current);
            };
            match self.successors(&current.id, ceased).as_slice() {
                [one] => current = self.units.get(one)?,
                _ => return None,
            }
        }
        None
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
            .lineage_in_force()
            .filter(|c| c.effective <= date && sides(c).0.contains(unit))
            .flat_map(|c| sides(c).1.iter().filter(|u| *u != unit).cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every unit whose history feeds into `unit` by `date` (transitively), including itself.
    pub fn lineage_closure(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        let mut seen = self.lineage_walk(unit, date, Self::predecessors);
        seen.sort();
        seen
    }

    /// `unit`, then every unit `step` (predecessors or successors by `date`) reaches from it,
    /// transitively, each once, in the order reached.
    pub fn lineage_walk(
        &self,
        unit: &UnitId,
        date: NaiveDate,
        step: fn(&Self, &UnitId, NaiveDate) -> Vec<UnitId>,
    ) -> Vec<UnitId> {
        let mut seen = vec![unit.clone()];
        let mut i = 0;
        while i < seen.len() {
            for next in step(self, &seen[i].clone(), date) {
                if !seen.contains(&next) {
                    seen.push(next);
                }
            }
            i += 1;
        }
        seen
    }

    /// Why `unit` cannot act on `date`: it ceased to exist (naming its successors), or it was not
    /// established yet.
    pub fn inactive(&self, unit: &UnitId, date: NaiveDate) -> DomainError {
        match self.units.get(unit).and_then(|u| u.dissolved) {
            Some(dissolved) if dissolved <= date => DomainError::UnitDissolved {
                unit: unit.to_string(),
                date: dissolved.to_string(),
                successors: self
                    .successors(unit, dissolved)
                    .iter()
                    .map(UnitId::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            _ => DomainError::UnitNotActive {
                unit: unit.to_string(),
                date: date.to_string(),
            },
        }
    }

    /// Whether `user` holds `role`.
    pub fn has_role(&self, user: &UserId, role: &Role) -> bool {
        self.users.get(user).is_some_and(|u| u.roles.contains(role))
    }

    /// The users holding the administrator role.
    pub fn administrators(&self) -> impl Iterator<Item = &User> {
        self.users
            .values()
            .filter(|u| u.roles.contains(&Role::Admin))
    }
}

/// SHA-256 (hex) of a covenant version; see [`crate::wire::covenant_hash`].
pub use crate::wire::covenant_hash;
