//! The approved figures of a covenant's cluster as the data file that `thidua score --data`
//! reads (`unit,element,period,value`), so that anyone can recompute scores offline from
//! exactly the published figures: every approved (or historically imported) report of the
//! members and their predecessors, for the years before the covenant's and for the windows of
//! its year that end by the chosen window's end. Drafts and submitted-but-unapproved figures
//! are never exported; a figure reported as not applicable is written `na`, which the engine
//! reads as not applicable (never missing, never zero). A merged member's earlier years are declared the sum of its own and its
//! predecessors' figures (`@predecessors`), from the domain's lineage as the server scores them.
//!
//! Once a covenant's year-end results are published, the export can also carry the manually
//! scored criteria as `@manual:CRITERION` rows ([`ManualScores`]): each member's submitted
//! self-scores, or its final scores after the inspection and the council's resolutions — the
//! very scores the server published with — so that `thidua score` on the whole year's file
//! gives every member's published total, rank and band.

use std::fmt::Write as _;

use thidua_domain::calendar::Calendar;
use thidua_domain::figures::{Cell, Form, Scored};
use thidua_domain::model::{ReportingWindow, Unit};
use thidua_domain::state::Covenant;
use thidua_domain::yearend::error::refuse;
use thidua_domain::yearend::Review;
use thidua_domain::{CovenantId, DomainError, State, UnitId};
use thidua_scoring::input::plain_text;
use thidua_scoring::PeriodKey;

/// Which year-end scores of the manually scored criteria an export appends (`@manual:` rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManualScores {
    /// Each member's submitted self-scores (its dossier).
    SelfAssessed,
    /// The locked final scores: the self-scores as the inspection, the accepted proposals and
    /// the council's resolutions settled them (what the published totals are computed from).
    Final,
}

impl ManualScores {
    /// `self` or `final`, as the API's `scores` parameter names them.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "self" => Some(Self::SelfAssessed),
            "final" => Some(Self::Final),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::SelfAssessed => "self",
            Self::Final => "final",
        }
    }
}

/// The key of the covenant's reported window that ends last: the export up to it holds every
/// approved figure of the year (the window the year-end results are computed over).
pub fn year_window(state: &State, covenant: &CovenantId) -> Result<String, DomainError> {
    let calendar = state.calendar(covenant)?;
    calendar
        .reported()
        .iter()
        .max_by_key(|r| r.window.end)
        .map(|r| r.key().to_owned())
        .ok_or_else(|| DomainError::UnknownWindow("(none reported)".into()))
}

/// The window an export goes up to when none is named: the whole year (`Y`) for figures alone,
/// the last reported window with the year-end scores (what the results are computed over).
pub fn default_window(
    state: &State,
    covenant: &CovenantId,
    scores: Option<ManualScores>,
) -> Result<String, DomainError> {
    match scores {
        None => Ok("Y".into()),
        Some(_) => year_window(state, covenant),
    }
}

/// The id a unit has in data files (`[A-Za-z][A-Za-z0-9_]*`): its short code when that fits
/// ("KG"), else its id with `-` and `.` as `_` ("ca_kg").
pub fn data_id(unit: &Unit) -> String {
    let code = unit.short_code.as_str();
    let fits = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && s.len() <= 64
    };
    if fits(code) {
        return code.to_owned();
    }
    let id: String = unit
        .id
        .as_str()
        .chars()
        .map(|c| if c == '-' || c == '.' { '_' } else { c })
        .collect();
    if fits(&id) {
        id
    } else {
        format!("u_{id}")
    }
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// `@predecessors` rows, as the server's scoring declares them ([`thidua_domain::engine_data`]):
/// for each earlier year in which any of them reported, a member with direct predecessors (the
/// lineage as of the end of the covenant's year) counts as the sum of every unit of its
/// lineage that year ([`State::earlier_parts`]), whether or not it reported, so that a window
/// one of them lacks is missing, never a partial sum; a predecessor that had ceased by a
/// window it did not report adds 0 there ([`State::ceased_by`], as the server's data does).
fn predecessor_rows(
    state: &State,
    c: &Covenant,
    form: &Form,
    out: &mut String,
) -> Result<(), DomainError> {
    let reported = |u: &UnitId, year| !state.figures.published_year(u, year).is_empty();
    let mut zeroed = std::collections::BTreeSet::new();
    for m in state.members(&c.cluster, c.year)? {
        let sources = state.earlier_sources(m, c.year);
        if sources.is_empty() {
            continue;
        }
        for year in c.year - thidua_domain::engine_data::YEARS_BACK..c.year {
            if !(reported(m, year) || sources.iter().any(|p| reported(p, year))) {
                continue;
            }
            let parts = state.earlier_parts(m, &sources, year);
            if parts.iter().any(|u| u != m) {
                let ids: Result<Vec<String>, DomainError> =
                    parts.iter().map(|u| Ok(data_id(state.unit(u)?))).collect();
                let _ = writeln!(
                    out,
                    "{},@predecessors,{year},{}",
                    data_id(state.unit(m)?),
                    ids?.join(" ")
                );
            }
            for p in parts.iter().filter(|p| *p != m) {
                if zeroed.insert((p.clone(), year)) {
                    ceased_rows(state, c, form, p, year, out)?;
                }
            }
        }
    }
    Ok(())
}

/// 0 for every element of each window of `year` that `unit` had ceased by and did not report.
fn ceased_rows(
    state: &State,
    c: &Covenant,
    form: &Form,
    unit: &UnitId,
    year: i32,
    out: &mut String,
) -> Result<(), DomainError> {
    let id = data_id(state.unit(unit)?);
    for r in state.calendar(&c.id)?.reported() {
        let Some(period) = r.in_year(year) else {
            continue;
        };
        if state.ceased_by(unit, year, r.key(), period.dates().1) {
            for e in &form.elements {
                let _ = writeln!(out, "{id},{},{period},0", e.id);
            }
        }
    }
    Ok(())
}

/// The data file of the approved figures of `covenant` up to `window` of its year.
pub fn data_csv(state: &State, covenant: &CovenantId, window: &str) -> Result<String, DomainError> {
    data_csv_with(state, covenant, window, None)
}

/// The data file of the approved figures of `covenant` up to `window` of its year and, with
/// `scores`, the year-end scores of the manual criteria as `@manual:` rows. `scores` needs the
/// year-end results published (else `yearend_phase`) and a window that covers the whole year
/// (every reported window ends by its end; else `window`), since the results are computed
/// over the year.
pub fn data_csv_with(
    state: &State,
    covenant: &CovenantId,
    window: &str,
    scores: Option<ManualScores>,
) -> Result<String, DomainError> {
    let c = state.covenant(covenant)?;
    let cut = state.reporting_window(covenant, window)?;
    let form = state.reporting_form(covenant)?;
    let calendar = state.calendar(covenant)?;
    let review = scores
        .map(|_| published_review(state, covenant, window, &cut, &calendar))
        .transpose()?;
    let units = exported_units(state, c)?;
    check_distinct_ids(state, &units)?;
    let mut out = String::new();
    head(state, c, covenant, window, &cut, &calendar, &form, &mut out);
    if let (Some(which), Some(review)) = (scores, review) {
        manual_head(review, which, &mut out);
    }
    out.push_str("unit,element,period,value\n");
    name_rows(state, &units, &mut out)?;
    predecessor_rows(state, c, &form, &mut out)?;
    for u in &units {
        figure_rows(state, c, &form, &calendar, &cut, u, &mut out)?;
    }
    if let (Some(which), Some(review)) = (scores, review) {
        manual_rows(state, review, which, &mut out)?;
    }
    Ok(out)
}

/// The covenant's year-end review, for an export with its scores: refused unless its results
/// are published (`yearend_phase`) and `window` (`cut`) ends no earlier than any reported window.
fn published_review<'a>(
    state: &'a State,
    covenant: &CovenantId,
    window: &str,
    cut: &ReportingWindow,
    calendar: &Calendar<'_>,
) -> Result<&'a Review, DomainError> {
    // Not published, whether the review is open or not yet: said alike (a review not open
    // answered «not open», which was not what was asked).
    let not_published = || {
        refuse(
            "yearend_phase",
            format!("the year-end results of {covenant} are not published yet: the scores of the manual criteria are exported once they are"),
        )
    };
    let review = state.review(covenant).map_err(|_| not_published())?;
    if review.published.is_none() {
        return Err(not_published());
    }
    if let Some(later) = calendar.reported().iter().find(|r| r.window.end > cut.end) {
        return Err(DomainError::InvalidValue {
            field: "window",
            reason: format!(
                "the year-end scores go with the figures of the whole year, but window {window} ends before {}; export up to {}",
                later.key(),
                year_window(state, covenant)?
            ),
        });
    }
    Ok(review.as_ref())
}

/// The units an export covers: the members of the covenant's cluster and year, each followed by
/// its lineage (as of the end of the year) not listed yet.
fn exported_units(state: &State, c: &Covenant) -> Result<Vec<UnitId>, DomainError> {
    let (_, year_end) = thidua_domain::command::year_bounds(c.year);
    let mut units: Vec<UnitId> = Vec::new();
    for m in state.members(&c.cluster, c.year)? {
        for u in state.lineage_closure(m, year_end) {
            if !units.contains(&u) {
                units.push(u);
            }
        }
    }
    Ok(units)
}

/// Refuses an export in which two units would be written under the same data-file id.
fn check_distinct_ids(state: &State, units: &[UnitId]) -> Result<(), DomainError> {
    let mut ids = std::collections::BTreeMap::new();
    for u in units {
        let id = data_id(state.unit(u)?);
        if let Some(other) = ids.insert(id.clone(), u.clone()) {
            return Err(DomainError::InvalidValue {
                field: "unit",
                reason: format!("{other} and {u} would both be written as {id}; give them different short codes"),
            });
        }
    }
    Ok(())
}

/// The period over which `thidua score --period` recomputes the provisional scores of an
/// export up to `window`: the year to date through the last reported month that ends by the
/// window's end, as the progress pages score it (`2025-M01..M02`; `2025-Q1`, `2025-Y` where a
/// usual key names it). `None` when no reported month ends by then.
pub fn score_period(
    state: &State,
    covenant: &CovenantId,
    window: &str,
) -> Result<Option<PeriodKey>, DomainError> {
    let c = state.covenant(covenant)?;
    let cut = state.reporting_window(covenant, window)?;
    Ok(year_to_date(c, &cut, &state.calendar(covenant)?))
}

fn year_to_date(c: &Covenant, cut: &ReportingWindow, calendar: &Calendar<'_>) -> Option<PeriodKey> {
    let month = calendar
        .reported()
        .iter()
        .filter(|r| r.window.end <= cut.end)
        .map(|r| r.month)
        .max()?;
    PeriodKey::year_to_date(c.year, month)
}

/// The command that recomputes an export's scores over `period`: `thidua score --regulation
/// quy-dinh.toml --data so-lieu.csv --period 2025-M01..M02`.
pub fn score_command(period: &PeriodKey) -> String {
    format!("thidua score --regulation quy-dinh.toml --data so-lieu.csv --period {period}")
}

/// The comment lines that open an export: the covenant and its regulation's hash, the window
/// and log size it goes up to, the command that recomputes its provisional scores, and the values the regulation declares for figures not reported.
#[allow(clippy::too_many_arguments)]
fn head(
    state: &State,
    c: &Covenant,
    covenant: &CovenantId,
    window: &str,
    cut: &ReportingWindow,
    calendar: &Calendar<'_>,
    form: &Form,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "# Số liệu đã phê duyệt — approved figures of covenant {covenant} (regulation sha256 {})",
        c.in_force()
            .map_or("", |v| v.content.regulation.sha256.as_str())
    );
    let _ = writeln!(out, "# Đến hết kỳ {}-{window} ({}) theo nhật ký ở kích thước {} / up to {}-{window} as of log size {}", c.year, cut.end.format("%d/%m/%Y"), state.size, c.year, state.size);
    if let Some(period) = year_to_date(c, cut, calendar) {
        let _ = writeln!(
            out,
            "# Tính lại điểm tạm tính đến hết kỳ này / recompute the provisional scores to this window: {}",
            score_command(&period)
        );
    }
    // Figures nobody reported are not rows: the engine takes the value the regulation
    // declares for a missing figure (`missing`), as the server's scoring does.
    let defaults: Vec<String> = form
        .elements
        .iter()
        .filter_map(|e| Some(format!("{} = {}", e.id, plain_text(&e.missing?))))
        .collect();
    if !defaults.is_empty() {
        let _ = writeln!(
            out,
            "# Số liệu không báo cáo được tính theo giá trị quy định (missing) / figures not reported count as the regulation's `missing` value: {}",
            defaults.join(", ")
        );
    }
}

/// The `@name` rows: each unit's name, defused and quoted for the CSV.
fn name_rows(state: &State, units: &[UnitId], out: &mut String) -> Result<(), DomainError> {
    for u in units {
        let _ = writeln!(
            out,
            "{},@name,,{}",
            data_id(state.unit(u)?),
            quote(&thidua_scoring::input::defused(
                state.unit(u)?.name.as_str()
            ))
        );
    }
    Ok(())
}

/// A unit's rows of approved figures: for each year of the ten before the covenant's and its
/// own in which the unit has reports, each reported window (in the covenant's year, those that
/// end by `cut`'s end) by its months.
fn figure_rows(
    state: &State,
    c: &Covenant,
    form: &Form,
    calendar: &Calendar<'_>,
    cut: &ReportingWindow,
    u: &UnitId,
    out: &mut String,
) -> Result<(), DomainError> {
    let id = data_id(state.unit(u)?);
    let mut years: Vec<i32> = (c.year - 10..=c.year).collect();
    years.retain(|y| !state.figures.reports_of_unit(u, *y).is_empty());
    for year in years {
        for r in calendar.reported() {
            if year == c.year && r.window.end > cut.end {
                continue;
            }
            // The period by its months, as `thidua score --data` reads it.
            let Some(period) = r.in_year(year) else {
                continue;
            };
            let cells = state.figures.published_cells(form, u, year, r.key());
            for (element, cell) in cells.into_iter().flatten() {
                figure_row(form, &id, element, &period, cell, out);
            }
        }
    }
    Ok(())
}

/// One figure's row as the server's engine reads it ([`thidua_domain::figures::FormElement::scored`]): its value (a
/// blank one as the regulation's `missing`, if it declares one), `na` when the unit reported it
/// as not applicable (`thidua score --data` reads it so), else nothing.
fn figure_row(
    form: &Form,
    id: &str,
    element: &str,
    period: &PeriodKey,
    cell: Cell,
    out: &mut String,
) {
    let Some(e) = form.elements.iter().find(|e| e.id == element) else {
        return;
    };
    match e.scored(&cell) {
        Scored::Value(d) => {
            let _ = writeln!(out, "{id},{element},{period},{}", plain_text(&d));
        }
        Scored::NotApplicable => {
            let _ = writeln!(out, "{id},{element},{period},na");
        }
        Scored::Absent => {}
    }
}

/// The comment lines before the header of an export with year-end scores: which scores and
/// the publication.
fn manual_head(review: &Review, which: ManualScores, out: &mut String) {
    let index = review.published.as_ref().map_or(0, |(_, i)| *i);
    let _ = match which {
        ManualScores::SelfAssessed => writeln!(
            out,
            "# Điểm tự chấm các tiêu chí chấm thủ công (@manual) theo hồ sơ các đơn vị đã nộp; kết quả công bố ở số thứ tự {index} / the members' submitted self-scores of the manual criteria (@manual); results published at log index {index}"
        ),
        ManualScores::Final => writeln!(
            out,
            "# Điểm cuối cùng các tiêu chí chấm thủ công (@manual) sau kiểm tra chéo và giải quyết khiếu nại, đã khoá, và quyết định của cụm trưởng khi bằng điểm tại ngưỡng tỷ lệ tối đa (@kept); kết quả công bố ở số thứ tự {index} / the locked final scores of the manual criteria (@manual) after the inspection and the council's resolutions, and the cluster head's decisions on ties at a quota cut-off (@kept); results published at log index {index}"
        ),
    };
}

/// The `@manual:` rows of the members, for the regulation's period, and with the final scores
/// the `@kept:` rows of the cluster head's decisions: exactly what the server's scoring takes
/// ([`thidua_domain::yearend::score::inputs`]); a member that handed in no dossier has none, so
/// no total.
fn manual_rows(
    state: &State,
    review: &Review,
    which: ManualScores,
    out: &mut String,
) -> Result<(), DomainError> {
    let compiled = thidua_domain::engine_data::regulation(state, &review.schedule.covenant)?;
    let period = compiled.ast().period.to_string();
    for m in &review.members {
        let id = data_id(state.unit(m)?);
        let scores = match which {
            ManualScores::SelfAssessed => review.self_scores(m),
            ManualScores::Final => review.final_scores(m),
        };
        for (criterion, score) in scores {
            let _ = writeln!(
                out,
                "{id},@manual:{criterion},{period},{}",
                plain_text(&score)
            );
        }
    }
    if which == ManualScores::Final {
        let id_of = |u: &UnitId| state.unit(u).ok().map(data_id);
        for (band, id, at) in thidua_domain::yearend::score::tie_decisions(review, id_of) {
            let _ = writeln!(out, "{id},@kept:{band},,{at}");
        }
    }
    Ok(())
}
