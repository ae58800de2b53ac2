//! What a member may read of the log is enough to replay everything about its clusters: the
//! events each fixture user may read (by the rules of `/api/v1/log/entries` and the history)
//! are folded into an empty state, in log order, and every cluster, covenant and unit the user
//! may see comes out exactly as in the full state. (The demonstration's members also read entry
//! 0, the Ministry: see the `thidua` crate's demo test.)

use std::str::FromStr;

use axum::http::{HeaderMap, HeaderValue};
use thidua_domain::model::Role;
use thidua_domain::{Actor, Command, CovenantId, Event, State, UnitId, UserId};
use thidua_web::authz::Scope;

use super::support::{signed_in, spawn, Backend, TestApp, USERS};

/// Signatures, and a role granted then revoked, so the fixture has what replay must survive.
fn more_history(app: &TestApp) {
    let covenant = CovenantId::parse("gu-12-2024").unwrap();
    let hash = app.service.read().covenants[&covenant]
        .latest()
        .hash
        .clone();
    for (user, unit) in [("lanhdao-kg", "ca-kg"), ("lanhdao-ag", "ca-ag")] {
        let actor = Actor::User(UserId::parse(user).unwrap());
        let sign = Command::SignCovenant {
            covenant: covenant.clone(),
            version: 1,
            unit: UnitId::parse(unit).unwrap(),
            hash: hash.clone(),
        };
        app.service.execute(&actor, sign).unwrap();
    }
    let role = Role::from_str("officer:ca-kg").unwrap();
    let user = UserId::parse("canbo-dt").unwrap();
    for command in [
        Command::GrantRole {
            user: user.clone(),
            role: role.clone(),
        },
        Command::RevokeRole { user, role },
    ] {
        app.service.execute(&Actor::System, command).unwrap();
    }
}

fn session_headers(app: &TestApp, user: &str) -> HeaderMap {
    let c = signed_in(app, user);
    let mut h = HeaderMap::new();
    let v = format!("thidua_session={}", c.cookie("thidua_session").unwrap());
    h.insert("cookie", HeaderValue::from_str(&v).unwrap());
    h
}

/// The events `user` may read, folded in order into an empty state (renumbered, as the fold
/// wants consecutive indices); and the original index of each folded event.
fn replay_as(app: &TestApp, user: &str) -> (State, Vec<u64>) {
    let reader = thidua_web::event_reader(&*app.accounts, &session_headers(app, user));
    let full = app.service.read().clone();
    let entries = app.service.store().entries(0, full.size).unwrap();
    let mut rebuilt = State::default();
    let mut original = Vec::new();
    for entry in entries {
        let event = Event::decode(entry.index, &entry.bytes).unwrap();
        if !reader(&full, &event) {
            continue;
        }
        original.push(event.index);
        let mut renumbered = event.clone();
        renumbered.index = rebuilt.size;
        rebuilt.apply(&renumbered).unwrap_or_else(|e| {
            panic!(
                "{user} reads event {} ({}) without what it needs: {e}",
                event.index,
                event.payload.kind()
            )
        });
    }
    (rebuilt, original)
}

/// `value` as JSON with the log indices it records (signatures, drafting, freezing) put back
/// from the renumbered ones.
fn with_original_indices(value: impl serde::Serialize, original: &[u64]) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value, original: &[u64]) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    match (k.as_str(), x.as_u64()) {
                        ("index" | "drafted_at" | "frozen_at", Some(n)) => {
                            *x = original[n as usize].into()
                        }
                        _ => walk(x, original),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|x| walk(x, original)),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).unwrap();
    walk(&mut v, original);
    v
}

#[test]
fn every_member_replays_its_clusters_from_what_it_may_read() {
    let app = spawn(Backend::Sqlite).unwrap();
    more_history(&app);
    let full = app.service.read().clone();
    for (user, _, _) in USERS.iter().filter(|(u, _, _)| *u != "quantri") {
        let (rebuilt, original) = replay_as(&app, user);
        let id = UserId::parse(user).unwrap();
        let scope = Scope::new(id.clone(), full.users[&id].roles.clone());
        let clusters = scope.visible_clusters(&full);
        assert!(!clusters.is_empty(), "{user} belongs somewhere");
        for c in &clusters {
            assert_eq!(
                with_original_indices(rebuilt.clusters.get(c), &original),
                serde_json::to_value(full.clusters.get(c)).unwrap(),
                "{user}: {c}"
            );
        }
        for (cid, covenant) in full.covenants.iter() {
            if clusters.contains(&covenant.cluster) {
                assert_eq!(
                    with_original_indices(rebuilt.covenants.get(cid), &original),
                    serde_json::to_value(Some(covenant)).unwrap(),
                    "{user}: {cid}"
                );
            } else {
                assert!(
                    !rebuilt.covenants.contains_key(cid),
                    "{user} must not see {cid}"
                );
            }
        }
        for u in scope.visible_units(&full) {
            assert_eq!(rebuilt.units.get(&u), full.units.get(&u), "{user}: {u}");
        }
        assert_eq!(rebuilt.movements, full.movements);
    }
}
