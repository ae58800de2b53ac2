//! Figures as Vietnamese users write them: declared number formats, separators refused
//! otherwise, element domains, conflicting rows, legacy encodings, limits, JSON positions.
use thidua_scoring::data::ReadOptions;
use thidua_scoring::input::NumberFormat;
use thidua_scoring::*;

const H: &str = "unit,element,period,value\n";

fn codes(r: Result<Dataset, Vec<DataError>>) -> Vec<(usize, &'static str)> {
    r.unwrap_err().iter().map(|e| (e.row, e.code)).collect()
}

#[test]
fn one_thousand_in_vietnamese_is_refused_unless_declared() {
    // Kiên Giang's "1.000" would silently be 1.
    let rows = "KG,x,2024-Y,1.000\n";
    assert_eq!(
        codes(Dataset::from_csv(&format!("{H}{rows}"))),
        vec![(2, "number_format")]
    );
    let vi = Dataset::from_csv(&format!("# number_format: vi\n{H}{rows}")).unwrap();
    assert_eq!(vi.figure_count(), 1);
    let opts = ReadOptions {
        number_format: Some(NumberFormat::Vi),
    };
    let d = Dataset::from_csv_with(&format!("{H}KG,x,2024-Y,\"1.234,5\"\n"), opts).unwrap();
    let reg = compile(MINI).unwrap();
    let u = reg.evaluate_unit(&d, "KG", "2024-Y".parse().unwrap(), EvalOptions::default());
    assert_eq!(
        u.nodes[1].value,
        Some(explain::Val::Num("1234.5".parse().unwrap()))
    );
    // The file and the caller disagree: an error, not a guess.
    let en = ReadOptions {
        number_format: Some(NumberFormat::En),
    };
    let e = Dataset::from_csv_with(&format!("# number_format: vi\n{H}{rows}"), en).unwrap_err();
    assert_eq!(e[0].code, "number_format");
    // English notation, semicolons as Vietnamese Excel writes them.
    let d =
        Dataset::from_csv("# number_format: en\nunit;element;period;value\nKG;x;2024-Y;1,234.5\n")
            .unwrap();
    assert_eq!(d.figure_count(), 1);
    // JSON declares it the same way.
    let j = r#"{"number_format": "vi", "figures": [{"unit": "KG", "element": "x", "period": "2024-Y", "value": "1.000"}]}"#;
    assert_eq!(Dataset::from_json(j).unwrap().figure_count(), 1);
    let j = j.replace("\"number_format\": \"vi\", ", "");
    assert_eq!(Dataset::from_json(&j).unwrap_err()[0].code, "number_format");
}

#[test]
fn too_large_and_too_precise_say_so() {
    let e = Dataset::from_csv(&format!("{H}KG,x,2024-Y,1e30\n")).unwrap_err();
    assert_eq!(e[0].code, "number_too_large");
    assert!(e[0].message_vi.contains("quá lớn") && e[0].message_en.contains("too large"));
    let e = Dataset::from_csv(&format!("{H}KG,x,2024-Y,0.00000000000000000000000000001\n"))
        .unwrap_err();
    assert_eq!(e[0].code, "number_too_precise");
}

#[test]
fn a_yearly_row_and_monthly_rows_for_one_window_conflict() {
    let mut rows = String::from(H);
    for m in 1..=12 {
        rows.push_str(&format!("KG,x,2024-M{m:02},5\n"));
    }
    rows.push_str("KG,x,2024-Y,100\n");
    let e = Dataset::from_csv(&rows).unwrap_err();
    assert_eq!((e[0].row, e[0].code), (14, "conflicting_rows"));
    // Both lines are named.
    assert!(
        e[0].message_vi.contains("dòng 2 (kỳ 2024-M01)")
            && e[0].message_vi.contains("dòng 14 (kỳ 2024-Y)"),
        "{}",
        e[0].message_vi
    );
    // A quarter inside the year conflicts too; the same window twice is a duplicate.
    let e = Dataset::from_csv(&format!(
        "{H}KG,x,2024-Q2,1\nKG,x,2024-M05,1\nKG,x,2024-M05,2\n"
    ))
    .unwrap_err();
    assert_eq!(
        e.iter().map(|x| (x.row, x.code)).collect::<Vec<_>>(),
        vec![(3, "conflicting_rows"), (4, "duplicate")]
    );
    // Different years do not conflict.
    Dataset::from_csv(&format!("{H}KG,x,2023-Y,1\nKG,x,2024-M05,1\n")).unwrap();
}

const MINI: &str = r#"format = 1
name = "Miền giá trị"
year = 2024
period = "2024-Y"
total = 10

[[element]]
id = "x"
name = "Số vụ"
min = 0
integer = true

[[area]]
id = "A"
name = "A"
points = 10

[[criterion]]
id = "A1"
parent = "A"
name = "A1"
points = 10
value = "x"
scale = { kind = "formula" }

[[band]]
id = "all"
name = "Tất cả"
"#;

#[test]
fn figures_outside_their_element_domain_name_the_row() {
    let reg = compile(MINI).unwrap();
    assert!(reg.canonical_text().contains("min = 0\ninteger = true"));
    let d = Dataset::from_csv(&format!(
        "{H}KG,x,2024-M01,3\nKG,x,2024-M02,-2\nKG,x,2024-M03,2.5\n"
    ))
    .unwrap();
    let e = d.check(&reg).unwrap_err();
    assert_eq!(
        e.iter().map(|x| (x.row, x.code)).collect::<Vec<_>>(),
        vec![(3, "out_of_domain"), (4, "out_of_domain")]
    );
    assert!(e[0].message_vi.contains("nhỏ hơn mức tối thiểu 0"));
    assert!(e[1].message_vi.contains("số nguyên"));
    // A declared value for a missing figure must lie in the domain too.
    let bad = MINI.replace("integer = true", "integer = true\nmissing = -1");
    assert_eq!(compile(&bad).unwrap_err().codes(), vec!["invalid_value"]);
    let bad = MINI.replace("min = 0", "min = 5\nmax = 1");
    assert_eq!(compile(&bad).unwrap_err().codes(), vec!["invalid_value"]);
}

#[test]
fn legacy_encodings_are_named_with_their_line() {
    // Windows-1258 (bytes from iconv): "Công an tỉnh Kiên Giang".
    let mut b = format!("{H}KG,x,2024-Y,1\n").into_bytes();
    b.extend_from_slice(b"KG,@name,,C\xf4ng an ti\xd2nh Ki\xean Giang\n");
    let e = Dataset::from_bytes(&b, false, ReadOptions::default()).unwrap_err();
    assert_eq!((e[0].row, e[0].code), (3, "encoding"));
    assert!(e[0].message_vi.contains("Windows-1258") && e[0].message_en.contains("UTF-8"));
    // VNI, and in a JSON file.
    let j = b"{\"units\": [{\"id\": \"KG\", \"name\": \"Co\xe2ng an t\xe6nh Kie\xe2n Giang\"}]}";
    let e = Dataset::from_bytes(j, true, ReadOptions::default()).unwrap_err();
    assert!(e[0].message_vi.contains("VNI"), "{}", e[0].message_vi);
    // UTF-8 with a byte-order mark is fine.
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(
        format!("{H}KG,@name,,Công an tỉnh Kiên Giang\nKG,x,2024-Y,1\n").as_bytes(),
    );
    let d = Dataset::from_bytes(&b, false, ReadOptions::default()).unwrap();
    assert_eq!(d.unit_name("KG"), Some("Công an tỉnh Kiên Giang"));
}

#[test]
fn json_syntax_errors_have_line_and_column() {
    let text = "{\n  \"figures\": [\n    {\"unit\": \"KG\", \"element\": \"x\" \"period\": \"2024-Y\"}\n  ]\n}";
    let e = Dataset::from_json(text).unwrap_err();
    assert_eq!(
        (e[0].code, e[0].row, e[0].column),
        ("json_syntax", 3, Some(35))
    );
    let shown = e[0].to_string();
    assert!(
        shown.contains("dòng 3, cột 35") && shown.contains("line 3, column 35"),
        "{shown}"
    );
}

#[test]
fn quoted_line_breaks_and_semicolons() {
    let d = Dataset::from_csv(
        "unit;element;period;value\nKG;@name;;\"Công an tỉnh\nKiên Giang; KG\"\nKG;x;2024-Y;5\n",
    )
    .unwrap();
    assert_eq!(d.unit_name("KG"), Some("Công an tỉnh\nKiên Giang; KG"));
    let e = Dataset::from_csv("unit;element;period;value\nKG;x;2024-Y;abc\n").unwrap_err();
    assert_eq!((e[0].row, e[0].code), (2, "invalid_number"));
}
