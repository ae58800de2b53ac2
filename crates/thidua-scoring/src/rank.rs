//! Ranking and classification: units ordered by total, then by the regulation's tie-break
//! keys (units still equal share a rank); bands by score; quotas that move the lowest-ranked
//! units of a full band down one band. Every tie settled and every unit moved down carries a
//! note saying how (`UnitResult::ties`, `BandResult::quotas`).
use crate::compile::{CompiledRegulation, TieKey};
use crate::engine::EngineError;
use crate::exact::Exact;
use crate::explain::*;
use std::cmp::Ordering;

impl CompiledRegulation {
    /// The value of a tie-break key for a unit, and whether fewer wins.
    fn key_value(&self, u: &UnitResult, k: &TieKey) -> (Exact, bool) {
        match k {
            TieKey::Node(n) => (u.nodes[*n].points.clone().unwrap_or_default(), false),
            TieKey::Bonus => (u.bonus_total.clone().unwrap_or_default(), false),
            TieKey::Penalty => (u.penalty_total.clone().unwrap_or_default(), true),
        }
    }

    fn key_name(&self, k: &TieKey) -> (String, String) {
        match k {
            TieKey::Node(n) => {
                let node = &self.nodes[*n];
                let what = if node.depth == 0 {
                    "lĩnh vực"
                } else {
                    "tiêu chí"
                };
                (
                    node.id.clone(),
                    format!("điểm {what} «{}» [{}]", node.name, node.id),
                )
            }
            TieKey::Bonus => ("bonus".into(), "tổng điểm thưởng".into()),
            TieKey::Penalty => ("penalty".into(), "tổng điểm trừ (ít hơn xếp trước)".into()),
        }
    }

    /// Orders two scored units: total, then the tie-break keys.
    fn tie_cmp(&self, a: &UnitResult, b: &UnitResult) -> Ordering {
        let t = |u: &UnitResult| u.total.clone().unwrap_or_default();
        let mut o = t(b).cmp(&t(a));
        for k in &self.tie_break {
            if o != Ordering::Equal {
                break;
            }
            let ((x, lower), (y, _)) = (self.key_value(a, k), self.key_value(b, k));
            o = if lower { x.cmp(&y) } else { y.cmp(&x) };
        }
        o
    }

    /// The keys compared between `a` and `b` (equal totals), up to the one that decides.
    fn compared(&self, a: &UnitResult, b: &UnitResult) -> Vec<TieKeyValues> {
        let mut out = Vec::new();
        for k in &self.tie_break {
            let ((x, lower), (y, _)) = (self.key_value(a, k), self.key_value(b, k));
            let (key, name_vi) = self.key_name(k);
            let decided = x != y;
            out.push(TieKeyValues {
                key,
                name_vi,
                ours: x,
                theirs: y,
                lower_wins: lower,
            });
            if decided {
                break;
            }
        }
        out
    }

    pub(crate) fn rank_and_classify(
        &self,
        results: &mut [UnitResult],
        kept: &Kept,
    ) -> Result<(), EngineError> {
        results.sort_by(|a, b| {
            let ra = a.status == Status::Scored;
            let rb = b.status == Status::Scored;
            rb.cmp(&ra)
                .then_with(|| {
                    if ra && rb {
                        self.tie_cmp(a, b)
                    } else {
                        Ordering::Equal
                    }
                })
                .then_with(|| a.unit.cmp(&b.unit))
        });
        let ranked = results
            .iter()
            .take_while(|r| r.status == Status::Scored)
            .count();
        for i in 0..ranked {
            let rank = if i > 0 && self.tie_cmp(&results[i - 1], &results[i]) == Ordering::Equal {
                results[i - 1].rank.unwrap_or(1)
            } else {
                i as u32 + 1
            };
            results[i].rank = Some(rank);
        }
        self.note_ties(&mut results[..ranked]);
        self.classify(&mut results[..ranked], kept)
    }

    /// For each pair of neighbours with the same total: which key settled it, or a shared rank.
    fn note_ties(&self, results: &mut [UnitResult]) {
        for i in 1..results.len() {
            if results[i - 1].total != results[i].total {
                continue;
            }
            let (a, b) = (&results[i - 1], &results[i]);
            let shared = self.tie_cmp(a, b) == Ordering::Equal;
            let note = |me: &UnitResult, other: &UnitResult, outcome| TieNote {
                other: other.unit.clone(),
                other_name: other.name.clone(),
                other_rank: other.rank.unwrap_or(0),
                total: me.total.clone().unwrap_or_default(),
                compared: self.compared(me, other),
                outcome,
            };
            let (oa, ob) = if shared {
                (TieOutcome::Shared, TieOutcome::Shared)
            } else {
                (TieOutcome::Above, TieOutcome::Below)
            };
            let na = note(a, b, oa);
            let nb = note(b, a, ob);
            results[i - 1].ties.push(na);
            results[i].ties.push(nb);
        }
    }

    /// Bands by score, then quotas; units tied at a quota cut-off stay in the band only where
    /// `kept` records the cluster head's decision to keep them.
    fn classify(&self, results: &mut [UnitResult], kept: &Kept) -> Result<(), EngineError> {
        self.check_kept_bands(kept)?;
        let ranked = results.len();
        let band_of = |t: &Exact| -> usize {
            self.bands
                .iter()
                .position(|b| b.min.is_none_or(|m| *t >= Exact::from(m)))
                .unwrap_or(self.bands.len().saturating_sub(1))
        };
        let by_score: Vec<usize> = results
            .iter()
            .map(|r| band_of(&r.total.clone().unwrap_or_default()))
            .collect();
        let mut c = Classes {
            assigned: by_score.clone(),
            tie: vec![false; ranked],
            quotas: vec![Vec::new(); ranked],
            decisions: vec![None; ranked],
        };
        for bi in 0..self.bands.len() {
            if let Some(q) = self.bands[bi].quota_pct {
                self.apply_quota(results, bi, q, kept.get(&self.bands[bi].id), &mut c)?;
            }
        }
        for (i, r) in results.iter_mut().enumerate() {
            let b = &self.bands[c.assigned[i]];
            r.band = Some(BandResult {
                id: b.id.clone(),
                name: b.name.clone(),
                by_score: self.bands[by_score[i]].id.clone(),
                by_score_name: self.bands[by_score[i]].name.clone(),
                demoted_by_quota: c.assigned[i] != by_score[i],
                tie_at_cutoff: c.tie[i],
                quotas: std::mem::take(&mut c.quotas[i]),
                cutoff_decision: c.decisions[i].take(),
            });
        }
        Ok(())
    }

    /// Every band a decision names exists and has a quota.
    fn check_kept_bands(&self, kept: &Kept) -> Result<(), EngineError> {
        match kept.keys().find(|b| {
            !self
                .bands
                .iter()
                .any(|x| &x.id == *b && x.quota_pct.is_some())
        }) {
            Some(b) => Err(decision_error(
                format!("xếp loại `{b}` không có trong quy chế hoặc không có tỷ lệ tối đa"),
                format!("band `{b}` is not in the regulation or has no quota"),
            )),
            None => Ok(()),
        }
    }

    /// Band `bi`'s quota of `q`%: the lowest-ranked units beyond it move down one band, and
    /// all units tied exactly at the cut-off with them, except those `decided` keeps.
    fn apply_quota(
        &self,
        results: &[UnitResult],
        bi: usize,
        q: rust_decimal::Decimal,
        decided: Option<&Decided>,
        c: &mut Classes,
    ) -> Result<(), EngineError> {
        let ranked = results.len();
        let allowed = Exact::int(ranked as i64)
            .mul(&Exact::from(q))
            .and_then(|x| x.div(&Exact::int(100)))
            .map(|x| x.floor())
            .ok()
            .and_then(|x| x.to_decimal())
            .and_then(|d| usize::try_from(d).ok())
            .unwrap_or(0);
        let members: Vec<usize> = (0..ranked).filter(|i| c.assigned[*i] == bi).collect();
        let band = &self.bands[bi];
        if members.len() <= allowed {
            return match decided {
                Some(d) if !d.is_empty() => Err(not_tied(band, d.keys().next().unwrap())),
                _ => Ok(()),
            };
        }
        let cut_rank = results[members[allowed]].rank;
        let tie = allowed > 0 && results[members[allowed - 1]].rank == cut_rank;
        let at_cut = |i: usize| tie && results[i].rank == cut_rank;
        let none = Decided::new();
        let decided = decided.unwrap_or(&none);
        let keep = kept_at_cut(results, &members, &at_cut, decided, band)?;
        let seats = members
            .iter()
            .filter(|i| results[**i].rank < cut_rank)
            .count();
        let seats = allowed.saturating_sub(seats);
        if keep.len() > seats {
            return Err(decision_error(
                format!("quyết định giữ {} đơn vị ở xếp loại «{}» nhưng tỷ lệ tối đa chỉ còn {seats} chỗ", keep.len(), band.name),
                format!("the decision keeps {} units in band «{}» but its quota leaves room for {seats}", keep.len(), band.name),
            ));
        }
        let to = (bi + 1).min(self.bands.len() - 1);
        for (pos, i) in members.iter().copied().enumerate() {
            let cut = at_cut(i);
            if cut && !decided.is_empty() {
                c.decisions[i] = Some(CutoffDecision {
                    band: band.id.clone(),
                    band_name: band.name.clone(),
                    kept: keep.contains(&i),
                    decision: decided
                        .get(&results[i].unit)
                        .or_else(|| decided.values().max())
                        .copied()
                        .unwrap_or(0),
                });
            }
            if keep.contains(&i) {
                c.tie[i] = true;
                continue;
            }
            if !(pos >= allowed || cut) {
                continue;
            }
            c.tie[i] = cut;
            if to != bi {
                c.quotas[i].push(QuotaNote {
                    band: band.id.clone(),
                    band_name: band.name.clone(),
                    to_band_name: self.bands[to].name.clone(),
                    quota_pct: q,
                    ranked,
                    allowed,
                    reaching: members.len(),
                    rank: results[i].rank.unwrap_or(0),
                });
            }
            c.assigned[i] = to;
        }
        Ok(())
    }
}

/// The decisions of data `@kept:BAND`: band id → [`Decided`].
pub(crate) type Kept = std::collections::BTreeMap<String, Decided>;

/// The units one band's decision keeps: unit id → the decision's log index.
pub(crate) type Decided = std::collections::BTreeMap<String, u64>;

/// Classification in progress: each ranked unit's band, whether it is tied at a cut-off, the
/// quotas that moved it and the decision on its tie.
struct Classes {
    assigned: Vec<usize>,
    tie: Vec<bool>,
    quotas: Vec<Vec<QuotaNote>>,
    decisions: Vec<Option<CutoffDecision>>,
}

/// The members a decision keeps: each unit it names must be tied at the cut-off.
fn kept_at_cut(
    results: &[UnitResult],
    members: &[usize],
    at_cut: &dyn Fn(usize) -> bool,
    decided: &Decided,
    band: &crate::ast::Band,
) -> Result<std::collections::BTreeSet<usize>, EngineError> {
    decided
        .keys()
        .map(|unit| {
            members
                .iter()
                .copied()
                .find(|i| results[*i].unit == *unit && at_cut(*i))
                .ok_or_else(|| not_tied(band, unit))
        })
        .collect()
}

fn not_tied(band: &crate::ast::Band, unit: &str) -> EngineError {
    decision_error(
        format!(
            "quyết định giữ `{unit}` ở xếp loại «{}», nhưng đơn vị này không bằng điểm tại ngưỡng tỷ lệ tối đa của xếp loại đó",
            band.name
        ),
        format!(
            "the decision keeps `{unit}` in band «{}», but that unit is not tied at the band's quota cut-off",
            band.name
        ),
    )
}

fn decision_error(vi: String, en: String) -> EngineError {
    EngineError::Decision { vi, en }
}
