//! `thidua score` end to end: the Cluster 12 example from CSV and JSON, one unit with its
//! explanation, JSON output, the workbook, and bilingual errors with a non-zero exit.
use std::path::PathBuf;
use std::process::{Command, Output};

fn example(file: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/cum12-2024")
        .join(file);
    root.to_string_lossy().into_owned()
}

fn score(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("score")
        .args(args)
        .output()
        .expect("run thidua")
}

#[test]
fn scores_the_five_units_from_csv_and_json() {
    for data in ["data.csv", "data.json"] {
        let out = score(&[
            "--regulation",
            &example("regulation.toml"),
            "--data",
            &example(data),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        for (unit, total) in [
            ("AG", "107,73"),
            ("KG", "99,36"),
            ("BL", "94,34"),
            ("CM", "74,3"),
            ("HG", "62,79"),
        ] {
            let line = text
                .lines()
                .find(|l| l.contains(&format!(" {unit} ")))
                .unwrap_or_else(|| panic!("{unit}: {text}"));
            assert!(line.contains(total), "{line}");
        }
    }
}

#[test]
fn explains_one_unit() {
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        &example("data.csv"),
        "--unit",
        "BL",
        "--explain",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Đơn vị: BL — Công an tỉnh Bạc Liêu"));
    assert!(!text.contains("Đơn vị: AG"));
    assert!(text.contains("(15/12/2023 – 14/12/2024): 580 vụ"));
    assert!(text.contains("TỔNG ĐIỂM: 94,34 — hạng 3"));
}

#[test]
fn json_output_keeps_exact_decimals() {
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        &example("data.csv"),
        "--json",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["units"][0]["unit"], "AG");
    assert_eq!(v["units"][0]["total"], "107.73");
    assert_eq!(v["period"], "2024-Y");
}

#[test]
fn writes_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diem.xlsx");
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        &example("data.csv"),
        "--xlsx",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
}

/// A `--unit` the data does not name is refused before the workbook is written: the file
/// already at `--xlsx` stays as it was (it was replaced, then the command failed).
#[test]
fn a_unit_not_in_the_data_leaves_the_workbook_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diem.xlsx");
    std::fs::write(&path, b"yesterday's workbook").unwrap();
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        &example("data.csv"),
        "--unit",
        "ca-kg",
        "--xlsx",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("không có đơn vị `ca-kg`"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"yesterday's workbook");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_regulation_fails_with_a_bilingual_message() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("bad.toml");
    std::fs::write(
        &reg,
        std::fs::read_to_string(example("regulation.toml"))
            .unwrap()
            .replace("total = 100", "total = 90"),
    )
    .unwrap();
    let out = score(&[
        "--regulation",
        reg.to_str().unwrap(),
        "--data",
        &example("data.csv"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("quy định không hợp lệ / invalid regulation"),
        "{err}"
    );
    assert!(
        err.contains("[points_sum]") && err.contains("dòng 17"),
        "{err}"
    );
}

#[test]
fn bad_data_row_fails_naming_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.csv");
    std::fs::write(
        &data,
        "unit,element,period,value\nKG,crimes,2024-M01,12\nKG,crimes,2024-M02,mười\n",
    )
    .unwrap();
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dòng 3") && err.contains("line 3") && err.contains("nothing imported"),
        "{err}"
    );
}

#[test]
fn missing_figures_exit_with_code_3() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.csv");
    let full = std::fs::read_to_string(example("data.csv")).unwrap();
    // Drop one month of KG's crimes: KG cannot be scored; the others still are.
    let cut: String = full
        .lines()
        .filter(|l| *l != "KG,crimes,2024-M05,76" && !l.starts_with("KG,crimes,2024-M05,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&data, cut).unwrap();
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("KG"));
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args([
            "score",
            "--regulation",
            &example("regulation.toml"),
            "--data",
            &example("data.csv"),
            "--explain",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then hang up (like `| head -1`); the explanation is far larger than a pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}

#[test]
fn json_is_streamed_with_traces_only_when_asked() {
    let args = [
        "--regulation",
        &example("regulation.toml"),
        "--data",
        &example("data.csv"),
        "--json",
    ];
    let plain = score(&args);
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(v["units"].as_array().unwrap().len(), 5);
    assert!(v["units"][0]["nodes"][1].get("trace").is_none());
    assert_eq!(v["units"][1]["band"]["quotas"][0]["allowed"], 1);
    let mut with = args.to_vec();
    with.extend(["--explain", "--unit", "KG"]);
    let traced = score(&with);
    let v: serde_json::Value = serde_json::from_slice(&traced.stdout).unwrap();
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 1);
    assert_eq!(
        (units[0]["unit"].as_str(), units[0]["rank"].as_u64()),
        (Some("KG"), Some(2))
    );
    assert!(units[0]["nodes"][1]["trace"].as_array().unwrap().len() > 2);
}

#[test]
fn numbers_in_vietnamese_notation_need_a_declared_format() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(example("data.csv")).unwrap();
    // KG's commendations written "1.000" (one thousand, Vietnamese notation) instead of 2.
    let vi = full.replace("KG,commendations,2024-Y,2", "KG,commendations,2024-Y,1.000");
    assert_ne!(vi, full);
    // The manual scores are the file's only decimals: as Vietnamese write them, "7,5" (quoted,
    // since `,` also separates the columns).
    let vi: String = vi
        .lines()
        .map(|l| match l.rsplit_once(',') {
            Some((head, v)) if l.contains("@manual") => {
                format!("{head},\"{}\"\n", v.replace('.', ","))
            }
            _ => format!("{l}\n"),
        })
        .collect();
    let data = dir.path().join("vi.csv");
    std::fs::write(&data, &vi).unwrap();
    let reg = example("regulation.toml");
    let out = score(&["--regulation", &reg, "--data", data.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[number_format]") && err.contains("number_format: vi"),
        "{err}"
    );
    // Declared, "1.000" is one thousand: KG's bonus T3 is capped at 3.
    let out = score(&[
        "--regulation",
        &reg,
        "--data",
        data.to_str().unwrap(),
        "--number-format",
        "vi",
        "--unit",
        "KG",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["units"][0]["bonuses"][2]["value"], "1000");
    assert_eq!(v["units"][0]["bonuses"][2]["points"], "3");
}

#[test]
fn a_legacy_encoding_is_named_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tcvn3.csv");
    // "Công an tỉnh Kiên Giang" in TCVN3 (ABC).
    let mut bytes = b"unit,element,period,value\nKG,crimes,2024-M01,12\nKG,@name,,".to_vec();
    bytes.extend_from_slice(b"C\xabng an t\xd8nh Ki\xaan Giang\n");
    std::fs::write(&data, bytes).unwrap();
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dòng 3") && err.contains("TCVN3") && err.contains("CSV UTF-8"),
        "{err}"
    );
    assert!(!err.contains("stream did not contain valid UTF-8"), "{err}");
}

/// A regulation in a legacy encoding is told to be saved as UTF-8 from its editor, not as
/// "CSV UTF-8" from a spreadsheet (the advice for a data file).
#[test]
fn a_regulation_in_a_legacy_encoding_is_told_to_be_saved_from_its_editor() {
    let dir = tempfile::tempdir().unwrap();
    let regulation = dir.path().join("quy-dinh.toml");
    let mut bytes = b"# Quy \xd1\xdfnh\n".to_vec();
    bytes.extend_from_slice(b"title = \"C\xabng an t\xd8nh Ki\xaan Giang\"\n");
    std::fs::write(&regulation, bytes).unwrap();
    let out = score(&[
        "--regulation",
        regulation.to_str().unwrap(),
        "--data",
        &example("data.csv"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("quy-dinh.toml")
            && err.contains("trình soạn thảo")
            && err.contains("text editor")
            && !err.contains("CSV UTF-8"),
        "{err}"
    );
}

/// JSON data: a number beyond any float is "too large" and a key given twice in one object is
/// refused, each at its line and column (the JSON reader called the first a syntax error and
/// kept the second key's value silently); `--json --html` is a wrong option (one output), exit 1.
#[test]
fn json_data_refuses_a_huge_number_and_a_key_given_twice_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(example("data.json")).unwrap();
    let (first, _) = original
        .match_indices("\"value\"")
        .next()
        .expect("a figure's value");
    let line = original[..first].lines().count().max(1);
    for (name, edit, said) in [
        ("huge.json", "\"value\": 1e400, \"x\"", "too large"),
        ("twice.json", "\"value\": \"1\", \"value\"", "given twice"),
    ] {
        let changed = format!("{}{edit}{}", &original[..first], &original[first + 7..]);
        let path = dir.path().join(name);
        std::fs::write(&path, changed).unwrap();
        let out = score(&[
            "--regulation",
            &example("regulation.toml"),
            "--data",
            path.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(said), "{name}: {err}");
        assert!(
            err.contains(&format!("line {line}, column")),
            "{name}: {err}"
        );
        assert!(!err.contains("json_syntax"), "{name}: {err}");
    }
    let out = score(&[
        "--regulation",
        &example("regulation.toml"),
        "--data",
        &example("data.json"),
        "--json",
        "--html",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
