//! The submission proposing awards (TỜ TRÌNH, symbol TTr): the data function reads an election
//! for an award (a flag or a certificate; not the choice of next year's head or deputy) whose
//! rounds decided — every round counted, any tie at the cut-off decided, someone elected — with
//! the grounds in the log: the year's ranking (the published results or the recorded
//! standings) and the count of each round that elected. The template proposes every unit the
//! election elected (round 1's, then round 2's) to the parent body, with their rank and
//! approvals, names the papers of its dossier (by number and date once issued), and is signed
//! for the cluster by the head unit's leader.

use chrono::NaiveDate;
use thidua_domain::documents::{DocumentKind, Subject};
use thidua_domain::ids::{ClusterId, ElectionId, UnitId};
use thidua_domain::votes::{outcome, AwardKind, Election, Outcome, Round};
use thidua_domain::{DomainError, State};

use super::common::{
    cluster_recipients, head_signature, issued_paper, not_ready, numbered_header, unit_name,
    year_covenant, Bodies,
};
use super::Prepared;
use crate::decree::place_date;
use crate::model::{Align, Block, Column, Document, Signatures, Span, Table, EDITION};

/// One proposed unit.
pub struct ProposedRow {
    pub name: String,
    pub rank: String,
    pub approvals: u32,
}

/// What the submission says.
pub struct AwardData {
    pub bodies: Bodies,
    pub cluster: ClusterId,
    pub year: i32,
    pub number: Option<u32>,
    pub place: String,
    pub date: NaiveDate,
    /// "Cờ thi đua của Bộ Công an".
    pub award: &'static str,
    pub election_title: String,
    /// The rounds that elected: each one's number and the record of its count.
    pub rounds: Vec<(u32, u64)>,
    pub members: u32,
    pub approvals_needed: u32,
    pub approval: (u32, u32),
    /// The record of the published results or of the standings the ranks come from.
    pub ranking: Option<(&'static str, u64)>,
    pub proposed: Vec<ProposedRow>,
    /// What the dossier encloses: the year-end report, the count's minutes and the results,
    /// each by its number and date once issued ([`enclosures`]).
    pub enclosed: Vec<Enclosure>,
    pub signatures: Signatures,
}

/// One paper of the dossier: how the submission names it, and whether it was issued.
pub struct Enclosure {
    pub name: String,
    pub issued: bool,
}

/// The award's name, `None` for an election that decides no award.
pub fn award_name(kind: AwardKind) -> Option<&'static str> {
    match kind {
        AwardKind::GovernmentFlag => Some("Cờ thi đua của Chính phủ"),
        AwardKind::MinistryFlag => Some("Cờ thi đua của Bộ Công an"),
        AwardKind::Certificate => Some("Bằng khen"),
        AwardKind::Head | AwardKind::Deputy => None,
    }
}

/// A unit's rank in the year and the record it comes from: the published results of the
/// cluster's review of that year, else the recorded standing.
fn rank(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    unit: &UnitId,
) -> Option<(u32, &'static str, u64)> {
    let published = state
        .yearend
        .reviews
        .values()
        .filter(|r| &r.cluster == cluster && r.year == year)
        .find_map(|r| r.published.as_ref())
        .and_then(|(p, i)| {
            let r = p.results.iter().find(|r| &r.unit == unit)?.rank?;
            Some((r, "kết quả chấm điểm thi đua", *i))
        });
    published.or_else(|| {
        let s = state.standings.get(cluster)?.get(&year)?.get(unit)?;
        Some((s.rank, "kết quả xếp hạng thi đua", s.recorded_at))
    })
}

/// The papers the submission encloses: the cluster's year-end report, the minutes of the
/// count of each of `rounds` and the results report — "Báo cáo tổng kết số 05/BC-CTĐ12 ngày
/// 30/12/2024" once issued (found by subject: a paper issued before subjects were recorded is
/// named in general), else in general ("báo cáo tổng kết").
pub fn enclosures(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    election: &ElectionId,
    rounds: &[u32],
) -> Vec<Enclosure> {
    let results = year_covenant(state, cluster, year).map(|c| Subject::Results {
        covenant: c.id.clone(),
    });
    let year_report = Subject::YearReport {
        cluster: cluster.clone(),
        year,
    };
    let mut papers = vec![(Some(year_report), "báo cáo tổng kết", "Báo cáo tổng kết")];
    papers.extend(rounds.iter().map(|&round| {
        let count = Subject::VoteCount {
            election: election.clone(),
            round,
        };
        (Some(count), "biên bản kiểm phiếu", "Biên bản kiểm phiếu")
    }));
    papers.push((
        results,
        "kết quả chấm điểm của cụm",
        "Báo cáo kết quả chấm điểm",
    ));
    papers
        .into_iter()
        .map(|(subject, general, named)| {
            match subject.and_then(|s| issued_paper(state, cluster, year, &s)) {
                Some(paper) => Enclosure {
                    name: format!("{named} {paper}"),
                    issued: true,
                },
                None => Enclosure {
                    name: general.to_owned(),
                    issued: false,
                },
            }
        })
        .collect()
}

/// "hồ sơ kèm theo gồm báo cáo tổng kết, biên bản kiểm phiếu và kết quả chấm điểm của cụm";
/// with papers named by number, one after another: "hồ sơ kèm theo gồm: Báo cáo tổng kết số
/// 05/BC-CTĐ12 ngày 30/12/2024; biên bản kiểm phiếu; …".
fn dossier(enclosed: &[Enclosure]) -> String {
    let names: Vec<&str> = enclosed.iter().map(|e| e.name.as_str()).collect();
    if enclosed.iter().all(|e| !e.issued) {
        if let [init @ .., last] = names.as_slice() {
            return format!("hồ sơ kèm theo gồm {} và {last}", init.join(", "));
        }
    }
    format!("hồ sơ kèm theo gồm: {}", names.join("; "))
}

/// The data function.
pub fn data(
    state: &State,
    election: &ElectionId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<AwardData, DomainError> {
    let e = state.election(election)?;
    let award = award_name(e.award).ok_or_else(|| {
        not_ready(
            "election",
            format!("election {election} decides no award (next year's head or deputy)"),
        )
    })?;
    let decided = decided_rounds(e)?;
    let mut ranking = None;
    let proposed = decided
        .iter()
        .flat_map(|(_, o)| o.elected.iter().map(move |u| (u, o)))
        .map(|(u, o)| {
            let found = rank(state, &e.cluster, e.year, u);
            if let Some((_, what, i)) = found {
                ranking.get_or_insert((what, i));
            }
            ProposedRow {
                name: unit_name(state, u, date),
                rank: found.map(|(r, _, _)| r.to_string()).unwrap_or_default(),
                approvals: o
                    .candidates
                    .iter()
                    .find(|c| &c.unit == u)
                    .map_or(0, |c| c.approvals),
            }
        })
        .collect();
    let rounds: Vec<(u32, u64)> = decided
        .iter()
        .map(|(r, _)| (r.number, r.count.as_ref().map_or(0, |c| c.index)))
        .collect();
    let (_, first) = &decided[0];
    Ok(AwardData {
        bodies: Bodies::of(state, &e.cluster, e.year, date)?,
        cluster: e.cluster.clone(),
        year: e.year,
        number,
        place: place.to_owned(),
        date,
        award,
        election_title: e.title.to_string(),
        members: first.members,
        approvals_needed: first.approvals_needed,
        approval: (e.approval.num, e.approval.den),
        ranking,
        proposed,
        enclosed: enclosures(
            state,
            &e.cluster,
            e.year,
            election,
            &rounds.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        ),
        rounds,
        signatures: head_signature(state, &e.cluster, e.year, date),
    })
}

/// The counted rounds of `e` that elected someone, with their outcomes, in order: not ready
/// while a round is not counted or a tie awaits the head's and the deputy's decision, nor
/// when no round elected anyone.
pub(crate) fn decided_rounds(e: &Election) -> Result<Vec<(&Round, Outcome)>, DomainError> {
    if let Some(r) = e.rounds.iter().find(|r| r.awaits_count()) {
        return Err(DomainError::VoteRefused {
            code: "vote_not_counted",
            reason: format!("round {} of election {} is not counted", r.number, e.id),
        });
    }
    let counted: Vec<(&Round, Outcome)> = e
        .rounds
        .iter()
        .filter_map(|r| Some((r, outcome(e, r)?)))
        .collect();
    if counted
        .iter()
        .any(|(_, o)| o.tie.as_ref().is_some_and(|t| t.decided.is_none()))
    {
        return Err(not_ready(
            "round",
            "a tie at the cut-off awaits the head's and the deputy's decision",
        ));
    }
    let decided: Vec<(&Round, Outcome)> = counted
        .into_iter()
        .filter(|(_, o)| !o.elected.is_empty())
        .collect();
    if decided.is_empty() {
        let reason = match e.rounds.iter().rev().find_map(|r| outcome(e, r)) {
            Some(o) if !o.quorum_met => "the counted round did not reach the quorum",
            Some(_) => "no candidate reached the threshold",
            None => "no round reached the quorum",
        };
        return Err(not_ready("round", reason));
    }
    Ok(decided)
}

impl AwardData {
    /// The records the submission cites: the ranking and the count of each round that elected. The papers it encloses
    /// by number come before it in the cluster's numbering, which already keeps its date from
    /// preceding theirs (`documents::check_order`).
    pub fn records(&self) -> Vec<u64> {
        let ranked = self.ranking.map(|(_, i)| i);
        ranked
            .into_iter()
            .chain(self.rounds.iter().map(|(_, i)| *i))
            .collect()
    }
}

/// The subject line.
pub fn subject(d: &AwardData) -> String {
    format!("Đề nghị tặng {} năm {}", d.award, d.year)
}

fn table(d: &AwardData) -> Table {
    Table::numbered(
        vec![
            Column::new("STT", 8, Align::Center),
            Column::new("Đơn vị", 50, Align::Left),
            Column::new("Xếp hạng", 16, Align::Center),
            Column::new("Số phiếu đồng ý / tổng số thành viên", 26, Align::Center),
        ],
        &d.proposed,
        |r| {
            vec![
                r.name.clone(),
                r.rank.clone(),
                format!("{}/{}", r.approvals, d.members),
            ]
        },
    )
}

/// The template.
pub fn document(d: &AwardData) -> Document {
    let p = |s: String| Block::Paragraph(vec![Span::plain(s)]);
    let to = d
        .bodies
        .parent
        .clone()
        .unwrap_or_else(|| "cấp có thẩm quyền".to_owned());
    let mut body = Vec::new();
    if let Some((what, i)) = d.ranking {
        body.push(p(format!(
            "Căn cứ {what} năm {} của {} (ghi trong sổ thi đua, số thứ tự {i});",
            d.year, d.bodies.cluster
        )));
    }
    let rounds = d
        .rounds
        .iter()
        .map(|(n, i)| format!("vòng {n} (kết quả kiểm phiếu ghi trong sổ thi đua ở số thứ tự {i}"))
        .collect::<Vec<_>>()
        .join(") và ");
    body.push(p(format!(
        "Căn cứ kết quả bỏ phiếu “{}”, {rounds}; ngưỡng {}/{} tổng số thành viên, tức {} trên {} phiếu đồng ý),",
        d.election_title,
        d.approval.0,
        d.approval.1,
        d.approvals_needed,
        d.members
    )));
    body.push(p(format!(
        "{} kính trình {} xem xét, đề nghị tặng {} năm {} cho {:02} đơn vị sau:",
        d.bodies.cluster,
        to,
        d.award,
        d.year,
        d.proposed.len()
    )));
    body.push(Block::Table(table(d)));
    body.push(p(format!(
        "Các đơn vị được đề nghị không trong thời gian thi hành kỷ luật; {}.",
        dossier(&d.enclosed)
    )));
    body.push(p(format!("Kính trình {to} xem xét, quyết định./.")));
    Document {
        edition: EDITION,
        kind: DocumentKind::AwardSubmission.key().to_owned(),
        header: numbered_header(
            &d.bodies,
            DocumentKind::AwardSubmission,
            d.number,
            Some(place_date(&d.place, d.date)),
        ),
        type_line: "TỜ TRÌNH".to_owned(),
        subject: vec![subject(d)],
        addressee: d.bodies.parent.as_ref().map(|p| format!("Kính gửi: {p}")),
        body,
        signatures: d.signatures.clone(),
        recipients: cluster_recipients(&d.bodies, d.bodies.parent.is_some()),
    }
}

/// Data, template and what issuing records, numbered `number`.
pub(super) fn prepare(
    state: &State,
    election: &ElectionId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let d = data(state, election, place, date, number)?;
    Ok(Prepared {
        title: subject(&d),
        records: d.records(),
        subject: Some(Subject::Award {
            election: election.clone(),
        }),
        document: document(&d),
        kind: DocumentKind::AwardSubmission,
        cluster: d.cluster.clone(),
        year: d.year,
        date,
        number,
        sha256: String::new(),
        not_issuable: None,
        issued: None,
    })
}
