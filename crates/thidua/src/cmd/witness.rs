//! `thidua witness`: a member unit's witness. Without a subcommand it checks the server's newest
//! checkpoint against the last one it cosigned and cosigns it; `keygen` creates its key file;
//! `register` records a unit's witness key in the log (operator tool on the server's database).
use crate::output::{errln, sayln};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use thidua_domain::{Command, UnitId};
use thidua_transparency::client::HttpLog;
use thidua_transparency::trust::parse_log_key;
use thidua_transparency::witness::{create_key_file, load_key_file, Witness, WitnessError};

use crate::storage::StoreArgs;

/// Exit status when the log shows a forked or rewritten history.
pub const EXIT_FORK: u8 = 3;
/// Exit status when the log no longer counts this witness's key: its unit ceased (a merger or a
/// split recorded in the log), so cosigning again can never succeed.
pub const EXIT_CEASED: u8 = 4;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WitnessArgs {
    #[command(subcommand)]
    pub command: Option<WitnessCommand>,
    /// Máy chủ / the log server, e.g. http://thidua.cum12.example
    #[arg(long, env = "THIDUA_SERVER")]
    pub server: Option<String>,
    /// Tệp khoá nhân chứng / the witness key file (from `thidua witness keygen`).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Tệp trạng thái / state file: the last checkpoint this witness cosigned.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Đơn vị / the unit this witness speaks for (default: the key name up to its first '.').
    #[arg(long)]
    pub unit: Option<String>,
    /// Khoá công khai của nhật ký / the log's verifier key.
    #[arg(long, env = "THIDUA_LOG_KEY")]
    pub log_key: Option<String>,
    /// Tệp CA (PEM) / also trust the CAs in this PEM file for an https:// server (besides
    /// Mozilla's and the system's roots), e.g. an organisation's own CA.
    #[arg(long, env = "THIDUA_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    /// Tệp tin cậy / trust file with a `log <key>` line.
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// Thư mục bằng chứng / where evidence of a fork is saved (default: beside the state file).
    #[arg(long)]
    pub evidence: Option<PathBuf>,
    /// Chạy liên tục / keep witnessing every this many seconds (stops at the first fork).
    #[arg(long)]
    pub every: Option<u64>,
}

#[derive(clap::Subcommand)]
pub enum WitnessCommand {
    /// Tạo khoá nhân chứng / create a witness key file (mode 0600) and print its verifier key.
    Keygen {
        /// Tên khoá / key name, e.g. ca-kg.witness
        #[arg(long)]
        name: String,
        /// Tệp khoá / where to write the key.
        #[arg(long)]
        out: PathBuf,
    },
    /// Ghi khoá nhân chứng vào nhật ký / register a unit's witness key in the log.
    Register {
        /// Đơn vị / the member unit whose witness this is, e.g. ca-kg.
        #[arg(long)]
        unit: String,
        /// Khoá công khai / the verifier key printed by `keygen`.
        #[arg(long)]
        verifier_key: String,
        /// Người thực hiện / the unit's leader, whose act this is (required: the log names who
        /// registered a unit's witness, never the console).
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Chỉ định nhân chứng / record in the log which units' witnesses count and how many of
    /// them must cosign a checkpoint (k of n).
    Policy {
        /// Đơn vị làm nhân chứng / a designated unit (repeat, or comma-separated).
        #[arg(long = "unit", value_delimiter = ',', required = true)]
        units: Vec<String>,
        /// Số chữ ký cần có / cosignatures needed (k).
        #[arg(long)]
        quorum: u32,
        /// Người thực hiện / the administrator whose act this is (required).
        #[arg(long = "as")]
        actor: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn run(args: WitnessArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(WitnessCommand::Keygen { name, out }) => {
            let key = create_key_file(&out, &name)?;
            sayln!("{}", key.verifier().to_key_string())?;
            errln!(
                "Đã tạo / created {} (mode 0600). Lãnh đạo đơn vị ghi dòng trên vào nhật ký / the \
                 unit's leader registers the line above: thidua witness register --unit UNIT \
                 --verifier-key '…' --as LEADER --data DIR",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(WitnessCommand::Register {
            unit,
            verifier_key,
            actor,
            store,
        }) => {
            thidua_transparency::trust::parse_witness_key(&verifier_key)
                .map_err(anyhow::Error::msg)?;
            let service = store.open_existing_running()?.0;
            let actor = super::acting_user(&service.read(), &actor)?;
            let receipt = service.execute(
                &actor,
                Command::RegisterWitnessKey {
                    unit: UnitId::parse(&unit)?,
                    key: verifier_key,
                },
            )?;
            sayln!(
                "Đã ghi khoá nhân chứng của {unit} / registered the witness key of {unit} at log index {}",
                receipt.first_index
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(WitnessCommand::Policy {
            units,
            quorum,
            actor,
            store,
        }) => {
            let service = store.open_existing_running()?.0;
            let actor = super::acting_user(&service.read(), &actor)?;
            let witnesses = units
                .iter()
                .map(|u| UnitId::parse(u.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            let n = witnesses.len();
            let receipt =
                service.execute(&actor, Command::SetWitnessPolicy { witnesses, quorum })?;
            sayln!(
                "Đã ghi: {quorum} trong {n} nhân chứng / recorded: {quorum} of {n} witnesses, at log index {}",
                receipt.first_index
            )?;
            Ok(ExitCode::SUCCESS)
        }
        None => cosign(args),
    }
}

fn cosign(args: WitnessArgs) -> anyhow::Result<ExitCode> {
    let server = args.server.context(
        "thiếu --server: máy chủ của nhật ký cần đồng ký / --server is required: the log's \
         server (or a subcommand: keygen, register, policy; see --help)",
    )?;
    let key_path = args.key.context(
        "thiếu --key: tệp khoá nhân chứng (`thidua witness keygen`) / --key is required: the \
         witness key file (`thidua witness keygen`)",
    )?;
    let state = args.state.context(
        "thiếu --state: tệp ghi bản chốt sổ đã đồng ký gần nhất / --state is required: the file \
         that keeps the last checkpoint this witness cosigned",
    )?;
    let key = load_key_file(&key_path)?;
    let log_key = match (args.log_key, args.trust) {
        (Some(k), _) => parse_log_key(&k).map_err(anyhow::Error::msg)?,
        (None, Some(t)) => super::verify::read_trust(&t)?.log.with_context(|| {
            format!(
                "tệp tin cậy {} không có dòng `log` / the trust file has no `log` line",
                t.display()
            )
        })?,
        (None, None) => anyhow::bail!(
            "hãy cho khoá công khai của nhật ký bằng --log-key hoặc --trust / give the log's \
             key with --log-key or --trust"
        ),
    };
    let unit = match args.unit {
        Some(u) => u,
        None => key.name().split('.').next().unwrap_or_default().to_owned(),
    };
    let evidence = args.evidence.unwrap_or_else(|| {
        let mut dir = state.clone().into_os_string();
        dir.push(".evidence");
        PathBuf::from(dir)
    });
    let witness = Witness {
        unit: &unit,
        key: &key,
        log_key: &log_key,
        state_path: &state,
        evidence_dir: &evidence,
    };
    let client = HttpLog::with_ca(&server, None, args.ca_file.as_deref())?;
    loop {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let code = match witness.run(&client, now) {
            Ok(done) => {
                sayln!(
                    "Đã đồng ký / cosigned {server} at size {} (previously {}) as {unit}",
                    done.size,
                    done.previous
                )?;
                ExitCode::SUCCESS
            }
            Err(e @ WitnessError::Fork { .. }) => {
                errln!("!!! CẢNH BÁO / WARNING: {e}");
                errln!(
                    "!!! Không đồng ký nhật ký này. Gửi các tệp bằng chứng cho mọi đơn vị thành \
                     viên / do not cosign this log. Send the evidence files to every member unit."
                );
                return Ok(ExitCode::from(EXIT_FORK));
            }
            // The log recorded the end of this witness's unit: its key counts for no later
            // checkpoint. Said as what it is, and never retried (`--every` included).
            Err(WitnessError::Client(e)) if e.code.as_deref() == Some("witness_ceased") => {
                errln!("{}", ceased(&unit, &e));
                return Ok(ExitCode::from(EXIT_CEASED));
            }
            // The server could not be reached, or answered with an HTTP error: said as such,
            // not as a refusal by this witness.
            Err(WitnessError::Client(e)) => {
                errln!(
                    "!!! chưa đồng ký / not cosigned: {}",
                    super::verify::unreadable(&e, true)
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                errln!("!!! từ chối / refused: {e}");
                ExitCode::FAILURE
            }
        };
        match args.every {
            Some(secs) => std::thread::sleep(std::time::Duration::from_secs(secs.max(1))),
            None => return Ok(code),
        }
    }
}

/// What `thidua witness` says when the log refuses its cosignature because its unit ceased
/// (`witness_ceased`): the log's reason, and what to do instead of retrying.
fn ceased(unit: &str, e: &thidua_transparency::client::ClientError) -> String {
    format!(
        "!!! khoá nhân chứng của {unit} không còn được tính / the witness key of {unit} no longer \
         counts: {e}\n!!! Dừng đồng ký bằng khoá này; đơn vị kế thừa đăng ký khoá của mình \
         (thidua witness register) / stop cosigning with this key: the successor unit registers \
         its own (thidua witness register)"
    )
}
