//! Figures over HTTP: the reports of a window, one unit's report (its grid, cùng kỳ, rule
//! checks, approvals and corrections), saving, submitting, approving, reopening, imports from a
//! file (a unit's, and the secretariat's historical import; dry run or all-or-nothing), the
//! template and the export for `thidua score --data`. The pages ([`crate::ui`]) call the same
//! functions, so both show exactly what [`crate::authz`] allows: a unit's unapproved figures to
//! the unit only, approved figures to the cluster (members, secretariat, supervisor).

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use thidua_domain::figures::{failed_rules, Cell, FigureMap, Report, ReportStatus};
use thidua_domain::state::Covenant;
use thidua_domain::{Actor, Command, CovenantId, Payload, State as DomainState, Text, UnitId};
use thidua_import::template::{FileFormat, Template, TemplateError};
use thidua_import::{
    export, plan_historical_as, plan_reports_for, ImportErrors, Limits, PlanError, Upload,
};
use utoipa::{IntoParams, ToSchema};

use super::dto::{unit_ref, ReceiptDto, UnitRef};
use super::extract::{ApiJson, ApiQuery};
use super::{execute, parse_id};
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

/// A figure's text form: canonical decimal, `na`, or absent.
fn cell_str(c: Cell) -> Option<String> {
    match c {
        Cell::Missing => None,
        Cell::NotApplicable => Some("na".into()),
        Cell::Number(d) => Some(thidua_domain::figures::canonical_decimal(&d)),
    }
}

/// The ratio of a figure to last year's when it lies far from it (see
/// [`ElementRow::same_period_ratio`]).
fn same_period_ratio(value: Cell, same: Cell) -> Option<String> {
    let (Cell::Number(value), Cell::Number(same)) = (value, same) else {
        return None;
    };
    thidua_domain::figures::plausibility::far_from_same_period(value, same)
        .map(|r| thidua_domain::figures::canonical_decimal(&r))
}

/// One element row of a report.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ElementRow {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    /// Last year's approved figure for the same window, as the scores read it: a merged
    /// unit's adds its predecessors' (the report's `same_period_from`).
    pub same_period: Option<String>,
    /// `value / same_period` (3 places, half up) when the figure lies far from last year's —
    /// tenfold or more either way, or zero against ten or more
    /// (`thidua_domain::figures::plausibility`): a hint to check it, never a refusal.
    pub same_period_ratio: Option<String>,
    /// The figure the viewer may see: the unit's current one (its own unit) or the published one.
    pub value: Option<String>,
    /// The published (approved) figure.
    pub published: Option<String>,
    pub comment: Option<String>,
}

/// A validation rule that fails on the report's current figures.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RuleIssue {
    pub rule: String,
    pub name: String,
    /// `error` or `warning`.
    pub severity: String,
    /// A comment on one of its figures explains it (warnings).
    pub explained: bool,
}

/// A figure changed by a correction.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    pub element: String,
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The figure's comment changes (an import's dry run, or a correction against the approval
    /// before): from and to (none: no comment). A change of the comment alone keeps `before`
    /// and `after` equal.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub comment_changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment_after: Option<String>,
}

/// One approval (the first publication, or a correction of the one before).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApprovalDto {
    pub revision: u32,
    /// Log index and time of the approving or historical event.
    pub index: u64,
    pub time_ms: i64,
    /// The historical import (its log index) that recorded these figures.
    pub import: Option<u64>,
    /// For a correction: the reopening's log index and its reason, and the figures changed.
    pub reopened_at: Option<u64>,
    pub reason: Option<String>,
    pub changes: Vec<ChangeDto>,
    /// Who approved (the unit's leader) or imported (the secretariat) these figures: the
    /// account's name as the log has it.
    pub by: Option<String>,
    /// Who submitted the revision approved (the unit's officer who entered it, or whoever
    /// submitted it): the account's name as the log has it; none for a historical import.
    pub submitted_by: Option<String>,
}

/// A unit's report for a window.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReportDto {
    pub covenant: String,
    pub unit: UnitRef,
    pub year: i32,
    pub window: String,
    /// The window's name as the movement's calendar records it: Vietnamese data ("Tháng 12"),
    /// like the names of units and elements, whatever the caller's language (the API has no
    /// language; `window`, `start` and `end` say which months it is, for a client to name it
    /// in its own language).
    pub window_name: String,
    /// First and last day (yyyy-mm-dd) and the deadline.
    pub start: String,
    pub end: String,
    pub deadline: String,
    /// `none`, `draft`, `submitted`, `approved`, `reopened` for the unit itself; others see
    /// `approved`, `reopened` (a correction in progress) or `not_published`.
    pub status: String,
    pub revision: u32,
    /// The first submission came after the deadline in force then (`submission_deadline`);
    /// a deadline moved later changes neither.
    pub late: bool,
    pub submitted_ms: Option<i64>,
    /// The window's deadline (yyyy-mm-dd) in force when the report was first submitted, which
    /// `late` was judged against; shown with the first submission.
    pub submission_deadline: Option<String>,
    /// The viewer sees the unit's unapproved figures: its own unit only (an administrator,
    /// as for year-end drafts, reads what was published).
    pub own: bool,
    /// The deadline has passed (today in Vietnam) and nothing came, as the window's overview
    /// says it ([`overdue`]).
    pub overdue: bool,
    pub elements: Vec<ElementRow>,
    /// The predecessors whose figures of last year each element's `same_period` adds to the
    /// unit's own (a unit merged during the year); empty for most units.
    pub same_period_from: Vec<UnitRef>,
    /// The units of that lineage (the unit itself or a predecessor) with no approved figures
    /// for last year's window: `same_period` is then missing, never a partial sum.
    pub same_period_missing: Vec<UnitRef>,
    pub issues: Vec<RuleIssue>,
    pub approvals: Vec<ApprovalDto>,
    /// While a correction is in progress (reopened after its last approval): the reopening's
    /// log index and the leader's reason.
    pub reopened_at: Option<u64>,
    pub reopen_reason: Option<String>,
    pub can_edit: bool,
    /// The viewer may submit what they edit: the window is over (from its cut-off `end`, in
    /// Vietnam's time). Before that a draft is saved, never submitted.
    pub can_submit: bool,
    pub can_approve: bool,
    pub can_reopen: bool,
    /// The year's figures are locked (the year-end review locked the scores): nothing changes.
    pub locked: bool,
}

/// A unit's line in a window's overview.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitStatusDto {
    pub unit: UnitRef,
    pub status: String,
    /// The first submission came after the deadline in force then (`submission_deadline`);
    /// told to the unit itself, and to others once published.
    pub late: bool,
    /// The window's deadline (yyyy-mm-dd) in force when the report was first submitted,
    /// which `late` was judged against; told as `late` is.
    pub submission_deadline: Option<String>,
    /// The deadline has passed (today in Vietnam) and nothing came: for the unit itself, no
    /// submission; for everyone else, no published figures (what the unit has not published is
    /// not told).
    pub overdue: bool,
    pub corrections: usize,
    pub own: bool,
}

/// A reporting window of the calendar.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WindowRef {
    pub key: String,
    /// The name the movement's calendar records (Vietnamese data, as `ReportDto.window_name`).
    pub name: String,
    /// First and last day (yyyy-mm-dd).
    pub start: String,
    pub end: String,
    /// The last day to submit (yyyy-mm-dd): the secretariat's, else the default one.
    pub deadline: String,
    /// The secretariat set the deadline.
    pub deadline_set: bool,
    /// The declared public holidays the default deadline skipped (yyyy-mm-dd).
    pub holidays_skipped: Vec<String>,
    /// The Saturdays and Sundays declared worked in exchange for a day off that the default
    /// deadline counted as working days (yyyy-mm-dd).
    pub worked_weekends: Vec<String>,
}

/// A historical import, as recorded.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ImportRecordDto {
    pub index: u64,
    pub time_ms: i64,
    pub actor: String,
    pub file_name: String,
    pub sha256: String,
    pub reports: u32,
}

/// The reports of a covenant's members for one window.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WindowDto {
    pub covenant: String,
    pub title: String,
    pub year: i32,
    pub window: String,
    pub deadline: String,
    /// Every reported window of the calendar, with its deadline.
    pub windows: Vec<WindowRef>,
    pub units: Vec<UnitStatusDto>,
    pub imports: Vec<ImportRecordDto>,
    /// The viewer is the cluster's secretariat (or an administrator).
    pub manage: bool,
    pub signed: bool,
}

/// The covenant, if the viewer may see it.
pub fn visible_covenant<'a>(
    state: &'a DomainState,
    scope: &Scope,
    id: &CovenantId,
) -> Result<&'a Covenant, ApiError> {
    let c = state.covenants.get(id).ok_or_else(ApiError::not_found)?;
    if !scope.can_view_covenant(state, c) {
        return Err(ApiError::not_found());
    }
    Ok(c)
}

/// The first reported window some member has not published yet, else the last one.
fn default_window(state: &DomainState, c: &Covenant) -> String {
    let Ok(calendar) = state.calendar(&c.id) else {
        return String::new();
    };
    let members = state.members(&c.cluster, c.year).unwrap_or(&[]);
    let reported = calendar.reported();
    reported
        .iter()
        .find(|r| {
            members.iter().any(|u| {
                state
                    .figures
                    .report(u, c.year, r.key())
                    .and_then(|r| r.published())
                    .is_none()
            })
        })
        .or(reported.last())
        .map(|r| r.key().to_owned())
        .unwrap_or_default()
}

/// A report's status as the viewer sees it (see [`ReportDto::status`]).
fn status_for(report: Option<&Report>, own: bool) -> String {
    match report {
        None if own => "none".into(),
        None => "not_published".into(),
        Some(r) if own => r.status.code().into(),
        Some(r) => match (r.published(), r.status) {
            (Some(_), ReportStatus::Approved) => "approved".into(),
            (Some(_), _) => "reopened".into(),
            (None, _) => "not_published".into(),
        },
    }
}

/// The overview of a window at `now_ms` (the log's clock): each member's status.
pub fn window_dto(
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    window: Option<&str>,
    now_ms: i64,
) -> Result<WindowDto, ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let window = window
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| default_window(state, c));
    let calendar = state.calendar(id)?;
    if !calendar.is_reported(&window) {
        return Err(ApiError::not_found());
    }
    let units = unit_statuses(state, scope, c, &window, now_ms);
    let imports = import_records(state, id);
    Ok(WindowDto {
        covenant: id.to_string(),
        title: c.latest().content.title.to_string(),
        year: c.year,
        deadline: state.figures_deadline(id, &window)?.to_string(),
        windows: calendar
            .reported()
            .iter()
            .map(|r| window_ref(state, id, r.window))
            .collect::<Result<_, _>>()?,
        window,
        units,
        imports,
        manage: scope.manages(&c.cluster),
        signed: c.in_force().is_some(),
    })
}

/// A reported window of the covenant's calendar with its deadline: the secretariat's, or the
/// default one and the declared holidays it skipped.
fn window_ref(
    state: &DomainState,
    covenant: &CovenantId,
    w: &thidua_domain::model::ReportingWindow,
) -> Result<WindowRef, ApiError> {
    let iso = |days: Vec<chrono::NaiveDate>| days.iter().map(ToString::to_string).collect();
    let deadline = state.figures_deadline_detail(covenant, &w.key)?;
    Ok(WindowRef {
        key: w.key.clone(),
        name: w.name.to_string(),
        start: w.start.to_string(),
        end: w.end.to_string(),
        deadline: deadline.date.to_string(),
        deadline_set: deadline.set,
        holidays_skipped: iso(deadline.skipped),
        worked_weekends: iso(deadline.worked),
    })
}

/// Each member's status for `window` by name: all of it for its own unit, the published
/// figures' for the others.
fn unit_statuses(
    state: &DomainState,
    scope: &Scope,
    c: &Covenant,
    window: &str,
    now_ms: i64,
) -> Vec<UnitStatusDto> {
    let members = state
        .members(&c.cluster, c.year)
        .map(|m| m.to_vec())
        .unwrap_or_default();
    let own_units = scope.own_units();
    let past_deadline = state
        .figures_deadline(&c.id, window)
        .is_ok_and(|deadline| thidua_domain::figures::deadline_passed(deadline, now_ms));
    state
        .sorted_by_place(&members)
        .into_iter()
        .map(|u| {
            let own = own_units.contains(&u.id);
            let report = state
                .figures
                .report(&u.id, c.year, window)
                .map(|r| r.as_ref());
            // The first submission, told to the unit itself and to others once published.
            let submission = report
                .and_then(|r| r.first_submission)
                .filter(|_| own || report.is_some_and(|r| r.published().is_some()));
            UnitStatusDto {
                unit: unit_ref(state, &u.id),
                status: status_for(report, own),
                late: submission.is_some_and(|s| s.late),
                submission_deadline: submission.map(|s| s.deadline.to_string()),
                corrections: report.map_or(0, Report::corrections),
                overdue: past_deadline
                    && overdue(report, own)
                    && state.in_being_for(&c.id, &u.id, window),
                own,
            }
        })
        .collect()
}

/// Whether nothing came of a report once its deadline has passed: for the unit itself
/// (`own`), no submission; for everyone else, no published figures (what the unit has not
/// published is not told).
fn overdue(report: Option<&Report>, own: bool) -> bool {
    if own {
        report.and_then(|r| r.first_submission).is_none()
    } else {
        report.and_then(|r| r.published()).is_none()
    }
}

/// The historical imports recorded for the covenant.
fn import_records(state: &DomainState, id: &CovenantId) -> Vec<ImportRecordDto> {
    state
        .figures
        .imports
        .iter()
        .filter(|i| &i.covenant == id)
        .map(|i| ImportRecordDto {
            index: i.index,
            time_ms: i.time_ms,
            actor: i.actor.to_string(),
            file_name: i.file_name.to_string(),
            sha256: i.sha256.clone(),
            reports: i.reports,
        })
        .collect()
}

/// What a report's page reads from the log, of events the state keeps only the indices of:
/// each reopening's reason, who gave each approval (the leader, or the secretariat that
/// imported earlier years) and who submitted the revision it approved.
#[derive(Default)]
pub struct FromLog {
    reasons: BTreeMap<u64, String>,
    /// By log index: the actor of each approval and of each approved submission.
    actors: BTreeMap<u64, thidua_domain::Actor>,
}

impl FromLog {
    fn reason(&self, index: u64) -> Option<String> {
        self.reasons.get(&index).cloned()
    }
}

/// The log indices a report's page reads: its reopenings, and its approvals with the
/// submissions they approved (`figures::Approval::submission`).
pub fn logged_indices(report: Option<&Report>) -> (Vec<u64>, Vec<u64>) {
    let Some(r) = report else {
        return (Vec::new(), Vec::new());
    };
    let acts = r
        .approvals
        .iter()
        .flat_map(|a| std::iter::once(a.index).chain(a.submission))
        .collect();
    (r.reopenings.clone(), acts)
}

/// Reads the reasons of a report's reopenings and the actors of its approvals and of the
/// submissions they approved from the store, one entry each.
pub fn read_from_log(
    app: &AppState,
    reopenings: &[u64],
    acts: &[u64],
) -> Result<FromLog, ApiError> {
    let mut out = FromLog::default();
    for i in reopenings.iter().chain(acts) {
        for entry in app.service.store().entries(*i, i + 1)? {
            let event = thidua_domain::Event::decode(entry.index, &entry.bytes)
                .map_err(ApiError::internal)?;
            if let Payload::FiguresReopened { reason, .. } = &event.payload {
                out.reasons.insert(*i, reason.to_string());
            } else {
                out.actors.insert(*i, event.actor);
            }
        }
    }
    Ok(out)
}

/// An actor as the API names it: a person's name, else the actor's id (`system`).
fn actor_name(state: &DomainState, actor: &thidua_domain::Actor) -> String {
    match actor {
        thidua_domain::Actor::User(u) => crate::ui::names::person_name(state, u),
        other => other.to_string(),
    }
}

/// The report's approvals, each correction with its reopening's reason and changed figures.
fn approvals(state: &DomainState, report: &Report, logged: &FromLog) -> Vec<ApprovalDto> {
    let mut out: Vec<ApprovalDto> = Vec::new();
    for (n, a) in report.approvals.iter().enumerate() {
        let form = state.figures.form(a.values.form);
        let (reopened_at, changes) = if n == 0 {
            (None, Vec::new())
        } else {
            let prev = &report.approvals[n - 1];
            let prev_form = state.figures.form(prev.values.form);
            // The reopening of the approved report, not a later sending back of a submission
            // (the unit's own, never published): its reason is the correction's.
            let reopened = report.reopening_after(prev.index).filter(|i| *i < a.index);
            let changes = form
                .elements
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let after = a.values.get(i);
                    let was = prev_form.position(&e.id);
                    let before = was.map_or(Cell::Missing, |p| prev.values.get(p));
                    let comment_after = a.values.comment(i).map(Text::to_string);
                    let comment_before = was
                        .and_then(|p| prev.values.comment(p))
                        .map(Text::to_string);
                    let comment_changed = comment_before != comment_after;
                    (before != after || comment_changed).then(|| ChangeDto {
                        element: e.id.clone(),
                        name: e.name.clone(),
                        before: cell_str(before),
                        after: cell_str(after),
                        comment_changed,
                        comment_before: comment_before.filter(|_| comment_changed),
                        comment_after: comment_after.filter(|_| comment_changed),
                    })
                })
                .collect();
            (reopened, changes)
        };
        out.push(ApprovalDto {
            revision: a.revision,
            index: a.index,
            time_ms: a.time_ms,
            import: a.import,
            reason: reopened_at.and_then(|i| logged.reason(i)),
            by: logged
                .actors
                .get(&a.index)
                .map(|actor| actor_name(state, actor)),
            submitted_by: a
                .submission
                .and_then(|i| logged.actors.get(&i))
                .map(|actor| actor_name(state, actor)),
            reopened_at,
            changes,
        });
    }
    out
}

/// The reopening after the report's last approval, if a correction is in progress, as `own`
/// (the unit itself) or another reader sees it: the unit its latest, reopening or sending back
/// a submission; anyone else only the reopening of the approved report, which alone is
/// published ([`Report::reopens_approved`]), never a submission sent back before approval.
fn pending_reopening(report: &Report, own: bool) -> Option<u64> {
    let last = report.reopenings.last().copied()?;
    let approved = report.published().map_or(0, |a| a.index);
    if last <= approved {
        return None;
    }
    match own {
        true => Some(last),
        false => report
            .reopening_after(approved)
            .filter(|i| report.reopens_approved(*i)),
    }
}

/// The position of an element in the form the values were saved with.
fn lookup<'a>(
    state: &DomainState,
    v: Option<&'a thidua_domain::figures::Values>,
    id: &str,
) -> Option<(&'a thidua_domain::figures::Values, usize)> {
    v.and_then(|v| state.figures.form(v.form).position(id).map(|p| (v, p)))
}

/// A unit's report for a window, as the viewer may see it at `now_ms` (the log's clock).
pub fn report_dto(
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    unit: &UnitId,
    window: &str,
    logged: &FromLog,
    now_ms: i64,
) -> Result<ReportDto, ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let member = state
        .members(&c.cluster, c.year)
        .is_ok_and(|m| m.contains(unit));
    let w = state
        .reported_window(id, window)
        .map_err(|_| ApiError::not_found())?;
    let shown = ShownReport::of(state, scope, unit, c.year, window);
    // A signer taken out by a succession: what it reported stays readable, and nothing more.
    let former = !member && shown.values().is_some() && state.former_members(id).contains(unit);
    if !member && !former {
        return Err(ApiError::not_found());
    }
    let form = state.reporting_form(id)?;
    let elements = element_rows(state, &form, (id, c.year), unit, window, &shown);
    let issues = rule_issues(state, id, &shown)?;
    let led = scope.led_units().contains(unit);
    let reports = scope.reporting_units().contains(unit);
    let open = member && !state.figures_locked(id);
    let (can_edit, can_approve, can_reopen) = report_actions(&shown, open, reports, led);
    let pending = shown.report.and_then(|r| pending_reopening(r, shown.own));
    let deadline = state.figures_deadline(id, window)?;
    let past_deadline = thidua_domain::figures::deadline_passed(deadline, now_ms);
    Ok(ReportDto {
        covenant: id.to_string(),
        unit: unit_ref(state, unit),
        year: c.year,
        window: window.to_owned(),
        window_name: w.name.to_string(),
        start: w.start.to_string(),
        end: w.end.to_string(),
        deadline: deadline.to_string(),
        status: status_for(shown.report, shown.own),
        revision: shown.revision(),
        late: shown.first_submission().is_some_and(|s| s.late),
        submitted_ms: shown.first_submission().map(|s| s.time_ms),
        submission_deadline: shown.first_submission().map(|s| s.deadline.to_string()),
        own: shown.own,
        overdue: past_deadline && overdue(shown.report, shown.own),
        elements,
        same_period_from: state
            .earlier_sources(unit, c.year)
            .iter()
            .map(|p| unit_ref(state, p))
            .collect(),
        same_period_missing: state
            .earlier_missing(unit, id, c.year - 1, window)
            .iter()
            .map(|p| unit_ref(state, p))
            .collect(),
        issues,
        approvals: shown
            .report
            .map(|r| approvals(state, r, logged))
            .unwrap_or_default(),
        reopened_at: pending,
        reopen_reason: pending.and_then(|i| logged.reason(i)),
        can_edit,
        can_submit: can_edit && thidua_domain::figures::submittable(&w, now_ms),
        can_approve,
        can_reopen,
        locked: !open,
    })
}

/// A unit's report as one viewer sees it: all of it for the unit itself (`own`: its officers
/// and leader), only what was published for anyone else, administrators included (a draft is
/// the unit's own, as a year-end draft is).
struct ShownReport<'a> {
    own: bool,
    report: Option<&'a Report>,
    published: Option<&'a thidua_domain::figures::Approval>,
}

impl<'a> ShownReport<'a> {
    /// `unit`'s report for `window` of `year` as `scope` sees it.
    fn of(state: &'a DomainState, scope: &Scope, unit: &UnitId, year: i32, window: &str) -> Self {
        let report = state.figures.report(unit, year, window).map(|r| r.as_ref());
        ShownReport {
            own: scope.own_units().contains(unit),
            report,
            published: report.and_then(Report::published),
        }
    }

    /// The figures the viewer sees: the current ones (its own unit), else the published ones.
    fn values(&self) -> Option<&'a thidua_domain::figures::Values> {
        self.report.and_then(|r| {
            if self.own {
                Some(r.current().as_ref())
            } else {
                r.published().map(|a| a.values.as_ref())
            }
        })
    }

    /// The revision shown: another unit reads the revision it was shown (the published one),
    /// never how many drafts were saved since.
    fn revision(&self) -> u32 {
        match (self.own, self.report) {
            (true, Some(r)) => r.revision,
            _ => self.published.map_or(0, |a| a.revision),
        }
    }

    /// The first submission, shown to the unit itself and to others once published.
    fn first_submission(&self) -> Option<thidua_domain::figures::Submission> {
        self.report
            .and_then(|r| r.first_submission)
            .filter(|_| self.own || self.published.is_some())
    }
}

/// The form's elements, each with last year's approved figure, the figure and comment the
/// viewer sees, and the published figure.
fn element_rows(
    state: &DomainState,
    form: &thidua_domain::figures::Form,
    (covenant, year): (&CovenantId, i32),
    unit: &UnitId,
    window: &str,
    shown: &ShownReport,
) -> Vec<ElementRow> {
    let values = shown.values();
    let published = shown.published.map(|a| a.values.as_ref());
    let lookup = |v, id| lookup(state, v, id);
    form.elements
        .iter()
        .map(|e| {
            let same = state.earlier_value(unit, covenant, year - 1, window, &e.id);
            let current = lookup(values, &e.id);
            let value = current.map_or(Cell::Missing, |(v, p)| v.get(p));
            ElementRow {
                id: e.id.clone(),
                name: e.name.clone(),
                unit: e.unit.clone(),
                same_period: cell_str(same),
                same_period_ratio: same_period_ratio(value, same),
                value: cell_str(value),
                published: lookup(published, &e.id).and_then(|(v, p)| cell_str(v.get(p))),
                comment: current
                    .and_then(|(v, p)| v.comment(p))
                    .map(|t| t.to_string()),
            }
        })
        .collect()
}

/// The validation rules failing on the current figures, for the unit itself only.
fn rule_issues(
    state: &DomainState,
    id: &CovenantId,
    shown: &ShownReport,
) -> Result<Vec<RuleIssue>, ApiError> {
    let (true, Some(r)) = (shown.own, shown.report) else {
        return Ok(Vec::new());
    };
    let v = r.current();
    let f = state.figures.form(v.form);
    let commented: BTreeSet<usize> = v.comments.iter().map(|(i, _)| usize::from(*i)).collect();
    Ok(
        failed_rules(&state.figures_rules(id, f)?, &v.cells(), &commented)
            .into_iter()
            .map(|o| RuleIssue {
                rule: o.rule.id.clone(),
                name: o.rule.name.to_string(),
                severity: match o.rule.severity {
                    thidua_domain::figures::Severity::Error => "error".into(),
                    thidua_domain::figures::Severity::Warning => "warning".into(),
                },
                explained: o.explained,
            })
            .collect(),
    )
}

/// What the viewer may do with the report while the year's figures are `open`: edit and
/// submit (the unit's officers, `reports`), approve and reopen (its leader, `led`).
fn report_actions(shown: &ShownReport, open: bool, reports: bool, led: bool) -> (bool, bool, bool) {
    let status = shown.report.map(|r| r.status);
    let can_edit = open
        && shown.own
        && reports
        && matches!(
            status,
            None | Some(ReportStatus::Draft | ReportStatus::Reopened)
        );
    let can_approve = open && led && status == Some(ReportStatus::Submitted);
    let can_reopen = open
        && led
        && matches!(
            status,
            Some(ReportStatus::Submitted | ReportStatus::Approved)
        );
    (can_edit, can_approve, can_reopen)
}

/// Reads figures typed by people: by element id, in the given number form; errors by element.
pub fn parse_figures(
    form: &thidua_domain::figures::Form,
    raw: &BTreeMap<String, String>,
    number: thidua_import::number::NumberFormat,
) -> Result<FigureMap, Vec<(String, String, String)>> {
    let mut out = FigureMap::new();
    let mut errors = Vec::new();
    for (id, text) in raw {
        let cell = thidua_import::table::RawCell::Text(text.trim().to_owned());
        // An element the form lacks is read as any figure, for the domain to refuse by name.
        let read = match form.elements.iter().find(|e| &e.id == id) {
            Some(element) => thidua_import::number::element_figure(&cell, number, element),
            None => thidua_import::number::figure(&cell, number),
        };
        match read {
            Ok(Some(v)) => {
                out.insert(id.clone(), v);
            }
            Ok(None) => {}
            Err(("number_format", _, _))
                if number == thidua_import::number::NumberFormat::Plain =>
            {
                let (vi, en) = plain_json_number(text.trim());
                errors.push((id.clone(), vi, en));
            }
            Err((_, vi, en)) => errors.push((id.clone(), vi, en)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// How a JSON body writes a figure, for a value whose separators do not fit: the data files'
/// advice (a `# number_format` line, `thidua score --number-format`) means nothing there.
fn plain_json_number(text: &str) -> (String, String) {
    (
        format!("«{text}»: giá trị trong JSON là số thập phân viết dấu chấm, không phân cách hàng nghìn, ví dụ \"95.5\" hoặc \"1234\"."),
        format!("«{text}»: a JSON value is a decimal with a point and no thousands separators, e.g. \"95.5\" or \"1234\"."),
    )
}

/// Comments by element id, as texts (empty ones dropped); a comment typed in a legacy encoding
/// (TCVN3, VNI) or UTF-8 read wrongly is refused (`legacy_encoding`), as an import refuses it,
/// never stored garbled.
pub fn parse_comments(
    raw: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, Text>, (String, ApiError)> {
    let mut out = BTreeMap::new();
    for (id, c) in raw {
        if c.trim().is_empty() {
            continue;
        }
        let t = Text::parse("comment", c, thidua_domain::text::limits::REASON)
            .map_err(|e| (id.clone(), ApiError::from(e)))?;
        if thidua_import::encoding::mojibake(t.as_str()).is_some() {
            return Err((
                id.clone(),
                ApiError::bad_request(
                    "legacy_encoding",
                    format!("the comment on {id} is garbled text (a legacy TCVN3/VNI encoding, or UTF-8 read wrongly): type it again in Unicode"),
                ),
            ));
        }
        out.insert(id.clone(), t);
    }
    Ok(out)
}

/// The commands of a save (and a submission of the revision it creates).
pub fn save_commands(
    state: &DomainState,
    covenant: &CovenantId,
    unit: &UnitId,
    window: &str,
    values: FigureMap,
    comments: BTreeMap<String, Text>,
    submit: bool,
) -> Vec<Command> {
    let year = state.covenants.get(covenant).map_or(0, |c| c.year);
    let saved = state.figures.report(unit, year, window).map(|r| r.revision);
    // Saved exactly so already: a submission submits the saved revision, a save alone is
    // refused (`figures_unchanged`); no save that saves nothing reaches the log.
    let unchanged =
        submit && state.figures_save_unchanged(covenant, unit, window, &values, &comments);
    let revision = match saved {
        Some(r) if unchanged => r,
        Some(r) => r + 1,
        None => 1,
    };
    let mut out = Vec::new();
    if !unchanged {
        out.push(Command::SaveFigures {
            covenant: covenant.clone(),
            unit: unit.clone(),
            window: window.to_owned(),
            values,
            comments,
        });
    }
    if submit {
        out.push(Command::SubmitFigures {
            covenant: covenant.clone(),
            unit: unit.clone(),
            window: window.to_owned(),
            revision,
        });
    }
    out
}

/// A figure changed by an import (dry run), for the page and the API.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PlannedDto {
    pub unit: String,
    pub year: i32,
    pub window: String,
    pub changes: Vec<ChangeDto>,
}

/// One reading error of an imported file.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ImportErrorDto {
    pub sheet: Option<String>,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

/// What a historical import records (or, in a dry run, would record) for one unit and year.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HistoricalYearDto {
    /// The unit's id.
    pub unit: String,
    pub year: i32,
    /// The windows recorded, by key (`M01`…).
    pub windows: Vec<String>,
    /// How many figures.
    pub values: usize,
}

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ImportOutcome {
    pub dry_run: bool,
    /// A unit's import: each report saved, with the figures that change (empty for a
    /// historical import).
    pub reports: Vec<PlannedDto>,
    /// A historical import: what it records, by unit and year (empty for a unit's import).
    pub historical: Vec<HistoricalYearDto>,
    pub values: usize,
    /// SHA-256 of the file.
    pub sha256: String,
    pub receipt: Option<ReceiptDto>,
}

/// Why an import was refused: the file's errors (sheet, row, column, reason), or the domain's.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct ImportFailure {
    pub error: String,
    pub message: String,
    pub errors: Vec<ImportErrorDto>,
    /// For `import_other_report`: the names of the windows the file holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held_windows: Vec<String>,
    /// The same windows named in English ("Month 2"), for the pages.
    #[serde(skip)]
    pub held_windows_en: Vec<String>,
    /// For `import_other_report`: the names of the units other than the report's whose
    /// figures the file holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held_units: Vec<String>,
    /// For `import_other_report`: the name of the unit of the report the file was sent for.
    #[serde(skip)]
    pub report_unit: String,
    /// The refusal behind `error` (the domain's), for the pages to tell in the viewer's words.
    #[serde(skip)]
    pub refusal: Option<ApiError>,
}

impl ImportFailure {
    fn from_file(e: ImportErrors) -> Self {
        Self {
            error: "import_failed".into(),
            message: "the file has errors; nothing was imported".into(),
            errors: e
                .0
                .into_iter()
                .map(|e| ImportErrorDto {
                    sheet: e.sheet.map(String::from),
                    row: e.row,
                    column: e.column.map(String::from),
                    code: e.code.into(),
                    message_vi: e.message_vi.into(),
                    message_en: e.message_en.into(),
                })
                .collect(),
            ..Default::default()
        }
    }

    fn from_api(e: ApiError) -> (StatusCode, Self) {
        (
            e.status,
            Self {
                error: e.code.into(),
                message: e.message.clone(),
                refusal: Some(e),
                ..Default::default()
            },
        )
    }
}

impl IntoResponse for ImportFailure {
    fn into_response(self) -> Response {
        (StatusCode::UNPROCESSABLE_ENTITY, Json(self)).into_response()
    }
}

fn cell_opt(c: Cell) -> Option<String> {
    cell_str(c)
}

/// An import the domain refused, told as a file's error is: in Vietnamese and English, naming
/// the report (unit and window) whose command was refused, when it is one unit's report.
fn import_refusal(
    state: &DomainState,
    covenant: &CovenantId,
    command: Option<&Command>,
    e: ApiError,
) -> Failure {
    let (status, mut failure) = ImportFailure::from_api(e);
    let Some(domain) = failure.refusal.as_ref().and_then(|r| r.domain.as_ref()) else {
        return (status, failure);
    };
    let report = match command {
        Some(Command::SaveFigures { unit, window, .. })
        | Some(Command::SubmitFigures { unit, window, .. }) => Some((unit, window)),
        _ => None,
    };
    let words = |lang: crate::i18n::Lang| {
        let reason = crate::ui::names::domain_error_in(lang, state, Some(covenant), domain);
        match report {
            Some((unit, window)) => crate::i18n::fill(
                lang.figures().import_report_refused,
                &[
                    ("unit", crate::ui::names::unit(state, unit).text),
                    ("window", {
                        let (vi, en) = names_of_window(state, covenant, window);
                        lang.pick(vi, en)
                    }),
                    ("reason", reason),
                ],
            ),
            None => reason,
        }
    };
    failure.errors.push(ImportErrorDto {
        sheet: None,
        row: None,
        column: None,
        code: failure.error.clone(),
        message_vi: words(crate::i18n::Lang::Vi),
        message_en: words(crate::i18n::Lang::En),
    });
    (status, failure)
}

/// An uploaded file and what to do with it.
pub struct ImportRequest {
    pub covenant: CovenantId,
    pub file_name: String,
    pub bytes: Bytes,
    /// Earlier years' approved figures (the secretariat) instead of a unit's figures.
    pub historical: bool,
    /// Submit the saved reports to the leader.
    pub submit: bool,
    /// Only say what would change.
    pub dry_run: bool,
    /// The report (unit, window) whose page the file was sent from: a file that holds none of
    /// its figures (another month's template) is refused, naming what it holds.
    pub for_report: Option<(String, String)>,
}

/// What an import would do: its commands, the reports it changes or (a historical import) the
/// units' years it records, for the answer, the number of values and the file's SHA-256.
type Planned = (
    Vec<Command>,
    Vec<PlannedDto>,
    Vec<HistoricalYearDto>,
    usize,
    String,
);
type Failure = (StatusCode, ImportFailure);

/// Reads and plans an uploaded file against the current state. A large workbook takes seconds,
/// so callers run it on the blocking pool, never on a request thread.
fn plan_import(
    app: &AppState,
    scope: &crate::authz::Scope,
    actor: &Actor,
    req: &ImportRequest,
) -> Result<Planned, Box<Failure>> {
    let state = app.service.read();
    let covenant = &req.covenant;
    let refused = |e: ApiError| Box::new(ImportFailure::from_api(e));
    visible_covenant(&state, scope, covenant).map_err(refused)?;
    let upload = Upload {
        file_name: &req.file_name,
        bytes: &req.bytes,
    };
    let limits = Limits::default();
    // The report whose page the file was sent from: a file of another report is refused once
    // read, naming what it holds, before the domain is asked about its reports.
    let page_unit = req
        .for_report
        .as_ref()
        .and_then(|(unit, _)| UnitId::parse(unit).ok());
    let page = page_unit
        .as_ref()
        .zip(req.for_report.as_ref())
        .map(|(unit, (_, window))| (unit, window.as_str()));
    // Planned for the actor: who may not make the import is refused before its plan reads
    // anything of the units' figures (`thidua figures import` plans the same way).
    let planned = if req.historical {
        plan_historical_as(&state, actor, covenant, upload, &limits).map(|p| {
            let historical = p
                .by_unit_year()
                .into_iter()
                .map(|y| HistoricalYearDto {
                    unit: y.unit.to_string(),
                    year: y.year,
                    windows: y.windows,
                    values: y.values,
                })
                .collect();
            (vec![p.command], Vec::new(), historical, p.values, p.sha256)
        })
    } else {
        plan_reports_for(&state, actor, covenant, upload, &limits, page).map(|p| {
            let dto = p.reports.iter().map(planned_report).collect();
            (
                p.commands(req.submit),
                dto,
                Vec::new(),
                p.value_count(),
                upload.sha256(),
            )
        })
    };
    planned.map_err(|e| match e {
        PlanError::File(e) => Box::new((
            StatusCode::UNPROCESSABLE_ENTITY,
            ImportFailure::from_file(e),
        )),
        PlanError::Refused(e) => Box::new(import_refusal(&state, covenant, None, e.into())),
        PlanError::OtherReport(held) => {
            Box::new(other_report(&state, covenant, page_unit.as_ref(), &held))
        }
    })
}

/// The refusal of a file sent from a report's page that holds other reports' figures: it names
/// the units other than the page's whose figures it holds (another unit's template), else the
/// windows it holds (another month's template is the usual mistake).
fn other_report(
    state: &DomainState,
    covenant: &CovenantId,
    page_unit: Option<&UnitId>,
    held: &[(UnitId, String)],
) -> Failure {
    // Each unit and window once, in the order held (a file of several reports repeats them).
    let mut units: Vec<String> = Vec::new();
    let mut windows: Vec<(String, String)> = Vec::new();
    for (unit, window) in held {
        let name = crate::ui::names::unit(state, unit).text;
        if Some(unit) != page_unit && !units.contains(&name) {
            units.push(name);
        }
        let names = names_of_window(state, covenant, window);
        if !windows.contains(&names) {
            windows.push(names);
        }
    }
    let (windows, windows_en): (Vec<String>, Vec<String>) = windows.into_iter().unzip();
    let report_unit = page_unit
        .map(|u| crate::ui::names::unit(state, u).text)
        .unwrap_or_default();
    let message = if units.is_empty() {
        format!(
            "the file holds the figures of {}, not of this report",
            windows_en.join(", ")
        )
    } else {
        format!(
            "the file holds the figures of {}, not of {report_unit}, the unit of this report",
            units.join(", ")
        )
    };
    // The windows are told only when the units are the page's.
    let (held_windows, held_windows_en) = match units.is_empty() {
        true => (windows, windows_en),
        false => Default::default(),
    };
    let failure = ImportFailure {
        error: "import_other_report".into(),
        message,
        held_windows,
        held_windows_en,
        held_units: units,
        report_unit,
        ..Default::default()
    };
    (StatusCode::UNPROCESSABLE_ENTITY, failure)
}

/// A window's name in the movement's calendar ("Tháng 2") and in English ("Month 2"), else
/// its key.
fn names_of_window(state: &DomainState, covenant: &CovenantId, window: &str) -> (String, String) {
    state.reported_window(covenant, window).map_or_else(
        |_| (window.to_owned(), window.to_owned()),
        |w| (w.name.to_string(), thidua_domain::calendar::name_en(&w)),
    )
}

/// One planned report as the answer shows it.
fn planned_report(r: &thidua_import::plan::PlannedReport) -> PlannedDto {
    PlannedDto {
        unit: r.unit.to_string(),
        year: r.year,
        window: r.window.clone(),
        changes: r
            .changes
            .iter()
            .map(|c| ChangeDto {
                element: c.element.clone(),
                name: c.name.clone(),
                before: cell_opt(c.before),
                after: cell_opt(c.after),
                comment_changed: c.comment.is_some(),
                comment_before: c.comment.as_ref().and_then(|(b, _)| b.clone()),
                comment_after: c.comment.as_ref().and_then(|(_, a)| a.clone()),
            })
            .collect(),
    }
}

/// A unit's figures (`historical = false`) or earlier years' approved figures (`true`) from a
/// file: read and planned on the blocking pool, checked by the domain, and appended in one
/// transaction unless `dry_run`. One code path for the pages and the API.
pub async fn import_file(
    app: &AppState,
    viewer: &Viewer,
    req: ImportRequest,
) -> Result<ImportOutcome, Failure> {
    let actor = Actor::User(viewer.user.clone());
    let scope = viewer.scope.clone();
    let dry_run = req.dry_run;
    let covenant = req.covenant.clone();
    // Reading a workbook holds it and its parts in memory: two at a time, others wait.
    static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _reading = READING
        .acquire()
        .await
        .map_err(|e| ImportFailure::from_api(ApiError::internal(e)))?;
    let planned = {
        let (app, actor) = (app.clone(), actor.clone());
        tokio::task::spawn_blocking(move || plan_import(&app, &scope, &actor, &req))
            .await
            .map_err(|e| ImportFailure::from_api(ApiError::internal(e)))?
            .map_err(|failure| *failure)?
    };
    let (commands, reports, historical, values, sha256) = planned;
    if dry_run {
        app.blocking(move |app| {
            let state = app.service.read();
            Ok(
                super::dry_run_all(&state, &actor, app.service.now_ms(), &commands)
                    .map_err(|(i, e)| import_refusal(&state, &covenant, commands.get(i), e.into())),
            )
        })
        .await
        .map_err(ImportFailure::from_api)??;
        return Ok(ImportOutcome {
            dry_run,
            reports,
            historical,
            values,
            sha256,
            receipt: None,
        });
    }
    let receipt = app
        .blocking(move |app| {
            Ok(match app.service.execute_all(&actor, commands.clone()) {
                Ok(receipt) => Ok(receipt.into()),
                // Refused as a whole: the dry run names the report refused first.
                Err(e) => {
                    let state = app.service.read();
                    let culprit =
                        super::dry_run_all(&state, &actor, app.service.now_ms(), &commands).err();
                    let command = culprit.and_then(|(i, _)| commands.get(i));
                    Err(import_refusal(&state, &covenant, command, e.into()))
                }
            })
        })
        .await
        .map_err(ImportFailure::from_api)??;
    Ok(ImportOutcome {
        dry_run,
        reports,
        historical,
        values,
        sha256,
        receipt: Some(receipt),
    })
}

// ---------------------------------------------------------------------------------------------
// Handlers

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WindowQuery {
    /// A window key of the movement's calendar (`M01`…); default: the first reported window
    /// that some member has not published yet, else the last one.
    pub window: Option<String>,
}

/// The reports of the covenant's members for a window (status, lateness, corrections).
#[utoipa::path(get, path = "/api/v1/covenants/{id}/figures", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), WindowQuery),
    responses((status = 200, description = "each member's report of the window: status, lateness, corrections", body = WindowDto),
              (status = 404, description = "no such covenant, one the caller may not see, or a window its calendar does not report (`not_found`)", body = ErrorBody),
              (status = 422, description = "a window the movement's calendar does not have (`unknown_window`)", body = ErrorBody)))]
pub async fn window(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<WindowQuery>,
) -> Result<Json<WindowDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    Ok(Json(window_dto(
        &app.service.read(),
        &viewer.scope,
        &id,
        q.window.as_deref(),
        viewer.now_ms,
    )?))
}

/// Reads a report with the reasons of its corrections, who submitted and who approved each
/// approved revision (a blocking store read).
pub async fn load_report(
    app: &AppState,
    scope: &Scope,
    id: CovenantId,
    unit: UnitId,
    window: String,
) -> Result<ReportDto, ApiError> {
    let scope = scope.clone();
    app.blocking(move |app| {
        let state = app.service.read();
        let year = state.covenants.get(&id).map_or(0, |c| c.year);
        let report = state.figures.report(&unit, year, &window);
        let (reopenings, acts) = logged_indices(report.map(|r| &**r));
        let logged = read_from_log(app, &reopenings, &acts)?;
        report_dto(
            &state,
            &scope,
            &id,
            &unit,
            &window,
            &logged,
            app.service.now_ms(),
        )
    })
    .await
}

/// A unit's report for a window: its figures (unapproved ones only for the unit itself), last
/// year's, rule checks, approvals and corrections with old and new values.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/figures/{unit}/{window}", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), ("unit" = String, Path, description = "unit id"), ("window" = String, Path, description = "window key, e.g. M01")),
    responses((status = 200, body = ReportDto), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit, window)): Path<(String, String, String)>,
) -> Result<Json<ReportDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let unit = parse_id(&unit, UnitId::parse)?;
    Ok(Json(
        load_report(&app, &viewer.scope, id, unit, window).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    /// Element id → a plain decimal (`1234.5`; a sign and an exponent, `-2`, `1.5e3`, are read
    /// as the data files' plain numbers are, exactly) or `na`; an element left out is not given.
    /// No thousands separators: `1,234` is refused, and so is `1.234` (thousands to a
    /// Vietnamese reader; write `1234` or `1.2340`).
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
    /// Submit the saved revision to the leader at once.
    #[serde(default)]
    pub submit: bool,
}

fn figure_error(id: &str, vi: &str, en: &str) -> ApiError {
    let _ = vi;
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_figure",
        format!("{id}: {en}"),
    )
}

/// Saves a unit's figures for a window as a draft (the unit's officer; its leader approves),
/// and submits them when asked; one event per save.
#[utoipa::path(put, path = "/api/v1/covenants/{id}/figures/{unit}/{window}", tag = "figures", request_body = SaveRequest,
    params(("id" = String, Path, description = "covenant id"), ("unit" = String, Path, description = "unit id"), ("window" = String, Path, description = "window key")),
    responses((status = 200, body = ReceiptDto), (status = 403, description = "figures are saved and submitted by the unit's officers (`figures_by_officers`), approved and reopened by its leader; anyone else (`forbidden`)", body = ErrorBody),
              (status = 409, description = "the year-end review has locked the year's figures (`yearend_locked`)", body = ErrorBody),
              (status = 422, description = "refused by the figures' rules: a report in a state that does not allow the step (`report_state`), read at another revision (`stale_revision`), a value that is not a figure (`invalid_figure`, naming the element), figures missing (`report_incomplete`), a validation rule not met (`rule_violated`) or a warning without a comment (`warning_needs_comment`), a window that is not over yet (`window_still_open`) or not the calendar's (`unknown_window`, `summary_window`)", body = ErrorBody)))]
pub async fn save(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit, window)): Path<(String, String, String)>,
    request: axum::extract::Request,
) -> Result<Json<ReceiptDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let unit = parse_id(&unit, UnitId::parse)?;
    may_step(&app, &viewer, (&id, &unit), "save")?;
    let ApiJson(req) = ApiJson::<SaveRequest>::from_request(request, &()).await?;
    let commands = {
        let state = app.service.read();
        visible_covenant(&state, &viewer.scope, &id)?;
        let form = state.reporting_form(&id)?;
        let values = parse_figures(
            &form,
            &req.values,
            thidua_import::number::NumberFormat::Plain,
        )
        .map_err(|e| figure_error(&e[0].0, &e[0].1, &e[0].2))?;
        let comments = parse_comments(&req.comments).map_err(|(_, e)| e)?;
        save_commands(&state, &id, &unit, &window, values, comments, req.submit)
    };
    Ok(Json(execute(&app, &viewer, commands).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisionRequest {
    /// The revision the viewer saw (a later save makes the request stale).
    pub revision: u32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// One step of a report: submit or approve a revision, or reopen with a reason.
pub async fn step(
    app: &AppState,
    viewer: &Viewer,
    target: (CovenantId, UnitId, String),
    action: &str,
    revision: u32,
    reason: Option<String>,
) -> Result<ReceiptDto, ApiError> {
    let (id, unit, window) = target;
    visible_covenant(&app.service.read(), &viewer.scope, &id)?;
    // Reopening is the unit's leader's (the domain's `LeadUnit`): anyone else is refused before
    // the reason is read, not told what it lacked.
    if !matches!(action, "submit" | "approve") && !viewer.scope.led_units().contains(&unit) {
        return Err(ApiError::forbidden());
    }
    let command = match action {
        "submit" => Command::SubmitFigures {
            covenant: id,
            unit,
            window,
            revision,
        },
        "approve" => Command::ApproveFigures {
            covenant: id,
            unit,
            window,
            revision,
        },
        _ => Command::ReopenFigures {
            covenant: id,
            unit,
            window,
            reason: Text::parse(
                "reason",
                reason.as_deref().unwrap_or(""),
                thidua_domain::text::limits::REASON,
            )?,
        },
    };
    execute(app, viewer, vec![command]).await
}

/// The viewer's right on a unit's report for `action`, checked before the request's body is
/// read or validated, so that who may not act is told so (403) whatever they sent: saving and
/// submitting are the unit's officers' (`figures_by_officers` for its leader), approving and
/// reopening its leader's. The domain checks the same again when it decides the command.
fn may_step(
    app: &AppState,
    viewer: &Viewer,
    (id, unit): (&CovenantId, &UnitId),
    action: &str,
) -> Result<(), ApiError> {
    let state = app.service.read();
    visible_covenant(&state, &viewer.scope, id)?;
    let actor = Actor::User(viewer.user.clone());
    match action {
        "save" | "submit" => {
            thidua_domain::figures::reports_any(&state, &actor, std::slice::from_ref(unit))?
        }
        _ => {
            let lead = thidua_domain::authz::Permission::LeadUnit(unit.clone());
            thidua_domain::authz::authorise(&state, &actor, &lead)?
        }
    }
    Ok(())
}

macro_rules! step_handler {
    ($name:ident, $action:literal, $path:literal, $body:ty, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "figures", request_body = $body,
            params(("id" = String, Path, description = "covenant id"), ("unit" = String, Path, description = "unit id"), ("window" = String, Path, description = "window key")),
            responses((status = 200, body = ReceiptDto), (status = 403, description = "figures are saved and submitted by the unit's officers (`figures_by_officers`), approved and reopened by its leader; anyone else (`forbidden`)", body = ErrorBody),
              (status = 409, description = "the year-end review has locked the year's figures (`yearend_locked`)", body = ErrorBody),
              (status = 422, description = "refused by the figures' rules: a report in a state that does not allow the step (`report_state`), read at another revision (`stale_revision`), a value that is not a figure (`invalid_figure`, naming the element), figures missing (`report_incomplete`), a validation rule not met (`rule_violated`) or a warning without a comment (`warning_needs_comment`), a window that is not over yet (`window_still_open`) or not the calendar's (`unknown_window`, `summary_window`)", body = ErrorBody)))]
        pub async fn $name(State(app): State<AppState>, viewer: Viewer, Path((id, unit, window)): Path<(String, String, String)>, request: axum::extract::Request) -> Result<Json<ReceiptDto>, ApiError> {
            let id = parse_id(&id, CovenantId::parse)?;
            let unit = parse_id(&unit, UnitId::parse)?;
            may_step(&app, &viewer, (&id, &unit), $action)?;
            let ApiJson(req) = ApiJson::<$body>::from_request(request, &()).await?;
            let (revision, reason) = step_args(&req);
            Ok(Json(step(&app, &viewer, (id, unit, window), $action, revision, reason).await?))
        }
    };
}

trait StepArgs {
    fn args(&self) -> (u32, Option<String>);
}
impl StepArgs for RevisionRequest {
    fn args(&self) -> (u32, Option<String>) {
        (self.revision, None)
    }
}
impl StepArgs for ReasonRequest {
    fn args(&self) -> (u32, Option<String>) {
        (0, Some(self.reason.clone()))
    }
}
fn step_args(r: &impl StepArgs) -> (u32, Option<String>) {
    r.args()
}

step_handler!(
    submit,
    "submit",
    "/api/v1/covenants/{id}/figures/{unit}/{window}/submit",
    RevisionRequest,
    "Submits the report's revision to the unit's leader (an officer of the unit)."
);
step_handler!(
    approve,
    "approve",
    "/api/v1/covenants/{id}/figures/{unit}/{window}/approve",
    RevisionRequest,
    "Approves the submitted revision (the unit's leader): published to the cluster."
);
step_handler!(
    reopen,
    "reopen",
    "/api/v1/covenants/{id}/figures/{unit}/{window}/reopen",
    ReasonRequest,
    "Reopens a submitted or approved report for a correction (the unit's leader, with a reason)."
);

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name (its extension is not needed: XLSX is recognised by its bytes).
    pub file_name: Option<String>,
    /// Only report what would change.
    pub dry_run: Option<bool>,
    /// Submit the saved reports to the leader (a unit's import).
    pub submit: Option<bool>,
}

async fn import_handler(
    app: AppState,
    viewer: Viewer,
    id: String,
    q: ImportQuery,
    body: Bytes,
    historical: bool,
) -> Response {
    let id = match parse_id(&id, CovenantId::parse) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let name = q.file_name.unwrap_or_else(|| "upload".into());
    match import_file(
        &app,
        &viewer,
        ImportRequest {
            covenant: id,
            file_name: name,
            bytes: body,
            historical,
            submit: q.submit.unwrap_or(false),
            dry_run: q.dry_run.unwrap_or(false),
            for_report: None,
        },
    )
    .await
    {
        Ok(outcome) => Json(outcome).into_response(),
        Err((status, failure)) => (status, Json(failure)).into_response(),
    }
}

/// An uploaded file's bytes, as the OpenAPI document names them: a binary string (the
/// generator made an array of integers of raw bytes).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBody(#[allow(dead_code)] Vec<u8>);

/// Imports a unit's figures from its template (XLSX or CSV, the raw file as the body) or from
/// rows `unit,element,period,value`; all or nothing. Errors name the sheet, row and column.
#[utoipa::path(post, path = "/api/v1/covenants/{id}/figures/import", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), ImportQuery),
    request_body(content = FileBody, content_type = "application/octet-stream", description = "the file's bytes (XLSX or CSV), whatever its `Content-Type`"),
    responses((status = 200, body = ImportOutcome),
        (status = 400, description = "a query string that does not parse: unknown parameters, wrong types (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "not allowed to import these figures: a unit's figures are its officers' (`forbidden`, `figures_by_officers`), refused before anything of the units' figures is read; or a cookie session without the `x-csrf-token` header (`csrf`)", body = ErrorBody),
        (status = 404, description = "no such covenant, or one the caller may not see (`not_found`)", body = ErrorBody),
        (status = 409, description = "the year's figures are locked: the year-end review locked the scores (`yearend_locked`); nothing was imported", body = ImportFailure),
        (status = 422, description = "the file has errors, each with its sheet, row, column and reason (`import_failed`), or the domain refuses what it would record; nothing was imported", body = ImportFailure)))]
pub async fn import(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Response {
    import_handler(app, viewer, id, q, body, false).await
}

/// Imports earlier years' approved figures of the cluster (the secretariat) from a data file
/// (`unit,element,period,value`), recorded with the file's SHA-256; all or nothing.
#[utoipa::path(post, path = "/api/v1/covenants/{id}/figures/historical", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), ImportQuery),
    request_body(content = FileBody, content_type = "application/octet-stream", description = "the file's bytes (XLSX or CSV), whatever its `Content-Type`"),
    responses((status = 200, body = ImportOutcome),
        (status = 400, description = "a query string that does not parse: unknown parameters, wrong types (`invalid_query`)", body = ErrorBody),
        (status = 403, description = "not the cluster's secretariat (`forbidden`), refused before the file is read; or a cookie session without the `x-csrf-token` header (`csrf`)", body = ErrorBody),
        (status = 404, description = "no such covenant, or one the caller may not see (`not_found`)", body = ErrorBody),
        (status = 422, description = "the file has errors, each with its sheet, row, column and reason (`import_failed`), or the domain refuses what it would record; nothing was imported", body = ImportFailure)))]
pub async fn historical(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Response {
    import_handler(app, viewer, id, q, body, true).await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    pub unit: String,
    pub window: String,
    /// `xlsx` (default) or `csv`; any other is refused (400 `invalid_query`).
    #[param(pattern = "^(xlsx|csv)$")]
    pub format: Option<String>,
}

/// The template of a unit for a window, with its current figures and last year's (the unit
/// itself: its drafts are its own).
#[utoipa::path(get, path = "/api/v1/covenants/{id}/figures/template", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), TemplateQuery),
    responses((status = 200, description = "the template (XLSX, or CSV with `format=csv`)", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv"))),
        (status = 400, description = "a query string that does not parse, or `format` other than `xlsx` or `csv` (`invalid_query`)", body = ErrorBody),
        (status = 404, description = "no such covenant, unit or window the viewer may see, or not the viewer's own unit", body = ErrorBody),
        (status = 422, description = "the unit is not a member of the covenant (`not_member`), a window not in the covenant's calendar (`unknown_window`), or the domain's refusal", body = ErrorBody)))]
pub async fn template(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let unit = parse_id(&q.unit, UnitId::parse)?;
    let format = FileFormat::parse(q.format.as_deref().unwrap_or("xlsx"))
        .map_err(|e| ApiError::bad_request("invalid_query", e.message_en.to_string()))?;
    let state = app.service.read();
    visible_covenant(&state, &viewer.scope, &id)?;
    if !viewer.scope.own_units().contains(&unit) {
        return Err(ApiError::not_found());
    }
    let tpl = Template::build(&state, &id, &unit, &q.window).map_err(|e| match e {
        TemplateError::Domain(e) => ApiError::from(e),
        TemplateError::NotMember(e) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_member",
            e.message_en.to_string(),
        ),
    })?;
    let bytes = tpl.to_bytes(format).map_err(ApiError::internal)?;
    Ok(download(bytes, &tpl.file_name(format.ext()), format.mime()))
}

fn download(bytes: Vec<u8>, name: &str, mime: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// A window key of the movement's calendar; the figures of the windows that end by its end.
    /// Default: `Y` (the whole year) without `scores`, the year's last reported window with it.
    pub window: Option<String>,
    /// Also the year-end scores of the manually scored criteria, as `@manual:` rows, so that
    /// `thidua score` gives the published results: `final` (the locked scores after the
    /// inspection and the council's resolutions) or `self` (the submitted self-scores). Only
    /// once the year-end results are published (else 409 `results_not_published`), to whoever
    /// may read them; with a window covering the whole year.
    #[param(pattern = "^(self|final)$")]
    pub scores: Option<String>,
}

/// The approved figures up to a window, as the data file `thidua score --data` reads; with
/// `scores`, also the year-end scores of the manual criteria (`@manual:` rows).
#[utoipa::path(get, path = "/api/v1/covenants/{id}/figures/export", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), ExportQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv"),
        (status = 400, description = "a query string that does not parse, or `scores` other than `self` or `final` (`invalid_query`)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`scores` before the year-end results are published (`results_not_published`)", body = ErrorBody),
        (status = 422, description = "a window the movement's calendar does not have (`unknown_window`), or a covenant with no signed version (`covenant_not_signed`)", body = ErrorBody)))]
pub async fn export_csv(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let scores = match q.scores.as_deref() {
        None => None,
        Some(s) => Some(export::ManualScores::parse(s).ok_or_else(|| {
            ApiError::bad_request("invalid_query", "`scores` is `self` or `final`")
        })?),
    };
    let state = app.service.read();
    visible_covenant(&state, &viewer.scope, &id)?;
    let published = |r: &std::sync::Arc<thidua_domain::yearend::Review>| r.published.is_some();
    if scores.is_some() && !state.yearend.reviews.get(&id).is_some_and(published) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "results_not_published",
            "the year-end results of this covenant are not published yet; the scores of the manual criteria are exported once they are",
        ));
    }
    let window = match q.window {
        Some(w) => w,
        None => export::default_window(&state, &id, scores)?,
    };
    let csv = export::data_csv_with(&state, &id, &window, scores)?;
    let name = match scores {
        None => format!("so-lieu-da-duyet_{id}_{window}.csv"),
        Some(s) => format!("so-lieu-da-duyet_{id}_{window}_diem-{}.csv", s.name()),
    };
    Ok(download(csv.into_bytes(), &name, "text/csv; charset=utf-8"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRequest {
    pub window: String,
    /// `yyyy-mm-dd` or `dd/mm/yyyy`.
    pub deadline: String,
}

/// Sets a window's deadline (the cluster's secretariat).
#[utoipa::path(post, path = "/api/v1/covenants/{id}/figures/deadlines", tag = "figures", request_body = DeadlineRequest,
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, body = ReceiptDto), (status = 403, body = ErrorBody),
              (status = 422, description = "a deadline that is not a date (`invalid_date`) or before the window's cut-off (`deadline_before_cut_off`), a window the calendar does not have (`unknown_window`)", body = ErrorBody)))]
pub async fn set_deadline(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<DeadlineRequest>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    visible_covenant(&app.service.read(), &viewer.scope, &id)?;
    let deadline = thidua_domain::event::parse_date(&req.deadline).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            "a date yyyy-mm-dd or dd/mm/yyyy",
        )
    })?;
    Ok(Json(
        execute(
            &app,
            &viewer,
            vec![Command::SetFiguresDeadline {
                covenant: id,
                window: req.window,
                deadline,
            }],
        )
        .await?,
    ))
}

pub fn routes() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/covenants/{id}/figures", get(window))
        .route(
            "/api/v1/covenants/{id}/figures/import",
            post(import).layer(DefaultBodyLimit::max(crate::auth::MAX_UPLOAD)),
        )
        .route(
            "/api/v1/covenants/{id}/figures/historical",
            post(historical).layer(DefaultBodyLimit::max(crate::auth::MAX_UPLOAD)),
        )
        .route("/api/v1/covenants/{id}/figures/template", get(template))
        .route("/api/v1/covenants/{id}/figures/export", get(export_csv))
        .route(
            "/api/v1/covenants/{id}/figures/deadlines",
            post(set_deadline),
        )
        .route(
            "/api/v1/covenants/{id}/figures/{unit}/{window}",
            get(report).put(save),
        )
        .route(
            "/api/v1/covenants/{id}/figures/{unit}/{window}/submit",
            post(submit),
        )
        .route(
            "/api/v1/covenants/{id}/figures/{unit}/{window}/approve",
            post(approve),
        )
        .route(
            "/api/v1/covenants/{id}/figures/{unit}/{window}/reopen",
            post(reopen),
        )
}
