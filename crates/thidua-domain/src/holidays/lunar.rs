//! The Vietnamese lunar calendar (âm lịch), for the two holidays it places: the first day of Tết
//! (1/1) and the Hùng Kings' day (10/3). Only a suggestion for the administrator's form — the
//! days off are what the Government announces and the administrator declares
//! ([`super::HolidaysDeclared`]); nothing is scored or dated from it.
//!
//! A lunar month starts on the day (in Vietnam's time, UTC+7) of a new moon; month 11 holds the
//! winter solstice; a year of 13 months repeats (as a leap month) the first month after month 11
//! that holds no principal term of the sun. New moons and the sun's longitude are computed with
//! the short astronomical series of Jean Meeus's *Astronomical Algorithms* (accurate to minutes
//! for these centuries), in binary floating point: the results are whole days, and the tests pin
//! the known dates of 2023–2029 and Tết 2030, which the time zone decides (the new moon 53 minutes
//! before midnight in Vietnam).

use chrono::NaiveDate;
use std::f64::consts::PI;

/// Vietnam's time zone, in hours after UTC.
const TIME_ZONE: f64 = 7.0;

/// The mean length of a lunation, in days.
const SYNODIC_MONTH: f64 = 29.530588853;

/// The Julian day number of the new moon of 1 January 1900 (lunation 0 of the series).
const LUNATION_0: f64 = 2415021.076998695;

/// The solar date of lunar `day` of lunar `month` (1–12, never the leap month) of the lunar year
/// that starts in solar `year`.
pub fn solar_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let (a11, b11) = if month < 11 {
        (month_11(year - 1), month_11(year))
    } else {
        (month_11(year), month_11(year + 1))
    };
    let k = (0.5 + (a11 as f64 - LUNATION_0) / SYNODIC_MONTH).floor() as i64;
    let mut offset = (i64::from(month) + 12 - 11) % 12;
    if b11 - a11 > 365 && offset >= leap_month_offset(a11) {
        offset += 1;
    }
    let start = new_moon_day(k + offset);
    from_julian_day(start + i64::from(day) - 1)
}

/// The first day of Tết (1/1 of the lunar year that starts in `year`).
pub fn tet(year: i32) -> Option<NaiveDate> {
    solar_date(year, 1, 1)
}

/// The Hùng Kings' commemoration day (10/3 of the lunar year that starts in `year`).
pub fn hung_kings(year: i32) -> Option<NaiveDate> {
    solar_date(year, 3, 10)
}

/// The Julian day number of a solar date.
fn julian_day(date: NaiveDate) -> i64 {
    // 1 January 2000 is Julian day 2451545.
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
    2_451_545 + (date - epoch).num_days()
}

fn from_julian_day(jd: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)?;
    epoch.checked_add_signed(chrono::Duration::days(jd - 2_451_545))
}

/// The Julian date (UTC) of new moon number `k` counted from January 1900.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * dr;
    let mpr = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * dr;
    let f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * dr;
    let c1 = (0.1734 - 0.000393 * t) * m.sin() + 0.0021 * (2.0 * m).sin() - 0.4068 * mpr.sin()
        + 0.0161 * (2.0 * mpr).sin()
        - 0.0004 * (3.0 * mpr).sin()
        + 0.0104 * (2.0 * f).sin()
        - 0.0051 * (m + mpr).sin()
        - 0.0074 * (m - mpr).sin()
        + 0.0004 * (2.0 * f + m).sin()
        - 0.0004 * (2.0 * f - m).sin()
        - 0.0006 * (2.0 * f + mpr).sin()
        + 0.0010 * (2.0 * f - mpr).sin()
        + 0.0005 * (2.0 * mpr + m).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd + c1 - delta_t
}

/// The Julian day number of the day, in Vietnam, of new moon `k`.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The sun's apparent longitude (radians, 0–2π) at Julian date `jd` (UTC).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin()
        + (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin()
        + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the twelve 30° sectors the sun is in at the start of day `jd` in Vietnam (0: from
/// the spring equinox; 9: from the winter solstice).
fn sun_sector(jd: i64) -> i64 {
    (sun_longitude(jd as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// The Julian day number of the first day of lunar month 11 of solar `year` (the month that
/// holds the winter solstice).
fn month_11(year: i32) -> i64 {
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid date");
    let off = julian_day(last_day) - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// In a 13-month year starting at month 11 `a11`: how many months after it the leap month is
/// (the first month in which the sun enters no new sector).
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - LUNATION_0) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The first days of Tết and the Hùng Kings' days of 2023–2029 as the calendars printed in
    /// Vietnam give them (2023 has a leap second month, before the third; 2025 and 2028 have theirs after it).
    #[test]
    fn tet_and_the_hung_kings_day_fall_on_their_known_dates() {
        let known = [
            (2023, d(2023, 1, 22), d(2023, 4, 29)),
            (2024, d(2024, 2, 10), d(2024, 4, 18)),
            (2025, d(2025, 1, 29), d(2025, 4, 7)),
            (2026, d(2026, 2, 17), d(2026, 4, 26)),
            (2027, d(2027, 2, 6), d(2027, 4, 16)),
            (2028, d(2028, 1, 26), d(2028, 4, 4)),
            (2029, d(2029, 2, 13), d(2029, 4, 23)),
        ];
        for (year, tet_day, hung_kings_day) in known {
            assert_eq!(tet(year), Some(tet_day), "Tết {year}");
            assert_eq!(hung_kings(year), Some(hung_kings_day), "Giỗ Tổ {year}");
        }
    }

    /// Tết 2030 is where Vietnam's time zone decides: the new moon falls at 16:07 UTC on
    /// 2 February 2030 (Meeus's full series of periodic terms, checked apart from this code),
    /// 23:07 in Vietnam but 00:07 on 3 February in China. Vietnam's calendar counts in UTC+7:
    /// 2 February, a day before China's New Year.
    #[test]
    fn tet_2030_is_counted_in_vietnams_time_zone() {
        assert_eq!(tet(2030), Some(d(2030, 2, 2)));
    }
}
