//! Ending an election with a reason and a confirmation: cancelling one opened with a mistake
//! (wrong candidates, wrong number of seats) while none of its rounds is counted — the
//! domain's `CancelElection`, after which nothing about the election is taken —, or
//! concluding one whose counted rounds left seats unfilled without the further round it could
//! still open — `ConcludeElection`, after which it is over and its other candidates may stand
//! in another award vote of the year. One page and one form for both ([`Ending`]).

use super::*;

/// How the secretariat ends an election on this page.
#[derive(Clone, Copy)]
pub(super) enum Ending {
    Cancel,
    Conclude,
}

/// The words of an ending's page, in the viewer's language.
pub(super) struct EndingTexts {
    title: &'static str,
    intro: &'static str,
    reason: &'static str,
    confirm: &'static str,
    not_confirmed: &'static str,
    submit: &'static str,
    /// The submit button's class beside `primary` (`danger` for a cancellation).
    class: &'static str,
}

impl Ending {
    /// The page's path under `/elections/{id}/`, also the prefix of its fields' ids.
    fn path(self) -> &'static str {
        match self {
            Ending::Cancel => "cancel",
            Ending::Conclude => "conclude",
        }
    }

    /// The id of the confirmation box.
    fn confirm_id(self) -> &'static str {
        match self {
            Ending::Cancel => "cancel-confirm",
            Ending::Conclude => "conclude-confirm",
        }
    }

    /// Whether the domain would take this ending of `e` now, else its refusal.
    fn allowed(self, e: &Election) -> Result<(), DomainError> {
        match self {
            Ending::Cancel => e.check_cancellable(),
            Ending::Conclude => e.second_round_seats().map(|_| ()),
        }
    }

    fn command(self, election: ElectionId, reason: Text) -> VoteCommand {
        match self {
            Ending::Cancel => VoteCommand::CancelElection { election, reason },
            Ending::Conclude => VoteCommand::ConcludeElection { election, reason },
        }
    }

    fn texts(self, m: &'static ManageStrings) -> EndingTexts {
        match self {
            Ending::Cancel => EndingTexts {
                title: m.cancel_title,
                intro: m.cancel_intro,
                reason: m.cancel_reason,
                confirm: m.cancel_confirm,
                not_confirmed: m.err_cancel_confirm,
                submit: m.cancel,
                class: "danger",
            },
            Ending::Conclude => EndingTexts {
                title: m.conclude_title,
                intro: m.conclude_intro,
                reason: m.conclude_reason,
                confirm: m.conclude_confirm,
                not_confirmed: m.err_conclude_confirm,
                submit: m.conclude,
                class: "",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "election_cancel.html")]
pub(super) struct EndingPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    t: EndingTexts,
    path: &'static str,
    /// The confirmation box's id.
    confirm_id: &'static str,
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

pub(super) fn ending_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    how: Ending,
    form: (&str, bool),
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    if let Err(refusal) = how.allowed(e) {
        return refused_at(viewer, e, refusal.code());
    }
    let t = how.texts(m);
    let mut errors = errors;
    errors.name_fields(&[("reason", t.reason), (how.confirm_id(), t.confirm)]);
    let (reason, confirmed) = form;
    let res = render(&EndingPage {
        l: Layout::new(viewer, t.title),
        s,
        m,
        t,
        path: how.path(),
        confirm_id: how.confirm_id(),
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

/// `GET /elections/{id}/cancel` or `/conclude`: the election's terms, a reason field and the
/// confirmation box.
async fn ending_page(app: AppState, viewer: Viewer, id: String, how: Ending) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => ending_view(&state, &viewer, &e, how, ("", false), Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/cancel` or `/conclude`: `reason`, `confirm=1`.
async fn end_election(
    app: AppState,
    viewer: Viewer,
    id: String,
    form: Submitted,
    how: Ending,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    if let Err(refusal) = how.allowed(&e) {
        return refused_at(&viewer, &e, refusal.code());
    }
    let t = how.texts(manage(viewer.lang.code()));
    let (reason_raw, confirmed, mut errors, reason) =
        reason_confirmed(&viewer, &form, how.confirm_id(), t.not_confirmed);
    if let Some(reason) = reason {
        let command = how.command(e.id.clone(), reason);
        if let Some(page) = act(&app, &viewer, &e.id, command, "reason", &mut errors).await {
            return page;
        }
    }
    let state = app.service.read();
    ending_view(&state, &viewer, &e, how, (&reason_raw, confirmed), errors)
}

pub(super) async fn cancel_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    ending_page(app, viewer, id, Ending::Cancel).await
}

pub(super) async fn cancel_election(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    end_election(app, viewer, id, form, Ending::Cancel).await
}

pub(super) async fn conclude_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    ending_page(app, viewer, id, Ending::Conclude).await
}

pub(super) async fn conclude_election(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    end_election(app, viewer, id, form, Ending::Conclude).await
}
