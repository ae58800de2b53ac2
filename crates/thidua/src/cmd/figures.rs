//! `thidua figures`: a unit's template, imports (a unit's figures or, with `--historical`, the
//! approved figures of earlier years), and the export of approved figures for `thidua score
//! --data`. The same reading and the same commands as the web pages and the API
//! (`thidua_import`), planned and executed as the named user (`--as`, required: the log names
//! who imported, never the console). The template and
//! the export only read: they open an existing database and its key and never create either;
//! the export also reads a server's log as a member (`--server URL --token TOKEN --log-key
//! KEY`), checked as `thidua verify` checks it, and writes the approved figures that log gives
//! (the same file the server's `GET /api/v1/covenants/{id}/figures/export` serves) and the
//! signed regulation, without trusting the server.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use thidua_domain::figures::Cell;
use thidua_domain::{Actor, Command, CovenantId, State, UnitId};
use thidua_import::template::{vi_number, FileFormat, Template, TemplateError};
use thidua_import::{
    export, plan_historical_as, plan_reports_as, HistoricalPlan, Limits, Plan, PlanError, Upload,
};

use crate::output::{self, errln, sayln, Access, Existing};
use crate::storage::{ReadStoreArgs, StoreArgs};

#[derive(clap::Args)]
pub struct FiguresArgs {
    #[command(subcommand)]
    pub action: FiguresAction,
}

#[derive(clap::Subcommand)]
pub enum FiguresAction {
    /// Tải biểu mẫu của một đơn vị cho một kỳ / write a unit's template for a window.
    Template {
        /// Giao ước / covenant id, e.g. giao-uoc-cum-12-2024.
        #[arg(long)]
        covenant: String,
        /// Đơn vị, thành viên của giao ước / the unit, a member of the covenant, e.g. ca-kg.
        #[arg(long)]
        unit: String,
        /// Kỳ, ví dụ M01 / window key, e.g. M01.
        #[arg(long)]
        window: String,
        /// Tệp ra (.xlsx hoặc .csv, không nhận đuôi khác; không có đuôi: .xlsx; thay tệp cũ) /
        /// output file (.xlsx or .csv, any other extension is refused; none: a workbook; an
        /// existing one is replaced, atomically).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: ReadStoreArgs,
    },
    /// Nhập số liệu từ tệp / import figures from a file (all or nothing).
    Import {
        /// Tệp .xlsx hoặc .csv / the .xlsx or .csv file.
        file: PathBuf,
        /// Giao ước / covenant id, e.g. giao-uoc-cum-12-2024.
        #[arg(long)]
        covenant: String,
        /// Người thực hiện / the user whose act it is (required: the log names who imported
        /// figures, never the console; a unit's officer, or with --historical the cluster's
        /// secretariat; a dry run is checked as this user too).
        #[arg(long = "as")]
        actor: String,
        /// Số liệu đã phê duyệt của các năm trước (thư ký cụm) / earlier years' approved figures.
        #[arg(long)]
        historical: bool,
        /// Gửi lãnh đạo duyệt sau khi lưu / submit to the leader after saving.
        #[arg(long)]
        submit: bool,
        /// Chỉ xem trước thay đổi / only show what would change.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Xuất số liệu đã duyệt cho `thidua score --data` / export approved figures.
    Export {
        /// Giao ước / covenant id, e.g. giao-uoc-cum-12-2024.
        #[arg(long)]
        covenant: String,
        /// Đến hết kỳ / up to this window of the covenant's year, e.g. M06 (default: the whole
        /// year; with --scores, the year's last reported window).
        #[arg(long)]
        window: Option<String>,
        /// Kèm điểm tiêu chí chấm tay của tổng kết năm (self: tự chấm, final: chính thức) /
        /// also the year-end scores of the manual criteria (`self` or `final`), once the results
        /// are published: `thidua score` on the file then gives the published results.
        #[arg(long, value_parser = ["self", "final"])]
        scores: Option<String>,
        /// Tệp ra (mặc định: màn hình; thay tệp cũ) / output file (default: standard output; an
        /// existing one is replaced, atomically).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Ghi cả quy định chấm điểm đã ký (thay tệp cũ) / also write the signed regulation (for
        /// --regulation; an existing file is replaced, atomically).
        #[arg(long, value_name = "FILE.toml")]
        regulation: Option<PathBuf>,
        /// With --server: the server's log as a member reads it, checked as `thidua verify`
        /// checks it.
        #[command(flatten)]
        log: super::verify::ServerLogArgs,
        /// Without --server: an existing database (never created here).
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn run(args: FiguresArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        FiguresAction::Template {
            covenant,
            unit,
            window,
            out,
            store,
        } => {
            // The format from the extension: .xlsx or .csv, nothing else (refused before the
            // database is opened); a name without one is a workbook.
            let format = match out.extension() {
                None => FileFormat::Xlsx,
                Some(ext) => FileFormat::parse(&ext.to_string_lossy()).map_err(|e| {
                    anyhow!("{}: {} / {}", out.display(), e.message_vi, e.message_en)
                })?,
            };
            let service = store.open_read_only("")?;
            let tpl = Template::build(
                &service.read(),
                &CovenantId::parse(&covenant)?,
                &UnitId::parse(&unit)?,
                &window,
            )
            .map_err(|e| match e {
                // The domain's refusal, which `main` says in both languages.
                TemplateError::Domain(e) => anyhow::Error::from(e),
                TemplateError::NotMember(e) => anyhow!("{} / {}", e.message_vi, e.message_en),
            })?;
            let bytes = tpl.to_bytes(format)?;
            // The unit's current figures: mode 0600, written atomically.
            output::write(&out, &bytes, Access::Private, Existing::Replace)?;
            errln!("đã ghi / wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        FiguresAction::Import {
            file,
            covenant,
            actor,
            historical,
            submit,
            dry_run,
            store,
        } => import(
            &store,
            &file,
            &CovenantId::parse(&covenant)?,
            actor,
            historical,
            submit,
            dry_run,
        ),
        FiguresAction::Export {
            covenant,
            window,
            scores,
            out,
            regulation,
            log,
            store,
        } => {
            let scores = scores.as_deref().and_then(export::ManualScores::parse);
            // A reader that went away (`thidua figures export … | head`) ends it quietly.
            output::quiet_on_closed_pipe(export_figures(
                &covenant,
                (window.as_deref(), scores),
                out.as_deref(),
                regulation.as_deref(),
                &log,
                &store,
            ))
        }
    }
}

/// `thidua figures export`: the approved figures up to `window` (and the year-end `scores` of
/// the manual criteria, and the signed regulation), from a server's verified log or a
/// database, to `out` or standard output.
fn export_figures(
    covenant: &str,
    (window, scores): (Option<&str>, Option<export::ManualScores>),
    out: Option<&std::path::Path>,
    regulation: Option<&std::path::Path>,
    log: &super::verify::ServerLogArgs,
    store: &StoreArgs,
) -> anyhow::Result<ExitCode> {
    let state = match &log.server {
        Some(_) => {
            let summary = log.check(false, None)?.summary;
            // The file names the log size it was read at: the verified checkpoint's,
            // as the server's export does (hidden entries after the last readable one
            // change nothing the member reads).
            let mut state = summary.state;
            state.size = state.size.max(summary.size);
            state
        }
        None => store
            .open_read_only(super::verify::USE_SERVER, log.log_key.as_deref())?
            .read()
            .state
            .clone(),
    };
    let id = CovenantId::parse(covenant)?;
    let window = match window {
        Some(w) => w.to_owned(),
        None => export::default_window(&state, &id, scores)?,
    };
    let csv = export::data_csv_with(&state, &id, &window, scores)?;
    if let Some(path) = regulation {
        let text = &state.regulation_in_force(&id)?.0.text;
        output::write(path, text.as_bytes(), Access::Usual, Existing::Replace)?;
        errln!("đã ghi / wrote {}", path.display());
    }
    // Written atomically: a failed export leaves a previous one unchanged.
    match out {
        Some(path) => {
            output::write(path, csv.as_bytes(), Access::Private, Existing::Replace)?;
            errln!("đã ghi / wrote {}", path.display());
        }
        None => output::print(csv.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Missing => "(trống / blank)".into(),
        Cell::NotApplicable => "không áp dụng / n.a.".into(),
        Cell::Number(d) => vi_number(d),
    }
}

/// Decides the commands against a scratch copy of the state at the log's clock (`now_ms`), as
/// the append would: what the domain would refuse, as its refusal (which `main` says in both
/// languages).
fn check(state: &State, actor: &Actor, now_ms: i64, commands: &[Command]) -> anyhow::Result<()> {
    thidua_web::api::dry_run_all(state, actor, now_ms, commands).map_err(|(_, e)| e.into())
}

/// What a historical import holds: its counts, and each unit's years and windows.
fn say_historical(plan: &HistoricalPlan) -> anyhow::Result<()> {
    let years: Vec<String> = plan.years.iter().map(i32::to_string).collect();
    sayln!(
        "nhập lịch sử / historical import: {} báo cáo / reports, {} số liệu / values, {} đơn vị / units, năm / years {}, sha256 {}",
        plan.reports,
        plan.values,
        plan.units.len(),
        years.join(", "),
        plan.sha256
    )?;
    for y in plan.by_unit_year() {
        sayln!(
            "  {} {}: {} kỳ / windows ({}), {} số liệu / values",
            y.unit,
            y.year,
            y.windows.len(),
            y.windows.join(", "),
            y.values
        )?;
    }
    Ok(())
}

/// Each report an import changes with its number of changes; on a dry run, each change (old
/// → new value, and comment).
fn say_reports(plan: &Plan, dry_run: bool) -> anyhow::Result<()> {
    for r in &plan.reports {
        sayln!(
            "{} {}-{}: {} thay đổi / changes",
            r.unit,
            r.year,
            r.window,
            r.changes.len()
        )?;
        if !dry_run {
            continue;
        }
        for c in &r.changes {
            sayln!(
                "  {} ({}): {} → {}",
                c.element,
                c.name,
                cell(&c.before),
                cell(&c.after)
            )?;
            if let Some((before, after)) = &c.comment {
                let said = |c: &Option<String>| c.clone().unwrap_or_else(|| "—".into());
                sayln!(
                    "    ghi chú / comment: «{}» → «{}»",
                    said(before),
                    said(after)
                )?;
            }
        }
    }
    Ok(())
}

fn import(
    store: &StoreArgs,
    file: &std::path::Path,
    covenant: &CovenantId,
    actor: String,
    historical: bool,
    submit: bool,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file)
        .with_context(|| format!("không đọc được / cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upload = Upload {
        file_name: &name,
        bytes: &bytes,
    };
    // An import acts on an existing log: a mistyped --data creates no deployment.
    let service = store.open_existing_running()?.0;
    let state = service.read();
    let actor = super::acting_user(&state, &actor)?;
    // The covenant and its reporting form, refused by the domain as the web refuses them
    // before reading a file.
    state.reporting_form(covenant)?;
    // Planned for the actor, as the web plans: who may not make the import is refused before
    // anything of the units' figures is read, let alone printed.
    let refused = |e: PlanError| match e {
        PlanError::File(e) => {
            anyhow!("tệp có lỗi, không nhập gì / the file has errors, nothing imported:\n{e}")
        }
        PlanError::Refused(e) => anyhow::Error::from(e),
        // Only a file sent for one report is refused so; the command names none.
        e @ PlanError::OtherReport(_) => anyhow!("{e}"),
    };
    let commands = if historical {
        let plan = plan_historical_as(&state, &actor, covenant, upload, &Limits::default())
            .map_err(refused)?;
        say_historical(&plan)?;
        vec![plan.command]
    } else {
        let plan = plan_reports_as(&state, &actor, covenant, upload, &Limits::default())
            .map_err(refused)?;
        say_reports(&plan, dry_run)?;
        plan.commands(submit)
    };
    check(&state, &actor, service.now_ms(), &commands)?;
    if dry_run {
        sayln!("xem trước, chưa ghi gì / dry run, nothing written")?;
        return Ok(ExitCode::SUCCESS);
    }
    drop(state);
    let receipt = service.execute_all(&actor, commands)?;
    sayln!(
        "đã ghi {} sự kiện từ chỉ mục {} / appended {} events from index {}",
        receipt.count,
        receipt.first_index,
        receipt.count,
        receipt.first_index
    )?;
    Ok(ExitCode::SUCCESS)
}
