//! The workbook against LibreOffice: random regulations (and the reported cases) become
//! workbooks without cached values, one headless LibreOffice run recalculates them all, and
//! every computed cell must equal the engine (zero `#` errors where the engine has a value).
//! Separately, the cached values stored with every formula are the engine's own.
use crate::support::{gen, lo};
use std::collections::HashMap;
use std::io::Read;
use thidua_scoring::explain::Val;
use thidua_scoring::*;

/// "No such cases → full points", written the natural way.
const NO_CASES: &str = r#"format = 1
name = "Không có vụ việc thì đạt"
year = 2024
period = "2024-Y"
total = 10

[[element]]
id = "vs_cases"
name = "Vụ việc phải giải quyết"

[[element]]
id = "vs_solved"
name = "Vụ việc đã giải quyết"

[[area]]
id = "A"
name = "A"
points = 10

[[criterion]]
id = "A1"
parent = "A"
name = "Giải quyết trên 90% vụ việc"
points = 10
when = "vs_cases == 0 or pct(vs_solved, vs_cases) > 90"

[[band]]
id = "dat"
name = "Đạt"
min = 5

[[band]]
id = "chua"
name = "Chưa đạt"
max = 5
"#;

const NO_CASES_DATA: &str = "unit,element,period,value\nAG,vs_cases,2024-Y,0\nAG,vs_solved,2024-Y,0\nKG,vs_cases,2024-Y,40\nKG,vs_solved,2024-Y,36\nHG,vs_cases,2024-Y,40\nHG,vs_solved,2024-Y,37\n";

struct Book {
    what: String,
    bytes: Vec<u8>,
    layout: workbook::Layout,
}

fn book(what: &str, reg_text: &str, csv: &str) -> Book {
    let reg = compile(reg_text).unwrap_or_else(|e| panic!("{what}: {e}\n{reg_text}"));
    let data = Dataset::from_csv(csv).unwrap();
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    let (bytes, layout) = workbook::write_with_layout(&reg, &data, &board, false).unwrap();
    Book {
        what: what.into(),
        bytes,
        layout,
    }
}

fn seeds() -> Vec<u64> {
    match std::env::var("THIDUA_WORKBOOK_SEEDS") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![1, 2, 3, 5, 8, 13],
    }
}

#[test]
fn workbooks_recalculated_by_libreoffice_equal_the_engine() {
    let Some(soffice) = lo::soffice() else {
        eprintln!("SKIPPED: soffice not found (apt-get install libreoffice-calc-nogui)");
        return;
    };
    let mut books = vec![
        book(
            "example",
            include_str!("../../../../examples/cum12-2024/regulation.toml"),
            include_str!("../../../../examples/cum12-2024/data.csv"),
        ),
        book("no cases", NO_CASES, NO_CASES_DATA),
    ];
    for mode in ["half_up", "half_even", "down"] {
        let text = super::exactness::RANGE.replace("MODE", mode);
        books.push(book(
            &format!("1,485 {mode}"),
            &text,
            "unit,element,period,value\nAG,cur,2024-Y,118\nAG,base,2024-Y,112\n",
        ));
    }
    for seed in seeds() {
        let c = gen::case(seed);
        books.push(book(&format!("seed {seed}"), &c.regulation, &c.csv()));
    }
    let dir = tempfile::tempdir().unwrap();
    let bytes: Vec<Vec<u8>> = books.iter().map(|b| b.bytes.clone()).collect();
    let sheets = lo::recalc(soffice, dir.path(), &bytes);
    let mut all = Vec::new();
    for (b, rows) in books.iter().zip(&sheets) {
        assert!(!b.layout.checks.is_empty(), "{}", b.what);
        for d in lo::differences(&b.layout, rows) {
            all.push(format!("{}: {d}", b.what));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
    // The natural "no cases" rule: AG (no cases) gets full points, no #DIV/0! anywhere.
    let no_cases = &sheets[1];
    assert!(
        no_cases.iter().flatten().all(|c| !c.starts_with('#')),
        "{no_cases:?}"
    );
    // 1,485 is rounded from its exact value in the workbook too.
    for (i, want) in [(2, "1.49"), (3, "1.48"), (4, "1.48")] {
        assert!(
            sheets[i].iter().flatten().any(|c| c == want),
            "{}",
            books[i].what
        );
    }
}

/// Cells of the first sheet: reference → (type attribute, cached value).
fn cached_cells(xlsx: &[u8]) -> HashMap<String, (String, String)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = HashMap::new();
    for c in xml.split("<c ").skip(1) {
        let Some(body) = c.split("</c>").next() else {
            continue;
        };
        if !body.contains("<f>") {
            continue;
        }
        let attr = |name: &str| {
            body.split(&format!("{name}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        let v = body
            .split("<v>")
            .nth(1)
            .and_then(|r| r.split("</v>").next())
            .unwrap_or("(none)")
            .to_string();
        out.insert(attr("r"), (attr("t"), v));
    }
    out
}

/// A reader that does not recalculate shows the engine's values: conditions as TRUE/FALSE,
/// bonus values, indicators, points and totals, never a placeholder 0.
#[test]
fn formula_cells_cache_the_engine_values() {
    let reg = compile(NO_CASES).unwrap();
    let data = Dataset::from_csv(NO_CASES_DATA).unwrap();
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    let (bytes, layout) = workbook::write_with_layout(&reg, &data, &board, true).unwrap();
    let cells = cached_cells(&bytes);
    assert!(cells.values().all(|(_, v)| v != "(none)"), "{cells:?}");
    for c in &layout.checks {
        let r = format!("{}{}", workbook::col_name(c.col), c.row + 1);
        let (t, v) = &cells[&r];
        match &c.expected {
            Some(Val::Bool(b)) => assert_eq!(
                (t.as_str(), v.as_str()),
                ("b", if *b { "1" } else { "0" }),
                "{}",
                c.what
            ),
            Some(Val::Num(x)) => assert_eq!(
                v.parse::<Exact>().unwrap(),
                x.sig_text(17).parse().unwrap(),
                "{}",
                c.what
            ),
            None => assert_eq!(t, "e", "{}", c.what),
        }
    }
    // The example: AG's bonus T2 (one flag of the Ministry) is cached as 1 → 10 points.
    let (reg, data) = (
        compile(include_str!(
            "../../../../examples/cum12-2024/regulation.toml"
        ))
        .unwrap(),
        Dataset::from_csv(include_str!("../../../../examples/cum12-2024/data.csv")).unwrap(),
    );
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    let (bytes, layout) = workbook::write_with_layout(&reg, &data, &board, true).unwrap();
    let cells = cached_cells(&bytes);
    let t2 = layout.checks.iter().find(|c| c.what == "AG/T2").unwrap();
    let r = format!("{}{}", workbook::col_name(t2.col), t2.row + 1);
    assert_eq!(cells[&r].1, "10");
    // Each unit's columns carry its name (the data file's `@name`) beside its id.
    let text = all_text(&bytes);
    assert!(
        text.contains("Công an tỉnh An Giang (AG) — điểm"),
        "the units are named"
    );
}

/// Every string of a workbook's XML parts (shared strings and inline strings alike).
fn all_text(xlsx: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().ends_with(".xml") {
            f.read_to_string(&mut out).unwrap();
        }
    }
    out
}

/// Written row by row (low memory), the workbook has the same formulas and cached values.
#[test]
fn low_memory_workbook_equals_the_in_memory_one() {
    let reg = compile(include_str!(
        "../../../../examples/cum12-2024/regulation.toml"
    ))
    .unwrap();
    let data = Dataset::from_csv(include_str!("../../../../examples/cum12-2024/data.csv")).unwrap();
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    let opts = |low_memory| workbook::Options {
        cached: true,
        low_memory,
        layout: false,
    };
    let (a, _) = workbook::write_with(&reg, &data, &board, opts(false)).unwrap();
    let (b, _) = workbook::write_with(&reg, &data, &board, opts(true)).unwrap();
    let (ca, cb) = (cached_cells(&a), cached_cells(&b));
    assert!(ca.len() > 100);
    assert_eq!(ca, cb);
}

/// The same inputs give the same bytes: the file is dated by the period's last day, never by
/// the clock (a clock date would change the bytes from one second to the next).
#[test]
fn workbook_is_dated_by_its_period_not_the_clock() {
    let b = book("no cases", NO_CASES, NO_CASES_DATA);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&b.bytes)).unwrap();
    let mut xml = String::new();
    z.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let created = xml
        .split("<dcterms:created xsi:type=\"dcterms:W3CDTF\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_default();
    // The emulation year 2024 runs from 15/12/2023 to 14/12/2024.
    assert_eq!(created, "2024-12-14T00:00:00Z", "{xml}");
    assert_eq!(b.bytes, book("no cases", NO_CASES, NO_CASES_DATA).bytes);
}

/// The text of every cell of the score sheet by reference (`E45`): shared strings resolved,
/// formulas by their cached result.
fn score_sheet_text(xlsx: &[u8]) -> HashMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut read = |name: &str| {
        let mut xml = String::new();
        if let Ok(mut f) = z.by_name(name) {
            f.read_to_string(&mut xml).unwrap();
        }
        xml
    };
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let shared: Vec<String> = read("xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(|si| {
            si.split("<t")
                .skip(1)
                .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split("</t>").next()))
                .map(unescape)
                .collect()
        })
        .collect();
    let mut out = HashMap::new();
    for c in read("xl/worksheets/sheet1.xml").split("<c ").skip(1) {
        let body = c.split("</c>").next().unwrap_or_default();
        let head = format!(" {}", body.split('>').next().unwrap_or_default());
        let attr = |name: &str| {
            head.split(&format!(" {name}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        let v = body
            .split("<v>")
            .nth(1)
            .and_then(|r| r.split("</v>").next())
            .map(unescape);
        let inline = body
            .split("<t")
            .nth(1)
            .and_then(|t| t.split_once('>').and_then(|(_, r)| r.split("</t>").next()))
            .map(unescape);
        let text = match (attr("t").as_str(), v) {
            ("s", Some(i)) => shared[i.parse::<usize>().unwrap()].clone(),
            (_, Some(v)) => v,
            (_, None) => inline.unwrap_or_default(),
        };
        out.insert(attr("r"), text);
    }
    out
}

/// The rank and the band a reader takes are the regulation's (the engine's, after the quota),
/// labelled as official and placed before the band the total alone reaches, which is labelled
/// as the band before the quota: a unit the quota moved down reads "Tốt" where it is official
/// and "Xuất sắc" only where it says "before the quota", with the reason between them.
#[test]
fn the_official_band_is_the_engines_and_the_formula_band_says_it_is_before_the_quota() {
    let reg = compile(include_str!(
        "../../../../examples/cum12-2024/regulation.toml"
    ))
    .unwrap();
    let data = Dataset::from_csv(include_str!("../../../../examples/cum12-2024/data.csv")).unwrap();
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .unwrap();
    let demoted: Vec<usize> = (0..board.units.len())
        .filter(|k| {
            board.units[*k]
                .band
                .as_ref()
                .is_some_and(|b| b.demoted_by_quota)
        })
        .collect();
    assert!(
        !demoted.is_empty(),
        "the example has units the quota moves down"
    );
    for opts in [false, true] {
        let o = workbook::Options {
            cached: true,
            low_memory: opts,
            layout: false,
        };
        let (bytes, _) = workbook::write_with(&reg, &data, &board, o).unwrap();
        let cells = score_sheet_text(&bytes);
        let row_of = |start: &str| -> u32 {
            (1..400)
                .find(|r| {
                    cells
                        .get(&format!("B{r}"))
                        .is_some_and(|t| t.starts_with(start))
                })
                .unwrap_or_else(|| panic!("a row `{start}`"))
        };
        let rank = row_of("Hạng (theo quy định");
        let official = row_of("XẾP LOẠI CHÍNH THỨC");
        let quota = row_of("Điều chỉnh theo tỷ lệ tối đa");
        let before = row_of("Xếp loại theo mức điểm, TRƯỚC KHI áp dụng tỷ lệ tối đa");
        assert!(rank < official && official < quota && quota < before);
        for (k, u) in board.units.iter().enumerate() {
            let col = workbook::col_name((4 + 2 * k) as u16);
            let at = |r: u32| cells.get(&format!("{col}{r}")).cloned().unwrap_or_default();
            let band = u.band.as_ref().unwrap();
            assert_eq!(at(rank), u.rank.unwrap().to_string(), "{}", u.unit);
            assert_eq!(at(official), band.name, "{}", u.unit);
            assert_eq!(at(before), band.by_score_name, "{}", u.unit);
            assert_eq!(
                at(1),
                format!("{} ({}) — điểm", u.name.as_deref().unwrap(), u.unit)
            );
            if demoted.contains(&k) {
                assert_eq!(
                    (at(official).as_str(), at(before).as_str()),
                    ("Tốt", "Xuất sắc")
                );
                assert!(at(quota).contains("vượt tỷ lệ tối đa 20%"), "{}", at(quota));
            } else {
                assert_eq!(at(quota), "không", "{}", u.unit);
            }
        }
    }
}
