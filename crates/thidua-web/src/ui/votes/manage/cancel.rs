//! Cancelling an election opened with a mistake (wrong candidates, wrong number of seats),
//! with a reason and a confirmation, while none of its rounds is counted: the domain's
//! `CancelElection`, after which nothing about the election is taken.

use super::*;

#[derive(Template)]
#[template(path = "election_cancel.html")]
pub(super) struct CancelPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    award: &'static str,
    candidates: Vec<Named>,
    seats: u32,
    /// The ballots cast in the last round, of the members.
    ballots: usize,
    members: usize,
    reason: String,
    confirmed: bool,
    errors: Errors,
}

pub(super) fn cancel_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    reason: &str,
    confirmed: bool,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    if let Err(refusal) = e.check_cancellable() {
        return refused_at(viewer, e, refusal.code());
    }
    let mut errors = errors;
    errors.name_fields(&[
        ("reason", m.cancel_reason),
        ("cancel-confirm", m.cancel_confirm),
    ]);
    let res = render(&CancelPage {
        l: Layout::new(viewer, m.cancel_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        award: award(s, e.award),
        candidates: e.rounds[0]
            .candidates
            .iter()
            .map(|u| names::unit(state, u))
            .collect(),
        seats: e.seats,
        ballots: e.rounds.last().map_or(0, |r| r.ballots.len()),
        members: e.members.len(),
        reason: reason.to_owned(),
        confirmed,
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/cancel`: the election's terms, a reason field and the confirmation box.
pub(super) async fn cancel_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => cancel_view(&state, &viewer, &e, "", false, Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/cancel`: `reason`, `confirm=1`.
pub(super) async fn cancel_election(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    if let Err(refusal) = e.check_cancellable() {
        return refused_at(&viewer, &e, refusal.code());
    }
    let m = manage(viewer.lang.code());
    let (reason_raw, confirmed, mut errors, reason) =
        reason_confirmed(&viewer, &form, "cancel-confirm", m.err_cancel_confirm);
    if let Some(reason) = reason {
        let command = VoteCommand::CancelElection {
            election: e.id.clone(),
            reason,
        };
        if let Some(page) = act(&app, &viewer, &e.id, command, "reason", &mut errors).await {
            return page;
        }
    }
    let state = app.service.read();
    cancel_view(&state, &viewer, &e, &reason_raw, confirmed, errors)
}
