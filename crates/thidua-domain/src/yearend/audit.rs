//! Recomputing the year-end from the log alone (`thidua verify`, `thidua assign --verify`):
//! the events are replayed once more and, just before each draw and each publication, the draw
//! and the results are computed again from the state at that point and compared with what the
//! log says. Any difference is reported, naming the event, the unit and both values.
//!
//! The replay folds with [`State::apply_readable`], as `thidua verify` does: a whole log (an
//! administrator's, a database) and a member's readable part (events it may not read left out,
//! each readable event at its own index) are audited alike. What the recomputation needs is
//! readable by every member of the cluster (commitments, reveals, the draw, the submitted
//! dossiers, findings and decisions once the results are published); a recomputation that
//! still cannot be made from the events given is listed in [`Audit::not_recomputed`] with its
//! reason, never passed over.

use super::score;
use super::state::compute_draw;
use super::{AssignmentDrawn, PublishedResult, YearEndEvent};
use crate::event::{Event, Payload};
use crate::ids::CovenantId;
use crate::state::State;

/// What the recomputation found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// Draws recomputed (covenant, log index, recomputed draw).
    pub draws: Vec<(CovenantId, u64, AssignmentDrawn)>,
    /// Publications recomputed (covenant, log index, units).
    pub publications: Vec<(CovenantId, u64, usize)>,
    /// Every difference, in log order, as a sentence.
    pub differences: Vec<String>,
    /// Draws and publications the events given could not recompute, in log order, as a
    /// sentence naming the event and why.
    pub not_recomputed: Vec<String>,
}

fn show(r: &PublishedResult) -> String {
    let p = |x: &Option<super::Points>| {
        x.map_or("-".to_owned(), |v| crate::figures::canonical_decimal(&v.0))
    };
    format!(
        "self {} final {} rank {} band {} eligible {}",
        p(&r.self_total),
        p(&r.final_total),
        r.rank.map_or("-".into(), |x| x.to_string()),
        r.band.as_deref().unwrap_or("-"),
        r.eligible
    )
}

fn compare(index: u64, published: &[PublishedResult], again: &[PublishedResult]) -> Vec<String> {
    let mut out = Vec::new();
    for want in again {
        match published.iter().find(|r| r.unit == want.unit) {
            None => out.push(format!(
                "event {index}: unit {} missing from the published results",
                want.unit
            )),
            Some(got) if got != want => out.push(format!(
                "event {index}: unit {}: published {}, recomputed {}",
                want.unit,
                show(got),
                show(want)
            )),
            Some(_) => {}
        }
    }
    for got in published {
        if !again.iter().any(|r| r.unit == got.unit) {
            out.push(format!(
                "event {index}: unit {} published but not a member",
                got.unit
            ));
        }
    }
    out
}

/// Replays `events` (a whole log, or the part of it a member may read, in order) and
/// recomputes every draw and publication among them. Events that cannot be applied stop the
/// audit with their error.
pub fn audit(events: &[Event]) -> Result<Audit, String> {
    let mut state = State::default();
    let mut out = Audit::default();
    for event in events {
        if let Payload::YearEnd(e) = &event.payload {
            check(&state, event.index, e, &mut out);
        }
        state
            .apply_readable(event)
            .map_err(|e| format!("event {}: {e}", event.index))?;
    }
    Ok(out)
}

fn check(state: &State, index: u64, e: &YearEndEvent, out: &mut Audit) {
    let mut not_recomputed = |what: &str, covenant: &CovenantId, why: String| {
        out.not_recomputed.push(format!(
            "event {index}: the {what} of {covenant} NOT recomputed: {why}"
        ))
    };
    match e {
        YearEndEvent::AssignmentDrawn(d) => {
            let review = match state.review(&d.covenant) {
                Ok(r) => r,
                Err(e) => return not_recomputed("draw", &d.covenant, e.to_string()),
            };
            let again = compute_draw(state, review);
            if again != *d {
                out.differences.push(format!(
                    "event {index}: the draw of {} differs from its recomputation (seed {})",
                    d.covenant, again.seed
                ));
            }
            out.draws.push((d.covenant.clone(), index, again));
        }
        YearEndEvent::ResultsPublished(p) => {
            let again = match state
                .review(&p.covenant)
                .and_then(|review| score::results(state, review))
            {
                Ok(r) => r,
                Err(e) => return not_recomputed("results", &p.covenant, e.to_string()),
            };
            out.differences.extend(compare(index, &p.results, &again));
            out.publications
                .push((p.covenant.clone(), index, again.len()));
        }
        _ => {}
    }
}
