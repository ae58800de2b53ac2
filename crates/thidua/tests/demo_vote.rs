//! The demonstration's open vote can be taken to its count as its users would: the leaders vote
//! with `thidua vote`, the secretariat closes the round through the API, and three trustees
//! decrypt with the trustee files the demonstration wrote (owner-only) beside its data.

mod support;

use support::{api_token, run, serve_demo_once, thidua, Running};

const ELECTION: &str = "co-thi-dua-chinh-phu-2024";

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
    let log_key = ureq::get(&format!("{url}/api/v1/log/key"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let election = || -> serde_json::Value {
        ureq::get(&format!("{url}/api/v1/elections/{ELECTION}"))
            .set("authorization", &format!("Bearer {secretariat}"))
            .call()
            .unwrap()
            .into_json::<serde_json::Value>()
            .unwrap()["election"]
            .clone()
    };
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
    let count = election()["rounds"][0]["count"].clone();
    assert_eq!(count["ballots"], voters.len(), "{count}");
    assert_eq!(count["approvals"][0], voters.len(), "{count}");
    drop(server);
}
