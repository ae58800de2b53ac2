//! The figures pages: a window's overview (each member's status, the secretariat's deadline
//! and historical import forms), and one unit's report — a keyboard-friendly grid of the
//! window's elements with last year's figure beside each cell and a comment per figure, a box
//! to paste a column copied from Excel, file import with a dry run, the leader's approval and
//! reopening, and the history of approvals with each correction's old and new values. Works
//! without JavaScript. Reads and writes go through [`crate::api::figures`], the API's code.

mod rules;

pub(crate) use rules::check_words;

use std::collections::{BTreeMap, HashMap};

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::{CovenantId, UnitId};
use thidua_import::number::NumberFormat;

use super::names::{self, Named};
use super::{render, viewer_error, Layout};
use crate::api::figures::{
    self as api, ImportFailure, ImportOutcome, ReportDto, WindowDto, WindowRef,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::figures::FigStrings;
use crate::AppState;

/// Why the grid's cùng kỳ of a merged unit is missing, never a partial sum: "chưa có số liệu
/// đã duyệt cùng kỳ năm 2024 của Công an tỉnh Sóc Trăng", the units named in Vietnamese
/// whatever the page's language. HTML.
pub fn lacking_figures(f: &FigStrings, year: i32, units: &[crate::api::dto::UnitRef]) -> String {
    crate::i18n::fill(
        f.lacking_figures,
        &[("year", year.to_string()), ("units", unit_names(units))],
    )
}

/// Why a value to date that reads a merged unit's months 1 to `through` of an earlier `year`
/// is missing (the progress pages: value compared with, percentage, provisional score,
/// charts): "chưa đủ số liệu đã duyệt năm 2024 (tháng 1 đến tháng 12) của …" — a unit with
/// some of those months approved is never said to have none of the year. HTML.
pub fn lacking_figures_through(
    f: &FigStrings,
    year: i32,
    through: u8,
    units: &[crate::api::dto::UnitRef],
) -> String {
    let text = match through {
        1 => f.lacking_figures_month1,
        _ => f.lacking_figures_through,
    };
    crate::i18n::fill(
        text,
        &[
            ("year", year.to_string()),
            ("through", through.to_string()),
            ("units", unit_names(units)),
        ],
    )
}

/// Units by their (Vietnamese) names, comma-separated, each marked `lang="vi"`. HTML.
fn unit_names(units: &[crate::api::dto::UnitRef]) -> String {
    let names: Vec<String> = units
        .iter()
        .map(|u| super::names::vietnamese_html(&u.name))
        .collect();
    names.join(", ")
}

/// A figure as the grid shows it: "1.234,5" (the Vietnamese way in both languages), "không áp
/// dụng" or "n/a" (words the grid reads back in either language), or blank.
pub fn shown(f: &FigStrings, raw: &Option<String>) -> String {
    match raw.as_deref() {
        None => String::new(),
        Some("na") => f.not_applicable.into(),
        Some(d) => d
            .parse::<rust_decimal::Decimal>()
            .map(|d| thidua_import::template::vi_number(&d))
            .unwrap_or_else(|_| d.to_owned()),
    }
}

fn status_text(f: &FigStrings, status: &str) -> &'static str {
    match status {
        "draft" => f.st_draft,
        "submitted" => f.st_submitted,
        "approved" => f.st_approved,
        "reopened" => f.st_reopened,
        "not_published" => f.st_not_published,
        _ => f.st_none,
    }
}

#[derive(Template)]
#[template(path = "figures_window.html")]
struct WindowPage {
    l: Layout,
    f: &'static FigStrings,
    /// The window's overview, its calendar's names in the viewer's language.
    w: WindowDto,
    /// The name of the window shown.
    window_name: String,
    /// Who recorded each of `w.imports`, by name.
    importers: Vec<Named>,
    errors: BTreeMap<&'static str, String>,
    historical: WindowForms,
}

/// What the window page's forms answered, for the page shown again: a historical import's
/// refused file (its rows' errors in a table) and whether it was a dry run (the box stays
/// ticked), the deadline as typed when it was refused, and what the action just done did
/// (`?done=` after its redirect).
#[derive(Default)]
struct WindowForms {
    failure: Option<ImportFailure>,
    dry_run: bool,
    deadline_typed: Option<String>,
    done: Option<&'static str>,
}

/// A late report's badge: late, against the deadline in force when it was submitted.
fn late_words(f: &FigStrings, deadline: &Option<String>) -> String {
    match deadline {
        Some(iso) => f
            .late_against
            .replace("{date}", &crate::format::iso_date(iso)),
        None => f.late.to_owned(),
    }
}

/// An import error's message in the page's language.
fn in_lang(l: &Layout, vi: &str, en: &str) -> String {
    if l.lang == "en" { en } else { vi }.to_owned()
}

impl WindowPage {
    fn late(&self, deadline: &Option<String>) -> String {
        late_words(self.f, deadline)
    }
    fn message(&self, vi: &str, en: &str) -> String {
        in_lang(&self.l, vi, en)
    }
    fn status(&self, s: &str) -> &'static str {
        status_text(self.f, s)
    }
    fn date(&self, iso: &str) -> String {
        crate::format::iso_date(iso)
    }
    fn time(&self, ms: &i64) -> String {
        crate::format::time_ms(*ms)
    }
    /// The deadline field: as typed when it was refused, else the window's deadline.
    fn deadline_value(&self) -> String {
        match &self.historical.deadline_typed {
            Some(typed) => typed.clone(),
            None => self.date(&self.w.deadline),
        }
    }
    /// How the shown window's default deadline is counted, and the declared holidays it
    /// skipped; nothing when the secretariat set the deadline.
    fn deadline_note(&self) -> Option<String> {
        let shown = self.w.windows.iter().find(|x| x.key == self.w.window)?;
        if shown.deadline_set {
            return None;
        }
        let default = self.holidays().deadline_default;
        Some(match self.skipped(shown) {
            Some(skipped) => format!("{default} {skipped}"),
            None => default.to_owned(),
        })
    }
    /// "Ngày nghỉ lễ được bỏ qua: 16/04/2024." for a window whose default deadline skipped
    /// declared holidays, and "Ngày làm bù được tính …: 04/05/2024." for one that counted a
    /// worked weekend day.
    fn skipped(&self, x: &WindowRef) -> Option<String> {
        let hs = self.holidays();
        let sentence = |template: &str, days: &[String]| {
            (!days.is_empty()).then(|| {
                let days: Vec<String> = days.iter().map(|d| self.date(d)).collect();
                template.replace("{days}", &days.join(", "))
            })
        };
        let said: Vec<String> = [
            sentence(hs.deadline_skipped, &x.holidays_skipped),
            sentence(hs.deadline_worked, &x.worked_weekends),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!said.is_empty()).then(|| said.join(" "))
    }
    fn holidays(&self) -> &'static crate::i18n::holidays::HolidayStrings {
        crate::i18n::Lang::parse(self.l.lang)
            .unwrap_or_default()
            .holidays()
    }
    /// The page by GET, after a refused file (reloading the answer would post it again).
    fn back_href(&self) -> String {
        format!(
            "/covenants/{}/figures?window={}",
            self.w.covenant, self.w.window
        )
    }
}

#[derive(Deserialize)]
pub struct WindowParams {
    window: Option<String>,
    done: Option<String>,
}

fn window_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    window: Option<&str>,
    errors: BTreeMap<&'static str, String>,
    historical: WindowForms,
) -> Response {
    // A dry run's result rides with the messages but is no error: the page answers 200.
    let shown_errors = errors.keys().any(|k| *k != "historical_ok") || historical.failure.is_some();
    let id = match CovenantId::parse(id) {
        Ok(id) => id,
        Err(_) => return viewer_error(viewer, ApiError::not_found()),
    };
    let state = app.service.read();
    match api::window_dto(&state, &viewer.scope, &id, window, viewer.now_ms) {
        Ok(mut w) => {
            let f = viewer.lang.figures();
            let t = viewer.lang.strings();
            for x in &mut w.windows {
                x.name = names::window(viewer.lang, &state, Some(&id), &x.key);
            }
            let window_name = names::window(viewer.lang, &state, Some(&id), &w.window);
            let importers = state
                .figures
                .imports
                .iter()
                .filter(|i| i.covenant == id)
                .map(|i| names::actor(t, &viewer.scope, &state, &i.actor))
                .collect();
            let mut res = render(&WindowPage {
                l: Layout::new(viewer, format!("{}: {}", f.figures, w.title)),
                f,
                w,
                window_name,
                importers,
                errors,
                historical,
            });
            if shown_errors {
                *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            res
        }
        Err(e) => viewer_error(viewer, e),
    }
}

/// `GET /covenants/{id}/figures?window=M01`.
pub async fn window_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<WindowParams>,
) -> Response {
    let done = q
        .done
        .as_deref()
        .and_then(|d| done_text(viewer.lang.figures(), d));
    window_view(
        &app,
        &viewer,
        &id,
        q.window.as_deref(),
        BTreeMap::new(),
        WindowForms {
            done,
            ..Default::default()
        },
    )
}

#[derive(Template)]
#[template(path = "figures_report.html")]
struct ReportPage {
    l: Layout,
    f: &'static FigStrings,
    r: ReportDto,
    /// What the grid shows (kept as typed when it comes back with errors): element → (value, comment).
    typed: BTreeMap<String, (String, String)>,
    paste: String,
    /// The import form's boxes, as set when the page answers an import.
    boxes: ImportBoxes,
    /// The reopening's reason as typed, when it comes back refused.
    reason: String,
    /// Messages by element id (or `paste`, `reason`, `form`).
    errors: BTreeMap<String, String>,
    outcome: Option<ImportOutcome>,
    failure: Option<ImportFailure>,
    /// What the action just done did (`?done=` after its redirect).
    done: Option<&'static str>,
    /// The notice of `done` is shown at the grid, where a saved draft's page comes back.
    done_at_grid: bool,
}

impl ReportPage {
    /// What the officer does on a reopened report, or what its leader waits for.
    fn reopened_todo(&self) -> Option<String> {
        if self.r.status != "reopened" || !self.r.own {
            return None;
        }
        if self.r.can_edit && self.r.can_submit {
            Some(
                self.f
                    .reopened_todo_officer
                    .replace("{button}", self.f.save_submit),
            )
        } else if !self.r.can_edit && !self.r.locked {
            Some(self.f.reopened_todo_leader.to_owned())
        } else {
            None
        }
    }
    /// Why the import box takes no file, in the report's state: locked, reopened (the unit's
    /// officer corrects it), not yet submitted (its officer enters it), else submitted or
    /// approved (the leader reopens it to import again).
    fn import_closed(&self) -> &'static str {
        match self.r.status.as_str() {
            _ if self.r.locked => self.f.import_locked,
            "reopened" => self.f.import_reopened,
            "none" | "draft" => self.f.import_by_officer,
            _ => self.f.import_not_editable,
        }
    }
    /// The hint beside a figure far from last year's ("Gấp 12,3 lần cùng kỳ …"), if it is.
    fn far_note(&self, e: &crate::api::figures::ElementRow) -> Option<String> {
        use rust_decimal::Decimal;
        let ratio: Decimal = e.same_period_ratio.as_deref()?.parse().ok()?;
        let one_place = |d: Decimal| {
            let rounded =
                d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            thidua_import::template::vi_number(&rounded.normalize())
        };
        Some(if ratio.is_zero() {
            let same = shown(self.f, &e.same_period);
            crate::i18n::fill(self.f.far_zero, &[("same", same)])
        } else if ratio >= Decimal::ONE {
            crate::i18n::fill(self.f.far_times, &[("times", one_place(ratio))])
        } else {
            let percent = one_place(ratio * Decimal::ONE_HUNDRED);
            crate::i18n::fill(self.f.far_percent, &[("percent", percent)])
        })
    }
    /// A rule the figures break, said as broken ("vi phạm quy tắc «…»"), never its name alone.
    fn rule_broken(&self, name: &str) -> String {
        crate::i18n::fill(self.f.issue_rule, &[("name", name)])
    }
    fn late(&self) -> String {
        late_words(self.f, &self.r.submission_deadline)
    }
    fn status(&self, s: &str) -> &'static str {
        status_text(self.f, s)
    }
    fn shown(&self, raw: &Option<String>) -> String {
        shown(self.f, raw)
    }
    /// The bounds outside which a figure typed in `e`'s cell is far from last year's
    /// (`plausibility::far_bounds`, canonical decimals), for the grid's script to compare with.
    fn far_data(&self, e: &crate::api::figures::ElementRow) -> Option<(String, Option<String>)> {
        use thidua_domain::figures::{canonical_decimal, plausibility::far_bounds};
        let bounds = far_bounds(e.same_period.as_deref()?.parse().ok()?)?;
        let below = bounds.below.map(|b| canonical_decimal(&b));
        Some((canonical_decimal(&bounds.above), below))
    }
    /// The predecessors whose figures last year's column adds, by name.
    fn same_period_from(&self) -> String {
        let names: Vec<&str> = self
            .r
            .same_period_from
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        names.join(", ")
    }
    /// Why last year's column is empty: the units of the lineage without approved figures for
    /// last year's window, by name (HTML).
    fn same_period_missing(&self) -> String {
        lacking_figures(self.f, self.r.year - 1, &self.r.same_period_missing)
    }
    /// The heading of last year's column: "Cùng kỳ 2023", "Same period last year (2023)".
    fn same_period_heading(&self) -> String {
        let year = self.r.year - 1;
        if self.l.lang == "en" {
            format!("{} ({year})", self.f.same_period)
        } else {
            format!("{} {year}", self.f.same_period)
        }
    }
    /// How many cells of the grid came back with an error.
    /// The cells refused, in the grid's order: the element's id and name and the message.
    /// The grid's refused fields for the error summary: the field's id (a figure `v-…`, a
    /// comment `c-…`), the element's name and the message.
    fn bad_cells(&self) -> Vec<(String, &str, &str)> {
        let mut out = Vec::new();
        for e in &self.r.elements {
            if let Some(m) = self.errors.get(&e.id) {
                // The summary names the element before its message: once.
                let m = m
                    .strip_prefix(e.name.as_str())
                    .and_then(|rest| rest.strip_prefix(": "))
                    .unwrap_or(m);
                out.push((format!("v-{}", e.id), e.name.as_str(), m));
            }
            if let Some(m) = self.comment_error(&e.id) {
                out.push((format!("c-{}", e.id), e.name.as_str(), m.as_str()));
            }
        }
        out
    }
    /// The summary's count of what is wrong: "2 ô có lỗi, 2 cảnh báo cần ghi chú" (a warning
    /// waits for a comment, beside the comment box; anything else is an error of a cell).
    fn bad_count(&self) -> String {
        let warnings = self
            .r
            .elements
            .iter()
            .filter(|e| self.comment_error(&e.id).is_some())
            .count();
        let errors = self.bad_cells().len() - warnings;
        let n = |template: &str, n: usize| crate::i18n::fill(template, &[("n", n)]);
        let said: Vec<String> = [
            (errors > 0).then(|| n(self.f.grid_bad_cells, errors)),
            (warnings > 0).then(|| n(self.f.grid_warnings, warnings)),
        ]
        .into_iter()
        .flatten()
        .collect();
        crate::i18n::fill(self.f.grid_errors, &[("count", said.join(", "))])
    }
    /// The message beside an element's comment (a warning that needs one).
    fn comment_error(&self, id: &str) -> Option<&String> {
        self.errors.get(&comment_key(id))
    }
    fn typed_value(&self, id: &str) -> String {
        self.typed.get(id).map(|t| t.0.clone()).unwrap_or_default()
    }
    fn typed_comment(&self, id: &str) -> String {
        self.typed.get(id).map(|t| t.1.clone()).unwrap_or_default()
    }
    fn error(&self, id: &str) -> Option<&String> {
        self.errors.get(id)
    }
    /// The most characters a comment or a reopening's reason holds (the domain's limit).
    fn reason_max(&self) -> usize {
        thidua_domain::text::limits::REASON
    }
    fn date(&self, iso: &str) -> String {
        crate::format::iso_date(iso)
    }
    fn time(&self, ms: &i64) -> String {
        crate::format::time_ms(*ms)
    }
    fn message(&self, vi: &str, en: &str) -> String {
        in_lang(&self.l, vi, en)
    }
    /// The report by GET, after a refused file (reloading the answer would post it again).
    fn back_href(&self) -> String {
        report_url(&self.r.covenant, &self.r.unit.id, &self.r.window)
    }
    /// The file field to choose a corrected file in, or "" when the report takes no file now.
    fn retry_id(&self) -> &'static str {
        if self.r.own && self.r.can_edit {
            "import-file"
        } else {
            ""
        }
    }
}

/// The import form's boxes as the user set them: a dry run, and submitting after the import.
#[derive(Clone, Copy, Default)]
struct ImportBoxes {
    dry_run: bool,
    submit: bool,
}

struct ReportInput {
    typed: Option<BTreeMap<String, (String, String)>>,
    boxes: ImportBoxes,
    paste: String,
    reason: String,
    errors: BTreeMap<String, String>,
    outcome: Option<ImportOutcome>,
    failure: Option<ImportFailure>,
    status: StatusCode,
    done: Option<&'static str>,
    done_at_grid: bool,
}

impl Default for ReportInput {
    fn default() -> Self {
        Self {
            typed: None,
            boxes: ImportBoxes::default(),
            paste: String::new(),
            reason: String::new(),
            errors: BTreeMap::new(),
            outcome: None,
            failure: None,
            status: StatusCode::OK,
            done: None,
            done_at_grid: false,
        }
    }
}

async fn report_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    unit: &str,
    window: &str,
    input: ReportInput,
) -> Response {
    let (Ok(id), Ok(unit)) = (CovenantId::parse(id), UnitId::parse(unit)) else {
        return viewer_error(viewer, ApiError::not_found());
    };
    let mut r =
        match api::load_report(app, &viewer.scope, id.clone(), unit, window.to_owned()).await {
            Ok(r) => r,
            Err(e) => return viewer_error(viewer, e),
        };
    r.window_name = names::window(viewer.lang, &app.service.read(), Some(&id), &r.window);
    let f = viewer.lang.figures();
    let mut l = Layout::new(
        viewer,
        format!("{} — {} — {}", f.figures, r.unit.name, r.window_name),
    );
    if r.can_edit {
        l.skip_to = Some((GRID_CARD, f.skip_to_grid));
    }
    let typed = input.typed.unwrap_or_else(|| {
        r.elements
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    (shown(f, &e.value), e.comment.clone().unwrap_or_default()),
                )
            })
            .collect()
    });
    let mut res = render(&ReportPage {
        l,
        f,
        r,
        typed,
        paste: input.paste,
        boxes: input.boxes,
        reason: input.reason,
        errors: input.errors,
        outcome: input.outcome,
        failure: input.failure,
        done: input.done,
        done_at_grid: input.done_at_grid,
    });
    *res.status_mut() = input.status;
    res
}

/// `GET /covenants/{id}/figures/{unit}/{window}`.
pub async fn report_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit, window)): Path<(String, String, String)>,
    Query(q): Query<DoneParams>,
) -> Response {
    let f = viewer.lang.figures();
    let input = ReportInput {
        done: q.done.as_deref().and_then(|d| done_text(f, d)),
        done_at_grid: q.done.as_deref() == Some("saved"),
        ..Default::default()
    };
    report_view(&app, &viewer, &id, &unit, &window, input).await
}

/// `?done=` on a report page: the action just done.
#[derive(Deserialize)]
pub struct DoneParams {
    done: Option<String>,
}

/// What the page says after an action: saved, submitted, approved, reopened, imported, or (on
/// the window page) a deadline set.
fn done_text(f: &'static FigStrings, done: &str) -> Option<&'static str> {
    Some(match done {
        "saved" => f.done_saved,
        "submitted" => f.done_submitted,
        "approved" => f.done_approved,
        "reopened" => f.done_reopened,
        "imported" => f.done_imported,
        "imported_submitted" => f.done_imported_submitted,
        "deadline" => f.done_deadline,
        _ => return None,
    })
}

/// The figures page of a covenant, on the window a form sent back if it is a plain id, saying
/// what was just `done`.
fn window_url(id: &str, window: &str, done: Option<&str>) -> String {
    let mut query: Vec<String> = Vec::new();
    if super::is_plain_param(window) {
        query.push(format!("window={window}"));
    }
    if let Some(done) = done {
        query.push(format!("done={done}"));
    }
    match query.is_empty() {
        true => format!("/covenants/{id}/figures"),
        false => format!("/covenants/{id}/figures?{}", query.join("&")),
    }
}

/// The grid's card on the report page: where a saved draft's page comes back (the fragment of
/// the redirect) and where the page's second "skip" link leads. Without script, the next Tab
/// from there is the first figure cell; the page's script puts the focus in it.
const GRID_CARD: &str = "#grid-card";

fn report_url(id: &str, unit: &str, window: &str) -> String {
    format!("/covenants/{id}/figures/{unit}/{window}")
}

/// The report page after an action, saying what it did.
fn done_url(id: &str, unit: &str, window: &str, done: &str) -> String {
    format!("{}?done={done}", report_url(id, unit, window))
}

/// `POST /covenants/{id}/figures/{unit}/{window}`: the grid (`v_<element>`, `c_<element>`),
/// `paste` (a column from Excel, one figure per line in the elements' order) and `action`
/// (`save` or `submit`).
pub async fn save(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit, window)): Path<(String, String, String)>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let (Ok(cov), Ok(unit_id)) = (CovenantId::parse(&id), UnitId::parse(&unit)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let lang = viewer.lang;
    let state = app.service.read();
    // Visibility first, as the API does: a covenant the viewer may not see is not found,
    // whatever its reporting form would say.
    if let Err(e) = api::visible_covenant(&state, &viewer.scope, &cov) {
        return viewer_error(&viewer, e);
    }
    let elements = match state.reporting_form(&cov) {
        Ok(f) => f,
        Err(e) => return viewer_error(&viewer, e.into()),
    };
    let mut typed = typed_grid(&form, &elements);
    let mut paste = form.get("paste").cloned().unwrap_or_default();
    let mut errors = BTreeMap::new();
    match paste_column(&paste, &elements, &mut typed) {
        // Its figures are in the grid now: shown again, the grid is what the user corrects,
        // and a kept column would overwrite the corrections on the next save.
        Ok(()) => paste.clear(),
        // Refused before the grid was touched: the grid and the box come back as they were
        // sent, so that the column can be put right and pasted again.
        Err(problem) => {
            errors.insert("paste".into(), problem.words(lang.figures()));
        }
    }
    let (values, comments) = parse_grid(lang, &elements, &typed, &mut errors);
    let (Some(values), Some(comments), true) = (values, comments, errors.is_empty()) else {
        drop(state);
        let input = ReportInput {
            typed: Some(typed),
            paste,
            errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            ..Default::default()
        };
        return report_view(&app, &viewer, &id, &unit, &window, input).await;
    };
    let submit = form.get("action").map(String::as_str) == Some("submit");
    let typed_figures = (values.clone(), comments.clone());
    let commands = api::save_commands(&state, &cov, &unit_id, &window, values, comments, submit);
    drop(state);
    // A saved draft comes back at the grid, to go on typing; a submitted report at the top,
    // where its new status is.
    let to = match submit {
        true => done_url(&id, &unit, &window, "submitted"),
        false => format!("{}{GRID_CARD}", done_url(&id, &unit, &window, "saved")),
    };
    match crate::api::execute(&app, &viewer, commands).await {
        Ok(_) => Redirect::to(&to).into_response(),
        Err(e) if e.shown_in_form() => {
            let state = app.service.read();
            errors.insert("form".into(), names::refusal(lang, &state, Some(&cov), &e));
            if matches!(e.code, "rule_violated" | "warning_needs_comment") {
                let typed = (&typed_figures.0, &typed_figures.1);
                mark_rules(&state, &cov, &elements, typed, lang.figures(), &mut errors);
            }
            drop(state);
            let input = ReportInput {
                typed: Some(typed),
                paste,
                errors,
                status: e.status,
                ..Default::default()
            };
            report_view(&app, &viewer, &id, &unit, &window, input).await
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// Where a message about an element's comment is kept among the grid's messages.
fn comment_key(element: &str) -> String {
    format!("c_{element}")
}

/// On a submission refused for its validation rules: every rule that blocks it, marked on the
/// figures it names (an error) or on their comments (a warning that needs one), so that the
/// grid shows where to look rather than one sentence at the top.
fn mark_rules(
    state: &thidua_domain::State,
    covenant: &CovenantId,
    form: &thidua_domain::figures::Form,
    (values, comments): (
        &thidua_domain::figures::FigureMap,
        &BTreeMap<String, thidua_domain::Text>,
    ),
    f: &FigStrings,
    errors: &mut BTreeMap<String, String>,
) {
    use thidua_domain::figures::{cells_for, failed_rules, Severity};
    let (Ok(cells), Ok(rules)) = (cells_for(form, values), state.figures_rules(covenant, form))
    else {
        return;
    };
    let commented = comments.keys().filter_map(|id| form.position(id)).collect();
    for failed in failed_rules(&rules, &cells, &commented)
        .into_iter()
        .filter(|o| o.blocks())
    {
        let (key, template): (fn(&str) -> String, _) = match failed.rule.severity {
            Severity::Error => (str::to_owned, f.rule_broken),
            Severity::Warning => (comment_key, f.rule_needs_comment),
        };
        let message = template.replace("{rule}", failed.rule.name.as_str());
        for i in &failed.elements {
            if let Some(e) = form.elements.get(*i) {
                errors.entry(key(&e.id)).or_insert_with(|| message.clone());
            }
        }
    }
}

/// What the grid holds, as typed: each element's value (`v_<element>`) and comment
/// (`c_<element>`), by element id.
fn typed_grid(
    form: &HashMap<String, String>,
    elements: &thidua_domain::figures::Form,
) -> BTreeMap<String, (String, String)> {
    let field = |name: String| form.get(&name).cloned().unwrap_or_default();
    elements
        .elements
        .iter()
        .map(|e| {
            let typed = (field(format!("v_{}", e.id)), field(format!("c_{}", e.id)));
            (e.id.clone(), typed)
        })
        .collect()
}

/// Why a pasted column was refused: nothing of it was put in the grid.
#[derive(Debug, PartialEq, Eq)]
enum PasteProblem {
    /// A line holds several cells (a row, or several columns, copied): the line (from 1) and
    /// how many cells it holds.
    Cells { line: usize, cells: usize },
    /// The column has not one line per element. `heading`: the first line, when it is not a
    /// figure and is the one line too many (the column's heading copied with it).
    Count {
        lines: usize,
        elements: usize,
        heading: Option<String>,
    },
    /// A line (from 1) that is no figure (its first characters): the column is refused whole.
    /// The first line may be a heading copied with a column one figure short; a later one is
    /// told with the element it would have filled (`element`), a figure mistyped there.
    NotAFigure {
        line: usize,
        text: String,
        element: String,
    },
    /// A line (from 1) with a space between digits that is no grouping of three.
    Space { line: usize, text: String },
}

impl PasteProblem {
    /// The refusal in the page's language.
    fn words(&self, f: &FigStrings) -> String {
        match self {
            PasteProblem::Cells { line, cells } => {
                crate::i18n::fill(f.paste_cells, &[("line", line), ("cells", cells)])
            }
            PasteProblem::NotAFigure { line, text, .. } if *line == 1 => crate::i18n::fill(
                f.paste_not_a_figure,
                &[("line", line.to_string()), ("text", text.clone())],
            ),
            PasteProblem::NotAFigure {
                line,
                text,
                element,
            } => crate::i18n::fill(
                f.paste_not_a_figure_at,
                &[
                    ("line", line.to_string()),
                    ("text", text.clone()),
                    ("element", element.clone()),
                ],
            ),
            PasteProblem::Space { line, text } => crate::i18n::fill(
                f.paste_space,
                &[("line", line.to_string()), ("text", text.clone())],
            ),
            PasteProblem::Count {
                lines,
                elements,
                heading,
            } => {
                let count =
                    crate::i18n::fill(f.paste_count, &[("lines", lines), ("elements", elements)]);
                match heading {
                    Some(first) => {
                        let first: String = first.chars().take(40).collect();
                        let hint = crate::i18n::fill(f.paste_heading, &[("first", first)]);
                        format!("{count} {hint}")
                    }
                    None => count,
                }
            }
        }
    }
}

/// A line of the paste box as the grid reads it: trimmed, spaces between groups of three
/// digits written as dots.
fn pasted_figure(cell: &str) -> String {
    thidua_import::number::space_grouped(cell).unwrap_or_else(|| cell.trim().to_owned())
}

/// A grid cell holding several figures separated by spaces or line breaks ("160 9 250"): a
/// column pasted into one cell (a browser's text box joins its lines with spaces). The message
/// says so and points to the paste box; when the cell also reads as one number with spaces
/// between groups of three digits ("1 650"), it says how to write that number.
fn pasted_into_one_cell(f: &FigStrings, text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let figures = parts.len() > 1
        && parts.iter().all(|p| {
            thidua_import::number::figure(
                &thidua_import::table::RawCell::Text((*p).to_owned()),
                NumberFormat::Vi,
            )
            .is_ok()
        });
    if !figures {
        return None;
    }
    let shown: String = parts.join(" ").chars().take(40).collect();
    let mut said = crate::i18n::fill(f.grid_pasted_column, &[("text", shown)]);
    if let Some(dots) = thidua_import::number::space_grouped(text) {
        let plain = dots.replace('.', "");
        let hint = crate::i18n::fill(f.grid_space_number, &[("dots", dots), ("plain", plain)]);
        said = format!("{said} {hint}");
    }
    Some(said)
}

/// The cells of a pasted line that hold something (Excel separates cells by tabs).
fn pasted_cells(line: &str) -> Vec<&str> {
    line.split('\t')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// Puts a column pasted from Excel (one figure per line, in the elements' order) over the
/// grid's values; an empty line keeps the typed value. The column must have exactly one line
/// per element (blank lines after it aside) and one cell per line: anything else would put
/// figures beside the wrong elements, so it is refused before the grid is touched.
fn paste_column(
    paste: &str,
    elements: &thidua_domain::figures::Form,
    typed: &mut BTreeMap<String, (String, String)>,
) -> Result<(), PasteProblem> {
    if paste.trim().is_empty() {
        return Ok(());
    }
    let n = elements.elements.len();
    let mut lines: Vec<&str> = paste.lines().collect();
    // Blank lines after the column (a line break typed or copied after it) carry nothing.
    while lines.len() > n && lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    if let Some((i, cells)) = lines
        .iter()
        .map(|l| pasted_cells(l).len())
        .enumerate()
        .find(|(_, cells)| *cells > 1)
    {
        return Err(PasteProblem::Cells { line: i + 1, cells });
    }
    let not_a_figure = |line: &str| {
        let cell = pasted_figure(line);
        !cell.is_empty()
            && thidua_import::number::figure(
                &thidua_import::table::RawCell::Text(cell),
                NumberFormat::Vi,
            )
            .is_err()
    };
    if lines.len() != n {
        let first = lines.first().map(|l| l.trim()).unwrap_or_default();
        return Err(PasteProblem::Count {
            lines: lines.len(),
            elements: n,
            heading: (lines.len() == n + 1 && not_a_figure(first)).then(|| first.to_owned()),
        });
    }
    // A line that is no figure at all (a heading copied with a column one figure short) would
    // shift nothing by itself, but says the column is not the form's: refused as a whole.
    if let Some((i, line)) = lines.iter().enumerate().find(|(_, l)| not_a_figure(l)) {
        let text: String = line.trim().chars().take(40).collect();
        // Digits with a space between them that is no grouping of three ("16 50"): the space
        // is the problem, not the column.
        let spaced = text.contains(thidua_import::number::GROUP_SPACES)
            && text.chars().all(|c| {
                c.is_ascii_digit()
                    || matches!(c, '.' | ',')
                    || thidua_import::number::GROUP_SPACES.contains(&c)
            });
        return Err(match spaced {
            true => PasteProblem::Space { line: i + 1, text },
            false => PasteProblem::NotAFigure {
                line: i + 1,
                text,
                element: elements.elements[i].name.clone(),
            },
        });
    }
    for (line, e) in lines.iter().zip(&elements.elements) {
        if let Some(cell) = pasted_cells(line).first() {
            typed.entry(e.id.clone()).or_default().0 = pasted_figure(cell);
        }
    }
    Ok(())
}

/// The grid's figures (Vietnamese number format) and comments, each error put beside its element.
fn parse_grid(
    lang: crate::i18n::Lang,
    elements: &thidua_domain::figures::Form,
    typed: &BTreeMap<String, (String, String)>,
    errors: &mut BTreeMap<String, String>,
) -> (
    Option<thidua_domain::figures::FigureMap>,
    Option<BTreeMap<String, thidua_domain::Text>>,
) {
    let column = |pick: fn(&(String, String)) -> &String| -> BTreeMap<String, String> {
        typed
            .iter()
            .map(|(k, v)| (k.clone(), pick(v).clone()))
            .collect()
    };
    // A column pasted into one cell is said as such, before the number reader refuses it.
    let mut figures = column(|v| &v.0);
    let mut pasted = false;
    for e in &elements.elements {
        let Some(said) = figures
            .get(&e.id)
            .and_then(|text| pasted_into_one_cell(lang.figures(), text))
        else {
            continue;
        };
        figures.remove(&e.id);
        errors.insert(e.id.clone(), format!("{}: {said}", e.name));
        pasted = true;
    }
    let values = match api::parse_figures(elements, &figures, NumberFormat::Vi) {
        Ok(v) => Some(v).filter(|_| !pasted),
        Err(list) => {
            for (id, vi, en) in list {
                errors.insert(
                    id,
                    if lang == crate::i18n::Lang::En {
                        en
                    } else {
                        vi
                    },
                );
            }
            None
        }
    };
    let comments = match api::parse_comments(&column(|v| &v.1)) {
        Ok(c) => Some(c),
        Err((id, e)) => {
            errors.insert(id, lang.api_error(&e));
            None
        }
    };
    (values, comments)
}

/// `POST /covenants/{id}/figures/{unit}/{window}/step`: `action` (`submit`, `approve`,
/// `reopen`), `revision`, `reason`.
pub async fn step(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit, window)): Path<(String, String, String)>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let (Ok(cov), Ok(unit_id)) = (CovenantId::parse(&id), UnitId::parse(&unit)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let action = form.get("action").cloned().unwrap_or_default();
    let revision = form
        .get("revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    let reason = form.get("reason").cloned();
    let typed_reason = reason.clone().unwrap_or_default();
    match api::step(
        &app,
        &viewer,
        (cov.clone(), unit_id, window.clone()),
        &action,
        revision,
        reason,
    )
    .await
    {
        Ok(_) => {
            let done = match action.as_str() {
                "approve" => "approved",
                "reopen" => "reopened",
                _ => "submitted",
            };
            Redirect::to(&done_url(&id, &unit, &window, done)).into_response()
        }
        Err(e) if e.shown_in_form() => {
            let key = if action == "reopen" { "reason" } else { "form" };
            let message = names::refusal(viewer.lang, &app.service.read(), Some(&cov), &e);
            let errors = BTreeMap::from([(key.to_owned(), message)]);
            // The reason comes back as typed, to be shortened rather than typed again.
            let input = ReportInput {
                errors,
                reason: typed_reason,
                status: e.status,
                ..Default::default()
            };
            report_view(&app, &viewer, &id, &unit, &window, input).await
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// The fields of an upload form (multipart): `csrf`, `file`, `dry_run`, `submit`, and where to
/// return (`unit`, `window`).
#[derive(Default)]
struct UploadForm {
    csrf: String,
    file_name: String,
    bytes: Bytes,
    fields: HashMap<String, String>,
}

async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, ApiError> {
    let mut out = UploadForm::default();
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request("invalid_body", e.body_text())
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            out.file_name = field.file_name().unwrap_or("upload").to_owned();
            out.bytes = field.bytes().await.map_err(bad)?;
        } else {
            let text = field.text().await.map_err(bad)?;
            if name == "csrf" {
                out.csrf = text;
            } else {
                out.fields.insert(name, text);
            }
        }
    }
    Ok(out)
}

async fn upload(
    app: AppState,
    viewer: Viewer,
    id: String,
    multipart: Multipart,
    historical: bool,
) -> Response {
    let form = match read_upload(multipart).await {
        Ok(f) => f,
        Err(e) => return viewer_error(&viewer, e),
    };
    if viewer.csrf.is_empty() || !crate::accounts::secrets_equal(&viewer.csrf, &form.csrf) {
        return viewer_error(
            &viewer,
            ApiError::new(StatusCode::FORBIDDEN, "csrf", "csrf"),
        );
    }
    let Ok(cov) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let flag = |k: &str| form.fields.get(k).is_some_and(|v| !v.is_empty());
    let (dry_run, submit) = (flag("dry_run"), flag("submit"));
    let back_unit = form.fields.get("unit").cloned().unwrap_or_default();
    let back_window = form.fields.get("window").cloned().unwrap_or_default();
    let result = api::import_file(
        &app,
        &viewer,
        api::ImportRequest {
            covenant: cov.clone(),
            file_name: form.file_name,
            bytes: form.bytes,
            historical,
            submit,
            dry_run,
            for_report: (!historical && !back_unit.is_empty())
                .then(|| (back_unit.clone(), back_window.clone())),
        },
    )
    .await
    .map_err(|(status, failure)| (status, in_words(&app, &viewer, &cov, failure)));
    if historical || back_unit.is_empty() {
        // Not the secretariat's: its page has no import form to tell the refusal beside.
        if matches!(&result, Err((StatusCode::FORBIDDEN, _))) {
            return viewer_error(&viewer, ApiError::forbidden());
        }
        let mut errors = BTreeMap::new();
        let failure = match result {
            Ok(o) if o.dry_run => {
                errors.insert("historical_ok", historical_summary(&app, &viewer, &o));
                None
            }
            Ok(_) => {
                let url = window_url(&id, &back_window, Some("imported"));
                return Redirect::to(&url).into_response();
            }
            Err((_, failure)) => Some(failure),
        };
        let shown = WindowForms {
            failure,
            dry_run,
            ..Default::default()
        };
        return window_view(&app, &viewer, &id, Some(&back_window), errors, shown);
    }
    // The form's boxes come back as the user set them.
    let boxes = ImportBoxes { dry_run, submit };
    let input = match result {
        Ok(o) if o.dry_run => ReportInput {
            outcome: Some(o),
            boxes,
            ..Default::default()
        },
        Ok(_) => {
            let done = if submit {
                "imported_submitted"
            } else {
                "imported"
            };
            let url = done_url(&id, &back_unit, &back_window, done);
            return Redirect::to(&url).into_response();
        }
        Err((status, failure)) => ReportInput {
            failure: Some(failure),
            boxes,
            status,
            ..Default::default()
        },
    };
    report_view(&app, &viewer, &id, &back_unit, &back_window, input).await
}

/// An import's failure told in the viewer's words (the API's message is English): the
/// windows a file for another report holds, the domain's refusal with names, or the error's.
fn in_words(
    app: &AppState,
    viewer: &Viewer,
    cov: &CovenantId,
    mut failure: ImportFailure,
) -> ImportFailure {
    failure.message = if !failure.held_units.is_empty() {
        crate::i18n::fill(
            viewer.lang.figures().import_other_unit,
            &[
                ("held", failure.held_units.join(", ")),
                ("unit", failure.report_unit.clone()),
            ],
        )
    } else if !failure.held_windows.is_empty() {
        let held = viewer
            .lang
            .pick(&failure.held_windows, &failure.held_windows_en)
            .join(", ");
        viewer
            .lang
            .figures()
            .import_other_report
            .replace("{held}", &held)
    } else if let Some(refused) = &failure.refusal {
        // The domain's refusal, with the report it concerns when the API named it.
        match failure.errors.as_slice() {
            [e] if e.row.is_none() && e.sheet.is_none() => {
                let said = viewer.lang.pick(e.message_vi.clone(), e.message_en.clone());
                failure.errors.clear();
                said
            }
            _ => names::refusal(viewer.lang, &app.service.read(), Some(cov), refused),
        }
    } else {
        viewer.lang.error(&failure.error).to_owned()
    };
    failure
}

/// `POST /covenants/{id}/figures/import` (multipart): a unit's file.
pub async fn import(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(from): Query<UploadedFrom>,
    too_large: Option<axum::Extension<crate::auth::UploadTooLarge>>,
    multipart: Multipart,
) -> Response {
    if too_large.is_some() {
        return upload_too_large(&app, &viewer, &id, from).await;
    }
    upload(app, viewer, id, multipart, false).await
}

/// A historical dry run in words: how many figures, for which units and years (by name), and
/// the file's SHA-256.
fn historical_summary(app: &AppState, viewer: &Viewer, o: &ImportOutcome) -> String {
    let f = viewer.lang.figures();
    let state = app.service.read();
    let units: Vec<String> = o
        .historical
        .iter()
        .map(|y| {
            let name = UnitId::parse(&y.unit)
                .map(|u| names::unit(&state, &u).text)
                .unwrap_or_else(|_| y.unit.clone());
            f.dry_run_unit_year
                .replace("{unit}", &name)
                .replace("{year}", &y.year.to_string())
                .replace("{windows}", &y.windows.len().to_string())
        })
        .collect();
    let what = f
        .dry_run_historical
        .replace("{values}", &o.values.to_string())
        .replace("{units}", &units.join("; "));
    format!("{} · {what} · sha256 {}", f.dry_run_title, o.sha256)
}

/// `POST /covenants/{id}/figures/historical` (multipart): the secretariat's historical import.
pub async fn historical(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(from): Query<UploadedFrom>,
    too_large: Option<axum::Extension<crate::auth::UploadTooLarge>>,
    multipart: Multipart,
) -> Response {
    if too_large.is_some() {
        let from = UploadedFrom { unit: None, ..from };
        return upload_too_large(&app, &viewer, &id, from).await;
    }
    upload(app, viewer, id, multipart, true).await
}

/// The page an upload form was on, in its address (`?unit=…&window=…`): the form's own fields
/// are in the body, which is dropped when it is over the limit.
#[derive(Deserialize, Default)]
pub struct UploadedFrom {
    unit: Option<String>,
    window: Option<String>,
}

/// A file over the upload limit, read and dropped before it came here
/// ([`crate::auth::UploadTooLarge`]): the page it was sent from says so (413) and nothing
/// changes — the report's page for a unit's import, the figures page for the secretariat's.
async fn upload_too_large(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    from: UploadedFrom,
) -> Response {
    let failure = ImportFailure {
        error: "too_large".into(),
        message: crate::i18n::fill(
            viewer.lang.figures().import_too_large,
            &[(
                "limit",
                crate::format::byte_limit(crate::auth::MAX_UPLOAD, viewer.lang),
            )],
        ),
        ..Default::default()
    };
    let window = from.window;
    let mut page = match from.unit {
        Some(unit) => {
            let input = ReportInput {
                failure: Some(failure),
                status: StatusCode::PAYLOAD_TOO_LARGE,
                ..Default::default()
            };
            let window = window.unwrap_or_default();
            report_view(app, viewer, id, &unit, &window, input).await
        }
        None => {
            let shown = WindowForms {
                failure: Some(failure),
                ..Default::default()
            };
            window_view(app, viewer, id, window.as_deref(), BTreeMap::new(), shown)
        }
    };
    if page.status() == StatusCode::UNPROCESSABLE_ENTITY {
        *page.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    }
    page
}

/// `POST /covenants/{id}/figures/deadline`: `window`, `deadline` (dd/mm/yyyy).
pub async fn deadline(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let window = form.get("window").cloned().unwrap_or_default();
    let Ok(cov) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    // The secretariat's form: anyone else is refused before its fields are read.
    let cluster =
        api::visible_covenant(&app.service.read(), &viewer.scope, &cov).map(|c| c.cluster.clone());
    match cluster {
        Ok(cluster) => {
            if let Some(refused) = super::not_managing(&viewer, &cluster) {
                return refused;
            }
        }
        Err(e) => return viewer_error(&viewer, e),
    }
    let mut errors = BTreeMap::new();
    let typed = form.get("deadline").cloned().unwrap_or_default();
    match thidua_domain::event::parse_date(&typed) {
        None => {
            errors.insert("deadline", viewer.lang.error("invalid_date").to_owned());
        }
        Some(deadline) => {
            let command = thidua_domain::Command::SetFiguresDeadline {
                covenant: cov.clone(),
                window: window.clone(),
                deadline,
            };
            match crate::api::execute(&app, &viewer, vec![command]).await {
                Ok(_) => {
                    let url = window_url(&id, &window, Some("deadline"));
                    return Redirect::to(&url).into_response();
                }
                Err(e) if e.shown_in_form() => {
                    let message = names::refusal(viewer.lang, &app.service.read(), Some(&cov), &e);
                    errors.insert("deadline", message);
                }
                Err(e) => return viewer_error(&viewer, e),
            }
        }
    }
    window_view(
        &app,
        &viewer,
        &id,
        Some(&window),
        errors,
        WindowForms {
            deadline_typed: Some(typed),
            ..Default::default()
        },
    )
}

pub fn routes() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/covenants/{id}/figures", get(window_page))
        .route(
            "/covenants/{id}/figures/import",
            post(import).layer(DefaultBodyLimit::max(crate::auth::MAX_UPLOAD)),
        )
        .route(
            "/covenants/{id}/figures/historical",
            post(historical).layer(DefaultBodyLimit::max(crate::auth::MAX_UPLOAD)),
        )
        .route("/covenants/{id}/figures/deadline", post(deadline))
        .route(
            "/covenants/{id}/figures/{unit}/{window}",
            get(report_page).post(save),
        )
        .route("/covenants/{id}/figures/{unit}/{window}/step", post(step))
        .merge(rules::routes())
}

#[cfg(test)]
mod tests {
    use super::window_url;

    /// The window a form sends back is copied into the way back only when it is a plain id: a
    /// line break in it once made a saved import answer 500 (an invalid `Location`).
    #[test]
    fn the_way_back_takes_only_a_plain_window() {
        assert_eq!(
            window_url("gu", "M03", Some("imported")),
            "/covenants/gu/figures?window=M03&done=imported"
        );
        assert_eq!(
            window_url("gu", "M01\r\nX-Injected: yes", Some("imported")),
            "/covenants/gu/figures?done=imported"
        );
        assert_eq!(window_url("gu", "", None), "/covenants/gu/figures");
    }
}
