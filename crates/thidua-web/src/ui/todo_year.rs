//! The home page's to-dos of the year after the signature, for the viewer's roles: figures to
//! submit (from the window's cut-off day, `figures::submittable`) or approve, the year-end steps of a led unit (dossier, seed
//! commitment and reveal, inspections, answers) and of the secretariat (publishing locked
//! results), open ballot rounds, and a vote's next step (the secretariat's opening of the vote
//! once the year's candidates are known, its close of a round every member voted in, round 2
//! when round 1 left seats; a paper count to confirm, a tie to decide), and documents the log
//! gives that the secretariat has not issued. Each is a fact of the
//! state, never a guess: a step is listed only while the domain would accept it.

use crate::i18n::figures::window_name;
use chrono::NaiveDate;
use thidua_domain::figures::{deadline_passed, submittable, ReportStatus};
use thidua_domain::state::Covenant;
use thidua_domain::votes::Election;
use thidua_domain::yearend::{Review, Step};
use thidua_domain::{State, UnitId};

use super::names::{self, Named};
use super::pages::Todo;
use super::votes;
use crate::auth::Viewer;
use crate::i18n::Strings;

/// Everything the year asks of the viewer now.
pub fn todos(t: &Strings, state: &State, viewer: &Viewer, today: NaiveDate) -> Vec<Todo> {
    let mut out = Vec::new();
    let vis = viewer.scope.visibility(state);
    for c in state.covenants.values() {
        if c.in_force().is_none() || !vis.sees_cluster(&c.cluster) {
            continue;
        }
        let review = state.yearend.reviews.get(&c.id);
        // Figures are asked for until the year-end locks the scores, and only of the cluster's
        // latest signed covenant.
        let superseded = state
            .covenants
            .values()
            .any(|o| o.cluster == c.cluster && o.year > c.year && o.in_force().is_some());
        if !superseded && review.is_none_or(|r| r.locked_at.is_none()) {
            out.extend(figures(t, state, viewer, c));
            out.extend(overdue(t, state, viewer, c));
        }
        if !superseded && review.is_none() {
            out.extend(open_yearend(t, state, viewer, c));
        }
        if let Some(r) = review {
            out.extend(yearend(t, state, viewer, c, r));
        }
    }
    out.extend(ballots(t, state, viewer));
    out.extend(documents(t, state, viewer, today));
    out
}

/// For the secretariat: the years of its clusters with documents not issued yet (a frozen
/// covenant, minutes, reports, submissions: `documents::waiting`), linking to the "Văn bản" section of that year.
fn documents(t: &Strings, state: &State, viewer: &Viewer, today: NaiveDate) -> Vec<Todo> {
    let mut out = Vec::new();
    for (id, cluster) in state.clusters.iter() {
        if !votes::manage::manages(viewer, id) {
            continue;
        }
        for year in cluster.years.keys() {
            let waiting = super::documents::waiting(state, id, *year, today);
            if waiting > 0 {
                let args = [
                    ("count", plain(waiting)),
                    ("cluster", vec![names::cluster(state, id)]),
                    ("year", plain(year)),
                ];
                out.push(Todo {
                    text: names::sentence(t.todo_documents, &args),
                    href: format!("/clusters/{id}?year={year}#documents"),
                    button: t.todo_documents_button,
                    mine: true,
                });
            }
        }
    }
    out
}

fn plain(s: impl ToString) -> Vec<Named> {
    vec![Named::plain(s.to_string())]
}

fn date(d: NaiveDate) -> Vec<Named> {
    plain(d.format("%d/%m/%Y"))
}

/// The viewer's units that are members of the covenant's year.
fn members_of<'a>(
    state: &State,
    c: &Covenant,
    units: impl IntoIterator<Item = &'a UnitId>,
) -> Vec<&'a UnitId> {
    let members = state.members(&c.cluster, c.year).unwrap_or(&[]);
    units.into_iter().filter(|u| members.contains(u)).collect()
}

/// Reports that may be submitted (from their window's cut-off day) and that nobody submitted
/// yet (one to-do per
/// unit: the earliest, with how many there are), reports reopened for a correction, and
/// submitted ones awaiting the leader.
fn figures(t: &Strings, state: &State, viewer: &Viewer, c: &Covenant) -> Vec<Todo> {
    let Ok(calendar) = state.calendar(&c.id) else {
        return Vec::new();
    };
    let led = viewer.scope.led_units();
    let reports = viewer.scope.reporting_units();
    let mut out = Vec::new();
    for unit in members_of(state, c, viewer.scope.own_units()) {
        let status = |key: &str| state.figures.report(unit, c.year, key).map(|r| r.status);
        let due: Vec<&str> = calendar
            .reported()
            .iter()
            .filter(|r| submittable(r.window, viewer.now_ms))
            .map(|r| r.key())
            .filter(|k| matches!(status(k), None | Some(ReportStatus::Draft)))
            .collect();
        // A report the leader reopened is a correction asked for: its own to-do, at any time.
        let windows_in = |wanted: ReportStatus| {
            calendar
                .reported()
                .iter()
                .map(|r| r.window)
                .filter(move |w| status(&w.key) == Some(wanted))
        };
        let report_todo =
            |template: &str, button: &'static str, w: &thidua_domain::model::ReportingWindow| {
                Todo {
                    text: names::sentence(
                        template,
                        &[
                            ("window", vec![Named::plain(window_name(viewer.lang, w))]),
                            ("unit", vec![names::unit(state, unit)]),
                        ],
                    ),
                    href: format!("/covenants/{}/figures/{unit}/{}", c.id, w.key),
                    button,
                    mine: true,
                }
            };
        // Entering and correcting figures is the officers' work; the leader approves.
        if reports.contains(unit) {
            for w in windows_in(ReportStatus::Reopened) {
                out.push(report_todo(
                    t.todo_figures_correct,
                    t.todo_correct_button,
                    w,
                ));
            }
        }
        if let (Some(first), true) = (due.first(), reports.contains(unit)) {
            out.push(enter(
                (t, viewer.lang),
                (state, viewer.now_ms),
                c,
                unit,
                first,
                due.len(),
            ));
        }
        if led.contains(unit) {
            for w in windows_in(ReportStatus::Submitted) {
                out.push(report_todo(
                    t.todo_figures_approve,
                    t.todo_approve_button,
                    w,
                ));
            }
            // A leader who also enters the unit's figures is told so by the entering to-do.
            if !reports.contains(unit) {
                out.extend(overdue_led(t, state, viewer, c, unit));
            }
        }
    }
    out
}

/// The windows of covenant `c` past their deadline at `now_ms`, in calendar order, with it.
fn past_deadline(state: &State, c: &Covenant, now_ms: i64) -> Vec<(String, NaiveDate)> {
    let Ok(calendar) = state.calendar(&c.id) else {
        return Vec::new();
    };
    calendar
        .reported()
        .iter()
        .filter_map(|r| {
            let d = state.figures_deadline(&c.id, r.key()).ok()?;
            deadline_passed(d, now_ms).then(|| (r.key().to_owned(), d))
        })
        .collect()
}

/// Of `windows`, those `unit` has not submitted (no report, or a draft).
fn unsubmitted<'a>(
    state: &State,
    c: &Covenant,
    unit: &UnitId,
    windows: &'a [(String, NaiveDate)],
) -> Vec<&'a (String, NaiveDate)> {
    windows
        .iter()
        .filter(|(key, _)| {
            let status = state.figures.report(unit, c.year, key).map(|r| r.status);
            matches!(status, None | Some(ReportStatus::Draft))
                && state.in_being_for(&c.id, unit, key)
        })
        .collect()
}

/// A window's name as users say it ("Tháng 3"), else its key.
fn window_called(state: &State, c: &Covenant, lang: crate::i18n::Lang, key: &str) -> String {
    state
        .reporting_window(&c.id, key)
        .map(|w| window_name(lang, &w))
        .unwrap_or_else(|_| key.to_owned())
}

/// For the cluster's secretariat: the members whose figures are overdue (a window past its
/// deadline not submitted). When they all miss just the latest such window, that window is
/// named with them; else each is named with how many windows it owes and the earliest.
fn overdue(t: &Strings, state: &State, viewer: &Viewer, c: &Covenant) -> Option<Todo> {
    let scope = &viewer.scope;
    if !(scope.manages(&c.cluster)) {
        return None;
    }
    let passed = past_deadline(state, c, viewer.now_ms);
    let (latest, deadline) = passed.iter().max_by_key(|(_, d)| *d)?.clone();
    let late: Vec<(UnitId, Vec<&(String, NaiveDate)>)> = state
        .sorted_by_place(state.members(&c.cluster, c.year).ok()?)
        .into_iter()
        .map(|u| (u.id.clone(), unsubmitted(state, c, &u.id, &passed)))
        .filter(|(_, owed)| !owed.is_empty())
        .collect();
    let earliest = late
        .iter()
        .filter_map(|(_, owed)| owed.first())
        .min_by_key(|(_, d)| *d)?;
    let href = format!("/covenants/{}/figures?window={}", c.id, earliest.0);
    let only_latest = late
        .iter()
        .all(|(_, owed)| owed.len() == 1 && owed[0].0 == latest);
    let text = if only_latest {
        let units = late.iter().map(|(u, _)| names::unit(state, u)).collect();
        names::sentence(
            t.todo_figures_overdue,
            &[
                (
                    "window",
                    plain(window_called(state, c, viewer.lang, &latest)),
                ),
                ("deadline", date(deadline)),
                ("count", plain(late.len())),
                ("units", names::list(units)),
            ],
        )
    } else {
        let mut units = Vec::new();
        for (i, (u, owed)) in late.iter().enumerate() {
            if i > 0 {
                units.push(Named::plain("; "));
            }
            units.extend(names::sentence(
                t.todo_overdue_unit,
                &[
                    ("unit", vec![names::unit(state, u)]),
                    ("count", plain(owed.len())),
                    (
                        "window",
                        plain(window_called(state, c, viewer.lang, &owed[0].0)),
                    ),
                ],
            ));
        }
        names::sentence(t.todo_figures_overdue_units, &[("units", units)])
    };
    Some(Todo {
        text,
        href,
        button: t.show,
        mine: true,
    })
}

/// For a unit's leader: its windows past their deadline and not submitted — the officers
/// enter them, the leader sees that the unit is late.
fn overdue_led(
    t: &Strings,
    state: &State,
    viewer: &Viewer,
    c: &Covenant,
    unit: &UnitId,
) -> Option<Todo> {
    let passed = past_deadline(state, c, viewer.now_ms);
    let owed = unsubmitted(state, c, unit, &passed);
    let (key, deadline) = owed.first()?;
    Some(Todo {
        text: names::sentence(
            t.todo_figures_overdue_led,
            &[
                ("unit", vec![names::unit(state, unit)]),
                ("count", plain(owed.len())),
                ("window", plain(window_called(state, c, viewer.lang, key))),
                ("deadline", date(*deadline)),
            ],
        ),
        href: format!("/covenants/{}/figures/{unit}/{key}", c.id),
        button: t.show,
        mine: true,
    })
}

/// "Submit the figures of window … (deadline …)", or of the earliest of several windows; a
/// deadline already passed is said to be.
fn enter(
    (t, lang): (&Strings, crate::i18n::Lang),
    (state, now_ms): (&State, i64),
    c: &Covenant,
    unit: &UnitId,
    window: &str,
    count: usize,
) -> Todo {
    let name = state
        .reporting_window(&c.id, window)
        .map(|w| window_name(lang, &w))
        .unwrap_or_else(|_| window.to_owned());
    let deadline = match state.figures_deadline(&c.id, window) {
        Ok(d) if deadline_passed(d, now_ms) => {
            let mut said = date(d);
            said.push(Named::plain(format!(", {}", t.todo_overdue)));
            said
        }
        Ok(d) => date(d),
        Err(_) => Vec::new(),
    };
    let template = if count == 1 {
        t.todo_figures_enter
    } else {
        t.todo_figures_enter_many
    };
    Todo {
        text: names::sentence(
            template,
            &[
                ("window", vec![Named::plain(name)]),
                ("unit", vec![names::unit(state, unit)]),
                ("deadline", deadline),
                ("count", plain(count)),
            ],
        ),
        href: format!("/covenants/{}/figures/{unit}/{window}", c.id),
        button: t.todo_enter_button,
        mine: true,
    }
}

/// For the cluster's secretariat: the year's last reporting window has reached its cut-off
/// and the year-end review is not opened yet — open it (its section of the year-end page).
fn open_yearend(t: &Strings, state: &State, viewer: &Viewer, c: &Covenant) -> Option<Todo> {
    if !viewer.scope.manages(&c.cluster) {
        return None;
    }
    let calendar = state.calendar(&c.id).ok()?;
    let last = calendar
        .reported()
        .iter()
        .map(|r| r.window)
        .max_by_key(|w| w.end)?;
    submittable(last, viewer.now_ms).then(|| Todo {
        text: names::sentence(
            t.todo_open_yearend,
            &[
                ("cluster", vec![names::cluster(state, &c.cluster)]),
                ("year", plain(c.year)),
            ],
        ),
        href: format!("/covenants/{}/yearend#open", c.id),
        button: t.todo_open_yearend_button,
        mine: true,
    })
}

/// The revision a unit submitted and the newer one it saved since (`(submitted, saved)`),
/// while the leader may still submit again: before the dossier deadline and the draw (which
/// freezes a submitted dossier, `yearend_dossier_frozen`).
fn unsent_changes(r: &Review, unit: &UnitId, now_ms: i64) -> Option<(u32, u32)> {
    let d = r.dossiers.get(unit)?;
    let (submitted, ..) = d.submitted.as_ref()?;
    let open = !r.past(Step::Dossier, now_ms) && r.drawn.is_none();
    (open && d.revision > *submitted).then_some((*submitted, d.revision))
}

/// The year-end steps of the viewer's led units and of the cluster's secretariat, each
/// opening the year-end page at its section (`#…`, the page is long) with a button that says
/// what is done there.
fn yearend(t: &Strings, state: &State, viewer: &Viewer, c: &Covenant, r: &Review) -> Vec<Todo> {
    let todo = |template: &str, args: &[(&str, Vec<Named>)], (section, button): (String, _)| Todo {
        text: names::sentence(template, args),
        href: format!("/covenants/{}/yearend#{section}", c.id),
        button,
        mine: true,
    };
    let dossier = |unit: &UnitId| (format!("dossier-{unit}"), t.todo_dossier_button);
    let leader = |unit: &UnitId, button| (format!("leader-{unit}"), button);
    let mut out = Vec::new();
    let s = &r.schedule;
    let open = |step| !r.past(step, viewer.now_ms);
    if r.locked_at.is_none() && open(Step::Dossier) {
        // The unit's officers prepare the dossier that its leader submits.
        let led = viewer.scope.led_units();
        for unit in members_of(state, c, viewer.scope.own_units()) {
            if !led.contains(unit) && !r.dossier_submitted(unit) {
                let args = [
                    ("unit", vec![names::unit(state, unit)]),
                    ("deadline", date(s.dossier_deadline)),
                ];
                out.push(todo(t.todo_dossier_prepare, &args, dossier(unit)));
            }
        }
    }
    if r.locked_at.is_none() {
        for unit in members_of(state, c, viewer.scope.led_units()) {
            let u = || vec![names::unit(state, unit)];
            if !r.dossier_submitted(unit) && open(Step::Dossier) {
                out.push(todo(
                    t.todo_dossier,
                    &[("unit", u()), ("deadline", date(s.dossier_deadline))],
                    leader(unit, t.todo_submit_dossier_button),
                ));
            }
            if let Some((submitted, saved)) = unsent_changes(r, unit, viewer.now_ms) {
                out.push(todo(
                    t.todo_dossier_resubmit,
                    &[
                        ("unit", u()),
                        ("submitted", plain(submitted)),
                        ("saved", plain(saved)),
                        ("deadline", date(s.dossier_deadline)),
                    ],
                    leader(unit, t.todo_resubmit_dossier_button),
                ));
            }
            if !r.has_assignment() {
                if !r.commitments.contains_key(unit) && open(Step::Commit) {
                    out.push(todo(
                        t.todo_commit,
                        &[("unit", u()), ("deadline", date(s.commit_deadline))],
                        leader(unit, t.show),
                    ));
                }
                let reveals_open = (r.commitments.len() == r.members.len() || !open(Step::Commit))
                    && open(Step::Reveal);
                if r.commitments.contains_key(unit) && !r.reveals.contains_key(unit) && reveals_open
                {
                    out.push(match s.reveal_deadline {
                        Some(d) => todo(
                            t.todo_reveal_by,
                            &[("unit", u()), ("deadline", date(d))],
                            leader(unit, t.show),
                        ),
                        None => todo(t.todo_reveal, &[("unit", u())], leader(unit, t.show)),
                    });
                }
            }
            for p in r.pairs().iter().filter(|p| &p.inspector == unit) {
                if r.finding(unit, &p.inspected).is_none() {
                    let inspected = vec![names::unit(state, &p.inspected)];
                    out.push(todo(
                        t.todo_inspect,
                        &[("inspected", inspected), ("unit", u())],
                        (format!("inspect-{}", p.inspected), t.todo_inspect_button),
                    ));
                }
            }
            let answered = r.responses.contains_key(unit);
            if !answered && !r.disputed(unit).is_empty() && open(Step::Response) {
                out.push(todo(
                    t.todo_respond,
                    &[("unit", u()), ("deadline", date(s.response_deadline))],
                    leader(unit, t.todo_respond_button),
                ));
            }
        }
    }
    let manages = viewer.scope.manages(&c.cluster);
    if manages {
        let cluster = || vec![names::cluster(state, &c.cluster)];
        let args = |more: Vec<(&'static str, Vec<Named>)>| {
            let mut a = vec![("cluster", cluster()), ("year", plain(c.year))];
            a.extend(more);
            a
        };
        if let Some(template) = secretariat_step(r, viewer.now_ms, t) {
            let counts = vec![
                ("revealed", plain(r.reveals.len())),
                ("members", plain(r.members.len())),
            ];
            // The draw has its own section; the lock is the secretariat's.
            let section = if r.has_assignment() {
                "secretariat"
            } else {
                "draw"
            };
            out.push(todo(template, &args(counts), (section.to_owned(), t.show)));
        }
        if r.locked_at.is_none() && open(Step::Dossier) {
            out.extend(earlier_figures(t, state, c));
        }
        if r.locked_at.is_some() && r.published.is_none() {
            out.push(todo(
                t.todo_publish,
                &args(Vec::new()),
                ("secretariat".to_owned(), t.show),
            ));
        }
    }
    out
}

/// For the secretariat, each member whose year's figures are all approved but whose scores
/// compare with an earlier year it lacks approved figures of (a merged unit's predecessors,
/// say): its dossier cannot be submitted until they are imported as the earlier years'
/// figures (`yearend::rules::members_lacking_earlier`, by the rule the submission applies).
fn earlier_figures(t: &Strings, state: &State, c: &Covenant) -> Vec<Todo> {
    let lacking = thidua_domain::yearend::rules::members_lacking_earlier(state, &c.id);
    lacking
        .unwrap_or_default()
        .into_iter()
        .map(|(u, gaps)| Todo {
            text: names::sentence(
                t.todo_earlier_figures,
                &[
                    ("unit", vec![names::unit(state, &u)]),
                    ("lacking", plain(gaps.join("; "))),
                ],
            ),
            href: format!("/covenants/{}/figures#historical", c.id),
            button: t.todo_earlier_figures_button,
            mine: true,
        })
        .collect()
}

/// The secretariat's next year-end step before the scores are locked, when it is its turn:
/// the draw once the domain would run it ([`Review::draw_ready`]: every member revealed its
/// seed, or the reveals' time is over, and a pinned beacon's value is in), then the lock once
/// every inspector has sent its findings.
fn secretariat_step(r: &Review, now_ms: i64, t: &Strings) -> Option<&'static str> {
    if r.locked_at.is_some() {
        return None;
    }
    if !r.has_assignment() {
        return r.draw_ready(now_ms).is_ok().then_some(t.todo_draw);
    }
    let pairs = r.pairs();
    let inspected = pairs
        .iter()
        .all(|p| r.finding(&p.inspector, &p.inspected).is_some());
    (!pairs.is_empty() && inspected).then_some(t.todo_lock)
}

/// The votes' to-dos: for the secretariat, a cluster's year whose candidates are known and
/// whose vote is not opened yet; then each election's steps ([`election`]).
fn ballots(t: &Strings, state: &State, viewer: &Viewer) -> Vec<Todo> {
    let vis = viewer.scope.visibility(state);
    let mut out = openings(t, state, viewer);
    for e in state.elections.values() {
        if vis.sees_cluster(&e.cluster) {
            out.extend(election(t, state, viewer, e));
        }
    }
    out
}

/// "Open the award vote" for each cluster's year the viewer may open one for now
/// ([`votes::manage::opening_due`]), linking to the opening form of that year.
fn openings(t: &Strings, state: &State, viewer: &Viewer) -> Vec<Todo> {
    let m = crate::i18n::votes::manage(t.lang_code);
    let mut out = Vec::new();
    for (id, cluster) in state.clusters.iter() {
        for year in cluster.years.keys().rev() {
            if votes::manage::opening_due(state, viewer, id, *year) {
                let args = [
                    ("cluster", vec![names::cluster(state, id)]),
                    ("year", plain(year)),
                ];
                out.push(Todo {
                    text: names::sentence(m.todo_open, &args),
                    href: format!("/clusters/{id}/elections/new?year={year}"),
                    button: m.open_button,
                    mine: true,
                });
            }
        }
    }
    out
}

/// One election's steps for the viewer: the open round (the key ready) in which a unit the
/// viewer leads has not voted; for the secretariat, a round every member voted in, which only
/// waits for its close, a closed round still waiting for its trustees' shares (said, with the
/// way out on its page), and round 2 when round 1 left seats and the domain would open it; a
/// trustee unit's ceremony step or decryption share ([`trustee_steps`]); a paper count to
/// confirm and a tie to decide for a unit the viewer leads.
fn election(t: &Strings, state: &State, viewer: &Viewer, e: &Election) -> Vec<Todo> {
    if e.is_cancelled() {
        return Vec::new();
    }
    let led = viewer.scope.led_units();
    let m = crate::i18n::votes::manage(t.lang_code);
    let title = || vec![Named::data(e.title.to_string())];
    let todo = |text, href| Todo {
        text,
        href,
        button: t.show,
        mine: true,
    };
    let mut out = Vec::new();
    if let Some(r) = e.current_round().filter(|_| e.keys().is_some()) {
        for unit in e.members.iter().filter(|u| led.contains(u)) {
            if !r.ballots.contains_key(unit) {
                let args = [
                    ("election", title()),
                    ("round", plain(r.number)),
                    ("unit", vec![names::unit(state, unit)]),
                ];
                let href = format!("/elections/{}/vote?unit={unit}", e.id);
                out.push(Todo {
                    button: m.todo_vote_button,
                    ..todo(names::sentence(t.todo_vote, &args), href)
                });
            }
        }
        let manages = votes::manage::manages(viewer, &e.cluster);
        if manages && r.ballots.len() == e.members.len() {
            let args = [("election", title()), ("round", plain(r.number))];
            let href = format!("/elections/{}/close", e.id);
            out.push(todo(names::sentence(m.todo_close, &args), href));
        } else if manages {
            let args = [
                ("election", title()),
                ("round", plain(r.number)),
                ("voted", plain(r.ballots.len())),
                ("members", plain(e.members.len())),
            ];
            out.push(Todo {
                mine: false,
                ..todo(
                    names::sentence(m.todo_round_open, &args),
                    format!("/elections/{}", e.id),
                )
            });
        }
    }
    out.extend(trustee_steps(t, state, viewer, e));
    let manages = votes::manage::manages(viewer, &e.cluster);
    if let Some(r) = votes::manage::undecrypted_round(e).filter(|_| manages) {
        let args = [
            ("election", title()),
            ("round", plain(r.number)),
            ("posted", plain(r.shares.len())),
            ("threshold", plain(e.trustee_threshold)),
        ];
        out.push(Todo {
            mine: false,
            ..todo(
                names::sentence(m.todo_round_shares, &args),
                format!("/elections/{}", e.id),
            )
        });
    }
    if votes::manage::second_round_due(state, viewer, e) {
        out.push(Todo {
            text: names::sentence(m.todo_second, &[("election", title())]),
            href: format!("/elections/{}/second-round", e.id),
            button: m.second_round,
            mine: true,
        });
    }
    let (confirm, tie) = votes::manage::leader_actions(state, viewer, e);
    for (template, path, offers) in [
        (m.todo_confirm, "paper/confirm", confirm),
        (m.todo_tie, "tie", tie),
    ] {
        for (unit, name) in offers {
            let args = [("election", title()), ("unit", vec![name])];
            let href = format!("/elections/{}/{path}?unit={unit}", e.id);
            out.push(todo(names::sentence(template, &args), href));
        }
    }
    out
}

/// For the leader of each trustee unit the viewer leads: the key-ceremony step or the
/// decryption share that waits for its unit ([`votes::trustee::due`]), linking to the unit's
/// section of the election page, which says how to do it on the unit's own machine.
fn trustee_steps(t: &Strings, state: &State, viewer: &Viewer, e: &Election) -> Vec<Todo> {
    let w = crate::i18n::votes::trustee(t.lang_code);
    votes::trustee::due_for(e, viewer)
        .into_iter()
        .map(|(unit, due)| Todo {
            text: votes::trustee::todo_text(t.lang_code, state, e, unit, due),
            href: votes::trustee::href(e, unit),
            button: w.todo_button,
            mine: true,
        })
        .collect()
}
