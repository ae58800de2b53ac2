//! Someone without the right to an action is told so before the action's fields are read:
//! every form and API route that changes something, found by reading the router's source (so
//! that a route added later is covered without editing this test), is posted an empty body by
//! an officer of another cluster, who must be answered 403 (refused) or 404 (hidden), and by
//! the cluster's supervisor (read-only), who must be answered 403 — never a validation error
//! (400, 409, 415, 422) that would tell them what the form wants or what the cluster holds.

use std::path::Path;

use super::support::{signed_in, spawn, Backend, TestApp};

/// Routes anyone signed in may post to (their own session, account and language), and the
/// generic command endpoints, whose body names the action (authorised after it is read).
const OPEN_TO_ANYONE: &[&str] = &[
    "/login",
    "/logout",
    "/lang",
    "/bootstrap",
    "/api/v1/bootstrap",
    "/account/password",
    "/account/tokens",
    "/account/tokens/revoke",
    "/api/v1/me/password",
    "/api/v1/me/tokens",
    "/api/v1/commands",
    "/api/v1/commands/binding",
];

/// Every method and path the web crate routes to a write (`post`, `put`, `delete`).
fn written_routes() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    thidua_test_support::source::routes(&[src])
        .into_iter()
        .flat_map(|r| {
            r.methods
                .into_iter()
                .filter(|m| *m != "get")
                .map(move |m| (m.to_uppercase(), r.path.clone()))
        })
        .collect()
}

/// `route` with its parameters naming cluster 12's things (which the officer of Đồng Tháp, in
/// cluster 13, has no right to).
fn filled(route: &str) -> String {
    let id = if route.contains("/clusters/") {
        "cum-12"
    } else if route.contains("/covenants/") {
        "gu-12-2024"
    } else if route.contains("/elections/") {
        "bau-12"
    } else if route.contains("/units/") {
        "ca-kg"
    } else {
        "thuky12"
    };
    route
        .replace("{id}", id)
        .replace("{unit}", "ca-kg")
        .replace("{window}", "M01")
        .replace("{format}", "docx")
        .replace("{role}", "officer:ca-kg")
        .replace("{index}", "0")
}

/// Every write route (but those open to anyone) posted an empty body by `user`: the routes
/// checked, and those answered otherwise than with one of `refusals`.
fn answers(app: &TestApp, user: &str, refusals: &[u16]) -> (usize, Vec<String>) {
    let client = signed_in(app, user);
    let csrf = client.get("/account").csrf();
    let routes = written_routes();
    assert!(routes.len() > 40, "only {} routes found", routes.len());
    let open = |route: &str| {
        OPEN_TO_ANYONE
            .iter()
            .any(|o| route == *o || route.starts_with(&format!("{o}/")))
    };
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (method, route) in routes.iter().filter(|(_, r)| !open(r)) {
        let path = filled(route);
        let res = match method.as_str() {
            "PUT" => client.put_json(&path, serde_json::json!({})),
            "DELETE" => client.delete(&path),
            _ if route.starts_with("/api/") => client.post_json(&path, serde_json::json!({})),
            _ => client.post_form(&path, &[("csrf", &csrf)]),
        };
        checked += 1;
        if !refusals.contains(&res.status) {
            wrong.push(format!(
                "{user}: {method} {path}: {} {}",
                res.status,
                res.body.chars().take(160).collect::<String>()
            ));
        }
    }
    (checked, wrong)
}

/// The officer of Đồng Tháp (cluster 13) is told "not found" or "refused"; cluster 12's
/// supervisor, who reads everything there and may change nothing, is refused everywhere.
fn run(app: &TestApp) {
    super::support::load_figures(&app.service);
    super::matrix::elections(app);
    let (checked, mut wrong) = answers(app, "canbo-dt", &[403, 404]);
    wrong.extend(answers(app, "giamsat12", &[403]).1);
    assert!(
        wrong.is_empty(),
        "{} answers of {} routes read the fields before refusing:\n{}",
        wrong.len(),
        2 * checked,
        wrong.join("\n")
    );
    eprintln!("refused before the fields: {checked} routes, two callers");
}

#[test]
fn every_route_refuses_before_reading_the_fields_on_sqlite() {
    run(&spawn(Backend::Sqlite).unwrap());
}

#[test]
fn every_route_refuses_before_reading_the_fields_on_postgres() {
    if let Some(app) = spawn(Backend::Postgres) {
        run(&app);
    }
}
