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
use thidua_domain::CovenantId;

use super::{render, viewer_error, Layout};
use crate::api::flags::{flags_page_of, FlagsDto, FlagsQuery};
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
}

impl FlagsPage {
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

/// The page's filters and page.
#[derive(Deserialize)]
pub struct FlagsParams {
    unit: Option<String>,
    kind: Option<String>,
    page: Option<usize>,
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
    let Ok(id) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let q = FlagsQuery {
        unit: params.unit.filter(|u| !u.is_empty()),
        period: None,
        kind: params.kind.filter(|k| !k.is_empty()),
    };
    let (scope, mut asked) = (viewer.scope.clone(), q.clone());
    let read = app
        .blocking(move |app| {
            let state = app.service.read();
            asked.unit = asked.unit.map(|typed| unit_named(&state, &id, &typed));
            let pick = |n| super::page_of(n, ROWS_PER_PAGE, params.page).0;
            let found = flags_page_of(app, &state, &scope, &id, &asked, pick)?;
            Ok((found, asked.unit, covenant_windows(&state, &id)))
        })
        .await;
    let ((mut d, flags, total), unit, windows) = match read {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let (_, page, pages) = super::page_of(total, ROWS_PER_PAGE, params.page);
    let lang: Lang = viewer.lang;
    let rows = d
        .flags
        .iter()
        .zip(&flags)
        .map(|(dto, f)| Row {
            unit: dto.unit.name.clone(),
            unit_id: dto.unit.id.clone(),
            period: period_text(lang, &windows, f.period.year, &f.period.window),
            report: (f.period.window != "Y").then(|| {
                format!(
                    "/covenants/{}/figures/{}/{}",
                    d.covenant, dto.unit.id, f.period.window
                )
            }),
            kind: dto.kind.clone(),
            kind_name: i18n::kind_name(lang, f.kind),
            reason: i18n::reason_parts(lang, f),
        })
        .collect();
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
        l: Layout::new(&viewer, format!("{}: {}", s.title, d.title)),
        s,
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
    })
}

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/covenants/{id}/flags", axum::routing::get(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flags_window_is_named_in_the_pages_language() {
        let windows = thidua_domain::calendar::default_calendar(2024);
        assert_eq!(period_text(Lang::Vi, &windows, 2024, "M03"), "Tháng 3/2024");
        assert_eq!(period_text(Lang::En, &windows, 2023, "M03"), "Month 3/2023");
        assert_eq!(period_text(Lang::Vi, &windows, 2024, "Y"), "2024");
        assert_eq!(period_text(Lang::Vi, &windows, 2024, "Q9"), "Q9/2024");
    }
}
