//! The evaluator: figures aggregated into windows (with lineage and declared outcomes for
//! missing figures), expressions in exact decimals, scales, bonus and penalty caps, totals with
//! rounding, ranking with the tie-break order, and bands with quotas. Never panics; every failure
//! is an explicit outcome in the result.
use crate::ast::{Aggregation, Better, BinOp, Cmp, Func, RoundMode, Scale, Selector, UnOp};
use crate::compile::{CExpr, CompiledRegulation, NodeKind, TieKey};
use crate::data::{Dataset, Fig};
use crate::explain::*;

/// Ids and names of nodes and items as shared texts for the results.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    nodes: Vec<(Text, Text)>,
    items: [Vec<(Text, Text)>; 2],
}
use crate::num::canonical;
use crate::period::{PeriodKey, Window};
use crate::render::vi_num as vi;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;

/// What to compute.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// Record the explanation trace (slower; needed for explanations and workbooks).
    pub trace: bool,
}

impl EvalOptions {
    pub fn with_trace() -> Self {
        EvalOptions { trace: true }
    }
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
    MergeRefused {
        element: String,
        unit: String,
        year: i32,
    },
    DivZero {
        context: String,
    },
    PointsUnavailable {
        id: String,
    },
    Overflow,
    PeriodOutOfRange,
}

impl EvalError {
    pub fn vi(&self) -> String {
        match self {
            EvalError::Missing {
                element,
                unit,
                window,
                missing_months,
            } => {
                let ms: Vec<String> = missing_months.iter().map(|m| format!("{m:02}")).collect();
                format!(
                    "thiếu số liệu `{element}` của `{unit}` kỳ {window} ({}){}",
                    window.date_range_vi(),
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
            } => {
                format!("đơn vị `{unit}` không có số liệu nào năm {year} (chưa tồn tại?) nên không có `{element}`")
            }
            EvalError::MergeRefused {
                element,
                unit,
                year,
            } => {
                format!("`{element}` của đơn vị hợp nhất `{unit}` năm {year}: quy định không cho cộng số liệu đơn vị tiền thân")
            }
            EvalError::DivZero { context } => format!("chia cho 0 khi tính `{context}`"),
            EvalError::PointsUnavailable { id } => {
                format!("chưa có điểm của `{id}` (chưa chấm hoặc không tính được)")
            }
            EvalError::Overflow => "số vượt quá phạm vi tính toán".into(),
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
            EvalError::MergeRefused {
                element,
                unit,
                year,
            } => {
                format!("`{element}` of merged unit `{unit}` for {year}: the regulation forbids summing predecessors")
            }
            EvalError::DivZero { context } => format!("division by zero in `{context}`"),
            EvalError::PointsUnavailable { id } => {
                format!("no points yet for `{id}` (not scored or cannot be computed)")
            }
            EvalError::Overflow => "number out of range".into(),
            EvalError::PeriodOutOfRange => "period outside years 1900–9999".into(),
        }
    }
    fn step(&self) -> Step {
        Step::Error {
            message_vi: self.vi(),
            message_en: self.en(),
        }
    }
}

type R<T> = Result<T, EvalError>;

fn add(a: Decimal, b: Decimal) -> R<Decimal> {
    a.checked_add(b).ok_or(EvalError::Overflow)
}
fn sub(a: Decimal, b: Decimal) -> R<Decimal> {
    a.checked_sub(b).ok_or(EvalError::Overflow)
}
fn mul(a: Decimal, b: Decimal) -> R<Decimal> {
    a.checked_mul(b).ok_or(EvalError::Overflow)
}
fn div(a: Decimal, b: Decimal, ctx: &str) -> R<Decimal> {
    if b.is_zero() {
        return Err(EvalError::DivZero {
            context: ctx.to_string(),
        });
    }
    a.checked_div(b).ok_or(EvalError::Overflow)
}

pub(crate) fn round(d: Decimal, places: u32, mode: RoundMode) -> Decimal {
    if d.scale() <= places {
        return d;
    }
    let s = match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundMode::Down => RoundingStrategy::ToZero,
    };
    d.round_dp_with_strategy(places, s)
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
    fig_base: Vec<Option<R<Decimal>>>,
    /// Points of the nodes, known once the criteria are scored (for `points(ID)` in items).
    node_points: Vec<Option<Decimal>>,
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
) -> R<(Decimal, Source)> {
    let s = series(data, unit, elem);
    // Sorted by window: single months of the window form one run starting at `(year, first, first)`.
    let start = s.partition_point(|f| {
        f.window
            < Window {
                year: w.year,
                first: w.first,
                last: w.first,
            }
    });
    if let Some(f) = s[start..]
        .iter()
        .take_while(|f| f.window.year == w.year && f.window.first == w.first)
        .find(|f| f.window == w)
    {
        return Ok((f.value, Source::Direct { row: f.row }));
    }
    let mut acc: Option<Decimal> = None;
    let mut last = Decimal::ZERO;
    let mut missing = Vec::new();
    let (mut first_row, mut last_row) = (u32::MAX, 0);
    let mut it = s[start..]
        .iter()
        .filter(|f| f.window.first == f.window.last)
        .peekable();
    for m in w.first..=w.last {
        let mw = Window {
            year: w.year,
            first: m,
            last: m,
        };
        while it.peek().is_some_and(|f| f.window < mw) {
            it.next();
        }
        match it.peek() {
            Some(f) if f.window == mw => {
                let v = f.value;
                first_row = first_row.min(f.row);
                last_row = last_row.max(f.row);
                acc = Some(match (acc, agg) {
                    (None, _) => v,
                    (Some(a), Aggregation::Sum | Aggregation::Mean) => add(a, v)?,
                    (Some(a), Aggregation::Max) => a.max(v),
                    (Some(_), Aggregation::Last) => v,
                });
                last = v;
            }
            _ => missing.push(m),
        }
    }
    if missing.len() == w.len() as usize {
        // Nothing at all for the window: say so rather than listing every month.
        missing.clear();
        if !data.years.contains(&(unit, w.year)) {
            return Err(EvalError::UnitAbsent {
                element: el_id.to_string(),
                unit: unit_id.to_string(),
                year: w.year,
            });
        }
        return Err(EvalError::Missing {
            element: el_id.to_string(),
            unit: unit_id.to_string(),
            window: w,
            missing_months: missing,
        });
    }
    if !missing.is_empty() && !data.years.contains(&(unit, w.year)) {
        return Err(EvalError::UnitAbsent {
            element: el_id.to_string(),
            unit: unit_id.to_string(),
            year: w.year,
        });
    }
    if !missing.is_empty() {
        return Err(EvalError::Missing {
            element: el_id.to_string(),
            unit: unit_id.to_string(),
            window: w,
            missing_months: missing,
        });
    }
    let a = acc.unwrap_or(Decimal::ZERO);
    let v = match agg {
        Aggregation::Mean => div(a, Decimal::from(w.len()), el_id)?,
        Aggregation::Last => last,
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
) -> R<(Decimal, Source)> {
    let el = &reg.ast.elements[e];
    let res: R<(Decimal, Source)> = match unit {
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
                let mut total = Decimal::ZERO;
                let mut parts = Vec::new();
                let mut err = None;
                for p in preds {
                    let pid = data.units[*p as usize].as_str();
                    match raw_figure(data, *p, bind[e], el.aggregate, w, &el.id, pid) {
                        Ok((v, _)) => match add(total, v) {
                            Ok(t) => {
                                total = t;
                                parts.push((pid.to_string(), v));
                            }
                            Err(x) => {
                                err = Some(x);
                                break;
                            }
                        },
                        Err(x) => {
                            err = Some(x);
                            break;
                        }
                    }
                }
                match err {
                    Some(x) => Err(x),
                    None => Ok((total, Source::Predecessors { parts })),
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
        Ok(x) => Ok(x),
        Err(
            err @ (EvalError::Missing { .. }
            | EvalError::UnitAbsent { .. }
            | EvalError::MergeRefused { .. }),
        ) => match el.missing {
            Some(d) => Ok((
                d,
                Source::Declared {
                    reason_vi: err.vi(),
                    reason_en: err.en(),
                },
            )),
            None => Err(err),
        },
        Err(x) => Err(x),
    }
}

impl<'a> Ctx<'a> {
    fn figure(&mut self, e: usize, w: Window) -> R<Decimal> {
        if !self.trace {
            if w == self.base {
                if let Some(r) = &self.fig_base[e] {
                    return r.clone();
                }
                let r = figure_at(
                    self.reg,
                    self.data,
                    self.bind,
                    self.unit,
                    self.unit_id,
                    e,
                    w,
                )
                .map(|x| x.0);
                self.fig_base[e] = Some(r.clone());
                return r;
            }
            return figure_at(
                self.reg,
                self.data,
                self.bind,
                self.unit,
                self.unit_id,
                e,
                w,
            )
            .map(|x| x.0);
        }
        let el = &self.reg.ast.elements[e];
        let (v, source) = figure_at(
            self.reg,
            self.data,
            self.bind,
            self.unit,
            self.unit_id,
            e,
            w,
        )?;
        if self.trace {
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
                value: v,
                source,
            });
        }
        Ok(v)
    }

    fn indicator(&mut self, i: usize, w: Window) -> R<Val> {
        if !self.trace {
            if w == self.base {
                if let Some(r) = &self.memo_base[i] {
                    return r.clone();
                }
            } else if let Some((_, _, r)) = self.memo.iter().find(|(j, ww, _)| *j == i && *ww == w)
            {
                return r.clone();
            }
        }
        let ind = &self.reg.indicators[i];
        let r = match self.eval(&ind.expr, w) {
            Err(EvalError::DivZero { .. }) if ind.on_zero_division.is_some() => {
                let d = ind.on_zero_division.unwrap_or_default();
                if self.trace {
                    self.steps.push(Step::ZeroDivision {
                        indicator: ind.id.clone(),
                        declared: d,
                    });
                }
                Ok(Val::Num(d))
            }
            r => r,
        };
        if self.trace {
            if let Ok(v) = &r {
                self.steps.push(Step::Indicator {
                    id: ind.id.clone(),
                    name: ind.name.clone(),
                    period: w,
                    expr: ind.text.clone(),
                    value: *v,
                });
            }
        } else if w == self.base {
            self.memo_base[i] = Some(r.clone());
        } else {
            self.memo.push((i, w, r.clone()));
        }
        r
    }

    fn num(&mut self, e: &CExpr, w: Window) -> R<Decimal> {
        match self.eval(e, w)? {
            Val::Num(n) => Ok(n),
            Val::Bool(b) => Ok(if b { Decimal::ONE } else { Decimal::ZERO }),
        }
    }

    fn boolean(&mut self, e: &CExpr, w: Window) -> R<bool> {
        match self.eval(e, w)? {
            Val::Bool(b) => Ok(b),
            Val::Num(n) => Ok(!n.is_zero()),
        }
    }

    fn eval(&mut self, e: &CExpr, w: Window) -> R<Val> {
        Ok(match e {
            CExpr::Points(n) => match self.node_points.get(*n).copied().flatten() {
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
            CExpr::Num(n) => Val::Num(*n),
            CExpr::Bool(b) => Val::Bool(*b),
            CExpr::Elem(i, sel) => {
                let ww = select(self.reg, w, *sel)?;
                Val::Num(self.figure(*i, ww)?)
            }
            CExpr::Ind(i, sel) => {
                let ww = select(self.reg, w, *sel)?;
                self.indicator(*i, ww)?
            }
            CExpr::Unary(UnOp::Neg, x) => Val::Num(-self.num(x, w)?),
            CExpr::Unary(UnOp::Not, x) => Val::Bool(!self.boolean(x, w)?),
            CExpr::Binary(op, a, b) => match op {
                BinOp::And => Val::Bool(self.boolean(a, w)? && self.boolean(b, w)?),
                BinOp::Or => Val::Bool(self.boolean(a, w)? || self.boolean(b, w)?),
                _ => {
                    let x = self.num(a, w)?;
                    let y = self.num(b, w)?;
                    match op {
                        BinOp::Add => Val::Num(add(x, y)?),
                        BinOp::Sub => Val::Num(sub(x, y)?),
                        BinOp::Mul => Val::Num(mul(x, y)?),
                        BinOp::Div => Val::Num(div(x, y, "/")?),
                        BinOp::Eq => Val::Bool(x == y),
                        BinOp::Ne => Val::Bool(x != y),
                        BinOp::Lt => Val::Bool(x < y),
                        BinOp::Le => Val::Bool(x <= y),
                        BinOp::Gt => Val::Bool(x > y),
                        BinOp::Ge => Val::Bool(x >= y),
                        BinOp::And | BinOp::Or => Val::Bool(false),
                    }
                }
            },
            CExpr::If(c, a, b) => {
                if self.boolean(c, w)? {
                    self.eval(a, w)?
                } else {
                    self.eval(b, w)?
                }
            }
            CExpr::Call(f, args) => {
                let mut v = Vec::with_capacity(args.len());
                for a in args {
                    v.push(self.num(a, w)?);
                }
                let hundred = Decimal::ONE_HUNDRED;
                Val::Num(match f {
                    Func::Min => v.iter().copied().min().unwrap_or_default(),
                    Func::Max => v.iter().copied().max().unwrap_or_default(),
                    Func::Clamp => v[0].max(v[1]).min(v[2]),
                    Func::Abs => v[0].abs(),
                    Func::Round => {
                        let p = u32::try_from(v[1]).unwrap_or(0).min(10);
                        round(v[0], p, RoundMode::HalfUp)
                    }
                    Func::Pct => mul(div(v[0], v[1], "pct")?, hundred)?,
                    Func::PctChange => mul(div(sub(v[0], v[1])?, v[1], "pct_change")?, hundred)?,
                    // Resolved to `CExpr::Points` at compile time; never a call.
                    Func::Points => return Err(EvalError::PointsUnavailable { id: String::new() }),
                })
            }
        })
    }
}

fn clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    x.max(lo).min(hi)
}

/// Points of a scale for value `v`; with the branch taken (vi, en).
pub(crate) fn apply_scale(
    scale: &Scale,
    points: Decimal,
    v: Decimal,
    explain: bool,
) -> R<(Decimal, String, String)> {
    // The texts are built only when an explanation is asked for.
    macro_rules! txt {
        ($e:expr) => {
            if explain {
                $e
            } else {
                String::new()
            }
        };
    }
    let c = canonical;
    Ok(match scale {
        Scale::Linear {
            from,
            to,
            min_points,
        } => {
            let frac = clamp(
                div(sub(v, *from)?, sub(*to, *from)?, "linear")?,
                Decimal::ZERO,
                Decimal::ONE,
            );
            let p = add(*min_points, mul(frac, sub(points, *min_points)?)?)?;
            (
                p,
                txt!(format!(
                    "tuyến tính từ {} ({} điểm) đến {} ({} điểm), tỷ lệ {}",
                    vi(*from),
                    vi(*min_points),
                    vi(*to),
                    vi(points),
                    vi(frac)
                )),
                txt!(format!(
                    "linear from {} ({} pts) to {} ({} pts), fraction {}",
                    c(*from),
                    c(*min_points),
                    c(*to),
                    c(points),
                    c(frac)
                )),
            )
        }
        Scale::Steps { steps, otherwise } => {
            for s in steps {
                let hit = match s.cmp {
                    Cmp::AtLeast => v >= s.bound,
                    Cmp::AtMost => v <= s.bound,
                };
                if hit {
                    let (ovi, oen) = match s.cmp {
                        Cmp::AtLeast => ("≥", ">="),
                        Cmp::AtMost => ("≤", "<="),
                    };
                    return Ok((
                        s.points,
                        txt!(format!("bậc {ovi} {}", vi(s.bound))),
                        txt!(format!("step {oen} {}", c(s.bound))),
                    ));
                }
            }
            (
                *otherwise,
                txt!(String::from("không đạt bậc nào")),
                txt!(String::from("no step reached")),
            )
        }
        Scale::Short {
            target,
            better,
            per,
            floor,
        } => {
            let short = match better {
                Better::Higher => sub(*target, v)?,
                Better::Lower => sub(v, *target)?,
            };
            if short <= Decimal::ZERO {
                (
                    points,
                    txt!(format!("đạt chỉ tiêu ({})", vi(*target))),
                    txt!(format!("target {} met", c(*target))),
                )
            } else {
                let p = sub(points, mul(*per, short)?).unwrap_or(*floor).max(*floor);
                (
                    p,
                    txt!(format!(
                        "thiếu {} so với chỉ tiêu {}: trừ {} điểm mỗi 1%, sàn {}",
                        vi(short),
                        vi(*target),
                        vi(*per),
                        vi(*floor)
                    )),
                    txt!(format!(
                        "{} short of target {}: minus {} per 1%, floor {}",
                        c(short),
                        c(*target),
                        c(*per),
                        c(*floor)
                    )),
                )
            }
        }
        Scale::Above {
            target,
            better,
            per,
            cap,
            otherwise,
        } => {
            let over = match better {
                Better::Higher => sub(v, *target)?,
                Better::Lower => sub(*target, v)?,
            };
            if over >= Decimal::ZERO {
                let extra = mul(*per, over).unwrap_or(*cap).min(*cap);
                (
                    add(points, extra)?,
                    txt!(format!(
                        "đạt chỉ tiêu {}, vượt {}: cộng {} (tối đa {})",
                        vi(*target),
                        vi(over),
                        vi(extra),
                        vi(*cap)
                    )),
                    txt!(format!(
                        "target {} met, {} above: plus {} (cap {})",
                        c(*target),
                        c(over),
                        c(extra),
                        c(*cap)
                    )),
                )
            } else {
                (
                    *otherwise,
                    txt!(format!("không đạt chỉ tiêu {}", vi(*target))),
                    txt!(format!("target {} not met", c(*target))),
                )
            }
        }
        Scale::Range {
            low,
            high,
            per,
            floor,
            otherwise,
        } => {
            if v >= *low && v <= *high {
                (
                    points,
                    txt!(format!("trong khoảng {} … {}", vi(*low), vi(*high))),
                    txt!(format!("within {} … {}", c(*low), c(*high))),
                )
            } else {
                let dist = if v < *low {
                    sub(*low, v)?
                } else {
                    sub(v, *high)?
                };
                match per {
                    Some(p) => {
                        let pts = sub(points, mul(*p, dist)?).unwrap_or(*floor).max(*floor);
                        (
                            pts,
                            txt!(format!(
                                "ngoài khoảng {} … {} một đoạn {}: trừ {} mỗi 1%, sàn {}",
                                vi(*low),
                                vi(*high),
                                vi(dist),
                                vi(*p),
                                vi(*floor)
                            )),
                            txt!(format!(
                                "{} outside {} … {}: minus {} per 1%, floor {}",
                                c(dist),
                                c(*low),
                                c(*high),
                                c(*p),
                                c(*floor)
                            )),
                        )
                    }
                    None => (
                        *otherwise,
                        txt!(format!("ngoài khoảng {} … {}", vi(*low), vi(*high))),
                        txt!(format!("outside {} … {}", c(*low), c(*high))),
                    ),
                }
            }
        }
        Scale::Formula => {
            let p = clamp(v, Decimal::ZERO, points);
            (
                p,
                txt!(format!("điểm theo công thức, giới hạn 0 … {}", vi(points))),
                txt!(format!("formula points, clamped to 0 … {}", c(points))),
            )
        }
    })
}

fn scale_kind(s: &Scale) -> &'static str {
    match s {
        Scale::Linear { .. } => "linear",
        Scale::Steps { .. } => "steps",
        Scale::Short { .. } => "per_pct_short",
        Scale::Above { .. } => "per_pct_above",
        Scale::Range { .. } => "range",
        Scale::Formula => "formula",
    }
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

    fn eval_unit(
        &self,
        data: &Dataset,
        bind: &[Option<u32>],
        names: &Names,
        unit_id: &str,
        period: PeriodKey,
        opts: EvalOptions,
    ) -> UnitResult {
        let w = period.window();
        let unit = data.unit_index.get(unit_id).copied();
        let mut cx = Ctx {
            reg: self,
            data,
            bind,
            unit,
            unit_id,
            trace: opts.trace,
            steps: Vec::new(),
            base: w,
            memo_base: vec![None; self.indicators.len()],
            memo: Vec::new(),
            fig_base: vec![None; self.ast.elements.len()],
            node_points: Vec::new(),
        };
        let ro = &self.ast.rounding;
        let mut nodes: Vec<NodeResult> = Vec::with_capacity(self.nodes.len());
        for (ni, n) in self.nodes.iter().enumerate() {
            let mut status = Status::Scored;
            let mut points = None;
            match &n.kind {
                NodeKind::Area { .. } | NodeKind::Children => {}
                NodeKind::Manual => {
                    let m = unit.and_then(|u| {
                        data.manual
                            .get(n.id.as_str())
                            .and_then(|m| m.get(&(u, period)))
                    });
                    if opts.trace {
                        cx.steps.push(Step::Manual {
                            score: m.map(|x| x.0),
                            row: m.map(|x| x.1),
                        });
                    }
                    match m {
                        Some((v, _)) => points = Some(clamp(*v, Decimal::ZERO, n.points)),
                        None => status = Status::NotScored,
                    }
                }
                NodeKind::Met {
                    when,
                    text,
                    otherwise,
                } => match cx.boolean(when, w) {
                    Ok(b) => {
                        let p = if b { n.points } else { *otherwise };
                        if opts.trace {
                            cx.steps.push(Step::Value {
                                expr: text.clone(),
                                value: Val::Bool(b),
                            });
                            let (bv, be) = if b {
                                ("đạt", "met")
                            } else {
                                ("không đạt", "not met")
                            };
                            cx.steps.push(Step::Scale {
                                kind: "met",
                                branch_vi: bv.into(),
                                branch_en: be.into(),
                                points: p,
                            });
                        }
                        points = Some(p);
                    }
                    Err(e) => {
                        if opts.trace {
                            cx.steps.push(e.step());
                        }
                        status = Status::Error;
                    }
                },
                NodeKind::Scaled { value, text, scale } => match cx
                    .num(value, w)
                    .and_then(|v| apply_scale(scale, n.points, v, opts.trace).map(|r| (v, r)))
                {
                    Ok((v, (p, bvi, ben))) => {
                        if opts.trace {
                            cx.steps.push(Step::Value {
                                expr: text.clone(),
                                value: Val::Num(v),
                            });
                            cx.steps.push(Step::Scale {
                                kind: scale_kind(scale),
                                branch_vi: bvi,
                                branch_en: ben,
                                points: p,
                            });
                        }
                        points = Some(p);
                    }
                    Err(e) => {
                        if opts.trace {
                            cx.steps.push(e.step());
                        }
                        status = Status::Error;
                    }
                },
            }
            if status == Status::Error {
                if let Some(fb) = n.on_error {
                    if opts.trace {
                        cx.steps.push(Step::Fallback {
                            reason_vi: "không tính được; áp dụng điểm quy định cho trường hợp này (`on_error`)".into(),
                            reason_en: "cannot be computed; the regulation's `on_error` points apply".into(),
                            points: fb,
                        });
                    }
                    status = Status::Fallback;
                    points = Some(fb);
                }
            }
            if let (Some(p), true) = (points, ro.criterion) {
                let r = round(p, ro.places, ro.mode);
                if opts.trace && r != p {
                    cx.steps.push(Step::Rounding {
                        before: p,
                        after: r,
                        places: ro.places,
                        mode: ro.mode,
                    });
                }
                points = Some(r);
            }
            nodes.push(NodeResult {
                id: names.nodes[ni].0.clone(),
                name: names.nodes[ni].1.clone(),
                depth: n.depth,
                max_points: n.points,
                points,
                status,
                trace: std::mem::take(&mut cx.steps),
            });
        }
        // Parents, bottom-up. `partial` sums what is scored so far (for a provisional total).
        let mut partial: Vec<Decimal> =
            nodes.iter().map(|n| n.points.unwrap_or_default()).collect();
        for i in (0..self.nodes.len()).rev() {
            let ch = &self.nodes[i].children;
            if ch.is_empty() {
                continue;
            }
            let mut s = Decimal::ZERO;
            let mut st = Status::Scored;
            for c in ch {
                let r = &nodes[*c];
                match r.status {
                    Status::Error => st = Status::Error,
                    Status::NotScored if st != Status::Error => st = Status::NotScored,
                    _ => {}
                }
                s = s.checked_add(partial[*c]).unwrap_or(s);
            }
            partial[i] = s;
            let n = &mut nodes[i];
            n.status = st;
            n.points = matches!(st, Status::Scored).then_some(s);
            if opts.trace {
                n.trace.push(Step::Sum {
                    parts: ch.len(),
                    points: s,
                });
            }
        }
        // Bonus and penalty items (they may use `points(ID)`).
        cx.node_points = nodes.iter().map(|n| n.points).collect();
        let mut totals = [None, None];
        let mut item_results = [Vec::new(), Vec::new()];
        let mut total_trace = Vec::new();
        let mut any_err = false;
        for (k, (items, cap)) in [
            (&self.bonuses, self.ast.bonus_cap),
            (&self.penalties, self.ast.penalty_cap),
        ]
        .into_iter()
        .enumerate()
        {
            let mut by_area: Vec<(Option<usize>, Decimal)> = Vec::new();
            for (ii, it) in items.iter().enumerate() {
                let r = cx.num(&it.value, w);
                let (value, mut points, status) = match r {
                    Ok(v) => {
                        let raw = mul(it.per, v.max(Decimal::ZERO)).unwrap_or(Decimal::MAX);
                        let mut p = raw;
                        if let Some(c) = it.cap {
                            p = p.min(c);
                        }
                        if opts.trace {
                            cx.steps.push(Step::Value {
                                expr: it.text.clone(),
                                value: Val::Num(v),
                            });
                            if p != raw {
                                cx.steps.push(Step::Cap {
                                    what_vi: "mức tối đa của mục".into(),
                                    what_en: "item cap".into(),
                                    before: raw,
                                    after: p,
                                });
                            }
                        }
                        (Some(v), Some(p), Status::Scored)
                    }
                    Err(e) => {
                        if opts.trace {
                            cx.steps.push(e.step());
                        }
                        any_err = true;
                        (None, None, Status::Error)
                    }
                };
                if let (Some(p), true) = (points, ro.item) {
                    let r = round(p, ro.places, ro.mode);
                    if opts.trace && r != p {
                        cx.steps.push(Step::Rounding {
                            before: p,
                            after: r,
                            places: ro.places,
                            mode: ro.mode,
                        });
                    }
                    points = Some(r);
                }
                if let Some(p) = points {
                    match by_area.iter_mut().find(|(a, _)| *a == it.area) {
                        Some((_, s)) => *s = s.checked_add(p).unwrap_or(Decimal::MAX),
                        None => by_area.push((it.area, p)),
                    }
                }
                item_results[k].push(ItemResult {
                    id: names.items[k][ii].0.clone(),
                    name: names.items[k][ii].1.clone(),
                    area: it.area.map(|a| names.nodes[a].0.clone()),
                    value,
                    points,
                    status,
                    trace: std::mem::take(&mut cx.steps),
                });
            }
            let (wvi, wen) = if k == 0 {
                ("điểm thưởng", "bonus")
            } else {
                ("điểm trừ", "penalty")
            };
            let mut sum = Decimal::ZERO;
            for (a, s) in by_area {
                let mut s2 = s;
                if let Some(a) = a {
                    let acap = match &self.nodes[a].kind {
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
                    };
                    if let Some(c) = acap {
                        s2 = s.min(c);
                        if opts.trace && s2 != s {
                            total_trace.push(Step::Cap {
                                what_vi: format!(
                                    "mức tối đa {wvi} của lĩnh vực {}",
                                    self.nodes[a].id
                                ),
                                what_en: format!("{wen} cap of area {}", self.nodes[a].id),
                                before: s,
                                after: s2,
                            });
                        }
                    }
                }
                sum = sum.checked_add(s2).unwrap_or(Decimal::MAX);
            }
            if let Some(c) = cap {
                if sum > c {
                    if opts.trace {
                        total_trace.push(Step::Cap {
                            what_vi: format!("mức tối đa tổng {wvi}"),
                            what_en: format!("overall {wen} cap"),
                            before: sum,
                            after: c,
                        });
                    }
                    sum = c;
                }
            }
            totals[k] = Some(sum);
        }
        let [bonuses, penalties] = item_results;
        let mut status = Status::Scored;
        for a in &self.areas {
            match nodes[*a].status {
                Status::Error => status = Status::Error,
                Status::NotScored if status != Status::Error => status = Status::NotScored,
                _ => {}
            }
        }
        if any_err {
            status = Status::Error;
        }
        let mut total = None;
        let mut provisional_total = None;
        if status == Status::NotScored {
            let mut t = Decimal::ZERO;
            for a in &self.areas {
                t = t.checked_add(partial[*a]).unwrap_or(Decimal::MAX);
            }
            t = t
                .checked_add(totals[0].unwrap_or_default())
                .unwrap_or(Decimal::MAX);
            t = t
                .checked_sub(totals[1].unwrap_or_default())
                .unwrap_or(Decimal::MIN);
            provisional_total = Some(if ro.total {
                round(t, ro.places, ro.mode)
            } else {
                t
            });
        }
        if status == Status::Scored {
            let mut t = Decimal::ZERO;
            for a in &self.areas {
                t = t
                    .checked_add(nodes[*a].points.unwrap_or_default())
                    .unwrap_or(Decimal::MAX);
            }
            if opts.trace {
                total_trace.push(Step::Sum {
                    parts: self.areas.len(),
                    points: t,
                });
            }
            t = t
                .checked_add(totals[0].unwrap_or_default())
                .unwrap_or(Decimal::MAX);
            t = t
                .checked_sub(totals[1].unwrap_or_default())
                .unwrap_or(Decimal::MIN);
            if ro.total {
                let r = round(t, ro.places, ro.mode);
                if opts.trace && r != t {
                    total_trace.push(Step::Rounding {
                        before: t,
                        after: r,
                        places: ro.places,
                        mode: ro.mode,
                    });
                }
                t = r;
            }
            total = Some(t);
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
            bonus_total: totals[0],
            penalty_total: totals[1],
            total,
            total_trace,
            rank: None,
            band: None,
        }
    }

    /// Scores every unit that reports in the period's year, ranks and classifies them.
    pub fn evaluate_all(&self, data: &Dataset, period: PeriodKey, opts: EvalOptions) -> Scoreboard {
        let units: Vec<String> = data
            .units_in_year(period.year)
            .into_iter()
            .map(str::to_string)
            .collect();
        let refs: Vec<&str> = units.iter().map(String::as_str).collect();
        self.evaluate_units(data, &refs, period, opts)
    }

    /// Scores the given units, ranks and classifies them.
    pub fn evaluate_units(
        &self,
        data: &Dataset,
        units: &[&str],
        period: PeriodKey,
        opts: EvalOptions,
    ) -> Scoreboard {
        let bind = self.bind(data);
        // Units are independent: split them over the available cores; the order of the results
        // (and so every byte of output) does not depend on the split.
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        let mut results: Vec<UnitResult> = if threads < 2 || units.len() < 64 {
            units
                .iter()
                .map(|u| self.eval_unit(data, &bind, &self.names, u, period, opts))
                .collect()
        } else {
            let chunk = units.len().div_ceil(threads);
            let bind = &bind;
            std::thread::scope(|s| {
                let handles: Vec<_> = units
                    .chunks(chunk)
                    .map(|part| {
                        s.spawn(move || {
                            let names = self.names();
                            part.iter()
                                .map(|u| self.eval_unit(data, bind, &names, u, period, opts))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            })
        };
        self.rank_and_classify(&mut results);
        let (from, to) = period.dates();
        Scoreboard {
            regulation: self.ast.name.clone(),
            regulation_hash: self.hash_hex(),
            period,
            from: from.format("%d/%m/%Y").to_string(),
            to: to.format("%d/%m/%Y").to_string(),
            units: results,
        }
    }

    fn tie_cmp(&self, a: &UnitResult, b: &UnitResult) -> Ordering {
        let t = |u: &UnitResult| u.total.unwrap_or_default();
        let mut o = t(b).cmp(&t(a));
        for k in &self.tie_break {
            if o != Ordering::Equal {
                break;
            }
            o = match k {
                TieKey::Node(n) => b.nodes[*n]
                    .points
                    .unwrap_or_default()
                    .cmp(&a.nodes[*n].points.unwrap_or_default()),
                TieKey::Bonus => b
                    .bonus_total
                    .unwrap_or_default()
                    .cmp(&a.bonus_total.unwrap_or_default()),
                TieKey::Penalty => a
                    .penalty_total
                    .unwrap_or_default()
                    .cmp(&b.penalty_total.unwrap_or_default()),
            };
        }
        o
    }

    fn rank_and_classify(&self, results: &mut [UnitResult]) {
        results.sort_by(|a, b| {
            let ra = a.status == Status::Scored;
            let rb = b.status == Status::Scored;
            rb.cmp(&ra)
                .then_with(|| {
                    if ra && rb {
                        self.tie_cmp(a, b)
                    } else {
                        Ordering::Equal
                    }
                })
                .then_with(|| a.unit.cmp(&b.unit))
        });
        let ranked = results
            .iter()
            .take_while(|r| r.status == Status::Scored)
            .count();
        for i in 0..ranked {
            let rank = if i > 0 && self.tie_cmp(&results[i - 1], &results[i]) == Ordering::Equal {
                results[i - 1].rank.unwrap_or(1)
            } else {
                i as u32 + 1
            };
            results[i].rank = Some(rank);
        }
        // Bands by score.
        let band_of = |t: Decimal| -> usize {
            self.bands
                .iter()
                .position(|b| b.min.is_none_or(|m| t >= m))
                .unwrap_or(self.bands.len() - 1)
        };
        let mut assigned: Vec<usize> = results[..ranked]
            .iter()
            .map(|r| band_of(r.total.unwrap_or_default()))
            .collect();
        let by_score = assigned.clone();
        let mut tie_flag = vec![false; ranked];
        for bi in 0..self.bands.len() {
            let Some(q) = self.bands[bi].quota_pct else {
                continue;
            };
            let allowed = (Decimal::from(ranked as u64) * q / Decimal::ONE_HUNDRED).floor();
            let allowed = usize::try_from(allowed).unwrap_or(0);
            let members: Vec<usize> = (0..ranked).filter(|i| assigned[*i] == bi).collect();
            if members.len() <= allowed {
                continue;
            }
            let cut_rank = results[members[allowed]].rank;
            let tie = allowed > 0 && results[members[allowed - 1]].rank == cut_rank;
            for (pos, i) in members.iter().enumerate() {
                let at_cut = tie && results[*i].rank == cut_rank;
                if pos >= allowed || at_cut {
                    tie_flag[*i] = at_cut;
                    assigned[*i] = (bi + 1).min(self.bands.len() - 1);
                }
            }
        }
        for i in 0..ranked {
            let b = &self.bands[assigned[i]];
            results[i].band = Some(BandResult {
                id: b.id.clone(),
                name: b.name.clone(),
                by_score: self.bands[by_score[i]].id.clone(),
                by_score_name: self.bands[by_score[i]].name.clone(),
                demoted_by_quota: assigned[i] != by_score[i],
                tie_at_cutoff: tie_flag[i],
            });
        }
    }
}
