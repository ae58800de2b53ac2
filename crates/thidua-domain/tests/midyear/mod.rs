//! The mid-year review through the public API: frozen through month 6 even when later months
//! are approved, only by the secretariat (or an administrator) after the cut-off, once per
//! covenant, and recomputed from the log prefix by the audit, which finds a forged review.

use super::progress_tests::{no_increase_world, world};
use super::*;
use thidua_domain::midyear::{
    self, audit::audit, snapshot_hash, MidyearReviewFrozen, SnapshotFormat,
};
use thidua_domain::progress::{self, Ask};

/// Milliseconds at 09:00 Vietnamese time on a day.
fn at(y: i32, m: u32, day: u32) -> i64 {
    d(y, m, day)
        .and_hms_opt(2, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

/// The freeze, acknowledging figures not all approved (every test world but one has some).
fn freeze() -> Command {
    Command::FreezeMidyearReview {
        covenant: cov(),
        acknowledge_incomplete: true,
    }
}

impl World {
    fn refused_at(&mut self, time_ms: i64, actor: &Actor, command: Command) -> DomainError {
        let before = self.state.clone();
        let e = self.run_at(time_ms, actor, command).unwrap_err();
        assert_eq!(self.state, before, "a refused command changes nothing");
        e
    }
}

/// ca-kg approved through July (crimes 10 a month), ca-ag through March, ca-hg nothing.
fn year() -> World {
    let mut w = world();
    w.last_year();
    for m in 1..=7 {
        w.report("ca-kg", &format!("M{m:02}"), "10", "approved");
    }
    for m in 1..=3 {
        w.report("ca-ag", &format!("M{m:02}"), "7", "approved");
    }
    w
}

fn frozen(payloads: &[Payload]) -> MidyearReviewFrozen {
    match payloads {
        [Payload::MidyearReviewFrozen(e)] => e.clone(),
        other => panic!("one midyear_review_frozen expected, got {other:?}"),
    }
}

#[test]
fn the_review_counts_months_1_to_6_even_when_july_is_approved() {
    let mut w = year();
    let live = progress::compute(&w.state, &cov()).unwrap();
    assert_eq!(live.units[2].through, Some(7), "live progress counts July");
    let index = w.state.size;
    let e = frozen(&w.run_at(at(2024, 7, 20), &user("thuky"), freeze()).unwrap());
    assert_eq!((e.at, e.month, e.year), (index, 6, 2024));
    assert_eq!(e.cutoff, d(2024, 6, 14));
    assert_eq!(e.as_of, Some(d(2024, 6, 14)));
    let throughs: Vec<_> = e
        .units
        .iter()
        .map(|x| (x.unit.clone(), x.through))
        .collect();
    assert_eq!(
        throughs,
        vec![
            (u("ca-ag"), Some(3)),
            (u("ca-hg"), None),
            (u("ca-kg"), Some(6))
        ]
    );
    // The same as progress capped at month 6, computed on the state before the event.
    let capped = {
        let mut before = State::default();
        for ev in &w.events[..index as usize] {
            before.apply(ev).unwrap();
        }
        let ask = Ask {
            through_at_most: Some(6),
            ..Ask::default()
        };
        progress::compute_with(&before, &cov(), ask).unwrap()
    };
    let kg = &capped.units[2];
    assert_eq!(e.units[2].targets[0].measured.as_deref(), Some("60"));
    assert_eq!(
        e.units[2].targets[0].to_date,
        kg.targets[0].to_date.as_ref().map(ToString::to_string)
    );
    // 60 crimes against 70 in January–June 2023: 14.28…% fewer, kept exact as p/q.
    assert_eq!(e.units[2].targets[0].same_period.as_deref(), Some("70"));
    assert_eq!(e.units[2].targets[0].to_date.as_deref(), Some("100/7"));
    assert_eq!(e.sha256, snapshot_hash(&e, SnapshotFormat::CURRENT));
    assert_eq!(e.sha256.len(), 64);
    let review = &w.state.midyear[&cov()];
    assert_eq!((review.index, &review.frozen), (index, &e));
    // The frozen review does not move when a later month is approved.
    w.report("ca-ag", "M04", "7", "approved");
    assert_eq!(w.state.midyear[&cov()].frozen, e);
}

#[test]
fn only_the_secretariat_or_an_administrator_freezes_after_the_cut_off_once() {
    let mut w = year();
    let july = at(2024, 7, 1);
    for who in ["canbo.kg", "lanhdao.kg"] {
        let e = w.refused_at(july, &user(who), freeze());
        assert_eq!(e.code(), "forbidden", "{who}");
    }
    // 14/06 is the cut-off itself: month 6 has not closed yet.
    let e = w.refused_at(at(2024, 6, 14), &user("thuky"), freeze());
    assert_eq!(e.code(), "midyear_too_early");
    assert!(e.to_string().contains("14/06/2024"), "{e}");
    let e = w.refused_at(
        july,
        &user("thuky"),
        Command::FreezeMidyearReview {
            covenant: CovenantId::parse("khong-co").unwrap(),
            acknowledge_incomplete: true,
        },
    );
    assert_eq!(e.code(), "unknown_covenant");
    w.run_at(at(2024, 6, 15), &user("admin"), freeze()).unwrap();
    let e = w.refused_at(july, &user("thuky"), freeze());
    assert_eq!(e.code(), "midyear_exists");
    assert!(e.to_string().contains("already frozen"), "{e}");
}

/// A review is frozen once and never redone: frozen before any member approved a month it
/// would record nothing for good, so it is refused until one has.
#[test]
fn a_review_of_nothing_is_refused() {
    let mut w = world();
    w.last_year();
    let e = w.refused_at(at(2024, 7, 20), &user("thuky"), freeze());
    assert_eq!(e.code(), "midyear_no_figures");
    w.report("ca-ag", "M01", "7", "approved");
    w.run_at(at(2024, 7, 20), &user("thuky"), freeze()).unwrap();
}

/// A review frozen while some members' figures through month 6 are not all approved is frozen
/// for good: the command must acknowledge it (the web's box, the API's body), whoever sends it.
#[test]
fn an_incomplete_review_needs_the_acknowledgement() {
    let mut w = year();
    let plain = Command::FreezeMidyearReview {
        covenant: cov(),
        acknowledge_incomplete: false,
    };
    let e = w.refused_at(at(2024, 7, 20), &user("thuky"), plain);
    assert_eq!(e.code(), "midyear_incomplete");
    assert!(
        e.to_string().contains("ca-ag (3/6)") && !e.to_string().contains("ca-kg"),
        "{e}"
    );
    w.run_at(at(2024, 7, 20), &user("thuky"), freeze()).unwrap();
}

#[test]
fn a_complete_review_needs_no_acknowledgement() {
    let mut w = world();
    w.last_year();
    for unit in UNITS {
        for m in 1..=6 {
            w.report(unit, &format!("M{m:02}"), "10", "approved");
        }
    }
    let plain = Command::FreezeMidyearReview {
        covenant: cov(),
        acknowledge_incomplete: false,
    };
    w.run_at(at(2024, 7, 20), &user("thuky"), plain).unwrap();
}

#[test]
fn a_review_is_refused_before_the_covenant_is_signed() {
    let mut w = World::cluster();
    w.draft();
    let e = w.refused_at(at(2024, 7, 1), &user("thuky"), freeze());
    assert_eq!(e.code(), "covenant_not_signed");
}

#[test]
fn replay_gives_the_same_state_and_the_audit_recomputes_the_review() {
    let mut w = year();
    w.run_at(at(2024, 7, 20), &user("thuky"), freeze()).unwrap();
    let mut again = State::default();
    for e in &w.events {
        again.apply(e).unwrap();
    }
    assert_eq!(again, w.state);
    let audit = audit(&w.events).unwrap();
    assert!(audit.differences.is_empty(), "{:?}", audit.differences);
    assert_eq!(audit.reviews.len(), 1);
    assert_eq!(audit.reviews[0].2, w.state.midyear[&cov()].frozen.sha256);
}

/// The log's last event, a review, rewritten by `forge`.
fn forged(w: &World, forge: impl Fn(&mut MidyearReviewFrozen)) -> Vec<Event> {
    let mut events = w.events.clone();
    let last = events.last_mut().unwrap();
    let Payload::MidyearReviewFrozen(e) = &mut last.payload else {
        panic!("the last event is the review")
    };
    forge(e);
    events
}

fn replay(events: &[Event]) -> Result<State, DomainError> {
    let mut s = State::default();
    for e in events {
        s.apply(e)?;
    }
    Ok(s)
}

#[test]
fn a_forged_review_is_refused_at_replay_or_found_by_the_audit() {
    let mut w = year();
    w.run_at(at(2024, 7, 20), &user("thuky"), freeze()).unwrap();
    // A total changed without its hash: the event does not fit, replay stops.
    let events = forged(&w, |e| e.units[2].total = Some("99".into()));
    assert_eq!(replay(&events).unwrap_err().code(), "midyear_mismatch");
    // Computed at another index, or counting July: refused too.
    let events = forged(&w, |e| {
        e.at -= 1;
        e.sha256 = snapshot_hash(e, SnapshotFormat::CURRENT);
    });
    assert_eq!(replay(&events).unwrap_err().code(), "midyear_mismatch");
    let events = forged(&w, |e| {
        e.units[2].through = Some(7);
        e.sha256 = snapshot_hash(e, SnapshotFormat::CURRENT);
    });
    assert_eq!(replay(&events).unwrap_err().code(), "midyear_mismatch");
    // A total changed with a matching hash fits the frame, but the audit recomputes it.
    let events = forged(&w, |e| {
        e.units[2].targets[0].to_date = Some("50".into());
        e.sha256 = snapshot_hash(e, SnapshotFormat::CURRENT);
    });
    replay(&events).unwrap();
    let audit = audit(&events).unwrap();
    assert_eq!(audit.differences.len(), 1, "{:?}", audit.differences);
    assert!(audit.differences[0].contains("mid-year review of gu-2024"));
    assert_eq!(midyear::CODES.len(), 6);
}

/// A review an earlier release froze (hash format `thidua-midyear/v1`, when a "không tăng"
/// target at 0 against 0 was "unknown") still verifies: the audit recomputes it with the rules
/// its hash names, while a review frozen now reads that target on track. A v1 hash over what
/// only the v2 rules give is a difference.
#[test]
fn a_review_frozen_by_an_earlier_release_is_recomputed_with_its_own_rules() {
    let mut w = no_increase_world();
    for m in 1..=6 {
        w.report("ca-kg", &format!("M{m:02}"), "0", "approved");
    }
    w.run_at(at(2024, 7, 20), &user("thuky"), freeze()).unwrap();
    let now = w.state.midyear[&cov()].frozen.clone();
    let kg = |e: &MidyearReviewFrozen| {
        let x = e.units.iter().find(|x| x.unit == u("ca-kg")).unwrap();
        x.targets[0].status.clone()
    };
    assert_eq!(kg(&now), "on_track");
    assert_eq!(SnapshotFormat::of(&now), Some(SnapshotFormat::V2));
    let before = replay(&w.events[..w.events.len() - 1]).unwrap();
    let old = midyear::snapshot_in(&before, &cov(), SnapshotFormat::V1).unwrap();
    assert_eq!(kg(&old), "unknown");
    assert_eq!(SnapshotFormat::of(&old), Some(SnapshotFormat::V1));
    let events = forged(&w, |e| *e = old.clone());
    replay(&events).unwrap();
    let found = audit(&events).unwrap();
    assert!(found.differences.is_empty(), "{:?}", found.differences);
    assert_eq!(found.reviews[0].2, old.sha256);
    // Today's reading under the old format's name is not what the old rules give.
    let events = forged(&w, |e| e.sha256 = snapshot_hash(e, SnapshotFormat::V1));
    replay(&events).unwrap();
    assert_eq!(audit(&events).unwrap().differences.len(), 1);
}
