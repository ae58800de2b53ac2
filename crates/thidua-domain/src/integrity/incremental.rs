//! A covenant's flags kept up to date unit by unit: per member, the part of the flags that
//! reads only its own figures ([`super::UnitPart`]: breaks, near-target, data quality and its
//! funnel standings) with the marks of the figures it was computed from; the next computation
//! recomputes the parts of the members whose marks changed and redoes only the peer
//! comparison of the funnel drops, which reads every member's standings and is cheap.
//!
//! What a result depends on:
//! - the frame ([`super::collect::Frame`]: the regulation's funnels and boundaries, the
//!   reporting form, the windows, the members in order) and the settings: any change
//!   recomputes every part;
//! - per member, its marks ([`super::collect::marks`]): the log index of each of its reports'
//!   published approval over the panel's years (a correction is a new approval with a new
//!   index; lateness is settled before the first approval). Drafts, submissions, reopenings
//!   and events about anything else change no mark.
//!
//! A full computation ([`super::flags`]) goes through the same parts and the same
//! combination, so the two cannot drift apart; a test compares them after every approval of
//! a random sequence.

use std::collections::HashMap;
use std::sync::Arc;

use super::collect::{self, Frame};
use super::quality::Quality;
use super::{Flag, Settings, UnitPart};
use crate::error::DomainError;
use crate::ids::{CovenantId, UnitId};
use crate::state::State;

/// Every member's flags and data-quality figures of a covenant's year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flags {
    /// Sorted by unit, window and kind.
    pub flags: Vec<Flag>,
    /// Each member's figure for the covenant's year, in member order.
    pub quality: Vec<Quality>,
}

/// Marks of one member's reports (see the module's documentation).
type Marks = Vec<(crate::figures::ReportKey, u64)>;

/// A covenant's flags with what each member's part was computed from. One per covenant;
/// asking for another covenant starts afresh.
#[derive(Default)]
pub struct Incremental {
    frame: Option<(CovenantId, Frame, Settings)>,
    parts: HashMap<UnitId, (Marks, Arc<UnitPart>)>,
    last: Option<Arc<Flags>>,
    recomputed: usize,
}

impl Incremental {
    /// The covenant's flags with `settings`: the parts of members whose marks are unchanged
    /// reused, the others recomputed. Exactly what [`super::flags`] gives on the same state.
    pub fn compute(
        &mut self,
        state: &State,
        covenant: &CovenantId,
        settings: &Settings,
    ) -> Result<Arc<Flags>, DomainError> {
        let frame = collect::frame(state, covenant)?;
        let same = |(c, f, s): &(CovenantId, Frame, Settings)| {
            c == covenant && *f == frame && s == settings
        };
        if !self.frame.as_ref().is_some_and(same) {
            self.parts.clear();
            self.last = None;
            self.frame = Some((covenant.clone(), frame, settings.clone()));
        }
        let (_, frame, settings) = self.frame.as_ref().expect("just set");
        let years = frame.panel.periods.first().map_or(0, |p| p.year)
            ..=frame.panel.periods.last().map_or(0, |p| p.year);
        let marks: Vec<Marks> = frame
            .members
            .iter()
            .map(|u| collect::marks(state, years.clone(), u))
            .collect();
        let stale: Vec<usize> = (0..marks.len())
            .filter(|i| {
                self.parts
                    .get(&frame.members[*i])
                    .is_none_or(|(m, _)| *m != marks[*i])
            })
            .collect();
        self.recomputed = stale.len();
        if let (Some(last), true) = (&self.last, stale.is_empty()) {
            return Ok(Arc::clone(last));
        }
        for (i, part) in stale.iter().zip(recompute(state, frame, settings, &stale)) {
            let unit = frame.members[*i].clone();
            self.parts.insert(unit, (marks[*i].clone(), Arc::new(part)));
        }
        let parts: Vec<&UnitPart> = frame.members.iter().map(|u| &*self.parts[u].1).collect();
        // The panel's last year is the covenant's.
        let year = *years.end();
        let value = Arc::new(Flags {
            flags: super::combine(&frame.panel, &parts, settings),
            quality: parts
                .iter()
                .flat_map(|p| p.quality.iter().filter(|q| q.year == year).cloned())
                .collect(),
        });
        self.last = Some(Arc::clone(&value));
        Ok(value)
    }

    /// How many members the last computation recomputed (the others were reused).
    pub fn recomputed(&self) -> usize {
        self.recomputed
    }
}

/// The parts of the members at `stale`, in that order, spread over the cores when there are
/// many.
fn recompute(state: &State, frame: &Frame, settings: &Settings, stale: &[usize]) -> Vec<UnitPart> {
    crate::parallel::map(stale, 64, |i| {
        let series = collect::series(
            state,
            &frame.ids,
            &frame.panel.periods,
            &frame.ends,
            &frame.members[*i],
        );
        super::unit_part(&frame.panel, &series, settings)
    })
}
