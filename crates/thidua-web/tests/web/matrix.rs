//! The authorisation matrix, over HTTP: every role × every action × own / foreign scope, with
//! the expected answer (allow or deny). One table; one row per action; one column per role.

use serde_json::json;

use super::support::{signed_in, spawn, Backend, Client, Resp, TestApp, PASSWORD};

#[derive(Clone, Copy)]
enum Check {
    /// Allowed: 2xx, a redirect elsewhere than sign-in, or a domain conflict (409/422).
    /// Denied: 401, 403, 404 or a redirect to the sign-in page.
    Status,
    /// Allowed when the answer lists at least one item (history filtered by unit).
    NonEmpty,
    /// Allowed when a report's unapproved figures are shown (a value in the answer).
    FiguresShown,
}

/// How to perform an action in a scope ("own" or "foreign").
type Perform = fn(&Client, bool) -> Resp;

struct Action {
    name: &'static str,
    check: Check,
    perform: Perform,
    /// Per role (order of [`ROLES`]): two letters, own scope then foreign scope: A allow, D deny.
    expect: [&'static str; 7],
}

/// The roles, in the order of the `expect` columns; `None` is an anonymous visitor.
const ROLES: [Option<&str>; 7] = [
    Some("quantri"),    // administrator
    Some("thuky12"),    // secretariat of cum-12
    Some("canbo-kg"),   // officer of ca-kg
    Some("lanhdao-kg"), // leader of ca-kg
    Some("giamsat12"),  // supervisor of cum-12
    None,               // anonymous
    Some("giamsat-bo"), // the Ministry's supervisor of every cluster
];

fn pick(own: bool, a: &'static str, b: &'static str) -> &'static str {
    if own {
        a
    } else {
        b
    }
}

fn figures_unit(own: bool) -> &'static str {
    pick(own, "ca-kg", "ca-ag")
}

fn actions() -> Vec<Action> {
    vec![
        Action {
            // Another unit's unapproved figures (a submitted January) are invisible.
            name: "GET /api/v1/covenants/{id}/figures/{unit}/M01 (unapproved figures)",
            check: Check::FiguresShown,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/covenants/gu-12-2024/figures/{}/M01",
                    figures_unit(own)
                ))
            },
            // An administrator reads what was published, as for year-end drafts.
            expect: ["DD", "DD", "AD", "AD", "DD", "DD", "DD"],
        },
        Action {
            // A unit's integrity flags: the unit, its inspectors and the cluster's overseers.
            name: "GET /api/v1/covenants/{id}/flags?unit= (a unit's integrity flags)",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/covenants/gu-12-2024/flags?unit={}",
                    figures_unit(own)
                ))
            },
            expect: ["AA", "AA", "AD", "AD", "AA", "DD", "AA"],
        },
        Action {
            name: "page /covenants/{id}/flags?unit= (a unit's integrity flags)",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/covenants/gu-12-2024/flags?unit={}",
                    figures_unit(own)
                ))
            },
            expect: ["AA", "AA", "AD", "AD", "AA", "DD", "AA"],
        },
        Action {
            name: "page /covenants/{id}/figures (a window's overview)",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/covenants/{}/figures",
                    pick(own, "gu-12-2024", "gu-13-2024")
                ))
            },
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            name: "GET /api/v1/covenants/{id}/figures/template",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/covenants/gu-12-2024/figures/template?unit={}&window=M03",
                    figures_unit(own)
                ))
            },
            // The template carries the unit's current figures: the unit's own.
            expect: ["DD", "DD", "AD", "AD", "DD", "DD", "DD"],
        },
        Action {
            // A supervisor cannot write; the secretariat does not report for a unit; the leader
            // approves what an officer submitted and enters nothing (no self-approval).
            name: "PUT /api/v1/covenants/{id}/figures/{unit}/M02 (save)",
            check: Check::Status,
            perform: |c, own| {
                c.put_json(
                    &format!(
                        "/api/v1/covenants/gu-12-2024/figures/{}/M02",
                        figures_unit(own)
                    ),
                    json!({"values": {"crimes": "3"}}),
                )
            },
            expect: ["DD", "DD", "AD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // Submitting is an officer's act too: the leader only approves (a submitted
            // revision answers 409/422 to whoever may submit; denied is 403 or 404).
            name: "POST /api/v1/covenants/{id}/figures/{unit}/M02/submit",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    &format!(
                        "/api/v1/covenants/gu-12-2024/figures/{}/M02/submit",
                        figures_unit(own)
                    ),
                    json!({"revision": 1}),
                )
            },
            expect: ["DD", "DD", "AD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // An officer cannot approve.
            name: "POST /api/v1/covenants/{id}/figures/{unit}/M01/approve",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    &format!(
                        "/api/v1/covenants/gu-12-2024/figures/{}/M01/approve",
                        figures_unit(own)
                    ),
                    json!({"revision": 1}),
                )
            },
            expect: ["DD", "DD", "DD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/covenants/{id}/figures/historical",
            check: Check::Status,
            perform: |c, own| {
                let unit = pick(own, "CAKG", "CADT");
                c.post_bytes(
                    &format!(
                        "/api/v1/covenants/{}/figures/historical?file_name=h.csv",
                        pick(own, "gu-12-2024", "gu-13-2024")
                    ),
                    format!("unit,element,period,value\n{unit},crimes,2023-M01,5\n").as_bytes(),
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/clusters/{id}",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/clusters/{}",
                    pick(own, "cum-12", "cum-13")
                ))
            },
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            name: "page /clusters/{id}",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/clusters/{}", pick(own, "cum-12", "cum-13"))),
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            name: "GET /api/v1/units/{id}",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/api/v1/units/{}", pick(own, "ca-kg", "ca-dt"))),
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            name: "page /units/{id}",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/units/{}", pick(own, "ca-kg", "ca-dt"))),
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            // Foreign: another unit of the same cluster.
            name: "page /units/{id}/admin",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/units/{}/admin", pick(own, "ca-kg", "ca-ag"))),
            expect: ["AA", "DD", "AD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/units/{id}/users",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/units/{}/users",
                    pick(own, "ca-kg", "ca-ag")
                ))
            },
            expect: ["AA", "DD", "AD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/users?unit=",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/users?unit={}",
                    pick(own, "ca-kg", "ca-ag")
                ))
            },
            expect: ["AA", "DD", "AD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/covenants/{id}",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/covenants/{}",
                    pick(own, "gu-12-2024", "gu-13-2024")
                ))
            },
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            name: "page /covenants/{id}",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/covenants/{}",
                    pick(own, "gu-12-2024", "gu-13-2024")
                ))
            },
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            // Only who manages the cluster edits; anyone else is refused as such, never told
            // that the draft "has signatures" (a conflict, which counts as allowed here).
            name: "page /covenants/{id}/edit (the editor)",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/covenants/{}/edit",
                    pick(own, "gu-12-2024", "gu-13-2024")
                ))
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "page /covenants/{id}/sign (confirmation)",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/covenants/gu-12-2024/sign?unit={}",
                    pick(own, "ca-kg", "ca-ag")
                ))
            },
            // As the signature itself: an administrator does not sign for a unit, and is told
            // so before any password is asked for.
            expect: ["DD", "DD", "DD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/covenants/{id}/sign",
            check: Check::Status,
            perform: |c, own| {
                let hash = covenant_hash(c);
                c.post_json(
                    "/api/v1/covenants/gu-12-2024/sign",
                    json!({"unit": pick(own, "ca-kg", "ca-ag"), "version": 1, "hash": hash, "password": PASSWORD}),
                )
            },
            expect: ["DD", "DD", "DD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/clusters/{id}/leadership",
            check: Check::Status,
            perform: |c, own| {
                let (cluster, unit) = if own {
                    ("cum-12", "ca-hg")
                } else {
                    ("cum-13", "ca-vl")
                };
                c.post_json(
                    &format!("/api/v1/clusters/{cluster}/leadership"),
                    json!({"year": 2024, "position": "deputy", "unit": unit, "method": "assigned", "decision": "02/QĐ-BCA"}),
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/users/{id}/roles",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    "/api/v1/users/canbo-dt/roles",
                    json!({"role": pick(own, "officer:ca-kg", "officer:ca-vl")}),
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/users/{id}",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/users/{}",
                    pick(own, "lanhdao-kg", "lanhdao-ag")
                ))
            },
            expect: ["AA", "DD", "AD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/users (register)",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    "/api/v1/users",
                    json!({"id": pick(own, "moi-1", "moi-2"), "display_name": pick(own, "Người Mới", "Người Khác")}),
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/commands (create_unit)",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    "/api/v1/commands",
                    json!({"command": "create_unit", "unit": pick(own, "ca-x1", "ca-x2"), "name": "Đơn vị mới",
                           "short_code": "X", "kind": "provincial_police", "parent": null, "established": "2020-01-01"}),
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "form POST /clusters/{id}/members",
            check: Check::Status,
            perform: |c, own| {
                let page = c.get("/account");
                let csrf = if page.status == 200 {
                    page.csrf()
                } else {
                    String::new()
                };
                let cluster = pick(own, "cum-12", "cum-13");
                c.post_form(
                    &format!("/clusters/{cluster}/members"),
                    &[("csrf", &csrf), ("year", "2027"), ("m_ca-ag", "1")],
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "page /units/{id}/rename",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/units/{}/rename", pick(own, "ca-kg", "ca-dt"))),
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // Dated before the unit was established: an administrator gets the domain's 422
            // (authorised, nothing appended), everyone else the refusal.
            name: "form POST /units/{id}/rename",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/units/{}/rename", pick(own, "ca-kg", "ca-dt")),
                    &[
                        ("csrf", &form_csrf(c)),
                        ("name", "Tên mới"),
                        ("short_code", "TM"),
                        ("effective", "01/01/2000"),
                        ("decision", "1/QĐ-BCA"),
                    ],
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "page /units/{id}/lineage",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/units/{}/lineage", pick(own, "ca-kg", "ca-dt"))),
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // As above: a merger dated before the units were established.
            name: "form POST /units/{id}/lineage",
            check: Check::Status,
            perform: |c, own| {
                let (unit, other) = pick2(own, ("ca-kg", "ca-ag"), ("ca-dt", "ca-vl"));
                c.post_form(
                    &format!("/units/{unit}/lineage"),
                    &[
                        ("csrf", &form_csrf(c)),
                        ("kind", "merge"),
                        (&format!("p_{unit}"), "1"),
                        (&format!("p_{other}"), "1"),
                        (&format!("s_{unit}"), "1"),
                        ("effective", "01/01/2000"),
                        ("decision", "1/QĐ-BCA"),
                    ],
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "page /admin",
            check: Check::Status,
            perform: |c, _| c.get("/admin"),
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // Public holidays: the administrator declares them; every member reads them (a
            // member's replay dates reports late or on time with them).
            name: "form POST /admin/holidays (declare a year's public holidays)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    "/admin/holidays",
                    &[
                        ("csrf", &form_csrf(c)),
                        ("year", pick(own, "2030", "2031")),
                        ("days", pick(own, "01/01/2030 - 02/01/2030", "01/01/2031")),
                        ("reference", "Thông báo nghỉ lễ (thử)"),
                    ],
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "POST /api/v1/commands (declare_holidays)",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    "/api/v1/commands",
                    json!({"command": "declare_holidays", "year": if own { 2032 } else { 2033 },
                           "days": [pick(own, "2032-01-01", "2033-01-01")], "reference": "Thông báo nghỉ lễ (thử)"}),
                )
            },
            expect: ["AA", "DD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/holidays",
            check: Check::Status,
            perform: |c, _| c.get("/api/v1/holidays"),
            expect: ["AA", "AA", "AA", "AA", "AA", "DD", "AA"],
        },
        Action {
            // The mid-year review is published to the cluster: members, supervisor, secretariat.
            name: "GET /api/v1/covenants/{id}/midyear (the mid-year review)",
            check: Check::Status,
            perform: |c, own| c.get(&format!("/api/v1/covenants/{}/midyear", midyear_cov(own))),
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            // Freezing: the cluster's secretariat or an administrator (a second freeze is the
            // domain's 409, asked only after the role); nobody else, the supervisor included.
            name: "API POST /api/v1/covenants/{id}/midyear (freeze the mid-year review)",
            check: Check::Status,
            perform: |c, own| {
                c.post_json(
                    &format!("/api/v1/covenants/{}/midyear", midyear_cov(own)),
                    json!(null),
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "form POST /covenants/{id}/midyear (freeze the mid-year review)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/covenants/{}/midyear", midyear_cov(own)),
                    &[("csrf", &form_csrf(c)), ("confirm", "1")],
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/covenants/{id}/midyear.xlsx (the frozen review)",
            check: Check::Status,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/covenants/{}/midyear.xlsx",
                    midyear_cov(own)
                ))
            },
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
        Action {
            // Opening a vote: the cluster's secretariat or an administrator.
            name: "form POST /clusters/{id}/elections/new (open a vote)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/clusters/{}/elections/new", pick(own, "cum-12", "cum-13")),
                    &[
                        ("csrf", &form_csrf(c)),
                        ("year", "2024"),
                        ("award", "certificate"),
                        ("title", "Bằng khen 2024"),
                        ("seats", "1"),
                        ("approval_num", "4"),
                        ("approval_den", "5"),
                        ("quorum_num", "2"),
                        ("quorum_den", "3"),
                        ("threshold", "2"),
                    ],
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // Closing a round: the secretariat or an administrator (a second close is told
            // as a conflict, after the role).
            name: "form POST /elections/{id}/close (close a round)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/elections/{}/close", pick(own, "bau-12", "bau-13")),
                    &[("csrf", &form_csrf(c)), ("round", "1")],
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // Entering a paper count: the secretariat or an administrator (the round closed
            // above: a conflict, after the role).
            name: "form POST /elections/{id}/paper (a paper count)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/elections/{}/paper", pick(own, "bau-12", "bau-13")),
                    &[("csrf", &form_csrf(c)), ("round", "1")],
                )
            },
            expect: ["AA", "AD", "DD", "DD", "DD", "DD", "DD"],
        },
        Action {
            // Confirming a paper count: a member unit's leader only, for that unit (none is
            // recorded: the domain's refusal, after the role).
            name: "form POST /elections/{id}/paper/confirm (confirm a paper count)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/elections/{}/paper/confirm", pick(own, "bau-12", "bau-13")),
                    &[
                        ("csrf", &form_csrf(c)),
                        ("round", "1"),
                        ("unit", pick(own, "ca-kg", "ca-dt")),
                    ],
                )
            },
            expect: ["DD", "DD", "DD", "AD", "DD", "DD", "DD"],
        },
        Action {
            // A tie decision: the head's or deputy's leader only (no tie: a conflict, after
            // the role).
            name: "form POST /elections/{id}/tie (decide a tie)",
            check: Check::Status,
            perform: |c, own| {
                c.post_form(
                    &format!("/elections/{}/tie", pick(own, "bau-12", "bau-13")),
                    &[
                        ("csrf", &form_csrf(c)),
                        ("round", "1"),
                        ("unit", pick(own, "ca-kg", "ca-dt")),
                        ("decision", "x"),
                    ],
                )
            },
            expect: ["DD", "DD", "DD", "AD", "DD", "DD", "DD"],
        },
        Action {
            name: "GET /api/v1/events?unit= (sees events)",
            check: Check::NonEmpty,
            perform: |c, own| {
                c.get(&format!(
                    "/api/v1/events?unit={}",
                    pick(own, "ca-kg", "ca-dt")
                ))
            },
            expect: ["AA", "AD", "AD", "AD", "AD", "DD", "AA"],
        },
    ]
}

fn midyear_cov(own: bool) -> &'static str {
    pick(own, "gu-12-2024", "gu-13-2024")
}

fn pick2<T>(own: bool, a: T, b: T) -> T {
    if own {
        a
    } else {
        b
    }
}

/// The session's CSRF token (empty for an anonymous visitor).
fn form_csrf(c: &Client) -> String {
    let page = c.get("/account");
    if page.status == 200 {
        page.csrf()
    } else {
        String::new()
    }
}

fn covenant_hash(c: &Client) -> String {
    let r = c.get("/api/v1/covenants/gu-12-2024");
    if r.status != 200 {
        return "0".repeat(64);
    }
    r.json()["versions"][0]["hash"].as_str().unwrap().to_owned()
}

fn allowed(check: Check, r: &Resp) -> bool {
    match check {
        Check::Status => match r.status {
            200..=299 | 409 | 422 => true,
            300..=399 => r
                .header("location")
                .is_some_and(|l| !l.starts_with("/login")),
            _ => false,
        },
        Check::NonEmpty => {
            r.status == 200 && r.json()["items"].as_array().is_some_and(|a| !a.is_empty())
        }
        Check::FiguresShown => {
            r.status == 200
                && r.json()["elements"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|e| !e["value"].is_null()))
        }
    }
}

/// A vote in each cluster (`bau-12`, `bau-13`), from standings the operator records.
pub fn elections(app: &TestApp) {
    use thidua_domain::votes::{AwardKind, Fraction, VoteCommand};
    use thidua_domain::{Actor, ClusterId, Command, ElectionId, Text, UnitId};
    let text = |s: &str| Text::parse("text", s, 500).unwrap();
    for (cluster, election, units) in [
        ("cum-12", "bau-12", &["ca-kg", "ca-ag"][..]),
        ("cum-13", "bau-13", &["ca-dt", "ca-vl"][..]),
    ] {
        let cluster = ClusterId::parse(cluster).unwrap();
        let mut commands: Vec<Command> = units
            .iter()
            .enumerate()
            .map(|(rank, u)| {
                Command::Vote(VoteCommand::RecordStanding {
                    cluster: cluster.clone(),
                    year: 2024,
                    unit: UnitId::parse(u).unwrap(),
                    rank: rank as u32 + 1,
                    eligible: true,
                    basis: text("Kết quả năm 2024"),
                })
            })
            .collect();
        commands.push(Command::Vote(VoteCommand::OpenElection {
            election: ElectionId::parse(election).unwrap(),
            cluster,
            year: 2024,
            award: AwardKind::MinistryFlag,
            title: text("Cờ thi đua 2024"),
            seats: 1,
            approval: Fraction { num: 4, den: 5 },
            quorum: Fraction { num: 2, den: 3 },
            trustee_threshold: 2,
        }));
        app.service.execute_all(&Actor::System, commands).unwrap();
    }
}

/// An approved January for Đồng Tháp in cluster 13: a mid-year review needs a month approved.
fn cluster_13_january(app: &TestApp) {
    use thidua_domain::{Actor, Command, CovenantId, UnitId};
    let covenant = CovenantId::parse("gu-13-2024").unwrap();
    let unit = UnitId::parse("ca-dt").unwrap();
    let window = || "M01".to_owned();
    let values = super::support::full_figures(&app.service, "gu-13-2024", 5);
    let commands = vec![
        Command::SaveFigures {
            covenant: covenant.clone(),
            unit: unit.clone(),
            window: window(),
            values,
            comments: Default::default(),
        },
        Command::SubmitFigures {
            covenant: covenant.clone(),
            unit: unit.clone(),
            window: window(),
            revision: 1,
        },
        Command::ApproveFigures {
            covenant,
            unit,
            window: window(),
            revision: 1,
        },
    ];
    app.service.execute_all(&Actor::System, commands).unwrap();
}

fn run(app: &TestApp) {
    super::support::load_figures(&app.service);
    cluster_13_january(app);
    elections(app);
    let clients: Vec<(String, Client)> = ROLES
        .iter()
        .map(|r| match r {
            Some(u) => (u.to_string(), signed_in(app, u)),
            None => ("anonymous".to_string(), Client::new(&app.base)),
        })
        .collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for action in actions() {
        for (i, (who, client)) in clients.iter().enumerate() {
            for (j, own) in [true, false].into_iter().enumerate() {
                let want = action.expect[i].as_bytes()[j] == b'A';
                let res = (action.perform)(client, own);
                let got = allowed(action.check, &res);
                checked += 1;
                if got != want {
                    failures.push(format!(
                        "{} as {who} ({}): expected {}, got {} {}",
                        action.name,
                        if own { "own" } else { "foreign" },
                        if want { "allow" } else { "deny" },
                        res.status,
                        res.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("authorisation matrix: {checked} cells checked");
}

#[test]
fn authorisation_matrix_sqlite() {
    run(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn authorisation_matrix_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        run(&app);
    }
}
