//! Vote events told for people (the history and record pages): a sentence with the names of
//! the units and the election, and details. Never anything secret: ballots are ciphertexts.

use thidua_domain::votes::VoteEvent;
use thidua_domain::{ElectionId, State};

use crate::i18n::history;
use crate::i18n::votes::strings;
use crate::i18n::Strings;
use crate::ui::names::{self, Named};

type Parts<'a> = (
    &'a str,
    Vec<(&'a str, Vec<Named>)>,
    Vec<(&'static str, Vec<Named>)>,
);

/// The election's title with a link to its page.
pub fn election(state: &State, id: &ElectionId) -> Named {
    let title = state
        .elections
        .get(id)
        .map(|e| e.title.as_str().to_owned())
        .unwrap_or_else(|| id.to_string());
    Named {
        href: Some(format!("/elections/{id}")),
        ..Named::data(title)
    }
}

/// Each candidate of `round` of election `e` with its approvals ("Công an tỉnh An Giang: 5;
/// …"), in the order of the round's candidates that the counts follow; the bare counts when the
/// round is not known.
fn approvals_by_candidate(
    state: &State,
    e: &ElectionId,
    round: u32,
    approvals: &[u32],
) -> Vec<Named> {
    let candidates = state
        .elections
        .get(e)
        .and_then(|x| x.rounds.iter().find(|r| r.number == round))
        .map(|r| &r.candidates)
        .filter(|c| c.len() == approvals.len());
    let Some(candidates) = candidates else {
        let counts: Vec<String> = approvals.iter().map(u32::to_string).collect();
        return vec![Named::plain(counts.join(", "))];
    };
    let mut out = Vec::new();
    for (i, (c, n)) in candidates.iter().zip(approvals).enumerate() {
        if i > 0 {
            out.push(Named::plain("; "));
        }
        out.push(names::unit(state, c));
        out.push(Named::plain(format!(": {n}")));
    }
    out
}

/// The sentence template, arguments and details of a vote event.
pub fn describe<'a>(t: &'a Strings, state: &State, vote: &VoteEvent) -> Parts<'a> {
    use VoteEvent as V;
    let s = strings(t.lang_code);
    let plain = |x: String| vec![Named::plain(x)];
    let unit = |u| vec![names::unit(state, u)];
    let el = |e| vec![election(state, e)];
    match vote {
        V::StandingRecorded {
            unit: u,
            rank,
            eligible,
            basis,
            ..
        } => (
            s.ev_standing,
            vec![("unit", unit(u))],
            vec![
                (s.rank, plain(rank.to_string())),
                (
                    s.eligible,
                    plain(if *eligible { t.yes } else { t.no }.to_owned()),
                ),
                (s.minutes_result, vec![Named::data(basis.as_str())]),
            ],
        ),
        V::ElectionOpened {
            election: e,
            candidates,
            seats,
            ..
        } => (
            s.ev_election_opened,
            vec![("election", el(e))],
            vec![
                (
                    s.candidates,
                    names::list(candidates.iter().map(|c| names::unit(state, c)).collect()),
                ),
                (s.seats, plain(seats.to_string())),
            ],
        ),
        V::CeremonyPosted {
            election: e,
            unit: u,
            message,
            attempt,
        } => {
            let lang = crate::i18n::Lang::parse(t.lang_code).unwrap_or_default();
            (
                s.ev_ceremony,
                vec![
                    ("unit", unit(u)),
                    ("election", el(e)),
                    ("step", plain(history::ceremony_step(lang, message).into())),
                ],
                vec![(history::ceremony_attempt(lang), plain(attempt.to_string()))],
            )
        }
        V::VoterKeyRegistered {
            election: e,
            unit: u,
            key,
        } => (
            s.ev_voter_key,
            vec![("unit", unit(u)), ("election", el(e))],
            vec![(s.voting_key, plain(key.to_string()))],
        ),
        V::BallotCast {
            election: e,
            round,
            unit: u,
            ballot,
        } => (
            s.ev_ballot,
            vec![
                ("unit", unit(u)),
                ("election", el(e)),
                ("round", plain(round.to_string())),
            ],
            vec![(s.ballot_hash, plain(ballot.hash()))],
        ),
        V::RoundClosed { election: e, round } => (
            s.ev_round_closed,
            vec![("election", el(e)), ("round", plain(round.to_string()))],
            Vec::new(),
        ),
        V::DecryptionPosted {
            election: e,
            round,
            unit: u,
            ..
        } => (
            s.ev_decryption,
            vec![
                ("unit", unit(u)),
                ("election", el(e)),
                ("round", plain(round.to_string())),
            ],
            Vec::new(),
        ),
        V::RoundCounted {
            election: e,
            round,
            approvals,
            abstentions,
        } => (
            s.ev_counted,
            vec![("election", el(e)), ("round", plain(round.to_string()))],
            vec![
                (
                    s.approvals,
                    approvals_by_candidate(state, e, *round, approvals),
                ),
                (s.abstentions, plain(abstentions.to_string())),
            ],
        ),
        V::SecondRoundOpened {
            election: e,
            candidates,
            ..
        } => (
            s.ev_second_round,
            vec![("election", el(e))],
            vec![(
                s.candidates,
                names::list(candidates.iter().map(|c| names::unit(state, c)).collect()),
            )],
        ),
        V::TieDecided {
            election: e,
            round,
            unit: u,
            chosen,
            decision,
            deputy_silent,
        } => (
            s.ev_tie,
            vec![
                ("unit", unit(u)),
                ("election", el(e)),
                ("round", plain(round.to_string())),
            ],
            [
                (
                    s.elected,
                    names::list(chosen.iter().map(|c| names::unit(state, c)).collect()),
                ),
                (s.tie_decided, vec![Named::data(decision.as_str())]),
            ]
            .into_iter()
            .chain(deputy_silent.then(|| {
                let rule = super::tie_rule(s, thidua_domain::votes::TieRule::HeadDeputySilent);
                (s.tie_how, vec![Named::data(&rule)])
            }))
            .collect(),
        ),
        V::PaperCountRecorded {
            election: e,
            round,
            count,
        } => (
            s.ev_paper,
            vec![("election", el(e)), ("round", plain(round.to_string()))],
            vec![
                (
                    s.approvals,
                    approvals_by_candidate(state, e, *round, &count.approvals),
                ),
                (
                    s.minutes_counting_team,
                    vec![Named::data(
                        count
                            .counting_team
                            .iter()
                            .map(|n| n.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    )],
                ),
            ],
        ),
        V::PaperCountConfirmed {
            election: e,
            round,
            unit: u,
        } => (
            s.ev_paper_confirmed,
            vec![
                ("unit", unit(u)),
                ("election", el(e)),
                ("round", plain(round.to_string())),
            ],
            Vec::new(),
        ),
        V::PaperCountWithdrawn {
            election: e,
            round,
            reason,
        } => (
            s.ev_paper_withdrawn,
            vec![("election", el(e)), ("round", plain(round.to_string()))],
            vec![(s.withdraw_reason, vec![Named::data(reason.as_str())])],
        ),
        V::ElectronicCountAbandoned {
            election: e,
            round,
            reason,
        } => (
            s.ev_count_set_aside,
            vec![("election", el(e)), ("round", plain(round.to_string()))],
            vec![(s.set_aside_reason, vec![Named::data(reason.as_str())])],
        ),
        V::ElectionCancelled {
            election: e,
            reason,
        } => (
            s.ev_election_cancelled,
            vec![("election", el(e))],
            vec![(s.cancelled_reason, vec![Named::data(reason.as_str())])],
        ),
        V::ElectionConcluded {
            election: e,
            reason,
        } => (
            s.ev_election_concluded,
            vec![("election", el(e))],
            vec![(s.concluded_reason, vec![Named::data(reason.as_str())])],
        ),
    }
}
