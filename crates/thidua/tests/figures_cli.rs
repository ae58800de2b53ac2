//! `thidua figures` on the demonstration, as its people use it at the console: an import is
//! planned for the user it names (`--as`, required), so someone who may not import a unit's
//! figures learns nothing of them; a historical dry run says in words what it would record;
//! a template is only for a member of the covenant, only as XLSX or CSV, the same bytes on
//! every run; every option says what it is.

#[allow(dead_code)] // the running server and API tokens are for other tests
mod support;

use std::path::Path;
use std::process::Output;

use support::{run, serve_demo_once, thidua};

const COVENANT: &str = "giao-uoc-cum-12-2024";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn figures(data: &Path, dir: &Path, args: &[&str]) -> Output {
    run(thidua()
        .current_dir(dir)
        .arg("figures")
        .args(args)
        .arg("--data")
        .arg(data))
}

#[test]
fn figures_at_the_console_tell_only_what_the_user_may_know() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    serve_demo_once(&["--data".into(), data.clone().into()]);
    let d = dir.path();
    std::fs::write(
        d.join("ch.csv"),
        "unit,element,period,value\nca-kg,crimes,2024-M12,91\n",
    )
    .unwrap();
    // Another unit's officer (dry run) and the supervisor (for real): refused before any
    // change of Kiên Giang's is computed, let alone printed.
    for (who, dry) in [("canbo.ag", true), ("giamsat.x01", false)] {
        let mut args = vec!["import", "ch.csv", "--covenant", COVENANT, "--as", who];
        if dry {
            args.push("--dry-run");
        }
        let out = figures(&data, d, &args);
        assert!(!out.status.success(), "{who}");
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            !stdout.contains("thay đổi") && !stdout.contains("crimes") && !stdout.contains('→'),
            "{who}: {stdout}"
        );
        assert!(
            stderr.contains("lỗi: Anh/chị không có quyền") && stderr.contains("error: "),
            "{who}: {stderr}"
        );
    }
    // Every import names its user, as an issued document does: a historical one too.
    std::fs::write(
        d.join("h.csv"),
        "unit,element,period,value\nca-kg,crimes,2022-M01,5\nca-kg,crimes,2022-M02,6\nca-ag,crimes,2022-M01,7\n",
    )
    .unwrap();
    let out = figures(
        &data,
        d,
        &["import", "h.csv", "--covenant", COVENANT, "--historical"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--as <ACTOR>"),
        "{}",
        text(&out.stderr)
    );
    let out = figures(&data, d, &["import", "--help"]);
    let help = text(&out.stdout);
    assert!(
        help.contains("Người thực hiện / the user whose act it is (required")
            && !help.contains("default: the operator"),
        "{help}"
    );
    // The historical dry run, in words: by unit and year, the windows and how many figures.
    let out = figures(
        &data,
        d,
        &[
            "import",
            "h.csv",
            "--covenant",
            COVENANT,
            "--historical",
            "--as",
            "thuky.cum12",
            "--dry-run",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("năm / years 2022,")
            && said.contains("  ca-ag 2022: 1 kỳ / windows (M01), 1 số liệu / values\n")
            && said.contains("  ca-kg 2022: 2 kỳ / windows (M01, M02), 2 số liệu / values\n")
            && !said.contains('{'),
        "{said}"
    );
    let out = figures(
        &data,
        d,
        &[
            "import",
            "h.csv",
            "--covenant",
            COVENANT,
            "--historical",
            "--as",
            "canbo.kg",
            "--dry-run",
        ],
    );
    assert!(!out.status.success());
    assert!(
        !text(&out.stdout).contains("ca-kg"),
        "{}",
        text(&out.stdout)
    );
    // Templates: a unit outside the covenant (Cần Thơ joins the cluster in 2025, Sóc Trăng is
    // elsewhere, the Ministry oversees) gets none, in both languages.
    let template = |unit: &str, out: &str| {
        figures(
            &data,
            d,
            &[
                "template",
                "--covenant",
                COVENANT,
                "--unit",
                unit,
                "--window",
                "M01",
                "--out",
                out,
            ],
        )
    };
    for unit in ["ca-ct", "ca-st", "bo-cong-an"] {
        let out = template(unit, "t.xlsx");
        assert!(!out.status.success(), "{unit}");
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "đơn vị «{unit}» không phải thành viên của giao ước «{COVENANT}»"
            )) && err.contains(&format!(
                "unit «{unit}» is not a member of covenant «{COVENANT}»"
            )),
            "{err}"
        );
    }
    assert!(!d.join("t.xlsx").exists());
    // Only .xlsx or .csv.
    let out = template("ca-kg", "x.csv2");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("unknown format «csv2»: use xlsx or csv"),
        "{}",
        text(&out.stderr)
    );
    assert!(!d.join("x.csv2").exists());
    // The same template twice: the same bytes.
    assert!(template("ca-kg", "a.xlsx").status.success());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(template("ca-kg", "b.xlsx").status.success());
    assert!(
        std::fs::read(d.join("a.xlsx")).unwrap() == std::fs::read(d.join("b.xlsx")).unwrap(),
        "two runs differ"
    );
    // Every option of the template, the import and the export says what it is.
    for (sub, options) in [
        ("template", &["--covenant", "--unit"][..]),
        ("import", &["--covenant"][..]),
        ("export", &["--covenant"][..]),
    ] {
        let out = figures(&data, d, &[sub, "--help"]);
        let help = text(&out.stdout);
        for option in options {
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{option} <")))
                .unwrap_or_else(|| panic!("{sub} {option}: {help}"));
            assert!(line.contains(" / "), "{sub} {option}: {line:?}");
        }
    }
}
