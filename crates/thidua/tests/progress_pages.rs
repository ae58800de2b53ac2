//! The demonstration's progress and mid-year pages as a reader sees them, signed in through the
//! login form: "Hạn chế cháy, nổ đặc biệt nghiêm trọng (không tăng so với năm 2023)", 0 cases
//! this year against 0 in 2023, is on track (no increase, as the scoring engine's
//! `serious_fires <= serious_fires@cung_ky` scores it), never "Chưa đủ số liệu"; the mid-year
//! table says a change as the progress page does ("tăng 15,7%" in both columns, never 15,7
//! beside -15,7) with "—" where a change indicator has no same-period figure.

#[allow(dead_code)] // `run` and API tokens are for other tests
mod support;

use support::{serve_demo_once, Running};

const COV: &str = "giao-uoc-cum-12-2024";

/// A session of `user` (the demonstration's password) through the login form.
fn sign_in(base: &str, user: &str) -> String {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let page = agent.get(&format!("{base}/login")).call().unwrap();
    let cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body = page.into_string().unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).unwrap() + marker.len();
    let csrf = body[start..start + body[start..].find('"').unwrap()].to_owned();
    let r = agent
        .post(&format!("{base}/login"))
        .set("Cookie", &cookie)
        .send_form(&[
            ("csrf", &csrf),
            ("user", user),
            ("password", "thidua-demo-2024"),
        ])
        .unwrap();
    assert_eq!(r.status(), 303, "{user} signs in");
    r.header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

fn get(base: &str, cookie: &str, path: &str) -> String {
    let r = ureq::get(&format!("{base}{path}"))
        .set("Cookie", cookie)
        .call()
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.into_string().unwrap()
}

/// The HTML from the first `from` on to the next `</tr>`.
fn row<'a>(body: &'a str, from: &str) -> &'a str {
    let at = body.find(from).unwrap_or_else(|| panic!("{from}: {body}"));
    &body[at..at + body[at..].find("</tr>").unwrap()]
}

/// Every row of the mid-year targets table naming `subject`.
fn midyear_rows<'a>(body: &'a str, subject: &str) -> Vec<&'a str> {
    let table = &body[body.find("id=\"targets\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    table
        .split("<tr>")
        .filter(|r| r.contains(subject))
        .collect()
}

#[test]
fn a_no_increase_target_at_zero_is_on_track_and_the_midyear_table_words_changes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    serve_demo_once(&["--data".into(), data.clone().into()]);
    let server = Running::start(&data);
    let base = server.url.trim_end_matches('/').to_owned();
    let secretariat = sign_in(&base, "thuky.cum12");
    // Hậu Giang and Bạc Liêu: no serious fire in 2024 nor in 2023, all twelve months approved.
    for unit in ["ca-hg", "ca-bl"] {
        let body = get(
            &base,
            &secretariat,
            &format!("/covenants/{COV}/progress/{unit}"),
        );
        let fires = row(&body, "id=\"target-chay-no\"");
        assert!(
            fires.contains("không tăng, không giảm") && fires.contains("Đúng tiến độ"),
            "{unit}: {fires}"
        );
        assert!(!fires.contains("Chưa đủ số liệu"), "{unit}: {fires}");
    }
    let body = get(&base, &secretariat, &format!("/covenants/{COV}/progress"));
    assert!(!body.contains("Chưa đủ số liệu"), "{body}");
    // The supervisor's overview counts no target without enough figures.
    let supervisor = sign_in(&base, "giamsat.x01");
    let body = get(&base, &supervisor, "/progress");
    let overview = row(&body, &format!("id=\"row-{COV}\""));
    assert!(
        overview.ends_with("<td class=\"num\" data-label=\"Chưa đủ số liệu\">0</td>"),
        "Chưa đủ số liệu: 0 — {overview}"
    );
    // The mid-year review: the same wording and sign as the progress page.
    let body = get(&base, &secretariat, &format!("/covenants/{COV}/midyear"));
    for fires in midyear_rows(&body, "Hạn chế cháy, nổ") {
        assert!(fires.contains("Đúng tiến độ"), "{fires}");
    }
    let crimes = midyear_rows(&body, "Kéo giảm số vụ phạm tội");
    assert_eq!(crimes.len(), 5, "one row per member");
    let ag = crimes
        .iter()
        .find(|r| r.contains("An Giang"))
        .expect("An Giang's row");
    assert_eq!(
        ag.matches("tăng 15,7%").count(),
        2,
        "the indicator and the value to date say the same rise: {ag}"
    );
    assert!(!ag.contains("-15,7"), "{ag}");
    assert!(
        ag.contains("data-label=\"Chỉ số đo cùng kỳ năm trước\">—</td>"),
        "a change indicator has no same-period figure: {ag}"
    );
    // A count keeps its figures (traffic accidents, an element): both years shown.
    for r in midyear_rows(&body, "Kiềm chế tai nạn giao thông") {
        assert!(
            !r.contains("data-label=\"Chỉ số đo cùng kỳ năm trước\">—</td>"),
            "{r}"
        );
    }
    // A range target missed beyond its far end reads as the progress page says it, not as
    // behind schedule.
    assert!(
        body.contains(
            "<span class=\"status status-beyond_range\">Vượt ngoài khoảng chỉ tiêu</span>"
        ),
        "{body}"
    );
}
