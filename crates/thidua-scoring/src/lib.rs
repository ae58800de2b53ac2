//! Thi Đua scoring: the regulation language ("quy định chấm điểm") and an exact, explained, fast
//! scoring engine. Pure: no file or network IO, no async, no binary floats on the scoring path —
//! figures are exact decimals and every computation is an exact rational ([`Exact`]) rounded
//! once, from its true value, so the same inputs give byte-identical results on every machine.
//!
//! Flow: [`compile()`] a regulation text once → load a [`Dataset`] → [`CompiledRegulation::evaluate_all`]
//! → render explanations ([`render`]) or a workbook ([`workbook`]).
#![forbid(unsafe_code)]

pub mod ast;
pub mod compile;
pub mod data;
pub mod diag;
pub mod engine;
pub mod exact;
pub mod explain;
pub mod input;
pub mod num;
pub mod period;
mod rank;
pub mod render;
pub mod syntax;
pub mod synth;
pub(crate) mod words;
pub mod workbook;

pub use compile::{canonical_form, canonical_hash, compile, CompiledRegulation, ItemMeasure};
pub use data::{DataError, Dataset};
pub use diag::{Diagnostic, Diagnostics};
pub use engine::{EngineError, EvalOptions};
pub use exact::Exact;
pub use explain::{Scoreboard, UnitResult};
pub use period::{PeriodKey, PeriodKind, Window};
