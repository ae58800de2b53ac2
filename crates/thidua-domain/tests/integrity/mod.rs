//! Integrity flags kept up to date unit by unit ([`integrity::incremental`]) against a full
//! computation of the same state, after every approval of random sequences, with a planted
//! funnel drop so that the comparison is not of empty lists.

use super::progress_tests::{shuffled, world};
use super::*;
use thidua_domain::figures::{FigureValue, HistoricalReport};
use thidua_domain::integrity::{self, incremental::Incremental, FlagKind, Settings};

fn num(v: u32) -> FigureValue {
    FigureValue::Number(v.into())
}

/// Three units need three peers for the funnel's comparison (a real cluster has five or more).
fn settings() -> Settings {
    Settings {
        min_peers: 3,
        ..Settings::default()
    }
}

/// Last year's approved figures of every unit: 120 reports received and about 60 crimes a
/// month (a funnel ratio of about 0,5).
fn last_year(w: &mut World) {
    let reports = UNITS
        .iter()
        .flat_map(|unit| {
            (1..=12u32).map(move |m| HistoricalReport {
                unit: u(unit),
                year: 2023,
                window: format!("M{m:02}"),
                values: [
                    ("reports_received".to_owned(), num(120)),
                    ("crimes".to_owned(), num(60 + m % 3)),
                ]
                .into_iter()
                .collect(),
            })
        })
        .collect();
    w.import_history("so-lieu-2023.csv", "cd", reports);
}

/// The incremental flags and a full computation of the same state.
fn both(inc: &mut Incremental, w: &World) -> (integrity::incremental::Flags, Vec<integrity::Flag>) {
    let kept = inc.compute(&w.state, &cov(), &settings()).unwrap();
    let panel = integrity::collect::panel(&w.state, &cov()).unwrap();
    let full = integrity::flags(&panel, &settings());
    assert_eq!(kept.quality, integrity::quality::figures(&panel, 2024));
    (integrity::incremental::Flags::clone(&kept), full)
}

#[test]
fn incremental_flags_are_a_full_computation_after_every_approval_in_any_order() {
    for seed in 1..=3 {
        let mut w = world();
        last_year(&mut w);
        let mut inc = Incremental::default();
        both(&mut inc, &w);
        let steps = UNITS
            .iter()
            .flat_map(|unit| (1..=6u32).map(move |m| (*unit, m)))
            .collect();
        for (unit, m) in shuffled(steps, seed) {
            // Ca-ag records a third fewer crimes from April while reports stay at 120.
            let crimes = if unit == "ca-ag" && m >= 4 {
                40
            } else {
                60 + m % 3
            };
            w.report(unit, &format!("M{m:02}"), &crimes.to_string(), "approved");
            let (kept, full) = both(&mut inc, &w);
            assert_eq!(
                kept.flags, full,
                "seed {seed}, after approving {unit} M{m:02}"
            );
            assert_eq!(inc.recomputed(), 1, "only the approving unit is recomputed");
        }
        let (kept, _) = both(&mut inc, &w);
        let drops: Vec<(String, String)> = kept
            .flags
            .iter()
            .filter(|f| f.kind == FlagKind::FunnelDrop)
            .map(|f| (f.unit.clone(), f.period.label()))
            .collect();
        let planted: Vec<(String, String)> = (4..=6)
            .map(|m| ("ca-ag".to_owned(), format!("2024-M{m:02}")))
            .collect();
        assert_eq!(drops, planted, "seed {seed}: the planted drop, and only it");
    }
}

#[test]
fn drafts_and_reopenings_recompute_nothing_and_a_correction_recomputes_its_unit() {
    let mut w = world();
    last_year(&mut w);
    for unit in UNITS {
        w.report(unit, "M01", "60", "approved");
    }
    let mut inc = Incremental::default();
    both(&mut inc, &w);
    assert_eq!(
        inc.recomputed(),
        UNITS.len(),
        "the first computation does every unit"
    );
    w.report("ca-ag", "M02", "61", "draft");
    w.report("ca-hg", "M02", "62", "submitted");
    let (kept, full) = both(&mut inc, &w);
    assert_eq!((kept.flags, inc.recomputed()), (full, 0));
    w.reopen("ca-kg", "M01");
    let (kept, full) = both(&mut inc, &w);
    assert_eq!((kept.flags, inc.recomputed()), (full, 0));
    w.report("ca-kg", "M01", "59", "approved");
    let (kept, full) = both(&mut inc, &w);
    assert_eq!((kept.flags, inc.recomputed()), (full, 1));
    assert!(
        kept.quality
            .iter()
            .any(|q| q.unit == "ca-kg" && q.corrected == 1),
        "the correction counts in ca-kg's data quality: {:?}",
        kept.quality
    );
    // Other settings are another computation: every unit again.
    inc.compute(&w.state, &cov(), &Settings::default()).unwrap();
    assert_eq!(inc.recomputed(), UNITS.len());
}

/// The command explaining `flag` with `text`.
fn explain(flag: &thidua_domain::explanations::FlagRef, text: &str) -> Command {
    explain_with(flag, t(text))
}

fn explain_with(flag: &thidua_domain::explanations::FlagRef, text: Text) -> Command {
    Command::ExplainFlag(thidua_domain::explanations::FlagExplained {
        covenant: cov(),
        unit: u(&flag.unit),
        period: flag.period.clone(),
        kind: flag.kind.clone(),
        subject: flag.subject.clone(),
        text,
    })
}

#[test]
fn a_flagged_units_leader_explains_its_flag_and_nobody_else_can() {
    use thidua_domain::explanations::{latest, FlagRef};
    let mut w = world();
    last_year(&mut w);
    for m in 1..=6u32 {
        for unit in UNITS {
            let crimes = if unit == "ca-ag" && m >= 4 {
                40
            } else {
                60 + m % 3
            };
            w.report(unit, &format!("M{m:02}"), &crimes.to_string(), "approved");
        }
    }
    let panel = integrity::collect::panel(&w.state, &cov()).unwrap();
    let flags = integrity::flags(&panel, &settings());
    let drop = flags
        .iter()
        .find(|f| f.unit == "ca-ag" && f.kind == FlagKind::FunnelDrop)
        .expect("the planted drop is flagged");
    let flag = FlagRef::of(drop);
    assert_eq!(
        flag.subject.as_deref(),
        Some("tin_bao_vu_an:reports_received:crimes"),
        "a funnel drop is named by its funnel and step"
    );
    // Only the unit's leader: not its officer, not another unit's leader, not the secretariat.
    for who in ["canbo.ag", "lanhdao.kg", "thuky"] {
        assert_eq!(
            w.err(&user(who), explain(&flag, "Giải trình")),
            "forbidden",
            "{who}"
        );
    }
    // A flag the covenant cannot raise is refused by its field, and nothing changes.
    let bad = [
        (
            FlagRef {
                kind: "gaming".into(),
                ..flag.clone()
            },
            "kind",
        ),
        (
            FlagRef {
                period: "2023-M04".into(),
                ..flag.clone()
            },
            "period",
        ),
        (
            FlagRef {
                period: "2024-Q2".into(),
                ..flag.clone()
            },
            "period",
        ),
        (
            FlagRef {
                subject: Some("tin_bao_vu_an:crimes:reports_received".into()),
                ..flag.clone()
            },
            "subject",
        ),
        (
            FlagRef {
                subject: None,
                ..flag.clone()
            },
            "subject",
        ),
        (
            FlagRef {
                kind: "data_quality".into(),
                ..flag.clone()
            },
            "period",
        ),
    ];
    for (wrong, field) in bad {
        let before = w.state.clone();
        let err = w
            .run(&user("lanhdao.ag"), explain(&wrong, "Giải trình"))
            .unwrap_err();
        assert!(
            matches!(&err, thidua_domain::DomainError::InvalidValue { field: f, .. } if *f == field),
            "{wrong:?}: {err}"
        );
        assert_eq!(w.state, before);
    }
    let long: thidua_domain::Text = serde_json::from_value("x".repeat(1001).into()).unwrap();
    let too_long = explain_with(&flag, long);
    assert_eq!(w.err(&user("lanhdao.ag"), too_long), "text_too_long");
    w.ok(
        &user("lanhdao.ag"),
        explain(&flag, "Tháng 4 chuyển 20 vụ sang Công an xã"),
    );
    w.ok(
        &user("lanhdao.ag"),
        explain(
            &flag,
            "Tháng 4 chuyển 20 vụ sang Công an xã theo Quyết định 12",
        ),
    );
    let all = w.state.explanations(&cov()).unwrap();
    assert_eq!(
        all.len(),
        2,
        "both explanations stay in the state and the log"
    );
    let shown = latest(all, &flag).unwrap();
    assert!(
        shown.text.as_str().ends_with("Quyết định 12"),
        "the newest is shown"
    );
    assert_eq!(shown.by, user("lanhdao.ag"));
    // The year's data quality is named without a subject.
    let quality = FlagRef {
        period: "2024-Y".into(),
        kind: "data_quality".into(),
        subject: None,
        ..flag.clone()
    };
    w.ok(
        &user("lanhdao.ag"),
        explain(&quality, "Hai kỳ nộp muộn do mất điện"),
    );
}

/// A merged unit's earlier months are its own and its predecessors' (as its scores read
/// them): its first months after the merger are no "series break" against its own smaller
/// history, a month one predecessor lacks is no history at all (never the others' partial
/// sum), and a predecessor's history recorded later recomputes it.
#[test]
fn a_merger_is_no_break_in_the_merged_units_series() {
    let mut w = world();
    super::progress_tests::merge_x1_into_hg(&mut w);
    let year = |unit: &str, crimes: u32, months: std::ops::RangeInclusive<u32>| {
        months
            .map(|m| HistoricalReport {
                unit: u(unit),
                year: 2023,
                window: format!("M{m:02}"),
                values: [("crimes".to_owned(), num(crimes + m % 2))]
                    .into_iter()
                    .collect(),
            })
            .collect::<Vec<_>>()
    };
    w.import_history("hau-giang-2023.csv", "ab", year("ca-hg", 10, 1..=12));
    for m in 1..=3 {
        w.report("ca-hg", &format!("M{m:02}"), "110", "approved");
    }
    let breaks = |inc: &mut Incremental, w: &World| -> usize {
        let (kept, full) = both(inc, w);
        assert_eq!(kept.flags, full);
        full.iter()
            .filter(|f| f.unit == "ca-hg" && f.kind == FlagKind::SeriesBreak)
            .count()
    };
    let mut inc = Incremental::default();
    assert_eq!(
        breaks(&mut inc, &w),
        0,
        "no history before the predecessor's is in: its own 10 a month is not the merged unit's"
    );
    // The merged-in unit's first half of 2023 arrives, at 1 a month: the merged unit's
    // history is 11 a month for six months, and 110 breaks it.
    w.import_history("sap-nhap-2023-h1.csv", "cd", year("ca-x1", 1, 1..=6));
    assert!(breaks(&mut inc, &w) > 0, "110 against 11 a month");
    // Its second half arrives at 100 a month: 110 is the merged unit's usual level.
    w.import_history("sap-nhap-2023-h2.csv", "ef", year("ca-x1", 100, 7..=12));
    assert_eq!(breaks(&mut inc, &w), 0);
}

/// A covenant's flags are for its own windows: last year's months are its series' history
/// (a break in them was its own covenant's flag), never flags of this year's covenant.
#[test]
fn a_covenants_flags_are_for_its_own_windows_only() {
    let mut w = world();
    // 2023: about 10 crimes a month, and 500 in December (a break in last year's series).
    let reports = (1..=12u32)
        .map(|m| HistoricalReport {
            unit: u("ca-hg"),
            year: 2023,
            window: format!("M{m:02}"),
            values: [(
                "crimes".to_owned(),
                num(if m == 12 { 500 } else { 10 + m % 2 }),
            )]
            .into_iter()
            .collect(),
        })
        .collect();
    w.import_history("hau-giang-2023.csv", "ab", reports);
    // 2024: 900 in January, a break of the covenant's own year.
    w.report("ca-hg", "M01", "900", "approved");
    let mut inc = Incremental::default();
    let (kept, full) = both(&mut inc, &w);
    assert_eq!(kept.flags, full);
    let periods: Vec<String> = full
        .iter()
        .filter(|f| f.kind == FlagKind::SeriesBreak)
        .map(|f| format!("{},{}", f.unit, f.period.label()))
        .collect();
    assert_eq!(periods, ["ca-hg,2024-M01"], "{full:?}");
    assert!(
        full.iter().all(|f| f.period.year == 2024),
        "no flag of a 2023 window: {full:?}"
    );
}

/// `unit`'s crimes of `year`, one figure a window from month 1 on.
fn crimes_of(unit: &str, year: i32, figures: &[u32]) -> Vec<HistoricalReport> {
    figures
        .iter()
        .enumerate()
        .map(|(i, v)| HistoricalReport {
            unit: u(unit),
            year,
            window: format!("M{:02}", i + 1),
            values: [("crimes".to_owned(), num(*v))].into_iter().collect(),
        })
        .collect()
}

/// The labels of `unit`'s flags of `kind`, kept and full alike.
fn flagged(inc: &mut Incremental, w: &World, unit: &str, kind: FlagKind) -> Vec<String> {
    let (kept, full) = both(inc, w);
    assert_eq!(kept.flags, full);
    full.iter()
        .filter(|f| f.unit == unit && f.kind == kind)
        .map(|f| f.period.label())
        .collect()
}

/// The audit's case: after a historical import of last year (121–203 crimes a month), a unit
/// reports about a quarter of it in every window. Its series' spread is so wide that no month
/// breaks it; each window against the same window last year is flagged.
#[test]
fn a_cut_against_the_same_windows_last_year_is_flagged_where_no_break_is() {
    let mut w = world();
    let before = [121, 125, 130, 140, 150, 173, 173, 190, 195, 200, 203, 203];
    w.import_history("an-giang-2023.csv", "ab", crimes_of("ca-ag", 2023, &before));
    for (m, v) in [29, 36, 42].iter().enumerate() {
        w.report(
            "ca-ag",
            &format!("M{:02}", m + 1),
            &v.to_string(),
            "approved",
        );
    }
    let mut inc = Incremental::default();
    let breaks = flagged(&mut inc, &w, "ca-ag", FlagKind::SeriesBreak);
    assert!(breaks.is_empty(), "{breaks:?}");
    assert_eq!(
        flagged(&mut inc, &w, "ca-ag", FlagKind::YearChange),
        ["2024-M01", "2024-M02", "2024-M03"]
    );
}

/// A merged unit's same window last year is its own plus its predecessors' figures, as
/// progress computes cùng kỳ, and never a partial sum.
#[test]
fn a_merged_units_last_year_adds_its_predecessors() {
    let mut w = world();
    super::progress_tests::merge_x1_into_hg(&mut w);
    w.import_history(
        "hau-giang-2023.csv",
        "ab",
        crimes_of("ca-hg", 2023, &[10; 12]),
    );
    for m in 1..=3 {
        w.report("ca-hg", &format!("M{m:02}"), "110", "approved");
    }
    let mut inc = Incremental::default();
    let changes = |inc: &mut Incremental, w: &World| flagged(inc, w, "ca-hg", FlagKind::YearChange);
    assert!(
        changes(&mut inc, &w).is_empty(),
        "the predecessor's figures are not in: no same window last year, not 10"
    );
    w.import_history(
        "sap-nhap-2023.csv",
        "cd",
        crimes_of("ca-x1", 2023, &[100; 12]),
    );
    assert!(changes(&mut inc, &w).is_empty(), "110 against 10 + 100");
    w.report("ca-hg", "M04", "40", "approved");
    assert_eq!(changes(&mut inc, &w), ["2024-M04"], "40 against 110");
}
