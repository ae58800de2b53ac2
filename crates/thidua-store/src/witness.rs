//! The witness boundary: cosignatures that member units' witnesses post for the log's
//! checkpoints. They live in their own table beside the log (they are signatures *over* the log,
//! so they cannot be in it). The store keeps them as given; checking them against the witness
//! keys registered in the log is the caller's job (`thidua-transparency`).

use crate::Result;

/// One witness cosignature of the checkpoint of tree size `size`, by the witness of `unit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCosignature {
    pub size: u64,
    /// The unit whose registered witness key made the cosignature.
    pub unit: String,
    /// The C2SP tlog-cosignature note signature line (`— name base64`, no newline).
    pub line: String,
    /// When the server received it (ms since the Unix epoch).
    pub received_ms: i64,
}

/// Storage of witness cosignatures. At most one per `(size, unit)`: a new one replaces the old.
pub trait WitnessStore: Send + Sync {
    /// Stores (or replaces) the cosignature of `c.unit` for `c.size`.
    fn put_cosignature(&self, c: &StoredCosignature) -> Result<()>;

    /// The cosignatures for the checkpoint of `size`, ordered by unit.
    fn cosignatures_at(&self, size: u64) -> Result<Vec<StoredCosignature>>;

    /// Tree sizes that have at least `min_units` cosignatures, largest first, at most `limit`.
    fn cosigned_sizes(&self, min_units: u32, limit: u32) -> Result<Vec<u64>>;
}

/// Conformance checks every backend's [`WitnessStore`] must pass (on a fresh store); with the
/// `testing` feature, for the backends' tests.
#[cfg(feature = "testing")]
pub fn conformance(store: &dyn WitnessStore) {
    let c = |size: u64, unit: &str, line: &str| StoredCosignature {
        size,
        unit: unit.into(),
        line: line.into(),
        received_ms: 1_700_000_000_000 + size as i64,
    };
    assert!(store.cosignatures_at(5).unwrap().is_empty());
    assert!(store.cosigned_sizes(1, 10).unwrap().is_empty());
    store.put_cosignature(&c(5, "ca-kg", "— a AAAA")).unwrap();
    store.put_cosignature(&c(5, "ca-ag", "— b BBBB")).unwrap();
    store.put_cosignature(&c(7, "ca-kg", "— a CCCC")).unwrap();
    // Replacing keeps one per (size, unit).
    store.put_cosignature(&c(5, "ca-kg", "— a DDDD")).unwrap();
    let at5 = store.cosignatures_at(5).unwrap();
    assert_eq!(
        at5,
        vec![c(5, "ca-ag", "— b BBBB"), c(5, "ca-kg", "— a DDDD")]
    );
    assert_eq!(store.cosigned_sizes(1, 10).unwrap(), vec![7, 5]);
    assert_eq!(store.cosigned_sizes(2, 10).unwrap(), vec![5]);
    assert_eq!(store.cosigned_sizes(3, 10).unwrap(), Vec::<u64>::new());
    assert_eq!(store.cosigned_sizes(1, 1).unwrap(), vec![7]);
}
