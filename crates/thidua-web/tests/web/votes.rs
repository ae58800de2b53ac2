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
    s.execute(
        &secretariat,
        Command::Vote(VoteCommand::OpenElection {
            election: ElectionId::parse(ELECTION).unwrap(),
            cluster,
            year: 2024,
            award: AwardKind::MinistryFlag,
            title: text("Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024"),
            seats: 2,
            approval: Fraction { num: 4, den: 5 },
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 3,
        }),
    )
    .unwrap();
    let e = s
        .read()
        .election(&ElectionId::parse(ELECTION).unwrap())
        .unwrap()
        .clone();
    let (rehearsal, commands) = Rehearsal::ceremony(&e, [11; 32]);
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
    assert!(b.text("#path-browser").contains("mã WebAssembly"));
    assert!(b.text("#small-electorate").contains("nhất trí"));
    // Without the WebAssembly path, the command line offered checks the log against its key.
    let key = app.service.key().verifier_key();
    assert!(
        b.source()
            .contains(&format!("thidua vote --server URL --log-key '{key}'")),
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
        result.contains("100,0%") && result.contains("80,0%") && result.contains("Được chọn"),
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
