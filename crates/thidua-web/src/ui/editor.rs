//! The covenant form, for the cluster's secretariat and administrators: drafting version 1
//! (`/clusters/{id}/covenants/new`), amending an unsigned draft or proposing the next version
//! (`/covenants/{id}/edit`). Targets are rows of fields ([`super::targets`]); the regulation is
//! typed or uploaded and its diagnostics shown beside its lines ([`super::regulation`]). The
//! domain's own check runs before the command is executed, so that its refusal can be told
//! with names and shown beside the field it concerns.

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::event::parse_date;
use thidua_domain::model::CovenantContent;
use thidua_domain::text::limits;
use thidua_domain::{Actor, ClusterId, Command, CovenantId, DomainError, MovementId, Text};

use super::form::{Errors, Submitted};
use super::names::Named;
use super::regulation::{compile_field, sent_text, RegLine};
use super::targets::{self, Row};
use super::{render, viewer_error, Layout};
use crate::api::dto::{self, MovementDto};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::AppState;

/// What the form holds (kept when it comes back).
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub covenant: String,
    pub movement: String,
    pub title: String,
    pub place: String,
    pub date: String,
    pub rows: Vec<Row>,
    pub regulation: String,
    /// The row whose first field takes the focus (after adding or removing a row), so that the
    /// page lands where the clerk was working instead of at its top.
    pub focus: Option<usize>,
}

#[derive(Template)]
#[template(path = "covenant_edit.html")]
struct EditorPage {
    l: Layout,
    /// `new`, `amend` or `propose`.
    mode: &'static str,
    action: String,
    back: String,
    cluster: Named,
    v: Values,
    movements: Vec<MovementDto>,
    shapes: &'static [(&'static str, &'static str)],
    indicators: Vec<(String, String)>,
    errors: Errors,
    listing: Vec<RegLine>,
    limits: (usize, usize, usize, usize),
}

impl EditorPage {
    fn selected(&self, a: &str, b: &str) -> bool {
        a == b
    }

    /// ` autofocus` on the first field of the row to focus.
    fn autofocus(&self, i: &usize) -> &'static str {
        if self.v.focus == Some(*i) {
            " autofocus"
        } else {
            ""
        }
    }

    fn has_indicator(&self, id: &str) -> bool {
        self.indicators.iter().any(|(i, _)| i == id)
    }

    /// The message beside field `f` of row `i`.
    fn row_err(&self, i: impl std::fmt::Display, f: &str) -> Option<&str> {
        self.errors.get(&format!("t{i}-{f}"))
    }

    fn row_aria(&self, i: impl std::fmt::Display, f: &str) -> String {
        self.errors.aria(&format!("t{i}-{f}"))
    }
}

/// Which form: its mode, cluster, where it posts and where "back" leads.
struct Form {
    mode: &'static str,
    cluster: ClusterId,
    action: String,
    back: String,
}

fn show(
    app: &AppState,
    viewer: &Viewer,
    form: Form,
    v: Values,
    mut errors: Errors,
    listing: Vec<RegLine>,
) -> Response {
    let Form {
        mode,
        cluster,
        action,
        back,
    } = form;
    let cluster = &cluster;
    let t = viewer.lang.strings();
    let state = app.service.read();
    let regulation_text = thidua_scoring::compile(&v.regulation)
        .map(|c| c.canonical_text().to_owned())
        .unwrap_or_default();
    let indicators =
        thidua_domain::covenant::regulation_indicators(&regulation_text).unwrap_or_default();
    let title = match mode {
        "new" => t.draft_covenant,
        "amend" => t.amend_draft,
        _ => t.propose_version,
    };
    // The summary names each field ("Địa điểm ký: Không được để trống."); a row's fields are
    // named where they are read ([`targets::parse_rows`]).
    errors.name_fields(&[
        ("covenant", t.covenant_id_label),
        ("movement", t.movement),
        ("title", t.title_label),
        ("place", t.place_label),
        ("date", t.signing_date_name),
        ("targets", t.targets),
        ("regulation", t.regulation_text),
    ]);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&EditorPage {
        l: Layout::new(viewer, title),
        mode,
        action,
        back,
        cluster: super::names::cluster(&state, cluster),
        v,
        movements: dto::movements(&state),
        shapes: t.shape_labels,
        indicators,
        errors,
        listing,
        limits: (limits::TITLE, limits::PLACE, limits::AREA, limits::SUBJECT),
    });
    *res.status_mut() = status;
    res
}

/// Whether the viewer manages the cluster (the domain's own rule).
fn may_manage(app: &AppState, viewer: &Viewer, cluster: &ClusterId) -> bool {
    let actor = Actor::User(viewer.user.clone());
    thidua_domain::authz::authorise(
        &app.service.read(),
        &actor,
        &thidua_domain::authz::Permission::ManageCluster(cluster.clone()),
    )
    .is_ok()
}

#[derive(Deserialize)]
pub struct NewParams {
    year: Option<i32>,
    /// An earlier covenant of the cluster to start from (its targets, regulation, title, place).
    from: Option<String>,
}

/// `GET /clusters/{id}/covenants/new?year=`: an empty form with one row, the movement of the
/// year chosen.
pub async fn new_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NewParams>,
) -> Response {
    let Ok(cluster) = ClusterId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if !may_manage(&app, &viewer, &cluster) {
        return viewer_error(&viewer, ApiError::forbidden());
    }
    // The newest movement of the year, preferring one under which the cluster has no covenant
    // yet (a cluster has one covenant per movement).
    let mut errors = Errors::default();
    let movement = {
        let state = app.service.read();
        let taken = |m: &thidua_domain::MovementId| {
            state.covenants.values().find(|c| {
                &c.movement == m && c.cluster == cluster && c.latest().withdrawn.is_none()
            })
        };
        let chosen = state
            .movements
            .values()
            .filter(|m| q.year.is_none_or(|y| m.year == y))
            .max_by_key(|m| (taken(&m.id).is_none(), m.year));
        // Every movement of the year has the cluster's covenant already: said before the form
        // is filled in, not after (the domain refuses a second one).
        if let Some(existing) = chosen.and_then(|m| taken(&m.id)) {
            let refusal = thidua_domain::DomainError::CovenantForYearExists {
                existing: existing.id.to_string(),
            };
            errors.push(
                "movement",
                super::names::domain_error(viewer.lang, &state, &refusal),
            );
        }
        chosen.map(|m| m.id.to_string()).unwrap_or_default()
    };
    let mut rows = Vec::new();
    targets::apply_op(&mut rows, "add");
    let mut v = Values {
        movement,
        rows,
        ..Values::default()
    };
    if let Some(from) = &q.from {
        match model_values(&app, &viewer, &cluster, from, q.year) {
            Some(model) => {
                v = Values {
                    movement: v.movement,
                    ..model
                }
            }
            None => return viewer_error(&viewer, ApiError::not_found()),
        }
    }
    let mut page = show(
        &app,
        &viewer,
        Form {
            mode: "new",
            cluster: cluster.clone(),
            action: format!("/clusters/{id}/covenants/new"),
            back: format!("/clusters/{id}"),
        },
        v,
        errors,
        Vec::new(),
    );
    // The page is there; the note beside the movement only warns.
    *page.status_mut() = StatusCode::OK;
    page
}

/// The form filled from an earlier covenant of the cluster the viewer may see: its title, place,
/// targets and regulation as in force; the targets' baseline years, and the regulation's
/// `year`, `period` and `baseline_year`, moved by as many years as the new covenant is later
/// (a copy kept comparing with the old years, and the domain refuses a regulation of another
/// year); no id, movement or signing date (those are the new year's).
fn model_values(
    app: &AppState,
    viewer: &Viewer,
    cluster: &ClusterId,
    from: &str,
    year: Option<i32>,
) -> Option<Values> {
    let state = app.service.read();
    let c = state.covenants.get(&CovenantId::parse(from).ok()?)?;
    if &c.cluster != cluster || !viewer.scope.can_view_covenant(&state, c) {
        return None;
    }
    let content = &c.in_force().unwrap_or_else(|| c.latest()).content;
    let shift = year.map_or(0, |y| y - c.year);
    let mut rows = targets::rows_from_targets(&content.targets);
    for r in &mut rows {
        let mut years = vec![c.year];
        if let Ok(b) = r.baseline.parse::<i32>() {
            r.baseline = (b + shift).to_string();
            years.push(b);
        }
        r.subject = moved_years(&r.subject, &years, shift);
    }
    // The validation rules the secretariat added to that covenant travel with the regulation
    // as its own `[[rule]]` tables, signed with it (a rule set on a covenant stayed behind).
    let added: Vec<thidua_scoring::ast::Rule> = state
        .figures
        .rules
        .get(&c.id)
        .map(|list| {
            list.iter()
                .map(thidua_domain::figures::rule_table)
                .collect()
        })
        .unwrap_or_default();
    let place = match year.filter(|_| shift != 0) {
        Some(y) => moved_place(&state, cluster, y, content.place.as_str()),
        None => content.place.to_string(),
    };
    Some(Values {
        title: moved_years(content.title.as_str(), &[c.year], shift),
        place,
        rows,
        regulation: moved_regulation(&content.regulation.text, c.year, shift, added),
        ..Values::default()
    })
}

/// The signing place of a covenant copied into `year`: the province of the year's head unit
/// (where the cluster's conference is usually held), else the copied place — unless it is
/// the province of a unit that ceases by the year's end (Kiên Giang, merged on 01/07/2025),
/// which the secretariat then types anew.
fn moved_place(
    state: &thidua_domain::State,
    cluster: &ClusterId,
    year: i32,
    copied: &str,
) -> String {
    use thidua_docs::templates::common::unit_place;
    let (start, end) = thidua_domain::org::year_bounds(year);
    let head = state
        .clusters
        .get(cluster)
        .and_then(|c| c.years.get(&year))
        .and_then(|y| y.head.as_ref())
        .and_then(|h| state.units.get(&h.unit))
        .and_then(|u| unit_place(u, start));
    if let Some(place) = head {
        return place;
    }
    let gone = state.units.values().any(|u| {
        u.dissolved.is_some_and(|d| d <= end) && unit_place(u, start).as_deref() == Some(copied)
    });
    if gone {
        String::new()
    } else {
        copied.to_owned()
    }
}

/// `text` with each of `years` written in it as a year (four digits, no digit either side:
/// "năm 2024", "so với năm 2023", never "12024" or an id's "2024a") moved by `shift` years: a
/// copied title and a target's subject then speak of the new covenant's year and baseline
/// year. Other years (a law's "2022", a plan's "2021-2025") are left as written.
fn moved_years(text: &str, years: &[i32], shift: i32) -> String {
    if shift == 0 {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 0 {
            let ch = text[i..].chars().next().expect("within the text");
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let digits = &text[i..i + run];
        let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let glued = letter(text[..i].chars().next_back()) || letter(text[i + run..].chars().next());
        match digits.parse::<i32>() {
            Ok(y) if run == 4 && !glued && years.contains(&y) => {
                out.push_str(&(y + shift).to_string())
            }
            _ => out.push_str(digits),
        }
        i += run;
    }
    out
}

/// A regulation of the covenant of `year` moved by `shift` years — its `year`, default
/// `period` and `baseline_year`, and its names that speak of that year or of its baseline year
/// ("Quy định chấm điểm năm 2024", "so với năm 2023", as [`moved_years`] moves them) — with
/// the `rules` it lacks (by id) added as its own, in its canonical form (the text a covenant
/// stores is canonical already). A text that does not parse is returned as it is, for the
/// form to report.
fn moved_regulation(
    text: &str,
    year: i32,
    shift: i32,
    rules: Vec<thidua_scoring::ast::Rule>,
) -> String {
    use thidua_scoring::syntax::{parse, print};
    if shift == 0 && rules.is_empty() {
        return text.to_owned();
    }
    let Ok(mut ast) = parse::parse(&parse::normalise(text)) else {
        return text.to_owned();
    };
    let years: Vec<i32> = std::iter::once(year)
        .chain(ast.baseline_year)
        .chain(Some(ast.year))
        .collect();
    ast.rename(|name| moved_years(name, &years, shift));
    ast.move_years(shift);
    for r in rules {
        if !ast.rules.iter().any(|x| x.id == r.id) {
            ast.rules.push(r);
        }
    }
    print::print(&ast)
}

/// `GET /covenants/{id}/edit`: the form filled with the latest version.
pub async fn edit_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let (c, mode) = match super::regulation::editable(&app, &viewer, &id) {
        Ok(found) => found,
        Err(e) => return viewer_error(&viewer, e),
    };
    let content = &c.latest().content;
    let v = Values {
        covenant: c.id.to_string(),
        movement: c.movement.to_string(),
        title: content.title.to_string(),
        place: content.place.to_string(),
        date: crate::format::date(&content.signing_date),
        rows: targets::rows_from_targets(&content.targets),
        regulation: content.regulation.text.clone(),
        focus: None,
    };
    show(
        &app,
        &viewer,
        Form {
            mode,
            cluster: c.cluster.clone(),
            action: format!("/covenants/{id}/edit"),
            back: format!("/covenants/{id}"),
        },
        v,
        Errors::default(),
        Vec::new(),
    )
}

/// Reads the common fields; every problem goes beside its field.
fn read(
    f: &Submitted,
    viewer: &Viewer,
    year: Option<i32>,
    errors: &mut Errors,
) -> (Values, Option<CovenantContent>, Vec<RegLine>) {
    let lang = viewer.lang;
    let mut v = Values {
        covenant: f.get("covenant"),
        movement: f.get("movement"),
        title: f.get("title"),
        place: f.get("place"),
        date: f.get("date"),
        rows: targets::rows_from_form(f),
        regulation: String::new(),
        focus: None,
    };
    let title = Text::parse("title", &v.title, limits::TITLE)
        .map_err(|e| errors.push("title", lang.refusal(&e)))
        .ok();
    let place = Text::parse("place", &v.place, limits::PLACE)
        .map_err(|e| errors.push("place", lang.refusal(&e)))
        .ok();
    let date = parse_date(&v.date);
    match (date, year) {
        (None, _) => errors.push("date", lang.error("invalid_date")),
        (Some(d), Some(y)) => {
            if let Err(e) = thidua_domain::covenant::check_signing_date(d, y) {
                errors.push("date", lang.refusal(&e));
            }
        }
        _ => {}
    }
    let (raw, compiled) = compile_field(f, ("regulation", "regulation_file"), year, lang, errors);
    v.regulation = raw;
    // A regulation that cannot be read says so beside it; its targets' indicators are not
    // judged against nothing.
    let indicators: Option<thidua_domain::target::Indicators> = compiled
        .doc
        .as_ref()
        .map(|d| super::regulation::indicator_ids(&d.text));
    let targets = match year {
        Some(y) => targets::parse_rows(&v.rows, lang, y, indicators.as_ref(), errors),
        None => None,
    };
    let content = match (title, place, date, targets, compiled.doc) {
        (Some(title), Some(place), Some(signing_date), Some(targets), Some(regulation))
            if errors.is_empty() =>
        {
            Some(CovenantContent {
                title,
                place,
                signing_date,
                targets,
                regulation,
            })
        }
        _ => None,
    };
    (v, content, compiled.listing)
}

/// The field a domain refusal concerns.
fn field_of(e: &DomainError) -> &'static str {
    match e.code() {
        "covenant_exists" | "invalid_id" => "covenant",
        "no_cluster_year" | "unknown_movement" | "covenant_year_exists" => "movement",
        "signing_date_out_of_range" | "unit_not_active" | "unit_dissolved" => "date",
        "invalid_regulation" | "regulation_not_canonical" | "regulation_year" => "regulation",
        "title" => "title",
        _ => "targets",
    }
}

/// Decides the command as the domain will, then executes it: a refusal comes back as a message
/// with names, beside its field.
async fn submit(app: &AppState, viewer: &Viewer, command: Command, errors: &mut Errors) -> bool {
    let actor = Actor::User(viewer.user.clone());
    let decided = {
        let state = app.service.read();
        crate::api::dry_run(&state, &actor, viewer.now_ms, command.clone()).map_err(|e| {
            (
                field_of(&e),
                super::names::domain_error(viewer.lang, &state, &e),
            )
        })
    };
    if let Err((field, message)) = decided {
        errors.push(field, message);
        return false;
    }
    match crate::api::execute(app, viewer, vec![command]).await {
        Ok(_) => true,
        Err(e) => {
            errors.push("targets", viewer.lang.api_error(&e));
            false
        }
    }
}

/// `POST /clusters/{id}/covenants/new`.
pub async fn create(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: Submitted,
) -> Response {
    let Ok(cluster) = ClusterId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if !may_manage(&app, &viewer, &cluster) {
        return viewer_error(&viewer, ApiError::forbidden());
    }
    let lang = viewer.lang;
    let mut errors = Errors::default();
    let movement = MovementId::parse(f.get("movement").trim()).ok();
    let year = movement
        .as_ref()
        .and_then(|m| app.service.read().movements.get(m).map(|m| m.year));
    if year.is_none() {
        errors.push("movement", lang.error("unknown_movement"));
    }
    let action = format!("/clusters/{id}/covenants/new");
    let back = format!("/clusters/{id}");
    let mut rows_only = targets::rows_from_form(&f);
    if targets::apply_op(&mut rows_only, &f.get("op")) {
        let mut v = Values {
            covenant: f.get("covenant"),
            movement: f.get("movement"),
            title: f.get("title"),
            place: f.get("place"),
            date: f.get("date"),
            focus: targets::focus_after(&f.get("op"), rows_only.len()),
            rows: rows_only,
            regulation: String::new(),
        };
        let mut errors = Errors::default();
        v.regulation = sent_regulation(&f, lang, &mut errors);
        return show(
            &app,
            &viewer,
            Form {
                mode: "new",
                cluster: cluster.clone(),
                action,
                back,
            },
            v,
            errors,
            Vec::new(),
        );
    }
    let covenant = CovenantId::parse(f.get("covenant").trim())
        .map_err(|e| errors.push("covenant", lang.refusal(&e)))
        .ok();
    let (v, content, listing) = read(&f, &viewer, year, &mut errors);
    if let (Some(covenant), Some(movement), Some(content), true) =
        (covenant, movement, content, errors.is_empty())
    {
        let command = Command::DraftCovenant {
            covenant: covenant.clone(),
            movement,
            cluster: cluster.clone(),
            content,
        };
        if submit(&app, &viewer, command, &mut errors).await {
            return Redirect::to(&format!("/covenants/{covenant}?saved=1")).into_response();
        }
    }
    show(
        &app,
        &viewer,
        Form {
            mode: "new",
            cluster: cluster.clone(),
            action,
            back,
        },
        v,
        errors,
        listing,
    )
}

/// `POST /covenants/{id}/edit`: amends the unsigned draft, or proposes the next version.
pub async fn update(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    f: Submitted,
) -> Response {
    let (c, mode) = match super::regulation::editable(&app, &viewer, &id) {
        Ok(found) => found,
        Err(e) => return viewer_error(&viewer, e),
    };
    let action = format!("/covenants/{id}/edit");
    let back = format!("/covenants/{id}");
    let mut rows_only = targets::rows_from_form(&f);
    if targets::apply_op(&mut rows_only, &f.get("op")) {
        let mut errors = Errors::default();
        let v = Values {
            covenant: id.clone(),
            movement: c.movement.to_string(),
            title: f.get("title"),
            place: f.get("place"),
            date: f.get("date"),
            focus: targets::focus_after(&f.get("op"), rows_only.len()),
            rows: rows_only,
            regulation: sent_regulation(&f, viewer.lang, &mut errors),
        };
        return show(
            &app,
            &viewer,
            Form {
                mode,
                cluster: c.cluster.clone(),
                action,
                back,
            },
            v,
            errors,
            Vec::new(),
        );
    }
    let mut errors = Errors::default();
    let (mut v, content, listing) = read(&f, &viewer, Some(c.year), &mut errors);
    v.covenant = id.clone();
    v.movement = c.movement.to_string();
    if let Some(content) = content {
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
        if submit(&app, &viewer, command, &mut errors).await {
            return Redirect::to(&format!("/covenants/{id}?saved=1")).into_response();
        }
    }
    show(
        &app,
        &viewer,
        Form {
            mode,
            cluster: c.cluster.clone(),
            action,
            back,
        },
        v,
        errors,
        listing,
    )
}

/// The regulation sent with a form that only adds or removes a target row: the chosen file's
/// text, so that a file picked before the click is not lost (one that is not UTF-8 is refused
/// beside the field, which keeps its text).
fn sent_regulation(f: &Submitted, lang: Lang, errors: &mut Errors) -> String {
    sent_text(f, ("regulation", "regulation_file"), lang, errors)
        .unwrap_or_else(|| f.get("regulation"))
}

#[cfg(test)]
mod tests {
    use super::moved_years;

    #[test]
    fn a_copied_text_speaks_of_the_new_years_only() {
        let title = "Giao ước thi đua năm 2024 — Cụm 12";
        assert_eq!(
            moved_years(title, &[2024], 1),
            "Giao ước thi đua năm 2025 — Cụm 12"
        );
        let subject = "Kiềm chế tội phạm so với năm 2023 (Luật Thi đua 2022, kế hoạch 2021-2025)";
        assert_eq!(
            moved_years(subject, &[2024, 2023], 1),
            "Kiềm chế tội phạm so với năm 2024 (Luật Thi đua 2022, kế hoạch 2021-2025)"
        );
        // Not a year: more digits, or glued to letters.
        assert_eq!(
            moved_years("12024 QĐ2024 2024a", &[2024], 1),
            "12024 QĐ2024 2024a"
        );
        assert_eq!(moved_years(title, &[2024], 0), title);
    }
}
