//! `thidua doc`: official documents (Decree 30/2020 layout) as PDF or DOCX from the log — the
//! covenant as a paper, the results report from a regulation and figures scored as `thidua
//! score` does — optionally issued (recorded in the log by the operator, numbered), and issued
//! documents listed or written again. Thin glue over `thidua_docs`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use thidua_docs::issue::{issue, issued_file};
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::documents::{issued_by, IssuedDocument};
use thidua_domain::event::parse_date;
use thidua_domain::ids::{ClusterId, CovenantId};
use thidua_domain::Actor;
use thidua_scoring::{EvalOptions, PeriodKey};

use crate::storage::StoreArgs;

/// Văn bản hành chính / official documents.
#[derive(clap::Args)]
pub struct DocArgs {
    #[command(subcommand)]
    pub what: What,
}

#[derive(clap::Subcommand)]
pub enum What {
    /// Bản giao ước thi đua / the covenant as a paper.
    Covenant {
        #[command(flatten)]
        store: StoreArgs,
        /// Mã giao ước / the covenant's id
        #[arg(long)]
        covenant: String,
        /// Phiên bản (mặc định: đang có hiệu lực, nếu chưa có thì bản mới nhất) / version
        #[arg(long)]
        version: Option<u32>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Báo cáo kết quả chấm điểm / the results report.
    Results {
        #[command(flatten)]
        store: StoreArgs,
        /// Mã cụm / the cluster's id
        #[arg(long)]
        cluster: String,
        /// Năm / the year
        #[arg(long)]
        year: i32,
        /// Tệp quy định chấm điểm (TOML) / regulation file
        #[arg(long)]
        regulation: PathBuf,
        /// Tệp số liệu (.csv hoặc .json) / figures file
        #[arg(long)]
        figures: PathBuf,
        /// Kỳ chấm, ví dụ 2024-Y / period (default from the regulation)
        #[arg(long)]
        period: Option<String>,
        /// Địa danh / place in the date line
        #[arg(long)]
        place: String,
        /// Ngày văn bản dd/mm/yyyy / the document's date
        #[arg(long)]
        date: String,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Các văn bản đã phát hành của cụm / documents a cluster issued.
    List {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        cluster: String,
    },
    /// Ghi lại một văn bản đã phát hành / write an issued document again.
    Issued {
        #[command(flatten)]
        store: StoreArgs,
        /// SHA-256 của văn bản / the document's SHA-256
        #[arg(long)]
        sha256: String,
        /// pdf | docx
        #[arg(long, default_value = "pdf")]
        format: String,
        /// Tệp ra / output file
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
pub struct OutArgs {
    /// pdf | docx
    #[arg(long, default_value = "pdf")]
    pub format: String,
    /// Tệp ra / output file
    #[arg(long)]
    pub out: PathBuf,
    /// Phát hành: ghi vào sổ (cấp số) / issue: record it in the log (it gets its number)
    #[arg(long)]
    pub issue: bool,
}

fn format(s: &str) -> anyhow::Result<Format> {
    Format::parse(s).ok_or_else(|| anyhow!("`{s}`: pdf | docx"))
}

pub fn run(args: DocArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Covenant {
            store,
            covenant,
            version,
            out,
        } => {
            let covenant = CovenantId::parse(&covenant)?;
            write(&store, &Request::Covenant { covenant, version }, &out)
        }
        What::Results {
            store,
            cluster,
            year,
            regulation,
            figures,
            period,
            place,
            date,
            out,
        } => {
            let date = parse_date(&date).ok_or_else(|| anyhow!("`{date}`: dd/mm/yyyy"))?;
            let board = Box::new(score(regulation, figures, period)?);
            let cluster = ClusterId::parse(&cluster)?;
            let request = Request::Results {
                cluster,
                year,
                board,
                place,
                date,
            };
            write(&store, &request, &out)
        }
        What::List { store, cluster } => list(&store, &ClusterId::parse(&cluster)?),
        What::Issued {
            store,
            sha256,
            format: f,
            out,
        } => {
            let service = store.open_service()?;
            let state = service.read().state.clone();
            let doc = state
                .documents
                .iter()
                .find(|d| d.sha256 == sha256)
                .ok_or_else(|| anyhow!("không có văn bản {sha256} / no document {sha256}"))?;
            let bytes = issued_file(&service, doc, format(&f)?)?;
            save(&out, &bytes)
        }
    }
}

/// Scores the figures as `thidua score` does.
fn score(
    regulation: PathBuf,
    figures: PathBuf,
    period: Option<String>,
) -> anyhow::Result<thidua_scoring::Scoreboard> {
    let args = super::score::ScoreArgs {
        regulation,
        data: figures,
        unit: None,
        period,
        number_format: None,
        explain: false,
        json: false,
        html: false,
        xlsx: None,
    };
    let (reg, data) = super::score::load(&args)?;
    let period: PeriodKey = match &args.period {
        Some(p) => p.parse().map_err(|e| anyhow!("{e}"))?,
        None => reg.ast().period,
    };
    reg.evaluate_all(&data, period, EvalOptions::default())
        .map_err(|e| anyhow!("{e}"))
}

fn save(path: &PathBuf, bytes: &[u8]) -> anyhow::Result<ExitCode> {
    std::fs::write(path, bytes)
        .with_context(|| format!("không ghi được / cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Builds the document and writes it, issuing it first when asked.
fn write(store: &StoreArgs, request: &Request, out: &OutArgs) -> anyhow::Result<ExitCode> {
    let f = format(&out.format)?;
    let service = store.open_service()?;
    if out.issue {
        let record = issue(&service, &Actor::System, request)?;
        describe(&record);
        return save(&out.out, &issued_file(&service, &record, f)?);
    }
    let prepared = prepare(&service.read().state, request)?;
    let bytes = match &prepared.issued {
        Some(record) => {
            describe(record);
            issued_file(&service, record, f)?
        }
        None => {
            println!("xem trước / preview  sha256 {}", prepared.sha256);
            render(&prepared.document, &Verification::Preview, f)?
        }
    };
    save(&out.out, &bytes)
}

fn describe(d: &IssuedDocument) {
    println!(
        "đã phát hành / issued  {}  {}  số thứ tự trong sổ / record {}  sha256 {}",
        d.kind.key(),
        d.number_and_symbol().unwrap_or_else(|| "-".into()),
        d.index,
        d.sha256
    );
}

fn list(store: &StoreArgs, cluster: &ClusterId) -> anyhow::Result<ExitCode> {
    let service = store.open_service()?;
    let state = service.read().state.clone();
    for d in issued_by(&state, cluster) {
        println!(
            "{:>8}  {}  {:<10} {:<16} {}  {}",
            d.index,
            d.date.format("%d/%m/%Y"),
            d.kind.key(),
            d.number_and_symbol().unwrap_or_else(|| "-".into()),
            d.sha256,
            d.title
        );
    }
    Ok(ExitCode::SUCCESS)
}
