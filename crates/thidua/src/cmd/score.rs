//! `thidua score`: offline recomputation of scores from a regulation and a data file, so any
//! member of a cluster can recompute any published result without a server. Every unit is
//! scored (the ranking needs them all); explanations are traced only when asked for, a few
//! units at a time, and written as they come, so memory stays small at national scale. A
//! closed output pipe (`… | head`) ends the command quietly.
use anyhow::{anyhow, Context};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use thidua_scoring::data::ReadOptions;
use thidua_scoring::explain::{Scoreboard, Status, UnitResult};
use thidua_scoring::input::{decode_utf8, NumberFormat};
use thidua_scoring::{
    compile, render, workbook, CompiledRegulation, Dataset, EvalOptions, PeriodKey,
};

use crate::output::{self, errln, Access, Existing};

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
    /// Cách viết số trong tệp số liệu: vi (1.234,5), en (1,234.5), plain (1234.5) / number format of the data file
    #[arg(long, value_name = "vi|en|plain", value_parser = parse_format)]
    pub number_format: Option<NumberFormat>,
    /// In giải trình từng tiêu chí / print the explanation of every criterion
    #[arg(long)]
    pub explain: bool,
    /// In kết quả dạng JSON (giải trình chỉ khi có --explain) / print JSON (traces only with --explain)
    #[arg(long)]
    pub json: bool,
    /// In đoạn HTML có giải trình / print an HTML fragment with explanations (not with --json:
    /// one output on standard output)
    #[arg(long, conflicts_with = "json")]
    pub html: bool,
    /// Ghi sổ tính Excel có công thức (thay tệp cũ) / write an auditable workbook (an existing
    /// file is replaced, atomically: a workbook is made again from the same files)
    #[arg(long, value_name = "OUT.xlsx")]
    pub xlsx: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<NumberFormat, String> {
    NumberFormat::from_name(s).ok_or_else(|| format!("`{s}`: vi | en | plain"))
}

/// How many units are explained at a time (bounds the memory of traces).
const CHUNK: usize = 256;

pub fn run(args: ScoreArgs) -> anyhow::Result<ExitCode> {
    let (reg, data) = load(&args)?;
    let period: PeriodKey = match &args.period {
        Some(p) => p.parse().map_err(|e| anyhow!("{e}"))?,
        None => reg.ast().period,
    };
    let mut board = reg
        .evaluate_all(&data, period, EvalOptions::default())
        .map_err(|e| anyhow!("{e}"))?;
    if board.units.is_empty() {
        return Err(anyhow!(
            "không có đơn vị nào có số liệu năm {} / no unit reports for {}",
            period.year,
            period.year
        ));
    }
    // A unit the data does not name is refused before anything is written: the workbook
    // already there stays as it was.
    if let Some(u) = &args.unit {
        if board.unit(u).is_none() {
            // The data file names its units by its own codes (an export writes the short
            // codes, "KG"), not by the server's ids ("ca-kg"): say which it has.
            let codes: Vec<&str> = board.units.iter().map(|x| x.unit.as_str()).collect();
            return Err(anyhow!(
                "không có đơn vị `{u}` trong số liệu kỳ {period}; tệp số liệu gọi các đơn vị là: \
                 {codes} / no unit `{u}` in the data for {period}; the data file names its units: \
                 {codes}",
                codes = codes.join(", ")
            ));
        }
    }
    if let Some(path) = &args.xlsx {
        write_workbook(path, &reg, &data, &board)?;
    }
    if let Some(u) = &args.unit {
        board.units.retain(|x| &x.unit == u);
    }
    match emit(&args, &reg, &data, &board) {
        Ok(()) => {}
        // The reader went away (`… | head`): stop quietly, as every Unix tool does.
        Err(e) if output::is_broken_pipe(&e) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e),
    }
    Ok(report(&board))
}

/// Writes the workbook of every unit's scores (`--xlsx`), whatever `--unit` shows: large
/// workbooks row by row through temporary files (bounded memory), the file atomically (never
/// a truncated workbook) and mode 0600, since it holds every unit's figures.
fn write_workbook(
    path: &std::path::Path,
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
) -> anyhow::Result<()> {
    let opts = workbook::Options {
        cached: true,
        low_memory: board.units.len() > 200,
        layout: false,
    };
    let (bytes, _) = workbook::write_with(reg, data, board, opts)
        .map_err(|e| anyhow!("không tạo được sổ tính / cannot build workbook: {e}"))?;
    output::write(path, &bytes, Access::Private, Existing::Replace)
}

pub(crate) fn load(args: &ScoreArgs) -> anyhow::Result<(CompiledRegulation, Dataset)> {
    let reg_bytes = std::fs::read(&args.regulation).with_context(|| {
        format!(
            "không đọc được tệp quy định / cannot read regulation {}",
            args.regulation.display()
        )
    })?;
    let reg_text = decode_utf8(&reg_bytes).map_err(|e| {
        let e = e.in_text_file();
        anyhow!("{}: {e}", args.regulation.display())
    })?;
    let reg = compile(reg_text).map_err(|d| {
        anyhow!(
            "quy định không hợp lệ / invalid regulation {}:\n{d}",
            args.regulation.display()
        )
    })?;
    let bytes = std::fs::read(&args.data).with_context(|| {
        format!(
            "không đọc được tệp số liệu / cannot read data {}",
            args.data.display()
        )
    })?;
    let is_json = args
        .data
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let opts = ReadOptions {
        number_format: args.number_format,
    };
    let list = |errs: Vec<thidua_scoring::DataError>| {
        errs.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let data = Dataset::from_bytes(&bytes, is_json, opts).map_err(|e| {
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
    Ok((reg, data))
}

/// Writes the asked output; explanations are traced chunk by chunk.
fn emit(
    args: &ScoreArgs,
    reg: &CompiledRegulation,
    data: &Dataset,
    board: &Scoreboard,
) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let traced = args.explain || args.html;
    let each = |out: &mut BufWriter<_>, f: &dyn Fn(&UnitResult, bool) -> String| {
        let mut first = true;
        for chunk in board.units.chunks(CHUNK) {
            let units = if traced {
                reg.explain_units(data, chunk).map_err(|e| anyhow!("{e}"))?
            } else {
                chunk.to_vec()
            };
            for u in &units {
                out.write_all(f(u, first).as_bytes())?;
                first = false;
            }
        }
        anyhow::Ok(())
    };
    if args.json {
        out.write_all(render::json_head(board).as_bytes())?;
        each(&mut out, &|u, first| {
            let sep = if first { "" } else { "," };
            format!("{sep}{}", render::json_unit(u))
        })?;
        out.write_all(render::JSON_END.as_bytes())?;
    } else if args.html {
        out.write_all(render::html_head(board).as_bytes())?;
        each(&mut out, &|u, _| render::unit_html(u))?;
        out.write_all(b"</div>\n")?;
    } else if args.explain {
        out.write_all(render::summary_text(board).as_bytes())?;
        each(&mut out, &|u, _| format!("\n{}", render::unit_text(u)))?;
    } else {
        out.write_all(render::summary_text(board).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// Notes on standard error; exit code 3 when a unit cannot be scored.
fn report(board: &Scoreboard) -> ExitCode {
    let ids = |s: Status| -> Vec<&str> {
        board
            .units
            .iter()
            .filter(|u| u.status == s)
            .map(|u| u.unit.as_str())
            .collect()
    };
    let open = ids(Status::NotScored);
    let failed = ids(Status::Error);
    if !open.is_empty() {
        errln!(
            "chú ý / note: còn tiêu chí chưa chấm / criteria not yet scored: {}",
            open.join(", ")
        );
    }
    if !failed.is_empty() {
        errln!(
            "lỗi / error: không tính được điểm của / cannot score: {} (xem --explain / see --explain)",
            failed.join(", ")
        );
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}
