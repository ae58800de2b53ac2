//! Files in and out against a real state: Cluster 12's signed covenant with the example
//! regulation. The template round trip (XLSX and CSV), a bad row refused with its place, legacy
//! encodings and a decompression bomb refused, the historical import of the example's 2023
//! figures, and the export read back by the scoring engine.

use std::io::Write;

use chrono::NaiveDate;
use thidua_domain::calendar::default_calendar;
use thidua_domain::figures::{Cell, FigureValue};
use thidua_domain::model::*;
use thidua_domain::*;
use thidua_import::template::Template;
use thidua_import::{export, plan_historical, plan_reports, Limits, Upload};

const REGULATION: &str = include_str!("../../../examples/cum12-2024/regulation.toml");
const DATA: &str = include_str!("../../../examples/cum12-2024/data.csv");
const UNITS: [(&str, &str, &str); 5] = [
    ("ca-kg", "Công an tỉnh Kiên Giang", "KG"),
    ("ca-ag", "Công an tỉnh An Giang", "AG"),
    ("ca-hg", "Công an tỉnh Hậu Giang", "HG"),
    ("ca-cm", "Công an tỉnh Cà Mau", "CM"),
    ("ca-bl", "Công an tỉnh Bạc Liêu", "BL"),
];

fn t(s: &str) -> Text {
    Text::parse("t", s, 500).unwrap()
}
fn u(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}
fn user(s: &str) -> Actor {
    Actor::User(UserId::parse(s).unwrap())
}
fn cov() -> CovenantId {
    CovenantId::parse("gu-2024").unwrap()
}

fn run(state: &mut State, actor: &Actor, commands: Vec<Command>) -> Result<(), DomainError> {
    run_at(state, actor, 1_711_420_000_000, commands)
}

/// [`run`] at `at` (milliseconds since the epoch).
fn run_at(
    state: &mut State,
    actor: &Actor,
    at: i64,
    commands: Vec<Command>,
) -> Result<(), DomainError> {
    let mut scratch = state.clone();
    for c in commands {
        scratch = decide_and_apply(&scratch, actor, at, c)?.1;
    }
    *state = scratch;
    Ok(())
}

/// Cluster 12 with its five units, roles and the signed covenant of 2024.
fn world() -> State {
    world_with(REGULATION, Some("crime_change"))
}

/// [`world`] with the covenant's scoring regulation `regulation`, whose value `indicator` (if
/// any) measures the covenant's target.
fn world_with(regulation: &str, indicator: Option<&str>) -> State {
    let mut s = State::default();
    let cum = ClusterId::parse("cum-12").unwrap();
    let mut setup = vec![Command::CreateCluster {
        cluster: cum.clone(),
        name: t("Cụm thi đua số 12"),
    }];
    for (id, name, code) in UNITS {
        setup.push(Command::CreateUnit {
            unit: u(id),
            name: t(name),
            short_code: t(code),
            kind: UnitKind::ProvincialPolice,
            parent: None,
            established: NaiveDate::from_ymd_opt(1976, 1, 1).unwrap(),
        });
    }
    setup.push(Command::SetClusterYear {
        cluster: cum.clone(),
        year: 2024,
        members: UNITS.iter().map(|x| u(x.0)).collect(),
    });
    setup.push(Command::CreateMovement {
        movement: MovementId::parse("vanttq-2024").unwrap(),
        name: t("Vì an ninh Tổ quốc"),
        year: 2024,
        plan_ref: t("84/KH-BCA"),
        slogan: None,
        calendar: default_calendar(2024),
    });
    let mut people = vec![(
        "thuky",
        Role::Secretariat {
            cluster: cum.clone(),
        },
    )];
    for (id, _, code) in UNITS {
        let code = code.to_lowercase();
        people.push((
            Box::leak(format!("lanhdao.{code}").into_boxed_str()),
            Role::Leader { unit: u(id) },
        ));
        people.push((
            Box::leak(format!("canbo.{code}").into_boxed_str()),
            Role::Officer { unit: u(id) },
        ));
    }
    for (name, role) in people {
        let id = UserId::parse(name).unwrap();
        setup.push(Command::RegisterUser {
            user: id.clone(),
            display_name: t(name),
            demo: true,
        });
        setup.push(Command::GrantRole { user: id, role });
    }
    run(&mut s, &Actor::System, setup).unwrap();
    let content = CovenantContent {
        title: t("Giao ước thi đua năm 2024"),
        place: t("Kiên Giang"),
        signing_date: NaiveDate::from_ymd_opt(2024, 3, 26).unwrap(),
        targets: vec![thidua_domain::model::Target {
            id: thidua_domain::TargetId::parse("toi-pham").unwrap(),
            area: t("Phòng, chống tội phạm"),
            kind: thidua_domain::model::TargetKind::Change,
            subject: t("Kéo giảm tội phạm về trật tự xã hội"),
            comparison: thidua_domain::model::Comparison::AtLeast,
            threshold: Some("5".parse().unwrap()),
            range: None,
            baseline_year: Some(2023),
            unit_of_measure: Some(t("%")),
            indicator: indicator.map(Into::into),
        }],
        regulation: covenant::regulation_doc(regulation).unwrap(),
    };
    run(
        &mut s,
        &user("thuky"),
        vec![Command::DraftCovenant {
            covenant: cov(),
            movement: MovementId::parse("vanttq-2024").unwrap(),
            cluster: cum,
            content,
        }],
    )
    .unwrap();
    for (id, _, code) in UNITS {
        let hash = s.covenants[&cov()].latest().hash.clone();
        run(
            &mut s,
            &user(&format!("lanhdao.{}", code.to_lowercase())),
            vec![Command::SignCovenant {
                covenant: cov(),
                version: 1,
                unit: u(id),
                hash,
            }],
        )
        .unwrap();
    }
    s
}

/// The example's figures of one year (and the units' names), in the data format.
fn example_year(year: i32) -> String {
    DATA.lines()
        .filter(|l| {
            l.starts_with('#')
                || l.starts_with("unit,")
                || l.contains(",@name,")
                || l.contains(&format!(",{year}-M"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn import_2023(state: &mut State) {
    let csv = example_year(2023);
    let plan = plan_historical(
        state,
        &cov(),
        Upload {
            file_name: "so-lieu-2023.csv",
            bytes: csv.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap();
    assert_eq!((plan.reports, plan.values), (60, 60 * 18));
    run(state, &user("thuky"), vec![plan.command]).unwrap();
}

/// 2024: January approved for every unit through the real commands, from the example's data.
fn approve_january(s: &mut State) {
    approve_january_with(s, |l| l.to_owned());
}

/// [`approve_january`] with each line of the example's January changed by `line` first.
fn approve_january_with(s: &mut State, line: impl Fn(&str) -> String) {
    let jan: String = example_year(2024)
        .lines()
        .filter(|l| !l.contains("-M") || l.contains("2024-M01"))
        .map(|l| format!("{}\n", line(l)))
        .collect();
    for (id, _, code) in UNITS {
        let mine: String = jan
            .lines()
            .filter(|l| l.starts_with("unit,") || l.starts_with(&format!("{code},")))
            .map(|l| format!("{l}\n"))
            .collect();
        let plan = plan_reports(
            s,
            &cov(),
            Upload {
                file_name: "jan.csv",
                bytes: mine.as_bytes(),
            },
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(plan.reports.len(), 1);
        let code = code.to_lowercase();
        run(s, &user(&format!("canbo.{code}")), plan.commands(true)).unwrap();
        run(
            s,
            &user(&format!("lanhdao.{code}")),
            vec![Command::ApproveFigures {
                covenant: cov(),
                unit: u(id),
                window: "M01".into(),
                revision: 1,
            }],
        )
        .unwrap();
    }
}

#[test]
fn the_example_2023_figures_are_imported_and_exported_for_the_scoring_engine() {
    let mut s = world();
    import_2023(&mut s);
    assert_eq!(
        s.figures
            .published_value(&u("ca-kg"), 2023, "M01", "crimes"),
        Some(Cell::Number(92.into()))
    );
    assert_eq!(s.figures.imports[0].sha256.len(), 64);
    // The same file again: every window already exists, nothing is recorded twice. The plan
    // refuses every row (as many as an import tells), each at its period, the unit by name and
    // the period as users name it; the domain refuses the command planned before them.
    let csv = example_year(2023);
    let upload = Upload {
        file_name: "x.csv",
        bytes: csv.as_bytes(),
    };
    let errors = plan_historical(&s, &cov(), upload, &Limits::default())
        .unwrap_err()
        .0;
    assert_eq!(errors.len(), thidua_import::error::MAX_ERRORS);
    let rows: Vec<usize> = errors.iter().filter_map(|e| e.row).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
    let first = &errors[0];
    assert_eq!(
        (first.code, first.column.as_deref()),
        ("figures_exist", Some("C (period)"))
    );
    assert!(
        errors.iter().all(|e| e.code == "figures_exist"),
        "{errors:?}"
    );
    assert!(
        first.message_vi.contains("kỳ Tháng 1/2023 đã có")
            && first.message_en.contains("for Month 1/2023 already exist"),
        "{first:?}"
    );
    let before = plan_historical(&world(), &cov(), upload, &Limits::default()).unwrap();
    assert_eq!(
        run(&mut s.clone(), &user("thuky"), vec![before.command])
            .unwrap_err()
            .code(),
        "figures_exist"
    );
    approve_january(&mut s);
    // A name a spreadsheet would run as a formula is exported defused and read back as typed.
    let formula = "=HYPERLINK(\"http://x\",\"Hậu Giang\")";
    run(
        &mut s,
        &Actor::System,
        vec![Command::RenameUnit {
            unit: u("ca-hg"),
            name: t(formula),
            short_code: t("HG"),
            effective: NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(),
            decision: t("Quyết định thử"),
        }],
    )
    .unwrap();
    let out = export::data_csv(&s, &cov(), "M01").unwrap();
    assert!(
        out.contains("HG,@name,,\"'=HYPERLINK(\"\"http://x\"\",\"\"Hậu Giang\"\")\"\n"),
        "{out}"
    );
    let data = thidua_scoring::Dataset::from_csv(&out).unwrap_or_else(|e| panic!("{e:?}\n{out}"));
    assert_eq!(data.unit_name("HG"), Some(formula));
    let reg = thidua_scoring::compile(REGULATION).unwrap();
    data.check(&reg).unwrap();
    assert!(out.contains("KG,crimes,2023-M01,92\n"), "{out}");
    assert!(out.contains("KG,@name,,Công an tỉnh Kiên Giang\n"));
    assert!(out.contains(",2024-M01,"));
    assert!(
        !out.contains(",2024-M02,"),
        "only windows up to the one chosen"
    );
    let board = reg
        .evaluate_all(
            &data,
            "2024-M01".parse().unwrap(),
            thidua_scoring::EvalOptions::default(),
        )
        .unwrap();
    assert_eq!(board.units.len(), 5);
}

fn officer_template(s: &State) -> Template {
    let mut tpl = Template::build(s, &cov(), &u("ca-kg"), "M02").unwrap();
    // Each figure a little under the one before, so the regulation's validation rules hold
    // (received ≤ due, resolved ≤ received, solved ≤ crimes, …).
    for (i, row) in tpl.rows.iter_mut().enumerate() {
        if row.id != "gov_flag" {
            row.current = Some(Cell::Number((1000 - i as i64).into()));
        }
    }
    tpl.rows[0].comment = Some("Số liệu tạm tính".into());
    tpl
}

/// A comment a spreadsheet would run as a formula is written to the CSV template as text
/// (a leading `'`), and read back as typed.
#[test]
fn a_formula_like_comment_is_defused_in_csv_and_read_back_as_typed() {
    let mut s = world();
    import_2023(&mut s);
    let mut filled = officer_template(&s);
    let typed = "=HYPERLINK(\"http://x\",\"y\")";
    filled.rows[0].comment = Some(typed.into());
    filled.rows[1].comment = Some("-2+3".into());
    let bytes = filled.to_csv();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{text}"
    );
    assert!(text.contains(",'-2+3"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",-2"), "{text}");
    let plan = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.csv",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap();
    let r = &plan.reports[0];
    assert_eq!(r.comments[&filled.rows[0].id].as_str(), typed);
    assert_eq!(r.comments[&filled.rows[1].id].as_str(), "-2+3");
}

#[test]
fn a_filled_template_is_read_back_from_xlsx_and_csv() {
    let mut s = world();
    import_2023(&mut s);
    let tpl = Template::build(&s, &cov(), &u("ca-kg"), "M02").unwrap();
    let crimes = tpl.rows.iter().find(|r| r.id == "crimes").unwrap();
    assert_eq!(
        crimes.same_period,
        Some(Cell::Number(84.into())),
        "cùng kỳ from last year's approved figures"
    );
    let filled = officer_template(&s);
    for (name, bytes) in [
        ("m02.xlsx", filled.to_xlsx().unwrap()),
        ("m02.csv", filled.to_csv()),
    ] {
        let plan = plan_reports(
            &s,
            &cov(),
            Upload {
                file_name: name,
                bytes: &bytes,
            },
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = &plan.reports[0];
        assert_eq!(
            (r.unit.as_str(), r.window.as_str(), r.revision),
            ("ca-kg", "M02", 1)
        );
        assert_eq!(
            r.values["crimes"],
            FigureValue::Number(1000.into()),
            "{name}: «1.000» in the Vietnamese form is a thousand"
        );
        assert!(
            !r.values.contains_key("gov_flag"),
            "an empty cell is not given"
        );
        assert_eq!(r.comments[&filled.rows[0].id].as_str(), "Số liệu tạm tính");
        assert_eq!(r.changes.len(), r.values.len());
    }
    let bytes = filled.to_xlsx().unwrap();
    let plan = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.xlsx",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap();
    run(&mut s, &user("canbo.kg"), plan.commands(true)).unwrap();
    assert_eq!(
        s.figures.report(&u("ca-kg"), 2024, "M02").unwrap().status,
        thidua_domain::figures::ReportStatus::Submitted
    );
}

/// The template is bilingual: its English line says how to write numbers (the Vietnamese way)
/// and "not applicable"; what it says is read back ("n/a" in any case, "12,5", "1.234"), and
/// so is the Vietnamese "không áp dụng".
#[test]
fn the_templates_english_line_says_what_to_type_and_it_is_read_back() {
    let mut s = world();
    import_2023(&mut s);
    let mut filled = officer_template(&s);
    let marked = ["assets_due", "crimes", "solved", "suspended"];
    for (i, id) in marked.iter().enumerate() {
        let row = filled.rows.iter_mut().find(|r| r.id == *id).unwrap();
        row.current = Some(Cell::Number((7771 + i as i64).into()));
    }
    let text = String::from_utf8(filled.to_csv()).unwrap();
    assert!(
        text.contains(
            "written the Vietnamese way: 1.234 is one thousand two hundred and thirty-four, 12,5 is twelve and a half"
        ) && text.contains("Write “n/a” (or “không áp dụng”) when the element does not apply"),
        "{text}"
    );
    assert!(!text.contains("Enter figures in column E; «"), "{text}");
    let text = text
        .replace(",7.771,", ",\"12,5\",")
        .replace(",7.772,", ",1.234,")
        .replace(",7.773,", ",N/A,")
        .replace(",7.774,", ",không áp dụng,");
    let plan = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.csv",
            bytes: text.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let values = &plan.reports[0].values;
    assert_eq!(
        values["assets_due"],
        FigureValue::Number("12.5".parse().unwrap())
    );
    assert_eq!(values["crimes"], FigureValue::Number(1234.into()));
    assert_eq!(values["solved"], FigureValue::NotApplicable);
    assert_eq!(values["suspended"], FigureValue::NotApplicable);
}

/// A template typed by hand in a spreadsheet (KG, 2024-M03, Vietnamese numbers): its heading
/// block and heading row, then the element rows `rows` writes from the seventh row on.
fn typed_template(rows: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let heading: [(&str, &str); 4] = [
        ("Giao ước", "gu-2024"),
        ("Đơn vị", "KG"),
        ("Kỳ báo cáo", "2024-M03"),
        ("Định dạng số", "vi"),
    ];
    for (i, (a, b)) in heading.iter().enumerate() {
        sheet.write_string(i as u32, 0, *a).unwrap();
        sheet.write_string(i as u32, 1, *b).unwrap();
    }
    for (c, h) in [
        "Mã",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Cùng kỳ",
        "Số liệu",
        "Ghi chú",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(5, c as u16, *h).unwrap();
    }
    rows(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn numeric_cells_typed_in_a_spreadsheet_are_exact() {
    let s = world();
    let bytes = typed_template(|sheet| {
        sheet.write_string(6, 0, "assets_due").unwrap();
        sheet.write_number(6, 4, 1234.5).unwrap();
        sheet.write_string(7, 0, "crimes").unwrap();
        sheet.write_number(7, 4, 85.0).unwrap();
    });
    let plan = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "x.xlsx",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        plan.reports[0].values["assets_due"],
        FigureValue::Number("1234.5".parse().unwrap())
    );
    assert_eq!(
        plan.reports[0].values["crimes"],
        FigureValue::Number(85.into())
    );
}

/// A spreadsheet turns "1/5" or "5-1" typed into a figure's cell into a date, stored as its day
/// count (45.662 for 05/01/2025): that cell is refused, naming the date it shows, never read
/// as 45.662 cases; a date in a comment's cell is read as the date it shows.
#[test]
fn a_date_cell_is_refused_as_a_figure_and_read_as_its_date_in_a_comment() {
    let s = world();
    let book = |figure_is_date: bool| {
        typed_template(|sheet| {
            let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
            let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 5).unwrap();
            sheet.write_string(6, 0, "crimes").unwrap();
            if figure_is_date {
                sheet.write_datetime_with_format(6, 4, &day, &date).unwrap();
            } else {
                sheet.write_number(6, 4, 85.0).unwrap();
            }
            sheet.write_datetime_with_format(6, 5, &day, &date).unwrap();
        })
    };
    let plan = |bytes: &[u8]| {
        plan_reports(
            &s,
            &cov(),
            Upload {
                file_name: "x.xlsx",
                bytes,
            },
            &Limits::default(),
        )
    };
    let errors = plan(&book(true)).unwrap_err();
    let e = &errors.0[0];
    assert_eq!(
        (e.code, e.row, e.column.as_deref()),
        ("date_cell", Some(7), Some("E (Số liệu)")),
        "{errors}"
    );
    assert!(
        e.message_vi.contains("05/01/2025") && e.message_en.contains("a date"),
        "{e}"
    );
    let plan = plan(&book(false)).unwrap();
    assert_eq!(
        plan.reports[0].values["crimes"],
        FigureValue::Number(85.into())
    );
    assert_eq!(plan.reports[0].comments["crimes"].as_str(), "05/01/2025");
}

#[test]
fn one_bad_row_imports_nothing_and_is_named_by_sheet_row_and_column() {
    let s = world();
    let mut tpl = officer_template(&s);
    let bytes = tpl.to_xlsx().unwrap();
    let good = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "ok.xlsx",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap();
    assert!(!good.reports.is_empty());
    // Break one figure: "12,5,3" is not a number in any form.
    let mut csv = String::from_utf8(tpl.to_csv()).unwrap();
    csv = csv
        .replacen("\"998\"", "\"12,5,3\"", 1)
        .replacen(",998,", ",\"12,5,3\",", 1);
    let errors = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.csv",
            bytes: csv.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap_err();
    let e = &errors.0[0];
    assert_eq!(e.code, "number_format", "{errors}");
    assert_eq!(
        (e.sheet.as_deref(), e.row, e.column.as_deref()),
        (Some("m02.csv"), Some(11), Some("E (Số liệu)")),
        "{errors}"
    );
    assert!(
        e.message_vi.contains(&*tpl.rows[2].name),
        "named by the element: {e}"
    );
    // In XLSX: a negative figure, refused with the sheet's name.
    tpl.rows[3].current = Some(Cell::Number((-4).into()));
    let bytes = tpl.to_xlsx().unwrap();
    let errors = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.xlsx",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap_err();
    let e = &errors.0[0];
    assert_eq!(
        (e.code, e.sheet.as_deref(), e.row),
        ("invalid_figure", Some("Số liệu"), Some(12)),
        "{errors}"
    );
    assert!(e.message_en.contains("negative"));
    // A comment too long for the log: named by the element and the comment's own cell.
    tpl.rows[3].current = Some(Cell::Number(4.into()));
    tpl.rows[1].comment = Some("x".repeat(5000));
    let errors = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.xlsx",
            bytes: &tpl.to_xlsx().unwrap(),
        },
        &Limits::default(),
    )
    .unwrap_err();
    let e = &errors.0[0];
    assert_eq!(
        (e.code, e.row, e.column.as_deref()),
        ("invalid_comment", Some(10), Some("F (Ghi chú)")),
        "{errors}"
    );
    assert!(
        e.message_vi.contains(&*tpl.rows[1].name) && !e.message_vi.contains(&*tpl.rows[1].id),
        "named by the element, not its code: {e}"
    );
}

/// "An import with one bad row imports nothing and says which row": the row is the file's
/// line, whether the file ends its lines with CRLF (Excel, Python's csv) or LF, with comment
/// lines above the heading and a quoted cell spanning two lines above the bad row.
#[test]
fn a_bad_row_is_named_by_its_file_line_with_crlf_or_lf_endings() {
    let s = world();
    let kg_january: Vec<String> = example_year(2024)
        .lines()
        .filter(|l| l.starts_with("KG,") && l.contains(",2024-M01,"))
        .take(8)
        .map(str::to_owned)
        .collect();
    let plan_row = |lines: &[String], end: &str| {
        let text: String = lines.iter().map(|l| format!("{l}{end}")).collect();
        let errors = plan_reports(
            &s,
            &cov(),
            Upload {
                file_name: "kg.csv",
                bytes: text.as_bytes(),
            },
            &Limits::default(),
        )
        .unwrap_err();
        let e = &errors.0[0];
        (e.code, e.row, e.column.clone())
    };
    for end in ["\n", "\r\n"] {
        // Line 1 the heading, lines 2 to 9 good figures, line 10 a bad one.
        let mut lines = vec!["unit,element,period,value".to_owned()];
        lines.extend(kg_january.iter().cloned());
        let bad = lines[8].rsplit_once(',').unwrap().0.to_owned() + ",abc";
        lines.push(bad.clone());
        assert_eq!(lines.len(), 10);
        let (code, row, column) = plan_row(&lines, end);
        assert_eq!(
            (code, row, column.as_deref()),
            ("invalid_number", Some(10), Some("D (value)")),
            "{end:?}"
        );
        // The bad figure on line 2, right under the heading.
        let first = vec![lines[0].clone(), bad.clone()];
        assert_eq!(plan_row(&first, end).1, Some(2), "{end:?}");
        // Comment lines above the heading count; so does a line break inside a quoted cell.
        let mut commented = vec!["# Kiên Giang, tháng 1".to_owned(), lines[0].clone()];
        commented.push(format!("KG,@name,,\"Công an tỉnh{end}Kiên Giang\""));
        commented.push(bad);
        assert_eq!(plan_row(&commented, end).1, Some(5), "{end:?}");
    }
}

/// An Excel 97-2003 workbook, or any binary file, is told for what it is, not as a legacy
/// encoding to convert with Unikey (which cannot help).
#[test]
fn an_xls_workbook_or_a_binary_file_is_told_for_what_it_is() {
    let s = world();
    let plan = |name: &str, bytes: &[u8]| {
        plan_reports(
            &s,
            &cov(),
            Upload {
                file_name: name,
                bytes,
            },
            &Limits::default(),
        )
        .unwrap_err()
    };
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
    let e = plan("so-lieu.xls", &xls);
    assert_eq!(e.0[0].code, "xls_workbook", "{e}");
    assert!(e.0[0].message_vi.contains("Lưu thành"), "{e}");
    let mut binary = b"PNG".to_vec();
    binary.extend([0x89, 0x00, 0x1A, 0xFF, 0x00, 0x10]);
    let e = plan("so-lieu.xlsx", &binary);
    assert_eq!(e.0[0].code, "not_a_table", "{e}");
}

#[test]
fn legacy_encodings_are_refused_with_an_explanation() {
    let s = world();
    let mut bytes = b"unit,element,period,value\nKG,crimes,2024-M01,5\n# C".to_vec();
    bytes.extend([
        0xAB, b'n', b'g', b' ', b'a', b'n', b' ', b't', 0xD8, b'n', b'h', b'\n',
    ]);
    let e = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "tcvn3.csv",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.0[0].code, "legacy_encoding");
    assert!(e.0[0].message_vi.contains("TCVN3"), "{e}");
    let mojibake =
        "unit,element,period,value\nKG,crimes,2024-M01,5\n\"Coâng an tænh\",crimes,2024-M01,1\n";
    let e = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "vni.csv",
            bytes: mojibake.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        (e.0[0].code, e.0[0].row),
        ("legacy_encoding", Some(3)),
        "{e}"
    );
    assert!(e.0[0].message_en.contains("VNI"));
}

#[test]
fn a_decompression_bomb_disguised_as_xlsx_is_refused_fast() {
    let s = world();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..64 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(
        bytes.len() < 1 << 20,
        "64 MiB packed into {} bytes",
        bytes.len()
    );
    let limits = Limits {
        max_unzipped: 16 << 20,
        ..Limits::default()
    };
    let e = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "bomb.xlsx",
            bytes: &bytes,
        },
        &limits,
    )
    .unwrap_err();
    assert_eq!(e.0[0].code, "zip_bomb", "{e}");
}

/// A workbook `rust_xlsxwriter` writes (a heading and one text cell at B2), with the entry
/// `name` rewritten by `edit`; entries stored uncompressed.
fn rewritten_workbook(name: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read as _, Write as _};
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "unit").unwrap();
    ws.write_string(1, 1, "far").unwrap();
    let valid = book.save_to_buffer().unwrap();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(valid)).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..source.len() {
            let mut entry = source.by_index(i).unwrap();
            let entry_name = entry.name().unwrap().to_string();
            let mut text = Vec::new();
            entry.read_to_end(&mut text).unwrap();
            if entry_name == name {
                text = edit(String::from_utf8(text).unwrap()).into_bytes();
            }
            zip.start_file(entry_name, stored).unwrap();
            zip.write_all(&text).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn plan_error(bytes: &[u8]) -> thidua_import::ImportErrors {
    plan_reports(
        &world(),
        &cov(),
        Upload {
            file_name: "x.xlsx",
            bytes,
        },
        &Limits::default(),
    )
    .unwrap_err()
}

/// A valid workbook whose one cell names column LXQEASV (about four billion): a 1.5 KB file
/// that once made the reader size a row by that column and exhaust the memory.
#[test]
fn a_cell_beyond_the_last_excel_column_is_refused_before_anything_is_sized_by_it() {
    let bytes = rewritten_workbook("xl/worksheets/sheet1.xml", |xml| {
        assert!(xml.contains("r=\"B2\""), "{xml}");
        xml.replace("r=\"B2\"", "r=\"LXQEASV2\"")
    });
    let e = plan_error(&bytes);
    assert_eq!((e.0[0].code, e.0[0].row), ("too_large", Some(2)), "{e}");
    assert!(e.0[0].message_vi.contains("tối đa 16384 cột"), "{e}");
}

/// The shared strings are read whole before the first row, each costing more memory than its
/// XML: a part of millions of tiny strings (once 1 GB of memory from a 1.2 MB upload), or a
/// declared count a reader reserves up front (once a panic), is refused before any reading.
#[test]
fn a_shared_strings_bomb_is_refused_before_the_reader_loads_it() {
    let shared = "xl/sharedStrings.xml";
    let many = rewritten_workbook(shared, |xml| {
        let at = xml.find("</sst>").unwrap();
        format!(
            "{}{}{}",
            &xml[..at],
            "<si><t>a</t></si>".repeat(1_100_000),
            &xml[at..]
        )
    });
    let e = plan_error(&many);
    assert_eq!(e.0[0].code, "too_large", "{e}");
    assert!(e.0[0].message_en.contains("shared strings"), "{e}");
    let counted = rewritten_workbook(shared, |xml| {
        let re = |xml: String, attr: &str| match xml.find(&format!(" {attr}=\"")) {
            Some(at) => {
                let start = at + attr.len() + 3;
                let end = start + xml[start..].find('"').unwrap();
                format!("{}18446744073709551615{}", &xml[..start], &xml[end..])
            }
            None => xml,
        };
        let xml = re(xml, "uniqueCount");
        assert!(xml.contains("18446744073709551615"), "{xml}");
        xml
    });
    let e = plan_error(&counted);
    assert_eq!(e.0[0].code, "too_large", "{e}");
}

#[test]
fn a_workbook_of_several_sheets_each_with_its_heading_is_one_import() {
    let s = world();
    let mut book = rust_xlsxwriter::Workbook::new();
    for (unit, value) in [("KG", 92.0), ("AG", 101.0)] {
        let ws = book.add_worksheet();
        for (c, h) in ["unit", "element", "period", "value"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, unit).unwrap();
        ws.write_string(1, 1, "crimes").unwrap();
        ws.write_string(1, 2, "2023-M01").unwrap();
        ws.write_number(1, 3, value).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let plan = plan_historical(
        &s,
        &cov(),
        Upload {
            file_name: "hai-trang.xlsx",
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .unwrap();
    assert_eq!((plan.reports, plan.values), (2, 2));
}

/// The plan of a historical import of `csv` (a file named `lich-su.csv`) into the covenant.
fn historical(
    s: &State,
    csv: &str,
) -> Result<thidua_import::HistoricalPlan, thidua_import::ImportErrors> {
    plan_historical(
        s,
        &cov(),
        Upload {
            file_name: "lich-su.csv",
            bytes: csv.as_bytes(),
        },
        &Limits::default(),
    )
}

/// A historical file (the data format of `thidua score --data`): "1.000" is one thousand in
/// Vietnamese notation, so without a declaration it is refused with its row, never read as 1;
/// with `# number_format: vi` it is read as 1000, as `thidua score` reads it.
#[test]
fn a_historical_file_reads_numbers_as_it_declares_them() {
    let s = world();
    let plan = |csv: &str| historical(&s, csv);
    let body = "unit,element,period,value\nKG,crimes,2023-M01,1.000\n";
    let e = plan(body).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].code, "number_format", "{e}");
    assert_eq!(e.0[0].row, Some(2), "{e}");
    assert!(e.to_string().contains("number_format: vi"), "{e}");

    let read = plan(&format!("# số liệu năm 2023\n# number_format: vi\n{body}")).unwrap();
    let Command::ImportHistoricalFigures { reports, .. } = &read.command else {
        panic!("{:?}", read.command)
    };
    assert_eq!(
        reports[0].values.get("crimes"),
        Some(&FigureValue::Number(1000.into()))
    );
    // `thidua score --data` gives the same verdicts on the same files.
    let scored = thidua_scoring::Dataset::from_csv(body).unwrap_err();
    assert_eq!((scored[0].code, scored[0].row), ("number_format", 2));
    assert!(thidua_scoring::Dataset::from_csv(&format!("# number_format: vi\n{body}")).is_ok());

    let e = plan(&format!("# number_format: fr\n{body}")).unwrap_err();
    assert_eq!((e.0[0].code, e.0[0].row), ("number_format", Some(1)), "{e}");
}

/// A figure given twice is refused naming both rows, so that the person importing finds the
/// one to keep: in a historical file (`unit,element,period,value`, as `thidua score --data`
/// names both lines) and in a unit's template alike.
#[test]
fn a_figure_given_twice_is_refused_naming_both_rows() {
    let s = world();
    let body = "unit,element,period,value\nKG,crimes,2023-M01,10\nKG,suspended,2023-M01,2\nKG,crimes,2023-M01,12\n";
    let e = historical(&s, body).unwrap_err();
    assert_eq!((e.0[0].code, e.0[0].row), ("duplicate", Some(4)), "{e}");
    assert!(e.0[0].message_vi.contains("đã có ở dòng 2"), "{e}");
    assert!(e.0[0].message_en.contains("first at row 2"), "{e}");

    let tpl = officer_template(&s);
    let csv = String::from_utf8(tpl.to_csv()).unwrap();
    let first = csv.lines().find(|l| l.starts_with("crimes,")).unwrap();
    let row = 1 + csv.lines().position(|l| l == first).unwrap();
    let twice = format!("{csv}{first}\n");
    let e = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "m02.csv",
            bytes: twice.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap_err();
    let dup =
        e.0.iter()
            .find(|e| e.code == "duplicate")
            .expect("a duplicate");
    assert!(
        dup.message_vi.contains(&format!("đã có ở dòng {row}"))
            && dup.message_en.contains(&format!("first at row {row}")),
        "{e}"
    );
}

/// Past figures are imported month by month: a year total (`2023-Y`) or a quarter is the sum
/// of reported windows and is refused with its row, not stored where nothing would read it.
#[test]
fn a_historical_year_total_is_refused_with_its_row() {
    let s = world();
    let body = "unit,element,period,value\nKG,crimes,2023-M01,10\nKG,crimes,2023-Y,130\nKG,crimes,2023-Q2,30\n";
    let e = historical(&s, body).unwrap_err();
    let rows: Vec<(&str, Option<usize>)> = e.0.iter().map(|x| (x.code, x.row)).collect();
    assert_eq!(
        rows,
        [("summary_window", Some(3)), ("summary_window", Some(4))],
        "{e}"
    );
    assert!(e.to_string().contains("từng kỳ báo cáo"), "{e}");
}

/// [`world`] where a member absorbed another (`ca-x1` merged into Hậu Giang on 01/01/2024),
/// with the 2023 figures of all six units approved (`ca-x1`'s those of Hậu Giang).
fn merged_world() -> State {
    merged_world_without("none")
}

/// [`merged_world`] where `ca-x1` never reported the 2023 window `lacking` (`2023-M03`).
fn merged_world_without(lacking: &str) -> State {
    merged_world_at(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), &[lacking])
}

/// [`world`] where `ca-x1` merged into Hậu Giang on `effective`, with the 2023 figures of all
/// six units approved (`ca-x1`'s those of Hậu Giang) but the windows `lacking` of `ca-x1`.
fn merged_world_at(effective: NaiveDate, lacking: &[&str]) -> State {
    let mut s = world();
    run(
        &mut s,
        &Actor::System,
        vec![
            Command::CreateUnit {
                unit: u("ca-x1"),
                name: t("Công an thị xã sáp nhập"),
                short_code: t("X1"),
                kind: UnitKind::ProvincialPolice,
                parent: None,
                established: NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
            },
            Command::RecordLineage {
                change: LineageChange {
                    kind: LineageKind::Merge,
                    predecessors: vec![u("ca-hg"), u("ca-x1")],
                    successors: vec![u("ca-hg")],
                    effective,
                    decision: t("Quyết định sáp nhập (giả định)"),
                },
            },
        ],
    )
    .unwrap();
    import_2023(&mut s);
    let x1: String = example_year(2023)
        .lines()
        .filter(|l| l.starts_with("unit,") || l.starts_with("HG,") && !l.contains("@name"))
        .filter(|l| !lacking.iter().any(|w| l.contains(&format!(",{w},"))))
        .map(|l| format!("{}\n", l.replacen("HG,", "X1,", 1)))
        .collect();
    let plan = plan_historical(
        &s,
        &cov(),
        Upload {
            file_name: "x1-2023.csv",
            bytes: x1.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap();
    run(&mut s, &user("thuky"), vec![plan.command]).unwrap();
    s
}

/// The text of one part of a workbook.
fn xlsx_part(bytes: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    std::io::read_to_string(zip.by_name(part).unwrap()).unwrap()
}

/// The template names a data element's column "Nội dung" (a "chỉ tiêu" is a target of the
/// covenant); a template of an earlier release, whose column said "Chỉ tiêu", still imports.
#[test]
fn the_template_calls_a_data_element_noi_dung_and_old_templates_still_import() {
    let mut s = world();
    import_2023(&mut s);
    let filled = officer_template(&s);
    let csv = String::from_utf8(filled.to_csv()).unwrap();
    assert!(
        csv.contains("\nMã,Nội dung,Đơn vị tính,Cùng kỳ 2023,Số liệu,Ghi chú\n"),
        "{csv}"
    );
    assert!(!csv.contains("Chỉ tiêu"), "{csv}");
    let old = csv.replace("Mã,Nội dung,", "Mã,Chỉ tiêu,");
    let plan = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "cu.csv",
            bytes: old.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        plan.reports[0].values["crimes"],
        FigureValue::Number(1000.into())
    );
}

/// A member merged during the year: the template's "cùng kỳ" column (CSV and XLSX alike) is its
/// own and its predecessor's approved figures of the window last year, as the figures page and
/// its scores read them (`State::earlier_value`), and the instructions name the predecessor.
#[test]
fn a_merged_members_template_shows_last_year_with_its_predecessors() {
    let s = merged_world();
    let tpl = Template::build(&s, &cov(), &u("ca-hg"), "M02").unwrap();
    let same = |id: &str| tpl.rows.iter().find(|r| r.id == id).unwrap().same_period;
    // Hậu Giang's own February 2023 was 50 crimes and 2046 personnel; so was Thị xã X1's.
    assert_eq!(same("crimes"), Some(Cell::Number(100.into())));
    assert_eq!(same("personnel"), Some(Cell::Number(4092.into())));
    for row in &tpl.rows {
        assert_eq!(
            row.same_period.unwrap_or(Cell::Missing),
            s.earlier_value(&u("ca-hg"), &cov(), 2023, "M02", &row.id),
            "{}",
            row.id
        );
    }
    let xlsx = tpl.to_xlsx().unwrap();
    assert!(
        xlsx_part(&xlsx, "xl/styles.xml").contains("formatCode=\"[$-42A]#,##0\""),
        "a Vietnamese number format"
    );
    for (name, bytes) in [("t.csv", tpl.to_csv()), ("t.xlsx", xlsx)] {
        let mut column_d = std::collections::BTreeMap::new();
        let mut text = String::new();
        thidua_import::table::read(&bytes, name, &Limits::default(), &mut |_, _, cells| {
            for c in cells {
                text.push_str(c.text());
                text.push('\n');
            }
            if let (Some(id), Some(d)) = (cells.first(), cells.get(3)) {
                column_d.insert(id.text().to_owned(), d.clone());
            }
            true
        })
        .unwrap();
        // The workbook holds numbers (shown "4.092" by their Vietnamese number format), never
        // text a spreadsheet cannot add; the CSV writes them the Vietnamese way.
        let number = |s: &str| thidua_import::table::RawCell::Number(s.into());
        let written = |s: &str| thidua_import::table::RawCell::Text(s.into());
        let (crimes, personnel) = match name {
            "t.xlsx" => (number("100"), number("4092")),
            _ => (written("100"), written("4.092")),
        };
        assert_eq!(column_d["crimes"], crimes, "{name}");
        assert_eq!(column_d["personnel"], personnel, "{name}");
        assert!(text.contains("Công an thị xã sáp nhập"), "{name}: {text}");
    }
    // A unit without predecessors: its own figures, and no word of predecessors.
    let kg = Template::build(&s, &cov(), &u("ca-kg"), "M02").unwrap();
    let crimes = kg.rows.iter().find(|r| r.id == "crimes").unwrap();
    assert_eq!(crimes.same_period, Some(Cell::Number(84.into())));
    let csv = String::from_utf8(kg.to_csv()).unwrap();
    assert!(
        !csv.contains("tiền thân") && !csv.contains("predecessor"),
        "{csv}"
    );
}

/// A merged member whose predecessor has no approved figures for last year's window: the
/// template's "cùng kỳ" is blank, never Hậu Giang's own figures presented as the merged unit's,
/// and its instructions name the unit that lacks them.
#[test]
fn a_merged_members_template_names_the_predecessor_that_lacks_the_window() {
    let s = merged_world_without("2023-M03");
    let tpl = Template::build(&s, &cov(), &u("ca-hg"), "M03").unwrap();
    assert!(
        tpl.rows.iter().all(|r| r.same_period.is_none()),
        "no partial sum: {:?}",
        tpl.rows
    );
    assert_eq!(tpl.same_period_missing, ["Công an thị xã sáp nhập"]);
    let csv = String::from_utf8(tpl.to_csv()).unwrap();
    assert!(
        csv.contains("chưa có số liệu đã duyệt của Công an thị xã sáp nhập")
            && csv.contains("no approved figures of Công an thị xã sáp nhập"),
        "{csv}"
    );
    let february = Template::build(&s, &cov(), &u("ca-hg"), "M02").unwrap();
    assert!(february.same_period_missing.is_empty());
    assert!(february.rows.iter().any(|r| r.same_period.is_some()));
}

/// A member that absorbed another (`ca-x1` merged into Hậu Giang on 01/01/2024): the exported
/// data file declares its 2023 as the sum of both (`@predecessors`), so `thidua score` on the
/// file gives exactly the scores the server computes from the log.
#[test]
fn a_merged_members_export_scores_as_the_server_scores_it() {
    let mut s = merged_world();
    approve_january(&mut s);

    let out = export::data_csv(&s, &cov(), "M01").unwrap();
    assert!(out.contains("HG,@predecessors,2023,HG X1\n"), "{out}");
    assert!(out.contains("X1,@name,,Công an thị xã sáp nhập\n"), "{out}");
    let reg = thidua_scoring::compile(REGULATION).unwrap();
    let period: thidua_scoring::PeriodKey = "2024-M01".parse().unwrap();
    let options = thidua_scoring::EvalOptions::default;
    let offline = reg
        .evaluate_all(
            &thidua_scoring::Dataset::from_csv(&out).unwrap(),
            period,
            options(),
        )
        .unwrap();
    let server = reg
        .evaluate_all(&january_data(&s), period, options())
        .unwrap();
    let total = |board: &thidua_scoring::Scoreboard, name: &str| {
        let unit = board.units.iter().find(|r| r.name.as_deref() == Some(name));
        let nodes = &unit.unwrap_or_else(|| panic!("{name}")).nodes;
        serde_json::to_string(nodes).unwrap()
    };
    for (_, name, _) in UNITS {
        assert_eq!(total(&offline, name), total(&server, name), "{name}");
    }
    // Without the declaration Hậu Giang would be compared with its own 2023 alone.
    let alone = out.replace("HG,@predecessors,2023,HG X1\n", "");
    let alone = reg
        .evaluate_all(
            &thidua_scoring::Dataset::from_csv(&alone).unwrap(),
            period,
            options(),
        )
        .unwrap();
    assert_ne!(
        total(&alone, "Công an tỉnh Hậu Giang"),
        total(&server, "Công an tỉnh Hậu Giang")
    );
}

/// January 2024 scored twice: by `thidua score` on the export `out`, and by the server's engine
/// on the log's own data (offline first).
fn january_offline_and_on_the_server(
    s: &State,
    out: &str,
) -> (thidua_scoring::Scoreboard, thidua_scoring::Scoreboard) {
    let reg = thidua_scoring::compile(REGULATION).unwrap();
    let period: thidua_scoring::PeriodKey = "2024-M01".parse().unwrap();
    let offline = reg
        .evaluate_all(
            &thidua_scoring::Dataset::from_csv(out).unwrap(),
            period,
            thidua_scoring::EvalOptions::default(),
        )
        .unwrap();
    let server = reg
        .evaluate_all(
            &january_data(s),
            period,
            thidua_scoring::EvalOptions::default(),
        )
        .unwrap();
    (offline, server)
}

/// The server's engine data for January 2024 (approved figures from the log).
fn january_data(s: &State) -> thidua_scoring::Dataset {
    let mut members: Vec<UnitId> = UNITS.iter().map(|x| u(x.0)).collect();
    members.sort();
    let none = |_: &UnitId| std::collections::BTreeMap::new();
    let spec = thidua_domain::engine_data::Spec {
        covenant: &cov(),
        members: &members,
        year: 2024,
        through_month: 1,
        manual: &none,
        period: "2024-M01".into(),
    };
    thidua_domain::engine_data::dataset(s, &spec).unwrap()
}

/// A predecessor merged away in the middle of the baseline year (01/07/2023) reported until
/// June: the export writes 0 for its windows after it ceased (as the server's data has them,
/// `State::ceased_by`), never leaving them missing, and `thidua score` on the file still gives
/// exactly the server's scores.
#[test]
fn a_predecessor_merged_away_mid_year_is_exported_as_the_server_reads_it() {
    let lacking = [
        "2023-M07", "2023-M08", "2023-M09", "2023-M10", "2023-M11", "2023-M12",
    ];
    let mut s = merged_world_at(NaiveDate::from_ymd_opt(2023, 7, 1).unwrap(), &lacking);
    approve_january(&mut s);
    // September 2023 is Hậu Giang's own figure (the whole area by then): complete.
    assert_eq!(
        s.earlier_value(&u("ca-hg"), &cov(), 2023, "M09", "crimes"),
        s.figures
            .published_value(&u("ca-hg"), 2023, "M09", "crimes")
            .unwrap()
    );
    assert!(s
        .earlier_missing(&u("ca-hg"), &cov(), 2023, "M09")
        .is_empty());
    let out = export::data_csv(&s, &cov(), "M01").unwrap();
    assert!(out.contains("X1,crimes,2023-M09,0\n"), "{out}");
    assert!(!out.contains("X1,crimes,2023-M06,0\n"), "{out}");
    let (offline, server) = january_offline_and_on_the_server(&s, &out);
    let nodes = |board: &thidua_scoring::Scoreboard| -> Vec<String> {
        board
            .units
            .iter()
            .map(|r| format!("{:?} {}", r.name, serde_json::to_string(&r.nodes).unwrap()))
            .collect()
    };
    assert_eq!(nodes(&offline), nodes(&server));
}

/// "Không áp dụng" flows into the engine as itself: the export writes it `na` (it dropped the
/// row, so `thidua score` said "missing"), `thidua score` on the file gives exactly the server's
/// scores, and the explanation says "không áp dụng", never "thiếu".
#[test]
fn a_figure_not_applicable_is_exported_and_scored_as_not_applicable() {
    let mut s = world();
    import_2023(&mut s);
    approve_january_with(&mut s, |l| {
        if l.starts_with("KG,crimes,2024-M01,") {
            "KG,crimes,2024-M01,không áp dụng".to_owned()
        } else {
            l.to_owned()
        }
    });
    let out = export::data_csv(&s, &cov(), "M01").unwrap();
    assert!(out.contains("KG,crimes,2024-M01,na\n"), "{out}");
    let (offline, server) = january_offline_and_on_the_server(&s, &out);
    let reg = thidua_scoring::compile(REGULATION).unwrap();
    let data = january_data(&s);
    let kg = |board: &thidua_scoring::Scoreboard| {
        let unit = board
            .units
            .iter()
            .find(|r| r.name.as_deref() == Some("Công an tỉnh Kiên Giang"))
            .expect("Kiên Giang")
            .clone();
        unit
    };
    let (at_server, offline_kg) = (kg(&server), kg(&offline));
    assert_eq!(
        serde_json::to_string(&offline_kg.nodes).unwrap(),
        serde_json::to_string(&at_server.nodes).unwrap(),
        "the file scores as the server"
    );
    let explained = reg.explain_units(&data, &[at_server]).unwrap();
    let text = thidua_scoring::render::unit_text(&explained[0]);
    assert!(text.contains("«không áp dụng»"), "{text}");
    assert!(
        !text.contains("thiếu số liệu"),
        "not applicable is not missing: {text}"
    );
}

/// A regulation scored by hand alone, whose top band admits one unit in five (the domain's
/// tie test's).
const TIE_REGULATION: &str = include_str!("../../thidua-domain/tests/yearend/quota-tie.toml");

/// Kiên Giang and An Giang tie at the top band's quota cut-off and the cluster head's leader
/// keeps An Giang: the final-scores export carries that decision (`@kept:xuat_sac`), and the
/// scoring engine, run on the export alone as `thidua score` runs, ranks and bands every unit
/// as published; without the decision's row both would move down.
#[test]
fn an_export_carries_the_heads_tie_decision_and_scores_as_published() {
    use thidua_domain::yearend::{draw::commitment, DossierEntry, Points, YearEndCommand as Y};
    let mut s = world_with(TIE_REGULATION, None);
    let head = ClusterId::parse("cum-12").unwrap();
    let december = 1_733_799_600_000; // 10/12/2024
    let secret = |id: &str| format!("{:0>64}", hex::encode(id));
    let date = |d: u32| NaiveDate::from_ymd_opt(2024, 12, d).unwrap();
    let mut steps = vec![
        Command::SetClusterLeadership {
            cluster: head,
            year: 2024,
            position: LeadershipPosition::Head,
            unit: u("ca-hg"),
            method: LeadershipMethod::Elected,
            decision: t("Biên bản bầu cụm trưởng"),
        },
        Command::YearEnd(Y::Open {
            covenant: cov(),
            dossier_deadline: date(20),
            commit_deadline: date(20),
            reveal_deadline: None,
            response_deadline: date(30),
            inspectors: 1,
            record_sample: 0,
            acknowledge_missing_figures: false,
        }),
    ];
    let scores = [
        ("ca-kg", "95"),
        ("ca-ag", "95"),
        ("ca-hg", "80"),
        ("ca-cm", "70"),
        ("ca-bl", "60"),
    ];
    for (id, score) in scores {
        let entry = DossierEntry {
            score: Points(score.parse().unwrap()),
            justification: t("Tự đánh giá"),
            evidence: vec![],
        };
        steps.push(Command::YearEnd(Y::SaveDossier {
            covenant: cov(),
            unit: u(id),
            entries: [("A1".to_owned(), entry)].into(),
        }));
        steps.push(Command::YearEnd(Y::SubmitDossier {
            covenant: cov(),
            unit: u(id),
            revision: 1,
        }));
        steps.push(Command::YearEnd(Y::CommitSeed {
            covenant: cov(),
            unit: u(id),
            commitment: commitment("gu-2024", &u(id), &secret(id)),
        }));
    }
    for (id, _) in scores {
        steps.push(Command::YearEnd(Y::RevealSeed {
            covenant: cov(),
            unit: u(id),
            value: secret(id),
        }));
    }
    steps.push(Command::YearEnd(Y::DrawAssignment { covenant: cov() }));
    run_at(&mut s, &Actor::System, december, steps).unwrap();
    let mut steps: Vec<Command> = (s.review(&cov()).unwrap().pairs().into_iter())
        .map(|p| {
            Command::YearEnd(Y::SubmitFinding {
                covenant: cov(),
                inspector: p.inspector,
                inspected: p.inspected,
                items: Default::default(),
                recheck: None,
            })
        })
        .collect();
    steps.push(Command::YearEnd(Y::Lock {
        covenant: cov(),
        confirm: true,
    }));
    run_at(&mut s, &Actor::System, december, steps).unwrap();
    let decide = Command::YearEnd(Y::DecideCutoffTie {
        covenant: cov(),
        band: "xuat_sac".into(),
        units: vec![u("ca-ag")],
        reason: t("Cụm trưởng quyết định theo biên bản họp"),
    });
    run_at(&mut s, &user("lanhdao.hg"), december, vec![decide]).unwrap();
    let publish = Command::YearEnd(Y::PublishResults {
        covenant: cov(),
        confirm: true,
    });
    run_at(&mut s, &Actor::System, december, vec![publish]).unwrap();

    let window = export::year_window(&s, &cov()).unwrap();
    let out =
        export::data_csv_with(&s, &cov(), &window, Some(export::ManualScores::Final)).unwrap();
    let kept: Vec<&str> = out.lines().filter(|l| l.contains(",@kept:")).collect();
    assert_eq!(kept.len(), 1, "{out}");
    assert!(kept[0].starts_with("AG,@kept:xuat_sac,,"), "{out}");
    let reg = thidua_scoring::compile(TIE_REGULATION).unwrap();
    let score = |csv: &str| {
        let data = thidua_scoring::Dataset::from_csv(csv).unwrap();
        reg.evaluate_all(
            &data,
            reg.ast().period,
            thidua_scoring::EvalOptions::default(),
        )
        .unwrap()
    };
    let board = score(&out);
    let review = s.review(&cov()).unwrap();
    let (published, _) = review.published.as_ref().unwrap();
    for r in &published.results {
        let id = export::data_id(s.unit(&r.unit).unwrap());
        let scored = board.unit(&id).unwrap();
        let band = scored.band.as_ref().map(|b| b.id.clone());
        assert_eq!((scored.rank, band), (r.rank, r.band.clone()), "{id}");
    }
    let band = |board: &thidua_scoring::Scoreboard, id: &str| {
        board.unit(id).unwrap().band.as_ref().unwrap().id.clone()
    };
    assert_eq!(
        (band(&board, "AG"), band(&board, "KG")),
        ("xuat_sac".into(), "tot".into())
    );
    let undecided = score(&out.replace(&format!("{}\n", kept[0]), ""));
    assert_eq!(
        (band(&undecided, "AG"), band(&undecided, "KG")),
        ("tot".into(), "tot".into())
    );
}

/// A heading line of a filled template whose value is wrong (another covenant, a unit outside
/// the cluster, a period outside the calendar) is named by the line it is on, not "line 0".
#[test]
fn a_wrong_template_heading_is_named_by_its_own_line() {
    let s = world();
    let csv = String::from_utf8(officer_template(&s).to_csv()).unwrap();
    for (label, value) in [
        ("Kỳ báo cáo", "2024-M13"),
        ("Đơn vị", "ca-xx"),
        ("Giao ước", "gu-khac"),
    ] {
        let line = csv.lines().position(|l| l.starts_with(label)).unwrap() + 1;
        let changed: String = csv
            .lines()
            .map(|l| match l.strip_prefix(label) {
                Some(_) => format!("{label},{value}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        let errors = plan_reports(
            &s,
            &cov(),
            Upload {
                file_name: "kg.csv",
                bytes: changed.as_bytes(),
            },
            &Limits::default(),
        )
        .unwrap_err();
        let e = &errors.0[0];
        assert_eq!(
            (e.code, e.row, e.column.as_deref()),
            (
                "template_heading",
                Some(line),
                Some(format!("B ({label})").as_str())
            ),
            "{errors}"
        );
        assert!(e.to_string().contains(&format!("dòng {line}")), "{errors}");
    }
}

/// ca-kg's draft of February: 91 crimes, saved by its officer.
fn kg_february_draft(s: &mut State) {
    let mut values = thidua_domain::figures::FigureMap::new();
    values.insert("crimes".into(), FigureValue::Number(91.into()));
    run(
        s,
        &user("canbo.kg"),
        vec![Command::SaveFigures {
            covenant: cov(),
            unit: u("ca-kg"),
            window: "M02".into(),
            values,
            comments: Default::default(),
        }],
    )
    .unwrap();
}

/// A file that changes a comment alone says so: the plan (a dry run's answer) lists the
/// comment's change beside the unchanged figure (it listed nothing, then changed it).
#[test]
fn a_comment_changed_alone_is_a_change() {
    let mut s = world();
    kg_february_draft(&mut s);
    let mut tpl = Template::build(&s, &cov(), &u("ca-kg"), "M02").unwrap();
    let crimes = tpl.rows.iter_mut().find(|r| r.id == "crimes").unwrap();
    assert_eq!(crimes.current, Some(Cell::Number(91.into())));
    crimes.comment = Some("Đã đối chiếu sổ thụ lý".into());
    let bytes = tpl.to_csv();
    let upload = Upload {
        file_name: "m02.csv",
        bytes: &bytes,
    };
    let plan = plan_reports(&s, &cov(), upload, &Limits::default()).unwrap();
    let changes = &plan.reports[0].changes;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (
            changes[0].element.as_str(),
            changes[0].before,
            changes[0].after
        ),
        ("crimes", Cell::Number(91.into()), Cell::Number(91.into()))
    );
    assert_eq!(
        changes[0].comment,
        Some((None, Some("Đã đối chiếu sổ thụ lý".to_owned())))
    );
}

/// A file sent for one report (a unit's page for a window) that holds another unit's figures,
/// or none of the window's, is refused naming what it holds, before the domain is asked about
/// its reports (Kiên Giang's officer was refused as forbidden for Cà Mau's file); a leader is
/// refused for the unit the file names, not for the first unit it leads.
#[test]
fn a_file_sent_for_one_report_is_refused_naming_the_reports_it_holds() {
    let s = world();
    let plan = |who: &str, csv: &str, page: Option<(&UnitId, &str)>| {
        let upload = Upload {
            file_name: "f.csv",
            bytes: csv.as_bytes(),
        };
        thidua_import::plan_reports_for(&s, &user(who), &cov(), upload, &Limits::default(), page)
    };
    let kg = u("ca-kg");
    let cm = "unit,element,period,value\nCM,crimes,2024-M02,5\n";
    match plan("canbo.kg", cm, Some((&kg, "M02"))) {
        Err(thidua_import::PlanError::OtherReport(held)) => {
            assert_eq!(held, vec![(u("ca-cm"), "M02".to_owned())])
        }
        other => panic!("{other:?}"),
    }
    // Who may not report the page's unit is refused as such before the file is read, whatever
    // it holds: another unit's officer (with its own unit's file, or the page's), the page's
    // leader.
    let kg_file = "unit,element,period,value\nKG,crimes,2024-M01,5\n";
    for (who, file, code) in [
        ("canbo.cm", cm, "forbidden"),
        ("canbo.cm", kg_file, "forbidden"),
        ("canbo.cm", "not a file", "forbidden"),
        ("lanhdao.kg", cm, "figures_by_officers"),
    ] {
        match plan(who, file, Some((&kg, "M02"))) {
            Err(thidua_import::PlanError::Refused(e)) => assert_eq!(e.code(), code, "{who}"),
            other => panic!("{who}: {other:?}"),
        }
    }
    let may = "unit,element,period,value\nKG,crimes,2024-M05,5\n";
    assert!(matches!(
        plan("canbo.kg", may, Some((&kg, "M02"))),
        Err(thidua_import::PlanError::OtherReport(held)) if held == vec![(kg.clone(), "M05".to_owned())]
    ));
    assert!(plan("canbo.kg", may, Some((&kg, "M05"))).is_ok());
    let refused = |who: &str, csv: &str| match plan(who, csv, None) {
        Err(thidua_import::PlanError::Refused(e)) => e,
        other => panic!("{who}: {other:?}"),
    };
    assert_eq!(refused("lanhdao.kg", cm), DomainError::Forbidden);
    assert_eq!(
        refused(
            "lanhdao.kg",
            "unit,element,period,value\nKG,crimes,2024-M02,5\n"
        ),
        DomainError::FiguresByOfficers {
            unit: "ca-kg".into()
        }
    );
}

/// An import planned for someone who may not report a unit's figures is refused before
/// anything of that unit's current figures (its draft) is read into the plan: another unit's
/// officer, the secretariat; the unit's own officer sees the change from its draft.
#[test]
fn an_import_is_refused_to_who_may_not_make_it_before_its_changes_are_computed() {
    let mut s = world();
    kg_february_draft(&mut s);
    let csv = "unit,element,period,value\nKG,crimes,2024-M02,92\n";
    let upload = Upload {
        file_name: "kg.csv",
        bytes: csv.as_bytes(),
    };
    for who in ["canbo.ag", "thuky", "lanhdao.kg"] {
        match thidua_import::plan_reports_as(&s, &user(who), &cov(), upload, &Limits::default()) {
            Err(thidua_import::PlanError::Refused(e)) => {
                assert!(
                    ["forbidden", "figures_by_officers"].contains(&e.code()),
                    "{who}: {e}"
                )
            }
            other => panic!("{who}: {other:?}"),
        }
    }
    let plan =
        thidua_import::plan_reports_as(&s, &user("canbo.kg"), &cov(), upload, &Limits::default())
            .unwrap();
    let change = &plan.reports[0].changes[0];
    assert_eq!(
        (change.element.as_str(), change.before, change.after),
        ("crimes", Cell::Number(91.into()), Cell::Number(92.into()))
    );
    // A historical import: the secretariat's, refused to a unit's officer before reading.
    let history = example_year(2023);
    let upload = Upload {
        file_name: "2023.csv",
        bytes: history.as_bytes(),
    };
    let refused = thidua_import::plan_historical_as(
        &s,
        &user("canbo.kg"),
        &cov(),
        upload,
        &Limits::default(),
    );
    assert!(
        matches!(&refused, Err(thidua_import::PlanError::Refused(e)) if e.code() == "forbidden"),
        "{refused:?}"
    );
    let plan =
        thidua_import::plan_historical_as(&s, &user("thuky"), &cov(), upload, &Limits::default())
            .unwrap();
    // What it records, by unit and year: twelve months of eighteen figures for each unit.
    let years = plan.by_unit_year();
    assert_eq!(years.len(), 5);
    assert_eq!(
        (years[0].year, years[0].windows.len(), years[0].values),
        (2023, 12, 12 * 18),
        "{years:?}"
    );
    assert_eq!(years[0].windows[0], "M01");
}

/// A unit outside the covenant (not a member of its cluster in its year) gets no template,
/// and a template naming one is refused in the same words.
#[test]
fn a_template_is_refused_for_a_unit_that_is_not_a_member_of_the_covenant() {
    let mut s = world();
    run(
        &mut s,
        &Actor::System,
        vec![Command::CreateUnit {
            unit: u("ca-ct"),
            name: t("Công an thành phố Cần Thơ"),
            short_code: t("CT"),
            kind: UnitKind::ProvincialPolice,
            parent: None,
            established: NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
        }],
    )
    .unwrap();
    let e = Template::build(&s, &cov(), &u("ca-ct"), "M02").unwrap_err();
    let thidua_import::template::TemplateError::NotMember(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.code, "not_member");
    assert_eq!(
        &*e.message_en,
        "unit «ca-ct» is not a member of covenant «gu-2024» (cluster «cum-12» in 2024)"
    );
    assert!(
        e.message_vi
            .starts_with("đơn vị «ca-ct» không phải thành viên của giao ước «gu-2024»"),
        "{e}"
    );
    // A member's template, turned into ca-ct's: refused in the same words.
    let csv = String::from_utf8(officer_template(&s).to_csv()).unwrap();
    let changed: String = csv
        .lines()
        .map(|l| match l.strip_prefix("Đơn vị,") {
            Some(_) => "Đơn vị,ca-ct\n".to_owned(),
            None => format!("{l}\n"),
        })
        .collect();
    let errors = plan_reports(
        &s,
        &cov(),
        Upload {
            file_name: "ct.csv",
            bytes: changed.as_bytes(),
        },
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(errors.0[0].message_en, e.message_en, "{errors}");
}

/// The same template is the same bytes every time (the workbook is dated by its window, not
/// by the clock); formats other than XLSX and CSV are refused.
#[test]
fn a_template_workbook_is_the_same_bytes_every_time_and_only_xlsx_or_csv() {
    use thidua_import::template::FileFormat;
    let s = world();
    let tpl = Template::build(&s, &cov(), &u("ca-kg"), "M02").unwrap();
    let first = tpl.to_bytes(FileFormat::Xlsx).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = Template::build(&s, &cov(), &u("ca-kg"), "M02")
        .unwrap()
        .to_xlsx()
        .unwrap();
    assert!(first == again, "two generations differ");
    assert_eq!(FileFormat::parse("XLSX").unwrap(), FileFormat::Xlsx);
    assert_eq!(FileFormat::parse("csv").unwrap(), FileFormat::Csv);
    for bad in ["csv2", "pdf", ""] {
        let e = FileFormat::parse(bad).unwrap_err();
        assert_eq!(e.code, "unknown_format");
        assert!(e.message_en.contains("use xlsx or csv"), "{e}");
    }
}

/// Exporting the year-end scores before the review is even open says the results are not
/// published (it said the review «is not open», which was not what was asked).
#[test]
fn the_year_end_scores_are_not_exported_before_publication() {
    let s = world();
    let window = export::year_window(&s, &cov()).unwrap();
    let e =
        export::data_csv_with(&s, &cov(), &window, Some(export::ManualScores::Final)).unwrap_err();
    assert!(e.to_string().contains("not published yet"), "{e}");
}
