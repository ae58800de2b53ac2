//! The validation rules of a covenant's figures, as the secretariat sees and sets them: the
//! rules its signed regulation declares (`[[rule]]`, read only here: they change with the
//! regulation), and the rules the secretariat adds to the covenant, written as the same
//! `[[rule]]` tables in a text box, each problem beside its line as on the regulation page
//! (the TOML's shape, an element the form lacks, an id taken), and set through the very
//! command the API takes (`SetFiguresRules`, authorised again by the domain).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::figures::{rule_table, rules, validation_rule, Severity, ValidationRule};
use thidua_domain::{Command, CovenantId};
use thidua_scoring::syntax::{parse, print};
use thidua_scoring::Diagnostic;

use crate::api::figures::visible_covenant;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::figures::FigStrings;
use crate::i18n::Lang;
use crate::ui::extract::{Path, Query};
use crate::ui::form::{Errors, Submitted};
use crate::ui::regulation::{report_diagnostics, RegLine};
use crate::ui::{render, viewer_error, Layout};
use crate::AppState;

/// A rule as the page lists it.
pub struct RuleRow {
    pub id: String,
    pub name: String,
    pub check: String,
    /// In words: blocks the submission, or needs a comment.
    pub severity: &'static str,
}

#[derive(Template)]
#[template(path = "figures_rules.html")]
struct RulesPage {
    l: Layout,
    f: &'static FigStrings,
    covenant: String,
    title: String,
    /// Signed: the form exists, rules can be checked against it.
    signed: bool,
    /// The viewer is the cluster's secretariat (or an administrator).
    manage: bool,
    regulation: Vec<RuleRow>,
    added: Vec<RuleRow>,
    /// The text in the box: the covenant's rules as tables, or what was typed.
    text: String,
    errors: Errors,
    lines: Vec<RegLine>,
    saved: bool,
}

/// A rule's check as people read it: its figures by their names in the viewer's language
/// ("«Tin đã giải quyết» ≤ «Tin đã tiếp nhận»"), or as written when it does not compile
/// against `elements` (a form's ids and names).
pub(crate) fn check_words(lang: Lang, r: &ValidationRule, elements: &[(String, String)]) -> String {
    let ids: Vec<String> = elements.iter().map(|(id, _)| id.clone()).collect();
    let t = lang.strings();
    let connectives = rules::Connectives {
        and: t.check_and,
        or: t.check_or,
        not: t.check_not,
        number: crate::format::decimal,
    };
    match rules::compile(r, &ids) {
        Ok(c) => c.words(&|i| elements[i].1.clone(), &connectives),
        Err(_) => r.check.clone(),
    }
}

fn row(lang: Lang, r: &ValidationRule, elements: &[(String, String)]) -> RuleRow {
    let f = lang.figures();
    RuleRow {
        id: r.id.clone(),
        name: r.name.to_string(),
        check: check_words(lang, r, elements),
        severity: match r.severity {
            Severity::Error => f.rule_error_words,
            Severity::Warning => f.rule_warning_words,
        },
    }
}

#[derive(Deserialize)]
pub struct RulesParams {
    saved: Option<String>,
}

/// What a page shows besides the state: the text typed and what was wrong with it.
#[derive(Default)]
struct Typed {
    text: Option<String>,
    errors: Errors,
    lines: Vec<RegLine>,
    saved: bool,
}

fn view(app: &AppState, viewer: &Viewer, id: &str, typed: Typed) -> Response {
    let Ok(id) = CovenantId::parse(id) else {
        return viewer_error(viewer, ApiError::not_found());
    };
    let state = app.service.read();
    let c = match visible_covenant(&state, &viewer.scope, &id) {
        Ok(c) => c,
        Err(e) => return viewer_error(viewer, e),
    };
    let f = viewer.lang.figures();
    let form = state.reporting_form(&id).ok();
    let elements: Vec<(String, String)> = form
        .iter()
        .flat_map(|form| &form.elements)
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let lang = viewer.lang;
    let added: Vec<ValidationRule> = state
        .figures
        .rules
        .get(&id)
        .map(|list| list.as_ref().clone())
        .unwrap_or_default();
    let refused = !typed.errors.is_empty();
    let manage = viewer.scope.is_admin() || viewer.scope.managed_clusters().contains(&c.cluster);
    let mut res = render(&RulesPage {
        l: Layout::new(
            viewer,
            format!("{}: {}", f.rules_title, c.latest().content.title),
        ),
        f,
        covenant: id.to_string(),
        title: c.latest().content.title.to_string(),
        signed: form.is_some(),
        manage,
        regulation: form
            .as_ref()
            .map(|form| form.rules.iter().map(|r| row(lang, r, &elements)).collect())
            .unwrap_or_default(),
        text: typed.text.unwrap_or_else(|| {
            let tables: Vec<_> = added.iter().map(rule_table).collect();
            print::print_rules(&tables)
        }),
        added: added.iter().map(|r| row(lang, r, &elements)).collect(),
        errors: typed.errors,
        lines: typed.lines,
        saved: typed.saved,
    });
    if refused {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// `GET /covenants/{id}/figures/rules`.
pub async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<RulesParams>,
) -> Response {
    let typed = Typed {
        saved: q.saved.is_some(),
        ..Typed::default()
    };
    view(&app, &viewer, &id, typed)
}

/// The line of a byte offset in `text` (1-based).
fn line_of(text: &str, offset: usize) -> u32 {
    text[..offset.min(text.len())].matches('\n').count() as u32 + 1
}

/// A problem of one rule, at its line.
fn at(text: &str, offset: usize, vi: String, en: String) -> Diagnostic {
    Diagnostic {
        line: line_of(text, offset),
        column: 1,
        code: "invalid_rule",
        message_vi: vi,
        message_en: en,
    }
}

/// Reads the typed rules against the covenant's form and its regulation's rule ids: the rules
/// the domain will take, or every problem at its line.
fn read_rules(
    text: &str,
    form: &thidua_domain::figures::Form,
) -> Result<Vec<ValidationRule>, Vec<Diagnostic>> {
    let tables = parse::parse_rules(text).map_err(|d| d.0)?;
    let ids = form.ids();
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for t in &tables {
        if form.rules.iter().any(|r| r.id == t.id) {
            problems.push(at(
                text,
                t.pos,
                format!(
                    "mã `{}` là của một quy tắc trong quy định chấm điểm; hãy đặt mã khác",
                    t.id
                ),
                format!(
                    "`{}` is the id of a rule of the regulation; choose another",
                    t.id
                ),
            ));
            continue;
        }
        let rule = match validation_rule(t) {
            Ok(rule) => rule,
            Err(e) => {
                problems.push(at(text, t.pos, Lang::Vi.refusal(&e), Lang::En.refusal(&e)));
                continue;
            }
        };
        match rules::compile(&rule, &ids) {
            Ok(_) => out.push(rule),
            Err(e) => {
                let reason = match &e {
                    thidua_domain::DomainError::InvalidRule { reason, .. } => reason.clone(),
                    other => other.to_string(),
                };
                problems.push(at(
                    text,
                    t.check_pos,
                    format!(
                        "quy tắc `{}`: biểu thức kiểm tra không hợp lệ: {reason}",
                        t.id
                    ),
                    format!("rule `{}`: its check is invalid: {reason}", t.id),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// `POST /covenants/{id}/figures/rules`: `rules`, the covenant's own rules as `[[rule]]`
/// tables (empty: none). Set by `SetFiguresRules`, as the API does.
pub async fn save(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: Submitted,
) -> Response {
    let Ok(cov) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let text = parse::normalise(&f.get("rules"));
    let read = {
        let state = app.service.read();
        if let Err(e) = visible_covenant(&state, &viewer.scope, &cov) {
            return viewer_error(&viewer, e);
        }
        // Who may not set them is told so before anything about the text.
        let cluster = state.covenants[&cov].cluster.clone();
        let actor = thidua_domain::Actor::User(viewer.user.clone());
        let manage = thidua_domain::authz::Permission::ManageCluster(cluster);
        if let Err(e) = thidua_domain::authz::authorise(&state, &actor, &manage) {
            return viewer_error(&viewer, e.into());
        }
        match state.reporting_form(&cov) {
            Ok(form) => read_rules(&text, &form),
            Err(e) => return viewer_error(&viewer, e.into()),
        }
    };
    match read {
        Ok(list) => set_rules(&app, &viewer, &cov, text, list).await,
        Err(problems) => {
            let mut errors = Errors::default();
            let lines = report_diagnostics(&text, &problems, "rules", viewer.lang, &mut errors);
            let typed = Typed {
                lines,
                text: Some(text),
                errors,
                saved: false,
            };
            view(&app, &viewer, &id, typed)
        }
    }
}

/// Sets the covenant's rules through `SetFiguresRules`, as the API does: back to the page
/// saying so, or the domain's refusal beside the text kept as typed.
async fn set_rules(
    app: &AppState,
    viewer: &Viewer,
    cov: &CovenantId,
    text: String,
    rules: Vec<ValidationRule>,
) -> Response {
    let command = Command::SetFiguresRules {
        covenant: cov.clone(),
        rules,
    };
    match crate::api::execute(app, viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/covenants/{cov}/figures/rules?saved=1")).into_response(),
        Err(e) if !e.shown_in_form() => viewer_error(viewer, e),
        Err(e) => {
            let mut errors = Errors::default();
            let refusal =
                crate::ui::names::refusal(viewer.lang, &app.service.read(), Some(cov), &e);
            errors.push("rules", refusal);
            let typed = Typed {
                text: Some(text),
                errors,
                ..Typed::default()
            };
            view(app, viewer, cov.as_str(), typed)
        }
    }
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/covenants/{id}/figures/rules", get(page).post(save))
}
