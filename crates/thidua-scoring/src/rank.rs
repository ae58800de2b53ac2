//! Ranking and classification: units ordered by total, then by the regulation's tie-break
//! keys (units still equal share a rank); bands by score; quotas that move the lowest-ranked
//! units of a full band down one band. Every tie settled and every unit moved down carries a
//! note saying how (`UnitResult::ties`, `BandResult::quotas`).
use crate::compile::{CompiledRegulation, TieKey};
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

    pub(crate) fn rank_and_classify(&self, results: &mut [UnitResult]) {
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
        self.classify(&mut results[..ranked]);
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

    /// Bands by score, then quotas.
    fn classify(&self, results: &mut [UnitResult]) {
        let ranked = results.len();
        let band_of = |t: &Exact| -> usize {
            self.bands
                .iter()
                .position(|b| b.min.is_none_or(|m| *t >= Exact::from(m)))
                .unwrap_or(self.bands.len().saturating_sub(1))
        };
        let mut assigned: Vec<usize> = results
            .iter()
            .map(|r| band_of(&r.total.clone().unwrap_or_default()))
            .collect();
        let by_score = assigned.clone();
        let mut tie_flag = vec![false; ranked];
        let mut quotas: Vec<Vec<QuotaNote>> = vec![Vec::new(); ranked];
        for bi in 0..self.bands.len() {
            let Some(q) = self.bands[bi].quota_pct else {
                continue;
            };
            let allowed = Exact::int(ranked as i64)
                .mul(&Exact::from(q))
                .and_then(|x| x.div(&Exact::int(100)))
                .map(|x| x.floor())
                .ok()
                .and_then(|x| x.to_decimal())
                .and_then(|d| usize::try_from(d).ok())
                .unwrap_or(0);
            let members: Vec<usize> = (0..ranked).filter(|i| assigned[*i] == bi).collect();
            if members.len() <= allowed {
                continue;
            }
            let cut_rank = results[members[allowed]].rank;
            let tie = allowed > 0 && results[members[allowed - 1]].rank == cut_rank;
            for (pos, i) in members.iter().enumerate() {
                let at_cut = tie && results[*i].rank == cut_rank;
                if pos >= allowed || at_cut {
                    tie_flag[*i] = at_cut;
                    let to = (bi + 1).min(self.bands.len() - 1);
                    if to != bi {
                        quotas[*i].push(QuotaNote {
                            band: self.bands[bi].id.clone(),
                            band_name: self.bands[bi].name.clone(),
                            to_band_name: self.bands[to].name.clone(),
                            quota_pct: q,
                            ranked,
                            allowed,
                            reaching: members.len(),
                            rank: results[*i].rank.unwrap_or(0),
                        });
                    }
                    assigned[*i] = to;
                }
            }
        }
        for (i, r) in results.iter_mut().enumerate() {
            let b = &self.bands[assigned[i]];
            r.band = Some(BandResult {
                id: b.id.clone(),
                name: b.name.clone(),
                by_score: self.bands[by_score[i]].id.clone(),
                by_score_name: self.bands[by_score[i]].name.clone(),
                demoted_by_quota: assigned[i] != by_score[i],
                tie_at_cutoff: tie_flag[i],
                quotas: std::mem::take(&mut quotas[i]),
            });
        }
    }
}
