//! The administrator's forms for a unit's lineage, opened from the unit page: renaming the unit
//! (new name and short code from an effective date, with the decision's reference) and recording
//! a merger or a split (predecessors and successors chosen among the units). Each form becomes
//! one domain command (`RenameUnit`, `RecordLineage`), which the domain authorises again
//! (`Administer`); its typed errors are shown next to the field they concern. Success redirects
//! to the unit page, which shows the former names and the lineage.

use std::collections::{BTreeSet, HashMap};

use crate::ui::extract::Path;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_domain::event::parse_date;
use thidua_domain::model::{LineageChange, LineageKind};
use thidua_domain::text::limits;
use thidua_domain::{Command, Text, UnitId};

use super::admin::FieldErrors;
use super::{render, viewer_error, Layout};
use crate::api;
use crate::api::dto::{unit_ref, LineageDto, UnitRef};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::AppState;

/// The unit named in the path, for an administrator; otherwise the refusal (403) or 404.
fn admin_unit(app: &AppState, viewer: &Viewer, id: &str) -> Result<(UnitId, UnitRef), ApiError> {
    if !viewer.scope.is_admin() {
        return Err(ApiError::forbidden());
    }
    let state = app.service.read();
    match UnitId::parse(id) {
        Ok(id) if state.units.contains_key(&id) => {
            let r = unit_ref(&state, &id);
            Ok((id, r))
        }
        _ => Err(ApiError::not_found()),
    }
}

/// Sets 422 on a form page shown again with messages.
fn with_status(mut res: Response, errors_shown: bool) -> Response {
    if errors_shown {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// A domain error the form can show next to a field (not a refusal, not a server fault).
fn is_form_error(e: &ApiError) -> bool {
    e.shown_in_form()
}

// ---------------------------------------------------------------------------------------------
// Renaming

/// What the renaming form holds (kept when it comes back with errors).
#[derive(Default)]
pub struct RenameValues {
    name: String,
    short_code: String,
    effective: String,
    decision: String,
}

#[derive(Template)]
#[template(path = "unit_rename.html")]
struct RenamePage {
    l: Layout,
    unit: UnitRef,
    v: RenameValues,
    errors: FieldErrors,
}

impl RenamePage {
    /// The error summary: each message linked to its field.
    fn summary(&self) -> super::form::Errors {
        let t = self.l.t;
        self.errors.summary(&[
            ("rename", "name", "rn-name", t.new_name_label),
            ("rename", "short_code", "rn-code", t.new_short_code_label),
            ("rename", "effective", "rn-date", t.effective_label),
            ("rename", "decision", "rn-decision", t.decision_ref_label),
        ])
    }
}

fn rename_view(viewer: &Viewer, unit: UnitRef, v: RenameValues, errors: FieldErrors) -> Response {
    let t = viewer.lang.strings();
    let shown = !errors.is_empty();
    let page = RenamePage {
        l: Layout::new(viewer, format!("{}: {}", t.rename_unit, unit.name)),
        unit,
        v,
        errors,
    };
    with_status(render(&page), shown)
}

/// `GET /units/{id}/rename`: the form, filled with the current name and short code.
pub async fn rename_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let (_, unit) = match admin_unit(&app, &viewer, &id) {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let v = RenameValues {
        name: unit.name.clone(),
        short_code: unit.short_code.clone(),
        ..RenameValues::default()
    };
    rename_view(&viewer, unit, v, FieldErrors::default())
}

/// `POST /units/{id}/rename`: `name`, `short_code`, `effective` (dd/mm/yyyy), `decision`.
pub async fn rename(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let (unit, unit_ref) = match admin_unit(&app, &viewer, &id) {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let lang = viewer.lang;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let v = RenameValues {
        name: get("name"),
        short_code: get("short_code"),
        effective: get("effective"),
        decision: get("decision"),
    };
    let mut errors = FieldErrors::default();
    let name = Text::parse("name", &v.name, limits::NAME)
        .map_err(|e| errors.push("rename", "name", lang.refusal(&e)))
        .ok();
    let short_code = Text::parse("short_code", &v.short_code, limits::SHORT_CODE)
        .map_err(|e| errors.push("rename", "short_code", lang.refusal(&e)))
        .ok();
    let effective = parse_date(&v.effective);
    if effective.is_none() {
        errors.push("rename", "effective", lang.error("invalid_date"));
    }
    let decision = Text::parse("decision", &v.decision, limits::DECISION)
        .map_err(|e| errors.push("rename", "decision", lang.refusal(&e)))
        .ok();
    let (Some(name), Some(short_code), Some(effective), Some(decision)) =
        (name, short_code, effective, decision)
    else {
        return rename_view(&viewer, unit_ref, v, errors);
    };
    let command = Command::RenameUnit {
        unit: unit.clone(),
        name,
        short_code,
        effective,
        decision,
    };
    match api::execute(&app, &viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/units/{unit}")).into_response(),
        Err(e) if is_form_error(&e) => {
            let field = match e.code {
                "lineage_before_established" | "unit_not_active" | "date_out_of_range" => {
                    "effective"
                }
                "text_too_long" | "empty_text" | "invalid_text" => "decision",
                "short_code_taken" => "short_code",
                _ => "name",
            };
            let message = super::names::refusal(lang, &app.service.read(), None, &e);
            errors.push("rename", field, message);
            rename_view(&viewer, unit_ref, v, errors)
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Mergers and splits

/// What the lineage form holds (kept when it comes back with errors).
#[derive(Default)]
pub struct LineageValues {
    /// `merge` or `split`.
    kind: String,
    predecessors: BTreeSet<String>,
    successors: BTreeSet<String>,
    effective: String,
    decision: String,
}

/// A unit offered by the lineage form, with the day it ceased if it has (it can then take
/// part only in a change effective before that day).
struct Offered {
    id: String,
    name: String,
    ceased: Option<String>,
}

#[derive(Template)]
#[template(path = "unit_lineage.html")]
struct LineagePage {
    l: Layout,
    unit: UnitRef,
    /// Every unit, in the order of the places they serve.
    units: Vec<Offered>,
    /// The years under review (open, results not published) the unit is a member of, said.
    review_open: Option<String>,
    v: LineageValues,
    errors: FieldErrors,
}

impl LineagePage {
    /// The error summary: each message linked to its field.
    fn summary(&self) -> super::form::Errors {
        let t = self.l.t;
        self.errors.summary(&[
            ("lineage", "kind", "ln-kind", t.lineage_kind_label),
            ("lineage", "predecessors", "ln-predecessors", t.predecessors),
            ("lineage", "successors", "ln-successors", t.successors),
            ("lineage", "effective", "ln-date", t.effective_label),
            ("lineage", "decision", "ln-decision", t.decision_ref_label),
        ])
    }

    fn is_pred(&self, id: &str) -> bool {
        self.v.predecessors.contains(id)
    }

    fn is_succ(&self, id: &str) -> bool {
        self.v.successors.contains(id)
    }
}

fn lineage_view(
    app: &AppState,
    viewer: &Viewer,
    unit: UnitRef,
    v: LineageValues,
    errors: FieldErrors,
) -> Response {
    let (t, ls) = (viewer.lang.strings(), viewer.lang.lineage());
    let (units, review_open) = {
        let state = app.service.read();
        (offered(&state, ls), review_open(&state, ls, &unit))
    };
    let shown = !errors.is_empty();
    let page = LineagePage {
        l: Layout::new(viewer, format!("{}: {}", t.record_lineage, unit.name)),
        unit,
        units,
        review_open,
        v,
        errors,
    };
    with_status(render(&page), shown)
}

/// Every unit, in the order of the places they serve, each ceased one with its day.
fn offered(
    state: &thidua_domain::State,
    ls: &crate::i18n::lineage::LineageStrings,
) -> Vec<Offered> {
    let all: Vec<UnitId> = state.units.keys().cloned().collect();
    state
        .sorted_by_place(&all)
        .into_iter()
        .map(|u| Offered {
            id: u.id.to_string(),
            name: u.name.to_string(),
            ceased: u
                .dissolved
                .map(|d| crate::i18n::fill(ls.ceased_on, &[("date", crate::format::date(&d))])),
        })
        .collect()
}

/// The clusters' years whose review is open and unpublished with `unit` among the members,
/// said: a change recorded now no longer changes those years' members.
fn review_open(
    state: &thidua_domain::State,
    ls: &crate::i18n::lineage::LineageStrings,
    unit: &UnitRef,
) -> Option<String> {
    let id = UnitId::parse(&unit.id).ok()?;
    let reviews: Vec<String> = state
        .yearend
        .reviews
        .values()
        .filter(|r| r.published.is_none() && r.members.contains(&id))
        .map(|r| {
            let cluster = state
                .clusters
                .get(&r.cluster)
                .map_or_else(|| r.cluster.to_string(), |c| c.cluster.name.to_string());
            format!("{cluster} ({})", r.year)
        })
        .collect();
    if reviews.is_empty() {
        return None;
    }
    Some(crate::i18n::fill(
        ls.review_open,
        &[("unit", unit.name.clone()), ("reviews", reviews.join(", "))],
    ))
}

/// `GET /units/{id}/lineage`: the form, with this unit ticked as a predecessor of a merger.
pub async fn lineage_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let (_, unit) = match admin_unit(&app, &viewer, &id) {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let v = LineageValues {
        kind: "merge".to_owned(),
        predecessors: BTreeSet::from([unit.id.clone()]),
        ..LineageValues::default()
    };
    lineage_view(&app, &viewer, unit, v, FieldErrors::default())
}

/// The unit ids of the ticked checkboxes `<prefix><unit>`, sorted, as typed.
fn ticked(form: &HashMap<String, String>, prefix: &str) -> BTreeSet<String> {
    form.keys()
        .filter_map(|k| k.strip_prefix(prefix))
        .map(str::to_owned)
        .collect()
}

/// `POST /units/{id}/lineage`: `kind` (`merge` or `split`), checkboxes `p_<unit>`
/// (predecessors) and `s_<unit>` (successors), `effective` (dd/mm/yyyy), `decision`.
pub async fn record_lineage(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let (unit, unit_ref) = match admin_unit(&app, &viewer, &id) {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let lang = viewer.lang;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let v = LineageValues {
        kind: get("kind"),
        predecessors: ticked(&form, "p_"),
        successors: ticked(&form, "s_"),
        effective: get("effective"),
        decision: get("decision"),
    };
    let mut errors = FieldErrors::default();
    let kind = match v.kind.as_str() {
        "merge" => Some(LineageKind::Merge),
        "split" => Some(LineageKind::Split),
        _ => {
            errors.push("lineage", "kind", lang.error("invalid_value"));
            None
        }
    };
    let mut ids = |set: &BTreeSet<String>, field: &'static str| -> Vec<UnitId> {
        let parsed: Result<Vec<UnitId>, _> = set.iter().map(|u| UnitId::parse(u)).collect();
        match parsed {
            Ok(list) if list.is_empty() => {
                errors.push("lineage", field, lang.error("invalid_lineage"));
                list
            }
            Ok(list) => list,
            Err(e) => {
                errors.push("lineage", field, lang.refusal(&e));
                Vec::new()
            }
        }
    };
    let predecessors = ids(&v.predecessors, "predecessors");
    let successors = ids(&v.successors, "successors");
    let effective = parse_date(&v.effective);
    if effective.is_none() {
        errors.push("lineage", "effective", lang.error("invalid_date"));
    }
    let decision = Text::parse("decision", &v.decision, limits::DECISION)
        .map_err(|e| errors.push("lineage", "decision", lang.refusal(&e)))
        .ok();
    let (Some(kind), Some(effective), Some(decision), true) =
        (kind, effective, decision, errors.is_empty())
    else {
        return lineage_view(&app, &viewer, unit_ref, v, errors);
    };
    let command = Command::RecordLineage {
        change: LineageChange {
            kind,
            predecessors,
            successors,
            effective,
            decision,
        },
    };
    match api::execute(&app, &viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/units/{unit}")).into_response(),
        Err(e) if is_form_error(&e) => {
            let field = match e.code {
                "lineage_before_established" | "unit_not_active" | "date_out_of_range" => {
                    "effective"
                }
                "unknown_unit" => "predecessors",
                "text_too_long" | "empty_text" | "invalid_text" => "decision",
                _ => "kind",
            };
            let message = super::names::refusal(lang, &app.service.read(), None, &e);
            errors.push("lineage", field, message);
            lineage_view(&app, &viewer, unit_ref, v, errors)
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

// ---------------------------------------------------------------------------------------------
// Withdrawing a record

/// What rests on a record: the first later event that concerns its units or their clusters,
/// in a sentence, with its index (the history is opened at it).
struct Blocked {
    intro: String,
    index: u64,
    sentence: Vec<super::names::Named>,
}

#[derive(Template)]
#[template(path = "lineage_withdraw.html")]
struct WithdrawPage {
    l: Layout,
    ls: &'static crate::i18n::lineage::LineageStrings,
    unit: UnitRef,
    record: LineageDto,
    reason: String,
    errors: super::form::Errors,
    blocked: Option<Blocked>,
}

/// For an administrator, the unit named in the path and its record at `index` in force, as
/// its page lists it; 404 otherwise (a record of another unit, or one withdrawn already).
fn record_in_force(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    index: &str,
) -> Result<(LineageDto, UnitRef), ApiError> {
    let (unit, unit_ref) = admin_unit(app, viewer, id)?;
    let state = app.service.read();
    let detail = api::dto::unit_detail(&state, &viewer.scope, &unit)?;
    let index: u64 = index.parse().map_err(|_| ApiError::not_found())?;
    let record = detail
        .lineage
        .into_iter()
        .find(|r| r.index == index && r.withdrawn.is_none())
        .ok_or_else(ApiError::not_found)?;
    Ok((record, unit_ref))
}

/// The event that rests on the record at `index`, described for `viewer`; `None` when nothing
/// does (or the event cannot be read: the refusal then says so in general terms).
async fn blocked(app: &AppState, viewer: &Viewer, index: u64) -> Option<Blocked> {
    let state = app.service.read();
    let change = state.recorded_lineage(index)?.change.clone();
    let later = state.reliance_on(&change, index)?.index;
    let event = app
        .blocking(move |app| {
            let entries = app.service.store().entries(later, later + 1)?;
            let entry = entries.first().ok_or_else(ApiError::not_found)?;
            thidua_domain::Event::decode(entry.index, &entry.bytes).map_err(ApiError::internal)
        })
        .await
        .ok()?;
    let t = viewer.lang.strings();
    let intro = crate::i18n::fill(
        viewer.lang.lineage().blocked,
        &[
            ("index", later.to_string()),
            ("time", crate::format::time_ms(event.time_ms)),
        ],
    );
    let sentence = super::describe::describe(t, &viewer.scope, &state, &event).sentence;
    Some(Blocked {
        intro,
        index: later,
        sentence,
    })
}

/// The withdrawal form, with what rests on the record if anything does (then without its
/// button: the refusal is known before the reason is typed); `refused`: the answer to a form
/// that was not carried out (422).
async fn withdraw_view(
    app: &AppState,
    viewer: &Viewer,
    (unit, record): (UnitRef, LineageDto),
    reason: String,
    errors: super::form::Errors,
    refused: bool,
) -> Response {
    let blocked = blocked(app, viewer, record.index).await;
    let ls = viewer.lang.lineage();
    let page = WithdrawPage {
        l: Layout::new(viewer, ls.title.to_owned()),
        ls,
        unit,
        record,
        reason,
        errors,
        blocked,
    };
    with_status(render(&page), refused)
}

/// `GET /units/{id}/lineage/{index}/withdraw`: the record, what withdrawing does, a reason.
pub async fn withdraw_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, index)): Path<(String, String)>,
) -> Response {
    let found = record_in_force(&app, &viewer, &id, &index);
    match found {
        Ok((record, unit)) => {
            let errors = super::form::Errors::default();
            withdraw_view(&app, &viewer, (unit, record), String::new(), errors, false).await
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// `POST /units/{id}/lineage/{index}/withdraw`: `reason`. Withdraws the record (an event in
/// the history) and returns to the unit page, where it shows as withdrawn.
pub async fn withdraw(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, index)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<super::covenant::WithdrawForm>,
) -> Response {
    let found = record_in_force(&app, &viewer, &id, &index);
    let (record, unit) = match found {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let lang = viewer.lang;
    let mut errors = super::form::Errors::default();
    let reason = match Text::parse("reason", &f.reason, limits::REASON) {
        Ok(r) => r,
        Err(e) => {
            errors.push("reason", lang.refusal(&e));
            return withdraw_view(&app, &viewer, (unit, record), f.reason, errors, true).await;
        }
    };
    let command = Command::WithdrawLineage {
        index: record.index,
        reason,
    };
    match api::execute(&app, &viewer, vec![command]).await {
        Ok(_) => {
            let to = format!("/units/{}#lineage-{}", unit.id, record.index);
            Redirect::to(&to).into_response()
        }
        // Something now rests on the record: the page names it in place of the button.
        Err(e) if e.code == "lineage_relied_upon" => {
            withdraw_view(&app, &viewer, (unit, record), f.reason, errors, true).await
        }
        Err(e) if is_form_error(&e) => {
            errors.push("reason", lang.api_error(&e));
            withdraw_view(&app, &viewer, (unit, record), f.reason, errors, true).await
        }
        Err(e) => viewer_error(&viewer, e),
    }
}
