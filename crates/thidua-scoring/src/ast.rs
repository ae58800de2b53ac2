//! The regulation's syntax tree, as read from the text (names not yet resolved). Offsets are
//! byte offsets into the NFC-normalised text, used for diagnostics.
use crate::period::PeriodKey;
use rust_decimal::Decimal;

/// Whether `s` is an id of the regulation's language (an element, an indicator, a criterion,
/// a band, a rule, a unit in a data file): an ASCII letter, then letters, digits or `_`, at
/// most 64 characters.
pub fn valid_id(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic())
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        && s.len() <= 64
}

/// A whole regulation document.
#[derive(Debug, Clone, PartialEq)]
pub struct Regulation {
    pub format: u32,
    pub name: String,
    pub description: Option<String>,
    pub year: i32,
    pub period: PeriodKey,
    /// Where the default period is written (the `year` when it is not): its diagnostics' place.
    pub period_pos: usize,
    pub baseline_year: Option<i32>,
    pub total: Decimal,
    pub total_pos: usize,
    pub bonus_cap: Option<Decimal>,
    pub penalty_cap: Option<Decimal>,
    pub tie_break: Vec<(String, usize)>,
    pub rounding: Rounding,
    pub elements: Vec<Element>,
    pub indicators: Vec<Indicator>,
    pub areas: Vec<Area>,
    pub criteria: Vec<Criterion>,
    pub bonuses: Vec<Item>,
    pub penalties: Vec<Item>,
    pub bands: Vec<Band>,
    /// Funnels the integrity flags watch; they never enter a score.
    pub funnels: Vec<Funnel>,
    /// Validation rules on one window's figures, checked when a report is submitted; they
    /// never enter a score.
    pub rules: Vec<Rule>,
}

impl Regulation {
    /// Written for `shift` years later (or earlier): its `year`, its default `period` and its
    /// `baseline_year` move together, as when next year's regulation starts from this one.
    pub fn move_years(&mut self, shift: i32) {
        self.year += shift;
        if let Some(p) = PeriodKey::new(self.period.year + shift, self.period.kind) {
            self.period = p;
        }
        self.baseline_year = self.baseline_year.map(|b| b + shift);
    }

    /// Every text a reader sees rewritten by `rename`: the regulation's name and description
    /// and the names of its elements, indicators, areas, criteria, bonus and penalty items,
    /// bands, funnels and rules (ids, expressions and checks are left alone). A copy for next
    /// year moves the years these names speak of ("so với năm 2023") this way.
    pub fn rename(&mut self, rename: impl Fn(&str) -> String) {
        self.name = rename(&self.name);
        if let Some(d) = &mut self.description {
            *d = rename(d);
        }
        let names = (self.elements.iter_mut().map(|x| &mut x.name))
            .chain(self.indicators.iter_mut().map(|x| &mut x.name))
            .chain(self.areas.iter_mut().map(|x| &mut x.name))
            .chain(self.criteria.iter_mut().map(|x| &mut x.name))
            .chain(self.bonuses.iter_mut().map(|x| &mut x.name))
            .chain(self.penalties.iter_mut().map(|x| &mut x.name))
            .chain(self.bands.iter_mut().map(|x| &mut x.name))
            .chain(self.funnels.iter_mut().map(|x| &mut x.name))
            .chain(self.rules.iter_mut().map(|x| &mut x.name));
        for name in names {
            *name = rename(name);
        }
    }
}

/// Where rounding applies and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounding {
    pub places: u32,
    pub mode: RoundMode,
    pub criterion: bool,
    pub item: bool,
    pub total: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// Half away from zero (what spreadsheets' ROUND does).
    HalfUp,
    HalfEven,
    Down,
}

impl RoundMode {
    pub fn name(self) -> &'static str {
        match self {
            RoundMode::HalfUp => "half_up",
            RoundMode::HalfEven => "half_even",
            RoundMode::Down => "down",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Sum,
    Last,
    Mean,
    Max,
}

impl Aggregation {
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Last => "last",
            Aggregation::Mean => "mean",
            Aggregation::Max => "max",
        }
    }
}

/// A reported figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub id: String,
    pub pos: usize,
    pub name: String,
    pub unit: Option<String>,
    pub aggregate: Aggregation,
    /// Declared value when the figure is missing (absent: missing is an error).
    pub missing: Option<Decimal>,
    /// Whether a merged unit's figure is the sum of its predecessors' (default true).
    pub merge_sum: bool,
    /// The figures' domain: every reported figure must lie within `min..=max` and be a whole
    /// number when `integer`.
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub integer: bool,
}

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub pos: usize,
    pub name: String,
    pub unit: Option<String>,
    pub expr: ExprSrc,
    /// Declared value when a division by zero happens while computing it.
    pub on_zero_division: Option<Decimal>,
}

/// An expression with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprSrc {
    pub expr: Expr,
    /// Offset of the first character inside the quoted string.
    pub pos: usize,
}

/// A content area (top of the criteria tree).
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub id: String,
    pub pos: usize,
    pub name: String,
    pub points: Decimal,
    pub bonus_cap: Option<Decimal>,
    pub penalty_cap: Option<Decimal>,
}

/// A criterion or sub-item.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub pos: usize,
    pub parent: String,
    pub parent_pos: usize,
    pub name: String,
    pub points: Decimal,
    pub body: Body,
    /// Declared points when the value cannot be computed (missing figure, division by zero).
    pub on_error: Option<Decimal>,
}

/// How a criterion earns its points.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Sum of its sub-items.
    Children,
    /// Scored by judgement, given in the data, within `0..=points`.
    Manual,
    /// Full points when `when` holds, else `otherwise`.
    Met { when: ExprSrc, otherwise: Decimal },
    /// A scale applied to a numeric value.
    Scaled {
        value: ExprSrc,
        scale: Scale,
        scale_pos: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// A threshold: inclusive (`at_least`, `at_most`) or strict (`above`, `below`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    /// `v >= bound` ("từ … trở lên").
    AtLeast,
    /// `v > bound` ("trên …").
    Above,
    /// `v <= bound` ("từ … trở xuống").
    AtMost,
    /// `v < bound` ("dưới …").
    Below,
}

impl Cmp {
    /// The key in the regulation text.
    pub fn key(self) -> &'static str {
        match self {
            Cmp::AtLeast => "at_least",
            Cmp::Above => "above",
            Cmp::AtMost => "at_most",
            Cmp::Below => "below",
        }
    }
    pub fn from_key(k: &str) -> Option<Cmp> {
        Some(match k {
            "at_least" => Cmp::AtLeast,
            "above" => Cmp::Above,
            "at_most" => Cmp::AtMost,
            "below" => Cmp::Below,
            _ => return None,
        })
    }
    /// Higher values are better (`at_least`, `above`).
    pub fn higher(self) -> bool {
        matches!(self, Cmp::AtLeast | Cmp::Above)
    }
    /// The bound itself does not satisfy the threshold.
    pub fn strict(self) -> bool {
        matches!(self, Cmp::Above | Cmp::Below)
    }
    pub fn of(better: Better, strict: bool) -> Cmp {
        match (better, strict) {
            (Better::Higher, false) => Cmp::AtLeast,
            (Better::Higher, true) => Cmp::Above,
            (Better::Lower, false) => Cmp::AtMost,
            (Better::Lower, true) => Cmp::Below,
        }
    }
    /// Spreadsheet operator.
    pub fn op(self) -> &'static str {
        match self {
            Cmp::AtLeast => ">=",
            Cmp::Above => ">",
            Cmp::AtMost => "<=",
            Cmp::Below => "<",
        }
    }
}

/// One step of a stepped scale.
#[derive(Debug, Clone, PartialEq)]
pub struct StepBand {
    pub cmp: Cmp,
    pub bound: Decimal,
    pub points: Decimal,
}

/// Scales: readable sugar over expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// `min_points` at `from`, full points at `to`, linear between, clamped.
    Linear {
        from: Decimal,
        to: Decimal,
        min_points: Decimal,
    },
    /// First step whose condition holds; else `otherwise`.
    Steps {
        steps: Vec<StepBand>,
        otherwise: Decimal,
    },
    /// Full points when the target is met; `per` points off per unit short, down to `floor`.
    Short {
        target: Decimal,
        better: Better,
        /// The target itself is not met ("trên 90%": `above = 90`).
        strict: bool,
        per: Decimal,
        floor: Decimal,
    },
    /// Full points plus `per` per unit above the target, extra capped at `cap`; else `otherwise`.
    Above {
        target: Decimal,
        better: Better,
        /// The target itself is not met.
        strict: bool,
        per: Decimal,
        cap: Decimal,
        otherwise: Decimal,
    },
    /// Full points inside `low..=high`; outside `per` off per unit of distance down to `floor`,
    /// or `otherwise` when `per` is absent.
    Range {
        low: Decimal,
        high: Decimal,
        per: Option<Decimal>,
        floor: Decimal,
        otherwise: Decimal,
    },
    /// The value is the points, clamped to `0..=points`.
    Formula,
}

/// A bonus or penalty item: `per` points per unit of `value`, at most `cap`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub pos: usize,
    pub name: String,
    pub area: Option<(String, usize)>,
    pub value: ExprSrc,
    pub per: Decimal,
    pub cap: Option<Decimal>,
}

/// A classification band `[min, max)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub id: String,
    pub pos: usize,
    pub name: String,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// At most this percentage of the ranked units (rounded down).
    pub quota_pct: Option<Decimal>,
}

/// A funnel: data elements that follow one another in a stable proportion (reports received →
/// cases opened → solved; cases → serious cases). The integrity flags compare each step's ratio
/// (`step[i+1] / step[i]`) with the unit's own previous year and with its peers; a funnel never
/// changes a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Funnel {
    pub id: String,
    pub pos: usize,
    pub name: String,
    /// At least two element ids with where each was written.
    pub steps: Vec<(String, usize)>,
    /// The robust z-score below which a drop is flagged (default: the flags' setting).
    pub threshold: Option<Decimal>,
}

/// A validation rule (`[[rule]]`) on the figures of one reporting window: `check` must hold
/// (e.g. `reports_resolved <= reports_received`); an `error` blocks a report's submission, a
/// `warning` asks for a comment on one of the figures it names. The check's language (numbers,
/// element ids, `+ - * /`, comparisons, `and`, `or`, `not`) is compiled against the reporting
/// form by the domain (`thidua_domain::figures::rules`); here its names are checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub pos: usize,
    pub name: String,
    pub check: String,
    pub check_pos: usize,
    pub severity: RuleSeverity,
}

/// How a failed [`Rule`] is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSeverity {
    /// Blocks submission.
    Error,
    /// Submission needs a comment on one of the rule's figures.
    Warning,
}

impl RuleSeverity {
    pub fn name(self) -> &'static str {
        match self {
            RuleSeverity::Error => "error",
            RuleSeverity::Warning => "warning",
        }
    }
}

/// Period selector after `@`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selector {
    /// Same window one year earlier.
    CungKy,
    /// The whole previous reporting year.
    PrevYear,
    /// From the start of the reporting year to the end of the window.
    Ytd,
    /// The same window in the regulation's baseline year.
    Baseline,
    /// The same window in that year.
    Year(i32),
    /// Exactly that period.
    Period(PeriodKey),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
    /// Binding strength; higher binds tighter.
    pub fn prec(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 4,
            BinOp::Add | BinOp::Sub => 5,
            BinOp::Mul | BinOp::Div => 6,
        }
    }
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Min,
    Max,
    Clamp,
    Abs,
    Round,
    Pct,
    PctChange,
    /// `points(ID)`: the points an area or criterion earned (bonus and penalty items only).
    Points,
}

impl Func {
    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Clamp => "clamp",
            Func::Abs => "abs",
            Func::Round => "round",
            Func::Pct => "pct",
            Func::PctChange => "pct_change",
            Func::Points => "points",
        }
    }
    pub fn from_name(s: &str) -> Option<Func> {
        Some(match s {
            "min" => Func::Min,
            "max" => Func::Max,
            "clamp" => Func::Clamp,
            "abs" => Func::Abs,
            "round" => Func::Round,
            "pct" => Func::Pct,
            "pct_change" => Func::PctChange,
            "points" => Func::Points,
            _ => return None,
        })
    }
    /// Accepted argument counts (min, max).
    pub fn arity(self) -> (usize, usize) {
        match self {
            Func::Min | Func::Max => (1, 64),
            Func::Clamp => (3, 3),
            Func::Abs => (1, 1),
            Func::Round => (2, 2),
            Func::Pct | Func::PctChange => (2, 2),
            Func::Points => (1, 1),
        }
    }
}

/// An expression; `off` fields are offsets within the expression string.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    Bool(bool),
    Ref {
        name: String,
        sel: Option<Selector>,
        off: usize,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call {
        func: Func,
        args: Vec<Expr>,
        off: usize,
    },
}
