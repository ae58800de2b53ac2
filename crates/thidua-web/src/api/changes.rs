//! What a covenant version changed from the version it follows, in the API's covenant
//! representation (`versions[].changes` of `GET /api/v1/covenants/{id}`): the domain's
//! [`thidua_domain::covenant::diff`] as JSON, the same computation the covenant page shows.

use serde::Serialize;
use thidua_domain::covenant::diff::{
    CovenantDiff, RegulationDiff, TableChange, TargetChange, ValueChange,
};
use thidua_domain::state::Covenant;
use thidua_domain::State;
use utoipa::ToSchema;

use super::dto::{target_dto, unit_ref, TargetDto, UnitRef};

/// What a version changed from the version it follows (the one numbered before it: superseded,
/// withdrawn or frozen); everything the members sign that differs is listed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VersionChangesDto {
    /// The version it is compared with.
    pub from_version: u32,
    /// Nothing that the members sign differs (a withdrawn version brought back as it was).
    pub unchanged: bool,
    /// The covenant's own fields that differ: `title`, `place`, `signing_date` (ISO date).
    pub fields: Vec<FieldChangeDto>,
    /// Member units this version has and the other had not (each must sign).
    pub members_added: Vec<UnitRef>,
    pub members_removed: Vec<UnitRef>,
    /// Targets added, removed or changed (matched by id): those of this version in its order,
    /// then those removed.
    pub targets: Vec<TargetChangeDto>,
    /// The scoring regulation's changes; absent when its text is the same.
    pub regulation: Option<RegulationChangesDto>,
}

/// One field of the covenant, before and after.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldChangeDto {
    /// `title`, `place` or `signing_date`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One target that differs.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TargetChangeDto {
    /// `added`, `removed` or `changed`.
    pub change: String,
    pub id: String,
    /// The target in the version compared with; absent when added.
    pub before: Option<TargetDto>,
    /// The target in this version; absent when removed.
    pub after: Option<TargetDto>,
    /// For a changed target, the fields that differ (`threshold`, `range`, `comparison`,
    /// `subject`, `kind`, `area`, `baseline_year`, `unit_of_measure`, `indicator`).
    pub fields: Vec<String>,
}

/// What changed in the scoring regulation, read from the two canonical texts.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RegulationChangesDto {
    pub sha256_before: String,
    pub sha256_after: String,
    /// The regulation's own keys that differ (`total`, `name`, `bonus_cap`, `rounding.places` …).
    pub settings: Vec<ValueChangeDto>,
    /// Its tables (`criterion`, `area`, `rule`, `indicator`, `element`, `bonus`, `penalty`,
    /// `band`, `funnel`) added, removed or changed, matched by kind and id.
    pub tables: Vec<RegulationTableChangeDto>,
}

/// A key whose value differs, as the canonical text writes it (`10.5`, `"…"`, `{ kind = … }`);
/// absent on the side where the key is not written (its default).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ValueChangeDto {
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One table of the regulation that differs.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RegulationTableChangeDto {
    /// `criterion`, `area`, `rule` …
    pub table: String,
    pub id: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// Its name (the newer one when both exist).
    pub name: String,
    /// The keys that differ; every key of an added or removed table.
    pub values: Vec<ValueChangeDto>,
}

/// What `version` of `c` changed from the version it follows; `None` for the first.
pub fn changes_dto(state: &State, c: &Covenant, version: u32) -> Option<VersionChangesDto> {
    c.changes(version).map(|d| dto(state, &d))
}

/// What the latest amendment of draft `version` of `c` changed; `None` if never amended.
pub fn amendment_dto(state: &State, c: &Covenant, version: u32) -> Option<VersionChangesDto> {
    c.amendment_changes(version).map(|d| dto(state, &d))
}

fn dto(state: &State, d: &CovenantDiff) -> VersionChangesDto {
    let fields = [
        (
            "title",
            d.title
                .as_ref()
                .map(|(a, b)| (a.to_string(), b.to_string())),
        ),
        (
            "place",
            d.place
                .as_ref()
                .map(|(a, b)| (a.to_string(), b.to_string())),
        ),
        (
            "signing_date",
            d.signing_date.map(|(a, b)| (a.to_string(), b.to_string())),
        ),
    ];
    let units = |list: &[thidua_domain::UnitId]| list.iter().map(|u| unit_ref(state, u)).collect();
    VersionChangesDto {
        from_version: d.from,
        unchanged: d.is_empty(),
        fields: fields
            .into_iter()
            .filter_map(|(field, c)| {
                c.map(|(before, after)| FieldChangeDto {
                    field: field.to_owned(),
                    before,
                    after,
                })
            })
            .collect(),
        members_added: units(&d.members_added),
        members_removed: units(&d.members_removed),
        targets: d.targets.iter().map(target_change).collect(),
        regulation: d.regulation.as_ref().map(regulation),
    }
}

fn target_change(c: &TargetChange) -> TargetChangeDto {
    let (change, before, after, fields) = match c {
        TargetChange::Added(y) => ("added", None, Some(y), &[][..]),
        TargetChange::Removed(x) => ("removed", Some(x), None, &[][..]),
        TargetChange::Changed {
            before,
            after,
            fields,
        } => (
            "changed",
            Some(&**before),
            Some(&**after),
            fields.as_slice(),
        ),
    };
    let id = after
        .or(before)
        .map(|t| t.id.to_string())
        .unwrap_or_default();
    TargetChangeDto {
        change: change.to_owned(),
        id,
        before: before.map(target_dto),
        after: after.map(target_dto),
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
    }
}

fn value(v: &ValueChange) -> ValueChangeDto {
    ValueChangeDto {
        key: v.key.clone(),
        before: v.before.clone(),
        after: v.after.clone(),
    }
}

fn table(t: &TableChange) -> RegulationTableChangeDto {
    RegulationTableChangeDto {
        table: t.table.clone(),
        id: t.id.clone(),
        change: t.change.as_str().to_owned(),
        name: t.name.clone(),
        values: t.values.iter().map(value).collect(),
    }
}

fn regulation(r: &RegulationDiff) -> RegulationChangesDto {
    RegulationChangesDto {
        sha256_before: r.sha256_before.clone(),
        sha256_after: r.sha256_after.clone(),
        settings: r.settings.iter().map(value).collect(),
        tables: r.tables.iter().map(table).collect(),
    }
}
