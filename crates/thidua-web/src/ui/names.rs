//! Names, never ids: how a person, unit, cluster or covenant appears on a page (its name with a
//! link to its page, marked `lang="vi"` since the data is Vietnamese whatever the interface's
//! language; a person's page only when the viewer may open it), and sentences built from a translated template with such names in it
//! ([`sentence`]). Templates render both with `named.html` and `sentence.html`.

use thidua_domain::{Actor, ClusterId, CovenantId, State, UnitId, UserId};

use crate::authz::Scope;
use crate::i18n::Strings;

/// A name to show, with the page it links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub text: String,
    pub href: Option<String>,
    /// The text is data (Vietnamese), not interface text.
    pub data: bool,
}

impl Named {
    /// Interface text (no link, in the page's language).
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: None,
            data: false,
        }
    }

    /// Data text without a link (a title, a decision's reference).
    pub fn data(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: None,
            data: true,
        }
    }

    fn link(text: impl Into<String>, href: String) -> Self {
        Self {
            text: text.into(),
            href: Some(href),
            data: true,
        }
    }
}

/// Data text (Vietnamese whatever the page's language) inside a sentence built as HTML:
/// escaped, marked `lang="vi"`.
pub fn vietnamese_html(text: &str) -> String {
    format!(
        "<span lang=\"vi\">{}</span>",
        thidua_scoring::render::esc(text)
    )
}

pub fn unit(state: &State, id: &UnitId) -> Named {
    let name = state
        .units
        .get(id)
        .map(|u| u.name.to_string())
        .unwrap_or_else(|| id.to_string());
    Named::link(name, format!("/units/{id}"))
}

pub fn cluster(state: &State, id: &ClusterId) -> Named {
    let name = state
        .clusters
        .get(id)
        .map(|c| c.cluster.name.to_string())
        .unwrap_or_else(|| id.to_string());
    Named::link(name, format!("/clusters/{id}"))
}

pub fn covenant(state: &State, id: &CovenantId) -> Named {
    let name = state
        .covenants
        .get(id)
        .map(|c| c.latest().content.title.to_string())
        .unwrap_or_else(|| id.to_string());
    Named::link(name, format!("/covenants/{id}"))
}

/// A person's name as the log has it (their id when the log does not know them).
pub fn person_name(state: &State, id: &UserId) -> String {
    state
        .users
        .get(id)
        .map(|u| u.display_name.to_string())
        .unwrap_or_else(|| id.to_string())
}

/// A person's name, linked to their page only when `viewer` may open it
/// ([`Scope::can_view_user`], the rule `/people/{id}` answers by): a link that answers 404 is
/// a dead end, so others read the name as plain data.
pub fn person(viewer: &Scope, state: &State, id: &UserId) -> Named {
    let name = person_name(state, id);
    if viewer.can_view_user(state, id) {
        Named::link(name, format!("/people/{id}"))
    } else {
        Named::data(name)
    }
}

/// Who caused an event: a person (see [`person`]), or the operator at the server's command
/// line.
pub fn actor(t: &Strings, viewer: &Scope, state: &State, actor: &Actor) -> Named {
    match actor {
        Actor::System => Named::plain(t.actor_system),
        Actor::User(u) => person(viewer, state, u),
    }
}

/// A list of names joined with ", ".
pub fn list(names: Vec<Named>) -> Vec<Named> {
    joined(names, ", ")
}

/// Names joined with `separator` (interface text between them).
pub fn joined(names: Vec<Named>, separator: &str) -> Vec<Named> {
    let mut out = Vec::new();
    for (i, n) in names.into_iter().enumerate() {
        if i > 0 {
            out.push(Named::plain(separator));
        }
        out.push(n);
    }
    out
}

/// Fills `{name}` placeholders of a translated template with names (each argument may be
/// several segments, e.g. a list), and `{name|one|other}` plural choices as
/// [`crate::i18n::fill`] makes them; text between placeholders stays interface text.
pub fn sentence(template: &str, args: &[(&str, Vec<Named>)]) -> Vec<Named> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        let (name, choice) = key.split_once('|').unwrap_or((key, ""));
        match args.iter().find(|(k, _)| *k == name) {
            Some((_, value)) => {
                if open > 0 {
                    out.push(Named::plain(&rest[..open]));
                }
                if choice.is_empty() {
                    out.extend(value.iter().cloned());
                } else {
                    let written: String = value.iter().map(|n| n.text.as_str()).collect();
                    out.push(Named::plain(crate::i18n::fill(
                        &format!("{{{key}}}"),
                        &[(name, written)],
                    )));
                }
            }
            None => out.push(Named::plain(&rest[..open + close + 1])),
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Named::plain(rest));
    }
    out
}

/// A domain refusal told with names and dates (the unit that ceased to exist and its
/// successor), else the sentence of its code.
pub fn domain_error(
    lang: crate::i18n::Lang,
    state: &State,
    e: &thidua_domain::DomainError,
) -> String {
    domain_error_in(lang, state, None, e)
}

/// A reporting window by name in `lang` ("Tháng 3"): from the covenant's calendar, else (no
/// covenant) the first movement's calendar that has the key, else the key itself.
pub fn window(
    lang: crate::i18n::Lang,
    state: &State,
    covenant: Option<&CovenantId>,
    key: &str,
) -> String {
    let found = match covenant {
        Some(c) => state.reporting_window(c, key).ok(),
        None => state
            .movements
            .values()
            .flat_map(|m| m.calendar.iter())
            .find(|w| w.key == key)
            .cloned(),
    };
    found
        .map(|w| crate::i18n::figures::window_name(lang, &w))
        .unwrap_or_else(|| key.to_owned())
}

/// The day `unit` ceased (dd/mm/yyyy), when it had by the ISO day `date`: why the unit was not
/// in being then.
fn ceased_by(state: &State, unit: &str, date: &str) -> Option<String> {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let ceased = state.units.get(&UnitId::parse(unit).ok()?)?.dissolved?;
    (ceased <= day).then(|| crate::format::date(&ceased))
}

/// A refusal answered to a form, in the viewer's language only: the domain's refusal told with
/// names ([`domain_error_in`], `covenant` naming the reporting windows), else the sentence of
/// its code. Never the error's English message, which is for the API and the logs.
pub fn refusal(
    lang: crate::i18n::Lang,
    state: &State,
    covenant: Option<&CovenantId>,
    e: &crate::error::ApiError,
) -> String {
    match &e.domain {
        Some(d) => domain_error_in(lang, state, covenant, d),
        None => lang.api_error(e),
    }
}

/// [`domain_error`], with the covenant whose calendar names a refused report's window.
pub fn domain_error_in(
    lang: crate::i18n::Lang,
    state: &State,
    covenant: Option<&CovenantId>,
    e: &thidua_domain::DomainError,
) -> String {
    use crate::i18n::figures;
    use thidua_domain::DomainError as E;
    let t = lang.strings();
    let window_name = |key: &str| window(lang, state, covenant, key);
    // The figures' own sentence for the code, else the code's general one.
    let figures_sentence = |args: &[(&str, String)]| match figures::refusal(lang, e.code()) {
        Some(template) => args.iter().fold(template.to_owned(), |s, (k, v)| {
            s.replace(&format!("{{{k}}}"), v)
        }),
        None => lang.refusal(e),
    };
    let unit_name = |id: &str| {
        UnitId::parse(id)
            .ok()
            .and_then(|u| state.units.get(&u).map(|x| x.name.to_string()))
            .unwrap_or_else(|| id.to_owned())
    };
    // Unit ids joined with ", " (as refusals carry them), named.
    let names_of = |ids: &str| {
        ids.split(", ")
            .filter(|s| !s.is_empty())
            .map(unit_name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fill = crate::i18n::fill::<String>;
    match e {
        E::UnitDissolved {
            unit,
            date,
            successors,
        } => fill(
            t.err_unit_dissolved,
            &[
                ("unit", names_of(unit)),
                ("date", crate::format::iso_date(date)),
                ("successors", names_of(successors)),
            ],
        ),
        E::MembershipSuccessionOnly {
            ceased, successors, ..
        } => fill(
            t.err_succession_only,
            &[
                ("ceased", names_of(ceased)),
                ("successors", names_of(successors)),
            ],
        ),
        E::MembershipSuccessorLeftOut {
            unit,
            year,
            successors,
            ..
        } => fill(
            t.err_successor_left_out,
            &[
                ("unit", names_of(unit)),
                ("year", year.to_string()),
                ("successors", names_of(successors)),
            ],
        ),
        // A date, or a whole year (a cluster year's members must last it).
        E::WitnessQuorum { designated: 0 } => t.err_witness_none.to_owned(),
        E::WitnessQuorum { designated } => {
            fill(t.err_witness_quorum, &[("n", designated.to_string())])
        }
        E::UnitNotActive { unit, date } => {
            let ceased = ceased_by(state, unit, date);
            let text = match (date.len(), &ceased) {
                (4, _) => t.err_unit_not_active_year,
                (_, Some(_)) => t.err_unit_ceased_by,
                _ => t.err_unit_not_active,
            };
            fill(
                text,
                &[
                    ("unit", unit_name(unit)),
                    ("date", crate::format::iso_date(date)),
                    ("ceased", ceased.unwrap_or_default()),
                ],
            )
        }
        E::MemberKinds {
            unit,
            found,
            other,
            expected,
            ..
        } => {
            // The kinds in words, mid-sentence ("công an xã, phường").
            let kind = |k: &thidua_domain::model::UnitKind| {
                let label = super::pages::kind_label(t, k.as_str());
                let mut chars = label.chars();
                chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            };
            fill(
                t.err_member_kinds,
                &[
                    ("unit", unit_name(unit)),
                    ("found", kind(found)),
                    ("other", unit_name(other)),
                    ("expected", kind(expected)),
                ],
            )
        }
        E::ElectionCandidatesOpen { election, units } => {
            let title = thidua_domain::ElectionId::parse(election)
                .ok()
                .and_then(|id| state.elections.get(&id))
                .map_or_else(|| election.clone(), |e| e.title.to_string());
            fill(
                crate::i18n::votes::candidates_open(lang.code()),
                &[
                    ("election", title),
                    (
                        "units",
                        units
                            .split(", ")
                            .map(unit_name)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            )
        }
        E::NotMember { unit, year, .. } => fill(
            t.err_not_member,
            &[("unit", unit_name(unit)), ("year", year.to_string())],
        ),
        E::ReportState {
            unit,
            window,
            status,
            action,
        } => figures_sentence(&[
            ("unit", unit_name(unit)),
            ("window", window_name(window)),
            ("status", figures::status_word(lang, status).to_owned()),
            ("action", figures::action_word(lang, action).to_owned()),
        ]),
        E::FiguresExist { unit, window } => {
            // A historical report names its year with the window ("2023-M05"): "Tháng 5/2023".
            let window = match window.split_once('-') {
                Some((year, key)) if year.len() == 4 && year.parse::<i32>().is_ok() => {
                    format!("{}/{year}", window_name(key))
                }
                _ => window_name(window),
            };
            figures_sentence(&[("unit", unit_name(unit)), ("window", window)])
        }
        E::FiguresByOfficers { unit } => figures_sentence(&[("unit", unit_name(unit))]),
        E::FiguresUnchanged { unit, window } => {
            figures_sentence(&[("unit", unit_name(unit)), ("window", window_name(window))])
        }
        E::SummaryWindow(window) => figures_sentence(&[("window", window_name(window))]),
        E::DeadlineBeforeCutOff { window, cut_off } | E::WindowStillOpen { window, cut_off } => {
            figures_sentence(&[
                ("window", window_name(window)),
                ("cut_off", crate::format::date(cut_off)),
            ])
        }
        // The rule's and the elements' names are the regulation's own (Vietnamese) words.
        E::RuleViolated { rule } | E::WarningNeedsComment { rule } => {
            figures_sentence(&[("rule", rule.clone())])
        }
        E::ReportIncomplete(elements) => {
            figures_sentence(&[("elements", elements.replace("; ", ", "))])
        }
        E::InvalidFigure { element, reason } => figures_sentence(&[
            ("element", element.clone()),
            ("problem", figures::problem_words(lang, reason)),
        ]),
        _ => lang.refusal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use thidua_domain::{Command, DomainError as E, Text};

    /// A state with Kiên Giang and a movement on the default calendar.
    fn state() -> State {
        let text = |s: &str| Text::parse("name", s, 200).unwrap();
        let commands = [
            Command::CreateUnit {
                unit: UnitId::parse("ca-kg").unwrap(),
                name: text("Công an tỉnh Kiên Giang"),
                short_code: text("CAKG"),
                kind: thidua_domain::model::UnitKind::ProvincialPolice,
                parent: None,
                established: chrono::NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
            },
            Command::CreateMovement {
                movement: thidua_domain::MovementId::parse("vi-an-ninh-2024").unwrap(),
                name: text("Vì an ninh Tổ quốc"),
                year: 2024,
                plan_ref: text("84/KH-BCA"),
                slogan: None,
                calendar: thidua_domain::calendar::default_calendar(2024),
            },
        ];
        commands.into_iter().fold(State::default(), |s, c| {
            thidua_domain::decide_and_apply(&s, &Actor::System, 0, c)
                .unwrap()
                .1
        })
    }

    /// Every refusal the figures forms can meet reads in the page's language only: the
    /// domain's English message never shows, nor a unit's or a window's id; the unit and the
    /// window are named, the rule by its own (Vietnamese) name.
    #[test]
    fn figures_refusals_are_told_in_the_pages_language_with_names() {
        let state = state();
        let rule = "Tin đã giải quyết không vượt quá tin đã tiếp nhận";
        let mut errors = vec![
            E::RuleViolated { rule: rule.into() },
            E::WarningNeedsComment { rule: rule.into() },
            E::ReportIncomplete("Số vụ phạm tội; Số tin tiếp nhận".into()),
            E::InvalidFigure {
                element: "Số vụ phạm tội".into(),
                reason: thidua_domain::figures::FigureProblem::NotWhole,
            },
            E::FiguresExist {
                unit: "ca-kg".into(),
                window: "M12".into(),
            },
            E::SummaryWindow("Q4".into()),
            E::FiguresUnchanged {
                unit: "ca-kg".into(),
                window: "M12".into(),
            },
            E::FiguresByOfficers {
                unit: "ca-kg".into(),
            },
            E::UnknownWindow("M13".into()),
            E::UnknownElement("crimes_x".into()),
            E::StaleRevision { expected: 3 },
            E::CovenantNotSigned("gu-12-2024".into()),
            E::Forbidden,
            E::Unauthorised {
                actor: "lanhdao-ag".into(),
                kind: "figures_saved",
                needed: "officer:ca-kg".into(),
            },
            E::InvalidRule {
                rule: "r1".into(),
                reason: "unknown element".into(),
            },
            E::InvalidValue {
                field: "comment",
                reason: "too long".into(),
            },
        ];
        for status in ["none", "draft", "submitted", "approved", "reopened"] {
            for action in ["save", "submit", "approve", "reopen"] {
                errors.push(E::ReportState {
                    unit: "ca-kg".into(),
                    window: "M12".into(),
                    status: status.into(),
                    action: action.into(),
                });
            }
        }
        for e in &errors {
            let english = e.to_string();
            for lang in [Lang::Vi, Lang::En] {
                let m = domain_error(lang, &state, e);
                assert!(!m.is_empty(), "{e:?}");
                assert!(!m.contains(&english), "{lang:?} {e:?}: {m}");
                for id in [
                    "ca-kg",
                    "M12",
                    "Q4",
                    "M13",
                    "lanhdao-ag",
                    "gu-12-2024",
                    "crimes_x",
                ] {
                    assert!(!m.contains(id), "{lang:?} {e:?} shows the id {id}: {m}");
                }
                if lang == Lang::Vi {
                    for word in [" the ", "cannot", "validation", "not met", " is "] {
                        assert!(!m.contains(word), "English in {e:?}: {m}");
                    }
                }
            }
        }
        let state_error = &E::ReportState {
            unit: "ca-kg".into(),
            window: "M12".into(),
            status: "submitted".into(),
            action: "save".into(),
        };
        let vi = domain_error(Lang::Vi, &state, state_error);
        assert_eq!(
            vi,
            "Báo cáo của Công an tỉnh Kiên Giang kỳ Tháng 12 đang ở trạng thái «Đã gửi, chờ duyệt»: không thể lưu."
        );
        let en = domain_error(Lang::En, &state, state_error);
        assert_eq!(
            en,
            "The report of Công an tỉnh Kiên Giang for Month 12 is “Submitted, awaiting approval”: it cannot be saved."
        );
        assert!(domain_error(Lang::Vi, &state, &errors[0]).contains(rule));
    }

    #[test]
    fn sentences_keep_text_and_names_apart() {
        let s = sentence(
            "{actor} đã ký {covenant}, phiên bản {version}.",
            &[
                ("actor", vec![Named::data("Lãnh đạo An Giang")]),
                ("covenant", vec![Named::data("Giao ước 2024")]),
                ("version", vec![Named::plain("2")]),
            ],
        );
        let text: String = s.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(text, "Lãnh đạo An Giang đã ký Giao ước 2024, phiên bản 2.");
        assert!(s[0].data && !s[1].data);
    }
}
