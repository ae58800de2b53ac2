//! The year-end commands: field rules (text limits, hex values, evidence), then the events.
//! Whether an event fits the review is checked when it is applied ([`super::state`]); the rules
//! added since events were first written (a schedule in order and not past, k = 2 with at least
//! five units, an answer that says something and waits for every inspector's findings, a re-check within the drawn records, evidence
//! attached once) are checked here only, so that logs written before them still replay.

use std::collections::BTreeMap;

use super::error::{refuse, refuse_with};
use super::*;
use crate::authz::authorise;
use crate::event::{Actor, Payload};
use crate::text::limits;

/// Longest answer to one disputed criterion.
pub const ANSWER_LIMIT: usize = 2000;
/// Largest evidence file accepted (bytes).
pub const EVIDENCE_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Evidence file types, by media type (the content is checked where the file is stored).
pub const EVIDENCE_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

/// A dossier entry's justification and evidence files (hash, name, type, size), each file
/// attached once.
fn check_entry(id: &str, e: &DossierEntry) -> Result<(), DomainError> {
    e.justification.check("justification", limits::REASON * 4)?;
    for (i, f) in e.evidence.iter().enumerate() {
        if let Some(first) = e.evidence[..i].iter().find(|g| g.sha256 == f.sha256) {
            return Err(refuse_with(
                "yearend_evidence_duplicate",
                format!(
                    "{id}: the file {} is already attached as {}",
                    f.name, first.name
                ),
                vec![
                    ("criterion", id.to_owned()),
                    ("name", first.name.to_string()),
                ],
            ));
        }
        super::error::hex32("sha256", &f.sha256)?;
        f.name.check_line("file_name", limits::NAME)?;
        if !EVIDENCE_TYPES.contains(&f.media_type.as_str()) {
            return Err(refuse(
                "yearend_evidence_invalid",
                format!(
                    "{id}: {} is not an accepted file type (PDF, JPEG, PNG, DOCX, XLSX)",
                    f.media_type
                ),
            ));
        }
        if f.size == 0 || f.size > EVIDENCE_MAX_BYTES {
            return Err(refuse(
                "yearend_evidence_invalid",
                format!("{id}: a file is 1 byte to {EVIDENCE_MAX_BYTES} bytes"),
            ));
        }
    }
    Ok(())
}

/// Checks a year-end command and turns it into its events: authorisation first, then the
/// command's own function (field checks and the event), then the event's permission.
pub fn decide(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    command: YearEndCommand,
) -> Result<Vec<Payload>, DomainError> {
    use YearEndCommand as C;
    // Who may give the command first: what follows reads the review (revisions, ties, scores).
    authorise(state, actor, &command.permission(state)?)?;
    let event = match command {
        C::Open {
            covenant,
            dossier_deadline,
            commit_deadline,
            reveal_deadline,
            response_deadline,
            inspectors,
            record_sample,
            acknowledge_missing_figures,
        } => {
            rules::no_member_ceased(state, &covenant)?;
            rules::figures_acknowledged(state, &covenant, acknowledge_missing_figures)?;
            let opened = open(
                covenant,
                dossier_deadline,
                commit_deadline,
                reveal_deadline,
                response_deadline,
                inspectors,
                record_sample,
            );
            check_schedule(state, time_ms, &opened)?;
            Ok(YearEndEvent::YearEndOpened(opened))
        }
        C::MoveDeadline {
            covenant,
            step,
            deadline,
            reason,
        } => move_deadline(covenant, step, deadline, reason),
        C::SaveDossier {
            covenant,
            unit,
            entries,
        } => save_dossier(state, covenant, unit, entries),
        C::SubmitDossier {
            covenant,
            unit,
            revision,
        } => submit_dossier(state, covenant, unit, revision),
        C::DeclareConflict {
            covenant,
            unit,
            other,
            reason,
        } => declare_conflict(state, time_ms, covenant, unit, other, reason),
        C::CommitSeed {
            covenant,
            unit,
            commitment,
        } => commit_seed(covenant, unit, commitment),
        C::RevealSeed {
            covenant,
            unit,
            value,
        } => reveal_seed(covenant, unit, value),
        C::PinBeacon { covenant, round } => Ok(pin_beacon(covenant, round)),
        C::RecordBeacon {
            covenant,
            signature,
        } => record_beacon(state, covenant, signature),
        C::DrawAssignment { covenant } => draw_assignment(state, &covenant),
        C::DecideAssignment {
            covenant,
            pairs,
            reason,
            acknowledged,
        } => decide_assignment(state, covenant, pairs, reason, acknowledged),
        C::DeclareRecords {
            covenant,
            unit,
            population,
            description,
        } => declare_records(state, time_ms, covenant, unit, population, description),
        C::SubmitFinding {
            covenant,
            inspector,
            inspected,
            items,
            recheck,
        } => submit_finding(state, covenant, inspector, inspected, items, recheck),
        C::SubmitResponse {
            covenant,
            unit,
            answers,
        } => submit_response(state, covenant, unit, answers),
        C::ResolveDispute {
            covenant,
            unit,
            criterion,
            score,
            reason,
        } => resolve_dispute(state, covenant, unit, criterion, score, reason),
        C::RecordEligibility {
            covenant,
            unit,
            discipline_pending,
            note,
        } => record_eligibility(covenant, unit, discipline_pending, note),
        C::Lock { covenant, confirm } => lock(state, covenant, confirm),
        C::DecideCutoffTie {
            covenant,
            band,
            units,
            reason,
        } => decide_cutoff_tie(state, covenant, band, units, reason),
        C::PublishResults { covenant, confirm } => publish_results(state, covenant, confirm),
    }?;
    // The event's permission, which replay checks, is the command's: checked again here so
    // that a difference between the two can never let an event through.
    authorise(state, actor, &permission(state, &event)?)?;
    Ok(vec![Payload::YearEnd(event)])
}

// The review's schedule, the dossiers and conflicts of interest.

/// The review's schedule as given, the reveal deadline by default [`REVEAL_DAYS`] after the
/// commitment deadline (whether it holds together is checked when it is applied).
fn open(
    covenant: CovenantId,
    dossier_deadline: NaiveDate,
    commit_deadline: NaiveDate,
    reveal_deadline: Option<NaiveDate>,
    response_deadline: NaiveDate,
    inspectors: u8,
    record_sample: u32,
) -> YearEndOpened {
    let reveal = reveal_deadline
        .unwrap_or_else(|| default_reveal_deadline(commit_deadline, response_deadline));
    YearEndOpened {
        covenant,
        dossier_deadline,
        commit_deadline,
        reveal_deadline: Some(reveal),
        response_deadline,
        inspectors,
        record_sample,
        last_year_by_lineage: true,
    }
}

/// Units a cluster needs for two inspectors per unit (offsets 1 and 2 of the cycle, no two units
/// inspecting each other: see `docs/assignment.md`).
pub const MIN_UNITS_FOR_TWO: usize = 5;

/// The schedule's deadlines in the order of its steps (the reveal deadline only when it has one).
pub fn deadlines(o: &YearEndOpened) -> Vec<(Step, NaiveDate)> {
    let mut out = vec![
        (Step::Dossier, o.dossier_deadline),
        (Step::Commit, o.commit_deadline),
    ];
    if let Some(reveal) = o.reveal_deadline {
        out.push((Step::Reveal, reveal));
    }
    out.push((Step::Response, o.response_deadline));
    out
}

/// Each deadline of a schedule not before the one of the step before it.
pub(crate) fn check_order(o: &YearEndOpened) -> Result<(), DomainError> {
    for pair in deadlines(o).windows(2) {
        let ((earlier, a), (later, b)) = (pair[0], pair[1]);
        if b < a {
            return Err(refuse_with(
                "yearend_deadlines_order",
                format!(
                    "{}_deadline ({b}) is before {}_deadline ({a}): each step's deadline comes no earlier than the one before it",
                    later.key(),
                    earlier.key()
                ),
                vec![
                    ("later", later.key().to_owned()),
                    ("later_date", b.to_string()),
                    ("earlier", earlier.key().to_owned()),
                    ("earlier_date", a.to_string()),
                ],
            ));
        }
    }
    Ok(())
}

/// A deadline on or after the day (in Vietnam) of `time_ms`.
pub(crate) fn not_past(step: Step, deadline: NaiveDate, time_ms: i64) -> Result<(), DomainError> {
    let today = crate::figures::local_date(time_ms);
    if deadline < today {
        return Err(refuse_with(
            "yearend_deadline_in_past",
            format!(
                "the {}_deadline {deadline} is before today ({today})",
                step.key()
            ),
            vec![
                ("step", step.key().to_owned()),
                ("date", deadline.to_string()),
            ],
        ));
    }
    Ok(())
}

/// A schedule that can be kept: two inspectors only with at least [`MIN_UNITS_FOR_TWO`] member
/// units, its deadlines in the order of the steps, and none of them past on the day it is
/// opened (a past year's review is opened with deadlines from the day it is opened, as the
/// demonstration does).
fn check_schedule(state: &State, time_ms: i64, o: &YearEndOpened) -> Result<(), DomainError> {
    let c = state.covenant(&o.covenant)?;
    let members = state.members(&c.cluster, c.year)?.len();
    if o.inspectors == 2 && members < MIN_UNITS_FOR_TWO {
        return Err(refuse_with(
            "yearend_too_few_members",
            format!(
                "two inspectors per unit need at least {MIN_UNITS_FOR_TWO} member units; the cluster has {members}"
            ),
            vec![
                ("count", members.to_string()),
                ("min", MIN_UNITS_FOR_TWO.to_string()),
            ],
        ));
    }
    check_order(o)?;
    not_past(Step::Dossier, o.dossier_deadline, time_ms)
}

/// The secretariat moves one deadline, with its reason (whether the step is still open and the
/// schedule stays in order is checked when the event is applied).
fn move_deadline(
    covenant: CovenantId,
    step: Step,
    deadline: NaiveDate,
    reason: Text,
) -> Result<YearEndEvent, DomainError> {
    reason.check("reason", limits::REASON)?;
    Ok(YearEndEvent::DeadlineMoved(DeadlineMoved {
        covenant,
        step,
        deadline,
        reason,
    }))
}

/// Days between the commitment deadline and the reveal deadline when the secretariat names none.
const REVEAL_DAYS: u64 = 3;

/// The reveal deadline when none is given: [`REVEAL_DAYS`] after the commitment deadline, but
/// never after the response deadline (whether the schedule holds together is checked when it
/// is applied).
pub fn default_reveal_deadline(commit: NaiveDate, response: NaiveDate) -> NaiveDate {
    commit
        .checked_add_days(chrono::Days::new(REVEAL_DAYS))
        .unwrap_or(commit)
        .min(response)
        .max(commit)
}

/// The dossier's working entries, each checked, as the unit's next revision.
fn save_dossier(
    state: &State,
    covenant: CovenantId,
    unit: UnitId,
    entries: BTreeMap<String, DossierEntry>,
) -> Result<YearEndEvent, DomainError> {
    for (id, e) in &entries {
        check_entry(id, e)?;
    }
    let scores = entries.iter().map(|(id, e)| (id.as_str(), e.score.0));
    rules::score_places(state, &covenant, scores)?;
    not_under_inspection(state, &covenant, &unit)?;
    let revision = state
        .review(&covenant)?
        .dossiers
        .get(&unit)
        .map_or(1, |d| d.revision + 1);
    Ok(YearEndEvent::DossierSaved(DossierSaved {
        covenant,
        unit,
        revision,
        entries,
    }))
}

/// A submitted dossier is what its inspector inspects: once the assignment is drawn it changes
/// no more (a unit that had not submitted may still do so by the deadline). Checked here, not
/// when applied, so that logs written before the rule still replay.
fn not_under_inspection(
    state: &State,
    covenant: &CovenantId,
    unit: &UnitId,
) -> Result<(), DomainError> {
    let review = state.review(covenant)?;
    let submitted = review
        .dossiers
        .get(unit)
        .is_some_and(|d| d.submitted.is_some());
    if submitted && review.drawn.is_some() {
        return Err(refuse(
            "yearend_dossier_frozen",
            "the dossier was submitted and the inspection assignment is drawn: the inspector inspects it as submitted",
        ));
    }
    Ok(())
}

/// Submits the dossier's current revision (refused if another was saved since) with its entries.
fn submit_dossier(
    state: &State,
    covenant: CovenantId,
    unit: UnitId,
    revision: u32,
) -> Result<YearEndEvent, DomainError> {
    not_under_inspection(state, &covenant, &unit)?;
    let dossier = state
        .review(&covenant)?
        .dossiers
        .get(&unit)
        .cloned()
        .unwrap_or_default();
    if dossier.revision != revision {
        return Err(refuse(
            "yearend_stale_revision",
            format!("the current revision is {}", dossier.revision),
        ));
    }
    if dossier
        .submitted
        .as_ref()
        .is_some_and(|(r, ..)| *r == revision)
    {
        return Err(refuse(
            "yearend_dossier_submitted",
            format!("revision {revision} is submitted already: save a change to submit again"),
        ));
    }
    rules::dossier_computable(state, state.review(&covenant)?, &unit)?;
    Ok(YearEndEvent::DossierSubmitted(DossierSubmitted {
        covenant,
        unit,
        revision,
        entries: dossier.entries,
    }))
}

/// A conflict of interest between two units while conflicts may still be declared, its reason
/// within the limit.
fn declare_conflict(
    state: &State,
    time_ms: i64,
    covenant: CovenantId,
    unit: UnitId,
    other: UnitId,
    reason: Text,
) -> Result<YearEndEvent, DomainError> {
    rules::conflicts_open(state.review(&covenant)?, time_ms)?;
    reason.check("reason", limits::REASON)?;
    Ok(YearEndEvent::ConflictDeclared(ConflictDeclared {
        covenant,
        unit,
        other,
        reason,
    }))
}

// The seeds, the beacon and the assignment.

/// A unit's commitment to its seed (64 lowercase hexadecimal digits, checked when applied).
fn commit_seed(
    covenant: CovenantId,
    unit: UnitId,
    commitment: String,
) -> Result<YearEndEvent, DomainError> {
    Ok(YearEndEvent::SeedCommitted(SeedCommitted {
        covenant,
        unit,
        commitment,
    }))
}

/// A unit's revealed seed (64 lowercase hexadecimal digits, checked when applied).
fn reveal_seed(
    covenant: CovenantId,
    unit: UnitId,
    value: String,
) -> Result<YearEndEvent, DomainError> {
    Ok(YearEndEvent::SeedRevealed(SeedRevealed {
        covenant,
        unit,
        value,
    }))
}

/// Pins a round of the supported beacon network ([`beacon::QUICKNET`]).
fn pin_beacon(covenant: CovenantId, round: u64) -> YearEndEvent {
    YearEndEvent::BeaconPinned(BeaconPinned {
        covenant,
        chain: beacon::QUICKNET.chain.into(),
        round,
    })
}

/// The pinned round's signature, trimmed and in lowercase (refused if no round is pinned).
fn record_beacon(
    state: &State,
    covenant: CovenantId,
    signature: String,
) -> Result<YearEndEvent, DomainError> {
    let review = state.review(&covenant)?;
    let Some(pinned) = &review.beacon else {
        return Err(refuse("yearend_phase", "no beacon round is pinned"));
    };
    Ok(YearEndEvent::BeaconRecorded(BeaconRecorded {
        covenant,
        round: pinned.round,
        signature: signature.trim().to_ascii_lowercase(),
    }))
}

/// The draw, computed from the log ([`state::compute_draw`]).
fn draw_assignment(state: &State, covenant: &CovenantId) -> Result<YearEndEvent, DomainError> {
    let review = state.review(covenant)?;
    Ok(YearEndEvent::AssignmentDrawn(state::compute_draw(
        state, review,
    )))
}

/// The secretariat's assignment where the draw found none, its reason within the limit: a pair
/// named once, the draw's shape ([`rules::check_shape`]) and exactly the rules of the draw it
/// breaks acknowledged ([`rules::breaches_acknowledged`]), recorded with it.
fn decide_assignment(
    state: &State,
    covenant: CovenantId,
    pairs: Vec<Pair>,
    reason: Text,
    acknowledged: Vec<Breach>,
) -> Result<YearEndEvent, DomainError> {
    reason.check("reason", limits::REASON)?;
    // A pair named twice would count as two of a unit's inspectors (the rest is checked when
    // the event is applied: members, no self-inspection, each unit's number of inspectors).
    let mut seen = std::collections::BTreeSet::new();
    if let Some(p) = pairs
        .iter()
        .find(|p| !seen.insert((&p.inspector, &p.inspected)))
    {
        return Err(refuse(
            "yearend_assignment_invalid",
            format!(
                "{} is named twice as an inspector of {}",
                p.inspector, p.inspected
            ),
        ));
    }
    let review = state.review(&covenant)?;
    rules::check_shape(state, review, &pairs)?;
    let acknowledged = rules::breaches_acknowledged(state, review, &pairs, &acknowledged)?;
    Ok(YearEndEvent::AssignmentDecided(AssignmentDecided {
        covenant,
        pairs,
        reason,
        acknowledged,
    }))
}

// The inspection: records, findings, responses and the council's resolutions.

/// A unit's source records for the re-check: their description, and at least one record,
/// while the draw's inputs are open ([`rules::records_open`]).
fn declare_records(
    state: &State,
    time_ms: i64,
    covenant: CovenantId,
    unit: UnitId,
    population: u32,
    description: Text,
) -> Result<YearEndEvent, DomainError> {
    rules::records_open(state.review(&covenant)?, time_ms)?;
    description.check("description", limits::REASON)?;
    if population == 0 {
        return Err(refuse(
            "yearend_records_empty",
            "population: at least one record",
        ));
    }
    Ok(YearEndEvent::RecordsDeclared(RecordsDeclared {
        covenant,
        unit,
        population,
        description,
    }))
}

/// An inspector's findings on the unit it inspects, each item's reason within the limit, its
/// re-check within the records drawn ([`check_recheck`]).
fn submit_finding(
    state: &State,
    covenant: CovenantId,
    inspector: UnitId,
    inspected: UnitId,
    items: BTreeMap<String, FindingItem>,
    recheck: Option<Recheck>,
) -> Result<YearEndEvent, DomainError> {
    for item in items.values() {
        if let Some(r) = &item.reason {
            r.check("reason", limits::REASON)?;
        }
    }
    let proposed = items
        .iter()
        .filter_map(|(id, item)| Some((id.as_str(), item.score?.0)));
    rules::score_places(state, &covenant, proposed)?;
    let review = state.review(&covenant)?;
    if let Some(rc) = &recheck {
        check_recheck(review, &inspected, rc)?;
    }
    rules::agreements_computed(state, review, &inspected, &items)?;
    Ok(YearEndEvent::FindingSubmitted(FindingSubmitted {
        covenant,
        inspector,
        inspected,
        items,
        recheck,
    }))
}

/// The re-check of an inspected unit's source records: the unit declared them, the records
/// checked are at most those the seed drew (the review's sample, at most the population), and
/// 0 < correct ≤ checked.
pub fn check_recheck(review: &Review, inspected: &UnitId, rc: &Recheck) -> Result<(), DomainError> {
    let Some(records) = review.records.get(inspected) else {
        return Err(refuse(
            "yearend_recheck_no_records",
            format!("{inspected} declared no source records to re-check"),
        ));
    };
    let drawn = review.schedule.record_sample.min(records.population);
    if rc.checked > drawn {
        return Err(refuse_with(
            "yearend_recheck_over_sample",
            format!(
                "{} records checked, but the seed drew {drawn} of the {} declared",
                rc.checked, records.population
            ),
            vec![
                ("checked", rc.checked.to_string()),
                ("sample", drawn.to_string()),
                ("population", records.population.to_string()),
            ],
        ));
    }
    state::check_recheck_counts(rc)
}

/// A unit's answers to its disputed criteria, once all its inspectors' findings are in
/// ([`rules::response_open`]), each within [`ANSWER_LIMIT`]: at least one, and each accepting
/// the proposed score or saying why not (an acceptance needs no text).
fn submit_response(
    state: &State,
    covenant: CovenantId,
    unit: UnitId,
    answers: BTreeMap<String, Answer>,
) -> Result<YearEndEvent, DomainError> {
    rules::response_open(state, state.review(&covenant)?, &unit)?;
    if answers.is_empty() {
        return Err(refuse(
            "yearend_response_empty",
            "the response answers no disputed criterion",
        ));
    }
    for (id, a) in &answers {
        let said = !a.text.as_str().is_empty();
        if !a.accept && !said {
            return Err(refuse_with(
                "yearend_answer_empty",
                format!("{id}: accept the proposed score or answer why not"),
                vec![("criterion", id.clone())],
            ));
        }
        if said {
            a.text.check("answer", ANSWER_LIMIT).map_err(|e| match e {
                DomainError::TextTooLong { max, .. } => refuse_with(
                    "yearend_answer_too_long",
                    format!("{id}: the answer is longer than {max} characters"),
                    vec![("criterion", id.clone()), ("max", max.to_string())],
                ),
                other => other,
            })?;
        }
    }
    Ok(YearEndEvent::ResponseSubmitted(ResponseSubmitted {
        covenant,
        unit,
        answers,
    }))
}

/// The council's resolution of a disputed criterion, its reason within the limit.
/// The council's decision on one disputed criterion, once: the council decides each dispute
/// in one sitting and its decision stands (the page offers it only for an open dispute; a
/// second one through the API would silently replace the first on the page). Checked in
/// `decide` only: logs written before this rule replay.
fn resolve_dispute(
    state: &State,
    covenant: CovenantId,
    unit: UnitId,
    criterion: String,
    score: Option<Points>,
    reason: Text,
) -> Result<YearEndEvent, DomainError> {
    reason.check("reason", limits::REASON)?;
    let decided_score = score.map(|s| (criterion.as_str(), s.0));
    rules::score_places(state, &covenant, decided_score)?;
    let review = state.review(&covenant)?;
    // Once locked, the lock's own refusal says why nothing changes.
    let decided = review
        .resolutions
        .iter()
        .filter(|_| review.locked_at.is_none())
        .find(|(r, _)| r.unit == unit && r.criterion == criterion);
    if let Some((_, index)) = decided {
        return Err(refuse(
            "yearend_dispute_resolved",
            format!("the council already decided {criterion} of {unit} (event {index})"),
        ));
    }
    Ok(YearEndEvent::DisputeResolved(DisputeResolved {
        covenant,
        unit,
        criterion,
        score,
        reason,
    }))
}

// Eligibility, the lock, ties at a quota cut-off and the publication.

/// Whether a unit has a disciplinary matter pending, its note within the limit.
fn record_eligibility(
    covenant: CovenantId,
    unit: UnitId,
    discipline_pending: bool,
    note: Text,
) -> Result<YearEndEvent, DomainError> {
    note.check("note", limits::REASON)?;
    Ok(YearEndEvent::EligibilityRecorded(EligibilityRecorded {
        covenant,
        unit,
        discipline_pending,
        note,
    }))
}

/// Locks the year's scores, confirmed, once [`lock_allowed`].
fn lock(state: &State, covenant: CovenantId, confirm: bool) -> Result<YearEndEvent, DomainError> {
    let review = state.review(&covenant)?;
    rules::confirmed("lock", confirm, review.locked_at.is_some())?;
    lock_allowed(state, review)?;
    Ok(YearEndEvent::YearEndLocked(YearEndLocked { covenant }))
}

/// Whether the scores may be locked now: every total can be computed ([`scores_computable`],
/// asked first: it names the units to chase) and the review is ready (`state::lock_ready`:
/// findings in, disputes settled — checked again when the event is applied).
pub fn lock_allowed(state: &State, review: &Review) -> Result<(), DomainError> {
    scores_computable(state, review)?;
    super::state::lock_ready(review)
}

/// Every assessed member's final total can be computed (`score::uncomputable`): a lock would
/// publish "—" for a unit whose figures are not all approved; refused naming the units and
/// their criteria. A rule of the command (the page asks it before offering the lock), not of
/// replay, like the reporting rules on figures: a log written before it replays unchanged.
pub fn scores_computable(state: &State, review: &Review) -> Result<(), DomainError> {
    let missing = score::uncomputable(state, review)?;
    if missing.is_empty() {
        return Ok(());
    }
    let units: Vec<String> = missing
        .iter()
        .map(|(u, criteria)| format!("{} ({})", rules::named(state, u), criteria.join(", ")))
        .collect();
    Err(refuse_with(
        "yearend_scores_uncomputable",
        format!(
            "the final totals of {} cannot be computed (approved figures missing?)",
            units.join("; ")
        ),
        vec![("units", units.join("; "))],
    ))
}

/// The cluster head's choice of the units that keep a band, checked against the tie it resolves.
fn decide_cutoff_tie(
    state: &State,
    covenant: CovenantId,
    band: String,
    units: Vec<UnitId>,
    reason: Text,
) -> Result<YearEndEvent, DomainError> {
    reason.check("reason", limits::REASON)?;
    let review = state.review(&covenant)?;
    let board = score::scoreboard(state, review, score::Scores::FinalUndecided, false)?;
    let ties = score::cutoff_ties(review, &board);
    let tie = ties.iter().find(|t| t.band == band).ok_or_else(|| {
        refuse(
            "yearend_tie_invalid",
            format!("no tie at the cut-off of band {band}"),
        )
    })?;
    check_tie_choice(tie, &units)?;
    Ok(YearEndEvent::CutoffTieDecided(CutoffTieDecided {
        covenant,
        band,
        units,
        reason,
    }))
}

/// The chosen units are distinct, all tied, and as many as the seats (or all the tied units).
fn check_tie_choice(tie: &score::CutoffTie, units: &[UnitId]) -> Result<(), DomainError> {
    let mut chosen = units.to_vec();
    chosen.sort();
    chosen.dedup();
    if chosen.len() != units.len()
        || units.len() != tie.seats.min(tie.units.len())
        || units.iter().any(|u| !tie.units.contains(u))
    {
        return Err(refuse(
            "yearend_tie_invalid",
            format!(
                "choose {} of the tied units",
                tie.seats.min(tie.units.len())
            ),
        ));
    }
    Ok(())
}

/// The results computed by the engine, under the regulation in force; refused while a tie at
/// a quota cut-off waits for the cluster head's decision; confirmed.
fn publish_results(
    state: &State,
    covenant: CovenantId,
    confirm: bool,
) -> Result<YearEndEvent, DomainError> {
    let review = state.review(&covenant)?;
    rules::confirmed("publish_results", confirm, review.published.is_some())?;
    if review.locked_at.is_some() {
        ties_decided(state, review)?;
    }
    let regulation = state.regulation_in_force(&covenant)?.0.sha256.clone();
    Ok(YearEndEvent::ResultsPublished(ResultsPublished {
        covenant: covenant.clone(),
        regulation,
        results: score::results(state, review)?,
    }))
}

/// Every tie at a quota cut-off of the locked scores has the cluster head's decision (the
/// page asks it before offering the publication); refused naming the bands («Xuất sắc») and
/// the head unit whose leader decides.
pub fn ties_decided(state: &State, review: &Review) -> Result<(), DomainError> {
    let board = score::scoreboard(state, review, score::Scores::FinalUndecided, false)?;
    let open: Vec<score::CutoffTie> = score::cutoff_ties(review, &board)
        .into_iter()
        .filter(|t| !review.cutoff_ties.contains_key(&t.band))
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    let bands: Vec<String> = open.iter().map(|t| format!("«{}»", t.band_name)).collect();
    let head = super::cluster_head(state, &review.schedule.covenant)
        .map(|u| rules::named(state, &u))
        .unwrap_or_default();
    Err(refuse_with(
        "yearend_tie_undecided",
        format!(
            "the cluster head ({head}) decides the tie at the cut-off of {}",
            bands.join(", ")
        ),
        vec![("bands", bands.join(", ")), ("head", head)],
    ))
}
