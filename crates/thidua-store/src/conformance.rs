//! The event store's conformance suite: one behaviour, checked the same way on every backend.
//! A backend's tests run it with [`event_store_conformance!`](crate::event_store_conformance),
//! one `#[test]` per scenario, each with a [`Factory`] for fresh stores; nothing here knows a
//! backend. (Compiled with the `testing` feature only.)

use std::sync::Arc;

use std::io::{Read, Write};

use crate::{
    sha256, Append, Entry, EventStore, Node, SnapshotMeta, SnapshotReader, SnapshotWriter,
    StoreError, SNAPSHOTS_KEPT,
};

/// Creates a fresh, empty store; `reopen` opens another handle on the same database.
pub trait Factory {
    fn fresh(&self) -> Arc<dyn EventStore>;
    fn reopen(&self, store: &Arc<dyn EventStore>) -> Arc<dyn EventStore>;
    /// Runs one SQL statement directly on the database behind `store`, past the store, as
    /// anyone with a connection to the database could: how the suite checks what the database
    /// itself refuses. The rows changed, or the database's refusal. The statements the suite
    /// sends are plain SQL that every backend reads alike.
    fn execute_sql(&self, store: &Arc<dyn EventStore>, sql: &str) -> Result<u64, String>;
}

fn entry(index: u64) -> Entry {
    let bytes = format!("{{\"test\":{index},\"text\":\"Công an tỉnh\"}}").into_bytes();
    Entry {
        index,
        leaf_hash: sha256(&bytes),
        bytes,
    }
}

fn leaf_nodes(entries: &[Entry]) -> Vec<Node> {
    entries
        .iter()
        .map(|e| Node {
            level: 0,
            index: e.index,
            hash: e.leaf_hash,
        })
        .collect()
}

/// Appends `count` entries at the current end of the log (retrying on conflict).
fn append_n(store: &dyn EventStore, count: u64) -> u64 {
    loop {
        let size = store.size().expect("size");
        let entries: Vec<Entry> = (size..size + count).map(entry).collect();
        let nodes = leaf_nodes(&entries);
        let checkpoint = format!("test\n{}\n", size + count);
        match store.append(Append {
            expected_size: size,
            entries: &entries,
            nodes: &nodes,
            checkpoint: &checkpoint,
        }) {
            Ok(()) => return size,
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => panic!("append failed: {e}"),
        }
    }
}

/// One `#[test]` per scenario of the event store's suite, in the module where it is invoked.
/// `$run` is a function `fn(fn(&dyn Factory))` that hands a scenario a factory for the backend
/// (or returns without calling it when the backend is unavailable and the test may skip; see
/// [`crate::testing::required`]). Every scenario of this module is listed here, and only here.
#[macro_export]
macro_rules! event_store_conformance {
    ($run:path) => {
        $crate::event_store_conformance!(@tests $run:
            empty_store,
            append_and_read,
            conflict_changes_nothing,
            malformed_append_is_refused,
            nodes_and_checkpoints,
            blobs_are_content_addressed,
            reopen_sees_everything,
            concurrent_writers_never_fork,
            the_log_is_append_only,
            snapshots_are_stored_in_chunks,
        );
    };
    (@tests $run:path: $($scenario:ident),* $(,)?) => {
        $(
            #[test]
            fn $scenario() {
                $run($crate::conformance::$scenario);
            }
        )*
    };
}

pub fn empty_store(factory: &dyn Factory) {
    let store = factory.fresh();
    assert_eq!(store.size().unwrap(), 0);
    assert!(store.entries(0, 10).unwrap().is_empty());
    assert!(store.latest_checkpoint().unwrap().is_none());
    assert!(store.node(0, 0).unwrap().is_none());
}

pub fn append_and_read(factory: &dyn Factory) {
    let store = factory.fresh();
    append_n(&*store, 3);
    append_n(&*store, 1);
    assert_eq!(store.size().unwrap(), 4);
    let all = store.entries(0, 100).unwrap();
    assert_eq!(all, (0..4).map(entry).collect::<Vec<_>>());
    assert_eq!(store.entries(1, 3).unwrap(), vec![entry(1), entry(2)]);
    assert!(store.entries(4, 9).unwrap().is_empty());
}

pub fn conflict_changes_nothing(factory: &dyn Factory) {
    let store = factory.fresh();
    append_n(&*store, 2);
    let stale: Vec<Entry> = (1..3).map(entry).collect();
    let err = store
        .append(Append {
            expected_size: 1,
            entries: &stale,
            nodes: &leaf_nodes(&stale),
            checkpoint: "x\n",
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2
            }
        ),
        "{err}"
    );
    assert_eq!(store.size().unwrap(), 2);
    assert_eq!(store.latest_checkpoint().unwrap().unwrap().size, 2);
}

pub fn malformed_append_is_refused(factory: &dyn Factory) {
    let store = factory.fresh();
    let gap = vec![entry(0), entry(2)];
    let err = store
        .append(Append {
            expected_size: 0,
            entries: &gap,
            nodes: &[],
            checkpoint: "x\n",
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidAppend(_)), "{err}");
    // A batch that fails half-way (a duplicate node) leaves nothing behind.
    let batch = vec![entry(0), entry(1)];
    let mut nodes = leaf_nodes(&batch);
    nodes.push(nodes[0]);
    assert!(store
        .append(Append {
            expected_size: 0,
            entries: &batch,
            nodes: &nodes,
            checkpoint: "x\n",
        })
        .is_err());
    assert_eq!(store.size().unwrap(), 0);
    assert!(store.node(0, 0).unwrap().is_none());
    assert!(store.latest_checkpoint().unwrap().is_none());
}

pub fn nodes_and_checkpoints(factory: &dyn Factory) {
    let store = factory.fresh();
    let entries: Vec<Entry> = (0..2).map(entry).collect();
    let mut nodes = leaf_nodes(&entries);
    nodes.push(Node {
        level: 1,
        index: 0,
        hash: sha256(b"parent"),
    });
    store
        .append(Append {
            expected_size: 0,
            entries: &entries,
            nodes: &nodes,
            checkpoint: "origin\n2\nroot\n",
        })
        .unwrap();
    assert_eq!(store.node(1, 0).unwrap(), Some(sha256(b"parent")));
    assert_eq!(store.node(0, 1).unwrap(), Some(entries[1].leaf_hash));
    assert_eq!(store.node(1, 1).unwrap(), None);
    assert_eq!(
        store.nodes(0, 0, 5).unwrap(),
        vec![entries[0].leaf_hash, entries[1].leaf_hash]
    );
    append_n(&*store, 1);
    let latest = store.latest_checkpoint().unwrap().unwrap();
    assert_eq!(latest.size, 3);
    assert_eq!(
        store.checkpoint_at(2).unwrap().unwrap().note,
        "origin\n2\nroot\n"
    );
    assert!(store.checkpoint_at(7).unwrap().is_none());
    assert_eq!(store.checkpoint_sizes(0, 10).unwrap(), vec![2, 3]);
    assert_eq!(store.checkpoint_sizes(3, 4).unwrap(), vec![3]);
    assert_eq!(store.checkpoint_sizes(3, 3).unwrap(), Vec::<u64>::new());
    assert_eq!(store.checkpoint_sizes(1, u64::MAX).unwrap(), vec![2, 3]);
}

pub fn blobs_are_content_addressed(factory: &dyn Factory) {
    let store = factory.fresh();
    let data = "Biên bản kiểm tra chéo".as_bytes();
    let h = store.put_blob(data).unwrap();
    assert_eq!(h, sha256(data));
    assert_eq!(store.put_blob(data).unwrap(), h);
    assert_eq!(store.get_blob(&h).unwrap().unwrap(), data);
    assert!(store.get_blob(&sha256(b"other")).unwrap().is_none());
}

pub fn reopen_sees_everything(factory: &dyn Factory) {
    let store = factory.fresh();
    append_n(&*store, 5);
    let other = factory.reopen(&store);
    assert_eq!(other.size().unwrap(), 5);
    assert_eq!(
        other.entries(0, 5).unwrap(),
        (0..5).map(entry).collect::<Vec<_>>()
    );
}

pub fn concurrent_writers_never_fork(factory: &dyn Factory) {
    let store = factory.fresh();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let s = if i % 2 == 0 {
                store.clone()
            } else {
                factory.reopen(&store)
            };
            std::thread::spawn(move || {
                for _ in 0..25 {
                    append_n(&*s, 1);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    assert_eq!(store.size().unwrap(), 100);
    let all = store.entries(0, 100).unwrap();
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.index, i as u64);
        assert_eq!(*e, entry(i as u64));
    }
}

/// The database itself refuses to change or remove what was appended — entries, tree nodes and
/// checkpoints — even to a connection that goes past the store; what was read before is read
/// unchanged after. (Tamper tests drop these triggers as an attacker with file access would.)
pub fn the_log_is_append_only(factory: &dyn Factory) {
    let store = factory.fresh();
    for _ in 0..3 {
        append_n(&*store, 1);
    }
    let entries = store.entries(0, 10).unwrap();
    let nodes = store.nodes(0, 0, 3).unwrap();
    let checkpoints: Vec<_> = (1..=3).map(|n| store.checkpoint_at(n).unwrap()).collect();
    assert!(checkpoints.iter().all(Option::is_some));
    assert_eq!(entries.len(), 3);
    assert_eq!(nodes.len(), 3);
    let statements = [
        "UPDATE entries SET bytes = leaf_hash WHERE idx = 1",
        "UPDATE entries SET idx = idx + 10",
        "DELETE FROM entries WHERE idx = 2",
        "DELETE FROM entries",
        "UPDATE tree_nodes SET hash = hash WHERE level = 0 AND idx = 1",
        "UPDATE tree_nodes SET idx = idx + 10",
        "DELETE FROM tree_nodes WHERE level = 0 AND idx = 2",
        "DELETE FROM tree_nodes",
        "UPDATE checkpoints SET note = 'forged' WHERE size = 3",
        "UPDATE checkpoints SET size = size + 10",
        "DELETE FROM checkpoints WHERE size = 3",
        "DELETE FROM checkpoints",
    ];
    for sql in statements {
        let result = factory.execute_sql(&store, sql);
        assert!(result.is_err(), "the database allowed {sql:?}: {result:?}");
    }
    // The refusals changed nothing, and the direct connection sees the same log.
    assert_eq!(
        factory.execute_sql(&store, "UPDATE blobs SET bytes = bytes"),
        Ok(0),
        "statements that are allowed run"
    );
    let store = factory.reopen(&store);
    assert_eq!(store.entries(0, 10).unwrap(), entries);
    assert_eq!(store.nodes(0, 0, 3).unwrap(), nodes);
    let after: Vec<_> = (1..=3).map(|n| store.checkpoint_at(n).unwrap()).collect();
    assert_eq!(after, checkpoints);
    assert_eq!(store.size().unwrap(), 3);
}

/// Writes a snapshot body of `len` bytes at `size` in chunks of 1,000 bytes and finishes it.
fn write_snapshot(store: &dyn EventStore, size: u64, len: usize) -> (Vec<u8>, SnapshotMeta) {
    let body: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
    let mut writer = SnapshotWriter::with_chunk_size(store, size, 1_000);
    for piece in body.chunks(333) {
        writer.write_all(piece).unwrap();
    }
    let written = writer.finish().unwrap();
    assert_eq!(written.sha256, sha256(&body));
    assert_eq!(written.chunks as usize, len.div_ceil(1_000).max(1));
    let meta = SnapshotMeta {
        size,
        note: format!("snapshot {size}"),
        chunks: written.chunks,
        bytes: written.bytes,
    };
    (body, meta)
}

/// A snapshot's body is stored in chunks, visible only once finished with all its chunks, read
/// back whole and hashed; only the newest few are kept, with their chunks.
pub fn snapshots_are_stored_in_chunks(factory: &dyn Factory) {
    let store = factory.fresh();
    let (body, meta) = write_snapshot(&*store, 10, 4_500);
    assert_eq!(meta.chunks, 5);
    assert!(
        store.snapshot_sizes().unwrap().is_empty(),
        "unfinished: invisible"
    );
    let missing = SnapshotMeta {
        chunks: 6,
        ..meta.clone()
    };
    assert!(
        store.finish_snapshot(&missing).is_err(),
        "a chunk is missing"
    );
    assert!(store.snapshot_sizes().unwrap().is_empty());
    store.finish_snapshot(&meta).unwrap();
    let store = factory.reopen(&store);
    assert_eq!(store.snapshot_sizes().unwrap(), vec![10]);
    assert_eq!(store.snapshot_meta(10).unwrap(), Some(meta.clone()));
    let mut reader = SnapshotReader::new(&*store, meta.clone());
    let mut read = Vec::new();
    reader.read_to_end(&mut read).unwrap();
    assert_eq!(read, body);
    assert_eq!(reader.finish().unwrap(), sha256(&body));

    // Rewriting a size withdraws the finished snapshot until the new one is finished, and a
    // shorter body leaves no stale chunk behind.
    let (_, shorter) = write_snapshot(&*store, 10, 1_200);
    assert!(store.snapshot_sizes().unwrap().is_empty());
    store.finish_snapshot(&shorter).unwrap();
    assert_eq!(store.snapshot_chunk(10, 2).unwrap(), None);
    let lying = SnapshotMeta {
        bytes: 1_201,
        ..shorter.clone()
    };
    assert!(SnapshotReader::new(&*store, lying).finish().is_err());

    // An abandoned write is cleaned up by the next finished one; only the newest are kept.
    store.put_snapshot_chunk(15, 0, b"abandoned").unwrap();
    for size in [20, 30, 40] {
        let (_, meta) = write_snapshot(&*store, size, 2_500);
        store.finish_snapshot(&meta).unwrap();
    }
    assert_eq!(store.snapshot_sizes().unwrap().len(), SNAPSHOTS_KEPT);
    assert_eq!(store.snapshot_sizes().unwrap(), vec![20, 30, 40]);
    for gone in [10, 15] {
        assert_eq!(store.snapshot_meta(gone).unwrap(), None);
        assert_eq!(
            store.snapshot_chunk(gone, 0).unwrap(),
            None,
            "chunks of {gone}"
        );
    }
}
