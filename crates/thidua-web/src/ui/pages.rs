//! The reading pages: home ("what needs my action now"), cluster (with the secretariat's
//! forms), unit, unit administration. Each checks [`crate::authz`] through the shared builders
//! in [`crate::api::dto`]; invisible things answer 404. The covenant and history pages have
//! modules of their own.

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::{ClusterId, UnitId};

use super::names::{self, Named};
use super::{render, role_label, viewer_error, Layout};
use crate::api::dto::{self, *};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::Strings;
use crate::AppState;

/// One thing to do, first things first: a sentence with names and the button that does it.
pub struct Todo {
    pub text: Vec<Named>,
    pub href: String,
    pub button: &'static str,
    /// The viewer is the one to act (else it is waiting for someone else).
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    roles: Vec<super::RoleLabel>,
    todos: Vec<Todo>,
    units: Vec<UnitRef>,
    clusters: Vec<ClusterSummary>,
    covenants: Vec<CovenantSummary>,
}

/// The years of a cluster that have members but no covenant in force or being signed (a
/// withdrawn draft does not count), after the last year whose covenant was frozen.
fn years_without_covenant(state: &thidua_domain::State, cluster: &ClusterId) -> Vec<i32> {
    let Some(c) = state.clusters.get(cluster) else {
        return Vec::new();
    };
    let of = |y: i32| {
        state
            .covenants
            .values()
            .filter(move |cv| &cv.cluster == cluster && cv.year == y)
    };
    let last_frozen = c
        .years
        .keys()
        .copied()
        .filter(|y| of(*y).any(|cv| cv.in_force().is_some()))
        .max();
    c.years
        .iter()
        .filter(|(y, cy)| last_frozen.is_none_or(|f| **y > f) && !cy.members.is_empty())
        .map(|(y, _)| *y)
        .filter(|y| !of(*y).any(|cv| cv.in_force().is_some() || cv.latest().is_open()))
        .collect()
}

/// What the viewer's roles make the next steps of the cycle: drafting next year's covenant
/// (or launching its movement), signing, following the signatures, then the year's figures,
/// year-end and votes ([`super::todo_year`]).
fn todos(t: &Strings, state: &thidua_domain::State, viewer: &Viewer) -> Vec<Todo> {
    let scope = &viewer.scope;
    let managed: Vec<ClusterId> = if scope.is_admin() {
        state.clusters.keys().cloned().collect()
    } else {
        scope.managed_clusters().into_iter().cloned().collect()
    };
    let mut out = drafting_todos(t, state, viewer, &managed);
    out.extend(signing_todos(t, state, viewer, &managed));
    let today = viewer.today();
    out.extend(super::todo_year::todos(t, state, viewer, today));
    if scope.is_admin() {
        out.extend(holiday_todos(viewer.lang, state, today));
    }
    out
}

/// For each year from this one on with a movement and no declared public holidays: declare
/// them (an administrator), since its default deadlines count working days.
fn holiday_todos(
    lang: crate::i18n::Lang,
    state: &thidua_domain::State,
    today: chrono::NaiveDate,
) -> Vec<Todo> {
    use chrono::Datelike;
    let hs = lang.holidays();
    let mut years: Vec<i32> = state
        .movements
        .values()
        .map(|m| m.year)
        .filter(|y| *y >= today.year() && !state.holidays.contains_key(y))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| Todo {
            text: names::sentence(hs.todo, &[("year", vec![Named::plain(year.to_string())])]),
            href: format!("/admin/holidays?year={year}#hd-form"),
            button: hs.todo_button,
            mine: true,
        })
        .collect()
}

/// For each managed cluster's year without a covenant: draft it (from the cluster's last
/// covenant in force, if any), or launch its movement first (an administrator), or wait for
/// the movement.
fn drafting_todos(
    t: &Strings,
    state: &thidua_domain::State,
    viewer: &Viewer,
    managed: &[ClusterId],
) -> Vec<Todo> {
    let scope = &viewer.scope;
    let mut out = Vec::new();
    for cluster in managed {
        for year in years_without_covenant(state, cluster) {
            let (template, href, button, mine) = if state.movements.values().any(|m| m.year == year)
            {
                // Started from the cluster's last covenant in force when there is one, as the
                // cluster page's first button does.
                let href = match model_covenant(state, cluster, year) {
                    Some((from, _)) => {
                        format!("/clusters/{cluster}/covenants/new?year={year}&from={from}")
                    }
                    None => format!("/clusters/{cluster}/covenants/new?year={year}"),
                };
                (t.todo_draft, href, t.draft_covenant, true)
            } else if scope.is_admin() {
                let href = "/admin/movements".to_owned();
                (t.todo_movement, href, t.admin_new_movement, true)
            } else {
                let href = format!("/clusters/{cluster}?year={year}");
                (t.todo_wait_movement, href, t.show, false)
            };
            let args = [
                ("cluster", vec![names::cluster(state, cluster)]),
                ("year", vec![Named::plain(year.to_string())]),
            ];
            out.push(Todo {
                text: names::sentence(template, &args),
                href,
                button,
                mine,
            });
        }
    }
    out
}

/// For each open covenant version: sign it (its members' leaders), the leader signs (their
/// officers), the signatures still missing (the secretariat and the supervisors).
fn signing_todos(
    t: &Strings,
    state: &thidua_domain::State,
    viewer: &Viewer,
    managed: &[ClusterId],
) -> Vec<Todo> {
    let scope = &viewer.scope;
    let mut out = Vec::new();
    let led = scope.led_units();
    let own = scope.own_units();
    let vis = scope.visibility(state);
    for c in state.covenants.values() {
        let v = c.latest();
        if !v.is_open() || !vis.sees_cluster(&c.cluster) {
            continue;
        }
        let cov = vec![names::covenant(state, &c.id)];
        let version = vec![Named::plain(v.version.to_string())];
        for m in v.members.iter().filter(|m| !v.signatures.contains_key(*m)) {
            if led.contains(m) {
                out.push(Todo {
                    text: names::sentence(
                        t.todo_sign,
                        &[
                            ("covenant", cov.clone()),
                            ("version", version.clone()),
                            ("unit", vec![names::unit(state, m)]),
                        ],
                    ),
                    href: format!("/covenants/{}/sign?unit={m}", c.id),
                    button: t.sign_button,
                    mine: true,
                });
            } else if own.contains(m) {
                out.push(Todo {
                    text: names::sentence(
                        t.todo_leader_signs,
                        &[
                            ("covenant", cov.clone()),
                            ("unit", vec![names::unit(state, m)]),
                        ],
                    ),
                    href: format!("/covenants/{}", c.id),
                    button: t.show,
                    mine: false,
                });
            }
        }
        let oversees = scope.serves_by_name(&c.cluster);
        if oversees {
            let missing: Vec<UnitId> = v
                .members
                .iter()
                .filter(|m| !v.signatures.contains_key(*m))
                .cloned()
                .collect();
            let missing = names::list(
                sorted_refs(state, &missing)
                    .iter()
                    .filter_map(|u| UnitId::parse(&u.id).ok())
                    .map(|u| names::unit(state, &u))
                    .collect(),
            );
            // Amending or withdrawing is the secretariat's: a supervisor only follows.
            let template = if v.signatures.is_empty() && managed.contains(&c.cluster) {
                t.todo_unsigned_draft
            } else {
                t.todo_missing
            };
            out.push(Todo {
                text: names::sentence(
                    template,
                    &[
                        ("covenant", cov),
                        ("version", version),
                        ("missing", missing),
                    ],
                ),
                href: format!("/covenants/{}", c.id),
                button: t.show,
                mine: managed.contains(&c.cluster) && v.signatures.is_empty(),
            });
        }
    }
    out
}

/// In each signed covenant whose flags still take explanations (its results not yet published,
/// `State::explanations_closed`): for each member unit the
/// viewer leads, its integrity flags without an explanation; for a cluster whose secretariat or
/// supervisor the viewer is, how many flags there are and how many wait for the units'
/// explanations (to follow, nothing to do). Counted from the latest flags computed, so the home
/// page never waits for a computation.
fn flags_todos(
    app: &AppState,
    t: &Strings,
    state: &thidua_domain::State,
    viewer: &Viewer,
) -> Vec<Todo> {
    use crate::api::flags::explained_counts_recent as counts;
    let led = viewer.scope.led_units();
    let scope = &viewer.scope;
    let mut out = Vec::new();
    let open = state
        .covenants
        .values()
        .filter(|c| c.in_force().is_some() && !state.explanations_closed(&c.id));
    for c in open {
        let href = format!("/covenants/{}/flags", c.id);
        let covenant = ("covenant", vec![names::covenant(state, &c.id)]);
        let members = state.members(&c.cluster, c.year).unwrap_or(&[]);
        for unit in led.iter().filter(|u| members.contains(u)) {
            let (_, n) = counts(app, state, &c.id, |u| u == unit.as_str());
            if n > 0 {
                let args = [
                    ("unit", vec![names::unit(state, unit)]),
                    ("count", vec![Named::plain(n.to_string())]),
                    covenant.clone(),
                ];
                out.push(Todo {
                    text: names::sentence(t.todo_flags_explain, &args),
                    href: format!("{href}?unit={unit}"),
                    button: t.todo_explain_button,
                    mine: true,
                });
            }
        }
        if scope.serves_by_name(&c.cluster) {
            let (total, waiting) = counts(app, state, &c.id, |_| true);
            if total > 0 {
                let args = [
                    ("count", vec![Named::plain(total.to_string())]),
                    ("waiting", vec![Named::plain(waiting.to_string())]),
                    covenant,
                ];
                out.push(Todo {
                    text: names::sentence(t.todo_flags_follow, &args),
                    href,
                    button: t.show,
                    mine: false,
                });
            }
        }
    }
    out
}

pub async fn home(State(app): State<AppState>, viewer: Viewer) -> Response {
    let t = viewer.lang.strings();
    let state = app.service.read();
    let scope = &viewer.scope;
    let own: Vec<UnitId> = scope.own_units().into_iter().cloned().collect();
    let page = HomePage {
        l: Layout::new(&viewer, t.home_title),
        roles: scope
            .roles
            .iter()
            .map(|r| role_label(t, &state, r))
            .collect(),
        todos: {
            let mut all = todos(t, &state, &viewer);
            all.extend(flags_todos(&app, t, &state, &viewer));
            all
        },
        units: sorted_refs(&state, &own),
        clusters: dto::clusters(&state, scope),
        covenants: home_covenants(&state, scope),
    };
    render(&page)
}

/// The covenants the home page lists as the viewer's: every one for an administrator; those of
/// the clusters the viewer serves (secretariat, supervisor); those one of the viewer's units
/// signs or signed (a member of its cluster in its year). Not every covenant the viewer may
/// read: a unit that joined a cluster later (Cần Thơ in 2025) reads the cluster's earlier
/// covenants from the cluster's page, but they were not its own. A withdrawn draft is left out.
/// The newest year first: this year's covenant is the one the day's work is about.
fn home_covenants(
    state: &thidua_domain::State,
    scope: &crate::authz::Scope,
) -> Vec<CovenantSummary> {
    let own = scope.own_units();
    let mut list: Vec<CovenantSummary> = state
        .covenants
        .values()
        .filter(|c| {
            scope.is_admin()
                || scope.serves_by_name(&c.cluster)
                || c.latest().members.iter().any(|m| own.contains(m))
        })
        .map(|c| dto::covenant_summary(state, c))
        // A withdrawn draft waits for no one: its cluster's page still lists it, marked so.
        .filter(|c| !c.withdrawn)
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.year));
    list
}

#[derive(Template)]
#[template(path = "cluster.html")]
struct ClusterPage {
    l: Layout,
    c: ClusterDetail,
    /// The viewer may set this cluster's membership and leadership (secretariat, admin).
    can_manage: bool,
    /// For the membership form: the units that may be members in the shown year, and whether
    /// each is one, grouped by kind (the kind's name, its units). One group once the cluster
    /// has members: the kind they are (`State::cluster_member_kind`), since a year's members
    /// are of one kind.
    units: Vec<(&'static str, Vec<(UnitRef, bool)>)>,
    /// The shown year has no covenant in force or being signed (the drafting button shows).
    needs_covenant: bool,
    /// The cluster's newest covenant in force of an earlier year, to start the new one from:
    /// its id and year.
    model: Option<(String, i32)>,
    /// Why the shown year's members can no longer change (its covenant has signatures, or its
    /// year-end review is open).
    members_signed: Option<&'static str>,
    /// Members of the shown year ceased during it after the signature: the sentence that names
    /// them and their successors (the form then offers the succession, ticked).
    succession: Option<String>,
    docs: super::documents::DocsSection,
    votes: super::votes::manage::VotesSection,
    errors: super::admin::FieldErrors,
    saved: bool,
    /// A refused leadership form's choices, shown as submitted.
    typed: std::collections::HashMap<String, String>,
}

impl ClusterPage {
    /// What a refused form held in `key` (empty when none was refused).
    fn typed(&self, key: &str) -> &str {
        self.typed.get(key).map(String::as_str).unwrap_or("")
    }

    fn draft_button(&self, y: &i32) -> String {
        crate::i18n::fill(self.l.t.draft_covenant_year, &[("year", y)])
    }

    fn draft_from_button(&self, from: &i32) -> String {
        crate::i18n::fill(self.l.t.draft_covenant_from, &[("year", from)])
    }

    fn is_year(&self, y: &i32) -> bool {
        self.c.year == Some(*y)
    }

    fn method(&self, m: &str) -> &'static str {
        if m == "elected" {
            self.l.t.elected
        } else {
            self.l.t.assigned
        }
    }

    fn aria(&self, form: &str, field: &str) -> String {
        self.errors.aria(form, field, &format!("{form}-{field}"))
    }

    /// The error summary: each message linked to its field.
    fn summary(&self) -> super::form::Errors {
        let t = self.l.t;
        self.errors.summary(&[
            ("members", "year", "mm-year", t.cluster_year),
            ("members", "members", "mm-units", t.cluster_members),
            ("leadership", "year", "ml-year", t.cluster_year),
            ("leadership", "position", "ml-position", t.position),
            ("leadership", "unit", "ml-unit", t.unit),
            (
                "leadership",
                "decision",
                "ml-decision",
                t.decision_ref_label,
            ),
        ])
    }
}

#[derive(Deserialize)]
pub struct YearParam {
    year: Option<String>,
    saved: Option<String>,
    /// The log index of a document just issued (its confirmation is shown).
    issued: Option<String>,
}

pub async fn cluster(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<YearParam>,
) -> Response {
    // A year that is not one (or outside the years the system plans for) is not found, never
    // silently the current year instead.
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => None,
        Some(typed) => match typed.parse::<i32>().ok() {
            Some(y) if thidua_domain::org::validate_year(y).is_ok() => Some(y),
            _ => return super::viewer_error(&viewer, ApiError::not_found()),
        },
    };
    let issued = q.issued.and_then(|i| i.trim().parse().ok());
    let notices = ClusterNotices {
        saved: q.saved.is_some(),
        issued,
        ..ClusterNotices::default()
    };
    cluster_page(
        &app,
        &viewer,
        &id,
        year,
        super::admin::FieldErrors::default(),
        notices,
    )
}

/// What the cluster page confirms or reports above its sections.
#[derive(Default)]
pub struct ClusterNotices {
    /// The membership was saved.
    pub saved: bool,
    /// The log index of a document just issued.
    pub issued: Option<u64>,
    /// An offered document whose issuing was refused (shown beside its form; answered 422).
    pub issue_failure: Option<super::documents::IssueFailure>,
    /// The members ticked in a refused membership form, shown ticked as submitted.
    pub ticked: Option<Vec<UnitId>>,
    /// The choices of a refused leadership form (`position`, `unit`, `method`, `decision`),
    /// shown as submitted.
    pub typed: std::collections::HashMap<String, String>,
}

/// The cluster page, with the management forms for its secretariat and administrators.
pub fn cluster_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    year: Option<i32>,
    errors: super::admin::FieldErrors,
    saved: bool,
) -> Response {
    let notices = ClusterNotices {
        saved,
        ..ClusterNotices::default()
    };
    cluster_page(app, viewer, id, year, errors, notices)
}

/// The cluster page with its confirmations: the membership saved, a document just issued or
/// refused.
pub fn cluster_page(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    year: Option<i32>,
    errors: super::admin::FieldErrors,
    notices: ClusterNotices,
) -> Response {
    let ClusterNotices {
        saved,
        issued,
        issue_failure,
        ticked,
        typed,
    } = notices;
    let state = app.service.read();
    let detail = ClusterId::parse(id)
        .map_err(|_| ApiError::not_found())
        .and_then(|id| cluster_detail(&state, &viewer.scope, &id, year).map(|c| (id, c)));
    let (id, c) = match detail {
        Ok(x) => x,
        Err(e) => return viewer_error(viewer, e),
    };
    let can_manage = viewer.scope.manages(&id);
    let succession = c
        .year
        .filter(|_| can_manage)
        .and_then(|y| succession_due(&state, viewer.lang, &id, y));
    let ticked = ticked.or_else(|| succession.as_ref().map(|(_, proposed)| proposed.clone()));
    let units = if can_manage {
        membership_choices(&state, viewer, &id, &c, ticked.as_deref())
    } else {
        Vec::new()
    };
    let needs_covenant = c
        .year
        .is_some_and(|y| years_without_covenant(&state, &id).contains(&y));
    let model = c
        .year
        .filter(|_| needs_covenant)
        .and_then(|y| model_covenant(&state, &id, y));
    let members_signed = c
        .year
        .filter(|y| {
            can_manage && succession.is_none() && state.membership_signed(&id, *y).is_some()
        })
        .map(|y| match state.review_open_in(&id, y) {
            true => viewer.lang.error("membership_review_open"),
            false => viewer.lang.error("membership_signed"),
        });
    let succession = succession.map(|(sentence, _)| sentence);
    let status = if errors.is_empty() && issue_failure.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let docs = super::documents::cluster_section(
        &state,
        viewer,
        &id,
        c.year,
        issued,
        issue_failure.as_ref(),
    );
    let votes = super::votes::manage::cluster_section(&state, viewer, &id, c.year);
    let mut res = render(&ClusterPage {
        l: Layout::new(viewer, c.name.clone()),
        docs,
        votes,
        c,
        can_manage,
        units,
        needs_covenant,
        model,
        members_signed,
        succession,
        errors,
        saved,
        typed,
    });
    *res.status_mut() = status;
    res
}

/// When a succession is due in `year` ([`thidua_domain::State::succession_due`]): the sentence
/// naming the members that ceased (the day each did) and their successors, and the membership
/// the succession gives.
fn succession_due(
    state: &thidua_domain::State,
    lang: crate::i18n::Lang,
    id: &ClusterId,
    year: i32,
) -> Option<(String, Vec<UnitId>)> {
    let proposed = state.succession_due(id, year)?;
    let ceased = state.ceased_members(id, year);
    let (units, successors) = thidua_domain::succession::named_ceased(state, &ceased);
    let sentence = crate::i18n::fill(
        lang.strings().succession_due,
        &[
            ("year", year.to_string()),
            ("units", units.join(", ")),
            ("successors", successors.join(", ")),
        ],
    );
    Some((sentence, proposed))
}

/// The membership form's choices, grouped by kind: units that may be members and exist at the
/// end of the shown year, of the kind the cluster's members are (every kind that may join
/// while it has none); its members stay listed whatever they are, so that they can be
/// unticked. Each is ticked as `ticked` says (the form sent back), else as the members are.
fn membership_choices(
    state: &thidua_domain::State,
    viewer: &Viewer,
    id: &ClusterId,
    c: &ClusterDetail,
    ticked: Option<&[UnitId]>,
) -> Vec<(&'static str, Vec<(UnitRef, bool)>)> {
    use thidua_domain::model::UnitKind as K;
    let end = c.year.map(|y| thidua_domain::command::year_bounds(y).1);
    let kind = c.year.and_then(|y| state.cluster_member_kind(id, y));
    let is_member = |u: &str| c.members.iter().any(|m| m.id == u);
    let offered = |u: &thidua_domain::model::Unit| {
        (u.may_join_clusters()
            && end.is_none_or(|e| u.active_on(e))
            && kind.is_none_or(|k| u.kind == k))
            || is_member(u.id.as_str())
    };
    let tick = |u: &UnitRef| match ticked {
        Some(ticked) => ticked.iter().any(|m| m.as_str() == u.id),
        None => is_member(&u.id),
    };
    [
        K::ProvincialPolice,
        K::MinistryDepartment,
        K::CommunePolice,
        K::Ministry,
    ]
    .into_iter()
    .filter_map(|k| {
        let ids: Vec<UnitId> = state
            .units
            .values()
            .filter(|u| u.kind == k && offered(u))
            .map(|u| u.id.clone())
            .collect();
        let group: Vec<(UnitRef, bool)> = sorted_refs(state, &ids)
            .into_iter()
            .map(|u| {
                let member = tick(&u);
                (u, member)
            })
            .collect();
        (!group.is_empty()).then(|| (kind_label(viewer.lang.strings(), k.as_str()), group))
    })
    .collect()
}

/// The cluster's newest covenant in force of a year before `year`, to start `year`'s from: its
/// id and year.
fn model_covenant(
    state: &thidua_domain::State,
    id: &ClusterId,
    year: i32,
) -> Option<(String, i32)> {
    state
        .covenants
        .values()
        .filter(|cv| &cv.cluster == id && cv.year < year && cv.in_force().is_some())
        .max_by_key(|cv| cv.year)
        .map(|cv| (cv.id.to_string(), cv.year))
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    l: Layout,
    u: UnitDetail,
    parent: Option<Named>,
    kind: &'static str,
    can_admin: bool,
    /// The unit's people and roles (only for the unit itself and administrators).
    people: Vec<(UserDto, Vec<super::RoleLabel>)>,
    docs: super::documents::DocsSection,
    ls: &'static crate::i18n::lineage::LineageStrings,
}

impl UnitPage {
    /// A lineage record's status: in force, or withdrawn on a day.
    fn lineage_status(&self, x: &crate::api::dto::LineageDto) -> String {
        match &x.withdrawn {
            None => self.ls.in_force.to_owned(),
            Some(w) => crate::i18n::fill(
                self.ls.withdrawn,
                &[("date", crate::format::time_ms(w.time_ms))],
            ),
        }
    }
}

pub fn kind_label(t: &Strings, kind: &str) -> &'static str {
    match kind {
        "ministry" => t.kind_ministry,
        "ministry_department" => t.kind_ministry_department,
        "provincial_police" => t.kind_provincial_police,
        _ => t.kind_commune_police,
    }
}

pub async fn unit(State(app): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let t = viewer.lang.strings();
    let Ok(id) = UnitId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let state = app.service.read();
    let can_admin = viewer.scope.can_admin_unit(&id);
    let detail = unit_detail(&state, &viewer.scope, &id);
    match detail {
        Ok(u) => {
            let people = if can_admin {
                unit_people(t, &state, &viewer, &id)
            } else {
                Vec::new()
            };
            render(&UnitPage {
                l: Layout::new(&viewer, u.unit.name.clone()),
                parent: state
                    .units
                    .get(&id)
                    .and_then(|x| x.parent.as_ref())
                    .map(|p| names::unit(&state, p)),
                kind: kind_label(t, &u.unit.kind),
                can_admin,
                people,
                docs: super::documents::unit_section(&state, &viewer, &id),
                ls: viewer.lang.lineage(),
                u,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// The people holding a role on `unit`, with their roles in words.
fn unit_people(
    t: &Strings,
    state: &thidua_domain::State,
    viewer: &Viewer,
    unit: &UnitId,
) -> Vec<(UserDto, Vec<super::RoleLabel>)> {
    users(state, &viewer.scope, Some(unit))
        .unwrap_or_default()
        .into_iter()
        .map(|u| {
            let labels = u
                .roles
                .iter()
                .map(|r| super::role_str_label(t, state, r))
                .collect();
            (u, labels)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "unit_admin.html")]
struct UnitAdminPage {
    l: Layout,
    unit: UnitRef,
    users: Vec<(UserDto, Vec<super::RoleLabel>)>,
}

/// A unit's administration page: its people and their roles. Only the unit and administrators.
pub async fn unit_admin(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let t = viewer.lang.strings();
    let Ok(id) = UnitId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if !viewer.scope.can_admin_unit(&id) {
        return viewer_error(
            &viewer,
            ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not this unit"),
        );
    }
    let state = app.service.read();
    if !state.units.contains_key(&id) {
        return viewer_error(&viewer, ApiError::not_found());
    }
    let users = match users(&state, &viewer.scope, Some(&id)) {
        Ok(u) => u,
        Err(e) => return viewer_error(&viewer, e),
    };
    let page = UnitAdminPage {
        l: Layout::new(&viewer, t.unit_admin_title),
        unit: unit_ref(&state, &id),
        users: users
            .into_iter()
            .map(|u| {
                let labels = u
                    .roles
                    .iter()
                    .map(|r| super::role_str_label(t, &state, r))
                    .collect();
                (u, labels)
            })
            .collect(),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    l: Layout,
    p: UserDto,
    roles: Vec<super::RoleLabel>,
}

/// `GET /people/{id}`: a person's name and roles, for those who may see them.
pub async fn person(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let t = viewer.lang.strings();
    let Ok(id) = thidua_domain::UserId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let state = app.service.read();
    match user_detail(&state, &viewer.scope, &id) {
        Ok(p) => {
            let roles = p
                .roles
                .iter()
                .map(|r| super::role_str_label(t, &state, r))
                .collect();
            render(&PersonPage {
                l: Layout::new(&viewer, p.display_name.clone()),
                p,
                roles,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}
