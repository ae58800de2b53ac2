//! The history index: for every unit, cluster and event kind, the log indices of the events that
//! concern it, kept by [`State::apply`] as events are folded (and so carried by snapshots). A
//! history page walks the lists it may read backwards instead of decoding the log backwards, so
//! it costs what it shows, not the length of the log. Who may read an event stays the readers'
//! rule; the index only says which events are candidates: every event is listed under each unit
//! and cluster it concerns, and an event that concerns none (accounts, movements, the witness
//! policy) in the general list.

use imbl::{OrdMap, Vector};
use serde::{Deserialize, Serialize};

use crate::event::{Event, Payload};
use crate::ids::{ClusterId, UnitId};
use crate::lineage::LineageWithdrawn;
use crate::state::State;

/// Log indices, ascending, by what the events concern.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryIndex {
    pub by_unit: OrdMap<UnitId, Vector<u64>>,
    pub by_cluster: OrdMap<ClusterId, Vector<u64>>,
    pub by_kind: OrdMap<String, Vector<u64>>,
    /// Events that concern no unit and no cluster.
    pub general: Vector<u64>,
}

impl HistoryIndex {
    /// Lists `event` (already applied to `state`) under everything it concerns.
    pub(crate) fn record(&mut self, state: &State, event: &Event) {
        let index = event.index;
        let mut units = concerned_units(&event.payload);
        units.sort();
        units.dedup();
        let cluster = concerned_cluster(state, &event.payload);
        for unit in &units {
            self.by_unit
                .entry((*unit).clone())
                .or_default()
                .push_back(index);
        }
        if let Some(c) = &cluster {
            self.by_cluster
                .entry(c.clone())
                .or_default()
                .push_back(index);
        }
        if units.is_empty() && cluster.is_none() {
            self.general.push_back(index);
        }
        self.by_kind
            .entry(event.payload.kind().to_owned())
            .or_default()
            .push_back(index);
    }
}

/// Whether an event concerns `unit`: the unit it names, both sides of a merger or split, the
/// members of a cluster's year.
pub fn concerns(payload: &Payload, unit: &UnitId) -> bool {
    concerned_units(payload).contains(&unit)
}

/// The units an event concerns (see [`concerns`]).
pub fn concerned_units(payload: &Payload) -> Vec<&UnitId> {
    match payload {
        Payload::LineageRecorded(c)
        | Payload::LineageWithdrawn(LineageWithdrawn { change: c, .. }) => {
            c.predecessors.iter().chain(&c.successors).collect()
        }
        Payload::ClusterYearSet { members, .. } => members.iter().collect(),
        other => other.unit().into_iter().collect(),
    }
}

/// The cluster an event concerns: the one it names, or its covenant's, or its election's.
pub fn concerned_cluster(state: &State, payload: &Payload) -> Option<ClusterId> {
    use crate::model::Role;
    use Payload as P;
    let of_covenant = |id| state.covenants.get(id).map(|c| c.cluster.clone());
    match payload {
        P::ClusterCreated { cluster, .. }
        | P::ClusterYearSet { cluster, .. }
        | P::ClusterLeadershipSet { cluster, .. }
        | P::CovenantDrafted { cluster, .. }
        | P::DocumentIssued { cluster, .. } => Some(cluster.clone()),
        P::RoleGranted { role, .. } | P::RoleRevoked { role, .. } => match role {
            Role::Secretariat { cluster } | Role::Supervisor { cluster } => Some(cluster.clone()),
            _ => None,
        },
        P::CovenantDraftAmended { covenant, .. }
        | P::CovenantDraftWithdrawn { covenant, .. }
        | P::CovenantSigned { covenant, .. }
        | P::CovenantFrozen { covenant, .. }
        | P::FiguresSaved { covenant, .. }
        | P::FiguresSubmitted { covenant, .. }
        | P::FiguresApproved { covenant, .. }
        | P::FiguresReopened { covenant, .. }
        | P::FiguresDeadlineSet { covenant, .. }
        | P::FiguresRulesSet { covenant, .. }
        | P::HistoricalImportRecorded { covenant, .. }
        | P::HistoricalFiguresRecorded { covenant, .. } => of_covenant(covenant),
        P::Vote(vote) => vote.cluster(state).cloned(),
        P::YearEnd(e) => of_covenant(e.covenant()),
        P::MidyearReviewFrozen(e) => of_covenant(&e.covenant),
        P::FlagExplained(e) => of_covenant(&e.covenant),
        P::UserRegistered { .. }
        | P::PasswordReset { .. }
        | P::UnitCreated { .. }
        | P::UnitRenamed { .. }
        | P::LineageRecorded(_)
        | P::LineageWithdrawn(_)
        | P::MovementCreated { .. }
        | P::WitnessKeyRegistered { .. }
        | P::WitnessPolicySet { .. }
        | P::HolidaysDeclared(_) => None,
    }
}

/// Walks several ascending index lists backwards together: each index below `before` once,
/// newest first.
pub struct Newest<'a> {
    lists: Vec<(&'a Vector<u64>, usize)>,
}

impl<'a> Newest<'a> {
    pub fn new(lists: impl IntoIterator<Item = &'a Vector<u64>>, before: u64) -> Self {
        let lists = lists
            .into_iter()
            .map(|l| (l, l.binary_search(&before).unwrap_or_else(|at| at)))
            .collect();
        Newest { lists }
    }
}

impl Iterator for Newest<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let newest = self
            .lists
            .iter()
            .filter(|(_, end)| *end > 0)
            .map(|(list, end)| list[end - 1])
            .max()?;
        for (list, end) in &mut self.lists {
            if *end > 0 && list[*end - 1] == newest {
                *end -= 1;
            }
        }
        Some(newest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_merges_lists_backwards_once_each() {
        let a: Vector<u64> = [1, 4, 7, 9].into_iter().collect();
        let b: Vector<u64> = [2, 4, 8].into_iter().collect();
        let empty = Vector::new();
        let all: Vec<u64> = Newest::new([&a, &b, &empty], 9).collect();
        assert_eq!(all, vec![8, 7, 4, 2, 1]);
        assert_eq!(Newest::new([&a], 0).count(), 0);
        assert_eq!(Newest::new([&a], 100).next(), Some(9));
    }
}
