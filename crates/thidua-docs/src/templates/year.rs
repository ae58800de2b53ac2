//! The cluster's year-end report (BÁO CÁO, symbol BC): the data function reads, from the log,
//! the published results of the year-end review of a covenant (totals self-assessed and final,
//! ranks, bands by their names in the regulation, eligibility), the inspections held with how
//! their questions were settled, and the cluster's elections of that year with what each
//! decided. The template writes them as three parts with the record numbers, addressed to the
//! parent body, signed for the cluster by the head unit's leader.

use chrono::NaiveDate;
use thidua_domain::documents::{DocumentKind, Subject};
use thidua_domain::ids::{ClusterId, CovenantId};
use thidua_domain::state::Covenant;
use thidua_domain::votes::{outcome, Outcome, Round};
use thidua_domain::wire::yearend::{Points, PublishedResult};
use thidua_domain::yearend::score::{data_id, scoreboard, Scores};
use thidua_domain::yearend::state::Settlement;
use thidua_domain::{DomainError, State};
use thidua_scoring::num::{column_places, vi_padded};

use super::common::{
    cluster_recipients, head_signature, issued_paper, not_ready, numbered_header, roman,
    standing_notes, unit_name, Bodies,
};
use super::Prepared;
use crate::decree::place_date;
use crate::model::{Align, Block, Column, Document, Signatures, Span, Table, EDITION};

/// One unit's published result.
pub struct ResultRow {
    pub name: String,
    pub self_total: String,
    pub final_total: String,
    pub rank: String,
    pub band: String,
    pub eligible: bool,
    /// Why a unit cannot be proposed for awards, as the secretariat recorded it (a discipline
    /// case pending, its note).
    pub not_eligible_because: Option<String>,
}

/// One inspection held.
pub struct InspectionRow {
    pub inspector: String,
    pub inspected: String,
    /// "Thống nhất" or "2 tiêu chí có ý kiến, đã giải quyết 2".
    pub outcome: String,
    pub index: Option<u64>,
    /// Its minutes once issued: "số 01/BB-CTĐ12 ngày 18/12/2024".
    pub minutes: Option<String>,
}

/// One election of the year.
pub struct ElectionRow {
    pub title: String,
    /// "Cờ thi đua của Bộ Công an: Công an tỉnh Kiên Giang, …", or what is still pending.
    pub result: String,
    pub index: Option<u64>,
    /// The minutes of the count once issued: "số 02/BB-CTĐ12 ngày 27/12/2024".
    pub minutes: Option<String>,
}

/// What the year-end report says.
pub struct YearData {
    pub bodies: Bodies,
    pub cluster: ClusterId,
    pub year: i32,
    pub number: Option<u32>,
    pub place: String,
    pub date: NaiveDate,
    pub covenant_title: String,
    pub movement: String,
    pub regulation_hash: String,
    pub published_at: u64,
    /// The results report once issued: "số 05/BC-CTĐ12 ngày 30/12/2024".
    pub results_report: Option<String>,
    pub results: Vec<ResultRow>,
    /// Why units stand where they do beyond their totals ([`standing_notes`]).
    pub standing: Vec<Block>,
    pub assignment_index: Option<u64>,
    pub inspections: Vec<InspectionRow>,
    pub elections: Vec<ElectionRow>,
    /// For the cluster, its head unit's leader.
    pub signatures: Signatures,
}

/// The data function: the year of `covenant`, once its results are published.
pub fn data(
    state: &State,
    covenant: &CovenantId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<YearData, DomainError> {
    let c = state.covenant(covenant)?;
    let review = state.review(covenant)?;
    let (published, published_at) = review.published.as_ref().ok_or_else(|| {
        not_ready(
            "results",
            format!("the results of {covenant} are not published"),
        )
    })?;
    let board = scoreboard(state, review, Scores::Final, false)?;
    let mut rows: Vec<_> = published.results.iter().collect();
    rows.sort_by_key(|r| (r.rank.unwrap_or(u32::MAX), r.unit.clone()));
    let name = |u| unit_name(state, u, date);
    let places = |total: fn(&PublishedResult) -> Option<Points>| {
        column_places(
            &rows
                .iter()
                .filter_map(|r| total(r))
                .map(|p| p.0)
                .collect::<Vec<_>>(),
        )
    };
    let (self_places, final_places) = (places(|r| r.self_total), places(|r| r.final_total));
    let results = rows
        .into_iter()
        .map(|r| {
            let band = data_id(review, &r.unit)
                .and_then(|id| board.unit(&id))
                .and_then(|x| x.band.as_ref())
                .map(|b| b.name.clone())
                .or_else(|| r.band.clone())
                .unwrap_or_default();
            ResultRow {
                name: name(&r.unit),
                self_total: r
                    .self_total
                    .map(|p| vi_padded(p.0, self_places))
                    .unwrap_or_default(),
                final_total: r
                    .final_total
                    .map(|p| vi_padded(p.0, final_places))
                    .unwrap_or_default(),
                rank: r.rank.map(|x| x.to_string()).unwrap_or_default(),
                band,
                eligible: r.eligible,
                not_eligible_because: review
                    .eligibility
                    .get(&r.unit)
                    .filter(|e| e.discipline_pending)
                    .map(|e| match e.note.as_str().trim() {
                        "" => "đang xem xét kỷ luật".to_owned(),
                        note => format!("đang xem xét kỷ luật: {note}"),
                    }),
            }
        })
        .collect();
    let inspections = inspection_rows(state, c, review, date);
    let movement = state.movement(&c.movement)?;
    Ok(YearData {
        bodies: Bodies::of(state, &c.cluster, c.year, date)?,
        cluster: c.cluster.clone(),
        year: c.year,
        number,
        place: place.to_owned(),
        date,
        covenant_title: c.latest().content.title.to_string(),
        movement: movement.name.to_string(),
        regulation_hash: published.regulation.clone(),
        published_at: *published_at,
        results_report: issued_paper(
            state,
            &c.cluster,
            c.year,
            &Subject::Results {
                covenant: c.id.clone(),
            },
        ),
        results,
        standing: standing_notes(&board),
        assignment_index: review
            .decided
            .as_ref()
            .map(|(_, i)| *i)
            .or(review.drawn.as_ref().map(|(_, i)| *i)),
        inspections,
        elections: elections(state, &c.cluster, c.year, date),
        signatures: head_signature(state, &c.cluster, c.year, date),
    })
}

/// Each inspection held: who inspected whom, how its questions were settled, its record and
/// its minutes once issued.
fn inspection_rows(
    state: &State,
    c: &Covenant,
    review: &thidua_domain::yearend::Review,
    date: NaiveDate,
) -> Vec<InspectionRow> {
    let name = |u| unit_name(state, u, date);
    review
        .pairs()
        .iter()
        .map(|p| {
            let finding = review
                .findings
                .iter()
                .find(|(f, _)| f.inspector == p.inspector && f.inspected == p.inspected);
            let questioned: Vec<&String> = finding
                .map(|(f, _)| {
                    f.items
                        .iter()
                        .filter(|(_, i)| i.verdict != thidua_domain::yearend::Verdict::Agree)
                        .map(|(k, _)| k)
                        .collect()
                })
                .unwrap_or_default();
            let settled = questioned
                .iter()
                .filter(|k| {
                    !matches!(
                        review.settlement(&p.inspected, k),
                        Settlement::Open | Settlement::Undisputed
                    )
                })
                .count();
            let outcome = match (finding, questioned.len()) {
                (None, _) => "Chưa nộp kết quả kiểm tra".to_owned(),
                (Some(_), 0) => "Thống nhất".to_owned(),
                (Some(_), n) => format!("{n} tiêu chí có ý kiến, đã giải quyết {settled}"),
            };
            InspectionRow {
                inspector: name(&p.inspector),
                inspected: name(&p.inspected),
                outcome,
                index: finding.map(|(_, i)| *i),
                minutes: issued_paper(
                    state,
                    &c.cluster,
                    c.year,
                    &Subject::Inspection {
                        covenant: c.id.clone(),
                        inspector: p.inspector.clone(),
                        inspected: p.inspected.clone(),
                    },
                ),
            }
        })
        .collect()
}

/// The cluster's elections of `year`, in the order they were opened.
fn elections(state: &State, cluster: &ClusterId, year: i32, date: NaiveDate) -> Vec<ElectionRow> {
    let mut list: Vec<_> = state
        .elections
        .values()
        .filter(|e| &e.cluster == cluster && e.year == year)
        .collect();
    list.sort_by_key(|e| e.opened_at);
    list.into_iter()
        .map(|e| {
            let counted = e.rounds.iter().rev().find(|r| r.count.is_some());
            let said: Vec<String> = e
                .rounds
                .iter()
                .filter_map(|r| Some(round_result(state, r, &outcome(e, r)?, date)))
                .collect();
            let result = if said.is_empty() {
                "Chưa kiểm phiếu".to_owned()
            } else {
                said.join("; ")
            };
            ElectionRow {
                title: e.title.to_string(),
                result,
                index: counted.and_then(|r| r.count.as_ref()).map(|c| c.index),
                minutes: counted.and_then(|r| {
                    let subject = Subject::VoteCount {
                        election: e.id.clone(),
                        round: r.number,
                    };
                    issued_paper(state, cluster, year, &subject)
                }),
            }
        })
        .collect()
}

/// What a counted round of an election gave, as the report says it: "Vòng 1: Công an tỉnh
/// Kiên Giang", and a tie at the cut-off that awaits the head's and the deputy's decision.
fn round_result(state: &State, r: &Round, o: &Outcome, date: NaiveDate) -> String {
    let n = r.number;
    if !o.quorum_met {
        return format!("Vòng {n} không đạt túc số");
    }
    let name = |u| unit_name(state, u, date);
    let mut said: Vec<String> = o.elected.iter().map(name).collect();
    if let Some(tie) = o.tie.as_ref().filter(|t| t.decided.is_none()) {
        let tied: Vec<String> = tie.candidates.iter().map(name).collect();
        said.push(format!(
            "{} bằng phiếu ở vị trí cuối ({} vị trí), chờ cụm trưởng và cụm phó quyết định",
            tied.join(", "),
            tie.seats
        ));
    }
    if said.is_empty() {
        return format!("Vòng {n}: không đơn vị nào đạt ngưỡng");
    }
    format!("Vòng {n}: {}", said.join("; "))
}

impl YearData {
    /// The records the report cites: the publication, the assignment, each inspection's
    /// finding, each election's count.
    pub fn records(&self) -> Vec<u64> {
        let mut out = vec![self.published_at];
        out.extend(self.assignment_index);
        out.extend(self.inspections.iter().filter_map(|r| r.index));
        out.extend(self.elections.iter().filter_map(|e| e.index));
        out
    }
}

/// The subject line.
pub fn subject(year: i32) -> String {
    format!("Tổng kết phong trào thi đua năm {year}")
}

fn record(i: Option<u64>) -> String {
    i.map(|i| i.to_string()).unwrap_or_else(|| "—".to_owned())
}

fn results_table(d: &YearData) -> Table {
    Table::numbered(
        vec![
            Column::new("STT", 7, Align::Center),
            Column::new("Đơn vị", 33, Align::Left),
            Column::new("Điểm tự chấm", 14, Align::Right),
            Column::new("Điểm sau kiểm tra", 14, Align::Right),
            Column::new("Xếp hạng", 10, Align::Center),
            Column::new("Xếp loại", 22, Align::Center),
        ],
        &d.results,
        |r| {
            vec![
                r.name.clone(),
                r.self_total.clone(),
                r.final_total.clone(),
                r.rank.clone(),
                r.band.clone(),
            ]
        },
    )
}

fn inspections_table(d: &YearData) -> Table {
    Table::numbered(
        vec![
            Column::new("STT", 7, Align::Center),
            Column::new("Đơn vị kiểm tra", 28, Align::Left),
            Column::new("Đơn vị được kiểm tra", 28, Align::Left),
            Column::new("Kết quả", 25, Align::Left),
            Column::new("Số thứ tự trong sổ", 12, Align::Center),
        ],
        &d.inspections,
        |r| {
            vec![
                r.inspector.clone(),
                r.inspected.clone(),
                match &r.minutes {
                    Some(m) => format!("{} (biên bản {m})", r.outcome),
                    None => r.outcome.clone(),
                },
                record(r.index),
            ]
        },
    )
}

/// The template.
pub fn document(d: &YearData) -> Document {
    let p = |s: String| Block::Paragraph(vec![Span::plain(s)]);
    let not_eligible: Vec<String> = d
        .results
        .iter()
        .filter(|r| !r.eligible)
        .map(|r| match &r.not_eligible_because {
            Some(why) => format!("{} ({why})", r.name),
            None => r.name.clone(),
        })
        .collect();
    let mut body = vec![
        p(format!(
            "Thực hiện phong trào thi đua “{}” năm {} và {}, {} báo cáo tổng kết như sau:",
            d.movement, d.year, d.covenant_title, d.bodies.cluster
        )),
        Block::Heading(format!("{}. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", roman(1))),
        p(format!(
            "Kết quả được công bố trong sổ thi đua ở số thứ tự {}{}, tính theo quy định chấm điểm có mã SHA-256 {}; mọi đơn vị tính lại được bằng lệnh thidua verify.",
            d.published_at,
            d.results_report
                .as_ref()
                .map(|r| format!(" (báo cáo kết quả chấm điểm {r})"))
                .unwrap_or_default(),
            d.regulation_hash
        )),
        Block::Table(results_table(d)),
    ];
    body.extend(d.standing.iter().cloned());
    if !not_eligible.is_empty() {
        body.push(p(format!(
            "Không đủ điều kiện đề nghị khen thưởng: {}.",
            not_eligible.join("; ")
        )));
    }
    body.push(Block::Heading(format!("{}. KIỂM TRA CHÉO", roman(2))));
    body.push(p(match d.assignment_index {
        Some(i) => format!(
            "Cụm tổ chức {} cuộc kiểm tra chéo theo phân công ghi trong sổ thi đua ở số thứ tự {i}:",
            d.inspections.len()
        ),
        None => "Cụm chưa có phân công kiểm tra chéo.".to_owned(),
    }));
    if !d.inspections.is_empty() {
        body.push(Block::Table(inspections_table(d)));
    }
    body.push(Block::Heading(format!("{}. BÌNH XÉT, BỎ PHIẾU", roman(3))));
    if d.elections.is_empty() {
        body.push(p("Cụm chưa tổ chức bỏ phiếu trong năm.".to_owned()));
    }
    for e in &d.elections {
        body.push(Block::Paragraph(vec![
            Span::bold(format!("{}: ", e.title)),
            Span::plain(match (e.index, &e.minutes) {
                (Some(i), Some(m)) => format!(
                    "{} (kết quả kiểm phiếu, số thứ tự {i}; biên bản kiểm phiếu {m}).",
                    e.result
                ),
                (Some(i), None) => format!("{} (kết quả kiểm phiếu, số thứ tự {i}).", e.result),
                (None, _) => format!("{}.", e.result),
            }),
        ]));
    }
    Document {
        edition: EDITION,
        kind: DocumentKind::YearReport.key().to_owned(),
        header: numbered_header(
            &d.bodies,
            DocumentKind::YearReport,
            d.number,
            Some(place_date(&d.place, d.date)),
        ),
        type_line: "BÁO CÁO".to_owned(),
        subject: vec![subject(d.year)],
        addressee: d.bodies.parent.as_ref().map(|p| format!("Kính gửi: {p}")),
        body,
        signatures: d.signatures.clone(),
        recipients: cluster_recipients(&d.bodies, d.bodies.parent.is_some()),
    }
}

/// Data, template and what issuing records, numbered `number`.
pub(super) fn prepare(
    state: &State,
    covenant: &CovenantId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let d = data(state, covenant, place, date, number)?;
    Ok(Prepared {
        title: subject(d.year),
        records: d.records(),
        subject: Some(Subject::YearReport {
            cluster: d.cluster.clone(),
            year: d.year,
        }),
        document: document(&d),
        kind: DocumentKind::YearReport,
        cluster: d.cluster.clone(),
        year: d.year,
        date,
        number,
        sha256: String::new(),
        not_issuable: None,
        issued: None,
    })
}
