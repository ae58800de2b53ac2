//! Figures through the public API: a report's life (draft → submitted → approved → reopened →
//! corrected), the refusals with their codes, deadlines and lateness, validation rules, the
//! historical import, and the state's snapshot form.

use std::collections::BTreeMap;

use super::*;
use thidua_domain::figures::{
    Cell, FigureValue, HistoricalReport, ReportStatus, Severity, ValidationRule,
};

fn num(s: &str) -> FigureValue {
    FigureValue::Number(s.parse().unwrap())
}

/// Every element of the example regulation with a plausible value (resolved ≤ received).
fn full_values() -> BTreeMap<String, FigureValue> {
    let form = signed_world().state.reporting_form(&cov()).unwrap();
    form.elements
        .iter()
        .filter(|e| e.missing.is_none())
        .map(|e| {
            let v = match e.id.as_str() {
                "reports_due" | "reports_received" => "120",
                "reports_resolved" => "110",
                "personnel" => "4200",
                _ => "5",
            };
            (e.id.clone(), num(v))
        })
        .collect()
}

fn signed_world() -> World {
    let mut w = World::cluster();
    w.draft();
    for unit in UNITS {
        w.sign(unit).unwrap();
    }
    w
}

impl World {
    /// `who` saves ca-kg's report for `window`.
    pub(super) fn save(
        &mut self,
        who: &str,
        window: &str,
        values: BTreeMap<String, FigureValue>,
    ) -> Result<Vec<Payload>, DomainError> {
        self.run(
            &user(who),
            Command::SaveFigures {
                covenant: cov(),
                unit: u("ca-kg"),
                window: window.into(),
                values,
                comments: BTreeMap::new(),
            },
        )
    }

    fn revision(&self, window: &str) -> u32 {
        self.state
            .figures
            .report(&u("ca-kg"), 2024, window)
            .unwrap()
            .revision
    }

    fn step(&mut self, who: &str, window: &str, what: &str) -> Result<Vec<Payload>, DomainError> {
        let (covenant, unit, window) = (cov(), u("ca-kg"), window.to_owned());
        let revision = self.revision(&window);
        let command = match what {
            "submit" => Command::SubmitFigures {
                covenant,
                unit,
                window,
                revision,
            },
            "approve" => Command::ApproveFigures {
                covenant,
                unit,
                window,
                revision,
            },
            _ => Command::ReopenFigures {
                covenant,
                unit,
                window,
                reason: t("Sai số liệu, cần sửa"),
            },
        };
        self.run(&user(who), command)
    }
}

#[test]
fn a_report_is_saved_submitted_approved_and_corrected_with_old_and_new_values() {
    let mut w = signed_world();
    let mut values = full_values();
    w.save("canbo.kg", "M01", values.clone()).unwrap();
    let r = w.state.figures.report(&u("ca-kg"), 2024, "M01").unwrap();
    assert_eq!((r.status, r.revision), (ReportStatus::Draft, 1));
    assert!(r.published().is_none(), "a draft is not published");
    // Saved again exactly so: refused, no new revision, nothing in the log.
    let size = w.state.size;
    let again = w.save("canbo.kg", "M01", values.clone()).unwrap_err();
    assert_eq!(again.code(), "figures_unchanged");
    assert_eq!((w.state.size, w.revision("M01")), (size, 1));
    w.step("canbo.kg", "M01", "submit").unwrap();
    assert_eq!(
        w.err(
            &user("canbo.kg"),
            Command::ApproveFigures {
                covenant: cov(),
                unit: u("ca-kg"),
                window: "M01".into(),
                revision: 1
            }
        ),
        "forbidden",
        "an officer cannot approve"
    );
    assert_eq!(
        w.err(
            &user("lanhdao.ag"),
            Command::ApproveFigures {
                covenant: cov(),
                unit: u("ca-kg"),
                window: "M01".into(),
                revision: 1
            }
        ),
        "forbidden",
        "another unit's leader cannot approve"
    );
    w.step("lanhdao.kg", "M01", "approve").unwrap();
    let form = w.state.reporting_form(&cov()).unwrap();
    let crimes = form.position("crimes").unwrap();
    let r = w.state.figures.report(&u("ca-kg"), 2024, "M01").unwrap();
    assert_eq!(r.status, ReportStatus::Approved);
    assert_eq!(
        r.published().unwrap().values.get(crimes),
        Cell::Number(5.into())
    );
    assert_eq!(
        w.save("canbo.kg", "M01", values.clone())
            .unwrap_err()
            .code(),
        "report_state",
        "approved figures are not overwritten"
    );
    // A correction: the leader reopens with a reason, the officer saves, the leader approves.
    w.step("lanhdao.kg", "M01", "reopen").unwrap();
    values.insert("crimes".into(), num("7"));
    w.save("canbo.kg", "M01", values).unwrap();
    let r = w.state.figures.report(&u("ca-kg"), 2024, "M01").unwrap();
    assert_eq!(
        r.published().unwrap().values.get(crimes),
        Cell::Number(5.into()),
        "the last approval stays published while it is corrected"
    );
    w.step("canbo.kg", "M01", "submit").unwrap();
    w.step("lanhdao.kg", "M01", "approve").unwrap();
    let r = w.state.figures.report(&u("ca-kg"), 2024, "M01").unwrap();
    assert_eq!(r.corrections(), 1);
    assert_eq!(
        r.approvals[0].values.get(crimes),
        Cell::Number(5.into()),
        "old value kept"
    );
    assert_eq!(
        r.approvals[1].values.get(crimes),
        Cell::Number(7.into()),
        "new value published"
    );
    assert_eq!(r.reopenings.len(), 1);
    assert!(
        r.first_submission.unwrap().late,
        "January's figures submitted on 26/03 are late"
    );
}

#[test]
fn bad_figures_are_refused_with_a_code_and_change_nothing() {
    let mut w = signed_world();
    let mut values = full_values();
    values.insert("crimes".into(), num("-1"));
    let code = w.err(
        &user("canbo.kg"),
        Command::SaveFigures {
            covenant: cov(),
            unit: u("ca-kg"),
            window: "M01".into(),
            values: values.clone(),
            comments: BTreeMap::new(),
        },
    );
    assert_eq!(code, "invalid_figure");
    let err = decide(
        &w.state,
        &user("canbo.kg"),
        Command::SaveFigures {
            covenant: cov(),
            unit: u("ca-kg"),
            window: "M01".into(),
            values,
            comments: BTreeMap::new(),
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("Tội phạm về trật tự xã hội"),
        "named by the element: {err}"
    );
    // A count is a whole number: 12,5 crimes is refused whatever path it comes by.
    let mut half = full_values();
    half.insert("crimes".into(), num("12.5"));
    let err = decide(
        &w.state,
        &user("canbo.kg"),
        Command::SaveFigures {
            covenant: cov(),
            unit: u("ca-kg"),
            window: "M01".into(),
            values: half,
            comments: BTreeMap::new(),
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        thidua_domain::DomainError::InvalidFigure {
            element: "Tội phạm về trật tự xã hội".into(),
            reason: thidua_domain::figures::FigureProblem::NotWhole,
        }
    );
    let mut unknown = full_values();
    unknown.insert("nothing".into(), num("1"));
    let save = |values, window: &str| Command::SaveFigures {
        covenant: cov(),
        unit: u("ca-kg"),
        window: window.into(),
        values,
        comments: BTreeMap::new(),
    };
    assert_eq!(
        w.err(&user("canbo.kg"), save(unknown, "M01")),
        "unknown_element"
    );
    assert_eq!(
        w.err(&user("canbo.kg"), save(full_values(), "M13")),
        "unknown_window"
    );
    assert_eq!(
        w.err(&user("canbo.ag"), save(full_values(), "M01")),
        "forbidden",
        "another unit's officer"
    );
    assert_eq!(
        w.err(&user("thuky"), save(full_values(), "M01")),
        "forbidden",
        "the secretariat does not report for a unit"
    );
    // Incomplete: a figure without a declared default is neither given nor "not applicable".
    let mut partial = full_values();
    partial.remove("crimes");
    w.ok(&user("canbo.kg"), save(partial, "M02"));
    assert_eq!(
        w.step("canbo.kg", "M02", "submit").unwrap_err().code(),
        "report_incomplete"
    );
    let mut na = full_values();
    na.insert("crimes".into(), FigureValue::NotApplicable);
    w.ok(&user("canbo.kg"), save(na, "M02"));
    w.step("canbo.kg", "M02", "submit").unwrap();
    assert_eq!(
        w.step("canbo.kg", "M02", "submit").unwrap_err().code(),
        "report_state"
    );
    // A stale revision: the leader approves what they saw, not a later save.
    let stale = Command::ApproveFigures {
        covenant: cov(),
        unit: u("ca-kg"),
        window: "M02".into(),
        revision: 1,
    };
    assert_eq!(w.err(&user("lanhdao.kg"), stale), "stale_revision");
    // No signed covenant, no figures.
    let mut fresh = World::cluster();
    fresh.draft();
    assert_eq!(
        fresh.err(&user("canbo.kg"), save(full_values(), "M01")),
        "covenant_not_signed"
    );
}

/// Rules the secretariat adds after the signature only warn: a warning needs a comment, and a
/// blocking rule (which could force a unit to under-record: `crimes <= 100`) is refused — it
/// belongs in the regulation the members signed (see the test below, where it blocks).
#[test]
fn rules_added_by_the_secretariat_only_warn_and_ask_a_comment() {
    let mut w = signed_world();
    let rules = vec![
        ValidationRule {
            id: "resolved_le_received".into(),
            name: t("Tin đã giải quyết không vượt quá tin đã tiếp nhận"),
            check: "reports_resolved <= reports_received".into(),
            severity: Severity::Error,
        },
        ValidationRule {
            id: "solved_le_crimes".into(),
            name: t("Số vụ khám phá không vượt quá số vụ phạm tội"),
            check: "solved <= crimes".into(),
            severity: Severity::Warning,
        },
    ];
    assert_eq!(
        w.err(
            &user("canbo.kg"),
            Command::SetFiguresRules {
                covenant: cov(),
                rules: rules.clone()
            }
        ),
        "forbidden"
    );
    // A check naming no element of the form, or an id that the regulation's language could
    // not name, is refused whoever sends it.
    let bad_check = ValidationRule {
        check: "resolved <= nothing".into(),
        ..rules[0].clone()
    };
    let bad_ids = ["", "1st", "Kg_rule", "tin đã nhận", "a-b"].map(|id| ValidationRule {
        id: id.into(),
        ..rules[0].clone()
    });
    for bad in std::iter::once(bad_check).chain(bad_ids) {
        let shown = format!("{} / {}", bad.id, bad.check);
        assert_eq!(
            w.err(
                &user("thuky"),
                Command::SetFiguresRules {
                    covenant: cov(),
                    rules: vec![bad]
                }
            ),
            "invalid_rule",
            "{shown}"
        );
    }
    let blocking = w.run(
        &user("thuky"),
        Command::SetFiguresRules {
            covenant: cov(),
            rules: rules.clone(),
        },
    );
    let err = blocking.unwrap_err();
    assert_eq!(err.code(), "invalid_rule");
    assert!(err.to_string().contains("can only warn"), "{err}");
    let rules: Vec<ValidationRule> = rules
        .into_iter()
        .map(|r| ValidationRule {
            severity: Severity::Warning,
            ..r
        })
        .collect();
    w.ok(
        &user("thuky"),
        Command::SetFiguresRules {
            covenant: cov(),
            rules,
        },
    );
    let mut values = full_values();
    values.insert("reports_resolved".into(), num("130"));
    w.save("canbo.kg", "M01", values.clone()).unwrap();
    // The regulation's own rule on the same figures blocks: it was signed.
    let err = w.step("canbo.kg", "M01", "submit").unwrap_err();
    assert_eq!(err.code(), "rule_violated");
    assert!(err.to_string().contains("Tin đã giải quyết"), "{err}");
    values.insert("reports_resolved".into(), num("100"));
    values.insert("solved".into(), num("9"));
    w.save("canbo.kg", "M01", values.clone()).unwrap();
    assert_eq!(
        w.step("canbo.kg", "M01", "submit").unwrap_err().code(),
        "warning_needs_comment"
    );
    w.run(
        &user("canbo.kg"),
        Command::SaveFigures {
            covenant: cov(),
            unit: u("ca-kg"),
            window: "M01".into(),
            values,
            comments: [(
                "solved".to_owned(),
                t("Khám phá thêm 4 vụ tồn từ năm trước"),
            )]
            .into_iter()
            .collect(),
        },
    )
    .unwrap();
    w.step("canbo.kg", "M01", "submit").unwrap();
}

/// The log time of `h` o'clock UTC on a day.
fn ms(y: i32, m: u32, day: u32, h: u32) -> i64 {
    d(y, m, day)
        .and_hms_opt(h, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

/// Kiên Giang's officer saves a window's first draft.
fn kg_save(window: &str) -> Command {
    Command::SaveFigures {
        covenant: cov(),
        unit: u("ca-kg"),
        window: window.into(),
        values: full_values(),
        comments: BTreeMap::new(),
    }
}

/// Kiên Giang's officer submits a window's first draft.
fn kg_submit(window: &str) -> Command {
    Command::SubmitFigures {
        covenant: cov(),
        unit: u("ca-kg"),
        window: window.into(),
        revision: 1,
    }
}

/// Kiên Giang's officer saves and submits a window's first draft at `time_ms`.
fn kg_reports_at(w: &mut World, time_ms: i64, window: &str) {
    w.run_at(time_ms, &user("canbo.kg"), kg_save(window))
        .unwrap();
    w.run_at(time_ms, &user("canbo.kg"), kg_submit(window))
        .unwrap();
}

/// Whether Kiên Giang's first submission of a window was late.
fn kg_late(w: &World, window: &str) -> bool {
    w.state
        .figures
        .report(&u("ca-kg"), 2024, window)
        .unwrap()
        .first_submission
        .unwrap()
        .late
}

#[test]
fn late_submissions_are_recorded_against_the_deadline_the_secretariat_may_move() {
    let mut w = signed_world();
    // January's cut-off is Sunday 14/01/2024: the default deadline is Tuesday 16/01.
    assert_eq!(
        w.state.figures_deadline(&cov(), "M01").unwrap(),
        d(2024, 1, 16)
    );
    kg_reports_at(&mut w, ms(2024, 1, 16, 9), "M01");
    assert!(!kg_late(&w, "M01"));
    kg_reports_at(&mut w, ms(2024, 2, 19, 9), "M02");
    assert!(kg_late(&w, "M02"), "Friday 16/02 was the deadline");
    // The secretariat moves March's deadline.
    let set = |deadline| Command::SetFiguresDeadline {
        covenant: cov(),
        window: "M03".into(),
        deadline,
    };
    assert_eq!(w.err(&user("canbo.kg"), set(d(2024, 3, 25))), "forbidden");
    assert_eq!(
        w.err(&user("thuky"), set(d(2024, 3, 1))),
        "deadline_before_cut_off",
        "before the cut-off"
    );
    assert_eq!(
        w.err(&user("thuky"), set(d(9999, 12, 31))),
        "date_out_of_range",
        "a deadline past the dates the system knows (2100)"
    );
    w.ok(&user("thuky"), set(d(2024, 3, 14)));
    w.ok(&user("thuky"), set(d(2024, 3, 25)));
    kg_reports_at(&mut w, ms(2024, 3, 22, 9), "M03");
    assert!(!kg_late(&w, "M03"));
    // February's deadline moved after the late submission: the submission stays late, against
    // the deadline in force when it was made, which the report keeps.
    let february = |w: &World| {
        w.state
            .figures
            .report(&u("ca-kg"), 2024, "M02")
            .unwrap()
            .first_submission
            .unwrap()
    };
    assert_eq!(february(&w).deadline, d(2024, 2, 16));
    w.ok(
        &user("thuky"),
        Command::SetFiguresDeadline {
            covenant: cov(),
            window: "M02".into(),
            deadline: d(2024, 12, 31),
        },
    );
    assert!(february(&w).late);
    assert_eq!(february(&w).deadline, d(2024, 2, 16));
    assert_eq!(
        w.state.figures_deadline(&cov(), "M02").unwrap(),
        d(2024, 12, 31)
    );
    assert_eq!(
        w.state
            .figures
            .report(&u("ca-kg"), 2024, "M03")
            .unwrap()
            .first_submission
            .unwrap()
            .deadline,
        d(2024, 3, 25),
        "March's, as the secretariat set it before"
    );
}

/// A window's report waits for its cut-off (in Vietnam's time) to be submitted: a draft is
/// saved at any time; a submission before the window is over is refused and changes nothing;
/// a log written before this rule, with such a submission, replays as it was.
#[test]
fn a_report_is_submitted_from_its_windows_cut_off_in_vietnams_time() {
    let mut w = signed_world();
    // March's window ends on Thursday 14/03/2024; 16:59 UTC on the 13th is 23:59 in Vietnam.
    let before = ms(2024, 3, 13, 16) + 59 * 60_000;
    w.run_at(ms(2024, 3, 1, 2), &user("canbo.kg"), kg_save("M03"))
        .unwrap();
    let state = w.state.clone();
    let e = w
        .run_at(before, &user("canbo.kg"), kg_submit("M03"))
        .unwrap_err();
    assert_eq!(e.code(), "window_still_open");
    assert!(e.to_string().contains("2024-03-14"), "{e}");
    assert_eq!(w.state, state, "a refused submission changes nothing");
    // One minute later it is the 14th in Vietnam, still the 13th in UTC.
    let submitted = w.run_at(before + 60_000, &user("canbo.kg"), kg_submit("M03"));
    assert!(submitted.is_ok(), "{submitted:?}");
    assert!(!kg_late(&w, "M03"));

    // An early submission in a log written before the rule applies as it was.
    let mut early = signed_world();
    early
        .run_at(ms(2024, 3, 1, 2), &user("canbo.kg"), kg_save("M03"))
        .unwrap();
    let event = Event {
        index: early.state.size,
        time_ms: ms(2024, 3, 1, 2),
        actor: user("canbo.kg"),
        salt: "00".repeat(16),
        payload: Payload::FiguresSubmitted {
            covenant: cov(),
            unit: u("ca-kg"),
            window: "M03".into(),
            revision: 1,
        },
    };
    early.state.apply(&event).unwrap();
    let r = early
        .state
        .figures
        .report(&u("ca-kg"), 2024, "M03")
        .unwrap();
    assert_eq!(r.status, ReportStatus::Submitted);
}

/// Public holidays the administrator declares push the default deadline past them, from the
/// declaration's place in the log: a report submitted before it keeps its lateness. (The days
/// are made up: February's real Tết break of 2024 ended on the cut-off.)
#[test]
fn declared_holidays_push_the_default_deadline_from_their_place_in_the_log() {
    let mut w = signed_world();
    let declare = |days: Vec<NaiveDate>| {
        Command::DeclareHolidays(thidua_domain::holidays::HolidaysDeclared {
            year: 2024,
            days,
            working_days: Vec::new(),
            reference: t("Thông báo nghỉ lễ (giả định)"),
        })
    };
    // March's cut-off is Thursday 14/03: Friday 15 and Monday 18 by default.
    assert_eq!(
        w.state.figures_deadline(&cov(), "M03").unwrap(),
        d(2024, 3, 18)
    );
    kg_reports_at(&mut w, ms(2024, 3, 19, 2), "M03");
    assert!(kg_late(&w, "M03"));
    let days = vec![d(2024, 3, 18), d(2024, 3, 15), d(2024, 3, 18)];
    assert_eq!(w.err(&user("thuky"), declare(days.clone())), "forbidden");
    assert_eq!(
        w.err(&Actor::System, declare(Vec::new())),
        "holidays_unchanged"
    );
    let payloads = w.ok(&Actor::System, declare(days.clone()));
    let Payload::HolidaysDeclared(e) = &payloads[0] else {
        panic!("{payloads:?}")
    };
    assert_eq!(
        e.days,
        [d(2024, 3, 15), d(2024, 3, 18)],
        "sorted, each once"
    );
    assert_eq!(w.err(&Actor::System, declare(days)), "holidays_unchanged");
    // Two working days after Thursday 14/03, skipping Friday 15 and Monday 18: Wednesday 20.
    assert_eq!(
        w.state.figures_deadline(&cov(), "M03").unwrap(),
        d(2024, 3, 20)
    );
    assert!(kg_late(&w, "M03"), "dated when it was submitted");
    // April: a day off on Tuesday 16/04 moves the deadline from 16/04 to 17/04.
    w.ok(
        &Actor::System,
        declare(vec![d(2024, 3, 15), d(2024, 4, 16)]),
    );
    assert_eq!(
        w.state.figures_deadline(&cov(), "M03").unwrap(),
        d(2024, 3, 19)
    );
    kg_reports_at(&mut w, ms(2024, 4, 17, 2), "M04");
    assert!(!kg_late(&w, "M04"), "17/04 is the second working day");
    assert_eq!(
        w.state.holidays[&2024].days.len(),
        2,
        "the later declaration replaces"
    );
    // June's cut-off is Friday 14/06: Monday 17 and Tuesday 18 by default; a Saturday worked
    // in exchange (15/06) counts, a weekday cannot be declared worked.
    assert_eq!(
        w.state.figures_deadline(&cov(), "M06").unwrap(),
        d(2024, 6, 18)
    );
    let worked = |day| match declare(vec![d(2024, 3, 15), d(2024, 4, 16)]) {
        Command::DeclareHolidays(e) => {
            Command::DeclareHolidays(thidua_domain::holidays::HolidaysDeclared {
                working_days: vec![day],
                ..e
            })
        }
        other => other,
    };
    assert_eq!(
        w.err(&Actor::System, worked(d(2024, 6, 17))),
        "invalid_value"
    );
    w.ok(&Actor::System, worked(d(2024, 6, 15)));
    assert_eq!(
        w.state.figures_deadline(&cov(), "M06").unwrap(),
        d(2024, 6, 17)
    );
    let json = serde_json::to_string(&w.state).unwrap();
    assert_eq!(serde_json::from_str::<State>(&json).unwrap(), w.state);
}

fn history(unit: &str, window: &str, crimes: &str) -> HistoricalReport {
    HistoricalReport {
        unit: u(unit),
        year: 2023,
        window: window.into(),
        values: [("crimes".to_owned(), num(crimes))].into_iter().collect(),
    }
}

#[test]
fn the_secretariat_imports_earlier_years_all_at_once_as_approved_figures() {
    let mut w = signed_world();
    let import = |reports| Command::ImportHistoricalFigures {
        covenant: cov(),
        file_name: t("so-lieu-2023.csv"),
        sha256: "ab".repeat(32),
        reports,
    };
    let reports = vec![
        history("ca-kg", "M01", "92"),
        history("ca-ag", "M01", "101"),
    ];
    assert_eq!(
        w.err(&user("canbo.kg"), import(reports.clone())),
        "forbidden"
    );
    assert_eq!(
        w.err(
            &user("thuky"),
            import(vec![
                history("ca-kg", "M01", "1"),
                history("ca-kg", "M01", "2")
            ])
        ),
        "figures_exist"
    );
    assert_eq!(
        w.err(
            &user("thuky"),
            import(vec![
                history("ca-kg", "M01", "1"),
                HistoricalReport {
                    year: 2024,
                    ..history("ca-ag", "M01", "2")
                }
            ])
        ),
        "invalid_value",
        "not an earlier year; nothing of the import stays"
    );
    let payloads = w.ok(&user("thuky"), import(reports));
    assert_eq!(payloads.len(), 3);
    let record = &w.state.figures.imports[0];
    assert_eq!((record.reports, record.recorded), (2, 2));
    assert_eq!(record.actor, user("thuky"));
    assert_eq!(
        w.state
            .figures
            .published_value(&u("ca-ag"), 2023, "M01", "crimes"),
        Some(Cell::Number(101.into()))
    );
    let r = w.state.figures.report(&u("ca-kg"), 2023, "M01").unwrap();
    assert_eq!(r.approvals[0].import, Some(record.index));
    assert_eq!(
        w.err(&user("thuky"), import(vec![history("ca-kg", "M01", "5")])),
        "figures_exist",
        "an imported window is not replaced"
    );
}

#[test]
fn the_state_with_figures_survives_its_snapshot_form() {
    let mut w = signed_world();
    w.save("canbo.kg", "M01", full_values()).unwrap();
    w.step("canbo.kg", "M01", "submit").unwrap();
    w.step("lanhdao.kg", "M01", "approve").unwrap();
    w.ok(
        &user("thuky"),
        Command::ImportHistoricalFigures {
            covenant: cov(),
            file_name: t("f.csv"),
            sha256: "cd".repeat(32),
            reports: vec![history("ca-hg", "M05", "12")],
        },
    );
    w.ok(
        &user("thuky"),
        Command::SetFiguresDeadline {
            covenant: cov(),
            window: "M04".into(),
            deadline: d(2024, 4, 20),
        },
    );
    let json = serde_json::to_string(&w.state).unwrap();
    let back: State = serde_json::from_str(&json).unwrap();
    assert_eq!(back, w.state);
    // The indices are rebuilt: lookups work on the state read back.
    assert!(back.figures.report(&u("ca-hg"), 2023, "M05").is_some());
}

/// Kiên Giang merged into An Giang on 01/07/2024, in the middle of the covenant's year: it
/// reports for the windows that start before that day (M07: 15/06–14/07), not after.
#[test]
fn a_unit_merged_mid_year_reports_only_for_the_windows_before_the_merger() {
    let mut w = signed_world();
    w.ok(
        &Actor::System,
        Command::RecordLineage {
            change: LineageChange {
                kind: LineageKind::Merge,
                predecessors: vec![u("ca-ag"), u("ca-kg")],
                successors: vec![u("ca-ag")],
                effective: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
                decision: t("Quyết định sáp nhập (giả định)"),
            },
        },
    );
    w.save("canbo.kg", "M07", full_values()).unwrap();
    let before = w.state.clone();
    let err = w.save("canbo.kg", "M08", full_values()).unwrap_err();
    assert_eq!(err.code(), "unit_dissolved");
    assert!(
        err.to_string().contains("ca-ag"),
        "names the successor: {err}"
    );
    assert_eq!(w.state, before, "a refused command changes nothing");
    w.ok(
        &user("canbo.ag"),
        Command::SaveFigures {
            covenant: cov(),
            unit: u("ca-ag"),
            window: "M08".into(),
            values: full_values(),
            comments: BTreeMap::new(),
        },
    );
}

/// The regulation's own `[[rule]]` tables, signed with it, are the covenant's validation
/// rules: an error blocks the submission, a warning asks for a comment; the secretariat cannot
/// declare another rule under the same id; a rule naming no element is refused at the draft.
#[test]
fn rules_declared_in_the_regulation_are_checked_at_submission() {
    let rules = r#"
[[rule]]
id = "resolved_le_received"
name = "Tin đã giải quyết không vượt quá tin đã tiếp nhận"
check = "reports_resolved <= reports_received"
severity = "error"

[[rule]]
id = "solved_le_crimes"
name = "Số vụ khám phá không vượt quá số vụ phạm tội"
check = "solved <= crimes"
severity = "warning"
"#;
    let with_rules = |extra: &str| {
        let source = format!(
            "{}{extra}",
            include_str!("../../../../examples/cum12-2024/regulation.toml")
        );
        let text = thidua_scoring::canonical_form(&source).unwrap();
        let mut c = content("Giao ước 2024");
        c.regulation = RegulationDoc {
            sha256: hex_sha256(&text),
            text,
        };
        c
    };
    let mut w = World::cluster();
    let draft = |content| Command::DraftCovenant {
        covenant: cov(),
        movement: MovementId::parse("vanttq-2024").unwrap(),
        cluster: cum(),
        content,
    };
    let broken = rules.replace("solved <= crimes", "solved <= crimes + 1 +");
    assert_eq!(
        w.err(&user("thuky"), draft(with_rules(&broken))),
        "invalid_rule"
    );
    w.ok(&user("thuky"), draft(with_rules(rules)));
    for unit in UNITS {
        w.sign(unit).unwrap();
    }
    let again = ValidationRule {
        id: "solved_le_crimes".into(),
        name: t("Trùng mã"),
        check: "solved <= crimes".into(),
        severity: Severity::Error,
    };
    let set = Command::SetFiguresRules {
        covenant: cov(),
        rules: vec![again],
    };
    assert_eq!(w.err(&user("thuky"), set), "invalid_rule");
    let mut values = full_values();
    values.insert("reports_resolved".into(), num("130"));
    w.save("canbo.kg", "M01", values.clone()).unwrap();
    let err = w.step("canbo.kg", "M01", "submit").unwrap_err();
    assert_eq!(err.code(), "rule_violated");
    assert!(err.to_string().contains("Tin đã giải quyết"), "{err}");
    values.insert("reports_resolved".into(), num("100"));
    values.insert("solved".into(), num("9"));
    w.save("canbo.kg", "M01", values).unwrap();
    assert_eq!(
        w.step("canbo.kg", "M01", "submit").unwrap_err().code(),
        "warning_needs_comment"
    );
}

/// "Submitted by an officer → approved by the unit leader": a leader neither saves nor submits
/// the unit's figures (so never approves their own entry); an officer does, and the leader
/// approves. A log of an earlier release where the leader saved and submitted still replays.
#[test]
fn a_leader_approves_what_an_officer_submitted_and_never_their_own_entry() {
    let mut w = signed_world();
    let code = w
        .save("lanhdao.kg", "M01", full_values())
        .unwrap_err()
        .code();
    assert_eq!(
        code, "figures_by_officers",
        "a leader does not enter figures"
    );
    assert!(w.state.figures.report(&u("ca-kg"), 2024, "M01").is_none());
    w.save("canbo.kg", "M01", full_values()).unwrap();
    assert_eq!(
        w.step("lanhdao.kg", "M01", "submit").unwrap_err().code(),
        "figures_by_officers",
        "nor submits them"
    );
    w.step("canbo.kg", "M01", "submit").unwrap();
    w.step("lanhdao.kg", "M01", "approve").unwrap();
    // Replay: the leader's save and submission, written by an earlier release, still apply.
    let mut replayed = signed_world();
    let saved = Payload::FiguresSaved {
        covenant: cov(),
        unit: u("ca-kg"),
        window: "M02".into(),
        revision: 1,
        values: full_values(),
        comments: BTreeMap::new(),
    };
    let submitted = Payload::FiguresSubmitted {
        covenant: cov(),
        unit: u("ca-kg"),
        window: "M02".into(),
        revision: 1,
    };
    for payload in [saved, submitted] {
        let event = Event {
            index: replayed.state.size,
            time_ms: 1_711_411_200_000,
            actor: user("lanhdao.kg"),
            salt: "00".repeat(16),
            payload,
        };
        replayed.state.apply(&event).unwrap();
    }
    let r = replayed
        .state
        .figures
        .report(&u("ca-kg"), 2024, "M02")
        .unwrap();
    assert_eq!(r.status, ReportStatus::Submitted);
}
