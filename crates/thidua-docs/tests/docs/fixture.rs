//! The state the tests build documents from: the log written by the format-1 code (Cluster
//! No. 12, its frozen 2024 covenant signed by five units, the 2025 draft), replayed by the
//! domain; and a scoreboard computed by the scoring engine from the example regulation and
//! figures of `examples/cum12-2024/`; and the demonstration's log (`thidua serve --demo`,
//! exported with `thidua log --json`: INVENTED data) with Cluster No. 12's 2024 year-end
//! review — draw, five inspections, a dispute resolved by the council, published results — and
//! its votes, one counted (the Ministry's flag, two seats), for the minutes, the year-end report
//! and the submission. The demonstration's clock wrote that log on 02/12/2026 (in a few
//! seconds); the documents here are dated in December 2024, so its events are replayed moved
//! back to 18/12/2024 ([`DEMO_SHIFT_MS`]), before the 2025 mergers, as a real cluster's log of
//! 2024 has them: minutes state the day of what they record and the units of that day.
//! (`determinism` issues on the log as written, dated 02/12/2026.)

use thidua_domain::{Event, State};

pub const LOG: &str = include_str!("../../../thidua/tests/data/log-format1.jsonl");

pub const DEMO_LOG: &str = include_str!("../data/demo-2024.jsonl");

/// The replayed state.
pub fn state() -> State {
    replay(LOG)
}

/// How far the demonstration's events are moved when replayed: 714 days back, from
/// 02/12/2026 to 18/12/2024 (the same hours, Vietnam time), their order and spacing kept.
pub const DEMO_SHIFT_MS: i64 = -714 * 86_400_000;

/// The demonstration's state, replayed once (the ballots' proofs make it take a moment), its
/// events moved by [`DEMO_SHIFT_MS`].
pub fn demo_state() -> &'static State {
    static STATE: std::sync::OnceLock<State> = std::sync::OnceLock::new();
    STATE.get_or_init(|| replay_shifted(DEMO_LOG, DEMO_SHIFT_MS))
}

fn replay(log: &str) -> State {
    replay_shifted(log, 0)
}

/// `log` replayed with each event's time moved by `shift_ms`.
fn replay_shifted(log: &str, shift_ms: i64) -> State {
    let mut state = State::default();
    for (i, line) in log.lines().enumerate() {
        let mut event = Event::decode(i as u64, line.as_bytes()).expect("the fixture decodes");
        event.time_ms += shift_ms;
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
