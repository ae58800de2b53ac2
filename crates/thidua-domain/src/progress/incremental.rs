//! Progress kept up to date member by member: a covenant's last result with, per member, the
//! key of everything that member's result was computed from; the next computation recomputes
//! only the members whose key changed and reuses the others' results as they stand.
//!
//! Why a member can be computed alone: nothing a regulation can say makes one unit's
//! provisional score read another unit's figures. Criteria, indicators, scales, bonus and
//! penalty items and `points(ID)` all read the unit's own series (with its predecessors' for a
//! merged unit); what compares units — ranks, bands and their quotas — is the scoreboard's
//! ([`thidua_scoring::CompiledRegulation::evaluate_units`]), which progress never computes (a
//! provisional score has no rank), and the integrity flags' peer comparisons are not part of
//! progress either. Each member's data stops at its own last month approved without a gap
//! (see [`super::member_progress`]), so another member's approval changes nothing it reads.
//!
//! What a result depends on, and so its key:
//! - shared by every member ([`SharedKey`]): the covenant, its version in force (regulation
//!   text and targets compared as they are), its year, the sorted members (a member's id in
//!   the engine's data is its position), the movement's calendar (windows and cut-offs) and the
//!   month the computation stops at. Any change recomputes everything.
//! - per member ([`UnitKey`]): its name, its last month approved without a gap, its direct
//!   predecessors, and the log index of every published approval of its reports and of its
//!   predecessors' over the years the data covers. An approval or correction is a new event
//!   with a new index, so any change of approved figures changes the key; drafts,
//!   submissions, reopenings and events about anything else do not.
//!
//! A full computation is this with nothing remembered ([`super::compute_with`]), so the two
//! cannot drift apart; a test compares them after every approval of a random sequence.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{member_progress, Ask, Progress, Shared, UnitProgress};
use crate::calendar::Calendar;
use crate::engine_data::YEARS_BACK;
use crate::error::DomainError;
use crate::figures::ReportKey;
use crate::ids::{CovenantId, UnitId};
use crate::model::{ReportingWindow, Target};
use crate::state::State;
use crate::text::Text;

/// What every member's result shares (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
struct SharedKey {
    covenant: CovenantId,
    version: u32,
    year: i32,
    regulation: String,
    targets: Vec<Target>,
    members: Vec<UnitId>,
    calendar: Vec<ReportingWindow>,
    cap: u8,
}

impl SharedKey {
    fn of(state: &State, covenant: &CovenantId, cap: u8) -> Result<SharedKey, DomainError> {
        let (c, version) = state.signed_covenant(covenant)?;
        let content = &c
            .version(version)
            .expect("the version in force exists")
            .content;
        let calendar = state.movement(&c.movement)?.calendar.clone();
        Ok(SharedKey {
            covenant: covenant.clone(),
            version,
            year: c.year,
            regulation: content.regulation.text.clone(),
            targets: content.targets.clone(),
            members: super::members(state, covenant)?,
            calendar,
            cap,
        })
    }
}

/// What one member's result depends on beyond the shared key.
#[derive(Clone, Debug, PartialEq, Eq)]
struct UnitKey {
    name: Text,
    through: Option<u8>,
    predecessors: Vec<UnitId>,
    /// Published approvals of the member's reports, then of each predecessor's.
    published: Vec<(ReportKey, u64)>,
}

impl UnitKey {
    fn of(state: &State, key: &SharedKey, unit: &UnitId) -> Result<UnitKey, DomainError> {
        let year = key.year;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year");
        let predecessors = state.predecessors(unit, end);
        let mut published = state
            .figures
            .published_indices(unit, year - YEARS_BACK..=year);
        let through = Self::through(state, key, &published);
        for p in &predecessors {
            published.extend(
                state
                    .figures
                    .published_indices(p, year - YEARS_BACK..=year - 1),
            );
        }

        Ok(UnitKey {
            name: state.unit(unit)?.name.clone(),
            through,
            predecessors,
            published,
        })
    }

    /// The member's last month approved without a gap (at most the cap), as
    /// [`super::through`] says, read from its approvals listed in `own`.
    fn through(state: &State, key: &SharedKey, own: &[(ReportKey, u64)]) -> Option<u8> {
        let approved: Vec<&str> = own
            .iter()
            .filter(|(k, _)| k.year == key.year)
            .map(|(k, _)| state.figures.window_of(k))
            .collect();
        Calendar::new(&key.calendar).through(key.cap, |w| approved.contains(&w))
    }
}

/// A covenant's progress with what each member's result was computed from, to recompute only
/// the members whose figures changed. One per covenant and [`Ask::through_at_most`]; asking
/// for another covenant or cut-off starts afresh.
#[derive(Default)]
pub struct Incremental {
    shared: Option<(SharedKey, Shared)>,
    /// Per member (sorted order), the key its result in `last` was computed from.
    keys: Vec<Option<UnitKey>>,
    last: Option<Arc<Progress>>,
    recomputed: usize,
}

impl Incremental {
    /// The covenant's progress as `ask` says: the last result's members reused where their key
    /// is unchanged, the others recomputed. Exactly what [`super::compute_with`] gives for the
    /// same state. The explained member is always computed afresh (with its trace) and the
    /// result carrying it is not remembered.
    pub fn compute(
        &mut self,
        state: &State,
        covenant: &CovenantId,
        ask: Ask,
    ) -> Result<Arc<Progress>, DomainError> {
        let key = SharedKey::of(state, covenant, ask.through_at_most.unwrap_or(12))?;
        let legacy = ask.legacy_zero_baseline;
        if self
            .shared
            .as_ref()
            .map(|(k, s)| (k, s.legacy_zero_baseline))
            != Some((&key, legacy))
        {
            let shared = Shared::new(state, covenant, legacy)?;
            self.keys = vec![None; shared.members.len()];
            self.last = None;
            self.shared = Some((key, shared));
        }
        let (key, sh) = self.shared.as_ref().expect("just set");
        let keys = sh
            .members
            .iter()
            .map(|u| UnitKey::of(state, key, u))
            .collect::<Result<Vec<_>, _>>()?;
        let stale: Vec<usize> = (0..keys.len())
            .filter(|i| self.last.is_none() || self.keys[*i].as_ref() != Some(&keys[*i]))
            .collect();
        self.recomputed = stale.len();
        let explained = ask
            .explain
            .and_then(|u| sh.members.binary_search(u).ok())
            .map(|i| member_progress(sh, state, i, keys[i].through, true))
            .transpose()?;
        let fresh = recompute(sh, state, &stale, &keys)?;
        let value = match &mut self.last {
            Some(last) if stale.is_empty() => Arc::clone(last),
            Some(last) => {
                // In place when no reader holds the last value any more, else on a copy.
                let p = Arc::make_mut(last);
                for (i, u) in stale.iter().zip(fresh) {
                    p.units[*i] = u;
                }
                p.as_of = as_of(state, sh, &p.units);
                self.keys = keys.into_iter().map(Some).collect();
                Arc::clone(last)
            }
            None => {
                let p = Arc::new(Progress {
                    covenant: sh.covenant.clone(),
                    year: sh.year,
                    as_of: as_of(state, sh, &fresh),
                    units: fresh,
                });
                self.last = Some(Arc::clone(&p));
                self.keys = keys.into_iter().map(Some).collect();
                p
            }
        };
        Ok(match explained {
            None => value,
            Some(u) => {
                let mut p = Progress::clone(&value);
                let i = p
                    .units
                    .iter()
                    .position(|x| x.unit == u.unit)
                    .expect("a member");
                p.units[i] = u;
                Arc::new(p)
            }
        })
    }

    /// How many members the last computation recomputed (the others were reused).
    pub fn recomputed(&self) -> usize {
        self.recomputed
    }
}

/// The members at `stale` recomputed, in that order, spread over the cores when there are
/// many.
fn recompute(
    sh: &Shared,
    state: &State,
    stale: &[usize],
    keys: &[UnitKey],
) -> Result<Vec<UnitProgress>, DomainError> {
    crate::parallel::map(stale, 64, |i| {
        member_progress(sh, state, *i, keys[*i].through, false)
    })
    .into_iter()
    .collect()
}

/// The cut-off of the latest month any member counts ("Số liệu tính đến ngày").
fn as_of(state: &State, sh: &Shared, units: &[UnitProgress]) -> Option<NaiveDate> {
    let calendar = state.calendar(&sh.covenant).ok()?;
    super::latest_cutoff(&calendar, units.iter().filter_map(|u| u.through))
}
