//! The integrity-flags page of a covenant: the flags per unit and window with their reasons,
//! each unit's reporting quality, and the CSV export; filtered by unit and kind, paged (a
//! national covenant has thousands of flags). Shows what [`crate::api::flags`] returns for the
//! viewer (the same rule, `Scope::reads_flags`).

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::integrity::FlagKind;
use thidua_domain::{CovenantId, UnitId};

use std::collections::HashMap;

use axum::response::{IntoResponse, Redirect};

use super::names;
use super::{render, viewer_error, Layout};
use crate::api::flags::{flags_page_of, FlagsDto, FlagsQuery};
use crate::auth::CsrfForm;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::flags::{self as i18n, FlagStrings};
use crate::i18n::Lang;
use crate::AppState;

/// One line of the table.
struct Row {
    unit: String,
    unit_id: String,
    period: String,
    /// The unit's report of the flagged window, when the flag names one (not the whole year).
    report: Option<String>,
    kind: String,
    kind_name: &'static str,
    /// The reason in pieces, the regulation's names told apart ([`i18n::reason_parts`]).
    reason: Vec<i18n::Part>,
    /// The flag as an explanation names it (`2024-M05`, its subject or empty), and the row's
    /// HTML id.
    period_key: String,
    subject: String,
    anchor: String,
    /// The unit's newest explanation: its text, author and date.
    explanation: Option<(String, String, String)>,
    /// The viewer leads the unit: the row offers the explanation form.
    can_explain: bool,
    /// The form was sent and refused (why): it stays open with the typed text, focused.
    refused: Option<String>,
    /// What the form's text starts with: the text typed, else the newest explanation.
    draft: String,
    /// The explanation was just saved: the row says so.
    saved: bool,
}

/// What every row of a page shares.
struct RowContext<'a> {
    lang: Lang,
    windows: &'a [thidua_domain::model::ReportingWindow],
    covenant: &'a str,
    /// Whether the viewer may explain the flags of a unit (by id) now.
    can_explain: &'a dyn Fn(&str) -> bool,
    /// A refused explanation, sent from one row.
    input: Option<&'a ExplainInput>,
    /// The row whose explanation was just saved.
    saved: Option<&'a str>,
}

impl RowContext<'_> {
    /// The row of one flag.
    fn row(&self, dto: &crate::api::flags::FlagDto, f: &thidua_domain::integrity::Flag) -> Row {
        let anchor = anchor(&dto.unit.id, &dto.period, &dto.kind, dto.subject.as_deref());
        let input = self.input.filter(|i| i.anchor == anchor);
        let explanation = dto.explanation.as_ref().map(|e| {
            let day = thidua_domain::figures::local_date(e.time_ms);
            let day = day.format("%d/%m/%Y").to_string();
            (e.text.clone(), e.by_name.clone(), day)
        });
        Row {
            unit: dto.unit.name.clone(),
            unit_id: dto.unit.id.clone(),
            period: period_text(self.lang, self.windows, f.period.year, &f.period.window),
            report: (f.period.window != "Y").then(|| {
                let (cov, unit, window) = (self.covenant, &dto.unit.id, &f.period.window);
                format!("/covenants/{cov}/figures/{unit}/{window}")
            }),
            kind: dto.kind.clone(),
            kind_name: i18n::kind_name(self.lang, f.kind),
            reason: i18n::reason_parts(self.lang, f),
            period_key: dto.period.clone(),
            subject: dto.subject.clone().unwrap_or_default(),
            can_explain: (self.can_explain)(&dto.unit.id),
            draft: input
                .map(|i| i.text.clone())
                .or_else(|| explanation.as_ref().map(|e| e.0.clone()))
                .unwrap_or_default(),
            refused: input.map(|i| i.message.clone()),
            saved: self.saved == Some(anchor.as_str()),
            explanation,
            anchor,
        }
    }
}

/// An explanation the page was sent and refused: which flag (its row's id), the text typed and
/// why it was refused.
pub struct ExplainInput {
    anchor: String,
    text: String,
    message: String,
}

/// A row's HTML id: the flag's unit, period, kind and subject, with only characters an id and
/// a URL fragment take as they are.
fn anchor(unit: &str, period: &str, kind: &str, subject: Option<&str>) -> String {
    let raw = format!("flag-{unit}-{period}-{kind}-{}", subject.unwrap_or(""));
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Flags on one page.
pub const ROWS_PER_PAGE: usize = 100;

/// Up to this many units the page lists every unit's reporting quality and offers the units in
/// a list; beyond, it lists only the units with something late or corrected, the most first, at
/// most [`ROWS_PER_PAGE`], and takes a unit's id typed (a list of thousands is no help).
const MANY_UNITS: usize = 60;

#[derive(Template)]
#[template(path = "flags.html")]
struct FlagsPage {
    l: Layout,
    s: &'static FlagStrings,
    /// The progress pages' helpers: "Số liệu tính đến ngày" is said and dated as there.
    h: super::progress::Helpers,
    d: FlagsDto,
    rows: Vec<Row>,
    /// Flags matching the filters, on every page.
    total: usize,
    unit: String,
    kind: String,
    /// Every kind: code and name.
    kinds: Vec<(&'static str, &'static str)>,
    /// More than [`MANY_UNITS`]: reporting quality of only the units with the most late or
    /// corrected windows, and the unit filter typed.
    many_units: bool,
    /// Units with late or corrected windows not listed.
    quality_more: usize,
    page: usize,
    pages: usize,
    demo: bool,
    /// An explanation was just saved.
    explained: bool,
    /// An explanation was refused: the message and the row it belongs to.
    refusal: Option<(String, String)>,
}

impl FlagsPage {
    /// The most characters an explanation holds (the domain's limit).
    fn text_max(&self) -> usize {
        thidua_domain::text::limits::REASON
    }
    /// The filters as query parameters (`unit=…&kind=…`; only values the API accepted, so ids
    /// and kind codes that need no encoding).
    fn filters(&self) -> Vec<String> {
        [("unit", &self.unit), ("kind", &self.kind)]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| format!("{key}={value}"))
            .collect()
    }

    /// The query string of page `n` with the filters.
    fn page_link(&self, n: usize) -> String {
        let mut q = vec![format!("page={n}")];
        q.extend(self.filters());
        format!("?{}", q.join("&"))
    }

    /// The query string of the CSV export with the filters.
    fn export_query(&self) -> String {
        let q = self.filters();
        if q.is_empty() {
            String::new()
        } else {
            format!("?{}", q.join("&"))
        }
    }
}

/// The page's filters and page, and what was just done (`done=explained` at the flag `row`).
#[derive(Default, Deserialize)]
pub struct FlagsParams {
    unit: Option<String>,
    kind: Option<String>,
    page: Option<usize>,
    done: Option<String>,
    row: Option<String>,
}

/// The id of the covenant member a filter typed by hand names (NFC, any case): its name or
/// short code ("KG"), else the one member whose name contains the text ("kiên giang"); else
/// `typed` itself (an id, or nothing the flags will find). Who may read the unit's flags is
/// decided afterwards, as for an id.
fn unit_named(state: &thidua_domain::State, covenant: &CovenantId, typed: &str) -> String {
    let wanted = thidua_domain::text::nfc(typed.trim()).to_lowercase();
    let members = state
        .covenant(covenant)
        .and_then(|c| state.members(&c.cluster, c.year))
        .unwrap_or_default();
    let named: Vec<(&thidua_domain::UnitId, String, String)> = members
        .iter()
        .filter_map(|u| {
            let x = state.units.get(u)?;
            Some((
                u,
                x.name.as_str().to_lowercase(),
                x.short_code.as_str().to_lowercase(),
            ))
        })
        .collect();
    let only = |hits: Vec<&thidua_domain::UnitId>| match hits.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    };
    let exact = named
        .iter()
        .filter(|(_, name, code)| *name == wanted || *code == wanted)
        .map(|(u, _, _)| *u)
        .collect();
    let within = || {
        named
            .iter()
            .filter(|(_, name, _)| !wanted.is_empty() && name.contains(&wanted))
            .map(|(u, _, _)| *u)
            .collect()
    };
    only(exact)
        .or_else(|| only(within()))
        .unwrap_or_else(|| typed.trim().to_owned())
}

/// A flag's window as the page's language names it, with its year ("Tháng 3/2024"); "Y" is
/// the whole year.
/// The reporting windows of the covenant's movement (none if it is unknown).
pub(crate) fn covenant_windows(
    state: &thidua_domain::State,
    id: &CovenantId,
) -> Vec<thidua_domain::model::ReportingWindow> {
    state
        .covenant(id)
        .ok()
        .and_then(|c| state.movements.get(&c.movement))
        .map(|m| m.calendar.clone())
        .unwrap_or_default()
}

/// A flag's window as users name it ("Tháng 5/2024", "Month 5/2024"; the year alone for a
/// whole-year flag).
pub(crate) fn period_text(
    lang: Lang,
    windows: &[thidua_domain::model::ReportingWindow],
    year: i32,
    window: &str,
) -> String {
    if window == "Y" {
        return year.to_string();
    }
    match windows.iter().find(|w| w.key == window) {
        Some(w) => format!("{}/{year}", crate::i18n::figures::window_name(lang, w)),
        None => format!("{window}/{year}"),
    }
}

/// `GET /covenants/{id}/flags?unit=…&kind=…&page=…`.
pub async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(params): Query<FlagsParams>,
) -> Response {
    page_view(&app, &viewer, &id, params, None).await
}

/// The flags page, with a refused explanation's form open when there is one.
async fn page_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    params: FlagsParams,
    input: Option<ExplainInput>,
) -> Response {
    let Ok(id) = CovenantId::parse(id) else {
        return viewer_error(viewer, ApiError::not_found());
    };
    let q = FlagsQuery {
        unit: params.unit.filter(|u| !u.is_empty()),
        period: None,
        kind: params.kind.filter(|k| !k.is_empty()),
    };
    let (scope, mut asked) = (viewer.scope.clone(), q.clone());
    let explained = params.done.as_deref() == Some("explained");
    let read = app
        .blocking(move |app| {
            let state = app.service.read();
            asked.unit = asked.unit.map(|typed| unit_named(&state, &id, &typed));
            let pick = |n| super::page_of(n, ROWS_PER_PAGE, params.page).0;
            let found = flags_page_of(app, &state, &scope, &id, &asked, pick)?;
            let closed = state.explanations_closed(&id);
            Ok((found, asked.unit, covenant_windows(&state, &id), closed))
        })
        .await;
    let ((mut d, flags, total), unit, windows, closed) = match read {
        Ok(x) => x,
        Err(e) => return viewer_error(viewer, e),
    };
    let (_, page, pages) = super::page_of(total, ROWS_PER_PAGE, params.page);
    let lang: Lang = viewer.lang;
    let led = viewer.scope.led_units();
    let at = RowContext {
        lang,
        windows: &windows,
        covenant: &d.covenant,
        can_explain: &|unit| !closed && led.iter().any(|u| u.as_str() == unit),
        input: input.as_ref(),
        saved: params.row.as_deref().filter(|_| explained),
    };
    let rows: Vec<Row> = d
        .flags
        .iter()
        .zip(&flags)
        .map(|(dto, f)| at.row(dto, f))
        .collect();
    let saved_shown = rows.iter().any(|r| r.saved);
    let many_units = d.units.len() > MANY_UNITS;
    let mut quality_more = 0;
    if many_units {
        d.quality.retain(|x| x.late + x.corrected > 0);
        d.quality
            .sort_by_key(|x| std::cmp::Reverse(x.late + x.corrected));
        quality_more = d.quality.len().saturating_sub(ROWS_PER_PAGE);
        d.quality.truncate(ROWS_PER_PAGE);
    }
    let s = lang.flags();
    render(&FlagsPage {
        l: Layout::new(viewer, format!("{}: {}", s.title, d.title)),
        s,
        h: super::progress::Helpers::new(lang),
        d,
        rows,
        total,
        unit: unit.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        kinds: FlagKind::ALL
            .iter()
            .map(|k| (k.code(), i18n::kind_name(lang, *k)))
            .collect(),
        many_units,
        quality_more,
        page,
        pages,
        demo: viewer.demo,
        explained: explained && !saved_shown,
        refusal: input.map(|i| (i.message, i.anchor)),
    })
}

/// `POST /covenants/{id}/flags/explain`: a unit leader's explanation of one flag (`unit`,
/// `period`, `kind`, `subject`, `text`), then back to the page it was sent from (`f_unit`,
/// `f_kind`, `page`) at the flag's row; refused, the page again with the form open, the text
/// kept and the reason beside it.
pub async fn explain(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    let Ok(cov) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let (unit, period, kind, subject, text) = (
        field("unit"),
        field("period"),
        field("kind"),
        field("subject"),
        field("text"),
    );
    let subject = (!subject.is_empty()).then_some(subject);
    let params = FlagsParams {
        unit: form.get("f_unit").cloned(),
        kind: form.get("f_kind").cloned(),
        page: form.get("page").and_then(|p| p.parse().ok()),
        done: None,
        row: None,
    };
    // Only the unit's leader explains its flags, a member of the covenant's year: anyone else
    // is refused before the text is read (a covenant the viewer cannot see stays unfound).
    let may = {
        let state = app.service.read();
        crate::api::figures::visible_covenant(&state, &viewer.scope, &cov)
            .map(|_| explains(&state, &viewer, &cov, &unit))
    };
    match may {
        Ok(true) => {}
        Ok(false) => return viewer_error(&viewer, ApiError::forbidden()),
        Err(e) => return viewer_error(&viewer, e),
    }
    let row = anchor(&unit, &period, &kind, subject.as_deref());
    let sent = explain_command(cov.clone(), &unit, period, kind, subject, &text);
    let result = match sent {
        Ok(command) => crate::api::execute(&app, &viewer, vec![command]).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&params.explained_url(&cov, &row)).into_response(),
        // A refusal (403 too) is told on the page it came from, with the page's status; a
        // covenant the viewer cannot see keeps the page's own answer (404).
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 401 => {
            let message = names::refusal(viewer.lang, &app.service.read(), Some(&cov), &e);
            let input = ExplainInput {
                anchor: row,
                text: thidua_domain::text::nfc(&text),
                message,
            };
            let mut page = page_view(&app, &viewer, &id, params, Some(input)).await;
            // The page shown again says why; a page that cannot be shown (a covenant the viewer
            // may not see) keeps its own answer.
            if page.status().is_success() {
                *page.status_mut() = e.status;
            }
            page
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

impl FlagsParams {
    /// The page these filters show, saying an explanation was saved, at the flag's row.
    fn explained_url(&self, covenant: &CovenantId, row: &str) -> String {
        let mut q: Vec<String> = [("unit", &self.unit), ("kind", &self.kind)]
            .into_iter()
            .filter_map(|(k, v)| {
                v.as_ref()
                    .filter(|v| super::is_plain_param(v))
                    .map(|v| (k, v))
            })
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if let Some(n) = self.page {
            q.push(format!("page={n}"));
        }
        q.push(format!("done=explained&row={row}"));
        format!("/covenants/{covenant}/flags?{}#{row}", q.join("&"))
    }
}

/// Whether the viewer may explain the flags of `unit` (an id as posted) in the covenant: as
/// the domain's `explain_flag` authorises (`LeadUnit`), the unit's leader, and the unit one of
/// the covenant's year's members (the only units it raises flags on).
fn explains(
    state: &thidua_domain::State,
    viewer: &Viewer,
    covenant: &CovenantId,
    unit: &str,
) -> bool {
    let Ok(unit) = UnitId::parse(unit) else {
        return false;
    };
    viewer.scope.led_units().contains(&unit)
        && thidua_domain::progress::members(state, covenant)
            .is_ok_and(|members| members.contains(&unit))
}

/// The command an explanation form asks for (the text checked as every entry point checks it).
fn explain_command(
    covenant: CovenantId,
    unit: &str,
    period: String,
    kind: String,
    subject: Option<String>,
    text: &str,
) -> Result<thidua_domain::Command, ApiError> {
    let unit = UnitId::parse(unit).map_err(|_| ApiError::not_found())?;
    let text = thidua_domain::Text::parse("text", text, thidua_domain::text::limits::REASON)?;
    Ok(thidua_domain::Command::ExplainFlag(
        thidua_domain::explanations::FlagExplained {
            covenant,
            unit,
            period,
            kind,
            subject,
            text,
        },
    ))
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/covenants/{id}/flags", get(page))
        .route("/covenants/{id}/flags/explain", post(explain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_after_an_explanation_keeps_only_plain_filters_and_lands_on_the_row() {
        let row = anchor("ca-bl", "2024-M06", "funnel_drop", Some("tin_bao:a:b"));
        assert_eq!(row, "flag-ca-bl-2024-M06-funnel_drop-tin_bao_a_b");
        let params = FlagsParams {
            unit: Some("ca-bl".into()),
            kind: Some("<script>".into()),
            page: Some(2),
            done: None,
            row: None,
        };
        let cov = CovenantId::parse("gu-2024").unwrap();
        assert_eq!(
            params.explained_url(&cov, &row),
            "/covenants/gu-2024/flags?unit=ca-bl&page=2&done=explained&row=flag-ca-bl-2024-M06-funnel_drop-tin_bao_a_b#flag-ca-bl-2024-M06-funnel_drop-tin_bao_a_b"
        );
    }

    #[test]
    fn a_flags_window_is_named_in_the_pages_language() {
        let windows = thidua_domain::calendar::default_calendar(2024);
        assert_eq!(period_text(Lang::Vi, &windows, 2024, "M03"), "Tháng 3/2024");
        assert_eq!(period_text(Lang::En, &windows, 2023, "M03"), "Month 3/2023");
        assert_eq!(period_text(Lang::Vi, &windows, 2024, "Y"), "2024");
        assert_eq!(period_text(Lang::Vi, &windows, 2024, "Q9"), "Q9/2024");
    }
}
