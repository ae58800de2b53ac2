//! The `thidua` binary: parses the command line and dispatches to one module per command.
#![forbid(unsafe_code)]
// The commands' doc comments are their `--help` text, where an address is written plainly.
#![allow(rustdoc::bare_urls)]
// Standard error is written through `output::errln!`, which a closed stderr never panics.
#![deny(clippy::print_stderr)]
// Standard output through `output::outln!` or `output::sayln!`: a closed pipe never panics.
#![deny(clippy::print_stdout)]

mod cmd;
mod demo;
mod demo_figures;
mod demo_vote;
mod demo_witness;
mod demo_yearend;
mod output;
mod server_lock;
mod storage;
mod terminal;

use crate::output::errln;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc: the scoring workbook and the server allocate millions of small strings across
/// threads; measured faster than the system allocator (figures in crates/thidua-scoring/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Thi Đua — giao ước thi đua giữa các đơn vị / emulation covenants between units.
#[derive(Parser)]
#[command(name = "thidua", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Chạy máy chủ / run the server.
    Serve(cmd::serve::ServeArgs),
    /// Chạy máy chủ với dữ liệu minh hoạ Cụm 12 / run the server with the Cluster 12 demonstration.
    Demo(cmd::serve::DemoArgs),
    /// Cập nhật lược đồ cơ sở dữ liệu / run the database migrations.
    Migrate(cmd::migrate::MigrateArgs),
    /// Sao lưu trực tuyến cơ sở dữ liệu SQLite / consistent online copy of the SQLite database.
    Backup(cmd::backup::BackupArgs),
    /// Liệt kê sự kiện của nhật ký / list the log's events.
    ///
    /// Mỗi dòng: số thứ tự, thời điểm ghi (giờ Việt Nam, UTC+7), loại sự kiện, đơn vị, người
    /// thực hiện, 8 byte đầu của mã băm lá / each line: the index, the time recorded (Vietnam
    /// time, UTC+7), the kind, the unit, the actor, the first 8 bytes of the leaf hash.
    Log(cmd::log::LogArgs),
    /// Tài khoản: tạo quản trị viên, đặt lại mật khẩu / accounts: create an administrator, reset a password.
    User(cmd::user::UserArgs),
    /// Đo hiệu năng trên cơ sở dữ liệu thật / benchmarks against the real database.
    Bench(cmd::bench::BenchArgs),
    /// Chấm điểm ngoại tuyến theo quy định chấm điểm / score offline with a regulation.
    Score(cmd::score::ScoreArgs),
    /// Số liệu: biểu mẫu, nhập, xuất / figures: template, import, export.
    Figures(cmd::figures::FiguresArgs),
    /// Nhân chứng: kiểm tra và đồng ký bản chốt sổ / witness: check and cosign checkpoints.
    Witness(cmd::witness::WitnessArgs),
    /// Phân công chấm chéo, tính lại từ nhật ký / the cross-inspection draw, recomputed from the log.
    Assign(cmd::assign::AssignArgs),
    /// Kiểm tra độc lập toàn bộ nhật ký / independently verify the whole log.
    Verify(cmd::verify::VerifyArgs),
    /// Xuất nhật ký dạng tlog-tiles tĩnh / static C2SP tlog-tiles export.
    ExportTiles(cmd::export_tiles::ExportTilesArgs),
    /// Văn bản hành chính (PDF, DOCX): giao ước, kết quả / official documents.
    Doc(cmd::doc::DocArgs),
    /// Bỏ phiếu kín, mã hoá trên máy này / cast a secret ballot, encrypted on this machine.
    Vote(cmd::vote::VoteArgs),
    /// Đơn vị giữ khoá: tạo khoá, giải mã kết quả / key trustee: key ceremony, decryption.
    Trustee(cmd::vote::TrusteeArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return options_error(&e),
    };
    init_logging();
    let result = match cli.command {
        Command::Serve(args) => cmd::serve::run(args),
        Command::Demo(args) => cmd::serve::run_demo(args),
        Command::Migrate(args) => cmd::migrate::run(args),
        Command::Backup(args) => cmd::backup::run(args),
        Command::Log(args) => cmd::log::run(args),
        Command::Score(args) => cmd::score::run(args),
        Command::Figures(args) => cmd::figures::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::User(args) => cmd::user::run(args),
        Command::Witness(args) => cmd::witness::run(args),
        Command::Verify(args) => cmd::verify::run(args),
        Command::Assign(args) => cmd::assign::run(args),
        Command::ExportTiles(args) => cmd::export_tiles::run(args),
        Command::Doc(args) => cmd::doc::run(args),
        Command::Vote(args) => cmd::vote::run_vote(args),
        Command::Trustee(args) => cmd::vote::run_trustee(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            match refusal(&err) {
                // A refusal of the domain: the interface's Vietnamese sentence, then the
                // details in English (ids, values), as the web shows them.
                Some(e) => errln!(
                    "lỗi: {}\nerror: {err:#}",
                    thidua_web::i18n::Lang::Vi.refusal(e)
                ),
                None => match corrupt_at(&err) {
                    Some(index) => errln!(
                        "lỗi: nhật ký bị hỏng hoặc bị sửa ở sự kiện {index}; kiểm tra bằng \
                         `thidua verify`\nerror: {err:#}"
                    ),
                    None => errln!("lỗi / error: {err:#}"),
                },
            }
            ExitCode::FAILURE
        }
    }
}

/// Says what clap found (the help or version asked for, or a wrong option) and gives the exit
/// status: 0 for the help and the version, 1 for a wrong option — the status of every other
/// error, never clap's 2, which `thidua verify` gives only to a log it could not read.
fn options_error(e: &clap::Error) -> ExitCode {
    // Help and version are not errors; an error is said in Vietnamese first, then as clap says
    // it in English (with the option it names).
    if e.use_stderr() {
        match subcommand_after_options(e) {
            Some(sub) => errln!(
                "lỗi: lệnh con `{sub}` phải đứng ngay sau tên lệnh, trước các tuỳ chọn, ví dụ \
                 `thidua log key --data DIR`, không phải `thidua log --data DIR key` (xem \
                 --help) / a subcommand goes right after its command, before any option"
            ),
            None => errln!("lỗi: {} (xem --help)", options_error_vi(e.kind())),
        }
    }
    // A closed stream loses the words, as `errln!` does.
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The word clap took for a subcommand written after the options of a command that has both
/// (`thidua log --data DIR key`): refused as a conflict of two options, which it is not.
fn subcommand_after_options(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    if e.kind() != clap::error::ErrorKind::ArgumentConflict {
        return None;
    }
    match e.get(ContextKind::InvalidSubcommand)? {
        ContextValue::String(sub) => Some(sub.clone()),
        _ => None,
    }
}

/// What a wrong command line is, in Vietnamese.
fn options_error_vi(kind: clap::error::ErrorKind) -> &'static str {
    use clap::error::ErrorKind as K;
    match kind {
        K::MissingRequiredArgument => "thiếu tuỳ chọn bắt buộc",
        K::ArgumentConflict => "hai tuỳ chọn này không dùng cùng nhau được",
        K::UnknownArgument => "không có tuỳ chọn này",
        K::InvalidSubcommand | K::MissingSubcommand => "không có lệnh này, hoặc thiếu lệnh con",
        K::InvalidValue | K::ValueValidation | K::InvalidUtf8 => {
            "giá trị của tuỳ chọn không hợp lệ"
        }
        K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => {
            "số giá trị của tuỳ chọn không đúng"
        }
        K::NoEquals => "tuỳ chọn cần dấu = trước giá trị",
        _ => "dòng lệnh không đúng",
    }
}

/// The entry at which the log was found corrupt or altered, if that is the error.
fn corrupt_at(err: &anyhow::Error) -> Option<u64> {
    err.chain().find_map(|cause| match service_error(cause) {
        Some(thidua_service::ServiceError::Corrupt { index, .. }) => Some(*index),
        _ => None,
    })
}

/// The domain's refusal behind an error, if it is one: itself, or carried by the service.
fn refusal(err: &anyhow::Error) -> Option<&thidua_domain::DomainError> {
    err.chain().find_map(|cause| {
        cause
            .downcast_ref::<thidua_domain::DomainError>()
            .or(match service_error(cause) {
                Some(thidua_service::ServiceError::Domain(d)) => Some(d),
                _ => None,
            })
    })
}

/// The service's error `cause` is, or carries as a document's issuing does (its errors are
/// transparent, so the service's is not in the chain of causes).
fn service_error<'a>(
    cause: &'a (dyn std::error::Error + 'static),
) -> Option<&'a thidua_service::ServiceError> {
    use thidua_docs::issue::IssueError;
    cause
        .downcast_ref::<thidua_service::ServiceError>()
        .or_else(|| match cause.downcast_ref::<IssueError>() {
            Some(IssueError::Service(s)) => Some(s),
            _ => None,
        })
}

/// Logs on standard error: plain text, or one JSON object per line with
/// `THIDUA_LOG_FORMAT=json`; the filter from `THIDUA_LOG` (default `info`).
fn init_logging() {
    // Driver directives come last so that no filter can make the PostgreSQL driver log
    // statement parameters (password hashes, session digests).
    let filter = tracing_subscriber::EnvFilter::new(format!(
        "{},{}",
        std::env::var("THIDUA_LOG").unwrap_or_else(|_| "info".into()),
        thidua_web::REQUIRED_LOG_DIRECTIVES
    ));
    // Colours only on a terminal: a log written to a file or a pipe stays plain text.
    // A log line that cannot be written (standard error closed) is lost quietly: the
    // subscriber's own report of it would go to the same closed stream with `eprintln!`.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .log_internal_errors(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    if std::env::var("THIDUA_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().with_current_span(true).init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every subcommand and every argument an operator can give says what it is in `--help`
    /// (a blank line beside `--covenant` or `<USER>` left them guessing).
    #[test]
    fn every_command_and_argument_has_help() {
        fn walk(cmd: &clap::Command, path: &str, blank: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && !arg.is_hide_set() && arg.get_help().is_none() {
                    blank.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                if sub.get_name() != "help" && sub.get_about().is_none() {
                    blank.push(path.clone());
                }
                walk(sub, &path, blank);
            }
        }
        let mut blank = Vec::new();
        walk(&Cli::command(), "thidua", &mut blank);
        assert!(blank.is_empty(), "without help: {blank:#?}");
    }
}
