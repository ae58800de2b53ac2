//! Thi Đua scoring: the regulation language ("quy định chấm điểm") and an exact, explained, fast
//! scoring engine. Pure: no file or network IO, no async, no binary floats on the scoring path —
//! every number is a [`rust_decimal::Decimal`], so the same inputs give byte-identical results on
//! every machine.
//!
//! Flow: [`compile()`] a regulation text once → load a [`Dataset`] → [`CompiledRegulation::evaluate_all`]
//! → render explanations ([`render`]) or a workbook ([`workbook`]).
#![forbid(unsafe_code)]

pub mod ast;
pub mod compile;
pub mod data;
pub mod diag;
pub mod engine;
pub mod explain;
pub mod num;
pub mod period;
pub mod render;
pub mod syntax;
pub mod synth;
pub mod workbook;

pub use compile::{canonical_form, canonical_hash, compile, CompiledRegulation};
pub use data::{DataError, Dataset};
pub use diag::{Diagnostic, Diagnostics};
pub use engine::EvalOptions;
pub use explain::{Scoreboard, UnitResult};
pub use period::{PeriodKey, PeriodKind, Window};
