//! The minutes of one cross-inspection (BIÊN BẢN, symbol BB): the data function reads, from the
//! year-end review of a covenant, the pair (inspecting unit, inspected unit) with the record of
//! the assignment that made it, the inspected unit's self-scores, the finding with its re-check
//! of drawn source records, the unit's response and how each criterion in question was settled
//! (accepted, resolved by the council, open). The template writes them as parts and a table,
//! with the record numbers of the log, signed by the two parties: the inspected unit's and the
//! inspecting unit's leaders. The minutes state the day the inspection was held — the day its
//! finding was entered in the log — and the parties as they were that day, whatever the date
//! they are issued on (which only their copies' recipients follow).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use thidua_domain::documents::{DocumentKind, Subject};
use thidua_domain::ids::{ClusterId, CovenantId, UnitId};
use thidua_domain::yearend::state::Settlement;
use thidua_domain::yearend::{Review, Verdict};
use thidua_domain::{DomainError, State};
use thidua_scoring::num::vi;

use super::common::{
    minutes_opening, name_now, not_ready, numbered_header, party_block, recipient_name, roman,
    unit_name, Bodies,
};
use super::Prepared;
use crate::model::{Align, Block, Column, Document, Signatures, Span, Table, EDITION};

/// One criterion as the minutes show it.
pub struct CriterionRow {
    pub id: String,
    pub name: String,
    pub max: String,
    pub self_score: String,
    /// "Thống nhất", "Đề nghị 6,5 điểm", "Đề nghị xem lại số liệu".
    pub opinion: String,
    pub reason: Option<String>,
    /// The inspected unit's answer, if it gave one.
    pub answer: Option<(bool, String)>,
    /// How it was settled, in words.
    pub settlement: String,
}

/// The re-check of drawn source records: how many checked, how many correct, and the declared
/// population (size, what the records are) when the unit declared one.
pub struct RecheckData {
    pub checked: u32,
    pub correct: u32,
    pub population: Option<(u32, String)>,
}

/// What the inspection minutes say.
pub struct InspectionData {
    pub bodies: Bodies,
    pub cluster: ClusterId,
    pub year: i32,
    pub number: Option<u32>,
    pub place: String,
    /// The date the minutes are issued.
    pub date: NaiveDate,
    /// The day the inspection was held: the day (Vietnam time) its finding was entered.
    pub held: NaiveDate,
    pub covenant_title: String,
    pub inspector: String,
    pub inspected: String,
    /// "bốc thăm công khai (sổ thi đua, số thứ tự 386)" or the secretariat's decision.
    pub assignment: String,
    /// Record number of the finding.
    pub finding_index: u64,
    pub recheck: Option<RecheckData>,
    /// The criteria in question first, then the others (agreed).
    pub rows: Vec<CriterionRow>,
    pub response_index: Option<u64>,
    /// The records of the assignment and of the council's resolutions on the inspected unit.
    pub assigned_at: Option<u64>,
    pub resolved_at: Vec<u64>,
    /// The two parties as they were the day it was held: the inspected unit's representative
    /// left, the inspecting unit's right.
    pub signatures: Signatures,
    /// Who receives a copy on the date of issue: the two parties, or the units they went into
    /// once they ceased.
    pub recipients: [String; 2],
    /// The parties as the composition names them the day it was held.
    pub parties: [String; 2],
}

/// The data function for the inspection of `inspected` by `inspector` under `covenant`.
#[allow(clippy::too_many_arguments)]
pub fn data(
    state: &State,
    covenant: &CovenantId,
    inspector: &UnitId,
    inspected: &UnitId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<InspectionData, DomainError> {
    let c = state.covenant(covenant)?;
    let review = state.review(covenant)?;
    let in_force = review
        .pairs()
        .iter()
        .any(|p| &p.inspector == inspector && &p.inspected == inspected);
    if !in_force {
        return Err(thidua_domain::yearend::error::refuse(
            "yearend_not_assigned",
            format!("{inspector} does not inspect {inspected} in the review of {covenant}"),
        ));
    }
    let (finding, finding_index) = review
        .findings
        .iter()
        .find(|(f, _)| &f.inspector == inspector && &f.inspected == inspected)
        .ok_or_else(|| {
            not_ready(
                "finding",
                format!("{inspector} has not submitted its finding on {inspected}"),
            )
        })?;
    let held = held_on(review, *finding_index).unwrap_or(date);
    let response = review.responses.get(inspected);
    let recheck = finding.recheck.map(|r| RecheckData {
        checked: r.checked,
        correct: r.correct,
        population: review
            .records
            .get(inspected)
            .map(|d| (d.population, d.description.to_string())),
    });
    Ok(InspectionData {
        bodies: Bodies::of(state, &c.cluster, c.year, date)?,
        cluster: c.cluster.clone(),
        year: c.year,
        number,
        place: place.to_owned(),
        date,
        held,
        covenant_title: c.latest().content.title.to_string(),
        inspector: unit_name(state, inspector, held),
        inspected: unit_name(state, inspected, held),
        assignment: assignment(review),
        finding_index: *finding_index,
        recheck,
        rows: rows(review, inspected, finding),
        response_index: response.map(|(_, i)| *i),
        assigned_at: review
            .decided
            .as_ref()
            .map(|(_, i)| *i)
            .or(review.drawn.as_ref().map(|(_, i)| *i)),
        resolved_at: review
            .resolutions
            .iter()
            .filter(|(r, _)| &r.unit == inspected)
            .map(|(_, i)| *i)
            .collect(),
        signatures: parties(state, c, inspector, inspected, held),
        recipients: [inspector, inspected].map(|u| recipient_name(state, u, date)),
        parties: [inspector, inspected].map(|u| name_now(state, u, held)),
    })
}

/// The day (Vietnam time) the finding recorded at `index` was entered: the day the inspection
/// was held.
pub fn held_on(review: &Review, index: u64) -> Option<NaiveDate> {
    review
        .finding_times
        .get(&index)
        .map(|t| thidua_domain::figures::local_date(*t))
}

/// The blocks of the two parties that sign the minutes, as their text says: the inspected
/// unit's and the inspecting unit's leaders on `held`, the day of the inspection (a unit that
/// ceased since still signs as itself), named as the covenant has them.
fn parties(
    state: &State,
    covenant: &thidua_domain::state::Covenant,
    inspector: &UnitId,
    inspected: &UnitId,
    date: NaiveDate,
) -> Signatures {
    let version = Some(covenant.in_force().unwrap_or_else(|| covenant.latest()));
    Signatures::Pair(
        party_block(state, version, inspected, "ĐƠN VỊ ĐƯỢC KIỂM TRA", date),
        party_block(state, version, inspector, "ĐƠN VỊ KIỂM TRA", date),
    )
}

fn assignment(review: &Review) -> String {
    match (&review.decided, &review.drawn) {
        (Some((_, i)), _) => format!(
            "quyết định của Thường trực cụm khi bốc thăm không tìm được phân công (sổ thi đua, số thứ tự {i})"
        ),
        (None, Some((_, i))) => format!(
            "kết quả bốc thăm công khai do các đơn vị cùng tham gia (sổ thi đua, số thứ tự {i})"
        ),
        (None, None) => "phân công của Thường trực cụm".to_owned(),
    }
}

fn points(d: Decimal) -> String {
    vi(d)
}

fn rows(
    review: &Review,
    inspected: &UnitId,
    finding: &thidua_domain::yearend::FindingSubmitted,
) -> Vec<CriterionRow> {
    let own = review.self_scores(inspected);
    let answers = review.responses.get(inspected).map(|(r, _)| &r.answers);
    let mut questioned = Vec::new();
    let mut agreed = Vec::new();
    for c in &review.criteria {
        let item = finding
            .items
            .get(&c.id)
            .filter(|i| i.verdict != Verdict::Agree);
        if item.is_none() && !c.manual {
            continue;
        }
        let opinion = match item {
            None => "Thống nhất".to_owned(),
            Some(i) => match (i.verdict, i.score) {
                (Verdict::Propose, Some(s)) => format!("Đề nghị {} điểm", points(s.0)),
                _ => "Đề nghị xem lại số liệu".to_owned(),
            },
        };
        let settlement = match (item, review.settlement(inspected, &c.id)) {
            (None, _) => String::new(),
            (_, Settlement::Accepted(s)) => {
                format!("Đơn vị chấp nhận; điểm {}", points(s))
            }
            (_, Settlement::Resolved(Some(s))) => {
                format!("Hội đồng cụm quyết định {} điểm", points(s))
            }
            (_, Settlement::Resolved(None)) => {
                "Hội đồng cụm quyết định giữ điểm tính từ số liệu".to_owned()
            }
            (_, _) => "Chưa giải quyết".to_owned(),
        };
        let row = CriterionRow {
            id: c.id.clone(),
            name: c.name.clone(),
            max: points(c.max),
            self_score: own.get(&c.id).map(|s| points(*s)).unwrap_or_else(|| {
                if c.manual {
                    "—".to_owned()
                } else {
                    "tính từ số liệu".to_owned()
                }
            }),
            opinion,
            reason: item.and_then(|i| i.reason.as_ref()).map(|r| r.to_string()),
            answer: item
                .and(answers)
                .and_then(|a| a.get(&c.id))
                .map(|a| (a.accept, a.text.to_string())),
            settlement,
        };
        if item.is_some() {
            questioned.push(row);
        } else {
            agreed.push(row);
        }
    }
    questioned.extend(agreed);
    questioned
}

impl InspectionData {
    /// The records the minutes recite: the assignment, the finding, the response, the
    /// council's resolutions.
    pub fn records(&self) -> Vec<u64> {
        let mut out = vec![self.finding_index];
        out.extend(self.assigned_at.iter().chain(&self.response_index));
        out.extend(&self.resolved_at);
        out
    }
}

/// The subject line of the minutes.
pub fn subject(d: &InspectionData) -> String {
    subject_of(d.year, &d.inspector, &d.inspected)
}

/// The subject line of the minutes of `inspector`'s inspection of `inspected` in `year`.
pub fn subject_of(year: i32, inspector: &str, inspected: &str) -> String {
    format!("Kiểm tra chéo kết quả thi đua năm {year} của {inspected} do {inspector} thực hiện")
}

fn table(d: &InspectionData) -> Table {
    Table::numbered(
        vec![
            Column::new("STT", 7, Align::Center),
            Column::new("Tiêu chí", 35, Align::Left),
            Column::new("Điểm tối đa", 12, Align::Right),
            Column::new("Điểm tự chấm", 14, Align::Right),
            Column::new("Ý kiến đoàn kiểm tra", 32, Align::Left),
        ],
        &d.rows,
        |r| {
            vec![
                format!("{} {}", r.id, r.name),
                r.max.clone(),
                r.self_score.clone(),
                r.opinion.clone(),
            ]
        },
    )
}

/// The template.
pub fn document(d: &InspectionData) -> Document {
    let p = |s: String| Block::Paragraph(vec![Span::plain(s)]);
    let mut body = vec![
        p(format!(
            "Căn cứ {} và phân công kiểm tra chéo theo {};",
            d.covenant_title, d.assignment
        )),
        p(format!(
            "{}, đoàn kiểm tra của {} tiến hành kiểm tra chéo kết quả tự chấm điểm thi đua năm {} của {}.",
            minutes_opening(d.held, d.date, &d.place),
            d.inspector,
            d.year,
            d.inspected
        )),
        Block::Heading(format!("{}. THÀNH PHẦN", roman(1))),
        p(format!("Đơn vị kiểm tra: {}.", d.parties[0])),
        p(format!("Đơn vị được kiểm tra: {}.", d.parties[1])),
        Block::Heading(format!("{}. KẾT QUẢ KIỂM TRA", roman(2))),
        p(format!(
            "Ý kiến của đoàn kiểm tra đối với từng tiêu chí (ghi trong sổ thi đua, số thứ tự {}):",
            d.finding_index
        )),
        Block::Table(table(d)),
    ];
    for r in d.rows.iter().filter(|r| r.reason.is_some()) {
        body.push(Block::Paragraph(vec![
            Span::bold(format!("Tiêu chí {}: ", r.id)),
            Span::plain(format!("{}.", r.reason.as_deref().unwrap_or_default())),
        ]));
    }
    body.push(p(match &d.recheck {
        Some(r) => {
            let wrong = r.checked - r.correct.min(r.checked);
            let within = match &r.population {
                Some((n, what)) => format!(" trong {n} hồ sơ ({what})"),
                None => String::new(),
            };
            format!(
                "Kiểm tra lại {} hồ sơ gốc được bốc thăm{within}: {} hồ sơ ghi đúng, {wrong} hồ sơ chưa đúng.",
                r.checked, r.correct
            )
        }
        None => "Đoàn kiểm tra không kiểm tra lại hồ sơ gốc.".to_owned(),
    }));
    body.push(Block::Heading(format!(
        "{}. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA VÀ KẾT QUẢ GIẢI QUYẾT",
        roman(3)
    )));
    let questioned: Vec<&CriterionRow> =
        d.rows.iter().filter(|r| !r.settlement.is_empty()).collect();
    if questioned.is_empty() {
        // Under the inspected unit's heading, in its terms: nothing was questioned, so it had
        // nothing to answer and nothing was settled.
        body.push(p(format!(
            "Đoàn kiểm tra của {} không đề nghị điều chỉnh điểm tiêu chí nào, nên {} không có ý kiến phải giải quyết; kết quả tự chấm điểm được giữ nguyên.",
            d.inspector, d.inspected
        )));
    }
    for r in questioned {
        let answer = match (&r.answer, d.response_index) {
            (Some((accept, text)), Some(i)) => answer_words(*accept, text, i),
            _ => "đơn vị chưa có ý kiến.".to_owned(),
        };
        body.push(Block::Paragraph(vec![
            Span::bold(format!("Tiêu chí {}: ", r.id)),
            Span::plain(format!("{answer} Kết quả: {}.", r.settlement)),
        ]));
    }
    body.push(p(
        "Biên bản được lập từ các sự kiện ghi trong sổ thi đua; các bên đã thống nhất nội dung và cùng ký dưới đây.".to_owned(),
    ));
    Document {
        edition: EDITION,
        kind: DocumentKind::InspectionMinutes.key().to_owned(),
        header: numbered_header(&d.bodies, DocumentKind::InspectionMinutes, d.number, None),
        type_line: "BIÊN BẢN".to_owned(),
        subject: vec![subject(d)],
        addressee: None,
        body,
        signatures: d.signatures.clone(),
        recipients: vec![
            format!("- {};", d.recipients[0]),
            format!("- {};", d.recipients[1]),
            format!(
                "- Lưu: VT, {}.",
                thidua_domain::documents::body_abbreviation(&d.bodies.cluster)
            ),
        ],
    }
}

/// Data, template and what issuing records, numbered `number`.
#[allow(clippy::too_many_arguments)]
pub(super) fn prepare(
    state: &State,
    covenant: &CovenantId,
    inspector: &UnitId,
    inspected: &UnitId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let d = data(state, covenant, inspector, inspected, place, date, number)?;
    Ok(Prepared {
        title: subject(&d),
        records: d.records(),
        subject: Some(Subject::Inspection {
            covenant: covenant.clone(),
            inspector: inspector.clone(),
            inspected: inspected.clone(),
        }),
        document: document(&d),
        kind: DocumentKind::InspectionMinutes,
        cluster: d.cluster.clone(),
        year: d.year,
        date,
        number,
        sha256: String::new(),
        not_issuable: None,
        issued: None,
    })
}

/// The inspected unit's answer on one criterion, as a sentence: whether it accepted the proposed
/// score, the response's record, and its words when it gave any (an acceptance needs none; it
/// was written "…(số thứ tự 12): Kết quả" with nothing after the colon).
fn answer_words(accept: bool, text: &str, record: u64) -> String {
    let verb = if accept {
        "đơn vị chấp nhận"
    } else {
        "đơn vị không chấp nhận"
    };
    let text = text.trim();
    if text.is_empty() {
        return format!("{verb} (số thứ tự {record}).");
    }
    let stop = if text.ends_with(['.', '!', '?', '…']) {
        ""
    } else {
        "."
    };
    format!("{verb} (số thứ tự {record}): {text}{stop}")
}

#[cfg(test)]
mod tests {
    use super::answer_words;

    #[test]
    fn an_answer_reads_as_a_sentence_with_or_without_words() {
        assert_eq!(
            answer_words(true, "  ", 12),
            "đơn vị chấp nhận (số thứ tự 12)."
        );
        assert_eq!(
            answer_words(false, "Số liệu đã được kiểm toán", 13),
            "đơn vị không chấp nhận (số thứ tự 13): Số liệu đã được kiểm toán."
        );
        assert_eq!(
            answer_words(true, "Đồng ý.", 14),
            "đơn vị chấp nhận (số thứ tự 14): Đồng ý."
        );
    }
}
