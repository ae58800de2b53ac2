//! The approved figures of a covenant's cluster as the data file that `thidua score --data`
//! reads (`unit,element,period,value`), so that anyone can recompute scores offline from
//! exactly the published figures: every approved (or historically imported) report of the
//! members and their predecessors, for the years before the covenant's and for the windows of
//! its year that end by the chosen window's end. Drafts and submitted-but-unapproved figures
//! are never exported; "not applicable" figures are written as comment lines (the engine treats
//! them as missing). A merged member's earlier years are declared the sum of its own and its
//! predecessors' figures (`@predecessors`), from the domain's lineage as the server scores them.

use std::fmt::Write as _;

use thidua_domain::figures::Cell;
use thidua_domain::model::Unit;
use thidua_domain::{CovenantId, DomainError, State, UnitId};
use thidua_scoring::input::plain_text;

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
/// for each earlier year, a member with direct predecessors (the lineage as of the end of the
/// covenant's year) counts as the sum of itself and those of them that have approved figures.
fn predecessor_rows(
    state: &State,
    c: &thidua_domain::state::Covenant,
    out: &mut String,
) -> Result<(), DomainError> {
    let (_, year_end) = thidua_domain::command::year_bounds(c.year);
    let reported = |u: &UnitId, year| !state.figures.published_year(u, year).is_empty();
    for m in state.members(&c.cluster, c.year)? {
        let direct = state.predecessors(m, year_end);
        if direct.is_empty() {
            continue;
        }
        for year in c.year - thidua_domain::engine_data::YEARS_BACK..c.year {
            let mut sum: Vec<&UnitId> = reported(m, year).then_some(m).into_iter().collect();
            sum.extend(direct.iter().filter(|p| *p != m && reported(p, year)));
            if sum.iter().any(|u| *u != m) {
                let ids: Result<Vec<String>, DomainError> =
                    sum.iter().map(|u| Ok(data_id(state.unit(u)?))).collect();
                let _ = writeln!(
                    out,
                    "{},@predecessors,{year},{}",
                    data_id(state.unit(m)?),
                    ids?.join(" ")
                );
            }
        }
    }
    Ok(())
}

/// The data file of the approved figures of `covenant` up to `window` of its year.
pub fn data_csv(state: &State, covenant: &CovenantId, window: &str) -> Result<String, DomainError> {
    let c = state.covenant(covenant)?;
    let cut = state.reporting_window(covenant, window)?;
    let form = state.reporting_form(covenant)?;
    let calendar = state.calendar(covenant)?;
    let (_, year_end) = thidua_domain::command::year_bounds(c.year);
    let mut units: Vec<UnitId> = Vec::new();
    for m in state.members(&c.cluster, c.year)? {
        for u in state.lineage_closure(m, year_end) {
            if !units.contains(&u) {
                units.push(u);
            }
        }
    }
    let mut ids = std::collections::BTreeMap::new();
    for u in &units {
        let id = data_id(state.unit(u)?);
        if let Some(other) = ids.insert(id.clone(), u.clone()) {
            return Err(DomainError::InvalidValue {
                field: "unit",
                reason: format!("{other} and {u} would both be written as {id}; give them different short codes"),
            });
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Số liệu đã phê duyệt — approved figures of covenant {covenant} (regulation sha256 {})",
        c.in_force()
            .map_or("", |v| v.content.regulation.sha256.as_str())
    );
    let _ = writeln!(out, "# Đến hết kỳ {}-{window} ({}) theo nhật ký ở kích thước {} / up to {}-{window} as of log size {}", c.year, cut.end.format("%d/%m/%Y"), state.size, c.year, state.size);
    out.push_str("unit,element,period,value\n");
    for u in &units {
        let _ = writeln!(
            out,
            "{},@name,,{}",
            data_id(state.unit(u)?),
            quote(&thidua_scoring::input::defused(
                state.unit(u)?.name.as_str()
            ))
        );
    }
    predecessor_rows(state, c, &mut out)?;
    for u in &units {
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
                let cells = state.figures.published_cells(&form, u, year, r.key());
                for (element, cell) in cells.into_iter().flatten() {
                    match cell {
                        Cell::Number(d) => {
                            let _ = writeln!(out, "{id},{element},{period},{}", plain_text(&d));
                        }
                        Cell::NotApplicable => {
                            let _ = writeln!(
                                out,
                                "# {id},{element},{period}: không áp dụng / not applicable"
                            );
                        }
                        Cell::Missing => {}
                    }
                }
            }
        }
    }
    Ok(out)
}
