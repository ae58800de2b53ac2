//! Over HTTP, the award rules on the pages: a unit proposed for one award left out of the
//! others (and said why), one vote per award and year, an elected head worded "được bầu", a
//! paper count waiting for its confirmations said as such, a tied unit not chosen said so, a
//! round without the quorum that may be held again, every voting-key registration shown, a vote
//! cancelled, and a vote concluded without a further round.

use thidua_domain::model::Role;
use thidua_domain::{Actor, Command, ElectionId, Text, UnitId, UserId};

use super::support::{signed_in, spawn, Backend, Client, PASSWORD};
use super::vote_forms::{open_fields, paper_of, post, standings};

const CERTIFICATE: &str = "cum-12-2024-certificate";

/// The secretariat opens a vote for `award` at `approval`/5 through the form.
fn open(secretariat: &Client, award: &str, approval: &str) -> super::support::Resp {
    post(
        secretariat,
        "/clusters/cum-12/elections/new",
        &open_fields(award, "1", approval),
    )
}

fn post_owned(c: &Client, path: &str, fields: &[(String, &str)]) -> u16 {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = post(c, path, &fields);
    assert_eq!(res.status, 303, "{path}: {}", res.body);
    res.status
}

/// The leaders of Kiên Giang and An Giang confirm round 1's paper count of `id`.
fn confirm(id: &str, head: &Client, deputy: &Client) {
    for (c, u) in [(head, "ca-kg"), (deputy, "ca-ag")] {
        let res = post(
            c,
            &format!("/elections/{id}/paper/confirm"),
            &[("round", "1"), ("unit", u), ("password", PASSWORD)],
        );
        assert_eq!(res.status, 303, "{}", res.body);
    }
}

/// The head (Kiên Giang) and the deputy (An Giang) both choose Kiên Giang at round 1's tie.
fn both_choose_kien_giang(id: &str, head: &Client, deputy: &Client) {
    for (c, u) in [(head, "ca-kg"), (deputy, "ca-ag")] {
        let res = post(
            c,
            &format!("/elections/{id}/tie"),
            &[
                ("round", "1"),
                ("unit", u),
                ("c_ca-kg", "1"),
                ("decision", "Chọn Công an tỉnh Kiên Giang"),
                ("password", PASSWORD),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
    }
}

#[test]
fn awards_rules_on_the_pages() {
    let app = spawn(Backend::Sqlite).unwrap();
    standings(&app);
    let secretariat = signed_in(&app, "thuky12");
    let (head, deputy) = (signed_in(&app, "lanhdao-kg"), signed_in(&app, "lanhdao-ag"));
    let reader = signed_in(&app, "canbo-kg");
    super::votes::english(&reader);
    let res = open(&secretariat, "certificate", "2");
    assert_eq!(res.status, 303, "{}", res.body);
    post_owned(
        &secretariat,
        &format!("/elections/{CERTIFICATE}/paper"),
        &paper_of("1", &["2", "2", "1", "0"]),
    );
    // Waiting for two members' confirmations: nothing to decrypt.
    let page = head.get(&format!("/elections/{CERTIFICATE}")).body;
    assert!(
        page.contains("đã kết thúc, chờ hai thành viên xác nhận kết quả kiểm phiếu giấy"),
        "{page}"
    );
    assert!(!page.contains("chờ giải mã kết quả"), "{page}");
    let page = reader.get(&format!("/elections/{CERTIFICATE}")).body;
    assert!(
        page.contains("closed, waiting for two members to confirm the paper count"),
        "{page}"
    );
    assert!(
        !page.contains("waiting for the trustees to decrypt"),
        "{page}"
    );
    // The tie at the cut-off goes to Kiên Giang: An Giang passed, not chosen.
    confirm(CERTIFICATE, &head, &deputy);
    both_choose_kien_giang(CERTIFICATE, &head, &deputy);
    for path in [
        format!("/elections/{CERTIFICATE}"),
        format!("/elections/{CERTIFICATE}/minutes?round=1"),
    ] {
        let page = head.get(&path).body;
        assert!(
            page.contains("Đạt tỷ lệ, không được chọn"),
            "{path}: {page}"
        );
        let page = reader.get(&path).body;
        assert!(
            page.contains("Reaches the threshold, not chosen"),
            "{path}: {page}"
        );
    }
    // A second certificate vote of the year is refused, saying why.
    let res = open(&secretariat, "certificate", "2");
    assert_ne!(res.status, 303);
    assert!(
        res.body
            .contains("mỗi hình thức khen thưởng của một năm chỉ bỏ phiếu một lần"),
        "{}",
        res.body
    );
    // The Ministry flag's vote leaves Kiên Giang out, and says why.
    let res = open(&secretariat, "ministry_flag", "4");
    assert_eq!(res.status, 303, "{}", res.body);
    let flag = ElectionId::parse("cum-12-2024-ministry-flag").unwrap();
    let candidates = app.service.read().election(&flag).unwrap().rounds[0]
        .candidates
        .clone();
    assert!(!candidates.contains(&UnitId::parse("ca-kg").unwrap()));
    let page = head.get(&format!("/elections/{flag}")).body;
    assert!(page.contains("id=\"left-out\""), "{page}");
    assert!(page.contains("đã được đề nghị ở cuộc bỏ phiếu"), "{page}");
    // Next year's head, elected: "được bầu", on the election page and on /awards.
    let res = open(&secretariat, "head", "2");
    assert_eq!(res.status, 303, "{}", res.body);
    let head_vote = "cum-12-2024-head";
    post_owned(
        &secretariat,
        &format!("/elections/{head_vote}/paper"),
        &paper_of("1", &["5", "0", "0", "0", "0"]),
    );
    confirm(head_vote, &head, &deputy);
    assert!(head
        .get(&format!("/elections/{head_vote}"))
        .body
        .contains("<strong>Được bầu</strong>"));
    let awards = head.get("/awards?year=2024").body;
    assert!(awards.contains("được bầu"), "{awards}");
    assert!(reader.get("/awards?year=2024").body.contains(" elected"));
}

#[test]
fn voting_key_registrations_are_shown_and_a_changed_key_told_to_the_leader() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = super::votes::election(&app);
    let id = ElectionId::parse("co-bo-2024").unwrap();
    let e = app.service.read().election(&id).unwrap().clone();
    let kg = UnitId::parse("ca-kg").unwrap();
    let me = Actor::User(UserId::parse("lanhdao-kg").unwrap());
    app.service
        .execute(&me, Command::Vote(rehearsal.voter_key(&e, &kg)))
        .unwrap();
    let page = signed_in(&app, "lanhdao-kg")
        .get("/elections/co-bo-2024")
        .body;
    assert!(page.contains("id=\"voter-keys\""), "{page}");
    assert!(!page.contains("key-changed"), "its own first key: {page}");
    // Another holder of the unit's leadership registers a new key mid-round.
    let other = UserId::parse("lanhdao-kg-2").unwrap();
    let sys = Actor::System;
    app.service
        .execute_all(
            &sys,
            vec![
                Command::RegisterUser {
                    user: other.clone(),
                    display_name: Text::parse("t", "Người thứ hai của Kiên Giang", 100).unwrap(),
                    demo: true,
                },
                Command::GrantRole {
                    user: other.clone(),
                    role: Role::Leader { unit: kg.clone() },
                },
            ],
        )
        .unwrap();
    thidua_web::accounts::set_password(&*app.accounts, &app.service, &other, PASSWORD).unwrap();
    app.service
        .execute(
            &Actor::User(other.clone()),
            Command::Vote(rehearsal.voter_key(&e, &kg)),
        )
        .unwrap();
    let leader = signed_in(&app, "lanhdao-kg");
    let page = leader.get("/elections/co-bo-2024").body;
    assert!(page.contains("đăng ký lại, thay khoá trước"), "{page}");
    assert!(page.contains("Người thứ hai của Kiên Giang"), "{page}");
    assert!(
        page.contains("Khoá bỏ phiếu của đơn vị anh/chị đã được đăng ký lại"),
        "{page}"
    );
    let ballot = leader.get("/elections/co-bo-2024/vote?unit=ca-kg").body;
    assert!(ballot.contains("key-changed"), "{ballot}");
    assert!(
        ballot.contains("Ai đăng nhập được bằng tài khoản lãnh đạo của đơn vị"),
        "{ballot}"
    );
    // The one who changed it is not warned of its own change.
    let page = signed_in(&app, "lanhdao-kg-2")
        .get("/elections/co-bo-2024")
        .body;
    assert!(!page.contains("key-changed"), "{page}");
    // Closed without the quorum, the round may be held again.
    super::votes::close_round_one(&app, &id);
    let page = leader.get("/elections/co-bo-2024").body;
    assert!(page.contains("id=\"rerun-1\""), "{page}");
}

/// While an award vote may still elect its candidates, another award vote of the year sharing
/// them is refused, naming the vote and the units; the secretariat — only it — cancels the vote
/// opened by mistake, with a reason and the confirmation box: the page then says who cancelled
/// it and why, offers no action, a paper count is refused, and the other award vote opens.
#[test]
fn a_vote_opened_by_mistake_is_cancelled_by_the_secretariat_and_another_opens() {
    let app = spawn(Backend::Sqlite).unwrap();
    standings(&app);
    let secretariat = signed_in(&app, "thuky12");
    let head = signed_in(&app, "lanhdao-kg");
    let res = open(&secretariat, "certificate", "2");
    assert_eq!(res.status, 303, "{}", res.body);
    let res = open(&secretariat, "ministry_flag", "4");
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("Cuộc bỏ phiếu khen thưởng «Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024» chưa kết thúc và còn có thể chọn Công an tỉnh Kiên Giang, "),
        "{}",
        res.body
    );
    let page = format!("/elections/{CERTIFICATE}");
    let cancel = format!("/elections/{CERTIFICATE}/cancel");
    // A member's leader neither sees the form nor may post it.
    assert!(!head.get(&page).body.contains("id=\"cancel-election\""));
    let fields = [("reason", "Mở nhầm số đơn vị được chọn"), ("confirm", "1")];
    assert_eq!(post(&head, &cancel, &fields).status, 403);
    assert!(secretariat
        .get(&page)
        .body
        .contains(&format!("id=\"cancel-election\" href=\"{cancel}\"")));
    let form = secretariat.get(&cancel);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("name=\"confirm\""), "{}", form.body);
    // The confirmation box is required.
    let res = post(&secretariat, &cancel, &fields[..1]);
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res
        .body
        .contains("Đánh dấu ô xác nhận để huỷ cuộc bỏ phiếu."));
    let res = post(&secretariat, &cancel, &fields);
    assert_eq!(res.status, 303, "{}", res.body);
    let id = ElectionId::parse(CERTIFICATE).unwrap();
    assert!(app.service.read().election(&id).unwrap().is_cancelled());
    let body = head.get(&page).body;
    assert!(body.contains("id=\"election-cancelled\""), "{body}");
    assert!(body.contains("Cuộc bỏ phiếu đã bị huỷ bởi"), "{body}");
    assert!(
        body.contains("Lý do huỷ: <q lang=\"vi\">Mở nhầm số đơn vị được chọn</q>"),
        "{body}"
    );
    assert!(body.contains("đã huỷ"), "{body}");
    assert!(!body.contains("id=\"election-actions\""), "{body}");
    // Nothing more is taken: a paper count is refused, the form gone.
    let res = post(
        &secretariat,
        &format!("/elections/{CERTIFICATE}/paper"),
        &paper_of("1", &["2", "2", "1", "0"])
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
    );
    assert_ne!(res.status, 303, "{}", res.body);
    // The history names the cancellation and its reason.
    let history = secretariat.get("/history?kind=election_cancelled").body;
    assert!(history.contains("Mở nhầm số đơn vị được chọn"), "{history}");
    // The other award vote opens now.
    let res = open(&secretariat, "ministry_flag", "4");
    assert_eq!(res.status, 303, "{}", res.body);
}

/// A certificate vote whose counted round chose nobody kept every other award vote of its
/// candidates out (and, counted, could not be cancelled) until a further round: the secretariat
/// concludes it on its page with a reason and a confirmation, the election page says so and
/// offers no further round, the history names it, and the Ministry flag's vote opens.
#[test]
fn a_vote_is_concluded_without_a_further_round_and_another_opens() {
    let app = spawn(Backend::Sqlite).unwrap();
    standings(&app);
    let secretariat = signed_in(&app, "thuky12");
    let (head, deputy) = (signed_in(&app, "lanhdao-kg"), signed_in(&app, "lanhdao-ag"));
    let res = open(&secretariat, "certificate", "4");
    assert_eq!(res.status, 303, "{}", res.body);
    post_owned(
        &secretariat,
        &format!("/elections/{CERTIFICATE}/paper"),
        &paper_of("1", &["2", "2", "1", "0"]),
    );
    confirm(CERTIFICATE, &head, &deputy);
    assert_eq!(open(&secretariat, "ministry_flag", "4").status, 422);
    let page = format!("/elections/{CERTIFICATE}");
    let conclude = format!("/elections/{CERTIFICATE}/conclude");
    assert!(!head.get(&page).body.contains("id=\"conclude-election\""));
    let fields = [
        ("reason", "Hội đồng cụm không bỏ phiếu vòng 2"),
        ("confirm", "1"),
    ];
    assert_eq!(post(&head, &conclude, &fields).status, 403);
    assert!(secretariat
        .get(&page)
        .body
        .contains(&format!("id=\"conclude-election\" href=\"{conclude}\"")));
    let form = secretariat.get(&conclude);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains("id=\"conclude-confirm\""),
        "{}",
        form.body
    );
    let res = post(&secretariat, &conclude, &fields[..1]);
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res
        .body
        .contains("Đánh dấu ô xác nhận để kết thúc cuộc bỏ phiếu."));
    let res = post(&secretariat, &conclude, &fields);
    assert_eq!(res.status, 303, "{}", res.body);
    let body = secretariat.get(&page).body;
    assert!(body.contains("id=\"election-concluded\""), "{body}");
    assert!(
        body.contains("Lý do kết thúc: <q lang=\"vi\">Hội đồng cụm không bỏ phiếu vòng 2</q>"),
        "{body}"
    );
    assert!(body.contains("đã kết thúc, không mở thêm vòng"), "{body}");
    assert!(!body.contains("id=\"open-second-round\""), "{body}");
    assert_eq!(secretariat.get(&conclude).status, 409);
    let history = secretariat.get("/history?kind=election_concluded").body;
    assert!(
        history.contains("Hội đồng cụm không bỏ phiếu vòng 2"),
        "{history}"
    );
    let res = open(&secretariat, "ministry_flag", "4");
    assert_eq!(res.status, 303, "{}", res.body);
}

/// The Ministry's department, which sees every cluster, reads the year's Government-flag
/// proposals against the guide (about a fifth of the units ranked first): Cluster 12 proposes
/// Kiên Giang while no cluster has published its results, so the proposal exceeds the guide and
/// the page says to review it; the cluster's secretariat, which sees one cluster, is not shown
/// a Ministry-wide guide.
#[test]
fn the_ministry_reads_the_government_flag_proposals_against_the_guide() {
    let app = spawn(Backend::Sqlite).unwrap();
    standings(&app);
    let secretariat = signed_in(&app, "thuky12");
    let (head, deputy) = (signed_in(&app, "lanhdao-kg"), signed_in(&app, "lanhdao-ag"));
    let ministry = signed_in(&app, "giamsat-bo");
    assert!(ministry.get("/api/v1/awards?year=2024").json()["government_flag"].is_null());
    let res = open(&secretariat, "government_flag", "4");
    assert_eq!(res.status, 303, "{}", res.body);
    let id = "cum-12-2024-government-flag";
    post_owned(
        &secretariat,
        &format!("/elections/{id}/paper"),
        &paper_of("1", &["5", "0", "0", "0"]),
    );
    confirm(id, &head, &deputy);
    let api = ministry.get("/api/v1/awards?year=2024").json();
    assert_eq!(
        api["government_flag"],
        serde_json::json!({"leaders": 0, "proposed": 1, "guide": "0", "over": true}),
        "{api}"
    );
    let page = ministry.get("/awards?year=2024").body;
    let guide = super::support::element_text(&page, "government-flag-guide", "div");
    assert!(
        guide.contains("Cờ thi đua của Chính phủ: các cụm đề nghị 1 đơn vị.")
            && guide.contains("khoảng 20% số đơn vị dẫn đầu cụm")
            && guide.contains("Số đề nghị vượt hướng dẫn"),
        "{guide}"
    );
    assert!(page.contains("class=\"notice warn\" id=\"government-flag-guide\""));
    let own = secretariat.get("/api/v1/awards?year=2024").json();
    assert!(own["government_flag"].is_null(), "{own}");
    assert!(!secretariat
        .get("/awards?year=2024")
        .body
        .contains("government-flag-guide"));
}
