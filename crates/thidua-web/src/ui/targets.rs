//! The covenant form's targets as rows of fields (area, kind, subject, threshold, high end of a
//! range, unit, baseline year, the regulation's indicator), read from the submitted form as
//! `t{i}_{field}` and shown with ids `t{i}-{field}`; rows are added and removed by submit
//! buttons (`op=add`, `op=remove-{i}`) without losing what was typed, so the form works without
//! script. Every problem of every row is reported beside its field: the form's own reading
//! (numbers, years) and then the domain's rules ([`thidua_domain::target::problems`], the same
//! that `decide` applies). Targets as sentences are [`thidua_domain::wording`]'s.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use thidua_domain::model::{Comparison, Target, TargetKind};
use thidua_domain::target::{self, Context};
use thidua_domain::text::limits;
use thidua_domain::{TargetId, Text};

use super::form::{Errors, Submitted};
use crate::i18n::{Lang, Strings};

/// One row as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The target's id (kept across versions; empty for a new row).
    pub id: String,
    pub area: String,
    /// A key of [`thidua_domain::target::SHAPES`].
    pub shape: String,
    pub subject: String,
    /// The threshold, or the low end of a range.
    pub threshold: String,
    /// The high end of a range.
    pub high: String,
    pub unit: String,
    pub baseline: String,
    pub indicator: String,
}

impl Row {
    fn is_blank(&self) -> bool {
        [
            &self.area,
            &self.subject,
            &self.threshold,
            &self.high,
            &self.unit,
            &self.baseline,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }
}

/// The most rows the form reads (a covenant has at most this many targets).
const MAX_ROWS: usize = target::MAX_TARGETS;

/// The rows of a submitted form, in order (`rows` says how many were shown).
pub fn rows_from_form(f: &Submitted) -> Vec<Row> {
    let count = f
        .get("rows")
        .trim()
        .parse::<usize>()
        .unwrap_or(0)
        .min(MAX_ROWS);
    (0..count)
        .map(|i| {
            let get = |field: &str| f.get(&format!("t{i}_{field}"));
            Row {
                id: get("id"),
                area: get("area"),
                shape: get("shape"),
                subject: get("subject"),
                threshold: get("threshold"),
                high: get("high"),
                unit: get("unit"),
                baseline: get("baseline"),
                indicator: get("indicator"),
            }
        })
        .collect()
}

/// The row to focus when the form comes back after the row button `op` left `len` rows: the
/// new row after `add`, the row that took the removed one's place (or the last) after
/// `remove-{i}`; none after any other button.
pub fn focus_after(op: &str, len: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    if op == "add" {
        return Some(last);
    }
    let removed = op.strip_prefix("remove-")?.parse::<usize>().ok()?;
    Some(removed.min(last))
}

/// Applies a row button (`add`, `remove-{i}`); true when the form is to be shown again.
pub fn apply_op(rows: &mut Vec<Row>, op: &str) -> bool {
    if op == "add" {
        if rows.len() < MAX_ROWS {
            let area = rows.last().map(|r| r.area.clone()).unwrap_or_default();
            rows.push(Row {
                area,
                shape: "reduce_at_least".into(),
                ..Row::default()
            });
        }
        return true;
    }
    match op
        .strip_prefix("remove-")
        .and_then(|i| i.parse::<usize>().ok())
    {
        Some(i) if i < rows.len() => {
            rows.remove(i);
            true
        }
        Some(_) => true,
        None => false,
    }
}

/// The rows of existing targets (the editing form starts from them).
pub fn rows_from_targets(targets: &[Target]) -> Vec<Row> {
    let dec = |d: &Decimal| crate::format::decimal_to_type(d);
    targets
        .iter()
        .map(|t| {
            let (threshold, high) = match (&t.threshold, &t.range) {
                (_, Some((lo, hi))) => (dec(lo), dec(hi)),
                (Some(x), None) => (dec(x), String::new()),
                (None, None) => (String::new(), String::new()),
            };
            Row {
                id: t.id.to_string(),
                area: t.area.to_string(),
                shape: target::shape_key(t.kind, t.comparison)
                    .unwrap_or("")
                    .to_owned(),
                subject: t.subject.to_string(),
                threshold,
                high,
                unit: t
                    .unit_of_measure
                    .as_ref()
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
                baseline: t.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
                indicator: t.indicator.clone().unwrap_or_default(),
            }
        })
        .collect()
}

/// A threshold as people type it ([`crate::format::typed_decimal`]: "95,5" or "95.5", no
/// thousands separators; "2.000" is refused as ambiguous, never read as 2), a trailing "%" and
/// spaces ignored.
pub fn decimal(raw: &str) -> Result<Decimal, &'static str> {
    use crate::format::{typed_decimal, Unreadable};
    typed_decimal(&raw.replace([' ', '%'], "")).map_err(|e| match e {
        Unreadable::Ambiguous => "number_ambiguous",
        Unreadable::Invalid => "invalid_number",
    })
}

/// Reads the rows into targets (blank rows are skipped), reporting every problem beside its
/// field in `errors`; `None` when any row has a problem.
pub fn parse_rows(
    rows: &[Row],
    lang: Lang,
    year: i32,
    indicators: Option<&thidua_domain::target::Indicators>,
    errors: &mut Errors,
) -> Option<Vec<Target>> {
    let before = errors.iter().count();
    let mut built: Vec<(usize, Target)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        if let Some(t) = read_row(i, row, lang, errors) {
            built.push((i, t));
        }
    }
    assign_ids(&mut built);
    let targets: Vec<Target> = built.iter().map(|(_, t)| t.clone()).collect();
    let cx = Context { year, indicators };
    // Rows were filled in but none could be read: their problems are beside their fields, and
    // "a covenant needs 1 to 100 targets" (for a form with no target at all) would mislead.
    let unread = targets.is_empty() && errors.iter().count() > before;
    for p in target::problems(&targets, &cx) {
        match built.get(p.index) {
            Some((row, _)) if !targets.is_empty() => {
                let (id, context) = field_id(lang, *row, p.field);
                errors.push_in(id, context, lang.refusal(&p.error));
            }
            _ if unread => {}
            _ => errors.push("targets", lang.refusal(&p.error)),
        }
    }
    (errors.iter().count() == before).then_some(targets)
}

/// The element id of a row's field as the form shows it, and where it is in words.
fn field_id(lang: Lang, row: usize, domain_field: &str) -> (String, String) {
    let field = match domain_field {
        "kind" => "shape",
        "range" => "high",
        "unit_of_measure" => "unit",
        "baseline_year" => "baseline",
        other => other,
    };
    (format!("t{row}-{field}"), context(lang, row, field))
}

/// "Chỉ tiêu 2, Ngưỡng / từ": the row (from 1) and the field's label.
fn context(lang: Lang, row: usize, field: &str) -> String {
    let t = lang.strings();
    let label = match field {
        "area" => t.target_area,
        "subject" => t.target_subject,
        "shape" => t.target_kind,
        "threshold" => t.threshold_label,
        "high" => t.high_label,
        "unit" => t.unit_of_measure_label,
        "baseline" => t.target_baseline,
        _ => t.indicator_label,
    };
    format!("{} {}, {label}", t.target_subject, row + 1)
}

/// One row into a target, or its reading problems.
fn read_row(i: usize, row: &Row, lang: Lang, errors: &mut Errors) -> Option<Target> {
    let id = |f: &str| format!("t{i}-{f}");
    let mut ok = true;
    let mut fail = |f: &str, code: &str| {
        errors.push_in(id(f), context(lang, i, f), lang.error(code));
        ok = false;
    };
    let area = Text::parse("area", &row.area, limits::AREA)
        .map_err(|e| fail("area", e.code()))
        .ok();
    let subject = Text::parse("subject", &row.subject, limits::SUBJECT)
        .map_err(|e| fail("subject", e.code()))
        .ok();
    let shape = target::shape(&row.shape);
    if shape.is_none() {
        fail("shape", "target_shape");
    }
    let number = |raw: &str, f: &str, fail: &mut dyn FnMut(&str, &str)| -> Option<Decimal> {
        if raw.trim().is_empty() {
            return None;
        }
        decimal(raw).map_err(|code| fail(f, code)).ok()
    };
    let low = number(&row.threshold, "threshold", &mut fail);
    let high = number(&row.high, "high", &mut fail);
    let baseline_year = match row.baseline.trim() {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                fail("baseline", "target_baseline_range");
                None
            }
        },
    };
    let (kind, comparison) = shape?;
    let percent = matches!(kind, TargetKind::Change | TargetKind::Rate);
    let unit_of_measure = match row.unit.trim() {
        "" if percent => Some(Text::parse("unit", "%", 5).expect("a valid unit")),
        "" => None,
        u => Text::parse("unit_of_measure", u, limits::UNIT_OF_MEASURE)
            .map_err(|e| fail("unit", e.code()))
            .ok(),
    };
    let (threshold, range) = match comparison {
        Comparison::Between => match (low, high) {
            (Some(lo), Some(hi)) => (None, Some((lo, hi))),
            (lo, hi) => {
                if lo.is_none() && row.threshold.trim().is_empty() {
                    fail("threshold", "target_threshold_missing");
                }
                if hi.is_none() && row.high.trim().is_empty() {
                    fail("high", "target_threshold_missing");
                }
                (None, None)
            }
        },
        _ => {
            if !row.high.trim().is_empty() && !matches!(comparison, Comparison::Between) {
                fail("high", "target_high_not_allowed");
            }
            (low, None)
        }
    };
    if !ok {
        return None;
    }
    let indicator = Some(row.indicator.trim().to_owned()).filter(|s| !s.is_empty());
    Some(Target {
        id: TargetId::parse(row.id.trim()).unwrap_or_else(|_| TargetId::parse("t0").expect("id")),
        area: area?,
        kind,
        subject: subject?,
        comparison,
        threshold,
        range,
        baseline_year,
        unit_of_measure,
        indicator,
    })
}

/// Keeps each row's id when it is valid and unused before it; gives the others `t{n}`.
fn assign_ids(built: &mut [(usize, Target)]) {
    let kept: Vec<bool> = {
        let mut seen = BTreeSet::new();
        built
            .iter()
            .map(|(_, t)| t.id.as_str() != "t0" && seen.insert(t.id.clone()))
            .collect()
    };
    let mut used: BTreeSet<String> = built
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|((_, t), _)| t.id.to_string())
        .collect();
    let mut n = 1;
    for ((_, t), keep) in built.iter_mut().zip(kept) {
        if keep {
            continue;
        }
        while used.contains(&format!("t{n}")) {
            n += 1;
        }
        let id = format!("t{n}");
        used.insert(id.clone());
        t.id = TargetId::parse(&id).expect("a valid id");
    }
}

/// A target as a sentence in the interface's language ([`thidua_domain::wording`]): "Giảm ít
/// nhất 5% so với năm 2023", "Tỷ lệ đạt trên 90%".
pub fn sentence(t: &Strings, target: &Target) -> String {
    thidua_domain::wording::sentence(t.target_words, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{en, vi};
    use std::str::FromStr;

    fn row(shape: &str, subject: &str, threshold: &str, high: &str, baseline: &str) -> Row {
        Row {
            area: "Phòng, chống tội phạm".into(),
            shape: shape.into(),
            subject: subject.into(),
            threshold: threshold.into(),
            high: high.into(),
            baseline: baseline.into(),
            ..Row::default()
        }
    }

    fn read(rows: &[Row]) -> (Option<Vec<Target>>, Vec<(String, String)>) {
        let mut errors = Errors::default();
        let ids = thidua_domain::target::Indicators::new();
        let targets = parse_rows(rows, Lang::Vi, 2024, Some(&ids), &mut errors);
        let list = errors
            .iter()
            .map(|e| (e.id.clone(), e.message.clone()))
            .collect();
        (targets, list)
    }

    /// A target naming an indicator is judged against the regulation's indicators only when
    /// the regulation could be read: a regulation with a syntax error gets its one error, not
    /// one more beside every target.
    #[test]
    fn indicators_are_judged_only_against_a_regulation_that_reads() {
        let mut named = row("reduce_at_least", "Giảm tội phạm", "5", "", "2023");
        named.indicator = "crime_change".into();
        let unknown = |indicators: Option<&thidua_domain::target::Indicators>| {
            let mut errors = Errors::default();
            parse_rows(
                std::slice::from_ref(&named),
                Lang::Vi,
                2024,
                indicators,
                &mut errors,
            );
            let named_unknown = errors.iter().any(|e| e.id.ends_with("indicator"));
            named_unknown
        };
        assert!(!unknown(None), "the regulation could not be read");
        use thidua_domain::target::{Indicators, Measures};
        assert!(unknown(Some(&Indicators::new())));
        let change = Indicators::from([("crime_change".to_owned(), Measures::Change)]);
        assert!(!unknown(Some(&change)));
    }

    #[test]
    fn rows_become_targets_with_stable_ids() {
        let mut kept = row("rate_above", "Tỷ lệ khám phá", "75", "", "");
        kept.id = "kham-pha".into();
        let (targets, errors) = read(&[
            row("reduce_at_least", "Giảm tội phạm", "5", "", "2023"),
            Row::default(),
            row("reduce_between", "Giảm án tạm đình chỉ", "5", "10", "2023"),
            kept,
            row("rate_below", "Kỷ luật", "0,5", "", ""),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let targets = targets.unwrap();
        let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["t1", "t2", "kham-pha", "t3"]);
        assert_eq!(
            targets[1].range,
            Some((Decimal::from(5), Decimal::from(10)))
        );
        assert_eq!(
            targets[3].threshold,
            Some(Decimal::from_str("0.5").unwrap())
        );
        assert_eq!(targets[3].unit_of_measure.as_ref().unwrap().as_str(), "%");
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let (targets, errors) = read(&[
            row("reduce_at_least", "Giảm tội phạm", "5", "", "2023"),
            row("reduce_at_least", "giảm  tội phạm", "5", "", "2023"),
            row("reduce_between", "Giảm án", "10", "5", "2023"),
            row("rate_at_least", "Tỷ lệ", "150", "", ""),
            row("count_at_most", "Cháy", "-1", "", ""),
            row("reduce_at_least", "Giảm tai nạn", "nhiều", "", "99999"),
        ]);
        assert!(targets.is_none());
        let ids: Vec<&str> = errors.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "t5-threshold",
                "t1-subject",
                "t2-high",
                "t3-threshold",
                "t4-threshold"
            ]
        );
        assert_eq!(errors[1].1, vi::error("duplicate_target"));
        assert_eq!(errors[2].1, vi::error("target_range_reversed"));
    }

    #[test]
    fn a_filled_row_with_a_problem_is_not_told_as_no_target() {
        let (targets, errors) = read(&[row(
            "reduce_at_least",
            "Giảm tội phạm",
            "5",
            "",
            "năm ngoái",
        )]);
        assert!(targets.is_none());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "t0-baseline");
        let (_, errors) = read(&[Row::default()]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "targets");
        assert_eq!(errors[0].1, vi::error("target_count"));
    }

    #[test]
    fn targets_read_as_sentences() {
        let (targets, _) = read(&[
            row("reduce_at_least", "a", "5", "", "2023"),
            row("reduce_at_least", "b", "0", "", "2023"),
            row("rate_above", "c", "90", "", ""),
            row("reduce_between", "d", "5", "10", "2023"),
            row("rate_at_least", "e", "100", "", ""),
            row("rate_below", "f", "0,5", "", ""),
        ]);
        let targets = targets.unwrap();
        let vi: Vec<String> = targets.iter().map(|t| sentence(&vi::STRINGS, t)).collect();
        assert_eq!(
            vi,
            [
                "Giảm ít nhất 5% so với năm 2023",
                "Không tăng so với năm 2023",
                "Tỷ lệ đạt trên 90%",
                "Giảm từ 5% đến 10% so với năm 2023",
                "Đạt 100%",
                "Tỷ lệ dưới 0,5%"
            ]
        );
        assert_eq!(
            sentence(&en::STRINGS, &targets[0]),
            "Reduce by at least 5% compared with 2023"
        );
    }

    #[test]
    fn rows_are_added_and_removed_without_losing_text() {
        let mut rows = vec![
            row("rate_above", "a", "90", "", ""),
            row("yes_no", "b", "", "", ""),
        ];
        assert!(apply_op(&mut rows, "add"));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].area, "Phòng, chống tội phạm");
        assert_eq!(focus_after("add", rows.len()), Some(2), "the new row");
        assert!(apply_op(&mut rows, "remove-0"));
        assert_eq!(rows[0].subject, "b");
        assert_eq!(
            focus_after("remove-0", rows.len()),
            Some(0),
            "its successor"
        );
        assert_eq!(focus_after("remove-1", 1), Some(0), "the last row removed");
        assert!(!apply_op(&mut rows, "save"));
        assert_eq!(focus_after("save", rows.len()), None);
    }
}
