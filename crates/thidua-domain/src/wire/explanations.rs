//! The explanation of an integrity flag, `flag_explained` (format 1). Frozen: this structure is
//! the bytes of the log.

use serde::{Deserialize, Serialize};

use crate::ids::{CovenantId, UnitId};
use crate::text::Text;

/// `flag_explained`: the leader of a flagged unit explained one of its integrity flags
/// ([`crate::integrity`]) to those who see them. The flag is named by its unit, period
/// (`2024-M05`; the year's data quality `2024-Y`), kind code and subject (the funnel's id for a
/// funnel drop, the element's id for a series break or a near-target change; none for data
/// quality). A later explanation of the same flag replaces the earlier one on the flags page;
/// both stay in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagExplained {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub period: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub text: Text,
}

/// The decoder of the explanation kind; `None` for another format.
pub(super) fn decode(v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    (v == 1).then(|| super::typed(data, crate::event::Payload::FlagExplained))
}

/// The explanation event in its newest format (1).
pub(super) fn encode(e: &FlagExplained) -> (u32, serde_json::Value) {
    (
        1,
        serde_json::to_value(e).expect("wire values always serialise"),
    )
}
