//! The year's scores from the log: the engine ([`thidua_scoring`]) on the members' approved
//! figures (their published reports of the covenant's year and the ten years before, for
//! comparisons with earlier periods) and the manual criteria's scores — the self-scores for the
//! self-assessment, the settled scores for the final result. Ranking, tie-break, bands and
//! quotas are the regulation's, applied by the engine. The same function serves decide,
//! the web pages and `thidua verify`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use thidua_scoring::data::DatasetBuilder;
use thidua_scoring::{CompiledRegulation, Dataset, EvalOptions, PeriodKey, Scoreboard};

use super::state::Review;
use super::{Points, PublishedResult};
use crate::engine_data::{self, engine_error};
use crate::error::DomainError;
use crate::ids::UnitId;
use crate::state::State;

/// Which manual scores to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scores {
    /// The units' own (submitted dossiers).
    SelfAssessed,
    /// After findings, responses and the council's resolutions, with the cluster head's
    /// decisions on ties at a quota cut-off: what is published.
    Final,
    /// As [`Scores::Final`] but without the cluster head's decisions: the ties they decide.
    FinalUndecided,
}

/// The id each member has in the engine's data: `u1`, `u2`, … in sorted member order.
pub fn data_id(review: &Review, unit: &UnitId) -> Option<String> {
    engine_data::data_id(&review.members, unit)
}

/// The member a data id stands for.
pub fn unit_of<'a>(review: &'a Review, data_id: &str) -> Option<&'a UnitId> {
    engine_data::unit_of(&review.members, data_id)
}

/// The engine's inputs for a review: the compiled regulation in force, the data (approved
/// figures of the whole year and the chosen manual scores; units named by [`data_id`]) and
/// the period.
pub fn inputs(
    state: &State,
    review: &Review,
    which: Scores,
) -> Result<(CompiledRegulation, Dataset, PeriodKey), DomainError> {
    let compiled = engine_data::regulation(state, &review.schedule.covenant)?;
    let period = compiled.ast().period;
    let manual = |unit: &UnitId| -> BTreeMap<String, Decimal> {
        match which {
            Scores::SelfAssessed => review.self_scores(unit),
            Scores::Final | Scores::FinalUndecided => review.final_scores(unit),
        }
    };
    let mut b = DatasetBuilder::new("log");
    engine_data::add_figures(
        state,
        &engine_data::Spec {
            covenant: &review.schedule.covenant,
            members: &review.members,
            year: review.year,
            through_month: 12,
            manual: &manual,
            period: period.to_string(),
        },
        &mut b,
    )?;
    if which == Scores::Final {
        add_tie_decisions(review, &mut b);
    }
    Ok((compiled, engine_data::finish(b)?, period))
}

/// The cluster head's decisions on ties at a quota cut-off, as the engine reads them (data
/// `@kept:BAND`, the value the decision's log index), members named by [`data_id`].
fn add_tie_decisions(review: &Review, b: &mut DatasetBuilder) {
    let decisions = tie_decisions(review, |u| data_id(review, u));
    for (row, (band, unit, at)) in decisions.into_iter().enumerate() {
        b.kept(row + 1, &unit, band, "", &at.to_string());
    }
}

/// (band, unit's data id, log index) of every unit the cluster head's decisions keep in a
/// band at its quota cut-off, units named by `id_of` (the engine's ids here, a data file's in
/// an export).
pub fn tie_decisions(
    review: &Review,
    id_of: impl Fn(&UnitId) -> Option<String>,
) -> Vec<(&str, String, u64)> {
    let mut out = Vec::new();
    for (band, (decided, at)) in &review.cutoff_ties {
        for u in &decided.units {
            if let Some(id) = id_of(u) {
                out.push((band.as_str(), id, *at));
            }
        }
    }
    out
}

/// The scoreboard of a review with the chosen manual scores.
pub fn scoreboard(
    state: &State,
    review: &Review,
    which: Scores,
    trace: bool,
) -> Result<Scoreboard, DomainError> {
    let (compiled, data, period) = inputs(state, review, which)?;
    let opts = if trace {
        EvalOptions::with_trace()
    } else {
        EvalOptions::default()
    };
    compiled
        .evaluate_all(&data, period, opts)
        .map_err(|e| engine_error(e.to_string()))
}

/// Units tied exactly at a band's quota cut-off (all moved down by the engine): the band they
/// reached by score, the units, and how many of them the quota leaves room for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CutoffTie {
    pub band: String,
    pub band_name: String,
    pub units: Vec<UnitId>,
    pub seats: usize,
}

/// The ties at a quota cut-off in a scoreboard of [`Scores::FinalUndecided`] (all tied units
/// moved down, as before the cluster head decides).
pub fn cutoff_ties(review: &Review, board: &Scoreboard) -> Vec<CutoffTie> {
    let mut out: Vec<CutoffTie> = Vec::new();
    for u in &board.units {
        let Some(b) = u.band.as_ref().filter(|b| b.tie_at_cutoff) else {
            continue;
        };
        let (Some(note), Some(unit)) = (b.quotas.first(), unit_of(review, &u.unit)) else {
            continue;
        };
        let kept = board
            .units
            .iter()
            .filter(|x| x.band.as_ref().is_some_and(|xb| xb.id == note.band))
            .count();
        match out.iter_mut().find(|t| t.band == note.band) {
            Some(t) => t.units.push(unit.clone()),
            None => out.push(CutoffTie {
                band: note.band.clone(),
                band_name: note.band_name.clone(),
                units: vec![unit.clone()],
                seats: note.allowed.saturating_sub(kept),
            }),
        }
    }
    out
}

/// The results to publish: each member's self and final totals, rank and band (the engine's
/// ranking with the regulation's tie-break and quotas), and eligibility. In member order.
pub fn results(state: &State, review: &Review) -> Result<Vec<PublishedResult>, DomainError> {
    let own = scoreboard(state, review, Scores::SelfAssessed, false)?;
    let fin = scoreboard(state, review, Scores::Final, false)?;
    review
        .members
        .iter()
        .map(|unit| {
            if !review.dossier_submitted(unit) {
                return Ok(not_assessed(unit));
            }
            let id = data_id(review, unit).expect("a member");
            let f = fin.unit(&id);
            Ok(PublishedResult {
                unit: unit.clone(),
                self_total: own.unit(&id).and_then(|u| u.total.as_ref()).map(points),
                final_total: f.and_then(|u| u.total.as_ref()).map(points),
                rank: f.and_then(|u| u.rank),
                band: f.and_then(|u| u.band.as_ref()).map(|b| b.id.clone()),
                eligible: !review
                    .eligibility
                    .get(unit)
                    .is_some_and(|e| e.discipline_pending),
            })
        })
        .collect()
}

/// The assessed members (their dossier handed in) whose final total the engine cannot compute,
/// each with the ids of its criteria in error: figures not approved, a division the regulation
/// provides no value for. Published, such a total would read "—" and rank nothing.
pub fn uncomputable(
    state: &State,
    review: &Review,
) -> Result<Vec<(UnitId, Vec<String>)>, DomainError> {
    use thidua_scoring::explain::Status;
    let fin = scoreboard(state, review, Scores::FinalUndecided, false)?;
    Ok(review
        .members
        .iter()
        .filter(|u| review.dossier_submitted(u))
        .filter_map(|u| {
            let r = fin.unit(&data_id(review, u)?)?;
            (r.total.is_none() && r.status == Status::Error).then(|| {
                let failed = r.nodes.iter().filter(|n| n.status == Status::Error);
                (u.clone(), failed.map(|n| n.id.to_string()).collect())
            })
        })
        .collect())
}

/// A member that handed in no dossier by the deadline is not assessed: no totals, no rank, no
/// band, not eligible. (Its manual criteria have no score, so the engine gives it no total and
/// ranks the others among themselves.)
fn not_assessed(unit: &UnitId) -> PublishedResult {
    PublishedResult {
        unit: unit.clone(),
        self_total: None,
        final_total: None,
        rank: None,
        band: None,
        eligible: false,
    }
}

/// An exact total as published points: rounded by the regulation already, so exact here; a
/// value the engine left unrounded is written with at most 4 decimals (half away from zero).
fn points(total: &thidua_scoring::Exact) -> Points {
    let d = total.to_decimal().unwrap_or_else(|| {
        total
            .round(4, thidua_scoring::exact::Rounding::HalfUp)
            .to_decimal()
            .expect("four decimals are a finite expansion")
    });
    Points(d.normalize())
}
