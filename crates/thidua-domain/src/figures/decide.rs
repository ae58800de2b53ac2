//! Field checks of figures commands and the events they produce. Each command is authorised
//! first (the secretariat's once its covenant's cluster is known), then its fields are checked
//! (values the form accepts, comments within limits, completeness and validation rules at
//! submission). Whether the events fit the report's state machine is checked when they are
//! applied (`State::apply_figures`, in `apply`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{
    failed_rules, rules, Cell, FigureMap, FigureValue, Form, HistoricalReport, Report,
    ReportStatus, RuleOutcome, Severity, ValidationRule,
};
use crate::authz::{authorise, Permission};
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::ids::{CovenantId, UnitId};
use crate::state::State;
use crate::text::{limits, Text};

/// Checks the fields of a figures command and turns it into its events.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    use Command as C;
    match command {
        C::SaveFigures {
            covenant,
            unit,
            window,
            values,
            comments,
        } => save_figures(state, actor, covenant, unit, window, values, comments),
        C::SubmitFigures {
            covenant,
            unit,
            window,
            revision,
        } => submit_figures(state, actor, time_ms, covenant, unit, window, revision),
        C::ApproveFigures {
            covenant,
            unit,
            window,
            revision,
        } => approve_figures(state, actor, covenant, unit, window, revision),
        C::ReopenFigures {
            covenant,
            unit,
            window,
            reason,
        } => reopen_figures(state, actor, covenant, unit, window, reason),
        C::SetFiguresDeadline {
            covenant,
            window,
            deadline,
        } => set_figures_deadline(state, actor, covenant, window, deadline),
        C::SetFiguresRules { covenant, rules } => set_figures_rules(state, actor, covenant, rules),
        C::ImportHistoricalFigures {
            covenant,
            file_name,
            sha256,
            reports,
        } => import_historical_figures(state, actor, covenant, file_name, sha256, reports),
        other => unreachable!("not a figures command: {other:?}"),
    }
}

/// Authorises managing the cluster of `covenant` (an unknown covenant is refused first).
fn manage_covenant_cluster(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
) -> Result<(), DomainError> {
    let cluster = state.covenant(covenant)?.cluster.clone();
    authorise(state, actor, &Permission::ManageCluster(cluster))
}

/// Authorises saving or submitting a unit's figures: its officers' work. As in DHIS2's data
/// approval, entry and approval are separate roles, and the issue's states are "submitted by
/// an officer → approved by the unit leader": a leader approves or reopens what an officer
/// submitted, never their own entry, so a leader without an officer's role in the unit is
/// refused here. Checked in `decide` only: logs written before this rule, in which a leader
/// saved or submitted, replay as they were (`Permission::ReportFigures`, checked when the
/// events are applied, still allows the unit's leader).
fn officers_report(state: &State, actor: &Actor, unit: &UnitId) -> Result<(), DomainError> {
    authorise(state, actor, &Permission::ReportFigures(unit.clone()))?;
    let Actor::User(user) = actor else {
        return Ok(());
    };
    let officer = crate::model::Role::Officer { unit: unit.clone() };
    if state
        .users
        .get(user)
        .is_some_and(|u| u.roles.contains(&officer))
    {
        Ok(())
    } else {
        Err(DomainError::FiguresByOfficers {
            unit: unit.to_string(),
        })
    }
}

/// Whether `actor` reports the figures of any of `units` (their officer, or the system): what
/// an import asks before reading a file, so that who may import nothing is refused the same
/// whatever the file holds. Refused as `officers_report` refuses the first unit (a leader:
/// `figures_by_officers`; anyone else: forbidden).
pub fn reports_any(state: &State, actor: &Actor, units: &[UnitId]) -> Result<(), DomainError> {
    let mut first = None;
    for unit in units {
        match officers_report(state, actor, unit) {
            Ok(()) => return Ok(()),
            Err(e @ DomainError::FiguresByOfficers { .. }) => {
                first.get_or_insert(e);
            }
            Err(_) => {}
        }
    }
    Err(first.unwrap_or(DomainError::Forbidden))
}

/// Saves a unit's report (its officer): a reported window, figures the form accepts.
fn save_figures(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    unit: UnitId,
    window: String,
    values: FigureMap,
    comments: BTreeMap<String, Text>,
) -> Result<Vec<Payload>, DomainError> {
    officers_report(state, actor, &unit)?;
    state.reported_window(&covenant, &window)?;
    let form = state.reporting_form(&covenant)?;
    check_values(&form, &values, &comments)?;
    if state.figures_save_unchanged(&covenant, &unit, &window, &values, &comments) {
        return Err(DomainError::FiguresUnchanged {
            unit: unit.to_string(),
            window,
        });
    }
    let year = state.covenant(&covenant)?.year;
    let revision = state
        .figures
        .report(&unit, year, &window)
        .map_or(1, |r| r.revision + 1);
    Ok(vec![Payload::FiguresSaved {
        covenant,
        unit,
        window,
        revision,
        values,
        comments,
    }])
}

/// Submits a unit's report (its officer): its window's figures are counted to the end (the
/// submission is on or after the window's cut-off, in Vietnam's time), complete, and within
/// the validation rules. A draft can be saved at any time; what is submitted and approved is
/// published to the cluster as the window's figures, so a half-counted window is not.
/// Checked in `decide` only, with the time the service stamps on the events: logs written
/// before this rule replay as they were.
fn submit_figures(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    covenant: CovenantId,
    unit: UnitId,
    window: String,
    revision: u32,
) -> Result<Vec<Payload>, DomainError> {
    officers_report(state, actor, &unit)?;
    let w = state.reported_window(&covenant, &window)?;
    if !super::submittable(&w, time_ms) {
        return Err(DomainError::WindowStillOpen {
            window,
            cut_off: w.end,
        });
    }
    let year = state.covenant(&covenant)?.year;
    if let Some(r) = state.figures.report(&unit, year, &window) {
        if r.revision == revision
            && matches!(r.status, ReportStatus::Draft | ReportStatus::Reopened)
        {
            check_submission(state, &covenant, r)?;
        }
    }
    Ok(vec![Payload::FiguresSubmitted {
        covenant,
        unit,
        window,
        revision,
    }])
}

/// Approves a unit's report (its leader).
fn approve_figures(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    unit: UnitId,
    window: String,
    revision: u32,
) -> Result<Vec<Payload>, DomainError> {
    authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
    Ok(vec![Payload::FiguresApproved {
        covenant,
        unit,
        window,
        revision,
    }])
}

/// Reopens a unit's report (its leader), with a reason.
fn reopen_figures(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    unit: UnitId,
    window: String,
    reason: Text,
) -> Result<Vec<Payload>, DomainError> {
    authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
    reason.check("reason", limits::REASON)?;
    Ok(vec![Payload::FiguresReopened {
        covenant,
        unit,
        window,
        reason,
    }])
}

/// Moves a reported window's deadline (the secretariat).
fn set_figures_deadline(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    window: String,
    deadline: NaiveDate,
) -> Result<Vec<Payload>, DomainError> {
    manage_covenant_cluster(state, actor, &covenant)?;
    let w = state.reported_window(&covenant, &window)?;
    // No bound but the dates the system knows (to 2100): figures of a year taken up late are
    // reported long after its cut-offs.
    crate::org::validate_date("deadline", deadline)?;
    if deadline < w.end {
        return Err(DomainError::DeadlineBeforeCutOff {
            window,
            cut_off: w.end,
        });
    }
    Ok(vec![Payload::FiguresDeadlineSet {
        covenant,
        window,
        deadline,
    }])
}

/// Declares a covenant's validation rules (the secretariat), compiled against its form.
fn set_figures_rules(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    rules: Vec<ValidationRule>,
) -> Result<Vec<Payload>, DomainError> {
    manage_covenant_cluster(state, actor, &covenant)?;
    let form = state.reporting_form(&covenant)?;
    validate_rules(&form, &rules)?;
    only_warnings(&rules)?;
    Ok(vec![Payload::FiguresRulesSet { covenant, rules }])
}

/// Imports approved figures of earlier years (the secretariat): the record, then each report.
fn import_historical_figures(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    file_name: Text,
    sha256: String,
    reports: Vec<HistoricalReport>,
) -> Result<Vec<Payload>, DomainError> {
    manage_covenant_cluster(state, actor, &covenant)?;
    file_name.check_line("file_name", limits::TITLE)?;
    if !crate::ids::is_sha256_hex(&sha256) {
        return Err(DomainError::InvalidValue {
            field: "sha256",
            reason: "64 lowercase hex digits".into(),
        });
    }
    if reports.is_empty() {
        return Err(DomainError::InvalidValue {
            field: "reports",
            reason: "the import holds no figures".into(),
        });
    }
    let form = state.reporting_form(&covenant)?;
    let mut seen = BTreeSet::new();
    for r in &reports {
        state.reported_window(&covenant, &r.window)?;
        check_values(&form, &r.values, &BTreeMap::new())?;
        if !seen.insert((&r.unit, r.year, &r.window)) {
            return Err(DomainError::FiguresExist {
                unit: r.unit.to_string(),
                window: format!("{}-{}", r.year, r.window),
            });
        }
    }
    let import = state.size;
    let mut out = Vec::with_capacity(reports.len() + 1);
    out.push(Payload::HistoricalImportRecorded {
        covenant: covenant.clone(),
        file_name,
        sha256,
        reports: reports.len() as u32,
    });
    out.extend(
        reports
            .into_iter()
            .map(|r| Payload::HistoricalFiguresRecorded {
                covenant: covenant.clone(),
                import,
                unit: r.unit,
                year: r.year,
                window: r.window,
                values: r.values,
            }),
    );
    Ok(out)
}

/// The field rules of figures: every id on the form, each number one its element allows
/// (`FormElement::check`, named by the element), comments within their limit.
fn check_values(
    form: &Form,
    values: &FigureMap,
    comments: &BTreeMap<String, Text>,
) -> Result<(), DomainError> {
    for (id, v) in values {
        let i = form
            .position(id)
            .ok_or_else(|| DomainError::UnknownElement(id.clone()))?;
        if let FigureValue::Number(d) = v {
            form.elements[i]
                .check(d)
                .map_err(|reason| DomainError::InvalidFigure {
                    element: form.elements[i].name.clone(),
                    reason,
                })?;
        }
    }
    for (id, c) in comments {
        c.check("comment", limits::REASON)?;
        form.position(id)
            .ok_or_else(|| DomainError::UnknownElement(id.clone()))?;
    }
    Ok(())
}

/// Completeness and validation rules, checked before a submission.
fn check_submission(
    state: &State,
    covenant: &CovenantId,
    report: &Report,
) -> Result<(), DomainError> {
    let values = report.current();
    let form = state.figures.form(values.form);
    let cells = values.cells();
    let missing: Vec<String> = form
        .elements
        .iter()
        .zip(&cells)
        .filter(|(e, c)| **c == Cell::Missing && e.missing.is_none())
        .map(|(e, _)| e.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(DomainError::ReportIncomplete(missing.join("; ")));
    }
    let commented: BTreeSet<usize> = values
        .comments
        .iter()
        .map(|(i, _)| usize::from(*i))
        .collect();
    let failed = failed_rules(&state.figures_rules(covenant, form)?, &cells, &commented);
    // The first that blocks is named; the pages mark every one (`RuleOutcome::blocks`).
    match failed.into_iter().find(RuleOutcome::blocks) {
        None => Ok(()),
        Some(f) if f.rule.severity == Severity::Error => Err(DomainError::RuleViolated {
            rule: f.rule.name.to_string(),
        }),
        Some(f) => Err(DomainError::WarningNeedsComment {
            rule: f.rule.name.to_string(),
        }),
    }
}

/// The most rules the secretariat may add to a covenant.
pub const MAX_RULES: usize = 200;

/// The secretariat's rules: at most `MAX_RULES`, each compiling, ids unique (the regulation's too).
/// The secretariat adds rules after the members signed: such a rule may only warn (a comment
/// on the figure lets the true figure through); a rule that blocks a submission belongs in the
/// regulation the members signed, never added behind them — a blocking `crimes <= 100` would
/// force under-recording. Checked in `decide` only: logs written before this rule replay.
fn only_warnings(list: &[ValidationRule]) -> Result<(), DomainError> {
    match list.iter().find(|r| r.severity == Severity::Error) {
        Some(r) => Err(DomainError::InvalidRule {
            rule: r.id.clone(),
            reason: "a rule added by the secretariat can only warn (severity warning): a rule that blocks submission belongs in the regulation the members signed".into(),
        }),
        None => Ok(()),
    }
}

fn validate_rules(form: &Form, list: &[ValidationRule]) -> Result<(), DomainError> {
    if list.len() > MAX_RULES {
        return Err(DomainError::InvalidValue {
            field: "rules",
            reason: format!("at most {MAX_RULES} rules"),
        });
    }
    let ids = form.ids();
    let mut seen: BTreeSet<&String> = form.rules.iter().map(|r| &r.id).collect();
    for r in list {
        r.name.check_line("name", limits::SUBJECT)?;
        rules::compile(r, &ids)?;
        if !seen.insert(&r.id) {
            return Err(DomainError::InvalidRule {
                rule: r.id.clone(),
                reason: "the id appears twice (or is a rule of the regulation)".into(),
            });
        }
    }
    Ok(())
}
