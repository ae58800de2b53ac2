//! The covenant as a paper ("Bản giao ước thi đua năm …"): the data function reads a version of
//! a covenant with its cluster, movement, members and signers; the template lays out the
//! grounds, the targets by area as Vietnamese sentences ([`thidua_domain::wording`]), the
//! scoring regulation and the version's hash, and one signature block per member unit, head
//! first. A covenant is not among the decree's types: no number, no symbol.

use chrono::NaiveDate;
use thidua_domain::documents::{DocumentKind, Subject};
use thidua_domain::ids::{ClusterId, CovenantId};
use thidua_domain::model::Target;
use thidua_domain::{DomainError, State};

use super::common::{leader_title, lower_first, members_head_first, roman, signer_name, Bodies};
use super::Prepared;
use crate::decree::{place_date, upper};
use crate::model::{Block, Document, Header, SignatureBlock, Signatures, Span, EDITION};

/// What the covenant document says.
pub struct CovenantData {
    pub bodies: Bodies,
    pub cluster: ClusterId,
    pub year: i32,
    pub title: String,
    pub place: String,
    pub date: NaiveDate,
    pub movement: String,
    pub plan_ref: String,
    pub version: u32,
    pub hash: String,
    pub regulation_hash: String,
    pub targets: Vec<Target>,
    /// Member units, head first: (name in capitals, leader's title, signer's name or "").
    pub signers: Vec<(String, &'static str, String)>,
    pub frozen: bool,
}

/// The data function: a version of `covenant` (default: in force, else the latest).
pub fn data(
    state: &State,
    covenant: &CovenantId,
    version: Option<u32>,
) -> Result<CovenantData, DomainError> {
    let c = state.covenant(covenant)?;
    let v = match version {
        Some(n) => c.version(n).ok_or_else(|| DomainError::UnknownVersion {
            covenant: covenant.to_string(),
            version: n,
        })?,
        None => c.in_force().unwrap_or_else(|| c.latest()),
    };
    let movement = state.movement(&c.movement)?;
    let date = v.content.signing_date;
    let signers = members_head_first(state, &c.cluster, c.year, &v.members)
        .into_iter()
        .map(|u| {
            let name = signer_name(state, v, &u.id);
            (upper(u.name_on(date).as_str()), leader_title(u.kind), name)
        })
        .collect();
    Ok(CovenantData {
        bodies: Bodies::of(state, &c.cluster, c.year, date)?,
        cluster: c.cluster.clone(),
        year: c.year,
        title: v.content.title.to_string(),
        place: v.content.place.to_string(),
        date,
        movement: movement.name.to_string(),
        plan_ref: movement.plan_ref.to_string(),
        version: v.version,
        hash: v.hash.clone(),
        regulation_hash: v.content.regulation.sha256.clone(),
        targets: v.content.targets.clone(),
        signers,
        frozen: v.frozen_at.is_some(),
    })
}

/// The template.
pub fn document(d: &CovenantData) -> Document {
    let (parent, issuing) = d.bodies.header();
    let mut body = vec![
        Block::Paragraph(vec![Span::plain(format!(
            "Căn cứ Kế hoạch số {} về phong trào thi đua “{}” năm {};",
            d.plan_ref, d.movement, d.year
        ))]),
        Block::Paragraph(vec![Span::plain(format!(
            "Các đơn vị thành viên {} thống nhất ký giao ước thi đua năm {} với các chỉ tiêu sau:",
            d.bodies.cluster, d.year
        ))]),
    ];
    let mut areas: Vec<&str> = Vec::new();
    for t in &d.targets {
        if !areas.contains(&t.area.as_str()) {
            areas.push(t.area.as_str());
        }
    }
    let mut n = 0;
    for (i, area) in areas.iter().enumerate() {
        body.push(Block::Heading(format!("{}. {}", roman(i + 1), upper(area))));
        for t in d.targets.iter().filter(|t| t.area.as_str() == *area) {
            n += 1;
            let sentence =
                thidua_domain::wording::sentence_after_subject(&thidua_domain::wording::VI, t);
            body.push(Block::Paragraph(vec![
                Span::plain(format!("{n}. {}: ", t.subject)),
                Span::plain(format!("{}.", lower_first(&sentence))),
            ]));
        }
    }
    body.push(Block::Heading(format!(
        "{}. TỔ CHỨC THỰC HIỆN",
        roman(areas.len() + 1)
    )));
    body.push(Block::Paragraph(vec![Span::plain(format!(
        "Kết quả thực hiện các chỉ tiêu được chấm điểm theo Quy định chấm điểm kèm theo giao ước (mã SHA-256 {}).",
        d.regulation_hash
    ))]));
    body.push(Block::Paragraph(vec![Span::plain(format!(
        "Giao ước này là phiên bản {} (mã SHA-256 {}), được lãnh đạo các đơn vị thành viên ký xác nhận trên hệ thống Thi Đua; bản giấy được lập thành {:02} bản có giá trị như nhau, mỗi đơn vị giữ 01 bản.",
        d.version,
        d.hash,
        d.signers.len()
    ))]));
    let blocks = d
        .signers
        .iter()
        .map(|(unit, title, name)| SignatureBlock {
            authority: Some(unit.clone()),
            title: (*title).to_owned(),
            name: name.clone(),
        })
        .collect();
    Document {
        edition: EDITION,
        kind: DocumentKind::Covenant.key().to_owned(),
        header: Header {
            parent_body: parent,
            issuing_body: issuing,
            number: None,
            place_date: Some(place_date(&d.place, d.date)),
        },
        type_line: "BẢN GIAO ƯỚC THI ĐUA".to_owned(),
        subject: vec![d.title.clone()],
        addressee: None,
        body,
        signatures: Signatures::Grid(blocks),
        recipients: vec![
            format!("- Các đơn vị thành viên {};", d.bodies.cluster),
            "- Lưu: VT.".to_owned(),
        ],
    }
}

/// Data, template and what issuing records; a version not yet frozen may be previewed only.
pub(super) fn prepare(
    state: &State,
    covenant: &CovenantId,
    version: Option<u32>,
) -> Result<Prepared, DomainError> {
    let d = data(state, covenant, version)?;
    let not_issuable = (!d.frozen).then(|| DomainError::CovenantNotFrozen {
        covenant: covenant.to_string(),
        version: d.version,
    });
    Ok(Prepared {
        document: document(&d),
        kind: DocumentKind::Covenant,
        cluster: d.cluster.clone(),
        year: d.year,
        date: d.date,
        number: None,
        title: d.title.clone(),
        subject: Some(Subject::Covenant {
            covenant: covenant.clone(),
            version: d.version,
        }),
        // Dated by its signing, fixed in its content and checked when it was drafted.
        records: Vec::new(),
        sha256: String::new(),
        not_issuable,
        issued: None,
    })
}
