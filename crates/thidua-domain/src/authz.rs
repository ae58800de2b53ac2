//! Who may cause which event. One rule for every path: `decide` (through the state it applies
//! to), the replay at start-up and `thidua verify` all ask [`authorise_event`] before an event
//! changes the state, so a log whose actor lacked the role for an event is refused wherever it
//! is read.

use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::ids::{ClusterId, UnitId};
use crate::model::Role;
use crate::state::State;

/// What an actor is trying to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Set up the installation: users, roles, units, lineage, clusters, movements.
    Administer,
    /// Act as a cluster's secretariat: its years, leadership and covenants.
    ManageCluster(ClusterId),
    /// Act as a unit's leader: sign, approve, register the unit's witness key.
    LeadUnit(UnitId),
    /// Report a unit's figures: save and submit. Events: the unit's officers and leader (logs
    /// of earlier releases have leaders' saves); commands: its officers only, the leader
    /// approves (`figures::decide`).
    ReportFigures(UnitId),
    /// A consequence the rules produce by themselves (a covenant freezes when the last member
    /// signs); allowed for any known actor, the state decides whether it fits.
    Consequence,
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Permission::Administer => f.write_str("admin"),
            Permission::ManageCluster(c) => write!(f, "secretariat:{c}"),
            Permission::LeadUnit(u) => write!(f, "leader:{u}"),
            Permission::ReportFigures(u) => write!(f, "officer:{u}"),
            Permission::Consequence => f.write_str("any"),
        }
    }
}

/// Checks that `actor` holds `needed` in `state`. The operator (`Actor::System`) holds every
/// permission; an administrator sets up the installation and may act as any cluster's
/// secretariat, but acts for a unit — signs, reports, approves, votes, inspects — only through a
/// role in that unit: nobody speaks for a unit without being one of its people.
pub fn authorise(state: &State, actor: &Actor, needed: &Permission) -> Result<(), DomainError> {
    let user = match actor {
        Actor::System => return Ok(()),
        Actor::User(u) => state.users.get(u).ok_or(DomainError::Forbidden)?,
    };
    let admin = user.roles.contains(&Role::Admin);
    let allowed = match needed {
        Permission::Administer | Permission::ManageCluster(_) if admin => true,
        Permission::Administer => false,
        Permission::ManageCluster(c) => user
            .roles
            .contains(&Role::Secretariat { cluster: c.clone() }),
        Permission::LeadUnit(u) => user.roles.contains(&Role::Leader { unit: u.clone() }),
        Permission::ReportFigures(u) => {
            user.roles.contains(&Role::Officer { unit: u.clone() })
                || user.roles.contains(&Role::Leader { unit: u.clone() })
        }
        Permission::Consequence => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

/// The permission an event needs, read from the state just before it.
pub fn permission_for(state: &State, payload: &Payload) -> Result<Permission, DomainError> {
    use Payload as P;
    Ok(match payload {
        P::UserRegistered { .. }
        | P::RoleGranted { .. }
        | P::RoleRevoked { .. }
        | P::PasswordReset { .. }
        | P::UnitCreated { .. }
        | P::UnitRenamed { .. }
        | P::LineageRecorded(_)
        | P::LineageWithdrawn(_)
        | P::ClusterCreated { .. }
        | P::MovementCreated { .. }
        | P::WitnessPolicySet { .. }
        | P::HolidaysDeclared(_) => Permission::Administer,
        P::ClusterYearSet { cluster, .. }
        | P::ClusterLeadershipSet { cluster, .. }
        | P::CovenantDrafted { cluster, .. }
        | P::DocumentIssued { cluster, .. } => Permission::ManageCluster(cluster.clone()),
        P::CovenantDraftAmended { covenant, .. } | P::CovenantDraftWithdrawn { covenant, .. } => {
            Permission::ManageCluster(state.covenant(covenant)?.cluster.clone())
        }
        P::CovenantSigned { unit, .. } | P::WitnessKeyRegistered { unit, .. } => {
            Permission::LeadUnit(unit.clone())
        }
        P::CovenantFrozen { .. } => Permission::Consequence,
        P::FiguresSaved { unit, .. } | P::FiguresSubmitted { unit, .. } => {
            Permission::ReportFigures(unit.clone())
        }
        P::FiguresApproved { unit, .. } | P::FiguresReopened { unit, .. } => {
            Permission::LeadUnit(unit.clone())
        }
        P::FiguresDeadlineSet { covenant, .. }
        | P::FiguresRulesSet { covenant, .. }
        | P::HistoricalImportRecorded { covenant, .. }
        | P::HistoricalFiguresRecorded { covenant, .. } => {
            Permission::ManageCluster(state.covenant(covenant)?.cluster.clone())
        }
        P::Vote(vote) => crate::votes::permission_for(state, vote)?,
        P::YearEnd(e) => crate::yearend::permission(state, e)?,
        P::MidyearReviewFrozen(e) => {
            Permission::ManageCluster(state.covenant(&e.covenant)?.cluster.clone())
        }
        P::FlagExplained(e) => Permission::LeadUnit(e.unit.clone()),
    })
}

/// Checks that `actor` was allowed to cause `payload` in `state`; the error names what was
/// missing.
pub fn authorise_event(state: &State, actor: &Actor, payload: &Payload) -> Result<(), DomainError> {
    let needed = permission_for(state, payload)?;
    authorise(state, actor, &needed).map_err(|_| DomainError::Unauthorised {
        actor: actor.to_string(),
        kind: payload.kind(),
        needed: needed.to_string(),
    })
}
