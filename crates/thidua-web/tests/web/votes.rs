//! The secret ballot in the browser (real Chromium, the WebAssembly ballot module): five
//! leaders vote on the ballot page, one of them twice; the secretariat closes the round; three
//! of the five trustees decrypt (as `thidua trustee decrypt` does on their machines); the
//! result and the printable minutes appear; a voter checks the receipt. And the figures of the
//! WebAssembly ballot in Chromium (ignored test, run on demand).

use std::time::Instant;

use serde_json::Value;
use thidua_domain::model::Role;
use thidua_domain::votes::rehearsal::Rehearsal;
use thidua_domain::votes::{AwardKind, Fraction, VoteCommand};
use thidua_domain::{Actor, ClusterId, Command, ElectionId, Text, UnitId, UserId};

use super::browser::Browser;
use super::support::{spawn, Backend, TestApp, PASSWORD};

const ELECTION: &str = "co-bo-2024";
const VOTERS: [(&str, &str); 5] = [
    ("lanhdao-kg", "ca-kg"),
    ("lanhdao-ag", "ca-ag"),
    ("lanhdao-hg", "ca-hg"),
    ("lanhdao-cm", "ca-cm"),
    ("lanhdao-bl", "ca-bl"),
];

fn text(s: &str) -> Text {
    Text::parse("test", s, 500).unwrap()
}
fn unit(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}
fn leader_of(u: &UnitId) -> Actor {
    let user = VOTERS.iter().find(|(_, x)| *x == u.as_str()).unwrap().0;
    Actor::User(UserId::parse(user).unwrap())
}

/// The three leaders the fixture lacks, the standings, the election and its key ceremony
/// (played here for the five trustees, whose secrets the test keeps).
pub(super) fn election(app: &TestApp) -> Rehearsal {
    let sys = Actor::System;
    let s = &app.service;
    for (user, u) in &VOTERS[2..] {
        let id = UserId::parse(user).unwrap();
        s.execute_all(
            &sys,
            vec![
                Command::RegisterUser {
                    user: id.clone(),
                    display_name: text(&format!("Lãnh đạo {u}")),
                    demo: true,
                },
                Command::GrantRole {
                    user: id.clone(),
                    role: Role::Leader { unit: unit(u) },
                },
            ],
        )
        .unwrap();
        thidua_web::accounts::set_password(&*app.accounts, s, &id, PASSWORD).unwrap();
    }
    let cluster = ClusterId::parse("cum-12").unwrap();
    let secretariat = Actor::User(UserId::parse("thuky12").unwrap());
    for (rank, (_, u)) in VOTERS.iter().enumerate() {
        s.execute(
            &secretariat,
            Command::Vote(VoteCommand::RecordStanding {
                cluster: cluster.clone(),
                year: 2024,
                unit: unit(u),
                rank: rank as u32 + 1,
                eligible: *u != "ca-bl",
                basis: text("Kết quả chấm điểm năm 2024"),
            }),
        )
        .unwrap();
    }
    open_with_key(
        app,
        ELECTION,
        AwardKind::MinistryFlag,
        "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024",
        2,
        11,
    )
}

/// Another election of the cluster's 2024 candidates (after [`election`]), its key ceremony
/// played for the five trustees from `seed` (each election its own: a trustee's key material
/// is never posted twice).
fn open_with_key(
    app: &TestApp,
    id: &str,
    award: AwardKind,
    title: &str,
    seats: u32,
    seed: u8,
) -> Rehearsal {
    let s = &app.service;
    let secretariat = Actor::User(UserId::parse("thuky12").unwrap());
    s.execute(
        &secretariat,
        Command::Vote(VoteCommand::OpenElection {
            election: ElectionId::parse(id).unwrap(),
            cluster: ClusterId::parse("cum-12").unwrap(),
            year: 2024,
            award,
            title: text(title),
            seats,
            approval: Fraction { num: 4, den: 5 },
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 3,
        }),
    )
    .unwrap();
    let e = s
        .read()
        .election(&ElectionId::parse(id).unwrap())
        .unwrap()
        .clone();
    let (rehearsal, commands) = Rehearsal::ceremony(&e, [seed; 32]);
    for (u, c) in commands {
        s.execute(&leader_of(&u), Command::Vote(c)).unwrap();
    }
    rehearsal
}

/// Votes on the ballot page; returns the receipt (hash, record number).
fn vote_in_browser(
    b: &Browser,
    app: &TestApp,
    user: &str,
    u: &str,
    approve: &[usize],
) -> (String, String) {
    b.sign_in(app, user);
    b.goto(&format!("{}/elections/{ELECTION}/vote?unit={u}", app.base));
    assert!(
        b.wait_for("#vote-cli-only[hidden]"),
        "the WebAssembly module loaded: {}",
        b.source()
    );
    // The secrecy in one plain sentence; what each way of voting relies on, folded.
    assert!(b.text("#vote-secret").contains("Phiếu kín"));
    assert!(b.text("#path-browser").is_empty(), "folded");
    b.click("#vote-paths summary");
    assert!(b.text("#path-browser").contains("mã WebAssembly"));
    assert!(b.text("#small-electorate").contains("nhất trí"));
    // Without the WebAssembly path, the command line offered checks the log against its key,
    // with this server's own address filled in.
    let key = app.service.key().verifier_key();
    assert!(
        b.source().contains(&format!(
            "thidua vote --server {} --log-key '{key}'",
            app.base
        )),
        "{}",
        b.source()
    );
    for i in approve {
        b.click(&format!("#candidate-{i}"));
    }
    b.click("#vote-submit");
    assert!(
        b.wait_for("#vote-receipt:not([hidden])"),
        "{}",
        b.text("#vote-status")
    );
    let hash = b.text("[data-receipt=hash]");
    let index = b.text("[data-receipt=index]");
    assert_eq!(hash.len(), 64, "{hash}");
    (hash, index)
}

#[test]
fn browser_secret_ballot() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = spawn(Backend::Sqlite).unwrap();
    let t = Instant::now();
    let mut rehearsal = election(&app);
    eprintln!("ballot: ceremony at {:?}", t.elapsed());
    let id = ElectionId::parse(ELECTION).unwrap();
    // Candidates in rank order: ca-kg, ca-ag, ca-hg, ca-cm (ca-bl is not eligible).
    let (first_hash, first_index) = vote_in_browser(&b, &app, "lanhdao-kg", "ca-kg", &[3]);
    b.shots("vote-receipt");
    // Kiên Giang changes its mind: the later ballot counts.
    let (hash, index) = vote_in_browser(&b, &app, "lanhdao-kg", "ca-kg", &[0, 1]);
    for (user, u) in &VOTERS[1..] {
        vote_in_browser(
            &b,
            &app,
            user,
            u,
            if *u == "ca-hg" { &[0, 2] } else { &[0, 1] },
        );
    }
    eprintln!("ballot: five voters at {:?}", t.elapsed());
    // Every member voted: the secretariat's home asks for the close.
    assert!(super::support::signed_in(&app, "thuky12")
        .get("/")
        .body
        .contains(&format!("href=\"/elections/{ELECTION}/close\"")));
    let s = &app.service;
    s.execute(
        &Actor::User(UserId::parse("thuky12").unwrap()),
        Command::Vote(VoteCommand::CloseRound {
            election: id.clone(),
            round: 1,
        }),
    )
    .unwrap();
    for u in ["ca-kg", "ca-hg", "ca-cm"] {
        let e = s.read().election(&id).unwrap().clone();
        let c = rehearsal.decryption(&e, 1, &unit(u));
        s.execute(&leader_of(&unit(u)), Command::Vote(c)).unwrap();
    }
    let count = s.read().election(&id).unwrap().rounds[0]
        .count
        .clone()
        .expect("counted");
    assert_eq!(count.approvals, vec![5, 4, 1, 0]);
    b.sign_in(&app, "lanhdao-ag");
    b.goto(&format!("{}/elections/{ELECTION}", app.base));
    assert!(b.wait_for("table.result"));
    let result = b.text("table.result");
    assert!(
        result.contains("100%") && result.contains("80%") && result.contains("Được chọn"),
        "{result}"
    );
    b.shots("vote-result");
    b.click("#minutes-link");
    assert!(b.wait_for("#minutes-result"));
    assert!(b.source().contains("BIÊN BẢN KIỂM PHIẾU"));
    let minutes = b.text("#minutes-result");
    assert!(
        minutes.contains("Công an tỉnh Kiên Giang") && minutes.contains("Được chọn"),
        "{minutes}"
    );
    b.shots("vote-minutes");
    // The voter checks both receipts: the first was replaced, the second counts.
    b.sign_in(&app, "lanhdao-kg");
    b.goto(&format!(
        "{}/elections/{ELECTION}/receipt?index={index}&hash={hash}",
        app.base
    ));
    assert!(b.wait_for("#receipt-result"));
    assert!(
        b.text("#receipt-result").contains("phiếu được tính"),
        "{}",
        b.text("#receipt-result")
    );
    b.goto(&format!(
        "{}/elections/{ELECTION}/receipt?index={first_index}&hash={first_hash}",
        app.base
    ));
    assert!(b.wait_for("#receipt-result"));
    assert!(
        b.text("#receipt-result").contains("đã được thay"),
        "{}",
        b.text("#receipt-result")
    );
    b.shots("vote-receipt-check");
    eprintln!("ballot: done at {:?}", t.elapsed());
}

/// Ballot creation and verification in WebAssembly in Chromium, 10 candidates, m = 3:
/// `cargo test --release -p thidua-web --test web -- --ignored --nocapture wasm_ballot_figures`
#[test]
#[ignore]
fn wasm_ballot_figures() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = spawn(Backend::Sqlite).unwrap();
    election(&app);
    b.sign_in(&app, "lanhdao-kg");
    b.goto(&format!(
        "{}/elections/{ELECTION}/vote?unit=ca-kg",
        app.base
    ));
    assert!(b.wait_for("#vote-cli-only[hidden]"));
    let figures: Value = b.exec(
        r#"
        const m = window.thiduaBallot;
        const key = document.getElementById("ballot-form").dataset.electionKey;
        const context = {election: "bench", round: 1, candidates: 10, seats: 3};
        const voter = m.voterKey();
        const n = 20;
        let ballots = [];
        let t0 = performance.now();
        for (let i = 0; i < n; i++) ballots.push(m.createBallot(context, key, voter.secret, {approve: [0, 4, 7]}).ballot);
        let t1 = performance.now();
        for (const ballot of ballots) m.verifyBallot(context, key, voter.public, ballot);
        let t2 = performance.now();
        return {n, create_ms: (t1 - t0) / n, verify_ms: (t2 - t1) / n, agent: navigator.userAgent};
        "#,
    );
    eprintln!("wasm ballot figures (10 candidates, m = 3): {figures}");
    assert!(figures["create_ms"].as_f64().unwrap() > 0.0);
}

/// Over HTTP: once the key is ready, each leader's home page lists the open round for its unit
/// until its ballot is in; the election is hidden from another cluster.
#[test]
fn home_lists_the_open_round_until_the_unit_has_voted() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = election(&app);
    let todo = format!("href=\"/elections/{ELECTION}/vote?unit=ca-kg\"");
    let leader = super::support::signed_in(&app, "lanhdao-kg");
    let home = leader.get("/");
    assert!(home.body.contains(&todo), "{}", home.body);
    assert!(home.body.contains("vòng 1, thay mặt"), "{}", home.body);
    assert!(
        home.body.contains(">Bỏ phiếu</a>"),
        "the button says what it does"
    );
    // The secretariat follows the round until every member has voted.
    let secretariat = super::support::signed_in(&app, "thuky12");
    let waiting = secretariat.get("/").body;
    assert!(
        waiting.contains("vòng 1: 0/5 đơn vị đã bỏ phiếu"),
        "{waiting}"
    );
    let id = ElectionId::parse(ELECTION).unwrap();
    let e = app.service.read().election(&id).unwrap().clone();
    let u = unit("ca-kg");
    let register = rehearsal.voter_key(&e, &u);
    let ballot = rehearsal.ballot(&e, &u, &thidua_ballot::Selection::Approve(vec![0]));
    app.service
        .execute_all(
            &leader_of(&u),
            vec![Command::Vote(register), Command::Vote(ballot)],
        )
        .unwrap();
    assert!(!leader.get("/").body.contains(&todo), "voted");
    // A receipt number mistyped is refused beside its field, not with an error page.
    let typo = leader.get(&format!("/elections/{ELECTION}/receipt?index=38a&hash=ab"));
    assert_eq!(typo.status, 200, "{}", typo.body);
    assert!(
        typo.body.contains("id=\"receipt-index-error\""),
        "{}",
        typo.body
    );
    assert!(
        typo.body.contains("value=\"38a\""),
        "what was typed is kept"
    );
    assert!(
        super::support::signed_in(&app, "lanhdao-ag")
            .get("/")
            .body
            .contains(&format!("href=\"/elections/{ELECTION}/vote?unit=ca-ag\"")),
        "the others still have to vote"
    );
    let outsider = super::support::signed_in(&app, "canbo-dt");
    assert_eq!(outsider.get(&format!("/elections/{ELECTION}")).status, 404);
    assert!(!outsider.get("/").body.contains(ELECTION));
}

/// The secretariat of cluster 12 closes round 1 of `id`.
pub(super) fn close_round_one(app: &TestApp, id: &ElectionId) {
    app.service
        .execute(
            &Actor::User(UserId::parse("thuky12").unwrap()),
            Command::Vote(VoteCommand::CloseRound {
                election: id.clone(),
                round: 1,
            }),
        )
        .unwrap();
}

/// Switches the client's pages to English.
pub(super) fn english(c: &super::support::Client) {
    let csrf = c.get("/account").csrf();
    assert_eq!(
        c.post_form("/lang", &[("csrf", &csrf), ("to", "en")])
            .status,
        303
    );
}

/// Over HTTP, the vote's pages in English and in Vietnamese: the buttons and counts read as
/// sentences ("Close round 1", "Choose at most 1 unit", "4/5 of the members (4 of 5 units)"),
/// the minutes' article is in the page's language with only its Vietnamese data marked so,
/// percentages written by the shared number format ("80%"), and the history's details name
/// the voting key.
#[test]
fn vote_pages_read_in_both_languages() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = election(&app);
    // A one-seat vote beside the flag's: next year's head (an award vote could not open
    // while the flag's may still elect its candidates).
    open_with_key(
        &app,
        "cum-truong-2025",
        AwardKind::Head,
        "Bầu cụm trưởng năm 2025",
        1,
        12,
    );
    let election_path = format!("/elections/{ELECTION}");
    // The language is the user's: a member's leader who stays in Vietnamese reads the
    // Vietnamese pages; the secretariat reads them first in Vietnamese, then in English.
    let member_vi = super::support::signed_in(&app, "lanhdao-ag");
    let secretariat = super::support::signed_in(&app, "thuky12");
    let vi = secretariat.get(&election_path).body;
    assert!(vi.contains(">Kết thúc vòng 1</a>"), "{vi}");
    assert!(
        vi.contains("<dd>4/5 số thành viên (4 trên 5 đơn vị)</dd>"),
        "{vi}"
    );
    assert!(
        vi.contains("Đơn vị đã bỏ phiếu (công khai): 0</h3>"),
        "{vi}"
    );
    assert!(vi.contains("Vòng 1: <span class=\"status\">đang nhận phiếu</span>"));
    assert!(secretariat
        .get("/clusters/cum-12?year=2024")
        .body
        .contains("Mở cuộc bỏ phiếu khen thưởng năm 2024</a>"));
    english(&secretariat);
    let page = secretariat.get(&election_path).body;
    assert!(
        page.contains("id=\"close-round\" href=\"/elections/co-bo-2024/close\">Close round 1</a>"),
        "{page}"
    );
    assert!(
        page.contains("<dd>4/5 of the members (4 of 5 units)</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dd>2/3 of the members (4 of 5 units)</dd>"),
        "{page}"
    );
    assert!(page.contains("Units that voted (public): 0</h3>"), "{page}");
    assert!(page.contains("Round 1: <span class=\"status\">open for ballots</span>"));
    assert!(page.contains("Enter a paper count (round 1)</a>"), "{page}");
    let close = secretariat.get(&format!("{election_path}/close")).body;
    assert!(close.contains(">Close round 1</button>"), "{close}");
    assert!(
        close.contains("<dd>2/3 of the members (4 of 5 units)</dd>"),
        "{close}"
    );
    // The cluster page's link names the year as a sentence does.
    let cluster = secretariat.get("/clusters/cum-12?year=2024").body;
    assert!(
        cluster.contains("Open an award vote for 2024</a>"),
        "{cluster}"
    );

    // The ballot page's refusal of too many ticks: one seat, one unit.
    let leader = super::support::signed_in(&app, "lanhdao-kg");
    english(&leader);
    let one = leader
        .get("/elections/cum-truong-2025/vote?unit=ca-kg")
        .body;
    assert!(one.contains("Choose at most 1 unit; untick some."), "{one}");
    let two = leader.get(&format!("{election_path}/vote?unit=ca-kg")).body;
    assert!(
        two.contains("Choose at most 2 units; untick some."),
        "{two}"
    );

    // Every member votes (the browser test's choices), the round is closed and decrypted.
    let id = ElectionId::parse(ELECTION).unwrap();
    for (_, u) in VOTERS {
        let e = app.service.read().election(&id).unwrap().clone();
        let u = unit(u);
        let approve = if u.as_str() == "ca-hg" {
            vec![0, 2]
        } else {
            vec![0, 1]
        };
        let register = rehearsal.voter_key(&e, &u);
        let ballot = rehearsal.ballot(&e, &u, &thidua_ballot::Selection::Approve(approve));
        app.service
            .execute_all(
                &leader_of(&u),
                vec![Command::Vote(register), Command::Vote(ballot)],
            )
            .unwrap();
    }
    close_round_one(&app, &id);
    for u in ["ca-kg", "ca-hg", "ca-cm"] {
        let e = app.service.read().election(&id).unwrap().clone();
        let c = rehearsal.decryption(&e, 1, &unit(u));
        app.service
            .execute(&leader_of(&unit(u)), Command::Vote(c))
            .unwrap();
    }

    let page = leader.get(&election_path).body;
    assert!(
        page.contains("Round 1: <span class=\"status\">counted</span>"),
        "{page}"
    );
    assert!(page.contains("Units that voted (public): 5</h3>"), "{page}");
    // The trustees listed under the count are those who decrypted it, and said so (the line
    // read "Key trustees:", as if the other two held no key).
    let shares = super::support::element_text(&page, "shares-1", "p");
    assert!(
        shares.starts_with("Trustees who sent their decryption shares: "),
        "{shares}"
    );
    let shares_vi =
        super::support::element_text(&member_vi.get(&election_path).body, "shares-1", "p");
    assert!(
        shares_vi.starts_with("Đơn vị giữ khoá đã gửi phần giải mã: "),
        "{shares_vi}"
    );
    for share in ["100%", "80%", "20%", "0%"] {
        assert!(
            page.contains(&format!(
                "data-label=\"Share of the total membership\">{share}</td>"
            )),
            "{share}: {page}"
        );
    }

    // The minutes: English around the Vietnamese data.
    let minutes = leader
        .get(&format!("/elections/{ELECTION}/minutes?round=1"))
        .body;
    assert!(
        minutes.contains("<article class=\"minutes\" lang=\"en\">"),
        "{minutes}"
    );
    assert!(
        minutes.contains("<p class=\"doc-motto\" lang=\"vi\">"),
        "{minutes}"
    );
    assert!(minutes.contains("VOTE-COUNT MINUTES"));
    assert!(
        minutes.contains("href=\"/clusters/cum-12?year=2024#documents\" id=\"official-minutes\""),
        "the official minutes are issued from the cluster's documents: {minutes}"
    );
    assert!(minutes
        .contains("<strong lang=\"vi\">Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024</strong>"));
    assert!(
        minutes.contains("<tr><td lang=\"vi\">Công an tỉnh Kiên Giang</td><td>5</td><td>100%</td>"),
        "{minutes}"
    );
    assert!(minutes.contains("Approvals needed: 4/5 of the members (4 of 5 units)"));
    let minutes_vi = member_vi
        .get(&format!("/elections/{ELECTION}/minutes?round=1"))
        .body;
    assert!(minutes_vi.contains("<article class=\"minutes\" lang=\"vi\">"));
    assert!(minutes_vi.contains("BIÊN BẢN KIỂM PHIẾU"));

    // The history: the voting key named, each sentence ended.
    let history = leader.get("/history?kind=voter_key_registered").body;
    assert!(history.contains("Voting key (Ed25519)"), "{history}");
    assert!(
        history.contains(
            "registered its voting key for the vote <a href=\"/elections/co-bo-2024\" \
             lang=\"vi\">Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024</a>."
        ),
        "{history}"
    );
    assert!(!history.contains(">Ed25519<"), "{history}");
    let history_vi = member_vi.get("/history?kind=voter_key_registered").body;
    assert!(
        history_vi.contains("Khoá bỏ phiếu (Ed25519)"),
        "{history_vi}"
    );
    assert!(history_vi.contains("đã đăng ký khoá bỏ phiếu cho cuộc bỏ phiếu"));
}

/// A vote command naming another cluster's election is answered as for one that does not exist
/// (the id aside): neither its cluster, its year nor its state leaks through a refusal.
#[test]
fn vote_commands_cannot_tell_another_clusters_election_from_a_missing_one() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    election(&app);
    let outsider = super::support::signed_in(&app, "canbo-dt");
    let templates = [
        serde_json::json!({"command": "vote", "vote": "close_round", "election": "ID", "round": 1}),
        serde_json::json!({"command": "vote", "vote": "decide_tie", "election": "ID", "round": 1,
            "unit": "ca-dt", "chosen": ["ca-dt"], "decision": "01/QĐ"}),
        serde_json::json!({"command": "vote", "vote": "confirm_paper_count", "election": "ID",
            "round": 1, "unit": "ca-dt"}),
    ];
    for template in templates {
        let with = |id: &str| {
            let body = template.to_string().replace("\"ID\"", &format!("\"{id}\""));
            outsider.post_json("/api/v1/commands", serde_json::from_str(&body).unwrap())
        };
        let (hidden, missing) = (with(ELECTION), with("co-zz-2024"));
        assert_eq!(
            (hidden.status, hidden.body.replace(ELECTION, "ID")),
            (missing.status, missing.body.replace("co-zz-2024", "ID")),
            "{template}"
        );
        assert_ne!(hidden.status, 200);
    }
}

/// An administrator who grants itself Cà Mau's leadership and replaces the unit's ballot is
/// named beside Cà Mau on the election page, with the leader whose ballot it replaced; the
/// units whose own leaders voted have no such line.
#[test]
fn a_ballot_replaced_by_another_person_is_named_on_the_election_page() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = election(&app);
    every_member_votes(&app, &mut rehearsal);
    let admin = UserId::parse("quantri").unwrap();
    let cm = unit("ca-cm");
    app.service
        .execute(
            &Actor::System,
            Command::GrantRole {
                user: admin.clone(),
                role: Role::Leader { unit: cm.clone() },
            },
        )
        .unwrap();
    let e = app
        .service
        .read()
        .election(&ElectionId::parse(ELECTION).unwrap())
        .unwrap()
        .clone();
    let ballot = rehearsal.ballot(&e, &cm, &thidua_ballot::Selection::Approve(vec![2]));
    app.service
        .execute(&Actor::User(admin), Command::Vote(ballot))
        .unwrap();
    let page = super::support::signed_in(&app, "lanhdao-ag")
        .get(&format!("/elections/{ELECTION}"))
        .body;
    let said = "<span class=\"badge warn other-hand\">Phiếu được tính do Quản Trị Viên gửi, thay phiếu trước của đơn vị do Lãnh đạo ca-cm gửi.</span>";
    assert_eq!(page.matches("other-hand").count(), 1, "{page}");
    assert!(page.contains(said), "{page}");
}

/// Over HTTP: the ballot page refuses, beside the choices, a ballot with nothing ticked (no
/// candidate, no abstention) and one with candidates and the abstention both ticked, in the
/// viewer's language; the sentences are served with the page (the script only shows them).
/// Leaving every box empty never sends a ballot approving nobody: an empty ballot is an
/// explicit abstention (`thidua vote` likewise asks for `--approve`, `--abstain` or `--none`).
#[test]
fn the_ballot_page_asks_for_an_explicit_choice() {
    let app = spawn(Backend::Sqlite).unwrap();
    election(&app);
    let leader = super::support::signed_in(&app, "lanhdao-ag");
    let path = format!("/elections/{ELECTION}/vote?unit=ca-ag");
    let vi = leader.get(&path);
    assert_eq!(vi.status, 200, "{}", vi.body);
    let none_vi = "Chưa có lựa chọn: hãy đánh dấu ít nhất một đơn vị đồng ý, hoặc “Không đồng ý \
                   đơn vị nào”, hoặc “Không biểu quyết”. Phiếu chưa được gửi.";
    let beside = format!(
        "<p class=\"field-error\" id=\"vote-choice-error\" role=\"alert\" hidden>{none_vi}</p>\n</fieldset>"
    );
    assert!(vi.body.contains(&beside), "{}", vi.body);
    let abstain = vi.body.find("id=\"abstain\"").unwrap();
    assert!(
        abstain < vi.body.find(&beside).unwrap(),
        "after the choices"
    );
    assert!(vi.body.contains("<fieldset id=\"vote-choices\">"));
    assert!(
        vi.body.contains(
            "<input type=\"checkbox\" name=\"approve_none\" value=\"1\" id=\"approve-none\"> \
             <label for=\"approve-none\">Không đồng ý đơn vị nào</label>"
        ),
        "approving nobody is a choice of its own: {}",
        vi.body
    );
    // The script's sentences, by code (in the form's data).
    for code in ["none_chosen", "both_chosen", "too_many"] {
        assert!(vi.body.contains(code), "{code}: {}", vi.body);
    }
    assert!(
        vi.body.contains(
            "Đã đánh dấu nhiều loại lựa chọn cùng lúc (đơn vị, “Không đồng ý đơn vị nào”, \
                       “Không biểu quyết”): hãy chỉ giữ một loại."
        ),
        "{}",
        vi.body
    );
    english(&leader);
    let en = leader.get(&path).body;
    assert!(
        en.contains(
            "hidden>Nothing chosen: tick at least one unit you approve, or “Approve none of \
             them”, or “Abstain”. The ballot was not sent.</p>"
        ),
        "{en}"
    );
    assert!(
        en.contains(
            "More than one kind of choice is ticked (units, “Approve none of them”, \
             “Abstain”): keep only one."
        ),
        "{en}"
    );
    // Nothing was sent by reading the page.
    let id = ElectionId::parse(ELECTION).unwrap();
    let e = app.service.read().election(&id).unwrap().clone();
    assert!(e.rounds[0].ballots.is_empty() && e.voter_keys.is_empty());
}

/// Over HTTP: the receipt check says, beside each field, what is missing or wrong once the
/// form is sent (a hash without the record number, a hash that is not 64 hexadecimal digits,
/// a record number without the hash), in both languages; the first visit says nothing, and a
/// receipt given in full is still checked.
#[test]
fn the_receipt_check_says_what_is_missing_or_wrong() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = election(&app);
    let id = ElectionId::parse(ELECTION).unwrap();
    let e = app.service.read().election(&id).unwrap().clone();
    let u = unit("ca-ag");
    let register = rehearsal.voter_key(&e, &u);
    let ballot = rehearsal.ballot(&e, &u, &thidua_ballot::Selection::Abstain);
    app.service
        .execute_all(
            &leader_of(&u),
            vec![Command::Vote(register), Command::Vote(ballot)],
        )
        .unwrap();
    let cast = app.service.read().election(&id).unwrap().rounds[0].ballots[&u].clone();
    let leader = super::support::signed_in(&app, "lanhdao-ag");
    let receipt = |query: &str| {
        let r = leader.get(&format!("/elections/{ELECTION}/receipt{query}"));
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        r.body
    };
    let index_error = "id=\"receipt-index-error\"";
    let hash_error = "id=\"receipt-hash-error\"";

    // The first visit: nothing asked, nothing said.
    let first = receipt("");
    assert!(!first.contains(index_error) && !first.contains(hash_error));
    assert!(!first.contains("aria-invalid") && !first.contains("receipt-result"));

    // A short hash, no record number: both said, the typed hash kept.
    let short = receipt("?hash=abc");
    assert!(
        short.contains(
            "<p class=\"field-error\" id=\"receipt-index-error\">Nhập số thứ tự trong sổ (in trên biên nhận).</p>"
        ),
        "{short}"
    );
    assert!(
        short.contains(
            "<p class=\"field-error\" id=\"receipt-hash-error\">Mã băm gồm 64 chữ số hệ 16 (0–9, a–f), như in trên biên nhận.</p>"
        ),
        "{short}"
    );
    assert!(short.contains("value=\"abc\" autocomplete=\"off\" spellcheck=\"false\" aria-invalid=\"true\" aria-describedby=\"receipt-hash-error\">"), "{short}");
    assert!(!short.contains("receipt-result"));

    // The ballot's full hash without its record number: only the number is asked for.
    let no_index = receipt(&format!("?hash={}", cast.hash));
    assert!(no_index.contains("Nhập số thứ tự trong sổ"), "{no_index}");
    assert!(!no_index.contains(hash_error), "{no_index}");
    assert!(!no_index.contains("receipt-result"));
    // Sent empty: both asked for.
    let empty = receipt("?index=&hash=");
    assert!(empty.contains("Nhập số thứ tự trong sổ"), "{empty}");
    assert!(empty.contains("Nhập mã băm của phiếu"), "{empty}");
    // A record number without the hash; a hash with a letter out of hexadecimal.
    let no_hash = receipt(&format!("?index={}", cast.index));
    assert!(no_hash.contains("Nhập mã băm của phiếu"), "{no_hash}");
    assert!(!no_hash.contains(index_error), "{no_hash}");
    let bad = format!("{}g", &cast.hash[..63]);
    let not_hex = receipt(&format!("?index={}&hash={bad}", cast.index));
    assert!(not_hex.contains("Mã băm gồm 64 chữ số hệ 16"), "{not_hex}");
    assert!(!not_hex.contains("receipt-result"));

    // In full (upper case as some type it): checked, and counted.
    let full = receipt(&format!(
        "?index={}&hash={}",
        cast.index,
        cast.hash.to_ascii_uppercase()
    ));
    assert!(
        !full.contains(index_error) && !full.contains(hash_error),
        "{full}"
    );
    assert!(
        full.contains("Đây là phiếu được tính của đơn vị."),
        "{full}"
    );

    english(&leader);
    let short = receipt("?hash=abc");
    assert!(
        short.contains("Enter the record number (printed on the receipt).</p>"),
        "{short}"
    );
    assert!(
        short.contains(
            "The ballot hash is 64 hexadecimal digits (0–9, a–f), as printed on the receipt.</p>"
        ),
        "{short}"
    );
    let no_hash = receipt(&format!("?index={}", cast.index));
    assert!(
        no_hash.contains("Enter the ballot hash (printed on the receipt).</p>"),
        "{no_hash}"
    );
}

/// In Chromium: "Mã hoá và gửi phiếu" with nothing ticked, or with a unit and "Không biểu
/// quyết" both ticked, says so beside the choices and sends nothing (not even the voting key);
/// the sentence goes once a box changes; the abstention alone is sent.
#[test]
fn browser_ballot_asks_for_an_explicit_choice() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = spawn(Backend::Sqlite).unwrap();
    election(&app);
    let id = ElectionId::parse(ELECTION).unwrap();
    let nothing_sent = || {
        let e = app.service.read().election(&id).unwrap().clone();
        e.rounds[0].ballots.is_empty() && e.voter_keys.is_empty()
    };
    b.sign_in(&app, "lanhdao-ag");
    b.goto(&format!(
        "{}/elections/{ELECTION}/vote?unit=ca-ag",
        app.base
    ));
    assert!(b.wait_for("#vote-cli-only[hidden]"), "{}", b.source());
    assert!(b.find("#vote-choice-error:not([hidden])").is_none());

    b.click("#vote-submit");
    assert!(
        b.wait_for("#vote-choice-error:not([hidden])"),
        "{}",
        b.source()
    );
    assert!(
        b.text("#vote-choice-error")
            .contains("Chưa có lựa chọn: hãy đánh dấu ít nhất một đơn vị đồng ý"),
        "{}",
        b.text("#vote-choice-error")
    );
    assert_eq!(b.focused(), "candidate-0", "the focus goes to the choices");
    assert!(b
        .find("#vote-choices[aria-describedby=vote-choice-error]")
        .is_some());
    assert!(b.find("#vote-receipt[hidden]").is_some());
    b.shots("vote-nothing-chosen");

    // A unit and the abstention: refused as well.
    b.click("#candidate-0");
    assert!(
        b.wait_for("#vote-choice-error[hidden]"),
        "a change clears the sentence"
    );
    b.click("#abstain");
    b.click("#vote-submit");
    assert!(b.wait_for("#vote-choice-error:not([hidden])"));
    assert!(
        b.text("#vote-choice-error")
            .contains("Đã đánh dấu nhiều loại lựa chọn cùng lúc"),
        "{}",
        b.text("#vote-choice-error")
    );
    // A unit and "approve none of them": refused too.
    b.click("#abstain");
    b.click("#approve-none");
    b.click("#vote-submit");
    assert!(b.wait_for("#vote-choice-error:not([hidden])"));
    assert!(b
        .text("#vote-choice-error")
        .contains("Đã đánh dấu nhiều loại lựa chọn cùng lúc"));
    b.click("#approve-none");
    b.click("#abstain");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(nothing_sent(), "no voting key, no ballot");

    // The abstention alone is a ballot.
    b.click("#candidate-0");
    b.click("#vote-submit");
    assert!(
        b.wait_for("#vote-receipt:not([hidden])"),
        "{}",
        b.text("#vote-status")
    );
    assert!(b.find("#vote-choice-error[hidden]").is_some());
    let e = app.service.read().election(&id).unwrap().clone();
    assert!(e.rounds[0].ballots.contains_key(&unit("ca-ag")));
    let first = b.text("[data-receipt=index]");

    // "Approve none of them" alone is a ballot too (a re-vote, which replaces the abstention).
    b.goto(&format!(
        "{}/elections/{ELECTION}/vote?unit=ca-ag",
        app.base
    ));
    assert!(b.wait_for("#vote-cli-only[hidden]"), "{}", b.source());
    b.click("#approve-none");
    b.click("#vote-submit");
    assert!(
        b.wait_for("#vote-receipt:not([hidden])"),
        "{}",
        b.text("#vote-status")
    );
    assert_ne!(b.text("[data-receipt=index]"), first, "a new ballot");
    let e = app.service.read().election(&id).unwrap().clone();
    assert_eq!(e.rounds[0].ballots.len(), 1, "the last valid ballot counts");
}

/// Every member registers its voting key and approves the first two candidates in round 1.
fn every_member_votes(app: &TestApp, rehearsal: &mut Rehearsal) {
    let id = ElectionId::parse(ELECTION).unwrap();
    for (_, u) in VOTERS {
        let e = app.service.read().election(&id).unwrap().clone();
        let u = unit(u);
        let register = rehearsal.voter_key(&e, &u);
        let ballot = rehearsal.ballot(&e, &u, &thidua_ballot::Selection::Approve(vec![0, 1]));
        app.service
            .execute_all(
                &leader_of(&u),
                vec![Command::Vote(register), Command::Vote(ballot)],
            )
            .unwrap();
    }
}

/// The secretariat closes round 1 and only two of the three trustees needed post their shares.
fn closed_with_two_shares(app: &TestApp, rehearsal: &mut Rehearsal) {
    let id = ElectionId::parse(ELECTION).unwrap();
    let thuky = Actor::User(UserId::parse("thuky12").unwrap());
    app.service
        .execute(
            &thuky,
            Command::Vote(VoteCommand::CloseRound {
                election: id.clone(),
                round: 1,
            }),
        )
        .unwrap();
    for u in ["ca-kg", "ca-hg"] {
        let e = app.service.read().election(&id).unwrap().clone();
        let c = rehearsal.decryption(&e, 1, &unit(u));
        app.service
            .execute(&leader_of(&unit(u)), Command::Vote(c))
            .unwrap();
    }
}

/// In Chromium, at 1366 and 390 px: the secretariat opens "Chuyển sang kiểm phiếu giấy" from
/// the election page, gives the reason, confirms, and lands on the election page that says the
/// electronic count was set aside and offers the paper count.
#[test]
fn browser_set_aside_a_stuck_round() {
    let Some(b) = Browser::start() else {
        return;
    };
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = election(&app);
    every_member_votes(&app, &mut rehearsal);
    closed_with_two_shares(&app, &mut rehearsal);
    b.sign_in(&app, "thuky12");
    b.goto(&format!("{}/elections/{ELECTION}", app.base));
    assert!(b.wait_for("#set-aside-count"), "{}", b.source());
    b.click("#set-aside-count");
    assert!(b.wait_for("#reason"), "{}", b.url());
    b.shots("election-set-aside");
    b.type_into("#reason", "Hai đơn vị giữ khoá mất tệp khoá");
    b.click("#set-aside-confirm");
    b.click("#set-aside-submit");
    assert!(b.wait_for("#set-aside-1"), "{}", b.url());
    assert!(
        b.find("#enter-paper").is_some(),
        "the paper count is offered"
    );
    b.shots("election-set-aside-done");
}

/// A round the trustees cannot decrypt is counted on paper: every member votes, the round is
/// closed, only two of the three trustees needed post their shares; the secretariat sets the
/// electronic count aside on the round's page (a reason and a confirmation, each told beside its
/// field when missing; a member's leader may not), a third share is then refused, the paper
/// count is entered and two members confirm it: the round is counted on paper, the page and the
/// minutes say why and when, the history says it in Vietnamese, and the log replays to the same
/// elections. Refused while the round is open and once it is counted.
fn set_aside_and_count_on_paper(app: &TestApp) {
    let mut rehearsal = election(app);
    let id = ElectionId::parse(ELECTION).unwrap();
    let path = format!("/elections/{ELECTION}");
    let set_aside = format!("{path}/set-aside");
    let secretariat = super::support::signed_in(app, "thuky12");
    every_member_votes(app, &mut rehearsal);
    // Open: nothing to set aside.
    assert!(!secretariat
        .get(&path)
        .body
        .contains("id=\"set-aside-count\""));
    assert_eq!(secretariat.get(&set_aside).status, 409);
    closed_with_two_shares(app, &mut rehearsal);
    // Stuck: no paper count is offered, the secretariat is offered to count on paper.
    let page = secretariat.get(&path).body;
    assert!(
        page.contains(&format!(
            "id=\"set-aside-count\" href=\"{set_aside}\">Chuyển sang kiểm phiếu giấy (vòng 1)</a>"
        )),
        "{page}"
    );
    assert!(!page.contains("id=\"enter-paper\""), "{page}");
    // The secretariat's home says what the round waits for, and where the way out is.
    let waiting = "vòng 1 đã đóng: 2/3 đơn vị giữ khoá cần thiết đã gửi phần giải mã; đang chờ.";
    let home = secretariat.get("/").body;
    assert!(home.contains(waiting), "{home}");
    let leader = super::support::signed_in(app, "lanhdao-ag");
    assert!(!leader.get(&path).body.contains("id=\"set-aside-count\""));
    assert_eq!(leader.get(&set_aside).status, 403);
    let post = |c: &super::support::Client, to: &str, fields: &[(&str, &str)]| {
        let csrf = c.get("/account").csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        c.post_form(to, &all)
    };
    let reason = "Công an tỉnh Cà Mau, An Giang và Bạc Liêu mất tệp khoá giữ khoá";
    assert_eq!(
        post(
            &leader,
            &set_aside,
            &[("round", "1"), ("reason", reason), ("confirm", "1")]
        )
        .status,
        403
    );
    let form = secretariat.get(&set_aside);
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains("2 trên 3 đơn vị giữ khoá cần thiết đã gửi phần giải mã")
            && form.body.contains("name=\"reason\"")
            && form.body.contains("name=\"confirm\""),
        "{}",
        form.body
    );
    let missing = post(&secretariat, &set_aside, &[("round", "1"), ("reason", " ")]);
    assert_eq!(missing.status, 422);
    assert!(
        missing.body.contains("id=\"reason-error\"")
            && missing.body.contains("id=\"set-aside-confirm-error\""),
        "{}",
        missing.body
    );
    let unconfirmed = post(
        &secretariat,
        &set_aside,
        &[("round", "1"), ("reason", reason)],
    );
    assert_eq!(unconfirmed.status, 422);
    assert!(
        unconfirmed.body.contains("Đánh dấu ô xác nhận") && unconfirmed.body.contains(reason),
        "what was typed is kept: {}",
        unconfirmed.body
    );
    assert!(app.service.read().election(&id).unwrap().rounds[0]
        .set_aside
        .is_none());
    let done = post(
        &secretariat,
        &set_aside,
        &[("round", "1"), ("reason", reason), ("confirm", "1")],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(secretariat.get(&set_aside).status, 409, "once");
    assert!(
        !secretariat.get("/").body.contains(waiting),
        "no longer waiting"
    );
    // No share is taken any more.
    let e = app.service.read().election(&id).unwrap().clone();
    let late = rehearsal.decryption(&e, 1, &unit("ca-cm"));
    let err = app
        .service
        .execute(&leader_of(&unit("ca-cm")), Command::Vote(late))
        .unwrap_err();
    assert!(format!("{err:?}").contains("count_set_aside"), "{err:?}");
    let page = secretariat.get(&path).body;
    assert!(
        page.contains("id=\"set-aside-1\"") && page.contains(reason),
        "{page}"
    );
    assert!(
        page.contains("Vòng 1: <span class=\"status\">đã dừng kiểm phiếu điện tử, chờ kết quả kiểm phiếu giấy</span>"),
        "{page}"
    );
    assert!(page.contains("id=\"enter-paper\""), "{page}");
    // The members vote again on paper: the count is entered and two members confirm it.
    let res = post(
        &secretariat,
        &format!("{path}/paper"),
        &[
            ("round", "1"),
            ("a-0", "5"),
            ("a-1", "4"),
            ("a-2", "1"),
            ("a-3", "0"),
            ("blank", "0"),
            ("issued", "5"),
            ("returned", "5"),
            ("invalid", "0"),
            ("team", "Nguyễn Văn A, Trưởng ban\nTrần Thị B, Thành viên"),
            ("note", ""),
            ("confirmed", "1"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    for (user, u) in [("lanhdao-ag", "ca-ag"), ("lanhdao-kg", "ca-kg")] {
        let c = super::support::signed_in(app, user);
        let res = post(
            &c,
            &format!("{path}/paper/confirm"),
            &[("round", "1"), ("unit", u), ("password", PASSWORD)],
        );
        assert_eq!(res.status, 303, "{}", res.body);
    }
    let round = app.service.read().election(&id).unwrap().rounds[0].clone();
    let count = round.count.expect("counted");
    assert!(count.paper);
    assert_eq!(count.approvals, vec![5, 4, 1, 0]);
    assert_eq!(
        round.ballots.len(),
        5,
        "the electronic ballots stay in the log"
    );
    let page = leader.get(&path).body;
    assert!(
        page.contains("Vòng 1: <span class=\"status\">đã kiểm phiếu</span>")
            && page.contains("Kiểm phiếu giấy tại hội nghị")
            && page.contains(reason),
        "{page}"
    );
    assert_eq!(secretariat.get(&set_aside).status, 409, "counted");
    let minutes = leader.get(&format!("{path}/minutes?round=1")).body;
    assert!(
        minutes.contains("id=\"set-aside\"") && minutes.contains(reason),
        "{minutes}"
    );
    let history = secretariat
        .get("/history?kind=electronic_count_abandoned")
        .body;
    assert!(
        history.contains("đã dừng kiểm phiếu điện tử vòng 1 của cuộc bỏ phiếu")
            && history.contains(reason),
        "{history}"
    );
    across_clusters(app);
    // The log replays to the same elections.
    let state = app.service.read();
    let entries = app.service.store().entries(0, state.size).unwrap();
    let mut replayed = thidua_domain::State::default();
    for (i, entry) in entries.iter().enumerate() {
        let event = thidua_domain::Event::decode(i as u64, &entry.bytes).unwrap();
        replayed.apply(&event).unwrap();
    }
    assert_eq!(replayed.elections, state.elections);
}

/// The Ministry's department reads the counted vote among every cluster's awards of 2024; a
/// member of Cluster 13 reads only its own cluster, which has no vote.
fn across_clusters(app: &TestApp) {
    let ministry = super::support::signed_in(app, "giamsat-bo");
    let page = ministry.get("/awards");
    assert_eq!(page.status, 200);
    let row = super::support::element_text(&page.body, "awards-cum-12", "tr");
    assert!(
        row.contains("Chưa công bố")
            && row.contains("Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024: Công an tỉnh Kiên Giang (5/5 phiếu đồng ý); Công an tỉnh An Giang (4/5 phiếu đồng ý) được đề nghị")
            && row.contains("Chưa phát hành"),
        "{row}"
    );
    assert!(page.body.contains("id=\"awards-cum-13\""));
    assert!(
        page.body.contains("id=\"awards-link\">Khen thưởng</a>"),
        "in the overseers' menu"
    );
    let member = super::support::signed_in(app, "canbo-dt");
    let api = member.get("/api/v1/awards?year=2024").json();
    assert_eq!(api["clusters"].as_array().unwrap().len(), 1, "{api}");
    assert_eq!(api["clusters"][0]["id"], "cum-13");
    assert_eq!(api["clusters"][0]["elections"], serde_json::json!([]));
    let all = ministry.get("/api/v1/awards?year=2024").json();
    let e = &all["clusters"][0]["elections"][0];
    assert_eq!(
        (e["award"].as_str(), e["status"].as_str()),
        (Some("ministry_flag"), Some("decided"))
    );
    assert_eq!(member.get("/api/v1/awards?year=hai").status, 400);
    // The same awards as a workbook, one row per proposed unit; a member's holds its cluster.
    assert!(page
        .body
        .contains("id=\"awards-xlsx\" href=\"/api/v1/awards.xlsx?year=2024\""));
    let xlsx = ministry.get_bytes("/api/v1/awards.xlsx?year=2024");
    let rows = super::midyear::cells(&xlsx);
    let proposed: Vec<&Vec<String>> = rows
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r.len() > 8 && r[1] == "Cụm thi đua số 12")
        .collect();
    assert_eq!(proposed.len(), 2, "{rows:?}");
    assert_eq!(
        proposed[0][2..9].to_vec(),
        [
            "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024",
            "Cờ thi đua của Bộ Công an",
            "Công an tỉnh Kiên Giang",
            "",
            "",
            "5",
            "5"
        ],
        "{rows:?}"
    );
    let theirs = super::midyear::cells(&member.get_bytes("/api/v1/awards.xlsx?year=2024"));
    assert!(
        theirs
            .iter()
            .all(|(_, r)| !r.iter().any(|c| c == "Cụm thi đua số 12")),
        "{theirs:?}"
    );
}

#[test]
fn vote_set_aside_and_counted_on_paper_sqlite() {
    set_aside_and_count_on_paper(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn vote_set_aside_and_counted_on_paper_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        set_aside_and_count_on_paper(&app);
    }
}

/// Over HTTP: once round 1 is closed, each trustee unit's leader has a to-do on its home page
/// until its unit has posted its decryption share (or enough have), linking to its section of
/// the election page, which says what to do and gives the command for this server, the
/// election and the unit (the token read into THIDUA_TOKEN, never on the command line), the
/// account page for the token and how many shares are in of those needed. The secretariat
/// gets no such section.
#[test]
fn trustees_are_told_how_to_decrypt_a_closed_round() {
    let app = spawn(Backend::Sqlite).unwrap();
    let mut rehearsal = election(&app);
    every_member_votes(&app, &mut rehearsal);
    let id = ElectionId::parse(ELECTION).unwrap();
    let thuky = Actor::User(UserId::parse("thuky12").unwrap());
    let ag = super::support::signed_in(&app, "lanhdao-ag");
    let link = format!("href=\"/elections/{ELECTION}#trustee-ca-ag\"");
    assert!(
        !ag.get("/").body.contains(&link),
        "nothing before the close"
    );
    app.service
        .execute(
            &thuky,
            Command::Vote(VoteCommand::CloseRound {
                election: id.clone(),
                round: 1,
            }),
        )
        .unwrap();
    let home = ag.get("/").body;
    assert!(home.contains(&link), "{home}");
    assert!(home.contains("cần gửi phần giải mã"), "{home}");
    assert!(home.contains("0/3 phần giải mã cần thiết đã có"), "{home}");
    let page = ag.get(&format!("/elections/{ELECTION}")).body;
    assert!(page.contains("id=\"trustee-ca-ag\""), "{page}");
    let server = &app.base;
    assert!(
        page.contains(&format!(
            "thidua trustee decrypt --server {server} --log-key"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "--election {ELECTION} --unit ca-ag --state TỆP_TRẠNG_THÁI"
        )),
        "{page}"
    );
    assert!(page.contains("read -rs THIDUA_TOKEN"), "{page}");
    assert!(!page.contains("--token"), "never on the command line");
    assert!(page.contains("<a href=\"/account\">"), "{page}");
    assert!(
        page.contains("0/3 phần giải mã cần thiết đã gửi."),
        "{page}"
    );
    let secretariat = super::support::signed_in(&app, "thuky12");
    assert!(!secretariat
        .get(&format!("/elections/{ELECTION}"))
        .body
        .contains("trustee-task"));
    for u in ["ca-kg", "ca-hg"] {
        let e = app.service.read().election(&id).unwrap().clone();
        let c = rehearsal.decryption(&e, 1, &unit(u));
        app.service
            .execute(&leader_of(&unit(u)), Command::Vote(c))
            .unwrap();
    }
    let kg = super::support::signed_in(&app, "lanhdao-kg");
    assert!(!kg.get("/").body.contains("#trustee-ca-kg"), "posted");
    assert!(!kg
        .get(&format!("/elections/{ELECTION}"))
        .body
        .contains("id=\"trustee-ca-kg\""));
    assert!(ag
        .get("/")
        .body
        .contains("2/3 phần giải mã cần thiết đã có"));
    english(&ag);
    let page = ag.get(&format!("/elections/{ELECTION}")).body;
    assert!(
        page.contains("2 of the 3 decryption shares needed have been posted."),
        "{page}"
    );
    assert!(page.contains("--state STATE_FILE"), "{page}");
    let e = app.service.read().election(&id).unwrap().clone();
    let c = rehearsal.decryption(&e, 1, &unit("ca-cm"));
    app.service
        .execute(&leader_of(&unit("ca-cm")), Command::Vote(c))
        .unwrap();
    assert!(
        !ag.get("/").body.contains(&link),
        "the threshold is reached"
    );
    assert!(!ag
        .get(&format!("/elections/{ELECTION}"))
        .body
        .contains("trustee-task"));
}

/// Over HTTP: during the key generation, a trustee unit's leader has a to-do for the step that
/// waits for its unit (none while it waits for the others), and the election page gives the
/// `thidua trustee step` command for this server, the election and the unit.
#[test]
fn trustees_are_told_their_key_ceremony_step() {
    let app = spawn(Backend::Sqlite).unwrap();
    election(&app);
    let secretariat = Actor::User(UserId::parse("thuky12").unwrap());
    let id = ElectionId::parse("cum-truong-2025").unwrap();
    app.service
        .execute(
            &secretariat,
            Command::Vote(VoteCommand::OpenElection {
                election: id.clone(),
                cluster: ClusterId::parse("cum-12").unwrap(),
                year: 2024,
                award: AwardKind::Head,
                title: text("Bầu cụm trưởng năm 2025"),
                seats: 1,
                approval: Fraction { num: 4, den: 5 },
                quorum: Fraction { num: 2, den: 3 },
                trustee_threshold: 3,
            }),
        )
        .unwrap();
    let e = app.service.read().election(&id).unwrap().clone();
    let (_, commands) = Rehearsal::ceremony(&e, [23; 32]);
    let login = |u: &UnitId| {
        let user = VOTERS.iter().find(|(_, x)| *x == u.as_str()).unwrap().0;
        super::support::signed_in(&app, user)
    };
    let link = |u: &UnitId| format!("href=\"/elections/cum-truong-2025#trustee-{u}\"");
    let (first, last) = (&e.members[0], &e.members[4]);
    for (u, c) in &commands[..4] {
        app.service
            .execute(&leader_of(u), Command::Vote(c.clone()))
            .unwrap();
    }
    let home = login(last).get("/").body;
    assert!(home.contains(&link(last)), "{home}");
    assert!(home.contains("«gửi cam kết phần khoá»"), "{home}");
    assert!(
        !login(first).get("/").body.contains(&link(first)),
        "committed: it waits for the others"
    );
    for (u, c) in &commands[4..6] {
        app.service
            .execute(&leader_of(u), Command::Vote(c.clone()))
            .unwrap();
    }
    let second = &e.members[1];
    let page = login(second).get("/elections/cum-truong-2025").body;
    assert!(page.contains(&format!("id=\"trustee-{second}\"")), "{page}");
    assert!(
        page.contains(&format!("thidua trustee step --server {}", app.base)),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "--election cum-truong-2025 --unit {second} --state"
        )),
        "{page}"
    );
    assert!(page.contains("«công bố phần khoá công khai»"), "{page}");
    assert!(page.contains("1/5 đơn vị giữ khoá đã làm bước"), "{page}");
    assert!(
        !login(first).get("/").body.contains(&link(first)),
        "revealed"
    );
}
