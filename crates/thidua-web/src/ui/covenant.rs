//! The covenant page (targets, versions, signature status with each signature's and the
//! freezing's witnessing, the editing form for its secretariat) and signing: the confirmation page showing the hash, then the signature, which
//! the domain checks (the leader of a member unit, the current version, the right hash).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::model::Role;
use thidua_domain::{ClusterId, CovenantId, UnitId};

use super::pages::DraftValues;
use super::proof::{LogStatus, Proof};
use super::{render, viewer_error, Layout};
use crate::api as api_mod;
use crate::api::dto::*;
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::Strings;
use crate::AppState;

/// One target as shown in the table.
pub struct TargetRow {
    pub area: String,
    pub subject: String,
    pub kind: &'static str,
    pub requirement: String,
    pub baseline: String,
}

fn target_row(t: &Strings, x: &TargetDto) -> TargetRow {
    let uom = x.unit_of_measure.clone().unwrap_or_default();
    let value = x
        .threshold
        .as_deref()
        .map(crate::format::decimal_str)
        .unwrap_or_default();
    let join = |word: &str| {
        format!("{word} {value}{}{uom}", if uom == "%" { "" } else { " " })
            .trim()
            .to_owned()
    };
    let requirement = match x.comparison.as_str() {
        "at_least" => join(t.cmp_at_least),
        "above" => join(t.cmp_above),
        "at_most" => join(t.cmp_at_most),
        "below" => join(t.cmp_below),
        "equal" => join(t.cmp_equal),
        "between" => match &x.range {
            Some(r) if r.len() == 2 => format!(
                "{} {}–{}{}",
                t.cmp_between,
                crate::format::decimal_str(&r[0]),
                crate::format::decimal_str(&r[1]),
                if uom == "%" {
                    uom.clone()
                } else {
                    format!(" {uom}")
                }
            )
            .trim()
            .to_owned(),
            _ => t.cmp_between.to_owned(),
        },
        "holds" => t.cmp_holds.to_owned(),
        _ => t.cmp_judged.to_owned(),
    };
    let kind = match x.kind.as_str() {
        "change" => t.tk_change,
        "rate" => t.tk_rate,
        "count" => t.tk_count,
        "yes_no" => t.tk_yes_no,
        _ => t.tk_qualitative,
    };
    TargetRow {
        area: x.area.clone(),
        subject: x.subject.clone(),
        kind,
        requirement,
        baseline: x.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
    }
}

/// A unit the viewer leads that may sign the shown version now.
pub struct SignOption {
    pub unit: UnitRef,
}

#[derive(Template)]
#[template(path = "covenant.html")]
struct CovenantPage {
    l: Layout,
    c: CovenantDetail,
    cluster_name: String,
    movement_name: String,
    latest: VersionDto,
    targets: Vec<TargetRow>,
    can_sign: Vec<SignOption>,
    signed_now: bool,
    /// `Some("amend")` while the latest draft has no signature, `Some("propose")` once it is
    /// frozen, for the cluster's secretariat and administrators; `None` otherwise.
    edit: Option<&'static str>,
    draft: DraftValues,
    errors: super::admin::FieldErrors,
    log: LogStatus,
}

impl CovenantPage {
    /// The witnessing of the event at log index `index` (a signature, the freezing).
    fn proof(&self, index: &u64) -> Proof {
        self.log.proof(self.l.t, *index)
    }

    fn time(&self, ms: &i64) -> String {
        crate::format::time_ms(*ms)
    }

    fn signed_count(&self, v: &VersionDto) -> usize {
        v.signatures.iter().filter(|s| s.signed).count()
    }
}

#[derive(Deserialize)]
pub struct SignedParam {
    signed: Option<String>,
}

pub async fn covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<SignedParam>,
) -> Response {
    let log = LogStatus::load(&app).await;
    covenant_view(
        &app,
        &viewer,
        &id,
        q.signed.is_some(),
        None,
        super::admin::FieldErrors::default(),
        log,
    )
}

/// The covenant page; `draft` carries the editing form's values when it comes back with errors;
/// `log` is where the checkpoints stand ([`LogStatus::load`], read off the async threads).
pub fn covenant_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    signed_now: bool,
    draft: Option<DraftValues>,
    errors: super::admin::FieldErrors,
    log: LogStatus,
) -> Response {
    let t = viewer.lang.strings();
    let state = app.service.read();
    let detail = CovenantId::parse(id)
        .map_err(|_| ApiError::not_found())
        .and_then(|id| covenant_detail(&state, &viewer.scope, &id));
    let c = match detail {
        Ok(c) => c,
        Err(e) => return viewer_error(viewer, e),
    };
    let latest = c
        .versions
        .last()
        .cloned()
        .expect("a covenant has a version");
    let led = viewer.scope.led_units();
    let can_sign = if latest.frozen_at.is_none() {
        latest
            .signatures
            .iter()
            .filter(|s| !s.signed && led.iter().any(|u| u.as_str() == s.unit.id))
            .map(|s| SignOption {
                unit: s.unit.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let cluster_id = ClusterId::parse(&c.cluster).ok();
    let manages = viewer.scope.is_admin()
        || cluster_id
            .as_ref()
            .is_some_and(|cl| viewer.scope.managed_clusters().contains(cl));
    let edit = match (
        manages,
        latest.frozen_at.is_some(),
        latest.signatures.iter().any(|s| s.signed),
    ) {
        (false, _, _) => None,
        (true, true, _) => Some("propose"),
        (true, false, false) => Some("amend"),
        (true, false, true) => None,
    };
    let draft = draft.unwrap_or_else(|| {
        let content = CovenantId::parse(id).ok().and_then(|cid| {
            state
                .covenants
                .get(&cid)
                .map(|cv| cv.latest().content.clone())
        });
        match content {
            Some(content) => DraftValues {
                id: c.id.clone(),
                movement: c.movement.clone(),
                title: content.title.to_string(),
                place: content.place.to_string(),
                date: crate::format::date(&content.signing_date),
                targets: super::targets::format(&content.targets),
                regulation: content.regulation.text.clone(),
            },
            None => DraftValues::default(),
        }
    });
    let cluster_name = cluster_id
        .and_then(|id| state.clusters.get(&id).map(|x| x.cluster.name.to_string()))
        .unwrap_or_else(|| c.cluster.clone());
    let movement_name = state
        .movements
        .values()
        .find(|m| m.id.as_str() == c.movement)
        .map(|m| format!("{} {}", m.name, m.year))
        .unwrap_or_else(|| c.movement.clone());
    drop(state);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CovenantPage {
        l: Layout::new(viewer, latest.title.clone()),
        targets: latest.targets.iter().map(|x| target_row(t, x)).collect(),
        cluster_name,
        movement_name,
        latest,
        can_sign,
        signed_now,
        edit,
        draft,
        errors,
        log,
        c,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignPage {
    l: Layout,
    covenant: String,
    title: String,
    version: u32,
    hash: String,
    hash_groups: Vec<String>,
    unit: UnitRef,
}

#[derive(Deserialize)]
pub struct UnitParam {
    unit: Option<String>,
}

/// The confirmation page: shows the covenant version's hash before the leader signs.
pub async fn sign_confirm(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitParam>,
) -> Response {
    let state = app.service.read();
    let detail = CovenantId::parse(&id)
        .map_err(|_| ApiError::not_found())
        .and_then(|id| covenant_detail(&state, &viewer.scope, &id));
    let c = match detail {
        Ok(c) => c,
        Err(e) => return viewer_error(&viewer, e),
    };
    let Some(unit) = q.unit.and_then(|u| UnitId::parse(&u).ok()) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if !(viewer.scope.is_admin()
        || viewer
            .scope
            .roles
            .contains(&Role::Leader { unit: unit.clone() }))
    {
        return viewer_error(&viewer, ApiError::forbidden());
    }
    let latest = c.versions.last().expect("a version");
    let page = SignPage {
        l: Layout::new(&viewer, viewer.lang.strings().sign_confirm_title),
        covenant: c.id.clone(),
        title: latest.title.clone(),
        version: latest.version,
        hash_groups: latest
            .hash
            .as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect(),
        hash: latest.hash.clone(),
        unit: unit_ref(&state, &unit),
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct SignForm {
    unit: String,
    version: String,
    hash: String,
}

pub async fn sign(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SignForm>,
) -> Response {
    let parsed = (
        CovenantId::parse(&id),
        UnitId::parse(&form.unit),
        form.version.parse::<u32>(),
    );
    let (Ok(covenant), Ok(unit), Ok(version)) = parsed else {
        return viewer_error(&viewer, ApiError::bad_request("invalid_value", "bad form"));
    };
    match api_mod::sign(&app, &viewer, covenant.clone(), version, unit, form.hash).await {
        Ok(_) => Redirect::to(&format!("/covenants/{covenant}?signed=1")).into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}
