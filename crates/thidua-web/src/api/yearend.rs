//! The year-end review over the API: the review of a covenant as the caller may read it
//! ([`ReviewDto`], filtered by [`crate::authz`]'s year-end rules, the same that govern the
//! log's events), the cluster's results ([`ResultsDto`]: breakdown, self vs final, assignment
//! and seed, council flags, whether a witnessed checkpoint covers the publication), and the
//! year-end commands (`POST …/yearend`, the domain's `YearEndCommand`, decided by the domain
//! like any command). The web pages show exactly these shapes.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use axum::Json;
use rust_decimal::Decimal;
use serde::Serialize;
use thidua_domain::figures::canonical_decimal;
use thidua_domain::yearend::rules;
use thidua_domain::yearend::score::{self, data_id, scoreboard, Scores};
use thidua_domain::yearend::state::{last_year_pairs, Dossier, Settlement};
use thidua_domain::yearend::{
    draw, stats, Breach, DossierEntry, FindingItem, Recheck, Review, Rule, Step, Verdict,
    YearEndCommand,
};
use thidua_domain::{Command, CovenantId, State as DomainState, UnitId};
use utoipa::ToSchema;

use super::dto::{unit_ref, ReceiptDto, UnitRef};
use super::extract::ApiJson;
use super::figures::visible_covenant;
use super::{execute, parse_id};
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

/// The language of the explanations in the year-end API's JSON: Vietnamese (the year-end pages
/// ask for theirs in the page's language).
pub(crate) const API_LANG: crate::i18n::Lang = crate::i18n::Lang::Vi;

/// A decimal in its canonical text form.
fn dec(d: &Decimal) -> String {
    canonical_decimal(d)
}

#[derive(Serialize, ToSchema)]
pub struct ScheduleDto {
    pub dossier_deadline: String,
    pub commit_deadline: String,
    /// Last day to reveal (absent for a review opened before reveal deadlines existed: its
    /// draw waited only for the commitment deadline).
    pub reveal_deadline: Option<String>,
    pub response_deadline: String,
    pub inspectors: u8,
    pub record_sample: u32,
    /// The steps whose deadline has passed by the server's clock, in the schedule's order
    /// (`dossier`, `commit`, `reveal`, `response`): their commands are refused from then on.
    pub past: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CriterionDto {
    pub id: String,
    pub name: String,
    pub max: String,
    /// Self-assessed (else computed by the engine from the approved figures).
    pub manual: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub unit: UnitRef,
    /// `none`, `draft` (the unit's own view only) or `submitted`.
    pub dossier: String,
    pub committed: bool,
    pub revealed: bool,
    /// Declared source records, if any.
    pub records: Option<u32>,
    pub eligible: bool,
    /// One of the viewer's units.
    pub own: bool,
    /// The viewer leads this unit.
    pub led: bool,
}

#[derive(Serialize, ToSchema)]
pub struct EntryDto {
    pub criterion: String,
    pub score: String,
    pub justification: String,
    pub evidence: Vec<EvidenceDto>,
}

/// An evidence file of a dossier entry.
#[derive(Clone, Serialize, ToSchema)]
pub struct EvidenceDto {
    pub name: String,
    pub sha256: String,
    pub media_type: String,
    pub size: u64,
}

#[derive(Serialize, ToSchema)]
pub struct DossierDto {
    pub unit: UnitRef,
    pub revision: u32,
    pub submitted: bool,
    /// The revision the unit's leader submitted, if any: below `revision` when the unit (which
    /// alone reads its working draft) saved changes after submitting that are not submitted.
    pub submitted_revision: Option<u32>,
    pub entries: Vec<EntryDto>,
}

#[derive(Serialize, ToSchema)]
pub struct DrawDto {
    pub index: u64,
    pub seed: String,
    /// The members whose committed seed was never revealed (left out of the seed).
    pub missing: Vec<UnitRef>,
    pub order: Vec<UnitRef>,
    pub redraws: u32,
    pub relaxed: Vec<String>,
    pub searched: bool,
    pub infeasible: Option<String>,
    /// The secretariat's recorded decision when the draw found none.
    pub decision: Option<String>,
    /// The rules of the draw the secretariat's decision breaks, acknowledged when it decided:
    /// `rule` is `conflict`, `mutual` or `last_year`.
    pub acknowledged: Vec<BreachDto>,
    /// When the draw found no assignment: the members whose declared conflicts leave fewer
    /// than 2k units they may meet (so no cycle can place them), with how many are left.
    pub blockers: Vec<BlockerDto>,
    /// Last year's inspections the draw avoided (and their reverse), between this year's
    /// members: carried through the lineage for a review opened in format 3
    /// ([`thidua_domain::yearend::state::last_year_pairs`]), inspector first.
    pub last_year: Vec<(UnitRef, UnitRef)>,
    /// For each of `last_year`, in its order: the pairs of last year (the review's year − 1)
    /// it was carried from through a merger, as they were, inspector first
    /// ([`thidua_domain::yearend::rules::carried_origins`]: Cà Mau → Hậu Giang for Cà Mau →
    /// Cần Thơ); empty for a pair that is last year's unchanged.
    pub last_year_carried_from: Vec<Vec<(UnitRef, UnitRef)>>,
}

/// A rule of the draw a decided pair breaks.
#[derive(Serialize, ToSchema)]
pub struct BreachDto {
    /// `conflict`, `mutual` or `last_year`.
    pub rule: String,
    pub inspector: UnitRef,
    pub inspected: UnitRef,
    /// For `last_year`: the pairs of last year it was carried from through a merger, as they
    /// were, inspector first ([`thidua_domain::yearend::rules::carried_origins`]); empty for
    /// last year's pair unchanged and for the other rules.
    pub carried_from: Vec<(UnitRef, UnitRef)>,
}

/// A member no assignment can place: the units its conflicts leave it, of the 2k it needs.
#[derive(Serialize, ToSchema)]
pub struct BlockerDto {
    pub unit: UnitRef,
    pub left: usize,
    pub needed: usize,
}

/// The public beacon round pinned for the draw (drand quicknet), and its value once recorded.
#[derive(Serialize, ToSchema)]
pub struct BeaconDto {
    /// The network's chain hash.
    pub chain: String,
    pub round: u64,
    /// When the round is published (RFC 3339, UTC); reveals close then.
    pub published_at: String,
    /// Where anyone fetches the round from drand to check it.
    pub url: String,
    /// The round's signature and the value mixed into the seed (its SHA-256), once recorded.
    pub signature: Option<String>,
    pub value: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PairDto {
    pub inspector: UnitRef,
    pub inspected: UnitRef,
    pub submitted: bool,
    /// The viewer's unit inspects here (and may submit findings as its leader).
    pub mine: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ItemDto {
    pub criterion: String,
    pub verdict: String,
    pub score: Option<String>,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RecheckDto {
    pub checked: u32,
    pub correct: u32,
    /// Wilson 95% interval and estimate of the recording rate (decimals, 0–1).
    pub low: String,
    pub estimate: String,
    pub high: String,
}

#[derive(Serialize, ToSchema)]
pub struct FindingDto {
    pub inspector: UnitRef,
    pub inspected: UnitRef,
    pub items: Vec<ItemDto>,
    pub recheck: Option<RecheckDto>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordsDto {
    pub unit: UnitRef,
    pub population: u32,
    pub description: String,
    /// The record numbers the seed draws for re-checking (after the draw).
    pub numbers: Vec<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct DisputeDto {
    pub unit: UnitRef,
    pub criterion: String,
    pub manual: bool,
    pub self_score: Option<String>,
    pub proposals: Vec<String>,
    /// `open`, `accepted` or `resolved`.
    pub status: String,
    pub final_score: Option<String>,
    /// The unit's answer (none when it accepted the proposal without words).
    pub answer: Option<String>,
    pub accepted: bool,
    pub resolution: Option<String>,
}

/// The year-end review of a covenant as the caller may read it.
#[derive(Serialize, ToSchema)]
pub struct ReviewDto {
    pub covenant: String,
    pub title: String,
    pub cluster: String,
    pub year: i32,
    pub open: bool,
    pub schedule: Option<ScheduleDto>,
    /// The viewer acts as this cluster's secretariat (or administers).
    pub manage: bool,
    pub criteria: Vec<CriterionDto>,
    pub members: Vec<MemberDto>,
    pub conflicts: Vec<(UnitRef, UnitRef, String)>,
    /// The public beacon round pinned for the draw, if any.
    pub beacon: Option<BeaconDto>,
    pub draw: Option<DrawDto>,
    pub pairs: Vec<PairDto>,
    pub dossiers: Vec<DossierDto>,
    pub findings: Vec<FindingDto>,
    pub records: Vec<RecordsDto>,
    pub disputes: Vec<DisputeDto>,
    /// Units tied at a band's quota cut-off (after the lock, before publication).
    pub ties: Vec<TieDto>,
    /// For each unit the viewer's unit inspects: the engine's scores of its criteria from the
    /// approved figures and its self-scores, with the explanations.
    pub computed: Vec<BreakdownDto>,
    /// The integrity flags on the approved figures of the units the viewer's units inspect
    /// (the flags page's rule: a unit's inspectors read its flags).
    pub inspected_flags: Vec<crate::api::flags::FlagDto>,
    /// The viewer leads the cluster's head unit (which decides those ties).
    pub head: bool,
    pub locked: bool,
    pub published: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TieDto {
    pub band: String,
    pub band_name: String,
    pub units: Vec<UnitRef>,
    /// How many of them the quota leaves room for.
    pub seats: usize,
    /// The head's decision: the units kept in the band, and why.
    pub decided: Option<(Vec<UnitRef>, String)>,
}

/// The beacon round pinned for the draw, where to fetch it, and its value once recorded.
fn beacon_dto(review: &Review) -> Option<BeaconDto> {
    let b = review.beacon.as_ref()?;
    Some(BeaconDto {
        url: format!("https://api.drand.sh/{}/public/{}", b.chain, b.round),
        chain: b.chain.clone(),
        round: b.round,
        published_at: b.time().map(|t| t.to_rfc3339()).unwrap_or_default(),
        signature: b.signature.clone(),
        value: b.value(),
    })
}

/// The draw's seed as bytes, once drawn.
fn seed_bytes(review: &Review) -> Option<[u8; 32]> {
    let (d, _) = review.drawn.as_ref()?;
    hex::decode(&d.seed).ok()?.try_into().ok()
}

/// The review of `id` as `scope` may read it (`app` remembers the integrity flags it shows),
/// its explanations in `lang`, its deadlines judged at `now_ms` (the service's clock).
pub fn review_dto(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    lang: crate::i18n::Lang,
    now_ms: i64,
) -> Result<ReviewDto, ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let title = c.latest().content.title.to_string();
    let manage = scope.manages(&c.cluster);
    let Some(review) = state.yearend.reviews.get(id) else {
        return Ok(unopened_review(id, c, title, manage));
    };
    let own = scope.own_units();
    let led = scope.led_units();
    let members = member_dtos(state, review, &own, &led);
    let dossiers = dossier_dtos(state, scope, review, &own);
    let pairs = review.pairs();
    let findings = finding_dtos(state, scope, review);
    let records = records_dtos(state, review);
    let disputes = dispute_dtos(state, scope, review);
    Ok(ReviewDto {
        covenant: id.to_string(),
        title,
        cluster: c.cluster.to_string(),
        year: c.year,
        open: true,
        schedule: Some(schedule_dto(review, now_ms)),
        manage,
        criteria: criterion_dtos(review),
        members,
        conflicts: conflict_dtos(state, review),
        beacon: beacon_dto(review),
        draw: draw_dto(state, review),
        pairs: pair_dtos(state, review, &pairs, &own),
        dossiers,
        findings,
        records,
        disputes,
        ties: ties(state, review),
        computed: computed(state, review, &pairs, &own, lang),
        inspected_flags: inspected_flags(app, state, scope, id, &pairs, &own),
        head: thidua_domain::yearend::cluster_head(state, id).is_ok_and(|h| led.contains(&h)),
        locked: review.locked_at.is_some(),
        published: review.published.is_some(),
    })
}

/// The review of a covenant whose year-end review is not open yet: its name only.
fn unopened_review(
    id: &CovenantId,
    c: &thidua_domain::state::Covenant,
    title: String,
    manage: bool,
) -> ReviewDto {
    ReviewDto {
        covenant: id.to_string(),
        title,
        cluster: c.cluster.to_string(),
        year: c.year,
        open: false,
        schedule: None,
        manage,
        criteria: vec![],
        members: vec![],
        conflicts: vec![],
        beacon: None,
        draw: None,
        pairs: vec![],
        dossiers: vec![],
        findings: vec![],
        records: vec![],
        disputes: vec![],
        ties: vec![],
        computed: vec![],
        inspected_flags: vec![],
        head: false,
        locked: false,
        published: false,
    }
}

/// The review's schedule: its deadlines, inspectors per unit and records re-checked.
fn schedule_dto(review: &Review, now_ms: i64) -> ScheduleDto {
    ScheduleDto {
        dossier_deadline: review.schedule.dossier_deadline.to_string(),
        commit_deadline: review.schedule.commit_deadline.to_string(),
        reveal_deadline: review.schedule.reveal_deadline.map(|d| d.to_string()),
        response_deadline: review.schedule.response_deadline.to_string(),
        inspectors: review.schedule.inspectors,
        record_sample: review.schedule.record_sample,
        past: Step::ALL
            .into_iter()
            .filter(|&step| review.past(step, now_ms))
            .map(|step| step.key().to_owned())
            .collect(),
    }
}

/// The criteria the review scores, each with its maximum and whether it is self-assessed.
fn criterion_dtos(review: &Review) -> Vec<CriterionDto> {
    review
        .criteria
        .iter()
        .map(|c| CriterionDto {
            id: c.id.clone(),
            name: c.name.clone(),
            max: dec(&c.max),
            manual: c.manual,
        })
        .collect()
}

/// The cluster's members by name, each with its progress (a draft shows to its own unit only).
fn member_dtos(
    state: &DomainState,
    review: &Review,
    own: &BTreeSet<&UnitId>,
    led: &BTreeSet<&UnitId>,
) -> Vec<MemberDto> {
    state
        .sorted_by_place(&review.members)
        .into_iter()
        .map(|m| {
            let mine = own.contains(&m.id);
            MemberDto {
                unit: unit_ref(state, &m.id),
                dossier: dossier_progress(review.dossiers.get(&m.id), mine).into(),
                committed: review.commitments.contains_key(&m.id),
                revealed: review.reveals.contains_key(&m.id),
                records: review.records.get(&m.id).map(|r| r.population),
                eligible: !review
                    .eligibility
                    .get(&m.id)
                    .is_some_and(|e| e.discipline_pending),
                own: own.contains(&m.id),
                led: led.contains(&m.id),
            }
        })
        .collect()
}

/// `submitted`, `draft` (shown only when `mine`: the unit's own) or `none`.
fn dossier_progress(dossier: Option<&Dossier>, mine: bool) -> &'static str {
    match dossier {
        Some(d) if d.submitted.is_some() => "submitted",
        Some(d) if d.revision > 0 && mine => "draft",
        _ => "none",
    }
}

/// The dossiers the viewer reads: a submitted one as the year-end rules allow, else (or when it
/// saved a newer revision after submitting) the current draft of its own unit — a draft is the
/// unit's own, from administrators too, as a report of figures not yet approved is.
fn dossier_dtos(
    state: &DomainState,
    scope: &Scope,
    review: &Review,
    own: &BTreeSet<&UnitId>,
) -> Vec<DossierDto> {
    review
        .members
        .iter()
        .filter_map(|m| {
            let d = review.dossiers.get(m)?;
            // The unit sees its working revision when it saved one after submitting (to submit
            // it again before the deadline); readers see what was submitted.
            let newer_draft = d
                .submitted
                .as_ref()
                .is_none_or(|(rev, ..)| d.revision > *rev);
            let (revision, entries, submitted) = match &d.submitted {
                _ if newer_draft && own.contains(m) => (d.revision, &d.entries, false),
                Some((rev, entries, _)) if scope.reads_dossier(review, m) => (*rev, entries, true),
                _ => return None,
            };
            Some(DossierDto {
                unit: unit_ref(state, m),
                revision,
                submitted,
                submitted_revision: d.submitted.as_ref().map(|(rev, ..)| *rev),
                entries: entries.iter().map(|(k, e)| entry_dto(k, e)).collect(),
            })
        })
        .collect()
}

/// One entry of a dossier: the self-score of `criterion`, its justification and evidence.
fn entry_dto(criterion: &str, e: &DossierEntry) -> EntryDto {
    EntryDto {
        criterion: criterion.to_owned(),
        score: dec(&e.score.0),
        justification: e.justification.to_string(),
        evidence: e
            .evidence
            .iter()
            .map(|f| EvidenceDto {
                name: f.name.to_string(),
                sha256: f.sha256.clone(),
                media_type: f.media_type.clone(),
                size: f.size,
            })
            .collect(),
    }
}

/// The findings the viewer reads (the year-end rules decide which).
fn finding_dtos(state: &DomainState, scope: &Scope, review: &Review) -> Vec<FindingDto> {
    review
        .findings
        .iter()
        .filter(|(f, _)| scope.reads_finding(review, &f.inspector, &f.inspected))
        .map(|(f, _)| FindingDto {
            inspector: unit_ref(state, &f.inspector),
            inspected: unit_ref(state, &f.inspected),
            items: f.items.iter().map(|(k, i)| item_dto(k, i)).collect(),
            recheck: f.recheck.and_then(recheck_dto),
        })
        .collect()
}

/// An inspector's verdict on `criterion`, with its proposed score and reason.
fn item_dto(criterion: &str, i: &FindingItem) -> ItemDto {
    ItemDto {
        criterion: criterion.to_owned(),
        verdict: match i.verdict {
            Verdict::Agree => "agree",
            Verdict::Propose => "propose",
            Verdict::Dispute => "dispute",
        }
        .into(),
        score: i.score.map(|s| dec(&s.0)),
        reason: i.reason.as_ref().map(|r| r.to_string()),
    }
}

/// A re-check of source records with the Wilson 95% interval of its rate (none if undefined).
fn recheck_dto(r: Recheck) -> Option<RecheckDto> {
    let (low, estimate, high) = stats::wilson95(r.correct, r.checked)?;
    Some(RecheckDto {
        checked: r.checked,
        correct: r.correct,
        low: dec(&low),
        estimate: dec(&estimate),
        high: dec(&high),
    })
}

/// The declared source records, with the numbers the seed draws for re-checking once drawn.
fn records_dtos(state: &DomainState, review: &Review) -> Vec<RecordsDto> {
    let seed = seed_bytes(review);
    review
        .records
        .values()
        .map(|r| RecordsDto {
            unit: unit_ref(state, &r.unit),
            population: r.population,
            description: r.description.to_string(),
            numbers: seed
                .map(|s| {
                    draw::sample_records(&s, &r.unit, r.population, review.schedule.record_sample)
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// The disputed criteria of the units whose disputes the viewer reads, in member order.
fn dispute_dtos(state: &DomainState, scope: &Scope, review: &Review) -> Vec<DisputeDto> {
    review
        .members
        .iter()
        .filter(|m| scope.reads_disputes(review, m))
        .flat_map(|m| {
            let selfs = review.self_scores(m);
            review
                .disputed(m)
                .into_iter()
                .map(move |criterion| (m, criterion, selfs.clone()))
        })
        .map(|(m, criterion, selfs)| dispute_dto(state, scope, review, m, criterion, &selfs))
        .collect()
}

/// One disputed criterion of unit `m`: its self-score, the proposals the viewer reads, the
/// unit's answer, and how it was settled.
fn dispute_dto(
    state: &DomainState,
    scope: &Scope,
    review: &Review,
    m: &UnitId,
    criterion: String,
    selfs: &BTreeMap<String, Decimal>,
) -> DisputeDto {
    let manual = review
        .criterion(&criterion)
        .map(|c| c.manual)
        .unwrap_or(false);
    let proposals = proposals(scope, review, m, &criterion);
    let answer = review
        .responses
        .get(m)
        .and_then(|(r, _)| r.answers.get(&criterion));
    let resolution = review
        .resolutions
        .iter()
        .rev()
        .find(|(r, _)| &r.unit == m && r.criterion == criterion)
        .map(|(r, _)| r.reason.to_string());
    let (status, final_score) = match review.settlement(m, &criterion) {
        Settlement::Accepted(s) => ("accepted", Some(dec(&s))),
        Settlement::Resolved(s) => ("resolved", s.map(|s| dec(&s))),
        _ => ("open", None),
    };
    DisputeDto {
        unit: unit_ref(state, m),
        self_score: selfs.get(&criterion).map(dec),
        criterion,
        manual,
        proposals,
        status: status.into(),
        final_score,
        // An acceptance may say nothing.
        answer: answer.map(|a| a.text.to_string()).filter(|t| !t.is_empty()),
        accepted: answer.is_some_and(|a| a.accept),
        resolution,
    }
}

/// The scores the inspectors whose findings the viewer reads propose for `criterion` of `m`
/// ("—" for a dispute without one).
fn proposals(scope: &Scope, review: &Review, m: &UnitId, criterion: &str) -> Vec<String> {
    review
        .findings
        .iter()
        .filter(|(f, _)| &f.inspected == m && scope.reads_finding(review, &f.inspector, m))
        .filter_map(|(f, _)| f.items.get(criterion))
        .filter(|i| i.verdict != Verdict::Agree)
        .map(|i| i.score.map_or("—".to_owned(), |s| dec(&s.0)))
        .collect()
}

/// The declared conflicts of interest: the unit, the other, and why.
fn conflict_dtos(state: &DomainState, review: &Review) -> Vec<(UnitRef, UnitRef, String)> {
    review
        .conflicts
        .iter()
        .map(|(d, _)| {
            (
                unit_ref(state, &d.unit),
                unit_ref(state, &d.other),
                d.reason.to_string(),
            )
        })
        .collect()
}

/// The draw of the assignment, if made, with the secretariat's decision when it found none.
fn draw_dto(state: &DomainState, review: &Review) -> Option<DrawDto> {
    let (d, index) = review.drawn.as_ref()?;
    let last_year = members_last_year(state, review);
    Some(DrawDto {
        index: *index,
        seed: d.seed.clone(),
        missing: d.missing.iter().map(|x| unit_ref(state, x)).collect(),
        order: d.order.iter().map(|x| unit_ref(state, x)).collect(),
        redraws: d.redraws,
        relaxed: d.relaxed.clone(),
        searched: d.searched,
        infeasible: d.infeasible.clone(),
        decision: review.decided.as_ref().map(|(x, _)| x.reason.to_string()),
        acknowledged: review
            .decided
            .iter()
            .flat_map(|(x, _)| &x.acknowledged)
            .map(|b| breach_dto(state, review, b))
            .collect(),
        blockers: match d.infeasible {
            Some(_) => rules::draw_blockers(review)
                .into_iter()
                .map(|(u, left, needed)| BlockerDto {
                    unit: unit_ref(state, &u),
                    left,
                    needed,
                })
                .collect(),
            None => Vec::new(),
        },
        last_year: last_year
            .iter()
            .map(|p| (unit_ref(state, &p.inspector), unit_ref(state, &p.inspected)))
            .collect(),
        last_year_carried_from: last_year
            .iter()
            .map(|p| carried_from(state, review, p))
            .collect(),
    })
}

/// Last year's pairs as the draw avoids them, between this year's members (a review opened
/// before format 3 may name units that are not).
fn members_last_year(state: &DomainState, review: &Review) -> Vec<thidua_domain::yearend::Pair> {
    let mut pairs = last_year_pairs(state, review);
    pairs.retain(|p| review.is_member(&p.inspector) && review.is_member(&p.inspected));
    pairs
}

/// A rule of the draw a decided pair breaks, with the pairs of last year it was carried from.
pub fn breach_dto(state: &DomainState, review: &Review, b: &Breach) -> BreachDto {
    let pair = thidua_domain::yearend::Pair {
        inspector: b.inspector.clone(),
        inspected: b.inspected.clone(),
    };
    BreachDto {
        rule: b.rule.key().to_owned(),
        inspector: unit_ref(state, &b.inspector),
        inspected: unit_ref(state, &b.inspected),
        carried_from: match b.rule {
            Rule::LastYear => carried_from(state, review, &pair),
            _ => Vec::new(),
        },
    }
}

/// The pairs of last year carried onto `pair` through a merger, as they were
/// ([`rules::carried_origins`]), inspector first; empty when `pair` is last year's unchanged.
fn carried_from(
    state: &DomainState,
    review: &Review,
    pair: &thidua_domain::yearend::Pair,
) -> Vec<(UnitRef, UnitRef)> {
    rules::carried_origins(state, review, pair)
        .iter()
        .map(|p| (unit_ref(state, &p.inspector), unit_ref(state, &p.inspected)))
        .collect()
}

/// The inspection pairs, whether each has submitted its findings, and which are the viewer's.
fn pair_dtos(
    state: &DomainState,
    review: &Review,
    pairs: &[thidua_domain::yearend::Pair],
    own: &BTreeSet<&UnitId>,
) -> Vec<PairDto> {
    pairs
        .iter()
        .map(|p| PairDto {
            inspector: unit_ref(state, &p.inspector),
            inspected: unit_ref(state, &p.inspected),
            submitted: review.finding(&p.inspector, &p.inspected).is_some(),
            mine: own.contains(&p.inspector),
        })
        .collect()
}

/// The units that the viewer's own units inspect.
fn inspected_by<'a>(
    pairs: &'a [thidua_domain::yearend::Pair],
    own: &BTreeSet<&UnitId>,
) -> Vec<&'a UnitId> {
    pairs
        .iter()
        .filter(|p| own.contains(&p.inspector))
        .map(|p| &p.inspected)
        .collect()
}

/// The integrity flags of the units the viewer's units inspect, as the flags page shows them.
fn inspected_flags(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    pairs: &[thidua_domain::yearend::Pair],
    own: &BTreeSet<&UnitId>,
) -> Vec<crate::api::flags::FlagDto> {
    let inspected = inspected_by(pairs, own);
    if inspected.is_empty() {
        return Vec::new();
    }
    let query = crate::api::flags::FlagsQuery::default();
    let Ok((dto, _)) = crate::api::flags::flags_of(app, state, scope, id, &query) else {
        return Vec::new();
    };
    dto.flags
        .into_iter()
        .filter(|f| inspected.iter().any(|u| u.as_str() == f.unit.id))
        .collect()
}

/// The engine's view (self-assessed scoreboard) of the viewer's own units — their people see
/// the computed criteria from their approved figures while self-assessing — and of the units
/// they inspect.
fn computed(
    state: &DomainState,
    review: &Review,
    pairs: &[thidua_domain::yearend::Pair],
    own: &BTreeSet<&UnitId>,
    lang: crate::i18n::Lang,
) -> Vec<BreakdownDto> {
    let mut targets: Vec<&UnitId> = review.members.iter().filter(|m| own.contains(m)).collect();
    for m in inspected_by(pairs, own) {
        if !targets.contains(&m) {
            targets.push(m);
        }
    }
    if targets.is_empty() {
        return Vec::new();
    }
    let names = super::explain::ExplainNames::of(state, &review.schedule.covenant);
    let Ok(board) = scoreboard(state, review, Scores::SelfAssessed, true) else {
        return Vec::new();
    };
    targets
        .into_iter()
        .filter_map(|m| {
            let r = board.unit(&data_id(review, m)?)?;
            Some(BreakdownDto {
                unit: unit_ref(state, m),
                nodes: (r.nodes.iter())
                    .map(|x| node_dto(x, None, &names, lang))
                    .collect(),
                items: item_dtos(r, None, &names, lang),
            })
        })
        .collect()
}

/// The ties at a quota cut-off of a locked, unpublished review (read by the cluster: the
/// totals are the same for everyone once locked).
fn ties(state: &DomainState, review: &Review) -> Vec<TieDto> {
    if review.locked_at.is_none() || review.published.is_some() {
        return Vec::new();
    }
    let Ok(board) = scoreboard(state, review, Scores::FinalUndecided, false) else {
        return Vec::new();
    };
    let u = |x: &UnitId| unit_ref(state, x);
    score::cutoff_ties(review, &board)
        .into_iter()
        .map(|t| TieDto {
            decided: review
                .cutoff_ties
                .get(&t.band)
                .map(|(d, _)| (d.units.iter().map(u).collect(), d.reason.to_string())),
            band: t.band,
            band_name: t.band_name,
            units: t.units.iter().map(u).collect(),
            seats: t.seats,
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct ResultRowDto {
    pub unit: UnitRef,
    pub self_total: Option<String>,
    pub final_total: Option<String>,
    /// Self minus final.
    pub difference: Option<String>,
    pub rank: Option<u32>,
    pub band: Option<String>,
    pub band_name: Option<String>,
    /// Why the unit stands where it does beyond its total, one sentence each (the page's
    /// language; the API's is Vietnamese): a tie on the total and how the tie-break settled it,
    /// a quota that moved the unit down a band, the cluster head's decision at a tie on a
    /// quota's cut-off.
    pub standing: Vec<String>,
    pub eligible: bool,
    /// The unit handed in its dossier; one that did not is not assessed (no totals, no rank,
    /// not eligible).
    pub assessed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NodeDto {
    pub id: String,
    pub name: String,
    pub depth: usize,
    pub max: String,
    pub self_points: Option<String>,
    pub final_points: Option<String>,
    /// The value the criterion's scale was applied to, in words (computed criteria).
    pub value: Option<String>,
    /// The value's unit of measure, as the regulation names it (`%` for a rate).
    pub measure: Option<String>,
    /// Why the criterion could not be computed («Chưa tính được: thiếu số liệu …»), if so.
    pub problem: Option<String>,
    /// The engine's explanation, step by step (Vietnamese).
    pub explanation: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BreakdownDto {
    pub unit: UnitRef,
    pub nodes: Vec<NodeDto>,
    /// The regulation's bonus and penalty items (points added to or taken from the total,
    /// within their caps).
    pub items: Vec<ScoreItemDto>,
}

/// A bonus or penalty item of a unit's results: its self-assessed and final points.
#[derive(Serialize, ToSchema)]
pub struct ScoreItemDto {
    pub id: String,
    pub name: String,
    /// `bonus` or `penalty`.
    pub kind: String,
    /// The value the item's rate was applied to, in words.
    pub value: Option<String>,
    pub self_points: Option<String>,
    pub final_points: Option<String>,
    /// The engine's explanation, step by step.
    pub explanation: Vec<String>,
}

/// A statistic of the inspection (a self-score far above the final one, a lenient inspector,
/// agreement between inspectors, pairs scoring each other high year after year).
#[derive(Serialize, ToSchema)]
pub struct InspectionFlagDto {
    /// `self_minus_final`, `leniency`, `agreement`, `mutual_high`.
    pub kind: String,
    pub units: Vec<UnitRef>,
    /// A canonical decimal (`self_minus_final`, `leniency`), `same/total` (`agreement`) or the
    /// years (`mutual_high`).
    pub value: String,
    /// How many criteria the value is the mean of (`leniency`).
    pub count: Option<usize>,
    pub flagged: bool,
}

/// A cluster's published year-end results.
#[derive(Serialize, ToSchema)]
pub struct ResultsDto {
    pub covenant: String,
    pub title: String,
    pub year: i32,
    pub published: bool,
    /// Not published, but the scores are locked: the results publishing would give, shown to
    /// the cluster's secretariat and supervisors (and administrators) before they publish.
    pub preview: bool,
    /// The publishing event's log index.
    pub index: Option<u64>,
    /// A witnessed checkpoint covers the publication (else "chờ chứng thực").
    pub witnessed: bool,
    pub rows: Vec<ResultRowDto>,
    pub seed: Option<String>,
    pub order: Vec<UnitRef>,
    pub pairs: Vec<(UnitRef, UnitRef)>,
    pub breakdown: Vec<BreakdownDto>,
    pub flags: Vec<InspectionFlagDto>,
    /// Source-record re-checks: the inspected unit, its inspector, the estimate and interval.
    pub rechecks: Vec<(UnitRef, UnitRef, RecheckDto)>,
}

/// The results of `id` (empty rows until published), with `witnessed_size` the size of the
/// newest witnessed checkpoint, if any, and its explanations in `lang`.
pub fn results_dto(
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    witnessed_size: Option<u64>,
    lang: crate::i18n::Lang,
) -> Result<ResultsDto, ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let review = state.review(id).map_err(|_| ApiError::not_found())?;
    let unpublished = unpublished_results(id, c);
    let Some((published, index)) = &review.published else {
        if review.locked_at.is_none() || !scope.oversees(&c.cluster) {
            return Ok(unpublished);
        }
        let results = thidua_domain::yearend::score::results(state, review)?;
        let preview = ResultsDto {
            preview: true,
            ..unpublished
        };
        return results_filled(state, review, &results, preview, lang);
    };
    let shown = ResultsDto {
        published: true,
        index: Some(*index),
        witnessed: witnessed_size.is_some_and(|s| *index < s),
        ..unpublished
    };
    results_filled(state, review, &published.results, shown, lang)
}

/// `head` (the covenant, and whether and where the results were published) with `results`
/// shown: the rows, the draw, the breakdowns, the council's flags and the re-checks.
fn results_filled(
    state: &DomainState,
    review: &thidua_domain::yearend::Review,
    results: &[thidua_domain::yearend::PublishedResult],
    head: ResultsDto,
    lang: crate::i18n::Lang,
) -> Result<ResultsDto, ApiError> {
    let own = scoreboard(state, review, Scores::SelfAssessed, true)?;
    let fin = scoreboard(state, review, Scores::Final, true)?;
    let names = super::explain::ExplainNames::of(state, &review.schedule.covenant);
    Ok(ResultsDto {
        rows: result_rows(state, review, results, &fin, &names, lang),
        seed: review.drawn.as_ref().map(|(d, _)| d.seed.clone()),
        order: review
            .drawn
            .as_ref()
            .map(|(d, _)| d.order.iter().map(|x| unit_ref(state, x)).collect())
            .unwrap_or_default(),
        pairs: review
            .pairs()
            .iter()
            .map(|p| (unit_ref(state, &p.inspector), unit_ref(state, &p.inspected)))
            .collect(),
        breakdown: breakdowns(state, review, &own, &fin, &names, lang),
        flags: flags(state, review, results),
        rechecks: rechecks(state, review),
        ..head
    })
}

/// The results of a covenant not published yet: its name, nothing else.
fn unpublished_results(id: &CovenantId, c: &thidua_domain::state::Covenant) -> ResultsDto {
    ResultsDto {
        covenant: id.to_string(),
        title: c.latest().content.title.to_string(),
        year: c.year,
        published: false,
        preview: false,
        index: None,
        witnessed: false,
        rows: vec![],
        seed: None,
        order: vec![],
        pairs: vec![],
        breakdown: vec![],
        flags: vec![],
        rechecks: vec![],
    }
}

/// The published results by rank (unranked last, then by unit), each with its totals, band
/// and why it stands there (`fin`, the final scoreboard, names the band and explains).
fn result_rows(
    state: &DomainState,
    review: &Review,
    results: &[thidua_domain::yearend::PublishedResult],
    fin: &thidua_scoring::Scoreboard,
    names: &super::explain::ExplainNames,
    lang: crate::i18n::Lang,
) -> Vec<ResultRowDto> {
    let mut rows: Vec<&thidua_domain::yearend::PublishedResult> = results.iter().collect();
    rows.sort_by_key(|r| (r.rank.unwrap_or(u32::MAX), r.unit.clone()));
    rows.into_iter()
        .map(|r| {
            let scored = fin.unit(&data_id(review, &r.unit).unwrap_or_default());
            let band_name = (r.band.as_ref().and(scored))
                .and_then(|x| x.band.as_ref())
                .map(|b| b.name.clone());
            ResultRowDto {
                unit: unit_ref(state, &r.unit),
                self_total: r.self_total.map(|x| dec(&x.0)),
                final_total: r.final_total.map(|x| dec(&x.0)),
                difference: r
                    .self_total
                    .zip(r.final_total)
                    .map(|(s, f)| dec(&(s.0 - f.0))),
                rank: r.rank,
                band: r.band.clone(),
                band_name,
                standing: scored.map_or_else(Vec::new, |x| names.standing(x, lang)),
                eligible: r.eligible,
                assessed: review.dossier_submitted(&r.unit),
            }
        })
        .collect()
}

/// Each member's criteria, self-assessed (`own`) beside final (`fin`), with the final
/// scores' explanations; members missing from either scoreboard are left out.
fn breakdowns(
    state: &DomainState,
    review: &Review,
    own: &thidua_scoring::Scoreboard,
    fin: &thidua_scoring::Scoreboard,
    names: &super::explain::ExplainNames,
    lang: crate::i18n::Lang,
) -> Vec<BreakdownDto> {
    let mut out = Vec::new();
    for m in &review.members {
        let id = data_id(review, m).unwrap_or_default();
        let (Some(a), Some(b)) = (own.unit(&id), fin.unit(&id)) else {
            continue;
        };
        out.push(BreakdownDto {
            unit: unit_ref(state, m),
            nodes: (a.nodes.iter().zip(&b.nodes))
                .map(|(x, y)| node_dto(x, Some(y), names, lang))
                .collect(),
            items: item_dtos(a, Some(b), names, lang),
        });
    }
    out
}

/// A unit's bonus then penalty items, self-assessed (`own`) beside final (`fin`, once there are).
fn item_dtos(
    own: &thidua_scoring::explain::UnitResult,
    fin: Option<&thidua_scoring::explain::UnitResult>,
    names: &super::explain::ExplainNames,
    lang: crate::i18n::Lang,
) -> Vec<ScoreItemDto> {
    let kinds = [
        ("bonus", &own.bonuses, fin.map(|f| &f.bonuses)),
        ("penalty", &own.penalties, fin.map(|f| &f.penalties)),
    ];
    let mut out = Vec::new();
    for (kind, own_items, fin_items) in kinds {
        for (i, x) in own_items.iter().enumerate() {
            let y = fin_items.and_then(|f| f.get(i));
            let shown = y.unwrap_or(x);
            out.push(ScoreItemDto {
                id: x.id.to_string(),
                name: x.name.to_string(),
                kind: kind.to_owned(),
                value: shown.value.as_ref().map(exact),
                self_points: x.points.as_ref().map(exact),
                final_points: y.and_then(|y| y.points.as_ref()).map(exact),
                explanation: explanation(&shown.trace, y.is_some(), names, lang),
            });
        }
    }
    out
}

/// One criterion's row: its self-assessed points (`own`) and final points (`fin`, once there
/// are), with the value and the explanation of the final scores, else of the self-assessment.
fn node_dto(
    own: &thidua_scoring::explain::NodeResult,
    fin: Option<&thidua_scoring::explain::NodeResult>,
    names: &super::explain::ExplainNames,
    lang: crate::i18n::Lang,
) -> NodeDto {
    let shown = fin.unwrap_or(own);
    let explanation = explanation(&shown.trace, fin.is_some(), names, lang);
    let problem = (shown.trace.iter().zip(&explanation))
        .find(|(step, _)| matches!(step, thidua_scoring::explain::Step::Error { .. }))
        .map(|(_, text)| text.clone());
    NodeDto {
        id: own.id.to_string(),
        name: own.name.to_string(),
        depth: own.depth,
        max: dec(&own.max_points),
        self_points: own.points.as_ref().map(exact),
        final_points: fin.and_then(|y| y.points.as_ref()).map(exact),
        value: shown.value.as_ref().map(value_text),
        measure: value_measure(shown),
        problem,
        explanation,
    }
}

/// The unit of measure of the value a criterion's scale was applied to: that of the last
/// indicator (or figure) of its explanation that has this value.
fn value_measure(node: &thidua_scoring::explain::NodeResult) -> Option<String> {
    use thidua_scoring::explain::{Step, Val};
    let value = node.value.as_ref()?;
    node.trace.iter().rev().find_map(|step| match step {
        Step::Indicator {
            value: v, measure, ..
        } if v == value => measure.clone(),
        Step::Figure {
            value: v, measure, ..
        } if Val::Num(v.clone()) == *value => measure.clone(),
        _ => None,
    })
}

/// An explanation's steps in `lang`, a manual criterion's score named for what it is: the
/// unit's self-score, or (`final_scores`) its final score after the cross-inspection. The
/// engine's own words, «Điểm chấm qua kiểm tra», read as an inspection's score beside a
/// self-assessment made before any draw.
fn explanation(
    trace: &[thidua_scoring::explain::Step],
    final_scores: bool,
    names: &super::explain::ExplainNames,
    lang: crate::i18n::Lang,
) -> Vec<String> {
    use thidua_scoring::explain::Step;
    let y = lang.yearend();
    let label = if final_scores {
        y.manual_final
    } else {
        y.manual_self
    };
    trace
        .iter()
        .map(|step| match step {
            Step::Manual { score: Some(s), .. } => {
                crate::i18n::fill(label, &[("score", thidua_scoring::render::vi_num(s))])
            }
            Step::Error { .. } => not_computed(step, names, lang),
            _ => names.step(step, lang),
        })
        .collect()
}

/// An error step as a sentence: «Chưa tính được: thiếu số liệu …» (the engine's words are
/// «LỖI: thiếu số liệu …», its prefix found by rendering an error without message).
fn not_computed(
    step: &thidua_scoring::explain::Step,
    names: &super::explain::ExplainNames,
    lang: crate::i18n::Lang,
) -> String {
    let bare = thidua_scoring::explain::Step::Error {
        message_vi: String::new(),
        message_en: String::new(),
        cause: None,
    };
    let prefix = names.step(&bare, lang);
    let text = names.step(step, lang);
    let message = text.strip_prefix(prefix.as_str()).unwrap_or(&text);
    crate::i18n::fill(
        lang.yearend().not_computed,
        &[("message", message.to_owned())],
    )
}

/// The source-record re-checks: the inspected unit, its inspector, the estimate and interval.
fn rechecks(state: &DomainState, review: &Review) -> Vec<(UnitRef, UnitRef, RecheckDto)> {
    review
        .findings
        .iter()
        .filter_map(|(f, _)| {
            let r = recheck_dto(f.recheck?)?;
            Some((
                unit_ref(state, &f.inspected),
                unit_ref(state, &f.inspector),
                r,
            ))
        })
        .collect()
}

/// An engine number: its exact decimal, else an approximation to four places.
fn exact(e: &thidua_scoring::Exact) -> String {
    e.decimal_text().unwrap_or_else(|| e.approx_text(4))
}

/// The value a criterion's scale was applied to: a number, or ✓/✗.
fn value_text(v: &thidua_scoring::explain::Val) -> String {
    use thidua_scoring::explain::Val;
    match v {
        Val::Num(n) => exact(n),
        Val::Bool(b) => if *b { "✓" } else { "✗" }.to_owned(),
    }
}

/// The council's statistics of the inspection over the published `results`.
fn flags(
    state: &DomainState,
    review: &Review,
    results: &[thidua_domain::yearend::PublishedResult],
) -> Vec<InspectionFlagDto> {
    let council = stats::council(state, review, results);
    let u = |x: &UnitId| unit_ref(state, x);
    let mut out = Vec::new();
    for (unit, d, flagged) in council.self_minus_final {
        out.push(InspectionFlagDto {
            kind: "self_minus_final".into(),
            units: vec![u(&unit)],
            value: dec(&d),
            count: None,
            flagged,
        });
    }
    for (unit, d, n, flagged) in council.leniency {
        out.push(InspectionFlagDto {
            kind: "leniency".into(),
            units: vec![u(&unit)],
            value: dec(&d),
            count: Some(n),
            flagged,
        });
    }
    for (unit, same, total, flagged) in council.agreement {
        out.push(InspectionFlagDto {
            kind: "agreement".into(),
            units: vec![u(&unit)],
            value: format!("{same}/{total}"),
            count: None,
            flagged,
        });
    }
    for (a, b, years) in council.mutual_high {
        let years = years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        out.push(InspectionFlagDto {
            kind: "mutual_high".into(),
            units: vec![u(&a), u(&b)],
            value: years,
            count: None,
            flagged: true,
        });
    }
    out
}

/// `GET /api/v1/covenants/{id}/yearend`.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/yearend", tag = "yearend",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, description = "the review as the caller may see it: phase, deadlines, commitments, the draw, dossiers and findings published to the caller", body = ReviewDto), (status = 404, body = ErrorBody)))]
pub async fn review(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<ReviewDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    Ok(Json(review_dto(
        &app,
        &app.service.read(),
        &viewer.scope,
        &id,
        API_LANG,
        viewer.now_ms,
    )?))
}

/// `GET /api/v1/covenants/{id}/yearend/results`.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/yearend/results", tag = "yearend",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, description = "the published results (or, for the secretariat and supervisors once the scores are locked, their preview), with each score's trace", body = ResultsDto), (status = 404, body = ErrorBody)))]
pub async fn results(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<ResultsDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let status = crate::ui::proof::LogStatus::load(&app).await;
    Ok(Json(results_dto(
        &app.service.read(),
        &viewer.scope,
        &id,
        status.witnessed.map(|w| w.0),
        API_LANG,
    )?))
}

/// `POST /api/v1/covenants/{id}/yearend`: one year-end step (`{"action": …}`, the domain's
/// `YearEndCommand`; its `covenant` must be the path's).
#[utoipa::path(post, path = "/api/v1/covenants/{id}/yearend", tag = "yearend",
    params(("id" = String, Path, description = "covenant id")),
    request_body(content = Object, description = "one year-end step, the domain's `YearEndCommand` alone: `{\"action\": …, \"covenant\": …, …}` (the YearEndStep schema); unlike `/api/v1/commands`, no `command` field (refused as an unknown field)"),
    responses((status = 200, body = ReceiptDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "refused by the review's state: already open (`yearend_already_open`), another phase (`yearend_phase`), a frozen dossier (`yearend_dossier_frozen`), a finding already submitted (`yearend_finding_exists`), read at another revision (`yearend_stale_revision`), scores locked or published (`yearend_locked`, `yearend_published`)", body = ErrorBody),
              (status = 422, description = "a step the review's rules refuse: `error` is one of the `yearend_*` codes (a self-score over its criterion's maximum, evidence of a type or size not accepted, a reveal that does not match its commitment…) and `message` says why", body = ErrorBody)))]
pub async fn step(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(command): ApiJson<YearEndCommand>,
) -> Result<Json<ReceiptDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    if command.covenant() != &id {
        return Err(ApiError::bad_request(
            "invalid_value",
            "the command's covenant is not the path's",
        ));
    }
    {
        let state = app.service.read();
        visible_covenant(&state, &viewer.scope, &id)?;
    }
    Ok(Json(
        execute(&app, &viewer, vec![Command::YearEnd(command)]).await?,
    ))
}

/// `GET /api/v1/covenants/{id}/yearend/results.xlsx`: the published final scores as a workbook
/// whose cells are live formulas over the figures and the settled manual scores (the engine's
/// workbook), once the results are published. Made from exactly the data file a member
/// downloads (`figures/export?scores=final`), read as `thidua score --data` reads it: the same
/// units under the same ids and names (the columns say "Công an tỉnh Kiên Giang (CAKG)"),
/// and `thidua score --xlsx` on that file writes the same workbook.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/yearend/results.xlsx", tag = "yearend",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, description = "the workbook (XLSX)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = ErrorBody)))]
pub async fn results_xlsx(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let state = app.service.read().clone();
    visible_covenant(&state, &viewer.scope, &id)?;
    let review = state
        .review(&id)
        .map_err(|_| ApiError::not_found())?
        .clone();
    if review.published.is_none() {
        return Err(ApiError::not_found());
    }
    let name = format!("ket-qua-{id}.xlsx");
    let bytes = app
        .blocking(move |_| {
            use thidua_import::export;
            let window = export::year_window(&state, &id)?;
            let csv =
                export::data_csv_with(&state, &id, &window, Some(export::ManualScores::Final))?;
            let compiled =
                thidua_domain::engine_data::regulation(&state, &review.schedule.covenant)?;
            let data = thidua_scoring::Dataset::from_bytes(
                csv.as_bytes(),
                false,
                thidua_scoring::data::ReadOptions::default(),
            )
            .map_err(|e| ApiError::internal(format!("{e:?}")))?;
            let period = compiled.ast().period;
            let board = compiled
                .evaluate_all(&data, period, thidua_scoring::EvalOptions::default())
                .map_err(ApiError::internal)?;
            thidua_scoring::workbook::write(&compiled, &data, &board).map_err(ApiError::internal)
        })
        .await?;
    Ok(super::midyear::xlsx_download(&name, bytes))
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/v1/covenants/{id}/yearend", get(review).post(step))
        .route("/api/v1/covenants/{id}/yearend/results", get(results))
        .route(
            "/api/v1/covenants/{id}/yearend/results.xlsx",
            get(results_xlsx),
        )
}
