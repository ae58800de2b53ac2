//! Synthetic clusters for benchmarks (`thidua bench figures`, `thidua bench progress`): the
//! commands that create `units` communes (`u00000`, `u00001`, …, under the province
//! `tinh-thu`) in one cluster, a movement of the year with the default calendar, and a covenant
//! draft; then every unit's signature.
//! Everything is invented and says so in its names.
use crate::calendar::default_calendar;
use crate::error::DomainError;
use crate::model::{CovenantContent, Target, UnitKind};
use crate::{ClusterId, Command, CovenantId, MovementId, State, Text, UnitId};

/// A benchmark text (invented; always valid).
pub fn text(s: &str) -> Text {
    Text::parse("bench", s, 300).expect("bench text")
}

/// The synthetic unit number `i`.
pub fn unit_id(i: u32) -> UnitId {
    UnitId::parse(&format!("u{i:05}")).expect("bench id")
}

/// What a synthetic covenant draft says.
pub struct Draft<'a> {
    pub covenant: &'a str,
    pub movement: &'a str,
    pub year: i32,
    pub title: &'a str,
    pub targets: Vec<Target>,
    /// The regulation's text (compiled and stored by [`crate::covenant::regulation_doc`]).
    pub regulation: &'a str,
}

/// The cluster `bench` of `units` communes for `draft.year`, the movement and the draft.
pub fn cluster_commands(units: u32, draft: Draft) -> Result<Vec<Command>, DomainError> {
    let cluster = ClusterId::parse("bench")?;
    let mut commands = vec![Command::CreateCluster {
        cluster: cluster.clone(),
        name: text("Khối thử tải (giả định)"),
    }];
    // Commune police stand under a provincial police (`UnitKind::parent_kinds`).
    let province = UnitId::parse("tinh-thu").expect("bench id");
    commands.push(Command::CreateUnit {
        unit: province.clone(),
        name: text("Công an tỉnh thử (giả định)"),
        short_code: text("TT"),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: chrono::NaiveDate::from_ymd_opt(2004, 1, 1).expect("date"),
    });
    commands.extend((0..units).map(|i| Command::CreateUnit {
        unit: unit_id(i),
        name: text(&format!("Công an xã thử {i} (giả định)")),
        short_code: text(&format!("U{i:05}")),
        kind: UnitKind::CommunePolice,
        parent: Some(province.clone()),
        established: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
    }));
    commands.push(Command::SetClusterYear {
        cluster: cluster.clone(),
        year: draft.year,
        members: (0..units).map(unit_id).collect(),
    });
    let movement = MovementId::parse(draft.movement)?;
    commands.push(Command::CreateMovement {
        movement: movement.clone(),
        name: text("Phong trào thử tải"),
        year: draft.year,
        plan_ref: text("01/KH-TEST"),
        slogan: None,
        calendar: default_calendar(draft.year),
    });
    commands.push(Command::DraftCovenant {
        covenant: CovenantId::parse(draft.covenant)?,
        movement,
        cluster,
        content: CovenantContent {
            title: text(draft.title),
            place: text("Hà Nội"),
            signing_date: chrono::NaiveDate::from_ymd_opt(draft.year, 3, 1).expect("date"),
            targets: draft.targets,
            regulation: crate::covenant::regulation_doc(draft.regulation)?,
        },
    });
    Ok(commands)
}

/// Every unit's signature of the covenant's first version, as drafted in `state`.
pub fn signatures(
    state: &State,
    covenant: &CovenantId,
    units: u32,
) -> Result<Vec<Command>, DomainError> {
    let hash = state.covenant(covenant)?.latest().hash.clone();
    Ok((0..units)
        .map(|i| Command::SignCovenant {
            covenant: covenant.clone(),
            version: 1,
            unit: unit_id(i),
            hash: hash.clone(),
        })
        .collect())
}
