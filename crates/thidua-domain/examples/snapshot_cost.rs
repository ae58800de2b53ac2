//! Measures what a snapshot of a large state costs: applying N events, serialising the state,
//! and reading it back (`cargo run --release -p thidua-domain --example snapshot_cost -- 1000000`).
use std::time::Instant;

use thidua_domain::{Actor, Event, Payload, State, Text, UserId};

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let started = Instant::now();
    let mut state = State::default();
    for i in 0..n {
        state
            .apply(&Event {
                index: i,
                time_ms: 0,
                actor: Actor::System,
                salt: String::new(),
                payload: Payload::UserRegistered {
                    user: UserId::parse(&format!("synth-{i}")).unwrap(),
                    display_name: Text::parse("name", &format!("Cán bộ {i}"), 100).unwrap(),
                    demo: true,
                },
            })
            .unwrap();
    }
    eprintln!("apply {n}: {:.2} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let body = serde_json::to_vec(&state).unwrap();
    eprintln!(
        "serialise: {:.2} s, {} MiB",
        started.elapsed().as_secs_f64(),
        body.len() >> 20
    );
    let started = Instant::now();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    eprintln!("parse to Value: {:.2} s", started.elapsed().as_secs_f64());
    drop(value);
    let started = Instant::now();
    let back: State = serde_json::from_slice(&body).unwrap();
    eprintln!(
        "deserialise State: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(back.size, n);
}
