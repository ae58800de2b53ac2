//! `thidua doc`: official documents (Decree 30/2020 layout) as PDF or DOCX from the log — the
//! covenant as a paper, the results report of a covenant's published results (a preview of one
//! from a regulation and figures scored as `thidua score` does, never issued), the minutes of a
//! cross-inspection and of a vote count, the year-end report and
//! the submission proposing awards — optionally issued (recorded in the log by the operator, numbered), and issued
//! documents listed or written again; `check` verifies a copy of an issued document against a
//! server's log as a member. Thin glue over `thidua_docs`. Only `--issue` writes: every other
//! use reads an existing database and its key (or a server's log), and never creates either.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use thidua_docs::issue::{check_date, issue, issued_file};
use thidua_docs::templates::common::{default_place, inspection_place};
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::documents::{issued_by, IssuedDocument};
use thidua_domain::event::parse_date;
use thidua_domain::ids::{ClusterId, CovenantId, ElectionId, UnitId};
use thidua_domain::{Actor, State};
use thidua_scoring::{EvalOptions, PeriodKey};

use crate::output::{self, errln, outln, sayln, Access, Existing};
use crate::storage::ReadStoreArgs;

/// Văn bản hành chính / official documents.
#[derive(clap::Args)]
pub struct DocArgs {
    #[command(subcommand)]
    pub what: What,
}

#[derive(clap::Subcommand)]
pub enum What {
    /// Bản giao ước thi đua / the covenant as a paper.
    Covenant(CovenantArgs),
    /// Báo cáo kết quả chấm điểm: từ kết quả đã công bố của giao ước (--covenant), hoặc bản xem
    /// trước từ quy định và số liệu / the results report: of a covenant's published results
    /// (--covenant), or a preview from a regulation and figures.
    Results(ResultsArgs),
    /// Biên bản kiểm tra chéo / the minutes of a cross-inspection of the year-end review.
    Inspection(InspectionArgs),
    /// Biên bản kiểm phiếu / the minutes of a vote count.
    VoteCount(VoteCountArgs),
    /// Báo cáo tổng kết năm của cụm / the cluster's year-end report.
    YearReport(YearReportArgs),
    /// Tờ trình đề nghị khen thưởng / the submission proposing awards.
    AwardSubmission(AwardSubmissionArgs),
    /// Các văn bản đã phát hành của cụm / documents a cluster issued.
    List(ListArgs),
    /// Kiểm tra văn bản đã phát hành với nhật ký của máy chủ / check an issued document against
    /// a server's log: its record is in the verified log, its content (served by the server)
    /// hashes to the recorded SHA-256 and is the document the log gives for that record (built
    /// again from the log as it was just before it), and a copy (PDF or DOCX) is byte for byte
    /// the file that content gives.
    Check(CheckArgs),
    /// Ghi lại một văn bản đã phát hành / write an issued document again.
    Issued(IssuedArgs),
}

/// `thidua doc covenant`.
#[derive(clap::Args)]
pub struct CovenantArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã giao ước / the covenant's id
    #[arg(long)]
    pub covenant: String,
    /// Phiên bản (mặc định: đang có hiệu lực, nếu chưa có thì bản mới nhất) / version
    #[arg(long)]
    pub version: Option<u32>,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `thidua doc results`: from the log (`--covenant`, may be issued) or, as a preview only, from
/// a regulation and figures scored as `thidua score` does.
#[derive(clap::Args)]
pub struct ResultsArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã giao ước: báo cáo kết quả đã công bố trong sổ (phát hành được) / the covenant whose
    /// published results the report gives (the form that may be issued)
    #[arg(long, required_unless_present = "regulation", conflicts_with_all = ["regulation", "figures", "cluster", "year", "period"])]
    pub covenant: Option<String>,
    /// Mã cụm (bản xem trước từ tệp) / the cluster's id (a preview from files)
    #[arg(long, requires = "regulation")]
    pub cluster: Option<String>,
    /// Năm (bản xem trước từ tệp) / the year (a preview from files)
    #[arg(long, requires = "regulation")]
    pub year: Option<i32>,
    /// Tệp quy định chấm điểm (TOML): chỉ để xem trước / regulation file: a preview only
    #[arg(long, requires_all = ["figures", "cluster", "year"])]
    pub regulation: Option<PathBuf>,
    /// Tệp số liệu (.csv hoặc .json): chỉ để xem trước / figures file: a preview only
    #[arg(long, requires = "regulation")]
    pub figures: Option<PathBuf>,
    /// Kỳ chấm, ví dụ 2024-Y / period (default from the regulation)
    #[arg(long, requires = "regulation")]
    pub period: Option<String>,
    #[command(flatten)]
    pub dated: DatedArgs,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `thidua doc inspection`.
#[derive(clap::Args)]
pub struct InspectionArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã giao ước / the covenant's id
    #[arg(long)]
    pub covenant: String,
    /// Đơn vị kiểm tra / the inspecting unit
    #[arg(long)]
    pub inspector: String,
    /// Đơn vị được kiểm tra / the inspected unit
    #[arg(long)]
    pub inspected: String,
    #[command(flatten)]
    pub dated: DatedArgs,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `thidua doc vote-count`.
#[derive(clap::Args)]
pub struct VoteCountArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã cuộc bỏ phiếu / the election's id
    #[arg(long)]
    pub election: String,
    /// Vòng (mặc định: vòng đã kiểm phiếu sau cùng) / round (default: the last counted)
    #[arg(long)]
    pub round: Option<u32>,
    #[command(flatten)]
    pub dated: DatedArgs,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `thidua doc year-report`.
#[derive(clap::Args)]
pub struct YearReportArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã giao ước / the covenant's id
    #[arg(long)]
    pub covenant: String,
    #[command(flatten)]
    pub dated: DatedArgs,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `thidua doc award-submission`.
#[derive(clap::Args)]
pub struct AwardSubmissionArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã cuộc bỏ phiếu / the election's id
    #[arg(long)]
    pub election: String,
    #[command(flatten)]
    pub dated: DatedArgs,
    #[command(flatten)]
    pub out: OutArgs,
}

/// `thidua doc list`.
#[derive(clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Mã cụm / the cluster's id, e.g. cum-12.
    #[arg(long)]
    pub cluster: String,
}

/// `thidua doc check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub log: super::verify::ServerLogArgs,
    /// SHA-256 của văn bản (dòng kiểm chứng ở cuối văn bản) / the document's SHA-256 (its
    /// verification line)
    #[arg(long, value_parser = sha256_arg)]
    pub sha256: String,
    /// Bản cần so (PDF hoặc DOCX đã tải về) / a copy to compare (a downloaded PDF or DOCX)
    #[arg(long)]
    pub file: Option<PathBuf>,
}

/// `thidua doc issued`.
#[derive(clap::Args)]
pub struct IssuedArgs {
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// SHA-256 của văn bản / the document's SHA-256
    #[arg(long, value_parser = sha256_arg)]
    pub sha256: String,
    /// pdf | docx (mặc định theo đuôi tệp ra, .pdf nếu không có / by default the output
    /// file's extension, PDF without one)
    #[arg(long)]
    pub format: Option<String>,
    /// Tệp ra / output file
    #[arg(long)]
    pub out: PathBuf,
}

/// The place and date printed on a document.
#[derive(clap::Args)]
pub struct DatedArgs {
    /// Địa danh (mặc định: tỉnh của đơn vị được kiểm tra với biên bản kiểm tra, địa danh của
    /// giao ước với văn bản khác) / place (default: the inspected unit's province for
    /// inspection minutes, the covenant's for the others)
    #[arg(long)]
    pub place: Option<String>,
    /// Ngày văn bản dd/mm/yyyy / the document's date
    #[arg(long)]
    pub date: String,
}

/// The refusal of a `--date` that is no day written dd/mm/yyyy (31/02/2024 included).
fn bad_date(date: &str) -> anyhow::Error {
    anyhow!(
        "--date `{date}`: không phải một ngày có thật dạng dd/mm/yyyy, ví dụ 20/12/2024 / not a \
         real day written dd/mm/yyyy, e.g. 20/12/2024"
    )
}

impl DatedArgs {
    /// The place (default: what `default` gives for the date) and the date.
    fn resolve(
        self,
        default: impl FnOnce(chrono::NaiveDate) -> Option<String>,
    ) -> anyhow::Result<(String, chrono::NaiveDate)> {
        let date = parse_date(&self.date).ok_or_else(|| bad_date(&self.date))?;
        let place = match self.place {
            // Checked as every text of the log is (not empty, one line, no invisible
            // character): an issued document's place is recorded for good.
            Some(p) => String::from(thidua_domain::Text::parse_line(
                "place",
                p.trim(),
                thidua_domain::text::limits::PLACE,
            )?),
            None => default(date).ok_or_else(|| {
                anyhow!("cần --place (cụm chưa có giao ước năm này) / --place is needed")
            })?,
        };
        Ok((place, date))
    }

    /// [`DatedArgs::resolve`] with the place of the cluster's covenant of `year` by default.
    fn in_year(
        self,
        state: &State,
        cluster: &ClusterId,
        year: i32,
    ) -> anyhow::Result<(String, chrono::NaiveDate)> {
        self.resolve(|date| default_place(state, cluster, year, date))
    }
}

#[derive(clap::Args)]
pub struct OutArgs {
    /// pdf | docx (mặc định theo đuôi tệp ra, .pdf nếu không có / by default the output
    /// file's extension, PDF without one)
    #[arg(long)]
    pub format: Option<String>,
    /// Tệp ra / output file
    #[arg(long)]
    pub out: PathBuf,
    /// Phát hành: ghi vào sổ (cấp số) / issue: record it in the log (it gets its number)
    #[arg(long, requires = "actor")]
    pub issue: bool,
    /// Người phát hành / with --issue: the secretariat member whose act it is (the log names
    /// who issued a document, never the console).
    #[arg(long = "as", requires = "issue")]
    pub actor: Option<String>,
}

/// The format to write `out` in: `--format` when given, otherwise the file's extension (PDF
/// when it has none). A `.pdf` or `.docx` name that contradicts `--format`, or another
/// extension without it, is refused rather than a PDF written under a Word name.
fn format(given: Option<&str>, out: &Path) -> anyhow::Result<Format> {
    let given = given
        .map(|s| {
            Format::parse(s).ok_or_else(|| {
                anyhow!("--format `{s}`: chỉ pdf hoặc docx / --format `{s}`: pdf or docx")
            })
        })
        .transpose()?;
    let named = out.extension().map(|e| e.to_string_lossy().to_lowercase());
    let by_name = named.as_deref().map(Format::parse);
    match (given, by_name) {
        (Some(f), Some(Some(n))) if f != n => Err(anyhow!(
            "tệp `{}` không phải {} / `{}` is not a {} file: change --out or --format",
            out.display(),
            f.extension(),
            out.display(),
            f.extension()
        )),
        (Some(f), _) | (None, Some(Some(f))) => Ok(f),
        (None, None) => Ok(Format::Pdf),
        (None, Some(None)) => Err(anyhow!(
            "tệp ra cần đuôi .pdf hoặc .docx, hoặc --format / the output file ends in .pdf or \
             .docx, or give --format: `{}`",
            out.display()
        )),
    }
}

/// Runs `thidua doc`: one function per document or use.
pub fn run(args: DocArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Covenant(a) => covenant(a),
        What::Results(a) => results(a),
        What::Inspection(a) => inspection(a),
        What::VoteCount(a) => vote_count(a),
        What::YearReport(a) => year_report(a),
        What::AwardSubmission(a) => award_submission(a),
        // Only prints: a reader that went away (`thidua doc list … | head`) ends it quietly.
        What::List(a) => {
            output::quiet_on_closed_pipe(list(&a.store, &ClusterId::parse(&a.cluster)?))
        }
        What::Check(a) => check(&a.log, &a.sha256, a.file.as_deref()),
        What::Issued(a) => write_issued(a),
    }
}

/// `thidua doc covenant`: the covenant as a paper.
fn covenant(a: CovenantArgs) -> anyhow::Result<ExitCode> {
    let covenant = CovenantId::parse(&a.covenant)?;
    let version = a.version;
    write(&a.store, &a.out, |_| {
        Ok(Request::Covenant { covenant, version })
    })
}

/// `thidua doc results`: the results report of a covenant's published results, or a preview of
/// one from the figures scored as `thidua score` does (never issued: it would contradict the
/// published results, and nothing checks its units against the cluster's members).
fn results(a: ResultsArgs) -> anyhow::Result<ExitCode> {
    let (Some(regulation), Some(figures)) = (a.regulation, a.figures) else {
        let covenant = CovenantId::parse(a.covenant.as_deref().context("--covenant")?)?;
        return write(&a.store, &a.out, |state| {
            let (place, date) = covenant_dated(state, &covenant, a.dated)?;
            Ok(Request::PublishedResults {
                covenant,
                place,
                date,
            })
        });
    };
    anyhow::ensure!(
        !a.out.issue,
        "báo cáo kết quả chỉ được phát hành từ kết quả đã công bố trong sổ: `thidua doc results \
         --covenant ID --date DD/MM/YYYY --issue --as USER`; --regulation và --figures chỉ cho \
         bản xem trước / a results report is issued only from the results published in the log: \
         `thidua doc results --covenant ID --date DD/MM/YYYY --issue --as USER`; --regulation and \
         --figures give a preview only"
    );
    let board = Box::new(score(regulation, figures, a.period)?);
    let cluster = ClusterId::parse(a.cluster.as_deref().context("--cluster")?)?;
    let year = a.year.context("--year")?;
    write(&a.store, &a.out, |state| {
        let (place, date) = a.dated.in_year(state, &cluster, year)?;
        Ok(Request::Results {
            cluster,
            year,
            board,
            place,
            date,
        })
    })
}

/// `thidua doc inspection`: the minutes of a cross-inspection.
fn inspection(a: InspectionArgs) -> anyhow::Result<ExitCode> {
    let covenant = CovenantId::parse(&a.covenant)?;
    let (inspector, inspected) = (UnitId::parse(&a.inspector)?, UnitId::parse(&a.inspected)?);
    write(&a.store, &a.out, |state| {
        state.covenant(&covenant)?;
        // Dated by default where the inspection is held: the inspected unit's province.
        let (place, date) = a
            .dated
            .resolve(|date| inspection_place(state, &covenant, &inspected, date))?;
        Ok(Request::Inspection {
            covenant,
            inspector,
            inspected,
            place,
            date,
        })
    })
}

/// `thidua doc vote-count`: the minutes of a vote count.
fn vote_count(a: VoteCountArgs) -> anyhow::Result<ExitCode> {
    let election = ElectionId::parse(&a.election)?;
    write(&a.store, &a.out, |state| {
        let (place, date) = election_dated(state, &election, a.dated)?;
        Ok(Request::VoteCount {
            election,
            round: a.round,
            place,
            date,
        })
    })
}

/// `thidua doc year-report`: the cluster's year-end report.
fn year_report(a: YearReportArgs) -> anyhow::Result<ExitCode> {
    let covenant = CovenantId::parse(&a.covenant)?;
    write(&a.store, &a.out, |state| {
        let (place, date) = covenant_dated(state, &covenant, a.dated)?;
        Ok(Request::YearReport {
            covenant,
            place,
            date,
        })
    })
}

/// `thidua doc award-submission`: the submission proposing awards.
fn award_submission(a: AwardSubmissionArgs) -> anyhow::Result<ExitCode> {
    let election = ElectionId::parse(&a.election)?;
    write(&a.store, &a.out, |state| {
        let (place, date) = election_dated(state, &election, a.dated)?;
        Ok(Request::AwardSubmission {
            election,
            place,
            date,
        })
    })
}

/// `thidua doc issued`: writes an issued document again, from its record in the log.
fn write_issued(a: IssuedArgs) -> anyhow::Result<ExitCode> {
    let sha256 = a.sha256.as_str();
    let service = a.store.open_read_only("")?;
    let state = service.read().state.clone();
    let doc = state
        .documents
        .iter()
        .find(|d| d.sha256 == sha256)
        .ok_or_else(|| anyhow!("không có văn bản {sha256} / no document {sha256}"))?;
    let bytes = issued_file(&service, doc, format(a.format.as_deref(), &a.out)?)?;
    save(&a.out, &bytes)
}

/// The place and date of a document about `covenant`'s year.
fn covenant_dated(
    state: &State,
    covenant: &CovenantId,
    dated: DatedArgs,
) -> anyhow::Result<(String, chrono::NaiveDate)> {
    let c = state.covenant(covenant)?;
    dated.in_year(state, &c.cluster, c.year)
}

/// The place and date of a document about `election`.
fn election_dated(
    state: &State,
    election: &ElectionId,
    dated: DatedArgs,
) -> anyhow::Result<(String, chrono::NaiveDate)> {
    let e = state.election(election)?;
    dated.in_year(state, &e.cluster, e.year)
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

/// Writes the document atomically: a failure leaves nothing at `path`, and a file already
/// there unchanged until the new one is complete (then replaced).
fn save(path: &Path, bytes: &[u8]) -> anyhow::Result<ExitCode> {
    output::write(path, bytes, Access::Usual, Existing::Replace)?;
    sayln!("{}", path.display())?;
    Ok(ExitCode::SUCCESS)
}

/// Builds the document `build` asks for against the log's state and writes it, issuing it
/// first when asked.
fn write(
    store: &ReadStoreArgs,
    out: &OutArgs,
    build: impl FnOnce(&State) -> anyhow::Result<Request>,
) -> anyhow::Result<ExitCode> {
    let f = format(out.format.as_deref(), &out.out)?;
    // Only issuing writes to the log; a preview or an issued document written again reads it.
    let service = match out.issue {
        true => store.store.open_existing_running()?.0,
        false => store.open_read_only("")?,
    };
    let request = &build(&service.read().state)?;
    if out.issue {
        let actor = out.actor.as_deref().context("--issue needs --as USER")?;
        let actor = Actor::User(thidua_domain::UserId::parse(actor)?);
        let record = issue(&service, &actor, request)?;
        describe(&record)?;
        // The document is issued from here on: a failed write says how to write it again.
        return issued_file(&service, &record, f)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| save(&out.out, &bytes))
            .with_context(|| {
                format!(
                    "văn bản đã phát hành nhưng chưa ghi được tệp; ghi lại bằng / the document \
                     is issued (record {}) but its file was not written; write it again with \
                     `thidua doc issued --sha256 {} --format {} --out FILE`",
                    record.index,
                    record.sha256,
                    f.extension()
                )
            });
    }
    let prepared = prepare(&service.read().state, request)?;
    // A report scored from files is a preview whatever it matches: only the log's published
    // results give the issued copy (`--covenant`).
    let from_files = matches!(request, Request::Results { .. });
    let bytes = match prepared.issued.as_ref().filter(|_| !from_files) {
        Some(record) => {
            describe(record)?;
            issued_file(&service, record, f)?
        }
        None => {
            // A preview is dated as issuing would accept it.
            check_date(
                &service,
                &prepared,
                thidua_domain::figures::local_date(service.now_ms()),
            )?;
            sayln!("xem trước / preview  sha256 {}", prepared.sha256)?;
            render(&prepared.document, &Verification::Preview, f)?
        }
    };
    save(&out.out, &bytes)
}

/// Says which issued document this is (a closed pipe does not stop the command).
fn describe(d: &IssuedDocument) -> std::io::Result<()> {
    sayln!(
        "đã phát hành / issued  {}  {}  số thứ tự trong sổ / record {}  sha256 {}",
        d.kind.key(),
        d.number_and_symbol().unwrap_or_else(|| "-".into()),
        d.index,
        d.sha256
    )
}

fn list(store: &ReadStoreArgs, cluster: &ClusterId) -> anyhow::Result<ExitCode> {
    let service = store.open_read_only("")?;
    let state = service.read().state.clone();
    anyhow::ensure!(
        state.clusters.contains_key(cluster),
        "không có cụm {cluster} trong nhật ký / no cluster {cluster} in the log"
    );
    let mut none = true;
    for d in issued_by(&state, cluster) {
        none = false;
        outln!(
            "{:>8}  {}  {:<10} {:<16} {}  {}",
            d.index,
            d.date.format("%d/%m/%Y"),
            d.kind.key(),
            d.number_and_symbol().unwrap_or_else(|| "-".into()),
            d.sha256,
            d.title
        )?;
    }
    if none {
        errln!(
            "cụm {cluster} chưa phát hành văn bản nào / cluster {cluster} has issued no document"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `thidua doc check`: the document's record in the server's verified log, its served content
/// against the recorded SHA-256 and against the document the log gives for that record (built
/// again from the log's state just before it: `thidua_docs::rebuild`), and `file` against the
/// files that content renders to.
fn check(
    log: &super::verify::ServerLogArgs,
    sha256: &str,
    file: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    // The copy is read first: a mistyped --file is said before the whole log is fetched and
    // verified.
    let copy = file
        .map(|path| {
            std::fs::read(path)
                .with_context(|| format!("không đọc được / cannot read {}", path.display()))
        })
        .transpose()?;
    let served = std::cell::RefCell::new(None);
    let content = |d: &IssuedDocument| {
        let bytes = super::verify::served_content(log, &d.sha256)?;
        *served.borrow_mut() = bytes.clone();
        Ok(bytes)
    };
    let source = super::verify::DocumentSource {
        only: Some(sha256),
        content: &content,
        evidence: None,
    };
    let checked = log.check(false, Some(&source))?;
    let record = checked
        .summary
        .state
        .documents
        .iter()
        .find(|d| d.sha256 == sha256)
        .ok_or_else(|| {
            anyhow!("không có văn bản {sha256} trong nhật ký / no document {sha256} in the log this token reads")
        })?;
    describe(record)?;
    let audit = checked.documents.unwrap_or_default();
    let content = served.into_inner();
    let rebuilt = audit.identical.iter().any(|(_, s)| s == sha256);
    let edition = audit
        .other_edition
        .iter()
        .find(|(_, s, _)| s == sha256)
        .map(|(_, _, e)| *e);
    let (Some(content), true) = (content, rebuilt || edition.is_some()) else {
        // A record the token reads whose content the server does not serve it.
        anyhow::bail!(
            "máy chủ không cho đọc nội dung văn bản {sha256} / the server does not serve the \
             content of document {sha256} to this token"
        );
    };
    let document = thidua_docs::from_canonical(&content).context("the content")?;
    match edition {
        None => sayln!(
            "nội dung khớp bản ghi và đúng văn bản nhật ký cho ra / content matches the record \
             and is the document the log gives for it  {}",
            record.title
        )?,
        Some(e) => sayln!(
            "nội dung khớp bản ghi; văn bản do phiên bản khác phát hành (mẫu bản {e}, phiên bản \
             này viết bản {this}) nên không dựng lại từ nhật ký / content matches the record; \
             issued by another release (templates edition {e}, this release writes {this}), so \
             not rebuilt from the log  {}",
            record.title,
            this = thidua_docs::model::EDITION
        )?,
    }
    let (Some(path), Some(copy)) = (file, copy) else {
        return Ok(ExitCode::SUCCESS);
    };
    let line = thidua_docs::issue::issued_line(record);
    for f in [Format::Pdf, Format::Docx] {
        if render(&document, &line, f).map_err(|e| anyhow!("{e}"))? == copy {
            sayln!(
                "bản sao trùng từng byte / the copy is identical  {}",
                path.display()
            )?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    anyhow::bail!(
        "KHÔNG KHỚP / MISMATCH: {path} không phải bản PDF hay DOCX của văn bản {sha256} / {path} \
         is not the PDF or DOCX of document {sha256}",
        path = path.display()
    )
}

/// A document's SHA-256 as typed (either case, spaces around), refused at once when it is not
/// one: the whole log was read before "no document" was said.
fn sha256_arg(typed: &str) -> Result<String, String> {
    let hash = typed.trim().to_ascii_lowercase();
    if thidua_domain::ids::is_sha256_hex(&hash) {
        Ok(hash)
    } else {
        Err(
            "không phải SHA-256 (64 chữ số thập lục phân) / not a SHA-256 (64 hexadecimal digits)"
                .into(),
        )
    }
}
