//! Closing a round (with a confirmation) and opening the second round.

use super::*;

#[derive(Template)]
#[template(path = "election_close.html")]
pub(super) struct ClosePage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    ballots: usize,
    members: usize,
    /// The quorum: its fraction of the members and what it comes to.
    quorum: String,
    quorum_met: bool,
    errors: Errors,
}

pub(super) fn close_view(viewer: &Viewer, e: &Election, errors: Errors) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = e.current_round() else {
        return refused_at(viewer, e, "vote_closed");
    };
    let members = e.members.len();
    let res = render(&ClosePage {
        l: Layout::new(viewer, m.close_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        ballots: r.ballots.len(),
        members,
        quorum: s.members_share(
            e.quorum.num,
            e.quorum.den,
            e.quorum.needed(members as u32),
            members as u32,
        ),
        quorum_met: e.quorum.reached(r.ballots.len() as u32, members as u32),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/close`: the confirmation, with how many voted and the quorum.
pub(super) async fn close_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => close_view(&viewer, &e, Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/close`: `round` (the one confirmed).
pub(super) async fn close_round(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let command = VoteCommand::CloseRound {
        election: e.id.clone(),
        round: round_in(&form, 0),
    };
    let mut errors = Errors::default();
    if let Some(page) = act(&app, &viewer, &e.id, command, "confirm-close", &mut errors).await {
        return page;
    }
    close_view(&viewer, &e, errors)
}

#[derive(Template)]
#[template(path = "election_second.html")]
pub(super) struct SecondPage {
    l: Layout,
    m: &'static ManageStrings,
    id: String,
    title: String,
    intro: String,
    /// (unit id, name, checked)
    candidates: Vec<(String, Named, bool)>,
    errors: Errors,
}

pub(super) fn second_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    checked: Option<&[String]>,
    errors: Errors,
) -> Response {
    let m = manage(viewer.lang.code());
    let Some((allowed, seats)) = second_round_offer(state, viewer, e) else {
        return refused_at(viewer, e, "vote_not_counted");
    };
    let res = render(&SecondPage {
        l: Layout::new(viewer, m.second_title),
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        intro: m.second_round_intro(seats),
        candidates: allowed
            .iter()
            .map(|u| {
                let on = checked.is_none_or(|c| c.iter().any(|x| x == u.as_str()));
                (u.to_string(), names::unit(state, u), on)
            })
            .collect(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/second-round`: round 1's candidates not chosen, all ticked.
pub(super) async fn second_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => second_view(&state, &viewer, &e, None, Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/second-round`: checkboxes `c_<unit>`.
pub(super) async fn second_round(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let m = manage(viewer.lang.code());
    let ticked = ticked(&form);
    // In round 1's order.
    let candidates: Vec<UnitId> = e.rounds[0]
        .candidates
        .iter()
        .filter(|u| ticked.iter().any(|t| t == u.as_str()))
        .cloned()
        .collect();
    let mut errors = Errors::default();
    let seats = {
        let state = app.service.read();
        second_round_offer(&state, &viewer, &e).map_or(0, |(_, s)| s)
    };
    if candidates.is_empty() || (candidates.len() as u32) < seats {
        errors.push("second-candidates", m.err_second_candidates);
    } else {
        let command = VoteCommand::OpenSecondRound {
            election: e.id.clone(),
            candidates,
        };
        let field = "second-candidates";
        if let Some(page) = act(&app, &viewer, &e.id, command, field, &mut errors).await {
            return page;
        }
    }
    let state = app.service.read();
    second_view(&state, &viewer, &e, Some(&ticked), errors)
}
