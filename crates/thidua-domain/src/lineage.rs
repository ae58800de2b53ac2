//! The lineage records as the state keeps them, and their withdrawal: a merger or split recorded
//! by mistake (wrong units, wrong date) is withdrawn by the administrator with a reason
//! (`lineage_withdrawn`), never erased. The record stays in the state, marked withdrawn, so
//! that the history and the readers' closure of visible units (`RecordedLineage`) still name
//! its units; every rule that follows the lineage reads only the records in force
//! ([`State::lineage_in_force`]).
//!
//! A record is withdrawn only while nothing rests on it: no event recorded after it concerns
//! one of its units or a cluster that counts one of them among its members in any year
//! ([`State::reliance_on`]). A later merger, a cluster year, a signature, figures, a year-end
//! step or a vote could have been decided on the strength of the merger; withdrawing it then
//! would change their meaning behind their authors' backs, so it is refused naming the first
//! such event, and the record stands. The rule is the event's: checked again at replay when
//! the whole log is read (a member's partial replay, which does not see every event, keeps
//! only its effect).
//!
//! Withdrawal gives back what the record took: the units it ended exist again from the
//! withdrawal on (`Unit::dissolved` cleared), and a witness key it stopped counting counts again
//! for checkpoints that include the withdrawal (`WitnessChange::Resumed`); checkpoints between
//! the two keep the set then in force.

use serde::{Deserialize, Serialize};

use crate::authz::{authorise, Permission};
use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::ids::{ClusterId, UnitId};
use crate::model::LineageChange;
use crate::state::{State, Withdrawal, WitnessChange};
use crate::text::{limits, Text};

/// A merger or split as recorded, at the log index of its `lineage_recorded`, and its withdrawal
/// if it was withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedLineage {
    pub change: LineageChange,
    /// The log index of the `lineage_recorded` event.
    pub at: u64,
    pub withdrawn: Option<Withdrawal>,
}

impl RecordedLineage {
    /// Whether the record is in force (not withdrawn).
    pub fn in_force(&self) -> bool {
        self.withdrawn.is_none()
    }
}

/// `lineage_withdrawn`: the record at log index `index` is withdrawn for `reason`. It repeats the
/// record's `change`, so that the event reads alone in the history and in the public log; the
/// state refuses a change that is not the record's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineageWithdrawn {
    pub index: u64,
    pub change: LineageChange,
    pub reason: Text,
}

/// What a later event rests on: the event's index and kind, and the unit or cluster through
/// which it concerns the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reliance {
    pub index: u64,
    pub subject: Subject,
}

/// The unit or cluster through which a later event concerns a lineage record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Unit(UnitId),
    Cluster(ClusterId),
}

/// Decides `WithdrawLineage`: the administrator only (asked first, so that nobody else learns
/// about the records from a refusal), a reason, and a record in force at `index`. Whether
/// anything rests on it is the event's rule ([`State::apply_lineage_withdrawn`]).
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    index: u64,
    reason: Text,
) -> Result<Vec<Payload>, DomainError> {
    authorise(state, actor, &Permission::Administer)?;
    reason.check_line("reason", limits::REASON)?;
    let record = state
        .recorded_lineage(index)
        .filter(|r| r.in_force())
        .ok_or(DomainError::LineageRecordNotFound { index })?;
    Ok(vec![Payload::LineageWithdrawn(LineageWithdrawn {
        index,
        change: record.change.clone(),
        reason,
    })])
}

impl State {
    /// The mergers and splits in force (not withdrawn), in log order.
    pub fn lineage_in_force(&self) -> impl Iterator<Item = &LineageChange> {
        self.lineage
            .iter()
            .filter(|r| r.in_force())
            .map(|r| &r.change)
    }

    /// The lineage record written at log index `index`, withdrawn or not.
    pub fn recorded_lineage(&self, index: u64) -> Option<&RecordedLineage> {
        self.lineage.iter().find(|r| r.at == index)
    }

    /// The first event after the record at `record_at` that concerns one of `change`'s units
    /// or a cluster counting one of them among its members in some year: what rests on it.
    pub fn reliance_on(&self, change: &LineageChange, record_at: u64) -> Option<Reliance> {
        let units: Vec<&UnitId> = change
            .predecessors
            .iter()
            .chain(&change.successors)
            .collect();
        // The lists are ascending: the first index after the record, by bisection.
        let after = |list: Option<&imbl::Vector<u64>>| {
            let l = list?;
            let (Ok(at) | Err(at)) = l.binary_search(&(record_at + 1));
            l.get(at).copied()
        };
        let by_unit = units.iter().filter_map(|u| {
            after(self.history.by_unit.get(*u)).map(|index| Reliance {
                index,
                subject: Subject::Unit((*u).clone()),
            })
        });
        let by_cluster = self
            .clusters
            .iter()
            .filter(|(_, c)| {
                c.years
                    .values()
                    .any(|y| units.iter().any(|u| y.members.contains(u)))
            })
            .filter_map(|(id, _)| {
                after(self.history.by_cluster.get(id)).map(|index| Reliance {
                    index,
                    subject: Subject::Cluster(id.clone()),
                })
            });
        by_unit.chain(by_cluster).min_by_key(|r| r.index)
    }

    /// Folds a withdrawal: the record exists at its index, is in force and is the one the event
    /// repeats, and nothing rests on it; its ended units exist again and their witness keys
    /// count again from here. A partial state that does not see the record keeps only the
    /// latter, as it kept only the keys' end ([`State::lineage_context_hidden`]).
    pub(crate) fn apply_lineage_withdrawn(
        &mut self,
        time_ms: i64,
        e: &LineageWithdrawn,
    ) -> Result<(), DomainError> {
        let not_found = DomainError::LineageRecordNotFound { index: e.index };
        let position = self.lineage.iter().position(|r| r.at == e.index);
        let Some(position) = position else {
            if !self.partial {
                return Err(not_found);
            }
            self.resume_witnesses(e);
            return Ok(());
        };
        let record = &self.lineage[position];
        if !record.in_force() || record.change != e.change {
            return Err(not_found);
        }
        if !self.partial {
            if let Some(r) = self.reliance_on(&e.change, e.index) {
                return Err(relied_upon(e.index, &r));
            }
        }
        for unit in crate::witness::ceased_units(&e.change) {
            if let Some(u) = self.units.get_mut(unit) {
                u.dissolved = None;
            }
        }
        self.lineage[position].withdrawn = Some(Withdrawal {
            index: self.size,
            time_ms,
            reason: e.reason.clone(),
        });
        self.resume_witnesses(e);
        Ok(())
    }

    /// The witness keys whose end the withdrawn record marked count again for checkpoints that
    /// include the withdrawal.
    fn resume_witnesses(&mut self, e: &LineageWithdrawn) {
        let ended: Vec<UnitId> = self
            .witness_changes
            .iter()
            .filter_map(|c| match c {
                WitnessChange::Ceased { unit, at, .. } if *at == e.index => Some(unit.clone()),
                _ => None,
            })
            .collect();
        for unit in ended {
            self.witness_changes.push_back(WitnessChange::Resumed {
                unit,
                at: self.size,
            });
        }
    }
}

/// The refusal of a withdrawal that a later event rests on.
fn relied_upon(record: u64, r: &Reliance) -> DomainError {
    let (unit, cluster) = match &r.subject {
        Subject::Unit(u) => (Some(u.to_string()), None),
        Subject::Cluster(c) => (None, Some(c.to_string())),
    };
    DomainError::LineageReliedUpon {
        record,
        later: r.index,
        unit,
        cluster,
    }
}
