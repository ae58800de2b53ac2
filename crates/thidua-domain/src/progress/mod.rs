//! Progress during the year (stage `progress`, read-only): for a covenant, each member unit's
//! provisional score year to date — the engine ([`thidua_scoring`]) on *approved* figures only,
//! through the unit's last month approved without a gap, manual criteria "chưa chấm" — with
//! the engine's explanation, and per target the value to date, the same windows last year
//! ("cùng kỳ"), a projection to the year end ([`project`]) with its assumption, and a status
//! ([`status`]). Drafts, submissions and reopened reports never enter: the data comes from
//! [`crate::engine_data`], which reads published reports only. Computed on demand from a
//! [`State`]; owns no event.

pub mod incremental;
pub mod project;
pub mod status;
pub mod synth;

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use thidua_scoring::data::DatasetBuilder;
use thidua_scoring::engine::Measurer;
use thidua_scoring::explain::Val;
use thidua_scoring::{CompiledRegulation, Dataset, EvalOptions, Exact, PeriodKey, UnitResult};

use crate::calendar::Calendar;
use crate::engine_data::{self, engine_error, Spec};
use crate::error::DomainError;
use crate::ids::{CovenantId, UnitId};
use crate::model::{Target, TargetKind};
use crate::state::State;
pub use incremental::Incremental;
pub use project::Method;
pub use status::Status;

/// A covenant's progress: one entry per member unit, in sorted member order.
#[derive(Clone, Debug, Serialize)]
pub struct Progress {
    pub covenant: CovenantId,
    pub year: i32,
    /// The cut-off of the latest window any member has approved ("Số liệu tính đến ngày").
    pub as_of: Option<NaiveDate>,
    pub units: Vec<UnitProgress>,
}

/// One member's progress.
#[derive(Clone, Debug, Serialize)]
pub struct UnitProgress {
    pub unit: UnitId,
    /// The last reporting month approved with every month before it (none: nothing yet).
    pub through: Option<u8>,
    /// That month's cut-off.
    pub as_of: Option<NaiveDate>,
    /// The engine's result to date (with its explanation when asked for), manual criteria not
    /// scored.
    pub score: Option<UnitResult>,
    pub method: Method,
    pub targets: Vec<TargetProgress>,
    /// Without a total to date, who of a merged member's lineage lacks approved figures of an
    /// earlier year the score reads (the year before, the regulation's baseline year): why.
    #[serde(skip)]
    pub score_lacking: Option<Lacking>,
}

/// The units of a merged member's lineage without approved figures of an earlier `year` over
/// the months a value reads ([`State::earlier_missing_through`]): why that value is missing,
/// never a partial sum of the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lacking {
    pub year: i32,
    /// The last month of `year` the value reads (months 1 to `through`): the named units lack
    /// approved figures of at least one of them, not necessarily of all.
    pub through: u8,
    pub units: Vec<UnitId>,
}

/// Of `years` before the covenant's `year`, the first in which some unit of `unit`'s lineage
/// lacks approved figures of months 1 to `through`, and who; none for a member that absorbed
/// no one.
fn lacking(
    state: &State,
    covenant: &CovenantId,
    unit: &UnitId,
    (year, through): (i32, u8),
    years: impl IntoIterator<Item = i32>,
) -> Option<Lacking> {
    years.into_iter().filter(|y| *y < year).find_map(|y| {
        let units = state.earlier_missing_through(unit, covenant, y, through);
        (!units.is_empty()).then_some(Lacking {
            year: y,
            through,
            units,
        })
    })
}

/// One target of one unit, in the target's terms (see [`status`]).
#[derive(Clone, Debug, Serialize)]
pub struct TargetProgress {
    pub target: String,
    /// The target's indicator (or element) to date, as the engine reads it.
    pub measured: Option<Exact>,
    /// The same indicator over the same windows last year ("cùng kỳ"), read as last year read
    /// it: a change indicator against last year's own baseline (2023 against 2022 where this
    /// year is 2024 against 2023, [`CompiledRegulation::a_year_earlier`]), none where that
    /// baseline has no figures or the indicator would compare last year with itself.
    pub same_period: Option<Exact>,
    /// For a change indicator (`pct_change(now, before)`), the two values it compares to date:
    /// what the pages show beside the percentage (975 cases against 1,050), where the
    /// indicator's own value last year says nothing. Not part of a frozen mid-year review.
    /// For a "reduce by N%" target measured by a data element, the element to date and over
    /// the same windows of the target's baseline year, which its value to date compares.
    #[serde(skip)]
    pub compared: Option<(Exact, Exact)>,
    /// The reporting year the compared value reads: the indicator's own (`@baseline` is the
    /// regulation's baseline year, `@cung_ky` the year before), the target's baseline year for
    /// an element, else the year before (`same_period`). What the pages name the column by.
    #[serde(skip)]
    pub compared_year: Option<i32>,
    /// In the target's terms, to date.
    pub to_date: Option<Exact>,
    /// A change measured by a data element against a baseline of zero to date, which has no
    /// percentage: the status is undecided for a target that needs a rate, and decided by the
    /// counts for a "không tăng" target (see [`status::change_reading`]). What the pages give as
    /// the reason. Not part of a frozen mid-year review.
    #[serde(skip)]
    pub zero_baseline: bool,
    pub projected: Option<Exact>,
    /// Where the target stands ([`status::judge`]): what the API, the pages, the supervisors'
    /// table and the mid-year review all say.
    pub status: Status,
    /// Month by month to date this year (index 0 = month 1).
    pub series: Vec<Option<Exact>>,
    /// For a change target, the count it compares month by month to date this year (index 0 =
    /// month 1), known where the percentage is not (a merged unit's incomplete baseline): what
    /// the pages show to date, and chart then. Empty for any other target.
    #[serde(skip)]
    pub counts: Vec<Option<Exact>>,
    /// Where the value compared with to date (`compared`, `same_period`) is missing for a
    /// merged member: who lacks approved figures of `compared_year` through the month counted.
    #[serde(skip)]
    pub compared_lacking: Option<Lacking>,
    /// Where last year's line cannot be drawn for a merged member: who lacks approved figures
    /// of last year or of the year it compares with.
    #[serde(skip)]
    pub last_year_lacking: Option<Lacking>,
    /// Month by month to date last year, all twelve, in the target's terms as last year read
    /// them (a change against last year's own baseline, `last_year_compared_year`); none for a
    /// month whose value cannot be known (that baseline has no figures), never a made-up 0.
    pub last_year: Vec<Option<Exact>>,
    /// For a change target, the year last year's values compare with (the year before its
    /// baseline year): what the pages name when last year's line cannot be drawn.
    #[serde(skip)]
    pub last_year_compared_year: Option<i32>,
    /// What a mid-year review records of the target (its snapshot's formats predate the
    /// above): not part of progress as shown.
    #[serde(skip)]
    pub recorded: Recorded,
}

/// A target as a mid-year review's snapshot records it (formats `v1` and `v2`): the status
/// from met or not met alone ([`status::judge_met`]) and the indicator itself over last year's
/// windows (a change indicator against this year's baseline). A review's page reads the
/// status back through [`crate::midyear::shown_status`].
#[derive(Clone, Debug)]
pub struct Recorded {
    pub status: Status,
    pub same_period: Option<Exact>,
}

/// The sorted members of the covenant's cluster for its year.
pub fn members(state: &State, covenant: &CovenantId) -> Result<Vec<UnitId>, DomainError> {
    let c = state.covenant(covenant)?;
    let mut members = state.members(&c.cluster, c.year)?.to_vec();
    members.sort();
    Ok(members)
}

/// The last month `m` such that the unit's reported windows of months 1..=m of `year` are all
/// approved (see [`crate::calendar::Calendar::through`]).
pub fn through(state: &State, covenant: &CovenantId, unit: &UnitId, year: i32) -> Option<u8> {
    through_in(state, &state.calendar(covenant).ok()?, unit, year)
}

/// [`through`] with the covenant's calendar already read.
fn through_in(state: &State, calendar: &Calendar, unit: &UnitId, year: i32) -> Option<u8> {
    calendar.through(12, |key| {
        state
            .figures
            .report(unit, year, key)
            .is_some_and(|r| r.published().is_some())
    })
}

/// The cut-off of the latest month any of `units` counts through ([`through`]): "Số liệu tính
/// đến ngày" of a page that shows only those units (none approved: none). The calendar is read
/// once, however many units.
pub fn as_of<'u>(
    state: &State,
    covenant: &CovenantId,
    units: impl IntoIterator<Item = &'u UnitId>,
) -> Option<NaiveDate> {
    let year = state.covenant(covenant).ok()?.year;
    let calendar = state.calendar(covenant).ok()?;
    latest_cutoff(
        &calendar,
        units
            .into_iter()
            .filter_map(|u| through_in(state, &calendar, u, year)),
    )
}

/// The cut-off of the latest of `months` in `calendar`.
fn latest_cutoff(calendar: &Calendar, months: impl Iterator<Item = u8>) -> Option<NaiveDate> {
    months.max().and_then(|m| calendar.cutoff(m))
}

/// The cut-off date of a reporting month in the covenant's calendar.
fn cutoff(state: &State, covenant: &CovenantId, month: u8) -> Option<NaiveDate> {
    state.calendar(covenant).ok()?.cutoff(month)
}

/// What a progress computation is asked for beyond the covenant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ask<'a> {
    /// The unit whose score carries the engine's explanation.
    pub explain: Option<&'a UnitId>,
    /// Count no month after this one even where later months are approved (the mid-year
    /// review freezes progress at month 6).
    pub through_at_most: Option<u8>,
    /// Read a change against a baseline of zero as undecided whatever the target, as releases
    /// before December 2026 did ("không tăng" at 0 against 0 was "unknown"): a mid-year review
    /// they froze (hash format `thidua-midyear/v1`) is recomputed so.
    pub legacy_zero_baseline: bool,
}

/// The covenant's progress now, without explanations.
pub fn compute(state: &State, covenant: &CovenantId) -> Result<Progress, DomainError> {
    compute_with(state, covenant, Ask::default())
}

/// The covenant's progress now, with the engine's explanation of `explain`'s score.
pub fn compute_explaining(
    state: &State,
    covenant: &CovenantId,
    explain: Option<&UnitId>,
) -> Result<Progress, DomainError> {
    let ask = Ask {
        explain,
        ..Ask::default()
    };
    compute_with(state, covenant, ask)
}

/// The covenant's progress as `ask` says, computed from scratch (an empty [`Incremental`]).
pub fn compute_with(
    state: &State,
    covenant: &CovenantId,
    ask: Ask,
) -> Result<Progress, DomainError> {
    Incremental::default()
        .compute(state, covenant, ask)
        .map(Arc::unwrap_or_clone)
}

/// What every member's computation shares: the covenant's year, its sorted members, the
/// regulation in force compiled, the targets followed.
pub(crate) struct Shared {
    pub covenant: CovenantId,
    pub year: i32,
    pub members: Vec<UnitId>,
    pub reg: CompiledRegulation,
    /// [`CompiledRegulation::a_year_earlier`]: what last year's values are read with.
    pub reg_last_year: CompiledRegulation,
    pub targets: Vec<Target>,
    /// [`Ask::legacy_zero_baseline`].
    pub legacy_zero_baseline: bool,
}

impl Shared {
    pub(crate) fn new(
        state: &State,
        covenant: &CovenantId,
        legacy_zero_baseline: bool,
    ) -> Result<Shared, DomainError> {
        let targets = state
            .signed_covenant(covenant)
            .map(|(c, v)| c.version(v).expect("in force").content.targets.clone())?;
        let reg = engine_data::regulation(state, covenant)?;
        Ok(Shared {
            covenant: covenant.clone(),
            year: state.covenant(covenant)?.year,
            members: members(state, covenant)?,
            reg_last_year: reg.a_year_earlier(),
            reg,
            targets: targets
                .into_iter()
                .filter(|t| t.indicator.is_some())
                .collect(),
            legacy_zero_baseline,
        })
    }
}

/// One member's progress (the `i`-th in sorted order) counted through month `through`: its
/// own approved figures and its predecessors' only, so it depends on no other member.
pub(crate) fn member_progress(
    sh: &Shared,
    state: &State,
    i: usize,
    through: Option<u8>,
    trace: bool,
) -> Result<UnitProgress, DomainError> {
    let unit = &sh.members[i];
    let id = format!("u{}", i + 1);
    let none = |_: &UnitId| Default::default();
    let spec = |through_month| Spec {
        covenant: &sh.covenant,
        members: &sh.members,
        year: sh.year,
        through_month,
        manual: &none,
        period: String::new(),
    };
    let mut b = DatasetBuilder::new("log");
    engine_data::add_member(state, &spec(through.unwrap_or(0)), unit, &mut b)?;
    let data = b.finish().map_err(data_errors)?;
    let now = sh.reg.measurer(&data);
    let (projected, method) = projected_data(state, sh, &now, &spec(0), unit, &id, through)?;
    let cx = Cx {
        state,
        covenant: &sh.covenant,
        unit,
        reg: &sh.reg,
        data: &data,
        now,
        last: sh.reg_last_year.measurer(&data),
        reg_last_year: &sh.reg_last_year,
        projected: sh.reg.measurer(&projected),
        year: sh.year,
        legacy_zero_baseline: sh.legacy_zero_baseline,
    };
    let opts = if trace {
        EvalOptions::with_trace()
    } else {
        EvalOptions::default()
    };
    let score = through
        .and_then(|m| PeriodKey::year_to_date(sh.year, m))
        .map(|p| sh.reg.evaluate_unit(&data, &id, p, opts));
    let untotalled = score
        .as_ref()
        .is_some_and(|s| s.total.is_none() && s.provisional_total.is_none());
    let score_lacking = through.filter(|_| untotalled).and_then(|m| {
        let years = [Some(sh.year - 1), sh.reg.ast().baseline_year];
        lacking(
            state,
            &sh.covenant,
            unit,
            (sh.year, m),
            years.into_iter().flatten(),
        )
    });
    Ok(UnitProgress {
        unit: unit.clone(),
        through,
        as_of: through.and_then(|m| cutoff(state, &sh.covenant, m)),
        score,
        method,
        targets: sh
            .targets
            .iter()
            .map(|t| target_progress(&cx, t, &id, through))
            .collect(),
        score_lacking,
    })
}

fn data_errors(errs: Vec<thidua_scoring::DataError>) -> DomainError {
    engine_error(
        errs.iter()
            .map(|e| format!("{e:?}"))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The data for a member's projection: its earlier years as they are, and this year one row
/// per element, the projected year (see [`project`]); and the method.
fn projected_data(
    state: &State,
    sh: &Shared,
    data: &Measurer,
    spec: &Spec,
    unit: &UnitId,
    id: &str,
    through: Option<u8>,
) -> Result<(Dataset, Method), DomainError> {
    let mut b = DatasetBuilder::new("log");
    engine_data::add_member(state, spec, unit, &mut b)?;
    let mut method = Method::None;
    if let Some(m) = through {
        let period = format!("{}-Y", spec.year);
        let (values, how) = project::elements(&sh.reg, data, id, spec.year, m);
        method = how;
        for (row, (element, value)) in (1_000_000_001usize..).zip(values) {
            b.figure(row, id, &element, &period, &value.to_string());
        }
    }
    let data = b
        .finish()
        .map_err(|errs| engine_error(format!("{} projection errors", errs.len())))?;
    Ok((data, method))
}

/// What every target of a member reads.
struct Cx<'a> {
    state: &'a State,
    covenant: &'a CovenantId,
    unit: &'a UnitId,
    reg: &'a CompiledRegulation,
    data: &'a Dataset,
    now: Measurer<'a>,
    /// The same data read with [`Shared::reg_last_year`].
    last: Measurer<'a>,
    reg_last_year: &'a CompiledRegulation,
    projected: Measurer<'a>,
    year: i32,
    legacy_zero_baseline: bool,
}

fn target_progress(cx: &Cx, target: &Target, id: &str, through: Option<u8>) -> TargetProgress {
    let read = |data: &Measurer, year: i32, m: u8| {
        PeriodKey::year_to_date(year, m).and_then(|p| in_terms(cx, data, target, id, p))
    };
    let mut readings: Vec<Option<status::Reading>> = (1..=through.unwrap_or(0))
        .map(|m| read(&cx.now, cx.year, m))
        .collect();
    let series: Vec<Option<Exact>> = readings
        .iter()
        .map(|r| r.as_ref().and_then(|r| r.value.clone()))
        .collect();
    let kind = Measured::of(cx, target, id, through);
    let last = LastYear::read(cx, &kind);
    let to_date_reading = readings.pop().flatten();
    let (compared, compared_year) = kind.compared(cx);
    let counts: Vec<Option<Exact>> = match (target.kind, kind.indicator) {
        (TargetKind::Change, Some(i)) => (1..=through.unwrap_or(0))
            .map(|m| count_to_date(cx, i, kind.is_element, id, m))
            .collect(),
        _ => Vec::new(),
    };
    let same_period = kind
        .raw_with(cx, cx.reg_last_year, cx.year - 1)
        .filter(|_| !last.self_compared);
    let before_known = compared.is_some() || same_period.is_some();
    let compared_lacking = through
        .filter(|_| !before_known)
        .and_then(|m| lacking_in(cx, &[compared_year], m));
    let last_year_lacking = last
        .values
        .iter()
        .all(Option::is_none)
        .then(|| lacking_in(cx, &[Some(cx.year - 1), last.compared], 12))
        .flatten();
    let projected_reading = through.and_then(|_| read(&cx.projected, cx.year, 12));
    let (now, end) = (to_date_reading.as_ref(), projected_reading.as_ref());
    TargetProgress {
        target: target.id.to_string(),
        status: status::judge(target, now, end),
        zero_baseline: now.is_some_and(|r| r.zero_baseline),
        measured: kind.raw(cx, cx.year),
        same_period,
        recorded: Recorded {
            status: status::judge_met(target, now, end),
            same_period: kind.raw(cx, cx.year - 1),
        },
        last_year_compared_year: last.compared,
        compared,
        compared_year,
        to_date: now.and_then(|r| r.value.clone()),
        projected: end.and_then(|r| r.value.clone()),
        series,
        counts,
        compared_lacking,
        last_year_lacking,
        last_year: last.values,
    }
}

/// What a target measures through a month: its indicator, whether that is a data element.
struct Measured<'t> {
    target: &'t Target,
    id: &'t str,
    through: Option<u8>,
    indicator: Option<&'t str>,
    is_element: bool,
}

impl<'t> Measured<'t> {
    fn of(cx: &Cx, target: &'t Target, id: &'t str, through: Option<u8>) -> Self {
        let indicator = target.indicator.as_deref();
        let is_element = indicator.is_some_and(|i| cx.reg.ast().elements.iter().any(|e| e.id == i));
        Measured {
            target,
            id,
            through,
            indicator,
            is_element,
        }
    }

    fn change(&self) -> bool {
        self.target.kind == TargetKind::Change
    }

    /// The indicator's value to date in `year` under `reg`, as a number.
    fn raw_with(&self, cx: &Cx, reg: &CompiledRegulation, year: i32) -> Option<Exact> {
        let p = PeriodKey::year_to_date(year, self.through?)?;
        let v = reg.measure(cx.data, self.id, self.indicator?, p)?.ok()?;
        Some(number(v))
    }

    /// [`Self::raw_with`] the covenant's regulation.
    fn raw(&self, cx: &Cx, year: i32) -> Option<Exact> {
        self.raw_with(cx, cx.reg, year)
    }

    /// The two counts a change target compares to date and the year of the compared one. A
    /// change indicator (`pct_change(crimes, crimes@baseline)`) is shown by the two counts it
    /// compares, not by its percentage against last year's percentage; a change of an element
    /// by the element to date and in the target's baseline year, as `in_terms` compares them.
    fn compared(&self, cx: &Cx) -> (Option<(Exact, Exact)>, Option<i32>) {
        if self.change() && self.is_element {
            let base = self.target.baseline_year.unwrap_or(cx.year - 1);
            return (self.raw(cx, cx.year).zip(self.raw(cx, base)), Some(base));
        }
        let period = self
            .through
            .and_then(|m| PeriodKey::year_to_date(cx.year, m));
        let any_period = period.or_else(|| PeriodKey::year_to_date(cx.year, 1));
        let change_year = self
            .indicator
            .zip(any_period)
            .and_then(|(i, p)| cx.reg.change_year(i, p));
        let compared = period
            .zip(self.indicator)
            .and_then(|(p, i)| cx.now.change_parts(self.id, i, p))
            .map(|(now, before)| (number(now), number(before)));
        (compared, change_year.or(Some(cx.year - 1)))
    }
}

/// A target's values last year, month by month, read as last year read them: a change
/// against its own baseline.
struct LastYear {
    /// The year last year's change compared with, for a change target.
    compared: Option<i32>,
    /// Whether the change indicator's compared side would read last year itself (`@2023` in
    /// 2024): it then says nothing of last year's change — none, not 0.
    self_compared: bool,
    values: Vec<Option<Exact>>,
}

impl LastYear {
    fn read(cx: &Cx, kind: &Measured) -> Self {
        let compared = match (kind.change(), kind.indicator) {
            (true, _) if kind.is_element => {
                Some(kind.target.baseline_year.unwrap_or(cx.year - 1) - 1)
            }
            (true, Some(i)) => PeriodKey::year_to_date(cx.year - 1, 12)
                .and_then(|p| cx.reg_last_year.change_year(i, p)),
            _ => None,
        };
        let self_compared =
            kind.change() && !kind.is_element && compared.is_some_and(|y| y >= cx.year - 1);
        let values = (1..=12)
            .map(|m| {
                let p = PeriodKey::year_to_date(cx.year - 1, m)?;
                in_terms(cx, &cx.last, kind.target, kind.id, p)?.value
            })
            .map(|v| v.filter(|_| !self_compared))
            .collect();
        LastYear {
            compared,
            self_compared,
            values,
        }
    }
}

/// A measured value as a number (a yes/no as 1 or 0).
fn number(v: Val) -> Exact {
    match v {
        Val::Num(n) => n,
        Val::Bool(b) => Exact::int(i64::from(b)),
    }
}

/// What is missing for the unit to read `years` through month `m` of the covenant's year.
fn lacking_in(cx: &Cx, years: &[Option<i32>], m: u8) -> Option<Lacking> {
    let at = (cx.year, m);
    lacking(
        cx.state,
        cx.covenant,
        cx.unit,
        at,
        years.iter().flatten().copied(),
    )
}

/// The count a change target compares to date through month `m`: the element itself, or the
/// `now` side of a change indicator ([`Measurer::change_now`]).
fn count_to_date(cx: &Cx, indicator: &str, is_element: bool, id: &str, m: u8) -> Option<Exact> {
    let p = PeriodKey::year_to_date(cx.year, m)?;
    let v = if is_element {
        cx.now.measure(id, indicator, p)?.ok()?
    } else {
        cx.now.change_now(id, indicator, p)?
    };
    match v {
        Val::Num(n) => Some(n),
        Val::Bool(_) => None,
    }
}

/// The target's measure over a period, in the target's terms, and whether it meets the target
/// (see [`status`]).
fn in_terms(
    cx: &Cx,
    data: &Measurer,
    target: &Target,
    id: &str,
    period: PeriodKey,
) -> Option<status::Reading> {
    let indicator = target.indicator.as_deref()?;
    let value = match data.measure(id, indicator, period)?.ok()? {
        Val::Num(n) => n,
        Val::Bool(b) => Exact::int(i64::from(!b)),
    };
    if target.kind != TargetKind::Change {
        return Some(status::Reading::of(target, value));
    }
    let is_element = cx.reg.ast().elements.iter().any(|e| e.id == indicator);
    if !is_element {
        return Some(status::Reading::of(target, value.neg()));
    }
    let back = cx.year - target.baseline_year.unwrap_or(cx.year - 1);
    let base = PeriodKey::new(period.year - back, period.kind)?;
    match data.measure(id, indicator, base)?.ok()? {
        Val::Num(b) if cx.legacy_zero_baseline && b.is_zero() => None,
        Val::Num(b) => Some(status::change_reading(target, &value, &b)),
        Val::Bool(_) => None,
    }
}
