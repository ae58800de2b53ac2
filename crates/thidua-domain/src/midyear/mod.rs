//! The mid-year review (stage `midyear`, "sơ kết 6 tháng"): the secretariat of a covenant's
//! cluster freezes, once month 6 of the covenant's calendar has closed, each member's progress
//! and provisional score through month 6 ([`crate::progress`] capped at month 6, even where later
//! months are approved). One event, `midyear_review_frozen`, carries the whole snapshot, the log
//! size it was computed at and the SHA-256 of its canonical serialisation ([`snapshot_hash`]).
//!
//! Rules: [`decide`] computes the snapshot (the command carries nothing else); applying the
//! event checks its fit — one review per covenant, after the cut-off by the event's own time,
//! computed at its own index, the covenant's version, regulation, members and month-6 cut-off,
//! and the hash of what it carries. The figures are not recomputed when it is applied (the
//! engine is the audit's business, as for the year-end results): [`audit`] replays a log and
//! recomputes every review from its prefix (`thidua verify`). A review is never superseded:
//! it records what the log said at the cut-off; corrections after it show in live progress.

pub mod audit;
mod snapshot;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::authz::{authorise, Permission};
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::figures::local_date;
use crate::ids::{CovenantId, UnitId};
use crate::model::Target;
use crate::progress::Status;
use crate::state::State;
pub use crate::wire::midyear::{MidyearReviewFrozen, TargetSnapshot, UnitSnapshot};
pub use snapshot::{snapshot, snapshot_hash, snapshot_in, SnapshotFormat};
use thidua_scoring::Exact;

/// The last reporting month a mid-year review counts.
pub const MONTH: u8 = 6;

/// Every code a mid-year refusal may carry (the UI has a text for each).
pub const CODES: &[&str] = &[
    "midyear_exists",
    "midyear_too_early",
    "midyear_mismatch",
    "midyear_no_figures",
    "midyear_too_late",
    "midyear_incomplete",
];

/// A frozen review as the state keeps it: the event's snapshot, where and when, and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub frozen: MidyearReviewFrozen,
    /// Log index of the event (equal to `frozen.at`).
    pub index: u64,
    pub time_ms: i64,
    pub by: Actor,
}

/// A mid-year refusal as a domain error.
pub fn refuse(code: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::Midyear {
        code,
        reason: reason.into(),
    }
}

/// The cut-off of month 6 in the covenant's reporting calendar (of the reported window that
/// closes with it).
pub fn cutoff(state: &State, covenant: &CovenantId) -> Result<NaiveDate, DomainError> {
    state
        .calendar(covenant)?
        .cutoff(MONTH)
        .ok_or_else(|| DomainError::UnknownWindow(format!("M{MONTH:02}")))
}

/// A frozen target's status as progress says it ([`crate::progress::status::judge`]): the
/// status the review recorded (met or not met, its snapshot's format being older than
/// [`Status::BeyondRange`]), with a range target missed only beyond its far end told apart
/// from its own values to date and projected ([`crate::progress::status::beside_range`]).
/// `target` is the covenant's target it names.
pub fn shown_status(target: Option<&Target>, t: &TargetSnapshot) -> Status {
    let recorded = Status::from_code(&t.status).unwrap_or(Status::Unknown);
    let Some(target) = target else {
        return recorded;
    };
    let value = |raw: &Option<String>| raw.as_deref().and_then(|s| s.parse::<Exact>().ok());
    let (now, end) = (value(&t.to_date), value(&t.projected));
    crate::progress::status::beside_range(recorded, target, [now.as_ref(), end.as_ref()])
}

/// How complete a member's figures are for the review: of its reported windows of months 1 to
/// [`MONTH`], how many are approved, and the last month counted (approved with every month
/// before it, as the review counts: [`crate::progress::through`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub unit: UnitId,
    pub approved: u8,
    pub windows: u8,
    pub through: Option<u8>,
}

impl Completeness {
    /// Every window through month 6 approved: the review counts the whole half-year.
    pub fn complete(&self) -> bool {
        self.approved == self.windows && self.through == Some(MONTH)
    }
}

/// Every member's [`Completeness`] now, in sorted member order: what the secretariat reads
/// before freezing the review, which can never be done again.
pub fn completeness(
    state: &State,
    covenant: &CovenantId,
) -> Result<Vec<Completeness>, DomainError> {
    let year = state.covenant(covenant)?.year;
    let calendar = state.calendar(covenant)?;
    let members = crate::progress::members(state, covenant)?;
    let keys: Vec<&str> = (1..=MONTH)
        .filter_map(|m| calendar.month(m).map(|r| r.key()))
        .collect();
    Ok(members
        .into_iter()
        .map(|unit| {
            let approved = keys
                .iter()
                .filter(|k| {
                    state
                        .figures
                        .report(&unit, year, k)
                        .is_some_and(|r| r.published().is_some())
                })
                .count();
            let through =
                crate::progress::through(state, covenant, &unit, year).map(|m| m.min(MONTH));
            Completeness {
                approved: approved as u8,
                windows: keys.len() as u8,
                through,
                unit,
            }
        })
        .collect())
}

/// `FreezeMidyearReview`: the actor's role first (the secretariat of the covenant's cluster),
/// then one review per covenant, never once the year-end scores are locked (the year is over),
/// never before any member has approved a month (a review of nothing could not be redone),
/// then the snapshot of the state as it stands — and, while some member does not have all its
/// figures through month 6 approved ([`Completeness::complete`]), only when the command
/// acknowledges it (`acknowledge_incomplete`: the web's confirmation box, the API's body),
/// since the review is frozen for good. Whether month 6 has closed is checked against the
/// event's time when it is applied. The rules but the first are `decide`'s only: logs written
/// before them replay.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    acknowledge_incomplete: bool,
) -> Result<Vec<Payload>, DomainError> {
    let cluster = state.covenant(covenant)?.cluster.clone();
    authorise(state, actor, &Permission::ManageCluster(cluster))?;
    if let Some(r) = state.midyear.get(covenant) {
        return Err(exists(covenant, r.index));
    }
    if state
        .yearend
        .reviews
        .get(covenant)
        .is_some_and(|r| r.locked_at.is_some())
    {
        return Err(refuse(
            "midyear_too_late",
            format!("the year-end scores of {covenant} are locked: the year is over"),
        ));
    }
    let frozen = snapshot(state, covenant)?;
    if frozen.units.iter().all(|u| u.through.is_none()) {
        return Err(refuse(
            "midyear_no_figures",
            format!(
                "no member of {covenant} has approved figures from month 1 yet: nothing to review"
            ),
        ));
    }
    if !acknowledge_incomplete {
        check_complete(state, covenant)?;
    }
    Ok(vec![Payload::MidyearReviewFrozen(frozen)])
}

/// Refuses a review while some member's figures through month 6 are not all approved
/// (`midyear_incomplete`, naming them).
fn check_complete(state: &State, covenant: &CovenantId) -> Result<(), DomainError> {
    let all = completeness(state, covenant)?;
    let short: Vec<String> = all
        .iter()
        .filter(|c| !c.complete())
        .map(|c| format!("{} ({}/{})", c.unit, c.approved, c.windows))
        .collect();
    if short.is_empty() {
        return Ok(());
    }
    Err(refuse(
        "midyear_incomplete",
        format!(
            "{} of {} members do not have all their figures through month {MONTH} approved: {}; \
             the review is frozen once, for good — acknowledge it (acknowledge_incomplete) to freeze it now",
            short.len(),
            all.len(),
            short.join(", ")
        ),
    ))
}

fn exists(covenant: &CovenantId, index: u64) -> DomainError {
    refuse(
        "midyear_exists",
        format!("the mid-year review of {covenant} was already frozen (event {index})"),
    )
}

fn mismatch(what: &str) -> DomainError {
    refuse(
        "midyear_mismatch",
        format!("the mid-year review does not fit the log: {what}"),
    )
}

impl State {
    /// Folds `midyear_review_frozen` after checking that it fits (see the module's rules).
    pub(crate) fn apply_midyear(
        &mut self,
        event: &Event,
        e: &MidyearReviewFrozen,
    ) -> Result<(), DomainError> {
        if let Some(r) = self.midyear.get(&e.covenant) {
            return Err(exists(&e.covenant, r.index));
        }
        let cutoff = cutoff(self, &e.covenant)?;
        let day = local_date(event.time_ms);
        if day <= cutoff {
            return Err(refuse(
                "midyear_too_early",
                format!(
                    "month {MONTH} closes on {}; the review can be frozen from the next day (today is {})",
                    cutoff.format("%d/%m/%Y"),
                    day.format("%d/%m/%Y")
                ),
            ));
        }
        self.check_fit(event, e, cutoff)?;
        self.midyear.insert(
            e.covenant.clone(),
            Review {
                frozen: e.clone(),
                index: event.index,
                time_ms: event.time_ms,
                by: event.actor.clone(),
            },
        );
        Ok(())
    }

    /// The event's frame agrees with the state before it, and its hash with its content.
    fn check_fit(
        &self,
        event: &Event,
        e: &MidyearReviewFrozen,
        cutoff: NaiveDate,
    ) -> Result<(), DomainError> {
        let year = self.covenant(&e.covenant)?.year;
        let (doc, version) = self.regulation_in_force(&e.covenant)?;
        let regulation = &doc.sha256;
        let members = crate::progress::members(self, &e.covenant)?;
        let checks = [
            (e.version == version, "not the covenant's version in force"),
            (&e.regulation == regulation, "not the regulation in force"),
            (e.year == year, "not the covenant's year"),
            (e.month == MONTH, "the review counts months 1 to 6"),
            (e.at == event.index, "not computed at its own log index"),
            (
                e.cutoff == cutoff,
                "not the month-6 cut-off of the calendar",
            ),
            (
                e.units.iter().map(|u| &u.unit).eq(members.iter()),
                "not the cluster's members",
            ),
            (
                e.units
                    .iter()
                    .all(|u| u.through.is_none_or(|m| (1..=MONTH).contains(&m))),
                "a month past 6",
            ),
            (
                SnapshotFormat::of(e).is_some(),
                "its SHA-256 is not the hash of its snapshot",
            ),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, what)) => Err(mismatch(what)),
            None => Ok(()),
        }
    }
}
