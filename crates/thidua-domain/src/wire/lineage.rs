//! Format 1 of `lineage_withdrawn`, a merger or split withdrawn by the administrator. Frozen:
//! this structure is the bytes of the log.

use serde::{Deserialize, Serialize};

use super::v1::LineageChange;
use crate::lineage::LineageWithdrawn;
use crate::text::Text;

/// `lineage_withdrawn` format 1: the record written at log index `index` (a
/// `lineage_recorded`) is withdrawn for `reason`; `change` repeats that record's data exactly,
/// in `lineage_recorded` format 1, so that the event reads alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format1 {
    pub index: u64,
    pub change: LineageChange,
    pub reason: Text,
}

/// The decoder of the withdrawal kind; `None` for another format.
pub(super) fn decode(v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    (v == 1).then(|| {
        super::typed(data, |w: Format1| {
            crate::event::Payload::LineageWithdrawn(LineageWithdrawn {
                index: w.index,
                change: w.change.into(),
                reason: w.reason,
            })
        })
    })
}

/// The withdrawal in its newest format (1).
pub(super) fn encode(e: &LineageWithdrawn) -> (u32, serde_json::Value) {
    let wire = Format1 {
        index: e.index,
        change: (&e.change).into(),
        reason: e.reason.clone(),
    };
    (
        1,
        serde_json::to_value(wire).expect("wire values always serialise"),
    )
}
