//! Which log entries a history page reads: the candidates the state's history index
//! ([`thidua_domain::history`]) names for a viewer and the filters, and reading them from the
//! store in as few range reads as they allow.

use thidua_domain::history::{HistoryIndex, Newest};
use thidua_domain::{Event, UnitId};
use thidua_store::EventStore;

use crate::authz::Visibility;
use crate::error::ApiError;

/// Log indices below `before`, newest first, that may match: those concerning the filtered
/// unit; else, for an administrator, those of the filtered kind or every index; else those
/// concerning what the viewer sees (its clusters and units) and the general ones. A superset of
/// what the viewer may read that matches the filters; the caller checks each event.
pub fn candidates<'a>(
    index: &'a HistoryIndex,
    vis: &Visibility,
    unit: Option<&UnitId>,
    kind: Option<&str>,
    before: u64,
) -> Box<dyn Iterator<Item = u64> + Send + 'a> {
    if let Some(u) = unit {
        return Box::new(Newest::new(index.by_unit.get(u), before));
    }
    if vis.admin {
        return match kind {
            Some(k) => Box::new(Newest::new(index.by_kind.get(k), before)),
            None => Box::new((0..before).rev()),
        };
    }
    let lists = std::iter::once(&index.general)
        .chain(vis.clusters.iter().filter_map(|c| index.by_cluster.get(c)))
        .chain(vis.units.iter().filter_map(|u| index.by_unit.get(u)));
    Box::new(Newest::new(lists, before))
}

/// The events at `indices` (descending), read a run of consecutive indices at a time.
pub fn read(store: &dyn EventStore, indices: &[u64]) -> Result<Vec<Event>, ApiError> {
    let mut events = Vec::with_capacity(indices.len());
    let mut rest = indices;
    while let Some(&newest) = rest.first() {
        let run = rest.windows(2).take_while(|w| w[1] + 1 == w[0]).count() + 1;
        let oldest = rest[run - 1];
        for entry in store.entries(oldest, newest + 1)?.iter().rev() {
            events.push(Event::decode(entry.index, &entry.bytes).map_err(ApiError::internal)?);
        }
        rest = &rest[run..];
    }
    Ok(events)
}
