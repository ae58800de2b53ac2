//! Recomputing the mid-year reviews from the log alone (`thidua verify`): the events are
//! replayed once more and, just before each review, its snapshot is computed again from the
//! state at that point (the log prefix it names) and compared with what the log carries.
//!
//! The replay folds with [`State::apply_readable`], as `thidua verify` does, so a member's
//! readable part of the log is audited like a whole log: a review names the log prefix before
//! its own index, which the state reaches even when the events just before it are hidden
//! (the approved figures a review counts are readable by the whole cluster; drafts are not
//! needed). A review the events given cannot recompute is listed in
//! [`Audit::not_recomputed`] with its reason, never passed over.

use super::{snapshot_in, SnapshotFormat};
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
    /// Reviews the events given could not recompute, in log order, as a sentence naming the
    /// event and why.
    pub not_recomputed: Vec<String>,
}

/// Replays `events` (a whole log, or the part of it a member may read, in order) and
/// recomputes every mid-year review among them. Events that cannot be applied stop the audit
/// with their error.
pub fn audit(events: &[Event]) -> Result<Audit, String> {
    let mut state = State::default();
    let mut out = Audit::default();
    for event in events {
        if let Payload::MidyearReviewFrozen(e) = &event.payload {
            // The prefix the review names ends just before it, hidden events included: the
            // state steps over them as `apply_readable` does.
            if state.size < event.index {
                state.partial = true;
                state.size = event.index;
            }
            // With the rules its hash names (replay refused any other hash).
            let format = SnapshotFormat::of(e).unwrap_or(SnapshotFormat::CURRENT);
            match snapshot_in(&state, &e.covenant, format) {
                Ok(again) => {
                    if again != *e {
                        out.differences.push(format!(
                            "event {}: the mid-year review of {} carries SHA-256 {}, the log's first {} events give {}",
                            event.index, e.covenant, e.sha256, state.size, again.sha256
                        ));
                    }
                    out.reviews
                        .push((e.covenant.clone(), event.index, again.sha256));
                }
                Err(x) => out.not_recomputed.push(format!(
                    "event {}: the mid-year review of {} NOT recomputed: {x}",
                    event.index, e.covenant
                )),
            }
        }
        state
            .apply_readable(event)
            .map_err(|e| format!("event {}: {e}", event.index))?;
    }
    Ok(out)
}
