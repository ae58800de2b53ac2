//! Format 1 of the year-end kinds (stage [`crate::yearend`]): the year-end opened, a deadline
//! moved, dossiers, declared conflicts, a pinned public beacon and its recorded round, seed
//! commitments and reveals, the assignment drawn or decided, declared record populations,
//! inspection findings, responses, resolutions, eligibility, the lock and the published results. These structures are the events' data as written; frozen once events
//! were written with them (a change of meaning gets a new format). Scores are canonical decimal
//! strings (`"12.5"`, never `"12.50"`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::figures::canonical_decimal;
use crate::ids::{CovenantId, UnitId};
use crate::text::Text;

/// Points, written as a canonical decimal string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Points(pub Decimal);

impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&canonical_decimal(&self.0))
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Decimal::from_str_exact(&raw)
            .map(Points)
            .map_err(|_| serde::de::Error::custom(format!("bad points {raw:?}")))
    }
}

/// `year_end_opened`: the secretariat opens the year-end review of a covenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearEndOpened {
    pub covenant: CovenantId,
    /// Last day to save and submit a dossier; it freezes after.
    pub dossier_deadline: NaiveDate,
    /// Last day to commit to a seed (reveals follow once all are in or this day has passed).
    pub commit_deadline: NaiveDate,
    /// Last day to reveal (format 2; omitted in format 1, whose draw waits only for the
    /// commitment deadline): until it has passed, the draw waits for every committed unit's
    /// reveal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal_deadline: Option<NaiveDate>,
    /// Last day for the inspected units to answer disputed criteria.
    pub response_deadline: NaiveDate,
    /// Inspectors per unit: 1 or 2.
    pub inspectors: u8,
    /// Records re-checked per inspected unit (0: no re-check).
    pub record_sample: u32,
    /// Format 3 (always `true` there, omitted before): the draw avoids last year's inspections
    /// carried onto this year's members through the lineage — a unit merged into a member
    /// counts as that member (`docs/assignment.md`). Formats 1 and 2 took only the pairs of
    /// units that are members themselves.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub last_year_by_lineage: bool,
}

/// A step of the review's schedule, named by the deadline that closes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Dossiers are saved and submitted (`dossier_deadline`).
    Dossier,
    /// Units commit to their seeds (`commit_deadline`).
    Commit,
    /// Units reveal their seeds (`reveal_deadline`).
    Reveal,
    /// The inspected units answer disputed criteria (`response_deadline`).
    Response,
}

impl Step {
    /// The steps in the order of the schedule.
    pub const ALL: [Step; 4] = [Step::Dossier, Step::Commit, Step::Reveal, Step::Response];

    /// The step's stable name, as the wire writes it (`dossier`, `commit`, `reveal`,
    /// `response`).
    pub fn key(self) -> &'static str {
        match self {
            Step::Dossier => "dossier",
            Step::Commit => "commit",
            Step::Reveal => "reveal",
            Step::Response => "response",
        }
    }
}

/// `year_end_deadline_moved`: the secretariat moves one deadline of the review's schedule,
/// while the step it closes is not past, with a reason; the schedule stays in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineMoved {
    pub covenant: CovenantId,
    pub step: Step,
    /// The step's new last day.
    pub deadline: NaiveDate,
    pub reason: Text,
}

/// An evidence file of a dossier entry, stored content-addressed (the name is shown, never
/// used as a path).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub sha256: String,
    pub name: Text,
    pub media_type: String,
    pub size: u64,
}

/// A self-score of a manual criterion with its justification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierEntry {
    pub score: Points,
    pub justification: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// `dossier_saved`: a unit's self-assessment (revision 1, 2, …), manual criteria by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierSaved {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub revision: u32,
    pub entries: BTreeMap<String, DossierEntry>,
}

/// `dossier_submitted`: the unit's leader submits a revision, with its entries (the saves are
/// the unit's drafts; the submitted dossier stands on its own for whoever may read it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierSubmitted {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub revision: u32,
    pub entries: BTreeMap<String, DossierEntry>,
}

/// `conflict_declared`: a unit's leader declares a conflict of interest with another member;
/// neither inspects the other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictDeclared {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub other: UnitId,
    pub reason: Text,
}

/// `seed_committed`: the SHA-256 (hex) of a secret (see `yearend::draw::commitment`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommitted {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub commitment: String,
}

/// `seed_revealed`: the secret (32 bytes, hex) behind a commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRevealed {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub value: String,
}

/// `beacon_pinned`: the secretariat fixes, before any unit has committed, the round of a public
/// drand network whose value the draw mixes into its seed; the round is published after the
/// commitment deadline, and reveals close when it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BeaconPinned {
    pub covenant: CovenantId,
    /// The network's chain hash (hex; drand "quicknet" is the one supported).
    pub chain: String,
    pub round: u64,
}

/// `beacon_recorded`: the pinned round's signature as the network published it (hex, 48
/// bytes), checked against the network's public key on every replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BeaconRecorded {
    pub covenant: CovenantId,
    pub round: u64,
    pub signature: String,
}

/// `assignment_drawn`: the draw, as anyone recomputes it from the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentDrawn {
    pub covenant: CovenantId,
    /// The seed (hex).
    pub seed: String,
    /// Members whose reveal was missing (replaced by the fixed constant).
    pub missing: Vec<UnitId>,
    /// The shuffled cycle; empty when no assignment meets the hard constraints.
    pub order: Vec<UnitId>,
    pub redraws: u32,
    /// Soft constraints given up, in order.
    pub relaxed: Vec<String>,
    /// Found by the exhaustive search after the shuffles.
    pub searched: bool,
    /// Why no assignment exists (`conflicts`, …), when none does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<String>,
}

/// An inspection: `inspector` inspects `inspected`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub inspector: UnitId,
    pub inspected: UnitId,
}

/// `assignment_decided`: the secretariat's recorded decision when the draw found none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentDecided {
    pub covenant: CovenantId,
    pub pairs: Vec<Pair>,
    pub reason: Text,
    /// The rules of the draw the decision breaks, each acknowledged by the secretariat when it
    /// decided (format 2; omitted, as in format 1, when it breaks none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<Breach>,
}

/// A rule of the draw a decided pair breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The two units declared a conflict of interest.
    Conflict,
    /// The inspected unit inspects its inspector too.
    Mutual,
    /// The pair was one of last year's.
    LastYear,
}

impl Rule {
    /// The rule's stable key (`conflict`, `mutual`, `last_year`).
    pub fn key(self) -> &'static str {
        match self {
            Rule::Conflict => "conflict",
            Rule::Mutual => "mutual",
            Rule::LastYear => "last_year",
        }
    }
}

/// A decided pair that breaks a rule of the draw.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breach {
    pub rule: Rule,
    pub inspector: UnitId,
    pub inspected: UnitId,
}

/// `records_declared`: the inspected unit declares its population of source records (numbered
/// 1…population) before the draw; the seed picks the ones re-checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsDeclared {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub population: u32,
    pub description: Text,
}

/// An inspector's verdict on one criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Agree,
    /// Another score for a manual criterion.
    Propose,
    /// A quantitative criterion's figures questioned (its score is the engine's).
    Dispute,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingItem {
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

/// The re-check of the drawn records: how many were checked and how many correctly recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recheck {
    pub checked: u32,
    pub correct: u32,
}

/// `finding_submitted`: an inspecting unit's findings on one unit, submitted by its leader
/// (criteria not listed: agreed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingSubmitted {
    pub covenant: CovenantId,
    pub inspector: UnitId,
    pub inspected: UnitId,
    pub items: BTreeMap<String, FindingItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recheck: Option<Recheck>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The unit accepts the proposed score.
    pub accept: bool,
    pub text: Text,
}

/// `response_submitted`: the inspected unit answers its disputed criteria.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSubmitted {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub answers: BTreeMap<String, Answer>,
}

/// `dispute_resolved`: the secretariat's decision at the council on one disputed criterion
/// (`score` for a manual criterion; a quantitative one keeps the engine's score).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeResolved {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub criterion: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Points>,
    pub reason: Text,
}

/// `eligibility_recorded`: a recorded fact (a discipline record pending bars a flag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRecorded {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub discipline_pending: bool,
    pub note: Text,
}

/// `year_end_locked`: the year's scores lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearEndLocked {
    pub covenant: CovenantId,
}

/// `cutoff_tie_decided`: units tied exactly at a band's quota cut-off, decided by the cluster
/// head's leader: `units` keep the band (as many as the quota leaves), the other tied units
/// move down as the quota says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CutoffTieDecided {
    pub covenant: CovenantId,
    pub band: String,
    pub units: Vec<UnitId>,
    pub reason: Text,
}

/// One unit's published result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedResult {
    pub unit: UnitId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_total: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_total: Option<Points>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// May be proposed for a flag (no discipline record pending).
    pub eligible: bool,
}

/// `results_published`: the ranking, bands and totals, recomputable from the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsPublished {
    pub covenant: CovenantId,
    /// SHA-256 (hex) of the canonical regulation text the results were computed with.
    pub regulation: String,
    pub results: Vec<PublishedResult>,
}

/// The decoder of a year-end kind in format 1; `None` for another kind or format.
pub(super) fn decode(kind: &str, v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    use super::typed;
    use crate::event::Payload as P;
    use crate::yearend::YearEndEvent as E;
    // `year_end_opened` has formats 1 to 3 (format 2: `reveal_deadline`; format 3: also
    // `last_year_by_lineage`); re-encoding checks that each field is there exactly in its
    // formats.
    // `assignment_decided` has formats 1 and 2 (format 2: `acknowledged`, the rules broken).
    let later = match kind {
        "year_end_opened" => v == 2 || v == 3,
        "assignment_decided" => v == 2,
        _ => false,
    };
    if v != 1 && !later {
        return None;
    }
    Some(match kind {
        "year_end_opened" => {
            typed(data, |w| P::YearEnd(E::YearEndOpened(w))).and_then(|(payload, again)| {
                let has = |field: &str| again.get(field).is_some();
                if has("reveal_deadline") == (v >= 2) && has("last_year_by_lineage") == (v == 3) {
                    Ok((payload, again))
                } else {
                    Err(serde::de::Error::custom(
                        "year_end_opened writes reveal_deadline from format 2 and last_year_by_lineage in format 3, and only there",
                    ))
                }
            })
        }
        "dossier_saved" => typed(data, |w| P::YearEnd(E::DossierSaved(w))),
        "dossier_submitted" => typed(data, |w| P::YearEnd(E::DossierSubmitted(w))),
        "conflict_declared" => typed(data, |w| P::YearEnd(E::ConflictDeclared(w))),
        "seed_committed" => typed(data, |w| P::YearEnd(E::SeedCommitted(w))),
        "seed_revealed" => typed(data, |w| P::YearEnd(E::SeedRevealed(w))),
        "assignment_drawn" => typed(data, |w| P::YearEnd(E::AssignmentDrawn(w))),
        "assignment_decided" => {
            typed(data, |w| P::YearEnd(E::AssignmentDecided(w))).and_then(|(payload, again)| {
                if again.get("acknowledged").is_some() == (v == 2) {
                    Ok((payload, again))
                } else {
                    Err(serde::de::Error::custom(
                        "assignment_decided writes acknowledged in format 2, and only there",
                    ))
                }
            })
        }
        "records_declared" => typed(data, |w| P::YearEnd(E::RecordsDeclared(w))),
        "finding_submitted" => typed(data, |w| P::YearEnd(E::FindingSubmitted(w))),
        "response_submitted" => typed(data, |w| P::YearEnd(E::ResponseSubmitted(w))),
        "dispute_resolved" => typed(data, |w| P::YearEnd(E::DisputeResolved(w))),
        "eligibility_recorded" => typed(data, |w| P::YearEnd(E::EligibilityRecorded(w))),
        "year_end_locked" => typed(data, |w| P::YearEnd(E::YearEndLocked(w))),
        "results_published" => typed(data, |w| P::YearEnd(E::ResultsPublished(w))),
        "cutoff_tie_decided" => typed(data, |w| P::YearEnd(E::CutoffTieDecided(w))),
        "beacon_pinned" => typed(data, |w| P::YearEnd(E::BeaconPinned(w))),
        "beacon_recorded" => typed(data, |w| P::YearEnd(E::BeaconRecorded(w))),
        "year_end_deadline_moved" => typed(data, |w| P::YearEnd(E::DeadlineMoved(w))),
        _ => return None,
    })
}

/// A year-end event in its newest format: 1 for every year-end kind but `year_end_opened`,
/// written in format 3 when its draw carries last year's pairs through the lineage (always,
/// since format 3), in format 2 when it has a reveal deadline, and in format 1 as it was
/// written before either; `assignment_decided` in format 2 when it breaks a rule of the draw.
pub(super) fn encode(e: &crate::yearend::YearEndEvent) -> (u32, serde_json::Value) {
    use crate::yearend::YearEndEvent as E;
    let value = match e {
        E::YearEndOpened(w) => serde_json::to_value(w),
        E::DossierSaved(w) => serde_json::to_value(w),
        E::DossierSubmitted(w) => serde_json::to_value(w),
        E::ConflictDeclared(w) => serde_json::to_value(w),
        E::SeedCommitted(w) => serde_json::to_value(w),
        E::SeedRevealed(w) => serde_json::to_value(w),
        E::AssignmentDrawn(w) => serde_json::to_value(w),
        E::AssignmentDecided(w) => serde_json::to_value(w),
        E::RecordsDeclared(w) => serde_json::to_value(w),
        E::FindingSubmitted(w) => serde_json::to_value(w),
        E::ResponseSubmitted(w) => serde_json::to_value(w),
        E::DisputeResolved(w) => serde_json::to_value(w),
        E::EligibilityRecorded(w) => serde_json::to_value(w),
        E::YearEndLocked(w) => serde_json::to_value(w),
        E::ResultsPublished(w) => serde_json::to_value(w),
        E::CutoffTieDecided(w) => serde_json::to_value(w),
        E::BeaconPinned(w) => serde_json::to_value(w),
        E::BeaconRecorded(w) => serde_json::to_value(w),
        E::DeadlineMoved(w) => serde_json::to_value(w),
    };
    let format = match e {
        E::YearEndOpened(w) if w.last_year_by_lineage => 3,
        E::YearEndOpened(w) if w.reveal_deadline.is_some() => 2,
        E::AssignmentDecided(w) if !w.acknowledged.is_empty() => 2,
        _ => 1,
    };
    (format, value.expect("wire values always serialise"))
}
