//! Year-end events told for people (the history and record pages).

use thidua_domain::yearend::{Verdict, YearEndEvent};
use thidua_domain::State;

use crate::i18n::yearend::sentence;
use crate::i18n::Strings;
use crate::ui::names::{self, Named};

fn plain(s: impl Into<String>) -> Vec<Named> {
    vec![Named::plain(s)]
}

fn text(s: impl Into<String>) -> Vec<Named> {
    vec![Named::data(s)]
}

/// The sentence template, its arguments and the details of a year-end event.
pub fn describe<'a>(
    t: &'a Strings,
    state: &State,
    e: &YearEndEvent,
) -> crate::ui::describe::Parts<'a> {
    use YearEndEvent as E;
    let lang = if t.lang_code == "en" {
        crate::i18n::Lang::En
    } else {
        crate::i18n::Lang::Vi
    };
    let y = lang.yearend();
    let mut args = vec![("covenant", vec![names::covenant(state, e.covenant())])];
    if let Some(unit) = e.unit() {
        args.push(("unit", vec![names::unit(state, unit)]));
    }
    let date = |d: &chrono::NaiveDate| plain(crate::format::date(d));
    let review = state.review(e.covenant()).ok();
    let criterion = |id: &str| {
        let name = review.and_then(|r| r.criterion(id).ok());
        super::criterion_label(id, name.map(|c| c.name.as_str()))
    };
    let details: Vec<(&'static str, Vec<Named>)> = match e {
        E::YearEndOpened(o) => {
            let mut facts = vec![
                (y.dossier_deadline, date(&o.dossier_deadline)),
                (y.commit_deadline, date(&o.commit_deadline)),
            ];
            if let Some(reveal) = &o.reveal_deadline {
                facts.push((y.reveal_deadline, date(reveal)));
            }
            facts.push((y.response_deadline, date(&o.response_deadline)));
            facts.push((y.inspectors, plain(o.inspectors.to_string())));
            facts
        }
        E::ConflictDeclared(c) => {
            args.push(("other", vec![names::unit(state, &c.other)]));
            vec![(y.reason, text(c.reason.as_str()))]
        }
        E::SeedCommitted(c) => vec![(y.commitment, plain(c.commitment.clone()))],
        E::SeedRevealed(c) => vec![(y.revealed, plain(c.value.clone()))],
        E::AssignmentDrawn(d) => vec![
            (y.seed, plain(d.seed.clone())),
            (y.redraws, plain(d.redraws.to_string())),
            (
                y.assignment,
                names::joined(
                    d.order.iter().map(|u| names::unit(state, u)).collect(),
                    " → ",
                ),
            ),
        ],
        E::AssignmentDecided(d) => vec![(y.reason, text(d.reason.as_str()))],
        E::BeaconPinned(b) => vec![(y.beacon_round, plain(b.round.to_string()))],
        E::BeaconRecorded(b) => vec![
            (y.beacon_round, plain(b.round.to_string())),
            (y.beacon_signature, plain(b.signature.clone())),
        ],
        E::FindingSubmitted(f) => {
            args.push(("other", vec![names::unit(state, &f.inspected)]));
            let disputed = f
                .items
                .iter()
                .filter(|(_, i)| i.verdict != Verdict::Agree)
                .map(|(c, _)| criterion(c))
                .collect::<Vec<_>>()
                .join("; ");
            vec![(
                y.verdict,
                plain(if disputed.is_empty() {
                    y.agree.to_owned()
                } else {
                    disputed
                }),
            )]
        }
        E::DisputeResolved(r) => vec![
            (y.criterion, plain(criterion(&r.criterion))),
            (y.reason, text(r.reason.as_str())),
        ],
        E::ResultsPublished(r) => vec![(y.results, plain(r.results.len().to_string()))],
        E::DeadlineMoved(m) => {
            args.push((
                "step",
                plain(crate::i18n::yearend::step_name(lang, m.step.key())),
            ));
            args.push(("date", date(&m.deadline)));
            vec![(y.reason, text(m.reason.as_str()))]
        }
        _ => vec![],
    };
    (sentence(t.lang_code, e.kind()), args, details)
}
