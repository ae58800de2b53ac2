//! The public holidays of a year, `holidays_declared` (format 1). Frozen: this structure is the
//! bytes of the log.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// `holidays_declared`: the administrator declared the days off of a calendar `year` as the
/// Government announced them (`days`, ascending, each once, all in `year`; Saturdays and Sundays
/// may be among them) and the announcement they follow (`reference`). A later declaration of
/// the same year replaces the earlier one; both stay in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaysDeclared {
    pub year: i32,
    pub days: Vec<NaiveDate>,
    pub reference: Text,
}

/// The decoder of the holidays kind; `None` for another format.
pub(super) fn decode(v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    (v == 1).then(|| super::typed(data, crate::event::Payload::HolidaysDeclared))
}

/// The holidays event in its newest format (1).
pub(super) fn encode(e: &HolidaysDeclared) -> (u32, serde_json::Value) {
    (
        1,
        serde_json::to_value(e).expect("wire values always serialise"),
    )
}
