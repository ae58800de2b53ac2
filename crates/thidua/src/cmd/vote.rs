//! `thidua vote` and `thidua trustee`: the voter's and the trustee's side of a secret ballot,
//! on their own machines. Secrets (the voting key, the trustee's ceremony state and key share)
//! stay in files of their own (mode 0600); only public messages go to the server, through its
//! API as any client would (`POST /api/v1/commands` with an API token).
//!
//! - `thidua vote`: encrypts the choice with `thidua_ballot`, signs it with the voting key
//!   (created and registered on first use), submits it and prints the receipt. The election
//!   key is never taken on the server's word: it is recomputed here from the key ceremony's
//!   messages in the log's entries ([`thidua_domain::votes::replay_ceremony`]), and a server
//!   reporting another key is refused before anything is encrypted.
//! - `thidua trustee step`: does this trustee's next step of the key ceremony (commit, reveal,
//!   deal, confirm, or complain about a bad share), or says what it waits for; the ceremony's
//!   messages are read from the log's entries, not from the server's report.
//! - `thidua trustee decrypt`: posts this trustee's decryption shares of a closed round's
//!   totals, recomputed here from the round's ballots in the log; totals the server reports
//!   otherwise are refused before anything is decrypted.
//!
//! Both talk HTTP(S) through the client every command uses
//! ([`thidua_transparency::client::http_agent`], `--ca-file`).
use crate::output::{errln, sayln};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use thidua_ballot::{
    rng_from_seed, Ballot, DecryptionShares, KeySet, Rng, Selection, Trustee, VoterSecret,
};
use thidua_domain::votes::{
    replay_ceremony, replay_election, CeremonyMessage, Election, VoteCommand,
};
use thidua_domain::{Command, ElectionId, Event, UnitId};
use thidua_transparency::client::{bearer, http_agent, HttpLog, LogClient, ServedNodes};
use thidua_transparency::trust::{open_log_checkpoint, parse_log_key};

/// Where the server is and who speaks.
#[derive(clap::Args)]
pub struct Connection {
    /// Máy chủ / the server, e.g. http://thidua.cum12.example
    #[arg(long, env = "THIDUA_SERVER")]
    pub server: String,
    /// Mã API của lãnh đạo đơn vị, đặt trong THIDUA_TOKEN / the unit leader's API token (made
    /// on its Account page), in THIDUA_TOKEN: on the command line it would show in the process
    /// list and the shell's history.
    #[arg(long, env = "THIDUA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Cuộc bỏ phiếu / the election id.
    #[arg(long)]
    pub election: String,
    /// Đơn vị / the unit this leader acts for.
    #[arg(long)]
    pub unit: String,
    /// Tệp CA (PEM) / also trust the CAs in this PEM file for an https:// server (besides
    /// Mozilla's and the system's roots), e.g. an organisation's own CA.
    #[arg(long, env = "THIDUA_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    /// Khoá công khai của nhật ký / the log's verifier key (`thidua log key`, printed at the
    /// server's start): the log's entries read here are checked against a checkpoint signed by
    /// it, so a server showing another history is refused. Without it, the key pinned for this
    /// server on first use (see --known-logs) is used.
    #[arg(long, env = "THIDUA_LOG_KEY")]
    pub log_key: Option<String>,
    /// Tệp khoá nhật ký đã gặp / the known-logs file (default: $XDG_CONFIG_HOME or
    /// ~/.config, thidua/known-logs): the key a server publishes is pinned there on first use.
    #[arg(long, env = "THIDUA_KNOWN_LOGS")]
    pub known_logs: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct VoteArgs {
    #[command(flatten)]
    pub conn: Connection,
    /// Đồng ý các đơn vị / approve these candidates (unit ids, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub approve: Vec<String>,
    /// Không biểu quyết / abstain.
    #[arg(long, conflicts_with = "approve")]
    pub abstain: bool,
    /// Không đồng ý ai / approve nobody.
    #[arg(long, conflicts_with_all = ["approve", "abstain"])]
    pub none: bool,
    /// Tệp khoá bỏ phiếu / the voting key file (created, mode 0600, when missing).
    #[arg(long)]
    pub key: PathBuf,
}

#[derive(clap::Args)]
pub struct TrusteeArgs {
    #[command(subcommand)]
    pub command: TrusteeCommand,
}

#[derive(clap::Subcommand)]
pub enum TrusteeCommand {
    /// Bước tiếp theo của việc tạo khoá / this trustee's next key-ceremony step.
    Step {
        #[command(flatten)]
        conn: Connection,
        /// Tệp trạng thái bí mật / the trustee's secret state file (mode 0600).
        #[arg(long)]
        state: PathBuf,
    },
    /// Gửi phần giải mã / post this trustee's decryption shares of a closed round.
    Decrypt {
        #[command(flatten)]
        conn: Connection,
        /// Tệp trạng thái bí mật đã lưu khi tạo khoá / the trustee's secret state file kept
        /// from the key ceremony.
        #[arg(long)]
        state: PathBuf,
        /// Vòng / the round (default: the last).
        #[arg(long)]
        round: Option<u32>,
    },
}

/// The server's API, as the unit's leader.
struct Api<'a> {
    conn: &'a Connection,
    agent: ureq::Agent,
}

impl<'a> Api<'a> {
    fn new(conn: &'a Connection) -> anyhow::Result<Self> {
        Ok(Self {
            conn,
            agent: http_agent(conn.ca_file.as_deref())?,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.conn.server.trim_end_matches('/'))
    }

    fn election(&self) -> anyhow::Result<Election> {
        let url = self.url(&format!("/api/v1/elections/{}", self.conn.election));
        let body: serde_json::Value = self
            .agent
            .get(&url)
            .set(
                "authorization",
                &bearer(self.conn.token.as_deref().unwrap_or_default())?,
            )
            .call()
            .map_err(describe)?
            .into_json()?;
        let e: Election = serde_json::from_value(body["election"].clone())?;
        check_not_cancelled(&e)?;
        Ok(e)
    }

    /// Executes a vote command; returns the log index of its first event.
    fn post(&self, command: VoteCommand) -> anyhow::Result<u64> {
        let body: serde_json::Value = self
            .agent
            .post(&self.url("/api/v1/commands"))
            .set(
                "authorization",
                &bearer(self.conn.token.as_deref().unwrap_or_default())?,
            )
            .send_json(serde_json::to_value(Command::Vote(command))?)
            .map_err(describe)?
            .into_json()?;
        body["first_index"].as_u64().context("the server's receipt")
    }

    /// The server's log, read as this leader.
    fn log(&self) -> anyhow::Result<HttpLog> {
        Ok(HttpLog::with_ca(
            &self.conn.server,
            self.conn.token.clone(),
            self.conn.ca_file.as_deref(),
        )?)
    }

    /// The log's events from `start` to `end` (exclusive) that this leader may read, each
    /// checked against the leaf hash the log serves for it and the whole
    /// range against the log's signed checkpoint ([`Self::check_signed`]).
    fn logged_events(&self, start: u64, end: u64) -> anyhow::Result<Vec<Event>> {
        let log = self.log()?;
        let mut events = Vec::new();
        let mut leaves = Vec::new();
        while start + (leaves.len() as u64) < end {
            let next = start + leaves.len() as u64;
            let chunk = log.entries(next, end)?;
            if chunk.is_empty() {
                bail!("the log served no entries from {next}");
            }
            for entry in chunk {
                if entry.index != start + leaves.len() as u64 {
                    bail!("the log served entry {} out of order", entry.index);
                }
                leaves.push(entry.leaf_hash);
                let Some(bytes) = entry.bytes else { continue };
                if thidua_ledger::leaf_hash(&bytes) != entry.leaf_hash {
                    bail!("entry {} does not match its leaf hash", entry.index);
                }
                events.push(Event::decode(entry.index, &bytes)?);
            }
        }
        self.check_signed(&log, start, &leaves)?;
        Ok(events)
    }

    /// The log's key: `--log-key`, else the one pinned for the server on first use.
    fn log_key(&self) -> anyhow::Result<String> {
        if let Some(key) = &self.conn.log_key {
            return Ok(key.clone());
        }
        let path = self
            .conn
            .known_logs
            .clone()
            .or_else(super::known_logs::default_path)
            .context("no --log-key, and no home folder for the known-logs file (--known-logs)")?;
        super::known_logs::key_for(&path, &self.conn.server, || {
            Ok(self
                .agent
                .get(&self.url("/api/v1/log/key"))
                .call()
                .map_err(describe)?
                .into_string()?)
        })
    }

    /// The leaves `start..` are those of the tree the log's newest checkpoint
    /// signs. The root is recomputed from these leaves and, elsewhere in the tree only, the
    /// nodes the server serves ([`thidua_ledger::root_with_leaves`]).
    fn check_signed(
        &self,
        log: &HttpLog,
        start: u64,
        leaves: &[thidua_ledger::Hash],
    ) -> anyhow::Result<()> {
        let key = parse_log_key(&self.log_key()?).map_err(anyhow::Error::msg)?;
        let checkpoint = open_log_checkpoint(&log.checkpoint()?, &key)
            .map_err(|e| {
                anyhow::anyhow!(
                    "bản chốt sổ của nhật ký không được ký bằng khoá nhật ký máy này dùng cho máy \
                     chủ (--log-key, hoặc khoá đã ghi nhớ): không mã hoá, không gửi gì; nếu cụm \
                     đã công bố khoá mới, hãy cho khoá đó bằng --log-key / the log's checkpoint \
                     is not signed by the log key this machine uses for the server (--log-key, \
                     or the one pinned): nothing was encrypted or sent; if the cluster announced \
                     a new key, pass it with --log-key ({e})"
                )
            })?
            .checkpoint;
        let root =
            thidua_ledger::root_with_leaves(checkpoint.size, start, leaves, &ServedNodes(log))
                .map_err(|e| anyhow::anyhow!("the log's tree: {e}"))?;
        if root != checkpoint.root {
            bail!(
                "các mục {start}–{end} máy chủ gửi không phải của nhật ký nó đã ký (kích thước \
                 {size}): máy chủ không cho thấy lịch sử đã ký của mình; không làm gì cả / the \
                 entries {start}–{end} the server served are not those of the log it signed \
                 (size {size}): the server is not showing its signed history; nothing was done",
                end = start + leaves.len() as u64,
                size = checkpoint.size
            );
        }
        Ok(())
    }

    /// The log's size, from its newest signed checkpoint (the note's second line).
    fn log_size(&self) -> anyhow::Result<u64> {
        let note = self.log()?.checkpoint()?;
        note.lines()
            .nth(1)
            .and_then(|l| l.parse().ok())
            .context("the log's checkpoint names no size")
    }

    /// The election replayed here from the log's events up to `end` (exclusive), rather than
    /// as the server reports it ([`thidua_domain::votes::replay_election`]).
    fn logged_election(&self, e: &Election, end: u64) -> anyhow::Result<Election> {
        let events = self.logged_events(e.opened_at, end)?;
        replay_election(&e.id, &events)
            .map_err(|err| anyhow::anyhow!("the election in the log: {err}"))?
            .with_context(|| format!("the log does not open {}", e.id))
    }

    /// The election key recomputed here from the key ceremony's messages in the log; refuses
    /// when the key the server reports (`reported`) is another.
    fn logged_key(&self, e: &Election, reported: &KeySet) -> anyhow::Result<KeySet> {
        let end = e
            .ceremony
            .completed_at
            .context("the server reports no completed key ceremony")?;
        let events = self.logged_events(e.opened_at, end + 1)?;
        let logged = replay_ceremony(&e.id, &events)
            .map_err(|err| anyhow::anyhow!("the key ceremony in the log: {err}"))?
            .with_context(|| format!("the key ceremony of {} is not complete in the log", e.id))?;
        if logged.election_key() != reported.election_key() {
            bail!(
                "KHOÁ KHÔNG KHỚP / KEY MISMATCH: khoá bầu cử máy chủ báo khác khoá tính lại từ \
                 các thông điệp tạo khoá của các đơn vị giữ khoá trong sổ ghi; phiếu chưa được \
                 mã hoá, chưa gửi gì / the election key the server reports differs from the key \
                 recomputed from the trustees' key-ceremony messages in the log; nothing was \
                 encrypted or sent. Report this to the cluster's secretariat and the trustees."
            );
        }
        Ok(logged)
    }

    /// Refuses a token that is not the leader of `--unit` (only a unit's leader votes and
    /// takes part in the key ceremony for it), as `GET /api/v1/me` lists the token's roles:
    /// asked before any secret file is written on this machine, so that a refusal leaves none.
    fn check_leader(&self) -> anyhow::Result<()> {
        let me: serde_json::Value = self
            .agent
            .get(&self.url("/api/v1/me"))
            .set(
                "authorization",
                &bearer(self.conn.token.as_deref().unwrap_or_default())?,
            )
            .call()
            .map_err(describe)?
            .into_json()?;
        let unit = &self.conn.unit;
        let role = format!("leader:{unit}");
        let roles: Vec<&str> = me["roles"]
            .as_array()
            .map(|r| r.iter().filter_map(|r| r.as_str()).collect())
            .unwrap_or_default();
        if !roles.contains(&role.as_str()) {
            bail!(
                "mã API này của {user} không phải của lãnh đạo {unit}: không ghi, không gửi gì / \
                 this token is {user}'s, who is not the leader of {unit} (roles: {}): only the \
                 unit's leader acts for it; nothing was written or sent",
                if roles.is_empty() {
                    "-".to_owned()
                } else {
                    roles.join(", ")
                },
                user = me["id"].as_str().unwrap_or("?"),
            );
        }
        Ok(())
    }

    fn ids(&self) -> anyhow::Result<(ElectionId, UnitId)> {
        Ok((
            ElectionId::parse(&self.conn.election)?,
            UnitId::parse(&self.conn.unit)?,
        ))
    }
}

/// An HTTP error with the server's code and message.
pub(crate) fn describe(e: ureq::Error) -> anyhow::Error {
    match e {
        ureq::Error::Status(status, response) => {
            let body = response.into_string().unwrap_or_default();
            refused(status, &body)
        }
        other => anyhow::anyhow!("không kết nối được máy chủ / cannot reach the server: {other}"),
    }
}

/// A server's refusal said in both languages: what its status means for the caller, then
/// the refusal's code and message as the API gives them (`client::api_refusal`).
fn refused(status: u16, body: &str) -> anyhow::Error {
    let meaning = match status {
        401 => "mã API sai hoặc đã bị thu hồi / the API token is wrong or revoked",
        403 => "tài khoản này không được làm việc này / this account may not do this",
        404 => {
            "không có, hoặc tài khoản này không được xem / not found, or not visible to this \
             account"
        }
        409 | 422 => "máy chủ không nhận / not accepted",
        _ => "máy chủ từ chối / refused",
    };
    anyhow::anyhow!(
        "{meaning}: HTTP {status}{}",
        thidua_transparency::client::api_refusal(body.trim())
    )
}

fn os_rng() -> Rng {
    let mut seed = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut seed);
    rng_from_seed(seed)
}

/// Writes a secret file readable by its owner only.
fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("{}", tmp.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Refuses to act on an election the secretariat cancelled: nothing about it is taken any more
/// (the server would refuse it too), so nothing is made or sent.
fn check_not_cancelled(e: &Election) -> anyhow::Result<()> {
    if let Some(c) = &e.cancelled {
        bail!(
            "cuộc bỏ phiếu {id} đã bị Văn phòng cụm huỷ (mục {index} của sổ ghi; lý do: {reason}):              không tạo, không gửi gì / the vote {id} was cancelled by the cluster's secretariat              (record {index}; reason: {reason}): nothing was made or sent",
            id = e.id,
            index = c.index,
            reason = c.reason,
        );
    }
    Ok(())
}

/// The choice `args` give for `round`: abstain, approve none, or approve the named candidates
/// (each a candidate of the round, named once).
fn selection(args: &VoteArgs, round: &thidua_domain::votes::Round) -> anyhow::Result<Selection> {
    if args.abstain {
        return Ok(Selection::Abstain);
    }
    if args.none {
        return Ok(Selection::Approve(Vec::new()));
    }
    if args.approve.is_empty() {
        bail!(
            "chọn --approve ĐƠN_VỊ,ĐƠN_VỊ…, --abstain hoặc --none / give --approve UNIT,UNIT…, \
             --abstain or --none"
        );
    }
    let mut positions = Vec::new();
    for a in &args.approve {
        let a = a.trim();
        let p = round
            .candidates
            .iter()
            .position(|c| c.as_str() == a)
            .with_context(|| {
                format!(
                    "{a} không phải ứng viên của vòng {n} / {a} is not a candidate of round {n}",
                    n = round.number
                )
            })? as u32;
        anyhow::ensure!(
            !positions.contains(&p),
            "{a} được chọn hai lần / {a} is approved twice: name each candidate once"
        );
        positions.push(p);
    }
    anyhow::ensure!(
        positions.len() <= round.seats as usize,
        "vòng {n} chọn được nhiều nhất {s} đơn vị, đã chọn {c} / round {n} lets a voter approve \
         at most {s} candidates, {c} were given",
        n = round.number,
        s = round.seats,
        c = positions.len()
    );
    Ok(Selection::Approve(positions))
}

/// The voter's secret key read from `path`, or a new one when there is no file yet (`true`:
/// written only once a ballot has been made with it).
fn voter_secret(path: &Path, rng: &mut Rng) -> anyhow::Result<(VoterSecret, bool)> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((VoterSecret::parse(text.trim())?, false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok((VoterSecret::generate(rng), true))
        }
        Err(e) => Err(e).with_context(|| format!("{}", path.display())),
    }
}

pub fn run_vote(args: VoteArgs) -> anyhow::Result<ExitCode> {
    let api = Api::new(&args.conn)?;
    let (election, unit) = api.ids()?;
    let mut rng = os_rng();
    let e = api.election()?;
    let Some(round) = e.current_round() else {
        bail!(
            "không có vòng nào của {election} đang nhận phiếu / no round of {election} is open \
             for ballots"
        );
    };
    let Some(reported) = e.keys() else {
        bail!(
            "các đơn vị giữ khoá chưa tạo xong khoá của {election} / the trustees have not \
             finished generating the key of {election}"
        );
    };
    // Who may vote, before anything is made: a member of the election, by its leader.
    e.trustee_index(&unit)?;
    api.check_leader()?;
    // The choice before anything is remembered: a wrong one leaves no log key recorded.
    let selection = selection(&args, round)?;
    let keys = api.logged_key(&e, reported)?;
    let (secret, created) = voter_secret(&args.key, &mut rng)?;
    // The ballot first: a choice it refuses (more approvals than seats) leaves no key file
    // and no record behind.
    let ballot = Ballot::create(
        &e.ballot_context(round),
        keys.election_key(),
        &secret,
        &selection,
        &mut rng,
    )?;
    if created {
        write_secret(&args.key, &secret.to_hex())?;
        errln!(
            "Đã tạo khoá bỏ phiếu / created the voting key {}",
            args.key.display()
        );
    }
    let registered = e.voter_keys.get(&unit).map(|(k, _)| k.clone());
    if registered.as_ref() != Some(&secret.public()) {
        let registration = api.post(VoteCommand::RegisterVoterKey {
            election: election.clone(),
            unit: unit.clone(),
            key: secret.public(),
        });
        // A key the server refused to register (not the unit's leader, say) is no one's key:
        // the file made for it goes too.
        if registration.is_err() && created {
            let _ = std::fs::remove_file(&args.key);
        }
        let index = registration.context(
            "đăng ký khoá bỏ phiếu / registering the voting key (only the unit's leader votes for it)",
        )?;
        errln!("Đã đăng ký khoá bỏ phiếu / registered the voting key at record {index}");
    }
    let hash = ballot.hash();
    // The ballot this one replaces, if the unit voted before in this round.
    let replaced = round.ballots.get(&unit).map(|b| b.index);
    let index = api.post(VoteCommand::CastBallot {
        election,
        round: round.number,
        unit,
        ballot: Box::new(ballot),
    })?;
    sayln!("Biên nhận / receipt")?;
    sayln!("  mã băm phiếu / ballot hash   {hash}")?;
    sayln!("  số thứ tự trong sổ / record  {index}")?;
    sayln!(
        "  kiểm tra / check             {}/elections/{}/receipt?index={index}&hash={hash}",
        args.conn.server.trim_end_matches('/'),
        args.conn.election
    )?;
    // The key this vote checked the log with; the token is read from THIDUA_TOKEN.
    sayln!(
        "  hoặc / or                    thidua verify --no-state --server {} --log-key '{}' \
         --receipt {index}:{hash}   (THIDUA_TOKEN: mã API của lãnh đạo / the leader's API token)",
        args.conn.server.trim_end_matches('/'),
        api.log_key()?
    )?;
    if let Some(earlier) = replaced {
        sayln!(
            "  thay phiếu trước / replaces   the ballot at record {earlier}, which no longer \
             counts (phiếu đó không còn được tính)"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The trustee's file: its secret state and a message not yet acknowledged by the server.
#[derive(Serialize, Deserialize)]
struct TrusteeFile {
    trustee: Trustee,
    pending: Option<CeremonyMessage>,
}

/// Refused unless the state file at `path` is trustee `i`'s, the index `--unit` has in the
/// election: another unit's file would post shares made from another unit's secret.
fn check_trustee_file(file: &TrusteeFile, i: u32, unit: &str, path: &Path) -> anyhow::Result<()> {
    if file.trustee.index != i {
        bail!(
            "tệp trạng thái {p} là của đơn vị giữ khoá số {have}, không phải của {unit} (số {i}): \
             chưa gửi gì; hãy dùng tệp đã ghi cho {unit} / the state file {p} is trustee \
             {have}'s, not {unit}'s (trustee {i}): nothing was sent; give the file written for \
             {unit}",
            p = path.display(),
            have = file.trustee.index,
        );
    }
    Ok(())
}

fn load_trustee(path: &Path) -> anyhow::Result<Option<TrusteeFile>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{0} không phải tệp trạng thái của đơn vị giữ khoá (tệp JSON do `thidua trustee \
                 step` ghi) / {0} is not a trustee's state file (the JSON file `thidua trustee \
                 step` writes): {e}",
                path.display()
            )
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => {
            Err(e).with_context(|| format!("không đọc được / cannot read {}", path.display()))
        }
    }
}

fn save_trustee(path: &Path, file: &TrusteeFile) -> anyhow::Result<()> {
    write_secret(path, &serde_json::to_string(file)?)
}

/// Writes a trustee's state file as `thidua trustee` keeps it (for the demonstration's
/// trustees, whose ceremony one program ran).
pub(crate) fn save_trustee_state(path: &Path, trustee: &Trustee) -> anyhow::Result<()> {
    save_trustee(
        path,
        &TrusteeFile {
            trustee: trustee.clone(),
            pending: None,
        },
    )
}

pub fn run_trustee(args: TrusteeArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        TrusteeCommand::Step { conn, state } => trustee_step(&conn, &state),
        TrusteeCommand::Decrypt { conn, state, round } => trustee_decrypt(&conn, &state, round),
    }
}

/// The trustee's next message in the ceremony as the log holds it (`file`: its state so far,
/// none for a first step), or none when it must wait for the other trustees or the ceremony is
/// complete (said on stdout).
fn next_message(
    e: &Election,
    file: Option<TrusteeFile>,
    params: thidua_ballot::TrusteeParams,
    i: u32,
    rng: &mut Rng,
) -> anyhow::Result<Option<(Trustee, CeremonyMessage)>> {
    let c = &e.ceremony;
    let n = e.members.len();
    let waiting = |what: &str, have: usize| {
        sayln!("Đang chờ / waiting: {have}/{n} {what}")?;
        Ok(None)
    };
    let Some(TrusteeFile { mut trustee, .. }) = file else {
        let (trustee, commitment) = Trustee::new(params, i, rng)?;
        return Ok(Some((trustee, CeremonyMessage::Commit(commitment))));
    };
    let message = match trustee.step_name() {
        "committed" if c.commitments.len() < n => {
            return waiting("commitments", c.commitments.len())
        }
        "committed" => CeremonyMessage::Reveal(trustee.reveal(&ordered(&c.commitments))?),
        "revealed" if c.reveals.len() < n => return waiting("reveals", c.reveals.len()),
        "revealed" => CeremonyMessage::Deal(trustee.deal(
            &ordered(&c.commitments),
            &ordered(&c.reveals),
            rng,
        )?),
        "dealt" if c.dealt.len() < n => return waiting("sealed shares", c.dealt.len()),
        "dealt" => {
            match trustee.complete(&ordered(&c.dealt), rng)? {
                Ok(confirmation) => CeremonyMessage::Confirm(confirmation),
                Err(complaint) => {
                    errln!("Phần khoá nhận từ trustee {} sai: gửi khiếu nại / a bad share: complaining", complaint.against);
                    CeremonyMessage::Complain(complaint)
                }
            }
        }
        _ if e.keys().is_some() => {
            sayln!("Khoá bỏ phiếu đã tạo xong / the ceremony is complete")?;
            return Ok(None);
        }
        _ => return waiting("confirmations", c.confirmed.len()),
    };
    Ok(Some((trustee, message)))
}

fn trustee_step(conn: &Connection, path: &Path) -> anyhow::Result<ExitCode> {
    let api = Api::new(conn)?;
    let (election, unit) = api.ids()?;
    // The ceremony as the log holds it, never as the server reports it.
    let reported = api.election()?;
    let e = api.logged_election(&reported, api.log_size()?)?;
    let i = e.trustee_index(&unit)?;
    let params = e.trustee_params();
    let mut rng = os_rng();
    // Only the unit's leader posts its messages: asked before any state file is written.
    api.check_leader()?;
    let mut file = load_trustee(path)?.filter(|f| f.trustee.params == params);
    if let Some(f) = &file {
        check_trustee_file(f, i, unit.as_str(), path)?;
    }
    // A new trustee state is made only for a first step the ceremony still takes: none once
    // it is complete, nor for a unit that already committed (its state is the file written
    // then).
    if file.is_none() {
        anyhow::ensure!(
            e.ceremony.completed_at.is_none(),
            "việc tạo khoá của {election} đã xong: không tạo trạng thái mới / the key ceremony \
             of {election} is complete: no new trustee state is made (decrypt with the state \
             file this unit kept: thidua trustee decrypt --state FILE)"
        );
        anyhow::ensure!(
            !e.ceremony.posted(i, "commit"),
            "{unit} đã gửi cam kết của lượt tạo khoá này; trạng thái của nó là tệp đã ghi khi \
             đó / {unit} already committed in this ceremony attempt: its state is the file \
             written then (give it with --state); a new state could not take part"
        );
    }
    // A message saved but not acknowledged: post it again.
    if let Some(f) = file.as_mut() {
        if let Some(message) = f.pending.take() {
            if !e.ceremony.posted(i, message.step()) {
                let step = message.step();
                let index = api.post(VoteCommand::PostCeremonyMessage {
                    election,
                    unit,
                    message,
                })?;
                sayln!("Đã gửi lại / posted again: {step} at record {index}")?;
            }
            save_trustee(path, f)?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    let Some((trustee, message)) = next_message(&e, file, params, i, &mut rng)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let step = message.step();
    let mut file = TrusteeFile {
        trustee,
        pending: Some(message.clone()),
    };
    save_trustee(path, &file)?;
    let index = api.post(VoteCommand::PostCeremonyMessage {
        election,
        unit,
        message,
    })?;
    file.pending = None;
    save_trustee(path, &file)?;
    sayln!("Đã gửi / posted: {step} at record {index}")?;
    Ok(ExitCode::SUCCESS)
}

fn trustee_decrypt(conn: &Connection, path: &Path, round: Option<u32>) -> anyhow::Result<ExitCode> {
    let api = Api::new(conn)?;
    let (election, unit) = api.ids()?;
    let e = api.election()?;
    let file = load_trustee(path)?.with_context(|| {
        format!(
            "không có tệp trạng thái đơn vị giữ khoá tại {p}: chạy `thidua trustee step` trước / \
             no trustee state file at {p}: run `thidua trustee step` first",
            p = path.display()
        )
    })?;
    check_trustee_file(&file, e.trustee_index(&unit)?, unit.as_str(), path)?;
    let number = round.unwrap_or(e.rounds.len() as u32);
    let r = e.round(number)?;
    let Some(closed) = r.closed_at else {
        bail!("vòng {number} chưa đóng / round {number} is not closed");
    };
    if let Some((_, index)) = r.shares.get(&unit) {
        bail!(
            "{unit} đã gửi phần giải mã của vòng {number} (mục {index} của sổ ghi), không cần gửi \
             lại / {unit} already posted its decryption shares of round {number} (record \
             {index}): nothing to send again"
        );
    }
    let logged = api.logged_election(&e, closed + 1)?;
    let Some(totals) = &logged.round(number)?.totals else {
        bail!(
            "vòng {number} không có tổng phiếu để giải mã (chưa đóng, hoặc chưa đủ số phiếu tối \
             thiểu) / round {number} has no totals to decrypt (not closed, or below the quorum)"
        );
    };
    // Decrypting what the server reports would let a dishonest server present one voter's
    // ballot as the totals: only the sum of the ballots in the log is decrypted.
    if serde_json::to_string(totals)? != serde_json::to_string(&r.totals)? {
        bail!(
            "TỔNG KHÔNG KHỚP / TOTALS MISMATCH: tổng phiếu mã hoá máy chủ báo khác tổng tính lại \
             từ các phiếu trong sổ ghi; chưa giải mã, chưa gửi gì / the encrypted totals the \
             server reports differ from the sum of the ballots in the log; nothing was \
             decrypted or sent. Report this to the cluster's secretariat and the other trustees."
        );
    }
    let shares = DecryptionShares::create(&file.trustee, totals, &mut os_rng())?;
    let index = api.post(VoteCommand::PostDecryptionShares {
        election,
        round: number,
        unit,
        shares,
    })?;
    sayln!("Đã gửi phần giải mã / posted the decryption shares at record {index}")?;
    Ok(ExitCode::SUCCESS)
}

/// The messages of every trustee, in trustee order.
fn ordered<T: Clone>(m: &std::collections::BTreeMap<u32, T>) -> Vec<T> {
    m.values().cloned().collect()
}

/// An electronic count set aside, as `thidua verify` says it: the ballots left uncounted, the
/// shares posted of those needed, the record and its time (Vietnam's), and the reason.
fn set_aside_words(
    e: &thidua_domain::votes::Election,
    r: &thidua_domain::votes::Round,
    a: &thidua_domain::votes::SetAside,
) -> String {
    let when = thidua_domain::figures::local_datetime(a.time_ms).format("%d/%m/%Y %H:%M");
    format!(
        "electronic count of {} ballots set aside at record {} ({when}) with {} of {} decryption shares: \"{}\"",
        r.ballots.len(),
        a.index,
        r.shares.len(),
        e.trustee_threshold,
        a.reason
    )
}

/// What `thidua verify`'s replay established about votes: every ballot's signature and proofs,
/// every ceremony message, every decryption share and every count were checked when their
/// events were applied; the results below follow from the recorded thresholds.
pub fn verified_votes(state: &thidua_domain::State) -> String {
    let mut lines = vec![format!(
        "  phiếu bầu / votes          {} cuộc bầu / elections, {} phiếu / ballots (chữ ký và chứng minh / signature and proofs), {} phần giải mã / decryption shares: đã kiểm / checked",
        state.elections.len(),
        state
            .elections
            .values()
            .flat_map(|e| &e.rounds)
            .map(|r| r.ballots.len())
            .sum::<usize>(),
        state
            .elections
            .values()
            .flat_map(|e| &e.rounds)
            .map(|r| r.shares.len())
            .sum::<usize>(),
    )];
    for e in state.elections.values() {
        for r in &e.rounds {
            if let (Some(a), None) = (&r.set_aside, &r.count) {
                lines.push(format!(
                    "                             {} vòng / round {}: {}; chờ kiểm phiếu giấy / waiting for its paper count",
                    e.id,
                    r.number,
                    set_aside_words(e, r, a)
                ));
            }
            if let Some(o) = thidua_domain::votes::outcome(e, r) {
                let approvals: Vec<String> = o
                    .candidates
                    .iter()
                    .map(|c| format!("{} {}", c.unit, c.approvals))
                    .collect();
                let elected: Vec<&str> = o.elected.iter().map(|u| u.as_str()).collect();
                lines.push(format!(
                    "                             {} vòng / round {}: {} / {} phiếu / ballots, cần / needed {}; {}; chọn / chosen: {}{}",
                    e.id,
                    r.number,
                    o.ballots,
                    o.members,
                    o.approvals_needed,
                    approvals.join(", "),
                    if elected.is_empty() {
                        "-".into()
                    } else {
                        elected.join(", ")
                    },
                    match (&r.count, r.totals_sha256()) {
                        (Some(c), _) if c.paper => match &r.set_aside {
                            Some(a) => format!(
                                " (kiểm phiếu giấy / paper count, record {}; {})",
                                c.index,
                                set_aside_words(e, r, a)
                            ),
                            None => format!(" (kiểm phiếu giấy / paper count, record {})", c.index),
                        },
                        (Some(c), Some(sha)) => {
                            format!(
                                " (kiểm phiếu / count at record {}; tổng mã hoá / encrypted totals SHA-256 {sha})",
                                c.index
                            )
                        }
                        _ => String::new(),
                    }
                ));
            }
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    /// A refusal says in both languages what its status means, with the API's code and message.
    #[test]
    fn refusals_are_said_in_both_languages() {
        let body = r#"{"error":"invalid_token","message":"the token is unknown or revoked"}"#;
        assert_eq!(
            super::refused(401, body).to_string(),
            "mã API sai hoặc đã bị thu hồi / the API token is wrong or revoked: HTTP 401 \
             (invalid_token): the token is unknown or revoked"
        );
        assert_eq!(
            super::refused(502, "Bad Gateway").to_string(),
            "máy chủ từ chối / refused: HTTP 502: Bad Gateway"
        );
    }
}
