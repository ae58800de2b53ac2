//! [`StoreNodes`]: the ledger's [`NodeSource`] over an [`EventStore`]'s node table, so proofs
//! and tiles are read from the hashes stored at append time. It never hashes anything.

use thidua_ledger::{Hash, LedgerError, NodeId, NodeSource};
use thidua_store::EventStore;

/// Stored tree nodes of a store, as a [`NodeSource`].
#[derive(Clone, Copy)]
pub struct StoreNodes<'a>(pub &'a dyn EventStore);

impl NodeSource for StoreNodes<'_> {
    fn node(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        self.0
            .node(level, index)
            .map_err(LedgerError::storage)?
            .ok_or(LedgerError::NodeNotFound { level, index })
    }

    /// Runs of consecutive indices on one level are read with one range query.
    fn nodes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, LedgerError> {
        let mut out = Vec::with_capacity(ids.len());
        let mut i = 0;
        while i < ids.len() {
            let (level, start) = ids[i];
            let mut end = i + 1;
            while end < ids.len() && ids[end] == (level, start + (end - i) as u64) {
                end += 1;
            }
            let want = (end - i) as u64;
            if want == 1 {
                out.push(self.node(level, start)?);
            } else {
                let got = self
                    .0
                    .nodes(level, start, start + want)
                    .map_err(LedgerError::storage)?;
                if got.len() as u64 != want {
                    let missing = start + got.len() as u64;
                    return Err(LedgerError::NodeNotFound {
                        level,
                        index: missing,
                    });
                }
                out.extend(got);
            }
            i = end;
        }
        Ok(out)
    }
}
