//! The scoring regulation's own page (`/covenants/{id}/regulation`): its text with line
//! numbers, every diagnostic beside its line (line and column), the compiled criteria tree as
//! a table a leader can read before signing (areas, criteria, points, the scale in words), and a
//! preview of the scores it gives on a figures file. The secretariat edits or uploads a new text
//! here; the covenant is then amended (unsigned draft) or a new version proposed. The listing
//! and compiling helpers are shared with the covenant form.

use std::collections::BTreeSet;

use crate::i18n::fill;
use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use thidua_domain::model::{CovenantContent, RegulationDoc};
use thidua_domain::{Command, CovenantId};
use thidua_scoring::ast::{Better, Body, Cmp, Expr, Func, Regulation, Scale};
use thidua_scoring::syntax::expr::print_expr;
use thidua_scoring::CompiledRegulation;

use super::form::{Errors, Submitted};
use super::{render, viewer_error, Layout};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::{Lang, Strings};
use crate::AppState;

/// One line of a regulation text with the diagnostics found on it.
pub struct RegLine {
    pub n: u32,
    pub text: String,
    pub diags: Vec<String>,
}

/// The text as numbered lines, each diagnostic beside its line ("cột 5: …").
pub fn listing(text: &str, diags: &[thidua_scoring::Diagnostic], lang: Lang) -> Vec<RegLine> {
    let t = lang.strings();
    let mut lines: Vec<RegLine> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| RegLine {
            n: i as u32 + 1,
            text: l.trim_end_matches('\r').to_owned(),
            diags: Vec::new(),
        })
        .collect();
    for d in diags {
        let message = match lang {
            Lang::Vi => &d.message_vi,
            Lang::En => &d.message_en,
        };
        let note = format!("{} {}: {message}", t.column, d.column);
        match lines.get_mut(d.line.saturating_sub(1) as usize) {
            Some(line) => line.diags.push(note),
            None => lines.push(RegLine {
                n: d.line,
                text: String::new(),
                diags: vec![note],
            }),
        }
    }
    lines
}

/// What a regulation field compiles to: the document to store, or the numbered lines with the
/// diagnostics to show (and a message in `errors` under `field`).
pub struct Compiled {
    pub doc: Option<RegulationDoc>,
    pub listing: Vec<RegLine>,
}

/// The regulation as typed, or as uploaded in `file` (UTF-8 required; a byte-order mark is
/// dropped). Compiles it; every diagnostic goes beside its line.
pub fn compile_field(
    f: &Submitted,
    (field, file): (&str, &str),
    year: Option<i32>,
    lang: Lang,
    errors: &mut Errors,
) -> (String, Compiled) {
    let Some(raw) = sent_text(f, (field, file), lang, errors) else {
        let none = Compiled {
            doc: None,
            listing: Vec::new(),
        };
        return (f.get(field), none);
    };
    let compiled = compile_text(&raw, field, year, lang, errors);
    (raw, compiled)
}

/// The regulation's text as sent: the uploaded file's (without a byte-order mark) when one was
/// chosen, else the text field's; `None` for a file that is not UTF-8, refused beside `field`.
pub fn sent_text(
    f: &Submitted,
    (field, file): (&str, &str),
    lang: Lang,
    errors: &mut Errors,
) -> Option<String> {
    match f.files.get(file) {
        Some(bytes) => match String::from_utf8(bytes.clone()) {
            Ok(s) => Some(s.trim_start_matches('\u{feff}').to_owned()),
            Err(_) => {
                errors.push(field, lang.error("invalid_encoding"));
                None
            }
        },
        None => Some(f.get(field)),
    }
}

/// The diagnostic of a regulation written for another year than the covenant's `year`
/// ([`thidua_domain::covenant::check_regulation_year`]), at the line of the key it concerns,
/// which says what to write there.
fn year_diagnostic(
    raw: &str,
    ast: &thidua_scoring::ast::Regulation,
    year: i32,
) -> Option<thidua_scoring::Diagnostic> {
    let Err(thidua_domain::DomainError::RegulationYear { field, found, .. }) =
        thidua_domain::covenant::check_regulation_year(ast, year)
    else {
        return None;
    };
    // Top-level keys come before the first table.
    let line = raw
        .split('\n')
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| {
            l.trim_start()
                .strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i as u32 + 1);
    let (vi, en) = match field {
        "year" => (
            format!("quy định viết cho năm {found}, giao ước là năm {year}: ghi `year = {year}` và `period` của năm {year} (kỳ mặc định), `baseline_year` là năm so sánh trước đó"),
            format!("the regulation is written for {found}, the covenant for {year}: write `year = {year}`, a `period` of {year} and an earlier `baseline_year`"),
        ),
        _ => (
            format!("năm gốc so sánh {found} không trước năm {year} của giao ước: `baseline_year` là một năm trước {year}"),
            format!("the baseline year {found} is not before the covenant's year {year}: `baseline_year` is a year before {year}"),
        ),
    };
    Some(thidua_scoring::Diagnostic {
        line,
        column: 1,
        code: "regulation_year",
        message_vi: vi,
        message_en: en,
    })
}

/// Compiles a regulation text, reporting a summary under `field`; for a covenant of `year`, a
/// regulation written for another year is refused at its `year` (or `baseline_year`) line.
pub fn compile_text(
    raw: &str,
    field: &str,
    year: Option<i32>,
    lang: Lang,
    errors: &mut Errors,
) -> Compiled {
    if raw.trim().is_empty() {
        errors.push(field, lang.error("empty_text"));
        return Compiled {
            doc: None,
            listing: Vec::new(),
        };
    }
    let compiled = thidua_scoring::compile(raw).and_then(|c| {
        match year.and_then(|y| year_diagnostic(raw, c.ast(), y)) {
            Some(d) => Err(thidua_scoring::Diagnostics(vec![d])),
            None => Ok(c),
        }
    });
    match compiled {
        Ok(c) => Compiled {
            doc: Some(RegulationDoc {
                text: c.canonical_text().to_owned(),
                sha256: c.hash_hex(),
            }),
            listing: Vec::new(),
        },
        Err(d) => Compiled {
            doc: None,
            listing: report_diagnostics(raw, &d.0, field, lang, errors),
        },
    }
}

/// Reports the diagnostics of a TOML text typed in `field` (a regulation, a covenant's rules):
/// their count beside the field, then each line's first diagnostic in the summary, linked to
/// its line (at most 20 lines); returns the text's listing with the diagnostics beside their
/// lines.
pub fn report_diagnostics(
    raw: &str,
    diags: &[thidua_scoring::Diagnostic],
    field: &str,
    lang: Lang,
    errors: &mut Errors,
) -> Vec<RegLine> {
    let t = lang.strings();
    errors.push(
        field,
        crate::i18n::fill(t.regulation_errors, &[("count", diags.len() as u64)]),
    );
    let mut seen = BTreeSet::new();
    for x in diags.iter().filter(|x| seen.insert(x.line)).take(20) {
        let message = match lang {
            Lang::Vi => &x.message_vi,
            Lang::En => &x.message_en,
        };
        errors.push_in(
            format!("L{}", x.line),
            format!("{} {}, {} {}", t.line, x.line, t.column, x.column),
            message.clone(),
        );
    }
    listing(raw, diags, lang)
}

/// One row of the criteria table.
pub struct CriterionRow {
    pub depth: usize,
    pub id: String,
    pub name: String,
    pub points: String,
    pub how: String,
    pub area: bool,
}

/// The criteria tree in reading order (each area, then its criteria depth first), with the
/// scale in words.
pub fn criteria_rows(t: &Strings, compiled: &CompiledRegulation, lang: Lang) -> Vec<CriterionRow> {
    let reg = compiled.ast();
    let mut out = Vec::new();
    for a in &reg.areas {
        out.push(CriterionRow {
            depth: 0,
            id: a.id.clone(),
            name: a.name.clone(),
            points: num(&a.points),
            how: t.crit_children.to_owned(),
            area: true,
        });
        children((t, compiled, lang), &a.id, 1, &mut out);
    }
    out
}

/// What the tree's words are made from: the page's strings, the compiled regulation and the
/// language its expressions are told in.
type Words<'a> = (&'a Strings, &'a CompiledRegulation, Lang);

fn children(words: Words, parent: &str, depth: usize, out: &mut Vec<CriterionRow>) {
    let (_, compiled, _) = words;
    for c in compiled
        .ast()
        .criteria
        .iter()
        .filter(|c| c.parent == parent)
    {
        out.push(CriterionRow {
            depth,
            id: c.id.clone(),
            name: c.name.clone(),
            points: num(&c.points),
            how: how(words, &c.id, &c.body, &c.points),
            area: false,
        });
        if depth < 8 {
            children(words, &c.id, depth + 1, out);
        }
    }
}

fn num(d: &Decimal) -> String {
    crate::format::decimal(d)
}

/// What criterion or item `id` measures (its expression `e`): the name of the one indicator or
/// element it names, else the expression in the engine's plain words.
fn value_name(words: Words, id: &str, e: &Expr) -> String {
    let compiled = words.1;
    let reg = compiled.ast();
    if let Expr::Ref {
        name, sel: None, ..
    } = e
    {
        let found = reg
            .indicators
            .iter()
            .find(|i| &i.id == name)
            .map(|i| &i.name)
            .or_else(|| reg.elements.iter().find(|x| &x.id == name).map(|x| &x.name));
        if let Some(n) = found {
            return format!("“{n}”");
        }
    }
    in_words(words, id).unwrap_or_else(|| format!("“{}”", print_expr(e)))
}

/// The expression criterion or item `id` measures, in the engine's plain words.
fn in_words(words: Words, id: &str) -> Option<String> {
    let (_, compiled, lang) = words;
    compiled.measure_words(id, crate::api::explain::language(lang))
}

/// How criterion `id` earns its points, in words.
fn how(words: Words, id: &str, body: &Body, points: &Decimal) -> String {
    let t = words.0;
    match body {
        Body::Children => t.crit_children.to_owned(),
        Body::Manual => fill(t.crit_manual, &[("points", num(points))]),
        Body::Met { when, otherwise } => fill(
            t.crit_met,
            &[
                (
                    "when",
                    in_words(words, id).unwrap_or_else(|| format!("“{}”", print_expr(&when.expr))),
                ),
                ("otherwise", num(otherwise)),
            ],
        ),
        Body::Scaled { value, scale, .. } => {
            let v = value_name(words, id, &value.expr);
            let unit = value_unit(words, &value.expr);
            format!("{v}: {}", scale_words(t, scale, points, unit.as_deref()))
        }
    }
}

/// The unit a measured value is written in: its indicator's or element's declared unit, "%"
/// for a rate or a change computed in place; none for anything else.
fn value_unit(words: Words, e: &Expr) -> Option<String> {
    let reg = words.1.ast();
    match e {
        Expr::Ref {
            name, sel: None, ..
        } => reg
            .indicators
            .iter()
            .find(|i| &i.id == name)
            .map(|i| &i.unit)
            .or_else(|| reg.elements.iter().find(|x| &x.id == name).map(|x| &x.unit))
            .cloned()
            .flatten(),
        Expr::Call {
            func: Func::Pct | Func::PctChange,
            ..
        } => Some("%".to_owned()),
        _ => None,
    }
}

/// A number of the measured value with its unit: "90%", "2 vụ", "0,5".
fn amount(d: &Decimal, unit: Option<&str>) -> String {
    match unit {
        Some("%") => format!("{}%", num(d)),
        Some(u) if !u.is_empty() => format!("{} {u}", num(d)),
        _ => num(d),
    }
}

/// A scale's target and the words for missing and bettering it: a reduction when the value is
/// a change in per cent that must fall to a negative target ("giảm từ 5% trở lên", "giảm
/// thiếu", "giảm thêm" — never "từ -5% trở xuống"), else as [`target_words`] says it.
fn target_and_sides(
    t: &Strings,
    (target, b, strict): (&Decimal, Better, bool),
    unit: Option<&str>,
) -> (String, &'static str, &'static str) {
    if b == Better::Lower && unit == Some("%") && target.is_sign_negative() {
        let form = if strict {
            t.target_reduced_strict
        } else {
            t.target_reduced
        };
        let words = fill(form, &[("t", amount(&-*target, unit))]);
        return (words, t.short_reduced, t.beyond_reduced);
    }
    let (short, beyond) = match b {
        Better::Higher => (t.short_higher, t.beyond_higher),
        Better::Lower => (t.short_lower, t.beyond_lower),
    };
    (
        target_words(t, &amount(target, unit), b, strict),
        short,
        beyond,
    )
}

/// The target of a scale in words: reached or passed, from below or from above.
fn target_words(t: &Strings, target: &str, b: Better, strict: bool) -> String {
    let form = match (b, strict) {
        (Better::Higher, false) => t.target_at_least,
        (Better::Higher, true) => t.target_above,
        (Better::Lower, false) => t.target_at_most,
        (Better::Lower, true) => t.target_below,
    };
    fill(form, &[("t", target)])
}

/// How much of the measured value each step of a scale counts: one of its unit ("1%").
fn step(unit: Option<&str>) -> String {
    amount(&Decimal::ONE, unit)
}

fn scale_words(t: &Strings, scale: &Scale, points: &Decimal, unit: Option<&str>) -> String {
    let at = |d: &Decimal| amount(d, unit);
    match scale {
        Scale::Linear {
            from,
            to,
            min_points,
        } => fill(
            t.scale_linear,
            &[("from", at(from)), ("to", at(to)), ("min", num(min_points))],
        ),
        Scale::Steps { steps, otherwise } => {
            let list: Vec<String> = steps
                .iter()
                .map(|s| {
                    let sign = match s.cmp {
                        Cmp::AtLeast => "≥",
                        Cmp::AtMost => "≤",
                        Cmp::Above => ">",
                        Cmp::Below => "<",
                    };
                    format!(
                        "{sign} {}: {} {}",
                        at(&s.bound),
                        num(&s.points),
                        t.points_word
                    )
                })
                .collect();
            fill(
                t.scale_steps,
                &[("steps", list.join("; ")), ("otherwise", num(otherwise))],
            )
        }
        Scale::Short {
            target,
            better: b,
            strict,
            per,
            floor,
        } => {
            let (target, short, _) = target_and_sides(t, (target, *b, *strict), unit);
            fill(
                t.scale_short,
                &[
                    ("target", target),
                    ("short", short.to_owned()),
                    ("step", step(unit)),
                    ("per", num(per)),
                    ("floor", num(floor)),
                ],
            )
        }
        Scale::Above {
            target,
            better: b,
            strict,
            per,
            cap,
            otherwise,
        } => {
            let (target, _, beyond) = target_and_sides(t, (target, *b, *strict), unit);
            fill(
                t.scale_above,
                &[
                    ("target", target),
                    ("beyond", beyond.to_owned()),
                    ("step", step(unit)),
                    ("per", num(per)),
                    ("cap", num(cap)),
                    ("otherwise", num(otherwise)),
                ],
            )
        }
        Scale::Range {
            low,
            high,
            per,
            floor,
            otherwise,
        } => match per {
            Some(per) => fill(
                t.scale_range_per,
                &[
                    ("low", at(low)),
                    ("high", at(high)),
                    ("step", step(unit)),
                    ("per", num(per)),
                    ("floor", num(floor)),
                ],
            ),
            None => fill(
                t.scale_range,
                &[
                    ("low", at(low)),
                    ("high", at(high)),
                    ("otherwise", num(otherwise)),
                ],
            ),
        },
        Scale::Formula => fill(t.scale_formula, &[("points", num(points))]),
    }
}

/// A bonus, penalty or band in words.
pub struct ItemRow {
    pub name: String,
    pub how: String,
}

/// Each validation rule: its name, then its check in words and what a failure does.
fn rule_rows(lang: Lang, reg: &Regulation) -> Vec<ItemRow> {
    let t = lang.strings();
    let elements: Vec<(String, String)> = reg
        .elements
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    reg.rules
        .iter()
        .map(|r| ItemRow {
            name: r.name.clone(),
            how: format!(
                "{} — {}",
                thidua_domain::figures::validation_rule(r)
                    .map(|rule| super::figures::check_words(lang, &rule, &elements))
                    .unwrap_or_else(|_| r.check.clone()),
                match r.severity {
                    thidua_scoring::ast::RuleSeverity::Error => t.rule_error,
                    thidua_scoring::ast::RuleSeverity::Warning => t.rule_warning,
                }
            ),
        })
        .collect()
}

fn items(words: Words) -> (Vec<ItemRow>, Vec<ItemRow>, Vec<ItemRow>) {
    let (t, compiled, _) = words;
    let reg = compiled.ast();
    let item = |i: &thidua_scoring::ast::Item| ItemRow {
        name: i.name.clone(),
        how: item_words(words, i),
    };
    let bands = reg
        .bands
        .iter()
        .map(|b| ItemRow {
            name: b.name.clone(),
            how: fill(
                match (&b.min, &b.max) {
                    (Some(_), None) => t.band_from,
                    (None, Some(_)) => t.band_below,
                    _ => t.band_words,
                },
                &[
                    ("min", b.min.as_ref().map(num).unwrap_or_default()),
                    ("max", b.max.as_ref().map(num).unwrap_or_default()),
                    (
                        "quota",
                        b.quota_pct
                            .as_ref()
                            .map(|q| format!("; {} {}%", t.quota, num(q)))
                            .unwrap_or_default(),
                    ),
                ],
            ),
        })
        .collect();
    (
        reg.bonuses.iter().map(item).collect(),
        reg.penalties.iter().map(item).collect(),
        bands,
    )
}

/// The bands whose quota, for `members` units, rounds down to no seat at all (20% of 3 units
/// is 0,6: none), each said; none for a cluster without members yet.
fn quotas_unreachable(
    t: &Strings,
    reg: &thidua_scoring::ast::Regulation,
    members: usize,
    year: i32,
) -> Vec<String> {
    let n = Decimal::from(members as u64);
    reg.bands
        .iter()
        .filter_map(|b| Some((b, b.quota_pct?)))
        .map(|(b, q)| (b, q, n * q / Decimal::from(100)))
        .filter(|(_, _, exact)| members > 0 && exact.floor().is_zero())
        .map(|(b, q, exact)| {
            fill(
                t.quota_unreachable,
                &[
                    ("n", members.to_string()),
                    ("year", year.to_string()),
                    ("quota", num(&q)),
                    ("band", b.name.clone()),
                    ("exact", num(&exact.normalize())),
                ],
            )
        })
        .collect()
}

/// How a bonus or penalty item earns its points: once when its condition holds ("1 điểm khi
/// …"), else so many for each thing it counts, in the counted thing's unit ("2 điểm cho mỗi vụ
/// “…”", at most its cap).
fn item_words(words: Words, i: &thidua_scoring::ast::Item) -> String {
    let (t, compiled, lang) = words;
    let measure = compiled.item_measure(&i.id, crate::api::explain::language(lang));
    if let Some(thidua_scoring::ItemMeasure::When(when)) = measure {
        return fill(t.item_when, &[("per", num(&i.per)), ("when", when)]);
    }
    let mut value = value_name(words, &i.id, &i.value.expr);
    if let (Lang::Vi, Some(unit)) = (lang, value_unit(words, &i.value.expr)) {
        value = format!("{unit} {value}");
    }
    fill(
        if i.cap.is_some() {
            t.item_words
        } else {
            t.item_words_uncapped
        },
        &[
            ("value", value),
            ("per", num(&i.per)),
            ("cap", i.cap.as_ref().map(num).unwrap_or_default()),
        ],
    )
}

/// A unit's previewed score.
pub struct PreviewRow {
    pub unit: String,
    pub total: String,
    /// The total leaves out the manual criteria, which are scored at the year-end review.
    pub provisional: bool,
    pub rank: String,
    pub band: String,
}

#[derive(Template)]
#[template(path = "regulation.html")]
struct RegulationPage {
    l: Layout,
    covenant: String,
    title: String,
    version: u32,
    /// The regulation's name and hash, when it compiles.
    name: String,
    sha256: String,
    total: String,
    lines: Vec<RegLine>,
    criteria: Vec<CriterionRow>,
    bonuses: Vec<ItemRow>,
    penalties: Vec<ItemRow>,
    bands: Vec<ItemRow>,
    /// Bands whose quota leaves no seat for the year's membership, said.
    quotas_unreachable: Vec<String>,
    /// The validation rules on a window's figures (`[[rule]]`), signed with the regulation.
    rules: Vec<ItemRow>,
    /// The viewer may replace the regulation (secretariat of the cluster, administrators),
    /// and whether that amends the draft or proposes a new version.
    edit: Option<&'static str>,
    /// The text in the editing box.
    draft: String,
    errors: Errors,
    preview: Option<Vec<PreviewRow>>,
    preview_note: String,
    /// The year before the covenant's, when its approved figures can be previewed.
    last_year: Option<i32>,
}

impl RegulationPage {
    fn any_provisional(&self, rows: &[PreviewRow]) -> bool {
        rows.iter().any(|r| r.provisional)
    }

    fn indent(&self, depth: &usize) -> String {
        format!("depth-{}", (*depth).min(4))
    }
}

#[derive(Deserialize)]
pub struct VersionParam {
    version: Option<u32>,
    /// `last-year`: preview the scores on the previous year's approved figures.
    preview: Option<String>,
}

/// The covenant `id` and what editing it would do now, or why the viewer may not: not found
/// (unknown, or not visible to the viewer), forbidden (visible but the viewer does not manage
/// its cluster), or a conflict (a draft that has signatures is no longer edited).
pub fn editable(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<(thidua_domain::state::Covenant, &'static str), ApiError> {
    let state = app.service.read();
    let c = CovenantId::parse(id)
        .ok()
        .and_then(|cid| state.covenants.get(&cid))
        .filter(|c| viewer.scope.can_view_covenant(&state, c))
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    let mode = edit_mode(viewer, &state, &c);
    drop(state);
    match mode {
        Some(mode) => Ok((c, mode)),
        None if manages(viewer, &c) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "covenant_under_review",
            "the year-end review has opened",
        )),
        None => Err(ApiError::forbidden()),
    }
}

/// Whether the viewer manages the covenant's cluster: its secretariat, or an administrator.
pub fn manages(viewer: &Viewer, c: &thidua_domain::state::Covenant) -> bool {
    viewer.scope.manages(&c.cluster)
}

/// Whether the viewer manages the covenant's cluster, and what editing would do now: amend an
/// unsigned draft, or propose a new version (after a frozen or withdrawn one, or superseding a
/// partly signed one); nothing once the covenant's year-end review has opened.
pub fn edit_mode(
    viewer: &Viewer,
    state: &thidua_domain::State,
    c: &thidua_domain::state::Covenant,
) -> Option<&'static str> {
    let v = c.latest();
    if !manages(viewer, c) || state.yearend.reviews.contains_key(&c.id) {
        return None;
    }
    match (v.is_open(), v.signatures.is_empty()) {
        (true, true) => Some("amend"),
        _ => Some("propose"),
    }
}

struct Shown {
    text: String,
    errors: Errors,
    lines: Option<Vec<RegLine>>,
    preview: Option<Vec<PreviewRow>>,
    note: String,
}

fn page(app: &AppState, viewer: &Viewer, id: &str, version: Option<u32>, shown: Shown) -> Response {
    let t = viewer.lang.strings();
    let state = app.service.read();
    let found = CovenantId::parse(id)
        .ok()
        .and_then(|id| state.covenants.get(&id).cloned());
    let Some(c) = found.filter(|c| viewer.scope.can_view_covenant(&state, c)) else {
        return viewer_error(viewer, ApiError::not_found());
    };
    let last_year = earlier_covenant(&state, viewer, &c).map(|_| c.year - 1);
    let mode = edit_mode(viewer, &state, &c);
    let members = state.members(&c.cluster, c.year).map_or(0, <[_]>::len);
    drop(state);
    // A version the covenant does not have is not found, never its latest shown instead.
    let v = match version {
        Some(n) => match c.version(n) {
            Some(v) => v,
            None => return viewer_error(viewer, ApiError::not_found()),
        },
        None => c.latest(),
    };
    let text = &v.content.regulation.text;
    let compiled = thidua_scoring::compile(text).ok();
    let (bonuses, penalties, bands) = compiled
        .as_ref()
        .map(|r| items((t, r, viewer.lang)))
        .unwrap_or_default();
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&RegulationPage {
        l: Layout::new(viewer, t.regulation_title),
        covenant: c.id.to_string(),
        title: v.content.title.to_string(),
        version: v.version,
        name: compiled
            .as_ref()
            .map(|r| r.ast().name.clone())
            .unwrap_or_default(),
        sha256: v.content.regulation.sha256.clone(),
        total: compiled
            .as_ref()
            .map(|r| num(&r.ast().total))
            .unwrap_or_default(),
        lines: shown
            .lines
            .unwrap_or_else(|| listing(text, &[], viewer.lang)),
        criteria: compiled
            .as_ref()
            .map(|r| criteria_rows(t, r, viewer.lang))
            .unwrap_or_default(),
        bonuses,
        penalties,
        bands,
        quotas_unreachable: compiled
            .as_ref()
            .map(|r| quotas_unreachable(t, r.ast(), members, c.year))
            .unwrap_or_default(),
        rules: compiled
            .as_ref()
            .map(|r| rule_rows(viewer.lang, r.ast()))
            .unwrap_or_default(),
        edit: if version.is_none_or(|n| n == c.latest().version) {
            mode
        } else {
            None
        },
        draft: if shown.text.is_empty() {
            text.clone()
        } else {
            shown.text
        },
        errors: shown.errors,
        preview: shown.preview,
        preview_note: shown.note,
        last_year,
    });
    *res.status_mut() = status;
    res
}

/// `GET /covenants/{id}/regulation?version=&preview=last-year`.
pub async fn regulation_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
) -> Response {
    let mut shown = Shown {
        text: String::new(),
        errors: Errors::default(),
        lines: None,
        preview: None,
        note: String::new(),
    };
    if q.preview.as_deref() == Some("last-year") {
        match last_year_preview(&app, &viewer, &id, q.version) {
            Some(Ok((rows, note))) => (shown.preview, shown.note) = (Some(rows), note),
            Some(Err(message)) => shown.errors.push("figures", message),
            None => {}
        }
    }
    page(&app, &viewer, &id, q.version, shown)
}

/// The signed covenant of the same cluster for the year before, if the viewer may see it and
/// its figures were approved: what the regulation can be tried on before anyone signs it.
fn earlier_covenant(
    state: &thidua_domain::State,
    viewer: &Viewer,
    c: &thidua_domain::state::Covenant,
) -> Option<CovenantId> {
    let year = c.year - 1;
    let members = state.members(&c.cluster, year).ok()?;
    state
        .covenants
        .values()
        .filter(|e| e.cluster == c.cluster && e.year == year && e.in_force().is_some())
        .filter(|e| viewer.scope.can_view_covenant(state, e))
        .find(|_| {
            members
                .iter()
                .any(|m| !state.figures.published_year(m, year).is_empty())
        })
        .map(|e| e.id.clone())
}

/// The scores the shown version's regulation would have given on the previous year's
/// approved figures (the data file `thidua score --data` reads, exported from the log), at
/// the regulation's kind of period in that year. `None` when there is nothing to preview.
fn last_year_preview(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    version: Option<u32>,
) -> Option<Result<(Vec<PreviewRow>, String), String>> {
    let state = app.service.read();
    let c = state.covenants.get(&CovenantId::parse(id).ok()?)?;
    if !viewer.scope.can_view_covenant(&state, c) {
        return None;
    }
    let earlier = earlier_covenant(&state, viewer, c)?;
    let text = &version
        .and_then(|n| c.version(n))
        .unwrap_or_else(|| c.latest())
        .content
        .regulation
        .text;
    let calendar = state.calendar(&earlier).ok()?;
    let last_window = calendar.reported().last()?.key().to_owned();
    let data =
        thidua_import::export::data_csv(&state, &earlier, &last_window).map_err(|e| e.to_string());
    Some(data.and_then(|data| score(text, &data, Some(c.year - 1))))
}
/// `POST /covenants/{id}/regulation`: a new text (typed in `regulation` or uploaded as
/// `regulation_file`); diagnostics beside the lines, or the draft amended / a new version
/// proposed with everything else unchanged.
pub async fn replace_regulation(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: Submitted,
) -> Response {
    let lang = viewer.lang;
    let (c, mode) = match editable(&app, &viewer, &id) {
        Ok(found) => found,
        Err(e) => return viewer_error(&viewer, e),
    };
    let mut errors = Errors::default();
    let (raw, compiled) = compile_field(
        &f,
        ("regulation", "regulation_file"),
        Some(c.year),
        lang,
        &mut errors,
    );
    let Some(doc) = compiled.doc else {
        let shown = Shown {
            text: raw,
            errors,
            lines: Some(compiled.listing),
            preview: None,
            note: String::new(),
        };
        return page(&app, &viewer, &id, None, shown);
    };
    let content = CovenantContent {
        regulation: doc,
        ..c.latest().content.clone()
    };
    let command = if mode == "propose" {
        Command::ProposeCovenantVersion {
            covenant: c.id.clone(),
            content,
        }
    } else {
        Command::AmendCovenantDraft {
            covenant: c.id.clone(),
            content,
        }
    };
    match crate::api::execute(&app, &viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/covenants/{id}/regulation?saved=1")).into_response(),
        Err(e) if e.shown_in_form() => {
            errors.push("regulation", lang.api_error(&e));
            let shown = Shown {
                text: raw,
                errors,
                lines: None,
                preview: None,
                note: String::new(),
            };
            page(&app, &viewer, &id, None, shown)
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// `POST /covenants/{id}/regulation/preview`: the scores the shown version's regulation gives
/// on an uploaded figures file (CSV or JSON in the scoring engine's format); nothing is stored.
pub async fn preview(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<VersionParam>,
    f: Submitted,
) -> Response {
    let t = viewer.lang.strings();
    let text = {
        let state = app.service.read();
        let c = CovenantId::parse(&id)
            .ok()
            .and_then(|cid| state.covenants.get(&cid).cloned())
            .filter(|c| viewer.scope.can_view_covenant(&state, c));
        match c {
            Some(c) => q
                .version
                .and_then(|n| c.version(n))
                .unwrap_or_else(|| c.latest())
                .content
                .regulation
                .text
                .clone(),
            None => return viewer_error(&viewer, ApiError::not_found()),
        }
    };
    let mut errors = Errors::default();
    let (rows, note) = match f.files.get("figures").map(|b| String::from_utf8(b.clone())) {
        None => {
            errors.push("figures", t.preview_no_file);
            (None, String::new())
        }
        Some(Err(_)) => {
            errors.push("figures", viewer.lang.error("invalid_encoding"));
            (None, String::new())
        }
        Some(Ok(data)) => match score(&text, &data, None) {
            Ok((rows, note)) => (Some(rows), note),
            Err(message) => {
                errors.push("figures", message);
                (None, String::new())
            }
        },
    };
    let shown = Shown {
        text: String::new(),
        errors,
        lines: None,
        preview: rows,
        note,
    };
    page(&app, &viewer, &id, q.version, shown)
}

/// Scores every unit of a figures file with a regulation text, at the regulation's period or
/// at the same kind of period of another `year` (a preview on an earlier year's figures).
fn score(
    regulation: &str,
    data: &str,
    year: Option<i32>,
) -> Result<(Vec<PreviewRow>, String), String> {
    let reg = thidua_scoring::compile(regulation).map_err(|d| d.to_string())?;
    let trimmed = data.trim_start_matches('\u{feff}');
    let dataset = if trimmed.trim_start().starts_with('{') {
        thidua_scoring::Dataset::from_json(trimmed)
    } else {
        thidua_scoring::Dataset::from_csv(trimmed)
    }
    .map_err(|errs| {
        errs.iter()
            .take(5)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let own = reg.ast().period;
    let period = match year {
        Some(y) => {
            thidua_scoring::PeriodKey::new(y, own.kind).ok_or("không có năm này / no such year")?
        }
        None => own,
    };
    let board = reg
        .evaluate_all(&dataset, period, thidua_scoring::EvalOptions::default())
        .map_err(|e| e.to_string())?;
    let rows = board
        .units
        .iter()
        .map(|u| PreviewRow {
            unit: u.name.clone().unwrap_or_else(|| u.unit.clone()),
            total: u
                .total
                .as_ref()
                .or(u.provisional_total.as_ref())
                .and_then(|e| e.to_decimal())
                .map(|d| num(&d))
                .unwrap_or_else(|| "—".to_owned()),
            provisional: u.total.is_none() && u.provisional_total.is_some(),
            rank: u.rank.map(|r| r.to_string()).unwrap_or_default(),
            band: u.band.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
        })
        .collect();
    Ok((rows, format!("{} – {}", board.from, board.to)))
}

/// A regulation's indicators and elements with what each measures, for the target rows.
pub fn indicator_ids(text: &str) -> thidua_domain::target::Indicators {
    thidua_domain::covenant::regulation_measures(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// The scales read as the regulation means them, with the measured value's unit: a
    /// lower-is-better target is missed by going over it (it said "thiếu" of a rate that must
    /// stay under 0,5), a rate's numbers carry "%", and a bonus earned once when a condition
    /// holds says "khi …" (it said "cho mỗi đơn vị của nếu …").
    #[test]
    fn scales_and_items_are_said_as_meant() {
        let regulation = include_str!("../../../../examples/cum12-2024/regulation.toml");
        let compiled = thidua_scoring::compile(regulation).unwrap();
        let lang = crate::i18n::Lang::Vi;
        let rows = super::criteria_rows(lang.strings(), &compiled, lang);
        let how = |id: &str| rows.iter().find(|r| r.id == id).unwrap().how.clone();
        assert!(
            how("C1").ends_with(
                "đủ điểm khi từ 0,5% trở xuống; vượt mỗi 1% trừ 10 điểm, thấp nhất 0 điểm"
            ),
            "{}",
            how("C1")
        );
        assert!(
            how("A4").ends_with(
                "đủ điểm khi đạt từ 90% trở lên; thiếu mỗi 1% trừ 1 điểm, thấp nhất 0 điểm"
            ),
            "{}",
            how("A4")
        );
        assert!(how("A6").contains("≥ 90%: 7 điểm"), "{}", how("A6"));
        // A reduction target on a change is said as a reduction, as the covenant says it
        // ("Kéo giảm … ít nhất 5%"), never as "từ -5% trở xuống; vượt mỗi 1%".
        assert!(
            how("A1").ends_with(
                "đủ điểm khi giảm từ 5% trở lên; giảm thiếu mỗi 1% trừ 2 điểm, thấp nhất 0 điểm"
            ),
            "{}",
            how("A1")
        );
        let (bonuses, _, _) = super::items((lang.strings(), &compiled, lang));
        let said: Vec<&str> = bonuses.iter().map(|b| b.how.as_str()).collect();
        assert!(
            said.contains(
                &"15 điểm cho mỗi cờ “Cờ thi đua của Chính phủ được tặng”, tối đa 15 điểm"
            ),
            "{said:?}"
        );
        assert!(
            said.iter().any(|s| s.starts_with("1 điểm khi điểm của «")),
            "{said:?}"
        );
        assert!(said.iter().all(|s| !s.contains("nếu")), "{said:?}");
    }

    /// Without the manual criteria's scores (given only at the year-end review), the preview
    /// shows each unit's provisional total, marked so, rather than nothing.
    #[test]
    fn a_preview_without_manual_scores_shows_provisional_totals() {
        let regulation = include_str!("../../../../examples/cum12-2024/regulation.toml");
        let data: String = include_str!("../../../../examples/cum12-2024/data.csv")
            .lines()
            .filter(|l| !l.contains("@manual:"))
            .map(|l| format!("{l}\n"))
            .collect();
        let (rows, _) = super::score(regulation, &data, None).unwrap();
        assert_eq!(rows.len(), 5);
        assert!(
            rows.iter().all(|r| r.provisional && r.total != "—"),
            "{:?}",
            rows.iter().map(|r| &r.total).collect::<Vec<_>>()
        );
        let full = include_str!("../../../../examples/cum12-2024/data.csv");
        let (rows, _) = super::score(regulation, full, None).unwrap();
        assert!(rows.iter().all(|r| !r.provisional && r.total != "—"));
    }
}
