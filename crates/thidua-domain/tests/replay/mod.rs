//! Replay is strict: an event that `decide` would never have produced — a second creation of a
//! user, unit, cluster or movement, a covenant version that does not exist or does not follow —
//! is refused by `State::apply` with its code, so start-up and `thidua verify` (which fold the
//! log through it) refuse a log that holds one, even correctly hashed and signed.

use super::*;

/// Folds `events` from the empty state, each through its canonical bytes, as start-up and
/// `thidua verify` do; the refused event's index and code.
fn replay(events: &[Event]) -> Result<State, (u64, &'static str)> {
    let mut state = State::default();
    for event in events {
        let decoded = Event::decode(event.index, &event.canonical_bytes()).expect("well-formed");
        let before = state.clone();
        if let Err(e) = state.apply(&decoded) {
            assert_eq!(state, before, "a refused event changes nothing");
            return Err((event.index, e.code()));
        }
    }
    Ok(state)
}

/// The world's log with one more event, by `actor`, appended past `decide`.
fn with(w: &World, actor: &Actor, payload: Payload) -> Vec<Event> {
    let mut events = w.events.clone();
    events.push(Event {
        index: events.len() as u64,
        time_ms: 1_711_420_000_000,
        actor: actor.clone(),
        salt: "ab".repeat(16),
        payload,
    });
    events
}

/// The code replay refuses the last event of `events` with (every earlier one applies).
fn refused_last(events: &[Event]) -> &'static str {
    match replay(events) {
        Err((index, code)) => {
            assert_eq!(
                index,
                events.len() as u64 - 1,
                "refused at the forged event"
            );
            code
        }
        Ok(_) => panic!("replay accepted {:?}", events.last().map(|e| &e.payload)),
    }
}

#[test]
fn replay_refuses_a_second_creation() {
    let w = World::cluster();
    replay(&w.events).expect("the world's own log replays");
    let sys = Actor::System;
    let cases = [
        (
            Payload::UserRegistered {
                user: UserId::parse("thuky").unwrap(),
                display_name: t("Thư ký thứ hai"),
                demo: true,
            },
            "user_exists",
        ),
        (
            Payload::UnitCreated {
                unit: u("ca-kg"),
                name: t("Công an tỉnh khác"),
                short_code: t("KHAC"),
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established: d(2010, 1, 1),
            },
            "unit_exists",
        ),
        (
            Payload::ClusterCreated {
                cluster: cum(),
                name: t("Cụm thi đua khác"),
            },
            "cluster_exists",
        ),
        (
            Payload::MovementCreated {
                movement: MovementId::parse("vanttq-2024").unwrap(),
                name: t("Phong trào khác"),
                year: 2024,
                plan_ref: t("1/KH"),
                slogan: None,
                calendar: default_calendar(2024),
            },
            "movement_exists",
        ),
    ];
    for (payload, code) in cases {
        let kind = payload.kind();
        assert_eq!(refused_last(&with(&w, &sys, payload)), code, "{kind}");
    }
}

#[test]
fn replay_refuses_an_impossible_covenant_version() {
    let mut w = World::cluster();
    w.draft();
    let thuky = user("thuky");
    let movement = MovementId::parse("vanttq-2024").unwrap();
    let drafted = |covenant: CovenantId, version: u32| Payload::CovenantDrafted {
        covenant,
        movement: movement.clone(),
        cluster: cum(),
        version,
        content: content("Giao ước giả"),
    };
    // Version 1 is open: no signature of a version 2, no amendment of a version 7, no second
    // version 1, no version 2 before version 1 is frozen or withdrawn, and no covenant that
    // starts at version 3.
    let hash = w.hash();
    let cases = [
        (
            user("lanhdao.kg"),
            Payload::CovenantSigned {
                covenant: cov(),
                version: 2,
                unit: u("ca-kg"),
                hash: hash.clone(),
            },
            "unknown_version",
        ),
        (
            thuky.clone(),
            Payload::CovenantDraftAmended {
                covenant: cov(),
                version: 7,
                content: content("Giao ước sửa"),
            },
            "unknown_version",
        ),
        (thuky.clone(), drafted(cov(), 1), "covenant_exists"),
        (thuky.clone(), drafted(cov(), 2), "covenant_not_frozen"),
        (
            thuky.clone(),
            drafted(CovenantId::parse("gu-khac").unwrap(), 3),
            "unknown_covenant",
        ),
    ];
    for (actor, payload, code) in cases {
        let kind = payload.kind();
        assert_eq!(refused_last(&with(&w, &actor, payload)), code, "{kind}");
    }
    // Once version 1 is frozen, the next version is 2, never 3 or 1 again.
    for unit in UNITS {
        w.sign(unit).unwrap();
    }
    assert!(w.state.covenants[&cov()].latest().frozen_at.is_some());
    assert_eq!(
        refused_last(&with(&w, &thuky, drafted(cov(), 3))),
        "invalid_value"
    );
    assert_eq!(
        refused_last(&with(&w, &thuky, drafted(cov(), 1))),
        "covenant_exists"
    );
    replay(&with(&w, &thuky, drafted(cov(), 2))).expect("version 2 follows a frozen version 1");
}
