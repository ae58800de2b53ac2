//! Projection of a unit's figures to the end of the year: a summed element goes on with last
//! year's seasonal profile of the same windows (this year to date × last year's total ÷ last
//! year to date), or linearly (× 12 ÷ months) when last year is incomplete or zero to date; an
//! element read as a mean, a maximum or its last value is kept as it stands. Exact rationals,
//! rounded once to four decimals (half up) for the engine's data row.

use rust_decimal::Decimal;
use serde::Serialize;
use thidua_scoring::ast::Aggregation;
use thidua_scoring::engine::Measurer;
use thidua_scoring::exact::Rounding;
use thidua_scoring::explain::Val;
use thidua_scoring::{CompiledRegulation, Exact, PeriodKey};

/// How a unit's summed figures were projected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Every summed element followed last year's seasonal profile.
    Seasonal,
    /// Every summed element went on at this year's monthly average.
    Linear,
    /// Some of each.
    Mixed,
    /// Nothing summed could be projected (no figures to date).
    None,
}

impl Method {
    fn with(self, seasonal: bool) -> Method {
        match (self, seasonal) {
            (Method::None, true) => Method::Seasonal,
            (Method::None, false) => Method::Linear,
            (Method::Seasonal, false) | (Method::Linear, true) => Method::Mixed,
            (m, _) => m,
        }
    }
}

/// The projected year's value of every element of a unit that has a value to date (element id,
/// value rounded to four decimals), and the method used.
pub fn elements(
    reg: &CompiledRegulation,
    data: &Measurer,
    unit: &str,
    year: i32,
    through: u8,
) -> (Vec<(String, Decimal)>, Method) {
    let mut method = Method::None;
    let mut out = Vec::new();
    let ytd = PeriodKey::year_to_date(year, through);
    let last_ytd = PeriodKey::year_to_date(year - 1, through);
    let last_year = PeriodKey::year_to_date(year - 1, 12);
    let (Some(ytd), Some(last_ytd), Some(last_year)) = (ytd, last_ytd, last_year) else {
        return (out, method);
    };
    let num = |id: &str, p: PeriodKey| match data.measure(unit, id, p) {
        Some(Ok(Val::Num(n))) => Some(n),
        _ => None,
    };
    for el in &reg.ast().elements {
        let Some(now) = num(&el.id, ytd) else {
            continue;
        };
        let value = if el.aggregate == Aggregation::Sum {
            let seasonal = num(&el.id, last_ytd)
                .filter(|b| !b.is_zero())
                .zip(num(&el.id, last_year))
                .and_then(|(b, full)| now.mul(&full).ok()?.div(&b).ok());
            method = method.with(seasonal.is_some());
            match seasonal {
                Some(v) => Some(v),
                None => linear(&now, through),
            }
        } else {
            Some(now)
        };
        // A whole-number element (a count of cases) is projected to a whole number, which the
        // engine's data accepts; anything else keeps four decimals written out ("83.1250"), never
        // three, which the data's reader takes for a thousands separator ("83.125") and refuses.
        let places = if el.integer { 0 } else { 4 };
        if let Some(mut d) = value.and_then(|v| v.round(places, Rounding::HalfUp).to_decimal()) {
            d.rescale(places);
            out.push((el.id.clone(), d));
        }
    }
    (out, method)
}

/// `value × 12 ÷ months`.
pub fn linear(value: &Exact, months: u8) -> Option<Exact> {
    value
        .mul(&Exact::int(12))
        .ok()?
        .div(&Exact::int(i64::from(months)))
        .ok()
}
