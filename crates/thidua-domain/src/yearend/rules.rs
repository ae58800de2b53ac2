//! The year-end rules checked when a command is decided and not when its event is applied, so
//! that logs written before them replay unchanged (`docs/event-encoding.md`): conflicts close
//! with the commitments; the secretariat's assignment has the draw's shape and acknowledges
//! exactly the rules of the draw it breaks; a review opened on missing figures, a lock and a
//! publication are acknowledged; a dossier is submitted, and an inspector agrees with a computed
//! criterion, only when its value can be computed; a unit answers its disputes once all its
//! inspectors' findings are in; scores given by people have no more decimal places than the
//! regulation rounds to. Also: what blocks a draw that found nothing.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use thidua_scoring::explain::Status;

use super::error::{phase, refuse_with};
use super::state::{self, last_year_pairs, Review};
use super::*;
use crate::figures::deadline_passed;

/// Whether the draw's inputs are closed: once every member has committed, the commitment
/// deadline has passed or a reveal is in, every seed value is fixed and reveals may start, so
/// an input declared from then on could be chosen knowing part of the seed (the last unit to
/// reveal knows all of it) and so steer the outcome.
fn draw_inputs_closed(review: &Review, time_ms: i64) -> bool {
    !review.reveals.is_empty()
        || review.commitments.len() == review.members.len()
        || deadline_passed(review.schedule.commit_deadline, time_ms)
}

/// Conflicts of interest are declared while commitments are open ([`draw_inputs_closed`]): a
/// conflict declared later could steer who inspects whom.
pub fn conflicts_open(review: &Review, time_ms: i64) -> Result<(), DomainError> {
    draw_input_open(
        review,
        time_ms,
        "conflicts_closed",
        "conflicts of interest are",
    )
}

/// A unit's count of source records is declared (or corrected) while commitments are open
/// ([`draw_inputs_closed`]): the records re-checked are drawn from the seed and the count, so
/// a unit that knew the seed could pick a count whose sample misses the records it fears.
pub fn records_open(review: &Review, time_ms: i64) -> Result<(), DomainError> {
    draw_input_open(review, time_ms, "records_closed", "the records are")
}

/// The refusal `why` of an input to the draw (`what` are declared…) once they are closed.
fn draw_input_open(
    review: &Review,
    time_ms: i64,
    why: &'static str,
    what: &str,
) -> Result<(), DomainError> {
    if draw_inputs_closed(review, time_ms) {
        let deadline = review.schedule.commit_deadline;
        return Err(phase(
            why,
            format!(
                "{what} declared while commitments are open (until every unit has committed, the first reveal or the end of the commitment deadline, {})",
                deadline.format("%d/%m/%Y")
            ),
            vec![("date", deadline.to_string())],
        ));
    }
    Ok(())
}

/// The inspectors of `unit` whose findings are not in yet, in the assignment's order.
pub fn findings_pending(review: &Review, unit: &UnitId) -> Vec<UnitId> {
    review
        .inspectors_of(unit)
        .into_iter()
        .filter(|i| review.finding(i, unit).is_none())
        .collect()
}

/// A unit gives its one response once every inspector assigned to it has submitted its
/// findings: answered after the first of two, it could never answer what the second disputes,
/// and the council would then decide that dispute on the inspector's word alone (a response
/// opens the council's decisions).
pub fn response_open(state: &State, review: &Review, unit: &UnitId) -> Result<(), DomainError> {
    let pending = findings_pending(review, unit);
    if pending.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = pending.iter().map(|u| named(state, u)).collect();
    Err(phase(
        "response_waits_findings",
        format!(
            "the unit answers once every inspector's findings are in; still awaited: {}",
            names.join(", ")
        ),
        vec![("units", names.join(", "))],
    ))
}

/// Each member of the covenant's cluster lacking approved figures for a reported window of the
/// covenant's year, with those windows' keys in the calendar's order (members sorted); none
/// when the regulation computes no criterion from the figures.
pub fn missing_windows(
    state: &State,
    covenant: &CovenantId,
) -> Result<Vec<(UnitId, Vec<String>)>, DomainError> {
    if state::criteria_of(state, covenant)?
        .iter()
        .all(|c| c.manual)
    {
        return Ok(Vec::new());
    }
    let c = state.covenant(covenant)?;
    let calendar = state.calendar(covenant)?;
    let mut members = state.members(&c.cluster, c.year)?.to_vec();
    members.sort();
    let mut out = Vec::new();
    for unit in members {
        let approved = state.figures.published_year(&unit, c.year);
        let missing: Vec<String> = calendar
            .reported()
            .iter()
            .map(|r| r.window.key.to_string())
            .filter(|k| !approved.iter().any(|(a, _)| a == k))
            .filter(|k| state.in_being_for(covenant, &unit, k))
            .collect();
        if !missing.is_empty() {
            out.push((unit, missing));
        }
    }
    Ok(out)
}

/// Members and their missing windows as a refusal names them: `Name (k1, k2); …`.
pub fn describe_missing(state: &State, missing: &[(UnitId, Vec<String>)]) -> String {
    missing
        .iter()
        .map(|(u, windows)| format!("{} ({})", named(state, u), windows.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The review opens over members that last the year: a member that ceased during it (by a
/// lineage change recorded after the covenant was signed) is first replaced by the units it went
/// into ([`crate::succession`]). Refused otherwise, naming them, the day each ceased, and their
/// successors.
pub fn no_member_ceased(state: &State, covenant: &CovenantId) -> Result<(), DomainError> {
    let c = state.covenant(covenant)?;
    let ceased = state.ceased_members(&c.cluster, c.year);
    if ceased.is_empty() {
        return Ok(());
    }
    let (units, successors) = crate::succession::named_ceased(state, &ceased);
    let (units, successors) = (units.join(", "), successors.join(", "));
    Err(refuse_with(
        "yearend_member_ceased",
        format!(
            "members ceased during the year: {units}; replace them in the year's membership by the units they went into ({successors}) first"
        ),
        vec![("units", units), ("successors", successors)],
    ))
}

/// Opening with members lacking approved figures needs `acknowledge_missing_figures`: refused
/// otherwise, naming the members and their windows.
pub fn figures_acknowledged(
    state: &State,
    covenant: &CovenantId,
    acknowledged: bool,
) -> Result<(), DomainError> {
    let missing = missing_windows(state, covenant)?;
    if missing.is_empty() || acknowledged {
        return Ok(());
    }
    let units = describe_missing(state, &missing);
    Err(refuse_with(
        "yearend_figures_missing",
        format!(
            "members lack approved figures of the year: {units}; acknowledge_missing_figures opens the review anyway"
        ),
        vec![("units", units)],
    ))
}

/// The quantitative criteria of `unit` the engine cannot compute from the approved figures
/// (their status is an error, or the engine gives the unit or the criterion no result), in the
/// regulation's order.
pub fn uncomputed(
    state: &State,
    review: &Review,
    unit: &UnitId,
) -> Result<Vec<String>, DomainError> {
    let board = score::scoreboard(state, review, score::Scores::SelfAssessed, false)?;
    let result = score::data_id(review, unit).and_then(|id| board.unit(&id).cloned());
    let computed = |id: &str| {
        result.as_ref().is_some_and(|r| {
            r.nodes
                .iter()
                .any(|n| *n.id == *id && n.status != Status::Error)
        })
    };
    Ok(review
        .criteria
        .iter()
        .filter(|c| !c.manual && !computed(&c.id))
        .map(|c| c.id.clone())
        .collect())
}

/// A dossier is submitted only when its quantitative criteria can be computed: refused naming
/// them and the unit's windows without approved figures.
pub fn dossier_computable(
    state: &State,
    review: &Review,
    unit: &UnitId,
) -> Result<(), DomainError> {
    let criteria = uncomputed(state, review, unit)?.join(", ");
    if criteria.is_empty() {
        return Ok(());
    }
    let windows = missing_windows(state, &review.schedule.covenant)?
        .into_iter()
        .find(|(u, _)| u == unit)
        .map(|(_, w)| w.join(", "))
        .unwrap_or_default();
    // Every window of the year approved: what is missing is an earlier year the scores compare
    // with (a merged unit's predecessor that never reported it, say), named as such.
    let earlier = if windows.is_empty() {
        earlier_gaps(state, &review.schedule.covenant, unit).join("; ")
    } else {
        String::new()
    };
    if !earlier.is_empty() {
        return Err(refuse_with(
            "yearend_criteria_uncomputable_earlier",
            format!("{criteria} cannot be computed: no approved figures of {earlier}"),
            vec![("criteria", criteria), ("lacking", earlier)],
        ));
    }
    Err(refuse_with(
        "yearend_criteria_uncomputable",
        format!(
            "{criteria} cannot be computed: no approved figures for {}",
            if windows.is_empty() {
                "some windows"
            } else {
                &windows
            }
        ),
        vec![("criteria", criteria), ("windows", windows)],
    ))
}

/// The members whose year's windows are all approved but whose computed criteria compare with
/// an earlier year they lack approved figures of, each with [`earlier_gaps`]: the dossiers
/// [`dossier_computable`] refuses for an earlier year alone, which only the secretariat's
/// import of earlier years mends. None when the regulation computes no criterion.
pub fn members_lacking_earlier(
    state: &State,
    covenant: &CovenantId,
) -> Result<Vec<(UnitId, Vec<String>)>, DomainError> {
    if state::criteria_of(state, covenant)?
        .iter()
        .all(|c| c.manual)
    {
        return Ok(Vec::new());
    }
    let missing = missing_windows(state, covenant)?;
    let c = state.covenant(covenant)?;
    Ok(state
        .members(&c.cluster, c.year)?
        .iter()
        .filter(|u| !missing.iter().any(|(m, _)| m == *u))
        .map(|u| (u.clone(), earlier_gaps(state, covenant, u)))
        .filter(|(_, gaps)| !gaps.is_empty())
        .collect())
}

/// Who of `unit`'s lineage lacks approved figures of an earlier year its scores compare with
/// (the year before the covenant's, the targets' baseline years), and for which months:
/// `Name (07–12/2024)` per unit and year, in year order. A merged unit's predecessors as
/// [`State::earlier_missing`] names them window by window; a unit without predecessors for the
/// windows it has no approved figure of.
fn earlier_gaps(state: &State, covenant: &CovenantId, unit: &UnitId) -> Vec<String> {
    let (Ok(c), Ok(calendar)) = (state.covenant(covenant), state.calendar(covenant)) else {
        return Vec::new();
    };
    let mut years: BTreeSet<i32> = c
        .latest()
        .content
        .targets
        .iter()
        .filter_map(|t| t.baseline_year)
        .filter(|y| *y < c.year)
        .collect();
    years.insert(c.year - 1);
    let merged = !state.earlier_sources(unit, c.year).is_empty();
    let mut out = Vec::new();
    for y in years {
        let mut lacking: Vec<(UnitId, Vec<u8>)> = Vec::new();
        for r in calendar.reported() {
            let key = r.window.key.as_str();
            for part in lacking_window(state, (unit, covenant, merged), y, key) {
                match lacking.iter_mut().find(|(u, _)| *u == part) {
                    Some((_, months)) => months.push(r.month),
                    None => lacking.push((part, vec![r.month])),
                }
            }
        }
        out.extend(
            lacking
                .iter()
                .map(|(u, months)| format!("{} ({}/{y})", named(state, u), month_runs(months))),
        );
    }
    out
}

/// Who of `unit`'s lineage has no approved report for window `key` of `year`: a merged unit's
/// predecessors as [`State::earlier_missing`] names them; else the unit itself, or nobody.
fn lacking_window(
    state: &State,
    (unit, covenant, merged): (&UnitId, &CovenantId, bool),
    year: i32,
    key: &str,
) -> Vec<UnitId> {
    if merged {
        return state.earlier_missing(unit, covenant, year, key);
    }
    let published = state
        .figures
        .report(unit, year, key)
        .and_then(|r| r.published())
        .is_some();
    match published {
        true => Vec::new(),
        false => vec![unit.clone()],
    }
}

/// Months as runs, two digits each: `03, 07–12`.
fn month_runs(months: &[u8]) -> String {
    let mut sorted = months.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u8, u8)> = Vec::new();
    for m in sorted {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == m => *last = m,
            _ => runs.push((m, m)),
        }
    }
    runs.iter()
        .map(|(a, b)| match a == b {
            true => format!("{a:02}"),
            false => format!("{a:02}–{b:02}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An inspector agrees only with a quantitative criterion whose value is computed (a criterion
/// the findings leave out is agreed with): refused naming the criteria that have none, which
/// are questioned instead.
pub fn agreements_computed(
    state: &State,
    review: &Review,
    inspected: &UnitId,
    items: &std::collections::BTreeMap<String, FindingItem>,
) -> Result<(), DomainError> {
    let missing = uncomputed(state, review, inspected)?;
    let bad: Vec<&str> = missing
        .iter()
        .filter(|id| items.get(*id).is_none_or(|i| i.verdict == Verdict::Agree))
        .map(String::as_str)
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    let criteria = bad.join(", ");
    Err(refuse_with(
        "yearend_agree_uncomputed",
        format!("{criteria}: no computed value to agree with (approved figures missing); question the figures instead"),
        vec![("criteria", criteria)],
    ))
}

/// An irreversible step (`lock`, `publish_results`) is given with `confirm: true`, unless it
/// is `done` already (its own refusal then says so: no box would change that).
pub fn confirmed(step: &'static str, confirm: bool, done: bool) -> Result<(), DomainError> {
    if confirm || done {
        return Ok(());
    }
    Err(refuse_with(
        "yearend_confirm_required",
        format!("{step} cannot be undone: confirm it (confirm: true)"),
        vec![("step", step.to_owned())],
    ))
}

/// The shape of an assignment the draw gives: the pairs name members, nobody inspects itself,
/// and every member is inspected by exactly k units and inspects exactly k (a pair named twice
/// is refused before).
pub fn check_shape(state: &State, review: &Review, pairs: &[Pair]) -> Result<(), DomainError> {
    let invalid = |detail: String, args: Vec<(&'static str, String)>| {
        refuse_with("yearend_assignment_invalid", detail, args)
    };
    let k = usize::from(review.schedule.inspectors);
    for p in pairs {
        for u in [&p.inspector, &p.inspected] {
            if !review.is_member(u) {
                return Err(refuse_with(
                    "yearend_not_member",
                    format!("{u} is not a member of the cluster in {}", review.year),
                    vec![("unit", named(state, u))],
                ));
            }
        }
        if p.inspector == p.inspected {
            return Err(invalid(
                format!("{} cannot inspect itself", p.inspector),
                vec![
                    ("why", "self".into()),
                    ("unit", named(state, &p.inspector)),
                    ("k", k.to_string()),
                ],
            ));
        }
    }
    for u in &review.members {
        let by = pairs.iter().filter(|p| &p.inspected == u).count();
        let of = pairs.iter().filter(|p| &p.inspector == u).count();
        for (why, n, what) in [
            ("inspected", by, "is inspected by"),
            ("inspects", of, "inspects"),
        ] {
            if n != k {
                return Err(invalid(
                    format!("{u} {what} {n} unit(s); every unit is inspected by exactly {k} and inspects exactly {k}"),
                    vec![
                        ("why", why.into()),
                        ("unit", named(state, u)),
                        ("count", n.to_string()),
                        ("k", k.to_string()),
                    ],
                ));
            }
        }
    }
    Ok(())
}

/// The rules of the draw a set of pairs breaks, sorted: a declared conflict between the two
/// units, a mutual pair (each inspects the other; one breach per direction) and last year's
/// pair (`state::last_year_pairs`).
pub fn breaches(state: &State, review: &Review, pairs: &[Pair]) -> Vec<Breach> {
    let last_year = last_year_pairs(state, review);
    let conflict = |a: &UnitId, b: &UnitId| in_conflict(review, a, b);
    let mut out = BTreeSet::new();
    for p in pairs {
        let breach = |rule| Breach {
            rule,
            inspector: p.inspector.clone(),
            inspected: p.inspected.clone(),
        };
        if conflict(&p.inspector, &p.inspected) {
            out.insert(breach(Rule::Conflict));
        }
        if pairs
            .iter()
            .any(|q| q.inspector == p.inspected && q.inspected == p.inspector)
        {
            out.insert(breach(Rule::Mutual));
        }
        if last_year.contains(p) {
            out.insert(breach(Rule::LastYear));
        }
    }
    out.into_iter().collect()
}

/// A breach as a refusal and the CLI name it: `conflict: A → B`; last year's pair carried
/// through a merger also says the pair it was, with its year:
/// `last_year: Công an tỉnh Cà Mau → Công an thành phố Cần Thơ (2024: Công an tỉnh Cà Mau →
/// Công an tỉnh Hậu Giang)`.
pub fn describe_breach(state: &State, review: &Review, b: &Breach) -> String {
    let pair = Pair {
        inspector: b.inspector.clone(),
        inspected: b.inspected.clone(),
    };
    let named_pair = pair_named(state, &pair);
    match b.rule {
        Rule::LastYear => format!(
            "{}: {named_pair}{}",
            b.rule.key(),
            carried_from(state, review, &pair)
        ),
        _ => format!("{}: {named_pair}", b.rule.key()),
    }
}

/// ` (2024: A → B, C → D)`: last year's pairs carried onto `pair` through the lineage, when
/// they are not `pair` itself (empty otherwise). Commas, since a refusal separates its
/// breaches with semicolons.
pub fn carried_from(state: &State, review: &Review, pair: &Pair) -> String {
    let origins = carried_origins(state, review, pair);
    if origins.is_empty() {
        return String::new();
    }
    let list = origins
        .iter()
        .map(|p| pair_named(state, p))
        .collect::<Vec<_>>()
        .join(", ");
    format!(" ({}: {list})", review.year - 1)
}

/// `A → B`, the units by name.
fn pair_named(state: &State, p: &Pair) -> String {
    format!(
        "{} → {}",
        named(state, &p.inspector),
        named(state, &p.inspected)
    )
}

/// Last year's pairs carried onto `pair` through the lineage, as they were
/// (`state::last_year_origins`), when they are not `pair` itself: what a refusal or a page
/// names beside a carried pair (Cà Mau → Hậu Giang beside Cà Mau → Cần Thơ). Empty when `pair`
/// is last year's pair unchanged or not one of them.
pub fn carried_origins(state: &State, review: &Review, pair: &Pair) -> Vec<Pair> {
    let origins = state::last_year_origins(state, review, pair);
    if origins == [pair.clone()] {
        return Vec::new();
    }
    origins
}

/// The breaches of `pairs`, which `acknowledged` must list exactly (in any order): refused
/// naming every breach when it does not.
pub fn breaches_acknowledged(
    state: &State,
    review: &Review,
    pairs: &[Pair],
    acknowledged: &[Breach],
) -> Result<Vec<Breach>, DomainError> {
    let found = breaches(state, review, pairs);
    let given: BTreeSet<&Breach> = acknowledged.iter().collect();
    if given == found.iter().collect::<BTreeSet<_>>() && given.len() == acknowledged.len() {
        return Ok(found);
    }
    let list = found
        .iter()
        .map(|b| describe_breach(state, review, b))
        .collect::<Vec<_>>()
        .join("; ");
    Err(refuse_with(
        "yearend_assignment_breaches",
        format!(
            "the assignment breaks these rules of the draw, to acknowledge exactly (acknowledged): {}",
            if list.is_empty() { "none" } else { &list }
        ),
        vec![("breaches", list), ("count", found.len().to_string())],
    ))
}

/// What blocks every assignment, when one member shows it: a unit whose declared conflicts
/// leave fewer than 2k other units it may meet. In the draw's cycle a unit's k inspectors and
/// the k units it inspects are 2k different units (no mutual pair, no conflict in either
/// direction), so such a unit has no place in any cycle. Each as (unit, the units left, 2k);
/// empty when the cause lies in the combination of conflicts.
pub fn draw_blockers(review: &Review) -> Vec<(UnitId, usize, usize)> {
    let needed = 2 * usize::from(review.schedule.inspectors);
    review
        .members
        .iter()
        .filter_map(|u| {
            let left = review
                .members
                .iter()
                .filter(|o| *o != u && !in_conflict(review, u, o))
                .count();
            (left < needed).then(|| (u.clone(), left, needed))
        })
        .collect()
}

/// Whether the two units declared a conflict (either of them, either way).
fn in_conflict(review: &Review, a: &UnitId, b: &UnitId) -> bool {
    review
        .conflicts
        .iter()
        .any(|(c, _)| (&c.unit == a && &c.other == b) || (&c.unit == b && &c.other == a))
}

/// A unit as a refusal names it: its name, else its id.
pub fn named(state: &State, unit: &UnitId) -> String {
    state
        .units
        .get(unit)
        .map_or(unit.to_string(), |x| x.name.to_string())
}

/// Scores given by people (self-scores, inspectors' proposals, the council's decisions) have
/// no more decimal places than the regulation rounds points to, or than the criterion's
/// maximum has if that is more: "7,123456789" is a slip of the keyboard, not a judgement.
pub fn score_places<'a>(
    state: &State,
    covenant: &CovenantId,
    scores: impl IntoIterator<Item = (&'a str, Decimal)>,
) -> Result<(), DomainError> {
    let mut scores = scores.into_iter().peekable();
    if scores.peek().is_none() {
        return Ok(());
    }
    let places = crate::engine_data::regulation(state, covenant)?
        .ast()
        .rounding
        .places;
    let review = state.review(covenant)?;
    for (id, score) in scores {
        let max_places = review
            .criterion(id)
            .map_or(places, |c| places.max(c.max.normalize().scale()));
        if score.normalize().scale() > max_places {
            return Err(refuse_with(
                "yearend_score_places",
                format!("{id}: a score has at most {max_places} decimal places"),
                vec![
                    ("criterion", id.to_owned()),
                    ("places", max_places.to_string()),
                ],
            ));
        }
    }
    Ok(())
}
