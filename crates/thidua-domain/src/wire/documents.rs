//! Formats 1 and 2 of `document_issued`: an official document issued by a cluster's secretariat
//! (see [`crate::documents`]); format 2 adds `subject`, what the document is about, and always
//! has it. Frozen: a change of meaning gets a new format. The values of `kind` grow with the
//! kinds of document (a new value is a new fact, refused by older readers as an unknown kind
//! is); a value is never renamed or removed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::documents;
use crate::ids::ClusterId;
use crate::text::Text;

/// The document kinds as written in format 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Covenant,
    Results,
    InspectionMinutes,
    VoteMinutes,
    YearReport,
    AwardSubmission,
}

impl From<documents::DocumentKind> for DocumentKind {
    fn from(k: documents::DocumentKind) -> Self {
        match k {
            documents::DocumentKind::Covenant => DocumentKind::Covenant,
            documents::DocumentKind::Results => DocumentKind::Results,
            documents::DocumentKind::InspectionMinutes => DocumentKind::InspectionMinutes,
            documents::DocumentKind::VoteMinutes => DocumentKind::VoteMinutes,
            documents::DocumentKind::YearReport => DocumentKind::YearReport,
            documents::DocumentKind::AwardSubmission => DocumentKind::AwardSubmission,
        }
    }
}

impl From<DocumentKind> for documents::DocumentKind {
    fn from(k: DocumentKind) -> Self {
        match k {
            DocumentKind::Covenant => documents::DocumentKind::Covenant,
            DocumentKind::Results => documents::DocumentKind::Results,
            DocumentKind::InspectionMinutes => documents::DocumentKind::InspectionMinutes,
            DocumentKind::VoteMinutes => documents::DocumentKind::VoteMinutes,
            DocumentKind::YearReport => documents::DocumentKind::YearReport,
            DocumentKind::AwardSubmission => documents::DocumentKind::AwardSubmission,
        }
    }
}

/// `document_issued`, formats 1 and 2 (format 2: `subject`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentIssued {
    pub cluster: ClusterId,
    pub year: i32,
    pub kind: DocumentKind,
    pub date: NaiveDate,
    pub number: Option<u32>,
    pub symbol: Option<Text>,
    pub title: Text,
    pub sha256: String,
    /// What the document is about ("results:giao-uoc-cum-12-2024"): format 2's, always there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Text>,
}
