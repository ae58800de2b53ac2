//! Format 1 of the figures kinds (introduced after format 2 of the covenant kinds): a unit's
//! report saved, submitted, approved or reopened; a window's deadline; a covenant's validation
//! rules; a historical import and its reports. Figures are a map from the regulation's element
//! id to a canonical decimal string or `na`; an element left out was not given. Frozen.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::figures::{self, FigureValue};
use crate::ids::{CovenantId, UnitId};
use crate::text::Text;

/// A figure: `"85"`, `"12.5"`, `"na"`. Decoding re-encodes it, so `"12.50"` is not canonical.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure(pub FigureValue);

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            FigureValue::NotApplicable => s.serialize_str("na"),
            FigureValue::Number(d) => s.serialize_str(&figures::canonical_decimal(&d)),
        }
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        if raw == "na" {
            return Ok(Figure(FigureValue::NotApplicable));
        }
        Decimal::from_str_exact(&raw)
            .map(|d| Figure(FigureValue::Number(d)))
            .map_err(|_| serde::de::Error::custom(format!("bad figure {raw:?}")))
    }
}

pub type Figures = BTreeMap<String, Figure>;

pub fn to_wire(values: &figures::FigureMap) -> Figures {
    values
        .iter()
        .map(|(k, v)| (k.clone(), Figure(*v)))
        .collect()
}

pub fn from_wire(values: Figures) -> figures::FigureMap {
    values.into_iter().map(|(k, v)| (k, v.0)).collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresSaved {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub window: String,
    pub revision: u32,
    pub values: Figures,
    /// Omitted when there is no comment.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub comments: BTreeMap<String, Text>,
}

/// `figures_submitted` and `figures_approved`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresRevision {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub window: String,
    pub revision: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresReopened {
    pub covenant: CovenantId,
    pub unit: UnitId,
    pub window: String,
    pub reason: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresDeadlineSet {
    pub covenant: CovenantId,
    pub window: String,
    pub deadline: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: Text,
    pub check: String,
    pub severity: Severity,
}

impl From<&figures::ValidationRule> for Rule {
    fn from(r: &figures::ValidationRule) -> Self {
        Self {
            id: r.id.clone(),
            name: r.name.clone(),
            check: r.check.clone(),
            severity: match r.severity {
                figures::Severity::Error => Severity::Error,
                figures::Severity::Warning => Severity::Warning,
            },
        }
    }
}

impl From<Rule> for figures::ValidationRule {
    fn from(r: Rule) -> Self {
        Self {
            id: r.id,
            name: r.name,
            check: r.check,
            severity: match r.severity {
                Severity::Error => figures::Severity::Error,
                Severity::Warning => figures::Severity::Warning,
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresRulesSet {
    pub covenant: CovenantId,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoricalImportRecorded {
    pub covenant: CovenantId,
    pub file_name: Text,
    pub sha256: String,
    pub reports: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoricalFiguresRecorded {
    pub covenant: CovenantId,
    pub import: u64,
    pub unit: UnitId,
    pub year: i32,
    pub window: String,
    pub values: Figures,
}
