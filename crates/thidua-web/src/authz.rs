//! Authorisation of reads and of pages: who may see which cluster, unit, covenant, user list and
//! event. Authorisation of commands stays in `thidua_domain::decide`; this module never grants
//! anything `decide` would refuse, and every route asks it before showing data.
//!
//! Scopes: an administrator sees everything but the units' drafts (below); a cluster secretariat or supervisor sees its
//! cluster, the cluster's member units and covenants; the Ministry's supervisor of every
//! cluster (`Role::MinistrySupervisor`, read-only) reads each cluster as its supervisor does
//! ([`Scope::serves`]), clusters created later included; a unit officer or leader sees their unit,
//! the clusters it belongs to (any year) and those clusters' members and covenants; everyone sees
//! the units linked by mergers and splits to a unit they see, the movements, and who the
//! administrators are. A unit's administration pages and user list (its accounts and roles) are
//! visible only to the unit itself and to administrators. The log is wider, on purpose: the
//! registration and role grants (and revocations) of whoever holds or held an office whose acts
//! a member may read — a leader or officer of a unit it sees, the secretariat or supervisor of a
//! cluster it sees, an administrator — are readable by every officer and leader of a member unit
//! of those clusters (and by their secretariat and supervisors), so that a member replaying the log finds who was authorised to act in its
//! cluster ([`Scope::can_read_user_events`]).
//!
//! Events follow the same rules, and what a member may read of the log is closed under what
//! replaying it needs: every event it may read finds the units, clusters, covenants, movements
//! and users it refers to among the events it may read. So a member unit replays, from the log
//! alone, everything about its clusters: set-up (entry 0, the administrators), units and their
//! lineage, memberships, head and deputy, covenants, versions, signatures. A unit's figures
//! before approval (drafts, submissions) are visible to the unit itself only, administrators
//! included ([`Scope::reads_unit_draft`], as a year-end dossier's drafts); the approved
//! revision (its save, its submission, its approval) and reopenings of an approved report to the
//! whole cluster (its members, secretariat and supervisor), who replay them with the drafts'
//! revisions skipped (`State::figures_published`, `State::apply_readable`). The year-end
//! review's events follow [`yearend`]'s rules; integrity flags, [`flags`]'s. Who may send a
//! write at all, before its fields are read, is [`writes`]'s.
//!
//! One exception to that closure, on purpose: every witness key registration and witness policy
//! is readable by every signed-in member, whichever unit it names, and so is every merger or
//! split that ends a unit with a witness key (from its index the key no longer counts), because
//! the quorum a checkpoint needs depends on all of them and every reader (the public endpoint,
//! the pages, a member's `thidua verify`) must compute the same one. A member who does not see
//! the units (or the leader's role) folds such an event without those checks
//! (`thidua_domain::witness`); the keys themselves are public at `/api/v1/log/witnesses`
//! anyway, and mergers are public decisions.

mod documents;
mod flags;
pub mod writes;
mod yearend;

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

impl Visibility {
    /// Whether the cluster (and so its covenants) is visible.
    pub fn sees_cluster(&self, cluster: &ClusterId) -> bool {
        self.admin || self.clusters.contains(cluster)
    }
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

    /// Units whose officer the user is: the units whose figures the user enters and submits
    /// (a leader approves them, `thidua_domain::figures` decides so).
    pub fn reporting_units(&self) -> BTreeSet<&UnitId> {
        self.roles
            .iter()
            .filter_map(|r| match r {
                Role::Officer { unit } => Some(unit),
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

    /// Whether the user serves `cluster` as its secretariat or supervisor, or supervises every
    /// cluster for the Ministry (not for an administrator as such).
    pub fn serves(&self, cluster: &ClusterId) -> bool {
        self.supervises_all() || self.serves_by_name(cluster)
    }

    /// Whether the user serves `cluster` through a role that names it (its secretariat or
    /// supervisor): the clusters whose to-dos the home page lists (a Ministry-wide supervisor
    /// follows every cluster from the progress overview instead).
    pub fn serves_by_name(&self, cluster: &ClusterId) -> bool {
        self.roles.iter().any(|r| match r {
            Role::Secretariat { cluster: c } | Role::Supervisor { cluster: c } => c == cluster,
            _ => false,
        })
    }

    /// Whether the user supervises every cluster for the Ministry (read-only).
    pub fn supervises_all(&self) -> bool {
        self.roles.contains(&Role::MinistrySupervisor)
    }

    /// Whether the user manages `cluster`: its secretariat, or an administrator. The one test
    /// the pages use to offer a cluster's management forms (the domain decides the commands).
    pub fn manages(&self, cluster: &ClusterId) -> bool {
        self.is_admin() || self.managed_clusters().contains(cluster)
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
        if self.is_admin() || self.supervises_all() {
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

    /// Units the user may read: their own, every member of a visible cluster in any year, every
    /// unit linked to those through mergers and splits (both ways, transitively), so that each
    /// lineage change they may read names only units they may read, and the parents of all of
    /// these (up to the Ministry, the log's first unit).
    pub fn visible_units(&self, state: &State) -> BTreeSet<UnitId> {
        if self.is_admin() {
            return state.units.keys().cloned().collect();
        }
        let mut out: BTreeSet<UnitId> = self.own_units().into_iter().cloned().collect();
        for c in self.visible_clusters(state) {
            if let Some(cs) = state.clusters.get(&c) {
                for y in cs.years.values() {
                    out.extend(y.members.iter().cloned());
                }
            }
        }
        loop {
            let before = out.len();
            // Withdrawn records too: their events stay readable and name their units.
            for record in &state.lineage {
                let change = &record.change;
                let units = || change.predecessors.iter().chain(&change.successors);
                if units().any(|u| out.contains(u)) {
                    out.extend(units().cloned());
                }
            }
            let parents: Vec<UnitId> = out
                .iter()
                .filter_map(|u| state.units.get(u)?.parent.clone())
                .collect();
            out.extend(parents);
            if out.len() == before {
                return out;
            }
        }
    }

    /// Replays the events this user may read, in log order, into an empty state — what a member
    /// can rebuild from `/api/v1/log/entries`. Each event keeps its index (the state skips the
    /// gaps, `State::apply_readable`); the returned list gives the indices folded. An error
    /// names the first readable event that needed something the user may not read (a breach of
    /// the closure the module promises).
    pub fn replay_readable(
        &self,
        state: &State,
        events: impl IntoIterator<Item = Event>,
    ) -> Result<(State, Vec<u64>), (u64, thidua_domain::DomainError)> {
        let vis = self.visibility(state);
        let mut rebuilt = State::default();
        let mut folded = Vec::new();
        for event in events {
            if !self.can_view_event_with(state, &vis, &event) {
                continue;
            }
            rebuilt
                .apply_readable(&event)
                .map_err(|e| (event.index, e))?;
            folded.push(event.index);
        }
        Ok((rebuilt, folded))
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

    /// Whether the user may see `other`'s account (name and roles): themselves, the people of
    /// their own units, and the administrators (whom every member must be able to hold to
    /// account: their registration and grant open the log).
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
            Role::Admin => true,
            _ => false,
        })
    }

    /// Whether the log's events about `other` (registration, role grants and revocations) are
    /// readable: the accounts the user may see ([`Self::can_view_user`]), and whoever ever held
    /// an office whose acts the user may read ([`office_visible`]) — a leader *or officer* of
    /// any visible unit (every member of every cluster the user's units belong to, in any year,
    /// and the units linked to them), the secretariat or supervisor of a visible cluster, an
    /// administrator. So any officer or leader of a member unit reads the registration of every
    /// officer and leader of its clusters' units, and (by `can_view_event_with`) their grants
    /// of those offices: intended, since a member replaying the log must find the grant that
    /// allowed each act it reads. The unit's administration pages stay the unit's own
    /// ([`Self::can_admin_unit`]).
    pub fn can_read_user_events(&self, state: &State, vis: &Visibility, other: &UserId) -> bool {
        if vis.admin || self.can_view_user(state, other) {
            return true;
        }
        state
            .users
            .get(other)
            .is_some_and(|u| u.roles_held.iter().any(|r| office_visible(vis, r)))
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
        if let Some(readable) = self.reads_unit_draft(state, vis, event) {
            return readable;
        }
        if vis.admin {
            return true;
        }
        let cluster_ok = |c: &ClusterId| vis.sees_cluster(c);
        let covenant_ok = |id| {
            state
                .covenants
                .get(id)
                .is_some_and(|c| vis.sees_cluster(&c.cluster))
        };
        match &event.payload {
            // A reset is read by whoever reads the account: the holder learns of it too.
            Payload::UserRegistered { user, .. } | Payload::PasswordReset { user } => {
                self.can_read_user_events(state, vis, user)
            }
            // A grant is readable with its holder's registration, never without it.
            Payload::RoleGranted { user, role } | Payload::RoleRevoked { user, role } => {
                self.can_read_user_events(state, vis, user)
                    && (office_visible(vis, role)
                        || match role {
                            Role::Officer { unit } | Role::Leader { unit } => {
                                self.can_admin_unit(unit)
                            }
                            Role::Secretariat { cluster } | Role::Supervisor { cluster } => {
                                self.managed_clusters().contains(cluster)
                            }
                            Role::Admin | Role::MinistrySupervisor => true,
                        })
            }
            Payload::UnitCreated { unit, .. } | Payload::UnitRenamed { unit, .. } => {
                vis.units.contains(unit)
            }
            // The end of a witness's unit changes the quorum: every member reads it.
            Payload::LineageRecorded(change)
            | Payload::LineageWithdrawn(thidua_domain::lineage::LineageWithdrawn {
                change, ..
            }) => {
                change
                    .predecessors
                    .iter()
                    .chain(&change.successors)
                    .any(|u| vis.units.contains(u))
                    || thidua_domain::witness::ceased_units(change)
                        .any(|u| state.witness_keys.contains_key(u))
            }
            Payload::ClusterCreated { cluster, .. }
            | Payload::ClusterYearSet { cluster, .. }
            | Payload::ClusterLeadershipSet { cluster, .. }
            | Payload::CovenantDrafted { cluster, .. }
            | Payload::DocumentIssued { cluster, .. } => cluster_ok(cluster),
            // The witness set: every member computes the quorum from all of it (see the
            // module's note on the one exception to the closure).
            Payload::MovementCreated { .. }
            | Payload::WitnessPolicySet { .. }
            | Payload::WitnessKeyRegistered { .. }
            | Payload::HolidaysDeclared(_) => true,
            Payload::FiguresSaved { .. }
            | Payload::FiguresSubmitted { .. }
            | Payload::FiguresReopened { .. } => unreachable!("answered by reads_unit_draft"),
            // Approvals, corrections, deadlines, rules and historical imports: the cluster.
            Payload::FiguresApproved { covenant, .. }
            | Payload::FiguresDeadlineSet { covenant, .. }
            | Payload::FiguresRulesSet { covenant, .. }
            | Payload::HistoricalImportRecorded { covenant, .. }
            | Payload::HistoricalFiguresRecorded { covenant, .. } => covenant_ok(covenant),
            Payload::CovenantDraftAmended { covenant, .. }
            | Payload::CovenantDraftWithdrawn { covenant, .. }
            | Payload::CovenantSigned { covenant, .. }
            | Payload::CovenantFrozen { covenant, .. } => covenant_ok(covenant),
            Payload::Vote(vote) => vote.cluster(state).is_some_and(cluster_ok),
            Payload::YearEnd(e) => self.can_view_yearend(state, vis, e),
            // The mid-year review is published to the cluster (members, supervisor).
            Payload::MidyearReviewFrozen(e) => covenant_ok(&e.covenant),
            // An explanation goes with its flag: whoever may read the unit's flags.
            Payload::FlagExplained(e) => state
                .covenants
                .get(&e.covenant)
                .is_some_and(|c| self.reads_flags(state, c, &e.unit)),
            // Kinds added later: visible through the unit they concern, else administrators only.
            #[allow(unreachable_patterns)]
            other => other.unit().is_some_and(|u| vis.units.contains(u)),
        }
    }
}

impl Scope {
    /// What a unit keeps to itself until it publishes it, for everyone (administrators too, as
    /// on the figures and year-end pages): a report's revisions (the unit; the cluster once its
    /// leader approved them) and a year-end dossier's drafts (the unit only; the submission
    /// carries the dossier). `None` for every other event.
    fn reads_unit_draft(&self, state: &State, vis: &Visibility, event: &Event) -> Option<bool> {
        let own = |unit: &UnitId| self.own_units().contains(unit);
        match &event.payload {
            Payload::FiguresSaved { unit, covenant, .. }
            | Payload::FiguresSubmitted { unit, covenant, .. }
            | Payload::FiguresReopened { unit, covenant, .. } => Some(
                own(unit)
                    || (state.figures_published(event)
                        && state
                            .covenants
                            .get(covenant)
                            .is_some_and(|c| vis.sees_cluster(&c.cluster))),
            ),
            Payload::YearEnd(thidua_domain::yearend::YearEndEvent::DossierSaved(d)) => {
                Some(own(&d.unit))
            }
            _ => None,
        }
    }
}

/// Offices whose holders act in the open for those who see the unit or cluster: a unit's
/// leader (signs, approves figures) and officers (whose saved figures are published once
/// approved), a cluster's secretariat and supervisor, administrators.
fn office_visible(vis: &Visibility, role: &Role) -> bool {
    match role {
        Role::Leader { unit } | Role::Officer { unit } => vis.units.contains(unit),
        Role::Secretariat { cluster } | Role::Supervisor { cluster } => {
            vis.clusters.contains(cluster)
        }
        Role::Admin | Role::MinistrySupervisor => true,
    }
}

/// Commands and what the viewer may see: a command that names a cluster, unit, covenant or user
/// the viewer may not see is answered exactly as if that thing did not exist — the same status,
/// code and message the domain gives for a missing one — so that no command (whatever its kind)
/// reveals a hidden thing, its cluster, year or versions. Generic over commands: the references
/// are found by their field names in the command's JSON form (`unit`, `parent`, `members`,
/// `predecessors`, `successors`, `cluster`, `covenant`, `election`, `user`, also inside roles), each hidden
/// one is swapped for an id that exists nowhere, and `decide` is asked (a dry run, nothing is
/// written) what it makes of that.
pub mod commands {
    use rand_core::RngCore;
    use serde_json::Value;
    use thidua_domain::ids::ElectionId;
    use thidua_domain::{Actor, ClusterId, Command, CovenantId, State, UnitId, UserId};

    use super::{Scope, Visibility};
    use crate::error::{domain_status, ApiError};

    /// What a field of a command refers to.
    #[derive(Clone, Copy)]
    enum Kind {
        Unit,
        Cluster,
        Covenant,
        Election,
        User,
    }

    fn kind_of(field: &str) -> Option<Kind> {
        match field {
            "unit" | "parent" | "members" | "predecessors" | "successors" => Some(Kind::Unit),
            "cluster" => Some(Kind::Cluster),
            "covenant" => Some(Kind::Covenant),
            "election" => Some(Kind::Election),
            "user" => Some(Kind::User),
            _ => None,
        }
    }

    /// Whether `id` (of `kind`) exists and the viewer may not see it.
    fn hidden(scope: &Scope, state: &State, vis: &Visibility, kind: Kind, id: &str) -> bool {
        match kind {
            Kind::Unit => UnitId::parse(id)
                .is_ok_and(|u| state.units.contains_key(&u) && !vis.units.contains(&u)),
            Kind::Cluster => ClusterId::parse(id)
                .is_ok_and(|c| state.clusters.contains_key(&c) && !vis.clusters.contains(&c)),
            Kind::Covenant => CovenantId::parse(id).is_ok_and(|c| {
                state
                    .covenants
                    .get(&c)
                    .is_some_and(|cov| !vis.clusters.contains(&cov.cluster))
            }),
            Kind::Election => ElectionId::parse(id).is_ok_and(|e| {
                state
                    .elections
                    .get(&e)
                    .is_some_and(|election| !vis.clusters.contains(&election.cluster))
            }),
            Kind::User => UserId::parse(id)
                .is_ok_and(|u| state.users.contains_key(&u) && !scope.can_view_user(state, &u)),
        }
    }

    /// An id that no cluster, unit, covenant or user has.
    fn nowhere(state: &State) -> String {
        loop {
            let mut bytes = [0u8; 8];
            rand_core::OsRng.fill_bytes(&mut bytes);
            let id = format!("hidden.{}", hex::encode(bytes));
            let taken = UnitId::parse(&id).is_ok_and(|u| state.units.contains_key(&u))
                || UserId::parse(&id).is_ok_and(|u| state.users.contains_key(&u))
                || ElectionId::parse(&id).is_ok_and(|e| state.elections.contains_key(&e));
            if !taken {
                return id;
            }
        }
    }

    /// Swaps hidden references in `value` for fresh ids, remembering (fresh, original) pairs.
    fn hide(
        value: &mut Value,
        field: Option<Kind>,
        check: &dyn Fn(Kind, &str) -> bool,
        fresh: &dyn Fn() -> String,
        swapped: &mut Vec<(String, String)>,
    ) {
        match value {
            Value::String(s) if field.is_some_and(|k| check(k, s)) => {
                let id = fresh();
                swapped.push((id.clone(), std::mem::replace(s, id)));
            }
            Value::Array(items) => {
                for item in items {
                    hide(item, field, check, fresh, swapped);
                }
            }
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    hide(v, kind_of(key), check, fresh, swapped);
                }
            }
            _ => {}
        }
    }

    /// Whether `command` binds a unit or the cluster in a way that asks for the password again
    /// whoever sends it and however (page, API, token): a signature, a paper count recorded or
    /// confirmed, a tie decided. Such a command runs only for a viewer whose request re-entered
    /// the password ([`crate::auth::PasswordRechecked`]), so an unattended session or a token
    /// taken from one cannot sign.
    pub fn binding(command: &Command) -> bool {
        use thidua_domain::votes::VoteCommand as V;
        matches!(
            command,
            Command::SignCovenant { .. }
                | Command::Vote(
                    V::RecordPaperCount { .. } | V::ConfirmPaperCount { .. } | V::DecideTie { .. }
                )
        )
    }

    /// The answer to `command` when it names something the viewer may not see (see the module);
    /// `None` when it names nothing hidden, or when it would pass with the hidden things
    /// missing (a new id that happens to be taken: the domain's own answer is then given).
    /// Judged at `now_ms`, the log's clock.
    pub fn hidden_answer(
        scope: &Scope,
        state: &State,
        actor: &Actor,
        now_ms: i64,
        command: &Command,
    ) -> Option<ApiError> {
        if scope.is_admin() {
            return None;
        }
        let vis = scope.visibility(state);
        let mut value = serde_json::to_value(command).ok()?;
        let mut swapped = Vec::new();
        hide(
            &mut value,
            None,
            &|kind, id| hidden(scope, state, &vis, kind, id),
            &|| nowhere(state),
            &mut swapped,
        );
        if swapped.is_empty() {
            return None;
        }
        let stand_in: Command = serde_json::from_value(value).ok()?;
        let error = crate::api::dry_run(state, actor, now_ms, stand_in).err()?;
        let message = swapped
            .iter()
            .fold(error.to_string(), |m, (fresh, original)| {
                m.replace(fresh, original)
            });
        Some(ApiError::new(domain_status(&error), error.code(), message))
    }
}
