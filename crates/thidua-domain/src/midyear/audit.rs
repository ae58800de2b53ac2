//! Recomputing the mid-year reviews from the log alone (`thidua verify`): the events are
//! replayed once more and, just before each review, its snapshot is computed again from the
//! state at that point (the log prefix it names) and compared with what the log carries.

use super::snapshot;
use crate::event::{Event, Payload};
use crate::ids::CovenantId;
use crate::state::State;

/// What the recomputation found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// Reviews recomputed (covenant, log index, SHA-256 recomputed).
    pub reviews: Vec<(CovenantId, u64, String)>,
    /// Every difference, in log order, as a sentence.
    pub differences: Vec<String>,
}

/// Replays `events` (a whole log, in order) and recomputes every mid-year review. Events that
/// cannot be applied stop the audit with their error.
pub fn audit(events: &[Event]) -> Result<Audit, String> {
    let mut state = State::default();
    let mut out = Audit::default();
    for event in events {
        if let Payload::MidyearReviewFrozen(e) = &event.payload {
            let again = snapshot(&state, &e.covenant).map_err(|x| x.to_string())?;
            if again != *e {
                out.differences.push(format!(
                    "event {}: the mid-year review of {} carries SHA-256 {}, the log's first {} events give {}",
                    event.index, e.covenant, e.sha256, state.size, again.sha256
                ));
            }
            out.reviews
                .push((e.covenant.clone(), event.index, again.sha256));
        }
        state
            .apply(event)
            .map_err(|e| format!("event {}: {e}", event.index))?;
    }
    Ok(out)
}
