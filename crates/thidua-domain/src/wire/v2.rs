//! Format 2 of `covenant_drafted` and `covenant_draft_amended`: a target may name the
//! regulation's indicator that measures it (`indicator`, omitted when absent). Content without
//! indicators encodes exactly as format 1, so a covenant's hash does not depend on which format
//! carried it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::v1::{Comparison, RegulationDoc, TargetKind};
use crate::ids::{ClusterId, CovenantId, MovementId, TargetId, UnitId};
use crate::model;
use crate::text::Text;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: TargetId,
    pub area: Text,
    pub kind: TargetKind,
    pub subject: Text,
    pub comparison: Comparison,
    pub threshold: Option<Decimal>,
    pub range: Option<(Decimal, Decimal)>,
    pub baseline_year: Option<i32>,
    pub unit_of_measure: Option<Text>,
    /// Added in format 2; absent rather than `null` when the target names no indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
}

impl From<&model::Target> for Target {
    fn from(t: &model::Target) -> Self {
        Self {
            id: t.id.clone(),
            area: t.area.clone(),
            kind: t.kind.into(),
            subject: t.subject.clone(),
            comparison: t.comparison.into(),
            threshold: t.threshold,
            range: t.range,
            baseline_year: t.baseline_year,
            unit_of_measure: t.unit_of_measure.clone(),
            indicator: t.indicator.clone(),
        }
    }
}

impl From<Target> for model::Target {
    fn from(t: Target) -> Self {
        Self {
            id: t.id,
            area: t.area,
            kind: t.kind.into(),
            subject: t.subject,
            comparison: t.comparison.into(),
            threshold: t.threshold,
            range: t.range,
            baseline_year: t.baseline_year,
            unit_of_measure: t.unit_of_measure,
            indicator: t.indicator,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantContent {
    pub title: Text,
    pub place: Text,
    pub signing_date: NaiveDate,
    pub targets: Vec<Target>,
    pub regulation: RegulationDoc,
}

impl From<&model::CovenantContent> for CovenantContent {
    fn from(c: &model::CovenantContent) -> Self {
        Self {
            title: c.title.clone(),
            place: c.place.clone(),
            signing_date: c.signing_date,
            targets: c.targets.iter().map(Into::into).collect(),
            regulation: (&c.regulation).into(),
        }
    }
}

impl From<CovenantContent> for model::CovenantContent {
    fn from(c: CovenantContent) -> Self {
        Self {
            title: c.title,
            place: c.place,
            signing_date: c.signing_date,
            targets: c.targets.into_iter().map(Into::into).collect(),
            regulation: c.regulation.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantDrafted {
    pub covenant: CovenantId,
    pub movement: MovementId,
    pub cluster: ClusterId,
    pub version: u32,
    pub content: CovenantContent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantDraftAmended {
    pub covenant: CovenantId,
    pub version: u32,
    pub content: CovenantContent,
}

/// `covenant_draft_withdrawn`, format 1 of a kind introduced with format 2 of the covenant kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantDraftWithdrawn {
    pub covenant: CovenantId,
    pub version: u32,
    pub reason: Text,
}

/// `witness_policy_set`, format 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessPolicySet {
    pub witnesses: Vec<UnitId>,
    pub quorum: u32,
}
