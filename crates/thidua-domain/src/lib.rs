//! The domain of Thi Đua: units and their lineage, clusters, movements, covenants and roles.
//!
//! Pure: no IO, no async, no database, no clock. A [`Command`] is checked by [`decide`] against
//! the [`State`] and the actor's roles and yields [`Payload`]s; the caller wraps them in
//! [`Event`] envelopes (index, time, actor, salt) and appends them; [`State::apply`] folds them,
//! checking again that the actor was authorised and that each event fits. The log's bytes are
//! [`wire`]'s business: versioned per event kind, decoded forever.
#![forbid(unsafe_code)]

pub mod authz;
pub mod calendar;
pub mod command;
pub mod covenant;
pub mod documents;
pub mod engine_data;
pub mod error;
pub mod event;
pub mod explanations;
pub mod figures;
pub mod history;
pub mod holidays;
pub mod ids;
pub mod integrity;
pub mod lineage;
pub mod midyear;
pub mod model;
pub mod org;
pub mod parallel;
pub mod progress;
pub mod state;
pub mod succession;
pub mod synth;
pub mod target;
pub mod text;
pub mod votes;
pub mod wire;
pub mod witness;
pub mod wording;
pub mod yearend;

pub use command::{decide, decide_and_apply, Command};
pub use error::DomainError;
pub use event::{Actor, Event, Payload, EVENT_KINDS};
pub use ids::{ClusterId, CovenantId, ElectionId, MovementId, TargetId, UnitId, UserId};
pub use state::State;
pub use text::Text;
pub use wire::{canonical_json, DecodeError};
