//! Integration tests of the scoring crate (one test binary): the example regulation, golden
//! explanations, every validation error, data errors, lineage, ranking and quotas, property
//! tests, and the LibreOffice recalculation of the workbook.
use proptest::prelude::*;
use rust_decimal::Decimal;
use thidua_scoring::explain::Status;
use thidua_scoring::*;

mod cases;
mod support;

const REG: &str = include_str!("../../../examples/cum12-2024/regulation.toml");
const CSV: &str = include_str!("../../../examples/cum12-2024/data.csv");
const JSON: &str = include_str!("../../../examples/cum12-2024/data.json");

fn d(s: &str) -> Exact {
    s.parse().unwrap()
}

fn example() -> (CompiledRegulation, Dataset) {
    (compile(REG).unwrap(), Dataset::from_csv(CSV).unwrap())
}

// ------------------------------------------------------------------------------ the example

#[test]
fn example_scores_five_units() {
    let (reg, data) = example();
    data.check(&reg).unwrap();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    let got: Vec<(&str, String, u32, &str)> = b
        .units
        .iter()
        .map(|u| {
            (
                u.unit.as_str(),
                u.total.clone().unwrap().to_string(),
                u.rank.unwrap(),
                u.band.as_ref().unwrap().id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("AG", "107.73".into(), 1, "xuat_sac"),
            ("KG", "99.36".into(), 2, "tot"),
            ("BL", "94.34".into(), 3, "tot"),
            ("CM", "74.3".into(), 4, "tot"),
            ("HG", "62.79".into(), 5, "hoan_thanh"),
        ]
    );
    // KG and BL reach "xuất sắc" by score but the 20% quota (1 of 5) keeps only AG.
    let kg = b.unit("KG").unwrap().band.as_ref().unwrap();
    assert!(kg.demoted_by_quota && kg.by_score == "xuat_sac");
}

#[test]
fn csv_and_json_give_the_same_results() {
    let reg = compile(REG).unwrap();
    let a = reg
        .evaluate_all(
            &Dataset::from_csv(CSV).unwrap(),
            reg.ast().period,
            EvalOptions::default(),
        )
        .unwrap();
    let b = reg
        .evaluate_all(
            &Dataset::from_json(JSON).unwrap(),
            reg.ast().period,
            EvalOptions::default(),
        )
        .unwrap();
    let strip = |s: &Scoreboard| {
        s.units
            .iter()
            .map(|u| (u.unit.clone(), u.total.clone(), u.rank))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn canonical_form_is_stable_and_hash_is_of_it() {
    let c = canonical_form(REG).unwrap();
    assert_eq!(
        canonical_form(&c).unwrap(),
        c,
        "canonical form is a fixed point"
    );
    // Comments, spacing and decomposed (NFD) Vietnamese do not change the hash.
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd(REG).collect();
    let noisy = format!(
        "# another comment\n{}",
        nfd.replace("total = 100", "total   =   100.00")
    );
    assert_eq!(
        canonical_hash(&noisy).unwrap(),
        canonical_hash(REG).unwrap()
    );
    use sha2::Digest;
    let h: [u8; 32] = sha2::Sha256::digest(c.as_bytes()).into();
    assert_eq!(canonical_hash(REG).unwrap(), h);
    assert!(!c.contains('#'), "comments dropped");
    assert!(c.starts_with("format = 1\n"));
}

/// How the server names units and elements in explanations: from the scoreboard and the
/// regulation, never citing the data file.
struct ServerNames<'a> {
    unit: NameOf<'a>,
    element: NameOf<'a>,
}

/// A name looked up by id.
type NameOf<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

impl<'a> ServerNames<'a> {
    fn of(reg: &'a CompiledRegulation, b: &'a explain::Scoreboard) -> Self {
        ServerNames {
            unit: Box::new(move |id| b.unit(id).and_then(|u| u.name.clone())),
            element: Box::new(move |id| {
                reg.ast()
                    .elements
                    .iter()
                    .find(|e| e.id == id)
                    .map(|e| e.name.clone())
            }),
        }
    }

    fn naming(&self) -> thidua_scoring::render::Naming<'_> {
        thidua_scoring::render::Naming {
            unit: &*self.unit,
            element: &*self.element,
            cite_file: false,
        }
    }
}

/// In the server, explanations name units and elements and cite no rows of a data file: every
/// step of the example, rendered with the server's naming, names the unit and never shows a
/// unit id, an element's or indicator's id in brackets, a period key or a line number.
#[test]
fn server_explanations_name_units_and_elements_and_cite_no_rows() {
    use thidua_scoring::render::{step_vi_named, unit_html_named, Naming};
    let (reg, data) = example();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let names = ServerNames::of(&reg, &b);
    let naming = names.naming();
    let mut figures = 0;
    for u in &b.units {
        let name = u.name.clone().unwrap();
        let html = unit_html_named(u, &naming);
        assert!(!html.contains(&format!("<h3>{}", u.unit)), "{html}");
        let items = u.bonuses.iter().chain(&u.penalties).map(|i| &i.trace);
        for trace in u.nodes.iter().map(|n| &n.trace).chain(items) {
            for step in trace {
                let text = step_vi_named(step, &naming);
                assert!(!text.contains("nguồn: dòng"), "{text}");
                assert!(!text.contains('`'), "{text}");
                assert!(!text.contains(&format!(" {} ", u.unit)), "{text}");
                match step {
                    thidua_scoring::explain::Step::Figure { element, .. } => {
                        figures += 1;
                        assert!(text.contains(&name), "{text}");
                        assert!(!text.contains(&format!("[{element}]")), "{text}");
                    }
                    thidua_scoring::explain::Step::Indicator { id, period, .. } => {
                        assert!(!text.contains(&format!("[{id}]")), "{text}");
                        assert!(!text.contains(&format!("kỳ {period}")), "{text}");
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(figures > 0);
    // Offline, the file is cited as before.
    let first = b.units[0]
        .nodes
        .iter()
        .flat_map(|n| &n.trace)
        .next()
        .unwrap();
    assert_eq!(
        step_vi_named(first, &Naming::FILE),
        thidua_scoring::render::step_vi(first)
    );
}

/// A figure that is missing in the server is named by its element, its unit and the window's
/// dates, without ids, backticks or period keys (offline, the message cites them as before).
#[test]
fn a_missing_figure_is_named_in_the_server() {
    use thidua_scoring::explain::Step;
    use thidua_scoring::render::{step_vi, step_vi_named};
    let reg = compile(REG).unwrap();
    let csv: String = CSV
        .lines()
        .filter(|l| !l.starts_with("KG,crimes,2024-M03,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let data = Dataset::from_csv(&csv).unwrap();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let names = ServerNames::of(&reg, &b);
    let naming = names.naming();
    let kg = b.unit("KG").unwrap();
    let error = kg
        .nodes
        .iter()
        .flat_map(|n| &n.trace)
        .find(|s| matches!(s, Step::Error { .. }))
        .expect("an error step for the missing month");
    let named = step_vi_named(error, &naming);
    assert_eq!(
        named,
        format!(
            "LỖI: thiếu số liệu «{}» của Công an tỉnh Kiên Giang kỳ 15/12/2023 – 14/12/2024, \
             thiếu tháng 03",
            (names.element)("crimes").unwrap()
        )
    );
    let offline = step_vi(error);
    assert!(
        offline.contains("`crimes`") && offline.contains("2024-Y"),
        "{offline}"
    );
}

#[test]
fn golden_explanations() {
    let (reg, data) = example();
    let b = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::with_trace())
        .unwrap();
    let files = [
        ("cum12-2024.explain.txt", render::text(&b)),
        ("cum12-2024.json", render::json(&b)),
        ("cum12-2024.html", render::html(&b)),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    for (name, got) in files {
        let path = dir.join(name);
        if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing {name}; run with UPDATE_GOLDEN=1"));
        assert!(
            want == got,
            "{name} differs from the golden file; inspect and refresh with UPDATE_GOLDEN=1"
        );
    }
}

#[test]
fn explanation_mentions_figures_periods_and_rounding() {
    let (reg, data) = example();
    let u = reg.evaluate_unit(&data, "BL", reg.ast().period, EvalOptions::with_trace());
    let t = render::unit_text(&u);
    assert!(
        t.contains("kỳ 2024-Y (15/12/2023 – 14/12/2024): 580 vụ"),
        "{t}"
    );
    assert!(t.contains("kỳ 2023-Y (15/12/2022 – 14/12/2023): 610 vụ"));
    assert!(t.contains("Làm tròn 2 chữ số thập phân"));
    assert!(t.contains(
        "Chia cho 0 khi tính chỉ tiêu «Tỷ lệ thu hồi tài sản tham nhũng»: theo quy định lấy 100"
    ));
    let h = render::unit_html(&u);
    assert!(!h.contains("\"Vì") && h.contains("<section"));
}

#[test]
fn periods_other_than_the_year() {
    let (reg, data) = example();
    let h1: PeriodKey = "2024-H1".parse().unwrap();
    let b = reg
        .evaluate_all(&data, h1, EvalOptions::with_trace())
        .unwrap();
    // No manual scores for H1: every unit is "chưa chấm", none ranked, nothing invented.
    assert!(b
        .units
        .iter()
        .all(|u| u.status == Status::NotScored && u.rank.is_none() && u.total.is_none()));
    // A mid-year snapshot still shows what is scored so far, marked provisional.
    assert!(b.units.iter().all(|u| u.provisional_total.is_some()));
    assert!(render::summary_text(&b).contains("tạm tính"));
    let kg = b.unit("KG").unwrap();
    let a1 = kg.nodes.iter().find(|n| &*n.id == "A1").unwrap();
    let t: String = a1
        .trace
        .iter()
        .map(render::step_vi)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(t.contains("2024-H1 (15/12/2023 – 14/06/2024)"), "{t}");
    assert!(t.contains("2023-H1 (15/12/2022 – 14/06/2023)"));
}

// ---------------------------------------------------------------------- validation errors

const MINI: &str = r#"format = 1
name = "Thử"
year = 2024
period = "2024-Y"
baseline_year = 2023
total = 10

[[element]]
id = "x"
name = "X"

[[area]]
id = "A"
name = "Lĩnh vực A"
points = 10

[[criterion]]
id = "A1"
parent = "A"
name = "Tiêu chí A1"
points = 10
value = "x"
scale = { kind = "linear", from = 0, to = 100 }

[[band]]
id = "good"
name = "Tốt"
min = 5

[[band]]
id = "bad"
name = "Kém"
max = 5
"#;

fn with(from: &str, to: &str) -> String {
    assert!(MINI.contains(from), "{from}");
    MINI.replacen(from, to, 1)
}

#[test]
fn mini_regulation_is_valid() {
    compile(MINI).unwrap();
}

#[test]
fn every_validation_error_code() {
    let ind = "[[area]]";
    let cases: Vec<(&str, String, u32)> = vec![
        ("toml_syntax", with("total = 10", "total = "), 6),
        ("format", with("format = 1", "format = 2"), 1),
        ("missing_key", with("name = \"Thử\"\n", ""), 1),
        ("unknown_key", with("total = 10", "total = 10\ncolour = 1"), 7),
        ("wrong_type", with("total = 10", "total = \"10\""), 6),
        ("invalid_id", with("id = \"x\"", "id = \"x y\""), 9),
        ("duplicate_id", with("[[area]]", "[[element]]\nid = \"x\"\nname = \"X2\"\n\n[[area]]"), 13),
        ("invalid_number", with("total = 10", "total = inf"), 6),
        ("invalid_period", with("period = \"2024-Y\"", "period = \"2024-13\""), 4),
        ("invalid_value", with("name = \"X\"", "name = \"X\"\naggregate = \"median\""), 11),
        ("expr_syntax", with("value = \"x\"", "value = \"x +\""), 22),
        (
            "expr_limit",
            with("value = \"x\"", &format!("value = \"{}\"", vec!["x"; 150].join(" + "))),
            22,
        ),
        ("unknown_function", with("value = \"x\"", "value = \"foo(x)\""), 22),
        ("unknown_name", with("value = \"x\"", "value = \"y\""), 22),
        (
            "cycle",
            with(ind, "[[indicator]]\nid = \"p\"\nname = \"P\"\nexpr = \"q + 1\"\n\n[[indicator]]\nid = \"q\"\nname = \"Q\"\nexpr = \"p * 2\"\n\n[[area]]"),
            13,
        ),
        ("type_error", with("value = \"x\"", "value = \"x > 1\""), 22),
        ("criterion_shape", with("points = 10\nvalue", "points = 10\nmanual = true\nvalue"), 18),
        ("invalid_scale", with("from = 0, to = 100", "from = 5, to = 5"), 23),
        ("points_sum", with("total = 10", "total = 20"), 6),
        ("band_overlap", with("min = 5", "min = 4"), 26),
        ("band_gap", with("min = 5", "min = 6"), 26),
        ("empty", with("[[band]]\nid = \"good\"\nname = \"Tốt\"\nmin = 5\n\n[[band]]\nid = \"bad\"\nname = \"Kém\"\nmax = 5\n", ""), 1),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (code, text, line) in cases {
        let err = compile(&text).expect_err(code);
        let diag = err
            .0
            .iter()
            .find(|x| x.code == code)
            .unwrap_or_else(|| panic!("{code}: got {err}"));
        assert_eq!(diag.line, line, "{code}: {diag}");
        assert!(diag.column >= 1 && !diag.message_vi.is_empty() && !diag.message_en.is_empty());
        seen.insert(code);
    }
    let all: std::collections::BTreeSet<&str> =
        thidua_scoring::diag::CODES.iter().map(|c| c.0).collect();
    assert_eq!(seen, all, "every documented code is tested");
}

/// A mistyped key in a scale is named beside the key it leaves missing, whatever the scale's
/// kind (a scale used to stop at the missing key and never report the unknown one).
#[test]
fn a_mistyped_scale_key_is_reported_with_the_missing_one() {
    let err = compile(&with("from = 0, to = 100", "form = 0, to = 100")).unwrap_err();
    let mut said: Vec<(&str, u32)> = err.0.iter().map(|d| (d.code, d.line)).collect();
    said.sort();
    assert_eq!(
        said,
        vec![("missing_key", 23), ("unknown_key", 23)],
        "{err}"
    );
    assert!(err.to_string().contains("`form`"), "{err}");
}

#[test]
fn points_of_criteria_only_in_bonus_and_penalty_items() {
    let e = compile(&with("value = \"x\"", "value = \"points(A)\"")).unwrap_err();
    assert_eq!(e.codes(), vec!["invalid_value"]);
    let ok = format!("{MINI}\n[[bonus]]\nid = \"T\"\nname = \"Đủ điểm A\"\nvalue = \"if points(A1) >= 5 then 1 else 0\"\nper = 2\n");
    let reg = compile(&ok).unwrap();
    let y: PeriodKey = "2024-Y".parse().unwrap();
    let u = reg.evaluate_unit(
        &mini_data("U,x,2024-Y,60\n"),
        "U",
        y,
        EvalOptions::default(),
    );
    assert_eq!(u.total, Some(d("8")), "6 points + 2 bonus");
    let e = compile(&ok.replace("points(A1)", "points(x)")).unwrap_err();
    assert_eq!(e.codes(), vec!["unknown_name"]);
}

/// A year that does not match the default period is told at the `period` line (it was told at
/// line 1, column 1).
#[test]
fn a_period_outside_the_year_is_told_at_its_line() {
    let e = compile(&with("year = 2024", "year = 2019")).unwrap_err();
    let d =
        e.0.iter()
            .find(|d| d.code == "invalid_value")
            .expect("the period");
    assert_eq!(d.line, 4, "{e}");
}

#[test]
fn column_points_at_the_name_inside_an_expression() {
    let e = compile(&with("value = \"x\"", "value = \"x + nope\"")).unwrap_err();
    assert_eq!((e.0[0].line, e.0[0].column), (22, 14), "{e}");
}

// ---------------------------------------------------------------------------- data files

#[test]
fn bad_data_rows_are_named_and_nothing_is_imported() {
    let e = Dataset::from_csv(
        "unit,element,period,value\nKG,x,2024-M01,1\nKG,x,2024-M02,abc\nKG,x,2024-M14,2\n",
    )
    .unwrap_err();
    assert_eq!(
        e.iter().map(|x| (x.row, x.code)).collect::<Vec<_>>(),
        vec![(3, "invalid_number"), (4, "invalid_period")]
    );
    assert!(e[0].to_string().contains("dòng 3"));
    let e = Dataset::from_csv("unit,element,period,value\nKG,x,2024-M01,1\nKG,x,2024-M01,2\n")
        .unwrap_err();
    assert_eq!(e[0].code, "duplicate");
    let e = Dataset::from_csv("u,e,p,v\n").unwrap_err();
    assert_eq!(e[0].code, "csv_header");
    let e = Dataset::from_json(r#"{"figures":[{"unit":"KG","element":"x","period":"2024-M01","value":"1"},{"unit":"KG","element":"x","period":"nope","value":"1"}]}"#).unwrap_err();
    assert_eq!(
        (e[0].row, e[0].section, e[0].code),
        (2, "figures", "invalid_period")
    );
    // Checked against the regulation: unknown element, manual score above the maximum.
    let (reg, _) = example();
    let ds = Dataset::from_csv(
        "unit,element,period,value\nKG,bogus,2024-M01,1\nKG,@manual:C2a,2024-Y,9\n",
    )
    .unwrap();
    let e = ds.check(&reg).unwrap_err();
    assert_eq!(
        e.iter().map(|x| (x.row, x.code)).collect::<Vec<_>>(),
        vec![(2, "unknown_element"), (3, "manual_out_of_range")]
    );
}

fn mini_data(rows: &str) -> Dataset {
    Dataset::from_csv(&format!("unit,element,period,value\n{rows}")).unwrap()
}

#[test]
fn missing_figures_are_errors_or_declared_outcomes() {
    let reg = compile(MINI).unwrap();
    let y: PeriodKey = "2024-Y".parse().unwrap();
    // Eleven months only: an error naming the missing month, never a silent zero.
    let rows: String = (1..=11).map(|m| format!("U,x,2024-M{m:02},5\n")).collect();
    let u = reg.evaluate_unit(&mini_data(&rows), "U", y, EvalOptions::with_trace());
    assert_eq!(u.status, Status::Error);
    assert!(
        render::unit_text(&u).contains("thiếu tháng 12"),
        "{}",
        render::unit_text(&u)
    );
    // Declared: missing = 0 in the regulation.
    let reg0 = compile(&with("name = \"X\"", "name = \"X\"\nmissing = 0")).unwrap();
    let u = reg0.evaluate_unit(&mini_data(&rows), "U", y, EvalOptions::with_trace());
    assert_eq!(u.total, Some(d("0")));
    assert!(render::unit_text(&u).contains("quy định lấy giá trị này"));
    // on_error points when the value cannot be computed.
    let reg1 = compile(&with("scale = {", "on_error = 3\nscale = {")).unwrap();
    let u = reg1.evaluate_unit(&mini_data(&rows), "U", y, EvalOptions::with_trace());
    assert_eq!(
        (u.nodes[1].status, u.total),
        (Status::Fallback, Some(d("3")))
    );
    // A unit with no data in a year: "did not exist".
    let u = reg.evaluate_unit(
        &mini_data("V,x,2024-Y,5\n"),
        "U",
        y,
        EvalOptions::with_trace(),
    );
    assert_eq!(u.status, Status::Error);
}

/// A figure reported as not applicable (`na`) is neither a zero nor "missing": a month not
/// applicable adds nothing to a sum and is not averaged, a window with only such months is
/// not applicable — said "không áp dụng" — and the element's declared value or the criterion's
/// `on_error` points apply as the regulation says.
#[test]
fn a_figure_not_applicable_is_neither_zero_nor_missing() {
    let reg = compile(MINI).unwrap();
    let y: PeriodKey = "2024-Y".parse().unwrap();
    let text = |reg: &CompiledRegulation, rows: &str| {
        let u = reg.evaluate_unit(&mini_data(rows), "U", y, EvalOptions::with_trace());
        (u.total.clone(), render::unit_text(&u))
    };
    // Eleven months of 5 and December not applicable: the year is 55, nothing missing.
    let mut rows: String = (1..=11).map(|m| format!("U,x,2024-M{m:02},5\n")).collect();
    rows.push_str("U,x,2024-M12,na\n");
    let (total, t) = text(&reg, &rows);
    assert_eq!(total, Some(d("5.5")), "linear 0..100 of 55: {t}");
    assert!(!t.contains("thiếu"), "{t}");
    // The mean of the months that have a figure.
    let mean = compile(&with("name = \"X\"", "name = \"X\"\naggregate = \"mean\"")).unwrap();
    assert_eq!(
        text(&mean, &rows).0,
        Some(d("0.5")),
        "the mean of eleven 5s is 5"
    );
    // Every month not applicable: the criterion cannot be computed, and says why.
    let all: String = (1..=12)
        .map(|m| format!("U,x,2024-M{m:02},n/a\n"))
        .collect();
    let (total, t) = text(&reg, &all);
    assert_eq!(total, None);
    assert!(
        t.contains("«không áp dụng»") && !t.contains("thiếu số liệu"),
        "{t}"
    );
    // The regulation's declared value for a figure not given applies, said so.
    let reg0 = compile(&with("name = \"X\"", "name = \"X\"\nmissing = 0")).unwrap();
    let (total, t) = text(&reg0, &all);
    assert_eq!(total, Some(d("0")));
    assert!(t.contains("«không áp dụng»"), "{t}");
    // Or the criterion's `on_error` points.
    let reg1 = compile(&with("scale = {", "on_error = 3\nscale = {")).unwrap();
    assert_eq!(text(&reg1, &all).0, Some(d("3")));
    // A yearly row not applicable.
    let (total, t) = text(&reg, "U,x,2024-Y,NA\n");
    assert_eq!(total, None);
    assert!(t.contains("«không áp dụng»"), "{t}");
}

/// The year a change indicator compares with, for pages to name their column by: the
/// regulation's baseline year for `@baseline`, the year before for `@cung_ky`, none for an
/// indicator that is not a change.
#[test]
fn a_change_indicator_says_which_year_it_compares_with() {
    let text = with(
        "[[area]]",
        "[[indicator]]\nid = \"vs_base\"\nname = \"So với năm gốc\"\nexpr = \"pct_change(x, x@baseline)\"\n\n[[indicator]]\nid = \"vs_last\"\nname = \"So với cùng kỳ\"\nexpr = \"pct_change(x, x@cung_ky)\"\n\n[[indicator]]\nid = \"share\"\nname = \"Tỷ lệ\"\nexpr = \"pct(x, x@cung_ky)\"\n\n[[area]]",
    )
    .replace("baseline_year = 2023", "baseline_year = 2021");
    let reg = compile(&text).unwrap();
    let p: PeriodKey = "2024-M05".parse().unwrap();
    assert_eq!(reg.change_year("vs_base", p), Some(2021));
    assert_eq!(reg.change_year("vs_last", p), Some(2023));
    assert_eq!(reg.change_year("share", p), None);
    assert_eq!(reg.change_year("x", p), None);
}

#[test]
fn division_by_zero_is_an_error_unless_declared() {
    let text = with("value = \"x\"", "value = \"pct(x, x@2023)\"");
    let reg = compile(&text).unwrap();
    let data = mini_data("U,x,2024-Y,5\nU,x,2023-Y,0\n");
    let y: PeriodKey = "2024-Y".parse().unwrap();
    let u = reg.evaluate_unit(&data, "U", y, EvalOptions::with_trace());
    assert_eq!(u.status, Status::Error);
    assert!(render::unit_text(&u).contains("chia cho 0"));
}

#[test]
fn merged_unit_baseline_is_the_sum_of_predecessors() {
    let text = with("value = \"x\"", "value = \"x@baseline\"")
        .replace("2024", "2025")
        .replace("baseline_year = 2023", "baseline_year = 2024");
    let reg = compile(&text).unwrap();
    let data =
        mini_data("KG,x,2024-Y,30\nAG,x,2024-Y,40\nAG,x,2025-Y,1\nAG,@predecessors,2024,AG+KG\n");
    let y: PeriodKey = "2025-Y".parse().unwrap();
    let u = reg.evaluate_unit(&data, "AG", y, EvalOptions::with_trace());
    let t = render::unit_text(&u);
    assert!(
        t.contains("cộng số liệu các đơn vị tiền thân: AG 40 + KG 30"),
        "{t}"
    );
    assert_eq!(u.total, Some(d("7")), "linear 0..100 of 70 = 7 points");
    // "merge = none": the regulation says otherwise → an error, not a sum.
    let reg2 =
        compile(&text.replacen("name = \"X\"", "name = \"X\"\nmerge = \"none\"", 1)).unwrap();
    assert_eq!(
        reg2.evaluate_unit(&data, "AG", y, EvalOptions::default())
            .status,
        Status::Error
    );
}

/// A merged unit's baseline some of whose predecessors have no figures is missing, never a
/// partial sum, and the error names every predecessor without figures, not only the first.
#[test]
fn an_incomplete_merged_baseline_names_every_predecessor_without_figures() {
    let text = with("value = \"x\"", "value = \"x@baseline\"")
        .replace("2024", "2025")
        .replace("baseline_year = 2023", "baseline_year = 2024");
    let reg = compile(&text).unwrap();
    let data =
        mini_data("KG,x,2024-Y,30\nST,x,2023-Y,5\nAG,x,2025-Y,1\nAG,@predecessors,2024,AG+KG+ST\n");
    let y: PeriodKey = "2025-Y".parse().unwrap();
    let u = reg.evaluate_unit(&data, "AG", y, EvalOptions::with_trace());
    assert_eq!(u.status, Status::Error);
    let t = render::unit_text(&u);
    assert!(
        t.contains("`x` của đơn vị hợp nhất `AG` năm 2024 là tổng số liệu các đơn vị tiền thân, không cộng thiếu: chưa đủ số liệu (các kỳ cần cộng) của `AG`, `ST`"),
        "{t}"
    );
}

/// Two areas of 5 points, a tie-break on B, a top band for at most half of the units.
const TIE_REG: &str = r#"format = 1
name = "Hòa điểm"
year = 2024
period = "2024-Y"
total = 10
tie_break = ["B"]
[[element]]
id = "a"
name = "a"
[[element]]
id = "b"
name = "b"
[[area]]
id = "A"
name = "A"
points = 5
[[area]]
id = "B"
name = "B"
points = 5
[[criterion]]
id = "A1"
parent = "A"
name = "A1"
points = 5
value = "a"
scale = { kind = "formula" }
[[criterion]]
id = "B1"
parent = "B"
name = "B1"
points = 5
value = "b"
scale = { kind = "formula" }
[[band]]
id = "top"
name = "Xuất sắc"
min = 8
quota_pct = 50
[[band]]
id = "rest"
name = "Khác"
max = 8
"#;

#[test]
fn ties_break_by_the_declared_order_and_quota_ties_are_flagged() {
    let text = TIE_REG;
    let reg = compile(text).unwrap();
    let data = mini_data("P,a,2024-Y,5\nP,b,2024-Y,4\nQ,a,2024-Y,4\nQ,b,2024-Y,5\nR,a,2024-Y,4\nR,b,2024-Y,5\nS,a,2024-Y,1\nS,b,2024-Y,1\n");
    let b = reg
        .evaluate_all(&data, "2024-Y".parse().unwrap(), EvalOptions::default())
        .unwrap();
    let r: Vec<(&str, Option<u32>)> = b.units.iter().map(|u| (u.unit.as_str(), u.rank)).collect();
    // All of P, Q, R total 9; B decides: Q and R (B = 5) before P (B = 4); Q and R stay tied.
    assert_eq!(
        r,
        vec![
            ("Q", Some(1)),
            ("R", Some(1)),
            ("P", Some(3)),
            ("S", Some(4))
        ]
    );
    // Quota 50% of 4 = 2: Q and R fit exactly; P is moved down.
    let bands: Vec<(&str, bool)> = b
        .units
        .iter()
        .map(|u| {
            (
                u.band.as_ref().unwrap().id.as_str(),
                u.band.as_ref().unwrap().demoted_by_quota,
            )
        })
        .collect();
    assert_eq!(
        bands,
        vec![
            ("top", false),
            ("top", false),
            ("rest", true),
            ("rest", false)
        ]
    );
}

/// The cluster head's recorded decision (`@kept:BAND`, the log index of the decision) keeps
/// one of the units tied exactly at a quota cut-off in the band; the other moves down, and
/// both explanations say so. A decision that does not fit the ranking is refused, naming why.
#[test]
fn a_recorded_decision_keeps_a_unit_tied_at_a_quota_cut_off() {
    let reg = compile(TIE_REG).unwrap();
    let rows = "P,a,2024-Y,5\nP,b,2024-Y,5\nQ,a,2024-Y,4\nQ,b,2024-Y,5\nR,a,2024-Y,4\nR,b,2024-Y,5\nS,a,2024-Y,1\nS,b,2024-Y,1\n";
    let board = |extra: &str| {
        reg.evaluate_all(
            &mini_data(&format!("{rows}{extra}")),
            "2024-Y".parse().unwrap(),
            EvalOptions::default(),
        )
    };
    let bands = |b: &Scoreboard| -> Vec<(String, String, bool)> {
        b.units
            .iter()
            .map(|u| {
                let band = u.band.as_ref().unwrap();
                (u.unit.clone(), band.id.clone(), band.tie_at_cutoff)
            })
            .collect()
    };
    let s = |u: &str, b: &str, t: bool| (u.to_owned(), b.to_owned(), t);
    // Undecided: Q and R (9 points, B = 5 each) share rank 2 at the cut-off of 2 places: both
    // move down.
    let undecided = board("").unwrap();
    assert_eq!(
        bands(&undecided),
        [
            s("P", "top", false),
            s("Q", "rest", true),
            s("R", "rest", true),
            s("S", "rest", false)
        ]
    );
    let decided = board("Q,@kept:top,,42\n").unwrap();
    assert_eq!(
        bands(&decided),
        [
            s("P", "top", false),
            s("Q", "top", true),
            s("R", "rest", true),
            s("S", "rest", false)
        ]
    );
    let q = decided.unit("Q").unwrap().band.clone().unwrap();
    let r = decided.unit("R").unwrap().band.clone().unwrap();
    assert!(!q.demoted_by_quota && r.demoted_by_quota);
    assert_eq!(
        q.cutoff_decision.as_ref().map(|d| (d.kept, d.decision)),
        Some((true, 42))
    );
    assert_eq!(
        r.cutoff_decision.as_ref().map(|d| (d.kept, d.decision)),
        Some((false, 42))
    );
    assert_eq!(
        render::quota_vi(&q),
        ["Đơn vị bằng điểm với đơn vị khác đúng tại ngưỡng tỷ lệ tối đa của xếp loại «Xuất sắc»: cụm trưởng quyết định giữ đơn vị này ở xếp loại đó (quyết định ghi ở số thứ tự 42 của sổ ghi)."]
    );
    assert!(
        render::quota_vi(&r).last().unwrap().contains("cụm trưởng quyết định giữ đơn vị khác, đơn vị này chuyển xuống (quyết định ghi ở số thứ tự 42"),
        "{:?}",
        render::quota_vi(&r)
    );
    let table = render::text(&decided);
    assert!(
        table.contains("Xuất sắc (bằng điểm tại ngưỡng tỷ lệ tối đa: cụm trưởng quyết định giữ)"),
        "{table}"
    );
    assert!(
        table.contains(
            "vượt tỷ lệ tối đa, bằng điểm tại ngưỡng: cụm trưởng quyết định giữ đơn vị khác)"
        ),
        "{table}"
    );
    let json = serde_json::to_value(&decided).unwrap();
    assert!(
        json.to_string().contains(
            r#""cutoff_decision":{"band":"top","band_name":"Xuất sắc","decision":42,"kept":true}"#
        ),
        "{json}"
    );
    // Decisions that do not fit: a unit not tied at the cut-off, more units than places, a
    // band without a quota.
    for (extra, says) in [
        (
            "P,@kept:top,,42\n",
            "keeps `P` in band «Xuất sắc», but that unit is not tied at the band's quota cut-off",
        ),
        (
            "S,@kept:top,,42\n",
            "keeps `S` in band «Xuất sắc», but that unit is not tied",
        ),
        (
            "Q,@kept:top,,42\nR,@kept:top,,42\n",
            "keeps 2 units in band «Xuất sắc» but its quota leaves room for 1",
        ),
        (
            "Q,@kept:rest,,42\n",
            "band `rest` is not in the regulation or has no quota",
        ),
    ] {
        let e = board(extra).unwrap_err().to_string();
        assert!(e.contains(says), "{extra}: {e}");
    }
    // Rows that cannot be a decision: a period, an index that is not a number, twice.
    for (extra, code) in [
        ("Q,@kept:top,2024-Y,42\n", "invalid_period"),
        ("Q,@kept:top,,số 42\n", "invalid_decision"),
        ("Q,@kept:top,,42\nQ,@kept:top,,43\n", "duplicate"),
    ] {
        let e =
            Dataset::from_csv(&format!("unit,element,period,value\n{rows}{extra}")).unwrap_err();
        assert_eq!(e[0].code, code, "{extra}: {e:?}");
    }
    // The same decision in a JSON data file.
    let json = r#"{"figures": [
        {"unit": "P", "element": "a", "period": "2024-Y", "value": 5},
        {"unit": "P", "element": "b", "period": "2024-Y", "value": 5},
        {"unit": "Q", "element": "a", "period": "2024-Y", "value": 4},
        {"unit": "Q", "element": "b", "period": "2024-Y", "value": 5},
        {"unit": "R", "element": "a", "period": "2024-Y", "value": 4},
        {"unit": "R", "element": "b", "period": "2024-Y", "value": 5},
        {"unit": "S", "element": "a", "period": "2024-Y", "value": 1},
        {"unit": "S", "element": "b", "period": "2024-Y", "value": 1}],
        "kept": [{"unit": "Q", "band": "top", "decision": 42}]}"#;
    let data = Dataset::from_json(json).unwrap();
    let b = reg
        .evaluate_all(&data, "2024-Y".parse().unwrap(), EvalOptions::default())
        .unwrap();
    assert_eq!(bands(&b), bands(&decided));
}

// ----------------------------------------------------------------------------- properties

fn random_dataset(values: &[u32], extra_scale: u32) -> String {
    let (reg, _) = example();
    let mut s = String::from("unit,element,period,value\n");
    let mut k = 0;
    for u in ["KG", "AG", "HG", "CM", "BL"] {
        for e in reg.element_ids() {
            for y in [2023, 2024] {
                for m in 1..=12 {
                    let v = values[k % values.len()];
                    k += 1;
                    s.push_str(&format!(
                        "{u},{e},{y}-M{m:02},{}\n",
                        Decimal::new(v as i64, extra_scale)
                    ));
                }
            }
        }
        s.push_str(&format!(
            "{u},@manual:C2a,2024-Y,{}\n{u},@manual:C2b,2024-Y,{}\n",
            values[0] % 9,
            values[1 % values.len()] % 5
        ));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24), ..ProptestConfig::default() })]

    #[test]
    fn deterministic_and_within_bounds(values in proptest::collection::vec(0u32..3000, 1..60)) {
        let (reg, _) = example();
        let data = Dataset::from_csv(&random_dataset(&values, 0)).unwrap();
        let a = reg.evaluate_all(&data, reg.ast().period, EvalOptions::with_trace()).unwrap();
        let b = reg.evaluate_all(&data, reg.ast().period, EvalOptions::with_trace()).unwrap();
        prop_assert_eq!(render::json(&a), render::json(&b));
        for u in &a.units {
            for n in &u.nodes {
                if let Some(p) = &n.points {
                    // A7 may earn up to 1 extra point (per_pct_above cap), so its area too.
                    let extra = if &*n.id == "A7" || &*n.id == "A" { Decimal::ONE } else { Decimal::ZERO };
                    prop_assert!(!p.is_negative() && *p <= Exact::from(n.max_points + extra), "{} {}", n.id, p);
                }
            }
        }
    }

    #[test]
    fn permuting_units_changes_no_score(values in proptest::collection::vec(0u32..3000, 1..40), seed in 0usize..1000) {
        let (reg, _) = example();
        let text = random_dataset(&values, 1);
        let mut lines: Vec<&str> = text.lines().skip(1).collect();
        // Rotate and interleave the rows: a different unit order in the file.
        let k = seed % lines.len();
        lines.rotate_left(k);
        lines.reverse();
        let shuffled = format!("unit,element,period,value\n{}\n", lines.join("\n"));
        let a = reg.evaluate_all(&Dataset::from_csv(&text).unwrap(), reg.ast().period, EvalOptions::default()).unwrap();
        let b = reg.evaluate_all(&Dataset::from_csv(&shuffled).unwrap(), reg.ast().period, EvalOptions::default()).unwrap();
        for u in &a.units {
            let v = b.unit(&u.unit).unwrap();
            prop_assert_eq!(&u.total, &v.total);
            prop_assert_eq!(u.rank, v.rank);
            prop_assert_eq!(&u.nodes, &v.nodes);
        }
    }

    #[test]
    fn monotone_scales_give_monotone_points(x in -200i64..200, dx in 0i64..100, kind in 0usize..6, t in -50i64..50, per in 0i64..30) {
        let scale = match kind {
            0 => format!("{{ kind = \"linear\", from = {t}, to = {} }}", t + 20),
            1 => format!("{{ kind = \"steps\", steps = [{{ at_least = {}, points = 10 }}, {{ at_least = {t}, points = 4 }}] }}", t + 10),
            2 => format!("{{ kind = \"per_pct_short\", target = {t}, better = \"higher\", per = {per} }}"),
            3 => format!("{{ kind = \"per_pct_above\", target = {t}, better = \"higher\", per = {per}, cap = 3, otherwise = 2 }}"),
            4 => format!("{{ kind = \"per_pct_short\", target = {t}, better = \"lower\", per = {per} }}"),
            _ => "{ kind = \"formula\" }".to_string(),
        };
        let reg = compile(&with("{ kind = \"linear\", from = 0, to = 100 }", &scale)).unwrap();
        let y: PeriodKey = "2024-Y".parse().unwrap();
        let p = |v: i64| reg.evaluate_unit(&mini_data(&format!("U,x,2024-Y,{v}\n")), "U", y, EvalOptions::default()).nodes[1].points.clone().unwrap();
        let (lo, hi) = (p(x), p(x + dx));
        if kind == 4 { prop_assert!(lo >= hi); } else { prop_assert!(lo <= hi, "{} {} {}", scale, lo, hi); }
    }

    #[test]
    fn parser_never_panics(s in "\\PC{0,400}") {
        let _ = compile(&s);
        let _ = Dataset::from_csv(&s);
        let _ = Dataset::from_json(&s);
    }

    #[test]
    fn parser_never_panics_on_mutated_example(cut in 0usize..12000, len in 0usize..40, ins in "\\PC{0,8}") {
        let mut s = REG.to_string();
        let mut a = cut.min(s.len());
        while !s.is_char_boundary(a) { a -= 1; }
        let mut b = (a + len).min(s.len());
        while !s.is_char_boundary(b) { b -= 1; }
        s.replace_range(a..b, &ins);
        // Whatever still compiles has a canonical form that is a fixed point with the same hash.
        if let Ok(c) = compile(&s) {
            let again = compile(c.canonical_text()).expect("canonical form compiles");
            prop_assert_eq!(again.canonical_text(), c.canonical_text());
            prop_assert_eq!(again.hash(), c.hash());
        }
    }

    #[test]
    fn engine_never_panics_on_arbitrary_figures(vals in proptest::collection::vec((any::<i64>(), 0u32..28), 1..50)) {
        let (reg, _) = example();
        let mut s = String::from("unit,element,period,value\n");
        let mut k = 0;
        for u in ["KG", "AG"] {
            for e in reg.element_ids() {
                for y in [2023, 2024] {
                    for m in 1..=12 {
                        let (v, sc) = vals[k % vals.len()];
                        k += 1;
                        s.push_str(&format!("{u},{e},{y}-M{m:02},{}\n", Decimal::new(v, sc)));
                    }
                }
            }
        }
        let data = Dataset::from_csv(&s).unwrap();
        let b = reg.evaluate_all(&data, reg.ast().period, EvalOptions::with_trace()).unwrap();
        let _ = render::text(&b);
        let _ = workbook::write(&reg, &data, &b);
    }
}

// ------------------------------------------------------------------------------ data errors

#[test]
fn every_data_error_code() {
    let h = "unit,element,period,value\n";
    let csv_cases = [
        ("csv_header", "u,e\nKG,x,2024-Y,1\n".to_string(), 1),
        ("csv_syntax", format!("{h}KG,x,2024-Y,\"1\n"), 2),
        ("csv_columns", format!("{h}KG,x,2024-Y\n"), 2),
        ("invalid_unit", format!("{h}K G,x,2024-Y,1\n"), 2),
        ("invalid_element", format!("{h}KG,x-y,2024-Y,1\n"), 2),
        ("invalid_element", format!("{h}KG,@nope,2024-Y,1\n"), 2),
        ("invalid_period", format!("{h}KG,x,2024-W1,1\n"), 2),
        ("invalid_number", format!("{h}KG,x,2024-Y,abc\n"), 2),
        (
            "number_format",
            format!("{h}KG,x,2024-Y,1,5\n").replace("1,5", "\"1,5\""),
            2,
        ),
        ("number_format", format!("{h}KG,x,2024-Y,1.000\n"), 2),
        ("number_too_large", format!("{h}KG,x,2024-Y,1e30\n"), 2),
        (
            "conflicting_rows",
            format!("{h}KG,x,2024-Y,12\nKG,x,2024-M03,1\n"),
            3,
        ),
        ("duplicate", format!("{h}KG,x,2024-Y,1\nKG,x,2024-Y,2\n"), 3),
        ("empty_name", format!("{h}KG,@name,,\n"), 2),
        (
            "invalid_criterion",
            format!("{h}KG,@manual:C 1,2024-Y,1\n"),
            2,
        ),
        ("invalid_lineage", format!("{h}AG,@predecessors,2025,\n"), 2),
    ];
    for (code, text, row) in csv_cases {
        let e = Dataset::from_csv(&text).expect_err(code);
        assert!(
            e.iter().any(|x| x.code == code && x.row == row),
            "{code}: {e:?}"
        );
        assert!(!e[0].message_vi.is_empty() && !e[0].message_en.is_empty());
    }
    let e = Dataset::from_json("{").unwrap_err();
    assert_eq!(e[0].code, "json_syntax");
    let e = Dataset::from_json(r#"{"figures": [{"unit": "KG"}]}"#).unwrap_err();
    assert_eq!((e[0].code, e[0].row), ("json_shape", 1));
    let (reg, _) = example();
    let ds = Dataset::from_csv(&format!(
        "{h}KG,bogus,2024-Y,1\nKG,@manual:A1,2024-Y,1\nKG,@manual:C2b,2024-Y,5\n"
    ))
    .unwrap();
    let codes: Vec<&str> = ds.check(&reg).unwrap_err().iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        vec!["unknown_element", "not_manual", "manual_out_of_range"]
    );
}

#[test]
fn parallel_evaluation_equals_one_by_one() {
    let shape = synth::Shape {
        units: 150,
        elements: 10,
        criteria: 30,
        seed: 7,
    };
    let reg = compile(&synth::regulation(shape)).unwrap();
    let data = synth::dataset(shape);
    let y: PeriodKey = "2024-Y".parse().unwrap();
    let board = reg.evaluate_all(&data, y, EvalOptions::default()).unwrap();
    assert_eq!(board.units.len(), 150);
    for u in &board.units {
        let mut one = reg.evaluate_unit(&data, &u.unit, y, EvalOptions::default());
        one.rank = u.rank;
        one.band = u.band.clone();
        one.ties = u.ties.clone();
        assert_eq!(&one, u);
    }
    // With the trace on, the same points.
    let traced = reg
        .evaluate_all(&data, y, EvalOptions::with_trace())
        .unwrap();
    for (a, b) in board.units.iter().zip(&traced.units) {
        assert_eq!((&a.unit, &a.total), (&b.unit, &b.total));
    }
}

/// Validation rules on a window's figures (`[[rule]]`) are part of the signed text: read,
/// checked for their names and severity, printed in canonical form; a regulation without them
/// prints (and hashes) as before.
#[test]
fn rules_are_declared_checked_and_printed() {
    let base = with(
        "[[area]]",
        "[[element]]\nid = \"z\"\nname = \"Z\"\n\n[[area]]",
    );
    let ok = format!(
        "{base}\n[[rule]]\nid = \"z_le_x\"\nname = \"Z không vượt quá X\"\ncheck = \"z <= x\"\nseverity = \"error\"\n"
    );
    let reg = compile(&ok).unwrap();
    let r = &reg.ast().rules[0];
    assert_eq!((r.id.as_str(), r.check.as_str()), ("z_le_x", "z <= x"));
    assert!(reg.canonical_text().ends_with(
        "[[rule]]\nid = \"z_le_x\"\nname = \"Z không vượt quá X\"\ncheck = \"z <= x\"\nseverity = \"error\"\n"
    ));
    assert_eq!(compile(reg.canonical_text()).unwrap().hash(), reg.hash());
    assert!(!compile(&base)
        .unwrap()
        .canonical_text()
        .contains("[[rule]]"));
    for (from, to, code) in [
        ("z <= x", "z <= nothing", "unknown_name"),
        ("z <= x", "z <= A", "unknown_name"),
        ("z <= x", " ", "invalid_value"),
        ("\"error\"", "\"fatal\"", "invalid_value"),
        ("severity = \"error\"\n", "", "missing_key"),
        ("id = \"z_le_x\"", "id = \"x\"", "duplicate_id"),
    ] {
        let e = compile(&ok.replace(from, to)).expect_err(to);
        assert!(e.codes().contains(&code), "{to}: {e}");
    }
}

#[test]
fn funnels_are_declared_checked_and_printed() {
    let base = with(
        "[[area]]",
        "[[element]]\nid = \"z\"\nname = \"Z\"\n\n[[area]]",
    );
    let ok = format!(
        "{base}\n[[funnel]]\nid = \"f\"\nname = \"Tin báo → vụ án\"\nsteps = [\"x\", \"z\"]\nthreshold = 3.50\n"
    );
    let reg = compile(&ok).unwrap();
    let f = &reg.ast().funnels[0];
    let steps: Vec<&str> = f.steps.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(steps, ["x", "z"]);
    assert!(reg.canonical_text().ends_with(
        "[[funnel]]\nid = \"f\"\nname = \"Tin báo → vụ án\"\nsteps = [\"x\", \"z\"]\nthreshold = 3.5\n"
    ));
    assert_eq!(compile(reg.canonical_text()).unwrap().hash(), reg.hash());
    assert!(
        !compile(&base).unwrap().canonical_text().contains("funnel"),
        "a regulation without funnels prints (and hashes) as before"
    );
    for (to, code) in [
        ("steps = [\"x\"]", "invalid_value"),
        ("steps = [\"x\", \"nothing\"]", "unknown_name"),
        ("steps = [\"x\", \"x\"]", "invalid_value"),
        ("steps = [\"x\", \"A\"]", "unknown_name"),
        ("threshold = 0", "invalid_value"),
        ("threshold = 0\ncolour = 1", "unknown_key"),
    ] {
        let from = if to.starts_with("steps") {
            "steps = [\"x\", \"z\"]"
        } else {
            "threshold = 3.50"
        };
        let e = compile(&ok.replace(from, to)).expect_err(to);
        assert!(e.codes().contains(&code), "{to}: {e}");
    }
}
