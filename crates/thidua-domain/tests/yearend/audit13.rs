//! The rules issue 13's audit found missing, each `decide`'s: conflicts and record counts
//! close with the commitments; the secretariat's assignment has the draw's shape and acknowledges exactly the
//! rules of the draw it breaks (recorded with it); a review opened on missing figures is
//! acknowledged, a dossier whose computed criteria cannot be computed is not submitted and an
//! inspector cannot agree with such a criterion; the lock and the publication are confirmed;
//! refusals name the criterion and its maximum.

use std::collections::BTreeMap;

use super::*;
use thidua_domain::yearend::rules;

/// Declares a conflict between `unit` and `other` by `unit`'s leader at `at`.
fn conflict(unit: &str, other: &str) -> Command {
    ye(YearEndCommand::DeclareConflict {
        covenant: cov(),
        unit: u(unit),
        other: u(other),
        reason: t("Lãnh đạo hai đơn vị là người thân"),
    })
}

fn leader_of(unit: &str) -> Actor {
    user(&format!("lanhdao.{}", &unit[3..]))
}

/// The review opened with complete figures, Kiên Giang and An Giang in conflict, every seed
/// committed and revealed on 10/12 and drawn on 23/12: no 3-cycle avoids the conflict.
fn infeasible_world() -> World {
    let mut w = World::with_figures();
    w.open();
    let at = ms(2024, 12, 10);
    w.run_at(at, &leader_of("ca-kg"), conflict("ca-kg", "ca-ag"))
        .unwrap();
    for unit in UNITS {
        commit_own_seed(&mut w, at, unit);
    }
    reveal_every_seed(&mut w, at);
    w.run_at(
        ms(2024, 12, 23),
        &user("thuky"),
        ye(YearEndCommand::DrawAssignment { covenant: cov() }),
    )
    .unwrap();
    w
}

/// Declares `population` records of `unit` by its leader.
fn records(unit: &str, population: u32) -> Command {
    ye(YearEndCommand::DeclareRecords {
        covenant: cov(),
        unit: u(unit),
        population,
        description: t("Hồ sơ tin báo về tội phạm năm 2024"),
    })
}

/// The records re-checked are drawn from the seed and the declared count: a count declared or
/// corrected once the seed could be known would let a unit pick the sample. Counts close with
/// the commitments, as conflicts do; before that a unit may correct its count.
#[test]
fn record_counts_close_with_the_commitments() {
    let mut w = World::with_figures();
    w.open();
    let at = ms(2024, 12, 10);
    w.run_at(at, &leader_of("ca-kg"), records("ca-kg", 480))
        .unwrap();
    commit_own_seed(&mut w, at, "ca-kg");
    w.run_at(at, &leader_of("ca-kg"), records("ca-kg", 482))
        .unwrap();
    commit_own_seed(&mut w, at, "ca-ag");
    commit_own_seed(&mut w, at, "ca-hg");
    let e = w.refusal_at(at, &leader_of("ca-kg"), records("ca-kg", 479));
    assert_eq!(
        (e.code, e.arg("why")),
        ("yearend_phase", Some("records_closed"))
    );
    reveal_every_seed(&mut w, at);
    let e = w.refusal_at(at, &leader_of("ca-ag"), records("ca-ag", 90));
    assert_eq!(e.arg("why"), Some("records_closed"));
    // After the commitment deadline (22/12), with a unit that never committed.
    let mut late = World::with_figures();
    late.open();
    let e = late.refusal_at(ms(2024, 12, 23), &leader_of("ca-hg"), records("ca-hg", 90));
    assert_eq!(e.arg("date"), Some("2024-12-22"));
    assert_eq!(review(&w).records[&u("ca-kg")].population, 482);
    assert!(!review(&w).records.contains_key(&u("ca-ag")));
}

fn pair(a: &str, b: &str) -> Pair {
    Pair {
        inspector: u(a),
        inspected: u(b),
    }
}

fn decide(pairs: Vec<Pair>, acknowledged: Vec<Breach>) -> Command {
    ye(YearEndCommand::DecideAssignment {
        covenant: cov(),
        pairs,
        reason: t("Bốc thăm không tìm được phân công"),
        acknowledged,
    })
}

/// A conflict declared after every unit revealed steered the draw (the audit's case): conflicts
/// are taken while commitments are open, and refused once every unit has committed, a reveal
/// is in or the commitment deadline has passed.
#[test]
fn conflicts_close_with_the_commitments() {
    let mut w = World::with_figures();
    w.open();
    let at = ms(2024, 12, 10);
    commit_own_seed(&mut w, at, "ca-kg");
    commit_own_seed(&mut w, at, "ca-ag");
    w.run_at(at, &leader_of("ca-kg"), conflict("ca-kg", "ca-ag"))
        .unwrap();
    // After the commitment deadline (22/12), with Hậu Giang never committed.
    let mut late = World::with_figures();
    late.open();
    commit_own_seed(&mut late, at, "ca-kg");
    let e = late.refusal_at(
        ms(2024, 12, 23),
        &leader_of("ca-hg"),
        conflict("ca-hg", "ca-kg"),
    );
    assert_eq!(
        (e.code, e.arg("why")),
        ("yearend_phase", Some("conflicts_closed"))
    );
    assert_eq!(e.arg("date"), Some("2024-12-22"));
    // Every unit committed: reveals may start, and conflicts are closed.
    commit_own_seed(&mut w, at, "ca-hg");
    let e = w.refusal_at(at, &leader_of("ca-hg"), conflict("ca-hg", "ca-kg"));
    assert_eq!(e.arg("why"), Some("conflicts_closed"));
    // And after every reveal, as in the audit.
    reveal_every_seed(&mut w, at);
    let e = w.refusal_at(at, &leader_of("ca-ag"), conflict("ca-ag", "ca-hg"));
    assert_eq!(e.arg("why"), Some("conflicts_closed"));
    assert_eq!(review(&w).conflicts.len(), 1);
}

/// The secretariat's assignment has the draw's shape: a unit inspecting two while another
/// inspects none was accepted (only who is inspected was counted).
#[test]
fn a_decided_assignment_has_the_draws_shape() {
    let mut w = infeasible_world();
    assert_eq!(
        review(&w).drawn.as_ref().unwrap().0.infeasible.as_deref(),
        Some("conflicts")
    );
    let thuky = user("thuky");
    let two = vec![
        pair("ca-ag", "ca-kg"),
        pair("ca-ag", "ca-hg"),
        pair("ca-hg", "ca-ag"),
    ];
    let e = w.refusal_at(ms(2024, 12, 24), &thuky, decide(two, vec![]));
    assert_eq!(e.code, "yearend_assignment_invalid");
    assert_eq!(e.arg("why"), Some("inspects"));
    assert_eq!(e.arg("count"), Some("2"));
    let itself = vec![
        pair("ca-kg", "ca-kg"),
        pair("ca-ag", "ca-hg"),
        pair("ca-hg", "ca-ag"),
    ];
    let e = w.refusal_at(ms(2024, 12, 24), &thuky, decide(itself, vec![]));
    assert_eq!(e.arg("why"), Some("self"));
}

/// A decision breaking a declared conflict names it and is taken only with exactly that rule
/// acknowledged; the acknowledgement is recorded with the decision (format 2 of
/// `assignment_decided`, through its canonical encoding).
#[test]
fn a_decision_breaking_a_rule_acknowledges_exactly_that_rule() {
    let mut w = infeasible_world();
    let thuky = user("thuky");
    let at = ms(2024, 12, 24);
    let cycle = vec![
        pair("ca-kg", "ca-ag"),
        pair("ca-ag", "ca-hg"),
        pair("ca-hg", "ca-kg"),
    ];
    let broken = Breach {
        rule: Rule::Conflict,
        inspector: u("ca-kg"),
        inspected: u("ca-ag"),
    };
    let e = w.refusal_at(at, &thuky, decide(cycle.clone(), vec![]));
    assert_eq!(e.code, "yearend_assignment_breaches");
    let kg = w.state.units[&u("ca-kg")].name.to_string();
    let ag = w.state.units[&u("ca-ag")].name.to_string();
    assert_eq!(
        e.arg("breaches"),
        Some(format!("conflict: {kg} → {ag}").as_str())
    );
    // A rule not broken is no acknowledgement of the one broken.
    let wrong = Breach {
        rule: Rule::Mutual,
        ..broken.clone()
    };
    let e = w.refusal_at(at, &thuky, decide(cycle.clone(), vec![wrong]));
    assert_eq!(e.code, "yearend_assignment_breaches");
    w.run_at(at, &thuky, decide(cycle.clone(), vec![broken.clone()]))
        .unwrap();
    let decided = review(&w).decided.clone().unwrap().0;
    assert_eq!(decided.acknowledged, vec![broken]);
    assert_eq!(review(&w).pairs(), cycle);
}

/// Mutual pairs and declared conflicts are found in any set of pairs, one breach per pair.
#[test]
fn breaches_name_mutual_pairs_and_conflicts() {
    let w = infeasible_world();
    let r = review(&w);
    let found = rules::breaches(
        &w.state,
        &r,
        &[
            pair("ca-ag", "ca-hg"),
            pair("ca-hg", "ca-ag"),
            pair("ca-kg", "ca-ag"),
        ],
    );
    let rule_of = |a: &str, b: &str| {
        found
            .iter()
            .filter(|x| x.inspector == u(a) && x.inspected == u(b))
            .map(|x| x.rule)
            .collect::<Vec<_>>()
    };
    assert_eq!(rule_of("ca-ag", "ca-hg"), vec![Rule::Mutual]);
    assert_eq!(rule_of("ca-hg", "ca-ag"), vec![Rule::Mutual]);
    assert_eq!(rule_of("ca-kg", "ca-ag"), vec![Rule::Conflict]);
}

/// A draw that found nothing says which members their conflicts leave no place: in a cycle of
/// three each unit meets both others (one inspects it, it inspects the other), so Hậu Giang's
/// conflict with Kiên Giang blocks both of them, not An Giang; a second with An Giang leaves
/// Hậu Giang nobody.
#[test]
fn an_infeasible_draw_names_the_units_their_conflicts_block() {
    let mut w = World::with_figures();
    w.open();
    assert!(rules::draw_blockers(&review(&w)).is_empty());
    let at = ms(2024, 12, 10);
    w.run_at(at, &leader_of("ca-hg"), conflict("ca-hg", "ca-kg"))
        .unwrap();
    assert_eq!(
        rules::draw_blockers(&review(&w)),
        vec![(u("ca-hg"), 1, 2), (u("ca-kg"), 1, 2)]
    );
    w.run_at(at, &leader_of("ca-hg"), conflict("ca-hg", "ca-ag"))
        .unwrap();
    let blockers = rules::draw_blockers(&review(&w));
    assert!(blockers.contains(&(u("ca-hg"), 0, 2)), "{blockers:?}");
}

/// Opening on missing figures names the members and windows and needs the acknowledgement;
/// a dossier whose computed criteria cannot be computed is refused naming them and the window;
/// an inspector cannot agree (even by leaving it out) with a criterion without a value.
#[test]
fn missing_figures_are_acknowledged_block_the_dossier_and_cannot_be_agreed_with() {
    let mut w = World::with_figures_but(Some(("ca-hg", 12)));
    let (at, thuky) = (ms(2024, 12, 1), user("thuky"));
    let unacknowledged = opening(d(2024, 12, 20), d(2024, 12, 22), None, d(2025, 1, 5), 1);
    let e = w.refusal_at(at, &thuky, unacknowledged);
    assert_eq!(e.code, "yearend_figures_missing");
    let hg = w.state.units[&u("ca-hg")].name.to_string();
    assert_eq!(e.arg("units"), Some(format!("{hg} (M12)").as_str()));
    let mut w = drawn_from(w, Some("ca-hg"), ms(2024, 12, 12));
    let missing = rules::uncomputed(&w.state, &review(&w), &u("ca-hg")).unwrap();
    assert!(!missing.is_empty());
    let e = hg_dossier_refused(&mut w);
    assert_eq!(e.code, "yearend_criteria_uncomputable");
    assert_eq!(e.arg("criteria"), Some(missing.join(", ").as_str()));
    assert_eq!(e.arg("windows"), Some("M12"));
    let inspector = review(&w).inspectors_of(&u("ca-hg"))[0].clone();
    let finding = |items: BTreeMap<String, FindingItem>| {
        ye(YearEndCommand::SubmitFinding {
            covenant: cov(),
            inspector: inspector.clone(),
            inspected: u("ca-hg"),
            items,
            recheck: None,
        })
    };
    let boss = leader_of(inspector.as_str());
    let at = ms(2024, 12, 27);
    let e = w.refusal_at(at, &boss, finding(BTreeMap::new()));
    assert_eq!(e.code, "yearend_agree_uncomputed");
    assert_eq!(e.arg("criteria"), Some(missing.join(", ").as_str()));
    let questioned = disputed_for_missing_figures(&missing);
    w.run_at(at, &boss, finding(questioned)).unwrap();
}

/// Locking and publishing cannot be undone: each is refused without `confirm`.
#[test]
fn the_lock_and_the_publication_are_confirmed() {
    let mut w = drawn_world();
    agree_everywhere(&mut w);
    let thuky = user("thuky");
    let at = ms(2025, 1, 8);
    let lock = |confirm| {
        ye(YearEndCommand::Lock {
            covenant: cov(),
            confirm,
        })
    };
    let e = w.refusal_at(at, &thuky, lock(false));
    assert_eq!(
        (e.code, e.arg("step")),
        ("yearend_confirm_required", Some("lock"))
    );
    w.run_at(at, &thuky, lock(true)).unwrap();
    let publish = |confirm| {
        ye(YearEndCommand::PublishResults {
            covenant: cov(),
            confirm,
        })
    };
    let e = w.refusal_at(at, &thuky, publish(false));
    assert_eq!(e.arg("step"), Some("publish_results"));
    w.run_at(at, &thuky, publish(true)).unwrap();
    // Done already: the step's own refusal, not the box's.
    let e = w.refusal_at(at, &thuky, publish(false));
    assert_eq!(e.code, "yearend_published");
}

/// A self-score over the maximum names the criterion and its maximum.
#[test]
fn a_score_out_of_range_names_the_criterion_and_its_maximum() {
    let mut w = World::with_figures();
    w.open();
    let max = review(&w)
        .criterion("C2a")
        .unwrap()
        .max
        .normalize()
        .to_string();
    let over = (review(&w).criterion("C2a").unwrap().max + rust_decimal::Decimal::ONE).to_string();
    let e = w.refusal_at(
        ms(2024, 12, 10),
        &user("canbo.kg"),
        save("ca-kg", dossier(&over, "4")),
    );
    assert_eq!(e.code, "yearend_score_out_of_range");
    assert_eq!(e.arg("criterion"), Some("C2a"));
    assert_eq!(e.arg("max"), Some(max.as_str()));
    assert!(
        e.detail.contains(&format!("C2a: a score from 0 to {max}")),
        "{}",
        e.detail
    );
}

/// A dossier whose criteria compare with a 2023 that Hậu Giang reported only in part (March
/// and July to December missing) is refused naming the unit and those months as runs.
#[test]
fn a_dossier_lacking_last_years_figures_names_the_months() {
    let w = World::with_figures_lacking(None, Some(("ca-hg", &[3, 7, 8, 9, 10, 11, 12])));
    let mut w = drawn_from(w, Some("ca-hg"), ms(2024, 12, 12));
    let e = hg_dossier_refused(&mut w);
    assert_eq!(e.code, "yearend_criteria_uncomputable_earlier");
    let hg = w.state.units[&u("ca-hg")].name.to_string();
    assert_eq!(
        e.arg("lacking"),
        Some(format!("{hg} (03, 07–12/2023)").as_str())
    );
}

/// Hậu Giang's dossier saved by its officer and submitted by its leader on 13/12/2024: the
/// refusal.
fn hg_dossier_refused(w: &mut World) -> YearEndError {
    let at = ms(2024, 12, 13);
    w.run_at(at, &user("canbo.hg"), save("ca-hg", dossier("6", "4")))
        .unwrap();
    let submit = ye(YearEndCommand::SubmitDossier {
        covenant: cov(),
        unit: u("ca-hg"),
        revision: 1,
    });
    w.refusal_at(at, &leader_of("ca-hg"), submit)
}
