//! Votes checked from the log alone: an election run through `Service` (ceremony, ballots,
//! close, decryption), then events an attacker holding the log's signing key appends past the
//! service — a tampered ballot, a ballot replayed under another voter, a wrong decryption share,
//! a changed result — each refused by the verifier (what `thidua verify` runs) with a message
//! naming the entry, the event and what failed.

use std::sync::Arc;

use thidua_ballot::Selection;
use thidua_domain::votes::rehearsal::Rehearsal;
use thidua_domain::votes::{AwardKind, Fraction, VoteCommand, VoteEvent};
use thidua_domain::{Actor, ClusterId, Command, ElectionId, Event, Payload, UnitId};
use thidua_service::{LogKey, Service};
use thidua_transparency::verify::Verification;

use crate::common::*;
use crate::verify::local;

fn el() -> ElectionId {
    ElectionId::parse("co-bo-2024").unwrap()
}
fn leader(u: &UnitId) -> Actor {
    Actor::User(user(&format!("lanhdao.{}", &u.as_str()[3..])))
}
fn vote(service: &Service, actor: &Actor, c: VoteCommand) {
    service.execute(actor, Command::Vote(c)).unwrap();
}

/// A log with an election of the three units (2 of 3 trustees), every voter's key registered,
/// and ballots from the first two units.
fn election() -> (Log, Rehearsal) {
    let log = sqlite_log(0);
    let s = &log.service;
    let sys = Actor::System;
    for (i, u) in UNITS.iter().enumerate() {
        vote(
            s,
            &sys,
            VoteCommand::RecordStanding {
                cluster: ClusterId::parse("cum-12").unwrap(),
                year: 2024,
                unit: unit(u),
                rank: i as u32 + 1,
                eligible: true,
                basis: t("Kết quả năm 2024"),
            },
        );
    }
    vote(
        s,
        &sys,
        VoteCommand::OpenElection {
            election: el(),
            cluster: ClusterId::parse("cum-12").unwrap(),
            year: 2024,
            award: AwardKind::Certificate,
            title: t("Bằng khen của Bộ trưởng Bộ Công an"),
            seats: 1,
            approval: Fraction { num: 2, den: 3 },
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 2,
        },
    );
    let e = s.read().election(&el()).unwrap().clone();
    let (mut rehearsal, commands) = Rehearsal::ceremony(&e, [5; 32]);
    for (u, c) in commands {
        vote(s, &leader(&u), c);
    }
    for u in UNITS {
        let e = s.read().election(&el()).unwrap().clone();
        let c = rehearsal.voter_key(&e, &unit(u));
        vote(s, &leader(&unit(u)), c);
    }
    for (u, choice) in [("ca-kg", 0), ("ca-ag", 0)] {
        let e = s.read().election(&el()).unwrap().clone();
        let c = rehearsal.ballot(&e, &unit(u), &Selection::Approve(vec![choice]));
        vote(s, &leader(&unit(u)), c);
    }
    (log, rehearsal)
}

/// Appends `payloads` past the service, signed with the log's real key (an attacker who stole
/// it), and returns the verifier's error.
fn forge_and_verify(log: &Log, forged: Vec<(Actor, Payload)>) -> String {
    let size = log.service.read().size;
    let events: Vec<Event> = forged
        .into_iter()
        .enumerate()
        .map(|(i, (actor, payload))| Event {
            index: size + i as u64,
            time_ms: 1_733_000_000_000,
            actor,
            salt: "ab".repeat(16),
            payload,
        })
        .collect();
    append_signed_past_service(log, &events);
    let verifier = log.log_verifier();
    Verification::key_only(&verifier)
        .run(&local(&log.db_path()))
        .unwrap_err()
        .to_string()
}

/// The ballot event of `unit` in the log.
fn cast_by(log: &Log, unit_id: &str) -> Box<thidua_ballot::Ballot> {
    let e = log.service.read().election(&el()).unwrap().clone();
    Box::new(e.rounds[0].ballots[&unit(unit_id)].ballot.clone())
}

#[test]
fn the_pristine_vote_verifies() {
    let (log, mut rehearsal) = election();
    let s = &log.service;
    vote(
        s,
        &Actor::System,
        VoteCommand::CloseRound {
            election: el(),
            round: 1,
        },
    );
    for u in ["ca-hg", "ca-ag"] {
        let e = s.read().election(&el()).unwrap().clone();
        let c = rehearsal.decryption(&e, 1, &unit(u));
        vote(s, &leader(&unit(u)), c);
    }
    let state = s.read();
    let count = state.elections[&el()].rounds[0].count.clone().unwrap();
    assert_eq!(count.approvals, vec![2, 0, 0]);
    let verifier = log.log_verifier();
    let summary = Verification::key_only(&verifier)
        .run(&local(&log.db_path()))
        .unwrap();
    assert_eq!(summary.state.elections[&el()], state.elections[&el()]);
}

#[test]
fn a_ballot_replayed_under_another_voter_is_refused() {
    let (log, _) = election();
    let copied = cast_by(&log, "ca-kg");
    let err = forge_and_verify(
        &log,
        vec![(
            leader(&unit("ca-hg")),
            Payload::Vote(VoteEvent::BallotCast {
                election: el(),
                round: 1,
                unit: unit("ca-hg"),
                ballot: copied,
            }),
        )],
    );
    assert!(
        err.contains("(unit ca-hg)")
            && err.contains("ballot_cast")
            && err.contains("signature does not verify"),
        "{err}"
    );
}

#[test]
fn a_tampered_ballot_is_refused() {
    let (log, _) = election();
    let mut ballot = cast_by(&log, "ca-kg");
    let other = cast_by(&log, "ca-ag");
    ballot.choices[2] = other.choices[2].clone();
    let err = forge_and_verify(
        &log,
        vec![(
            leader(&unit("ca-kg")),
            Payload::Vote(VoteEvent::BallotCast {
                election: el(),
                round: 1,
                unit: unit("ca-kg"),
                ballot,
            }),
        )],
    );
    assert!(
        err.contains("ballot_cast") && err.contains("signature does not verify"),
        "{err}"
    );
}

#[test]
fn a_wrong_decryption_share_and_a_changed_result_are_refused() {
    let (log, mut rehearsal) = election();
    let s = &log.service;
    vote(
        s,
        &Actor::System,
        VoteCommand::CloseRound {
            election: el(),
            round: 1,
        },
    );
    let e = s.read().election(&el()).unwrap().clone();
    // Trustee ca-hg's shares, posted as ca-ag's.
    let VoteCommand::PostDecryptionShares { shares, .. } =
        rehearsal.decryption(&e, 1, &unit("ca-hg"))
    else {
        unreachable!()
    };
    let wrong = Payload::Vote(VoteEvent::DecryptionPosted {
        election: el(),
        round: 1,
        unit: unit("ca-ag"),
        shares: shares.clone(),
    });
    let err = forge_and_verify(&log, vec![(leader(&unit("ca-ag")), wrong)]);
    assert!(
        err.contains("decryption_posted")
            && err.contains("decryption share of trustee 1")
            && err.contains("does not verify"),
        "{err}"
    );

    // A fresh log: the two shares are right, but the recorded result is changed.
    let (log, mut rehearsal) = election();
    let s = &log.service;
    vote(
        s,
        &Actor::System,
        VoteCommand::CloseRound {
            election: el(),
            round: 1,
        },
    );
    let e = s.read().election(&el()).unwrap().clone();
    let c = rehearsal.decryption(&e, 1, &unit("ca-kg"));
    vote(s, &leader(&unit("ca-kg")), c);
    let VoteCommand::PostDecryptionShares { shares, .. } =
        rehearsal.decryption(&e, 1, &unit("ca-ag"))
    else {
        unreachable!()
    };
    let err = forge_and_verify(
        &log,
        vec![
            (
                leader(&unit("ca-ag")),
                Payload::Vote(VoteEvent::DecryptionPosted {
                    election: el(),
                    round: 1,
                    unit: unit("ca-ag"),
                    shares,
                }),
            ),
            (
                leader(&unit("ca-ag")),
                Payload::Vote(VoteEvent::RoundCounted {
                    election: el(),
                    round: 1,
                    approvals: vec![0, 2, 0],
                    abstentions: 0,
                }),
            ),
        ],
    );
    assert!(
        err.contains("round_counted")
            && err.contains("give approvals [2, 0, 0]")
            && err.contains("the event says [0, 2, 0]"),
        "{err}"
    );
    // Without the signing key, the changed bytes do not even hash to the signed root (the
    // tamper tests cover every such edit); and the server refuses to start on this log.
    let store: Arc<dyn thidua_store::EventStore> =
        Arc::new(thidua_store_sqlite::SqliteStore::open(&log.db_path()).unwrap());
    let key = LogKey::load(&log.key_path()).unwrap();
    let err = Service::open(store, key, &|_, _| {})
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("entry") && err.contains("the decryption shares give"),
        "{err}"
    );
}
