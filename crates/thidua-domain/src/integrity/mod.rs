//! Integrity flags: signs of gaming made visible on APPROVED figures, each with a kind and a
//! reason a person can check — never a penalty: nothing here enters a score. The kinds:
//!
//! - [`funnel`]: a step ratio of a funnel the regulation declares (`[[funnel]]`: reports
//!   received → cases → solved; cases → serious cases) drops against the unit's own previous
//!   year AND against its peers in the same window (robust z-scores, threshold configurable);
//! - [`breaks`]: a month far outside the unit's own range over its previous twelve windows (one
//!   full seasonal cycle);
//! - [`yoy`]: a count (a watched element declared `integer`) below `1/F` or above `F` times
//!   the same window a year before (cùng kỳ,
//!   with a merged unit's predecessors' figures added), `F` = 2 by default, when the larger of
//!   the two is at least 20 — a cut of the same size in every window, which a series whose
//!   spread is wide never shows as a break;
//! - [`boundary`]: a year-over-year change that lands just past a target's boundary again and
//!   again;
//! - [`quality`]: late and corrected reports, as a per-unit data-quality figure of the year.
//!
//! The input is a [`Panel`] (units × windows × elements, exact decimals), built from the log's
//! state by [`collect`] or by the synthetic generator [`synth`]. All arithmetic is exact
//! ([`robust`]); the same panel gives the same flags, in the same order, on every machine.

pub mod boundary;
pub mod breaks;
pub mod collect;
pub mod funnel;
pub mod incremental;
pub mod quality;
pub mod robust;
pub mod synth;
pub mod yoy;

use rust_decimal::Decimal;
use serde::Serialize;

/// One reporting window of the panel: the reporting year and the window's key (`M03`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub year: i32,
    pub window: String,
}

impl Period {
    /// `2024-M03`, as the data files and the CSV export write it.
    pub fn label(&self) -> String {
        format!("{}-{}", self.year, self.window)
    }
}

/// One unit's approved figures: `values[period][element]` (`None`: not approved, not given or
/// not applicable), and per period whether the first submission was late and how many times
/// the approved figures were corrected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitSeries {
    pub unit: String,
    pub values: Vec<Vec<Option<Decimal>>>,
    pub late: Vec<bool>,
    pub corrections: Vec<u32>,
}

impl UnitSeries {
    pub fn value(&self, period: usize, element: usize) -> Option<Decimal> {
        self.values.get(period)?.get(element).copied().flatten()
    }
}

/// A funnel as the flags use it: element positions in the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelSpec {
    pub id: String,
    pub name: String,
    pub steps: Vec<usize>,
    /// The regulation's own threshold, else [`Settings::funnel_z`].
    pub threshold: Option<Decimal>,
}

/// Which way a target's boundary is passed: at least (`≥`) or at most (`≤`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// A target boundary on an element's change against the same window a year before, in percent
/// (`crimes` at most −5: at least 5% fewer than last year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boundary {
    pub element: usize,
    pub better: Better,
    pub bound_pct: Decimal,
}

/// Everything the flags look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Panel {
    /// Element ids and names.
    pub elements: Vec<(String, String)>,
    /// Windows in time order.
    pub periods: Vec<Period>,
    pub units: Vec<UnitSeries>,
    pub funnels: Vec<FunnelSpec>,
    pub boundaries: Vec<Boundary>,
    /// Elements watched for breaks in a series (positions).
    pub series: Vec<usize>,
    /// Elements compared with the same window a year before (positions): counts summed over
    /// windows (`integer = true`), whose size says something; an amount of money recovered
    /// is lumpy by nature, and doubling it is no sign.
    pub counts: Vec<usize>,
    /// The first year whose windows are flagged: a covenant's flags are for its own year, the
    /// year before is the series' history only (its own covenant flags it). `None`: every
    /// window of the panel (the synthetic benchmark measures both years).
    pub flagged_from: Option<i32>,
}

/// Thresholds, all configurable; the defaults are what the measurement used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Robust z below which a funnel ratio is a drop (own year and peers alike; both must
    /// hold). 2 by default: with monthly counts of a few hundred, a 15% drop is only 2–3 robust
    /// scales, and requiring both tests keeps honest windows rare (see [`synth`]).
    pub funnel_z: Decimal,
    /// Robust z beyond which a month breaks its series.
    pub break_z: Decimal,
    /// Reference values a test needs (own previous year, previous windows).
    pub min_reference: usize,
    /// Units with a ratio in the window that the peer test needs (a cluster has five or more).
    pub min_peers: usize,
    /// Floor of a ratio's spread, as a share of its median (a flat history is not infinitely
    /// precise).
    pub ratio_floor: Decimal,
    /// "Just past" a boundary: within this many percentage points on the right side.
    pub near_margin_pct: Decimal,
    /// Windows of one year that must land just past before it is flagged.
    pub near_repeats: usize,
    /// A window is flagged against the same window a year before when it is below `1 /
    /// yoy_factor` or above `yoy_factor` times it ([`yoy`]).
    pub yoy_factor: Decimal,
    /// ... and the larger of the two figures is at least this (small counts raise no noise).
    pub yoy_min: Decimal,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            funnel_z: Decimal::TWO,
            break_z: Decimal::from(5),
            min_reference: 6,
            min_peers: 5,
            ratio_floor: Decimal::new(2, 2),
            near_margin_pct: Decimal::ONE,
            near_repeats: 3,
            yoy_factor: Decimal::TWO,
            yoy_min: Decimal::from(20),
        }
    }
}

/// The kinds of flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    FunnelDrop,
    SeriesBreak,
    NearTarget,
    DataQuality,
    YearChange,
}

impl FlagKind {
    /// Every kind, in the order flags of one unit and window are sorted.
    pub const ALL: [FlagKind; 5] = [
        FlagKind::FunnelDrop,
        FlagKind::SeriesBreak,
        FlagKind::NearTarget,
        FlagKind::DataQuality,
        FlagKind::YearChange,
    ];

    /// The kind whose [`FlagKind::code`] is `code`.
    pub fn from_code(code: &str) -> Option<FlagKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            FlagKind::FunnelDrop => "funnel_drop",
            FlagKind::SeriesBreak => "series_break",
            FlagKind::NearTarget => "near_target",
            FlagKind::DataQuality => "data_quality",
            FlagKind::YearChange => "year_change",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            FlagKind::FunnelDrop => "Tỷ lệ phễu giảm bất thường",
            FlagKind::SeriesBreak => "Số liệu đột biến",
            FlagKind::NearTarget => "Liên tục sát ngưỡng chỉ tiêu",
            FlagKind::DataQuality => "Chất lượng báo cáo",
            FlagKind::YearChange => "Thay đổi lớn so với cùng kỳ",
        }
    }
}

/// What a flag found, with the numbers its reason states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Detail {
    /// `to / from` (element ids; their names `to_name`, `from_name`) was `ratio`; the unit's
    /// own previous-year median `own`, robust z `own_z`; against peers (each unit's ratio over
    /// its own previous-year median) z `peer_z`.
    Funnel {
        funnel: String,
        /// The funnel's id in the regulation (`funnel` is its name).
        funnel_id: String,
        from: String,
        to: String,
        from_name: String,
        to_name: String,
        ratio: Decimal,
        own: Decimal,
        own_z: Decimal,
        peer_z: Decimal,
    },
    /// `value` against the median `median` of the previous windows, beyond `threshold` spreads.
    Break {
        element: String,
        /// The element's id in the regulation (`element` is its name).
        element_id: String,
        value: Decimal,
        median: Decimal,
        threshold: Decimal,
    },
    /// The change against the same window a year before was `change_pct` (the boundary is
    /// `bound_pct`), the `count`th time this year.
    Near {
        element: String,
        /// The element's id in the regulation (`element` is its name).
        element_id: String,
        change_pct: Decimal,
        bound_pct: Decimal,
        count: usize,
    },
    /// `value` against `last`, the same window a year before: below `1 / factor` or above
    /// `factor` times it ([`yoy`]).
    YearChange {
        element: String,
        /// The element's id in the regulation (`element` is its name).
        element_id: String,
        value: Decimal,
        last: Decimal,
        factor: Decimal,
    },
    /// Of `reported` approved windows of the year, `late` were first submitted late and
    /// `corrected` were corrected after approval.
    Quality {
        reported: usize,
        late: usize,
        corrected: usize,
    },
}

/// One flag: a unit, a window (`2024-M05`; the whole year `2024-Y` for data quality), a kind
/// and its detail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub unit: String,
    pub period: Period,
    pub kind: FlagKind,
    pub detail: Detail,
}

fn vi(d: Decimal) -> String {
    thidua_scoring::num::vi_dp(d, 3)
}

/// The size of the change of `value` against `last`, in per cent without its sign, the
/// Vietnamese way ("76"); empty when `last` is zero (the reasons then say so).
pub fn vi_change(value: Decimal, last: Decimal) -> String {
    yoy::change_pct(value, last).map_or_else(String::new, |p| vi(p.abs()))
}

/// A ratio as a percentage to one decimal, the Vietnamese way: 0.538 → "53,8%".
pub fn vi_percent(ratio: Decimal) -> String {
    format!(
        "{}%",
        thidua_scoring::num::vi_dp(ratio * Decimal::ONE_HUNDRED, 1)
    )
}

impl Flag {
    /// What the flag is about within its kind, unit and period: `funnel:from:to`, the funnel's
    /// id and the step's element ids (a funnel drop), the element's id (a series break, a near-target change), none (data quality).
    /// With them it names the flag ([`crate::explanations::FlagRef`]).
    pub fn subject(&self) -> Option<String> {
        match &self.detail {
            Detail::Funnel {
                funnel_id,
                from,
                to,
                ..
            } => Some(format!("{funnel_id}:{from}:{to}")),
            Detail::Break { element_id, .. }
            | Detail::Near { element_id, .. }
            | Detail::YearChange { element_id, .. } => Some(element_id.clone()),
            Detail::Quality { .. } => None,
        }
    }

    /// The reason, in Vietnamese.
    pub fn reason_vi(&self) -> String {
        match &self.detail {
            Detail::Funnel { funnel, from_name, to_name, ratio, own, own_z, peer_z, .. } => format!(
                "Phễu {funnel}: tỷ lệ {to_name}/{from_name} là {}, thấp bất thường so với năm trước của \
                 chính đơn vị (trung vị {}, z = {}) và so với các đơn vị cùng cụm (z = {})",
                vi_percent(*ratio), vi_percent(*own), vi(*own_z), vi(*peer_z)
            ),
            Detail::Break { element, value, median, threshold, .. } => format!(
                "{element}: {} nằm xa ngoài khoảng 12 kỳ trước của đơn vị (trung vị {}, lệch quá {} lần độ phân tán)",
                vi(*value), vi(*median), vi(*threshold)
            ),
            Detail::Near { element, change_pct, bound_pct, count, .. } => format!(
                "{element}: thay đổi {}% so với cùng kỳ, sát ngưỡng chỉ tiêu {}% (lần thứ {count} trong năm)",
                vi(*change_pct), vi(*bound_pct)
            ),
            Detail::YearChange { element, value, last, factor, .. } => {
                let (change, bound) = if value < last {
                    (format!("giảm {}%", vi_change(*value, *last)), format!("dưới 1/{} cùng kỳ", vi(*factor)))
                } else {
                    (format!("tăng {}%", vi_change(*value, *last)), format!("trên {} lần cùng kỳ", vi(*factor)))
                };
                let change = if last.is_zero() { "cùng kỳ là 0".to_owned() } else { change };
                format!(
                    "{element}: {} so với {} cùng kỳ năm trước ({change}), {bound} — thay đổi lớn như vậy \
                     so với cùng kỳ cần được xem lại",
                    vi(*value), vi(*last)
                )
            }
            Detail::Quality { reported, late, corrected } => format!(
                "Trong năm {}: {late}/{reported} kỳ nộp muộn, {corrected}/{reported} kỳ sửa sau phê duyệt",
                self.period.year
            ),
        }
    }
}

/// What one unit contributes to the flags, computed from its own figures alone: its flags that
/// compare it with nobody else (breaks, changes against last year, near-target, data quality), its data-quality figure
/// of every year, and its funnel standings for the peer comparison. Only the funnel drop
/// compares units, and it needs no more of them than their standings, so a unit whose
/// figures did not change keeps its part ([`incremental`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitPart {
    pub unit: String,
    own: Vec<Flag>,
    pub quality: Vec<quality::Quality>,
    standings: funnel::Standings,
}

/// The unit's part.
pub fn unit_part(panel: &Panel, u: &UnitSeries, settings: &Settings) -> UnitPart {
    let mut own = breaks::unit_flags(panel, u, settings);
    own.extend(yoy::unit_flags(panel, u, settings));
    own.extend(boundary::unit_flags(panel, u, settings));
    let quality = quality::unit_figures(panel, u);
    own.extend(quality::flags_of(&quality));
    UnitPart {
        unit: u.unit.clone(),
        own,
        quality,
        standings: funnel::standings(panel, u, settings),
    }
}

/// Every flag from the units' parts (in the panel's unit order): each unit's own flags and the
/// funnel drops against its peers, of the windows from [`Panel::flagged_from`] on; sorted by
/// unit, window and kind.
pub fn combine(panel: &Panel, parts: &[&UnitPart], settings: &Settings) -> Vec<Flag> {
    let standings: Vec<(&str, &funnel::Standings)> = parts
        .iter()
        .map(|p| (p.unit.as_str(), &p.standings))
        .collect();
    let mut out = funnel::flags_of(panel, &standings, settings);
    out.extend(parts.iter().flat_map(|p| p.own.iter().cloned()));
    if let Some(from) = panel.flagged_from {
        out.retain(|f| f.period.year >= from);
    }
    out.sort_by(|a, b| (&a.unit, &a.period, a.kind).cmp(&(&b.unit, &b.period, b.kind)));
    out
}

/// Every flag of the panel: funnels, breaks, boundaries, data quality; sorted by unit, window
/// and kind.
pub fn flags(panel: &Panel, settings: &Settings) -> Vec<Flag> {
    let parts: Vec<UnitPart> = panel
        .units
        .iter()
        .map(|u| unit_part(panel, u, settings))
        .collect();
    combine(panel, &parts.iter().collect::<Vec<_>>(), settings)
}

/// The CSV export: `unit,period,kind,reason,explanation`, one flag a line (RFC 4180 quoting),
/// UTF-8; `explanation` is the unit leader's newest explanation of the flag (giải trình), empty
/// where there is none.
pub fn csv<'a>(flags: &[Flag], explanation: impl Fn(&Flag) -> Option<&'a str>) -> String {
    // A cell a spreadsheet would read as a formula (a reason starts with an element's name,
    // which the regulation's author chose) is defused first.
    let quote = |s: &str| {
        let s = thidua_scoring::input::defused(s);
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.into_owned()
        }
    };
    let mut out = String::from("unit,period,kind,reason,explanation\n");
    for f in flags {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            quote(&f.unit),
            quote(&f.period.label()),
            f.kind.code(),
            quote(&f.reason_vi()),
            quote(explanation(f).unwrap_or_default())
        ));
    }
    out
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    /// A reason that starts with an element's name is the regulation author's text, and an
    /// explanation is the leader's: one a spreadsheet would run as a formula is written
    /// defused, as text.
    #[test]
    fn the_csv_defuses_a_reason_or_explanation_a_spreadsheet_would_run() {
        let flag = Flag {
            unit: "KG".into(),
            period: Period {
                year: 2024,
                window: "M03".into(),
            },
            kind: FlagKind::SeriesBreak,
            detail: Detail::Break {
                element: "=HYPERLINK(\"http://x\",\"Xem\")".into(),
                element_id: "x".into(),
                value: Decimal::from(9),
                median: Decimal::from(3),
                threshold: Decimal::from(3),
            },
        };
        let csv = csv(&[flag], |_| Some("=1+1, theo \"kế hoạch\""));
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with("KG,2024-M03,series_break,\"'=HYPERLINK("),
            "{row}"
        );
        assert!(row.ends_with(",\"'=1+1, theo \"\"kế hoạch\"\"\""), "{row}");
        assert_eq!(
            csv.lines().next(),
            Some("unit,period,kind,reason,explanation")
        );
    }
}
