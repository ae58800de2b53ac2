//! The scoring engine's view of the log: the compiled regulation a covenant signed and a
//! [`Dataset`] of the members' *approved* figures (never drafts), with their lineage taken from
//! the domain (a merged unit's earlier year is declared the sum of its own and its
//! predecessors' approved figures). One builder for the year-end
//! scores ([`crate::yearend::score`]) and the progress during the year ([`crate::progress`]).
//! Pure; owns no rule about who may see what (callers pass approved figures only by design).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use thidua_scoring::data::DatasetBuilder;
use thidua_scoring::period::PeriodKind;
use thidua_scoring::{CompiledRegulation, Dataset, Exact, PeriodKey};

use crate::error::DomainError;
use crate::figures::{canonical_decimal, Scored};
use crate::ids::{CovenantId, UnitId};
use crate::state::State;

/// How many years before the covenant's the data goes back (comparisons with earlier periods).
pub const YEARS_BACK: i32 = 10;

/// The engine's refusal as a domain error.
pub fn engine_error(detail: String) -> DomainError {
    DomainError::InvalidValue {
        field: "scores",
        reason: detail,
    }
}

/// The compiled regulation of the covenant's version in force.
pub fn regulation(state: &State, covenant: &CovenantId) -> Result<CompiledRegulation, DomainError> {
    let (c, version) = state.signed_covenant(covenant)?;
    let text = &c
        .version(version)
        .expect("the version in force exists")
        .content
        .regulation
        .text;
    thidua_scoring::compile(text).map_err(|d| DomainError::InvalidRegulation(d.to_string()))
}

/// The id each member has in the engine's data: `u1`, `u2`, … in sorted member order.
pub fn data_id(members: &[UnitId], unit: &UnitId) -> Option<String> {
    members.binary_search(unit).ok().map(member_id)
}

fn member_id(i: usize) -> String {
    format!("u{}", i + 1)
}

/// The id a member's predecessor has in the engine's data: the member's id, `p` and its place
/// among the member's direct predecessors (`u2p1`), the same whichever members are added.
fn predecessor_id(member_id: &str, k: usize) -> String {
    format!("{member_id}p{}", k + 1)
}

/// Every unit the engine's data for a covenant's `year` names, by its id there: the members
/// (`u1`, …) and their direct predecessors (`u2p1`, …), for explanations that name them.
pub fn data_units(state: &State, members: &[UnitId], year: i32) -> BTreeMap<String, UnitId> {
    let mut out = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        let id = member_id(i);
        for (k, p) in state.earlier_sources(m, year).into_iter().enumerate() {
            out.insert(predecessor_id(&id, k), p);
        }
        out.insert(id, m.clone());
    }
    out
}

/// The member a data id stands for.
pub fn unit_of<'a>(members: &'a [UnitId], data_id: &str) -> Option<&'a UnitId> {
    let i: usize = data_id.strip_prefix('u')?.parse().ok()?;
    members.get(i.checked_sub(1)?)
}

/// What goes into a dataset.
pub struct Spec<'a> {
    pub covenant: &'a CovenantId,
    /// Sorted members of the cluster for the covenant's year.
    pub members: &'a [UnitId],
    /// The covenant's year.
    pub year: i32,
    /// The last reporting month of the covenant's year to include (12: all of them).
    pub through_month: u8,
    /// Manual scores per member (criterion → score) for the given period key.
    pub manual: &'a dyn Fn(&UnitId) -> BTreeMap<String, Decimal>,
    pub period: String,
}

/// Row numbers for the builder's messages.
struct Rows(usize);

impl Rows {
    fn next(&mut self) -> usize {
        self.0 += 1;
        self.0
    }
}

/// The dataset of a spec: approved figures of every member (and of their predecessors for the
/// years they did not report themselves), manual scores.
pub fn dataset(state: &State, spec: &Spec) -> Result<Dataset, DomainError> {
    let mut b = DatasetBuilder::new("log");
    add_figures(state, spec, &mut b)?;
    finish(b)
}

/// The dataset a builder holds; a row it refuses is a defect here (the log's figures were
/// checked when they were saved), reported as an engine error.
pub fn finish(b: DatasetBuilder) -> Result<Dataset, DomainError> {
    b.finish().map_err(|errs| {
        engine_error(
            errs.iter()
                .map(|e| format!("{e:?}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// Adds the figures, lineage and manual scores of a spec to a builder.
pub fn add_figures(state: &State, spec: &Spec, b: &mut DatasetBuilder) -> Result<(), DomainError> {
    let mut cx = Adding::new(state, spec)?;
    for unit in spec.members {
        cx.member(unit, b)?;
    }
    Ok(())
}

/// Adds one member's figures, lineage and manual scores (as [`add_figures`] does for every
/// member), under the id it has among all the members: the data one member's results read,
/// since nothing in a unit's evaluation reads another member's figures.
pub fn add_member(
    state: &State,
    spec: &Spec,
    unit: &UnitId,
    b: &mut DatasetBuilder,
) -> Result<(), DomainError> {
    Adding::new(state, spec)?.member(unit, b)
}

/// One run of adding members to a builder: what every member shares, the row count and the
/// predecessors already added.
struct Adding<'a> {
    state: &'a State,
    spec: &'a Spec<'a>,
    form: std::sync::Arc<crate::figures::Form>,
    /// The calendar's reported windows: key and month.
    months: Vec<(&'a str, u8)>,
    rows: Rows,
    preds: BTreeMap<UnitId, (String, BTreeMap<i32, bool>)>,
}

impl<'a> Adding<'a> {
    fn new(state: &'a State, spec: &'a Spec<'a>) -> Result<Self, DomainError> {
        let months = state
            .calendar(spec.covenant)?
            .reported()
            .iter()
            .map(|r| (r.window.key.as_str(), r.month))
            .collect();
        Ok(Adding {
            state,
            spec,
            form: state.reporting_form(spec.covenant)?,
            months,
            rows: Rows(0),
            preds: BTreeMap::new(),
        })
    }

    fn member(&mut self, unit: &UnitId, b: &mut DatasetBuilder) -> Result<(), DomainError> {
        let (state, spec) = (self.state, self.spec);
        let id = data_id(spec.members, unit).expect("a member");
        b.name(self.rows.next(), &id, state.unit(unit)?.name.as_str());
        for year in spec.year - YEARS_BACK..=spec.year {
            let last = if year == spec.year {
                spec.through_month
            } else {
                12
            };
            let at = YearAt {
                form: &self.form,
                months: &self.months,
                year,
                last,
            };
            let own = add_unit_year(state, &at, unit, &id, b, &mut self.rows);
            if year < spec.year {
                add_predecessors(
                    state,
                    spec,
                    unit,
                    &id,
                    own,
                    &at,
                    &mut self.preds,
                    b,
                    &mut self.rows,
                );
            }
        }
        for (criterion, score) in (spec.manual)(unit) {
            b.manual(
                self.rows.next(),
                &id,
                &criterion,
                &spec.period,
                &canonical_decimal(&score),
            );
        }
        Ok(())
    }
}

/// Which figures of a unit's year go in: the form's elements, the calendar's months up to
/// `last`.
struct YearAt<'a> {
    form: &'a crate::figures::Form,
    months: &'a [(&'a str, u8)],
    year: i32,
    last: u8,
}

/// Adds a unit's approved figures of one year up to month `last`; whether it had any.
fn add_unit_year(
    state: &State,
    at: &YearAt,
    unit: &UnitId,
    id: &str,
    b: &mut DatasetBuilder,
    rows: &mut Rows,
) -> bool {
    let mut any = false;
    let published = state.figures.published_year(unit, at.year);
    if published.is_empty() {
        return false;
    }
    for (key, m) in at.months.iter().filter(|(_, m)| *m <= at.last) {
        let Some(&(_, approval)) = published.iter().find(|(k, _)| k == key) else {
            continue;
        };
        let Some(period) = PeriodKey::new(at.year, PeriodKind::Month(*m)) else {
            continue;
        };
        let used = state.figures.form(approval.values.form);
        let cells = approval.values.cells();
        let same = used.elements.len() == at.form.elements.len()
            && used
                .elements
                .iter()
                .zip(&at.form.elements)
                .all(|(a, b)| a.id == b.id);
        for (i, e) in at.form.elements.iter().enumerate() {
            let p = if same { Some(i) } else { used.position(&e.id) };
            let Some(cell) = p.and_then(|p| cells.get(p)) else {
                continue;
            };
            any = true;
            match e.scored(cell) {
                Scored::Value(d) => b.figure_value(rows.next(), id, &e.id, period, Exact::from(d)),
                Scored::NotApplicable => b.figure_not_applicable(rows.next(), id, &e.id, period),
                Scored::Absent => {}
            }
        }
    }
    any
}

/// Adds 0 for every element in each window of `at`'s year a predecessor had ceased by and did
/// not report ([`State::ceased_by`]): merged away, its area reported through its successor, so
/// it adds nothing there rather than making the merged figure missing.
fn add_ceased_windows(
    state: &State,
    covenant: &CovenantId,
    at: &YearAt,
    unit: &UnitId,
    id: &str,
    b: &mut DatasetBuilder,
    rows: &mut Rows,
) {
    for (key, m) in at.months.iter().filter(|(_, m)| *m <= at.last) {
        let ceased = state
            .window_end(covenant, at.year, key)
            .is_some_and(|end| state.ceased_by(unit, at.year, key, end));
        let Some(period) = PeriodKey::new(at.year, PeriodKind::Month(*m)) else {
            continue;
        };
        if ceased {
            for e in &at.form.elements {
                b.figure_value(rows.next(), id, &e.id, period, Exact::ZERO);
            }
        }
    }
}

/// Declares a member's `year` the sum of its own approved figures and its direct
/// predecessors' (the domain's lineage as of the end of the covenant's year): every one of its
/// [`State::earlier_parts`] that existed that year, whether or not it reported, so that a
/// window one of them lacks is missing in the engine (its explanation names that unit) rather
/// than a partial sum; and adds the predecessors' figures. Nothing when none of them reported
/// that year.
#[allow(clippy::too_many_arguments)]
fn add_predecessors(
    state: &State,
    spec: &Spec,
    unit: &UnitId,
    id: &str,
    own: bool,
    at: &YearAt,
    preds: &mut BTreeMap<UnitId, (String, BTreeMap<i32, bool>)>,
    b: &mut DatasetBuilder,
    rows: &mut Rows,
) {
    let direct = state.earlier_sources(unit, spec.year);
    if direct.is_empty() {
        return;
    }
    let year = at.year;
    let parts = state.earlier_parts(unit, &direct, year);
    let mut ids: Vec<String> = Vec::new();
    let mut any = own;
    if own || parts.contains(unit) {
        ids.push(id.to_owned());
    }
    for (k, p) in direct.iter().enumerate() {
        // A predecessor's figures go in once, whatever number of members it fed (a split).
        let (pid, years) = preds
            .entry(p.clone())
            .or_insert_with(|| (predecessor_id(id, k), BTreeMap::new()));
        let reported = match years.get(&year) {
            Some(r) => *r,
            None => {
                let r = add_unit_year(state, at, p, pid, b, rows);
                if parts.contains(p) {
                    add_ceased_windows(state, spec.covenant, at, p, pid, b, rows);
                }
                years.insert(year, r);
                r
            }
        };
        any |= reported;
        if reported || parts.contains(p) {
            ids.push(pid.clone());
        }
    }
    if any && !ids.is_empty() && ids != [id] {
        b.predecessors(rows.next(), id, &year.to_string(), &ids);
    }
}
