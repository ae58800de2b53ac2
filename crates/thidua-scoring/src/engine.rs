//! The evaluator: figures aggregated into windows (with lineage and declared outcomes for
//! missing figures), expressions in exact rationals ([`Exact`]), scales, bonus and penalty caps,
//! totals rounded once from their exact value. Ranking and bands are in [`crate::rank`].
//! Never panics on any input; every failure is an explicit outcome in the result.
use crate::ast::{Aggregation, BinOp, Cmp, Func, RoundMode, Selector, UnOp};
use crate::compile::{CExpr, CItem, CScale, CompiledRegulation, Node, NodeKind};
use crate::data::{Dataset, Fig};
use crate::exact::{ArithError, Exact, Rounding};
use crate::explain::*;
use crate::period::{PeriodKey, Window};
use crate::render::vi_num as vi;
use crate::words::expr_vi;

/// Ids and names of nodes and items as shared texts for the results.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    nodes: Vec<(Text, Text)>,
    items: [Vec<(Text, Text)>; 2],
}

/// What to compute.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// Record the explanation trace (slower; needed for explanations).
    pub trace: bool,
}

impl EvalOptions {
    pub fn with_trace() -> Self {
        EvalOptions { trace: true }
    }
}

/// The engine could not produce a scoreboard at all: nothing is published rather than a
/// ranking with units missing, or one that ignores a recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// A defect (a worker panicked, a thread could not start), never a data problem.
    #[error(
        "lỗi nội bộ khi chấm điểm, không có kết quả nào / internal error while scoring, no result: {0}"
    )]
    Internal(String),
    /// The data's `@kept:BAND` decisions do not fit the ranking: a unit not tied at that band's
    /// quota cut-off, more units kept than the quota leaves room for, or a band without a quota.
    #[error("{vi} / {en}")]
    Decision { vi: String, en: String },
}

/// Why a value could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    Missing {
        element: String,
        unit: String,
        window: Window,
        missing_months: Vec<u8>,
    },
    UnitAbsent {
        element: String,
        unit: String,
        year: i32,
    },
    /// The unit reported the figure as not applicable ("không áp dụng", `na` in a data file)
    /// for the window (every month of it); the element's declared `missing` value applies
    /// where there is one, else the criterion cannot be computed (its `on_error` points apply).
    NotApplicable {
        element: String,
        unit: String,
        window: Window,
    },
    MergeRefused {
        element: String,
        unit: String,
        year: i32,
    },
    /// A merged unit's figure of an earlier year is the sum of its predecessors' (`@predecessors`)
    /// and some of them have no figure for the window: never a partial sum. `missing` names them
    /// (ids in the data), every one, not only the first.
    MergeIncomplete {
        element: String,
        unit: String,
        year: i32,
        missing: Vec<String>,
    },
    /// A division by zero; `context` words the division.
    DivZero {
        context: String,
    },
    PointsUnavailable {
        id: String,
    },
    /// A value too large to carry exactly; `context` names where (criterion, item, total).
    Overflow {
        context: String,
    },
    PeriodOutOfRange,
}

/// How an error's Vietnamese message names what the engine's data call by ids: offline
/// ([`ErrorWords::FILE`]) the ids quoted as in the data file and a window by its period key and
/// dates; in the server by names ([`crate::render::Naming`]).
pub struct ErrorWords<'a> {
    /// A unit, from its id in the data.
    pub unit: &'a dyn Fn(&str) -> String,
    /// An element or a criterion, from its id.
    pub element: &'a dyn Fn(&str) -> String,
    /// A window.
    pub window: &'a dyn Fn(&Window) -> String,
}

fn quoted(id: &str) -> String {
    format!("`{id}`")
}

fn window_cited(w: &Window) -> String {
    format!("{w} ({})", w.date_range_vi())
}

impl ErrorWords<'static> {
    /// The data file's own words: quoted ids, period keys.
    pub const FILE: ErrorWords<'static> = ErrorWords {
        unit: &quoted,
        element: &quoted,
        window: &window_cited,
    };
}

impl EvalError {
    pub fn vi(&self) -> String {
        self.vi_with(&ErrorWords::FILE)
    }

    /// The Vietnamese message, naming units, elements and windows as `w` says.
    pub fn vi_with(&self, w: &ErrorWords) -> String {
        match self {
            EvalError::Missing {
                element,
                unit,
                window,
                missing_months,
            } => {
                let ms: Vec<String> = missing_months.iter().map(|m| format!("{m:02}")).collect();
                format!(
                    "thiếu số liệu {} của {} kỳ {}{}",
                    (w.element)(element),
                    (w.unit)(unit),
                    (w.window)(window),
                    if ms.is_empty() {
                        ": không có số liệu nào cho kỳ này".to_string()
                    } else {
                        format!(", thiếu tháng {}", ms.join(", "))
                    }
                )
            }
            EvalError::UnitAbsent {
                element,
                unit,
                year,
            } => format!(
                "đơn vị {} không có số liệu nào năm {year} (chưa tồn tại?) nên không có {}",
                (w.unit)(unit),
                (w.element)(element)
            ),
            EvalError::NotApplicable {
                element,
                unit,
                window,
            } => format!(
                "số liệu {} của {} kỳ {} được đơn vị báo cáo là «không áp dụng»",
                (w.element)(element),
                (w.unit)(unit),
                (w.window)(window)
            ),
            EvalError::MergeRefused {
                element,
                unit,
                year,
            } => format!(
                "{} của đơn vị hợp nhất {} năm {year}: quy định không cho cộng số liệu đơn vị tiền thân",
                (w.element)(element),
                (w.unit)(unit)
            ),
            EvalError::MergeIncomplete {
                element,
                unit,
                year,
                missing,
            } => format!(
                "{} của đơn vị hợp nhất {} năm {year} là tổng số liệu các đơn vị tiền thân, không cộng thiếu: chưa đủ số liệu (các kỳ cần cộng) của {}",
                (w.element)(element),
                (w.unit)(unit),
                missing.iter().map(|u| (w.unit)(u)).collect::<Vec<_>>().join(", ")
            ),
            EvalError::DivZero { context } => format!("chia cho 0 khi tính {context}"),
            EvalError::PointsUnavailable { id } => format!(
                "chưa có điểm của {} (chưa chấm hoặc không tính được)",
                (w.element)(id)
            ),
            EvalError::Overflow { context } => format!(
                "số quá lớn để tính chính xác (tử số hoặc mẫu số vượt {} bit) khi tính {context}",
                crate::exact::MAX_BITS
            ),
            EvalError::PeriodOutOfRange => "kỳ nằm ngoài phạm vi năm 1900–9999".into(),
        }
    }
    pub fn en(&self) -> String {
        match self {
            EvalError::Missing {
                element,
                unit,
                window,
                missing_months,
            } => {
                let ms: Vec<String> = missing_months.iter().map(|m| format!("{m:02}")).collect();
                format!(
                    "missing figure `{element}` of `{unit}` for {window}{}",
                    if ms.is_empty() {
                        ": nothing reported for the window".to_string()
                    } else {
                        format!(", months {} absent", ms.join(", "))
                    }
                )
            }
            EvalError::UnitAbsent {
                element,
                unit,
                year,
            } => {
                format!(
                    "unit `{unit}` reports nothing for {year} (did not exist?), so no `{element}`"
                )
            }
            EvalError::NotApplicable {
                element,
                unit,
                window,
            } => format!(
                "figure `{element}` of `{unit}` for {window} was reported by the unit as not applicable"
            ),
            EvalError::MergeRefused {
                element,
                unit,
                year,
            } => {
                format!("`{element}` of merged unit `{unit}` for {year}: the regulation forbids summing predecessors")
            }
            EvalError::MergeIncomplete {
                element,
                unit,
                year,
                missing,
            } => {
                let missing: Vec<String> = missing.iter().map(|u| format!("`{u}`")).collect();
                format!(
                    "`{element}` of merged unit `{unit}` for {year} sums its predecessors, never partially: figures missing (periods to add) from {}",
                    missing.join(", ")
                )
            }
            EvalError::DivZero { context } => format!("division by zero in {context}"),
            EvalError::PointsUnavailable { id } => {
                format!("no points yet for `{id}` (not scored or cannot be computed)")
            }
            EvalError::Overflow { context } => format!(
                "number too large to carry exactly (numerator or denominator beyond {} bits) in {context}",
                crate::exact::MAX_BITS
            ),
            EvalError::PeriodOutOfRange => "period outside years 1900–9999".into(),
        }
    }
    fn step(&self) -> Step {
        Step::Error {
            message_vi: self.vi(),
            message_en: self.en(),
            cause: Some(Box::new(self.clone())),
        }
    }
    /// Names where an overflow happened, innermost first.
    fn within(self, what: &str) -> EvalError {
        match self {
            EvalError::Overflow { context } if context.is_empty() => EvalError::Overflow {
                context: what.to_string(),
            },
            EvalError::Overflow { context } => EvalError::Overflow {
                context: format!("{context}, trong {what}"),
            },
            e => e,
        }
    }
}

type R<T> = Result<T, EvalError>;

fn overflow(_: ArithError) -> EvalError {
    EvalError::Overflow {
        context: String::new(),
    }
}

fn add(a: &Exact, b: &Exact) -> R<Exact> {
    a.add(b).map_err(overflow)
}
fn sub(a: &Exact, b: &Exact) -> R<Exact> {
    a.sub(b).map_err(overflow)
}
fn mul(a: &Exact, b: &Exact) -> R<Exact> {
    a.mul(b).map_err(overflow)
}

pub(crate) fn rounding(mode: RoundMode) -> Rounding {
    match mode {
        RoundMode::HalfUp => Rounding::HalfUp,
        RoundMode::HalfEven => Rounding::HalfEven,
        RoundMode::Down => Rounding::Down,
    }
}

/// Rounds once, from the exact value.
pub(crate) fn round(d: &Exact, places: u32, mode: RoundMode) -> Exact {
    d.round(places, rounding(mode))
}

/// Whether `v` meets a threshold.
pub(crate) fn holds(cmp: Cmp, v: &Exact, bound: &Exact) -> bool {
    match cmp {
        Cmp::AtLeast => v >= bound,
        Cmp::Above => v > bound,
        Cmp::AtMost => v <= bound,
        Cmp::Below => v < bound,
    }
}

/// A threshold in words: "từ 90 trở lên", "trên 90", "từ 0,5 trở xuống", "dưới 0,5".
pub fn threshold_vi(cmp: Cmp, bound: &str) -> String {
    match cmp {
        Cmp::AtLeast => format!("từ {bound} trở lên"),
        Cmp::Above => format!("trên {bound}"),
        Cmp::AtMost => format!("từ {bound} trở xuống"),
        Cmp::Below => format!("dưới {bound}"),
    }
}

fn threshold_en(cmp: Cmp, bound: &str) -> String {
    match cmp {
        Cmp::AtLeast => format!("at least {bound}"),
        Cmp::Above => format!("above {bound}"),
        Cmp::AtMost => format!("at most {bound}"),
        Cmp::Below => format!("below {bound}"),
    }
}

/// Applies a selector to the window being evaluated.
pub(crate) fn select(reg: &CompiledRegulation, w: Window, sel: Option<Selector>) -> R<Window> {
    let r = match sel {
        None => Some(w),
        Some(Selector::CungKy) => w.shift_years(-1),
        Some(Selector::PrevYear) => Window::new(w.year - 1, 1, 12),
        Some(Selector::Ytd) => Window::new(w.year, 1, w.last),
        Some(Selector::Baseline) => reg
            .ast
            .baseline_year
            .and_then(|y| Window::new(y, w.first, w.last)),
        Some(Selector::Year(y)) => Window::new(y, w.first, w.last),
        Some(Selector::Period(p)) => Some(p.window()),
    };
    r.ok_or(EvalError::PeriodOutOfRange)
}

struct Ctx<'a> {
    reg: &'a CompiledRegulation,
    data: &'a Dataset,
    bind: &'a [Option<u32>],
    unit: Option<u32>,
    unit_id: &'a str,
    trace: bool,
    steps: Vec<Step>,
    /// Without trace: indicator values at the evaluation window, then at other windows.
    base: Window,
    memo_base: Vec<Option<R<Val>>>,
    memo: Vec<(usize, Window, R<Val>)>,
    /// Without trace: figures at the evaluation window.
    fig_base: Vec<Option<R<Exact>>>,
    /// Points of the nodes, known once the criteria are scored (for `points(ID)` in items).
    node_points: Vec<Option<Exact>>,
}

fn series(data: &Dataset, unit: u32, elem: Option<u32>) -> &[Fig] {
    match elem {
        Some(e) => data.series(unit, e),
        None => &[],
    }
}

/// A figure without lineage: exact row, or months aggregated.
fn raw_figure(
    data: &Dataset,
    unit: u32,
    elem: Option<u32>,
    agg: Aggregation,
    w: Window,
    el_id: &str,
    unit_id: &str,
) -> R<(Exact, Source)> {
    let s = series(data, unit, elem);
    let start = months_start(s, w);
    if let Some(f) = s[start..]
        .iter()
        .take_while(|f| f.window.year == w.year && f.window.first == w.first)
        .find(|f| f.window == w)
    {
        return match &f.value {
            Some(v) => Ok((v.clone(), Source::Direct { row: f.row })),
            None => Err(not_applicable(el_id, unit_id, w)),
        };
    }
    let Months {
        acc,
        mut missing,
        first_row,
        last_row,
        numbers,
        not_applicable: na,
    } = aggregate_months(s, start, agg, w)?;
    let absent = !data.years.contains(&(unit, w.year));
    if missing.len() == w.len() as usize {
        // Nothing at all for the window: say so rather than listing every month.
        missing.clear();
    }
    if (!missing.is_empty() || (acc.is_none() && na == 0)) && absent {
        return Err(EvalError::UnitAbsent {
            element: el_id.to_string(),
            unit: unit_id.to_string(),
            year: w.year,
        });
    }
    if missing.is_empty() && acc.is_none() && na > 0 {
        return Err(not_applicable(el_id, unit_id, w));
    }
    let Some(a) = acc.filter(|_| missing.is_empty()) else {
        return Err(EvalError::Missing {
            element: el_id.to_string(),
            unit: unit_id.to_string(),
            window: w,
            missing_months: missing,
        });
    };
    let v = match agg {
        // The mean of the months that have a figure: a month not applicable is not a zero.
        Aggregation::Mean => a.div(&Exact::int(numbers as i64)).map_err(overflow)?,
        _ => a,
    };
    Ok((
        v,
        Source::Months {
            months: w.len(),
            first_row,
            last_row,
        },
    ))
}

/// Where the single months of window `w` begin in a unit's series: sorted by window, they form
/// one run starting at `(year, first, first)`.
fn months_start(s: &[Fig], w: Window) -> usize {
    s.partition_point(|f| {
        f.window
            < Window {
                year: w.year,
                first: w.first,
                last: w.first,
            }
    })
}

/// The error of a figure reported as not applicable.
fn not_applicable(el_id: &str, unit_id: &str, w: Window) -> EvalError {
    EvalError::NotApplicable {
        element: el_id.to_string(),
        unit: unit_id.to_string(),
        window: w,
    }
}

/// The single months of a window as read from a unit's series.
struct Months {
    /// Their figures aggregated; `None` when no month has one. A month reported as not
    /// applicable adds nothing (a sum, a mean or a maximum of the others), and makes a `last`
    /// window not applicable when it is the last month.
    acc: Option<Exact>,
    /// The months without a figure.
    missing: Vec<u8>,
    /// How many months have a number, and how many were reported as not applicable.
    numbers: usize,
    not_applicable: usize,
    /// The first and last data rows read.
    first_row: u32,
    last_row: u32,
}

/// Aggregates the single months of window `w` in a unit's series `s`, noting the months
/// without a figure; `start` is where they begin ([`months_start`]).
fn aggregate_months(s: &[Fig], start: usize, agg: Aggregation, w: Window) -> R<Months> {
    let mut acc: Option<Exact> = None;
    let mut missing = Vec::new();
    let (mut numbers, mut not_applicable) = (0, 0);
    let (mut first_row, mut last_row) = (u32::MAX, 0);
    // Single months of the year follow each other from `start`, in order.
    let mut i = start;
    for m in w.first..=w.last {
        while i < s.len()
            && s[i].window.year == w.year
            && (s[i].window.first < m || s[i].window.first != s[i].window.last)
            && s[i].window.first <= m
        {
            i += 1;
        }
        match s.get(i) {
            Some(f) if f.window.year == w.year && f.window.first == m && f.window.last == m => {
                first_row = first_row.min(f.row);
                last_row = last_row.max(f.row);
                match &f.value {
                    Some(v) => {
                        numbers += 1;
                        acc = Some(match (acc, agg) {
                            (None, _) => v.clone(),
                            (Some(a), Aggregation::Sum | Aggregation::Mean) => add(&a, v)?,
                            (Some(a), Aggregation::Max) => a.max(v.clone()),
                            (Some(_), Aggregation::Last) => v.clone(),
                        });
                    }
                    None => {
                        not_applicable += 1;
                        if agg == Aggregation::Last && m == w.last {
                            acc = None;
                        }
                    }
                }
                i += 1;
            }
            _ => missing.push(m),
        }
    }
    Ok(Months {
        acc,
        missing,
        numbers,
        not_applicable,
        first_row,
        last_row,
    })
}

/// A figure for a unit and window: lineage, aggregation and the regulation's declared value for
/// a missing figure applied.
pub(crate) fn figure_at(
    reg: &CompiledRegulation,
    data: &Dataset,
    bind: &[Option<u32>],
    unit: Option<u32>,
    unit_id: &str,
    e: usize,
    w: Window,
) -> R<(Exact, Source)> {
    let el = &reg.ast.elements[e];
    let res: R<(Exact, Source)> = match unit {
        None => Err(EvalError::UnitAbsent {
            element: el.id.clone(),
            unit: unit_id.to_string(),
            year: w.year,
        }),
        Some(u) => match (!data.predecessors.is_empty())
            .then(|| data.predecessors.get(&(u, w.year)))
            .flatten()
        {
            Some(preds) if el.merge_sum => {
                let mut total = Exact::ZERO;
                let mut parts = Vec::new();
                let mut not_applicable = None;
                let mut missing = Vec::new();
                for p in preds {
                    let pid = data.units[*p as usize].as_str();
                    // A unit that reported the figure as not applicable adds nothing; when
                    // every one did, the merged figure is not applicable.
                    match raw_figure(data, *p, bind[e], el.aggregate, w, &el.id, pid) {
                        Ok((v, _)) => {
                            total = add(&total, &v)?;
                            parts.push((pid.to_string(), v));
                        }
                        Err(na @ EvalError::NotApplicable { .. }) => not_applicable = Some(na),
                        Err(EvalError::Missing { .. } | EvalError::UnitAbsent { .. }) => {
                            missing.push(pid.to_string());
                        }
                        Err(other) => return Err(other),
                    }
                }
                match (parts.is_empty(), not_applicable) {
                    _ if !missing.is_empty() => Err(EvalError::MergeIncomplete {
                        element: el.id.clone(),
                        unit: unit_id.to_string(),
                        year: w.year,
                        missing,
                    }),
                    (true, Some(na)) => Err(na),
                    _ => Ok((total, Source::Predecessors { parts })),
                }
            }
            Some(_) => Err(EvalError::MergeRefused {
                element: el.id.clone(),
                unit: unit_id.to_string(),
                year: w.year,
            }),
            None => raw_figure(data, u, bind[e], el.aggregate, w, &el.id, unit_id),
        },
    };
    match res {
        Err(
            err @ (EvalError::Missing { .. }
            | EvalError::UnitAbsent { .. }
            | EvalError::NotApplicable { .. }
            | EvalError::MergeRefused { .. }
            | EvalError::MergeIncomplete { .. }),
        ) => match el.missing {
            Some(d) => Ok((
                Exact::from(d),
                Source::Declared {
                    reason_vi: err.vi(),
                    reason_en: err.en(),
                    cause: Some(Box::new(err)),
                },
            )),
            None => Err(err),
        },
        r => r,
    }
}

impl<'a> Ctx<'a> {
    fn figure_raw(&self, e: usize, w: Window) -> R<(Exact, Source)> {
        figure_at(
            self.reg,
            self.data,
            self.bind,
            self.unit,
            self.unit_id,
            e,
            w,
        )
    }

    fn figure(&mut self, e: usize, w: Window) -> R<Exact> {
        if w == self.base {
            if let Some(r) = &self.fig_base[e] {
                return r.clone();
            }
        }
        let r = self.figure_raw(e, w);
        if let (true, Ok((v, source))) = (self.trace, &r) {
            let el = &self.reg.ast.elements[e];
            let (from, to) = w.dates();
            self.steps.push(Step::Figure {
                element: el.id.clone(),
                name: el.name.clone(),
                measure: el.unit.clone(),
                unit: self.unit_id.to_string(),
                period: w,
                from: from.format("%d/%m/%Y").to_string(),
                to: to.format("%d/%m/%Y").to_string(),
                aggregation: el.aggregate,
                value: v.clone(),
                source: source.clone(),
            });
        }
        let r = r.map(|x| x.0);
        if w == self.base {
            self.fig_base[e] = Some(r.clone());
        }
        r
    }

    /// Forgets computed values (with a trace, each criterion shows every figure it uses).
    fn forget(&mut self) {
        self.memo_base.iter_mut().for_each(|m| *m = None);
        self.fig_base.iter_mut().for_each(|m| *m = None);
        self.memo.clear();
    }

    /// An indicator's value at a window, computed once per unit (once per criterion with a
    /// trace), so indicators used many times never cost more than once.
    fn indicator(&mut self, i: usize, w: Window) -> R<Val> {
        if w == self.base {
            if let Some(r) = &self.memo_base[i] {
                return r.clone();
            }
        } else if let Some((_, _, r)) = self.memo.iter().find(|(j, ww, _)| *j == i && *ww == w) {
            return r.clone();
        }
        let ind = &self.reg.indicators[i];
        let r = match self.eval(&ind.expr, w) {
            Err(EvalError::DivZero { .. }) if ind.on_zero_division.is_some() => {
                let d = Exact::from(ind.on_zero_division.unwrap_or_default());
                if self.trace {
                    self.steps.push(Step::ZeroDivision {
                        indicator: ind.id.clone(),
                        name: ind.name.clone(),
                        declared: d.clone(),
                    });
                }
                Ok(Val::Num(d))
            }
            r => r.map_err(|e| e.within(&format!("chỉ tiêu `{}`", ind.id))),
        };
        if self.trace {
            if let Ok(v) = &r {
                self.steps.push(Step::Indicator {
                    id: ind.id.clone(),
                    name: ind.name.clone(),
                    measure: ind.unit.clone(),
                    period: w,
                    expr: ind.text.clone(),
                    expr_vi: expr_vi(&ind.expr, self.reg),
                    value: v.clone(),
                });
            }
        }
        if w == self.base {
            self.memo_base[i] = Some(r.clone());
        } else {
            self.memo.push((i, w, r.clone()));
        }
        r
    }

    fn num(&mut self, e: &CExpr, w: Window) -> R<Exact> {
        match self.eval(e, w)? {
            Val::Num(n) => Ok(n),
            Val::Bool(b) => Ok(if b { Exact::ONE } else { Exact::ZERO }),
        }
    }

    fn boolean(&mut self, e: &CExpr, w: Window) -> R<bool> {
        match self.eval(e, w)? {
            Val::Bool(b) => Ok(b),
            Val::Num(n) => Ok(!n.is_zero()),
        }
    }

    /// A division by zero, worded.
    fn div(&self, x: &Exact, y: &Exact, e: &CExpr) -> R<Exact> {
        x.div(y).map_err(|err| match err {
            ArithError::DivZero => EvalError::DivZero {
                context: expr_vi(e, self.reg),
            },
            ArithError::TooLarge => overflow(err),
        })
    }

    /// An expression's value at window `w` (arithmetic and comparisons in [`Self::binary`],
    /// functions in [`Self::call`]).
    fn eval(&mut self, e: &CExpr, w: Window) -> R<Val> {
        Ok(match e {
            CExpr::Points(n) => match self.node_points.get(*n).cloned().flatten() {
                Some(p) => Val::Num(p),
                None => {
                    let id = self
                        .reg
                        .nodes
                        .get(*n)
                        .map(|x| x.id.clone())
                        .unwrap_or_default();
                    return Err(EvalError::PointsUnavailable { id });
                }
            },
            CExpr::Num(n) => Val::Num(n.clone()),
            CExpr::Bool(b) => Val::Bool(*b),
            CExpr::Elem(i, sel) => {
                let ww = select(self.reg, w, *sel)?;
                Val::Num(self.figure(*i, ww)?)
            }
            CExpr::Ind(i, sel) => {
                let ww = select(self.reg, w, *sel)?;
                self.indicator(*i, ww)?
            }
            CExpr::Unary(UnOp::Neg, x) => Val::Num(self.num(x, w)?.neg()),
            CExpr::Unary(UnOp::Not, x) => Val::Bool(!self.boolean(x, w)?),
            // Short-circuit: the right side is not evaluated when the left decides.
            CExpr::Binary(BinOp::And, a, b) => {
                Val::Bool(self.boolean(a, w)? && self.boolean(b, w)?)
            }
            CExpr::Binary(BinOp::Or, a, b) => Val::Bool(self.boolean(a, w)? || self.boolean(b, w)?),
            CExpr::Binary(op, a, b) => self.binary(*op, a, b, e, w)?,
            CExpr::If(c, a, b) => {
                if self.boolean(c, w)? {
                    self.eval(a, w)?
                } else {
                    self.eval(b, w)?
                }
            }
            CExpr::Call(f, args) => self.call(*f, args, e, w)?,
        })
    }

    /// An arithmetic operation or a comparison (a comparison is recorded in the trace); `e` is
    /// the whole expression, which names a division by zero.
    fn binary(&mut self, op: BinOp, a: &CExpr, b: &CExpr, e: &CExpr, w: Window) -> R<Val> {
        let x = self.num(a, w)?;
        let y = self.num(b, w)?;
        let c = |holds: bool| Val::Bool(holds);
        let v = match op {
            BinOp::Add => Val::Num(add(&x, &y)?),
            BinOp::Sub => Val::Num(sub(&x, &y)?),
            BinOp::Mul => Val::Num(mul(&x, &y)?),
            BinOp::Div => Val::Num(self.div(&x, &y, e)?),
            BinOp::Eq => c(x == y),
            BinOp::Ne => c(x != y),
            BinOp::Lt => c(x < y),
            BinOp::Le => c(x <= y),
            BinOp::Gt => c(x > y),
            BinOp::Ge => c(x >= y),
            BinOp::And | BinOp::Or => c(false),
        };
        if let (true, Val::Bool(h)) = (self.trace, &v) {
            self.steps.push(Step::Compare {
                left: crate::words::expr_code(a, self.reg),
                left_vi: expr_vi(a, self.reg),
                left_value: Val::Num(x),
                op: op.symbol(),
                right: crate::words::expr_code(b, self.reg),
                right_vi: expr_vi(b, self.reg),
                right_value: Val::Num(y),
                holds: *h,
            });
        }
        Ok(v)
    }

    /// A function of numbers; `e` is the whole call, which names a division by zero.
    fn call(&mut self, f: Func, args: &[CExpr], e: &CExpr, w: Window) -> R<Val> {
        let mut v = Vec::with_capacity(args.len());
        for a in args {
            v.push(self.num(a, w)?);
        }
        let hundred = Exact::int(100);
        Ok(Val::Num(match f {
            Func::Min => v.into_iter().min().unwrap_or_default(),
            Func::Max => v.into_iter().max().unwrap_or_default(),
            Func::Clamp => v[0].clone().max(v[1].clone()).min(v[2].clone()),
            Func::Abs => v[0].abs(),
            Func::Round => {
                let p = v[1].to_decimal().and_then(|d| u32::try_from(d).ok());
                round(&v[0], p.unwrap_or(0).min(10), RoundMode::HalfUp)
            }
            Func::Pct => mul(&self.div(&v[0], &v[1], e)?, &hundred)?,
            Func::PctChange => {
                let d = self.div(&sub(&v[0], &v[1])?, &v[1], e)?;
                mul(&d, &hundred)?
            }
            // Resolved to `CExpr::Points` at compile time; never a call.
            Func::Points => return Err(EvalError::PointsUnavailable { id: String::new() }),
        }))
    }
}

/// `$e`, an explanation text, built only when `$explain` asks for one (else empty).
macro_rules! txt {
    ($explain:expr, $e:expr) => {
        if $explain {
            $e
        } else {
            String::new()
        }
    };
}

/// Points of a scale with the branch taken in words (vi, en).
type ScaleOutcome = (Exact, String, String);

/// A value being scored on a scale of `points`, and how to word the branch taken.
struct ScaleInput<'a> {
    points: &'a Exact,
    v: &'a Exact,
    /// The value's unit of measure when known ("%").
    unit: Option<&'a str>,
    /// Whether the texts are built (only when an explanation is asked for).
    explain: bool,
}

/// A number as the English texts show it.
fn en_num(x: &Exact) -> String {
    x.to_string()
}

/// The points a criterion of `points` earns on `scale` for the value `v`, by the engine's own
/// rule ([`apply_scale`]): what a covenant's wording of a target is checked against
/// (`thidua_domain::covenant::agreement`). `None` when the arithmetic overflows.
pub fn scale_points(
    scale: &crate::ast::Scale,
    points: rust_decimal::Decimal,
    v: &Exact,
) -> Option<Exact> {
    let cscale = crate::compile::CScale::of(scale);
    apply_scale(&cscale, &Exact::from(points), v, None, false)
        .ok()
        .map(|(p, _, _)| p)
}

/// Points of a scale for value `v`, with the branch taken in words (vi, en); `unit` is the
/// value's unit of measure when known ("%").
pub(crate) fn apply_scale(
    scale: &CScale,
    points: &Exact,
    v: &Exact,
    unit: Option<&str>,
    explain: bool,
) -> R<(Exact, String, String)> {
    let s = ScaleInput {
        points,
        v,
        unit,
        explain,
    };
    match scale {
        CScale::Linear {
            from,
            to,
            min_points,
        } => s.linear(from, to, min_points),
        CScale::Steps { steps, otherwise } => s.steps(steps, otherwise),
        CScale::Short {
            cmp,
            target,
            per,
            floor,
        } => s.short(*cmp, target, per, floor),
        CScale::Above {
            cmp,
            target,
            per,
            cap,
            otherwise,
        } => s.above(*cmp, target, per, cap, otherwise),
        CScale::Range {
            low,
            high,
            per,
            floor,
            otherwise,
        } => s.range(low, high, per.as_ref(), floor, otherwise),
        CScale::Formula => s.formula(),
    }
}

impl ScaleInput<'_> {
    /// "1%", "1 {unit}" or "1 đơn vị": the step a `per` applies to.
    fn per_unit(&self) -> String {
        match self.unit {
            Some("%") => "1%".to_string(),
            Some(u) => format!("1 {u}"),
            None => "1 đơn vị".to_string(),
        }
    }

    /// `linear`: `min_points` at `from`, full points at `to`, in proportion between.
    fn linear(&self, from: &Exact, to: &Exact, min_points: &Exact) -> R<ScaleOutcome> {
        let (points, v) = (self.points, self.v);
        let frac = sub(v, from)?
            .div(&sub(to, from)?)
            .map_err(overflow)?
            .max(Exact::ZERO)
            .min(Exact::ONE);
        let p = add(min_points, &mul(&frac, &sub(points, min_points)?)?)?;
        Ok((
            p,
            txt!(
                self.explain,
                format!(
                    "{} trên thang từ {} ({} điểm) đến {} ({} điểm): hưởng {}% khoảng điểm",
                    vi(v),
                    vi(from),
                    vi(min_points),
                    vi(to),
                    vi(points),
                    vi(&frac.mul(&Exact::int(100)).map_err(overflow)?)
                )
            ),
            txt!(
                self.explain,
                format!(
                    "{} on the line from {} ({} pts) to {} ({} pts), fraction {}",
                    en_num(v),
                    en_num(from),
                    en_num(min_points),
                    en_num(to),
                    en_num(points),
                    en_num(&frac)
                )
            ),
        ))
    }

    /// `steps`: the points of the first step reached, else `otherwise`.
    fn steps(&self, steps: &[(Cmp, Exact, Exact)], otherwise: &Exact) -> R<ScaleOutcome> {
        let v = self.v;
        for (cmp, bound, pts) in steps {
            if holds(*cmp, v, bound) {
                return Ok((
                    pts.clone(),
                    txt!(
                        self.explain,
                        format!(
                            "{} đạt bậc «{}»",
                            crate::render::vi_vs(v, bound),
                            threshold_vi(*cmp, &vi(bound))
                        )
                    ),
                    txt!(
                        self.explain,
                        format!(
                            "{} reaches step {}",
                            en_num(v),
                            threshold_en(*cmp, &en_num(bound))
                        )
                    ),
                ));
            }
        }
        let last = steps.last();
        Ok((
            otherwise.clone(),
            txt!(
                self.explain,
                match last {
                    Some((cmp, bound, _)) => format!(
                        "{} không đạt bậc nào (bậc thấp nhất: «{}»)",
                        crate::render::vi_vs(v, bound),
                        threshold_vi(*cmp, &vi(bound))
                    ),
                    None => "không đạt bậc nào".into(),
                }
            ),
            txt!(self.explain, format!("{} reaches no step", en_num(v))),
        ))
    }

    /// `per_pct_short`: full points when the target is met, else `per` off for each unit
    /// short, down to `floor`.
    fn short(&self, cmp: Cmp, target: &Exact, per: &Exact, floor: &Exact) -> R<ScaleOutcome> {
        let (points, v) = (self.points, self.v);
        let t = threshold_vi(cmp, &vi(target));
        if holds(cmp, v, target) {
            return Ok((
                points.clone(),
                txt!(
                    self.explain,
                    format!("{} đạt chỉ tiêu «{t}»", crate::render::vi_vs(v, target))
                ),
                txt!(
                    self.explain,
                    format!("{} meets {}", en_num(v), threshold_en(cmp, &en_num(target)))
                ),
            ));
        }
        let short = sub(target, v)?.abs();
        let p = sub(points, &mul(per, &short)?)?.max(floor.clone());
        Ok((
            p,
            txt!(
                self.explain,
                format!(
                "{} chưa đạt chỉ tiêu «{t}», thiếu {}; mỗi {} thiếu trừ {} điểm, thấp nhất {} điểm",
                crate::render::vi_vs(v, target),
                vi(&short),
                self.per_unit(),
                vi(per),
                vi(floor)
            )
            ),
            txt!(
                self.explain,
                format!(
                    "{} misses {} by {}: minus {} per 1, floor {}",
                    en_num(v),
                    threshold_en(cmp, &en_num(target)),
                    en_num(&short),
                    en_num(per),
                    en_num(floor)
                )
            ),
        ))
    }

    /// `per_pct_above`: when the target is met, full points plus `per` for each unit over, at
    /// most `cap`; else `otherwise`.
    fn above(
        &self,
        cmp: Cmp,
        target: &Exact,
        per: &Exact,
        cap: &Exact,
        otherwise: &Exact,
    ) -> R<ScaleOutcome> {
        let (points, v) = (self.points, self.v);
        let t = threshold_vi(cmp, &vi(target));
        if !holds(cmp, v, target) {
            return Ok((
                otherwise.clone(),
                txt!(
                    self.explain,
                    format!(
                        "{} không đạt chỉ tiêu «{t}»",
                        crate::render::vi_vs(v, target)
                    )
                ),
                txt!(
                    self.explain,
                    format!(
                        "{} misses {}",
                        en_num(v),
                        threshold_en(cmp, &en_num(target))
                    )
                ),
            ));
        }
        let over = sub(v, target)?.abs();
        let extra = mul(per, &over)?.min(cap.clone());
        Ok((
            add(points, &extra)?,
            txt!(self.explain, format!(
                "{} đạt chỉ tiêu «{t}», vượt {}: mỗi {} vượt cộng {} điểm, được cộng {} (tối đa {})",
                crate::render::vi_vs(v, target),
                vi(&over),
                self.per_unit(),
                vi(per),
                vi(&extra),
                vi(cap)
            )),
            txt!(self.explain, format!(
                "{} meets {}, {} over: plus {} (cap {})",
                en_num(v),
                threshold_en(cmp, &en_num(target)),
                en_num(&over),
                en_num(&extra),
                en_num(cap)
            )),
        ))
    }

    /// `range`: full points within `low … high`; outside, `per` off for each unit away (down
    /// to `floor`), or `otherwise` without `per`.
    fn range(
        &self,
        low: &Exact,
        high: &Exact,
        per: Option<&Exact>,
        floor: &Exact,
        otherwise: &Exact,
    ) -> R<ScaleOutcome> {
        let v = self.v;
        if v >= low && v <= high {
            return Ok((
                self.points.clone(),
                txt!(
                    self.explain,
                    format!("{} nằm trong khoảng {} … {}", vi(v), vi(low), vi(high))
                ),
                txt!(
                    self.explain,
                    format!("{} within {} … {}", en_num(v), en_num(low), en_num(high))
                ),
            ));
        }
        let dist = if v < low { sub(low, v)? } else { sub(v, high)? };
        let near = if v < low { low } else { high };
        match per {
            Some(p) => self.range_per(low, high, p, floor, &dist, near),
            None => Ok((
                otherwise.clone(),
                txt!(
                    self.explain,
                    format!(
                        "{} nằm ngoài khoảng {} … {}",
                        crate::render::vi_vs(v, near),
                        vi(low),
                        vi(high)
                    )
                ),
                txt!(
                    self.explain,
                    format!("{} outside {} … {}", en_num(v), en_num(low), en_num(high))
                ),
            )),
        }
    }

    /// `range` outside its bounds with `per`: `per` off for each unit of `dist` away from
    /// `near`, down to `floor`.
    fn range_per(
        &self,
        low: &Exact,
        high: &Exact,
        per: &Exact,
        floor: &Exact,
        dist: &Exact,
        near: &Exact,
    ) -> R<ScaleOutcome> {
        let v = self.v;
        let pts = sub(self.points, &mul(per, dist)?)?.max(floor.clone());
        Ok((
            pts,
            txt!(
                self.explain,
                format!(
                    "{} nằm ngoài khoảng {} … {}, cách {}; mỗi {} trừ {} điểm, thấp nhất {} điểm",
                    crate::render::vi_vs(v, near),
                    vi(low),
                    vi(high),
                    vi(dist),
                    self.per_unit(),
                    vi(per),
                    vi(floor)
                )
            ),
            txt!(
                self.explain,
                format!(
                    "{} is {} outside {} … {}: minus {} per 1, floor {}",
                    en_num(v),
                    en_num(dist),
                    en_num(low),
                    en_num(high),
                    en_num(per),
                    en_num(floor)
                )
            ),
        ))
    }

    /// `formula`: the value itself, clamped to `0 … points`.
    fn formula(&self) -> R<ScaleOutcome> {
        let (points, v) = (self.points, self.v);
        let p = v.clone().max(Exact::ZERO).min(points.clone());
        Ok((
            p,
            txt!(
                self.explain,
                format!(
                    "điểm theo công thức: {}, giới hạn trong 0 … {}",
                    vi(v),
                    vi(points)
                )
            ),
            txt!(
                self.explain,
                format!(
                    "formula points {}, clamped to 0 … {}",
                    en_num(v),
                    en_num(points)
                )
            ),
        ))
    }
}

fn scale_kind(s: &CScale) -> &'static str {
    match s {
        CScale::Linear { .. } => "linear",
        CScale::Steps { .. } => "steps",
        CScale::Short { .. } => "per_pct_short",
        CScale::Above { .. } => "per_pct_above",
        CScale::Range { .. } => "range",
        CScale::Formula => "formula",
    }
}

/// The unit of measure of a scaled value, when it reads as one: an indicator's own unit, or "%"
/// for `pct`/`pct_change`.
fn value_unit<'r>(reg: &'r CompiledRegulation, e: &CExpr) -> Option<&'r str> {
    match e {
        CExpr::Ind(i, _) => reg.indicators[*i].unit.as_deref(),
        CExpr::Elem(i, _) => reg.ast.elements[*i].unit.as_deref(),
        CExpr::Call(Func::Pct | Func::PctChange, _) => Some("%"),
        _ => None,
    }
}

/// One node's outcome before it is stored.
struct Scored {
    points: Option<Exact>,
    value: Option<Val>,
    status: Status,
}

impl Scored {
    /// No points (not scored, or not computed), with `status`.
    fn without_points(status: Status) -> Self {
        Scored {
            points: None,
            value: None,
            status,
        }
    }

    /// Points given for `value`.
    fn with_points(points: Exact, value: Val) -> Self {
        Scored {
            points: Some(points),
            value: Some(value),
            status: Status::Scored,
        }
    }
}

/// A leaf criterion being scored: its node, the period and the window its values are read at,
/// and whether to record the trace.
#[derive(Clone, Copy)]
struct Leaf<'n> {
    node: &'n Node,
    period: PeriodKey,
    w: Window,
    trace: bool,
}

/// A manual criterion: the score entered for the unit and period, within `0..=points`; not
/// scored yet when there is none.
fn score_manual(cx: &mut Ctx, leaf: Leaf) -> Scored {
    let n = leaf.node;
    let m = cx.unit.and_then(|u| {
        cx.data
            .manual
            .get(n.id.as_str())
            .and_then(|m| m.get(&(u, leaf.period)))
    });
    if leaf.trace {
        cx.steps.push(Step::Manual {
            score: m.map(|x| x.0.clone()),
            row: m.map(|x| x.1),
        });
    }
    match m {
        Some((v, _)) => Scored {
            points: Some(v.clone().max(Exact::ZERO).min(n.max.clone())),
            value: None,
            status: Status::Scored,
        },
        None => Scored::without_points(Status::NotScored),
    }
}

/// A criterion that cannot be computed: the error (naming the criterion) in its trace.
fn criterion_failed(cx: &mut Ctx, leaf: Leaf, e: EvalError) -> Scored {
    if leaf.trace {
        let n = leaf.node;
        let what = format!("tiêu chí `{}` «{}»", n.id, n.name);
        cx.steps.push(e.within(&what).step());
    }
    Scored::without_points(Status::Error)
}

/// When a criterion cannot be computed and the regulation declares `on_error` points for it,
/// gives those points instead ([`Status::Fallback`]).
fn fall_back(cx: &mut Ctx, leaf: Leaf, out: &mut Scored) {
    if out.status != Status::Error {
        return;
    }
    let Some(fb) = leaf.node.on_error else {
        return;
    };
    let fb = Exact::from(fb);
    if leaf.trace {
        cx.steps.push(Step::Fallback {
            reason_vi: "không tính được; áp dụng điểm quy định cho trường hợp này (`on_error`)"
                .into(),
            reason_en: "cannot be computed; the regulation's `on_error` points apply".into(),
            points: fb.clone(),
        });
    }
    out.status = Status::Fallback;
    out.points = Some(fb);
}

/// A bonus (`k = 0`) or penalty item, as an error names it.
fn item_what(k: usize, it: &CItem) -> String {
    let kind = if k == 0 {
        "điểm thưởng"
    } else {
        "điểm trừ"
    };
    format!("{kind} `{}` «{}»", it.id, it.name)
}

/// Adds an item's points to the sum for its area (or for the items without one), the sums in
/// the order the items first name their areas.
fn add_to_area(by_area: &mut Vec<(Option<usize>, Exact)>, area: Option<usize>, p: &Exact) -> R<()> {
    match by_area.iter_mut().find(|(a, _)| *a == area) {
        Some((_, s)) => *s = add(s, p)?,
        None => by_area.push((area, p.clone())),
    }
    Ok(())
}

impl CompiledRegulation {
    pub(crate) fn bind(&self, data: &Dataset) -> Vec<Option<u32>> {
        self.ast
            .elements
            .iter()
            .map(|e| data.elem_index.get(&e.id).copied())
            .collect()
    }

    /// Scores one unit for one period (no ranking, no band).
    pub fn evaluate_unit(
        &self,
        data: &Dataset,
        unit: &str,
        period: PeriodKey,
        opts: EvalOptions,
    ) -> UnitResult {
        let bind = self.bind(data);
        self.eval_unit(data, &bind, &self.names, unit, period, opts)
    }

    /// The value of one indicator or data element (by id) for a unit over a period's window, as
    /// a criterion would read it (aggregation, lineage, declared values for missing figures,
    /// the indicator's value on a division by zero). `None` when the id names neither. For
    /// many values on one dataset, [`Measurer`] binds the dataset once.
    pub fn measure(
        &self,
        data: &Dataset,
        unit: &str,
        id: &str,
        period: PeriodKey,
    ) -> Option<Result<Val, EvalError>> {
        self.measurer(data).measure(unit, id, period)
    }

    /// Reads values of one dataset (see [`CompiledRegulation::measure`]).
    pub fn measurer<'a>(&'a self, data: &'a Dataset) -> Measurer<'a> {
        Measurer {
            reg: self,
            data,
            bind: self.bind(data),
        }
    }

    /// The indicators' values for one unit at the period's window (as a spreadsheet shows
    /// them): a value, or the reason it cannot be computed.
    pub(crate) fn indicator_values(
        &self,
        data: &Dataset,
        bind: &[Option<u32>],
        unit_id: &str,
        period: PeriodKey,
    ) -> Vec<Result<Val, EvalError>> {
        let w = period.window();
        let mut cx = self.ctx(data, bind, unit_id, w, false);
        (0..self.indicators.len())
            .map(|i| cx.indicator(i, w))
            .collect()
    }

    /// Ids and names as shared texts; each thread makes its own copy so that cloning them for
    /// every unit touches no shared counter.
    pub(crate) fn names(&self) -> Names {
        let t = |s: &str| Text::from(s);
        Names {
            nodes: self.nodes.iter().map(|n| (t(&n.id), t(&n.name))).collect(),
            items: [
                self.bonuses
                    .iter()
                    .map(|n| (t(&n.id), t(&n.name)))
                    .collect(),
                self.penalties
                    .iter()
                    .map(|n| (t(&n.id), t(&n.name)))
                    .collect(),
            ],
        }
    }

    fn ctx<'a>(
        &'a self,
        data: &'a Dataset,
        bind: &'a [Option<u32>],
        unit_id: &'a str,
        w: Window,
        trace: bool,
    ) -> Ctx<'a> {
        Ctx {
            reg: self,
            data,
            bind,
            unit: data.unit_index.get(unit_id).copied(),
            unit_id,
            trace,
            steps: Vec::new(),
            base: w,
            memo_base: vec![None; self.indicators.len()],
            memo: Vec::new(),
            fig_base: vec![None; self.ast.elements.len()],
            node_points: Vec::new(),
        }
    }

    /// Scores one leaf (or records nothing for a parent): the points its kind gives, the
    /// regulation's `on_error` points when they cannot be computed, then the criterion rounding.
    fn score_node(&self, cx: &mut Ctx, ni: usize, period: PeriodKey, trace: bool) -> Scored {
        let n = &self.nodes[ni];
        let leaf = Leaf {
            node: n,
            period,
            w: period.window(),
            trace,
        };
        if trace {
            cx.forget();
        }
        let mut out = match &n.kind {
            NodeKind::Area { .. } | NodeKind::Children => {
                return Scored::without_points(Status::Scored)
            }
            NodeKind::Manual => score_manual(cx, leaf),
            NodeKind::Met {
                when,
                text,
                otherwise,
            } => self.score_met(cx, leaf, when, text, *otherwise),
            NodeKind::Scaled {
                value,
                text,
                cscale,
                ..
            } => self.score_scaled(cx, leaf, value, text, cscale),
        };
        fall_back(cx, leaf, &mut out);
        let applies = self.ast.rounding.criterion;
        self.round_points(&mut out.points, applies, &mut cx.steps, trace);
        out
    }

    /// A `when` criterion: full points when its condition holds, else its `otherwise` points.
    fn score_met(
        &self,
        cx: &mut Ctx,
        leaf: Leaf,
        when: &CExpr,
        text: &str,
        otherwise: rust_decimal::Decimal,
    ) -> Scored {
        let b = match cx.boolean(when, leaf.w) {
            Ok(b) => b,
            Err(e) => return criterion_failed(cx, leaf, e),
        };
        let p = if b {
            leaf.node.max.clone()
        } else {
            Exact::from(otherwise)
        };
        if leaf.trace {
            cx.steps.push(Step::Value {
                expr: text.to_string(),
                expr_vi: expr_vi(when, self),
                value: Val::Bool(b),
            });
            let (bv, be) = if b {
                ("điều kiện đúng: đạt", "met")
            } else {
                ("điều kiện sai: không đạt", "not met")
            };
            cx.steps.push(Step::Scale {
                kind: "met",
                branch_vi: bv.into(),
                branch_en: be.into(),
                points: p.clone(),
            });
        }
        Scored::with_points(p, Val::Bool(b))
    }

    /// A scaled criterion: its value, then the points its scale gives for that value.
    fn score_scaled(
        &self,
        cx: &mut Ctx,
        leaf: Leaf,
        value: &CExpr,
        text: &str,
        cscale: &CScale,
    ) -> Scored {
        let (n, trace) = (leaf.node, leaf.trace);
        let unit = value_unit(self, value);
        let (v, (p, bvi, ben)) = match cx
            .num(value, leaf.w)
            .and_then(|v| apply_scale(cscale, &n.max, &v, unit, trace).map(|r| (v, r)))
        {
            Ok(r) => r,
            Err(e) => return criterion_failed(cx, leaf, e),
        };
        if trace {
            cx.steps.push(Step::Value {
                expr: text.to_string(),
                expr_vi: expr_vi(value, self),
                value: Val::Num(v.clone()),
            });
            cx.steps.push(Step::Scale {
                kind: scale_kind(cscale),
                branch_vi: bvi,
                branch_en: ben,
                points: p.clone(),
            });
        }
        Scored::with_points(p, Val::Num(v))
    }

    /// Rounds points once from their exact value when `applies` (the regulation rounds at this
    /// level), recording the rounding in `steps` when it changes them.
    fn round_points(
        &self,
        points: &mut Option<Exact>,
        applies: bool,
        steps: &mut Vec<Step>,
        trace: bool,
    ) {
        let ro = &self.ast.rounding;
        if let (Some(p), true) = (&*points, applies) {
            let r = round(p, ro.places, ro.mode);
            if trace && r != *p {
                steps.push(Step::Rounding {
                    before: p.clone(),
                    after: r.clone(),
                    places: ro.places,
                    mode: ro.mode,
                });
            }
            *points = Some(r);
        }
    }

    /// Scores one unit: its criteria, their parents' sums, the bonus and penalty items, then
    /// the total (or the provisional total of what is scored so far).
    pub(crate) fn eval_unit(
        &self,
        data: &Dataset,
        bind: &[Option<u32>],
        names: &Names,
        unit_id: &str,
        period: PeriodKey,
        opts: EvalOptions,
    ) -> UnitResult {
        let w = period.window();
        let mut cx = self.ctx(data, bind, unit_id, w, opts.trace);
        let mut nodes = self.score_nodes(&mut cx, names, period, opts.trace);
        let mut total_trace = Vec::new();
        let partial = self.sum_parents(&mut nodes, &mut total_trace, opts.trace);
        // Bonus and penalty items (they may use `points(ID)`).
        cx.node_points = nodes.iter().map(|n| n.points.clone()).collect();
        let (bonuses, b_total, b_err) = self.items(&mut cx, names, 0, &mut total_trace, opts);
        let (penalties, p_total, p_err) = self.items(&mut cx, names, 1, &mut total_trace, opts);
        let mut status = self.unit_status(&nodes, b_err || p_err || partial.is_none());
        let mut total = None;
        let mut provisional_total = None;
        if matches!(status, Status::Scored | Status::NotScored) {
            match self.total(
                &nodes,
                partial.as_deref().unwrap_or(&[]),
                &b_total,
                &p_total,
                status == Status::Scored,
                &mut total_trace,
                opts.trace,
            ) {
                Ok(t) if status == Status::Scored => total = Some(t),
                Ok(t) => provisional_total = Some(t),
                Err(e) => {
                    total_trace.push(e.step());
                    status = Status::Error;
                }
            }
        }
        UnitResult {
            unit: unit_id.to_string(),
            name: data.unit_name(unit_id).map(str::to_string),
            period,
            status,
            nodes,
            provisional_total,
            bonuses,
            penalties,
            bonus_total: b_total,
            penalty_total: p_total,
            total,
            total_trace,
            rank: None,
            band: None,
            ties: Vec::new(),
        }
    }

    /// Every node's result in pre-order: a leaf's points, value, status and trace; a parent's
    /// are filled in by [`Self::sum_parents`].
    fn score_nodes(
        &self,
        cx: &mut Ctx,
        names: &Names,
        period: PeriodKey,
        trace: bool,
    ) -> Vec<NodeResult> {
        let mut nodes: Vec<NodeResult> = Vec::with_capacity(self.nodes.len());
        for (ni, n) in self.nodes.iter().enumerate() {
            let s = self.score_node(cx, ni, period, trace);
            nodes.push(NodeResult {
                id: names.nodes[ni].0.clone(),
                name: names.nodes[ni].1.clone(),
                depth: n.depth,
                max_points: n.points,
                points: s.points,
                value: s.value,
                status: s.status,
                trace: std::mem::take(&mut cx.steps),
            });
        }
        nodes
    }

    /// The unit's status: an error when `failed` (an item or a parent's sum) or in an area,
    /// else not scored yet when an area is, else scored.
    fn unit_status(&self, nodes: &[NodeResult], failed: bool) -> Status {
        let mut status = Status::Scored;
        for a in &self.areas {
            match nodes[*a].status {
                Status::Error => status = Status::Error,
                Status::NotScored if status != Status::Error => status = Status::NotScored,
                _ => {}
            }
        }
        if failed {
            status = Status::Error;
        }
        status
    }

    /// Parents, bottom-up; returns what is scored so far under each node (for a provisional
    /// total), or `None` after an overflow (recorded in the trace).
    fn sum_parents(
        &self,
        nodes: &mut [NodeResult],
        total_trace: &mut Vec<Step>,
        trace: bool,
    ) -> Option<Vec<Exact>> {
        let mut partial: Vec<Exact> = nodes
            .iter()
            .map(|n| n.points.clone().unwrap_or_default())
            .collect();
        for i in (0..self.nodes.len()).rev() {
            let ch = &self.nodes[i].children;
            if ch.is_empty() {
                continue;
            }
            let mut s = Exact::ZERO;
            let mut st = Status::Scored;
            for c in ch {
                match nodes[*c].status {
                    Status::Error => st = Status::Error,
                    Status::NotScored if st != Status::Error => st = Status::NotScored,
                    _ => {}
                }
                match add(&s, &partial[*c]) {
                    Ok(x) => s = x,
                    Err(e) => {
                        let n = &self.nodes[i];
                        let e = e.within(&format!("tổng điểm của `{}` «{}»", n.id, n.name));
                        total_trace.push(e.step());
                        nodes[i].status = Status::Error;
                        return None;
                    }
                }
            }
            partial[i] = s.clone();
            let n = &mut nodes[i];
            n.status = st;
            n.points = matches!(st, Status::Scored).then(|| s.clone());
            if trace {
                n.trace.push(Step::Sum {
                    parts: ch.len(),
                    points: s,
                });
            }
        }
        Some(partial)
    }

    /// Bonus (`k = 0`) or penalty (`k = 1`) items: each item's points, then the caps by area
    /// and overall. Returns the items, the capped sum and whether any item failed.
    fn items(
        &self,
        cx: &mut Ctx,
        names: &Names,
        k: usize,
        total_trace: &mut Vec<Step>,
        opts: EvalOptions,
    ) -> (Vec<ItemResult>, Option<Exact>, bool) {
        let (items, cap) = if k == 0 {
            (&self.bonuses, self.ast.bonus_cap)
        } else {
            (&self.penalties, self.ast.penalty_cap)
        };
        let mut by_area: Vec<(Option<usize>, Exact)> = Vec::new();
        let mut results = Vec::with_capacity(items.len());
        let mut failed = false;
        for (ii, it) in items.iter().enumerate() {
            if opts.trace {
                cx.forget();
            }
            let (value, points, status) = self.score_item(cx, it, k, opts.trace);
            failed |= status == Status::Error;
            if let Some(p) = &points {
                if let Err(e) = add_to_area(&mut by_area, it.area, p) {
                    total_trace.push(e.within(&item_what(k, it)).step());
                    failed = true;
                }
            }
            results.push(ItemResult {
                id: names.items[k][ii].0.clone(),
                name: names.items[k][ii].1.clone(),
                area: it.area.map(|a| names.nodes[a].0.clone()),
                value,
                points,
                status,
                trace: std::mem::take(&mut cx.steps),
            });
        }
        if failed {
            // An item that cannot be computed leaves the sum unknown, never a smaller sum.
            return (results, None, true);
        }
        let sum = self.cap_items(k, by_area, cap, total_trace, opts.trace);
        match sum {
            Ok(s) => (results, Some(s), false),
            Err(e) => {
                total_trace.push(e.step());
                (results, None, true)
            }
        }
    }

    /// One bonus (`k = 0`) or penalty (`k = 1`) item: its value, its points (`per` for each
    /// unit of a positive value, within the item's cap, rounded when the regulation rounds
    /// items) and its status; its steps go to `cx.steps`.
    fn score_item(
        &self,
        cx: &mut Ctx,
        it: &CItem,
        k: usize,
        trace: bool,
    ) -> (Option<Exact>, Option<Exact>, Status) {
        let w = cx.base;
        let r = cx.num(&it.value, w).and_then(|v| {
            let raw = mul(&Exact::from(it.per), &v.clone().max(Exact::ZERO))?;
            Ok((v, raw))
        });
        let (value, mut points, status) = match r {
            Ok((v, raw)) => {
                let p = self.capped_item(cx, it, &v, raw, trace);
                (Some(v), Some(p), Status::Scored)
            }
            Err(e) => {
                if trace {
                    cx.steps.push(e.within(&item_what(k, it)).step());
                }
                (None, None, Status::Error)
            }
        };
        let applies = self.ast.rounding.item;
        self.round_points(&mut points, applies, &mut cx.steps, trace);
        (value, points, status)
    }

    /// An item's points, `raw`, within the item's own cap; traces its value `v` and the cap
    /// when it applies.
    fn capped_item(&self, cx: &mut Ctx, it: &CItem, v: &Exact, raw: Exact, trace: bool) -> Exact {
        let p = match it.cap {
            Some(c) => raw.clone().min(Exact::from(c)),
            None => raw.clone(),
        };
        if trace {
            cx.steps.push(Step::Value {
                expr: it.text.clone(),
                expr_vi: expr_vi(&it.value, self),
                value: Val::Num(v.clone()),
            });
            if p != raw {
                cx.steps.push(Step::Cap {
                    what_vi: "mức tối đa của mục".into(),
                    what_en: "item cap".into(),
                    before: raw,
                    after: p.clone(),
                });
            }
        }
        p
    }

    /// The items' sums by area, each within its area's cap, added up within the overall `cap`;
    /// the caps that apply go to the total's trace.
    fn cap_items(
        &self,
        k: usize,
        by_area: Vec<(Option<usize>, Exact)>,
        cap: Option<rust_decimal::Decimal>,
        total_trace: &mut Vec<Step>,
        trace: bool,
    ) -> R<Exact> {
        let (wvi, wen) = if k == 0 {
            ("điểm thưởng", "bonus")
        } else {
            ("điểm trừ", "penalty")
        };
        let mut sum = Exact::ZERO;
        for (a, s) in by_area {
            let mut s2 = s.clone();
            if let Some(a) = a {
                if let Some(c) = self.area_cap(a, k) {
                    s2 = s.clone().min(Exact::from(c));
                    if trace && s2 != s {
                        total_trace.push(Step::Cap {
                            what_vi: format!(
                                "mức tối đa {wvi} của lĩnh vực «{}» [{}]",
                                self.nodes[a].name, self.nodes[a].id
                            ),
                            what_en: format!("{wen} cap of area {}", self.nodes[a].id),
                            before: s,
                            after: s2.clone(),
                        });
                    }
                }
            }
            sum = add(&sum, &s2).map_err(|e| e.within(&format!("tổng {wvi}")))?;
        }
        if let Some(c) = cap {
            let c = Exact::from(c);
            if sum > c {
                if trace {
                    total_trace.push(Step::Cap {
                        what_vi: format!("mức tối đa tổng {wvi}"),
                        what_en: format!("overall {wen} cap"),
                        before: sum,
                        after: c.clone(),
                    });
                }
                sum = c;
            }
        }
        Ok(sum)
    }

    /// An area's bonus (`k = 0`) or penalty (`k = 1`) cap, when it has one.
    fn area_cap(&self, a: usize, k: usize) -> Option<rust_decimal::Decimal> {
        match &self.nodes[a].kind {
            NodeKind::Area {
                bonus_cap,
                penalty_cap,
            } => {
                if k == 0 {
                    *bonus_cap
                } else {
                    *penalty_cap
                }
            }
            _ => None,
        }
    }

    /// The total (`complete`) or the provisional total of what is scored so far.
    #[allow(clippy::too_many_arguments)]
    fn total(
        &self,
        nodes: &[NodeResult],
        partial: &[Exact],
        bonus: &Option<Exact>,
        penalty: &Option<Exact>,
        complete: bool,
        total_trace: &mut Vec<Step>,
        trace: bool,
    ) -> R<Exact> {
        let what = "tổng điểm";
        let mut t = Exact::ZERO;
        for a in &self.areas {
            let p = if complete {
                nodes[*a].points.clone().unwrap_or_default()
            } else {
                partial.get(*a).cloned().unwrap_or_default()
            };
            t = add(&t, &p).map_err(|e| e.within(what))?;
        }
        if trace && complete {
            total_trace.push(Step::Sum {
                parts: self.areas.len(),
                points: t.clone(),
            });
        }
        t = add(&t, &bonus.clone().unwrap_or_default()).map_err(|e| e.within(what))?;
        t = sub(&t, &penalty.clone().unwrap_or_default()).map_err(|e| e.within(what))?;
        let ro = &self.ast.rounding;
        if ro.total {
            let r = round(&t, ro.places, ro.mode);
            if trace && complete && r != t {
                total_trace.push(Step::Rounding {
                    before: t,
                    after: r.clone(),
                    places: ro.places,
                    mode: ro.mode,
                });
            }
            t = r;
        }
        Ok(t)
    }

    /// Scores every unit that reports in the period's year, ranks and classifies them.
    pub fn evaluate_all(
        &self,
        data: &Dataset,
        period: PeriodKey,
        opts: EvalOptions,
    ) -> Result<Scoreboard, EngineError> {
        let units: Vec<String> = data
            .units_in_year(period.year)
            .into_iter()
            .map(str::to_string)
            .collect();
        let refs: Vec<&str> = units.iter().map(String::as_str).collect();
        self.evaluate_units(data, &refs, period, opts)
    }

    /// Scores the given units, ranks and classifies them. Units are spread over the cores; the
    /// result (and so every byte of output) does not depend on the split. If a worker fails,
    /// no scoreboard is returned (a ranking with units missing would be wrong).
    pub fn evaluate_units(
        &self,
        data: &Dataset,
        units: &[&str],
        period: PeriodKey,
        opts: EvalOptions,
    ) -> Result<Scoreboard, EngineError> {
        let bind = self.bind(data);
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        let threads = if units.len() < 64 { 1 } else { threads };
        let mut results = par_chunks(units, threads, |part| {
            let names = self.names();
            part.iter()
                .map(|u| self.eval_unit(data, &bind, &names, u, period, opts))
                .collect()
        })?;
        self.rank_and_classify(&mut results, &data.kept)?;
        let (from, to) = period.dates();
        Ok(Scoreboard {
            regulation: self.ast.name.clone(),
            regulation_hash: self.hash_hex(),
            period,
            from: from.format("%d/%m/%Y").to_string(),
            to: to.format("%d/%m/%Y").to_string(),
            units: results,
        })
    }
}

/// A regulation bound to one dataset, to read indicators and elements (see
/// [`CompiledRegulation::measure`]).
pub struct Measurer<'a> {
    reg: &'a CompiledRegulation,
    data: &'a Dataset,
    bind: Vec<Option<u32>>,
}

impl Measurer<'_> {
    /// The value of an indicator or element (by id) for a unit over a period's window.
    pub fn measure(
        &self,
        unit: &str,
        id: &str,
        period: PeriodKey,
    ) -> Option<Result<Val, EvalError>> {
        let reg = self.reg;
        let w = period.window();
        let mut cx = reg.ctx(self.data, &self.bind, unit, w, false);
        if let Some(i) = reg.indicators.iter().position(|x| x.id == id) {
            return Some(cx.indicator(i, w));
        }
        let e = reg.ast.elements.iter().position(|x| x.id == id)?;
        Some(cx.figure(e, w).map(Val::Num))
    }

    /// For an indicator that is a change, `pct_change(now, before)`, the two values it
    /// compares over a period's window (as `pct_change` reads them, `before` with its own
    /// selector: cùng kỳ, the baseline year…); `None` for any other indicator. Progress shows a
    /// "reduce by 5%" target with the counts behind its percentage.
    pub fn change_parts(&self, unit: &str, id: &str, period: PeriodKey) -> Option<(Val, Val)> {
        let reg = self.reg;
        let i = reg.indicators.iter().position(|x| x.id == id)?;
        let CExpr::Call(Func::PctChange, args) = &reg.indicators[i].expr else {
            return None;
        };
        let w = period.window();
        let mut cx = reg.ctx(self.data, &self.bind, unit, w, false);
        let now = cx.eval(&args[0], w).ok()?;
        let before = cx.eval(&args[1], w).ok()?;
        Some((now, before))
    }

    /// The `now` side alone of a change indicator (`pct_change(now, before)`) over a period's
    /// window, whether or not `before` is known: a merged unit's count to date is shown even
    /// where its baseline is incomplete. `None` for any other indicator, or when `now` cannot
    /// be computed.
    pub fn change_now(&self, unit: &str, id: &str, period: PeriodKey) -> Option<Val> {
        let reg = self.reg;
        let i = reg.indicators.iter().position(|x| x.id == id)?;
        let CExpr::Call(Func::PctChange, args) = &reg.indicators[i].expr else {
            return None;
        };
        let w = period.window();
        reg.ctx(self.data, &self.bind, unit, w, false)
            .eval(&args[0], w)
            .ok()
    }
}

impl CompiledRegulation {
    /// This regulation as if written a year earlier ([`crate::ast::Regulation::move_years`]
    /// by −1: its year, period and baseline year): measured over last year's windows, a
    /// change indicator (`pct_change(x, x@baseline)`) compares them with last year's own
    /// baseline, the year before the baseline year, as this year's windows are compared with
    /// this year's — not with themselves. For measuring only: its canonical text and hash stay
    /// this regulation's.
    pub fn a_year_earlier(&self) -> CompiledRegulation {
        let mut earlier = self.clone();
        earlier.ast.move_years(-1);
        earlier
    }

    /// The reporting year the `before` side of a change indicator (`pct_change(now, before)`)
    /// reads over `period`: the baseline year for `@baseline`, the year before for `@cung_ky`,
    /// the year named by `@2023`… What a page names the compared column by ("cùng kỳ 2023").
    /// `None` for any other indicator, or when `before` reads several years.
    pub fn change_year(&self, id: &str, period: PeriodKey) -> Option<i32> {
        let i = self.indicators.iter().position(|x| x.id == id)?;
        let CExpr::Call(Func::PctChange, args) = &self.indicators[i].expr else {
            return None;
        };
        let mut years = std::collections::BTreeSet::new();
        self.years_read(args.get(1)?, period.window(), &mut years, 0);
        match (years.len(), years.first()) {
            (1, Some(y)) => Some(*y),
            _ => None,
        }
    }

    /// The years whose figures an expression reads at window `w` (through indicators, at most
    /// 32 levels deep as the regulation allows).
    fn years_read(
        &self,
        e: &CExpr,
        w: Window,
        out: &mut std::collections::BTreeSet<i32>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        match e {
            CExpr::Elem(_, sel) => {
                if let Ok(x) = select(self, w, *sel) {
                    out.insert(x.year);
                }
            }
            CExpr::Ind(i, sel) => {
                if let (Ok(x), Some(ind)) = (select(self, w, *sel), self.indicators.get(*i)) {
                    self.years_read(&ind.expr, x, out, depth + 1);
                }
            }
            CExpr::Unary(_, a) => self.years_read(a, w, out, depth),
            CExpr::Binary(_, a, b) => {
                self.years_read(a, w, out, depth);
                self.years_read(b, w, out, depth);
            }
            CExpr::If(a, b, c) => {
                for x in [a, b, c] {
                    self.years_read(x, w, out, depth);
                }
            }
            CExpr::Call(_, xs) => {
                for x in xs {
                    self.years_read(x, w, out, depth);
                }
            }
            CExpr::Num(_) | CExpr::Bool(_) | CExpr::Points(_) => {}
        }
    }

    /// The given results again, with their explanation traces; rank, band and tie notes are
    /// kept (they come from the ranking of all units). For explaining a few units, or all of
    /// them chunk by chunk, without holding every trace at once.
    pub fn explain_units(
        &self,
        data: &Dataset,
        results: &[UnitResult],
    ) -> Result<Vec<UnitResult>, EngineError> {
        let bind = self.bind(data);
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        let threads = if results.len() < 16 { 1 } else { threads };
        par_chunks(results, threads, |part| {
            let names = self.names();
            part.iter()
                .map(|r| {
                    let mut u = self.eval_unit(
                        data,
                        &bind,
                        &names,
                        &r.unit,
                        r.period,
                        EvalOptions::with_trace(),
                    );
                    u.rank = r.rank;
                    u.band = r.band.clone();
                    u.ties = r.ties.clone();
                    u
                })
                .collect()
        })
    }
}

/// Maps `f` over chunks of `items` on `threads` threads (in order). A worker that panics is
/// an error naming the units it held, never a silently shorter result.
pub(crate) fn par_chunks<T: Sync, U: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&[T]) -> Vec<U> + Sync,
) -> Result<Vec<U>, EngineError> {
    if threads < 2 || items.len() < 2 {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(items)))
            .map_err(|p| EngineError::Internal(panic_text(&p)));
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                std::thread::Builder::new()
                    .stack_size(16 << 20)
                    .spawn_scoped(s, move || f(part))
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (i, h) in handles.into_iter().enumerate() {
            let part = h
                .map_err(|e| EngineError::Internal(format!("không tạo được luồng / cannot spawn: {e}")))?
                .join()
                .map_err(|p| {
                    EngineError::Internal(format!(
                        "luồng xử lý các mục {}–{} dừng bất thường / worker for items {}–{} failed: {}",
                        i * chunk + 1,
                        ((i + 1) * chunk).min(items.len()),
                        i * chunk + 1,
                        ((i + 1) * chunk).min(items.len()),
                        panic_text(&p)
                    ))
                })?;
            out.extend(part);
        }
        Ok(out)
    })
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_worker_is_an_error_not_a_shorter_result() {
        let items: Vec<u32> = (0..100).collect();
        let ok = par_chunks(&items, 4, |p| p.to_vec()).unwrap();
        assert_eq!(ok, items);
        let err = par_chunks(&items, 4, |p| {
            if p.contains(&57) {
                panic!("boom at 57");
            }
            p.to_vec()
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("51–75") && err.to_string().contains("boom at 57"),
            "{err}"
        );
        let err = par_chunks(&items, 1, |_| -> Vec<u32> { panic!("single") }).unwrap_err();
        assert!(err.to_string().contains("single"));
    }
}
