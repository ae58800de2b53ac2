//! One achievement earns one award (also between votes running at once); why a member is not a
//! candidate; next year's head and deputy among next year's members; a round closed below the
//! quorum does not use up one of the two rounds; every voting-key registration is kept; an
//! election not counted is cancelled by the secretariat; one whose counted rounds left a seat
//! is concluded by the secretariat without a further round.

use super::*;
use crate::d;

/// Records `approvals` (of three ballots returned) for `round` on paper, confirmed by the
/// leaders of ca-kg and ca-hg.
fn paper_round(v: &mut Vote, id: &ElectionId, round: u32, approvals: Vec<u32>) {
    v.w.ok(
        &user("thuky"),
        vote(VoteCommand::RecordPaperCount {
            election: id.clone(),
            round,
            count: paper_count(approvals),
        }),
    );
    for unit in ["ca-kg", "ca-hg"] {
        v.w.ok(
            &leader(unit),
            vote(VoteCommand::ConfirmPaperCount {
                election: id.clone(),
                round,
                unit: u(unit),
            }),
        );
    }
}

fn opening(id: &str, award: AwardKind) -> Command {
    vote(VoteCommand::OpenElection {
        election: ElectionId::parse(id).unwrap(),
        cluster: cum(),
        year: 2024,
        award,
        title: t("Bỏ phiếu đề nghị khen thưởng năm 2024"),
        seats: 1,
        approval: Fraction { num: 4, den: 5 },
        quorum: Fraction { num: 2, den: 3 },
        trustee_threshold: 2,
    })
}

fn cancel(id: &ElectionId, reason: &str) -> Command {
    vote(VoteCommand::CancelElection {
        election: id.clone(),
        reason: t(reason),
    })
}

fn conclude(id: &ElectionId, reason: &str) -> Command {
    vote(VoteCommand::ConcludeElection {
        election: id.clone(),
        reason: t(reason),
    })
}

fn next_round(id: &ElectionId, candidates: &[&str]) -> Command {
    vote(VoteCommand::OpenSecondRound {
        election: id.clone(),
        candidates: candidates.iter().map(|c| u(c)).collect(),
    })
}

#[test]
fn a_unit_proposed_for_one_award_is_left_out_of_the_others_and_an_award_is_voted_once() {
    let mut v = election_for(AwardKind::MinistryFlag, Fraction { num: 4, den: 5 });
    let sec = user("thuky");
    paper_round(&mut v, &el(), 1, vec![3, 0]);
    assert_eq!(elected(&v.w.state.elections[&el()]), vec![u("ca-kg")]);
    let before = v.w.events.clone();
    // A Government flag's candidates leave out the unit the Ministry flag's vote proposed.
    v.w.ok(&sec, opening("co-cp-2024", AwardKind::GovernmentFlag));
    let gov = ElectionId::parse("co-cp-2024").unwrap();
    let e = &v.w.state.elections[&gov];
    assert_eq!(e.rounds[0].candidates, vec![u("ca-ag")]);
    assert_eq!(
        left_out_of(&v.w.state, e),
        vec![
            (u("ca-kg"), LeftOut::Proposed { election: el() }),
            (
                u("ca-hg"),
                LeftOut::Ineligible {
                    basis: t("Kết quả chấm điểm năm 2024")
                }
            ),
        ]
    );
    // A certificate's too, once the Government flag's vote, which may still elect An Giang,
    // is cancelled; a second certificate vote while the first is not over is refused.
    assert_eq!(
        v.w.err(&sec, opening("bk-1-2024", AwardKind::Certificate)),
        "election_candidates_open"
    );
    v.w.ok(
        &sec,
        cancel(
            &gov,
            "Mở nhầm: chờ hội nghị quyết định cờ thi đua của Chính phủ",
        ),
    );
    v.w.ok(&sec, opening("bk-1-2024", AwardKind::Certificate));
    assert_eq!(
        v.w.err(&sec, opening("bk-2-2024", AwardKind::Certificate)),
        "election_same_award_open"
    );
    // A second Ministry flag vote, the first having proposed a unit, is refused.
    assert_eq!(
        v.w.err(&sec, opening("co-bo-2-2024", AwardKind::MinistryFlag)),
        "election_same_award_done"
    );
    // Next year's head and deputy are not awards: the proposed unit is still a candidate.
    v.w.ok(&sec, opening("cum-truong-2025", AwardKind::Head));
    let head = &v.w.state.elections[&ElectionId::parse("cum-truong-2025").unwrap()];
    assert!(head.rounds[0].candidates.contains(&u("ca-kg")));
    // A log written before the rule (the proposed unit a candidate again) still replays.
    let old = appended(
        &before,
        &sec,
        Payload::Vote(VoteEvent::ElectionOpened {
            election: gov.clone(),
            cluster: cum(),
            year: 2024,
            award: AwardKind::GovernmentFlag,
            title: t("Cờ thi đua của Chính phủ năm 2024"),
            candidates: vec![u("ca-kg"), u("ca-ag")],
            seats: 1,
            approval: Fraction { num: 4, den: 5 },
            quorum: Fraction { num: 2, den: 3 },
            members: UNITS.iter().map(|x| u(x)).collect(),
            trustee_threshold: 2,
        }),
    );
    let state = replayed(&old).unwrap();
    assert_eq!(state.elections[&gov].rounds[0].candidates.len(), 2);
}

/// The cluster with standings for 2024, Kiên Giang merged into An Giang on `effective`.
fn merged_on(effective: chrono::NaiveDate) -> World {
    let mut w = World::cluster();
    for (rank, unit) in UNITS.iter().enumerate() {
        w.ok(
            &user("thuky"),
            vote(VoteCommand::RecordStanding {
                cluster: cum(),
                year: 2024,
                unit: u(unit),
                rank: rank as u32 + 1,
                eligible: true,
                basis: t("Kết quả chấm điểm năm 2024"),
            }),
        );
    }
    w.ok(
        &Actor::System,
        Command::RecordLineage {
            change: thidua_domain::model::LineageChange {
                kind: thidua_domain::model::LineageKind::Merge,
                predecessors: vec![u("ca-ag"), u("ca-kg")],
                successors: vec![u("ca-ag")],
                effective,
                decision: t("Nghị quyết sắp xếp đơn vị hành chính"),
            },
        },
    );
    w
}

#[test]
fn next_years_head_is_chosen_among_next_years_members_and_not_once_recorded() {
    let sec = user("thuky");
    // Next year's membership recorded: Kiên Giang, merged on 1/7/2025, is not in it.
    let mut w = merged_on(d(2025, 7, 1));
    w.ok(
        &Actor::System,
        Command::SetClusterYear {
            cluster: cum(),
            year: 2025,
            members: vec![u("ca-ag"), u("ca-hg")],
        },
    );
    let head = candidates(&w.state, &cum(), 2024, AwardKind::Head);
    assert_eq!(head, vec![u("ca-ag"), u("ca-hg")]);
    assert_eq!(
        left_out(&w.state, &cum(), 2024, AwardKind::Head),
        vec![(u("ca-kg"), LeftOut::NotMemberNextYear { into: None })]
    );
    // Awards are for the year's achievement: Kiên Giang stays a candidate.
    assert_eq!(
        candidates(&w.state, &cum(), 2024, AwardKind::MinistryFlag).len(),
        3
    );
    // Next year's deputy recorded (assigned by the Ministry): no deputy vote is opened.
    w.ok(
        &Actor::System,
        Command::SetClusterLeadership {
            cluster: cum(),
            year: 2025,
            position: LeadershipPosition::Deputy,
            unit: u("ca-hg"),
            method: LeadershipMethod::Assigned,
            decision: t("Quyết định phân công cụm phó năm 2025"),
        },
    );
    assert_eq!(
        w.err(&sec, opening("cum-pho-2025", AwardKind::Deputy)),
        "election_leader_recorded"
    );
    w.ok(&sec, opening("cum-truong-2025", AwardKind::Head));
    let e = &w.state.elections[&ElectionId::parse("cum-truong-2025").unwrap()];
    assert_eq!(e.rounds[0].candidates, head);
    // Next year's membership not recorded: the year's members that still exist then.
    let w = merged_on(d(2025, 1, 1));
    assert_eq!(
        candidates(&w.state, &cum(), 2024, AwardKind::Head),
        vec![u("ca-ag"), u("ca-hg")]
    );
    assert_eq!(
        left_out(&w.state, &cum(), 2024, AwardKind::Deputy),
        vec![(
            u("ca-kg"),
            LeftOut::NotMemberNextYear {
                into: Some(u("ca-ag"))
            }
        )]
    );
}

#[test]
fn a_round_closed_below_the_quorum_does_not_use_up_one_of_the_two_rounds() {
    let mut v = election();
    let sec = user("thuky");
    // Round 1 reaches the quorum and nobody passes.
    paper_round(&mut v, &el(), 1, vec![1, 1]);
    v.w.ok(&sec, next_round(&el(), &["ca-kg", "ca-ag"]));
    // Round 2's meeting lacks the quorum: one ballot of three.
    let b = v.ballot(0, 2, Selection::Approve(vec![0]));
    v.cast(0, 2, b).unwrap();
    v.close(2);
    // It held no valid ballot: the round is held again as round 3.
    v.w.ok(&sec, next_round(&el(), &["ca-kg", "ca-ag"]));
    let e = &v.w.state.elections[&el()];
    assert_eq!(e.rounds.len(), 3);
    assert!(!e.is_over());
    assert_eq!(e.rounds[2].number, 3);
    // Round 3 is counted on paper and reaches the quorum.
    paper_round(&mut v, &el(), 3, vec![1, 1]);
    // Two rounds reached the quorum: no more.
    assert_eq!(
        v.w.err(&sec, next_round(&el(), &["ca-kg", "ca-ag"])),
        "two_rounds"
    );
    assert!(v.w.state.elections[&el()].is_over());
    // The log alone gives the same election.
    let logged = replay_election(&el(), &v.w.events).unwrap().unwrap();
    assert_eq!(logged.rounds.len(), 3);
    assert_eq!(
        replayed(&v.w.events).unwrap().elections[&el()].rounds.len(),
        3
    );
}

#[test]
fn every_voting_key_registration_is_kept_with_who_made_it() {
    let mut v = election();
    let other = VoterSecret::generate(&mut v.rng);
    v.w.ok(
        &Actor::System,
        Command::RegisterUser {
            user: UserId::parse("lanhdao.kg2").unwrap(),
            display_name: t("Lãnh đạo thứ hai của Kiên Giang"),
            demo: true,
        },
    );
    v.w.ok(
        &Actor::System,
        Command::GrantRole {
            user: UserId::parse("lanhdao.kg2").unwrap(),
            role: Role::Leader { unit: u("ca-kg") },
        },
    );
    let second = Actor::User(UserId::parse("lanhdao.kg2").unwrap());
    v.w.ok(
        &second,
        vote(VoteCommand::RegisterVoterKey {
            election: el(),
            unit: u("ca-kg"),
            key: other.public(),
        }),
    );
    let e = &v.w.state.elections[&el()];
    let kg: Vec<&KeyRegistration> = e
        .key_registrations
        .iter()
        .filter(|r| r.unit == u("ca-kg"))
        .collect();
    assert_eq!(kg.len(), 2);
    assert!(!kg[0].replaced);
    assert_eq!(kg[0].by, leader("ca-kg"));
    assert!(kg[1].replaced);
    assert_eq!(kg[1].by, second);
    assert_eq!(e.voter_keys[&u("ca-kg")].0, other.public());
}

/// Two award votes running at once could elect the same unit: the second is refused while the
/// first, neither over nor cancelled, may still elect one of its candidates, naming the vote
/// and the units; head and deputy votes are not awards; a vote whose candidates the first no
/// longer shares opens.
#[test]
fn an_award_vote_is_not_opened_while_another_may_still_elect_its_candidates() {
    let mut v = election_for(AwardKind::MinistryFlag, Fraction { num: 4, den: 5 });
    let sec = user("thuky");
    let refused =
        v.w.run(&sec, opening("bk-2024", AwardKind::Certificate))
            .unwrap_err();
    assert_eq!(
        refused,
        DomainError::ElectionCandidatesOpen {
            election: "co-bo-2024".into(),
            units: "ca-kg, ca-ag".into(),
        }
    );
    assert_eq!(
        v.w.err(&sec, opening("co-cp-2024", AwardKind::GovernmentFlag)),
        "election_candidates_open"
    );
    v.w.ok(&sec, opening("cum-truong-2025", AwardKind::Head));
    // Round 1 elects Kiên Giang; round 2 may still elect An Giang.
    paper_round(&mut v, &el(), 1, vec![3, 0]);
    let e = &v.w.state.elections[&el()];
    assert!(e.is_over(), "one seat, filled");
    v.w.ok(&sec, opening("bk-2024", AwardKind::Certificate));
    let bk = &v.w.state.elections[&ElectionId::parse("bk-2024").unwrap()];
    assert_eq!(bk.rounds[0].candidates, vec![u("ca-ag")]);
}

/// The secretariat cancels an election until one of its rounds is counted, with a reason:
/// nothing about it is taken afterwards (no share decrypts its ballots), the log replays, and
/// another vote for the same award opens.
#[test]
fn an_election_not_counted_is_cancelled_by_the_secretariat_and_nothing_follows() {
    let mut v = election_for(AwardKind::MinistryFlag, Fraction { num: 4, den: 5 });
    let sec = user("thuky");
    for voter in 0..3 {
        let b = v.ballot(voter, 1, Selection::Approve(vec![0]));
        v.cast(voter, 1, b).unwrap();
    }
    v.close(1);
    v.decrypt(0, 1).unwrap();
    let reason = "Mở nhầm số đơn vị được chọn";
    assert_eq!(
        v.w.err(&leader("ca-kg"), cancel(&el(), reason)),
        "forbidden"
    );
    v.w.ok(&sec, cancel(&el(), reason));
    let e = &v.w.state.elections[&el()];
    let c = e.cancelled.as_ref().unwrap();
    assert_eq!((c.reason.as_str(), &c.by), (reason, &sec));
    assert!(e.round(1).unwrap().count.is_none() && e.is_over());
    assert!(e.current_round().is_none() && e.ceremony_step_due(&u("ca-kg")).is_none());
    assert_eq!(v.decrypt(1, 1).unwrap_err().code(), "election_cancelled");
    assert_eq!(v.w.err(&sec, cancel(&el(), reason)), "election_cancelled");
    assert_eq!(
        v.w.err(&sec, next_round(&el(), &["ca-ag"])),
        "election_cancelled"
    );
    // The log replays, and the voter's machine sees the cancellation.
    let state = replayed(&v.w.events).unwrap();
    assert!(state.elections[&el()].is_cancelled());
    let logged = replay_election(&el(), &v.w.events).unwrap().unwrap();
    assert!(logged.is_cancelled());
    // A share appended past `decide` after the cancellation does not replay.
    let share = v.shares(1, 1);
    let late = appended(
        &v.w.events,
        &leader("ca-ag"),
        Payload::Vote(VoteEvent::DecryptionPosted {
            election: el(),
            round: 1,
            unit: u("ca-ag"),
            shares: share,
        }),
    );
    assert_eq!(replayed(&late).unwrap_err().code(), "election_cancelled");
    // The same award is voted on again.
    v.w.ok(&sec, opening("co-bo-2-2024", AwardKind::MinistryFlag));
}

/// A counted round that left the seat unfilled kept the vote "not over" until a further round
/// reached the quorum: it could not be cancelled (counted), and while it ran no other award vote
/// of the year could take its candidates. The council may hold no further round: the
/// secretariat concludes the vote with its reason (not before a round is counted, not as a
/// leader), after which it is over, no round opens, the log replays to the same, and its
/// candidates stand in another award vote.
#[test]
fn a_vote_whose_counted_round_left_a_seat_is_concluded_without_a_further_round() {
    let mut v = election_for(AwardKind::MinistryFlag, Fraction { num: 4, den: 5 });
    let sec = user("thuky");
    let reason = "Hội đồng cụm quyết định không bỏ phiếu vòng 2";
    assert_eq!(v.w.err(&sec, conclude(&el(), reason)), "vote_not_counted");
    paper_round(&mut v, &el(), 1, vec![1, 1]);
    assert!(!v.w.state.elections[&el()].is_over());
    assert_eq!(
        v.w.err(&sec, opening("bk-2024", AwardKind::Certificate)),
        "election_candidates_open"
    );
    assert_eq!(v.w.err(&sec, cancel(&el(), reason)), "election_counted");
    assert_eq!(
        v.w.err(&leader("ca-kg"), conclude(&el(), reason)),
        "forbidden"
    );
    v.w.ok(&sec, conclude(&el(), reason));
    let e = &v.w.state.elections[&el()];
    let c = e.concluded.as_ref().unwrap();
    assert_eq!((c.reason.as_str(), &c.by), (reason, &sec));
    assert!(e.is_over() && !e.is_cancelled());
    assert_eq!(
        v.w.err(&sec, next_round(&el(), &["ca-kg", "ca-ag"])),
        "election_concluded"
    );
    assert_eq!(v.w.err(&sec, conclude(&el(), reason)), "election_concluded");
    let state = replayed(&v.w.events).unwrap();
    assert_eq!(state.elections[&el()], v.w.state.elections[&el()]);
    let logged = replay_election(&el(), &v.w.events).unwrap().unwrap();
    assert!(logged.concluded.is_some());
    v.w.ok(&sec, opening("bk-2024", AwardKind::Certificate));
    let bk = &v.w.state.elections[&ElectionId::parse("bk-2024").unwrap()];
    assert_eq!(bk.rounds[0].candidates, vec![u("ca-kg"), u("ca-ag")]);
}

#[test]
fn a_counted_election_is_not_cancelled() {
    let mut v = election_for(AwardKind::MinistryFlag, Fraction { num: 4, den: 5 });
    let sec = user("thuky");
    paper_round(&mut v, &el(), 1, vec![1, 1]);
    assert_eq!(
        v.w.err(&sec, cancel(&el(), "Kết quả không như mong đợi")),
        "election_counted"
    );
}

/// Why each member is not a candidate of a round, as the minutes and the election page tell
/// it: round 2 names the unit round 1 stood and was not carried on, and round 1's reasons; a
/// head's vote leaves out nobody for ineligibility.
#[test]
fn each_member_left_out_of_a_round_has_its_own_reason() {
    let mut v = election_for(AwardKind::MinistryFlag, Fraction { num: 4, den: 5 });
    let sec = user("thuky");
    let hg = (
        u("ca-hg"),
        LeftOut::Ineligible {
            basis: t("Kết quả chấm điểm năm 2024"),
        },
    );
    let e = &v.w.state.elections[&el()];
    assert_eq!(
        not_candidates(&v.w.state, e, &e.rounds[0]),
        vec![hg.clone()]
    );
    // Nobody reaches 4/5 in round 1; round 2 is between Kiên Giang alone.
    paper_round(&mut v, &el(), 1, vec![1, 1]);
    v.w.ok(&sec, next_round(&el(), &["ca-kg"]));
    let e = &v.w.state.elections[&el()];
    assert_eq!(
        not_candidates(&v.w.state, e, &e.rounds[1]),
        vec![(u("ca-ag"), LeftOut::NotCarried { round: 1 }), hg]
    );
    v.w.ok(&sec, opening("cum-truong-2025", AwardKind::Head));
    let head = &v.w.state.elections[&ElectionId::parse("cum-truong-2025").unwrap()];
    assert_eq!(not_candidates(&v.w.state, head, &head.rounds[0]), vec![]);
}
