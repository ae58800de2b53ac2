//! The state the tests build documents from: the log written by the format-1 code (Cluster
//! No. 12, its frozen 2024 covenant signed by five units, the 2025 draft), replayed by the
//! domain; and a scoreboard computed by the scoring engine from the example regulation and
//! figures of `examples/cum12-2024/`; and the demonstration's log (`thidua serve --demo`,
//! exported with `thidua log --json`: INVENTED data) with Cluster No. 12's 2024 year-end
//! review — draw, five inspections, a dispute resolved by the council, published results — and
//! its votes, one counted (the Ministry's flag, two seats), for the minutes, the year-end report
//! and the submission.

use thidua_domain::{Event, State};

pub const LOG: &str = include_str!("../../../thidua/tests/data/log-format1.jsonl");

pub const DEMO_LOG: &str = include_str!("../data/demo-2024.jsonl");

/// The replayed state.
pub fn state() -> State {
    replay(LOG)
}

/// The demonstration's state, replayed once (the ballots' proofs make it take a moment).
pub fn demo_state() -> &'static State {
    static STATE: std::sync::OnceLock<State> = std::sync::OnceLock::new();
    STATE.get_or_init(|| replay(DEMO_LOG))
}

fn replay(log: &str) -> State {
    let mut state = State::default();
    for (i, line) in log.lines().enumerate() {
        let event = Event::decode(i as u64, line.as_bytes()).expect("the fixture decodes");
        state.apply(&event).expect("the fixture replays");
    }
    state
}

/// The example scoreboard of Cluster No. 12 (the year of its regulation).
pub fn scoreboard() -> thidua_scoring::Scoreboard {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cum12-2024");
    let text = std::fs::read_to_string(format!("{dir}/regulation.toml")).unwrap();
    let reg = thidua_scoring::compile(&text).expect("the example regulation compiles");
    let bytes = std::fs::read(format!("{dir}/data.csv")).unwrap();
    let data = thidua_scoring::Dataset::from_bytes(&bytes, false, Default::default())
        .expect("the example figures read");
    reg.evaluate_all(&data, reg.ast().period, Default::default())
        .expect("the example scores")
}
