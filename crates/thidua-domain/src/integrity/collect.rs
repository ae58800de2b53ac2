//! The panel of a covenant from the log's state: its member units, the windows of its year and
//! of the year before (historical imports and earlier approvals alike; the year before is the
//! series' history, only the covenant's own windows are flagged), the reporting form's
//! elements, the funnels its signed regulation declares, and boundaries from its targets
//! ("reduce by at least N%" measured by a data element, or by an indicator
//! `pct_change(e, e@…)` of one). Only APPROVED figures enter: drafts, submissions
//! awaiting approval and reopened working copies are never read.

use rust_decimal::Decimal;
use thidua_scoring::ast::{Expr, Func, Regulation};

use super::{Better, Boundary, FunnelSpec, Panel, Period, UnitSeries};
use crate::error::DomainError;
use crate::ids::{CovenantId, UnitId};
use crate::model::{Comparison, TargetKind};
use crate::state::State;

/// The panel of `covenant` (signed, in force).
pub fn panel(state: &State, covenant: &CovenantId) -> Result<Panel, DomainError> {
    let frame = frame(state, covenant)?;
    let mut panel = frame.panel;
    panel.units = frame
        .members
        .iter()
        .map(|u| series(state, &frame.ids, &panel.periods, &frame.ends, u))
        .collect();
    Ok(panel)
}

/// Everything of a covenant's panel but the units' series: the panel with no units, the
/// members (in the order their series go) and the reporting form's element ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub panel: Panel,
    pub members: Vec<UnitId>,
    pub ids: Vec<String>,
    /// The last day of each of the panel's periods, in their order (`None`: unknown).
    pub ends: Vec<Option<chrono::NaiveDate>>,
}

/// The frame of `covenant` (signed, in force).
pub fn frame(state: &State, covenant: &CovenantId) -> Result<Frame, DomainError> {
    let (c, version) = state.signed_covenant(covenant)?;
    let form = state.reporting_form(covenant)?;
    let v = c.version(version).expect("the version in force exists");
    let regulation = thidua_scoring::compile(&v.content.regulation.text)
        .map_err(|d| DomainError::InvalidRegulation(d.to_string()))?;
    let pos = |id: &str| form.position(id);
    let funnels = regulation
        .ast()
        .funnels
        .iter()
        .filter_map(|f| {
            Some(FunnelSpec {
                id: f.id.clone(),
                name: f.name.clone(),
                steps: f.steps.iter().map(|(s, _)| pos(s)).collect::<Option<_>>()?,
                threshold: f.threshold,
            })
        })
        .collect();
    let boundaries = v
        .content
        .targets
        .iter()
        .filter(|t| t.kind == TargetKind::Change)
        .filter(|t| matches!(t.comparison, Comparison::AtLeast | Comparison::Above))
        .filter_map(|t| {
            let measured = t.indicator.as_deref()?;
            let element = changed_element(regulation.ast(), measured).unwrap_or(measured);
            Some(Boundary {
                element: pos(element)?,
                better: Better::Lower,
                bound_pct: -t.threshold?,
            })
        })
        .collect();
    let windows: Vec<String> = state
        .calendar(covenant)?
        .reported()
        .iter()
        .map(|r| r.key().to_owned())
        .collect();
    let periods: Vec<Period> = [c.year - 1, c.year]
        .iter()
        .flat_map(|y| {
            windows.iter().map(move |w| Period {
                year: *y,
                window: w.clone(),
            })
        })
        .collect();
    let elements = form
        .elements
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let series: Vec<usize> = (0..form.elements.len())
        .filter(|i| form.elements[*i].aggregate == "sum")
        .collect();
    let counts = series
        .iter()
        .copied()
        .filter(|i| form.elements[*i].integer)
        .collect();
    let ends = periods
        .iter()
        .map(|p| state.window_end(covenant, p.year, &p.window))
        .collect();
    Ok(Frame {
        ends,
        panel: Panel {
            elements,
            periods,
            units: Vec::new(),
            funnels,
            boundaries,
            series,
            counts,
            flagged_from: Some(c.year),
        },
        members: state.members(&c.cluster, c.year)?.to_vec(),
        ids: form.ids(),
    })
}

/// The element an indicator measures the change of, when its expression is
/// `pct_change(e, e@…)` (the change of one element against an earlier period).
fn changed_element<'a>(reg: &'a Regulation, indicator: &str) -> Option<&'a str> {
    let i = reg.indicators.iter().find(|i| i.id == indicator)?;
    let Expr::Call {
        func: Func::PctChange,
        args,
        ..
    } = &i.expr.expr
    else {
        return None;
    };
    match args.as_slice() {
        [Expr::Ref {
            name: a, sel: None, ..
        }, Expr::Ref {
            name: b,
            sel: Some(_),
            ..
        }] if a == b => Some(a),
        _ => None,
    }
}

/// What one unit's series over `years` is read from: the log index of the published approval
/// of each of its reports (one range read), and of its predecessors' reports of the years
/// before the last (the covenant's), which its earlier figures add. A correction is a new
/// approval with a new index; whether the first submission was late is settled before the
/// first approval, so an equal list gives an equal series, and drafts, submissions and
/// reopenings change nothing in it.
pub fn marks(
    state: &State,
    years: std::ops::RangeInclusive<i32>,
    unit: &UnitId,
) -> Vec<(crate::figures::ReportKey, u64)> {
    let (first, last) = (*years.start(), *years.end());
    let mut marks = state.figures.published_indices(unit, years);
    for source in state.earlier_sources(unit, last) {
        marks.extend(state.figures.published_indices(&source, first..=last - 1));
    }
    marks
}

/// One unit's approved values, late first submissions and corrections. The years before the
/// last (the covenant's) read a merged unit's figures as its scores do: its own and its
/// predecessors' (`State::earlier_value`), so a merger is not a break in its series.
pub fn series(
    state: &State,
    ids: &[String],
    periods: &[Period],
    ends: &[Option<chrono::NaiveDate>],
    unit: &UnitId,
) -> UnitSeries {
    let f = &state.figures;
    let year = periods.last().map_or(0, |p| p.year);
    let sources = state.earlier_sources(unit, year);
    let mut s = UnitSeries {
        unit: unit.to_string(),
        ..Default::default()
    };
    for (i, p) in periods.iter().enumerate() {
        let end = ends.get(i).copied().flatten();
        let report = f.report(unit, p.year, &p.window);
        let approval = report.and_then(|r| r.published());
        let row: Vec<Option<Decimal>> = match approval {
            _ if p.year < year && !sources.is_empty() => ids
                .iter()
                .map(|id| {
                    state
                        .earlier_value_with(unit, &sources, p.year, (&p.window, end), id)
                        .number()
                })
                .collect(),
            Some(a) => {
                let used = f.form(a.values.form);
                ids.iter()
                    .map(|id| a.values.get(used.position(id)?).number())
                    .collect()
            }
            None => vec![None; ids.len()],
        };
        s.values.push(row);
        s.late.push(
            approval.is_some()
                && report
                    .and_then(|r| r.first_submission)
                    .is_some_and(|x| x.late),
        );
        s.corrections
            .push(report.map(|r| r.corrections() as u32).unwrap_or(0));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_indicator_names_its_element() {
        let text = include_str!("../../../../examples/cum12-2024/regulation.toml");
        let reg = thidua_scoring::compile(text).unwrap();
        assert_eq!(changed_element(reg.ast(), "crime_change"), Some("crimes"));
        assert_eq!(
            changed_element(reg.ast(), "solve_rate"),
            None,
            "a rate, not a change"
        );
        assert_eq!(changed_element(reg.ast(), "nothing"), None);
    }
}
