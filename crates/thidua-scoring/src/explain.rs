//! The results and their explanation trace: for every unit and criterion, the figures used (with
//! period, dates and source row), intermediate values, the branch of the scale that applied, the
//! points and the rounding. Everything here serialises to JSON (numbers as exact strings).
use crate::ast::{Aggregation, RoundMode};
use crate::period::{PeriodKey, Window};
use rust_decimal::Decimal;
use serde::Serialize;

/// A number or a yes/no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Val {
    Num(Decimal),
    Bool(bool),
}

/// Where a figure came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A row giving exactly this window.
    Direct { row: u32 },
    /// Monthly rows aggregated.
    Months {
        months: u8,
        first_row: u32,
        last_row: u32,
    },
    /// Sum of the predecessors' figures (lineage).
    Predecessors { parts: Vec<(String, Decimal)> },
    /// The regulation's declared value for a missing figure.
    Declared {
        reason_vi: String,
        reason_en: String,
    },
}

/// One step of an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Figure {
        element: String,
        name: String,
        measure: Option<String>,
        unit: String,
        period: Window,
        from: String,
        to: String,
        aggregation: Aggregation,
        value: Decimal,
        source: Source,
    },
    Indicator {
        id: String,
        name: String,
        period: Window,
        expr: String,
        value: Val,
    },
    ZeroDivision {
        indicator: String,
        declared: Decimal,
    },
    Value {
        expr: String,
        value: Val,
    },
    Scale {
        kind: &'static str,
        branch_vi: String,
        branch_en: String,
        points: Decimal,
    },
    Manual {
        score: Option<Decimal>,
        row: Option<u32>,
    },
    Fallback {
        reason_vi: String,
        reason_en: String,
        points: Decimal,
    },
    Sum {
        parts: usize,
        points: Decimal,
    },
    Cap {
        what_vi: String,
        what_en: String,
        before: Decimal,
        after: Decimal,
    },
    Rounding {
        before: Decimal,
        after: Decimal,
        places: u32,
        mode: RoundMode,
    },
    Error {
        message_vi: String,
        message_en: String,
    },
}

/// Outcome of one criterion, item or unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Computed.
    Scored,
    /// Computed with an outcome the regulation declares for a failure (e.g. `on_error`).
    Fallback,
    /// A manual criterion not scored yet ("chưa chấm").
    NotScored,
    /// Cannot be computed; see the trace.
    Error,
}

/// Shared, immutable text (ids and names repeated in every unit's result).
pub type Text = std::sync::Arc<str>;

/// Result for an area or criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeResult {
    pub id: Text,
    pub name: Text,
    /// 0 = area.
    pub depth: usize,
    pub max_points: Decimal,
    pub points: Option<Decimal>,
    pub status: Status,
    pub trace: Vec<Step>,
}

/// Result for a bonus or penalty item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    pub id: Text,
    pub name: Text,
    pub area: Option<Text>,
    pub value: Option<Decimal>,
    pub points: Option<Decimal>,
    pub status: Status,
    pub trace: Vec<Step>,
}

/// Classification of a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandResult {
    pub id: String,
    pub name: String,
    /// The band the total alone reaches (id, then name).
    pub by_score: String,
    pub by_score_name: String,
    /// Moved down because the better band's quota was full.
    pub demoted_by_quota: bool,
    /// Tied with another unit exactly at a quota cut-off (the cluster head decides).
    pub tie_at_cutoff: bool,
}

/// Everything about one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitResult {
    pub unit: String,
    pub name: Option<String>,
    pub period: PeriodKey,
    pub status: Status,
    pub nodes: Vec<NodeResult>,
    pub bonuses: Vec<ItemResult>,
    pub penalties: Vec<ItemResult>,
    pub bonus_total: Option<Decimal>,
    pub penalty_total: Option<Decimal>,
    pub total: Option<Decimal>,
    /// When only manual criteria are not scored yet: the total of what is scored so far
    /// (a mid-year snapshot; never used for ranking).
    pub provisional_total: Option<Decimal>,
    pub total_trace: Vec<Step>,
    pub rank: Option<u32>,
    pub band: Option<BandResult>,
}

/// Results for all units of one period, in rank order (unranked units last, by id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scoreboard {
    pub regulation: String,
    /// SHA-256 of the canonical regulation text (hex).
    pub regulation_hash: String,
    pub period: PeriodKey,
    pub from: String,
    pub to: String,
    pub units: Vec<UnitResult>,
}

impl Scoreboard {
    /// The result of one unit.
    pub fn unit(&self, id: &str) -> Option<&UnitResult> {
        self.units.iter().find(|u| u.unit == id)
    }
}
