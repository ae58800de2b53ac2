//! Who reads which official document. A document shows what its data shows, so it is read by
//! whoever reads that data: the minutes of an inspection by those who read the finding and the
//! inspected unit's dossier ([`Scope::reads_finding`], [`Scope::reads_dossier`]) — never a
//! co-inspector that has not submitted its own, nor another member before the results are
//! published; every other document (covenant, results, year report, vote minutes, award
//! submission) is made only from what the cluster already reads, and is read by the cluster.
//! An issued paper of minutes is listed to the cluster's overseers, and to its members once the
//! year's results are published; the two units it concerns get it through its offer until then.

use thidua_docs::templates::offers::{cluster_of, request};
use thidua_docs::templates::Request;
use thidua_domain::documents::{DocumentKind, IssuedDocument};
use thidua_domain::State;

use super::Scope;

impl Scope {
    /// Whether the user may read the document an offer's key names.
    pub fn reads_offer(&self, state: &State, key: &str) -> bool {
        let Some((cluster, _)) = cluster_of(state, key) else {
            return false;
        };
        if !self.can_view_cluster(state, &cluster) {
            return false;
        }
        let any_day = chrono::NaiveDate::MIN;
        match request(key, "", any_day) {
            Ok(Request::Inspection {
                covenant,
                inspector,
                inspected,
                ..
            }) => state.review(&covenant).is_ok_and(|review| {
                self.reads_finding(review, &inspector, &inspected)
                    && self.reads_dossier(review, &inspected)
            }),
            Ok(_) => true,
            Err(_) => false,
        }
    }

    /// Whether the user may read an issued document.
    pub fn reads_issued(&self, state: &State, doc: &IssuedDocument) -> bool {
        if !self.can_view_cluster(state, &doc.cluster) {
            return false;
        }
        doc.kind != DocumentKind::InspectionMinutes
            || self.oversees(&doc.cluster)
            || state
                .yearend
                .reviews
                .values()
                .any(|r| r.cluster == doc.cluster && r.year == doc.year && r.published.is_some())
    }
}
