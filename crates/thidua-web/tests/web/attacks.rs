//! Attacks on accounts, tried as an attacker would against a real server: simultaneous guesses
//! at one password, forged forwarded headers, the counters across servers and restarts, and
//! what a password change or an administrator's reset leaves of the user's sessions and tokens.

use std::sync::{Arc, Barrier};

use serde_json::json;
use thidua_web::throttle::{PER_ACCOUNT, PER_ADDRESS};

use super::support::{signed_in, spawn, spawn_configured, Backend, Client, TestApp, PASSWORD};

/// `n` sign-in attempts at `user` sent at the same instant, each from its own client; the one
/// at `right` carries the right password. Returns the statuses.
fn simultaneous_attempts(app: &TestApp, user: &str, n: usize, right: usize) -> Vec<u16> {
    let barrier = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let c = Client::new(&app.base);
            let csrf = c.get("/login").csrf();
            let (barrier, user) = (barrier.clone(), user.to_owned());
            std::thread::spawn(move || {
                let password = if i == right {
                    PASSWORD
                } else {
                    "đoán sai mật khẩu"
                };
                barrier.wait();
                c.post_form(
                    "/login",
                    &[("csrf", &csrf), ("user", &user), ("password", password)],
                )
                .status
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// How many attempts the account policy lets through in `elapsed_ms`: the free ones, then one
/// more each time the growing delay has passed. A burst spread over time by a loaded machine
/// (hashing waits for its few threads) legitimately gets a few more than the free ones; 64
/// slipping through at once would be the race this test is for.
fn most_checked_within(elapsed_ms: i64) -> usize {
    let (mut checked, mut waited, mut delay) =
        (PER_ACCOUNT.free as usize, 0, PER_ACCOUNT.first_delay_ms);
    while waited + delay <= elapsed_ms {
        waited += delay;
        checked += 1;
        delay = (delay * 2).min(PER_ACCOUNT.max_delay_ms);
    }
    checked
}

fn sixty_four_simultaneous_guesses(app: &TestApp) {
    let started = std::time::Instant::now();
    let statuses = simultaneous_attempts(app, "lanhdao-kg", 64, 63);
    let elapsed_ms = started.elapsed().as_millis() as i64;
    let checked = statuses.iter().filter(|s| [401, 303].contains(s)).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 64, "nothing else: {statuses:?}");
    // The right password, when it gets in, resets the account's counter (a success ends the
    // failures): the attempts after it start again with the free ones.
    let reset = if statuses[63] == 303 {
        PER_ACCOUNT.free as usize
    } else {
        0
    };
    assert!(
        checked <= most_checked_within(elapsed_ms) + reset,
        "each attempt is counted before its password is checked: {checked} checked in {elapsed_ms} ms"
    );
    if statuses[63] != 303 {
        // Every checked attempt was a failure: the account now waits (read from the store, not
        // by timing a request).
        let mut failures = 0;
        app.accounts
            .update_throttle(&["u:lanhdao-kg"], &mut |r| {
                failures = r[0].failures;
                false
            })
            .unwrap();
        assert_eq!(failures as usize, checked);
        assert!(
            checked >= PER_ACCOUNT.free as usize,
            "the limit was reached"
        );
    }
}

#[test]
fn sixty_four_simultaneous_guesses_on_sqlite() {
    sixty_four_simultaneous_guesses(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn sixty_four_simultaneous_guesses_on_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        sixty_four_simultaneous_guesses(&app);
    }
}

/// The counters are in the database: another server (after a restart, or a second server on
/// PostgreSQL) sees the failures counted by the first.
fn counters_outlive_the_server(app: &TestApp) {
    let c = Client::new(&app.base);
    for _ in 0..PER_ACCOUNT.free {
        assert_eq!(c.login("lanhdao-ag", "sai mật khẩu").status, 401);
    }
    let other = app.another_server();
    let r = Client::new(&other.base).login("lanhdao-ag", PASSWORD);
    assert_eq!(r.status, 429, "the other server knows the failures");
}

#[test]
fn counters_outlive_the_server_on_sqlite() {
    counters_outlive_the_server(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn counters_are_shared_between_servers_on_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        counters_outlive_the_server(&app);
    }
}

/// Failed attempts at made-up accounts, each from `client(i)`, past the address's free ones;
/// returns the last status.
fn exhaust_address(client: impl Fn(u32) -> Client) -> u16 {
    let mut last = 0;
    for i in 0..=PER_ADDRESS.free {
        last = client(i)
            .login(&format!("khach{i}"), "không có tài khoản")
            .status;
    }
    last
}

#[test]
fn behind_a_trusted_proxy_each_client_is_throttled_alone() {
    let app = spawn_configured(Backend::Sqlite, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .unwrap();
    let attacker = |_| {
        let c = Client::new(&app.base);
        c.set_header("X-Forwarded-For", "198.51.100.66");
        c
    };
    assert_eq!(exhaust_address(attacker), 429);
    let colleague = Client::new(&app.base);
    colleague.set_header("X-Forwarded-For", "198.51.100.7");
    colleague.set_header("X-Forwarded-Proto", "https");
    let r = colleague.login("quantri", PASSWORD);
    assert_eq!(
        r.status, 303,
        "another client behind the same proxy still signs in"
    );
    assert!(
        r.session_cookie().contains("; Secure"),
        "the proxy says HTTPS: {}",
        r.session_cookie()
    );
}

/// Failures from an address are paid for by waiting, never by its successes: people behind
/// one address (a provincial headquarters' NAT) who sign in correctly after others' failures
/// neither renew the address's penalty nor prolong it, and a refusal owed to the address says
/// so instead of blaming the user.
#[test]
fn successes_neither_renew_nor_prolong_an_address_penalty() {
    let app = spawn(Backend::Sqlite).unwrap();
    let address = "a:127.0.0.1";
    let ten_minutes_ago = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        - 10 * 60_000;
    let failures = PER_ADDRESS.free + 2;
    let set = |failures: u32, last_ms: i64| {
        app.accounts
            .update_throttle(&[address], &mut |r| {
                r[0].failures = failures;
                r[0].last_ms = last_ms;
                true
            })
            .unwrap()
    };
    let read = || {
        let mut record = None;
        app.accounts
            .update_throttle(&[address], &mut |r| {
                record = Some(r[0]);
                false
            })
            .unwrap();
        record.unwrap()
    };
    set(failures, ten_minutes_ago);
    for user in ["lanhdao-kg", "lanhdao-ag", "thuky12"] {
        let r = Client::new(&app.base).login(user, PASSWORD);
        assert_eq!(r.status, 303, "{user} signs in: {}", r.body);
    }
    let after = read();
    assert_eq!(
        after.failures, failures,
        "successes take back their own count"
    );
    assert_eq!(
        after.last_ms, ten_minutes_ago,
        "and leave the time of the last failure, so the window still ends 15 minutes after it"
    );
    // Just after a failure the address must wait, and the page says why.
    set(failures, after.last_ms + 10 * 60_000);
    let r = Client::new(&app.base).login("canbo-kg", PASSWORD);
    assert_eq!(r.status, 429);
    assert!(
        r.body.contains("từ địa chỉ mạng này"),
        "the refusal names the address, not the user's mistake: {}",
        r.body
    );
}

/// Over HTTPS, as a trusted proxy says, every cookie is `Secure` (the sign-in form's CSRF
/// cookie too, set before anyone signs in) and browsers are told to keep to HTTPS; over plain
/// HTTP, or when an untrusted client claims HTTPS, neither.
#[test]
fn over_https_every_cookie_is_secure_and_hsts_is_sent() {
    let app = spawn_configured(Backend::Sqlite, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .unwrap();
    let cookies = |r: &super::support::Resp| -> Vec<String> {
        r.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let https = Client::new(&app.base);
    https.set_header("X-Forwarded-For", "198.51.100.7");
    https.set_header("X-Forwarded-Proto", "https");
    let page = https.get("/login");
    assert_eq!(
        page.header("strict-transport-security"),
        Some("max-age=31536000")
    );
    let set = cookies(&page);
    assert!(set.iter().any(|c| c.starts_with("thidua_csrf=")), "{set:?}");
    assert!(set.iter().all(|c| c.contains("; Secure")), "{set:?}");
    let plain = Client::new(&app.base).get("/login");
    assert_eq!(plain.header("strict-transport-security"), None);
    assert!(cookies(&plain).iter().all(|c| !c.contains("Secure")));
    let untrusted = spawn(Backend::Sqlite).unwrap();
    let claimed = Client::new(&untrusted.base);
    claimed.set_header("X-Forwarded-Proto", "https");
    assert_eq!(
        claimed.get("/login").header("strict-transport-security"),
        None
    );
}

/// Posts the signing confirmation of `gu-12-2024` for `unit` with `password`.
fn step_up(c: &Client, unit: &str, password: &str) -> super::support::Resp {
    let confirm = c.get(&format!("/covenants/gu-12-2024/sign?unit={unit}"));
    let csrf = if confirm.status == 200 {
        confirm.csrf()
    } else {
        c.get("/").csrf()
    };
    c.post_form(
        "/covenants/gu-12-2024/sign",
        &[
            ("csrf", &csrf),
            ("unit", unit),
            ("version", "1"),
            ("hash", &"0".repeat(64)),
            ("password", password),
        ],
    )
}

/// The step-up password before signing is counted like a password change: against the account
/// and the user's own counter, not against the address that everybody behind the reverse proxy
/// shares. Wrong step-up passwords from several accounts (as many as the address allows) leave
/// a colleague's signing alone; the guessing leader's own account is slowed down.
#[test]
fn behind_a_trusted_proxy_wrong_step_ups_delay_only_their_account() {
    let app = spawn_configured(Backend::Sqlite, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .unwrap();
    // The leader of ca-kg sees the refusal beside the password field; the others may not sign
    // for ca-ag at all, but their passwords are checked (and counted) first all the same.
    let guessers = [
        ("lanhdao-kg", "ca-kg"),
        ("quantri", "ca-ag"),
        ("thuky12", "ca-ag"),
        ("giamsat12", "ca-ag"),
    ];
    assert!(guessers.len() as u32 * PER_ACCOUNT.free >= PER_ADDRESS.free);
    for (i, (user, unit)) in guessers.iter().enumerate() {
        let c = Client::new(&app.base);
        c.set_header("X-Forwarded-For", &format!("198.51.100.{}", 10 + i));
        assert_eq!(c.login(user, PASSWORD).status, 303);
        for _ in 0..PER_ACCOUNT.free {
            let r = step_up(&c, unit, "đoán sai mật khẩu");
            assert!([403, 422].contains(&r.status), "{user}: {}", r.body);
        }
        if *user == "lanhdao-kg" {
            let r = step_up(&c, unit, PASSWORD);
            assert!(
                r.body.contains("id=\"sign-password-error\""),
                "the guessed account waits now, even with the right password"
            );
        }
    }
    let colleague = Client::new(&app.base);
    colleague.set_header("X-Forwarded-For", "198.51.100.7");
    assert_eq!(colleague.login("lanhdao-ag", PASSWORD).status, 303);
    let r = step_up(&colleague, "ca-ag", PASSWORD);
    assert!(
        !r.body.contains("id=\"sign-password-error\""),
        "a colleague behind the same proxy still passes the step-up: {} {}",
        r.status,
        r.body
    );
    assert_eq!(r.status, 409, "and reaches the domain (the hash is wrong)");
}

#[test]
fn a_forged_forwarded_header_does_not_change_the_address() {
    let app = spawn(Backend::Sqlite).unwrap();
    let forger = |i| {
        let c = Client::new(&app.base);
        c.set_header("X-Forwarded-For", &format!("203.0.113.{i}"));
        c
    };
    assert_eq!(exhaust_address(forger), 429, "the TCP peer is the address");
}

/// A token made before a password change or an administrator's reset stops working.
fn password_changes_end_tokens(app: &TestApp) {
    let c = signed_in(app, "canbo-kg");
    let token = c
        .post_json("/api/v1/me/tokens", json!({"label": "Báo cáo"}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let bearer = Client::with_bearer(&app.base, &token);
    assert_eq!(bearer.get("/api/v1/me").status, 200);
    let r = c.post_json(
        "/api/v1/me/password",
        json!({"current": PASSWORD, "new": "mật khẩu mới thật dài"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(bearer.get("/api/v1/me").status, 401, "the token is revoked");
    assert_eq!(c.get("/api/v1/me").status, 401, "the session ended");

    let c = Client::new(&app.base);
    assert_eq!(c.login("canbo-kg", "mật khẩu mới thật dài").status, 303);
    let token = c
        .post_json("/api/v1/me/tokens", json!({"label": "Kịch bản"}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = signed_in(app, "quantri");
    let listed = admin.get("/api/v1/users/canbo-kg/tokens").json();
    let live: Vec<_> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["revoked_ms"].is_null())
        .collect();
    assert_eq!(live.len(), 1, "{listed}");
    assert!(!listed.to_string().contains(&token), "never the secret");
    let r = admin.post_json(
        "/api/v1/users/canbo-kg/password",
        json!({"password": "mật khẩu do quản trị đặt"}),
    );
    assert_eq!(r.status, 204);
    let bearer = Client::with_bearer(&app.base, &token);
    assert_eq!(bearer.get("/api/v1/me").status, 401, "revoked by the reset");
}

#[test]
fn password_changes_end_tokens_on_sqlite() {
    password_changes_end_tokens(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn password_changes_end_tokens_on_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        password_changes_end_tokens(&app);
    }
}

#[test]
fn administrators_list_and_revoke_any_users_tokens() {
    let app = spawn(Backend::Sqlite).unwrap();
    let c = signed_in(&app, "lanhdao-kg");
    let created = c
        .post_json("/api/v1/me/tokens", json!({"label": "Máy chủ báo cáo"}))
        .json();
    let (id, token) = (
        created["id"].as_str().unwrap().to_owned(),
        created["token"].as_str().unwrap().to_owned(),
    );
    let bearer = Client::with_bearer(&app.base, &token);
    assert_eq!(
        bearer.get("/api/v1/users/canbo-kg/tokens").status,
        403,
        "not an administrator"
    );
    assert_eq!(
        bearer
            .delete(&format!("/api/v1/users/lanhdao-kg/tokens/{id}"))
            .status,
        403
    );
    let admin = signed_in(&app, "quantri");
    assert_eq!(admin.get("/api/v1/users/nobody/tokens").status, 404);
    // The list of every token links an active one to its holder's tokens, where it is revoked.
    let all = admin.get("/admin/tokens");
    assert!(
        all.body
            .contains("<a href=\"/admin/users/lanhdao-kg/tokens\" id=\"revoke-tokens-lanhdao-kg-"),
        "{}",
        all.body
    );
    // The administration page links to each user's tokens; revoking there works at once.
    let page = admin.get("/admin/users/lanhdao-kg/tokens");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Máy chủ báo cáo"), "{}", page.body);
    assert!(!page.body.contains(&token));
    let r = admin.post_form(
        "/admin/users/lanhdao-kg/tokens/revoke",
        &[("csrf", &page.csrf()), ("id", &id)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(bearer.get("/api/v1/me").status, 401);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/users/lanhdao-kg/tokens/{id}"))
            .status,
        404,
        "already revoked"
    );
    // Revoking it again on the page says so, never "saved".
    let again = admin.post_form(
        "/admin/users/lanhdao-kg/tokens/revoke",
        &[("csrf", &page.csrf()), ("id", &id)],
    );
    assert_eq!(again.status, 404, "{}", again.body);
    assert!(
        again.body.contains("có thể mã đã bị thu hồi"),
        "{}",
        again.body
    );
    assert!(admin
        .get("/admin/people")
        .body
        .contains("/admin/users/lanhdao-kg/tokens"));
}

/// A command naming a covenant, cluster, unit or user the caller may not see gets exactly the
/// answer it would get for one that does not exist (the id aside), whatever the command.
#[test]
fn commands_cannot_tell_a_hidden_thing_from_a_missing_one() {
    let app = spawn(Backend::Sqlite).unwrap();
    let leader = signed_in(&app, "lanhdao-ag");
    let hash = "0".repeat(64);
    let pairs = [
        (
            "gu-13-2024",
            "gu-99-2024",
            json!({"command": "sign_covenant", "covenant": "ID", "version": 1, "unit": "ca-ag", "hash": hash}),
        ),
        (
            "gu-13-2024",
            "gu-99-2024",
            json!({"command": "sign_covenant", "covenant": "ID", "version": 7, "unit": "ca-dt", "hash": hash}),
        ),
        (
            "cum-13",
            "cum-99",
            json!({"command": "set_cluster_leadership", "cluster": "ID", "year": 2024, "position": "head",
                   "unit": "ca-ag", "method": "elected", "decision": "01/QĐ"}),
        ),
        (
            "cum-13",
            "cum-99",
            json!({"command": "set_cluster_year", "cluster": "ID", "year": 2026, "members": ["ca-ag"]}),
        ),
        (
            "ca-dt",
            "ca-zz",
            json!({"command": "register_witness_key", "unit": "ID", "key": "k"}),
        ),
        (
            "canbo-dt",
            "khong-ai",
            json!({"command": "grant_role", "user": "ID", "role": {"role": "officer", "unit": "ca-ag"}}),
        ),
    ];
    for (hidden, missing, template) in pairs {
        let with = |id: &str| {
            let body = template.to_string().replace("\"ID\"", &format!("\"{id}\""));
            leader.post_json("/api/v1/commands", serde_json::from_str(&body).unwrap())
        };
        let (h, m) = (with(hidden), with(missing));
        assert_eq!(h.status, m.status, "{template}: {} vs {}", h.body, m.body);
        assert_eq!(
            h.body.replace(hidden, "ID"),
            m.body.replace(missing, "ID"),
            "{template}"
        );
        assert_ne!(h.status, 200);
    }
    // What the caller may see is answered as before: a signature asks for the password again.
    let r = leader.post_json(
        "/api/v1/commands",
        json!({"command": "sign_covenant", "covenant": "gu-12-2024", "version": 1, "unit": "ca-ag", "hash": hash}),
    );
    assert_eq!(r.json()["error"], "password_required", "{}", r.body);
    let r = leader.post_json(
        "/api/v1/covenants/gu-12-2024/sign",
        json!({"version": 1, "unit": "ca-ag", "hash": hash, "password": PASSWORD}),
    );
    assert_eq!(r.json()["error"], "hash_mismatch", "{}", r.body);
}

/// The password asked again before a signature cannot be skipped by leaving the page: a
/// session's API writes (with their CSRF header) and a token made from the session are refused
/// without it, whichever address they use, and nothing is signed; with it (`/commands/binding`,
/// the route for every binding command), the token signs.
#[test]
fn a_signature_needs_the_password_again_however_it_is_sent() {
    let app = spawn(Backend::Sqlite).unwrap();
    let session = signed_in(&app, "lanhdao-ag");
    let cov = session.get("/api/v1/covenants/gu-12-2024").json();
    let hash = cov["versions"][0]["hash"].as_str().unwrap().to_owned();
    let token = session
        .post_json("/api/v1/me/tokens", json!({"label": "Kịch bản ký"}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let script = Client::with_bearer(&app.base, &token);
    let sign = json!({"unit": "ca-ag", "version": 1, "hash": hash});
    let command = json!({"command": "sign_covenant", "covenant": "gu-12-2024",
                         "version": 1, "unit": "ca-ag", "hash": hash});
    for client in [&session, &script] {
        let r = client.post_json("/api/v1/commands", command.clone());
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (403, json!("password_required"))
        );
        let r = client.post_json("/api/v1/covenants/gu-12-2024/sign", sign.clone());
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (403, json!("password_required")),
            "no password: {}",
            r.body
        );
        let mut wrong = sign.clone();
        wrong["password"] = json!("không phải mật khẩu");
        let r = client.post_json("/api/v1/covenants/gu-12-2024/sign", wrong);
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (403, json!("wrong_password"))
        );
        let wrong = json!({"command": command, "password": "không phải mật khẩu"});
        let r = client.post_json("/api/v1/commands/binding", wrong);
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (403, json!("wrong_password"))
        );
    }
    let signed = |c: &Client| {
        c.get("/api/v1/covenants/gu-12-2024").json()["versions"][0]["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["unit"]["id"] == "ca-ag" && s["signed"] == true)
    };
    assert!(!signed(&session), "nothing was signed");
    let right = json!({"command": command, "password": PASSWORD});
    let r = script.post_json("/api/v1/commands/binding", right);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(signed(&session));
}

/// The other binding commands (a paper count recorded or confirmed, a tie decided) are refused
/// the same way without the password, before anything they name is looked up: the election
/// need not even exist for the answer to be `password_required`.
#[test]
fn a_paper_count_or_a_tie_needs_the_password_again() {
    let app = spawn(Backend::Sqlite).unwrap();
    let secretariat = signed_in(&app, "thuky12");
    let leader = signed_in(&app, "lanhdao-kg");
    let count = json!({"approvals": [3, 1], "abstentions": 0, "issued": 5, "returned": 5,
                       "invalid": 1, "counting_team": ["Tổ kiểm phiếu"], "note": null});
    let cases = [
        (
            &secretariat,
            json!({"command": "vote", "vote": "record_paper_count",
            "election": "co-2024", "round": 1, "count": count}),
        ),
        (
            &leader,
            json!({"command": "vote", "vote": "confirm_paper_count",
            "election": "co-2024", "round": 1, "unit": "ca-kg"}),
        ),
        (
            &leader,
            json!({"command": "vote", "vote": "decide_tie", "election": "co-2024",
            "round": 1, "unit": "ca-kg", "chosen": ["ca-ag"], "decision": "Quyết định"}),
        ),
    ];
    for (client, command) in cases {
        let r = client.post_json("/api/v1/commands", command.clone());
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (403, json!("password_required")),
            "{command}: {}",
            r.body
        );
    }
}

/// Bodies are bounded before anything else: 1 MiB for a form or a command, 32 MiB only for an
/// upload from a signed-in caller; an anonymous caller cannot make the server hold an upload's
/// size by naming an upload's address.
#[test]
fn an_anonymous_caller_cannot_send_an_uploads_size() {
    let app = spawn(Backend::Sqlite).unwrap();
    let two_mib = vec![b'a'; 2 * 1024 * 1024];
    let import = "/api/v1/covenants/gu-12-2024/figures/import?file_name=x.csv";
    let anonymous = Client::new(&app.base);
    for path in [import, "/api/v1/commands", "/login"] {
        // Refused once 1 MiB is read: the answer is 413, unless the connection closes under
        // the client still sending (then no answer is read at all); never another answer.
        if let Some(r) = anonymous.try_post_bytes(path, &two_mib) {
            assert_eq!(r.status, 413, "{path}: {}", r.body);
        }
        assert_eq!(anonymous.get("/healthz").status, 200, "the server goes on");
    }
    let officer = signed_in(&app, "canbo-kg");
    let r = officer.post_bytes(import, &two_mib);
    assert_ne!(
        r.status, 413,
        "a signed-in upload of 2 MiB is read: {}",
        r.body
    );
}

/// A document is issued by the routes that make its content, never by a command naming a
/// SHA-256: named by a caller, it could point at any stored file (another unit's evidence)
/// and the document's content endpoint would then serve it.
#[test]
fn a_document_cannot_be_issued_by_naming_a_hash() {
    let app = spawn(Backend::Sqlite).unwrap();
    let secretariat = signed_in(&app, "thuky12");
    let before = app.service.read().size;
    let r = secretariat.post_json(
        "/api/v1/commands",
        json!({"command": "issue_document", "cluster": "cum-12", "year": 2024,
               "kind": "covenant", "date": "2024-12-01", "number": null, "title": "x",
               "sha256": "ab".repeat(32), "subject": "covenant:gu-12-2024:1"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"], "document_not_by_command");
    assert_eq!(app.service.read().size, before, "nothing appended");
}
