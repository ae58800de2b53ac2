//! Who reads a unit's integrity flags: the unit itself, the cluster's overseers (secretariat,
//! supervisor; administrators) and the units drawn to inspect it in the covenant's year-end
//! review. Other member units do not, although the approved figures the flags are computed
//! from are open to the whole cluster: a flag is a prompt for review, not a finding, and the
//! issue asks that it be shown to the unit, its inspectors and the secretariat. Anyone of the
//! cluster can still recompute them from the published figures; this rule decides only what
//! the pages, the API and the CSV export show.

use thidua_domain::state::Covenant;
use thidua_domain::{State, UnitId};

use super::Scope;

impl Scope {
    /// Whether the user reads `unit`'s flags in `covenant` (the covenant itself visible).
    pub fn reads_flags(&self, state: &State, covenant: &Covenant, unit: &UnitId) -> bool {
        self.oversees(&covenant.cluster)
            || self.own_units().contains(unit)
            || state
                .yearend
                .reviews
                .get(&covenant.id)
                .is_some_and(|r| !self.inspects(r, unit).is_empty())
    }
}
