//! The year-end reviews as folded from the log, and the rules every year-end event must fit
//! when applied (at decision and at replay alike): phases, deadlines (the calendar date in
//! Vietnam of the event's time), the assignment, and the draw itself, recomputed from the log.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use imbl::OrdMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::draw::{self, Constraints, Outcome};
use super::error::{phase, refuse, refuse_with};
use super::*;
use crate::event::Event;
use crate::figures::{deadline_passed, local_date, local_midnight};
use crate::ids::ClusterId;

/// Every year-end review, by covenant. Reviews sit behind `Arc`s: a clone of the state is O(1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearEnds {
    pub reviews: OrdMap<CovenantId, Arc<Review>>,
}

/// A leaf criterion of the regulation, as the review needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionInfo {
    pub id: String,
    pub name: String,
    pub max: Decimal,
    /// Scored by judgement (self-assessed); otherwise computed by the engine.
    pub manual: bool,
}

/// A unit's dossier: the working entries and the submitted revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub revision: u32,
    pub entries: BTreeMap<String, DossierEntry>,
    /// The submitted revision, its entries and the submitting event's index.
    pub submitted: Option<(u32, BTreeMap<String, DossierEntry>, u64)>,
}

/// The year-end review of one covenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub schedule: YearEndOpened,
    pub opened_at: u64,
    pub cluster: ClusterId,
    pub year: i32,
    /// The member units, sorted.
    pub members: Vec<UnitId>,
    pub criteria: Vec<CriterionInfo>,
    pub dossiers: BTreeMap<UnitId, Dossier>,
    pub conflicts: Vec<(ConflictDeclared, u64)>,
    pub commitments: BTreeMap<UnitId, String>,
    pub reveals: BTreeMap<UnitId, String>,
    pub drawn: Option<(AssignmentDrawn, u64)>,
    pub decided: Option<(AssignmentDecided, u64)>,
    pub records: BTreeMap<UnitId, RecordsDeclared>,
    pub findings: Vec<(FindingSubmitted, u64)>,
    /// When each finding was entered (milliseconds since the epoch), by its log index: the day
    /// of the inspection its minutes state.
    #[serde(default)]
    pub finding_times: BTreeMap<u64, i64>,
    pub responses: BTreeMap<UnitId, (ResponseSubmitted, u64)>,
    pub resolutions: Vec<(DisputeResolved, u64)>,
    pub eligibility: BTreeMap<UnitId, EligibilityRecorded>,
    pub locked_at: Option<u64>,
    /// The cluster head's decisions on ties at a quota cut-off, by band.
    #[serde(default)]
    pub cutoff_ties: BTreeMap<String, (CutoffTieDecided, u64)>,
    /// The public beacon round pinned for the draw, if any.
    #[serde(default)]
    pub beacon: Option<PinnedBeacon>,
    pub published: Option<(ResultsPublished, u64)>,
}

/// A beacon round pinned for a review's draw, and its signature once recorded (verified).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedBeacon {
    pub chain: String,
    pub round: u64,
    /// The round's signature (hex) as recorded.
    pub signature: Option<String>,
}

impl PinnedBeacon {
    /// The pinned network (pinning refuses any other).
    pub fn network(&self) -> beacon::Network {
        beacon::network(&self.chain).unwrap_or(beacon::QUICKNET)
    }

    /// When the round is published (UTC).
    pub fn time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.network().round_time(self.round)
    }

    /// The beacon's value mixed into the seed, once recorded: the SHA-256 of the signature
    /// (hex), which drand publishes as the round's randomness.
    pub fn value(&self) -> Option<String> {
        use sha2::Digest as _;
        let signature = hex::decode(self.signature.as_deref()?).ok()?;
        Some(hex::encode(sha2::Sha256::digest(signature)))
    }
}

/// How a disputed criterion of a unit stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Nobody disputed it.
    Undisputed,
    /// Disputed and not settled yet.
    Open,
    /// The unit accepted the (single) proposed score.
    Accepted(Decimal),
    /// The council resolved it (`None`: a quantitative criterion keeps the engine's score).
    Resolved(Option<Decimal>),
}

impl Review {
    pub fn criterion(&self, id: &str) -> Result<&CriterionInfo, DomainError> {
        self.criteria.iter().find(|c| c.id == id).ok_or_else(|| {
            refuse(
                "yearend_unknown_criterion",
                format!("the regulation has no leaf criterion {id}"),
            )
        })
    }

    /// A criterion people score (a self-score, evidence): refused for one the engine computes
    /// from the approved figures.
    pub fn manual_criterion(&self, id: &str) -> Result<&CriterionInfo, DomainError> {
        let c = self.criterion(id)?;
        if !c.manual {
            return Err(refuse(
                "yearend_not_manual",
                format!("{id} is computed by the engine from the approved figures"),
            ));
        }
        Ok(c)
    }

    pub fn is_member(&self, unit: &UnitId) -> bool {
        self.members.binary_search(unit).is_ok()
    }

    /// The last day of `step` (none for the reveals of a review opened before reveal deadlines
    /// existed).
    pub fn deadline(&self, step: Step) -> Option<NaiveDate> {
        let s = &self.schedule;
        match step {
            Step::Dossier => Some(s.dossier_deadline),
            Step::Commit => Some(s.commit_deadline),
            Step::Reveal => s.reveal_deadline,
            Step::Response => Some(s.response_deadline),
        }
    }

    /// Whether the draw may run at `time_ms`, by the rule `assignment_drawn` is applied with:
    /// the reveals are done ([`reveals_done`]) and a pinned beacon round's value is recorded.
    /// (Whether it has already run is the caller's question.)
    pub fn draw_ready(&self, time_ms: i64) -> Result<(), DomainError> {
        reveals_done(self, time_ms)?;
        match self.beacon.as_ref().filter(|b| b.signature.is_none()) {
            Some(b) => Err(phase(
                "draw_waits_beacon",
                format!(
                    "the draw waits for the value of the pinned beacon round {}",
                    b.round
                ),
                vec![("round", b.round.to_string())],
            )),
            None => Ok(()),
        }
    }

    /// Whether `step`'s deadline has passed at `time_ms`: the rule by which every command of
    /// the step is refused from then on, so that a page can close the step's forms.
    pub fn past(&self, step: Step, time_ms: i64) -> bool {
        self.deadline(step)
            .is_some_and(|d| deadline_passed(d, time_ms))
    }

    /// The inspections in force: the secretariat's decision, else the draw.
    pub fn pairs(&self) -> Vec<Pair> {
        if let Some((d, _)) = &self.decided {
            return d.pairs.clone();
        }
        let Some((d, _)) = &self.drawn else {
            return Vec::new();
        };
        let n = d.order.len();
        let k = usize::from(self.schedule.inspectors);
        let mut pairs = Vec::new();
        for i in 0..n {
            for off in 1..=k {
                pairs.push(Pair {
                    inspector: d.order[i].clone(),
                    inspected: d.order[(i + off) % n].clone(),
                });
            }
        }
        pairs
    }

    pub fn has_assignment(&self) -> bool {
        self.decided.is_some()
            || self
                .drawn
                .as_ref()
                .is_some_and(|(d, _)| !d.order.is_empty())
    }

    /// The units inspecting `unit`.
    pub fn inspectors_of(&self, unit: &UnitId) -> Vec<UnitId> {
        self.pairs()
            .into_iter()
            .filter(|p| &p.inspected == unit)
            .map(|p| p.inspector)
            .collect()
    }

    pub fn finding(&self, inspector: &UnitId, inspected: &UnitId) -> Option<&FindingSubmitted> {
        self.findings
            .iter()
            .map(|(f, _)| f)
            .find(|f| &f.inspector == inspector && &f.inspected == inspected)
    }

    /// Whether `unit` submitted its dossier (a unit that did not is not assessed).
    pub fn dossier_submitted(&self, unit: &UnitId) -> bool {
        self.dossiers
            .get(unit)
            .is_some_and(|d| d.submitted.is_some())
    }

    /// The submitted self-scores of a unit (empty when it submitted nothing).
    pub fn self_scores(&self, unit: &UnitId) -> BTreeMap<String, Decimal> {
        self.dossiers
            .get(unit)
            .and_then(|d| d.submitted.as_ref())
            .map(|(_, entries, _)| {
                entries
                    .iter()
                    .map(|(k, e)| (k.clone(), e.score.0))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The criteria of `unit` some inspector proposed another score for or disputed.
    pub fn disputed(&self, unit: &UnitId) -> Vec<String> {
        let mut out: Vec<String> = self
            .findings
            .iter()
            .filter(|(f, _)| &f.inspected == unit)
            .flat_map(|(f, _)| {
                f.items
                    .iter()
                    .filter(|(_, i)| i.verdict != Verdict::Agree)
                    .map(|(c, _)| c.clone())
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// How a criterion of a unit stands after findings, response and resolutions.
    pub fn settlement(&self, unit: &UnitId, criterion: &str) -> Settlement {
        if let Some((r, _)) = self
            .resolutions
            .iter()
            .rev()
            .find(|(r, _)| &r.unit == unit && r.criterion == criterion)
        {
            return Settlement::Resolved(r.score.map(|p| p.0));
        }
        let proposals: Vec<&FindingItem> = self
            .findings
            .iter()
            .filter(|(f, _)| &f.inspected == unit)
            .filter_map(|(f, _)| f.items.get(criterion))
            .filter(|i| i.verdict != Verdict::Agree)
            .collect();
        if proposals.is_empty() {
            return Settlement::Undisputed;
        }
        let accepted = self
            .responses
            .get(unit)
            .and_then(|(r, _)| r.answers.get(criterion))
            .is_some_and(|a| a.accept);
        let first = proposals[0].score;
        let single = proposals
            .iter()
            .all(|p| p.verdict == Verdict::Propose && p.score == first);
        match (accepted, single, first) {
            (true, true, Some(score)) => Settlement::Accepted(score.0),
            _ => Settlement::Open,
        }
    }

    /// The final manual scores of a unit: the self-score unless a settlement replaced it.
    pub fn final_scores(&self, unit: &UnitId) -> BTreeMap<String, Decimal> {
        let mut scores = self.self_scores(unit);
        for c in self.criteria.iter().filter(|c| c.manual) {
            match self.settlement(unit, &c.id) {
                Settlement::Accepted(s) | Settlement::Resolved(Some(s)) => {
                    scores.insert(c.id.clone(), s);
                }
                _ => {}
            }
        }
        scores
    }
}

/// The inspections of the year before that the draw of `review` avoids: those of the same
/// cluster's review of the year before (if any). A review opened in format 3 carries them onto
/// this year's members through the lineage: a unit counts as each member whose lineage by
/// 31 December of this year includes it (a unit merged into a member counts as that member),
/// and a pair that lands on one member twice is dropped. Pairs naming no member are ignored
/// by the draw.
pub fn last_year_pairs(state: &State, review: &Review) -> Vec<Pair> {
    let mut out: Vec<Pair> = Vec::new();
    for (pair, _) in carried_last_year(state, review) {
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

/// Last year's inspections that [`last_year_pairs`] carried onto `pair`, each as it was
/// (Công an tỉnh Cà Mau → Công an tỉnh Hậu Giang for Cà Mau → Cần Thơ after Hậu Giang merged
/// into Cần Thơ): what a page or a refusal names beside a carried pair. Empty when `pair` is
/// not one of them.
pub fn last_year_origins(state: &State, review: &Review, pair: &Pair) -> Vec<Pair> {
    carried_last_year(state, review)
        .into_iter()
        .filter(|(carried, _)| carried == pair)
        .map(|(_, origin)| origin)
        .collect()
}

/// Each of last year's pairs as this year's draw counts it, with the pair it was, in last
/// year's order; a pair landing on one member twice is left out (format 3), and a review
/// opened in an earlier format takes the pairs as they were.
fn carried_last_year(state: &State, review: &Review) -> Vec<(Pair, Pair)> {
    let Some(last) = state
        .yearend
        .reviews
        .values()
        .find(|r| r.cluster == review.cluster && r.year == review.year - 1)
    else {
        return Vec::new();
    };
    let pairs = last.pairs();
    if !review.schedule.last_year_by_lineage {
        return pairs.into_iter().map(|p| (p.clone(), p)).collect();
    }
    let lineages = member_lineages(state, review);
    let carriers = |unit: &UnitId| -> Vec<UnitId> {
        lineages
            .iter()
            .filter(|(_, lineage)| lineage.contains(unit))
            .map(|(m, _)| (*m).clone())
            .collect()
    };
    let mut out = Vec::new();
    for p in pairs {
        for inspector in carriers(&p.inspector) {
            for inspected in carriers(&p.inspected) {
                if inspector != inspected {
                    out.push((
                        Pair {
                            inspector: inspector.clone(),
                            inspected,
                        },
                        p.clone(),
                    ));
                }
            }
        }
    }
    out
}

/// Each member of `review` with its lineage by 31 December of the review's year: itself and
/// every unit merged or split into it, transitively — the units whose past years count as the
/// member's (last year's pairs of the draw, the council's "year after year" flag).
pub(crate) fn member_lineages<'a>(
    state: &State,
    review: &'a Review,
) -> Vec<(&'a UnitId, Vec<UnitId>)> {
    let day = NaiveDate::from_ymd_opt(review.year, 12, 31);
    review
        .members
        .iter()
        .map(|m| {
            let lineage = day.map_or_else(|| vec![m.clone()], |d| state.lineage_closure(m, d));
            (m, lineage)
        })
        .collect()
}

/// The draw of a review from the log: seed, missing reveals and outcome.
pub fn compute_draw(state: &State, review: &Review) -> AssignmentDrawn {
    let members = &review.members;
    let beacon = review.beacon.as_ref().and_then(PinnedBeacon::value);
    let seed = draw::seed(
        review.year,
        &review.cluster,
        members,
        |u| review.reveals.get(u).map(String::as_str),
        beacon.as_deref(),
    );
    let index = |u: &UnitId| members.binary_search(u).ok();
    let mut c = Constraints::new(members.len(), usize::from(review.schedule.inspectors));
    for (d, _) in &review.conflicts {
        if let (Some(a), Some(b)) = (index(&d.unit), index(&d.other)) {
            c.conflict(a, b);
        }
    }
    for p in last_year_pairs(state, review) {
        if let (Some(a), Some(b)) = (index(&p.inspector), index(&p.inspected)) {
            c.last_year(a, b);
        }
    }
    let missing = members
        .iter()
        .filter(|u| !review.reveals.contains_key(*u))
        .cloned()
        .collect();
    let base = AssignmentDrawn {
        covenant: review.schedule.covenant.clone(),
        seed: hex::encode(seed),
        missing,
        order: Vec::new(),
        redraws: 0,
        relaxed: Vec::new(),
        searched: false,
        infeasible: None,
    };
    match draw::draw(&seed, &c) {
        Outcome::Drawn {
            order,
            redraws,
            level,
            searched,
        } => AssignmentDrawn {
            order: order.into_iter().map(|i| members[i].clone()).collect(),
            redraws,
            relaxed: level.relaxed().into_iter().map(str::to_owned).collect(),
            searched,
            ..base
        },
        Outcome::Infeasible {
            redraws,
            proved,
            reason,
        } => AssignmentDrawn {
            redraws,
            infeasible: Some(if proved {
                reason.to_owned()
            } else {
                format!("{reason}_undetermined")
            }),
            ..base
        },
    }
}

/// The leaf criteria of a covenant's regulation in force.
pub fn criteria_of(
    state: &State,
    covenant: &CovenantId,
) -> Result<Vec<CriterionInfo>, DomainError> {
    let compiled = crate::engine_data::regulation(state, covenant)?;
    let ast = compiled.ast();
    Ok(ast
        .criteria
        .iter()
        .filter(|c| !matches!(c.body, thidua_scoring::ast::Body::Children))
        .map(|c| CriterionInfo {
            id: c.id.clone(),
            name: c.name.clone(),
            max: c.points,
            manual: matches!(c.body, thidua_scoring::ast::Body::Manual),
        })
        .collect())
}

/// The event's day (in Vietnam) is not after `deadline`, the last day of `step`.
fn before_deadline(event: &Event, deadline: NaiveDate, step: Step) -> Result<(), DomainError> {
    if after_deadline(event, deadline) {
        return Err(refuse_with(
            "yearend_deadline_passed",
            format!(
                "the {}_deadline was {}",
                step.key(),
                deadline.format("%d/%m/%Y")
            ),
            vec![
                ("step", step.key().to_owned()),
                ("date", deadline.to_string()),
            ],
        ));
    }
    Ok(())
}

/// A deadline moved by the secretariat: the review has it (a review opened without a reveal
/// deadline has none to move), the step it closes is neither past by its current deadline nor
/// done (commitments close with the first reveal, reveals with the draw), the new day is not
/// past, differs from the current one and keeps the schedule in order, and a pinned beacon round
/// is still published after the commitment deadline's day.
fn fit_deadline_moved(r: &mut Review, event: &Event, d: &DeadlineMoved) -> Result<(), DomainError> {
    let current = r.deadline(d.step).ok_or_else(|| {
        phase(
            "no_reveal_deadline",
            "the review was opened without a reveal deadline: its draw waits for the commitment deadline",
            vec![],
        )
    })?;
    if after_deadline(event, current) {
        return Err(phase(
            "deadline_step_past",
            format!("the {}_deadline ({current}) has passed", d.step.key()),
            vec![
                ("step", d.step.key().to_owned()),
                ("date", current.to_string()),
            ],
        ));
    }
    let done = match d.step {
        Step::Commit => r.drawn.is_some() || !r.reveals.is_empty(),
        Step::Reveal => r.drawn.is_some(),
        Step::Dossier | Step::Response => false,
    };
    if done {
        return Err(phase(
            "deadline_step_done",
            format!("the step closed by the {}_deadline is over", d.step.key()),
            vec![("step", d.step.key().to_owned())],
        ));
    }
    super::decide::not_past(d.step, d.deadline, event.time_ms)?;
    if d.deadline == current {
        return Err(refuse_with(
            "yearend_deadline_unchanged",
            format!("the {}_deadline is already {current}", d.step.key()),
            vec![
                ("step", d.step.key().to_owned()),
                ("date", current.to_string()),
            ],
        ));
    }
    let mut moved = r.schedule.clone();
    match d.step {
        Step::Dossier => moved.dossier_deadline = d.deadline,
        Step::Commit => moved.commit_deadline = d.deadline,
        Step::Reveal => moved.reveal_deadline = Some(d.deadline),
        Step::Response => moved.response_deadline = d.deadline,
    }
    super::decide::check_order(&moved)?;
    if d.step == Step::Commit {
        let closes = d.deadline.succ_opt().map(local_midnight);
        let published = r.beacon.as_ref().and_then(PinnedBeacon::time);
        if let (Some(t), Some(c)) = (published, closes) {
            if t < c {
                return Err(refuse_with(
                    "yearend_deadline_after_beacon",
                    "the pinned beacon round is published before the end of the new commitment deadline",
                    vec![(
                        "date",
                        local_date(t.timestamp_millis()).to_string(),
                    )],
                ));
            }
        }
    }
    r.schedule = moved;
    Ok(())
}

/// A beacon is pinned before any unit commits, on a supported network, for a round published
/// after the commitment deadline's day (Vietnam time), so nobody knows its value while
/// committing.
fn fit_beacon_pinned(r: &mut Review, d: &BeaconPinned) -> Result<(), DomainError> {
    not_drawn(r)?;
    if r.beacon.is_some() {
        return Err(phase(
            "beacon_already_pinned",
            "a beacon round is already pinned",
            vec![],
        ));
    }
    if !r.commitments.is_empty() {
        return Err(phase(
            "beacon_after_commitments",
            "a beacon is pinned before any unit commits to its seed",
            vec![],
        ));
    }
    let network = beacon::network(&d.chain).ok_or_else(|| {
        refuse(
            "yearend_beacon_network",
            format!("unknown beacon network {}", d.chain),
        )
    })?;
    let closes = r.schedule.commit_deadline.succ_opt().map(local_midnight);
    if network
        .round_time(d.round)
        .zip(closes)
        .is_none_or(|(t, c)| t < c)
    {
        return Err(refuse(
            "yearend_beacon_too_early",
            format!(
                "round {} is published before the end of the commitment deadline ({}); the first round after it is {}",
                d.round,
                r.schedule.commit_deadline.format("%d/%m/%Y"),
                closes.map_or(0, |c| network.first_round_at(c)),
            ),
        ));
    }
    r.beacon = Some(PinnedBeacon {
        chain: d.chain.clone(),
        round: d.round,
        signature: None,
    });
    Ok(())
}

/// The pinned round's signature, verified against the network's public key.
fn fit_beacon_recorded(r: &mut Review, d: &BeaconRecorded) -> Result<(), DomainError> {
    not_drawn(r)?;
    let Some(b) = r.beacon.as_mut() else {
        return Err(phase(
            "beacon_not_pinned",
            "no beacon round is pinned",
            vec![],
        ));
    };
    if b.signature.is_some() {
        return Err(phase(
            "beacon_already_recorded",
            "the beacon round is already recorded",
            vec![],
        ));
    }
    if d.round != b.round {
        return Err(phase(
            "beacon_other_round",
            format!("the pinned round is {}", b.round),
            vec![("round", b.round.to_string())],
        ));
    }
    b.network()
        .verify(d.round, &d.signature)
        .map_err(|e| refuse("yearend_beacon_invalid", e.to_string()))?;
    b.signature = Some(d.signature.clone());
    Ok(())
}

/// Reveals close when the pinned beacon round is published: the last unit to reveal must not
/// know the beacon's value.
fn beacon_not_out(r: &Review, event: &Event) -> Result<(), DomainError> {
    match &r.beacon {
        Some(b)
            if b.time()
                .is_some_and(|t| event.time_ms >= t.timestamp_millis()) =>
        {
            Err(phase(
                "reveals_closed_by_beacon",
                format!(
                    "reveals closed when the pinned beacon round {} was published",
                    b.round
                ),
                vec![("round", b.round.to_string())],
            ))
        }
        _ => Ok(()),
    }
}

fn after_deadline(event: &Event, deadline: NaiveDate) -> bool {
    deadline_passed(deadline, event.time_ms)
}

fn member(review: &Review, unit: &UnitId) -> Result<(), DomainError> {
    if review.is_member(unit) {
        Ok(())
    } else {
        Err(refuse(
            "yearend_not_member",
            format!("{unit} is not a member of the cluster in {}", review.year),
        ))
    }
}

fn unlocked(review: &Review) -> Result<(), DomainError> {
    if review.locked_at.is_some() {
        return Err(refuse("yearend_locked", "the year's scores are locked"));
    }
    Ok(())
}

fn not_drawn(review: &Review) -> Result<(), DomainError> {
    if review.drawn.is_some() {
        return Err(phase(
            "already_drawn",
            "the assignment was already drawn",
            vec![],
        ));
    }
    Ok(())
}

impl State {
    /// The open year-end review of a covenant.
    pub fn review(&self, covenant: &CovenantId) -> Result<&Arc<Review>, DomainError> {
        self.yearend.reviews.get(covenant).ok_or_else(|| {
            refuse(
                "yearend_not_open",
                format!("the year-end review of {covenant} is not open"),
            )
        })
    }

    /// Applies a year-end event after checking that it fits.
    pub(crate) fn apply_yearend(
        &mut self,
        event: &Event,
        e: &YearEndEvent,
    ) -> Result<(), DomainError> {
        if let YearEndEvent::YearEndOpened(o) = e {
            let review = self.open_review(event, o)?;
            self.yearend
                .reviews
                .insert(o.covenant.clone(), Arc::new(review));
            return Ok(());
        }
        let mut review = Review::clone(self.review(e.covenant())?);
        self.fit(&mut review, event, e)?;
        self.yearend
            .reviews
            .insert(e.covenant().clone(), Arc::new(review));
        Ok(())
    }

    fn open_review(&self, event: &Event, o: &YearEndOpened) -> Result<Review, DomainError> {
        if self.yearend.reviews.contains_key(&o.covenant) {
            return Err(refuse("yearend_already_open", "the review is already open"));
        }
        if !(1..=2).contains(&o.inspectors) {
            return Err(DomainError::InvalidValue {
                field: "inspectors",
                reason: "1 or 2".into(),
            });
        }
        if !(o.dossier_deadline <= o.response_deadline && o.commit_deadline <= o.response_deadline)
        {
            return Err(DomainError::InvalidValue {
                field: "response_deadline",
                reason: "after the dossier and commitment deadlines".into(),
            });
        }
        if let Some(reveal) = o.reveal_deadline {
            if !(o.commit_deadline <= reveal && reveal <= o.response_deadline) {
                return Err(DomainError::InvalidValue {
                    field: "reveal_deadline",
                    reason: "from the commitment deadline to the response deadline".into(),
                });
            }
        }
        let c = self.covenant(&o.covenant)?;
        let mut members = self.members(&c.cluster, c.year)?.to_vec();
        members.sort();
        Ok(Review {
            schedule: o.clone(),
            opened_at: event.index,
            cluster: c.cluster.clone(),
            year: c.year,
            members,
            criteria: criteria_of(self, &o.covenant)?,
            dossiers: BTreeMap::new(),
            conflicts: Vec::new(),
            commitments: BTreeMap::new(),
            reveals: BTreeMap::new(),
            drawn: None,
            decided: None,
            records: BTreeMap::new(),
            findings: Vec::new(),
            finding_times: BTreeMap::new(),
            responses: BTreeMap::new(),
            resolutions: Vec::new(),
            eligibility: BTreeMap::new(),
            locked_at: None,
            cutoff_ties: BTreeMap::new(),
            beacon: None,
            published: None,
        })
    }

    /// Checks that an event (other than the opening) fits the review, and applies it to `r`.
    fn fit(&self, r: &mut Review, event: &Event, e: &YearEndEvent) -> Result<(), DomainError> {
        use YearEndEvent as E;
        if !matches!(e, E::ResultsPublished(_) | E::CutoffTieDecided(_)) {
            unlocked(r)?;
        }
        match e {
            E::YearEndOpened(_) => unreachable!("handled by open_review"),
            E::DossierSaved(d) => fit_dossier_saved(r, event, d),
            E::DossierSubmitted(d) => fit_dossier_submitted(r, event, d),
            E::ConflictDeclared(d) => fit_conflict(r, event, d),
            E::SeedCommitted(d) => fit_seed_committed(r, event, d),
            E::SeedRevealed(d) => fit_seed_revealed(r, event, d),
            E::AssignmentDrawn(d) => fit_drawn(self, r, event, d),
            E::AssignmentDecided(d) => fit_decided(r, event, d),
            E::BeaconPinned(d) => fit_beacon_pinned(r, d),
            E::BeaconRecorded(d) => fit_beacon_recorded(r, d),
            E::DeadlineMoved(d) => fit_deadline_moved(r, event, d),
            E::RecordsDeclared(d) => fit_records(r, d),
            E::FindingSubmitted(d) => fit_finding(r, event, d),
            E::ResponseSubmitted(d) => fit_response(r, event, d),
            E::DisputeResolved(d) => fit_resolution(r, event, d),
            E::EligibilityRecorded(d) => fit_eligibility(r, d),
            E::YearEndLocked(_) => fit_lock(r, event),
            E::CutoffTieDecided(d) => fit_cutoff_tie(r, event, d),
            E::ResultsPublished(d) => fit_published(r, event, d),
        }
    }
}

fn join(units: &[UnitId]) -> String {
    units
        .iter()
        .map(UnitId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_entries(r: &Review, entries: &BTreeMap<String, DossierEntry>) -> Result<(), DomainError> {
    for (id, entry) in entries {
        check_points(r.manual_criterion(id)?, entry.score.0)?;
    }
    Ok(())
}

pub(crate) fn check_points(c: &CriterionInfo, score: Decimal) -> Result<(), DomainError> {
    if score.is_sign_negative() && !score.is_zero() || score > c.max {
        return Err(refuse_with(
            "yearend_score_out_of_range",
            format!("{}: a score from 0 to {}", c.id, c.max.normalize()),
            vec![
                ("criterion", c.id.clone()),
                ("max", c.max.normalize().to_string()),
            ],
        ));
    }
    Ok(())
}

/// A member's next revision, by the dossier deadline, of manual criteria within their points.
fn fit_dossier_saved(r: &mut Review, event: &Event, d: &DossierSaved) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    before_deadline(event, r.schedule.dossier_deadline, Step::Dossier)?;
    check_entries(r, &d.entries)?;
    let dossier = r.dossiers.entry(d.unit.clone()).or_default();
    if d.revision != dossier.revision + 1 {
        return Err(refuse(
            "yearend_stale_revision",
            format!("expected revision {}", dossier.revision + 1),
        ));
    }
    dossier.revision = d.revision;
    dossier.entries = d.entries.clone();
    Ok(())
}

/// A member's complete, justified dossier, submitted by the dossier deadline.
fn fit_dossier_submitted(
    r: &mut Review,
    event: &Event,
    d: &DossierSubmitted,
) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    before_deadline(event, r.schedule.dossier_deadline, Step::Dossier)?;
    check_entries(r, &d.entries)?;
    let missing: Vec<&str> = r
        .criteria
        .iter()
        .filter(|c| c.manual && !d.entries.contains_key(&c.id))
        .map(|c| c.id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(refuse(
            "yearend_dossier_incomplete",
            format!("no self-score for {}", missing.join(", ")),
        ));
    }
    if let Some((id, _)) = d
        .entries
        .iter()
        .find(|(_, e)| e.justification.as_str().trim().is_empty())
    {
        return Err(refuse(
            "yearend_justification_missing",
            format!("{id} needs a justification"),
        ));
    }
    let dossier = r.dossiers.entry(d.unit.clone()).or_default();
    dossier.submitted = Some((d.revision, d.entries.clone(), event.index));
    Ok(())
}

/// Two distinct member units in conflict, declared before the draw.
fn fit_conflict(r: &mut Review, event: &Event, d: &ConflictDeclared) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    member(r, &d.other)?;
    not_drawn(r)?;
    if d.unit == d.other {
        return Err(DomainError::InvalidValue {
            field: "other",
            reason: "another unit".into(),
        });
    }
    r.conflicts.push((d.clone(), event.index));
    Ok(())
}

/// A member's one commitment, by the commitment deadline and before any reveal.
fn fit_seed_committed(r: &mut Review, event: &Event, d: &SeedCommitted) -> Result<(), DomainError> {
    super::error::hex32("commitment", &d.commitment)?;
    member(r, &d.unit)?;
    not_drawn(r)?;
    before_deadline(event, r.schedule.commit_deadline, Step::Commit)?;
    if !r.reveals.is_empty() {
        return Err(phase(
            "commitments_closed",
            "reveals have started; commitments are closed",
            vec![],
        ));
    }
    if r.commitments.contains_key(&d.unit) {
        return Err(phase(
            "already_committed",
            "the unit has already committed",
            vec![],
        ));
    }
    r.commitments.insert(d.unit.clone(), d.commitment.clone());
    Ok(())
}

/// A committed member's one reveal, once reveals are open and before the beacon is out; the
/// value matches the commitment.
fn fit_seed_revealed(r: &mut Review, event: &Event, d: &SeedRevealed) -> Result<(), DomainError> {
    super::error::hex32("value", &d.value)?;
    member(r, &d.unit)?;
    not_drawn(r)?;
    let all_in = r.commitments.len() == r.members.len();
    if !all_in && !after_deadline(event, r.schedule.commit_deadline) {
        return Err(phase(
            "reveals_not_open",
            "reveals open when every unit has committed or the commitment deadline has passed",
            vec![("date", r.schedule.commit_deadline.to_string())],
        ));
    }
    let Some(c) = r.commitments.get(&d.unit) else {
        return Err(phase(
            "no_commitment",
            "the unit made no commitment",
            vec![],
        ));
    };
    if r.reveals.contains_key(&d.unit) {
        return Err(phase(
            "already_revealed",
            "the unit has already revealed",
            vec![],
        ));
    }
    if let Some(deadline) = r.schedule.reveal_deadline {
        before_deadline(event, deadline, Step::Reveal)?;
    }
    beacon_not_out(r, event)?;
    if draw::commitment(r.schedule.covenant.as_str(), &d.unit, &d.value) != *c {
        return Err(refuse(
            "yearend_commitment_mismatch",
            "the value does not match the unit's commitment",
        ));
    }
    r.reveals.insert(d.unit.clone(), d.value.clone());
    Ok(())
}

/// The one draw, when the reveals (and the pinned beacon) are in, equal to the draw recomputed
/// from the log.
fn fit_drawn(
    state: &State,
    r: &mut Review,
    event: &Event,
    d: &AssignmentDrawn,
) -> Result<(), DomainError> {
    not_drawn(r)?;
    r.draw_ready(event.time_ms)?;
    let expected = compute_draw(state, r);
    if *d != expected {
        return Err(refuse(
            "yearend_draw_mismatch",
            format!(
                "the draw recomputed from the log gives seed {} and order [{}]",
                expected.seed,
                join(&expected.order)
            ),
        ));
    }
    r.drawn = Some((d.clone(), event.index));
    Ok(())
}

/// Whether the draw may run: every member committed and revealed; or, once the commitment
/// deadline has passed, nobody can add a reveal any more: every unit that committed revealed,
/// the reveal deadline has passed, or the pinned beacon's round is out (its value recorded).
/// A review opened without a reveal deadline (format 1 of `year_end_opened`) waits only for
/// the commitment deadline, as it did.
fn reveals_done(r: &Review, time_ms: i64) -> Result<(), DomainError> {
    let s = &r.schedule;
    let all_revealed = r.commitments.len() == r.members.len() && r.reveals.len() == r.members.len();
    let reveals_closed = |reveal| {
        r.reveals.len() == r.commitments.len()
            || deadline_passed(reveal, time_ms)
            || r.beacon.as_ref().is_some_and(|b| b.signature.is_some())
    };
    let commitments_closed = deadline_passed(s.commit_deadline, time_ms);
    let ready = all_revealed
        || match s.reveal_deadline {
            None => commitments_closed,
            Some(reveal) => commitments_closed && reveals_closed(reveal),
        };
    if ready {
        return Ok(());
    }
    Err(match s.reveal_deadline {
        None => phase(
            "draw_waits_commitments",
            "the draw waits for every reveal or the commitment deadline",
            vec![("date", s.commit_deadline.to_string())],
        ),
        Some(reveal) => phase(
            "draw_waits_reveals",
            format!(
                "the draw waits for every committed unit's reveal or the reveal deadline ({})",
                reveal.format("%d/%m/%Y")
            ),
            vec![("date", reveal.to_string())],
        ),
    })
}

/// The secretariat's one assignment after a draw that found none: k inspectors for every member.
fn fit_decided(r: &mut Review, event: &Event, d: &AssignmentDecided) -> Result<(), DomainError> {
    let Some((drawn, _)) = &r.drawn else {
        return Err(phase(
            "decide_before_draw",
            "the secretariat decides only after a draw that found no assignment",
            vec![],
        ));
    };
    if drawn.infeasible.is_none() || r.decided.is_some() {
        return Err(phase(
            "draw_found_assignment",
            "the draw found an assignment; nobody chooses another",
            vec![],
        ));
    }
    let k = usize::from(r.schedule.inspectors);
    for p in &d.pairs {
        member(r, &p.inspector)?;
        member(r, &p.inspected)?;
        if p.inspector == p.inspected {
            return Err(refuse(
                "yearend_assignment_invalid",
                "a unit cannot inspect itself",
            ));
        }
    }
    for u in &r.members {
        let n = d.pairs.iter().filter(|p| &p.inspected == u).count();
        if n != k {
            return Err(refuse(
                "yearend_assignment_invalid",
                format!("{u} must be inspected by {k} unit(s), not {n}"),
            ));
        }
    }
    r.decided = Some((d.clone(), event.index));
    Ok(())
}

/// A member's source records for the re-check, declared before the draw.
fn fit_records(r: &mut Review, d: &RecordsDeclared) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    not_drawn(r)?;
    r.records.insert(d.unit.clone(), d.clone());
    Ok(())
}

/// An assigned inspector's one set of findings on a frozen dossier, each item consistent.
fn fit_finding(r: &mut Review, event: &Event, d: &FindingSubmitted) -> Result<(), DomainError> {
    if !r
        .pairs()
        .iter()
        .any(|p| p.inspector == d.inspector && p.inspected == d.inspected)
    {
        return Err(refuse(
            "yearend_not_assigned",
            format!("{} does not inspect {}", d.inspector, d.inspected),
        ));
    }
    let frozen = r
        .dossiers
        .get(&d.inspected)
        .is_some_and(|x| x.submitted.is_some())
        || after_deadline(event, r.schedule.dossier_deadline);
    if !frozen {
        return Err(phase(
            "dossier_not_frozen",
            "the dossier is neither submitted nor frozen by its deadline yet",
            vec![("date", r.schedule.dossier_deadline.to_string())],
        ));
    }
    if r.finding(&d.inspector, &d.inspected).is_some() {
        return Err(refuse(
            "yearend_finding_exists",
            "the findings were already submitted",
        ));
    }
    for (id, item) in &d.items {
        let c = r.criterion(id)?;
        let invalid = |why: &str| refuse("yearend_finding_invalid", format!("{id}: {why}"));
        match (item.verdict, c.manual, item.score) {
            (Verdict::Agree, _, None) => {}
            (Verdict::Propose, true, Some(s)) => check_points(c, s.0)?,
            (Verdict::Dispute, false, None) => {}
            (Verdict::Propose, false, _) => {
                return Err(invalid(
                    "a computed criterion's figures are disputed, not rescored",
                ))
            }
            (Verdict::Dispute, true, _) => {
                return Err(invalid("propose a score for a manual criterion"))
            }
            _ => return Err(invalid("a score goes with a proposal only")),
        }
        if item.verdict != Verdict::Agree
            && item
                .reason
                .as_ref()
                .is_none_or(|t| t.as_str().trim().is_empty())
        {
            return Err(invalid("a reason is needed"));
        }
    }
    if let Some(rc) = &d.recheck {
        check_recheck_counts(rc)?;
    }
    r.findings.push((d.clone(), event.index));
    r.finding_times.insert(event.index, event.time_ms);
    Ok(())
}

/// A re-check's counts: at least one record checked, no more correct than checked. (Whether
/// they fit the records drawn is `decide`'s: see [`super::decide::check_recheck`].)
pub(crate) fn check_recheck_counts(rc: &Recheck) -> Result<(), DomainError> {
    if rc.correct > rc.checked || rc.checked == 0 {
        return Err(refuse_with(
            "yearend_recheck_invalid",
            format!(
                "re-check: 0 < correct ≤ checked ({} of {})",
                rc.correct, rc.checked
            ),
            vec![
                ("checked", rc.checked.to_string()),
                ("correct", rc.correct.to_string()),
            ],
        ));
    }
    Ok(())
}

/// A member's one response, by the response deadline, to disputed criteria only.
fn fit_response(r: &mut Review, event: &Event, d: &ResponseSubmitted) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    before_deadline(event, r.schedule.response_deadline, Step::Response)?;
    if r.responses.contains_key(&d.unit) {
        return Err(phase(
            "already_answered",
            "the unit has already answered",
            vec![],
        ));
    }
    let disputed = r.disputed(&d.unit);
    for id in d.answers.keys() {
        if !disputed.contains(id) {
            return Err(refuse(
                "yearend_not_disputed",
                format!("{id} is not disputed"),
            ));
        }
    }
    r.responses.insert(d.unit.clone(), (d.clone(), event.index));
    Ok(())
}

/// The council's resolution of a disputed criterion, after the response or its deadline.
fn fit_resolution(r: &mut Review, event: &Event, d: &DisputeResolved) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    let c = r.criterion(&d.criterion)?.clone();
    if !r.disputed(&d.unit).contains(&d.criterion) {
        return Err(refuse(
            "yearend_not_disputed",
            format!("{} is not disputed", d.criterion),
        ));
    }
    if !r.responses.contains_key(&d.unit) && !after_deadline(event, r.schedule.response_deadline) {
        return Err(phase(
            "resolve_before_response",
            "the council resolves after the unit's response or its deadline",
            vec![("date", r.schedule.response_deadline.to_string())],
        ));
    }
    match (c.manual, d.score) {
        (true, Some(s)) => check_points(&c, s.0)?,
        (false, None) => {}
        (true, None) => {
            return Err(refuse(
                "yearend_resolution_score_missing",
                "a manual criterion's resolution gives its score",
            ))
        }
        (false, Some(_)) => {
            return Err(refuse(
                "yearend_not_manual",
                "a computed criterion keeps the engine's score",
            ))
        }
    }
    r.resolutions.push((d.clone(), event.index));
    Ok(())
}

/// A member's eligibility (a later record replaces an earlier one).
fn fit_eligibility(r: &mut Review, d: &EligibilityRecorded) -> Result<(), DomainError> {
    member(r, &d.unit)?;
    r.eligibility.insert(d.unit.clone(), d.clone());
    Ok(())
}

/// The lock, once every assigned finding is in and every dispute settled.
fn fit_lock(r: &mut Review, event: &Event) -> Result<(), DomainError> {
    lock_ready(r)?;
    r.locked_at = Some(event.index);
    Ok(())
}

/// Whether the review is ready to lock: an assignment, every finding submitted, every dispute
/// settled. Checked when the lock is applied (and so at replay); the page asks it too, before
/// offering the lock.
pub fn lock_ready(r: &Review) -> Result<(), DomainError> {
    if !r.has_assignment() {
        return Err(phase("no_assignment", "there is no assignment yet", vec![]));
    }
    let missing: Vec<String> = r
        .pairs()
        .iter()
        .filter(|p| r.finding(&p.inspector, &p.inspected).is_none())
        .map(|p| format!("{} → {}", p.inspector, p.inspected))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(
            "yearend_findings_missing",
            format!("findings missing: {}", missing.join(", ")),
        ));
    }
    let open: Vec<String> = r
        .members
        .iter()
        .flat_map(|u| {
            r.disputed(u)
                .into_iter()
                .filter(|c| r.settlement(u, c) == Settlement::Open)
                .map(move |c| format!("{u}/{c}"))
        })
        .collect();
    if !open.is_empty() {
        return Err(refuse(
            "yearend_not_settled",
            format!("disputes not settled: {}", open.join(", ")),
        ));
    }
    Ok(())
}

/// One decision per band's tie, on member units, after the lock and before publication.
fn fit_cutoff_tie(r: &mut Review, event: &Event, d: &CutoffTieDecided) -> Result<(), DomainError> {
    // Which units may keep the band is the engine's business (`score::results`,
    // checked when deciding and by the audit); here: the phase and the members.
    if r.locked_at.is_none() || r.published.is_some() {
        return Err(phase(
            "tie_outside_lock",
            "ties are decided after the lock and before publication",
            vec![],
        ));
    }
    for u in &d.units {
        member(r, u)?;
    }
    if r.cutoff_ties.contains_key(&d.band) {
        return Err(phase(
            "tie_already_decided",
            "this band's tie was already decided",
            vec![],
        ));
    }
    r.cutoff_ties
        .insert(d.band.clone(), (d.clone(), event.index));
    Ok(())
}

/// The one publication, after the lock.
fn fit_published(r: &mut Review, event: &Event, d: &ResultsPublished) -> Result<(), DomainError> {
    // The numbers are not recomputed here (the engine is the audit's business, see
    // `yearend::audit`): a publication that differs is reported by `thidua verify`.
    if r.locked_at.is_none() {
        return Err(refuse(
            "yearend_not_locked",
            "the scores are not locked yet",
        ));
    }
    if r.published.is_some() {
        return Err(refuse(
            "yearend_published",
            "the results were already published",
        ));
    }
    r.published = Some((d.clone(), event.index));
    Ok(())
}
