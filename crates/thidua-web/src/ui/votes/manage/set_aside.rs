//! Setting aside the electronic count of a closed round that too few trustees can decrypt,
//! with a reason and a confirmation, so that the round is counted on paper at the meeting.

use super::*;

#[derive(Template)]
#[template(path = "election_set_aside.html")]
pub(super) struct SetAsidePage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    ballots: usize,
    members: usize,
    /// The shares posted of those needed, in words.
    shares: String,
    /// The trustees that posted their shares.
    posted: Vec<Named>,
    reason: String,
    confirmed: bool,
    errors: Errors,
}

pub(super) fn set_aside_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    reason: &str,
    confirmed: bool,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = undecrypted_round(e) else {
        return viewer_error(viewer, conflict(set_aside_refusal(e)));
    };
    let mut errors = errors;
    errors.name_fields(&[
        ("reason", m.set_aside_reason),
        ("set-aside-confirm", m.set_aside_confirm),
    ]);
    let res = render(&SetAsidePage {
        l: Layout::new(viewer, m.set_aside_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        ballots: r.ballots.len(),
        members: e.members.len(),
        shares: crate::i18n::fill(
            m.set_aside_shares,
            &[
                ("posted", r.shares.len() as u32),
                ("threshold", e.trustee_threshold),
            ],
        ),
        posted: r.shares.keys().map(|u| names::unit(state, u)).collect(),
        reason: reason.to_owned(),
        confirmed,
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// Why the last round's electronic count cannot be set aside, as the domain would say it.
fn set_aside_refusal(e: &Election) -> &'static str {
    match e.rounds.last() {
        Some(r) if r.closed_at.is_none() => "vote_not_closed",
        Some(r) if r.count.is_some() => "vote_counted",
        Some(r) if r.set_aside.is_some() => "count_set_aside",
        Some(r) if r.ballots.is_empty() => "no_electronic_ballots",
        Some(r) if r.totals.is_none() => "no_electronic_count",
        Some(_) => "shares_enough",
        None => "vote_no_round",
    }
}

/// `GET /elections/{id}/set-aside`: the confirmation, with the ballots cast and the shares
/// posted, a reason field and the confirmation box.
pub(super) async fn set_aside_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => set_aside_view(&state, &viewer, &e, "", false, Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/set-aside`: `round`, `reason`, `confirm=1`.
pub(super) async fn set_aside_count(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let Some(number) = undecrypted_round(&e).map(|r| r.number) else {
        return viewer_error(&viewer, conflict(set_aside_refusal(&e)));
    };
    let m = manage(viewer.lang.code());
    let (reason_raw, confirmed, mut errors, reason) =
        reason_confirmed(&viewer, &form, "set-aside-confirm", m.err_set_aside_confirm);
    if let Some(reason) = reason {
        let command = VoteCommand::AbandonElectronicCount {
            election: e.id.clone(),
            round: round_in(&form, number),
            reason,
        };
        if let Some(page) = act(&app, &viewer, &e.id, command, "reason", &mut errors).await {
            return page;
        }
    }
    let state = app.service.read();
    set_aside_view(&state, &viewer, &e, &reason_raw, confirmed, errors)
}
