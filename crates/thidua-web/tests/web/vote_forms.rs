//! Running a vote through the web forms, over HTTP on SQLite and PostgreSQL: the cluster page
//! lists the elections; the secretariat opens an election (the candidates shown in rank order
//! first, a mistyped form answered beside its fields), a leader cannot (403); the secretariat
//! closes round 1 (nobody voted: not counted), opens round 2, records a paper count that two
//! members' leaders confirm; a tie at the cut-off is decided by the head and the deputy; a
//! member of another cluster gets 404 on every new page and form. In Chromium
//! (`browser_vote_forms`): the same flow through the pages without script, with their pictures
//! at 1366 and 390 px.

use thidua_domain::votes::VoteCommand;
use thidua_domain::{Actor, ClusterId, Command, ElectionId, Text, UnitId, UserId};

use super::browser::Browser;
use super::support::{signed_in, spawn, spawn_at, Backend, Client, Resp, TestApp, PASSWORD};

const ELECTION: &str = "cum-12-2024-ministry-flag";
const UNITS: [&str; 5] = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];

/// The 2024 standings of Cluster No. 12 (Bạc Liêu not eligible), recorded by its secretariat.
pub(super) fn standings(app: &TestApp) {
    let secretariat = Actor::User(UserId::parse("thuky12").unwrap());
    for (rank, u) in UNITS.iter().enumerate() {
        app.service
            .execute(
                &secretariat,
                Command::Vote(VoteCommand::RecordStanding {
                    cluster: ClusterId::parse("cum-12").unwrap(),
                    year: 2024,
                    unit: UnitId::parse(u).unwrap(),
                    rank: rank as u32 + 1,
                    eligible: *u != "ca-bl",
                    basis: Text::parse("basis", "Kết quả chấm điểm năm 2024", 500).unwrap(),
                }),
            )
            .unwrap();
    }
}

fn csrf(c: &Client) -> String {
    c.get("/account").csrf()
}

pub(super) fn post(c: &Client, path: &str, fields: &[(&str, &str)]) -> Resp {
    let token = csrf(c);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    c.post_form(path, &all)
}

pub(super) fn open_fields<'a>(
    award: &'a str,
    seats: &'a str,
    approval: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("year", "2024"),
        ("award", award),
        ("title", "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024"),
        ("seats", seats),
        ("approval_num", approval),
        ("approval_den", "5"),
        ("quorum_num", "2"),
        ("quorum_den", "3"),
        ("threshold", "3"),
    ]
}

pub(super) fn paper_fields<'a>(round: &'a str, approvals: [&'a str; 4]) -> Vec<(&'a str, &'a str)> {
    vec![
        ("round", round),
        ("a-0", approvals[0]),
        ("a-1", approvals[1]),
        ("a-2", approvals[2]),
        ("a-3", approvals[3]),
        ("blank", "0"),
        ("issued", "5"),
        ("returned", "5"),
        ("invalid", "0"),
        ("team", "Nguyễn Văn A, Trưởng ban\nTrần Thị B, Thành viên"),
        ("note", ""),
        ("confirmed", "1"),
        ("password", PASSWORD),
    ]
}

/// The paper count's form for `round` with one approval count per candidate, however many.
pub(super) fn paper_of<'a>(round: &'a str, approvals: &[&'a str]) -> Vec<(String, &'a str)> {
    let mut fields: Vec<(String, &str)> = paper_fields(round, ["0"; 4])
        .into_iter()
        .filter(|(k, _)| !k.starts_with("a-"))
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    for (i, a) in approvals.iter().enumerate() {
        fields.push((format!("a-{i}"), a));
    }
    fields
}

/// The secretariat opens a certificate vote for one unit at 2 of 5 and records its paper count,
/// which the head's (Kiên Giang) and the deputy's (An Giang) leaders confirm: the two tie at
/// the cut-off with 2 approvals each (any other candidate has 1, then none). The election's id.
pub(super) fn paper_tie(
    app: &TestApp,
    secretariat: &Client,
    head: &Client,
    deputy: &Client,
) -> &'static str {
    let tie_id = "cum-12-2024-certificate";
    let res = post(
        secretariat,
        "/clusters/cum-12/elections/new",
        &open_fields("certificate", "1", "2"),
    );
    assert_eq!(res.status, 303, "{}", res.body);
    let candidates = app
        .service
        .read()
        .election(&ElectionId::parse(tie_id).unwrap())
        .unwrap()
        .rounds[0]
        .candidates
        .clone();
    let mut others = ["1", "0"].into_iter();
    let approvals: Vec<&str> = candidates
        .iter()
        .map(|c| match c.as_str() {
            "ca-kg" | "ca-ag" => "2",
            _ => others.next().unwrap_or("0"),
        })
        .collect();
    let fields = paper_of("1", &approvals);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = post(secretariat, &format!("/elections/{tie_id}/paper"), &fields);
    assert_eq!(res.status, 303, "{}", res.body);
    for (c, u) in [(head, "ca-kg"), (deputy, "ca-ag")] {
        let res = post(
            c,
            &format!("/elections/{tie_id}/paper/confirm"),
            &[("round", "1"), ("unit", u), ("password", PASSWORD)],
        );
        assert_eq!(res.status, 303, "{}", res.body);
    }
    tie_id
}

/// The election page and the round's minutes both state the rule that decided the tie (and the
/// deputy's part in it), and no longer that it waits.
fn says_how_the_tie_was_decided(c: &Client, tie_id: &str, rule: &str) {
    for path in [
        format!("/elections/{tie_id}"),
        format!("/elections/{tie_id}/minutes?round=1"),
    ] {
        let page = c.get(&path);
        assert!(page.body.contains(rule), "{path}: {}", page.body);
        assert!(!page.body.contains("tie-waiting"), "{path}: {}", page.body);
        assert!(page.body.contains("Cụm phó"), "{path}: {}", page.body);
    }
}

/// `fields` with the password typed again (step-up) replaced by `password`.
fn with_password<'a>(fields: &[(&'a str, &'a str)], password: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = fields
        .iter()
        .filter(|(k, _)| *k != "password")
        .copied()
        .collect();
    out.push(("password", password));
    out
}

fn vote_forms(app: &TestApp) {
    let secretariat = signed_in(app, "thuky12");
    let id = ElectionId::parse(ELECTION).unwrap();
    // The secretariat's home asks to open the vote once the year's candidates are known, and
    // links to the opening form of that year.
    let open_todo = "href=\"/clusters/cum-12/elections/new?year=2024\"";
    assert!(!secretariat.get("/").body.contains(open_todo));
    standings(app);
    let home = secretariat.get("/");
    assert!(home.body.contains(open_todo), "{}", home.body);
    assert!(
        home.body.contains("đã có kết quả năm 2024"),
        "{}",
        home.body
    );
    assert!(!signed_in(app, "lanhdao-kg")
        .get("/")
        .body
        .contains(open_todo));

    // The cluster page's section, with the secretariat's link to the form.
    let cluster = secretariat.get("/clusters/cum-12?year=2024");
    assert_eq!(cluster.status, 200);
    assert!(cluster.body.contains("id=\"votes\""), "{}", cluster.body);
    assert!(cluster.body.contains("Chưa có cuộc bỏ phiếu nào"));
    assert!(cluster
        .body
        .contains("href=\"/clusters/cum-12/elections/new?year=2024\""));

    // The form shows the candidates in rank order before opening, and the defaults.
    let form = secretariat.get("/clusters/cum-12/elections/new?year=2024");
    assert_eq!(form.status, 200, "{}", form.body);
    let list = form.body.split("id=\"nominees\"").nth(1).unwrap();
    let list = list.split("</ol>").next().unwrap();
    let at = |name: &str| {
        list.find(name)
            .unwrap_or_else(|| panic!("{name} in {list}"))
    };
    assert!(at("Kiên Giang") < at("An Giang") && at("An Giang") < at("Hậu Giang"));
    assert!(at("Hậu Giang") < at("Cà Mau") && !list.contains("Bạc Liêu"));
    assert!(form
        .body
        .contains("name=\"approval_num\" inputmode=\"numeric\" value=\"4\""));
    assert!(form
        .body
        .contains("name=\"quorum_den\" inputmode=\"numeric\" value=\"3\""));
    // The decryption threshold's hint says what the rule accepts: 2 trustees at least.
    let hint = form.body.split("id=\"threshold-help\">").nth(1).unwrap();
    let hint = hint.split("</p>").next().unwrap();
    assert!(hint.contains("từ 2 đến số thành viên"), "{hint}");

    // Mistakes are told beside their fields, with the error summary; nothing is opened.
    let mut bad = open_fields("ministry_flag", "9", "6");
    bad[8] = ("threshold", "0");
    let res = post(&secretariat, "/clusters/cum-12/elections/new", &bad);
    assert_eq!(res.status, 422, "{}", res.body);
    for field in ["seats", "approval_num", "threshold"] {
        assert!(
            res.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            res.body
        );
    }
    assert!(res.body.contains("aria-invalid=\"true\"") && res.body.contains("error-summary"));
    let summary = &res.body[res.body.find("id=\"error-summary\"").unwrap()..];
    assert!(
        summary.contains("<a href=\"#approval_num\">Tỷ lệ đồng ý cần có — Tử số: "),
        "each summary entry says where it is: {summary}"
    );
    assert!(app.service.read().elections.is_empty());
    // Terms under which the ballot would not be secret are refused beside their field: one
    // trustee alone decrypting, a quorum under half the members; so is a flag's approval
    // below 80% of the total membership (1/5 here).
    for (field, value, id, says) in [
        (
            "approval_num",
            "1",
            "approval_num",
            "ít nhất 80% tổng số thành viên",
        ),
        ("threshold", "1", "threshold", "Từ 2 đến số thành viên"),
        ("quorum_num", "1", "quorum_num", "từ một nửa số thành viên"),
    ] {
        let mut weak = open_fields("ministry_flag", "2", "4");
        for f in weak.iter_mut().filter(|f| f.0 == field) {
            f.1 = value;
        }
        let res = post(&secretariat, "/clusters/cum-12/elections/new", &weak);
        assert_eq!(res.status, 422, "{field}: {}", res.body);
        let error = res.body.split(&format!("id=\"{id}-error\"")).nth(1);
        let error = error.and_then(|e| e.split("</p>").next());
        assert!(
            error.is_some_and(|e| e.contains(says)),
            "{field}: {}",
            res.body
        );
    }
    assert!(app.service.read().elections.is_empty());

    // A leader of a member unit may see the cluster but not open a vote.
    let leader = signed_in(app, "lanhdao-kg");
    assert_eq!(
        leader
            .get("/clusters/cum-12/elections/new?year=2024")
            .status,
        403
    );
    let res = post(
        &leader,
        "/clusters/cum-12/elections/new",
        &open_fields("ministry_flag", "2", "4"),
    );
    assert_eq!(res.status, 403, "{}", res.body);
    assert!(app.service.read().elections.is_empty());

    // The secretariat opens it.
    let res = post(
        &secretariat,
        "/clusters/cum-12/elections/new",
        &open_fields("ministry_flag", "2", "4"),
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        res.header("location"),
        Some(format!("/elections/{ELECTION}?saved=1").as_str())
    );
    assert!(
        !secretariat.get("/").body.contains(open_todo),
        "opened: no longer a to-do"
    );
    {
        let state = app.service.read();
        let e = state.election(&id).unwrap();
        assert_eq!((e.seats, e.approval.num, e.approval.den), (2, 4, 5));
        assert_eq!((e.quorum.num, e.quorum.den, e.trustee_threshold), (2, 3, 3));
        assert_eq!(e.rounds[0].candidates.len(), 4);
    }
    let page = secretariat.get(&format!("/elections/{ELECTION}?saved=1"));
    assert!(
        page.body.contains("Đang tạo khoá bỏ phiếu"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"close-round\"") && page.body.contains("id=\"enter-paper\""));
    assert!(
        page.body
            .contains("chờ các đơn vị giữ khoá tạo khoá bỏ phiếu, chưa nhận phiếu"),
        "before the key exists, the round does not say it takes ballots: {}",
        page.body
    );
    let listed = leader.get("/clusters/cum-12?year=2024");
    assert!(listed
        .body
        .contains(&format!("href=\"/elections/{ELECTION}\"")));
    assert!(
        !listed.body.contains("id=\"open-election\""),
        "no link for a leader"
    );

    // Closing asks first; nobody voted, so the round is closed without a count.
    let confirm = secretariat.get(&format!("/elections/{ELECTION}/close"));
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("id=\"quorum-warning\""));
    assert_eq!(
        post(
            &leader,
            &format!("/elections/{ELECTION}/close"),
            &[("round", "1")]
        )
        .status,
        403
    );
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/close"),
        &[("round", "1")],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(app.service.read().election(&id).unwrap().rounds[0]
        .closed_at
        .is_some());
    // Closing it again: the round is no longer open (a page saying so, with the way back to
    // the vote, not a crash).
    let again = post(
        &secretariat,
        &format!("/elections/{ELECTION}/close"),
        &[("round", "1")],
    );
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again
            .body
            .contains(&format!("href=\"/elections/{ELECTION}\" id=\"error-back\"")),
        "back to the vote, not only home: {}",
        again.body
    );

    // The awards say the vote is not over: a second round may follow (not "no unit reached
    // the threshold").
    let awards = secretariat.get("/api/v1/awards?year=2024").json();
    let vote = awards["clusters"][0]["elections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == ELECTION)
        .cloned()
        .unwrap();
    assert_eq!(vote["status"], "second_round", "{awards}");
    let page = secretariat.get("/awards?year=2024").body;
    assert!(
        page.contains("vòng 1 chưa chọn đủ, có thể mở vòng 2"),
        "{page}"
    );
    // Round 2, where the domain allows it: round 1's candidates, all ticked. Round 1 filled no
    // seat, so the secretariat's home asks for it.
    let second_todo = format!("href=\"/elections/{ELECTION}/second-round\"");
    let home = secretariat.get("/");
    assert!(home.body.contains(&second_todo), "{}", home.body);
    assert!(
        home.body.contains("chưa chọn đủ số đơn vị"),
        "{}",
        home.body
    );
    assert!(!leader.get("/").body.contains(&second_todo));
    let page = secretariat.get(&format!("/elections/{ELECTION}"));
    assert!(
        page.body.contains("id=\"open-second-round\""),
        "{}",
        page.body
    );
    let second = secretariat.get(&format!("/elections/{ELECTION}/second-round"));
    assert_eq!(second.status, 200);
    assert_eq!(second.body.matches("checked").count(), 4, "{}", second.body);
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/second-round"),
        &[
            ("c_ca-kg", "1"),
            ("c_ca-ag", "1"),
            ("c_ca-hg", "1"),
            ("c_ca-cm", "1"),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(app.service.read().election(&id).unwrap().rounds.len(), 2);
    assert!(!secretariat.get("/").body.contains(&second_todo));

    // A paper count: a mistake beside its field, then recorded.
    let mut wrong = paper_fields("2", ["1", "0", "5", "4"]);
    wrong[7] = ("returned", "6");
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/paper"),
        &wrong,
    );
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("id=\"returned-error\""), "{}", res.body);
    // An empty cell asks for a count that may be 0, and the summary lists the messages in the
    // page's order although the first field's (a count over the valid ballots) is found last.
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/paper"),
        &paper_fields("2", ["6", "", "1", "0"]),
    );
    assert_eq!(res.status, 422, "{}", res.body);
    let summary = &res.body[res.body.find("id=\"error-summary\"").unwrap()..];
    let (first, second) = (
        summary.find("href=\"#a-0\"").unwrap(),
        summary.find("href=\"#a-1\"").unwrap(),
    );
    assert!(first < second, "{summary}");
    assert!(
        res.body.contains("Nhập một số nguyên không âm (0, 1, 2…)."),
        "{}",
        res.body
    );
    assert_eq!(
        post(
            &leader,
            &format!("/elections/{ELECTION}/paper"),
            &paper_fields("2", ["1", "0", "5", "4"])
        )
        .status,
        403
    );
    // A valid count is shown once more (it closes the round; only withdrawn before two confirm).
    let mut unconfirmed = paper_fields("2", ["1", "0", "5", "4"]);
    unconfirmed.truncate(unconfirmed.len() - 2);
    let review = post(
        &secretariat,
        &format!("/elections/{ELECTION}/paper"),
        &unconfirmed,
    );
    assert_eq!(review.status, 200, "{}", review.body);
    assert!(review.body.contains("id=\"paper-confirm-submit\""));
    assert!(
        review.body.contains("id=\"paper-password\""),
        "recording asks for the password again"
    );
    assert!(app.service.read().election(&id).unwrap().rounds[1]
        .paper
        .is_none());
    let mut edit = unconfirmed.clone();
    edit.push(("edit", "1"));
    let back = post(&secretariat, &format!("/elections/{ELECTION}/paper"), &edit);
    assert_eq!(back.status, 200);
    assert!(back.body.contains("id=\"paper-form\"") && back.body.contains("Trần Thị B"));
    // Without the password again, or with a wrong one, nothing is recorded: the review again,
    // the message beside the password field.
    let wrong = with_password(
        &paper_fields("2", ["1", "0", "5", "4"]),
        "không phải mật khẩu",
    );
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/paper"),
        &wrong,
    );
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("id=\"paper-password-error\""),
        "{}",
        res.body
    );
    assert!(res.body.contains("id=\"paper-review\""), "{}", res.body);
    assert!(res.body.contains("Mật khẩu không đúng."), "{}", res.body);
    assert!(app.service.read().election(&id).unwrap().rounds[1]
        .paper
        .is_none());
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/paper"),
        &paper_fields("2", ["1", "0", "5", "4"]),
    );
    assert_eq!(res.status, 303, "{}", res.body);
    // The history tells each candidate's approvals by its name, in the round's order.
    let first = {
        let state = app.service.read();
        let round = &state.election(&id).unwrap().rounds[1];
        state.units[&round.candidates[0]].name.to_string()
    };
    let history = secretariat.get("/history?kind=paper_count_recorded").body;
    assert!(
        history.contains(&format!("{first}</a>: 1;")),
        "{first}: {history}"
    );

    // One member confirms it, then the secretariat withdraws it with a reason (beside the
    // field when missing; a leader may not) and enters it again, unconfirmed.
    let withdraw = format!("/elections/{ELECTION}/paper/withdraw");
    let res = post(
        &leader,
        &format!("/elections/{ELECTION}/paper/confirm"),
        &[("round", "2"), ("unit", "ca-kg"), ("password", PASSWORD)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(!leader
        .get(&format!("/elections/{ELECTION}"))
        .body
        .contains("id=\"withdraw-paper\""));
    let page = secretariat.get(&format!("/elections/{ELECTION}"));
    assert!(
        page.body.contains(&format!("href=\"{withdraw}\"")),
        "{}",
        page.body
    );
    let form = secretariat.get(&withdraw);
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"reason\"") && form.body.contains("Nguyễn Văn A"));
    assert_eq!(leader.get(&withdraw).status, 403);
    assert_eq!(
        post(&leader, &withdraw, &[("round", "2"), ("reason", "Sai")]).status,
        403
    );
    let res = post(&secretariat, &withdraw, &[("round", "2"), ("reason", "  ")]);
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("id=\"reason-error\""), "{}", res.body);
    let reason = "Nhập nhầm; kiểm lại theo biên bản";
    let res = post(
        &secretariat,
        &withdraw,
        &[("round", "2"), ("reason", reason)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    {
        let state = app.service.read();
        let r = &state.election(&id).unwrap().rounds[1];
        assert!(r.paper.is_none() && r.count.is_none() && r.closed_at.is_some());
        assert_eq!(r.withdrawn[0].reason.as_str(), reason);
    }
    let page = secretariat.get(&format!("/elections/{ELECTION}"));
    assert!(page.body.contains("id=\"enter-paper\""), "{}", page.body);
    assert!(!page.body.contains("id=\"withdraw-paper\""));
    let history = secretariat.get("/history?kind=paper_count_withdrawn");
    assert!(history.body.contains(reason), "{}", history.body);
    let res = post(
        &secretariat,
        &format!("/elections/{ELECTION}/paper"),
        &paper_fields("2", ["1", "0", "5", "4"]),
    );
    assert_eq!(res.status, 303, "{}", res.body);

    // Two members' leaders confirm it; the secretariat cannot, nor a leader for another unit.
    let page = leader.get(&format!("/elections/{ELECTION}"));
    assert!(
        page.body.contains(&format!(
            "href=\"/elections/{ELECTION}/paper/confirm?unit=ca-kg\""
        )),
        "{}",
        page.body
    );
    let home = leader.get("/");
    assert!(
        home.body.contains(&format!(
            "href=\"/elections/{ELECTION}/paper/confirm?unit=ca-kg\""
        )),
        "the home page asks for the confirmation: {}",
        home.body
    );
    let confirm = leader.get(&format!("/elections/{ELECTION}/paper/confirm?unit=ca-kg"));
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("Nguyễn Văn A, Trưởng ban"));
    assert!(confirm.body.contains("id=\"confirm-password\""));
    // A confirmation binds the unit: without the password again, nothing is recorded.
    let res = post(
        &leader,
        &format!("/elections/{ELECTION}/paper/confirm"),
        &[("round", "2"), ("unit", "ca-kg"), ("password", "đoán sai")],
    );
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("id=\"confirm-password-error\""),
        "{}",
        res.body
    );
    assert!(app.service.read().election(&id).unwrap().rounds[1]
        .paper
        .as_ref()
        .unwrap()
        .confirmations
        .is_empty());
    assert_eq!(
        secretariat
            .get(&format!("/elections/{ELECTION}/paper/confirm"))
            .status,
        403
    );
    assert_eq!(
        post(
            &leader,
            &format!("/elections/{ELECTION}/paper/confirm"),
            &[("round", "2"), ("unit", "ca-ag")]
        )
        .status,
        403
    );
    for (c, u) in [(&leader, "ca-kg"), (&signed_in(app, "lanhdao-ag"), "ca-ag")] {
        let res = post(
            c,
            &format!("/elections/{ELECTION}/paper/confirm"),
            &[("round", "2"), ("unit", u), ("password", PASSWORD)],
        );
        assert_eq!(res.status, 303, "{u}: {}", res.body);
    }
    let count = app.service.read().election(&id).unwrap().rounds[1]
        .count
        .clone()
        .expect("counted on paper");
    assert!(count.paper);
    // Hậu Giang and Cà Mau are proposed for the flag, so the certificate vote below is
    // among Kiên Giang and An Giang (one achievement earns one award).
    assert_eq!(count.approvals, vec![1, 0, 5, 4]);
    let page = leader.get(&format!("/elections/{ELECTION}"));
    assert!(page.body.contains("Vòng 2: đã kiểm phiếu"), "{}", page.body);
    assert!(
        page.body
            .contains("data-label=\"Tỷ lệ trên tổng số thành viên\">80%</td>"),
        "{}",
        page.body
    );
    let cluster = secretariat.get("/clusters/cum-12?year=2024");
    assert!(
        cluster.body.contains("Vòng 2: đã kiểm phiếu"),
        "{}",
        cluster.body
    );

    // A tie at the cut-off: a certificate for one unit at 2/5, Kiên Giang and An Giang both
    // with 2 approvals; the head (Kiên Giang) and the deputy (An Giang) decide.
    let deputy = signed_in(app, "lanhdao-ag");
    let tie_id = paper_tie(app, &secretariat, &leader, &deputy);
    let page = leader.get(&format!("/elections/{tie_id}"));
    assert!(
        page.body
            .contains(&format!("href=\"/elections/{tie_id}/tie?unit=ca-kg\"")),
        "{}",
        page.body
    );
    // Counted on paper: said so, not every unit listed as not voting.
    assert!(
        page.body.contains(
            "Vòng này kiểm phiếu giấy tại hội nghị, không bỏ phiếu điện tử. Số phiếu thu về: 5 trên 5 phiếu phát ra."
        ),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Chưa bỏ phiếu"), "{}", page.body);
    // The minutes say what `thidua verify` checks of a paper count, not the ballots.
    let minutes = leader.get(&format!("/elections/{tie_id}/minutes?round=1"));
    assert!(
        minutes.body.contains("hai xác nhận của hai thành viên"),
        "{}",
        minutes.body
    );
    assert!(!minutes.body.contains("từng phiếu"), "{}", minutes.body);
    assert!(leader
        .get("/")
        .body
        .contains(&format!("href=\"/elections/{tie_id}/tie?unit=ca-kg\"")));
    let tie = leader.get(&format!("/elections/{tie_id}/tie?unit=ca-kg"));
    assert_eq!(tie.status, 200, "{}", tie.body);
    assert!(tie.body.contains("id=\"tie-password\""));
    // Choosing both is refused beside the choice; the secretariat may not decide.
    let res = post(
        &leader,
        &format!("/elections/{tie_id}/tie"),
        &[
            ("round", "1"),
            ("unit", "ca-kg"),
            ("c_ca-kg", "1"),
            ("c_ca-ag", "1"),
            ("decision", "Biên bản họp cụm trưởng, cụm phó"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(res.status, 422);
    assert!(res.body.contains("id=\"tie-candidates-error\""));
    // A valid choice without the password again is not recorded.
    let res = post(
        &leader,
        &format!("/elections/{tie_id}/tie"),
        &[
            ("round", "1"),
            ("unit", "ca-kg"),
            ("c_ca-ag", "1"),
            ("decision", "Biên bản họp cụm trưởng, cụm phó"),
            ("password", "đoán sai"),
        ],
    );
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        res.body.contains("id=\"tie-password-error\""),
        "{}",
        res.body
    );
    assert!(app
        .service
        .read()
        .election(&ElectionId::parse(tie_id).unwrap())
        .unwrap()
        .rounds[0]
        .ties
        .is_empty());
    assert_eq!(
        secretariat.get(&format!("/elections/{tie_id}/tie")).status,
        403
    );
    // The head chooses Kiên Giang, the deputy An Giang: the head's decision prevails.
    let decide = |c: &Client, unit: &str, chosen: &str| {
        let ticked = format!("c_{chosen}");
        post(
            c,
            &format!("/elections/{tie_id}/tie"),
            &[
                ("round", "1"),
                ("unit", unit),
                (ticked.as_str(), "1"),
                ("decision", "Biên bản họp cụm trưởng, cụm phó"),
                ("password", PASSWORD),
            ],
        )
    };
    let res = decide(&leader, "ca-kg", "ca-kg");
    assert_eq!(res.status, 303, "{}", res.body);
    // Decided: the head is offered no form again, on the election page or the tie page, and
    // sees the decision recorded; posting again is refused with the page.
    let page = leader.get(&format!("/elections/{tie_id}"));
    assert!(
        !page.body.contains("class=\"button primary tie-link\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Các quyết định đã ghi"), "{}", page.body);
    // The deputy has not decided: the page says from which day the head's decision may stand
    // alone (a week after the day of the count).
    let count_ms = app
        .service
        .read()
        .election(&ElectionId::parse(tie_id).unwrap())
        .unwrap()
        .rounds[0]
        .count
        .as_ref()
        .unwrap()
        .time_ms;
    let counted = thidua_domain::figures::local_date(count_ms);
    let from = counted + chrono::Duration::days(thidua_domain::votes::TIE_WAIT_DAYS);
    let waiting = format!(
        "Nếu đến ngày {} cụm phó vẫn chưa ghi quyết định",
        from.format("%d/%m/%Y")
    );
    assert!(page.body.contains(&waiting), "{waiting}: {}", page.body);
    let tie = leader.get(&format!("/elections/{tie_id}/tie?unit=ca-kg"));
    assert_eq!(tie.status, 200, "{}", tie.body);
    assert!(!tie.body.contains("id=\"tie-password\""), "{}", tie.body);
    assert!(tie.body.contains("id=\"tie-already\""), "{}", tie.body);
    assert!(
        tie.body.contains("<strong>Cụm trưởng</strong>"),
        "{}",
        tie.body
    );
    let res = decide(&leader, "ca-kg", "ca-ag");
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(!res.body.contains("id=\"tie-password\""), "{}", res.body);
    let tie = deputy.get(&format!("/elections/{tie_id}/tie?unit=ca-ag"));
    assert!(tie.body.contains("id=\"tie-password\""), "{}", tie.body);
    let res = decide(&deputy, "ca-ag", "ca-ag");
    assert_eq!(res.status, 303, "{}", res.body);
    let state = app.service.read();
    let e = state.election(&ElectionId::parse(tie_id).unwrap()).unwrap();
    let o = thidua_domain::votes::outcome(e, &e.rounds[0]).unwrap();
    assert_eq!(o.elected, vec![UnitId::parse("ca-kg").unwrap()]);
    drop(state);
    let prevails =
        "Quyết định của cụm trưởng và cụm phó khác nhau: theo quyết định của cụm trưởng.";
    says_how_the_tie_was_decided(&leader, tie_id, prevails);

    // Another cluster's member sees none of it: 404 on every page and form.
    let outsider = signed_in(app, "canbo-dt");
    for path in [
        "/clusters/cum-12/elections/new?year=2024".to_string(),
        format!("/elections/{ELECTION}/close"),
        format!("/elections/{ELECTION}/second-round"),
        format!("/elections/{ELECTION}/paper"),
        format!("/elections/{ELECTION}/paper/confirm?unit=ca-kg"),
        format!("/elections/{ELECTION}/paper/withdraw"),
        format!("/elections/{tie_id}/tie?unit=ca-kg"),
    ] {
        assert_eq!(outsider.get(&path).status, 404, "GET {path}");
    }
    for (path, fields) in [
        (
            "/clusters/cum-12/elections/new".to_string(),
            open_fields("ministry_flag", "1", "4"),
        ),
        (format!("/elections/{ELECTION}/close"), vec![("round", "2")]),
        (format!("/elections/{ELECTION}/second-round"), vec![]),
        (
            format!("/elections/{ELECTION}/paper"),
            paper_fields("2", ["1", "1", "1", "0"]),
        ),
        (
            format!("/elections/{ELECTION}/paper/confirm"),
            vec![("round", "2"), ("unit", "ca-kg")],
        ),
        (
            format!("/elections/{ELECTION}/paper/withdraw"),
            vec![("round", "2"), ("reason", "x")],
        ),
        (
            format!("/elections/{tie_id}/tie"),
            vec![("round", "1"), ("unit", "ca-kg"), ("decision", "x")],
        ),
    ] {
        assert_eq!(post(&outsider, &path, &fields).status, 404, "POST {path}");
    }
    assert!(!outsider.get("/clusters/cum-13").body.contains(ELECTION));
}

#[test]
fn vote_forms_sqlite() {
    vote_forms(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn vote_forms_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        vote_forms(&app);
    }
}

/// A tie the deputy leaves undecided: the head's decision waits a week after the count, then the
/// head is offered the form again, records the decision alone, and the election page and the
/// minutes say why it stands. The service's clock is moved by the test; the pages read it.
#[test]
fn the_heads_decision_stands_alone_after_the_deputys_week_of_silence() {
    let counted = chrono::NaiveDate::from_ymd_opt(2024, 12, 20).unwrap();
    let app = spawn_at(Backend::Sqlite, counted).unwrap();
    standings(&app);
    let secretariat = signed_in(&app, "thuky12");
    let (head, deputy) = (signed_in(&app, "lanhdao-kg"), signed_in(&app, "lanhdao-ag"));
    let tie_id = paper_tie(&app, &secretariat, &head, &deputy);
    let decide = || {
        post(
            &head,
            &format!("/elections/{tie_id}/tie"),
            &[
                ("round", "1"),
                ("unit", "ca-kg"),
                ("c_ca-kg", "1"),
                ("decision", "Quyết định của cụm trưởng"),
                ("password", PASSWORD),
            ],
        )
    };
    assert_eq!(decide().status, 303);
    let elected = || {
        let state = app.service.read();
        let e = state.election(&ElectionId::parse(tie_id).unwrap()).unwrap();
        thidua_domain::votes::outcome(e, &e.rounds[0])
            .unwrap()
            .elected
    };
    assert!(elected().is_empty(), "the head alone does not decide yet");
    // Six days on: still waiting, no form, a second decision refused.
    let clock = app.clock.as_ref().unwrap();
    clock.set(counted + chrono::Days::new(6));
    let tie = head.get(&format!("/elections/{tie_id}/tie?unit=ca-kg"));
    assert!(
        tie.body.contains("id=\"tie-already\"") && !tie.body.contains("id=\"tie-alone-now\""),
        "{}",
        tie.body
    );
    assert_eq!(decide().status, 409);
    // A week after the count: offered again, said why, and the decision stands alone.
    clock.set(counted + chrono::Days::new(7));
    let tie = head.get(&format!("/elections/{tie_id}/tie?unit=ca-kg"));
    assert!(
        tie.body.contains("id=\"tie-alone-now\"") && tie.body.contains("id=\"tie-password\""),
        "{}",
        tie.body
    );
    let res = decide();
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(elected(), vec![UnitId::parse("ca-kg").unwrap()]);
    let rule = "Cụm phó không ghi quyết định trong 7 ngày sau khi kiểm phiếu";
    says_how_the_tie_was_decided(&head, tie_id, rule);
    // The deputy, silent, now finds the tie decided.
    let late = deputy.get(&format!("/elections/{tie_id}/tie?unit=ca-ag"));
    assert!(!late.body.contains("id=\"tie-password\""), "{}", late.body);
}

/// The secretariat runs a paper vote in Chromium: the cluster's section, the opening form (a
/// mistake told beside its field, the focus on the summary), the election page, the close
/// confirmation, round 2, the paper count; a leader confirms it. Pictures of each page.
#[test]
fn browser_vote_forms() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = spawn(Backend::Sqlite).unwrap();
    standings(&app);
    let base = &app.base;
    b.sign_in(&app, "thuky12");
    b.goto(&format!("{base}/clusters/cum-12?year=2024"));
    assert!(b.wait_for("#votes"));
    b.shots("page-cluster-votes-empty");
    b.click("#open-election");
    assert!(b.wait_for("#nominees"));
    assert!(b.text("#nominees").starts_with("Công an tỉnh Kiên Giang"));
    b.shots("page-election-new");
    b.type_into("#seats", "9");
    b.click("#open-submit");
    assert!(b.wait_for("#seats-error"));
    assert_eq!(b.focused(), "error-summary");
    b.shots("page-election-new-errors");
    b.type_into("#seats", "2");
    b.click("#open-submit");
    assert!(b.wait_for("#election-actions"), "{}", b.source());
    assert!(b.text("#election-state").contains("Đang tạo khoá"));
    b.shots("page-election-secretariat");
    b.click("#close-round");
    assert!(b.wait_for("#confirm-close"));
    b.shots("page-election-close");
    b.click("#confirm-close");
    assert!(b.wait_for("#open-second-round"));
    b.click("#open-second-round");
    assert!(b.wait_for("#confirm-second"));
    b.shots("page-election-second-round");
    b.click("#confirm-second");
    assert!(b.wait_for("#enter-paper"));
    b.click("#enter-paper");
    assert!(b.wait_for("#paper-form"));
    for (field, value) in [
        ("#a-0", "5"),
        ("#a-1", "4"),
        ("#a-2", "1"),
        ("#a-3", "0"),
        ("#returned", "5"),
        ("#team", "Nguyễn Văn A, Trưởng ban"),
    ] {
        b.type_into(field, value);
    }
    b.shots("page-election-paper");
    b.click("#paper-submit");
    assert!(b.wait_for("#paper-review"), "{}", b.source());
    b.type_into("#paper-password", PASSWORD);
    b.shots("page-election-paper-review");
    b.click("#paper-confirm-submit");
    assert!(b.wait_text("chờ hai thành viên xác nhận"), "{}", b.source());
    b.sign_in(&app, "lanhdao-kg");
    b.goto(&format!("{base}/"));
    assert!(b.wait_for(".todo a[href*='paper/confirm'], a[href*='paper/confirm']"));
    b.goto(&format!("{base}/elections/{ELECTION}"));
    b.click(".confirm-paper-link");
    assert!(b.wait_for("#confirm-paper"));
    b.type_into("#confirm-password", PASSWORD);
    b.shots("page-election-paper-confirm");
    b.click("#confirm-paper");
    assert!(b.wait_text("Đã ghi vào sổ"));
    b.sign_in(&app, "lanhdao-ag");
    b.goto(&format!(
        "{base}/elections/{ELECTION}/paper/confirm?unit=ca-ag"
    ));
    assert!(b.wait_for("#confirm-password"));
    b.type_into("#confirm-password", PASSWORD);
    b.click("#confirm-paper");
    assert!(b.wait_for("table.result"), "{}", b.source());
    assert!(b.text("#election-state").contains("đã kiểm phiếu"));
    b.shots("page-election-paper-counted");
    b.goto(&format!("{base}/clusters/cum-12?year=2024"));
    assert!(b.wait_for("#elections"));
    b.shots("page-cluster-votes");
}

/// The 2024 year-end of Cluster No. 12 run to publication with every unit's discipline
/// pending: the results are published and ranked, but no unit is eligible. The opening form of
/// that year says so, not "publish the year's results first"; a year not published still asks
/// to publish.
#[test]
fn no_nominees_says_why_once_results_are_published() {
    use thidua_domain::yearend::YearEndCommand as Y;
    use thidua_domain::CovenantId;
    let app = spawn(Backend::Sqlite).unwrap();
    let s = &app.service;
    let sys = Actor::System;
    let cov = CovenantId::parse("gu-12-2024").unwrap();
    let hash = s.read().covenants[&cov].latest().hash.clone();
    let signs = UNITS
        .iter()
        .map(|u| Command::SignCovenant {
            covenant: cov.clone(),
            version: 1,
            unit: UnitId::parse(u).unwrap(),
            hash: hash.clone(),
        })
        .collect();
    s.execute_all(&sys, signs).unwrap();
    let thuky = signed_in(&app, "thuky12");
    let form = thuky.get("/clusters/cum-12/elections/new?year=2024").body;
    assert!(
        form.contains("công bố kết quả năm (hoặc ghi thứ hạng"),
        "not published yet: {form}"
    );
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    let secret = |u: &str| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(format!("bí mật của {u}")))
    };
    let mut steps = vec![super::support::year_end_opening(&cov, today, 0)];
    super::support::approved_year(s, "gu-12-2024", &UNITS, |i, _, _| {
        super::support::full_figures(s, "gu-12-2024", 7 + i as i64)
    });
    let entry = |x: &str| thidua_domain::yearend::DossierEntry {
        score: thidua_domain::yearend::Points(x.parse().unwrap()),
        justification: Text::parse("t", "Giải trình", 100).unwrap(),
        evidence: vec![],
    };
    for u in UNITS {
        steps.push(Y::SaveDossier {
            covenant: cov.clone(),
            unit: UnitId::parse(u).unwrap(),
            entries: [
                ("C2a".to_owned(), entry("6")),
                ("C2b".to_owned(), entry("3")),
            ]
            .into_iter()
            .collect(),
        });
        steps.push(Y::SubmitDossier {
            covenant: cov.clone(),
            unit: UnitId::parse(u).unwrap(),
            revision: 1,
        });
    }
    for u in UNITS {
        let unit = UnitId::parse(u).unwrap();
        steps.push(Y::CommitSeed {
            covenant: cov.clone(),
            commitment: thidua_domain::yearend::draw::commitment("gu-12-2024", &unit, &secret(u)),
            unit,
        });
    }
    for u in UNITS {
        steps.push(Y::RevealSeed {
            covenant: cov.clone(),
            unit: UnitId::parse(u).unwrap(),
            value: secret(u),
        });
    }
    steps.push(Y::DrawAssignment {
        covenant: cov.clone(),
    });
    for step in steps {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
    let pairs = s.read().yearend.reviews[&cov].pairs();
    for p in pairs {
        s.execute(
            &sys,
            Command::YearEnd(Y::SubmitFinding {
                covenant: cov.clone(),
                inspector: p.inspector,
                inspected: p.inspected,
                items: Default::default(),
                recheck: None,
            }),
        )
        .unwrap();
    }
    for u in UNITS {
        s.execute(
            &sys,
            Command::YearEnd(Y::RecordEligibility {
                covenant: cov.clone(),
                unit: UnitId::parse(u).unwrap(),
                discipline_pending: true,
                note: Text::parse("note", "Đang xem xét kỷ luật", 500).unwrap(),
            }),
        )
        .unwrap();
    }
    for step in [
        Y::Lock {
            covenant: cov.clone(),
            confirm: true,
        },
        Y::PublishResults {
            covenant: cov.clone(),
            confirm: true,
        },
    ] {
        s.execute(&sys, Command::YearEnd(step)).unwrap();
    }
    let form = thuky.get("/clusters/cum-12/elections/new?year=2024").body;
    assert!(form.contains("id=\"no-nominees\""), "{form}");
    assert!(
        s.read().yearend.reviews[&cov]
            .published
            .as_ref()
            .is_some_and(|(p, _)| p.results.iter().all(|r| r.rank.is_some())),
        "published and ranked"
    );
    assert!(
        form.contains("đã công bố nhưng không đơn vị nào được xếp hạng đủ điều kiện"),
        "{form}"
    );
    assert!(
        !form.contains("công bố kết quả năm (hoặc ghi thứ hạng"),
        "{form}"
    );
    // Sent anyway, the form says the same beside the year.
    let fields = open_fields("ministry_flag", "1", "4");
    let r = post(&thuky, "/clusters/cum-12/elections/new", &fields);
    assert!(
        r.body
            .contains("đã công bố nhưng không đơn vị nào được xếp hạng đủ điều kiện"),
        "{}",
        r.body
    );
    // Next year's head is elected from every ranked unit, eligible or not.
    let r = post(
        &thuky,
        "/clusters/cum-12/elections/new",
        &open_fields("head", "1", "3"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
}
