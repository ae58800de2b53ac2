//! Who reads which year-end event (and so what a member's partial replay folds). Until the
//! results are published: what the draw needs (the opening, conflicts, commitments, reveals,
//! record populations, the draw or decision, eligibility) is open to the cluster; a unit's
//! saved drafts to the unit only (officers save them), its submitted dossier to the unit, the
//! cluster's secretariat and supervisor and, after the draw, the unit's assigned inspectors;
//! findings on a unit to the inspector that wrote them, the inspected unit, the secretariat and
//! supervisor and the co-inspectors that have submitted their own (never before); responses and resolutions to the unit, the secretariat and
//! supervisor and the inspectors that have submitted; the lock to the secretariat and
//! supervisor. Once the results are published the whole review is open to the cluster, so that
//! every member recomputes them from the log. Each set is closed under what applying its
//! events needs.

use thidua_domain::yearend::{Review, YearEndEvent};
use thidua_domain::{State, UnitId};

use super::{Scope, Visibility};

impl Scope {
    /// Whether the user serves the cluster as secretariat or supervisor (or administers).
    pub fn oversees(&self, cluster: &thidua_domain::ClusterId) -> bool {
        self.is_admin() || self.serves(cluster)
    }

    /// The user's units that inspect `unit` in the review.
    pub(super) fn inspects(&self, review: &Review, unit: &UnitId) -> Vec<UnitId> {
        let own = self.own_units();
        review
            .inspectors_of(unit)
            .into_iter()
            .filter(|i| own.contains(i))
            .collect()
    }

    /// Whether one of the user's units inspects `unit` and has submitted its findings on it.
    fn inspected_and_submitted(&self, review: &Review, unit: &UnitId) -> bool {
        self.inspects(review, unit)
            .iter()
            .any(|i| review.finding(i, unit).is_some())
    }

    /// Whether the user reads `unit`'s submitted dossier in `review` (the unit, the cluster's
    /// overseers, the unit's assigned inspectors; everyone of the cluster once published).
    pub fn reads_dossier(&self, review: &Review, unit: &UnitId) -> bool {
        self.oversees(&review.cluster)
            || review.published.is_some()
            || self.own_units().contains(unit)
            || !self.inspects(review, unit).is_empty()
    }

    /// Whether the user reads `inspector`'s findings on `inspected`: the two units, the
    /// overseers, co-inspectors that submitted their own; everyone once published.
    pub fn reads_finding(&self, review: &Review, inspector: &UnitId, inspected: &UnitId) -> bool {
        let own = self.own_units();
        self.oversees(&review.cluster)
            || review.published.is_some()
            || own.contains(inspector)
            || own.contains(inspected)
            || self.inspected_and_submitted(review, inspected)
    }

    /// Whether the user reads `unit`'s response and the council's decisions on it.
    pub fn reads_disputes(&self, review: &Review, unit: &UnitId) -> bool {
        self.oversees(&review.cluster)
            || review.published.is_some()
            || self.own_units().contains(unit)
            || self.inspected_and_submitted(review, unit)
    }

    pub(super) fn can_view_yearend(
        &self,
        state: &State,
        vis: &Visibility,
        e: &YearEndEvent,
    ) -> bool {
        use YearEndEvent as E;
        let Some(covenant) = state.covenants.get(e.covenant()) else {
            return false;
        };
        if !vis.clusters.contains(&covenant.cluster) {
            return false;
        }
        if self.oversees(&covenant.cluster) {
            return true;
        }
        let Some(review) = state.yearend.reviews.get(e.covenant()) else {
            return false;
        };
        match e {
            E::YearEndOpened(_)
            | E::DeadlineMoved(_)
            | E::ConflictDeclared(_)
            | E::SeedCommitted(_)
            | E::SeedRevealed(_)
            | E::BeaconPinned(_)
            | E::BeaconRecorded(_)
            | E::AssignmentDrawn(_)
            | E::AssignmentDecided(_)
            | E::RecordsDeclared(_)
            | E::EligibilityRecorded(_) => true,
            // A unit's drafts: the unit only, answered for every event reader by
            // `Scope::reads_unit_draft` before this is asked.
            E::DossierSaved(_) => unreachable!("answered by reads_unit_draft"),
            E::DossierSubmitted(d) => self.reads_dossier(review, &d.unit),
            E::FindingSubmitted(f) => self.reads_finding(review, &f.inspector, &f.inspected),
            E::ResponseSubmitted(r) => self.reads_disputes(review, &r.unit),
            E::DisputeResolved(r) => self.reads_disputes(review, &r.unit),
            E::YearEndLocked(_) | E::ResultsPublished(_) | E::CutoffTieDecided(_) => {
                review.published.is_some()
            }
        }
    }
}
