//! The domain of Thi Đua: units and their lineage, clusters, movements, covenants and roles.
//!
//! Pure: no IO, no async, no database, no clock. A [`Command`] is checked by [`decide`] against
//! the [`State`] and the actor's roles and yields [`Payload`]s; the caller wraps them in
//! [`Event`] envelopes (index, time, actor, salt) and appends them; [`State::apply`] folds them.
#![forbid(unsafe_code)]

pub mod calendar;
pub mod command;
pub mod error;
pub mod event;
pub mod ids;
pub mod model;
pub mod state;
pub mod text;

pub use command::{decide, Command};
pub use error::DomainError;
pub use event::{canonical_json, Actor, Event, Payload, EVENT_FORMAT};
pub use ids::{ClusterId, CovenantId, MovementId, TargetId, UnitId, UserId};
pub use state::State;
pub use text::Text;
