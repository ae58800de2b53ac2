//! `thidua assign`: the cross-inspection assignment of a covenant's year-end as the log says it,
//! and with `--verify` recomputed from the log alone (seed from the members and their reveals,
//! ChaCha20 draw, constraints), reporting any difference. See `docs/assignment.md`. The log is
//! a server's, read as a member with `--server URL --token TOKEN --log-key KEY` and checked
//! exactly as `thidua verify` checks it (`verify::ServerLogArgs::check`, the draw recomputed
//! from the events the member may read), or an existing database (`--data`/`--database`),
//! never created here, checked the same way first (`verify::check_local`: the entries' hashes,
//! the tree and the signed checkpoint, with `--log-key` or the database's own key).
//!
//! `thidua assign commit` and `thidua assign reveal` are the unit leader's side of the seed's
//! commit–reveal, on the leader's own machine: `commit` makes the secret value with the operating
//! system's random generator, writes it to a secret file (mode 0600, never overwritten) and
//! prints its commitment ([`draw::commitment`]), to be pasted into the review page or, with
//! `--server` and `--token`, submitted through the API (`POST /api/v1/covenants/{id}/yearend`);
//! `reveal` submits the value the file holds. The server never sees the secret before its
//! reveal. The review page's script writes the same secret file.
//!
//! `thidua assign beacon` records the value of the drand round the secretariat pinned: it reads
//! the round's signature (given, or from drand's JSON for the round: a file, or fetched from a
//! drand server such as `https://api.drand.sh/{chain}/public/{round}`), checks it against the
//! network's pinned public key on this machine, and submits it.
use crate::output::{errln, sayln};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use rand_core::RngCore;
use thidua_domain::yearend::{draw, rules, YearEndCommand};
use thidua_domain::{CovenantId, UnitId};
use thidua_transparency::client::http_agent;

use crate::storage::StoreArgs;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AssignArgs {
    #[command(subcommand)]
    pub seed: Option<SeedCommand>,
    /// Giao ước / the covenant, e.g. gu-cum12-2024.
    #[arg(long, required = true)]
    pub covenant: Option<String>,
    /// Tính lại từ nhật ký và so sánh / recompute from the log alone and compare.
    #[arg(long)]
    pub verify: bool,
    /// JSON trên màn hình / JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// With --server: the server's log, checked as `thidua verify` checks it.
    #[command(flatten)]
    pub log: super::verify::ServerLogArgs,
    /// Without --server: an existing database (never created here).
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The unit leader's side of the seed's commit–reveal.
#[derive(clap::Subcommand)]
pub enum SeedCommand {
    /// Tạo giá trị bí mật trên máy này, lưu vào tệp và in mã cam kết / make the unit's secret
    /// here (OS random generator), save it to a new file and print its commitment; with
    /// --server and --token also submit the commitment (only the commitment).
    Commit(CommitArgs),
    /// Công bố giá trị bí mật đã lưu / submit the secret saved by `thidua assign commit` (or
    /// downloaded from the review page).
    Reveal(RevealArgs),
    /// Ghi giá trị vòng beacon drand đã chọn / check the pinned drand round's signature here and
    /// submit it (the secretariat's token).
    Beacon(BeaconArgs),
}

#[derive(clap::Args)]
pub struct BeaconArgs {
    /// Giao ước / the covenant.
    #[arg(long)]
    pub covenant: String,
    /// Vòng đã chọn / the pinned round (shown on the review page).
    #[arg(long)]
    pub round: u64,
    /// Chữ ký của vòng (hex) / the round's signature.
    #[arg(
        long,
        conflicts_with = "drand_json",
        required_unless_present = "drand_json"
    )]
    pub signature: Option<String>,
    /// JSON của vòng từ drand: tệp hoặc địa chỉ http(s) / drand's JSON for the round: a file,
    /// or an http(s) address to fetch, e.g. https://api.drand.sh/CHAIN/public/ROUND.
    #[arg(long)]
    pub drand_json: Option<String>,
    #[command(flatten)]
    pub server: ServerArgs,
}

/// The server, when the command submits through its API.
#[derive(clap::Args)]
pub struct ServerArgs {
    /// Máy chủ / the server, e.g. https://thidua.cum12.example
    #[arg(long, env = "THIDUA_SERVER")]
    pub server: Option<String>,
    /// Mã API của lãnh đạo đơn vị, đặt trong THIDUA_TOKEN / the unit leader's API token, in
    /// THIDUA_TOKEN (on the command line it would show in the process list).
    #[arg(long, env = "THIDUA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Tệp CA (PEM) / also trust the CAs in this PEM file for an https:// server.
    #[arg(long, env = "THIDUA_CA_FILE")]
    pub ca_file: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct CommitArgs {
    /// Giao ước / the covenant.
    #[arg(long)]
    pub covenant: String,
    /// Đơn vị / the unit this leader commits for.
    #[arg(long)]
    pub unit: String,
    /// Tệp bí mật (tạo mới, không ghi đè) / the secret file to create (never overwritten).
    #[arg(long)]
    pub secret_file: PathBuf,
    /// Dùng tệp bí mật đã có (gửi lại cam kết của nó) / use the existing secret file and submit
    /// its commitment again (e.g. after a network failure), instead of making a new secret.
    #[arg(long)]
    pub existing: bool,
    #[command(flatten)]
    pub server: ServerArgs,
}

#[derive(clap::Args)]
pub struct RevealArgs {
    /// Tệp bí mật / the secret file written at commit.
    #[arg(long)]
    pub secret_file: PathBuf,
    #[command(flatten)]
    pub server: ServerArgs,
}

const COMMIT_TAG: &str = "thidua-commit/v1";

/// A unit's seed secret as saved on its leader's side: `key: value` lines after `#` comments.
#[derive(Debug, PartialEq, Eq)]
pub struct SecretFile {
    pub covenant: CovenantId,
    pub unit: UnitId,
    /// 64 lowercase hexadecimal digits.
    pub value: String,
}

impl SecretFile {
    /// A fresh secret: 32 bytes from the operating system's random generator.
    pub fn generate(covenant: CovenantId, unit: UnitId) -> Self {
        let mut bytes = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut bytes);
        Self {
            covenant,
            unit,
            value: hex::encode(bytes),
        }
    }

    pub fn commitment(&self) -> String {
        draw::commitment(self.covenant.as_str(), &self.unit, &self.value)
    }

    pub fn to_text(&self) -> String {
        format!(
            "# thidua: giá trị bí mật bốc thăm / seed secret.\n\
             # Giữ kín đến khi công bố / keep it secret until you reveal it:\n\
             #   read -rs THIDUA_TOKEN && export THIDUA_TOKEN\n\
             #   thidua assign reveal --secret-file THIS_FILE --server …\n\
             tag: {COMMIT_TAG}\ncovenant: {}\nunit: {}\nvalue: {}\ncommitment: {}\n",
            self.covenant,
            self.unit,
            self.value,
            self.commitment()
        )
    }

    /// Reads a secret file; refuses one whose commitment line does not match its value.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut fields = std::collections::BTreeMap::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once(':').with_context(|| {
                format!("dòng không có dạng «khoá: giá trị» / not a 'key: value' line: {line}")
            })?;
            fields.insert(k.trim(), v.trim());
        }
        let get = |k: &str| {
            fields.get(k).copied().with_context(|| {
                format!("tệp bí mật thiếu dòng «{k}:» / the secret file has no '{k}:' line")
            })
        };
        if get("tag")? != COMMIT_TAG {
            bail!(
                "không phải tệp bí mật {COMMIT_TAG} (tệp do `thidua assign commit` hoặc trang \
                 tổng kết năm tạo) / not a {COMMIT_TAG} secret file (as `thidua assign commit` or \
                 the year-end page writes)"
            );
        }
        let value = get("value")?.to_ascii_lowercase();
        if !thidua_domain::ids::is_sha256_hex(&value) {
            bail!("value: cần 64 chữ số thập lục phân / 64 hexadecimal digits expected");
        }
        let file = Self {
            covenant: CovenantId::parse(get("covenant")?)?,
            unit: UnitId::parse(get("unit")?)?,
            value,
        };
        if let Some(c) = fields.get("commitment") {
            if c.to_ascii_lowercase() != file.commitment() {
                bail!(
                    "dòng commitment không khớp giá trị: tệp đã bị hỏng / the file's commitment \
                     line does not match its value: the file is damaged"
                );
            }
        }
        Ok(file)
    }

    fn read(path: &Path) -> anyhow::Result<Self> {
        let context = || format!("tệp bí mật / secret file {}", path.display());
        let text = std::fs::read_to_string(path).with_context(context)?;
        Self::parse(&text).with_context(context)
    }

    /// Writes a new file readable by its owner only; an existing file is never overwritten.
    fn create(&self, path: &Path) -> anyhow::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
                "{} đã có, không ghi đè / already exists and is not overwritten (it may hold a \
                 secret already committed); to submit the commitment it holds, add --existing",
                path.display()
            ),
            Err(e) => return Err(e).with_context(|| format!("{}", path.display())),
        };
        file.write_all(self.to_text().as_bytes())?;
        file.sync_all()?;
        Ok(())
    }
}

impl ServerArgs {
    /// The server and the token a submission needs, or the refusal naming what is missing:
    /// asked before anything is made (a secret file) or read, so that a command that cannot
    /// submit changes nothing.
    fn submission(&self) -> anyhow::Result<(&str, &str)> {
        let url = self.server.as_deref().context(
            "cần --server để gửi / --server is needed to submit (e.g. https://thidua.cum12.example)",
        )?;
        let token = self.token.as_deref().context(
            "cần mã API trong THIDUA_TOKEN để gửi (tạo tại trang /account; đặt bằng \
             `read -rs THIDUA_TOKEN && export THIDUA_TOKEN`) / an API token in THIDUA_TOKEN (or \
             --token) is needed to submit (made on the server's /account page)",
        )?;
        Ok((url, token))
    }
}

/// Submits a year-end command as the token's user; returns the log index of its event.
fn submit(
    server: &ServerArgs,
    command: &YearEndCommand,
    covenant: &CovenantId,
) -> anyhow::Result<u64> {
    let (url, token) = server.submission()?;
    let agent = http_agent(server.ca_file.as_deref())?;
    let body: serde_json::Value = agent
        .post(&format!(
            "{}/api/v1/covenants/{covenant}/yearend",
            url.trim_end_matches('/')
        ))
        .set(
            "authorization",
            &thidua_transparency::client::bearer(token)?,
        )
        .send_json(serde_json::to_value(command)?)
        .map_err(super::vote::describe)?
        .into_json()?;
    body["first_index"].as_u64().context("the server's receipt")
}

pub fn run_seed(command: SeedCommand) -> anyhow::Result<ExitCode> {
    match command {
        SeedCommand::Commit(args) => commit(args),
        SeedCommand::Reveal(args) => reveal(args),
        SeedCommand::Beacon(args) => beacon(args),
    }
}

/// The round's signature from drand's JSON for it (`{"round": R, "signature": "…", …}`).
fn signature_in_drand_json(text: &str, round: u64) -> anyhow::Result<String> {
    let v: serde_json::Value = serde_json::from_str(text)
        .context("JSON của drand không đọc được / drand's JSON cannot be read")?;
    if v["round"].as_u64() != Some(round) {
        bail!(
            "JSON này của vòng {got}, không phải vòng {round} / the JSON is of round {got}, not \
             of round {round}",
            got = v["round"]
        );
    }
    v["signature"]
        .as_str()
        .map(str::to_owned)
        .context("JSON không có chữ ký / the JSON has no signature")
}

fn beacon(args: BeaconArgs) -> anyhow::Result<ExitCode> {
    use thidua_domain::yearend::beacon::QUICKNET;
    let covenant = CovenantId::parse(&args.covenant)?;
    if args.server.server.is_some() {
        args.server.submission()?;
    }
    let signature = match (&args.signature, &args.drand_json) {
        (Some(s), _) => s.trim().to_ascii_lowercase(),
        (None, Some(src)) if src.starts_with("http://") || src.starts_with("https://") => {
            let agent = http_agent(args.server.ca_file.as_deref())?;
            let text = agent
                .get(src)
                .call()
                .map_err(super::vote::describe)?
                .into_string()?;
            signature_in_drand_json(&text, args.round)?
        }
        (None, Some(path)) => signature_in_drand_json(
            &std::fs::read_to_string(path)
                .with_context(|| format!("không đọc được / cannot read {path}"))?,
            args.round,
        )?,
        (None, None) => bail!("--signature or --drand-json"),
    };
    let value = QUICKNET.verify(args.round, &signature).with_context(|| {
        format!(
            "chữ ký không đúng: vòng {round} của drand quicknet / the signature does not \
                 verify: round {round} of drand quicknet",
            round = args.round
        )
    })?;
    sayln!("{}", hex::encode(value))?;
    errln!(
        "Chữ ký đúng / the signature verifies under quicknet's public key; the value above is \
         mixed into the seed"
    );
    if args.server.server.is_none() {
        return Ok(ExitCode::SUCCESS);
    }
    let index = submit(
        &args.server,
        &YearEndCommand::RecordBeacon {
            covenant: covenant.clone(),
            signature,
        },
        &covenant,
    )?;
    errln!("Đã ghi / recorded at record {index}");
    Ok(ExitCode::SUCCESS)
}

fn commit(args: CommitArgs) -> anyhow::Result<ExitCode> {
    let (covenant, unit) = (
        CovenantId::parse(&args.covenant)?,
        UnitId::parse(&args.unit)?,
    );
    // A submission that cannot be made is refused before a secret is made: no secret file
    // is left behind by a command that failed.
    if args.server.server.is_some() {
        args.server.submission()?;
    }
    let secret = if args.existing {
        let s = SecretFile::read(&args.secret_file)?;
        if s.covenant != covenant || s.unit != unit {
            bail!(
                "{file} là giá trị bí mật của {su} cho {sc}, không phải của {unit} cho {covenant} \
                 / {file} is the secret of {su} for {sc}, not of {unit} for {covenant}",
                file = args.secret_file.display(),
                su = s.unit,
                sc = s.covenant
            );
        }
        s
    } else {
        let s = SecretFile::generate(covenant.clone(), unit.clone());
        s.create(&args.secret_file)?;
        errln!(
            "Đã lưu giá trị bí mật / saved the secret in {} (keep it until the reveal)",
            args.secret_file.display()
        );
        s
    };
    let commitment = secret.commitment();
    sayln!("{commitment}")?;
    if args.server.server.is_none() {
        errln!(
            "Dán mã cam kết trên vào trang tổng kết năm, hoặc chạy lại với --existing --server \
             và mã của lãnh đạo trong THIDUA_TOKEN để gửi / paste this commitment into the \
             year-end page, or run again with --existing --server … and the leader's token in \
             THIDUA_TOKEN to submit it"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let index = submit(
        &args.server,
        &YearEndCommand::CommitSeed {
            covenant: covenant.clone(),
            unit,
            commitment,
        },
        &covenant,
    )?;
    errln!("Đã gửi cam kết / committed at record {index} (only the commitment was sent)");
    Ok(ExitCode::SUCCESS)
}

fn reveal(args: RevealArgs) -> anyhow::Result<ExitCode> {
    args.server.submission()?;
    let secret = SecretFile::read(&args.secret_file)?;
    let index = submit(
        &args.server,
        &YearEndCommand::RevealSeed {
            covenant: secret.covenant.clone(),
            unit: secret.unit.clone(),
            value: secret.value.clone(),
        },
        &secret.covenant,
    )?;
    sayln!(
        "Đã công bố / revealed {}'s seed for {} at record {index}",
        secret.unit,
        secret.covenant
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: AssignArgs) -> anyhow::Result<ExitCode> {
    if let Some(seed) = args.seed {
        return run_seed(seed);
    }
    let covenant = CovenantId::parse(args.covenant.as_deref().context("--covenant")?)?;
    // The state and, with --verify, the draws recomputed from the log alone.
    let (state, draws) = if args.log.server.is_some() {
        // The member's readable events, verified and recomputed as `thidua verify` does (a
        // draw that differs fails there already, naming the event).
        let checked = args.log.check(args.verify, None)?;
        let draws = checked.recomputed.map(|r| r.yearend.draws);
        (checked.summary.state, draws)
    } else {
        // The database's log checked as `thidua verify` checks it (hashes, tree, signed
        // checkpoint) before its draw is read or recomputed: an altered entry is found there.
        let checked =
            super::verify::check_local(&args.store, args.log.log_key.as_deref(), args.verify)?;
        let draws = checked.recomputed.map(|r| r.yearend.draws);
        (checked.summary.state, draws)
    };
    // A covenant the log (or what the token reads of it) does not hold is refused as unknown,
    // in both languages (`main` says the domain's refusal), before its year-end is asked for.
    if !state.covenants.contains_key(&covenant) {
        let unknown = anyhow::Error::from(thidua_domain::DomainError::UnknownCovenant(
            covenant.to_string(),
        ));
        return Err(match args.log.server {
            Some(_) => unknown.context(format!(
                "{covenant} is not among the covenants this token may read (a member of its \
                 cluster reads its year-end)"
            )),
            None => unknown,
        });
    }
    let review = state
        .review(&covenant)
        .with_context(|| covenant.to_string())?;
    let Some((drawn, index)) = &review.drawn else {
        sayln!(
            "Chưa bốc thăm / not drawn yet ({} of {} units revealed)",
            review.reveals.len(),
            review.members.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let recomputed = draws.map(|draws| {
        draws
            .into_iter()
            .find(|(c, i, _)| *c == covenant && i == index)
            .map(|(_, _, d)| d)
    });
    let same = recomputed.as_ref().map(|r| r.as_ref() == Some(drawn));
    if args.json {
        let v = serde_json::json!({
            "covenant": covenant,
            "event": index,
            "drawn": drawn,
            "pairs": review.pairs(),
            "last_year": thidua_domain::yearend::state::last_year_pairs(&state, review),
            "beacon": review.beacon,
            "decided": review.decided.as_ref().map(|(d, i)| serde_json::json!({"event": i, "decision": d})),
            "verified": same,
        });
        sayln!("{v}")?;
    } else {
        print_draw(&state, review, drawn, *index)?;
    }
    Ok(match same {
        Some(false) => {
            errln!("KHÔNG KHỚP / MISMATCH: the draw recomputed from the log differs from event {index}");
            ExitCode::FAILURE
        }
        Some(true) => {
            if !args.json {
                sayln!("Tính lại từ nhật ký: khớp / recomputed from the log: identical")?;
            }
            ExitCode::SUCCESS
        }
        None => ExitCode::SUCCESS,
    })
}

/// The draw as the log holds it, on standard output (a closed one loses it quietly).
fn print_draw(
    state: &thidua_domain::State,
    review: &thidua_domain::yearend::Review,
    drawn: &thidua_domain::yearend::AssignmentDrawn,
    index: u64,
) -> std::io::Result<()> {
    let name = |u: &thidua_domain::UnitId| {
        state
            .units
            .get(u)
            .map_or(u.to_string(), |x| format!("{} ({u})", x.name))
    };
    sayln!(
        "Bốc thăm / draw: event {index}, covenant {}",
        review.schedule.covenant
    )?;
    sayln!("  năm / year     {}", review.year)?;
    sayln!("  cụm / cluster  {}", review.cluster)?;
    for u in &review.members {
        match review.reveals.get(u) {
            Some(v) => sayln!("  công bố / reveal  {u}  {v}")?,
            None => sayln!("  công bố / reveal  {u}  THIẾU / MISSING (constant)")?,
        }
    }
    if let Some(b) = &review.beacon {
        sayln!(
            "  beacon drand      round {} {}",
            b.round,
            b.value().as_deref().unwrap_or("(chưa ghi / not recorded)")
        )?;
    }
    sayln!("  hạt giống / seed  {}", drawn.seed)?;
    sayln!("  bốc lại / redraws {}", drawn.redraws)?;
    if !drawn.relaxed.is_empty() {
        sayln!("  nới / relaxed     {}", drawn.relaxed.join(", "))?;
    }
    if let Some(why) = &drawn.infeasible {
        sayln!("  KHÔNG CÓ PHÂN CÔNG / NO ASSIGNMENT: {why}")?;
        for (u, left, needed) in rules::draw_blockers(review) {
            sayln!(
                "  chặn / blocked by: {} — {left} đơn vị không xung đột, cần {needed} / {left} units without a conflict, {needed} needed",
                name(&u)
            )?;
        }
    }
    let pairs = review.pairs();
    print_last_year(state, review, &pairs, &name)?;
    match &review.decided {
        Some((d, at)) => {
            sayln!("  phân công do thư ký cụm quyết định / assignment decided by the secretariat (event {at}): {}", d.reason)?;
            for b in &d.acknowledged {
                sayln!(
                    "  vi phạm đã xác nhận / rule broken, acknowledged: {}",
                    rules::describe_breach(state, review, b)
                )?;
            }
        }
        None => sayln!("  phân công / assignment:")?,
    }
    for p in pairs {
        sayln!("  {} → {}", name(&p.inspector), name(&p.inspected))?;
    }
    Ok(())
}

/// Last year's pairs as the final assignment (the draw's, or the secretariat's decision) treats
/// them: avoided, or kept (only a decision or a relaxed draw keeps one); a pair carried through
/// a merger with the pair it was (`rules::carried_from`).
fn print_last_year(
    state: &thidua_domain::State,
    review: &thidua_domain::yearend::Review,
    pairs: &[thidua_domain::yearend::Pair],
    name: &dyn Fn(&UnitId) -> String,
) -> std::io::Result<()> {
    // Pairs naming no member (a review opened before format 3) are not the draw's.
    let mut last_year = thidua_domain::yearend::state::last_year_pairs(state, review);
    last_year.retain(|p| review.is_member(&p.inspector) && review.is_member(&p.inspected));
    let origin = |p: &thidua_domain::yearend::Pair| rules::carried_from(state, review, p);
    for line in last_year_lines(&last_year, pairs, name, &origin) {
        sayln!("  {line}")?;
    }
    Ok(())
}

/// One line per last year's pair: avoided by `pairs`, or kept in them, followed by `origin`
/// (what the pair was last year, when a merger carried it).
fn last_year_lines(
    last_year: &[thidua_domain::yearend::Pair],
    pairs: &[thidua_domain::yearend::Pair],
    name: &dyn Fn(&UnitId) -> String,
    origin: &dyn Fn(&thidua_domain::yearend::Pair) -> String,
) -> Vec<String> {
    if last_year.is_empty() {
        return vec!["tránh cặp năm trước / last year's pairs avoided: không có / none".into()];
    }
    last_year
        .iter()
        .map(|p| {
            let what = if pairs.contains(p) {
                "cặp năm trước VẪN CÓ trong phân công / last year's pair KEPT in the assignment"
            } else {
                "tránh cặp năm trước / last year's pair avoided"
            };
            format!(
                "{what}: {} → {}{}",
                name(&p.inspector),
                name(&p.inspected),
                origin(p)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decision keeping last year's CT→AG is printed as keeping it, never as avoiding it.
    #[test]
    fn last_years_pairs_are_said_kept_when_the_assignment_has_them() {
        let pair = |a: &str, b: &str| thidua_domain::yearend::Pair {
            inspector: UnitId::parse(a).unwrap(),
            inspected: UnitId::parse(b).unwrap(),
        };
        let name = |u: &UnitId| u.as_str().to_uppercase();
        let last_year = [pair("ct", "ag"), pair("cm", "ct")];
        let decided = [pair("ct", "ag"), pair("ag", "cm"), pair("cm", "ct")];
        let none = |_: &thidua_domain::yearend::Pair| String::new();
        let lines = last_year_lines(&last_year, &decided, &name, &none);
        assert_eq!(
            lines[0],
            "cặp năm trước VẪN CÓ trong phân công / last year's pair KEPT in the assignment: CT → AG"
        );
        assert!(lines.iter().all(|l| !l.contains("avoided")), "{lines:?}");
        let drawn = [pair("ag", "ct"), pair("ct", "cm"), pair("cm", "ag")];
        let lines = last_year_lines(&last_year, &drawn, &name, &none);
        assert!(lines.iter().all(|l| l.contains("avoided")), "{lines:?}");
        // A pair carried through a merger says what it was.
        let merged = |p: &thidua_domain::yearend::Pair| {
            if p.inspector.as_str() == "cm" {
                " (2024: CM → HG)".to_owned()
            } else {
                String::new()
            }
        };
        let lines = last_year_lines(&last_year, &drawn, &name, &merged);
        assert_eq!(
            lines[1],
            "tránh cặp năm trước / last year's pair avoided: CM → CT (2024: CM → HG)"
        );
    }

    #[test]
    fn a_secret_file_reads_back_and_its_commitment_is_the_domains() {
        let s = SecretFile::generate(
            CovenantId::parse("gu-12-2024").unwrap(),
            UnitId::parse("ca-kg").unwrap(),
        );
        let text = s.to_text();
        assert_eq!(SecretFile::parse(&text).unwrap(), s);
        assert!(text.contains(&format!(
            "commitment: {}",
            draw::commitment("gu-12-2024", &s.unit, &s.value)
        )));
        let damaged = text.replace(&s.value[..2], "zz");
        assert!(SecretFile::parse(&damaged).is_err());
        let other = text.replace("unit: ca-kg", "unit: ca-ag");
        assert!(
            SecretFile::parse(&other).is_err(),
            "commitment line no longer matches"
        );
    }
}
