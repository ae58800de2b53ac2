//! Succession in a signed year: what a cluster's year does when one of its members ceases during
//! it, merged or split by a lineage change recorded after the covenant was signed (the 2025
//! case: Cluster 12 signed with Kiên Giang, Hậu Giang and Bạc Liêu, which ceased on 01/07/2025).
//!
//! The covenant stays in force: the units a member went into take its seat and its
//! undertakings, and report the year's figures for their whole area (a member's year is its own
//! reports, [`crate::engine_data`]); what a member taken out published stays readable
//! ([`State::former_members`]), no longer counted. The year's membership, fixed by the signatures, may then change in one way only: members that
//! ceased during the year are taken out, and units they went into (and nothing else) are taken
//! in. A position (head, deputy) held by a member taken out falls vacant, for the secretariat
//! to record anew. Once the year-end review is open the members no longer change, and the review
//! cannot open while a member has ceased during the year.

use chrono::NaiveDate;

use crate::error::DomainError;
use crate::ids::{ClusterId, UnitId};
use crate::org::year_bounds;
use crate::state::State;

/// A member of a cluster's year that ceased during it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeasedMember {
    pub unit: UnitId,
    /// The day it ceased to exist.
    pub date: NaiveDate,
    /// The units that answer for it at the year's end (followed through later changes of the
    /// same year), in id order.
    pub successors: Vec<UnitId>,
}

impl State {
    /// The members of `cluster`'s `year` that cease during the reporting year (15/12 of the year
    /// before to 14/12), in the members' order.
    pub fn ceased_members(&self, cluster: &ClusterId, year: i32) -> Vec<CeasedMember> {
        self.ceased_among(self.members(cluster, year).unwrap_or(&[]), year)
    }

    /// The signers of a covenant version that ceased during the covenant's year, with the
    /// units that carry its undertakings on in their place, in the signers' order.
    pub fn ceased_signers(
        &self,
        covenant: &crate::state::Covenant,
        version: &crate::state::CovenantVersion,
    ) -> Vec<CeasedMember> {
        self.ceased_among(&version.members, covenant.year)
    }

    /// Those of `units` that cease during reporting `year`, with the units that answer for
    /// them at its end.
    pub(crate) fn ceased_among(&self, units: &[UnitId], year: i32) -> Vec<CeasedMember> {
        let (start, end) = year_bounds(year);
        units
            .iter()
            .filter_map(|m| {
                let date = self
                    .units
                    .get(m)?
                    .dissolved
                    .filter(|d| start < *d && *d <= end)?;
                Some(CeasedMember {
                    unit: m.clone(),
                    date,
                    successors: self.successors_at(m, end),
                })
            })
            .collect()
    }

    /// The units that answer for `unit` on `date`: the units it went into, followed through
    /// every later change effective by then, those that exist on `date`.
    pub fn successors_at(&self, unit: &UnitId, date: NaiveDate) -> Vec<UnitId> {
        let mut out: Vec<UnitId> = self
            .lineage_walk(unit, date, Self::successors)
            .into_iter()
            .skip(1)
            .filter(|u| self.units.get(u).is_some_and(|x| x.active_on(date)))
            .collect();
        out.sort();
        out
    }

    /// The signers of `covenant`'s version in force that are no longer members of its year
    /// (taken out by a succession), in the signers' order: their reports stay readable, no
    /// longer counted.
    pub fn former_members(&self, covenant: &crate::ids::CovenantId) -> Vec<UnitId> {
        let Ok(c) = self.covenant(covenant) else {
            return Vec::new();
        };
        let members = self.members(&c.cluster, c.year).unwrap_or(&[]);
        c.in_force()
            .map(|v| {
                v.members
                    .iter()
                    .filter(|m| !members.contains(m))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The membership a succession gives `cluster`'s `year`: the members that last the year,
    /// then the units the others went into that may join this cluster (existing at the year's
    /// end, of the members' kind, not a member of another cluster that year: Sóc Trăng's
    /// successor Cần Thơ stays in its own cluster), each once; `None` when no member ceased
    /// during the year.
    pub fn succeeded_members(&self, cluster: &ClusterId, year: i32) -> Option<Vec<UnitId>> {
        let ceased = self.ceased_members(cluster, year);
        if ceased.is_empty() {
            return None;
        }
        let mut out: Vec<UnitId> = self
            .members(cluster, year)
            .unwrap_or(&[])
            .iter()
            .filter(|m| ceased.iter().all(|c| &c.unit != *m))
            .cloned()
            .collect();
        for s in ceased.iter().flat_map(|c| &c.successors) {
            if self.may_succeed(cluster, year, s) && !out.contains(s) {
                out.push(s.clone());
            }
        }
        out.sort();
        Some(out)
    }

    /// Whether `unit`, a successor of a member that ceased, may take its seat in `cluster`'s
    /// `year`: it may join a cluster, is of the members' kind, and is not a member of another
    /// cluster that year.
    fn may_succeed(&self, cluster: &ClusterId, year: i32, unit: &UnitId) -> bool {
        let kind = self.cluster_member_kind(cluster, year);
        let elsewhere = self.clusters.values().any(|c| {
            &c.cluster.id != cluster && c.years.get(&year).is_some_and(|y| y.members.contains(unit))
        });
        !elsewhere
            && self
                .units
                .get(unit)
                .is_some_and(|u| u.may_join_clusters() && kind.is_none_or(|k| u.kind == k))
    }

    /// The membership a succession would give `cluster`'s `year` while one may be saved: a
    /// covenant of the year is in force, no year-end review of the year is open, and a member
    /// ceased during it ([`succeeded_members`](Self::succeeded_members)).
    pub fn succession_due(&self, cluster: &ClusterId, year: i32) -> Option<Vec<UnitId>> {
        let open = self.in_force_in(cluster, year) && !self.review_open_in(cluster, year);
        open.then(|| self.succeeded_members(cluster, year))
            .flatten()
    }

    /// Whether a covenant of `cluster`'s `year` is in force.
    fn in_force_in(&self, cluster: &ClusterId, year: i32) -> bool {
        self.covenants
            .values()
            .any(|c| &c.cluster == cluster && c.year == year && c.in_force().is_some())
    }

    /// Whether a year-end review of `cluster`'s `year` is open (or done).
    pub fn review_open_in(&self, cluster: &ClusterId, year: i32) -> bool {
        self.yearend
            .reviews
            .values()
            .any(|r| &r.cluster == cluster && r.year == year)
    }

    /// A change of a signed year's membership to `members` (`signed` the covenant whose
    /// signatures fix it) is a succession: a covenant of the year is in force, its year-end
    /// review is not open, and the change takes out only members that ceased during the year
    /// (at least one) and takes in only units they went into.
    pub(crate) fn check_succession(
        &self,
        signed: &crate::state::Covenant,
        members: &[UnitId],
    ) -> Result<(), DomainError> {
        let (cluster, year) = (&signed.cluster, signed.year);
        if self.review_open_in(cluster, year) {
            return Err(DomainError::MembershipReviewOpen {
                cluster: cluster.to_string(),
                year,
            });
        }
        let ceased = self.ceased_members(cluster, year);
        // A draft signed by some (not yet in force) is superseded, not succeeded.
        if ceased.is_empty() || !self.in_force_in(cluster, year) {
            return Err(DomainError::MembershipSigned {
                cluster: cluster.to_string(),
                year,
                covenant: signed.id.to_string(),
            });
        }
        if !is_succession(self.members(cluster, year)?, &ceased, members) {
            return Err(DomainError::MembershipSuccessionOnly {
                cluster: cluster.to_string(),
                year,
                covenant: signed.id.to_string(),
                ceased: joined(ceased.iter().map(|c| &c.unit)),
                successors: joined(ceased.iter().flat_map(|c| &c.successors)),
            });
        }
        self.no_successor_left_out(cluster, year, &ceased, members)
    }

    /// Each member a succession takes out is carried on by one of the units it went into,
    /// when any of them may take its seat ([`may_succeed`](Self::may_succeed)): unticking the
    /// successor too would leave its undertakings to nobody.
    fn no_successor_left_out(
        &self,
        cluster: &ClusterId,
        year: i32,
        ceased: &[CeasedMember],
        members: &[UnitId],
    ) -> Result<(), DomainError> {
        for c in ceased.iter().filter(|c| !members.contains(&c.unit)) {
            let eligible: Vec<&UnitId> = c
                .successors
                .iter()
                .filter(|s| self.may_succeed(cluster, year, s))
                .collect();
            if !eligible.is_empty() && !eligible.iter().any(|s| members.contains(s)) {
                return Err(DomainError::MembershipSuccessorLeftOut {
                    cluster: cluster.to_string(),
                    year,
                    unit: c.unit.to_string(),
                    successors: joined(eligible.into_iter()),
                });
            }
        }
        Ok(())
    }
}

/// Unit ids as a refusal carries them: each once, in the order given, joined with ", ".
pub(crate) fn joined<'a>(units: impl Iterator<Item = &'a UnitId>) -> String {
    once(units.map(UnitId::to_string)).join(", ")
}

/// `items` each once, in the order given.
fn once(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in items {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// How notices and refusals name ceased members: each as `Name (dd/mm/yyyy)`, the day it
/// ceased; and their successors by name, each once.
pub fn named_ceased(state: &State, ceased: &[CeasedMember]) -> (Vec<String>, Vec<String>) {
    let name = |u: &UnitId| {
        state
            .units
            .get(u)
            .map_or_else(|| u.to_string(), |x| x.name.to_string())
    };
    let units = ceased
        .iter()
        .map(|m| format!("{} ({})", name(&m.unit), m.date.format("%d/%m/%Y")))
        .collect();
    let successors = once(ceased.iter().flat_map(|m| &m.successors).map(name));
    (units, successors)
}

/// Whether going from `current` to `members` takes out only members of `ceased` (at least
/// one) and takes in only units those it takes out went into.
fn is_succession(current: &[UnitId], ceased: &[CeasedMember], members: &[UnitId]) -> bool {
    let removed: Vec<&CeasedMember> = current
        .iter()
        .filter(|m| !members.contains(m))
        .map(|r| ceased.iter().find(|c| &c.unit == r))
        .collect::<Option<_>>()
        .unwrap_or_default();
    !removed.is_empty()
        && members
            .iter()
            .filter(|m| !current.contains(m))
            .all(|a| removed.iter().any(|c| c.successors.contains(a)))
}
