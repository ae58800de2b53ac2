//! What several templates share: the cluster's bodies in the header, the members' order (head
//! first, then deputy, then the others in Vietnamese collation), a leader's title by the kind of
//! unit, Roman numerals of parts.

use chrono::NaiveDate;
use thidua_domain::ids::{ClusterId, UnitId};
use thidua_domain::model::{Unit, UnitKind};
use thidua_domain::{DomainError, State};

use crate::decree::upper;

/// The cluster's bodies: the common parent of its members that year (the body above it, e.g.
/// "Bộ Công an") and the cluster's own name.
pub struct Bodies {
    pub parent: Option<String>,
    pub cluster: String,
}

impl Bodies {
    pub fn of(
        state: &State,
        cluster: &ClusterId,
        year: i32,
        date: NaiveDate,
    ) -> Result<Bodies, DomainError> {
        let c = state.cluster(cluster)?;
        let members = state.members(cluster, year)?;
        let parents: Vec<Option<&UnitId>> = members
            .iter()
            .filter_map(|m| state.units.get(m))
            .map(|u| u.parent.as_ref())
            .collect();
        let parent = match parents.first() {
            Some(Some(p)) if parents.iter().all(|q| *q == Some(*p)) => {
                state.units.get(*p).map(|u| u.name_on(date).to_string())
            }
            _ => None,
        };
        Ok(Bodies {
            parent,
            cluster: c.cluster.name.to_string(),
        })
    }

    /// The header's bodies in capitals.
    pub fn header(&self) -> (Option<String>, String) {
        (self.parent.as_deref().map(upper), upper(&self.cluster))
    }
}

/// The members of a cluster's year: the head first, then the deputy, then the others in
/// Vietnamese collation of their names.
pub fn members_head_first<'a>(
    state: &'a State,
    cluster: &ClusterId,
    year: i32,
    members: &'a [UnitId],
) -> Vec<&'a Unit> {
    let cy = state.cluster(cluster).ok().and_then(|c| c.years.get(&year));
    let head = cy.and_then(|y| y.head.as_ref()).map(|l| &l.unit);
    let deputy = cy.and_then(|y| y.deputy.as_ref()).map(|l| &l.unit);
    let mut units = state.sorted_by_name(members);
    let rank = |u: &Unit| {
        if Some(&u.id) == head {
            0
        } else if Some(&u.id) == deputy {
            1
        } else {
            2
        }
    };
    units.sort_by_key(|u| rank(u));
    units
}

/// The title of a unit's leader, in capitals.
pub fn leader_title(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::ProvincialPolice => "GIÁM ĐỐC",
        UnitKind::CommunePolice => "TRƯỞNG CÔNG AN",
        UnitKind::Ministry => "BỘ TRƯỞNG",
        UnitKind::MinistryDepartment => "THỦ TRƯỞNG ĐƠN VỊ",
    }
}

/// I, II, III… for the parts of a document (up to 39, more than any document has).
pub fn roman(n: usize) -> String {
    const TENS: [&str; 4] = ["", "X", "XX", "XXX"];
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    format!("{}{}", TENS[(n / 10).min(3)], ONES[n % 10])
}

/// The text with its first letter in lower case (a sentence continued after a colon).
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_cases() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
        assert_eq!(lower_first("Giảm ít nhất 5%"), "giảm ít nhất 5%");
        assert_eq!(lower_first("Đạt 100%"), "đạt 100%");
    }
}
