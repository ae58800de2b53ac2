//! Names, never ids: how a person, unit, cluster or covenant appears on a page (its name with a
//! link to its page, marked `lang="vi"` since the data is Vietnamese whatever the interface's
//! language), and sentences built from a translated template with such names in it
//! ([`sentence`]). Templates render both with `named.html` and `sentence.html`.

use thidua_domain::{Actor, ClusterId, CovenantId, State, UnitId, UserId};

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

pub fn person(state: &State, id: &UserId) -> Named {
    let name = state
        .users
        .get(id)
        .map(|u| u.display_name.to_string())
        .unwrap_or_else(|| id.to_string());
    Named::link(name, format!("/people/{id}"))
}

/// Who caused an event: a person, or the operator at the server's command line.
pub fn actor(t: &Strings, state: &State, actor: &Actor) -> Named {
    match actor {
        Actor::System => Named::plain(t.actor_system),
        Actor::User(u) => person(state, u),
    }
}

/// A list of names joined with ", ".
pub fn list(names: Vec<Named>) -> Vec<Named> {
    let mut out = Vec::new();
    for (i, n) in names.into_iter().enumerate() {
        if i > 0 {
            out.push(Named::plain(", "));
        }
        out.push(n);
    }
    out
}

/// Fills `{name}` placeholders of a translated template with names (each argument may be
/// several segments, e.g. a list); text between placeholders stays interface text.
pub fn sentence(template: &str, args: &[(&str, Vec<Named>)]) -> Vec<Named> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        match args.iter().find(|(k, _)| *k == key) {
            Some((_, value)) => {
                if open > 0 {
                    out.push(Named::plain(&rest[..open]));
                }
                out.extend(value.iter().cloned());
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
    use thidua_domain::DomainError as E;
    let t = lang.strings();
    let unit_name = |id: &str| {
        UnitId::parse(id)
            .ok()
            .and_then(|u| state.units.get(&u).map(|x| x.name.to_string()))
            .unwrap_or_else(|| id.to_owned())
    };
    let fill = |template: &str, args: &[(&str, String)]| {
        args.iter().fold(template.to_owned(), |s, (k, v)| {
            s.replace(&format!("{{{k}}}"), v)
        })
    };
    match e {
        E::UnitDissolved {
            unit,
            date,
            successors,
        } => fill(
            t.err_unit_dissolved,
            &[
                (
                    "unit",
                    unit.split(", ")
                        .map(unit_name)
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                ("date", crate::format::iso_date(date)),
                (
                    "successors",
                    successors
                        .split(", ")
                        .filter(|s| !s.is_empty())
                        .map(unit_name)
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        ),
        E::UnitNotActive { unit, date } => fill(
            t.err_unit_not_active,
            &[
                ("unit", unit_name(unit)),
                ("date", crate::format::iso_date(date)),
            ],
        ),
        E::NotMember { unit, year, .. } => fill(
            t.err_not_member,
            &[("unit", unit_name(unit)), ("year", year.to_string())],
        ),
        _ => lang.error(e.code()).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
