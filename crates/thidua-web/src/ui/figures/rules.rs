//! The validation rules of a covenant's figures, as the secretariat sees and sets them: the
//! rules its signed regulation declares (`[[rule]]`, read only here: they change with the
//! regulation), and the rules the secretariat adds to the covenant, one box each (id, name,
//! check over the form's element codes, which are listed beside, severity), each problem
//! beside its field (an id the language cannot name or already taken, a check that does not
//! read, a box half filled), and set through the very command the API takes
//! (`SetFiguresRules`, authorised again by the domain).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::figures::{
    rule_table, rules, validation_rule, Severity, ValidationRule, MAX_RULES,
};
use thidua_domain::{Command, CovenantId};
use thidua_scoring::ast::RuleSeverity;

use crate::api::figures::visible_covenant;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::figures::FigStrings;
use crate::i18n::Lang;
use crate::ui::extract::{Path, Query};
use crate::ui::form::{Errors, Submitted};
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
    /// The form's rows: the covenant's rules and empty ones, or what was typed.
    rows: Vec<RuleInput>,
    /// The form's element codes and names, to write checks with.
    elements: Vec<(String, String)>,
    errors: Errors,
    saved: bool,
}

impl RulesPage {
    /// The most characters a rule's name holds (the domain's limit).
    fn name_max(&self) -> usize {
        thidua_domain::text::limits::SUBJECT
    }
    /// `aria-describedby` of a row's field: its hint when it has one, its message when refused.
    fn aria(&self, field: &str, i: &usize, hint: bool) -> String {
        let id = format!("{field}_{i}");
        let mut described: Vec<String> = Vec::new();
        if hint {
            described.push(format!("{field}-help"));
        }
        if self.errors.get(&id).is_some() {
            described.push(format!("{id}-error"));
        }
        let mut out = String::new();
        if !described.is_empty() {
            out = format!("aria-describedby=\"{}\"", described.join(" "));
        }
        if self.errors.get(&id).is_some() {
            out.push_str(" aria-invalid=\"true\"");
        }
        out
    }

    fn error(&self, field: &str, i: &usize) -> Option<&str> {
        self.errors.get(&format!("{field}_{i}"))
    }

    fn legend(&self, i: &usize) -> String {
        crate::i18n::fill(self.f.rules_row, &[("n", i + 1)])
    }
}

/// One rule as a row of the form holds it: the covenant's, or as typed.
#[derive(Clone, Default)]
pub struct RuleInput {
    pub id: String,
    pub name: String,
    pub check: String,
    /// "error" (blocks the submission) or "warning" (needs a comment).
    pub severity: String,
}

impl RuleInput {
    fn of(r: &ValidationRule) -> RuleInput {
        RuleInput {
            id: r.id.clone(),
            name: r.name.to_string(),
            check: r.check.clone(),
            severity: rule_table(r).severity.name().to_owned(),
        }
    }

    fn is_blank(&self) -> bool {
        self.id.is_empty() && self.name.is_empty() && self.check.is_empty()
    }
}

/// Empty rows offered under the covenant's rules, for new ones.
const BLANK_ROWS: usize = 3;

/// The rows of a submitted form (`id_0`, `name_0`, `check_0`, `severity_0`, then `_1`, …, up
/// to the first index missing), trimmed and NFC. How many rules a covenant may add is the
/// domain's to say (`SetFiguresRules`), beside the form like its other refusals.
fn typed_rows(f: &Submitted) -> Vec<RuleInput> {
    (0..)
        .map_while(|i| {
            let get = |k: &str| {
                f.fields
                    .get(&format!("{k}_{i}"))
                    .map(|v| thidua_domain::text::nfc(v.trim()))
            };
            Some(RuleInput {
                id: get("id")?,
                name: get("name").unwrap_or_default(),
                check: get("check").unwrap_or_default(),
                severity: get("severity").unwrap_or_default(),
            })
        })
        .collect()
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

/// What a page shows besides the state: the rows typed and what was wrong with them.
#[derive(Default)]
struct Typed {
    rows: Option<Vec<RuleInput>>,
    errors: Errors,
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
    let manage = viewer.scope.manages(&c.cluster);
    let rows = typed.rows.unwrap_or_else(|| {
        let blanks = std::iter::repeat_with(RuleInput::default).take(BLANK_ROWS);
        added.iter().map(RuleInput::of).chain(blanks).collect()
    });
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
        added: added.iter().map(|r| row(lang, r, &elements)).collect(),
        rows,
        elements,
        errors: typed.errors,
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

/// A check's problem as the domain words it (`figures::rules::compile`), in the viewer's
/// language: the known reasons translated, any other as it is.
fn check_reason(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_owned();
    }
    const KNOWN: &[(&str, &str)] = &[
        (
            "the regulation has no data element ",
            "biểu mẫu không có mã số liệu ",
        ),
        ("unexpected character ", "ký tự không dùng được "),
        (
            "unexpected text after the expression",
            "thừa nội dung sau biểu thức",
        ),
        ("unexpected ", "không đúng chỗ: "),
        (
            "the check ends too early",
            "biểu thức chưa hết (thiếu một số hoặc mã số liệu ở cuối)",
        ),
        ("missing )", "thiếu dấu )"),
        ("bad number ", "số viết sai: "),
        (
            "the check must be a comparison (yes/no)",
            "phải là một phép so sánh (đúng/sai)",
        ),
        (
            "a yes/no value where a number is needed",
            "một giá trị đúng/sai ở chỗ cần một số",
        ),
        (
            "a number where yes/no is needed",
            "một số ở chỗ cần giá trị đúng/sai",
        ),
        (
            "the check is longer than 500 characters",
            "biểu thức dài quá 500 ký tự",
        ),
    ];
    KNOWN
        .iter()
        .find_map(|(en, vi)| reason.strip_prefix(en).map(|rest| format!("{vi}{rest}")))
        .unwrap_or_else(|| reason.to_owned())
}

/// Reads one non-blank row (`i`, 0-based) against the form's element ids and the ids already
/// taken (the regulation's, the rows above): the rule, or every problem of the row beside its
/// field (an empty field, the id, the severity, the name, the check — each filled one checked
/// even when another is missing).
fn read_row(
    lang: Lang,
    i: usize,
    r: &RuleInput,
    form: &thidua_domain::figures::Form,
    taken: &[String],
    errors: &mut Errors,
) -> Option<ValidationRule> {
    let f = lang.figures();
    let context = crate::i18n::fill(f.rules_row, &[("n", i + 1)]);
    let before = errors.iter().count();
    let mut push = |field: &str, message: String| {
        errors.push_in(format!("{field}_{i}"), context.clone(), message)
    };
    let empty = ["id", "name", "check"]
        .into_iter()
        .zip([&r.id, &r.name, &r.check])
        .find(|(_, v)| v.is_empty());
    if let Some((field, _)) = empty {
        push(field, f.rule_needs_all.to_owned());
    }
    let id_problem = if r.id.is_empty() {
        None
    } else if !rules::valid_rule_id(&r.id) {
        Some(f.rule_id_invalid)
    } else if form.rules.iter().any(|x| x.id == r.id) {
        Some(f.rule_id_regulation)
    } else if taken.contains(&r.id) {
        Some(f.rule_id_taken)
    } else {
        None
    };
    if let Some(problem) = id_problem {
        push("id", problem.to_owned());
    }
    let severity = match r.severity.as_str() {
        "error" => {
            push("severity", f.rule_added_only_warns.to_owned());
            RuleSeverity::Error
        }
        "warning" => RuleSeverity::Warning,
        _ => {
            push("severity", lang.error("invalid_value").to_owned());
            RuleSeverity::Error
        }
    };
    let table = |id: &str, name: &str| thidua_scoring::ast::Rule {
        id: id.to_owned(),
        pos: 0,
        name: name.to_owned(),
        check: r.check.clone(),
        check_pos: 0,
        severity,
    };
    let rule = match validation_rule(&table(&r.id, &r.name)) {
        Ok(rule) => Some(rule),
        Err(e) if !r.name.is_empty() => {
            push("name", lang.refusal(&e));
            None
        }
        Err(_) => None,
    };
    // The check is read under an id and a name known good, so that it is told whatever they are.
    let probe = validation_rule(&table("r", "r")).ok()?;
    if !r.check.is_empty() {
        if let Err(e) = rules::compile(&probe, &form.ids()) {
            let reason = match &e {
                thidua_domain::DomainError::InvalidRule { reason, .. } => {
                    check_reason(lang, reason)
                }
                other => lang.refusal(other),
            };
            push(
                "check",
                crate::i18n::fill(f.rule_check_invalid, &[("reason", reason)]),
            );
        }
    }
    rule.filter(|_| errors.iter().count() == before)
}

/// Reads the form's rows: the rules the domain will take, or every problem beside its field.
fn read_rows(
    lang: Lang,
    rows: &[RuleInput],
    form: &thidua_domain::figures::Form,
) -> Result<Vec<ValidationRule>, Errors> {
    let mut errors = Errors::default();
    if rows.iter().filter(|r| !r.is_blank()).count() > MAX_RULES {
        let f = lang.figures();
        errors.push(
            "rules-form",
            crate::i18n::fill(f.rules_too_many, &[("max", MAX_RULES)]),
        );
        return Err(errors);
    }
    let mut out = Vec::new();
    let mut taken = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        if let Some(rule) = read_row(lang, i, r, form, &taken, &mut errors) {
            out.push(rule);
        }
        taken.push(r.id.clone());
    }
    if errors.is_empty() {
        return Ok(out);
    }
    let fields: Vec<String> = (0..rows.len())
        .flat_map(|i| ["id", "name", "check", "severity"].map(|k| format!("{k}_{i}")))
        .collect();
    errors.in_page_order(&fields.iter().map(String::as_str).collect::<Vec<_>>());
    Err(errors)
}

/// `POST /covenants/{id}/figures/rules`: the rows `id_N`, `name_N`, `check_N`, `severity_N`
/// (blank rows skipped; none: no added rule). Set by `SetFiguresRules`, as the API does.
pub async fn save(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: Submitted,
) -> Response {
    let Ok(cov) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let rows = typed_rows(&f);
    let read = {
        let state = app.service.read();
        if let Err(e) = visible_covenant(&state, &viewer.scope, &cov) {
            return viewer_error(&viewer, e);
        }
        // Who may not set them is told so before anything about the rows.
        let cluster = state.covenants[&cov].cluster.clone();
        let actor = thidua_domain::Actor::User(viewer.user.clone());
        let manage = thidua_domain::authz::Permission::ManageCluster(cluster);
        if let Err(e) = thidua_domain::authz::authorise(&state, &actor, &manage) {
            return viewer_error(&viewer, e.into());
        }
        match state.reporting_form(&cov) {
            Ok(form) => read_rows(viewer.lang, &rows, &form),
            Err(e) => return viewer_error(&viewer, e.into()),
        }
    };
    match read {
        Ok(list) => set_rules(&app, &viewer, &cov, rows, list).await,
        Err(errors) => {
            let typed = Typed {
                rows: Some(rows),
                errors,
                saved: false,
            };
            view(&app, &viewer, &id, typed)
        }
    }
}

/// Sets the covenant's rules through `SetFiguresRules`, as the API does: back to the page
/// saying so, or the domain's refusal above the rows kept as typed.
async fn set_rules(
    app: &AppState,
    viewer: &Viewer,
    cov: &CovenantId,
    rows: Vec<RuleInput>,
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
            errors.push("rules-form", refusal);
            let typed = Typed {
                rows: Some(rows),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason the domain gives for a check that does not read has its Vietnamese words
    /// here (a reason worded anew in the domain would otherwise reach the page in English).
    #[test]
    fn every_reason_a_check_is_refused_for_is_said_in_vietnamese() {
        let long = format!("crimes > {}", "1 + ".repeat(130) + "1");
        let checks = [
            "crimes >=",
            "crimez > 1",
            "crimes > 1 )",
            "crimes",
            "(crimes > 1",
            "crimes > 1 and 2",
            "(crimes > 1) + 1 > 2",
            "crimes # 1",
            "1.2.3 > crimes",
            "crimes > > 1",
            long.as_str(),
        ];
        let elements = ["crimes".to_owned()];
        for check in checks {
            let rule = validation_rule(&thidua_scoring::ast::Rule {
                id: "r".to_owned(),
                pos: 0,
                name: "r".to_owned(),
                check: check.to_owned(),
                check_pos: 0,
                severity: RuleSeverity::Error,
            })
            .unwrap();
            let Err(thidua_domain::DomainError::InvalidRule { reason, .. }) =
                rules::compile(&rule, &elements)
            else {
                panic!("{check}: refused as an invalid rule");
            };
            let vi = check_reason(Lang::Vi, &reason);
            assert_ne!(vi, reason, "{check}: {reason}");
            assert_eq!(check_reason(Lang::En, &reason), reason);
        }
    }
}
