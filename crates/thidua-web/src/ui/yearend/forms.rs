//! The year-end forms read into the domain's commands: the form's fields by name, numbers by
//! the figures' one number rule ("7,5" or "7.5"; "20.000" refused, never guessed), dates
//! dd/mm/yyyy. A field that cannot be read is a clear error naming it; nothing is decided here,
//! except that a form read against what a unit holds (its working dossier, the criteria disputed
//! on it) first asks the domain whether the viewer may act for that unit ([`acts_for`]).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use thidua_domain::yearend::{
    Answer, Breach, DossierEntry, FindingItem, Pair, Points, Recheck, Rule, Step, Verdict,
    YearEndCommand,
};
use thidua_domain::{Actor, CovenantId, State, Text, UnitId};

use crate::error::ApiError;

type Form = HashMap<String, String>;

fn field<'a>(form: &'a Form, name: &str) -> &'a str {
    form.get(name).map(|s| s.trim()).unwrap_or("")
}

fn bad(name: &str) -> ApiError {
    ApiError::bad_request("invalid_value", name.to_owned())
}

fn unit(form: &Form, name: &str) -> Result<UnitId, ApiError> {
    UnitId::parse(field(form, name)).map_err(|_| bad(name))
}

fn text(form: &Form, name: &str, max: usize) -> Result<Text, ApiError> {
    Text::parse("text", field(form, name), max)
        .map_err(|e| ApiError::bad_request(e.code(), name.to_owned()))
}

/// A score as typed ([`crate::format::typed_decimal`]): an ambiguous form is
/// `yearend_number_ambiguous`, anything else that is no number `invalid_number`.
fn number(raw: &str) -> Result<Decimal, &'static str> {
    use crate::format::{typed_decimal, Unreadable};
    typed_decimal(raw).map_err(|e| match e {
        Unreadable::Ambiguous => "yearend_number_ambiguous",
        Unreadable::Invalid => "invalid_number",
    })
}

fn points(form: &Form, name: &str) -> Result<Points, ApiError> {
    number(field(form, name))
        .map(|d| Points(d.normalize()))
        .map_err(|code| ApiError::bad_request(code, name.to_owned()))
}

fn integer<T: std::str::FromStr>(form: &Form, name: &str) -> Result<T, ApiError> {
    field(form, name).parse().map_err(|_| bad(name))
}

fn date(form: &Form, name: &str) -> Result<chrono::NaiveDate, ApiError> {
    thidua_domain::event::parse_date(field(form, name))
        .ok_or_else(|| ApiError::bad_request("invalid_date", name.to_owned()))
}

/// A date the form may leave empty (`None`: the domain's default).
fn optional_date(form: &Form, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    if field(form, name).trim().is_empty() {
        return Ok(None);
    }
    date(form, name).map(Some)
}

/// The first drand quicknet round published at midnight (Vietnam time) of `day`: the form
/// asks for a day, the command names a round.
fn beacon_round(day: chrono::NaiveDate) -> u64 {
    let midnight = thidua_domain::figures::local_midnight(day);
    thidua_domain::yearend::beacon::QUICKNET.first_round_at(midnight)
}

fn manual_criteria(state: &State, covenant: &CovenantId) -> Vec<String> {
    all_criteria(state, covenant)
        .into_iter()
        .filter_map(|(id, manual)| manual.then_some(id))
        .collect()
}

fn all_criteria(state: &State, covenant: &CovenantId) -> Vec<(String, bool)> {
    state
        .yearend
        .reviews
        .get(covenant)
        .map(|r| {
            r.criteria
                .iter()
                .map(|c| (c.id.clone(), c.manual))
                .collect()
        })
        .unwrap_or_default()
}

/// The secretariat's pairs as its form chooses them: `by_{inspected}_{place}` holds the unit
/// that inspects `inspected` in that place (one place per inspector a unit has; an empty
/// choice is no pair, and the domain says which unit then lacks an inspector).
pub(crate) fn chosen_pairs(form: &Form) -> Result<Vec<Pair>, ApiError> {
    let mut places: Vec<(&str, &String)> = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("by_")?, v)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    places.sort();
    places
        .into_iter()
        .map(|(place, inspector)| {
            let (inspected, slot) = place.rsplit_once('_').ok_or_else(|| bad("pairs"))?;
            slot.parse::<u8>().map_err(|_| bad("pairs"))?;
            match (UnitId::parse(inspector), UnitId::parse(inspected)) {
                (Ok(inspector), Ok(inspected)) => Ok(Pair {
                    inspector,
                    inspected,
                }),
                _ => Err(bad("pairs")),
            }
        })
        .collect()
}

/// The actions of the review page's forms (each a `command`, `move_deadlines` several).
pub const ACTIONS: &[&str] = &[
    "open",
    "save_dossier",
    "submit_dossier",
    "declare_conflict",
    "commit_seed",
    "reveal_seed",
    "pin_beacon",
    "record_beacon",
    "draw_assignment",
    "decide_assignment",
    "declare_records",
    "submit_finding",
    "submit_response",
    "resolve_dispute",
    "record_eligibility",
    "decide_cutoff_tie",
    "lock",
    "publish_results",
    "move_deadlines",
];

/// The command a year-end form asks for: `action` names it, the form's fields fill it in.
pub fn command(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    action: &str,
    form: &Form,
) -> Result<YearEndCommand, ApiError> {
    use YearEndCommand as C;
    let covenant = covenant.clone();
    match action {
        "open" => open(covenant, form),
        "save_dossier" => save_dossier(state, actor, covenant, form),
        "submit_dossier" => submit_dossier(covenant, form),
        "declare_conflict" => declare_conflict(covenant, form),
        "commit_seed" => commit_seed(covenant, form),
        "reveal_seed" => reveal_seed(covenant, form),
        "pin_beacon" => pin_beacon(covenant, form),
        "record_beacon" => Ok(record_beacon(covenant, form)),
        "draw_assignment" => Ok(C::DrawAssignment { covenant }),
        "decide_assignment" => decide_assignment(covenant, form),
        "declare_records" => declare_records(covenant, form),
        "submit_finding" => submit_finding(state, covenant, form),
        "submit_response" => submit_response(state, actor, covenant, form),
        "resolve_dispute" => resolve_dispute(covenant, form),
        "record_eligibility" => record_eligibility(covenant, form),
        "decide_cutoff_tie" => decide_cutoff_tie(covenant, form),
        "lock" => Ok(C::Lock {
            covenant,
            confirm: ticked(form, "confirm"),
        }),
        "publish_results" => Ok(C::PublishResults {
            covenant,
            confirm: ticked(form, "confirm"),
        }),
        _ => Err(bad("action")),
    }
}

/// `move_deadlines`: the schedule's deadlines as the secretariat edited them, one command per
/// deadline that changes (all with the form's reason), in an order in which each keeps the
/// schedule in order: the deadlines moved later from the last step back, then those moved
/// earlier from the first step on. A deadline left empty is not moved.
pub fn move_deadlines(
    state: &State,
    covenant: &CovenantId,
    form: &Form,
) -> Result<Vec<YearEndCommand>, ApiError> {
    let schedule = state
        .review(covenant)
        .map_err(ApiError::from)?
        .schedule
        .clone();
    let reason = text(form, "reason", 1000)?;
    let mut later = Vec::new();
    let mut earlier = Vec::new();
    for step in Step::ALL {
        let (name, current) = match step {
            Step::Dossier => ("dossier_deadline", Some(schedule.dossier_deadline)),
            Step::Commit => ("commit_deadline", Some(schedule.commit_deadline)),
            Step::Reveal => ("reveal_deadline", schedule.reveal_deadline),
            Step::Response => ("response_deadline", Some(schedule.response_deadline)),
        };
        let (Some(current), Some(wanted)) = (current, optional_date(form, name)?) else {
            continue;
        };
        let command = YearEndCommand::MoveDeadline {
            covenant: covenant.clone(),
            step,
            deadline: wanted,
            reason: reason.clone(),
        };
        if wanted > current {
            later.push(command);
        } else if wanted < current {
            earlier.push(command);
        }
    }
    later.reverse();
    later.extend(earlier);
    if later.is_empty() {
        return Err(ApiError::bad_request(
            "yearend_nothing_moved",
            String::new(),
        ));
    }
    Ok(later)
}

/// `open`: the review's deadlines, inspectors per unit and records re-checked.
fn open(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::Open {
        covenant,
        dossier_deadline: date(form, "dossier_deadline")?,
        commit_deadline: date(form, "commit_deadline")?,
        reveal_deadline: optional_date(form, "reveal_deadline")?,
        response_deadline: date(form, "response_deadline")?,
        inspectors: integer(form, "inspectors")?,
        record_sample: integer(form, "record_sample")?,
        acknowledge_missing_figures: ticked(form, "acknowledge_missing_figures"),
    })
}

/// Checks that `actor` may give `command` (the domain's own permission for it, as `decide` asks
/// first), before a form is read against what the command's unit holds — its working dossier,
/// its files, the criteria disputed on it — so that a form's refusal never depends on (and so
/// never tells) another unit's drafts or disputes: whoever may not act for the unit is refused
/// alike, as `decide` would refuse the command.
fn acts_for(state: &State, actor: &Actor, command: &YearEndCommand) -> Result<(), ApiError> {
    thidua_domain::authz::authorise(state, actor, &command.permission(state)?)?;
    Ok(())
}

/// The unit's working dossier entries (the last save), by criterion: read only for whoever
/// may save the unit's dossier ([`acts_for`]).
fn working_entries(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    unit: &UnitId,
) -> Result<BTreeMap<String, DossierEntry>, ApiError> {
    let saving = YearEndCommand::SaveDossier {
        covenant: covenant.clone(),
        unit: unit.clone(),
        entries: BTreeMap::new(),
    };
    acts_for(state, actor, &saving)?;
    Ok(state
        .yearend
        .reviews
        .get(covenant)
        .and_then(|r| r.dossiers.get(unit))
        .map(|d| d.entries.clone())
        .unwrap_or_default())
}

/// `save_dossier`: the unit's self-scores of the manual criteria filled in, with
/// justifications. Each entry keeps the evidence files its criterion holds: only the evidence
/// upload and a file's removal (the form's `remove` button, `criterion:sha256`, which saves what
/// was typed with it) change them. A criterion holding files keeps a score (emptying it would
/// drop the files with it).
fn save_dossier(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    form: &Form,
) -> Result<YearEndCommand, ApiError> {
    let unit = unit(form, "unit")?;
    let entries = typed_entries(state, actor, &covenant, &unit, form)?;
    Ok(YearEndCommand::SaveDossier {
        covenant,
        unit,
        entries,
    })
}

/// The dossier entries the form's table holds (`score_<criterion>`, `just_<criterion>`), each
/// keeping the evidence files its criterion holds, less the one file a `remove` button names:
/// `save_dossier`'s, and the evidence upload's when it is sent from the dossier's form (what was
/// typed is saved with the file).
pub(super) fn typed_entries(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    unit: &UnitId,
    form: &Form,
) -> Result<BTreeMap<String, DossierEntry>, ApiError> {
    let mut held = working_entries(state, actor, covenant, unit)?;
    remove_file(&mut held, form)?;
    let mut entries = BTreeMap::new();
    for c in manual_criteria(state, covenant) {
        let evidence = held.remove(&c).map(|e| e.evidence).unwrap_or_default();
        if field(form, &format!("score_{c}")).is_empty() {
            if !evidence.is_empty() {
                return Err(ApiError::bad_request(
                    "yearend_evidence_needs_score",
                    format!("score_{c}"),
                ));
            }
            continue;
        }
        let entry = DossierEntry {
            score: points(form, &format!("score_{c}"))?,
            justification: text(form, &format!("just_{c}"), 4000)?,
            evidence,
        };
        entries.insert(c, entry);
    }
    Ok(entries)
}

/// Takes off the held entries the one file the form's `remove` field names
/// (`criterion:sha256`), if it names one; a file the criterion does not hold is refused.
fn remove_file(held: &mut BTreeMap<String, DossierEntry>, form: &Form) -> Result<(), ApiError> {
    let named = field(form, "remove");
    if named.is_empty() {
        return Ok(());
    }
    let not_held = || ApiError::bad_request("yearend_evidence_not_held", "remove");
    let (criterion, sha) = named.rsplit_once(':').ok_or_else(not_held)?;
    let entry = held.get_mut(criterion).ok_or_else(not_held)?;
    let before = entry.evidence.len();
    entry.evidence.retain(|f| f.sha256 != sha);
    if entry.evidence.len() == before {
        return Err(not_held());
    }
    Ok(())
}

/// `submit_dossier`: the unit and the revision it submits.
fn submit_dossier(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::SubmitDossier {
        covenant,
        unit: unit(form, "unit")?,
        revision: integer(form, "revision")?,
    })
}

/// `declare_conflict`: the unit, the other unit, and why.
fn declare_conflict(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::DeclareConflict {
        covenant,
        unit: unit(form, "unit")?,
        other: unit(form, "other")?,
        reason: text(form, "reason", 1000)?,
    })
}

/// `commit_seed`: only the commitment; the secret is made and kept on the leader's side (the
/// page's script, or `thidua assign commit`), never sent here before its reveal.
fn commit_seed(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::CommitSeed {
        covenant,
        unit: unit(form, "unit")?,
        commitment: field(form, "commitment").to_ascii_lowercase(),
    })
}

/// `reveal_seed`: the unit's secret, revealed.
fn reveal_seed(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::RevealSeed {
        covenant,
        unit: unit(form, "unit")?,
        value: field(form, "secret").to_ascii_lowercase(),
    })
}

/// `pin_beacon`: the beacon round of the day the form names.
fn pin_beacon(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::PinBeacon {
        round: beacon_round(date(form, "beacon_date")?),
        covenant,
    })
}

/// `record_beacon`: the pinned round's signature.
fn record_beacon(covenant: CovenantId, form: &Form) -> YearEndCommand {
    YearEndCommand::RecordBeacon {
        covenant,
        signature: field(form, "signature").to_owned(),
    }
}

/// `decide_assignment`: the secretariat's pairs, and why.
fn decide_assignment(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::DecideAssignment {
        covenant,
        pairs: chosen_pairs(form)?,
        reason: text(form, "reason", 1000)?,
        acknowledged: acknowledged(form)?,
    })
}

/// The breaches the secretariat ticked: boxes named `ack:RULE:INSPECTOR:INSPECTED` (ids hold
/// no colon), sorted.
fn acknowledged(form: &Form) -> Result<Vec<Breach>, ApiError> {
    let mut out = Vec::new();
    for (name, value) in form {
        let Some(rest) = name.strip_prefix("ack:") else {
            continue;
        };
        if value != "1" {
            continue;
        }
        let mut parts = rest.split(':');
        let (Some(rule), Some(a), Some(b), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("acknowledged"));
        };
        let rule = match rule {
            "conflict" => Rule::Conflict,
            "mutual" => Rule::Mutual,
            "last_year" => Rule::LastYear,
            _ => return Err(bad("acknowledged")),
        };
        match (UnitId::parse(a), UnitId::parse(b)) {
            (Ok(inspector), Ok(inspected)) => out.push(Breach {
                rule,
                inspector,
                inspected,
            }),
            _ => return Err(bad("acknowledged")),
        }
    }
    out.sort();
    Ok(out)
}

/// A checkbox ticked (`1`).
fn ticked(form: &Form, name: &str) -> bool {
    field(form, name) == "1"
}

/// `declare_records`: how many source records the unit has, and what they are.
fn declare_records(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::DeclareRecords {
        covenant,
        unit: unit(form, "unit")?,
        population: integer(form, "population")?,
        description: text(form, "description", 1000)?,
    })
}

/// `submit_finding`: the inspector's verdicts on the inspected unit, and its re-check.
fn submit_finding(
    state: &State,
    covenant: CovenantId,
    form: &Form,
) -> Result<YearEndCommand, ApiError> {
    let items = finding_items(state, &covenant, form)?;
    let recheck = recheck(form)?;
    Ok(YearEndCommand::SubmitFinding {
        covenant,
        inspector: unit(form, "inspector")?,
        inspected: unit(form, "inspected")?,
        items,
        recheck,
    })
}

/// The criteria proposed another score or disputed (the others agreed), each with its reason.
/// A criterion left on «Thống nhất» with a proposed score or a reason typed is refused, naming
/// the field (`yearend_agree_with_score`, `yearend_agree_with_reason`): an agreement records
/// neither, and dropping what the inspector typed would publish the self-score as agreed.
fn finding_items(
    state: &State,
    covenant: &CovenantId,
    form: &Form,
) -> Result<BTreeMap<String, FindingItem>, ApiError> {
    let mut items = BTreeMap::new();
    for (c, _) in all_criteria(state, covenant) {
        let verdict = match field(form, &format!("verdict_{c}")) {
            "propose" => Verdict::Propose,
            "dispute" => Verdict::Dispute,
            _ => {
                for (name, code) in [
                    (format!("score_{c}"), "yearend_agree_with_score"),
                    (format!("reason_{c}"), "yearend_agree_with_reason"),
                ] {
                    if !field(form, &name).is_empty() {
                        return Err(ApiError::bad_request(code, name));
                    }
                }
                continue;
            }
        };
        let score = match verdict {
            Verdict::Propose => Some(points(form, &format!("score_{c}"))?),
            _ => None,
        };
        let reason = Some(text(form, &format!("reason_{c}"), 1000)?);
        items.insert(
            c,
            FindingItem {
                verdict,
                score,
                reason,
            },
        );
    }
    Ok(items)
}

/// The re-check of the drawn records, if the form says how many were checked.
fn recheck(form: &Form) -> Result<Option<Recheck>, ApiError> {
    if field(form, "checked").is_empty() {
        return Ok(None);
    }
    Ok(Some(Recheck {
        checked: integer(form, "checked")?,
        correct: integer(form, "correct")?,
    }))
}

/// `submit_response`: the unit's answers on its disputed criteria (accepting or not).
fn submit_response(
    state: &State,
    actor: &Actor,
    covenant: CovenantId,
    form: &Form,
) -> Result<YearEndCommand, ApiError> {
    let u = unit(form, "unit")?;
    let answering = YearEndCommand::SubmitResponse {
        covenant: covenant.clone(),
        unit: u.clone(),
        answers: BTreeMap::new(),
    };
    acts_for(state, actor, &answering)?;
    let disputed = state
        .yearend
        .reviews
        .get(&covenant)
        .map(|r| r.disputed(&u))
        .unwrap_or_default();
    let mut answers = BTreeMap::new();
    for c in disputed {
        let accept = !field(form, &format!("accept_{c}")).is_empty();
        let said = !field(form, &format!("answer_{c}")).is_empty();
        let text = match (accept, said) {
            (false, false) => continue,
            // An acceptance needs no words.
            (true, false) => Text::empty(),
            // Its length is the domain's to refuse: its refusal names the criterion and the
            // limit (`yearend_answer_too_long`).
            (_, true) => text(form, &format!("answer_{c}"), usize::MAX)?,
        };
        answers.insert(c.clone(), Answer { accept, text });
    }
    Ok(YearEndCommand::SubmitResponse {
        covenant,
        unit: u,
        answers,
    })
}

/// `resolve_dispute`: the council's decision on a disputed criterion (a score for a manual one).
fn resolve_dispute(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::ResolveDispute {
        covenant,
        unit: unit(form, "unit")?,
        criterion: field(form, "criterion").to_owned(),
        score: if field(form, "score").is_empty() {
            None
        } else {
            Some(points(form, "score")?)
        },
        reason: text(form, "reason", 1000)?,
    })
}

/// `record_eligibility`: whether a discipline is pending on the unit, with a note.
fn record_eligibility(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    Ok(YearEndCommand::RecordEligibility {
        covenant,
        unit: unit(form, "unit")?,
        discipline_pending: !field(form, "discipline_pending").is_empty(),
        note: text(form, "note", 1000)?,
    })
}

/// `decide_cutoff_tie`: the tied units the head keeps in the band (ticked `tie_<unit>`), and why.
fn decide_cutoff_tie(covenant: CovenantId, form: &Form) -> Result<YearEndCommand, ApiError> {
    let mut units = form
        .iter()
        .filter(|(k, v)| k.starts_with("tie_") && !v.is_empty())
        .map(|(k, _)| UnitId::parse(&k[4..]).map_err(|_| bad("units")))
        .collect::<Result<Vec<_>, _>>()?;
    units.sort();
    Ok(YearEndCommand::DecideCutoffTie {
        covenant,
        band: field(form, "band").to_owned(),
        units,
        reason: text(form, "reason", 1000)?,
    })
}

#[cfg(test)]
mod tests {
    use super::number;

    /// Every action the page posts is one `command` reads (or `move_deadlines`), and no other.
    #[test]
    fn the_actions_are_the_commands_forms() {
        let (state, covenant) = (
            thidua_domain::State::default(),
            thidua_domain::CovenantId::parse("gu-1").unwrap(),
        );
        let unknown = |action: &str| {
            let system = thidua_domain::Actor::System;
            super::command(&state, &system, &covenant, action, &super::Form::new())
                .err()
                .is_some_and(|e| e.message == "action")
        };
        for action in super::ACTIONS.iter().filter(|a| **a != "move_deadlines") {
            assert!(!unknown(action), "{action}");
        }
        assert!(unknown("frobnicate"));
    }

    /// Each place of the form names the unit that inspects its member; an empty place is no
    /// pair; a place that is not `by_{unit}_{n}` or a unit id that does not parse is refused.
    #[test]
    fn the_secretariats_pairs_are_read_from_the_places_chosen() {
        let form = |fields: &[(&str, &str)]| -> super::Form {
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let pairs = super::chosen_pairs(&form(&[
            ("by_ca-ag_0", "ca-kg"),
            ("by_ca-kg_1", "ca-hg"),
            ("by_ca-kg_0", ""),
            ("reason", "x"),
        ]))
        .unwrap();
        let as_text: Vec<String> = pairs
            .iter()
            .map(|p| format!("{}>{}", p.inspector, p.inspected))
            .collect();
        assert_eq!(as_text, ["ca-kg>ca-ag", "ca-hg>ca-kg"]);
        assert!(super::chosen_pairs(&form(&[("by_ca-kg", "ca-ag")])).is_err());
        assert!(super::chosen_pairs(&form(&[("by_ca-kg_x", "ca-ag")])).is_err());
        assert!(super::chosen_pairs(&form(&[("by_ca-kg_0", "CA AG")])).is_err());
    }

    /// Scores are read by the figures' number rule: "20,5" is 20.5; "20.000", twenty thousand to
    /// a Vietnamese reader, is refused as ambiguous (it was read as 20).
    #[test]
    fn numbers_are_read_by_the_figures_rule_and_never_guessed() {
        assert_eq!(number("7,5"), Ok("7.5".parse().unwrap()));
        assert_eq!(number("20,5"), Ok("20.5".parse().unwrap()));
        assert_eq!(number("7.5"), Ok("7.5".parse().unwrap()));
        assert_eq!(number(" 8 "), Ok(8.into()));
        assert_eq!(number("0.500"), Ok("0.5".parse().unwrap()));
        for ambiguous in ["20.000", "1.234,5", "1.234.567", "1,234.5"] {
            assert_eq!(
                number(ambiguous),
                Err("yearend_number_ambiguous"),
                "{ambiguous}"
            );
        }
        assert_eq!(number(""), Err("invalid_number"));
        assert_eq!(number("abc"), Err("invalid_number"));
        assert_eq!(number("7,5,1"), Err("invalid_number"));
    }
}
