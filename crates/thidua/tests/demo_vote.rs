//! The demonstration's open vote can be taken to its count as its users would: the leaders vote
//! with `thidua vote`, the secretariat closes the round through the API, and three trustees
//! decrypt with the trustee files the demonstration wrote (owner-only) beside its data.

#[allow(dead_code)]
// the log key read from the data directory is for other tests (here: from the server)
mod support;

use support::{api_token, run, serve_demo_once, thidua, Running};

const ELECTION: &str = "co-thi-dua-bo-cong-an-2024";

#[test]
fn the_demonstrations_open_vote_is_counted_with_its_trustee_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, data) = (tmp.path(), tmp.path().join("demo"));
    serve_demo_once(&["--data".into(), data.clone().into()]);
    let trustees = data.join("demo-trustees");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(trustees.join("ca-kg.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a trustee's secrets are its own");
    }
    let secretariat = api_token(&data, "thuky.cum12", "the secretariat's script");
    let server = Running::start(&data);
    let url = server.url.clone();
    let log_key = served_log_key(&url);
    let election = || election_json(&url, &secretariat);
    let candidates: Vec<String> =
        serde_json::from_value(election()["rounds"][0]["candidates"].clone()).unwrap();
    let leader = |sub: &[&str], unit: &str| {
        let token = api_token(&data, &format!("lanhdao.{}", &unit[3..]), "demo vote");
        let mut cmd = thidua();
        cmd.args(sub)
            .env("THIDUA_LOG_KEY", log_key.trim())
            .env("THIDUA_TOKEN", token)
            .args(["--server", &url, "--election", ELECTION, "--unit", unit]);
        cmd
    };
    let seats = election()["rounds"][0]["seats"].as_u64().unwrap() as usize;
    assert!(candidates.len() > seats, "{candidates:?} for {seats} seats");
    let too_many = run(leader(&["vote"], "ca-kg")
        .args(["--approve", &candidates.join(","), "--key"])
        .arg(dir.join("too-many.vote.key")));
    assert!(!too_many.status.success());
    let said = String::from_utf8_lossy(&too_many.stderr);
    assert!(
        said.contains(&format!("chọn được nhiều nhất {seats} đơn vị"))
            && said.contains(&format!("at most {seats} candidates")),
        "said in both languages before anything is sent: {said}"
    );
    refused_under_another_logs_key(dir, leader(&["vote"], "ca-kg"), &candidates[0]);
    let voters = ["ca-kg", "ca-ag", "ca-hg", "ca-cm"];
    for unit in voters {
        let out = run(leader(&["vote"], unit)
            .args(["--approve", &candidates[0], "--key"])
            .arg(dir.join(format!("{unit}.vote.key"))));
        assert!(out.status.success());
    }
    let close = thidua_domain::Command::Vote(thidua_domain::votes::VoteCommand::CloseRound {
        election: thidua_domain::ElectionId::parse(ELECTION).unwrap(),
        round: 1,
    });
    ureq::post(&format!("{url}/api/v1/commands"))
        .set("authorization", &format!("Bearer {secretariat}"))
        .send_json(serde_json::to_value(close).unwrap())
        .unwrap();
    for unit in ["ca-kg", "ca-hg", "ca-cm"] {
        let state = trustees.join(format!("{unit}.json"));
        let out = run(leader(&["trustee", "decrypt"], unit)
            .arg("--state")
            .arg(state));
        assert!(out.status.success());
    }
    let again = run(leader(&["trustee", "decrypt"], "ca-kg")
        .arg("--state")
        .arg(trustees.join("ca-kg.json")));
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("ca-kg đã gửi phần giải mã của vòng 1")
            && said.contains("ca-kg already posted its decryption shares of round 1"),
        "{said}"
    );
    let count = election()["rounds"][0]["count"].clone();
    assert_eq!(count["ballots"], voters.len(), "{count}");
    assert_eq!(count["approvals"][0], voters.len(), "{count}");
    drop(server);
}

/// When too few trustees can decrypt the demonstration's open vote (one of the three needed
/// posts its shares), the secretariat sets the electronic count aside through the API, a later
/// trustee's `thidua trustee decrypt` is refused, the members' paper count is recorded and two
/// leaders confirm it; `thidua verify` accepts the log and says that the round was counted on
/// paper, at which record the electronic count was set aside, when and why.
#[test]
fn a_round_the_trustees_cannot_decrypt_is_verified_as_counted_on_paper() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, data) = (tmp.path(), tmp.path().join("demo"));
    serve_demo_once(&["--data".into(), data.clone().into()]);
    let trustees = data.join("demo-trustees");
    let secretariat = api_token(&data, "thuky.cum12", "the secretariat's script");
    let server = Running::start(&data);
    let url = server.url.clone();
    let log_key = served_log_key(&url);
    let election = || election_json(&url, &secretariat);
    use thidua_domain::votes::{PaperCount, VoteCommand};
    let id = thidua_domain::ElectionId::parse(ELECTION).unwrap();
    let text = |s: &str| thidua_domain::Text::parse("test", s, 500).unwrap();
    let command = |token: &str, vote: VoteCommand| {
        let command = thidua_domain::Command::Vote(vote);
        ureq::post(&format!("{url}/api/v1/commands"))
            .set("authorization", &format!("Bearer {token}"))
            .send_json(serde_json::to_value(command).unwrap())
            .map(|res| res.status())
            .map_err(|e| e.to_string())
    };
    // A paper count binds: recorded and confirmed with the password again, as on the pages.
    let binding = |token: &str, vote: VoteCommand| {
        let command = thidua_domain::Command::Vote(vote);
        ureq::post(&format!("{url}/api/v1/commands/binding"))
            .set("authorization", &format!("Bearer {token}"))
            .send_json(serde_json::json!({"command": command, "password": "thidua-demo-2024"}))
            .map(|res| res.status())
            .map_err(|e| e.to_string())
    };
    let candidates: Vec<String> =
        serde_json::from_value(election()["rounds"][0]["candidates"].clone()).unwrap();
    let leader_token =
        |unit: &str| api_token(&data, &format!("lanhdao.{}", &unit[3..]), "demo vote");
    let leader = |sub: &[&str], unit: &str| {
        let mut cmd = thidua();
        cmd.args(sub)
            .env("THIDUA_LOG_KEY", log_key.trim())
            .env("THIDUA_TOKEN", leader_token(unit))
            .args(["--server", &url, "--election", ELECTION, "--unit", unit]);
        cmd
    };
    refused_under_another_logs_key(dir, leader(&["vote"], "ca-kg"), &candidates[0]);
    let voters = ["ca-kg", "ca-ag", "ca-hg", "ca-cm"];
    let mut first_receipt = String::new();
    for unit in voters {
        let out = run(leader(&["vote"], unit)
            .args(["--approve", &candidates[0], "--key"])
            .arg(dir.join(format!("{unit}.vote.key"))));
        assert!(out.status.success());
        if unit == "ca-kg" {
            first_receipt = receipt_of(&out);
        }
    }
    // Voting again replaces the ballot, and the receipt says which one no longer counts.
    let out = run(leader(&["vote"], "ca-kg")
        .args(["--approve", &candidates[0], "--key"])
        .arg(dir.join("ca-kg.vote.key")));
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("thay phiếu trước / replaces") && stdout.contains("no longer counts"),
        "{stdout}"
    );
    let second_receipt = receipt_of(&out);
    command(
        &secretariat,
        VoteCommand::CloseRound {
            election: id.clone(),
            round: 1,
        },
    )
    .unwrap();
    let decrypt = |unit: &str| {
        run(leader(&["trustee", "decrypt"], unit)
            .arg("--state")
            .arg(trustees.join(format!("{unit}.json"))))
    };
    // Another unit's state file is refused before anything is sent.
    let out = run(leader(&["trustee", "decrypt"], "ca-ag")
        .arg("--state")
        .arg(trustees.join("ca-kg.json")));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("không phải của ca-ag (số 1): chưa gửi gì")
            && stderr.contains("not ca-ag's (trustee 1): nothing was sent"),
        "{stderr}"
    );
    assert!(decrypt("ca-kg").status.success());
    let reason =
        "Công an tỉnh Hậu Giang và Cà Mau mất tệp khoá giữ khoá: chỉ 1 trên 3 đơn vị giải mã được";
    command(
        &secretariat,
        VoteCommand::AbandonElectronicCount {
            election: id.clone(),
            round: 1,
            reason: text(reason),
        },
    )
    .unwrap();
    assert!(!decrypt("ca-hg").status.success(), "no share after it");
    let mut approvals = vec![0; candidates.len()];
    approvals[0] = 5;
    let count = PaperCount {
        approvals,
        abstentions: 0,
        issued: 5,
        returned: 5,
        invalid: 0,
        counting_team: vec![text("Nguyễn Văn Kiểm, trưởng ban kiểm phiếu")],
        note: None,
    };
    let without_password = VoteCommand::RecordPaperCount {
        election: id.clone(),
        round: 1,
        count: count.clone(),
    };
    assert!(
        command(&secretariat, without_password).is_err_and(|e| e.contains("status code 403")),
        "a paper count is not recorded on a token alone"
    );
    binding(
        &secretariat,
        VoteCommand::RecordPaperCount {
            election: id.clone(),
            round: 1,
            count,
        },
    )
    .unwrap();
    for unit in ["ca-ag", "ca-bl"] {
        binding(
            &leader_token(unit),
            VoteCommand::ConfirmPaperCount {
                election: id.clone(),
                round: 1,
                unit: thidua_domain::UnitId::parse(unit).unwrap(),
            },
        )
        .unwrap();
    }
    let count = election()["rounds"][0]["count"].clone();
    assert_eq!(count["paper"], true, "{count}");
    // `thidua serve` runs no witness: the checkpoints after the demonstration's load are not
    // cosigned, which `verify` accepts only when told.
    let verify = |json: bool| {
        let mut cmd = thidua();
        cmd.current_dir(dir).args([
            "verify",
            "--no-state",
            "--allow-unwitnessed",
            "--server",
            &url,
            "--token",
            &secretariat,
            "--log-key",
            log_key.trim(),
        ]);
        if json {
            cmd.arg("--json");
        }
        run(&mut cmd)
    };
    let out = verify(false);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains(&format!("{ELECTION} vòng / round 1: "))
            && stdout.contains("(kiểm phiếu giấy / paper count, record ")
            && stdout.contains("; electronic count of 4 ballots set aside at record ")
            && stdout.contains(&format!("with 1 of 3 decryption shares: \"{reason}\")")),
        "{stdout}"
    );
    // The voter finds its receipts in the log it verified itself: the replaced ballot no
    // longer counts, the later one does; a receipt the log does not hold fails the command.
    let with_receipts_as = |token: Option<String>, receipts: &[&str]| {
        let mut cmd = thidua();
        match token {
            Some(token) => cmd.env("THIDUA_TOKEN", token),
            None => cmd.env_remove("THIDUA_TOKEN"),
        };
        cmd.current_dir(dir)
            .args([
                "verify",
                "--no-state",
                "--allow-unwitnessed",
                "--server",
                &url,
            ])
            .args(["--log-key", log_key.trim()]);
        for r in receipts {
            cmd.args(["--receipt", r]);
        }
        run(&mut cmd)
    };
    let with_receipts = |receipts: &[&str]| with_receipts_as(Some(leader_token("ca-kg")), receipts);
    let out = with_receipts(&[&first_receipt, &second_receipt]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = |r: &str| {
        let (index, hash) = r.split_once(':').unwrap();
        let head = format!("receipt  {index}:{}…  ", &hash[..16]);
        stdout
            .lines()
            .find(|l| l.contains(&head))
            .unwrap_or_else(|| panic!("{head}: {stdout}"))
            .to_owned()
    };
    assert!(
        line(&first_receipt).contains("the ballot of ca-kg")
            && line(&first_receipt).contains("no longer counted"),
        "{stdout}"
    );
    assert!(
        line(&second_receipt).ends_with("được tính / counted"),
        "{stdout}"
    );
    // Without a member's token the ballot's record cannot be read: said as not checked.
    let out = with_receipts_as(None, &[&second_receipt]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is hidden from this token"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (index, _) = second_receipt.split_once(':').unwrap();
    let forged = format!("{index}:{}", "0".repeat(64));
    let out = with_receipts(&[&forged]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("KHÔNG CÓ / NOT FOUND"));
    let out = verify(true);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let round = v["votes"]["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["election"] == ELECTION)
        .unwrap_or_else(|| panic!("{v}"))
        .clone();
    assert_eq!(round["paper"], true, "{round}");
    let set_aside = &round["electronic_count_set_aside"];
    assert_eq!(set_aside["reason"], reason, "{round}");
    assert_eq!(set_aside["uncounted_ballots"], 4, "{round}");
    assert!(set_aside["record"].as_u64().is_some() && set_aside["time_ms"].as_i64().is_some());
    drop(server);
    // The vote-count minutes of the round say the electronic count was set aside, why, and that
    // the count is the paper one; they recite the record that set it aside.
    use thidua_store::EventStore;
    let store = thidua_store_sqlite::SqliteStore::open(&data.join("thidua.db")).unwrap();
    let mut state = thidua_domain::State::default();
    for (i, entry) in store
        .entries(0, store.size().unwrap())
        .unwrap()
        .iter()
        .enumerate()
    {
        let event = thidua_domain::Event::decode(i as u64, &entry.bytes).unwrap();
        state.apply(&event).unwrap();
    }
    let prepared = thidua_docs::prepare(
        &state,
        &thidua_docs::Request::VoteCount {
            election: id.clone(),
            round: Some(1),
            place: "Cần Thơ".into(),
            date: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        },
    )
    .unwrap();
    let body = serde_json::to_string(&prepared.document.body).unwrap();
    assert!(
        body.contains("Văn phòng cụm đã dừng kiểm phiếu điện tử")
            && body.contains(reason)
            && body.contains("kết quả dưới đây là kết quả kiểm phiếu giấy")
            && body.contains("Kiểm phiếu giấy tại phòng họp"),
        "{body}"
    );
    let record = set_aside["record"].as_u64().unwrap();
    assert!(prepared.records.contains(&record), "{:?}", prepared.records);
}

/// The log key the server at `url` publishes.
/// A ballot cast under a log key that did not sign this log (another log's, made in
/// `dir/other-log`) is refused in both languages before any key file is made or anything is
/// sent.
fn refused_under_another_logs_key(
    dir: &std::path::Path,
    mut vote: std::process::Command,
    candidate: &str,
) {
    let other = dir.join("other-log");
    assert!(run(thidua()
        .args(["bench", "append", "--count", "1", "--data"])
        .arg(&other))
    .status
    .success());
    let other_key =
        String::from_utf8(run(thidua().args(["log", "key", "--data"]).arg(&other)).stdout).unwrap();
    let refused = run(vote
        .env("THIDUA_LOG_KEY", other_key.trim())
        .args(["--approve", candidate, "--key"])
        .arg(dir.join("other-key.vote.key")));
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("bản chốt sổ của nhật ký không được ký bằng khoá nhật ký máy này dùng")
            && said.contains("the log's checkpoint is not signed by the log key"),
        "{said}"
    );
    assert!(!dir.join("other-key.vote.key").exists());
}

fn served_log_key(url: &str) -> String {
    ureq::get(&format!("{url}/api/v1/log/key"))
        .call()
        .unwrap()
        .into_string()
        .unwrap()
}

/// The demonstration's open election as the API gives it to the secretariat's `token`.
fn election_json(url: &str, token: &str) -> serde_json::Value {
    ureq::get(&format!("{url}/api/v1/elections/{ELECTION}"))
        .set("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap()
        .into_json::<serde_json::Value>()
        .unwrap()["election"]
        .clone()
}

/// The receipt `thidua vote` printed, as `thidua verify --receipt` takes it: RECORD:HASH.
fn receipt_of(out: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = |label: &str| {
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("{label}: {stdout}"))
    };
    format!(
        "{}:{}",
        value("số thứ tự trong sổ / record"),
        value("mã băm phiếu / ballot hash")
    )
}
