//! Progress over HTTP on both backends: nothing counts before an approval (drafts and
//! submissions of every unit stay out), an approval shows up for the whole cluster with its
//! cut-off date, the targets' values and status, the provisional score and its explanation;
//! pages with server-drawn charts; another cluster's member sees nothing; the overview table is
//! the overseers' only, one row per cluster they oversee.

use serde_json::json;

use super::support::{signed_in, spawn, unit_entry as unit, Backend, TestApp};

const COV: &str = "gu-12-2024";

fn flow(app: &TestApp) {
    super::support::load_figures(&app.service);
    let leader = signed_in(app, "lanhdao-kg");
    let other = signed_in(app, "lanhdao-ag");
    let supervisor = signed_in(app, "giamsat12");
    let outsider = signed_in(app, "canbo-dt");
    let path = format!("/api/v1/covenants/{COV}/progress");
    // Saved and submitted figures (ca-kg and ca-ag, January and February) count for nobody.
    for c in [&leader, &other] {
        let p = c.get(&path);
        assert_eq!(p.status, 200, "{}", p.body);
        let p = p.json();
        assert!(p["as_of"].is_null(), "{p}");
        assert!(p["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["through"].is_null()));
    }
    let r = leader.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-kg/M01/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // The whole cluster sees the approved January of ca-kg (7 crimes, 70 of 70 reports
    // resolved), never its saved February nor ca-ag's submitted January.
    let p = other.get(&path).json();
    assert_eq!(p["as_of"], "2024-01-14");
    let kg = unit(&p, "ca-kg");
    assert_eq!(
        (kg["through"].as_u64(), kg["method"].as_str()),
        (Some(1), Some("linear"))
    );
    let t1 = &kg["targets"][0];
    assert_eq!(
        (t1["target"].as_str(), t1["measured"].as_str()),
        (Some("t1"), Some("7"))
    );
    assert_eq!(t1["status"], "unknown", "no 2023 figures to reduce from");
    let t3 = &kg["targets"][1];
    assert_eq!(
        (
            t3["to_date"].as_str(),
            t3["projected"].as_str(),
            t3["status"].as_str()
        ),
        (Some("100"), Some("100"), Some("on_track")),
        "{t3}"
    );
    assert_eq!(unit(&p, "ca-ag")["through"], serde_json::Value::Null);
    assert!(unit(&p, "ca-ag")["provisional_total"].is_null());
    // The unit's detail: the engine's result to date, manual criteria not scored.
    let d = other.get(&format!("{path}/ca-kg"));
    assert_eq!(d.status, 200, "{}", d.body);
    let d = d.json();
    assert_eq!(d["score"]["period"], "2024-M01");
    assert!(d["score"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == "C2a" && n["status"] == "not_scored"));
    // Pages: the date of the data, a chart per unit, the explanation.
    let page = other.get(&format!("/covenants/{COV}/progress?target=t3"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("Số liệu tính đến ngày <strong>14/01/2024</strong>"),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("<svg class=\"chart\"").count(),
        5,
        "one chart per member"
    );
    assert!(page.body.contains("Đúng tiến độ"));
    // Each projection says how it was made, on the cluster's page as on the unit's.
    assert!(
        page.body.contains("id=\"assumption-ca-kg\"") && page.body.contains("Giả định dự báo"),
        "{}",
        page.body
    );
    let page = other.get(&format!("/covenants/{COV}/progress/ca-kg"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("chưa chấm"), "{}", page.body);
    assert!(page.body.contains("id=\"assumption\""));
    assert!(
        page.body
            .contains("id=\"compared-heading\">Cùng kỳ 2023</th>"),
        "the compared column says which year it compares with: {}",
        page.body
    );
    // A member of another cluster sees nothing of it; the overview is for overseers only.
    assert_eq!(outsider.get(&path).status, 404);
    assert_eq!(
        outsider.get(&format!("/covenants/{COV}/progress")).status,
        404
    );
    assert_eq!(leader.get("/api/v1/progress").status, 403);
    assert_eq!(leader.get("/progress").status, 403);
    let o = supervisor.get("/api/v1/progress");
    assert_eq!(o.status, 200, "{}", o.body);
    let rows = o.json()["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 1, "only the supervised cluster: {rows:?}");
    assert_eq!(
        (
            rows[0]["covenant"].as_str(),
            rows[0]["reporting"].as_u64(),
            rows[0]["on_track"].as_u64()
        ),
        (Some(COV), Some(1), Some(1))
    );
    // Counted as the pages say each status: a range missed only beyond its far end has a
    // column of its own, never counted off track as well.
    assert!(rows[0]["beyond_range"].is_u64(), "{}", rows[0]);
    // Cluster 12's 2025 has its members and no covenant yet: listed as such, not left out.
    assert_eq!(
        o.json()["awaiting"],
        json!([{"cluster": "cum-12", "cluster_name": "Cụm thi đua số 12", "year": 2025,
            "members": 3, "draft": null, "signed": 0}])
    );
    assert!(!other
        .get(&format!("/covenants/{COV}/progress"))
        .body
        .contains("progress-overview-link"));
    let page = supervisor.get("/progress");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"progress-overview-link\""),
        "in the supervisor's menu"
    );
    assert!(page
        .body
        .contains(&format!("href=\"/covenants/{COV}/progress\"")));
    let awaiting = &page.body[page.body.find("id=\"awaiting-cum-12-2025\"").expect("2025")..];
    assert!(
        awaiting[..awaiting.find("</tr>").unwrap()].contains("Chưa có dự thảo"),
        "{awaiting}"
    );
    // Stacked on a phone, each count says what it counts.
    assert!(
        page.body.contains("data-label=\"Đúng tiến độ\">")
            && page.body.contains("data-label=\"Chưa đủ số liệu\">"),
        "{}",
        page.body
    );
    // The Ministry's department oversees several clusters: one grant per cluster, one table.
    let admin = signed_in(app, "quantri");
    let r = admin.post_json(
        "/api/v1/users/giamsat12/roles",
        json!({"role": "supervisor:cum-13"}),
    );
    assert!(r.status < 300, "{}", r.body);
    let rows = supervisor.get("/api/v1/progress").json()["rows"].clone();
    let covenants: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["covenant"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(covenants, [COV, "gu-13-2024"], "{rows}");
    let page = supervisor.get("/progress").body;
    assert!(
        page.contains("href=\"/covenants/gu-13-2024/progress\""),
        "{page}"
    );
    // The Ministry's supervisor of every cluster needs no grant per cluster: the same table,
    // and a cluster created later is in it at once.
    let ministry = signed_in(app, "giamsat-bo");
    let covenants = |c: &super::support::Client| -> Vec<String> {
        let r = c.get("/api/v1/progress");
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["covenant"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(covenants(&ministry), [COV, "gu-13-2024"]);
    let r = admin.post_json(
        "/api/v1/commands",
        json!({"command": "create_cluster", "cluster": "cum-14", "name": "Cụm thi đua số 14"}),
    );
    assert!(r.status < 300, "{}", r.body);
    assert_eq!(ministry.get("/clusters/cum-14").status, 200);
    assert_eq!(supervisor.get("/clusters/cum-14").status, 404);
    let home = ministry.get("/").body;
    assert!(home.contains("Giám sát toàn Bộ (mọi cụm)"), "{home}");
    flags_never_hold_the_page_up(&other);
}

/// The progress page counts integrity flags from the latest computation without waiting for a
/// newer one: after one more approval it first shows the earlier counts with the log size they
/// were computed at, and once the computation it started in the background is done, the
/// current ones without the note. (Other pages, the home page's to-dos among them, may have
/// started a computation before: the page is first let catch up.)
fn flags_never_hold_the_page_up(c: &super::support::Client) {
    let page = format!("/covenants/{COV}/progress");
    let caught_up = |what: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while c.get(&page).body.contains("id=\"flags-as-of\"") {
            assert!(std::time::Instant::now() < deadline, "{what}");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    caught_up("the flags never caught up with the log");
    let r = c.post_json(
        &format!("/api/v1/covenants/{COV}/figures/ca-ag/M01/approve"),
        json!({"revision": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let stale = c.get(&page);
    assert_eq!(stale.status, 200);
    assert!(stale.body.contains("id=\"flags-as-of\""), "{}", stale.body);
    caught_up("the background computation of the flags never ended");
    // Each card counts the unit's flags that the flags API lists for this viewer.
    let body = c.get(&page).body;
    let listed = c.get(&format!("/api/v1/covenants/{COV}/flags")).json();
    let mut expected = std::collections::BTreeMap::<String, usize>::new();
    for f in listed["flags"].as_array().unwrap() {
        *expected
            .entry(f["unit"]["id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert!(!expected.is_empty(), "{listed}");
    for (unit, n) in expected {
        let at = body.find(&format!("id=\"flags-{unit}\"")).expect(&unit);
        let link = &body[at..at + body[at..].find("</a>").unwrap()];
        assert!(link.ends_with(&format!(": {n}")), "{unit}: {link}");
    }
}

#[test]
fn progress_over_http_sqlite() {
    flow(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn progress_over_http_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        flow(&app);
    }
}
