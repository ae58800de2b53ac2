//! The minutes of a vote count (BIÊN BẢN, symbol BB): the data function reads an election and
//! one of its counted rounds — the membership, the quorum and the approval threshold (shares of
//! the total membership), the ballots counted, each candidate's approvals, the elected and any
//! tie at the cut-off — and the record that makes the count verifiable: for an electronic
//! round, the record number of the count and the SHA-256 of the encrypted totals of the
//! ballots, which anyone recomputes from the log (`thidua verify`); for a paper round, the
//! counting team and the two members' confirmations, and, when the secretariat set aside the
//! electronic count of the round (too few trustees could decrypt it), that it did so, when and
//! why, the count being the paper one. The template writes them with the two blocks of minutes.
//! The minutes state the day of the count — the day (Vietnam time) of the event that counted
//! the round — and the units and the chair as they were that day, whatever the date they are
//! issued on.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use thidua_domain::documents::{DocumentKind, Subject};
use thidua_domain::ids::{ClusterId, ElectionId, UnitId};
use thidua_domain::model::LeadershipPosition;
use thidua_domain::votes::{
    self, outcome, AwardKind, Election, LeftOut, Outcome, Round, Tie, TieRule,
};
use thidua_domain::{DomainError, State};
use thidua_scoring::num::vi_dp;

use super::common::{
    dmy, minutes_opening, minutes_signatures, not_ready, numbered_header, roman, unit_name, Bodies,
};
use super::Prepared;
use crate::model::{Align, Block, Column, Document, Signatures, Span, Table, EDITION};

/// One candidate's line.
pub struct CandidateRow {
    pub name: String,
    pub approvals: u32,
    /// "80" for 4 of 5: approvals as a share of the total membership, in percent.
    pub share: String,
    pub passes: bool,
    pub elected: bool,
}

/// How the count can be checked against the log.
pub enum Proof {
    /// Counted from the encrypted ballots: the count's record and the SHA-256 of the totals.
    Electronic {
        closed_at: Option<u64>,
        counted_at: u64,
        totals_sha256: Option<String>,
        replaced: u32,
        /// The electronic counting team: the trustees whose checked decryption shares gave the
        /// totals, with the record of each share.
        trustees: Vec<(String, u64)>,
        /// Voters: the member units whose last ballot counted.
        ballots_cast: u32,
    },
    /// Counted on paper and confirmed by two members' leaders.
    Paper {
        issued: u32,
        returned: u32,
        /// The ballots counted ([`thidua_domain::votes::PaperCount::valid`]).
        valid: u32,
        invalid: u32,
        team: Vec<String>,
        /// Each confirming unit and the record of its confirmation.
        confirmed_by: Vec<(String, u64)>,
        /// The record of the paper count (`paper_count_recorded`), not of the confirmation
        /// that made it count.
        recorded_at: u64,
        /// The round's electronic count set aside before the paper count.
        set_aside: Option<SetAside>,
    },
}

/// The electronic count of a round set aside by the secretariat, which the members counted on
/// paper instead.
pub struct SetAside {
    pub reason: String,
    /// The record that set it aside, and its day (Vietnam time).
    pub index: u64,
    pub date: NaiveDate,
    /// The electronic ballots left uncounted, and the decryption shares posted of those needed.
    pub ballots: u32,
    pub shares: u32,
    pub threshold: u32,
}

/// A tie at the cut-off as the minutes state it.
pub struct TieFacts {
    pub tied: Vec<String>,
    /// The seats left to the tie.
    pub seats: u32,
    /// The choice and how it was reached, once decided.
    pub decided: Option<(Vec<String>, TieRule)>,
    /// Each recorded decision, in log order: the position ("cụm trưởng", "cụm phó"), the
    /// unit, its record and the units it chose.
    pub decisions: Vec<(&'static str, String, u64, Vec<String>)>,
}

/// What the vote-count minutes say.
pub struct VoteData {
    pub bodies: Bodies,
    pub cluster: ClusterId,
    pub year: i32,
    pub number: Option<u32>,
    pub place: String,
    /// The date the minutes are issued.
    pub date: NaiveDate,
    /// The day the round was counted ([`count_day`]).
    pub held: NaiveDate,
    pub title: String,
    pub round: u32,
    pub seats: u32,
    pub outcome: Outcome,
    pub approval: (u32, u32),
    pub quorum: (u32, u32),
    pub candidates: Vec<CandidateRow>,
    /// Members that are not candidates, each with why ("đang xem xét kỷ luật"), so the table
    /// leaving them out is explained: the reason `votes::not_candidates` decides, the one the
    /// election page tells.
    pub not_candidates: Vec<String>,
    pub elected: Vec<String>,
    /// A tie at the cut-off.
    pub tie: Option<TieFacts>,
    pub proof: Proof,
    pub award: AwardKind,
    /// THƯ KÝ and CHỦ TỌA ([`minutes_signatures`]) the day of the count.
    pub signatures: Signatures,
}

/// The counted round `round` of `election` (default: the last counted one).
pub fn counted_round(election: &Election, round: Option<u32>) -> Result<&Round, DomainError> {
    let found = match round {
        Some(n) => election.rounds.iter().find(|r| r.number == n),
        None => election.rounds.iter().rev().find(|r| r.count.is_some()),
    };
    let Some(found) = found else {
        return Err(DomainError::VoteRefused {
            code: match round {
                Some(_) => "vote_no_round",
                None => "vote_not_counted",
            },
            reason: match round {
                Some(n) => format!("election {} has no round {n}", election.id),
                None => format!("election {} has no counted round", election.id),
            },
        });
    };
    found
        .count
        .as_ref()
        .map(|_| found)
        .ok_or_else(|| DomainError::VoteRefused {
            code: "vote_not_counted",
            reason: format!(
                "round {} of election {} is not counted",
                found.number, election.id
            ),
        })
}

/// The day (Vietnam time) of the event that counted round `r` (for a paper count, the
/// confirmation that made it count): the day its minutes state.
pub fn count_day(r: &Round) -> Option<NaiveDate> {
    r.count
        .as_ref()
        .map(|c| thidua_domain::figures::local_date(c.time_ms))
}

/// Approvals as a percentage of the membership, one decimal, "80" or "66,7".
fn share(approvals: u32, members: u32) -> String {
    if members == 0 {
        return "0".to_owned();
    }
    vi_dp(
        Decimal::from(approvals) * Decimal::from(100) / Decimal::from(members),
        1,
    )
}

fn proof(state: &State, election: &Election, round: &Round, date: NaiveDate) -> Proof {
    let count = round.count.as_ref().expect("a counted round");
    match &round.paper {
        Some(p) if count.paper => Proof::Paper {
            issued: p.count.issued,
            returned: p.count.returned,
            valid: p.count.valid(),
            invalid: p.count.invalid,
            team: p
                .count
                .counting_team
                .iter()
                .map(|t| t.to_string())
                .collect(),
            confirmed_by: p
                .confirmations
                .iter()
                .map(|(u, c)| (unit_name(state, u, date), c.index))
                .collect(),
            recorded_at: p.recorded_at,
            set_aside: round.set_aside.as_ref().map(|a| SetAside {
                reason: a.reason.to_string(),
                index: a.index,
                date: thidua_domain::figures::local_date(a.time_ms),
                ballots: round.ballots.len() as u32,
                shares: round.shares.len() as u32,
                threshold: election.trustee_threshold,
            }),
        },
        _ => Proof::Electronic {
            closed_at: round.closed_at,
            counted_at: count.index,
            totals_sha256: round.totals_sha256(),
            replaced: round.ballots.values().map(|b| b.replaced).sum(),
            trustees: round
                .shares
                .iter()
                .map(|(u, (_, i))| (unit_name(state, u, date), *i))
                .collect(),
            ballots_cast: round.ballots.len() as u32,
        },
    }
}

/// The members of `e` that are not candidates of round `r`, named at `date` with why, the
/// reason [`votes::not_candidates`] decides for each ([`left_out_words`]).
fn not_candidates(state: &State, e: &Election, r: &Round, date: NaiveDate) -> Vec<String> {
    votes::not_candidates(state, e, r)
        .iter()
        .map(|(u, why)| {
            let why = left_out_words(state, e, r, why, date);
            format!("{} ({why})", unit_name(state, u, date))
        })
        .collect()
}

/// Why a member is not a candidate of round `r`, as the minutes word it, units named at `date`.
fn left_out_words(
    state: &State,
    e: &Election,
    r: &Round,
    why: &LeftOut,
    date: NaiveDate,
) -> String {
    let next = e.year + 1;
    match why {
        LeftOut::Proposed { election } => {
            let title = state
                .elections
                .get(election)
                .map_or_else(|| election.to_string(), |x| x.title.to_string());
            format!("đã được đề nghị tại cuộc bỏ phiếu «{title}»; mỗi thành tích chỉ được đề nghị một hình thức khen thưởng")
        }
        LeftOut::NotMemberNextYear { into: None } => {
            format!("không là thành viên của cụm năm {next}")
        }
        LeftOut::NotMemberNextYear { into: Some(u) } => format!(
            "không là thành viên của cụm năm {next}, tiếp nối bởi {}",
            unit_name(state, u, date)
        ),
        LeftOut::StandsAs { unit } => format!(
            "ứng cử dưới tên {}, đơn vị tiếp nối là thành viên của cụm năm {next}",
            unit_name(state, unit, date)
        ),
        LeftOut::NotRanked => format!("không được xếp hạng trong kết quả năm {}", e.year),
        LeftOut::DisciplinePending => {
            "đang xem xét kỷ luật, không đủ điều kiện đề nghị khen thưởng".to_owned()
        }
        LeftOut::Ineligible { basis } => format!(
            "không đủ điều kiện đề nghị khen thưởng theo thứ hạng Văn phòng cụm đã ghi nhận: {}",
            basis.as_str().trim_end_matches('.')
        ),
        LeftOut::ElectedInRound { round } => format!("đã được chọn ở vòng {round}"),
        LeftOut::NotCarried { round } => format!(
            "là ứng viên vòng {round}, không được đưa vào vòng {}",
            r.number
        ),
        LeftOut::NotListed => "không có trong danh sách ứng viên khi mở cuộc bỏ phiếu".to_owned(),
    }
}

/// A round's tie with its recorded decisions, units named at `date`.
fn tie_facts(state: &State, date: NaiveDate, tie: &Tie, r: &Round) -> TieFacts {
    let name = |u: &UnitId| unit_name(state, u, date);
    let mut records: Vec<_> = r.ties.iter().collect();
    records.sort_by_key(|(_, d)| d.index);
    TieFacts {
        tied: tie.candidates.iter().map(name).collect(),
        seats: tie.seats,
        decided: tie
            .decided
            .as_ref()
            .zip(tie.rule)
            .map(|(d, rule)| (d.iter().map(name).collect(), rule)),
        decisions: records
            .into_iter()
            .map(|(unit, d)| {
                let position = match d.position {
                    LeadershipPosition::Head => "cụm trưởng",
                    LeadershipPosition::Deputy => "cụm phó",
                };
                (
                    position,
                    name(unit),
                    d.index,
                    d.chosen.iter().map(name).collect(),
                )
            })
            .collect(),
    }
}

/// What the minutes say of a tie: the tied units, each recorded decision, and the choice with
/// how it was reached, or that it waits.
fn tie_paragraph(t: &TieFacts) -> String {
    let mut out = format!(
        "Các đơn vị {} bằng phiếu tại vị trí cuối cùng ({} vị trí).",
        t.tied.join(", "),
        t.seats
    );
    for (position, unit, index, chosen) in &t.decisions {
        out.push_str(&format!(
            " Đơn vị {position} {unit} quyết định chọn {} (số thứ tự {index}).",
            chosen.join(", ")
        ));
    }
    out.push(' ');
    out.push_str(&match &t.decided {
        Some((chosen, rule)) => format!("{} Đơn vị được chọn: {}.", tie_rule(*rule), chosen.join(", ")),
        None => "Chờ đơn vị cụm trưởng và cụm phó quyết định; nếu hai quyết định khác nhau thì theo quyết định của cụm trưởng.".to_owned(),
    });
    out
}

/// How the minutes say a tie was decided.
fn tie_rule(rule: TieRule) -> &'static str {
    match rule {
        TieRule::Agreed => "Đơn vị cụm trưởng và cụm phó cùng quyết định.",
        TieRule::HeadOverDeputy => {
            "Quyết định của đơn vị cụm trưởng và cụm phó khác nhau; theo quyết định của đơn vị cụm trưởng."
        }
        TieRule::HeadWithoutDeputy => {
            "Năm này cụm không có cụm phó; đơn vị cụm trưởng quyết định."
        }
        TieRule::DeputyWithoutHead => {
            "Năm này cụm không có cụm trưởng; đơn vị cụm phó quyết định."
        }
        TieRule::HeadDeputySilent => {
            "Đơn vị cụm phó không ghi quyết định trong thời hạn sau khi kiểm phiếu; theo quyết định của đơn vị cụm trưởng."
        }
    }
}

/// The data function: units named, and the chair found, as they were the day of the count.
pub fn data(
    state: &State,
    election: &ElectionId,
    round: Option<u32>,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<VoteData, DomainError> {
    let e = state.election(election)?;
    let r = counted_round(e, round)?;
    let o = outcome(e, r).ok_or_else(|| not_ready("round", "the round is not counted"))?;
    let held = count_day(r).unwrap_or(date);
    let name = |u| unit_name(state, u, held);
    Ok(VoteData {
        bodies: Bodies::of(state, &e.cluster, e.year, date)?,
        cluster: e.cluster.clone(),
        year: e.year,
        number,
        place: place.to_owned(),
        date,
        held,
        title: e.title.to_string(),
        round: r.number,
        seats: r.seats,
        approval: (e.approval.num, e.approval.den),
        quorum: (e.quorum.num, e.quorum.den),
        candidates: o
            .candidates
            .iter()
            .map(|c| CandidateRow {
                name: name(&c.unit),
                approvals: c.approvals,
                share: share(c.approvals, o.members),
                passes: c.passes,
                elected: c.elected,
            })
            .collect(),
        not_candidates: not_candidates(state, e, r, held),
        elected: o.elected.iter().map(name).collect(),
        tie: o.tie.as_ref().map(|t| tie_facts(state, held, t, r)),
        proof: proof(state, e, r, held),
        award: e.award,
        signatures: minutes_signatures(state, &e.cluster, e.year, held),
        outcome: o,
    })
}

impl VoteData {
    /// The records the minutes recite: the closing of the round, each trustee's share and the
    /// count, or the paper count and its confirmations.
    pub fn records(&self) -> Vec<u64> {
        match &self.proof {
            Proof::Electronic {
                closed_at,
                counted_at,
                trustees,
                ..
            } => closed_at
                .iter()
                .chain(trustees.iter().map(|(_, i)| i))
                .chain([counted_at])
                .copied()
                .collect(),
            Proof::Paper {
                confirmed_by,
                recorded_at,
                set_aside,
                ..
            } => set_aside
                .iter()
                .map(|a| a.index)
                .chain([*recorded_at])
                .chain(confirmed_by.iter().map(|(_, i)| *i))
                .collect(),
        }
    }
}

/// The subject line.
pub fn subject(d: &VoteData) -> String {
    format!("Kiểm phiếu vòng {}: {}", d.round, d.title)
}

fn table(d: &VoteData) -> Table {
    let yes = |b: bool| if b { "Có" } else { "Không" }.to_owned();
    Table::numbered(
        vec![
            Column::new("STT", 7, Align::Center),
            Column::new("Đơn vị", 37, Align::Left),
            Column::new("Số phiếu đồng ý", 16, Align::Right),
            Column::new("Tỷ lệ trên tổng số thành viên (%)", 16, Align::Right),
            Column::new("Đạt ngưỡng", 12, Align::Center),
            Column::new("Trúng", 12, Align::Center),
        ],
        &d.candidates,
        |c| {
            vec![
                c.name.clone(),
                c.approvals.to_string(),
                c.share.clone(),
                yes(c.passes),
                yes(c.elected),
            ]
        },
    )
}

fn proof_paragraphs(d: &VoteData) -> Vec<String> {
    match &d.proof {
        Proof::Electronic {
            closed_at,
            counted_at,
            totals_sha256,
            replaced,
            trustees,
            ballots_cast,
        } => {
            let team = trustees
                .iter()
                .map(|(u, i)| format!("{u} (số thứ tự {i})"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut out = vec![
                format!(
                    "Phiếu bầu là phiếu điện tử được mã hoá; mỗi đơn vị bỏ một phiếu, phiếu bỏ lại thay phiếu trước ({replaced} lần bỏ lại). {} (phiếu không chứng minh được tính hợp lệ bị từ chối ngay khi nộp). Kết quả được giải mã từ tổng mã hoá của các phiếu, không giải mã từng phiếu.",
                    ballots(
                        "Số phiếu phát ra (đơn vị có quyền bỏ phiếu)",
                        [d.outcome.members, *ballots_cast, d.outcome.ballots, 0]
                    )
                ),
                format!("Tổ kiểm phiếu (các đơn vị giữ khoá đã giải mã tổng phiếu, phần giải mã của mỗi đơn vị được kiểm chứng trước khi ghép): {team}."),
            ];
            let closed = closed_at
                .map(|i| format!("khoá vòng bỏ phiếu ghi ở số thứ tự {i}, "))
                .unwrap_or_default();
            out.push(match totals_sha256 {
                Some(h) => format!(
                    "Kiểm chứng: {closed}kết quả kiểm phiếu ghi trong sổ thi đua ở số thứ tự {counted_at}; tổng mã hoá của các phiếu có mã SHA-256 {h}. Mọi đơn vị kiểm lại được bằng lệnh thidua verify."
                ),
                None => format!(
                    "Kiểm chứng: {closed}kết quả kiểm phiếu ghi trong sổ thi đua ở số thứ tự {counted_at}. Mọi đơn vị kiểm lại được bằng lệnh thidua verify."
                ),
            });
            out
        }
        Proof::Paper {
            issued,
            returned,
            valid,
            invalid,
            team,
            confirmed_by,
            recorded_at,
            set_aside,
        } => {
            let confirmed = confirmed_by
                .iter()
                .map(|(u, i)| format!("{u} (số thứ tự {i})"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut out: Vec<String> = set_aside.iter().map(set_aside_paragraph).collect();
            out.extend([
                format!(
                    "Kiểm phiếu giấy tại phòng họp. {}. Tổ kiểm phiếu: {}.",
                    ballots(
                        "Số phiếu phát ra",
                        [*issued, *returned, *valid, *invalid]
                    ),
                    team.join(", ")
                ),
                format!(
                    "Kiểm chứng: kết quả kiểm phiếu giấy ghi trong sổ thi đua ở số thứ tự {recorded_at}, được xác nhận bởi {confirmed}."
                ),
            ]);
            out
        }
    }
}

/// What the minutes say of an electronic count set aside: the ballots left uncounted, the
/// shares that were missing, when and why, and that the count is the paper one.
fn set_aside_paragraph(a: &SetAside) -> String {
    format!(
        "Vòng bỏ phiếu điện tử có {} phiếu, nhưng chỉ {} trên {} đơn vị giữ khoá cần thiết gửi được phần giải mã nên tổng số phiếu điện tử không giải mã được. Ngày {}, Văn phòng cụm đã dừng kiểm phiếu điện tử (ghi trong sổ thi đua ở số thứ tự {}), lý do: {}. Các phiếu điện tử vẫn lưu trong sổ nhưng không được kiểm; kết quả dưới đây là kết quả kiểm phiếu giấy do các thành viên bỏ phiếu lại tại hội nghị.",
        a.ballots,
        a.shares,
        a.threshold,
        dmy(a.date),
        a.index,
        a.reason.trim_end_matches('.')
    )
}

/// The ballots of a count as the minutes state them: issued (`issued`, how the count names
/// them), returned, valid — the ones counted — and invalid.
fn ballots(issued: &str, [out, back, valid, invalid]: [u32; 4]) -> String {
    format!(
        "{issued}: {out}; số phiếu thu về: {back}; số phiếu hợp lệ: {valid}; số phiếu không hợp lệ: {invalid}"
    )
}

/// The valid ballots of the count: electronic ones all are (an invalid one is refused when
/// cast), paper ones are those returned less the invalid.
fn valid_ballots(d: &VoteData) -> u32 {
    match &d.proof {
        Proof::Paper { valid, .. } => *valid,
        Proof::Electronic { .. } => d.outcome.ballots,
    }
}

/// The ballots that chose no candidate: those that did not vote ("không biểu quyết", what the
/// count calls abstentions) and, where one seat makes it known, the valid ballots that voted
/// but approved no candidate.
fn blank_ballots(d: &VoteData) -> String {
    let o = &d.outcome;
    let mut out = format!("số phiếu không biểu quyết: {}", o.abstentions);
    if d.seats == 1 {
        let approving: u32 = o.candidates.iter().map(|c| c.approvals).sum();
        let none = valid_ballots(d).saturating_sub(o.abstentions + approving);
        out.push_str(&format!(
            "; số phiếu có biểu quyết nhưng không đồng ý đơn vị nào: {none}"
        ));
    }
    out
}

/// The template.
pub fn document(d: &VoteData) -> Document {
    let p = |s: String| Block::Paragraph(vec![Span::plain(s)]);
    let o = &d.outcome;
    let mut body = vec![
        p(format!(
            "{}, {} tiến hành kiểm phiếu vòng {}: {}.",
            minutes_opening(d.held, d.date, &d.place),
            d.bodies.cluster,
            d.round,
            d.title
        )),
        Block::Heading(format!("{}. SỐ PHIẾU VÀ ĐIỀU KIỆN", roman(1))),
        p(format!(
            "Tổng số đơn vị thành viên: {}; số đơn vị tham gia bỏ phiếu (số phiếu thu về, kể cả phiếu không hợp lệ): {}; số đơn vị cần tham gia (túc số {}/{} tổng số thành viên): {} — {}.",
            o.members,
            o.ballots,
            d.quorum.0,
            d.quorum.1,
            o.quorum_needed,
            if o.quorum_met { "đạt" } else { "không đạt" }
        )),
        p(format!(
            "Số phiếu đồng ý một đơn vị cần để đạt ngưỡng ({}/{} tổng số thành viên): {}; số đơn vị được chọn: {}; {}.",
            d.approval.0,
            d.approval.1,
            o.approvals_needed,
            d.seats,
            blank_ballots(d)
        )),
    ];
    body.extend(proof_paragraphs(d).into_iter().map(p));
    body.push(Block::Heading(format!("{}. KẾT QUẢ KIỂM PHIẾU", roman(2))));
    body.push(Block::Table(table(d)));
    if !d.not_candidates.is_empty() {
        body.push(p(format!(
            "Đơn vị thành viên không là ứng viên: {}.",
            d.not_candidates.join("; ")
        )));
    }
    body.push(Block::Heading(format!("{}. KẾT LUẬN", roman(3))));
    if !o.quorum_met {
        body.push(p(
            "Số đơn vị tham gia bỏ phiếu không đạt túc số; vòng bỏ phiếu không có kết quả, không đơn vị nào được chọn.".to_owned(),
        ));
    } else if d.elected.is_empty() && d.tie.is_none() {
        body.push(p("Không đơn vị nào đạt ngưỡng.".to_owned()));
    } else if !d.elected.is_empty() {
        body.push(p(format!(
            "Các đơn vị được chọn: {}.",
            d.elected.join("; ")
        )));
    }
    if let Some(tie) = &d.tie {
        body.push(p(tie_paragraph(tie)));
    }
    body.push(p(
        "Biên bản được lập từ các sự kiện ghi trong sổ thi đua và được thông qua tại hội nghị."
            .to_owned(),
    ));
    Document {
        edition: EDITION,
        kind: DocumentKind::VoteMinutes.key().to_owned(),
        header: numbered_header(&d.bodies, DocumentKind::VoteMinutes, d.number, None),
        type_line: "BIÊN BẢN".to_owned(),
        subject: vec![subject(d)],
        addressee: None,
        body,
        signatures: d.signatures.clone(),
        recipients: vec![
            format!("- Các đơn vị thành viên {};", d.bodies.cluster),
            format!(
                "- Lưu: VT, {}.",
                thidua_domain::documents::body_abbreviation(&d.bodies.cluster)
            ),
        ],
    }
}

/// Data, template and what issuing records, numbered `number`.
pub(super) fn prepare(
    state: &State,
    election: &ElectionId,
    round: Option<u32>,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let d = data(state, election, round, place, date, number)?;
    Ok(Prepared {
        title: subject(&d),
        records: d.records(),
        subject: Some(Subject::VoteCount {
            election: election.clone(),
            round: d.round,
        }),
        document: document(&d),
        kind: DocumentKind::VoteMinutes,
        cluster: d.cluster.clone(),
        year: d.year,
        date,
        number,
        sha256: String::new(),
        not_issuable: None,
        issued: None,
    })
}

#[cfg(test)]
mod tests {
    /// A round whose electronic count was set aside says so, when and why, before its paper
    /// count.
    #[test]
    fn the_minutes_of_a_set_aside_round_say_the_count_is_the_paper_one() {
        let a = super::SetAside {
            reason: "Hai đơn vị giữ khoá mất tệp khoá.".into(),
            index: 412,
            date: thidua_domain::figures::local_date(1_733_011_200_000 - 3_600_000),
            ballots: 5,
            shares: 2,
            threshold: 3,
        };
        assert_eq!(a.date.to_string(), "2024-12-01", "Vietnam's day, not UTC's");
        let p = super::set_aside_paragraph(&a);
        assert!(
            p.starts_with("Vòng bỏ phiếu điện tử có 5 phiếu, nhưng chỉ 2 trên 3 đơn vị giữ khoá"),
            "{p}"
        );
        assert!(p.contains("Ngày 01/12/2024, Văn phòng cụm đã dừng kiểm phiếu điện tử (ghi trong sổ thi đua ở số thứ tự 412), lý do: Hai đơn vị giữ khoá mất tệp khoá. Các phiếu"), "{p}");
        assert!(p.ends_with("kết quả dưới đây là kết quả kiểm phiếu giấy do các thành viên bỏ phiếu lại tại hội nghị."), "{p}");
    }

    /// Paper or electronic, the minutes state the valid ballots with the others.
    #[test]
    fn the_minutes_state_the_valid_ballots() {
        assert_eq!(
            super::ballots("Số phiếu phát ra", [5, 5, 4, 1]),
            "Số phiếu phát ra: 5; số phiếu thu về: 5; số phiếu hợp lệ: 4; số phiếu không hợp lệ: 1"
        );
    }
}
