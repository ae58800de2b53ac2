//! `thidua bench score`: the national synthetic workload (3,400 units, 40 elements × 12 months,
//! 150 criteria by default) written as files and scored end to end by this very binary
//! (`thidua score`, `--json`, `--xlsx`, `--json --explain`), each run timed with its peak memory
//! (`/usr/bin/time` when present); then, when LibreOffice is installed, the same workbook
//! recalculated by LibreOffice side by side, and its totals compared with the engine's.
use crate::output::{errln, outln};
use anyhow::{anyhow, Context};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;
use thidua_scoring::{compile, synth, Dataset, EvalOptions};

#[derive(clap::Args)]
pub struct ScoreBenchArgs {
    /// Thư mục ghi tệp quy định, số liệu, sổ tính / where the files go (kept); default: a
    /// temporary folder, removed at the end unless --keep
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Giữ thư mục tạm / keep the temporary folder (its path is printed): without it, and
    /// without --dir, the files (hundreds of MiB on the national set) are removed at the end
    #[arg(long, conflicts_with = "dir")]
    pub keep: bool,
    /// Số đơn vị / units of the synthetic set (3,400: the national scale).
    #[arg(long, default_value_t = 3400)]
    pub units: usize,
    /// Số chỉ số báo cáo / data elements each unit reports.
    #[arg(long, default_value_t = 40)]
    pub elements: usize,
    /// Số tiêu chí / criteria of the synthetic regulation.
    #[arg(long, default_value_t = 150)]
    pub criteria: usize,
    /// Hạt giống / the seed of the synthetic set (the same seed gives the same files).
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Không chạy LibreOffice / skip the LibreOffice side-by-side
    #[arg(long)]
    pub no_libreoffice: bool,
    /// Số lần chạy mỗi lệnh (báo trung vị) / runs of each engine command (the median is reported)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub repeat: u32,
}

struct Run {
    what: String,
    secs: f64,
    /// The fastest and slowest of repeated runs (the median is `secs`).
    range: Option<(f64, f64)>,
    /// User + system CPU seconds (from `/usr/bin/time`): the cost whatever the machine's load.
    cpu: Option<f64>,
    peak_mib: Option<f64>,
    out_mib: f64,
}

pub fn run(a: ScoreBenchArgs) -> anyhow::Result<ExitCode> {
    // Without --dir: a temporary folder, removed when the run ends however it ends, unless
    // --keep asks to look at it.
    let temporary = match &a.dir {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("thidua-bench-score-")
                .tempdir()
                .context("making a temporary folder")?,
        ),
    };
    let dir = match (&a.dir, &temporary) {
        (Some(d), _) => d.clone(),
        (None, Some(t)) => t.path().to_owned(),
        (None, None) => unreachable!("made above"),
    };
    std::fs::create_dir_all(&dir)?;
    let result = bench(&a, &dir);
    if let Some(t) = temporary {
        if a.keep {
            errln!("giữ lại / kept {}", t.keep().display());
        }
    }
    result
}

/// Writes the synthetic set into `dir`, scores it and prints the table.
fn bench(a: &ScoreBenchArgs, dir: &Path) -> anyhow::Result<ExitCode> {
    let shape = synth::Shape {
        units: a.units,
        elements: a.elements,
        criteria: a.criteria,
        seed: a.seed,
    };
    let dir = dir.to_owned();
    let reg_path = dir.join("quy-dinh.toml");
    let data_path = dir.join("so-lieu.csv");
    let text = synth::regulation(shape);
    let csv = synth::csv(shape);
    std::fs::write(&reg_path, &text)?;
    std::fs::write(&data_path, &csv)?;
    errln!(
        "{} units × {} elements × 12 months, {} criteria: {:.1} MiB of CSV in {}",
        a.units,
        a.elements,
        a.criteria,
        csv.len() as f64 / 1048576.0,
        dir.display()
    );
    let base = [
        "score",
        "--regulation",
        reg_path.to_str().unwrap_or_default(),
        "--data",
        data_path.to_str().unwrap_or_default(),
    ];
    let xlsx = dir.join("diem.xlsx");
    // One unit from the middle of the set (U01234 in the national one).
    let one = synth::unit_id(a.units.min(1234 * 2) / 2);
    let one_what = format!("thidua score --unit {one} --explain");
    let mut runs = Vec::new();
    for (what, extra) in [
        ("thidua score", vec![]),
        ("thidua score --json", vec!["--json"]),
        ("thidua score --json --explain", vec!["--json", "--explain"]),
        (one_what.as_str(), vec!["--unit", &one, "--explain"]),
        (
            "thidua score --xlsx",
            vec!["--xlsx", xlsx.to_str().unwrap_or_default()],
        ),
    ] {
        let args: Vec<&str> = base.iter().copied().chain(extra).collect();
        let out = dir.join("out.txt");
        let exe = std::env::current_exe()?;
        let repeated = (0..a.repeat)
            .map(|_| timed(what, &exe, &args, &out))
            .collect::<anyhow::Result<Vec<Run>>>()?;
        runs.push(median(repeated));
        let _ = std::fs::remove_file(&out);
    }
    // The side-by-side ratio is taken against the engine's slowest run, not its median.
    let engine = runs[0].range.map_or(runs[0].secs, |(_, slowest)| slowest);
    let mut table = runs;
    if !a.no_libreoffice {
        match libreoffice(&dir, &xlsx, &text, &csv)? {
            Some((run, mismatches, units)) => {
                errln!(
                    "LibreOffice recalculated {units} totals: {mismatches} differ from the engine"
                );
                errln!(
                    "engine end to end is {:.0}× faster than LibreOffice",
                    run.secs / engine
                );
                table.push(run);
            }
            None => errln!("LibreOffice (soffice) not found: side-by-side skipped"),
        }
    }
    outln!(
        "| command | wall (s), median of {} | fastest–slowest (s) | CPU user+sys (s) | peak RSS (MiB) | output (MiB) |",
        a.repeat
    )?;
    outln!("|---|---:|---:|---:|---:|---:|")?;
    for r in &table {
        outln!(
            "| {} | {:.2} | {} | {} | {} | {:.1} |",
            r.what,
            r.secs,
            r.range
                .map(|(lo, hi)| format!("{lo:.2}–{hi:.2}"))
                .unwrap_or_else(|| "one run".into()),
            r.cpu
                .map(|c| format!("{c:.2}"))
                .unwrap_or_else(|| "—".into()),
            r.peak_mib
                .map(|m| format!("{m:.0}"))
                .unwrap_or_else(|| "—".into()),
            r.out_mib
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The run of median wall time among repeated ones, carrying the fastest and slowest times.
fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    let range = (runs.len() > 1).then(|| (runs[0].secs, runs[runs.len() - 1].secs));
    let mut mid = runs.swap_remove(runs.len() / 2);
    mid.range = range;
    mid
}

/// Runs a command with its output to a file, under `/usr/bin/time` when present (peak memory).
fn timed(what: &str, exe: &Path, args: &[&str], out: &Path) -> anyhow::Result<Run> {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("@@time %e %M %U %S").arg(exe);
        c
    } else {
        Command::new(exe)
    };
    let started = Instant::now();
    let o = cmd
        .args(args)
        .stdout(std::fs::File::create(out)?)
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    let secs = started.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() {
        return Err(anyhow!("{what} failed: {err}"));
    }
    let stats: Vec<f64> = err
        .lines()
        .filter_map(|l| l.strip_prefix("@@time "))
        .next_back()
        .map(|l| {
            l.split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let peak_mib = stats.get(1).map(|k| k / 1024.0);
    let cpu = stats.get(2).zip(stats.get(3)).map(|(u, s)| u + s);
    let out_mib = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    errln!("{what}: {secs:.2} s");
    Ok(Run {
        what: what.into(),
        secs,
        range: None,
        cpu,
        peak_mib,
        out_mib,
    })
}

const RECALC_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// LibreOffice opens the engine's workbook, recalculates every formula (a throwaway profile
/// asks it to) and exports the score sheet; its totals are compared with the engine's.
fn libreoffice(
    dir: &Path,
    xlsx: &Path,
    text: &str,
    csv: &str,
) -> anyhow::Result<Option<(Run, usize, usize)>> {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        return Ok(None);
    };
    let profile = dir.join("lo-profile");
    std::fs::create_dir_all(profile.join("user"))?;
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_ALWAYS,
    )?;
    let lo_dir = dir.join("lo");
    std::fs::create_dir_all(&lo_dir)?;
    let exe = PathBuf::from(soffice);
    let args = [
        format!("-env:UserInstallation=file://{}", profile.display()),
        "--headless".into(),
        "--norestore".into(),
        "--convert-to".into(),
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false".into(),
        "--outdir".into(),
        lo_dir.display().to_string(),
        xlsx.display().to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = dir.join("lo-out.txt");
    let mut run = timed(
        "LibreOffice: open the workbook, recalculate, export CSV",
        &exe,
        &args,
        &out,
    )?;
    let lo_csv =
        std::fs::read_to_string(lo_dir.join("diem.csv")).context("LibreOffice wrote no CSV")?;
    run.out_mib = lo_csv.len() as f64 / 1048576.0;
    // The engine's totals, in the workbook's column order (rank order).
    let reg = compile(text).map_err(|e| anyhow!("{e}"))?;
    let data = Dataset::from_csv(csv).map_err(|e| anyhow!("{e:?}"))?;
    let board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .map_err(|e| anyhow!("{e}"))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(lo_csv.as_bytes());
    let total_row = rdr
        .records()
        .filter_map(Result::ok)
        .find(|r| r.get(1) == Some("TỔNG ĐIỂM"))
        .context("no total row in LibreOffice's CSV")?;
    let mut mismatches = 0;
    for (k, u) in board.units.iter().enumerate() {
        let got = total_row.get(4 + 2 * k).unwrap_or("");
        let want = u.total.as_ref().map(|t| t.to_string()).unwrap_or_default();
        let same = match (
            got.parse::<thidua_scoring::Exact>(),
            want.parse::<thidua_scoring::Exact>(),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => got.is_empty() && want.is_empty(),
        };
        if !same {
            mismatches += 1;
        }
    }
    Ok(Some((run, mismatches, board.units.len())))
}
