//! The results and their explanation trace: for every unit and criterion, the figures used (with
//! period, dates and source row), intermediate values, the branch of the scale that applied, the
//! points and the rounding. Everything here serialises to JSON (numbers as exact strings).
use crate::ast::{Aggregation, RoundMode};
use crate::exact::Exact;
use crate::period::{PeriodKey, Window};
use rust_decimal::Decimal;
use serde::Serialize;

/// A number (exact: a decimal string, or a fraction `p/q` when it has no finite decimal form)
/// or a yes/no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Val {
    Num(Exact),
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
    Predecessors { parts: Vec<(String, Exact)> },
    /// The regulation's declared value for a missing figure.
    Declared {
        reason_vi: String,
        reason_en: String,
        /// Why the figure is absent, for a reader that names things in its own words.
        #[serde(skip)]
        cause: Option<Box<crate::engine::EvalError>>,
    },
}

/// One step of an explanation. Texts ending in `_vi` are plain Vietnamese for people; `expr`
/// fields keep the regulation's own notation for tools.
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
        value: Exact,
        source: Source,
    },
    Indicator {
        id: String,
        name: String,
        measure: Option<String>,
        period: Window,
        expr: String,
        expr_vi: String,
        value: Val,
    },
    ZeroDivision {
        indicator: String,
        name: String,
        declared: Exact,
    },
    /// A comparison inside a condition, with both values it compared.
    Compare {
        left: String,
        left_vi: String,
        left_value: Val,
        op: &'static str,
        right: String,
        right_vi: String,
        right_value: Val,
        holds: bool,
    },
    Value {
        expr: String,
        expr_vi: String,
        value: Val,
    },
    Scale {
        kind: &'static str,
        branch_vi: String,
        branch_en: String,
        points: Exact,
    },
    Manual {
        score: Option<Exact>,
        row: Option<u32>,
    },
    Fallback {
        reason_vi: String,
        reason_en: String,
        points: Exact,
    },
    Sum {
        parts: usize,
        points: Exact,
    },
    Cap {
        what_vi: String,
        what_en: String,
        before: Exact,
        after: Exact,
    },
    Rounding {
        before: Exact,
        after: Exact,
        places: u32,
        mode: RoundMode,
    },
    Error {
        message_vi: String,
        message_en: String,
        /// What went wrong, for a reader that names units, elements and windows in its own words
        /// (the server); not serialised, the messages are the record.
        #[serde(skip)]
        cause: Option<Box<crate::engine::EvalError>>,
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
    pub points: Option<Exact>,
    /// The value the criterion's scale was applied to, or its condition (leaf criteria).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Val>,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<Step>,
}

/// Result for a bonus or penalty item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    pub id: Text,
    pub name: Text,
    pub area: Option<Text>,
    pub value: Option<Exact>,
    pub points: Option<Exact>,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
    /// The quotas that moved the unit down, in order (present when `demoted_by_quota`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quotas: Vec<QuotaNote>,
    /// The cluster head's recorded decision on the tie at the cut-off (data `@kept:BAND`):
    /// present for every unit of that tie, kept in the band or moved down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoff_decision: Option<CutoffDecision>,
}

/// A recorded decision on units tied exactly at a band's quota cut-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CutoffDecision {
    pub band: String,
    pub band_name: String,
    /// Whether this unit is one the decision keeps in the band.
    pub kept: bool,
    /// The log index at which the decision is recorded.
    pub decision: u64,
}

/// The quota that moved a unit down from a band: at most `quota_pct`% of the `ranked` units
/// (`allowed`, rounded down) may be in band `band`; the unit is at `rank`, after them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaNote {
    pub band: String,
    pub band_name: String,
    /// The band the unit moved to.
    pub to_band_name: String,
    pub quota_pct: Decimal,
    pub ranked: usize,
    pub allowed: usize,
    /// Units the total alone places in the band.
    pub reaching: usize,
    pub rank: u32,
}

/// How a tie on the total with a neighbouring unit was settled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieNote {
    /// The other unit (id, name) and its rank.
    pub other: String,
    pub other_name: Option<String>,
    pub other_rank: u32,
    /// The shared total.
    pub total: Exact,
    /// The keys compared in order, each with both values (ours first).
    pub compared: Vec<TieKeyValues>,
    /// `above` (this unit ranks before the other), `below`, or `shared` (equal on every key).
    pub outcome: TieOutcome,
}

/// One tie-break key with both units' values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieKeyValues {
    /// An area or criterion id, `bonus` or `penalty`.
    pub key: String,
    pub name_vi: String,
    pub ours: Exact,
    pub theirs: Exact,
    /// `true` for penalty: fewer wins.
    pub lower_wins: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieOutcome {
    Above,
    Below,
    Shared,
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
    pub bonus_total: Option<Exact>,
    pub penalty_total: Option<Exact>,
    pub total: Option<Exact>,
    /// When only manual criteria are not scored yet: the total of what is scored so far
    /// (a mid-year snapshot; never used for ranking).
    pub provisional_total: Option<Exact>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub total_trace: Vec<Step>,
    pub rank: Option<u32>,
    pub band: Option<BandResult>,
    /// Ties on the total with the units just above and below, and how they were settled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ties: Vec<TieNote>,
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
