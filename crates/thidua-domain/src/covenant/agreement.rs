//! Whether a covenant's targets say what its scoring regulation scores. The leaders sign the
//! targets' words ("giảm ít nhất 5,5%") and the regulation's numbers (full points from a 5%
//! reduction) at once; when the two disagree, the score does not follow the words. Each target
//! measured by an indicator is set beside every criterion scoring that indicator on a scale (or
//! by a plain comparison, `received_rate >= 100`), and both are asked at the target's threshold
//! and just on either side of it: the target met or not, the criterion's full points given or
//! not, by the engine's own rule (`thidua_scoring::engine::scale_points`). A disagreement is
//! told, never refused: a regulation may mean to score otherwise, and its authors decide.

use rust_decimal::Decimal;
use thidua_scoring::ast::{BinOp, Body, Criterion, Expr, Regulation};
use thidua_scoring::Exact;

use crate::model::{Comparison, Target, TargetKind};
use crate::progress::status::meets;

/// A target and a criterion that disagree at a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The target's position among the covenant's targets (from 0).
    pub target: usize,
    /// The criterion's id and name.
    pub criterion: String,
    pub criterion_name: String,
    /// A value, in the target's terms (a reduction in per cent for a change), at which they
    /// disagree.
    pub at: Exact,
    /// Whether the target is met at that value (the criterion then withholds full points), or
    /// not (the criterion gives them).
    pub target_met: bool,
}

/// How far on either side of a threshold the two are asked (a ten-thousandth of its unit).
fn beside() -> Exact {
    Exact::from(Decimal::new(1, 4))
}

/// Every disagreement between a covenant's `targets` and its regulation `reg` (the parsed
/// form), in the targets' order.
pub fn disagreements(targets: &[Target], reg: &Regulation) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let Some(probes) = probes(target) else {
            continue;
        };
        let indicator = target.indicator.as_deref().unwrap_or_default();
        // A change measured by a data element is a count in the regulation, not a change.
        let element = reg.elements.iter().any(|e| e.id == indicator);
        if target.kind == TargetKind::Change && element {
            continue;
        }
        for c in reg.criteria.iter() {
            let parted = full_points(c, indicator).and_then(|full| parting(target, &probes, full));
            if let Some((at, target_met)) = parted {
                out.push(Disagreement {
                    target: i,
                    criterion: c.id.clone(),
                    criterion_name: c.name.clone(),
                    at,
                    target_met,
                });
            }
        }
    }
    out
}

/// The first of `probes` (in the target's terms) where the target met and the criterion's
/// full points part, with whether the target is met there. A change target reads the
/// indicator's signed change as a reduction, so the indicator is asked at its negation (as
/// `progress` reads it back).
fn parting(target: &Target, probes: &[Exact], full: Full) -> Option<(Exact, bool)> {
    probes.iter().find_map(|at| {
        let met = meets(target, at)?;
        let value = match target.kind {
            TargetKind::Change => at.neg(),
            _ => at.clone(),
        };
        (full(&value)? != met).then(|| (at.clone(), met))
    })
}

/// The disagreements of a covenant version's content: its targets against its regulation (none
/// when the regulation does not compile, which a signed version's always does).
pub fn of_content(content: &crate::model::CovenantContent) -> Vec<Disagreement> {
    match thidua_scoring::compile(&content.regulation.text) {
        Ok(reg) => disagreements(&content.targets, reg.ast()),
        Err(_) => Vec::new(),
    }
}

/// The values a target is asked at: its threshold and just on either side; `None` for a
/// target without one threshold (a range, a yes/no or judged target, no indicator).
fn probes(target: &Target) -> Option<[Exact; 3]> {
    target.indicator.as_ref()?;
    if !matches!(
        target.comparison,
        Comparison::AtLeast | Comparison::Above | Comparison::AtMost | Comparison::Below
    ) {
        return None;
    }
    let t = Exact::from(target.threshold?);
    let d = beside();
    Some([t.clone(), t.sub(&d).ok()?, t.add(&d).ok()?])
}

/// Whether a criterion gives its full points for a value (`None`: not decided there).
type Full<'a> = Box<dyn Fn(&Exact) -> Option<bool> + 'a>;

/// Whether criterion `c` gives its full points for a value of `indicator`, when it scores that
/// indicator alone; `None` when it scores something else.
fn full_points<'a>(c: &'a Criterion, indicator: &str) -> Option<Full<'a>> {
    match &c.body {
        Body::Scaled { value, scale, .. } if names(&value.expr, indicator) => {
            let points = Exact::from(c.points);
            Some(Box::new(move |v: &Exact| {
                let p = thidua_scoring::engine::scale_points(scale, c.points, v)?;
                Some(p >= points)
            }))
        }
        Body::Met { when, .. } => {
            let Expr::Binary(op, left, right) = &when.expr else {
                return None;
            };
            let (Expr::Num(n), true) = (right.as_ref(), names(left, indicator)) else {
                return None;
            };
            let (op, bound) = (*op, Exact::from(*n));
            Some(Box::new(move |v: &Exact| match op {
                BinOp::Ge => Some(*v >= bound),
                BinOp::Gt => Some(*v > bound),
                BinOp::Le => Some(*v <= bound),
                BinOp::Lt => Some(*v < bound),
                _ => None,
            }))
        }
        _ => None,
    }
}

/// Whether `e` is the plain reference to `name` (no period selector).
fn names(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Ref { name: n, sel: None, .. } if n == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TargetId;
    use crate::text::Text;

    const REGULATION: &str = include_str!("../../../../examples/cum12-2024/regulation.toml");

    fn target(kind: TargetKind, comparison: Comparison, threshold: i64, indicator: &str) -> Target {
        Target {
            id: TargetId::parse("t1").unwrap(),
            area: Text::parse("area", "Phòng, chống tội phạm", 200).unwrap(),
            kind,
            subject: Text::parse("subject", "chỉ tiêu", 200).unwrap(),
            comparison,
            threshold: Some(Decimal::from(threshold)),
            range: None,
            baseline_year: None,
            unit_of_measure: None,
            indicator: Some(indicator.to_owned()),
        }
    }

    fn found(targets: &[Target]) -> Vec<(String, String, bool)> {
        let reg = thidua_scoring::compile(REGULATION).unwrap();
        disagreements(targets, reg.ast())
            .into_iter()
            .map(|d| (d.criterion, d.at.to_string(), d.target_met))
            .collect()
    }

    /// "Giảm ít nhất 5%" against A1's full points from a 5% reduction, "đạt từ 90% trở lên"
    /// against A4's, "tiếp nhận 100%" against A3's `received_rate >= 100`: they agree.
    #[test]
    fn targets_worded_as_their_criteria_score_agree() {
        let targets = [
            target(TargetKind::Change, Comparison::AtLeast, 5, "crime_change"),
            target(TargetKind::Rate, Comparison::AtLeast, 90, "resolved_rate"),
            target(TargetKind::Rate, Comparison::AtLeast, 100, "received_rate"),
        ];
        assert_eq!(found(&targets), []);
    }

    /// A threshold moved in the covenant but not in the regulation, and a strict target
    /// ("trên 90%") scored from 90: each is told at a value where they part.
    #[test]
    fn a_target_the_regulation_scores_otherwise_is_told() {
        let mut moved = target(TargetKind::Change, Comparison::AtLeast, 5, "crime_change");
        moved.threshold = Some(Decimal::new(55, 1));
        let strict = target(TargetKind::Rate, Comparison::Above, 90, "resolved_rate");
        let stricter = target(TargetKind::Change, Comparison::AtLeast, 4, "crime_change");
        assert_eq!(
            found(&[moved, strict, stricter]),
            [
                ("A1".into(), "5.4999".into(), false),
                ("A4".into(), "90".into(), false),
                ("A1".into(), "4".into(), true),
            ]
        );
    }
}
