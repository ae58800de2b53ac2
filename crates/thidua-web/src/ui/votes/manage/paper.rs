//! A paper count: entered (shown once more before it is recorded), confirmed by two members'
//! leaders, withdrawn with a reason while unconfirmed.

use super::*;
use crate::i18n::Lang;

/// The password field of the review (step-up before the count is recorded).
const PASSWORD: &str = "paper-password";

/// What the paper form holds, as typed.
#[derive(Clone, Default)]
pub(super) struct PaperForm {
    approvals: Vec<String>,
    blank: String,
    issued: String,
    returned: String,
    invalid: String,
    team: String,
    note: String,
}

#[derive(Template)]
#[template(path = "election_paper.html")]
pub(super) struct PaperPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    seats: u32,
    members: usize,
    /// (field id, name, typed)
    candidates: Vec<(String, Named, String)>,
    f: PaperForm,
    errors: Errors,
    /// The count is valid: shown once more before it is recorded (it closes the round; only
    /// withdrawn, with a reason, before two members confirm it).
    review: bool,
}

pub(super) fn paper_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    f: Option<PaperForm>,
    errors: Errors,
    review: bool,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = paper_entry_round(e) else {
        return refused_at(viewer, e, "vote_closed");
    };
    if !r.ballots.is_empty() && r.set_aside.is_none() {
        return refused_at(viewer, e, "paper_after_ballots");
    }
    let members = e.members.len();
    let f = f.unwrap_or_else(|| PaperForm {
        approvals: vec![String::new(); r.candidates.len()],
        issued: members.to_string(),
        invalid: "0".into(),
        blank: "0".into(),
        ..PaperForm::default()
    });
    let names: Vec<String> = r
        .candidates
        .iter()
        .map(|u| names::unit(state, u).text)
        .collect();
    let mut labels: Vec<(String, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("a-{i}"), n.as_str()))
        .collect();
    labels.extend([
        ("blank".to_string(), m.paper_blank),
        ("issued".to_string(), s.minutes_issued),
        ("returned".to_string(), s.minutes_returned),
        ("invalid".to_string(), s.minutes_invalid),
        ("team".to_string(), s.minutes_counting_team),
        ("note".to_string(), m.paper_note),
        (PASSWORD.to_string(), viewer.lang.strings().sign_password),
    ]);
    let labels: Vec<(&str, &str)> = labels.iter().map(|(id, l)| (id.as_str(), *l)).collect();
    let mut errors = errors;
    errors.name_fields(&labels);
    errors.in_page_order(&labels.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    let res = render(&PaperPage {
        l: Layout::new(viewer, m.paper_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        seats: r.seats,
        members,
        candidates: r
            .candidates
            .iter()
            .enumerate()
            .map(|(i, u)| {
                (
                    format!("a-{i}"),
                    names::unit(state, u),
                    f.approvals.get(i).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        f,
        errors: errors.clone(),
        review,
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/paper`: the paper count form for the open round.
pub(super) async fn paper_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => paper_view(&state, &viewer, &e, None, Errors::default(), false),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/paper`: `round`, `a-{i}` per candidate, `blank`, `issued`,
/// `returned`, `invalid`, `team` (one person a line), `note`; a valid count is shown for review
/// and recorded with `confirmed=1` and the viewer's `password` checked again (`edit=1` goes
/// back to the form).
pub(super) async fn record_paper(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let Some(r) = paper_entry_round(&e).cloned() else {
        return refused_at(&viewer, &e, "vote_closed");
    };
    let f = PaperForm::read(&form, r.candidates.len());
    if form.get("edit") == "1" {
        return reshow(&app, &viewer, &e, f, Errors::default(), false);
    }
    let count = match paper_count(viewer.lang, &f, e.members.len() as u32, r.seats) {
        Ok(count) => count,
        Err(errors) => return reshow(&app, &viewer, &e, f, errors, false),
    };
    // A valid count is shown once more before it is recorded (`confirmed=1`).
    if form.get("confirmed") != "1" {
        return reshow(&app, &viewer, &e, f, Errors::default(), true);
    }
    let mut errors = Errors::default();
    let Some(rechecked) = step_up(&app, &viewer, form.get("password"), PASSWORD, &mut errors).await
    else {
        return reshow(&app, &viewer, &e, f, errors, true);
    };
    let command = VoteCommand::RecordPaperCount {
        election: e.id.clone(),
        round: round_in(&form, r.number),
        count,
    };
    match act(&app, &rechecked, &e.id, command, "a-0", &mut errors).await {
        Some(page) => page,
        None => reshow(&app, &viewer, &e, f, errors, false),
    }
}

/// The paper form again on the current state: as typed, with its messages, or for review.
fn reshow(
    app: &AppState,
    viewer: &Viewer,
    e: &Election,
    f: PaperForm,
    errors: Errors,
    review: bool,
) -> Response {
    let state = app.service.read();
    paper_view(&state, viewer, e, Some(f), errors, review)
}

impl PaperForm {
    /// The form's fields as typed, `a-{i}` for each of the round's `candidates`.
    fn read(form: &Submitted, candidates: usize) -> PaperForm {
        PaperForm {
            approvals: (0..candidates)
                .map(|i| form.get(&format!("a-{i}")))
                .collect(),
            blank: form.get("blank"),
            issued: form.get("issued"),
            returned: form.get("returned"),
            invalid: form.get("invalid"),
            team: form.get("team"),
            note: form.get("note"),
        }
    }
}

/// The form's numbers, each read as a whole number (`None` where it is not one).
struct PaperNumbers {
    approvals: Vec<Option<u32>>,
    blank: Option<u32>,
    issued: Option<u32>,
    returned: Option<u32>,
    invalid: Option<u32>,
}

impl PaperNumbers {
    fn read(errors: &mut Errors, m: &ManageStrings, f: &PaperForm) -> PaperNumbers {
        PaperNumbers {
            approvals: f
                .approvals
                .iter()
                .enumerate()
                .map(|(i, a)| number(errors, m, &format!("a-{i}"), a))
                .collect(),
            blank: number(errors, m, "blank", &f.blank),
            issued: number(errors, m, "issued", &f.issued),
            returned: number(errors, m, "returned", &f.returned),
            invalid: number(errors, m, "invalid", &f.invalid),
        }
    }

    /// Valid ballots: returned less invalid, when both are known and consistent.
    fn valid(&self) -> Option<u32> {
        match (self.returned, self.invalid) {
            (Some(r), Some(x)) if x <= r => Some(r - x),
            _ => None,
        }
    }
}

/// The paper count the form describes, or every message beside its field: the numbers, the
/// domain's rules on them, the counting team and the note.
fn paper_count(lang: Lang, f: &PaperForm, members: u32, seats: u32) -> Result<PaperCount, Errors> {
    let m = manage(lang.code());
    let mut errors = Errors::default();
    let n = PaperNumbers::read(&mut errors, m, f);
    check_ballots(&mut errors, m, &n, members);
    check_approvals(&mut errors, m, &n, seats);
    let counting_team = counting_team(&mut errors, lang, m, &f.team);
    let note = paper_note(&mut errors, lang, &f.note);
    let approvals: Option<Vec<u32>> = n.approvals.into_iter().collect();
    match (approvals, n.blank, n.issued, n.returned, n.invalid) {
        (Some(approvals), Some(abstentions), Some(issued), Some(returned), Some(invalid))
            if errors.is_empty() =>
        {
            Ok(PaperCount {
                approvals,
                abstentions,
                issued,
                returned,
                invalid,
                counting_team,
                note,
            })
        }
        _ => Err(errors),
    }
}

/// The domain's rules (`check_paper`) on the ballots issued, returned and invalid, each told
/// beside its field.
fn check_ballots(errors: &mut Errors, m: &ManageStrings, n: &PaperNumbers, members: u32) {
    if n.issued.is_some_and(|i| i > members) {
        errors.push("issued", m.err_issued);
    }
    if let (Some(i), Some(r)) = (n.issued, n.returned) {
        if r > i {
            errors.push("returned", m.err_returned);
        }
    }
    if let (Some(r), Some(x)) = (n.returned, n.invalid) {
        if x > r {
            errors.push("invalid", m.err_invalid);
        }
    }
}

/// The domain's rules on the blank ballots and the approvals: none over the valid ballots that
/// are not blank, and no more in all than those ballots times the seats.
fn check_approvals(errors: &mut Errors, m: &ManageStrings, n: &PaperNumbers, seats: u32) {
    let (Some(valid), Some(blank)) = (n.valid(), n.blank) else {
        return;
    };
    if blank > valid {
        errors.push("blank", m.err_blank);
        return;
    }
    let voting = valid - blank;
    for (i, a) in n.approvals.iter().enumerate() {
        if a.is_some_and(|a| a > voting) {
            errors.push(format!("a-{i}"), m.err_approvals);
        }
    }
    let sum: u64 = n.approvals.iter().flatten().map(|&a| u64::from(a)).sum();
    if sum > u64::from(seats) * u64::from(voting) {
        errors.push("a-0", m.err_total);
    }
}

/// The counting team, one person a line (at least one).
fn counting_team(errors: &mut Errors, lang: Lang, m: &ManageStrings, typed: &str) -> Vec<Text> {
    let mut team = Vec::new();
    for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match Text::parse("counting_team", line, limits::DISPLAY_NAME) {
            Ok(t) => team.push(t),
            Err(err) => errors.push("team", lang.refusal(&err)),
        }
    }
    if team.is_empty() {
        errors.push("team", m.err_team);
    }
    team
}

/// The note, if one was typed.
fn paper_note(errors: &mut Errors, lang: Lang, typed: &str) -> Option<Text> {
    if typed.trim().is_empty() {
        return None;
    }
    Text::parse("note", typed, limits::REASON)
        .map_err(|err| errors.push("note", lang.refusal(&err)))
        .ok()
}

#[derive(Template)]
#[template(path = "election_confirm.html")]
pub(super) struct ConfirmPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    unit: Named,
    unit_id: String,
    lines: Vec<(Named, u32)>,
    count: PaperCount,
    valid: u32,
    confirmed: Vec<Named>,
    errors: Errors,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitQuery {
    pub(super) unit: Option<String>,
}

/// The unit (led by the viewer, a member of the election) the viewer acts for: the one asked,
/// else the first of `offered`.
pub(super) fn acting_unit(viewer: &Viewer, e: &Election, asked: Option<&str>) -> Option<UnitId> {
    let led = viewer.scope.led_units();
    let unit = match asked.map(UnitId::parse) {
        Some(Ok(u)) => u,
        Some(Err(_)) => return None,
        None => e.members.iter().find(|m| led.contains(m))?.clone(),
    };
    (led.contains(&unit) && e.members.contains(&unit)).then_some(unit)
}

pub(super) fn confirm_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    unit: &UnitId,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = paper_round(e) else {
        return refused_at(viewer, e, "no_paper_count");
    };
    let paper = r.paper.as_ref().expect("a paper round");
    let c = paper.count.clone();
    let res = render(&ConfirmPage {
        l: Layout::new(viewer, m.confirm_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        unit: names::unit(state, unit),
        unit_id: unit.to_string(),
        lines: r
            .candidates
            .iter()
            .zip(&c.approvals)
            .map(|(u, a)| (names::unit(state, u), *a))
            .collect(),
        valid: c.valid(),
        count: c,
        confirmed: paper
            .confirmations
            .keys()
            .map(|u| names::unit(state, u))
            .collect(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/paper/confirm?unit=`: the count to confirm for a member the viewer
/// leads.
pub(super) async fn confirm_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = acting_unit(&viewer, &e, q.unit.as_deref()) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    confirm_view(&state, &viewer, &e, &unit, Errors::default())
}

/// `POST /elections/{id}/paper/confirm`: `unit`, `round`, the viewer's `password` (checked
/// again before the confirmation is recorded).
pub(super) async fn confirm_paper(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match visible(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = acting_unit(&viewer, &e, Some(form.get("unit").as_str())) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    if paper_round(&e).is_none() {
        return viewer_error(&viewer, conflict("no_paper_count"));
    }
    let mut errors = Errors::default();
    if let Some(rechecked) = step_up(
        &app,
        &viewer,
        form.get("password"),
        "confirm-password",
        &mut errors,
    )
    .await
    {
        let command = VoteCommand::ConfirmPaperCount {
            election: e.id.clone(),
            round: round_in(&form, 0),
            unit: unit.clone(),
        };
        let field = "confirm-paper";
        if let Some(page) = act(&app, &rechecked, &e.id, command, field, &mut errors).await {
            return page;
        }
    }
    let state = app.service.read();
    confirm_view(&state, &viewer, &e, &unit, errors)
}

#[derive(Template)]
#[template(path = "election_withdraw.html")]
pub(super) struct WithdrawPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    lines: Vec<(Named, u32)>,
    count: PaperCount,
    confirmed: Vec<Named>,
    reason: String,
    errors: Errors,
}

pub(super) fn withdraw_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    reason: &str,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = paper_round(e) else {
        return refused_at(viewer, e, "no_paper_count");
    };
    let paper = r.paper.as_ref().expect("a paper round");
    let mut errors = errors;
    errors.name_fields(&[("reason", m.withdraw_reason)]);
    let res = render(&WithdrawPage {
        l: Layout::new(viewer, m.withdraw_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        lines: r
            .candidates
            .iter()
            .zip(&paper.count.approvals)
            .map(|(u, a)| (names::unit(state, u), *a))
            .collect(),
        count: paper.count.clone(),
        confirmed: paper
            .confirmations
            .keys()
            .map(|u| names::unit(state, u))
            .collect(),
        reason: reason.to_owned(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/paper/withdraw`: the secretariat's withdrawal of the paper count that
/// waits for confirmations, with a reason.
pub(super) async fn withdraw_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => withdraw_view(&state, &viewer, &e, "", Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/paper/withdraw`: `round`, `reason`.
pub(super) async fn withdraw_paper(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let Some(number) = paper_round(&e).map(|r| r.number) else {
        return viewer_error(&viewer, conflict("no_paper_count"));
    };
    let reason_raw = form.get("reason");
    let mut errors = Errors::default();
    let reason = Text::parse("reason", &reason_raw, limits::REASON)
        .map_err(|err| errors.push("reason", viewer.lang.refusal(&err)))
        .ok();
    if let Some(reason) = reason {
        let command = VoteCommand::WithdrawPaperCount {
            election: e.id.clone(),
            round: round_in(&form, number),
            reason,
        };
        if let Some(page) = act(&app, &viewer, &e.id, command, "reason", &mut errors).await {
            return page;
        }
    }
    let state = app.service.read();
    withdraw_view(&state, &viewer, &e, &reason_raw, errors)
}
