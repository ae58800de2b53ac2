//! `thidua figures`: a unit's template, imports (a unit's figures or, with `--historical`, the
//! approved figures of earlier years), and the export of approved figures for `thidua score
//! --data`. The same reading and the same commands as the web pages and the API
//! (`thidua_import`), executed as the named user (`--as`), or as the operator. The template and
//! the export only read: they open an existing database and its key and never create either;
//! the export also reads a server's log as a member (`--server URL --token TOKEN --log-key
//! KEY`), checked as `thidua verify` checks it, and writes the approved figures that log gives
//! (the same file the server's `GET /api/v1/covenants/{id}/figures/export` serves) and the
//! signed regulation, without trusting the server.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use thidua_domain::figures::Cell;
use thidua_domain::{decide_and_apply, Actor, Command, CovenantId, State, UnitId};
use thidua_import::template::{vi_number, Template};
use thidua_import::{export, plan_historical, plan_reports, Limits, Upload};

use crate::output::{self, errln, sayln, Access, Existing};
use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct FiguresArgs {
    #[command(subcommand)]
    pub action: FiguresAction,
}

#[derive(clap::Subcommand)]
pub enum FiguresAction {
    /// Tải biểu mẫu của một đơn vị cho một kỳ / write a unit's template for a window.
    Template {
        #[arg(long)]
        covenant: String,
        #[arg(long)]
        unit: String,
        /// Kỳ, ví dụ M01 / window key, e.g. M01.
        #[arg(long)]
        window: String,
        /// Tệp ra (.xlsx hoặc .csv; thay tệp cũ) / output file (.xlsx or .csv; an existing one
        /// is replaced, atomically).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Nhập số liệu từ tệp / import figures from a file (all or nothing).
    Import {
        /// Tệp .xlsx hoặc .csv / the .xlsx or .csv file.
        file: PathBuf,
        #[arg(long)]
        covenant: String,
        /// Thực hiện với tư cách người dùng / act as this user (default: the operator).
        #[arg(long = "as")]
        actor: Option<String>,
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
            let service = store.open_read_only("")?;
            let tpl = Template::build(
                &service.read(),
                &CovenantId::parse(&covenant)?,
                &UnitId::parse(&unit)?,
                &window,
            )?;
            let xlsx = out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            let bytes = if xlsx { tpl.to_xlsx()? } else { tpl.to_csv() };
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
            let summary = log.check(false)?.summary;
            // The file names the log size it was read at: the verified checkpoint's,
            // as the server's export does (hidden entries after the last readable one
            // change nothing the member reads).
            let mut state = summary.state;
            state.size = state.size.max(summary.size);
            state
        }
        None => store
            .open_read_only(super::verify::USE_SERVER)?
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
    }
    // Written atomically: a failed export leaves a previous one unchanged.
    match out {
        Some(path) => output::write(path, csv.as_bytes(), Access::Private, Existing::Replace)?,
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

/// Decides the commands against a scratch copy of the state: what the domain would refuse,
/// as its refusal (which `main` says in both languages).
fn check(state: &State, actor: &Actor, commands: &[Command]) -> anyhow::Result<()> {
    let mut scratch = state.clone();
    for c in commands {
        scratch = decide_and_apply(&scratch, actor, 0, c.clone())?.1;
    }
    Ok(())
}

fn import(
    store: &StoreArgs,
    file: &std::path::Path,
    covenant: &CovenantId,
    actor: Option<String>,
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
    let actor = match actor {
        Some(u) => super::acting_user(&state, &u)?,
        None => Actor::System,
    };
    // The covenant and its reporting form, refused by the domain as the web refuses them
    // before reading a file.
    state.reporting_form(covenant)?;
    let refused = |e: thidua_import::ImportErrors| {
        anyhow!("tệp có lỗi, không nhập gì / the file has errors, nothing imported:\n{e}")
    };
    let commands = if historical {
        let plan =
            plan_historical(&state, covenant, upload, &Limits::default()).map_err(refused)?;
        sayln!(
            "nhập lịch sử / historical import: {} báo cáo / reports, {} số liệu / values, năm / years {:?}, {} đơn vị / units, sha256 {}",
            plan.reports, plan.values, plan.years, plan.units.len(), plan.sha256
        )?;
        vec![plan.command]
    } else {
        let plan = plan_reports(&state, covenant, upload, &Limits::default()).map_err(refused)?;
        for r in &plan.reports {
            sayln!(
                "{} {}-{}: {} thay đổi / changes",
                r.unit,
                r.year,
                r.window,
                r.changes.len()
            )?;
            if dry_run {
                for c in &r.changes {
                    sayln!(
                        "  {} ({}): {} → {}",
                        c.element,
                        c.name,
                        cell(&c.before),
                        cell(&c.after)
                    )?;
                }
            }
        }
        plan.commands(submit)
    };
    check(&state, &actor, &commands)?;
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
