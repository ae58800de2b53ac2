//! The covenant page (any version: targets as sentences, the signing date the covenant records
//! and each signature's recording time as two labelled things, signers by name, each event's
//! witnessing, what the shown version changed from the one it follows (`ui::diff`), the
//! versions with their differences), withdrawing an unsigned draft (a
//! confirmation with a reason), and signing: a confirmation page that shows the hash, asks for
//! the password again (step-up) and, when the draft changed meanwhile, leads to the new version.

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::model::Role;
use thidua_domain::state::{Covenant, CovenantVersion};
use thidua_domain::{CovenantId, Text, UnitId};

use super::form::{step_up, Errors};
use super::names::{self, Named};
use super::proof::{LogStatus, Proof};
use super::{render, viewer_error, Layout};
use crate::api as api_mod;
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::AppState;

/// One target as the page shows it.
pub struct TargetView {
    pub area: String,
    pub subject: String,
    pub sentence: String,
    /// The name of the regulation's indicator or element measuring it.
    pub indicator: String,
}

/// One member's signature row.
pub struct SigRow {
    pub unit_id: String,
    pub unit: Named,
    pub signer: Option<Named>,
    pub recorded: String,
    pub proof: Option<Proof>,
}

/// One version in the versions table.
pub struct VersionRow {
    pub version: u32,
    pub hash: String,
    pub status: String,
    pub signed: String,
    pub shown: bool,
}

/// A unit the viewer leads that may sign the shown version now.
pub struct SignOption {
    pub unit: Named,
    pub id: String,
}

#[derive(Template)]
#[template(path = "covenant.html")]
struct CovenantPage {
    l: Layout,
    id: String,
    title: String,
    cluster: Named,
    year: i32,
    movement: String,
    version: u32,
    latest: u32,
    status: String,
    place: String,
    signing_date: String,
    hash: String,
    regulation_sha256: String,
    frozen: Option<(u64, Proof)>,
    withdrawn: Option<(String, String)>,
    sigs: Vec<SigRow>,
    /// Signers that ceased during the year and the units carrying the covenant on for each
    /// (`Name (dd/mm/yyyy) → Name, …`), for a version in force, with the first window it
    /// published figures for (its report page), if any.
    carried: Vec<(String, Option<String>)>,
    targets: Vec<TargetView>,
    /// Each target the regulation scores otherwise than its words, in a sentence.
    disagreements: Vec<String>,
    versions: Vec<VersionRow>,
    can_sign: Vec<SignOption>,
    /// `amend` or `propose` for the secretariat; `None` otherwise.
    edit: Option<&'static str>,
    can_withdraw: bool,
    previous: Option<u32>,
    /// What the shown version changed from the one it follows, then what its latest
    /// amendment changed in the draft.
    change_sections: Vec<super::diff::ChangesSection>,
    notice: Option<&'static str>,
}

impl CovenantPage {
    fn area_changes(&self, i: &usize) -> bool {
        *i == 0 || self.targets[*i - 1].area != self.targets[*i].area
    }
}

#[derive(Deserialize)]
pub struct CovenantParams {
    version: Option<u32>,
    signed: Option<String>,
    saved: Option<String>,
    withdrawn: Option<String>,
}

/// The covenant named in the path, if the viewer may see it.
fn visible(app: &AppState, viewer: &Viewer, id: &str) -> Result<Covenant, ApiError> {
    let state = app.service.read();
    let c = CovenantId::parse(id)
        .ok()
        .and_then(|id| state.covenants.get(&id).cloned())
        .ok_or_else(ApiError::not_found)?;
    if !viewer.scope.can_view_covenant(&state, &c) {
        return Err(ApiError::not_found());
    }
    Ok(c)
}

/// A version's state in words.
pub fn status(t: &crate::i18n::Strings, c: &Covenant, v: &CovenantVersion) -> String {
    if v.frozen_at.is_some() {
        t.frozen.to_owned()
    } else if v.withdrawn.is_some() {
        t.withdrawn_status.to_owned()
    } else if v.version != c.latest().version {
        t.superseded_status.to_owned()
    } else {
        t.draft.to_owned()
    }
}

pub async fn covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<CovenantParams>,
) -> Response {
    let t = viewer.lang.strings();
    let c = match visible(&app, &viewer, &id) {
        Ok(c) => c,
        Err(e) => return viewer_error(&viewer, e),
    };
    let log = LogStatus::load(&app).await;
    let state = app.service.read();
    let Some(v) = q.version.map_or(Some(c.latest()), |n| c.version(n)) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let sigs = signature_rows(t, &viewer, &state, &log, v);
    let is_latest = v.version == c.latest().version;
    let can_sign = if is_latest && v.is_open() {
        let led = viewer.scope.led_units();
        sigs.iter()
            .filter(|s| s.signer.is_none() && led.iter().any(|u| u.as_str() == s.unit_id))
            .map(|s| SignOption {
                unit: s.unit.clone(),
                id: s.unit_id.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let edit = super::regulation::edit_mode(&viewer, &state, &c).filter(|_| is_latest);
    let page = CovenantPage {
        l: Layout::new(&viewer, v.content.title.to_string()),
        id: c.id.to_string(),
        title: v.content.title.to_string(),
        cluster: names::cluster(&state, &c.cluster),
        year: c.year,
        movement: state
            .movements
            .get(&c.movement)
            .map(|m| format!("{} {}", m.name, m.year))
            .unwrap_or_else(|| c.movement.to_string()),
        version: v.version,
        latest: c.latest().version,
        status: status(t, &c, v),
        place: v.content.place.to_string(),
        signing_date: crate::format::date(&v.content.signing_date),
        hash: v.hash.clone(),
        regulation_sha256: v.content.regulation.sha256.clone(),
        frozen: v.frozen_at.map(|i| (i, log.proof(t, i))),
        withdrawn: v
            .withdrawn
            .as_ref()
            .map(|w| (w.reason.to_string(), crate::format::time_ms(w.time_ms))),
        sigs,
        carried: carried_on(&state, &c, v),
        targets: target_views(t, v),
        disagreements: disagreements(t, v),
        versions: version_rows(t, &c, v),
        can_sign,
        can_withdraw: is_latest && edit == Some("amend") && v.is_open() && v.signatures.is_empty(),
        edit,
        previous: c.previous(v.version).map(|x| x.version),
        change_sections: super::diff::section(&state, viewer.lang, &c, v)
            .into_iter()
            .chain(super::diff::amendment_section(&state, viewer.lang, v))
            .collect(),
        notice: notice(t, &q),
    };
    drop(state);
    render(&page)
}

/// For a version in force: each signer that ceased during the year, the day it did, and the
/// units that carry the covenant on in its place (`thidua_domain::succession`).
fn carried_on(
    state: &thidua_domain::State,
    c: &thidua_domain::state::Covenant,
    v: &CovenantVersion,
) -> Vec<(String, Option<String>)> {
    if v.frozen_at.is_none() {
        return Vec::new();
    }
    let first_published = |u: &thidua_domain::UnitId| {
        let calendar = state.calendar(&c.id).ok()?;
        let published = state.figures.published_year(u, c.year);
        calendar
            .reported()
            .iter()
            .map(|r| r.window.key.as_str())
            .find(|k| published.iter().any(|(p, _)| p == k))
            .map(|k| format!("/covenants/{}/figures/{u}/{k}", c.id))
    };
    state
        .ceased_signers(c, v)
        .iter()
        .map(|m| {
            let (unit, successors) =
                thidua_domain::succession::named_ceased(state, std::slice::from_ref(m));
            let line = format!("{} → {}", unit.concat(), successors.join(", "));
            (line, first_published(&m.unit))
        })
        .collect()
}

/// One row per member of the version, by name: who signed for it, when, and the proof.
fn signature_rows(
    t: &crate::i18n::Strings,
    viewer: &Viewer,
    state: &thidua_domain::State,
    log: &LogStatus,
    v: &CovenantVersion,
) -> Vec<SigRow> {
    let mut sigs: Vec<SigRow> = v
        .members
        .iter()
        .map(|m| {
            let s = v.signatures.get(m);
            SigRow {
                unit_id: m.to_string(),
                unit: names::unit(state, m),
                signer: s.map(|s| names::actor(t, &viewer.scope, state, &s.signer)),
                recorded: s
                    .map(|s| crate::format::time_ms(s.time_ms))
                    .unwrap_or_default(),
                proof: s.map(|s| log.proof(t, s.index)),
            }
        })
        .collect();
    thidua_domain::text::sort_units_by_name(&mut sigs, |s| &s.unit.text);
    sigs
}

/// The version's targets in words, each naming the regulation's indicator that measures it.
fn target_views(t: &crate::i18n::Strings, v: &CovenantVersion) -> Vec<TargetView> {
    let measures: std::collections::BTreeMap<String, String> =
        thidua_domain::covenant::regulation_indicators(&v.content.regulation.text)
            .unwrap_or_default()
            .into_iter()
            .collect();
    v.content
        .targets
        .iter()
        .map(|x| TargetView {
            area: x.area.to_string(),
            subject: x.subject.to_string(),
            sentence: super::targets::sentence(t, x),
            indicator: x
                .indicator
                .as_ref()
                .map(|id| measures.get(id).unwrap_or(id).clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// Each target of the version that its regulation scores otherwise than its words say
/// (`thidua_domain::covenant::agreement`), in a sentence naming both and a value where they
/// part.
pub fn disagreements(t: &crate::i18n::Strings, v: &CovenantVersion) -> Vec<String> {
    thidua_domain::covenant::agreement::of_content(&v.content)
        .into_iter()
        .map(|d| {
            let target = &v.content.targets[d.target];
            // A change is read as a reduction in per cent, whatever its unit says ("% giảm").
            let measure = match target.kind {
                thidua_domain::model::TargetKind::Change => Some("%"),
                _ => target.unit_of_measure.as_ref().map(|u| u.as_str()),
            };
            let exact = crate::format::decimal_str(&d.at.to_string());
            let at = crate::format::with_measure(exact, measure);
            let form = if d.target_met {
                t.disagrees_met
            } else {
                t.disagrees_unmet
            };
            crate::i18n::fill(
                form,
                &[
                    ("n", (d.target + 1).to_string()),
                    ("target", super::targets::sentence(t, target)),
                    ("criterion", d.criterion),
                    ("name", d.criterion_name),
                    ("at", at),
                ],
            )
        })
        .collect()
}

/// Every version of the covenant, newest first, the one shown marked.
fn version_rows(
    t: &crate::i18n::Strings,
    c: &Covenant,
    shown: &CovenantVersion,
) -> Vec<VersionRow> {
    c.versions
        .iter()
        .rev()
        .map(|x| VersionRow {
            version: x.version,
            hash: x.hash.clone(),
            status: status(t, c, x),
            signed: format!("{}/{}", x.signatures.len(), x.members.len()),
            shown: x.version == shown.version,
        })
        .collect()
}

/// What the page says about the action just done (the query after a redirect).
fn notice(t: &crate::i18n::Strings, q: &CovenantParams) -> Option<&'static str> {
    if q.signed.is_some() {
        Some(t.signed_ok)
    } else if q.withdrawn.is_some() {
        Some(t.withdrawn_ok)
    } else if q.saved.is_some() {
        Some(t.saved)
    } else {
        None
    }
}

#[derive(Template)]
#[template(path = "withdraw.html")]
struct WithdrawPage {
    l: Layout,
    id: String,
    title: String,
    version: u32,
    reason: String,
    errors: Errors,
}

fn withdraw_view(viewer: &Viewer, c: &Covenant, reason: String, errors: Errors) -> Response {
    let t = viewer.lang.strings();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&WithdrawPage {
        l: Layout::new(viewer, t.withdraw_title),
        id: c.id.to_string(),
        title: c.latest().content.title.to_string(),
        version: c.latest().version,
        reason,
        errors,
    });
    *res.status_mut() = status;
    res
}

/// `GET /covenants/{id}/withdraw`: asks for a reason before withdrawing the unsigned draft.
pub async fn withdraw_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let amendable = |c: &Covenant| {
        super::regulation::edit_mode(&viewer, &app.service.read(), c) == Some("amend")
    };
    match visible(&app, &viewer, &id) {
        Ok(c) if amendable(&c) => withdraw_view(&viewer, &c, String::new(), Errors::default()),
        // Withdrawing is the secretariat's: anyone else is refused for that, whatever the draft.
        Ok(c) if !super::regulation::manages(&viewer, &c) => {
            viewer_error(&viewer, ApiError::forbidden())
        }
        // Signed already: back to the covenant, where a new version is proposed instead.
        Ok(c) => super::viewer_error_back(
            &viewer,
            ApiError::new(StatusCode::CONFLICT, "covenant_has_signatures", "cannot"),
            format!("/covenants/{}", c.id),
        ),
        Err(e) => viewer_error(&viewer, e),
    }
}

/// A withdrawal's form (a draft's, a lineage record's): its reason.
#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub(super) reason: String,
}

/// `POST /covenants/{id}/withdraw`: records the withdrawal (an event in the history).
pub async fn withdraw(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<WithdrawForm>,
) -> Response {
    let lang = viewer.lang;
    let c = match visible(&app, &viewer, &id) {
        Ok(c) => c,
        Err(e) => return viewer_error(&viewer, e),
    };
    if let Some(refused) = super::not_managing(&viewer, &c.cluster) {
        return refused;
    }
    let mut errors = Errors::default();
    let reason = match Text::parse("reason", &f.reason, thidua_domain::text::limits::REASON) {
        Ok(r) => r,
        Err(e) => {
            errors.push("reason", lang.refusal(&e));
            return withdraw_view(&viewer, &c, f.reason, errors);
        }
    };
    let command = thidua_domain::Command::WithdrawCovenantDraft {
        covenant: c.id.clone(),
        reason,
    };
    match api_mod::execute(&app, &viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/covenants/{id}?withdrawn=1")).into_response(),
        // Signed (or frozen) since the form was opened: not the reason's fault; back to the
        // covenant, where a new version is proposed instead, as the form's page does.
        Err(e) if e.status == StatusCode::CONFLICT => {
            super::viewer_error_back(&viewer, e, format!("/covenants/{}", c.id))
        }
        Err(e) if e.shown_in_form() => {
            errors.push("reason", lang.api_error(&e));
            withdraw_view(&viewer, &c, f.reason, errors)
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignPage {
    l: Layout,
    covenant: String,
    title: String,
    version: u32,
    signing_date: String,
    place: String,
    hash: String,
    hash_groups: Vec<String>,
    unit: Named,
    unit_id: String,
    previous: Option<u32>,
    /// The targets its regulation scores otherwise than their words ([`disagreements`]).
    disagreements: Vec<String>,
    errors: Errors,
}

#[derive(Deserialize)]
pub struct UnitParam {
    unit: Option<String>,
}

/// The signing confirmation of the latest version for `unit`, if the viewer leads it.
fn sign_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    unit: Option<&str>,
    errors: Errors,
) -> Response {
    let c = match visible(app, viewer, id) {
        Ok(c) => c,
        Err(e) => return viewer_error(viewer, e),
    };
    let Some(unit) = unit.and_then(|u| UnitId::parse(u).ok()) else {
        return viewer_error(viewer, ApiError::not_found());
    };
    let leads = viewer
        .scope
        .roles
        .contains(&Role::Leader { unit: unit.clone() });
    if !(viewer.scope.is_admin() || leads) {
        return viewer_error(viewer, ApiError::forbidden());
    }
    let state = app.service.read();
    let v = c.latest();
    // A signature the domain would refuse (a unit that is not a member on the signing date, a
    // version already signed, withdrawn or frozen) is said before the password is asked for.
    let would_sign = crate::api::dry_run(
        &state,
        &thidua_domain::Actor::User(viewer.user.clone()),
        viewer.now_ms,
        thidua_domain::Command::SignCovenant {
            covenant: c.id.clone(),
            version: v.version,
            unit: unit.clone(),
            hash: v.hash.clone(),
        },
    );
    if let Err(e) = would_sign {
        return viewer_error(viewer, ApiError::from(e));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&SignPage {
        l: Layout::new(viewer, viewer.lang.strings().sign_confirm_title),
        covenant: c.id.to_string(),
        title: v.content.title.to_string(),
        version: v.version,
        signing_date: crate::format::date(&v.content.signing_date),
        place: v.content.place.to_string(),
        hash_groups: v
            .hash
            .as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect(),
        hash: v.hash.clone(),
        unit: names::unit(&state, &unit),
        unit_id: unit.to_string(),
        previous: c.previous(v.version).map(|x| x.version),
        disagreements: disagreements(viewer.lang.strings(), v),
        errors,
    });
    *res.status_mut() = status;
    res
}

/// `GET /covenants/{id}/sign?unit=`: the confirmation page.
pub async fn sign_confirm(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitParam>,
) -> Response {
    sign_view(&app, &viewer, &id, q.unit.as_deref(), Errors::default())
}

#[derive(Deserialize)]
pub struct SignForm {
    unit: String,
    version: String,
    hash: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "sign_refused.html")]
struct RefusedPage {
    l: Layout,
    message: String,
    covenant: String,
    unit: String,
    signed_version: u32,
    latest: u32,
    /// The latest version may be signed (it is open).
    open: bool,
    /// Signing the same version again may succeed: the refusal was not of the viewer's role or
    /// unit (a 403, or the domain's 422 about the unit), only of what the page showed.
    retry: bool,
}

/// `POST /covenants/{id}/sign`: checks the password again, then signs; a changed or withdrawn
/// draft leads to the current version instead of a dead end.
pub async fn sign(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SignForm>,
) -> Response {
    let lang = viewer.lang;
    let parsed = (
        CovenantId::parse(&id),
        UnitId::parse(&form.unit),
        form.version.parse::<u32>(),
    );
    let (Ok(covenant), Ok(unit), Ok(version)) = parsed else {
        return viewer_error(&viewer, ApiError::bad_request("invalid_value", "bad form"));
    };
    let mut errors = Errors::default();
    let Some(rechecked) = step_up(&app, &viewer, form.password, "sign-password", &mut errors).await
    else {
        return sign_view(&app, &viewer, &id, Some(unit.as_str()), errors);
    };
    let result = api_mod::sign(
        &app,
        &rechecked,
        covenant.clone(),
        version,
        unit.clone(),
        form.hash,
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/covenants/{covenant}?signed=1")).into_response(),
        Err(e) if e.status == StatusCode::UNAUTHORIZED || e.status == StatusCode::NOT_FOUND => {
            viewer_error(&viewer, e)
        }
        Err(e) => {
            let state = app.service.read();
            let Some(c) = state.covenants.get(&covenant) else {
                return viewer_error(&viewer, e);
            };
            // Tell the refusal with names where the domain gives them.
            let actor = thidua_domain::Actor::User(viewer.user.clone());
            let message = crate::api::dry_run(
                &state,
                &actor,
                viewer.now_ms,
                thidua_domain::Command::SignCovenant {
                    covenant: covenant.clone(),
                    version,
                    unit: unit.clone(),
                    hash: String::new(),
                },
            )
            .err()
            .filter(|d| d.code() != "hash_mismatch" || e.code == "hash_mismatch")
            .map(|d| names::domain_error(lang, &state, &d))
            .unwrap_or_else(|| lang.api_error(&e));
            let message = if c.latest().version != version || e.code == "hash_mismatch" {
                lang.strings().sign_changed.to_owned()
            } else {
                message
            };
            let mut res = render(&RefusedPage {
                l: Layout::new(&viewer, lang.strings().sign_refused_title),
                message,
                covenant: covenant.to_string(),
                unit: unit.to_string(),
                signed_version: version,
                latest: c.latest().version,
                open: c.latest().is_open(),
                retry: e.code == "hash_mismatch"
                    || !matches!(
                        e.status,
                        StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
                    ),
            });
            *res.status_mut() = e.status;
            res
        }
    }
}
