//! `thidua score`: offline recomputation of scores from a regulation and a data file, so any
//! member of a cluster can recompute any published result without a server.
use anyhow::{anyhow, Context};
use std::path::PathBuf;
use std::process::ExitCode;
use thidua_scoring::{compile, explain::Status, render, workbook, Dataset, EvalOptions, PeriodKey};

/// Chấm điểm ngoại tuyến / offline scoring.
#[derive(clap::Args)]
pub struct ScoreArgs {
    /// Tệp quy định chấm điểm (TOML) / regulation file
    #[arg(long)]
    pub regulation: PathBuf,
    /// Tệp số liệu (.csv hoặc .json) / data file
    #[arg(long)]
    pub data: PathBuf,
    /// Chỉ một đơn vị / only this unit (ranking still uses all units)
    #[arg(long)]
    pub unit: Option<String>,
    /// Kỳ chấm (mặc định theo quy định), ví dụ 2024-Y, 2024-H1 / period, default from the regulation
    #[arg(long)]
    pub period: Option<String>,
    /// In giải trình từng tiêu chí / print the explanation of every criterion
    #[arg(long)]
    pub explain: bool,
    /// In kết quả dạng JSON / print JSON
    #[arg(long)]
    pub json: bool,
    /// In đoạn HTML / print an HTML fragment
    #[arg(long)]
    pub html: bool,
    /// Ghi sổ tính Excel có công thức / write an auditable workbook
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: Option<PathBuf>,
}

pub fn run(args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let reg_text = std::fs::read_to_string(&args.regulation).with_context(|| {
        format!(
            "không đọc được tệp quy định / cannot read regulation {}",
            args.regulation.display()
        )
    })?;
    let reg = compile(&reg_text).map_err(|d| {
        anyhow!(
            "quy định không hợp lệ / invalid regulation {}:\n{d}",
            args.regulation.display()
        )
    })?;
    let data_text = std::fs::read_to_string(&args.data).with_context(|| {
        format!(
            "không đọc được tệp số liệu / cannot read data {}",
            args.data.display()
        )
    })?;
    let is_json = args
        .data
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if is_json {
        Dataset::from_json(&data_text)
    } else {
        Dataset::from_csv(&data_text)
    };
    let list = |errs: Vec<thidua_scoring::DataError>| {
        errs.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let data = parsed.map_err(|e| {
        anyhow!(
            "tệp số liệu có lỗi, không nhập gì / bad data file, nothing imported {}:\n{}",
            args.data.display(),
            list(e)
        )
    })?;
    data.check(&reg).map_err(|e| {
        anyhow!(
            "số liệu không khớp quy định / data does not fit the regulation {}:\n{}",
            args.data.display(),
            list(e)
        )
    })?;
    let period: PeriodKey = match &args.period {
        Some(p) => p.parse().map_err(|e| anyhow!("{e}"))?,
        None => reg.ast().period,
    };
    let opts = EvalOptions {
        trace: args.explain || args.json || args.html || args.xlsx.is_some(),
    };
    let mut board = reg
        .evaluate_all(&data, period, opts)
        .map_err(|e| anyhow!("{e}"))?;
    if board.units.is_empty() {
        return Err(anyhow!(
            "không có đơn vị nào có số liệu năm {} / no unit reports for {}",
            period.year,
            period.year
        ));
    }
    if let Some(path) = &args.xlsx {
        let bytes = workbook::write(&reg, &data, &board)
            .map_err(|e| anyhow!("không tạo được sổ tính / cannot build workbook: {e}"))?;
        std::fs::write(path, bytes)
            .with_context(|| format!("không ghi được / cannot write {}", path.display()))?;
    }
    if let Some(u) = &args.unit {
        if board.unit(u).is_none() {
            return Err(anyhow!("không có đơn vị `{u}` trong số liệu kỳ {period} / no unit `{u}` in the data for {period}"));
        }
        board.units.retain(|x| &x.unit == u);
    }
    if args.json {
        println!("{}", render::json(&board));
    } else if args.html {
        print!("{}", render::html(&board));
    } else if args.explain {
        print!("{}", render::text(&board));
    } else {
        print!("{}", render::summary_text(&board));
    }
    let failed: Vec<&str> = board
        .units
        .iter()
        .filter(|u| u.status == Status::Error)
        .map(|u| u.unit.as_str())
        .collect();
    let open: Vec<&str> = board
        .units
        .iter()
        .filter(|u| u.status == Status::NotScored)
        .map(|u| u.unit.as_str())
        .collect();
    if !open.is_empty() {
        eprintln!(
            "chú ý / note: còn tiêu chí chưa chấm / criteria not yet scored: {}",
            open.join(", ")
        );
    }
    if !failed.is_empty() {
        eprintln!(
            "lỗi / error: không tính được điểm của / cannot score: {} (xem --explain / see --explain)",
            failed.join(", ")
        );
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
