//! What the vote papers say of counts the demonstration does not hold: paper counts recorded
//! and confirmed on top of the demonstration's state (the Government flag's election, still
//! open there, or a new election), read from the documents' text.

use chrono::NaiveDate;
use thidua_docs::model::{Block, Document};
use thidua_domain::votes::{AwardKind, Fraction, PaperCount, VoteCommand};
use thidua_domain::{decide_and_apply, Actor, ClusterId, Command, ElectionId, State, Text};
use thidua_domain::{UnitId, UserId};

use super::fixture::demo_state;

/// The demonstration's Government flag election: one seat, its round 1 open, no ballot.
pub const GOVERNMENT: &str = "co-thi-dua-chinh-phu-2024";

pub fn t(s: &str) -> Text {
    Text::parse("test", s, 500).unwrap()
}

pub fn u(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

pub fn el(s: &str) -> ElectionId {
    ElectionId::parse(s).unwrap()
}

pub fn user(s: &str) -> Actor {
    Actor::User(UserId::parse(s).unwrap())
}

pub fn secretariat() -> Actor {
    user("thuky.cum12")
}

/// The leader of a demonstration unit (`ca-kg` → `lanhdao.kg`).
pub fn leader(unit: &str) -> Actor {
    user(&format!("lanhdao.{}", &unit[3..]))
}

/// `state` after `command` by `actor`, which must be accepted.
pub fn after(state: &State, actor: &Actor, command: Command) -> State {
    decide_and_apply(state, actor, 1_796_184_700_000, command)
        .unwrap_or_else(|e| panic!("{e}"))
        .1
}

/// A paper count of the counting team, `returned` of `issued` ballots, `invalid` of them.
pub fn paper(approvals: Vec<u32>, issued: u32, returned: u32, invalid: u32) -> PaperCount {
    PaperCount {
        approvals,
        abstentions: 0,
        issued,
        returned,
        invalid,
        counting_team: vec![t("Nguyễn Văn Kiểm (trưởng ban kiểm phiếu)")],
        note: None,
    }
}

/// `state` with `count` recorded for `round` of `election` and confirmed by the leaders of
/// An Giang and Hậu Giang.
pub fn counted_on_paper(state: &State, election: &str, round: u32, count: PaperCount) -> State {
    let record = VoteCommand::RecordPaperCount {
        election: el(election),
        round,
        count,
    };
    let mut state = after(state, &secretariat(), Command::Vote(record));
    for unit in ["ca-ag", "ca-hg"] {
        let confirm = VoteCommand::ConfirmPaperCount {
            election: el(election),
            round,
            unit: u(unit),
        };
        state = after(&state, &leader(unit), Command::Vote(confirm));
    }
    state
}

/// `state` with a new election of the demonstration's 2024 year for `award`.
/// `state` with the demonstration's Government flag vote cancelled by the secretariat: still
/// open there, it may elect the units another award vote of the year would list, so no such
/// vote opens beside it (one achievement earns one award).
pub fn government_vote_cancelled(state: &State) -> State {
    let cancel = VoteCommand::CancelElection {
        election: el(GOVERNMENT),
        reason: t("Chờ Bộ Công an quyết định cờ thi đua trước (thử)"),
    };
    after(state, &secretariat(), Command::Vote(cancel))
}

/// `state` (the demonstration's) with an election of `award` opened, the Government flag vote
/// cancelled first ([`government_vote_cancelled`]).
pub fn opened(state: &State, id: &str, award: AwardKind, seats: u32, approval: Fraction) -> State {
    let state = &government_vote_cancelled(state);
    let open = VoteCommand::OpenElection {
        election: el(id),
        cluster: ClusterId::parse("cum-12").unwrap(),
        year: 2024,
        award,
        title: t("Đề nghị tặng Bằng khen năm 2024 (thử)"),
        seats,
        approval,
        quorum: Fraction { num: 2, den: 3 },
        trustee_threshold: 3,
    };
    after(state, &secretariat(), Command::Vote(open))
}

pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 30).unwrap()
}

/// The paragraphs of a document's body, each as one line.
pub fn body_text(doc: &Document) -> String {
    doc.body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(spans) => Some(spans.iter().map(|s| s.text.as_str()).collect()),
            Block::Heading(h) => Some(h.clone()),
            _ => None,
        })
        .collect::<Vec<String>>()
        .join("\n")
}

/// The minutes of `round` of `election`, as text.
pub fn minutes(state: &State, election: &str, round: u32) -> String {
    use thidua_docs::templates::vote;
    let d = vote::data(
        state,
        &el(election),
        Some(round),
        "Kiên Giang",
        date(),
        None,
    )
    .unwrap();
    body_text(&vote::document(&d))
}

/// A paper count below the quorum elects nobody: the minutes say so and name no unit as
/// chosen, and no submission is proposed from it.
#[test]
fn the_minutes_of_a_paper_count_below_the_quorum_name_nobody() {
    let state = opened(
        demo_state(),
        "bang-khen-2024",
        AwardKind::Certificate,
        1,
        Fraction { num: 1, den: 5 },
    );
    let state = counted_on_paper(&state, "bang-khen-2024", 1, paper(vec![1, 1], 5, 2, 0));
    let text = minutes(&state, "bang-khen-2024", 1);
    assert!(text.contains("không đạt túc số"), "{text}");
    assert!(!text.contains("Các đơn vị được chọn"), "{text}");
    let code = thidua_docs::templates::award::data(
        &state,
        &el("bang-khen-2024"),
        "Kiên Giang",
        date(),
        None,
    )
    .err()
    .map(|e| e.code());
    assert_eq!(code, Some("invalid_value"));
}

/// The quorum counts the ballots returned; the minutes give the valid ones apart.
#[test]
fn the_minutes_of_a_paper_count_give_returned_valid_and_invalid_ballots() {
    let state = counted_on_paper(
        demo_state(),
        GOVERNMENT,
        1,
        paper(vec![3, 0, 0, 0], 5, 4, 1),
    );
    let text = minutes(&state, GOVERNMENT, 1);
    assert!(
        text.contains("số phiếu thu về: 4; số phiếu hợp lệ: 3; số phiếu không hợp lệ: 1"),
        "{text}"
    );
    assert!(
        text.contains("số đơn vị tham gia bỏ phiếu (số phiếu thu về, kể cả phiếu không hợp lệ): 4; số đơn vị cần tham gia (túc số 2/3 tổng số thành viên): 4 — đạt."),
        "{text}"
    );
}

/// The demonstration's state with a two-seat certificate election counted on paper in two
/// rounds: Cà Mau elected in round 1, Hậu Giang in round 2 (the certificate's candidates are
/// Cà Mau and Hậu Giang: Kiên Giang and An Giang are proposed for the Ministry's flag).
fn elected_in_two_rounds() -> State {
    two_rounds(vec![5, 2], &["ca-hg"], vec![4])
}

/// [`elected_in_two_rounds`] with round 1's approvals `first`, round 2 between `second`
/// (approvals `counts`).
fn two_rounds(first: Vec<u32>, second: &[&str], counts: Vec<u32>) -> State {
    let id = "bang-khen-2024";
    let state = opened(
        demo_state(),
        id,
        AwardKind::Certificate,
        2,
        Fraction { num: 3, den: 5 },
    );
    let state = counted_on_paper(&state, id, 1, paper(first, 5, 5, 0));
    let second = VoteCommand::OpenSecondRound {
        election: el(id),
        candidates: second.iter().map(|x| u(x)).collect(),
    };
    let state = after(&state, &secretariat(), Command::Vote(second));
    counted_on_paper(&state, id, 2, paper(counts, 5, 5, 0))
}

/// The submission proposes every unit the election elected, round 1's then round 2's, and the
/// year-end report names both rounds' elected.
#[test]
fn the_submission_and_the_year_report_name_the_elected_of_both_rounds() {
    let state = elected_in_two_rounds();
    let d = thidua_docs::templates::award::data(
        &state,
        &el("bang-khen-2024"),
        "Kiên Giang",
        date(),
        None,
    )
    .unwrap();
    let names: Vec<&str> = d.proposed.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Công an tỉnh Cà Mau", "Công an tỉnh Hậu Giang"]);
    let text = body_text(&thidua_docs::templates::award::document(&d));
    assert!(text.contains("cho 02 đơn vị sau:"), "{text}");
    assert!(text.contains("vòng 1 (kết quả kiểm phiếu"), "{text}");
    assert!(text.contains(") và vòng 2 (kết quả kiểm phiếu"), "{text}");
    let covenant = thidua_domain::CovenantId::parse("giao-uoc-cum-12-2024").unwrap();
    let y =
        thidua_docs::templates::year::data(&state, &covenant, "Kiên Giang", date(), None).unwrap();
    let text = body_text(&thidua_docs::templates::year::document(&y));
    assert!(
        text.contains("Vòng 1: Công an tỉnh Cà Mau; Vòng 2: Công an tỉnh Hậu Giang"),
        "{text}"
    );
}

/// Round 2's minutes say why a round-1 candidate is not on its list (elected in round 1); a
/// member never nominated keeps its own reason.
#[test]
fn the_second_round_minutes_say_why_round_one_candidates_are_absent() {
    let text = minutes(&elected_in_two_rounds(), "bang-khen-2024", 2);
    assert!(
        text.contains("Công an tỉnh Cà Mau (đã được chọn ở vòng 1)"),
        "{text}"
    );
    assert!(
        text.contains("Công an tỉnh Bạc Liêu (đang xem xét kỷ luật"),
        "a member never nominated keeps its own reason: {text}"
    );
}

/// A unit left out because another award vote of the year proposed it is said to be so, with
/// that vote's title, not "not nominated by the published results".
#[test]
fn the_minutes_say_a_unit_proposed_for_another_award_was_proposed_there() {
    let text = minutes(&elected_in_two_rounds(), "bang-khen-2024", 1);
    let proposed = "(đã được đề nghị tại cuộc bỏ phiếu «Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024 (minh hoạ)»; mỗi thành tích chỉ được đề nghị một hình thức khen thưởng)";
    for unit in ["Công an tỉnh Kiên Giang", "Công an tỉnh An Giang"] {
        assert!(text.contains(&format!("{unit} {proposed}")), "{text}");
    }
    assert!(!text.contains("không có trong danh sách đề cử"), "{text}");
    assert!(
        text.contains("Công an tỉnh Bạc Liêu (đang xem xét kỷ luật, không đủ điều kiện"),
        "{text}"
    );
}

/// A round with an undecided tie at the cut-off is not reported as one where nobody reached
/// the threshold.
#[test]
fn the_year_report_says_a_tie_awaits_the_head_and_the_deputy() {
    let id = "bang-khen-2024";
    let state = opened(
        demo_state(),
        id,
        AwardKind::Certificate,
        1,
        Fraction { num: 2, den: 5 },
    );
    let state = counted_on_paper(&state, id, 1, paper(vec![2, 2], 5, 5, 0));
    let covenant = thidua_domain::CovenantId::parse("giao-uoc-cum-12-2024").unwrap();
    let y =
        thidua_docs::templates::year::data(&state, &covenant, "Kiên Giang", date(), None).unwrap();
    let text = body_text(&thidua_docs::templates::year::document(&y));
    assert!(
        text.contains("Vòng 1: Công an tỉnh Cà Mau, Công an tỉnh Hậu Giang bằng phiếu ở vị trí cuối (1 vị trí), chờ cụm trưởng và cụm phó quyết định"),
        "{text}"
    );
    assert!(!text.contains("không đơn vị nào đạt ngưỡng"), "{text}");
}

/// The minutes call abstentions "không biểu quyết" and count apart, for one seat, the ballots
/// that voted but approved nobody.
#[test]
fn the_minutes_tell_abstentions_from_ballots_approving_nobody() {
    let count = PaperCount {
        abstentions: 1,
        ..paper(vec![3, 0, 0, 0], 5, 5, 0)
    };
    let state = counted_on_paper(demo_state(), GOVERNMENT, 1, count);
    let text = minutes(&state, GOVERNMENT, 1);
    assert!(
        text.contains("số phiếu không biểu quyết: 1; số phiếu có biểu quyết nhưng không đồng ý đơn vị nào: 1."),
        "{text}"
    );
    assert!(!text.contains("phiếu trắng"), "{text}");
}

/// The head (Kiên Giang) and the deputy (An Giang) decide a tie between Cà Mau and Hậu Giang
/// differently: the minutes give
/// each recorded decision, that the head's prevails, and the head's choice as elected.
#[test]
fn the_minutes_say_the_heads_tie_decision_prevails() {
    let id = "bang-khen-2024";
    let state = opened(
        demo_state(),
        id,
        AwardKind::Certificate,
        1,
        Fraction { num: 2, den: 5 },
    );
    let mut state = counted_on_paper(&state, id, 1, paper(vec![2, 2], 5, 5, 0));
    for (unit, chosen) in [("ca-kg", "ca-cm"), ("ca-ag", "ca-hg")] {
        let decide = VoteCommand::DecideTie {
            election: el(id),
            round: 1,
            unit: u(unit),
            chosen: vec![u(chosen)],
            decision: t("Biên bản họp lãnh đạo cụm"),
        };
        state = after(&state, &leader(unit), Command::Vote(decide));
    }
    let text = minutes(&state, id, 1);
    for said in [
        "Đơn vị cụm trưởng Công an tỉnh Kiên Giang quyết định chọn Công an tỉnh Cà Mau (số thứ tự",
        "Đơn vị cụm phó Công an tỉnh An Giang quyết định chọn Công an tỉnh Hậu Giang (số thứ tự",
        "Quyết định của đơn vị cụm trưởng và cụm phó khác nhau; theo quyết định của đơn vị cụm trưởng. Đơn vị được chọn: Công an tỉnh Cà Mau.",
        "Các đơn vị được chọn: Công an tỉnh Cà Mau.",
    ] {
        assert!(text.contains(said), "{said}\n{text}");
    }
}

/// A paper count is cited at its own record (`paper_count_recorded`), not at the second
/// confirmation's, which is where the round became counted.
#[test]
fn the_minutes_cite_the_paper_counts_own_record() {
    let state = counted_on_paper(
        demo_state(),
        GOVERNMENT,
        1,
        paper(vec![3, 0, 0, 0], 5, 4, 1),
    );
    let r = &state.election(&el(GOVERNMENT)).unwrap().rounds[0];
    let recorded = r.paper.as_ref().unwrap().recorded_at;
    let counted = r.count.as_ref().unwrap().index;
    assert_ne!(recorded, counted);
    let text = minutes(&state, GOVERNMENT, 1);
    let cited = format!(
        "kết quả kiểm phiếu giấy ghi trong sổ thi đua ở số thứ tự {recorded}, được xác nhận bởi"
    );
    assert!(text.contains(&cited), "{cited}\n{text}");
}
