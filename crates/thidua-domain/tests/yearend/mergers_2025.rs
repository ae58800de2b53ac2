//! The year-end draw of 2025 across the 2025 mergers, end to end: Cluster 12's five provinces
//! draw and inspect in 2024; Kiên Giang merges into An Giang, Bạc Liêu into Cà Mau, Hậu Giang
//! and Sóc Trăng into Cần Thơ on 01/07/2025; the three successors draw in 2025.

use super::responses_and_flags::{inspect, judged_review_drawn, sign_judged};
use super::*;
use thidua_domain::model::{LineageChange, LineageKind};
use thidua_domain::yearend::rules;
use thidua_domain::yearend::state::{last_year_origins, last_year_pairs};
use thidua_domain::yearend::stats::council;

/// The provinces of Cluster 12 in 2024 and the units they merged into (as in the demo).
const PROVINCES: [(&str, &str); 7] = [
    ("ca-kg", "Công an tỉnh Kiên Giang"),
    ("ca-ag", "Công an tỉnh An Giang"),
    ("ca-hg", "Công an tỉnh Hậu Giang"),
    ("ca-cm", "Công an tỉnh Cà Mau"),
    ("ca-bl", "Công an tỉnh Bạc Liêu"),
    ("ca-ct", "Công an thành phố Cần Thơ"),
    ("ca-st", "Công an tỉnh Sóc Trăng"),
];
/// The members of 2024.
const MEMBERS_2024: [&str; 5] = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];
/// The members of 2025, after the mergers.
const MEMBERS_2025: [&str; 3] = ["ca-ag", "ca-cm", "ca-ct"];
/// The 2025 mergers: predecessors, successor.
const MERGERS: [(&[&str], &str); 3] = [
    (&["ca-ag", "ca-kg"], "ca-ag"),
    (&["ca-bl", "ca-cm"], "ca-cm"),
    (&["ca-ct", "ca-hg", "ca-st"], "ca-ct"),
];

fn gu(year: i32) -> CovenantId {
    CovenantId::parse(&format!("gu-{year}")).unwrap()
}

/// The 2025 member a unit of 2024 counts as (itself when it did not merge away).
fn successor(unit: &UnitId) -> UnitId {
    MERGERS
        .iter()
        .find(|(from, _)| from.contains(&unit.as_str()))
        .map_or(unit.clone(), |(_, into)| u(into))
}

fn pair(a: &str, b: &str) -> Pair {
    Pair {
        inspector: u(a),
        inspected: u(b),
    }
}

/// The provinces and the cluster, nothing else.
fn provinces() -> World {
    provincial_world(
        PROVINCES.map(|(id, name)| (id, name.to_owned(), id[3..].to_uppercase())),
        "Cụm thi đua số 12",
    )
}

/// The three mergers of 01/07/2025.
fn merge_2025(w: &mut World) {
    for (from, into) in MERGERS {
        let change = LineageChange {
            kind: LineageKind::Merge,
            predecessors: from.iter().map(|x| u(x)).collect(),
            successors: vec![u(into)],
            effective: d(2025, 7, 1),
            decision: t("Nghị quyết số 202/2025/QH15"),
        };
        w.ok(&Actor::System, Command::RecordLineage { change });
    }
}

/// 2024 drawn (k = `k`) and inspected, every inspector agreeing with every self-score; the
/// mergers; 2025 signed by the three successors and drawn (k = 1): the world and 2024's pairs.
fn through_2025(k: u8) -> (World, Vec<Pair>) {
    let mut w = provinces();
    sign_judged(&mut w, &gu(2024), 2024, &MEMBERS_2024);
    judged_review_drawn(&mut w, &gu(2024), 2024, k);
    let pairs_2024 = w.state.review(&gu(2024)).unwrap().pairs();
    for p in &pairs_2024 {
        inspect(&mut w, &gu(2024), 2024, p, &[]);
    }
    merge_2025(&mut w);
    sign_judged(&mut w, &gu(2025), 2025, &MEMBERS_2025);
    judged_review_drawn(&mut w, &gu(2025), 2025, 1);
    (w, pairs_2024)
}

/// `pairs` sorted, inspector first.
fn sorted(mut pairs: Vec<Pair>) -> Vec<Pair> {
    pairs.sort_by(|a, b| (&a.inspector, &a.inspected).cmp(&(&b.inspector, &b.inspected)));
    pairs
}

/// 2024 draws the cycle An Giang → Cà Mau → Hậu Giang → Bạc Liêu → Kiên Giang → An Giang.
/// In 2025 each pair counts as its successors' (Kiên Giang → An Giang lands on An Giang twice
/// and is dropped): An Giang → Cà Mau, Cà Mau → Cần Thơ, Cần Thơ → Cà Mau, Cà Mau → An Giang.
/// Both three-unit cycles repeat one of them, so the draw relaxes both soft rules and keeps
/// An Giang → Cà Mau and Cà Mau → Cần Thơ; a breach of the latter names the pair it was
/// (Cà Mau → Hậu Giang, 2024), in the secretariat's refusal too. No unit that ceased is a member, drawn or carried, and the audit
/// recomputes both draws.
#[test]
fn the_2025_draw_counts_2024s_pairs_as_the_successors() {
    let (w, before) = through_2025(1);
    let cycle = [
        pair("ca-ag", "ca-cm"),
        pair("ca-cm", "ca-hg"),
        pair("ca-hg", "ca-bl"),
        pair("ca-bl", "ca-kg"),
        pair("ca-kg", "ca-ag"),
    ];
    assert_eq!(before, cycle);
    let r = w.state.review(&gu(2025)).unwrap().clone();
    assert_eq!(r.members, MEMBERS_2025.map(u));
    let carried = last_year_pairs(&w.state, &r);
    let expected = [
        pair("ca-ag", "ca-cm"),
        pair("ca-cm", "ca-ct"),
        pair("ca-ct", "ca-cm"),
        pair("ca-cm", "ca-ag"),
    ];
    assert_eq!(carried, expected);
    // The same as mapping each 2024 pair by hand, a pair onto one member dropped.
    let by_hand: Vec<Pair> = before
        .iter()
        .map(|p| Pair {
            inspector: successor(&p.inspector),
            inspected: successor(&p.inspected),
        })
        .filter(|p| p.inspector != p.inspected)
        .collect();
    assert_eq!(sorted(carried.clone()), sorted(by_hand));
    let (drawn, _) = r.drawn.clone().unwrap();
    assert_eq!(drawn.relaxed, ["reverse_of_last_year", "last_year"]);
    assert_eq!(drawn.order, MEMBERS_2025.map(u));
    assert_eq!(
        r.pairs(),
        [
            pair("ca-ag", "ca-cm"),
            pair("ca-cm", "ca-ct"),
            pair("ca-ct", "ca-ag")
        ]
    );
    let origins = |p: &Pair| last_year_origins(&w.state, &r, p);
    assert_eq!(origins(&pair("ca-ag", "ca-cm")), [pair("ca-ag", "ca-cm")]);
    assert_eq!(origins(&pair("ca-cm", "ca-ct")), [pair("ca-cm", "ca-hg")]);
    assert_eq!(origins(&pair("ca-cm", "ca-ag")), [pair("ca-bl", "ca-kg")]);
    assert!(origins(&pair("ca-ct", "ca-ag")).is_empty());
    let said: Vec<String> = rules::breaches(&w.state, &r, &r.pairs())
        .iter()
        .map(|b| rules::describe_breach(&w.state, &r, b))
        .collect();
    assert_eq!(
        said,
        [
            "last_year: Công an tỉnh An Giang → Công an tỉnh Cà Mau",
            "last_year: Công an tỉnh Cà Mau → Công an thành phố Cần Thơ \
             (2024: Công an tỉnh Cà Mau → Công an tỉnh Hậu Giang)",
        ]
    );
    // The secretariat's refusal names them alike.
    let refused = rules::breaches_acknowledged(&w.state, &r, &r.pairs(), &[]);
    let Err(DomainError::YearEnd(e)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(e.code, "yearend_assignment_breaches");
    assert_eq!(e.arg("breaches"), Some(said.join("; ").as_str()));
    no_ceased_unit_in_2025(&w);
    let audit = thidua_domain::yearend::audit::audit(&w.events).unwrap();
    assert_eq!(audit.draws.len(), 2);
    assert!(audit.differences.is_empty(), "{:?}", audit.differences);
}

/// Nothing of the 2025 review names a unit that ceased on 01/07/2025 (nor Sóc Trăng): not a
/// member, not in the draw's order, not in a pair, not in last year's pairs as carried; and no
/// member is paired with itself through its predecessor.
fn no_ceased_unit_in_2025(w: &World) {
    let r = w.state.review(&gu(2025)).unwrap();
    let ceased = ["ca-kg", "ca-bl", "ca-hg", "ca-st"].map(u);
    let (drawn, _) = r.drawn.clone().unwrap();
    let (carried, pairs) = (last_year_pairs(&w.state, r), r.pairs());
    let named: Vec<&UnitId> = r
        .members
        .iter()
        .chain(&drawn.order)
        .chain(
            pairs
                .iter()
                .chain(&carried)
                .flat_map(|p| [&p.inspector, &p.inspected]),
        )
        .collect();
    assert!(named.iter().all(|x| !ceased.contains(x)), "{named:?}");
    for p in pairs.iter().chain(&carried) {
        assert_ne!(p.inspector, p.inspected);
    }
}

/// With two inspectors each in 2024 the ten pairs cover, once carried, all six ordered pairs
/// of the three successors: every 2025 pair breaks last year's rule, and each says the 2024
/// pairs it stands for (Cần Thơ → An Giang: Hậu Giang inspected Kiên Giang).
#[test]
fn two_inspectors_in_2024_leave_the_2025_draw_no_new_pair() {
    let (w, before) = through_2025(2);
    assert_eq!(before.len(), 10);
    let r = w.state.review(&gu(2025)).unwrap().clone();
    let carried = last_year_pairs(&w.state, &r);
    assert_eq!(carried.len(), 6, "{carried:?}");
    let (drawn, _) = r.drawn.clone().unwrap();
    assert_eq!(drawn.relaxed, ["reverse_of_last_year", "last_year"]);
    let breaches = rules::breaches(&w.state, &r, &r.pairs());
    assert_eq!(breaches.len(), 3);
    assert!(breaches.iter().all(|b| b.rule == Rule::LastYear));
    let ct_ag = last_year_origins(&w.state, &r, &pair("ca-ct", "ca-ag"));
    assert_eq!(ct_ag, [pair("ca-hg", "ca-kg")]);
    no_ceased_unit_in_2025(&w);
}

/// The council's "year after year" flag counts 2024 as the successors' too, as the draw does:
/// with everyone agreeing in 2025, An Giang and Cà Mau inspected each other (An Giang → Cà Mau
/// in both years, Bạc Liêu → Kiên Giang in 2024) and so did Cà Mau and Cần Thơ (Cà Mau → Hậu
/// Giang and Hậu Giang → Bạc Liêu in 2024, Cà Mau → Cần Thơ in 2025); An Giang never
/// inspected Cần Thơ or Hậu Giang, so that pair is not flagged.
#[test]
fn the_year_after_year_flag_follows_the_2025_mergers() {
    let (mut w, _) = through_2025(1);
    for p in w.state.review(&gu(2025)).unwrap().pairs() {
        inspect(&mut w, &gu(2025), 2025, &p, &[]);
    }
    let r = w.state.review(&gu(2025)).unwrap().clone();
    let results = thidua_domain::yearend::score::results(&w.state, &r).unwrap();
    assert_eq!(
        council(&w.state, &r, &results).mutual_high,
        [
            (u("ca-ag"), u("ca-cm"), vec![2024, 2025]),
            (u("ca-cm"), u("ca-ct"), vec![2024, 2025]),
        ]
    );
}

/// Cluster 12 signs its 2025 covenant on 26/03/2025 with its five provinces (Kiên Giang the
/// head, An Giang the deputy) and the mergers of 01/07/2025 are recorded after. The covenant
/// stays in force; the review does not open over members that ceased (naming them, the day and
/// their successors); the signed membership changes only by succession — not a member that
/// lasts the year taken out, not a ceased one kept. Once An Giang, Cà Mau and Cần Thơ are the
/// members, the head's seat held by Kiên Giang is vacant, the review opens and draws among the
/// three alone, the members change no more, and replaying the log gives the same state.
#[test]
fn a_covenant_signed_before_the_mergers_is_carried_on_by_their_successors() {
    use thidua_domain::model::{LeadershipMethod, LeadershipPosition};
    let mut w = provinces();
    let sys = Actor::System;
    sign_judged(&mut w, &gu(2025), 2025, &MEMBERS_2024);
    for (position, unit) in [
        (LeadershipPosition::Head, "ca-kg"),
        (LeadershipPosition::Deputy, "ca-ag"),
    ] {
        w.ok(
            &sys,
            Command::SetClusterLeadership {
                cluster: cum(),
                year: 2025,
                position,
                unit: u(unit),
                method: LeadershipMethod::Assigned,
                decision: t("Quyết định số 01/QĐ-BCA"),
            },
        );
    }
    merge_2025(&mut w);
    assert!(w.state.covenants[&gu(2025)].in_force().is_some());
    // Kiên Giang reports the windows that began before 01/07/2025 (M07: 15/06–14/07), and is
    // owed nothing after.
    let in_being = |window: &str| w.state.in_being_for(&gu(2025), &u("ca-kg"), window);
    assert!(in_being("M01") && in_being("M07"));
    assert!(!in_being("M08") && !in_being("M12"));
    let open = ye(YearEndCommand::Open {
        covenant: gu(2025),
        dossier_deadline: d(2025, 12, 20),
        commit_deadline: d(2025, 12, 22),
        reveal_deadline: None,
        response_deadline: d(2026, 1, 5),
        inspectors: 1,
        record_sample: 0,
        acknowledge_missing_figures: false,
    });
    let refused = w.run_at(ms(2025, 12, 1), &sys, open).unwrap_err();
    let DomainError::YearEnd(e) = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(e.code, "yearend_member_ceased");
    assert_eq!(
        e.arg("units"),
        Some(
            "Công an tỉnh Kiên Giang (01/07/2025), Công an tỉnh Hậu Giang (01/07/2025), \
             Công an tỉnh Bạc Liêu (01/07/2025)"
        )
    );
    assert_eq!(
        e.arg("successors"),
        Some("Công an tỉnh An Giang, Công an thành phố Cần Thơ, Công an tỉnh Cà Mau")
    );
    assert_eq!(
        w.state.succeeded_members(&cum(), 2025),
        Some(MEMBERS_2025.map(u).to_vec())
    );
    // A successor that is a member of another cluster that year is not proposed.
    let other = |members: &[&str]| Command::SetClusterYear {
        cluster: ClusterId::parse("cum-13").unwrap(),
        year: 2025,
        members: members.iter().map(|x| u(x)).collect(),
    };
    w.ok(
        &sys,
        Command::CreateCluster {
            cluster: ClusterId::parse("cum-13").unwrap(),
            name: t("Cụm thi đua số 13"),
        },
    );
    w.ok(&sys, other(&["ca-ag", "ca-ct"]));
    assert_eq!(
        w.state.succeeded_members(&cum(), 2025),
        Some(vec![u("ca-ag"), u("ca-cm")])
    );
    w.ok(&sys, other(&[]));
    let set = |members: &[&str]| Command::SetClusterYear {
        cluster: cum(),
        year: 2025,
        members: members.iter().map(|x| u(x)).collect(),
    };
    assert_eq!(
        w.err(&sys, set(&["ca-ag", "ca-ct"])),
        "membership_succession_only",
        "Cà Mau lasts the year"
    );
    assert_eq!(
        w.err(&sys, set(&["ca-ag", "ca-cm", "ca-ct", "ca-kg"])),
        "unit_dissolved",
        "Kiên Giang ceased during the year"
    );
    // Hậu Giang out without Cần Thơ in would leave its undertakings to nobody.
    let refused = w.run(&sys, set(&["ca-ag", "ca-cm"])).unwrap_err();
    assert_eq!(refused.code(), "membership_successor_left_out");
    assert_eq!(
        refused.to_string(),
        "ca-hg ceased during 2025: a unit it went into (ca-ct) takes its seat in cluster cum-12"
    );
    w.ok(&sys, set(&MEMBERS_2025));
    let year = &w.state.clusters[&cum()].years[&2025];
    assert!(year.head.is_none(), "Kiên Giang's seat is vacant");
    assert_eq!(year.deputy.as_ref().map(|l| l.unit.as_str()), Some("ca-ag"));
    let in_force = w.state.covenants[&gu(2025)].in_force().unwrap();
    assert_eq!(in_force.members, MEMBERS_2024.map(u), "signed by the five");
    assert_eq!(w.state.succeeded_members(&cum(), 2025), None);
    judged_review_drawn(&mut w, &gu(2025), 2025, 1);
    no_ceased_unit_in_2025(&w);
    assert_eq!(
        w.err(&sys, set(&["ca-ag", "ca-cm"])),
        "membership_review_open"
    );
    let mut replayed = State::default();
    for event in &w.events {
        replayed.apply(event).unwrap();
    }
    assert_eq!(replayed, w.state);
}
