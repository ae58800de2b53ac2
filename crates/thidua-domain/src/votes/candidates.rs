//! Who may be a candidate of an election, and who is left out and why.
//!
//! One achievement earns one award: a flag's or a certificate's candidates are the year's
//! nominees less the units another award election of the same cluster and year already
//! proposed, and an award election is not opened while another one of the cluster's year that
//! may still elect one of its candidates is neither over nor cancelled (two votes running at
//! once could otherwise elect the same unit). Next year's head and deputy are chosen among the
//! units that will be members of the cluster next year. The opening rules (`check_opening`) are
//! decide-time checks: an election already in the log keeps the candidates it was opened with.
//!
//! Why a member is not a candidate of a round ([`not_candidates`]) is decided here too, for
//! every page and document that tells it (the election page, the vote-count minutes).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::apply::refused;
use super::{elected, nominees, ranked, AwardKind, Election, Round};
use crate::error::DomainError;
use crate::ids::{ClusterId, ElectionId, UnitId};
use crate::state::State;
use crate::text::Text;

/// Why a unit is not a candidate of an election (or of one of its rounds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum LeftOut {
    /// Another award election of the cluster's year already proposed it (one achievement earns
    /// one award).
    Proposed { election: ElectionId },
    /// It will not be a member of the cluster next year (merged or moved), so it cannot lead
    /// it; `into`: the unit that continues it then, if one does.
    NotMemberNextYear { into: Option<UnitId> },
    /// It stands as `unit`, the unit continuing it as a member next year (a head or deputy).
    StandsAs { unit: UnitId },
    /// The year's results (or recorded standings) give it no rank: no dossier handed in, a
    /// total that could not be computed, no standing recorded.
    NotRanked,
    /// The published results make it ineligible for an award: a disciplinary decision is
    /// pending (Ministry circular 12/2019/TT-BCA, art. 2).
    DisciplinePending,
    /// The standing the secretariat recorded makes it ineligible for an award, on `basis`.
    Ineligible { basis: Text },
    /// An earlier round of the election elected it.
    ElectedInRound { round: u32 },
    /// It stood in round `round` and was not carried into this one.
    NotCarried { round: u32 },
    /// Not listed when the election was opened (under an earlier rule, or a membership of next
    /// year recorded since), though nothing above keeps it out now.
    NotListed,
}

/// Whether the award is a flag or a certificate (not next year's head or deputy).
pub fn is_award(award: AwardKind) -> bool {
    !matches!(award, AwardKind::Head | AwardKind::Deputy)
}

/// The candidates of an election for `award` opened now: for a flag or a certificate the
/// [`nominees`] not already proposed by another award election of the cluster's year; for next
/// year's head or deputy the ranked units that will be members next year ([`next_year_unit`]),
/// since being ineligible for an award does not bar a unit from leading the cluster.
pub fn candidates(state: &State, cluster: &ClusterId, year: i32, award: AwardKind) -> Vec<UnitId> {
    let mut out: Vec<UnitId> = Vec::new();
    for unit in base(state, cluster, year, award) {
        if let Ok(u) = admitted(state, cluster, year, award, &unit, None) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

/// The units of the year's ranking an election for `award` would leave out if opened now,
/// each with why, in rank order.
pub fn left_out(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    award: AwardKind,
) -> Vec<(UnitId, LeftOut)> {
    base(state, cluster, year, award)
        .into_iter()
        .filter_map(|u| {
            let why = admitted(state, cluster, year, award, &u, None).err()?;
            Some((u, why))
        })
        .collect()
}

/// The members of an opened election that are not candidates of its round 1, each with why
/// ([`not_candidates`]), in the members' order.
pub fn left_out_of(state: &State, e: &Election) -> Vec<(UnitId, LeftOut)> {
    not_candidates(state, e, &e.rounds[0])
}

/// The members of election `e` that are not candidates of its round `r`, each with why, in
/// the members' order: the one rule the election page and the vote-count minutes tell.
pub fn not_candidates(state: &State, e: &Election, r: &Round) -> Vec<(UnitId, LeftOut)> {
    e.members
        .iter()
        .filter(|u| !r.candidates.contains(u))
        .map(|u| (u.clone(), why_not_candidate(state, e, r, u)))
        .collect()
}

/// Why member `unit` is not a candidate of round `r` of `e`: in a later round, that an earlier
/// round elected it or that it stood there and was not carried on; else why the election left
/// it out when opened.
fn why_not_candidate(state: &State, e: &Election, r: &Round, unit: &UnitId) -> LeftOut {
    for earlier in e.rounds.iter().filter(|x| x.number < r.number) {
        if super::outcome(e, earlier).is_some_and(|o| o.elected.contains(unit)) {
            return LeftOut::ElectedInRound {
                round: earlier.number,
            };
        }
    }
    if let Some(first) = e.rounds.first().filter(|f| f.number < r.number) {
        if first.candidates.contains(unit) {
            return LeftOut::NotCarried {
                round: first.number,
            };
        }
    }
    left_out_at_opening(state, e, unit)
}

/// Why the opened election `e` did not list `unit`: unranked, ineligible for an award, proposed
/// by an award election opened before it, not a member next year, or standing as the unit
/// continuing it; [`LeftOut::NotListed`] when none of these holds now.
fn left_out_at_opening(state: &State, e: &Election, unit: &UnitId) -> LeftOut {
    if !ranked(state, &e.cluster, e.year, false).contains(unit) {
        return LeftOut::NotRanked;
    }
    if is_award(e.award) && !nominees(state, &e.cluster, e.year).contains(unit) {
        return ineligible(state, &e.cluster, e.year, unit);
    }
    let earlier = award_elections(state, &e.cluster, e.year)
        .filter(|x| x.opened_at < e.opened_at)
        .find(|x| elected(x).contains(unit));
    if let (true, Some(x)) = (is_award(e.award), earlier) {
        return LeftOut::Proposed {
            election: x.id.clone(),
        };
    }
    match admitted(state, &e.cluster, e.year, e.award, unit, Some(&e.id)) {
        Err(why @ LeftOut::NotMemberNextYear { .. }) => why,
        Ok(stands) if &stands != unit && e.rounds[0].candidates.contains(&stands) => {
            LeftOut::StandsAs { unit: stands }
        }
        _ => LeftOut::NotListed,
    }
}

/// Why a ranked unit is not among the year's nominees: the published results' pending
/// discipline, or the recorded standing's basis.
fn ineligible(state: &State, cluster: &ClusterId, year: i32, unit: &UnitId) -> LeftOut {
    let standing = state
        .standings
        .get(cluster)
        .and_then(|y| y.get(&year))
        .and_then(|s| s.get(unit));
    match standing {
        Some(s) if !super::results_published(state, cluster, year) => LeftOut::Ineligible {
            basis: s.basis.clone(),
        },
        _ => LeftOut::DisciplinePending,
    }
}

/// The lists of candidates the log accepts for an election opened now: the current rule's
/// first, then those of earlier versions of the rules (every ranked unit for a head or
/// deputy, the nominees for every kind), so that old logs still replay.
pub(crate) fn accepted_lists(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    award: AwardKind,
) -> Vec<Vec<UnitId>> {
    let mut lists = vec![candidates(state, cluster, year, award)];
    if !is_award(award) {
        lists.push(ranked(state, cluster, year, false));
    }
    lists.push(nominees(state, cluster, year));
    lists
}

/// The units an election for `award` chooses among before exclusions: the nominees for an
/// award, every ranked unit for a head or deputy.
fn base(state: &State, cluster: &ClusterId, year: i32, award: AwardKind) -> Vec<UnitId> {
    if is_award(award) {
        nominees(state, cluster, year)
    } else {
        ranked(state, cluster, year, false)
    }
}

/// The candidate `unit` stands as in an election for `award` (itself, or for a head or deputy
/// the unit continuing it next year), or why it is left out; `except`: the election itself.
fn admitted(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    award: AwardKind,
    unit: &UnitId,
    except: Option<&ElectionId>,
) -> Result<UnitId, LeftOut> {
    if !is_award(award) {
        return next_year_unit(state, cluster, year, unit).ok_or_else(|| {
            LeftOut::NotMemberNextYear {
                into: continuing(state, year, unit).filter(|c| c != unit),
            }
        });
    }
    match proposed_by(state, cluster, year, unit, except) {
        Some(election) => Err(LeftOut::Proposed { election }),
        None => Ok(unit.clone()),
    }
}

/// The first day of the year after `year`.
fn next_year_start(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year + 1, 1, 1)
}

/// The unit continuing `unit` at the start of the next year, by lineage.
fn continuing(state: &State, year: i32, unit: &UnitId) -> Option<UnitId> {
    let start = next_year_start(year)?;
    state.continuing_unit(unit, start).map(|u| u.id.clone())
}

/// The unit that stands for `unit`, ranked in `year`, as a member of the cluster next year:
/// its continuing unit at the start of next year when that is one of next year's members; where
/// next year's membership is not recorded yet, the unit itself if it still exists then.
pub fn next_year_unit(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    unit: &UnitId,
) -> Option<UnitId> {
    let then = continuing(state, year, unit)?;
    match state.members(cluster, year + 1) {
        Ok(members) => members.contains(&then).then_some(then),
        Err(_) => (&then == unit).then_some(then),
    }
}

/// The award election of the cluster's year (other than `except`) that proposed `unit`, if one
/// did: a flag or certificate election whose counted rounds elected it.
pub fn proposed_by(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    unit: &UnitId,
    except: Option<&ElectionId>,
) -> Option<ElectionId> {
    award_elections(state, cluster, year)
        .filter(|e| Some(&e.id) != except)
        .find(|e| elected(e).contains(unit))
        .map(|e| e.id.clone())
}

/// The flag and certificate elections of a cluster's year, in the order they were opened.
fn award_elections<'a>(
    state: &'a State,
    cluster: &'a ClusterId,
    year: i32,
) -> impl Iterator<Item = &'a Election> + 'a {
    let mut all: Vec<&Election> = state
        .elections
        .values()
        .filter(move |e| &e.cluster == cluster && e.year == year && is_award(e.award))
        .collect();
    all.sort_by_key(|e| e.opened_at);
    all.into_iter()
}

/// The checks of opening an election for `award` of the cluster's year, before its candidates:
/// no other election for the same award and year not over or that proposed a unit already; for
/// next year's head or deputy, that position of next year not recorded yet. A cancelled
/// election is no obstacle.
pub(crate) fn check_opening(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    award: AwardKind,
) -> Result<(), DomainError> {
    let same = state
        .elections
        .values()
        .filter(|e| &e.cluster == cluster && e.year == year && e.award == award)
        .filter(|e| !e.is_cancelled());
    for e in same {
        if !e.is_over() {
            return Err(refused(
                "election_same_award_open",
                format!(
                    "the vote {} for the same award and year is not over: finish it (a further round if seats are left) before opening another",
                    e.id
                ),
            ));
        }
        if is_award(award) && !elected(e).is_empty() {
            return Err(refused(
                "election_same_award_done",
                format!(
                    "the vote {} already proposed units for this award and year: one vote per award and year",
                    e.id
                ),
            ));
        }
    }
    if !is_award(award) {
        check_next_year_leadership(state, cluster, year, award)?;
    }
    Ok(())
}

/// One achievement earns one award, also between votes running at once: an award election is
/// refused while another award election of the cluster's year, neither over nor cancelled, may
/// still elect one of `candidates` (its round 1's candidates it has not elected yet), naming
/// that election and the units the two share. Head and deputy elections are not awards.
pub(crate) fn check_no_overlap(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    award: AwardKind,
    candidates: &[UnitId],
) -> Result<(), DomainError> {
    if !is_award(award) {
        return Ok(());
    }
    for e in award_elections(state, cluster, year).filter(|e| !e.is_over() && !e.is_cancelled()) {
        let chosen = elected(e);
        let shared: Vec<UnitId> = e.rounds[0]
            .candidates
            .iter()
            .filter(|u| candidates.contains(u) && !chosen.contains(u))
            .cloned()
            .collect();
        if !shared.is_empty() {
            return Err(DomainError::ElectionCandidatesOpen {
                election: e.id.to_string(),
                units: super::unit_list(&shared),
            });
        }
    }
    Ok(())
}

/// Refused when next year's head (or deputy) of the cluster is already recorded.
fn check_next_year_leadership(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    award: AwardKind,
) -> Result<(), DomainError> {
    let next = state.cluster(cluster)?.years.get(&(year + 1));
    let recorded = next.and_then(|y| match award {
        AwardKind::Head => y.head.as_ref(),
        _ => y.deputy.as_ref(),
    });
    match recorded {
        Some(l) => Err(refused(
            "election_leader_recorded",
            format!(
                "the {} of {} for {} is already recorded ({}): there is nothing left to elect",
                if award == AwardKind::Head {
                    "head"
                } else {
                    "deputy"
                },
                cluster,
                year + 1,
                l.unit
            ),
        )),
        None => Ok(()),
    }
}
