//! Votes through the domain: standings, an election's ceremony, ballots, re-voting, the
//! count from verified shares, ties decided by the head and deputy, paper counts, and the
//! refusals (copied ballots, replayed ciphertexts, bad shares, a count that the shares do not
//! give, actors without the role).

use super::{cum, t, u, user, World, TIME_MS, UNITS};
use thidua_ballot::ceremony::{simulate, Simulated};
use thidua_ballot::{rng_from_seed, Ballot, DecryptionShares, Rng, Selection, VoterSecret};
use thidua_domain::model::{LeadershipMethod, LeadershipPosition, Role};
use thidua_domain::votes::*;
use thidua_domain::*;

fn el() -> ElectionId {
    ElectionId::parse("co-bo-2024").unwrap()
}
fn leader(unit: &str) -> Actor {
    user(&format!("lanhdao.{}", &unit[3..]))
}
fn vote(c: VoteCommand) -> Command {
    Command::Vote(c)
}

struct Vote {
    w: World,
    rng: Rng,
    ceremony: Simulated,
    voters: Vec<VoterSecret>,
}

/// Standings for the three units (ca-hg not eligible), an election for one seat at 2/3, the
/// ceremony with 2-of-3 trustees, and every voter's key.
fn election() -> Vote {
    election_with(Fraction { num: 2, den: 3 })
}

/// A certificate's election, whose approval threshold the cluster's regulation sets (a flag's
/// is at least 4/5, [`AwardKind::approval_floor`]).
fn election_with(approval: Fraction) -> Vote {
    election_for(AwardKind::Certificate, approval)
}

fn election_for(award: AwardKind, approval: Fraction) -> Vote {
    let mut w = World::cluster();
    let sec = user("thuky");
    for (rank, unit) in UNITS.iter().enumerate() {
        w.ok(
            &sec,
            vote(VoteCommand::RecordStanding {
                cluster: cum(),
                year: 2024,
                unit: u(unit),
                rank: rank as u32 + 1,
                eligible: *unit != "ca-hg",
                basis: t("Kết quả chấm điểm năm 2024"),
            }),
        );
    }
    w.ok(
        &sec,
        vote(VoteCommand::OpenElection {
            election: el(),
            cluster: cum(),
            year: 2024,
            award,
            title: t("Bỏ phiếu đề nghị khen thưởng năm 2024"),
            seats: 1,
            approval,
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 2,
        }),
    );
    let e = &w.state.elections[&el()];
    let expected = match award {
        // Not being eligible for an award does not bar a unit from leading the cluster.
        AwardKind::Head | AwardKind::Deputy => vec![u("ca-kg"), u("ca-ag"), u("ca-hg")],
        _ => vec![u("ca-kg"), u("ca-ag")],
    };
    assert_eq!(e.rounds[0].candidates, expected, "eligible, by rank");
    let mut rng = rng_from_seed([7; 32]);
    let ceremony = simulate(&e.trustee_params(), &mut rng).unwrap();
    let post = |w: &mut World, i: usize, message: CeremonyMessage| {
        w.ok(
            &leader(UNITS[i]),
            vote(VoteCommand::PostCeremonyMessage {
                election: el(),
                unit: u(UNITS[i]),
                message,
            }),
        );
    };
    for i in 0..3 {
        post(
            &mut w,
            i,
            CeremonyMessage::Commit(ceremony.commitments[i].clone()),
        );
    }
    for i in 0..3 {
        post(
            &mut w,
            i,
            CeremonyMessage::Reveal(ceremony.reveals[i].clone()),
        );
    }
    for i in 0..3 {
        post(&mut w, i, CeremonyMessage::Deal(ceremony.sealed[i].clone()));
    }
    for i in 0..3 {
        post(
            &mut w,
            i,
            CeremonyMessage::Confirm(ceremony.confirmations[i].clone()),
        );
    }
    assert!(w.state.elections[&el()].keys().is_some());
    let voters: Vec<VoterSecret> = (0..3).map(|_| VoterSecret::generate(&mut rng)).collect();
    for (i, v) in voters.iter().enumerate() {
        w.ok(
            &leader(UNITS[i]),
            vote(VoteCommand::RegisterVoterKey {
                election: el(),
                unit: u(UNITS[i]),
                key: v.public(),
            }),
        );
    }
    Vote {
        w,
        rng,
        ceremony,
        voters,
    }
}

impl Vote {
    fn ballot(&mut self, voter: usize, round: u32, selection: Selection) -> Ballot {
        let e = &self.w.state.elections[&el()];
        let ctx = e.ballot_context(e.round(round).unwrap());
        let key = e.keys().unwrap().election_key().clone();
        Ballot::create(&ctx, &key, &self.voters[voter], &selection, &mut self.rng).unwrap()
    }

    fn cast(
        &mut self,
        unit: usize,
        round: u32,
        ballot: Ballot,
    ) -> Result<Vec<Payload>, DomainError> {
        self.w.run(
            &leader(UNITS[unit]),
            vote(VoteCommand::CastBallot {
                election: el(),
                round,
                unit: u(UNITS[unit]),
                ballot: Box::new(ballot),
            }),
        )
    }

    fn shares(&mut self, trustee: usize, round: u32) -> DecryptionShares {
        let totals = self.w.state.elections[&el()]
            .round(round)
            .unwrap()
            .totals
            .clone()
            .unwrap();
        DecryptionShares::create(&self.ceremony.trustees[trustee], &totals, &mut self.rng).unwrap()
    }

    fn decrypt(&mut self, trustee: usize, round: u32) -> Result<Vec<Payload>, DomainError> {
        let shares = self.shares(trustee, round);
        self.w.run(
            &leader(UNITS[trustee]),
            vote(VoteCommand::PostDecryptionShares {
                election: el(),
                round,
                unit: u(UNITS[trustee]),
                shares,
            }),
        )
    }

    fn close(&mut self, round: u32) {
        self.w.ok(
            &user("thuky"),
            vote(VoteCommand::CloseRound {
                election: el(),
                round,
            }),
        );
    }
}

/// The raw bytes of the `ballot` object inside a canonical `ballot_cast` event (its values
/// are hex strings and numbers, so braces only nest objects).
fn ballot_bytes(event: &[u8]) -> &[u8] {
    let key = b"\"ballot\":";
    let start = event.windows(key.len()).position(|w| w == key).unwrap() + key.len();
    let mut depth = 0;
    for (i, c) in event[start..].iter().enumerate() {
        match c {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return &event[start..=start + i];
        }
    }
    panic!("unterminated ballot");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn the_cluster_votes_re_votes_and_two_of_three_trustees_count() {
    let mut v = election();
    let b = v.ballot(0, 1, Selection::Approve(vec![1]));
    v.cast(0, 1, b).unwrap();
    let b = v.ballot(1, 1, Selection::Approve(vec![0]));
    v.cast(1, 1, b).unwrap();
    // ca-ag changes its mind before the close: the last ballot counts.
    let b = v.ballot(1, 1, Selection::Approve(vec![1]));
    v.cast(1, 1, b).unwrap();
    let b = v.ballot(2, 1, Selection::Abstain);
    v.cast(2, 1, b.clone()).unwrap();
    // The receipt is the SHA-256 of the ballot's bytes exactly as the log's canonical event
    // writes them, so a voter recomputes it from the log alone.
    let bytes = thidua_domain::wire::encode(v.w.events.last().unwrap());
    assert_eq!(sha256_hex(ballot_bytes(&bytes)), b.hash());
    let round = &v.w.state.elections[&el()].rounds[0];
    assert_eq!(round.ballots[&u("ca-ag")].replaced, 1);
    assert_eq!(
        round.ballots[&u("ca-ag")].replaced_other,
        None,
        "its own leader re-voted"
    );
    // A second leader of ca-ag (granted the unit's leadership since) replaces its ballot: who
    // cast it and whose ballot it replaced stay beside the unit, through later re-votes.
    let second = UserId::parse("lanhdao.ag2").unwrap();
    v.w.ok(
        &Actor::System,
        Command::RegisterUser {
            user: second.clone(),
            display_name: t("Lãnh đạo thứ hai của An Giang"),
            demo: true,
        },
    );
    v.w.ok(
        &Actor::System,
        Command::GrantRole {
            user: second.clone(),
            role: Role::Leader { unit: u("ca-ag") },
        },
    );
    for _ in 0..2 {
        let b = v.ballot(1, 1, Selection::Approve(vec![1]));
        v.w.ok(
            &Actor::User(second.clone()),
            vote(VoteCommand::CastBallot {
                election: el(),
                round: 1,
                unit: u("ca-ag"),
                ballot: Box::new(b),
            }),
        );
    }
    let ballot = &v.w.state.elections[&el()].rounds[0].ballots[&u("ca-ag")];
    assert_eq!(
        (&ballot.by, &ballot.replaced_other, ballot.replaced),
        (&Actor::User(second), &Some(leader("ca-ag")), 3)
    );
    v.close(1);
    // A trustee's machine recomputes the round's encrypted totals from the log alone, and
    // decrypts those rather than what a server reports.
    let logged = thidua_domain::votes::replay_election(&el(), &v.w.events)
        .unwrap()
        .unwrap();
    let served = &v.w.state.elections[&el()];
    let totals =
        |e: &thidua_domain::votes::Election| serde_json::to_string(&e.rounds[0].totals).unwrap();
    assert!(logged.rounds[0].totals.is_some());
    assert_eq!(totals(&logged), totals(served));
    assert_eq!(
        logged.rounds[0].ballots[&u("ca-ag")],
        served.rounds[0].ballots[&u("ca-ag")]
    );
    // Nothing is decrypted before t trustees posted; the second share brings the count.
    let first = v.decrypt(2, 1).unwrap();
    assert_eq!(first.len(), 1);
    let second = v.decrypt(0, 1).unwrap();
    assert!(
        matches!(&second[1], Payload::Vote(VoteEvent::RoundCounted { approvals, abstentions: 1, .. }) if approvals == &vec![0, 2])
    );
    let e = &v.w.state.elections[&el()];
    let o = outcome(e, &e.rounds[0]).unwrap();
    assert_eq!(o.approvals_needed, 2);
    assert!(o.quorum_met);
    assert_eq!(o.elected, vec![u("ca-ag")]);
    // A third share after the count is refused; so is a ballot after the close.
    assert_eq!(v.decrypt(1, 1).unwrap_err().code(), "vote_counted");
    let b = v.ballot(0, 1, Selection::Abstain);
    assert_eq!(v.cast(0, 1, b).unwrap_err().code(), "vote_closed");
}

#[test]
fn copied_replayed_and_forged_ballots_are_refused_without_changing_anything() {
    let mut v = election();
    let b = v.ballot(0, 1, Selection::Approve(vec![0]));
    v.cast(0, 1, b.clone()).unwrap();
    // The same ballot again (a replay) repeats its ciphertexts.
    let before = v.w.state.clone();
    assert_eq!(
        v.cast(0, 1, b.clone()).unwrap_err().code(),
        "ballot_replayed"
    );
    // Copied to another voter: the signature is the first voter's.
    assert_eq!(
        v.cast(1, 1, b.clone()).unwrap_err().code(),
        "ballot_bad_signature"
    );
    // Tampered: a choice's ciphertext taken from another ballot of the same voter.
    let other = v.ballot(0, 1, Selection::Approve(vec![1]));
    let mut tampered = v.ballot(0, 1, Selection::Approve(vec![0]));
    tampered.choices[1] = other.choices[1].clone();
    assert_eq!(
        v.cast(0, 1, tampered).unwrap_err().code(),
        "ballot_bad_signature"
    );
    assert_eq!(v.w.state, before);
    // Another unit's leader cannot vote for ca-kg; an officer cannot vote at all.
    let b2 = v.ballot(0, 1, Selection::Abstain);
    let code = v.w.err(
        &leader("ca-ag"),
        vote(VoteCommand::CastBallot {
            election: el(),
            round: 1,
            unit: u("ca-kg"),
            ballot: Box::new(b2),
        }),
    );
    assert_eq!(code, "forbidden");
}

#[test]
fn a_wrong_decryption_share_and_a_made_up_count_are_refused() {
    let mut v = election();
    for i in 0..3 {
        let b = v.ballot(i, 1, Selection::Approve(vec![0]));
        v.cast(i, 1, b).unwrap();
    }
    v.close(1);
    // Trustee 1's shares posted by trustee 0.
    let shares = v.shares(1, 1);
    let code = v.w.err(
        &leader("ca-kg"),
        vote(VoteCommand::PostDecryptionShares {
            election: el(),
            round: 1,
            unit: u("ca-kg"),
            shares,
        }),
    );
    assert_eq!(code, "decryption_share_bad_proof");
    v.decrypt(0, 1).unwrap();
    // A count event that the shares do not give, applied as replay would.
    let mut state = v.w.state.clone();
    let shares = v.shares(1, 1);
    let posted = Event {
        index: state.size,
        time_ms: 0,
        actor: leader("ca-ag"),
        salt: String::new(),
        payload: Payload::Vote(VoteEvent::DecryptionPosted {
            election: el(),
            round: 1,
            unit: u("ca-ag"),
            shares,
        }),
    };
    state.apply(&posted).unwrap();
    let forged = Event {
        index: state.size,
        time_ms: 0,
        actor: leader("ca-ag"),
        salt: String::new(),
        payload: Payload::Vote(VoteEvent::RoundCounted {
            election: el(),
            round: 1,
            approvals: vec![0, 3],
            abstentions: 0,
        }),
    };
    let err = state.apply(&forged).unwrap_err();
    assert_eq!(err.code(), "count_mismatch");
    assert!(err.to_string().contains("[3, 0]"), "{err}");
}

#[test]
fn a_tie_at_the_cut_off_is_decided_by_the_head_and_the_deputy() {
    let mut v = election_with(Fraction { num: 1, den: 3 });
    let sys = Actor::System;
    for (unit, position) in [
        ("ca-kg", LeadershipPosition::Head),
        ("ca-ag", LeadershipPosition::Deputy),
    ] {
        v.w.ok(
            &sys,
            Command::SetClusterLeadership {
                cluster: cum(),
                year: 2024,
                position,
                unit: u(unit),
                method: LeadershipMethod::Elected,
                decision: t("Biên bản hội nghị"),
            },
        );
    }
    // One approval each for one seat: a tie at the cut-off.
    for (i, s) in [
        (0, Selection::Approve(vec![1])),
        (1, Selection::Approve(vec![0])),
        (2, Selection::Abstain),
    ] {
        let b = v.ballot(i, 1, s);
        v.cast(i, 1, b).unwrap();
    }
    v.close(1);
    v.decrypt(0, 1).unwrap();
    v.decrypt(1, 1).unwrap();
    let tie = |v: &Vote| {
        let e = &v.w.state.elections[&el()];
        outcome(e, &e.rounds[0]).unwrap()
    };
    assert_eq!(
        tie(&v).tie.as_ref().unwrap().candidates,
        vec![u("ca-kg"), u("ca-ag")]
    );
    assert!(tie(&v).elected.is_empty());
    // Round 2 would skip the tie's decision: refused until it is recorded.
    let second = || {
        vote(VoteCommand::OpenSecondRound {
            election: el(),
            candidates: v.w.state.elections[&el()].rounds[0].candidates.clone(),
        })
    };
    let open_second = second();
    assert_eq!(v.w.err(&user("thuky"), open_second), "tie_undecided");
    let decide = |unit: &str, chosen: &str| {
        vote(VoteCommand::DecideTie {
            election: el(),
            round: 1,
            unit: u(unit),
            chosen: vec![u(chosen)],
            decision: t("Cụm trưởng và cụm phó quyết định"),
        })
    };
    // ca-hg leads neither position.
    assert_eq!(
        v.w.err(&leader("ca-hg"), decide("ca-hg", "ca-kg")),
        "not_head_or_deputy"
    );
    v.w.ok(&leader("ca-kg"), decide("ca-kg", "ca-ag"));
    assert!(tie(&v).elected.is_empty(), "both must decide");
    v.w.ok(&leader("ca-ag"), decide("ca-ag", "ca-ag"));
    assert_eq!(tie(&v).elected, vec![u("ca-ag")]);
}

#[test]
fn a_round_without_quorum_is_not_decrypted_and_a_second_round_follows() {
    let mut v = election();
    let b = v.ballot(0, 1, Selection::Approve(vec![0]));
    v.cast(0, 1, b).unwrap();
    v.close(1);
    assert!(
        v.w.state.elections[&el()].rounds[0].totals.is_none(),
        "1 of 3 is below two thirds"
    );
    let code = v.w.err(
        &user("thuky"),
        vote(VoteCommand::OpenSecondRound {
            election: el(),
            candidates: vec![u("ca-ag"), u("ca-kg")],
        }),
    );
    assert_eq!(code, "second_round_candidates", "round 1's order");
    v.w.ok(
        &user("thuky"),
        vote(VoteCommand::OpenSecondRound {
            election: el(),
            candidates: vec![u("ca-kg"), u("ca-ag")],
        }),
    );
    let logged = thidua_domain::votes::replay_election(&el(), &v.w.events)
        .unwrap()
        .unwrap();
    assert_eq!(logged.rounds.len(), 2);
    assert!(logged.rounds[0].totals.is_none(), "below the quorum");
    // A round-1 ballot is not accepted in round 2 (its proofs are bound to round 1).
    let mut b = v.ballot(1, 2, Selection::Approve(vec![0]));
    let r1 = v.ballot(1, 1, Selection::Approve(vec![0]));
    b.choices = r1.choices;
    assert_eq!(v.cast(1, 2, b).unwrap_err().code(), "ballot_bad_signature");
    let code = v.w.err(
        &user("thuky"),
        vote(VoteCommand::OpenSecondRound {
            election: el(),
            candidates: vec![u("ca-kg")],
        }),
    );
    assert_eq!(code, "vote_not_counted", "round 2 is open");
}

/// A paper count of three ballots, all valid, by the meeting room's counting team.
fn paper_count(approvals: Vec<u32>) -> PaperCount {
    PaperCount {
        approvals,
        abstentions: 0,
        issued: 3,
        returned: 3,
        invalid: 0,
        counting_team: vec![t("Nguyễn Văn Kiểm (trưởng ban kiểm phiếu)")],
        note: None,
    }
}

#[test]
fn a_paper_count_takes_effect_when_two_members_confirm_it() {
    let mut v = election();
    let count = paper_count(vec![3, 0]);
    let bad = PaperCount {
        approvals: vec![4, 0],
        ..count.clone()
    };
    let code = v.w.err(
        &user("thuky"),
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count: bad,
        }),
    );
    assert_eq!(code, "invalid_value");
    v.w.ok(
        &user("thuky"),
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count,
        }),
    );
    let confirm = |unit: &str| {
        vote(VoteCommand::ConfirmPaperCount {
            election: el(),
            round: 1,
            unit: u(unit),
        })
    };
    v.w.ok(&leader("ca-kg"), confirm("ca-kg"));
    assert!(v.w.state.elections[&el()].rounds[0].count.is_none());
    assert_eq!(
        v.w.err(&leader("ca-kg"), confirm("ca-kg")),
        "paper_confirmed_twice"
    );
    v.w.ok(&leader("ca-hg"), confirm("ca-hg"));
    let e = &v.w.state.elections[&el()];
    let count = e.rounds[0].count.as_ref().unwrap();
    assert!(count.paper);
    assert_eq!(outcome(e, &e.rounds[0]).unwrap().elected, vec![u("ca-kg")]);
}

#[test]
fn the_secretariat_withdraws_an_unconfirmed_paper_count_and_records_a_corrected_one() {
    let mut v = election();
    let sec = user("thuky");
    let mistyped = paper_count(vec![0, 3]);
    let corrected = PaperCount {
        approvals: vec![3, 0],
        ..mistyped.clone()
    };
    let record = |count: PaperCount| {
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count,
        })
    };
    let confirm = |unit: &str| {
        vote(VoteCommand::ConfirmPaperCount {
            election: el(),
            round: 1,
            unit: u(unit),
        })
    };
    let withdraw = |reason: &str| {
        vote(VoteCommand::WithdrawPaperCount {
            election: el(),
            round: 1,
            // As an API client sends it (trimmed; `decide` checks the rest).
            reason: serde_json::from_value(serde_json::json!(reason)).unwrap(),
        })
    };
    assert_eq!(
        v.w.err(&sec, withdraw("Nhập nhầm số phiếu")),
        "no_paper_count"
    );
    v.w.ok(&sec, record(mistyped.clone()));
    v.w.ok(&leader("ca-kg"), confirm("ca-kg"));
    // Only the secretariat withdraws, with a reason.
    assert_eq!(
        v.w.err(&leader("ca-kg"), withdraw("Nhập nhầm số phiếu")),
        "forbidden"
    );
    assert_eq!(v.w.err(&sec, withdraw("")), "empty_text");
    assert_eq!(v.w.err(&sec, withdraw("   ")), "empty_text");
    assert_eq!(
        v.w.err(
            &sec,
            withdraw(&"x".repeat(thidua_domain::text::limits::REASON + 1))
        ),
        "text_too_long"
    );
    // Nor is a forged withdrawal by a leader accepted at replay.
    let mut forged = v.w.state.clone();
    let event = Event {
        index: forged.size,
        time_ms: 1_711_420_000_000,
        actor: leader("ca-kg"),
        salt: "ab".repeat(16),
        payload: Payload::Vote(VoteEvent::PaperCountWithdrawn {
            election: el(),
            round: 1,
            reason: t("Nhập nhầm số phiếu"),
        }),
    };
    assert_eq!(forged.apply(&event).unwrap_err().code(), "forbidden");
    // A second round is not opened over a round whose paper count is pending.
    let round2 = vote(VoteCommand::OpenSecondRound {
        election: el(),
        candidates: vec![u("ca-kg"), u("ca-ag")],
    });
    assert_eq!(v.w.err(&sec, round2.clone()), "vote_not_counted");
    let payloads = v.w.ok(&sec, withdraw("Nhập nhầm số phiếu của hai đơn vị"));
    assert_eq!(payloads[0].kind(), "paper_count_withdrawn");
    let r = &v.w.state.elections[&el()].rounds[0];
    assert!(r.paper.is_none() && r.count.is_none() && r.closed_at.is_some());
    assert_eq!(r.withdrawn.len(), 1);
    assert_eq!(r.withdrawn[0].record.count, mistyped);
    assert_eq!(
        r.withdrawn[0].reason.as_str(),
        "Nhập nhầm số phiếu của hai đơn vị"
    );
    assert_eq!(v.w.err(&sec, round2.clone()), "vote_not_counted");
    assert_eq!(
        v.w.err(&leader("ca-hg"), confirm("ca-hg")),
        "no_paper_count"
    );
    assert_eq!(
        v.w.err(&sec, withdraw("Nhập nhầm lần nữa")),
        "no_paper_count"
    );
    // The corrected count needs two confirmations of its own.
    v.w.ok(&sec, record(corrected.clone()));
    assert_eq!(
        v.w.err(&sec, record(corrected.clone())),
        "vote_closed",
        "one count at a time"
    );
    v.w.ok(&leader("ca-hg"), confirm("ca-hg"));
    assert!(v.w.state.elections[&el()].rounds[0].count.is_none());
    v.w.ok(&leader("ca-kg"), confirm("ca-kg"));
    let e = &v.w.state.elections[&el()];
    let count = e.rounds[0].count.as_ref().unwrap();
    assert!(count.paper);
    assert_eq!(count.approvals, vec![3, 0]);
    assert_eq!(e.rounds[0].paper.as_ref().unwrap().count, corrected);
    assert_eq!(outcome(e, &e.rounds[0]).unwrap().elected, vec![u("ca-kg")]);
    // A counted paper count stands.
    assert_eq!(
        v.w.err(&sec, withdraw("Các thành viên đề nghị kiểm lại")),
        "paper_count_counted"
    );
}

/// The secretariat's setting aside of round 1's electronic count, with `reason` as an API
/// client sends it (trimmed; `decide` checks the rest).
fn set_aside(reason: &str) -> Command {
    vote(VoteCommand::AbandonElectronicCount {
        election: el(),
        round: 1,
        reason: serde_json::from_value(serde_json::json!(reason)).unwrap(),
    })
}

/// Folds `events` from the empty state, each through its canonical bytes, as start-up and
/// `thidua verify` do.
fn replayed(events: &[Event]) -> Result<State, DomainError> {
    let mut state = State::default();
    for event in events {
        let decoded = Event::decode(event.index, &event.canonical_bytes()).unwrap();
        state.apply(&decoded)?;
    }
    Ok(state)
}

/// `events` with one more event by `actor`, appended past `decide`.
fn appended(events: &[Event], actor: &Actor, payload: Payload) -> Vec<Event> {
    let mut events = events.to_vec();
    events.push(Event {
        index: events.len() as u64,
        time_ms: 1_711_420_000_000,
        actor: actor.clone(),
        salt: "ab".repeat(16),
        payload,
    });
    events
}

#[test]
fn a_round_the_trustees_cannot_decrypt_is_set_aside_and_counted_on_paper() {
    let mut v = election();
    let sec = user("thuky");
    for (unit, selection) in [
        (0, Selection::Approve(vec![0])),
        (1, Selection::Approve(vec![0])),
        (2, Selection::Abstain),
    ] {
        let b = v.ballot(unit, 1, selection);
        v.cast(unit, 1, b).unwrap();
    }
    // Not while the round is open.
    assert_eq!(v.w.err(&sec, set_aside("Mất tệp khoá")), "vote_not_closed");
    v.close(1);
    // One trustee of the two needed posts its shares; the others' key files are lost.
    assert_eq!(v.decrypt(2, 1).unwrap().len(), 1);
    let shares = v.shares(0, 1);
    let record = |count: PaperCount| {
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count,
        })
    };
    let count = paper_count(vec![2, 1]);
    // Before: the round is stuck, a paper count is refused.
    assert_eq!(v.w.err(&sec, record(count.clone())), "vote_closed");
    // Only the secretariat sets it aside, with a reason.
    assert_eq!(
        v.w.err(&leader("ca-kg"), set_aside("Mất tệp khoá")),
        "forbidden"
    );
    assert_eq!(v.w.err(&sec, set_aside("  ")), "empty_text");
    assert_eq!(
        v.w.err(
            &sec,
            set_aside(&"x".repeat(thidua_domain::text::limits::REASON + 1))
        ),
        "text_too_long"
    );
    let forged = appended(
        &v.w.events,
        &leader("ca-kg"),
        Payload::Vote(VoteEvent::ElectronicCountAbandoned {
            election: el(),
            round: 1,
            reason: t("Mất tệp khoá"),
        }),
    );
    assert_eq!(replayed(&forged).unwrap_err().code(), "forbidden");
    let reason =
        "Công an tỉnh Hà Giang và Kiên Giang mất tệp khoá giữ khoá: không đủ 2 đơn vị giải mã";
    let payloads = v.w.ok(&sec, set_aside(reason));
    assert_eq!(payloads.len(), 1);
    assert_eq!(payloads[0].kind(), "electronic_count_abandoned");
    let r = &v.w.state.elections[&el()].rounds[0];
    let set = r.set_aside.as_ref().unwrap();
    assert_eq!(set.reason.as_str(), reason);
    assert_eq!(set.index, v.w.events.last().unwrap().index);
    assert_eq!(r.ballots.len(), 3, "the ballots stay in the log");
    assert!(r.count.is_none() && r.awaits_paper_count());
    // Once: no share, no second setting aside, no electronic count afterwards.
    assert_eq!(v.w.err(&sec, set_aside("Lần nữa")), "count_set_aside");
    assert_eq!(v.decrypt(0, 1).unwrap_err().code(), "count_set_aside");
    let late = appended(
        &v.w.events,
        &leader("ca-kg"),
        Payload::Vote(VoteEvent::DecryptionPosted {
            election: el(),
            round: 1,
            unit: u("ca-kg"),
            shares,
        }),
    );
    assert_eq!(replayed(&late).unwrap_err().code(), "count_set_aside");
    // Round 2 waits for the paper count.
    let round2 = vote(VoteCommand::OpenSecondRound {
        election: el(),
        candidates: vec![u("ca-ag")],
    });
    assert_eq!(v.w.err(&sec, round2), "vote_not_counted");
    // The members vote again on paper; the count is recorded and confirmed as for a paper
    // round (and may be withdrawn and entered again while unconfirmed).
    v.w.ok(&sec, record(paper_count(vec![1, 1])));
    v.w.ok(
        &sec,
        vote(VoteCommand::WithdrawPaperCount {
            election: el(),
            round: 1,
            reason: t("Nhập nhầm"),
        }),
    );
    v.w.ok(&sec, record(count.clone()));
    assert_eq!(v.w.err(&sec, record(count.clone())), "vote_closed");
    for unit in ["ca-ag", "ca-hg"] {
        v.w.ok(
            &leader(unit),
            vote(VoteCommand::ConfirmPaperCount {
                election: el(),
                round: 1,
                unit: u(unit),
            }),
        );
    }
    let e = &v.w.state.elections[&el()];
    let c = e.rounds[0].count.as_ref().unwrap();
    assert!(c.paper);
    assert_eq!(c.approvals, vec![2, 1]);
    assert_eq!(c.ballots, 3);
    assert!(e.rounds[0].set_aside.is_some());
    assert_eq!(outcome(e, &e.rounds[0]).unwrap().elected, vec![u("ca-kg")]);
    assert_eq!(v.w.err(&sec, set_aside("Sau khi kiểm")), "vote_counted");
    // The log replays to the same state, and a trustee's machine sees the setting aside.
    assert_eq!(replayed(&v.w.events).unwrap(), v.w.state);
    let logged = replay_election(&el(), &v.w.events).unwrap().unwrap();
    assert_eq!(
        logged.rounds[0]
            .set_aside
            .as_ref()
            .map(|s| s.reason.as_str()),
        Some(reason)
    );
}

#[test]
fn only_an_undecryptable_electronic_count_is_set_aside() {
    let sec = user("thuky");
    // No ballot: the paper count is recorded directly.
    let mut v = election();
    v.close(1);
    assert_eq!(
        v.w.err(&sec, set_aside("Họp trực tiếp")),
        "no_electronic_ballots"
    );
    // Below the quorum: nothing to decrypt.
    let mut v = election();
    let b = v.ballot(0, 1, Selection::Approve(vec![0]));
    v.cast(0, 1, b).unwrap();
    v.close(1);
    assert_eq!(
        v.w.err(&sec, set_aside("Ít đơn vị bỏ phiếu")),
        "no_electronic_count"
    );
    // Counted from the shares.
    let mut v = election();
    for unit in 0..2 {
        let b = v.ballot(unit, 1, Selection::Approve(vec![0]));
        v.cast(unit, 1, b).unwrap();
    }
    v.close(1);
    v.decrypt(0, 1).unwrap();
    let before_second = v.w.events.clone();
    let shares = v.shares(1, 1);
    v.decrypt(1, 1).unwrap();
    assert_eq!(v.w.err(&sec, set_aside("Đổi ý")), "vote_counted");
    // Enough shares posted without the count (a log its writer did not complete): they count
    // the round, so it is not set aside.
    let posted = appended(
        &before_second,
        &leader("ca-ag"),
        Payload::Vote(VoteEvent::DecryptionPosted {
            election: el(),
            round: 1,
            unit: u("ca-ag"),
            shares,
        }),
    );
    let forged = appended(
        &posted,
        &sec,
        Payload::Vote(VoteEvent::ElectronicCountAbandoned {
            election: el(),
            round: 1,
            reason: t("Đổi ý"),
        }),
    );
    let err = replayed(&forged).unwrap_err();
    assert_eq!(err.code(), "shares_enough", "{err}");
}

/// The cluster with one standing recorded by the secretariat: Kiên Giang first and eligible.
fn ranked_first() -> World {
    let mut w = World::cluster();
    w.ok(
        &user("thuky"),
        vote(VoteCommand::RecordStanding {
            cluster: cum(),
            year: 2024,
            unit: u("ca-kg"),
            rank: 1,
            eligible: true,
            basis: t("Xếp thứ nhất"),
        }),
    );
    w
}

#[test]
fn a_flag_is_not_opened_below_the_approval_the_rules_require() {
    let sec = user("thuky");
    let ranked = ranked_first;
    let mut w = ranked();
    let opening = |award: AwardKind, num: u32, den: u32| {
        vote(VoteCommand::OpenElection {
            election: el(),
            cluster: cum(),
            year: 2024,
            award,
            title: t("Đề nghị tặng Cờ thi đua năm 2024"),
            seats: 1,
            approval: Fraction { num, den },
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 2,
        })
    };
    // A flag needs 80% of the total membership: 1/1000 or 79/100 is refused.
    for award in [AwardKind::GovernmentFlag, AwardKind::MinistryFlag] {
        for (num, den) in [(1, 1000), (79, 100), (3, 4)] {
            assert_eq!(
                w.err(&sec, opening(award, num, den)),
                "election_approval_low",
                "{award:?} at {num}/{den}"
            );
        }
    }
    // Higher than the rule is allowed, and exactly the rule.
    w.ok(&sec, opening(AwardKind::GovernmentFlag, 9, 10));
    ranked().ok(&sec, opening(AwardKind::MinistryFlag, 8, 10));
    // A certificate's threshold is the cluster regulation's own.
    ranked().ok(&sec, opening(AwardKind::Certificate, 1, 2));
}

#[test]
fn the_ceremony_refuses_messages_out_of_order_twice_copied_or_from_outsiders() {
    let mut w = ranked_first();
    let sec = user("thuky");
    // Only the secretariat opens; candidates come from the standings.
    let opening = |quorum: Fraction, trustee_threshold: u32| {
        vote(VoteCommand::OpenElection {
            election: el(),
            cluster: cum(),
            year: 2024,
            award: AwardKind::Head,
            title: t("Bầu cụm trưởng năm 2025"),
            seats: 1,
            approval: Fraction { num: 1, den: 2 },
            quorum,
            trustee_threshold,
        })
    };
    let two_thirds = Fraction { num: 2, den: 3 };
    let open = opening(two_thirds, 2);
    assert_eq!(w.err(&leader("ca-kg"), open.clone()), "forbidden");
    // Terms under which the ballot would not be secret are refused when opening.
    assert_eq!(
        w.err(&sec, opening(two_thirds, 1)),
        "election_threshold_low"
    );
    let a_third = Fraction { num: 1, den: 3 };
    assert_eq!(w.err(&sec, opening(a_third, 2)), "election_quorum_low");
    w.ok(&sec, open);
    let mut rng = rng_from_seed([9; 32]);
    let sim = simulate(&w.state.elections[&el()].trustee_params(), &mut rng).unwrap();
    let post = |i: usize, m: CeremonyMessage| {
        vote(VoteCommand::PostCeremonyMessage {
            election: el(),
            unit: u(UNITS[i]),
            message: m,
        })
    };
    assert_eq!(
        w.err(
            &leader("ca-kg"),
            post(0, CeremonyMessage::Reveal(sim.reveals[0].clone()))
        ),
        "ceremony_order"
    );
    w.ok(
        &leader("ca-kg"),
        post(0, CeremonyMessage::Commit(sim.commitments[0].clone())),
    );
    assert_eq!(
        w.err(
            &leader("ca-kg"),
            post(0, CeremonyMessage::Commit(sim.commitments[0].clone()))
        ),
        "ceremony_twice"
    );
    assert_eq!(
        w.err(
            &leader("ca-ag"),
            post(0, CeremonyMessage::Commit(sim.commitments[0].clone()))
        ),
        "forbidden"
    );
    // Every commitment is public once posted: another trustee copying it, or only its box
    // key, as its own is refused (it would otherwise receive shares sealed to ca-kg's key).
    let copied = sim.commitments[0].clone();
    assert_eq!(
        w.err(&leader("ca-ag"), post(1, CeremonyMessage::Commit(copied))),
        "ceremony_copied"
    );
    let mut box_only = sim.commitments[1].clone();
    box_only.box_key = sim.commitments[0].box_key.clone();
    assert_eq!(
        w.err(&leader("ca-ag"), post(1, CeremonyMessage::Commit(box_only))),
        "ceremony_copied"
    );
    // A voter's machine replaying the log refuses the same copy, should a server log it.
    let replay = |events: &[thidua_domain::event::Event]| {
        thidua_domain::votes::replay_election(&el(), events).map(|e| e.is_some())
    };
    assert!(replay(&w.events).unwrap());
    let mut copy = w.events.last().unwrap().clone();
    let Payload::Vote(VoteEvent::CeremonyPosted { unit, .. }) = &mut copy.payload else {
        panic!("the last event is ca-kg's commitment");
    };
    *unit = u("ca-ag");
    copy.index += 1;
    let forged = [w.events.clone(), vec![copy]].concat();
    assert_eq!(replay(&forged).unwrap_err().code(), "ceremony_copied");
    // A voter may register early, but no ballot is taken before the ceremony completes.
    let voter = VoterSecret::generate(&mut rng);
    w.ok(
        &leader("ca-kg"),
        vote(VoteCommand::RegisterVoterKey {
            election: el(),
            unit: u("ca-kg"),
            key: voter.public(),
        }),
    );
    let e = &w.state.elections[&el()];
    let key = thidua_ballot::KeySet::from_reveals(&e.trustee_params(), &sim.reveals).unwrap();
    let ctx = e.ballot_context(&e.rounds[0]);
    let ballot = Ballot::create(
        &ctx,
        key.election_key(),
        &voter,
        &Selection::Abstain,
        &mut rng,
    )
    .unwrap();
    let code = w.err(
        &leader("ca-kg"),
        vote(VoteCommand::CastBallot {
            election: el(),
            round: 1,
            unit: u("ca-kg"),
            ballot: Box::new(ballot),
        }),
    );
    assert_eq!(code, "vote_no_key");
}

/// A head election of 2024 for 2025, counted: the first two members approve An Giang, the
/// third chooses `third`; An Giang is elected.
fn ag_elected_head(third: Selection) -> Vote {
    let mut v = election_for(AwardKind::Head, Fraction { num: 2, den: 3 });
    for (i, s) in [
        (0, Selection::Approve(vec![1])),
        (1, Selection::Approve(vec![1])),
        (2, third),
    ] {
        let b = v.ballot(i, 1, s);
        v.cast(i, 1, b).unwrap();
    }
    v.close(1);
    v.decrypt(0, 1).unwrap();
    v.decrypt(1, 1).unwrap();
    let e = &v.w.state.elections[&el()];
    assert_eq!(outcome(e, &e.rounds[0]).unwrap().elected, vec![u("ca-ag")]);
    v
}

/// The 2025 head recorded as elected must be the unit the cluster's counted vote elected;
/// an assignment by decision is not bound by the vote.
#[test]
fn a_head_recorded_as_elected_is_the_one_the_vote_elected() {
    let mut v = ag_elected_head(Selection::Abstain);
    v.w.ok(
        &Actor::System,
        Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: UNITS.iter().map(|x| u(x)).collect(),
        },
    );
    let head = |unit: &str, method| Command::SetClusterLeadership {
        cluster: cum(),
        year: 2025,
        position: LeadershipPosition::Head,
        unit: u(unit),
        method,
        decision: t("Biên bản kiểm phiếu bầu cụm trưởng"),
    };
    assert_eq!(
        v.w.err(&Actor::System, head("ca-kg", LeadershipMethod::Elected)),
        "leadership_not_elected"
    );
    // The refusal names the elected plainly, not as Rust debug output.
    let said =
        v.w.run(&Actor::System, head("ca-kg", LeadershipMethod::Elected))
            .unwrap_err()
            .to_string();
    assert_eq!(said, "the counted vote of 2024 elected ca-ag, not ca-kg");
    v.w.ok(&Actor::System, head("ca-ag", LeadershipMethod::Elected));
    v.w.ok(&Actor::System, head("ca-kg", LeadershipMethod::Assigned));
}

/// The unit elected head for 2025 (An Giang) merges on 01/07/2025 into Kiên Giang (in this
/// world): Kiên Giang, the unit that answers for it, is recorded as the elected head; Hậu
/// Giang, which the vote did not elect and which absorbed nothing of it, is not.
#[test]
fn the_unit_an_elected_head_merged_into_holds_its_seat() {
    let mut v = ag_elected_head(Selection::Approve(vec![1]));
    let change = thidua_domain::model::LineageChange {
        kind: thidua_domain::model::LineageKind::Merge,
        predecessors: vec![u("ca-ag"), u("ca-kg")],
        successors: vec![u("ca-kg")],
        effective: chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        decision: t("Nghị quyết số 202/2025/QH15"),
    };
    v.w.ok(&Actor::System, Command::RecordLineage { change });
    v.w.ok(
        &Actor::System,
        Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: vec![u("ca-hg"), u("ca-kg")],
        },
    );
    let head = |unit: &str| Command::SetClusterLeadership {
        cluster: cum(),
        year: 2025,
        position: LeadershipPosition::Head,
        unit: u(unit),
        method: LeadershipMethod::Elected,
        decision: t("Biên bản kiểm phiếu bầu cụm trưởng"),
    };
    assert_eq!(
        v.w.err(&Actor::System, head("ca-hg")),
        "leadership_not_elected"
    );
    v.w.ok(&Actor::System, head("ca-kg"));
}

/// Records `count` for round 1 as the secretariat and confirms it by the leaders of ca-kg and
/// ca-hg.
fn record_and_confirm(v: &mut Vote, count: PaperCount) {
    v.w.ok(
        &user("thuky"),
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count,
        }),
    );
    for unit in ["ca-kg", "ca-hg"] {
        v.w.ok(
            &leader(unit),
            vote(VoteCommand::ConfirmPaperCount {
                election: el(),
                round: 1,
                unit: u(unit),
            }),
        );
    }
}

/// One paper ballot returned of three members, approving ca-kg: below the quorum of 2/3.
fn one_ballot_returned() -> PaperCount {
    PaperCount {
        approvals: vec![1, 0, 0],
        issued: 3,
        returned: 1,
        ..paper_count(vec![])
    }
}

/// A paper count below the quorum elects nobody, even a candidate whose approvals reach the
/// threshold, and a head cannot then be recorded as elected by it.
#[test]
fn a_paper_count_below_the_quorum_elects_nobody() {
    let mut v = election_for(AwardKind::Head, Fraction { num: 1, den: 3 });
    record_and_confirm(&mut v, one_ballot_returned());
    let e = &v.w.state.elections[&el()];
    let o = outcome(e, &e.rounds[0]).unwrap();
    assert!(!o.quorum_met);
    assert_eq!(o.approvals_needed, 1);
    assert!(o.elected.is_empty(), "{:?}", o.elected);
    assert!(o.tie.is_none());
    assert!(o.candidates.iter().all(|c| !c.elected));
    assert_eq!(elected(e), Vec::<UnitId>::new());
    v.w.ok(
        &Actor::System,
        Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: UNITS.iter().map(|x| u(x)).collect(),
        },
    );
    let head = |method| Command::SetClusterLeadership {
        cluster: cum(),
        year: 2025,
        position: LeadershipPosition::Head,
        unit: u("ca-kg"),
        method,
        decision: t("Biên bản kiểm phiếu bầu cụm trưởng"),
    };
    assert_eq!(
        v.w.err(&Actor::System, head(LeadershipMethod::Elected)),
        "leadership_not_elected"
    );
    let said =
        v.w.run(&Actor::System, head(LeadershipMethod::Elected))
            .unwrap_err()
            .to_string();
    assert_eq!(said, "the counted vote of 2024 elected no unit, not ca-kg");
    v.w.ok(&Actor::System, head(LeadershipMethod::Assigned));
}

/// The quorum counts the members who took part on paper (the ballots returned, an invalid one
/// included); approvals still count against the whole membership.
#[test]
fn a_paper_quorum_counts_the_ballots_returned_invalid_ones_included() {
    let mut v = election_with(Fraction { num: 1, den: 3 });
    record_and_confirm(
        &mut v,
        PaperCount {
            approvals: vec![1, 0],
            issued: 3,
            returned: 2,
            invalid: 1,
            ..paper_count(vec![])
        },
    );
    let e = &v.w.state.elections[&el()];
    let o = outcome(e, &e.rounds[0]).unwrap();
    assert_eq!((o.ballots, o.quorum_needed), (2, 2));
    assert!(o.quorum_met, "two of three members took part");
    assert_eq!(o.elected, vec![u("ca-kg")]);
}

/// The administrator grants itself the leader roles of two units.
fn admin_leads(v: &mut Vote, units: &[&str]) -> Actor {
    let admin = user("admin");
    for unit in units {
        v.w.ok(
            &admin,
            Command::GrantRole {
                user: UserId::parse("admin").unwrap(),
                role: Role::Leader { unit: u(unit) },
            },
        );
    }
    admin
}

/// A paper count is confirmed for two units by two users, neither of them the one who
/// recorded it; once the round is counted no confirmation is taken. The same holds in the
/// log: a forged event is refused at replay.
#[test]
fn a_paper_count_is_confirmed_by_two_other_users() {
    let mut v = election();
    let admin = admin_leads(&mut v, &["ca-kg", "ca-ag"]);
    v.w.ok(
        &admin,
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count: paper_count(vec![3, 0]),
        }),
    );
    let confirm = |unit: &str| {
        vote(VoteCommand::ConfirmPaperCount {
            election: el(),
            round: 1,
            unit: u(unit),
        })
    };
    assert_eq!(
        v.w.err(&admin, confirm("ca-kg")),
        "paper_confirmed_by_recorder"
    );
    v.w.ok(&leader("ca-kg"), confirm("ca-kg"));
    // A user leading two units confirms for one of them only.
    v.w.ok(
        &Actor::System,
        Command::GrantRole {
            user: UserId::parse("lanhdao.kg").unwrap(),
            role: Role::Leader { unit: u("ca-ag") },
        },
    );
    assert_eq!(
        v.w.err(&leader("ca-kg"), confirm("ca-ag")),
        "paper_confirmed_by_same_user"
    );
    assert!(v.w.state.elections[&el()].rounds[0].count.is_none());
    v.w.ok(&leader("ca-hg"), confirm("ca-hg"));
    assert!(v.w.state.elections[&el()].rounds[0].count.is_some());
    // After the count, a third confirmation is refused.
    assert_eq!(v.w.err(&leader("ca-ag"), confirm("ca-ag")), "vote_counted");
    let forged = Event {
        index: v.w.state.size,
        time_ms: 1_711_420_000_000,
        actor: leader("ca-ag"),
        salt: "ab".repeat(16),
        payload: Payload::Vote(VoteEvent::PaperCountConfirmed {
            election: el(),
            round: 1,
            unit: u("ca-ag"),
        }),
    };
    let mut state = v.w.state.clone();
    assert_eq!(state.apply(&forged).unwrap_err().code(), "vote_counted");
}

/// The head's and the deputy's decisions of a tie are two users': one user leading both
/// units records one of them only.
#[test]
fn a_tie_is_decided_by_two_different_users() {
    let mut v = paper_tie(&[
        ("ca-kg", LeadershipPosition::Head),
        ("ca-ag", LeadershipPosition::Deputy),
    ]);
    let admin = admin_leads(&mut v, &["ca-kg", "ca-ag"]);
    let decide = |unit: &str| {
        vote(VoteCommand::DecideTie {
            election: el(),
            round: 1,
            unit: u(unit),
            chosen: vec![u("ca-kg")],
            decision: t("Cụm trưởng và cụm phó quyết định"),
        })
    };
    v.w.ok(&admin, decide("ca-kg"));
    assert_eq!(v.w.err(&admin, decide("ca-ag")), "tie_decided_by_same_user");
    v.w.ok(&leader("ca-ag"), decide("ca-ag"));
    let e = &v.w.state.elections[&el()];
    assert_eq!(outcome(e, &e.rounds[0]).unwrap().elected, vec![u("ca-kg")]);
}

/// Sets the leaders of 2024 and counts round 1 on paper with one approval each for one seat:
/// a tie at the cut-off between ca-kg and ca-ag.
fn paper_tie(leaders: &[(&str, LeadershipPosition)]) -> Vote {
    let mut v = election_with(Fraction { num: 1, den: 3 });
    for (unit, position) in leaders {
        v.w.ok(
            &Actor::System,
            Command::SetClusterLeadership {
                cluster: cum(),
                year: 2024,
                position: *position,
                unit: u(unit),
                method: LeadershipMethod::Elected,
                decision: t("Biên bản hội nghị"),
            },
        );
    }
    v.w.ok(
        &user("thuky"),
        vote(VoteCommand::RecordPaperCount {
            election: el(),
            round: 1,
            count: PaperCount {
                abstentions: 1,
                ..paper_count(vec![1, 1])
            },
        }),
    );
    for unit in ["ca-kg", "ca-hg"] {
        v.w.ok(
            &leader(unit),
            vote(VoteCommand::ConfirmPaperCount {
                election: el(),
                round: 1,
                unit: u(unit),
            }),
        );
    }
    v
}

fn decide_tie(unit: &str, chosen: &str) -> Command {
    vote(VoteCommand::DecideTie {
        election: el(),
        round: 1,
        unit: u(unit),
        chosen: vec![u(chosen)],
        decision: t("Quyết định của lãnh đạo cụm"),
    })
}

fn round_one(v: &Vote) -> Outcome {
    let e = &v.w.state.elections[&el()];
    outcome(e, &e.rounds[0]).unwrap()
}

/// The head and the deputy decide the tie differently: the head's choice prevails, said so,
/// and the election no longer waits (before, neither a changed decision nor a second round
/// could end it). The log replays to the same outcome.
#[test]
fn a_tie_decided_differently_goes_to_the_head() {
    let mut v = paper_tie(&[
        ("ca-kg", LeadershipPosition::Head),
        ("ca-ag", LeadershipPosition::Deputy),
    ]);
    v.w.ok(&leader("ca-kg"), decide_tie("ca-kg", "ca-kg"));
    assert!(
        round_one(&v).elected.is_empty(),
        "the deputy has not decided"
    );
    v.w.ok(&leader("ca-ag"), decide_tie("ca-ag", "ca-ag"));
    let o = round_one(&v);
    assert_eq!(o.elected, vec![u("ca-kg")]);
    let tie = o.tie.unwrap();
    assert_eq!(tie.decided, Some(vec![u("ca-kg")]));
    assert_eq!(tie.rule, Some(TieRule::HeadOverDeputy));
    assert_eq!(
        v.w.err(&leader("ca-ag"), decide_tie("ca-ag", "ca-kg")),
        "tie_already_decided"
    );
    let logged = replayed(&v.w.events).unwrap();
    let e = &logged.elections[&el()];
    assert_eq!(outcome(e, &e.rounds[0]), Some(round_one(&v)));
}

/// The deputy stays silent: within the wait after the count, the head's decision waits for the
/// deputy's and is not recorded twice; once the wait is over, the head records again and its
/// decision stands alone, said so; the deputy no longer decides. A claim of silence the log
/// does not bear out (too early, or the deputy's) is refused when applied; the log replays.
#[test]
fn a_heads_decision_stands_alone_after_the_deputys_silence() {
    let mut v = paper_tie(&[
        ("ca-kg", LeadershipPosition::Head),
        ("ca-ag", LeadershipPosition::Deputy),
    ]);
    let before = v.w.state.clone();
    let forged = |v: &Vote, unit: &str, time_ms: i64| {
        let mut state = v.w.state.clone();
        let event = Event {
            index: state.size,
            time_ms,
            actor: leader(unit),
            salt: "00".repeat(16),
            payload: Payload::Vote(VoteEvent::TieDecided {
                election: el(),
                round: 1,
                unit: u(unit),
                chosen: vec![u("ca-kg")],
                decision: t("Quyết định của lãnh đạo cụm"),
                deputy_silent: true,
            }),
        };
        state.apply(&event).unwrap_err().code()
    };
    // The wait ends when the day a week after the count's day begins in Vietnam: the day the
    // election page names, not the count's hour a week later.
    let counted = thidua_domain::figures::local_date(TIME_MS);
    let over = thidua_domain::figures::local_midnight(counted + chrono::Days::new(7));
    let over = over.timestamp_millis();
    assert_eq!(TIE_WAIT_DAYS, 7);
    assert!(over < TIME_MS + TIE_WAIT_DAYS * 86_400_000);
    assert_eq!(forged(&v, "ca-kg", over - 1), "tie_deputy_not_silent");
    assert_eq!(forged(&v, "ca-ag", over), "tie_deputy_not_silent");
    assert_eq!(v.w.state, before);
    v.w.ok(&leader("ca-kg"), decide_tie("ca-kg", "ca-kg"));
    assert!(
        round_one(&v).elected.is_empty(),
        "the deputy may still decide"
    );
    let early = v.w.run_at(
        over - 60_000,
        &leader("ca-kg"),
        decide_tie("ca-kg", "ca-ag"),
    );
    assert_eq!(early.unwrap_err().code(), "tie_decided_twice");
    v.w.run_at(over, &leader("ca-kg"), decide_tie("ca-kg", "ca-ag"))
        .unwrap();
    let o = round_one(&v);
    assert_eq!(o.elected, vec![u("ca-ag")], "the head's latest decision");
    assert_eq!(o.tie.unwrap().rule, Some(TieRule::HeadDeputySilent));
    let late = v.w.run_at(
        over + 86_400_000,
        &leader("ca-ag"),
        decide_tie("ca-ag", "ca-kg"),
    );
    assert_eq!(late.unwrap_err().code(), "tie_already_decided");
    let logged = replayed(&v.w.events).unwrap();
    let e = &logged.elections[&el()];
    assert_eq!(outcome(e, &e.rounds[0]), Some(round_one(&v)));
}

/// A year without a deputy: the head's decision alone decides the tie.
#[test]
fn a_tie_in_a_year_without_a_deputy_is_the_heads() {
    let mut v = paper_tie(&[("ca-kg", LeadershipPosition::Head)]);
    assert!(round_one(&v).elected.is_empty());
    v.w.ok(&leader("ca-kg"), decide_tie("ca-kg", "ca-ag"));
    let o = round_one(&v);
    assert_eq!(o.elected, vec![u("ca-ag")]);
    assert_eq!(o.tie.unwrap().rule, Some(TieRule::HeadWithoutDeputy));
}

/// A year with a deputy and no head: the deputy's decision alone decides the tie (it waited
/// for a head that did not exist).
#[test]
fn a_tie_in_a_year_without_a_head_is_the_deputys() {
    let mut v = paper_tie(&[("ca-ag", LeadershipPosition::Deputy)]);
    assert!(round_one(&v).elected.is_empty());
    v.w.ok(&leader("ca-ag"), decide_tie("ca-ag", "ca-kg"));
    let o = round_one(&v);
    assert_eq!(o.elected, vec![u("ca-kg")]);
    assert_eq!(o.tie.unwrap().rule, Some(TieRule::DeputyWithoutHead));
    let logged = replayed(&v.w.events).unwrap();
    let e = &logged.elections[&el()];
    assert_eq!(outcome(e, &e.rounds[0]), Some(round_one(&v)));
}

/// The head and the deputy agree: their choice, as before, whoever decided first.
#[test]
fn a_tie_decided_alike_is_agreed() {
    let mut v = paper_tie(&[
        ("ca-kg", LeadershipPosition::Head),
        ("ca-ag", LeadershipPosition::Deputy),
    ]);
    v.w.ok(&leader("ca-ag"), decide_tie("ca-ag", "ca-ag"));
    assert!(round_one(&v).elected.is_empty(), "the head has not decided");
    v.w.ok(&leader("ca-kg"), decide_tie("ca-kg", "ca-ag"));
    let o = round_one(&v);
    assert_eq!(o.elected, vec![u("ca-ag")]);
    assert_eq!(o.tie.unwrap().rule, Some(TieRule::Agreed));
}

mod awards;
