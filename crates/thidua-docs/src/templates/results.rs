//! The results report (BÁO CÁO, symbol BC): the data function reads a scoreboard — the final
//! scores of a covenant's published year-end results, the only report that may be issued, or
//! for a preview what `thidua score` computes from a regulation and figures — and the cluster's
//! bodies; the template writes the grounds, the table of units with their totals, ranks and
//! bands as Vietnamese numbers ("95,5"), and the cluster head's signature block.

use chrono::NaiveDate;
use thidua_domain::documents::{self as issued, DocumentKind, Subject};
use thidua_domain::ids::ClusterId;
use thidua_domain::{DomainError, State};
use thidua_scoring::explain::Status;
use thidua_scoring::num::{column_places, vi_padded};
use thidua_scoring::render::vi_num;
use thidua_scoring::Scoreboard;

use super::common::{head_signature, standing_notes, Bodies};
use super::Prepared;
use crate::decree::{number_line, place_date};
use crate::model::{Align, Block, Column, Document, Header, Signatures, Span, Table, EDITION};

/// One row of the results table.
pub struct Row {
    pub name: String,
    pub total: String,
    pub rank: String,
    pub band: String,
}

/// What the results report says.
pub struct ResultsData {
    pub bodies: Bodies,
    pub abbreviation: String,
    pub year: i32,
    pub number: Option<String>,
    pub place: String,
    pub date: NaiveDate,
    pub regulation: String,
    pub regulation_hash: String,
    pub period: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<Row>,
    /// Why units stand where they do beyond their totals ([`standing_notes`]).
    pub notes: Vec<Block>,
    /// For the cluster, its head unit's leader.
    pub signatures: Signatures,
}

/// The data function, for the document numbered `number`. Unit names come from the scoreboard
/// (the data file's names), else the unit's key.
pub fn data(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    board: &Scoreboard,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<ResultsData, DomainError> {
    if board.units.is_empty() {
        return Err(DomainError::InvalidValue {
            field: "board",
            reason: "the scoreboard has no unit".into(),
        });
    }
    let bodies = Bodies::of(state, cluster, year, date)?;
    let kind = DocumentKind::Results;
    let symbol = issued::symbol(kind, &bodies.cluster);
    let totals: Vec<_> = board
        .units
        .iter()
        .filter_map(|u| u.total.as_ref()?.to_decimal())
        .collect();
    let places = column_places(&totals);
    let rows = board
        .units
        .iter()
        .map(|u| Row {
            name: u.name.clone().unwrap_or_else(|| u.unit.clone()),
            total: match (&u.total, u.status) {
                (Some(t), _) => t
                    .to_decimal()
                    .map_or_else(|| vi_num(t), |d| vi_padded(d, places)),
                (None, Status::NotScored) => "chưa chấm xong".to_owned(),
                (None, _) => "không tính được".to_owned(),
            },
            rank: u.rank.map(|r| r.to_string()).unwrap_or_default(),
            band: u.band.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
        })
        .collect();
    Ok(ResultsData {
        abbreviation: issued::body_abbreviation(&bodies.cluster),
        bodies,
        year,
        number: issued::number_and_symbol(number, symbol.as_deref()),
        place: place.to_owned(),
        date,
        regulation: board.regulation.clone(),
        regulation_hash: board.regulation_hash.clone(),
        period: board.period.name_vi(),
        from: board.from.clone(),
        to: board.to.clone(),
        rows,
        notes: standing_notes(board),
        signatures: head_signature(state, cluster, year, date),
    })
}

/// The template.
pub fn document(d: &ResultsData) -> Document {
    let (parent, issuing) = d.bodies.header();
    let table = Table::numbered(
        vec![
            Column::new("STT", 8, Align::Center),
            Column::new("Đơn vị", 44, Align::Left),
            Column::new("Tổng điểm", 17, Align::Right),
            Column::new("Xếp hạng", 13, Align::Center),
            Column::new("Xếp loại", 18, Align::Center),
        ],
        &d.rows,
        |r| {
            vec![
                r.name.clone(),
                r.total.clone(),
                r.rank.clone(),
                r.band.clone(),
            ]
        },
    );
    let mut body = vec![
        Block::Paragraph(vec![Span::plain(format!(
            "Căn cứ {} (mã SHA-256 {}), {} báo cáo kết quả chấm điểm thi đua {} (từ {} đến {}) của các đơn vị thành viên như sau:",
            d.regulation, d.regulation_hash, d.bodies.cluster, d.period, d.from, d.to
        ))]),
        Block::Table(table),
    ];
    body.extend(d.notes.iter().cloned());
    body.push(Block::Paragraph(vec![Span::plain(
            "Điểm được tính chính xác từ số liệu các đơn vị đã duyệt; mỗi lần làm tròn theo quy định đều tính từ giá trị chính xác; mọi đơn vị thành viên có thể tự tính lại kết quả từ cùng quy định và số liệu trên sổ thi đua.",
        )]));
    let mut recipients = Vec::new();
    if d.bodies.parent.is_some() {
        recipients.push("- Như trên;".to_owned());
    }
    recipients.push(format!("- Các đơn vị thành viên {};", d.bodies.cluster));
    recipients.push(format!("- Lưu: VT, {}.", d.abbreviation));
    Document {
        edition: EDITION,
        kind: DocumentKind::Results.key().to_owned(),
        header: Header {
            parent_body: parent,
            issuing_body: issuing,
            number: d.number.as_deref().map(number_line),
            place_date: Some(place_date(&d.place, d.date)),
        },
        type_line: "BÁO CÁO".to_owned(),
        subject: vec![subject(d.year)],
        addressee: d.bodies.parent.as_ref().map(|p| format!("Kính gửi: {p}")),
        body,
        signatures: d.signatures.clone(),
        recipients,
    }
}

/// The subject of the results report of `year`.
pub fn subject(year: i32) -> String {
    format!("Kết quả chấm điểm thi đua năm {year}")
}

/// The report of a covenant's published year-end results: the final scores of the log.
pub(super) fn prepare_published(
    state: &State,
    covenant: &thidua_domain::ids::CovenantId,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let c = state.covenant(covenant)?;
    let review = state.review(covenant)?;
    if review.published.is_none() {
        return Err(super::common::not_ready(
            "results",
            format!("the results of {covenant} are not published"),
        ));
    }
    let board = thidua_domain::yearend::score::scoreboard(
        state,
        review,
        thidua_domain::yearend::score::Scores::Final,
        false,
    )?;
    let mut p = built(state, &c.cluster, c.year, &board, place, date, number)?;
    p.subject = Some(Subject::Results {
        covenant: covenant.clone(),
    });
    p.records = review.published.iter().map(|(_, i)| *i).collect();
    Ok(p)
}

/// The report of a scoreboard computed outside the log (a regulation and figures scored as
/// `thidua score` does): a preview only. An issued results report says what the log published,
/// so it is built from a covenant's published results ([`prepare_published`]) and nothing else.
pub(super) fn prepare(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    board: &Scoreboard,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let mut p = built(state, cluster, year, board, place, date, number)?;
    p.not_issuable = Some(super::common::not_ready(
        "results",
        "a results report is issued only from the published results of a covenant in the log \
         (thidua doc results --covenant ID; on the pages, the cluster's \"Văn bản\" section); \
         a scoreboard computed from files gives a preview",
    ));
    Ok(p)
}

/// Data, template and what issuing records, numbered `number` (`None`: the next number).
fn built(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    board: &Scoreboard,
    place: &str,
    date: NaiveDate,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let d = data(state, cluster, year, board, place, date, number)?;
    Ok(Prepared {
        title: subject(year),
        document: document(&d),
        kind: DocumentKind::Results,
        cluster: cluster.clone(),
        year,
        date,
        number,
        subject: None,
        records: Vec::new(),
        sha256: String::new(),
        not_issuable: None,
        issued: None,
    })
}
