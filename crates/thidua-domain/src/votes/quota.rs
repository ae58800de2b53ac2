//! The Government's emulation flag across clusters: the Ministry proposes it for about a fifth
//! of the units that lead their clusters (Decree 91/2017 and the guidance of 2023, believed kept
//! by Decree 98/2023). A guide for whoever gathers the clusters' proposals, not a rule of any
//! one cluster's vote: each cluster votes on its own, and only the Ministry sees them all.

use rust_decimal::Decimal;

/// The share of the units leading their clusters that the Government's flag is proposed for,
/// about: 20%.
pub const GOVERNMENT_FLAG_SHARE: Decimal = Decimal::from_parts(2, 0, 0, false, 1);

/// Government-flag proposals of a year against the guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GovernmentFlagGuide {
    /// Units ranked first in their clusters' published results.
    pub leaders: u32,
    /// Units the clusters' votes proposed for the Government's flag.
    pub proposed: u32,
    /// `GOVERNMENT_FLAG_SHARE × leaders`, exact (2,4 for 12 leaders).
    pub guide: Decimal,
}

impl GovernmentFlagGuide {
    /// The guide for `leaders` units leading their clusters and `proposed` proposals.
    pub fn new(leaders: u32, proposed: u32) -> Self {
        Self {
            leaders,
            proposed,
            guide: GOVERNMENT_FLAG_SHARE * Decimal::from(leaders),
        }
    }

    /// Whether the proposals exceed the guide.
    pub fn over(&self) -> bool {
        Decimal::from(self.proposed) > self.guide
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifth_of_the_leaders_exactly() {
        let g = GovernmentFlagGuide::new(12, 2);
        assert_eq!(g.guide.to_string(), "2.4");
        assert!(!g.over());
        assert!(GovernmentFlagGuide::new(12, 3).over());
        assert!(
            !GovernmentFlagGuide::new(10, 2).over(),
            "2 of 10 is the guide itself"
        );
        assert!(GovernmentFlagGuide::new(4, 1).over(), "0,8 of a unit");
        assert!(!GovernmentFlagGuide::new(0, 0).over());
    }
}
