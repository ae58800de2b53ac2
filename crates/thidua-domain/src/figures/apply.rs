//! The fit of figures events and their folding into the state: the report's state machine
//! (draft → submitted → approved → reopened, each event naming the revision it concerns), the
//! covenant in force, the unit's membership, the calendar, the form, the year not locked, and
//! the historical imports.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{
    cells_for, deadline_passed, Approval, FigureMap, Form, HistoricalImport, Report, ReportKey,
    ReportStatus, Submission, ValidationRule, Values,
};
use crate::error::DomainError;
use crate::event::{Event, Payload};
use crate::ids::{CovenantId, UnitId};
use crate::state::State;
use crate::text::Text;

impl State {
    /// Folds a figures event after checking that it fits.
    pub(crate) fn apply_figures(&mut self, event: &Event) -> Result<(), DomainError> {
        use Payload as P;
        match &event.payload {
            P::FiguresSaved {
                covenant,
                unit,
                window,
                revision,
                values,
                comments,
            } => self.apply_figures_saved(covenant, unit, window, *revision, values, comments),
            P::FiguresSubmitted {
                covenant,
                unit,
                window,
                revision,
            } => self.apply_figures_submitted(event, covenant, unit, window, *revision),
            P::FiguresApproved {
                covenant,
                unit,
                window,
                revision,
            } => self.apply_figures_approved(event, covenant, unit, window, *revision),
            P::FiguresReopened {
                covenant,
                unit,
                window,
                ..
            } => self.apply_figures_reopened(event, covenant, unit, window),
            P::FiguresDeadlineSet {
                covenant,
                window,
                deadline,
            } => self.apply_figures_deadline_set(covenant, window, *deadline),
            P::FiguresRulesSet { covenant, rules } => self.apply_figures_rules_set(covenant, rules),
            P::HistoricalImportRecorded {
                covenant,
                file_name,
                sha256,
                reports,
            } => self.apply_historical_import(event, covenant, file_name, sha256, *reports),
            P::HistoricalFiguresRecorded {
                covenant,
                import,
                unit,
                year,
                window,
                values,
            } => {
                self.apply_historical_figures(event, covenant, *import, unit, *year, window, values)
            }
            other => unreachable!("not a figures event: {}", other.kind()),
        }
    }

    /// A saved report: a new draft, or the next revision of a draft or reopened one.
    fn apply_figures_saved(
        &mut self,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
        revision: u32,
        values: &FigureMap,
        comments: &BTreeMap<String, Text>,
    ) -> Result<(), DomainError> {
        let (form_index, year) = self.report_context(covenant, unit, window)?;
        let existing = self.stored_report(unit, year, window);
        if let Some(r) = &existing {
            self.check_same_covenant(r, covenant, unit, window)?;
        }
        let status = existing.as_ref().map(|r| r.status);
        if !matches!(
            status,
            None | Some(ReportStatus::Draft | ReportStatus::Reopened)
        ) {
            return Err(report_state_error(unit, window, status, "save"));
        }
        let expected = existing.as_ref().map_or(1, |r| r.revision + 1);
        let skipped_drafts = self.partial && revision > expected;
        if revision != expected && !skipped_drafts {
            return Err(DomainError::StaleRevision { expected });
        }
        let form = Arc::clone(self.figures.form(form_index));
        let cells = cells_for(&form, values)?;
        let values = Values::new(form_index, &cells, comment_cells(&form, comments)?);
        let mut report = existing.unwrap_or(Report {
            status: ReportStatus::Draft,
            revision: 0,
            working: None,
            approvals: Vec::new(),
            first_submission: None,
            reopenings: Vec::new(),
            submitted: None,
        });
        report.revision = revision;
        report.working = Some(Arc::new(values));
        self.put_report(unit, year, window, report);
        Ok(())
    }

    /// A submitted draft or reopened report; its first submission is dated against the deadline.
    fn apply_figures_submitted(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
        revision: u32,
    ) -> Result<(), DomainError> {
        let (_, year) = self.report_context(covenant, unit, window)?;
        let mut r = self.existing(covenant, unit, year, window, revision, "submit")?;
        if !matches!(r.status, ReportStatus::Draft | ReportStatus::Reopened) {
            return Err(report_state_error(unit, window, Some(r.status), "submit"));
        }
        if r.first_submission.is_none() {
            let deadline = self.figures_deadline(covenant, window)?;
            r.first_submission = Some(Submission {
                index: event.index,
                time_ms: event.time_ms,
                late: deadline_passed(deadline, event.time_ms),
                deadline,
            });
        }
        r.status = ReportStatus::Submitted;
        r.submitted = Some(event.index);
        self.put_report(unit, year, window, r);
        Ok(())
    }

    /// An approved submitted report: its values become a kept, published approval.
    fn apply_figures_approved(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
        revision: u32,
    ) -> Result<(), DomainError> {
        let (_, year) = self.report_context(covenant, unit, window)?;
        let mut r = self.existing(covenant, unit, year, window, revision, "approve")?;
        if r.status != ReportStatus::Submitted {
            return Err(report_state_error(unit, window, Some(r.status), "approve"));
        }
        let values = Arc::clone(r.current());
        r.working = None;
        r.approvals.push(Approval {
            revision,
            index: event.index,
            time_ms: event.time_ms,
            values,
            import: None,
            submission: r.submitted,
        });
        r.status = ReportStatus::Approved;
        self.put_report(unit, year, window, r);
        Ok(())
    }

    /// A reopened submitted or approved report, at its current revision.
    fn apply_figures_reopened(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
    ) -> Result<(), DomainError> {
        let (_, year) = self.report_context(covenant, unit, window)?;
        let current = self.stored_report(unit, year, window);
        let revision = current.as_ref().map_or(0, |r| r.revision);
        let mut r = self.existing(covenant, unit, year, window, revision, "reopen")?;
        if !matches!(r.status, ReportStatus::Submitted | ReportStatus::Approved) {
            return Err(report_state_error(unit, window, Some(r.status), "reopen"));
        }
        r.status = ReportStatus::Reopened;
        r.reopenings.push(event.index);
        self.put_report(unit, year, window, r);
        Ok(())
    }

    /// A window's deadline set by the secretariat: not before the window's cut-off.
    fn apply_figures_deadline_set(
        &mut self,
        covenant: &CovenantId,
        window: &str,
        deadline: NaiveDate,
    ) -> Result<(), DomainError> {
        let w = self.reporting_window(covenant, window)?;
        if deadline < w.end {
            return Err(DomainError::DeadlineBeforeCutOff {
                window: window.to_owned(),
                cut_off: w.end,
            });
        }
        self.figures
            .deadlines
            .insert((covenant.clone(), window.to_owned()), deadline);
        Ok(())
    }

    /// A covenant's validation rules, replacing earlier ones.
    fn apply_figures_rules_set(
        &mut self,
        covenant: &CovenantId,
        rules: &[ValidationRule],
    ) -> Result<(), DomainError> {
        self.covenant(covenant)?;
        self.figures
            .rules
            .insert(covenant.clone(), Arc::new(rules.to_vec()));
        Ok(())
    }

    /// A historical import opened on a signed covenant, once the previous one is complete.
    fn apply_historical_import(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        file_name: &Text,
        sha256: &str,
        reports: u32,
    ) -> Result<(), DomainError> {
        self.signed_covenant(covenant)?;
        if let Some(open) = self.figures.imports.last() {
            if open.recorded < open.reports {
                return Err(DomainError::InvalidValue {
                    field: "import",
                    reason: format!("the import at {} is incomplete", open.index),
                });
            }
        }
        self.figures.imports.push_back(HistoricalImport {
            index: event.index,
            time_ms: event.time_ms,
            actor: event.actor.clone(),
            covenant: covenant.clone(),
            file_name: file_name.clone(),
            sha256: sha256.to_owned(),
            reports,
            recorded: 0,
        });
        Ok(())
    }

    /// A report of an earlier year recorded by the open historical import: approved at once.
    #[allow(clippy::too_many_arguments)]
    fn apply_historical_figures(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        import: u64,
        unit: &UnitId,
        year: i32,
        window: &str,
        values: &FigureMap,
    ) -> Result<(), DomainError> {
        let open = self
            .figures
            .imports
            .last()
            .filter(|i| i.index == import && &i.covenant == covenant && i.recorded < i.reports)
            .ok_or_else(|| DomainError::InvalidValue {
                field: "import",
                reason: format!("no open historical import at {import}"),
            })?;
        if open.actor != event.actor {
            return Err(DomainError::Forbidden);
        }
        let (cluster, covenant_year, version) = {
            let (c, version) = self.signed_covenant(covenant)?;
            (c.cluster.clone(), c.year, version)
        };
        if !(2000..covenant_year).contains(&year) {
            return Err(DomainError::InvalidValue {
                field: "year",
                reason: format!("a historical import holds years before {covenant_year}"),
            });
        }
        let (_, year_end) = crate::org::year_bounds(covenant_year);
        if !self.member_or_predecessor(&cluster, covenant_year, unit, year_end)? {
            return Err(DomainError::NotMember {
                cluster: cluster.to_string(),
                unit: unit.to_string(),
                year: covenant_year,
            });
        }
        self.reporting_window(covenant, window)?;
        if self.has_figures(unit, year, window) {
            return Err(DomainError::FiguresExist {
                unit: unit.to_string(),
                window: format!("{year}-{window}"),
            });
        }
        let form_index = self.intern_form(covenant, version)?;
        let form = Arc::clone(self.figures.form(form_index));
        let cells = cells_for(&form, values)?;
        let report = Report {
            status: ReportStatus::Approved,
            revision: 1,
            working: None,
            approvals: vec![Approval {
                revision: 1,
                index: event.index,
                time_ms: event.time_ms,
                values: Arc::new(Values::new(form_index, &cells, Vec::new())),
                import: Some(import),
                submission: None,
            }],
            first_submission: None,
            reopenings: Vec::new(),
            submitted: None,
        };
        self.put_report(unit, year, window, report);
        if let Some(last) = self.figures.imports.back_mut() {
            last.recorded += 1;
        }
        Ok(())
    }

    /// The covenant in force, the unit a member of its cluster that year, the window in the
    /// calendar, the year not locked: what every report event needs. Returns the form index
    /// (interned) and year.
    fn report_context(
        &mut self,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
    ) -> Result<(u32, i32), DomainError> {
        let (cluster, year, version) = {
            let (c, version) = self.signed_covenant(covenant)?;
            (c.cluster.clone(), c.year, version)
        };
        if self.figures_locked(covenant) {
            return Err(crate::yearend::error::refuse(
                "yearend_locked",
                "the year's scores are locked: its figures can no longer change",
            ));
        }
        if !self.members(&cluster, year)?.contains(unit) {
            return Err(DomainError::NotMember {
                cluster: cluster.to_string(),
                unit: unit.to_string(),
                year,
            });
        }
        let start = self.reporting_window(covenant, window)?.start;
        if self.units.contains_key(unit) && !self.in_being_for(covenant, unit, window) {
            return Err(self.inactive(unit, start));
        }
        Ok((self.intern_form(covenant, version)?, year))
    }

    /// The interned form of a covenant version (built from its regulation the first time).
    fn intern_form(&mut self, covenant: &CovenantId, version: u32) -> Result<u32, DomainError> {
        if let Some(i) = self.figures.form_index(covenant, version) {
            return Ok(i);
        }
        let form = Form::of(self.covenant(covenant)?, version)?;
        Ok(self.figures.push_form(form))
    }

    /// Whether `unit` is a member of the cluster in `year`, or a predecessor of one by `date`.
    fn member_or_predecessor(
        &self,
        cluster: &crate::ids::ClusterId,
        year: i32,
        unit: &UnitId,
        date: NaiveDate,
    ) -> Result<bool, DomainError> {
        let members = self.members(cluster, year)?;
        Ok(self
            .lineage_walk(unit, date, Self::successors)
            .iter()
            .any(|u| members.contains(u)))
    }

    fn stored_report(&self, unit: &UnitId, year: i32, window: &str) -> Option<Report> {
        self.figures
            .report(unit, year, window)
            .map(|r| Report::clone(r))
    }

    fn put_report(&mut self, unit: &UnitId, year: i32, window: &str, report: Report) {
        let key = ReportKey {
            unit: self.figures.intern_unit(unit),
            year,
            window: self.figures.intern_window(window),
        };
        self.figures.reports.insert(key, Arc::new(report));
    }

    /// A report must belong to the covenant it is addressed through.
    fn check_same_covenant(
        &self,
        report: &Report,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
    ) -> Result<(), DomainError> {
        let form = self.figures.form(report.current().form);
        if &form.covenant != covenant {
            return Err(DomainError::FiguresExist {
                unit: unit.to_string(),
                window: window.to_owned(),
            });
        }
        Ok(())
    }

    /// The stored report at the expected revision, addressed through its covenant.
    fn existing(
        &self,
        covenant: &CovenantId,
        unit: &UnitId,
        year: i32,
        window: &str,
        revision: u32,
        action: &str,
    ) -> Result<Report, DomainError> {
        let r = self
            .stored_report(unit, year, window)
            .ok_or_else(|| report_state_error(unit, window, None, action))?;
        self.check_same_covenant(&r, covenant, unit, window)?;
        if r.revision != revision {
            return Err(DomainError::StaleRevision {
                expected: r.revision,
            });
        }
        Ok(r)
    }
}

/// Aligns comments given by element id with a form; unknown ids are an error naming them.
pub(super) fn comment_cells(
    form: &Form,
    comments: &BTreeMap<String, Text>,
) -> Result<Vec<(u16, Text)>, DomainError> {
    comments
        .iter()
        .map(|(id, t)| {
            form.position(id)
                .map(|i| (i as u16, t.clone()))
                .ok_or_else(|| DomainError::UnknownElement(id.clone()))
        })
        .collect()
}

/// The refusal of an action the report's status does not allow (`none`: no report yet).
fn report_state_error(
    unit: &UnitId,
    window: &str,
    status: Option<ReportStatus>,
    action: &str,
) -> DomainError {
    DomainError::ReportState {
        unit: unit.to_string(),
        window: window.to_owned(),
        status: status.map_or("none", ReportStatus::code).to_owned(),
        action: action.to_owned(),
    }
}
