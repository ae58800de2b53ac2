//! The head's or deputy's decision of a tie at the cut-off.

use super::*;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "election_tie.html")]
pub(super) struct TiePage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    intro: String,
    unit: Named,
    unit_id: String,
    /// (unit id, name, its approvals in words, checked)
    candidates: Vec<(String, Named, String, bool)>,
    decision: String,
    errors: Errors,
    /// The decisions recorded so far (who decided what).
    decisions: Vec<super::super::TieDecisionView>,
    /// The form is offered: neither this unit nor the viewer recorded a decision yet (or the
    /// head's decision may now stand alone for the deputy's silence).
    may_decide: bool,
    /// The head's decision recorded now stands alone for the deputy's silence.
    alone_now: bool,
}

pub(super) fn tie_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    unit: &UnitId,
    typed: Option<(&[String], &str)>,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some((r, tie)) = tied_round(e) else {
        return viewer_error(viewer, conflict("no_tie"));
    };
    let approvals: HashMap<&UnitId, u32> = r
        .count
        .as_ref()
        .map(|c| {
            r.candidates
                .iter()
                .zip(c.approvals.iter().copied())
                .collect()
        })
        .unwrap_or_default();
    let res = render(&TiePage {
        l: Layout::new(viewer, m.tie_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        intro: m.tie_choice_intro(tie.seats),
        unit: names::unit(state, unit),
        unit_id: unit.to_string(),
        candidates: tie
            .candidates
            .iter()
            .map(|u| {
                let on = typed.is_some_and(|(c, _)| c.iter().any(|x| x == u.as_str()));
                (
                    u.to_string(),
                    names::unit(state, u),
                    s.approvals_count(approvals.get(u).copied().unwrap_or(0)),
                    on,
                )
            })
            .collect(),
        decision: typed.map(|(_, d)| d.to_owned()).unwrap_or_default(),
        errors: errors.clone(),
        decisions: super::super::tie_decisions(state, viewer, r),
        may_decide: may_decide(state, viewer, e, r, unit),
        alone_now: state.deputy_silent(e, r.number, unit, viewer.now_ms),
    });
    with_status(res, &errors)
}

/// The head or deputy unit the viewer acts for in a tie: the one asked, else the first.
pub(super) fn tie_unit(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    asked: Option<&str>,
) -> Option<UnitId> {
    let mine = chairs(state, viewer, e);
    match asked {
        Some(a) => mine.into_iter().find(|u| u.as_str() == a),
        None => mine.into_iter().next(),
    }
}

/// `GET /elections/{id}/tie?unit=`: the head's or the deputy's decision of a tie.
pub(super) async fn tie_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = tie_unit(&state, &viewer, &e, q.unit.as_deref()) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    tie_view(&state, &viewer, &e, &unit, None, Errors::default())
}

/// `POST /elections/{id}/tie`: `unit`, `round`, checkboxes `c_<unit>`, `decision`, the viewer's
/// `password` (checked again before the decision is recorded).
pub(super) async fn decide_tie(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = tie_unit(&state, &viewer, &e, Some(form.get("unit").as_str())) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    let Some((r, tie)) = tied_round(&e) else {
        return viewer_error(&viewer, conflict("no_tie"));
    };
    let may = may_decide(&state, &viewer, &e, r, &unit);
    drop(state);
    if !may {
        // Already decided: the page again, with the decisions and without the form.
        let state = app.service.read();
        let mut page = tie_view(&state, &viewer, &e, &unit, None, Errors::default());
        *page.status_mut() = axum::http::StatusCode::CONFLICT;
        return page;
    }
    let ticked = ticked(&form);
    let decision_raw = form.get("decision");
    let mut errors = Errors::default();
    let choice = tie_choice(viewer.lang, &tie, &ticked, &decision_raw, &mut errors);
    if let Some((chosen, decision)) = choice {
        if let Some(rechecked) = step_up(
            &app,
            &viewer,
            form.get("password"),
            "tie-password",
            &mut errors,
        )
        .await
        {
            let command = VoteCommand::DecideTie {
                election: e.id.clone(),
                round: round_in(&form, r.number),
                unit: unit.clone(),
                chosen,
                decision,
            };
            let field = "tie-candidates";
            if let Some(page) = act(&app, &rechecked, &e.id, command, field, &mut errors).await {
                return page;
            }
        }
    }
    let state = app.service.read();
    let typed = Some((ticked.as_slice(), decision_raw.as_str()));
    tie_view(&state, &viewer, &e, &unit, typed, errors)
}

/// The tie's candidates ticked (exactly the seats left to fill) and the grounds of the
/// decision, or `None` with each message beside its field.
fn tie_choice(
    lang: Lang,
    tie: &votes::outcome::Tie,
    ticked: &[String],
    decision: &str,
    errors: &mut Errors,
) -> Option<(Vec<UnitId>, Text)> {
    let m = manage(lang.code());
    let chosen: Vec<UnitId> = tie
        .candidates
        .iter()
        .filter(|u| ticked.iter().any(|t| t == u.as_str()))
        .cloned()
        .collect();
    if chosen.len() as u32 != tie.seats {
        errors.push("tie-candidates", m.err_tie_choice);
    }
    let decision = Text::parse("decision", decision, limits::DECISION)
        .map_err(|err| errors.push("decision", lang.refusal(&err)))
        .ok();
    decision.filter(|_| errors.is_empty()).map(|d| (chosen, d))
}
