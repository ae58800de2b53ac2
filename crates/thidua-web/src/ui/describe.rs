//! Each event of the log told for people: a sentence in the interface's language with the
//! names of the people, units, clusters and covenants it concerns (linked), and its details as
//! a table of labelled values with dates as dd/mm/yyyy. Used by the history and the record
//! pages; later stages add their event kinds here.

use thidua_domain::model::{LeadershipPosition, LineageKind};
use thidua_domain::{Event, Payload, State};

use super::names::{self, sentence, Named};
use crate::authz::Scope;
use crate::i18n::Strings;

/// An event as people read it.
pub struct Described {
    pub sentence: Vec<Named>,
    pub details: Vec<(&'static str, Vec<Named>)>,
}

fn text(s: impl Into<String>) -> Vec<Named> {
    vec![Named::data(s)]
}

fn plain(s: impl Into<String>) -> Vec<Named> {
    vec![Named::plain(s)]
}

/// A role: its title, then its unit's or cluster's name with a link.
fn role_named(t: &Strings, state: &State, role: &thidua_domain::model::Role) -> Vec<Named> {
    use thidua_domain::model::Role;
    let title = super::role_label(t, state, role).title;
    let place = match role {
        Role::Admin | Role::MinistrySupervisor => return plain(title),
        Role::Secretariat { cluster } | Role::Supervisor { cluster } => {
            names::cluster(state, cluster)
        }
        Role::Officer { unit } | Role::Leader { unit } => names::unit(state, unit),
    };
    vec![Named::plain(format!("{title} — ")), place]
}

/// A validation rule as people read it: its words and whether it blocks ("Lỗi") or warns.
fn rule_named(t: &Strings, r: &thidua_domain::figures::ValidationRule) -> String {
    let f = crate::i18n::Lang::parse(t.lang_code)
        .unwrap_or_default()
        .figures();
    let severity = match r.severity {
        thidua_domain::figures::Severity::Error => f.error,
        thidua_domain::figures::Severity::Warning => f.warning,
    };
    format!("{} ({severity})", r.name)
}

fn date(d: &chrono::NaiveDate) -> Vec<Named> {
    plain(crate::format::date(d))
}

/// A sentence's template, its arguments and the event's details.
pub(crate) type Parts<'a> = (
    &'a str,
    Vec<(&'a str, Vec<Named>)>,
    Vec<(&'static str, Vec<Named>)>,
);

/// A reporting window as its users know it: its name in the covenant's calendar
/// ([`names::window`], the figures pages' name) with the year, "Tháng 5/2024" (the covenant's
/// year unless `year` names another, as a historical import does).
fn window(
    t: &Strings,
    state: &State,
    covenant: &thidua_domain::CovenantId,
    key: &str,
    year: Option<i32>,
) -> Vec<Named> {
    let lang = crate::i18n::Lang::parse(t.lang_code).unwrap_or_default();
    let name = names::window(lang, state, Some(covenant), key);
    match year.or_else(|| state.covenants.get(covenant).map(|c| c.year)) {
        Some(y) => plain(format!("{name}/{y}")),
        None => plain(name),
    }
}

/// A save's figures, each after its element's name as the covenant's form has it, in the
/// form's order: "Tội phạm về trật tự xã hội: 84; …" ("không áp dụng" for n.a.).
fn saved_values(
    t: &Strings,
    state: &State,
    covenant: &thidua_domain::CovenantId,
    values: &thidua_domain::figures::FigureMap,
) -> Vec<Named> {
    use thidua_domain::figures::FigureValue;
    let form = state.reporting_form(covenant).ok();
    let mut ids: Vec<(usize, &String)> = values
        .keys()
        .map(|id| {
            let at = form.as_ref().and_then(|f| f.position(id));
            (at.unwrap_or(usize::MAX), id)
        })
        .collect();
    ids.sort();
    let lang = crate::i18n::Lang::parse(t.lang_code).unwrap_or(crate::i18n::Lang::Vi);
    let mut out = Vec::new();
    for (i, (at, id)) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(Named::plain("; "));
        }
        let name = form
            .as_ref()
            .filter(|_| at != usize::MAX)
            .map_or_else(|| id.clone(), |f| f.elements[at].name.clone());
        out.push(Named::data(name));
        out.push(Named::plain(match &values[id] {
            FigureValue::Number(d) => format!(": {}", crate::format::decimal(d)),
            FigureValue::NotApplicable => format!(": {}", lang.figures().not_applicable),
        }));
    }
    out
}

/// The arguments shared by the figures events: the covenant, the unit, the window, the revision.
fn figures_args<'a>(
    t: &Strings,
    state: &State,
    covenant: &thidua_domain::CovenantId,
    unit: &thidua_domain::UnitId,
    key: &str,
    revision: u32,
) -> Vec<(&'a str, Vec<Named>)> {
    vec![
        ("covenant", vec![names::covenant(state, covenant)]),
        ("unit", vec![names::unit(state, unit)]),
        ("window", window(t, state, covenant, key, None)),
        ("revision", plain(revision.to_string())),
    ]
}

/// The arguments of an explanation's sentence: the covenant, the unit, the flag's kind and
/// period as the page's language names them.
fn flag_args<'a>(
    t: &Strings,
    state: &State,
    x: &thidua_domain::explanations::FlagExplained,
) -> Vec<(&'a str, Vec<Named>)> {
    let lang = crate::i18n::Lang::parse(t.lang_code).unwrap_or_default();
    let kind = thidua_domain::integrity::FlagKind::from_code(&x.kind).map_or_else(
        || x.kind.clone(),
        |k| crate::i18n::flags::kind_name(lang, k).to_owned(),
    );
    let windows = super::flags::covenant_windows(state, &x.covenant);
    let period = match x.period.split_once('-') {
        Some((year, window)) => match year.parse() {
            Ok(year) => super::flags::period_text(lang, &windows, year, window),
            Err(_) => x.period.clone(),
        },
        None => x.period.clone(),
    };
    vec![
        ("covenant", vec![names::covenant(state, &x.covenant)]),
        ("unit", vec![names::unit(state, &x.unit)]),
        ("kind", plain(kind)),
        ("period", plain(period)),
    ]
}

/// The sentence and details of one event.
pub fn describe(t: &Strings, viewer: &Scope, state: &State, e: &Event) -> Described {
    use Payload as P;
    let actor = vec![names::actor(t, viewer, state, &e.actor)];
    let (template, mut args, details): Parts = match &e.payload {
        P::UserRegistered { .. }
        | P::RoleGranted { .. }
        | P::RoleRevoked { .. }
        | P::PasswordReset { .. }
        | P::UnitCreated { .. }
        | P::UnitRenamed { .. }
        | P::LineageRecorded(_)
        | P::LineageWithdrawn(_)
        | P::ClusterCreated { .. }
        | P::ClusterYearSet { .. }
        | P::ClusterLeadershipSet { .. }
        | P::MovementCreated { .. }
        | P::HolidaysDeclared(_)
        | P::WitnessKeyRegistered { .. }
        | P::WitnessPolicySet { .. } => organisation(t, viewer, state, &e.payload),
        P::CovenantDrafted { .. }
        | P::CovenantDraftAmended { .. }
        | P::CovenantDraftWithdrawn { .. }
        | P::CovenantSigned { .. }
        | P::CovenantFrozen { .. }
        | P::DocumentIssued { .. } => covenant(t, state, &e.payload),
        P::FiguresSaved { .. }
        | P::FiguresSubmitted { .. }
        | P::FiguresApproved { .. }
        | P::FiguresReopened { .. }
        | P::FiguresDeadlineSet { .. }
        | P::FiguresRulesSet { .. }
        | P::HistoricalImportRecorded { .. }
        | P::HistoricalFiguresRecorded { .. }
        | P::FlagExplained(_)
        | P::MidyearReviewFrozen(_) => figures(t, state, &e.payload),
        P::YearEnd(y) => super::yearend::describe(t, state, y),
        P::Vote(vote) => super::votes::describe::describe(t, state, vote),
    };
    args.push(("actor", actor));
    let mut all = details;
    all.push((t.recorded_at, plain(crate::format::time_ms(e.time_ms))));
    Described {
        sentence: sentence(template, &args),
        details: all,
    }
}

/// Units as a list of names.
fn units(state: &State, ids: &[thidua_domain::UnitId]) -> Vec<Named> {
    names::list(ids.iter().map(|u| names::unit(state, u)).collect())
}

/// The parts of an organisation event: people, roles, units and their lineage, clusters,
/// movements, public holidays, witnesses.
fn organisation<'a>(t: &'a Strings, viewer: &Scope, state: &State, payload: &Payload) -> Parts<'a> {
    use Payload as P;
    match payload {
        P::UserRegistered {
            user,
            display_name,
            demo,
        } => (
            t.ev_user_registered,
            vec![("user", vec![names::person(viewer, state, user)])],
            vec![
                (t.display_name_label, text(display_name.as_str())),
                (t.user_id_label, plain(user.as_str())),
                (t.demo_user_label, plain(if *demo { t.yes } else { t.no })),
            ],
        ),
        P::RoleGranted { user, role } | P::RoleRevoked { user, role } => (
            if matches!(payload, P::RoleGranted { .. }) {
                t.ev_role_granted
            } else {
                t.ev_role_revoked
            },
            vec![
                ("user", vec![names::person(viewer, state, user)]),
                ("role", role_named(t, state, role)),
            ],
            Vec::new(),
        ),
        P::PasswordReset { user } => (
            t.ev_password_reset,
            vec![("user", vec![names::person(viewer, state, user)])],
            Vec::new(),
        ),
        P::UnitCreated {
            unit,
            name,
            short_code,
            parent,
            established,
            ..
        } => (
            t.ev_unit_created,
            vec![
                ("unit", vec![names::unit(state, unit)]),
                ("date", date(established)),
            ],
            vec![
                (t.name_label, text(name.as_str())),
                (t.short_code, text(short_code.as_str())),
                (
                    t.parent,
                    parent
                        .as_ref()
                        .map(|p| vec![names::unit(state, p)])
                        .unwrap_or_else(|| plain("—")),
                ),
            ],
        ),
        P::UnitRenamed {
            unit,
            name,
            short_code,
            effective,
            decision,
        } => (
            t.ev_unit_renamed,
            vec![
                ("unit", vec![names::unit(state, unit)]),
                ("date", date(effective)),
            ],
            vec![
                (t.new_name_label, text(name.as_str())),
                (t.new_short_code_label, text(short_code.as_str())),
                (t.decision, text(decision.as_str())),
            ],
        ),
        P::LineageRecorded(c) => (
            match c.kind {
                LineageKind::Merge => t.ev_lineage_merge,
                LineageKind::Split => t.ev_lineage_split,
            },
            vec![
                ("predecessors", units(state, &c.predecessors)),
                ("successors", units(state, &c.successors)),
                ("date", date(&c.effective)),
            ],
            vec![(t.decision, text(c.decision.as_str()))],
        ),
        P::LineageWithdrawn(w) => {
            let ls = crate::i18n::Lang::parse(t.lang_code)
                .unwrap_or_default()
                .lineage();
            let c = &w.change;
            (
                match c.kind {
                    LineageKind::Merge => ls.sentence_merge,
                    LineageKind::Split => ls.sentence_split,
                },
                vec![
                    ("predecessors", units(state, &c.predecessors)),
                    ("successors", units(state, &c.successors)),
                    ("date", date(&c.effective)),
                ],
                vec![
                    (t.decision, text(c.decision.as_str())),
                    (t.reason_label, text(w.reason.as_str())),
                ],
            )
        }
        P::ClusterCreated { cluster, .. } => (
            t.ev_cluster_created,
            vec![("cluster", vec![names::cluster(state, cluster)])],
            Vec::new(),
        ),
        P::ClusterYearSet {
            cluster,
            year,
            members,
        } => (
            if members.is_empty() {
                t.ev_cluster_year_cleared
            } else {
                t.ev_cluster_year_set
            },
            vec![
                ("cluster", vec![names::cluster(state, cluster)]),
                ("year", plain(year.to_string())),
            ],
            vec![(t.cluster_members, units(state, members))],
        ),
        P::ClusterLeadershipSet {
            cluster,
            year,
            position,
            unit,
            method,
            decision,
        } => (
            match position {
                LeadershipPosition::Head => t.ev_head_set,
                LeadershipPosition::Deputy => t.ev_deputy_set,
            },
            vec![
                ("unit", vec![names::unit(state, unit)]),
                ("cluster", vec![names::cluster(state, cluster)]),
                ("year", plain(year.to_string())),
            ],
            vec![
                (
                    t.method,
                    plain(match method {
                        thidua_domain::model::LeadershipMethod::Elected => t.elected,
                        thidua_domain::model::LeadershipMethod::Assigned => t.assigned,
                    }),
                ),
                (t.basis, text(decision.as_str())),
            ],
        ),
        P::MovementCreated {
            name,
            year,
            plan_ref,
            calendar,
            ..
        } => (
            t.ev_movement_created,
            vec![
                ("name", text(name.as_str())),
                ("year", plain(year.to_string())),
            ],
            vec![
                (t.plan_ref, text(plan_ref.as_str())),
                (t.reporting_windows, plain(calendar.len().to_string())),
            ],
        ),
        P::HolidaysDeclared(h) => {
            let hs = crate::i18n::Lang::parse(t.lang_code)
                .unwrap_or_default()
                .holidays();
            (
                hs.sentence,
                vec![
                    ("count", plain(h.days.len().to_string())),
                    ("year", plain(h.year.to_string())),
                    ("reference", text(h.reference.as_str())),
                ],
                std::iter::once((hs.days, plain(crate::format::day_ranges(&h.days, "; "))))
                    .chain((!h.working_days.is_empty()).then(|| {
                        let worked = crate::format::day_ranges(&h.working_days, "; ");
                        (hs.working_days, plain(worked))
                    }))
                    .collect(),
            )
        }
        P::WitnessKeyRegistered { unit, key } => (
            t.ev_witness_key,
            vec![("unit", vec![names::unit(state, unit)])],
            vec![(t.witness_key, plain(key.clone()))],
        ),
        P::WitnessPolicySet { witnesses, quorum } => (
            t.ev_witness_policy,
            vec![
                ("units", units(state, witnesses)),
                ("quorum", plain(quorum.to_string())),
            ],
            vec![(
                t.witness_quorum,
                plain(format!("{quorum} / {}", witnesses.len())),
            )],
        ),
        other => unreachable!("not an organisation event: {}", other.kind()),
    }
}

/// The parts of a covenant event (drafts, signatures, freezing) and of an issued document.
fn covenant<'a>(t: &'a Strings, state: &State, payload: &Payload) -> Parts<'a> {
    use Payload as P;
    match payload {
        P::CovenantDrafted {
            covenant,
            version,
            content,
            ..
        }
        | P::CovenantDraftAmended {
            covenant,
            version,
            content,
        } => (
            if matches!(payload, P::CovenantDrafted { .. }) {
                t.ev_covenant_drafted
            } else {
                t.ev_covenant_amended
            },
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("version", plain(version.to_string())),
            ],
            vec![
                (t.title_label, text(content.title.as_str())),
                (t.place_label, text(content.place.as_str())),
                (t.signing_date, date(&content.signing_date)),
                (t.targets, plain(content.targets.len().to_string())),
                (t.regulation_hash, plain(content.regulation.sha256.clone())),
            ],
        ),
        P::CovenantDraftWithdrawn {
            covenant,
            version,
            reason,
        } => (
            t.ev_covenant_withdrawn,
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("version", plain(version.to_string())),
            ],
            vec![(t.reason_label, text(reason.as_str()))],
        ),
        P::CovenantSigned {
            covenant,
            version,
            unit,
            hash,
        } => (
            t.ev_covenant_signed,
            vec![
                ("unit", vec![names::unit(state, unit)]),
                ("covenant", vec![names::covenant(state, covenant)]),
                ("version", plain(version.to_string())),
            ],
            {
                let business = state
                    .covenants
                    .get(covenant)
                    .and_then(|c| c.version(*version))
                    .map(|v| date(&v.content.signing_date))
                    .unwrap_or_default();
                vec![
                    (t.signing_date, business),
                    (t.covenant_hash, plain(hash.clone())),
                ]
            },
        ),
        P::CovenantFrozen {
            covenant,
            version,
            hash,
        } => (
            t.ev_covenant_frozen,
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("version", plain(version.to_string())),
            ],
            vec![(t.covenant_hash, plain(hash.clone()))],
        ),
        P::DocumentIssued {
            cluster,
            kind,
            date: day,
            number,
            symbol,
            title,
            sha256,
            ..
        } => {
            let no = thidua_domain::documents::number_and_symbol(
                *number,
                symbol.as_ref().map(|s| s.as_str()),
            );
            (
                t.ev_document_issued,
                vec![
                    ("document", text(title.as_str())),
                    ("cluster", vec![names::cluster(state, cluster)]),
                ],
                vec![
                    (t.docs_kind, plain(super::documents::kind_label(t, *kind))),
                    (t.docs_number, plain(no.unwrap_or_else(|| "—".into()))),
                    (t.docs_date, date(day)),
                    (t.docs_hash, plain(sha256.clone())),
                ],
            )
        }
        other => unreachable!("not a covenant or document event: {}", other.kind()),
    }
}

/// The parts of a figures event: reports, deadlines, rules, historical imports, the
/// explanation of a flag and the mid-year review.
fn figures<'a>(t: &'a Strings, state: &State, payload: &Payload) -> Parts<'a> {
    use Payload as P;
    match payload {
        P::FiguresSaved {
            covenant,
            unit,
            window,
            revision,
            values,
            ..
        } => (
            t.ev_figures_saved,
            figures_args(t, state, covenant, unit, window, *revision),
            vec![
                (t.ev_figures_count, plain(values.len().to_string())),
                (
                    t.ev_figures_values,
                    saved_values(t, state, covenant, values),
                ),
            ],
        ),
        P::FiguresSubmitted {
            covenant,
            unit,
            window,
            revision,
        } => (
            t.ev_figures_submitted,
            figures_args(t, state, covenant, unit, window, *revision),
            vec![],
        ),
        P::FiguresApproved {
            covenant,
            unit,
            window,
            revision,
        } => (
            t.ev_figures_approved,
            figures_args(t, state, covenant, unit, window, *revision),
            vec![],
        ),
        P::FiguresReopened {
            covenant,
            unit,
            window,
            reason,
        } => (
            t.ev_figures_reopened,
            figures_args(t, state, covenant, unit, window, 0),
            vec![(t.reason_label, text(reason.as_str()))],
        ),
        P::FiguresDeadlineSet {
            covenant,
            window,
            deadline,
        } => (
            t.ev_figures_deadline,
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("window", self::window(t, state, covenant, window, None)),
                ("deadline", date(deadline)),
            ],
            vec![],
        ),
        P::FiguresRulesSet { covenant, rules } => (
            t.ev_figures_rules,
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("count", plain(rules.len().to_string())),
            ],
            rules
                .iter()
                .map(|r| (t.ev_figures_rule, text(rule_named(t, r))))
                .collect(),
        ),
        P::HistoricalImportRecorded {
            covenant,
            file_name,
            sha256,
            reports,
        } => (
            t.ev_figures_history,
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("count", plain(reports.to_string())),
            ],
            vec![
                (t.ev_figures_file, text(file_name.as_str())),
                ("SHA-256", plain(sha256.clone())),
            ],
        ),
        P::HistoricalFiguresRecorded {
            covenant,
            unit,
            year,
            window,
            ..
        } => (
            t.ev_figures_history_unit,
            vec![
                ("covenant", vec![names::covenant(state, covenant)]),
                ("unit", vec![names::unit(state, unit)]),
                (
                    "window",
                    self::window(t, state, covenant, window, Some(*year)),
                ),
            ],
            vec![],
        ),
        P::FlagExplained(x) => (
            t.ev_flag_explained,
            flag_args(t, state, x),
            vec![(t.explanation_label, text(x.text.as_str()))],
        ),
        P::MidyearReviewFrozen(m) => {
            let mid = crate::i18n::Lang::parse(t.lang_code)
                .unwrap_or_default()
                .midyear();
            (
                crate::i18n::midyear::sentence(t.lang_code),
                vec![("covenant", vec![names::covenant(state, &m.covenant)])],
                vec![
                    (mid.cutoff, date(&m.cutoff)),
                    (mid.log_index, plain(m.at.to_string())),
                    (mid.sha256, plain(m.sha256.clone())),
                ],
            )
        }
        other => unreachable!("not a figures event: {}", other.kind()),
    }
}
