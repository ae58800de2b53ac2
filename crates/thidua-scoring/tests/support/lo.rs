//! LibreOffice as the independent spreadsheet: converts workbooks to CSV in one headless run
//! with a throwaway profile that recalculates every formula on load (LibreOffice keeps the
//! cached values by default), then compares every computed cell with the engine.
use std::path::Path;
use std::process::Command;
use thidua_scoring::explain::Val;
use thidua_scoring::workbook::Layout;
use thidua_scoring::Exact;

/// The LibreOffice command, or `None` (then the caller skips; with `CI=true` it fails).
pub fn soffice() -> Option<&'static str> {
    thidua_test_support::libreoffice()
}

const RECALC_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Recalculates the workbooks (first sheet of each) and returns their cells, in order.
pub fn recalc(soffice: &str, dir: &Path, books: &[Vec<u8>]) -> Vec<Vec<Vec<String>>> {
    let profile = dir.join("profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_ALWAYS,
    )
    .unwrap();
    let mut files = Vec::new();
    for (i, b) in books.iter().enumerate() {
        let p = dir.join(format!("book{i}.xlsx"));
        std::fs::write(&p, b).unwrap();
        files.push(p);
    }
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
            "--outdir",
        ])
        .arg(dir)
        .args(&files)
        .output()
        .unwrap();
    (0..books.len())
        .map(|i| {
            let csv =
                std::fs::read_to_string(dir.join(format!("book{i}.csv"))).unwrap_or_else(|_| {
                    panic!(
                        "conversion failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    )
                });
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(csv.as_bytes());
            r.records()
                .map(|x| x.unwrap().iter().map(str::to_string).collect())
                .collect()
        })
        .collect()
}

fn is_error(s: &str) -> bool {
    s.starts_with('#') || s.starts_with("Err:")
}

/// Every checked cell of a recalculated workbook against the engine: the same yes/no, the
/// same number (to the digit where the regulation rounds, within 1e-9 relative elsewhere), an
/// error exactly where the engine has none. Returns the differences.
pub fn differences(layout: &Layout, rows: &[Vec<String>]) -> Vec<String> {
    let mut out = Vec::new();
    for c in &layout.checks {
        let got = rows
            .get(c.row as usize)
            .and_then(|r| r.get(c.col as usize))
            .map(String::as_str)
            .unwrap_or("");
        let ok = match &c.expected {
            None => is_error(got),
            Some(Val::Bool(b)) => got == if *b { "TRUE" } else { "FALSE" },
            Some(Val::Num(x)) => match parse(got) {
                None => false,
                Some(g) if c.rounded => g == *x,
                Some(g) => {
                    let diff = g.sub(x).unwrap().abs();
                    let tol = x
                        .abs()
                        .max(Exact::ONE)
                        .mul(&"1e-9".parse().unwrap())
                        .unwrap();
                    diff <= tol
                }
            },
        };
        if !ok {
            out.push(format!(
                "{} (row {}, col {}): LibreOffice `{got}`, engine {:?}",
                c.what,
                c.row + 1,
                c.col + 1,
                c.expected
            ));
        }
    }
    out
}

/// A number as LibreOffice writes it (`1.49`, `-3`, `1E-05`).
fn parse(s: &str) -> Option<Exact> {
    if s.is_empty() || is_error(s) {
        return None;
    }
    let t = s.replace('E', "e");
    t.parse().ok()
}
