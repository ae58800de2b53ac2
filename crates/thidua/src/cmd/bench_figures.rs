//! `thidua bench figures`: a national year of figures (default 3,400 units × 12 months × 40
//! elements = 1,632,000 values) imported from one CSV or XLSX file through the historical
//! import (the same reading and commands as the web pages, the API and `thidua figures
//! import`), then the log replayed by a fresh service. Reports the times, the peak memory of
//! the import, the memory with the year loaded and the size of the state's snapshot.
//!
//! The first run writes the file (`--file`) and stops, so that the measuring run's peak memory
//! is the import's alone; the second run sets up the cluster (units, movement, a signed
//! covenant with a generated regulation) if the log is empty and measures.
use crate::output::{errln, sayln};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use thidua_domain::model::{Comparison, Target, TargetKind};
use thidua_domain::{Actor, CovenantId, TargetId};
use thidua_import::{plan_historical, Limits, Upload};

use crate::cmd::bench::rss_kib;
use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct FiguresBench {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Tệp số liệu (.csv hoặc .xlsx); tạo ra nếu chưa có / the data file, generated if absent.
    #[arg(long)]
    pub file: PathBuf,
    /// Số đơn vị / units of the synthetic covenant (3,400: the national scale).
    #[arg(long, default_value_t = 3400)]
    pub units: u32,
    /// Số chỉ số báo cáo / data elements each unit reports.
    #[arg(long, default_value_t = 40)]
    pub elements: u32,
    /// Số tháng / months of figures in the file.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// In «imported» khi đã ghi / print «imported» once the import is appended (crash tests).
    #[arg(long)]
    pub ack: bool,
    /// Bỏ qua phần đọc lại / skip the replay measurement.
    #[arg(long)]
    pub no_replay: bool,
}

const COVENANT: &str = "bench-2025";
/// Year of the covenant; the imported figures are of the year before.
const YEAR: i32 = 2025;

use thidua_domain::synth::{self, text as t};

/// A regulation with `n` elements and a single manual criterion (its scoring is not measured).
pub fn regulation(n: u32) -> String {
    let mut s = format!(
        "format = 1\nname = \"Quy định thử tải (giả định)\"\nyear = {YEAR}\nperiod = \"{YEAR}-Y\"\ntotal = 10\n"
    );
    for e in 1..=n {
        s.push_str(&format!(
            "\n[[element]]\nid = \"e{e:02}\"\nname = \"Chỉ tiêu thử {e}\"\nunit = \"vụ\"\naggregate = \"sum\"\n"
        ));
    }
    s.push_str("\n[[area]]\nid = \"A\"\nname = \"Lĩnh vực thử\"\npoints = 10\n\n[[criterion]]\nid = \"A1\"\nparent = \"A\"\nname = \"Tiêu chí chấm tay\"\npoints = 10\nmanual = true\n\n[[band]]\nid = \"all\"\nname = \"Tất cả\"\n");
    s
}

/// A deterministic count for (unit, month, element).
fn value(u: u32, m: u32, e: u32) -> u64 {
    let x = (u as u64 * 7919 + m as u64 * 104_729 + e as u64 * 1_299_709)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x >> 40) % 500
}

fn rows(args: &FiguresBench) -> impl Iterator<Item = [String; 4]> + '_ {
    (0..args.units).flat_map(move |u| {
        (1..=args.months).flat_map(move |m| {
            (1..=args.elements).map(move |e| {
                [
                    format!("U{u:05}"),
                    format!("e{e:02}"),
                    format!("{}-M{m:02}", YEAR - 1),
                    value(u, m, e).to_string(),
                ]
            })
        })
    })
}

fn generate(args: &FiguresBench) -> anyhow::Result<()> {
    let started = Instant::now();
    let xlsx = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if xlsx {
        let mut book = rust_xlsxwriter::Workbook::new();
        let mut sheet = None;
        for (count, row) in rows(args).enumerate() {
            let count = count as u32;
            if count.is_multiple_of(1_000_000) {
                let s = book.add_worksheet();
                for (c, h) in ["unit", "element", "period", "value"].iter().enumerate() {
                    s.write_string(0, c as u16, *h)?;
                }
                sheet = Some(book.worksheets_mut().len() - 1);
            }
            let s = book.worksheet_from_index(sheet.expect("a sheet"))?;
            let r = count % 1_000_000 + 1;
            s.write_string(r, 0, &row[0])?;
            s.write_string(r, 1, &row[1])?;
            s.write_string(r, 2, &row[2])?;
            s.write_number(r, 3, row[3].parse::<f64>()?)?;
        }
        book.save_to_buffer()?
    } else {
        let mut out = String::from(
            "# SỐ LIỆU GIẢ ĐỊNH — synthetic figures for the benchmark\nunit,element,period,value\n",
        );
        for row in rows(args) {
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out.into_bytes()
    };
    std::fs::write(&args.file, &bytes)
        .with_context(|| format!("không ghi được / cannot write {}", args.file.display()))?;
    errln!(
        "generated {} ({:.1} MiB, {} values) in {:.1} s; run the same command again to measure",
        args.file.display(),
        bytes.len() as f64 / (1 << 20) as f64,
        args.units * args.months * args.elements,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Units, a cluster of all of them, the movement and the covenant signed by every unit.
fn setup(service: &thidua_service::Service, args: &FiguresBench) -> anyhow::Result<()> {
    let started = Instant::now();
    let draft = synth::Draft {
        covenant: COVENANT,
        movement: "bench-2025",
        year: YEAR,
        title: "Giao ước thử tải (giả định)",
        targets: vec![Target {
            id: TargetId::parse("tong-hop")?,
            area: t("Thực hiện giao ước"),
            kind: TargetKind::Qualitative,
            subject: t("Thực hiện đầy đủ chế độ báo cáo số liệu (giả định)"),
            comparison: Comparison::Judged,
            threshold: None,
            range: None,
            baseline_year: None,
            unit_of_measure: None,
            indicator: None,
        }],
        regulation: &regulation(args.elements),
    };
    let mut commands = vec![super::bench::marker()];
    commands.extend(synth::cluster_commands(args.units, draft)?);
    service.execute_all(&Actor::System, commands)?;
    let covenant = CovenantId::parse(COVENANT)?;
    let signatures = synth::signatures(&service.read(), &covenant, args.units)?;
    service.execute_all(&Actor::System, signatures)?;
    errln!(
        "set up {} units and the signed covenant in {:.1} s",
        args.units,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Peak resident memory of this process in KiB (Linux), 0 elsewhere.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

pub fn run(args: FiguresBench) -> anyhow::Result<ExitCode> {
    if !args.file.exists() {
        generate(&args)?;
        return Ok(ExitCode::SUCCESS);
    }
    super::bench::ensure_bench_log(&*args.store.open_store()?)?;
    let service = args.store.open_service()?;
    if !service
        .read()
        .covenants
        .contains_key(&CovenantId::parse(COVENANT)?)
    {
        setup(&service, &args)?;
    }
    let before = rss_kib();
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("không đọc được / cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let started = Instant::now();
    let plan = plan_historical(
        &service.read(),
        &CovenantId::parse(COVENANT)?,
        Upload {
            file_name: &name,
            bytes: &bytes,
        },
        &Limits::default(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let read = started.elapsed().as_secs_f64();
    let (reports, values) = (plan.reports, plan.values);
    let receipt = service.execute(&Actor::System, plan.command)?;
    let total = started.elapsed().as_secs_f64();
    if args.ack {
        sayln!("imported {}", receipt.count)?;
    }
    errln!(
        "figures import {}: {values} values, {reports} reports, {} events, file {:.1} MiB; read and plan {read:.2} s, decide and append {:.2} s, total {total:.2} s; RSS before {} MiB, peak {} MiB, after {} MiB",
        service.store().backend(),
        receipt.count,
        bytes.len() as f64 / (1 << 20) as f64,
        total - read,
        before / 1024,
        peak_kib() / 1024,
        rss_kib() / 1024,
    );
    drop(bytes);
    if args.no_replay {
        return Ok(ExitCode::SUCCESS);
    }
    drop(service);
    let before = rss_kib();
    let started = Instant::now();
    let service = args.store.open_service()?;
    let replay = started.elapsed().as_secs_f64();
    let after = rss_kib();
    let started = Instant::now();
    let snapshot = serde_json::to_vec(&service.read().state)?;
    errln!(
        "replay: {} events in {replay:.2} s; RSS {} MiB with the year loaded ({} MiB before opening); state snapshot {:.1} MiB of JSON, serialised in {:.2} s",
        service.read().size,
        after / 1024,
        before / 1024,
        snapshot.len() as f64 / (1 << 20) as f64,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
