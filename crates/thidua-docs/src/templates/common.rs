//! What several templates share: the cluster's bodies in the header, the members' order (head
//! first, then deputy, then the others in Vietnamese collation), a leader's title by the kind of
//! unit, Roman numerals of parts, the notes on why units stand where they do.

use chrono::NaiveDate;
use thidua_domain::documents::{self, DocumentKind};
use thidua_domain::ids::{ClusterId, UnitId};
use thidua_domain::model::{Role, Unit, UnitKind};
use thidua_domain::state::{Covenant, CovenantVersion};
use thidua_domain::{Actor, DomainError, State};

use crate::decree::{number_line, upper};
use crate::model::{Block, Header, SignatureBlock, Signatures, Span};
use thidua_scoring::render::{standing_in, Language, Naming};
use thidua_scoring::Scoreboard;

/// The cluster's bodies: the common parent of its members that year (the body above it, e.g.
/// "Bộ Công an") and the cluster's own name.
pub struct Bodies {
    pub parent: Option<String>,
    pub cluster: String,
}

impl Bodies {
    pub fn of(
        state: &State,
        cluster: &ClusterId,
        year: i32,
        date: NaiveDate,
    ) -> Result<Bodies, DomainError> {
        let c = state.cluster(cluster)?;
        let members = state.members(cluster, year)?;
        let parents: Vec<Option<&UnitId>> = members
            .iter()
            .filter_map(|m| state.units.get(m))
            .map(|u| u.parent.as_ref())
            .collect();
        let parent = match parents.first() {
            Some(Some(p)) if parents.iter().all(|q| *q == Some(*p)) => {
                state.units.get(*p).map(|u| u.name_on(date).to_string())
            }
            _ => None,
        };
        Ok(Bodies {
            parent,
            cluster: c.cluster.name.to_string(),
        })
    }

    /// The header's bodies in capitals.
    pub fn header(&self) -> (Option<String>, String) {
        (self.parent.as_deref().map(upper), upper(&self.cluster))
    }
}

/// The members of a cluster's year: the head first, then the deputy, then the others in
/// Vietnamese collation of their names.
pub fn members_head_first<'a>(
    state: &'a State,
    cluster: &ClusterId,
    year: i32,
    members: &'a [UnitId],
) -> Vec<&'a Unit> {
    let cy = state.cluster(cluster).ok().and_then(|c| c.years.get(&year));
    let head = cy.and_then(|y| y.head.as_ref()).map(|l| &l.unit);
    let deputy = cy.and_then(|y| y.deputy.as_ref()).map(|l| &l.unit);
    let mut units = state.sorted_by_name(members);
    let rank = |u: &Unit| {
        if Some(&u.id) == head {
            0
        } else if Some(&u.id) == deputy {
            1
        } else {
            2
        }
    };
    units.sort_by_key(|u| rank(u));
    units
}

/// The title of a unit's leader, in capitals.
pub fn leader_title(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::ProvincialPolice => "GIÁM ĐỐC",
        UnitKind::CommunePolice => "TRƯỞNG CÔNG AN",
        UnitKind::Ministry => "BỘ TRƯỞNG",
        UnitKind::MinistryDepartment => "THỦ TRƯỞNG ĐƠN VỊ",
    }
}

/// A unit's leader named with the unit, in capitals: the office and the unit's name on `date`
/// ("GIÁM ĐỐC", "CÔNG AN TỈNH KIÊN GIANG"; "TRƯỞNG", "CÔNG AN XÃ …").
pub fn leader_of(unit: &Unit, date: NaiveDate) -> (&'static str, String) {
    let office = match unit.kind {
        UnitKind::ProvincialPolice => "GIÁM ĐỐC",
        UnitKind::CommunePolice => "TRƯỞNG",
        UnitKind::Ministry => "BỘ TRƯỞNG",
        UnitKind::MinistryDepartment => "THỦ TRƯỞNG",
    };
    (office, upper(unit.name_on(date).as_str()))
}

/// The block a unit signs with as one party of minutes: its part (`role`, "ĐƠN VỊ KIỂM TRA"),
/// its leader's office above the unit's name, and the leader's name ([`leader_name`]: as
/// `version` of the covenant has it, else the unit's one leader). A unit that ceased by `date` is signed for by the
/// unit it went into ([`State::continuing_unit`]); one that split, by hand under its name.
pub fn party_block(
    state: &State,
    version: Option<&CovenantVersion>,
    unit: &UnitId,
    role: &str,
    date: NaiveDate,
) -> SignatureBlock {
    let Some(signing) = state.continuing_unit(unit, date) else {
        return SignatureBlock {
            authority: Some(role.to_owned()),
            title: upper(&unit_name(state, unit, date)),
            name: String::new(),
        };
    };
    let (office, name) = leader_of(signing, date);
    SignatureBlock {
        authority: Some(role.to_owned()),
        title: format!("{office}\n{name}"),
        name: leader_name(state, version, &signing.id),
    }
}

/// The name a block prints for `unit`'s leader: who signed `version` of the covenant for it,
/// else — a unit that did not sign it, such as the one a member went into after a merger — the
/// one account holding the unit's leader role; blank, to be written by hand, when nobody or
/// several do.
pub fn leader_name(state: &State, version: Option<&CovenantVersion>, unit: &UnitId) -> String {
    let signed = version.map(|v| signer_name(state, v, unit));
    if let Some(name) = signed.filter(|n| !n.is_empty()) {
        return name;
    }
    let mut leaders = state.users.values().filter(|u| {
        u.roles
            .iter()
            .any(|r| matches!(r, Role::Leader { unit: l } if l == unit))
    });
    match (leaders.next(), leaders.next()) {
        (Some(only), None) => only.display_name.to_string(),
        _ => String::new(),
    }
}

/// The place a unit's documents are dated at, read from its name as Decree 30/2020 names
/// places (appendix I): a provincial police is dated at its province ("Công an tỉnh Kiên
/// Giang" → "Kiên Giang", "Công an thành phố Hà Nội" → "Hà Nội", "Thành phố Hồ Chí Minh"
/// whole); `None` for a unit whose name says no province.
pub fn unit_place(unit: &Unit, date: NaiveDate) -> Option<String> {
    if unit.kind != UnitKind::ProvincialPolice {
        return None;
    }
    let name = unit.name_on(date).as_str();
    let rest = name.strip_prefix("Công an ")?;
    let lower = rest.to_lowercase();
    let province = if lower.starts_with("tỉnh ") {
        &rest["tỉnh ".len()..]
    } else if lower.starts_with("thành phố ") {
        &rest["thành phố ".len()..]
    } else {
        return None;
    };
    let province = province.trim();
    Some(match province {
        "" => return None,
        "Hồ Chí Minh" => "Thành phố Hồ Chí Minh".to_owned(),
        p => p.to_owned(),
    })
}

/// A cluster's covenant of `year`, if it has one.
pub fn year_covenant<'a>(state: &'a State, cluster: &ClusterId, year: i32) -> Option<&'a Covenant> {
    state
        .covenants
        .values()
        .find(|c| &c.cluster == cluster && c.year == year)
}

/// The version of a cluster's covenant of `year` that its documents follow: the one in force,
/// else the latest.
pub fn covenant_of_year<'a>(
    state: &'a State,
    cluster: &ClusterId,
    year: i32,
) -> Option<&'a CovenantVersion> {
    year_covenant(state, cluster, year).map(|c| c.in_force().unwrap_or_else(|| c.latest()))
}

/// The full name of the leader who signed `version` for `unit` (the name a covenant's block
/// prints); empty when nobody named signed it, to be written by hand.
pub fn signer_name(state: &State, version: &CovenantVersion, unit: &UnitId) -> String {
    match version.signatures.get(unit).map(|s| &s.signer) {
        Some(Actor::User(user)) => state
            .users
            .get(user)
            .map(|x| x.display_name.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A unit's name on `date` (its key when the unit is unknown).
pub fn unit_name(state: &State, unit: &UnitId, date: NaiveDate) -> String {
    state
        .units
        .get(unit)
        .map(|u| u.name_on(date).to_string())
        .unwrap_or_else(|| unit.to_string())
}

/// The name of the unit a document dated `date` is sent to for `unit`: the unit itself, or
/// the one it went into once it ceased ([`State::continuing_unit`]).
pub fn recipient_name(state: &State, unit: &UnitId, date: NaiveDate) -> String {
    state
        .continuing_unit(unit, date)
        .map(|u| u.name_on(date).to_string())
        .unwrap_or_else(|| unit_name(state, unit, date))
}

/// A unit's name on `date`, followed by the unit that answers for it once it ceased, as papers
/// written after a merger say it: "Công an tỉnh Hậu Giang (nay là Công an thành phố Cần Thơ)".
pub fn name_now(state: &State, unit: &UnitId, date: NaiveDate) -> String {
    let name = unit_name(state, unit, date);
    match state.continuing_unit(unit, date) {
        Some(now) if &now.id != unit => format!("{name} (nay là {})", now.name_on(date)),
        _ => name,
    }
}

/// The header of a numbered document of `kind` (`place_date`: `None` for minutes).
pub fn numbered_header(
    bodies: &Bodies,
    kind: DocumentKind,
    number: Option<u32>,
    place_date: Option<String>,
) -> Header {
    let (parent, issuing) = bodies.header();
    let symbol = documents::symbol(kind, &bodies.cluster);
    Header {
        parent_body: parent,
        issuing_body: issuing,
        number: documents::number_and_symbol(number, symbol.as_deref()).map(|n| number_line(&n)),
        place_date,
    }
}

/// The two blocks of the minutes of a cluster's conference: THƯ KÝ on the left, named by
/// hand (the system does not know who took the minutes), CHỦ TỌA on the right: the cluster
/// head's leader, who chairs it, named as for [`head_signature`].
pub fn minutes_signatures(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    date: NaiveDate,
) -> Signatures {
    let block = |title: &str, name: String| SignatureBlock {
        authority: None,
        title: title.to_owned(),
        name,
    };
    let chair = acting_head(state, cluster, year, date)
        .map(|u| head_leader_name(state, cluster, year, u))
        .unwrap_or_default();
    Signatures::Pair(block("THƯ KÝ", String::new()), block("CHỦ TỌA", chair))
}

/// The unit that heads a cluster's year, or the one it went into once it ceased by `date`.
fn acting_head<'a>(
    state: &'a State,
    cluster: &ClusterId,
    year: i32,
    date: NaiveDate,
) -> Option<&'a Unit> {
    let head = state
        .cluster(cluster)
        .ok()?
        .years
        .get(&year)?
        .head
        .as_ref()?;
    state.continuing_unit(&head.unit, date)
}

/// The name of `head`'s leader as the cluster's covenant of the year has it, else its one
/// leader ([`leader_name`]).
fn head_leader_name(state: &State, cluster: &ClusterId, year: i32, head: &Unit) -> String {
    leader_name(state, covenant_of_year(state, cluster, year), &head.id)
}

/// The block of a report or submission, signed for the cluster by its head unit's leader:
/// "TM. CỤM THI ĐUA SỐ 12", "CỤM TRƯỞNG" above "GIÁM ĐỐC CÔNG AN TỈNH …", the leader's name as
/// the covenant of the year has it (blank, to be written by hand, when none is known). A head
/// unit that ceased by `date` is signed for by the unit it went into (Kiên Giang's 2024 report
/// dated after 01/07/2025: "GIÁM ĐỐC CÔNG AN TỈNH AN GIANG").
pub fn head_signature(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    date: NaiveDate,
) -> Signatures {
    let name = state
        .cluster(cluster)
        .map(|c| upper(c.cluster.name.as_str()))
        .unwrap_or_default();
    let head = acting_head(state, cluster, year, date);
    let title = match head {
        Some(u) => {
            let (office, name) = leader_of(u, date);
            format!("CỤM TRƯỞNG\n{office} {name}")
        }
        None => "CỤM TRƯỞNG".to_owned(),
    };
    Signatures::Single(SignatureBlock {
        authority: Some(format!("TM. {name}")),
        title,
        name: head
            .map(|u| head_leader_name(state, cluster, year, u))
            .unwrap_or_default(),
    })
}

/// "Nơi nhận" of a cluster's report or submission: "- Như trên;" when addressed to the parent
/// body, the members, the archive.
pub fn cluster_recipients(bodies: &Bodies, addressed: bool) -> Vec<String> {
    let mut out = Vec::new();
    if addressed {
        out.push("- Như trên;".to_owned());
    }
    out.push(format!("- Các đơn vị thành viên {};", bodies.cluster));
    out.push(format!(
        "- Lưu: VT, {}.",
        documents::body_abbreviation(&bodies.cluster)
    ));
    out
}

/// The place a cluster's documents of `year` dated `date` are dated at by default: the place
/// of its covenant of that year (the version in force, else the latest), as it is named on
/// `date` ([`place_on`]).
pub fn default_place(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    date: NaiveDate,
) -> Option<String> {
    covenant_of_year(state, cluster, year).map(|v| place_on(state, v.content.place.as_str(), date))
}

/// `place` as a document dated `date` names it: the province of a provincial police that
/// ceased by then is no longer a place, and the province of the unit it went into is
/// (a covenant signed at "Kiên Giang" in 2024, a report of its year dated after 01/07/2025:
/// "An Giang"); any other place as it is.
pub fn place_on(state: &State, place: &str, date: NaiveDate) -> String {
    state
        .units
        .values()
        .filter(|u| u.dissolved.is_some_and(|d| d <= date))
        .find(|u| unit_place(u, date).as_deref() == Some(place))
        .and_then(|u| state.continuing_unit(&u.id, date))
        .and_then(|u| unit_place(u, date))
        .unwrap_or_else(|| place.to_owned())
}

/// The place the minutes of an inspection are held at by default: the inspected unit's
/// province ([`unit_place`]; the province of the unit it went into once it ceased), else the
/// place of its covenant, as named the day the inspection was held (the day its finding was
/// entered; `date`, the minutes' date, before there is one).
pub fn inspection_place(
    state: &State,
    covenant: &thidua_domain::ids::CovenantId,
    inspected: &UnitId,
    date: NaiveDate,
) -> Option<String> {
    let c = state.covenant(covenant).ok()?;
    let day = state
        .review(covenant)
        .ok()
        .and_then(|r| {
            let (_, index) = r.findings.iter().find(|(f, _)| &f.inspected == inspected)?;
            super::inspection::held_on(r, *index)
        })
        .unwrap_or(date);
    state
        .continuing_unit(inspected, day)
        .and_then(|u| unit_place(u, day))
        .or_else(|| default_place(state, &c.cluster, c.year, day))
}

/// A refusal to build a document: what is missing.
pub fn not_ready(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidValue {
        field,
        reason: reason.into(),
    }
}

/// How a later paper names the document `cluster` issued about `subject` of `year`: "số
/// 01/BB-CTĐ12 ngày 27/12/2024" ("ngày …" alone when it has no number); `None` until one is
/// issued (found by subject: one issued before subjects were recorded is not found).
pub fn issued_paper(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    subject: &documents::Subject,
) -> Option<String> {
    let d = documents::issued_about(state, cluster, subject.kind(), year, &subject.key(), "")?;
    Some(match d.number_and_symbol() {
        Some(n) => format!("số {n} ngày {}", dmy(d.date)),
        None => format!("ngày {}", dmy(d.date)),
    })
}

/// How minutes issued the day of the meeting they record open: "Hôm nay, ngày 18/12/2024, …".
pub const OPENING_TODAY: &str = "Hôm nay, ngày";

/// How minutes issued after the day of the meeting they record open: "Vào ngày 18/12/2024, …".
pub const OPENING_ON: &str = "Vào ngày";

/// The opening of minutes: the day the meeting they record was `held` and where, "Hôm nay,
/// ngày 18/12/2024, tại Kiên Giang" when they are `issued` that day, else "Vào ngày
/// 18/12/2024, tại Kiên Giang" (minutes written days later do not say "today" of their own
/// date: they state the day of what they record).
pub fn minutes_opening(held: NaiveDate, issued: NaiveDate, place: &str) -> String {
    let lead = if held == issued {
        OPENING_TODAY
    } else {
        OPENING_ON
    };
    format!("{lead} {}, tại {place}", dmy(held))
}

/// A date as dd/mm/yyyy.
pub fn dmy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// I, II, III… for the parts of a document (up to 39, more than any document has).
pub fn roman(n: usize) -> String {
    const TENS: [&str; 4] = ["", "X", "XX", "XXX"];
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    format!("{}{}", TENS[(n / 10).min(3)], ONES[n % 10])
}

/// The text with its first letter in lower case (a sentence continued after a colon).
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Why units stand where they do beyond their totals, in the board's order: the tie-break that
/// decided between equal totals, the quota that moved a unit down a band, the cluster head's
/// decision at a quota cut-off (the engine's sentences, units by the names in the board). Empty
/// when no unit needs one; otherwise a bold lead paragraph and one paragraph per sentence.
pub fn standing_notes(board: &Scoreboard) -> Vec<Block> {
    let name = |id: &str| board.unit(id).and_then(|u| u.name.clone());
    let no_element = |_: &str| None;
    let naming = Naming {
        unit: &name,
        element: &no_element,
        cite_file: false,
    };
    let notes: Vec<Block> = board
        .units
        .iter()
        .flat_map(|u| {
            let unit = u.name.clone().unwrap_or_else(|| u.unit.clone());
            standing_in(u, &naming, Language::Vi)
                .into_iter()
                .map(move |sentence| {
                    Block::Paragraph(vec![Span::plain(format!("- {unit}: {sentence}"))])
                })
        })
        .collect();
    if notes.is_empty() {
        return notes;
    }
    let mut blocks = vec![Block::Paragraph(vec![Span::bold(
        "Ghi chú về thứ hạng và xếp loại:",
    )])];
    blocks.extend(notes);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_are_read_from_provincial_police_names() {
        let unit = |name: &str, kind| Unit {
            id: UnitId::parse("u").unwrap(),
            name: thidua_domain::Text::parse("name", name, 200).unwrap(),
            short_code: thidua_domain::Text::parse("code", "U", 20).unwrap(),
            kind,
            parent: None,
            established: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
            dissolved: None,
            former_names: Vec::new(),
        };
        let day = NaiveDate::from_ymd_opt(2024, 12, 18).unwrap();
        let place = |name, kind| unit_place(&unit(name, kind), day);
        let police = UnitKind::ProvincialPolice;
        assert_eq!(
            place("Công an tỉnh Cà Mau", police).as_deref(),
            Some("Cà Mau")
        );
        assert_eq!(
            place("Công an thành phố Hà Nội", police).as_deref(),
            Some("Hà Nội")
        );
        assert_eq!(
            place("Công an Thành phố Hồ Chí Minh", police).as_deref(),
            Some("Thành phố Hồ Chí Minh")
        );
        assert_eq!(place("Phòng Tham mưu", police), None);
        assert_eq!(place("Công an xã Tân Hiệp", UnitKind::CommunePolice), None);
    }

    #[test]
    fn numerals_and_cases() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
        assert_eq!(lower_first("Giảm ít nhất 5%"), "giảm ít nhất 5%");
        assert_eq!(lower_first("Đạt 100%"), "đạt 100%");
    }
}
