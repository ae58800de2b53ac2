//! Opening an election: the form with the published nominees in rank order, then the
//! `OpenElection` command.

use super::*;

/// What the opening form holds, as typed.
#[derive(Clone, Default)]
pub(super) struct OpenForm {
    award: String,
    title: String,
    seats: String,
    approval_num: String,
    approval_den: String,
    quorum_num: String,
    quorum_den: String,
    threshold: String,
}

/// The form's defaults: the Ministry's flag, one seat, approval 4/5 and quorum 2/3 of the total
/// membership, a majority of the trustees to decrypt (3 of 5).
const DEFAULT_AWARD: (&str, AwardKind) = AWARDS[0];
const DEFAULT_SEATS: u32 = 1;
const DEFAULT_APPROVAL: Fraction = Fraction { num: 4, den: 5 };
const DEFAULT_QUORUM: Fraction = Fraction { num: 2, den: 3 };

fn default_threshold(members: usize) -> u32 {
    (members / 2 + 1).min(members.max(1)) as u32
}

fn default_title(m: &ManageStrings, year: i32) -> String {
    m.title_default.replace("{year}", &year.to_string())
}

impl OpenForm {
    fn defaults(m: &ManageStrings, year: i32, members: usize) -> OpenForm {
        OpenForm {
            award: DEFAULT_AWARD.0.into(),
            title: default_title(m, year),
            seats: DEFAULT_SEATS.to_string(),
            approval_num: DEFAULT_APPROVAL.num.to_string(),
            approval_den: DEFAULT_APPROVAL.den.to_string(),
            quorum_num: DEFAULT_QUORUM.num.to_string(),
            quorum_den: DEFAULT_QUORUM.den.to_string(),
            threshold: default_threshold(members).to_string(),
        }
    }
}

/// The secretariat (or an administrator) has a vote to open for the cluster's year: its
/// candidates are known (results published, or standings recorded), the cluster has opened no
/// election of that year yet, and the domain would open one with the form's defaults now. The
/// domain knows no list of the awards a cluster votes on, so once one election of the year is
/// opened, the others are opened from the cluster's page without a to-do. For the home page.
pub fn opening_due(
    state: &thidua_domain::State,
    viewer: &Viewer,
    cluster: &ClusterId,
    year: i32,
) -> bool {
    if !manages(viewer, cluster) {
        return false;
    }
    let opened = state
        .elections
        .values()
        .any(|e| &e.cluster == cluster && e.year == year);
    if opened || votes::nominees(state, cluster, year).is_empty() {
        return false;
    }
    let m = manage(viewer.lang.code());
    let members = state.members(cluster, year).map_or(0, <[_]>::len);
    let (Some(election), Ok(title)) = (
        fresh_id(state, cluster, year, DEFAULT_AWARD.0),
        Text::parse("title", &default_title(m, year), limits::TITLE),
    ) else {
        return false;
    };
    let command = VoteCommand::OpenElection {
        election: election.clone(),
        cluster: cluster.clone(),
        year,
        award: DEFAULT_AWARD.1,
        title,
        seats: DEFAULT_SEATS,
        approval: DEFAULT_APPROVAL,
        quorum: DEFAULT_QUORUM,
        trustee_threshold: default_threshold(members),
    };
    let actor = Actor::User(viewer.user.clone());
    crate::api::dry_run(state, &actor, viewer.now_ms, Command::Vote(command)).is_ok()
}

#[derive(Template)]
#[template(path = "election_new.html")]
pub(super) struct NewPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    cluster: Named,
    cluster_id: String,
    years: Vec<i32>,
    year: i32,
    candidates: Vec<Named>,
    /// Nominees an award vote of the year already proposed, left out of the other award votes.
    proposed: Vec<Vec<Named>>,
    members: Vec<Named>,
    awards: Vec<(&'static str, &'static str)>,
    f: OpenForm,
    errors: Errors,
    /// Why the year has no candidates ([`no_nominees`]), when it has none.
    no_nominees: &'static str,
    /// No Government-flag vote of the year yet: the award votes go highest first.
    highest_first: bool,
}

/// Why a cluster's year has no nominees: its results not published yet (publish them, or
/// record the standings of a year scored outside the system), published with no unit scored
/// (none ranked), or published with no ranked unit eligible.
pub(super) fn no_nominees(
    m: &'static ManageStrings,
    state: &thidua_domain::State,
    cluster: &ClusterId,
    year: i32,
) -> &'static str {
    if !votes::results_published(state, cluster, year) {
        return m.no_nominees;
    }
    let ranked = state
        .yearend
        .reviews
        .values()
        .filter(|r| &r.cluster == cluster && r.year == year)
        .filter_map(|r| r.published.as_ref())
        .flat_map(|(p, _)| &p.results)
        .any(|r| r.rank.is_some());
    if ranked {
        m.no_nominees_ineligible
    } else {
        m.no_nominees_unscored
    }
}

impl NewPage {
    fn is_year(&self, y: &i32) -> bool {
        self.year == *y
    }
    fn is_award(&self, a: &str) -> bool {
        self.f.award == a
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: Option<String>,
}

/// The cluster the viewer may see and manage, or the page to answer (404, then 403).
pub(super) fn managed_cluster(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<ClusterId, Box<Response>> {
    let state = app.service.read();
    let cluster = ClusterId::parse(id)
        .ok()
        .filter(|c| state.clusters.contains_key(c) && viewer.scope.can_view_cluster(&state, c))
        .ok_or_else(|| Box::new(viewer_error(viewer, ApiError::not_found())))?;
    if !manages(viewer, &cluster) {
        return Err(Box::new(viewer_error(viewer, ApiError::forbidden())));
    }
    Ok(cluster)
}

pub(super) fn new_view(
    app: &AppState,
    viewer: &Viewer,
    cluster: &ClusterId,
    year: Option<i32>,
    f: Option<OpenForm>,
    mut errors: Errors,
) -> Response {
    let state = app.service.read();
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    // The summary says where each message is ("Tỷ lệ tán thành — tử số: …").
    let part = |whole: &str, part: &str| format!("{whole} — {part}");
    let fractions = [
        ("approval_num", part(s.approval, m.num)),
        ("approval_den", part(s.approval, m.den)),
        ("quorum_num", part(s.quorum, m.num)),
        ("quorum_den", part(s.quorum, m.den)),
    ];
    let mut labels: Vec<(&str, &str)> = vec![
        ("show-year", m.year),
        ("award", s.award),
        ("title", m.title_label),
        ("seats", s.seats),
        ("threshold", s.trustee_threshold),
    ];
    labels.extend(fractions.iter().map(|(id, l)| (*id, l.as_str())));
    errors.name_fields(&labels);
    let years: Vec<i32> = state
        .clusters
        .get(cluster)
        .map(|c| c.years.keys().rev().copied().collect())
        .unwrap_or_default();
    // The asked year, else the newest year with nominees, else the newest year.
    let year = year
        .filter(|y| years.contains(y))
        .or_else(|| {
            years
                .iter()
                .copied()
                .find(|y| !votes::nominees(&state, cluster, *y).is_empty())
        })
        .or_else(|| years.first().copied())
        .unwrap_or_default();
    let members = state
        .members(cluster, year)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    let f = f.unwrap_or_else(|| OpenForm::defaults(m, year, members.len()));
    let res = render(&NewPage {
        l: Layout::new(viewer, m.open_title),
        s,
        m,
        cluster: names::cluster(&state, cluster),
        cluster_id: cluster.to_string(),
        years,
        year,
        candidates: votes::nominees(&state, cluster, year)
            .iter()
            .map(|u| names::unit(&state, u))
            .collect(),
        // Units an award vote of the year proposed are left out of the other award votes
        // (one achievement earns one award); next year's head and deputy are apart.
        proposed: crate::ui::votes::left_out(
            &state,
            s,
            votes::left_out(&state, cluster, year, AwardKind::Certificate),
        ),
        members: members.iter().map(|u| names::unit(&state, u)).collect(),
        awards: AWARDS.iter().map(|(k, a)| (*k, award(s, *a))).collect(),
        f,
        errors: errors.clone(),
        no_nominees: no_nominees(m, &state, cluster, year),
        highest_first: !state.elections.values().any(|e| {
            &e.cluster == cluster && e.year == year && e.award == AwardKind::GovernmentFlag
        }),
    });
    with_status(res, &errors)
}

/// `GET /clusters/{id}/elections/new?year=`: the candidates in rank order and the form.
pub(super) async fn new_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Response {
    let cluster = match managed_cluster(&app, &viewer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let year = q.year.and_then(|y| y.trim().parse().ok());
    new_view(&app, &viewer, &cluster, year, None, Errors::default())
}

/// A fresh election id: `{cluster}-{year}-{award}`, numbered when taken.
pub(super) fn fresh_id(
    state: &thidua_domain::State,
    cluster: &ClusterId,
    year: i32,
    key: &str,
) -> Option<ElectionId> {
    let mut base = format!("{cluster}-{year}-{}", key.replace('_', "-"));
    base.truncate(58);
    (1..1000).find_map(|n| {
        let raw = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        ElectionId::parse(&raw)
            .ok()
            .filter(|id| !state.elections.contains_key(id))
    })
}

/// `POST /clusters/{id}/elections/new`: opens the election.
pub(super) async fn open_election(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let cluster = match managed_cluster(&app, &viewer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let f = OpenForm {
        award: form.get("award"),
        title: form.get("title"),
        seats: form.get("seats"),
        approval_num: form.get("approval_num"),
        approval_den: form.get("approval_den"),
        quorum_num: form.get("quorum_num"),
        quorum_den: form.get("quorum_den"),
        threshold: form.get("threshold"),
    };
    let (year, checked) = read_open_form(&app, &viewer, &cluster, &form.get("year"), &f);
    let Opening {
        year,
        election,
        command,
    } = match checked {
        Ok(values) => values,
        Err(errors) => return new_view(&app, &viewer, &cluster, year, Some(f), errors),
    };
    match run(&app, &viewer, command).await {
        Ok(()) => Redirect::to(&format!("/elections/{election}?saved=1")).into_response(),
        Err(Ok(r)) => {
            let mut errors = Errors::default();
            errors.push(refused_field(r.code, r.field), r.message);
            new_view(&app, &viewer, &cluster, Some(year), Some(f), errors)
        }
        Err(Err(page)) => page,
    }
}

/// An election the form asks to open: its year, its fresh id and the command.
struct Opening {
    year: i32,
    election: ElectionId,
    command: VoteCommand,
}

/// The cluster year typed, if the cluster has one, and either the `OpenElection` command the
/// form asks for (with the fresh election's id) or every error beside its field. The domain checks the command again.
fn read_open_form(
    app: &AppState,
    viewer: &Viewer,
    cluster: &ClusterId,
    typed_year: &str,
    f: &OpenForm,
) -> (Option<i32>, Result<Opening, Errors>) {
    let lang = viewer.lang;
    let m = manage(lang.code());
    let mut errors = Errors::default();
    let award_kind = AWARDS.iter().find(|(k, _)| *k == f.award).map(|(_, a)| *a);
    let (year, members, candidates, why) = {
        let state = app.service.read();
        let year = typed_year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| state.members(cluster, *y).is_ok());
        let members = year.map_or(0, |y| state.members(cluster, y).map_or(0, <[_]>::len));
        // The award's own candidates: every ranked unit for next year's head or deputy.
        let candidates = year.map_or(0, |y| match award_kind {
            Some(a) => votes::candidates(&state, cluster, y, a).len(),
            None => votes::nominees(&state, cluster, y).len(),
        });
        let why = year.map_or(m.no_nominees, |y| no_nominees(m, &state, cluster, y));
        (year, members as u32, candidates as u32, why)
    };
    match year {
        None => errors.push("show-year", m.err_year),
        Some(_) if candidates == 0 => errors.push("show-year", why),
        Some(_) => {}
    }
    if award_kind.is_none() {
        errors.push("award", m.err_award);
    }
    let title = Text::parse("title", &f.title, limits::TITLE)
        .map_err(|e| errors.push("title", lang.refusal(&e)))
        .ok();
    let seats = number(&mut errors, m, "seats", &f.seats);
    if seats.is_some_and(|n| n == 0 || (candidates > 0 && n > candidates)) {
        errors.push("seats", m.err_seats);
    }
    let approval = fraction(
        &mut errors,
        m,
        ("approval_num", &f.approval_num),
        ("approval_den", &f.approval_den),
    );
    let quorum = fraction(
        &mut errors,
        m,
        ("quorum_num", &f.quorum_num),
        ("quorum_den", &f.quorum_den),
    );
    let threshold = number(&mut errors, m, "threshold", &f.threshold);
    if threshold.is_some_and(|t| t < 2 || (members > 0 && t > members)) {
        errors.push("threshold", m.err_threshold);
    }
    let (
        Some(year),
        Some(award),
        Some(title),
        Some(seats),
        Some(approval),
        Some(quorum),
        Some(trustee_threshold),
        true,
    ) = (
        year,
        award_kind,
        title,
        seats,
        approval,
        quorum,
        threshold,
        errors.is_empty(),
    )
    else {
        return (year, Err(errors));
    };
    let Some(election) = fresh_id(&app.service.read(), cluster, year, &f.award) else {
        errors.push("title", lang.error("election_exists"));
        return (Some(year), Err(errors));
    };
    let command = VoteCommand::OpenElection {
        election: election.clone(),
        cluster: cluster.clone(),
        year,
        award,
        title,
        seats,
        approval,
        quorum,
        trustee_threshold,
    };
    (
        Some(year),
        Ok(Opening {
            year,
            election,
            command,
        }),
    )
}

/// A fraction typed as numerator and denominator: both numbers, 0 < num <= den <= 1000.
fn fraction(
    errors: &mut Errors,
    m: &ManageStrings,
    (num_id, num): (&str, &str),
    (den_id, den): (&str, &str),
) -> Option<Fraction> {
    let n = number(errors, m, num_id, num);
    let d = number(errors, m, den_id, den);
    match (n, d) {
        (Some(num), Some(den)) if num > 0 && num <= den && den <= 1000 => {
            Some(Fraction { num, den })
        }
        (Some(_), Some(_)) => {
            errors.push(num_id, m.err_fraction);
            None
        }
        _ => None,
    }
}

/// The form field beside which a refusal of the domain is shown.
fn refused_field(code: &str, field: Option<&str>) -> &'static str {
    match (code, field) {
        ("election_candidates" | "election_members" | "no_cluster_year", _) => "show-year",
        ("election_quorum_low", _) => "quorum_num",
        ("election_threshold_low", _) => "threshold",
        ("election_approval_low", _) => "approval_num",
        // What is voted on is already decided: the award chosen is what is wrong.
        ("election_leader_recorded", _) => "award",
        (_, Some("seats" | "candidates")) => "seats",
        (_, Some("approval")) => "approval_num",
        (_, Some("quorum")) => "quorum_num",
        (_, Some("threshold" | "trustees")) => "threshold",
        _ => "title",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A refusal is shown beside the field that caused it: next year's head already recorded
    /// beside the award (it was shown under the title), the rates beside their numerators.
    #[test]
    fn a_refusal_is_shown_beside_the_field_it_concerns() {
        assert_eq!(refused_field("election_leader_recorded", None), "award");
        assert_eq!(refused_field("election_quorum_low", None), "quorum_num");
        assert_eq!(refused_field("invalid_value", Some("seats")), "seats");
        assert_eq!(refused_field("invalid_text", Some("title")), "title");
    }
}
