//! Formats 1 and 2 of `holidays_declared`, the public holidays of a year; format 2 adds
//! `working_days` (the weekend days worked in exchange, ngày làm bù) and always has it. Frozen:
//! these structures are the bytes of the log.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::holidays::HolidaysDeclared;
use crate::text::Text;

/// `holidays_declared` format 1: the administrator declared the days off of a calendar `year`
/// as the Government announced them (`days`, ascending, each once, all in `year`; Saturdays and
/// Sundays may be among them) and the announcement they follow (`reference`). A later
/// declaration of the same year replaces the earlier one; both stay in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format1 {
    pub year: i32,
    pub days: Vec<NaiveDate>,
    pub reference: Text,
}

/// `holidays_declared` format 2: format 1 and `working_days`, the Saturdays and Sundays of
/// `year` worked in exchange for a day off (ascending, each once, none of them among `days`;
/// often empty, always written).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format2 {
    pub year: i32,
    pub days: Vec<NaiveDate>,
    pub working_days: Vec<NaiveDate>,
    pub reference: Text,
}

/// The decoder of the holidays kind; `None` for another format. Format 1 has no working days.
pub(super) fn decode(v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    use crate::event::Payload as P;
    match v {
        1 => Some(super::typed(data, |w: Format1| {
            P::HolidaysDeclared(HolidaysDeclared {
                year: w.year,
                days: w.days,
                working_days: Vec::new(),
                reference: w.reference,
            })
        })),
        2 => Some(super::typed(data, |w: Format2| {
            P::HolidaysDeclared(HolidaysDeclared {
                year: w.year,
                days: w.days,
                working_days: w.working_days,
                reference: w.reference,
            })
        })),
        _ => None,
    }
}

/// The holidays event in its newest format (2).
pub(super) fn encode(e: &HolidaysDeclared) -> (u32, serde_json::Value) {
    let wire = Format2 {
        year: e.year,
        days: e.days.clone(),
        working_days: e.working_days.clone(),
        reference: e.reference.clone(),
    };
    (
        2,
        serde_json::to_value(wire).expect("wire values always serialise"),
    )
}
