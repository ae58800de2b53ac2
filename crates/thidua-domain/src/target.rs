//! What a covenant's targets must mean: the shapes a target may take (kind × comparison), the
//! ranges of its numbers (a rate is 0–100 %, a count is whole), its baseline year, its indicator
//! and no target twice. [`problems`] lists *every* problem of every target at once, with the
//! field it concerns, so that a form can show each beside its field; `covenant::decide` refuses
//! the first one, so every entry point obeys the same rules. Checked at decide only: these rules
//! may tighten without invalidating old logs.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::error::{DomainError, TargetRule};
use crate::model::{Comparison, Target, TargetKind};
use crate::text::limits;

/// The most targets a covenant carries.
pub const MAX_TARGETS: usize = 100;

/// Every shape a target may take, with its stable key (the forms' choice list, in order).
pub const SHAPES: &[(&str, TargetKind, Comparison)] = &[
    ("reduce_at_least", TargetKind::Change, Comparison::AtLeast),
    ("reduce_above", TargetKind::Change, Comparison::Above),
    ("reduce_between", TargetKind::Change, Comparison::Between),
    ("rate_at_least", TargetKind::Rate, Comparison::AtLeast),
    ("rate_above", TargetKind::Rate, Comparison::Above),
    ("rate_at_most", TargetKind::Rate, Comparison::AtMost),
    ("rate_below", TargetKind::Rate, Comparison::Below),
    ("count_at_least", TargetKind::Count, Comparison::AtLeast),
    ("count_at_most", TargetKind::Count, Comparison::AtMost),
    ("count_equal", TargetKind::Count, Comparison::Equal),
    ("yes_no", TargetKind::YesNo, Comparison::Holds),
    ("judged", TargetKind::Qualitative, Comparison::Judged),
];

/// The key of a target's shape, if it is one of [`SHAPES`].
pub fn shape_key(kind: TargetKind, comparison: Comparison) -> Option<&'static str> {
    SHAPES
        .iter()
        .find(|(_, k, c)| *k == kind && *c == comparison)
        .map(|(key, _, _)| *key)
}

/// The kind and comparison of a shape key.
pub fn shape(key: &str) -> Option<(TargetKind, Comparison)> {
    SHAPES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, kind, cmp)| (*kind, *cmp))
}

/// One problem of one target: which target (its position in the list, from 0), which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub index: usize,
    /// `area`, `subject`, `kind`, `threshold`, `range`, `unit_of_measure`, `baseline_year`,
    /// `indicator`.
    pub field: &'static str,
    pub error: DomainError,
}

/// What the targets are checked against: the movement's year (baselines come before it) and
/// the regulation's indicators and data elements with what each measures.
pub struct Context<'a> {
    pub year: i32,
    /// The regulation's indicators and elements; `None` while the regulation cannot be read
    /// (its own error says so), when no target's indicator is judged.
    pub indicators: Option<&'a Indicators>,
}

/// What an indicator or data element of a regulation measures, which a target naming it must
/// fit ([`fits`]): a change against a baseline (`pct_change`), a rate (`pct`, or any other
/// indicator in percent), or a count (a data element, or an indicator in another unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measures {
    Change,
    Rate,
    Count,
}

/// A regulation's indicators and data elements by id, with what each measures.
pub type Indicators = BTreeMap<String, Measures>;

/// The indicators and data elements of a compiled regulation, with what each measures.
pub fn indicators_of(ast: &thidua_scoring::ast::Regulation) -> Indicators {
    use thidua_scoring::ast::{Expr, Func};
    let indicators = ast.indicators.iter().map(|i| {
        let measures = match &i.expr.expr {
            Expr::Call {
                func: Func::PctChange,
                ..
            } => Measures::Change,
            Expr::Call {
                func: Func::Pct, ..
            } => Measures::Rate,
            _ if i.unit.as_deref() == Some("%") => Measures::Rate,
            _ => Measures::Count,
        };
        (i.id.clone(), measures)
    });
    let elements = ast.elements.iter().map(|e| (e.id.clone(), Measures::Count));
    indicators.chain(elements).collect()
}

/// Every problem of every target, in list order. Empty when the list may be signed.
pub fn problems(targets: &[Target], cx: &Context) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    let mut subjects: BTreeMap<String, usize> = BTreeMap::new();
    for (index, t) in targets.iter().enumerate() {
        let mut push = |field: &'static str, error: DomainError| {
            out.push(Problem {
                index,
                field,
                error,
            })
        };
        if !ids.insert(&t.id) {
            push("subject", DomainError::DuplicateTarget(t.id.to_string()));
        }
        if let Err(e) = t.area.check_line("area", limits::AREA) {
            push("area", e);
        }
        match t.subject.check_line("subject", limits::SUBJECT) {
            Err(e) => push("subject", e),
            Ok(()) => {
                if subjects.insert(subject_key(t), index).is_some() {
                    push("subject", DomainError::DuplicateTarget(t.id.to_string()));
                }
            }
        }
        if let Some(u) = &t.unit_of_measure {
            if let Err(e) = u.check_line("unit_of_measure", limits::UNIT_OF_MEASURE) {
                push("unit_of_measure", e);
            }
        }
        for (field, rule) in rules(t, cx) {
            push(
                field,
                DomainError::InvalidTarget {
                    target: t.id.to_string(),
                    field,
                    rule,
                },
            );
        }
    }
    if targets.is_empty() || targets.len() > MAX_TARGETS {
        out.push(Problem {
            index: targets.len().saturating_sub(1),
            field: "subject",
            error: DomainError::TargetCount { max: MAX_TARGETS },
        });
    }
    out
}

/// Two targets are the same when their subjects read the same (case and spacing aside).
fn subject_key(t: &Target) -> String {
    t.subject
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The rules of one target's shape, numbers, baseline and indicator.
fn rules(t: &Target, cx: &Context) -> Vec<(&'static str, TargetRule)> {
    let mut out = Vec::new();
    if shape_key(t.kind, t.comparison).is_none() {
        out.push(("kind", TargetRule::Shape));
        return out;
    }
    numbers(t, &mut out);
    match (t.kind, t.baseline_year) {
        (TargetKind::Change, None) => out.push(("baseline_year", TargetRule::BaselineMissing)),
        (_, Some(y)) if !(2000..cx.year).contains(&y) => {
            out.push(("baseline_year", TargetRule::BaselineRange))
        }
        _ => {}
    }
    let percent = matches!(t.kind, TargetKind::Change | TargetKind::Rate);
    if percent
        && t.unit_of_measure
            .as_ref()
            .is_some_and(|u| !u.as_str().starts_with('%'))
    {
        out.push(("unit_of_measure", TargetRule::UnitNotPercent));
    }
    if let (Some(i), Some(known)) = (&t.indicator, cx.indicators) {
        match known.get(i.as_str()) {
            None => out.push(("indicator", TargetRule::UnknownIndicator)),
            Some(m) if !fits(t.kind, *m) => {
                out.push(("indicator", TargetRule::IndicatorMeasuresOther))
            }
            Some(_) => {}
        }
    }
    out
}

/// Whether a target of `kind` may be measured by what `measures`: a change by a change in
/// percent or by a count (whose change against the baseline year progress computes), a rate by
/// a rate, a count by a count; a yes/no or judged target by anything.
fn fits(kind: TargetKind, measures: Measures) -> bool {
    match kind {
        TargetKind::Change => measures != Measures::Rate,
        TargetKind::Rate => measures == Measures::Rate,
        TargetKind::Count => measures == Measures::Count,
        TargetKind::YesNo | TargetKind::Qualitative => true,
    }
}

/// Threshold and range: present exactly when the comparison needs them, within the kind's
/// meaning (percentages 0–100, counts whole and not negative), a range low below high.
fn numbers(t: &Target, out: &mut Vec<(&'static str, TargetRule)>) {
    let values: Vec<(&'static str, Decimal)> = match t.comparison {
        Comparison::Holds | Comparison::Judged => {
            if t.threshold.is_some() || t.range.is_some() {
                out.push(("threshold", TargetRule::ThresholdNotAllowed));
            }
            return;
        }
        Comparison::Between => match (t.threshold, t.range) {
            (None, Some((lo, hi))) => {
                if lo >= hi {
                    out.push(("range", TargetRule::RangeReversed));
                }
                vec![("threshold", lo), ("range", hi)]
            }
            _ => {
                out.push(("range", TargetRule::ThresholdMissing));
                return;
            }
        },
        _ => match (t.threshold, t.range) {
            (Some(x), None) => vec![("threshold", x)],
            _ => {
                out.push(("threshold", TargetRule::ThresholdMissing));
                return;
            }
        },
    };
    for (field, x) in values {
        if x.is_sign_negative() && !x.is_zero() {
            out.push((field, TargetRule::Negative));
        } else if matches!(t.kind, TargetKind::Change | TargetKind::Rate)
            && x > Decimal::ONE_HUNDRED
        {
            out.push((field, TargetRule::PercentRange));
        } else if t.kind == TargetKind::Count && !x.fract().is_zero() {
            out.push((field, TargetRule::CountNotWhole));
        } else if x.normalize().scale() > 4 {
            out.push((field, TargetRule::Precision));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TargetId;
    use crate::text::Text;

    fn target(key: &str, threshold: Option<&str>) -> Target {
        let (kind, comparison) = shape(key).unwrap();
        Target {
            id: TargetId::parse("t1").unwrap(),
            area: Text::parse("area", "An ninh", 50).unwrap(),
            kind,
            subject: Text::parse("subject", "Tội phạm", 50).unwrap(),
            comparison,
            threshold: threshold.map(|s| s.parse().unwrap()),
            range: None,
            baseline_year: (kind == TargetKind::Change).then_some(2023),
            unit_of_measure: None,
            indicator: None,
        }
    }

    fn codes(targets: &[Target]) -> Vec<(usize, &'static str, &'static str)> {
        let ids = Indicators::from([("crime_change".to_owned(), Measures::Change)]);
        problems(
            targets,
            &Context {
                year: 2024,
                indicators: Some(&ids),
            },
        )
        .into_iter()
        .map(|p| (p.index, p.field, p.error.code()))
        .collect()
    }

    #[test]
    fn a_target_s_area_subject_and_unit_are_one_line_each() {
        let broken = |text: &str| Text::parse("x", text, 50).unwrap();
        let mut t = target("count_at_least", Some("3"));
        t.area = broken("An ninh\nTrật tự");
        t.subject = broken("Tội phạm\r\nvề trật tự xã hội");
        t.unit_of_measure = Some(broken("vụ\nviệc"));
        assert_eq!(
            codes(&[t]),
            vec![
                (0, "area", "invalid_text"),
                (0, "subject", "invalid_text"),
                (0, "unit_of_measure", "invalid_text"),
            ]
        );
    }

    #[test]
    fn a_target_names_an_indicator_that_measures_what_it_means() {
        let named = |key: &str, threshold: &str, indicator: &str| {
            let mut t = target(key, Some(threshold));
            t.indicator = Some(indicator.to_owned());
            t
        };
        assert!(codes(&[named("reduce_at_least", "5", "crime_change")]).is_empty());
        assert_eq!(
            codes(&[named("count_at_least", "3", "crime_change")]),
            vec![(0, "indicator", "target_indicator_measures_other")],
            "a count target on a change in percent"
        );
        assert_eq!(
            codes(&[named("rate_at_least", "75", "crime_change")]),
            vec![(0, "indicator", "target_indicator_measures_other")]
        );
        let ids = Indicators::from([
            ("crimes".to_owned(), Measures::Count),
            ("solve_rate".to_owned(), Measures::Rate),
        ]);
        let judged = |t: Target| {
            let cx = Context {
                year: 2024,
                indicators: Some(&ids),
            };
            problems(&[t], &cx).len()
        };
        assert_eq!(
            judged(named("reduce_at_least", "5", "crimes")),
            0,
            "a count's change"
        );
        assert_eq!(judged(named("rate_at_least", "75", "solve_rate")), 0);
        assert_eq!(judged(named("reduce_at_least", "5", "solve_rate")), 1);
        assert_eq!(judged(named("count_equal", "0", "solve_rate")), 1);
        assert_eq!(
            codes(&[named("count_at_least", "3", "nothing")]),
            vec![(0, "indicator", "unknown_indicator")]
        );
    }

    #[test]
    fn what_an_indicator_measures_is_read_from_its_expression() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/cum12-2024/regulation.toml"
        ))
        .unwrap();
        let compiled = thidua_scoring::compile(&text).unwrap();
        let m = indicators_of(compiled.ast());
        assert_eq!(m["crime_change"], Measures::Change);
        assert_eq!(m["solve_rate"], Measures::Rate);
        assert_eq!(m["crimes"], Measures::Count);
    }

    #[test]
    fn every_shape_key_round_trips() {
        for (key, kind, cmp) in SHAPES {
            assert_eq!(shape_key(*kind, *cmp), Some(*key));
            assert_eq!(shape(key), Some((*kind, *cmp)));
        }
        assert_eq!(shape_key(TargetKind::YesNo, Comparison::AtLeast), None);
    }

    #[test]
    fn numbers_must_mean_what_the_kind_says() {
        assert!(codes(&[target("reduce_at_least", Some("5"))]).is_empty());
        assert_eq!(
            codes(&[target("rate_at_least", Some("150"))]),
            vec![(0, "threshold", "target_percent_range")]
        );
        assert_eq!(
            codes(&[target("count_at_most", Some("-1"))]),
            vec![(0, "threshold", "target_negative")]
        );
        assert_eq!(
            codes(&[target("count_at_most", Some("2.5"))]),
            vec![(0, "threshold", "target_count_whole")]
        );
        assert_eq!(
            codes(&[target("yes_no", Some("1"))]),
            vec![(0, "threshold", "target_threshold_not_allowed")]
        );
        let mut reversed = target("reduce_between", None);
        reversed.range = Some((Decimal::from(10), Decimal::from(5)));
        assert_eq!(
            codes(&[reversed]),
            vec![(0, "range", "target_range_reversed")]
        );
        let mut far = target("reduce_at_least", Some("5"));
        far.baseline_year = Some(99999);
        far.indicator = Some("nothing".into());
        assert_eq!(
            codes(&[far]),
            vec![
                (0, "baseline_year", "target_baseline_range"),
                (0, "indicator", "unknown_indicator")
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_row() {
        let mut second = target("rate_above", Some("101"));
        second.id = TargetId::parse("t2").unwrap();
        let mut third = target("rate_above", Some("90"));
        third.id = TargetId::parse("t3").unwrap();
        third.subject = Text::parse("subject", "tội  PHẠM", 50).unwrap();
        assert_eq!(
            codes(&[target("rate_above", Some("90")), second, third]),
            vec![
                (1, "subject", "duplicate_target"),
                (1, "threshold", "target_percent_range"),
                (2, "subject", "duplicate_target"),
            ]
        );
        assert_eq!(codes(&[]), vec![(0, "subject", "target_count")]);
    }
}
