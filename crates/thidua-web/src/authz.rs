//! Authorisation of reads and of pages: who may see which cluster, unit, covenant, user list and
//! event. Authorisation of commands stays in `thidua_domain::decide`; this module never grants
//! anything `decide` would refuse, and every route asks it before showing data.
//!
//! Scopes: an administrator sees everything; a cluster secretariat or supervisor sees its
//! cluster, the cluster's member units and covenants; a unit officer or leader sees their unit,
//! the clusters it belongs to (any year) and those clusters' members and covenants, and the
//! units in their unit's lineage. A unit's administration (its users and roles) is visible only
//! to the unit itself and to administrators.

use std::collections::BTreeSet;

use thidua_domain::model::Role;
use thidua_domain::state::Covenant;
use thidua_domain::{ClusterId, Event, Payload, State, UnitId, UserId};

/// The clusters and units a user may see, computed once per request.
#[derive(Clone, Debug, Default)]
pub struct Visibility {
    pub admin: bool,
    pub clusters: BTreeSet<ClusterId>,
    pub units: BTreeSet<UnitId>,
}

/// The roles of the signed-in user, as the log says now.
#[derive(Clone, Debug)]
pub struct Scope {
    pub user: UserId,
    pub roles: Vec<Role>,
}

impl Scope {
    pub fn new(user: UserId, roles: Vec<Role>) -> Self {
        Self { user, roles }
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    /// Units the user works for (officer or leader).
    pub fn own_units(&self) -> BTreeSet<&UnitId> {
        self.roles
            .iter()
            .filter_map(|r| match r {
                Role::Officer { unit } | Role::Leader { unit } => Some(unit),
                _ => None,
            })
            .collect()
    }

    /// Units whose leader the user is.
    pub fn led_units(&self) -> BTreeSet<&UnitId> {
        self.roles
            .iter()
            .filter_map(|r| match r {
                Role::Leader { unit } => Some(unit),
                _ => None,
            })
            .collect()
    }

    /// Clusters the user serves as secretariat.
    pub fn managed_clusters(&self) -> BTreeSet<&ClusterId> {
        self.roles
            .iter()
            .filter_map(|r| match r {
                Role::Secretariat { cluster } => Some(cluster),
                _ => None,
            })
            .collect()
    }

    /// Clusters the user may read.
    pub fn visible_clusters(&self, state: &State) -> BTreeSet<ClusterId> {
        if self.is_admin() {
            return state.clusters.keys().cloned().collect();
        }
        let own = self.own_units();
        let mut out = BTreeSet::new();
        for role in &self.roles {
            if let Role::Secretariat { cluster } | Role::Supervisor { cluster } = role {
                out.insert(cluster.clone());
            }
        }
        for (id, c) in &state.clusters {
            if c.years
                .values()
                .any(|y| y.members.iter().any(|m| own.contains(m)))
            {
                out.insert(id.clone());
            }
        }
        out
    }

    pub fn can_view_cluster(&self, state: &State, cluster: &ClusterId) -> bool {
        self.is_admin() || self.visible_clusters(state).contains(cluster)
    }

    /// Units the user may read: their own, every member of a visible cluster in any year, and
    /// the lineage (predecessors and successors) of all of these.
    pub fn visible_units(&self, state: &State) -> BTreeSet<UnitId> {
        if self.is_admin() {
            return state.units.keys().cloned().collect();
        }
        let far = chrono::NaiveDate::MAX;
        let mut out = BTreeSet::new();
        for u in self.own_units() {
            out.insert(u.clone());
            out.extend(state.lineage_closure(u, far));
            out.extend(state.successors(u, far));
        }
        for c in self.visible_clusters(state) {
            if let Some(cs) = state.clusters.get(&c) {
                for y in cs.years.values() {
                    out.extend(y.members.iter().cloned());
                }
            }
        }
        // The units a visible unit came from or went into: a unit page's lineage links are
        // never dead ends (names and dates only; nothing else about them is revealed).
        let mut frontier: Vec<UnitId> = out.iter().cloned().collect();
        while let Some(u) = frontier.pop() {
            for n in state
                .predecessors(&u, far)
                .into_iter()
                .chain(state.successors(&u, far))
            {
                if out.insert(n.clone()) {
                    frontier.push(n);
                }
            }
        }
        out
    }

    pub fn can_view_unit(&self, state: &State, unit: &UnitId) -> bool {
        self.is_admin() || self.visible_units(state).contains(unit)
    }

    /// A unit's administration page and user list: the unit itself and administrators only.
    pub fn can_admin_unit(&self, unit: &UnitId) -> bool {
        self.is_admin() || self.own_units().contains(unit)
    }

    pub fn can_view_covenant(&self, state: &State, covenant: &Covenant) -> bool {
        self.can_view_cluster(state, &covenant.cluster)
    }

    /// Whether the user may see `other`'s account (name and roles).
    pub fn can_view_user(&self, state: &State, other: &UserId) -> bool {
        if self.is_admin() || other == &self.user {
            return true;
        }
        let Some(u) = state.users.get(other) else {
            return false;
        };
        let own = self.own_units();
        u.roles.iter().any(|r| match r {
            Role::Officer { unit } | Role::Leader { unit } => own.contains(unit),
            _ => false,
        })
    }

    /// What the user may see, computed once (for filtering many events).
    pub fn visibility(&self, state: &State) -> Visibility {
        Visibility {
            admin: self.is_admin(),
            clusters: self.visible_clusters(state),
            units: self.visible_units(state),
        }
    }

    /// Whether an event is visible in the history.
    pub fn can_view_event(&self, state: &State, event: &Event) -> bool {
        self.can_view_event_with(state, &self.visibility(state), event)
    }

    /// [`can_view_event`](Self::can_view_event) with the visibility computed beforehand.
    pub fn can_view_event_with(&self, state: &State, vis: &Visibility, event: &Event) -> bool {
        if vis.admin {
            return true;
        }
        let cluster_ok = |c: &ClusterId| vis.clusters.contains(c);
        let covenant_ok = |id| {
            state
                .covenants
                .get(id)
                .is_some_and(|c| vis.clusters.contains(&c.cluster))
        };
        match &event.payload {
            Payload::UserRegistered { user, .. } => self.can_view_user(state, user),
            Payload::RoleGranted { role, .. } | Payload::RoleRevoked { role, .. } => match role {
                Role::Officer { unit } | Role::Leader { unit } => self.can_admin_unit(unit),
                Role::Secretariat { cluster } | Role::Supervisor { cluster } => {
                    self.managed_clusters().contains(cluster)
                }
                Role::Admin => false,
            },
            Payload::UnitCreated { unit, .. } | Payload::UnitRenamed { unit, .. } => {
                vis.units.contains(unit)
            }
            Payload::LineageRecorded(change) => change
                .predecessors
                .iter()
                .chain(&change.successors)
                .any(|u| vis.units.contains(u)),
            Payload::ClusterCreated { cluster, .. }
            | Payload::ClusterYearSet { cluster, .. }
            | Payload::ClusterLeadershipSet { cluster, .. }
            | Payload::CovenantDrafted { cluster, .. } => cluster_ok(cluster),
            Payload::MovementCreated { .. } | Payload::WitnessPolicySet { .. } => true,
            Payload::CovenantDraftAmended { covenant, .. }
            | Payload::CovenantDraftWithdrawn { covenant, .. }
            | Payload::CovenantSigned { covenant, .. }
            | Payload::CovenantFrozen { covenant, .. } => covenant_ok(covenant),
            Payload::Vote(vote) => vote.cluster(state).is_some_and(cluster_ok),
            // Kinds added later: visible through the unit they concern, else administrators only.
            #[allow(unreachable_patterns)]
            other => other.unit().is_some_and(|u| vis.units.contains(u)),
        }
    }
}
