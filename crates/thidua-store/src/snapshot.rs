//! Snapshot bodies in chunks: a state snapshot can be hundreds of megabytes, so it is never held
//! whole in memory. [`SnapshotWriter`] cuts what is serialised into it into chunks of
//! [`SNAPSHOT_CHUNK`] bytes and stores each as it fills, hashing as it goes; the snapshot becomes
//! visible only when [`EventStore::finish_snapshot`] records its signed note and chunk count.
//! [`SnapshotReader`] hands the chunks back one at a time to a streaming parser and gives the
//! SHA-256 of what it read, to be checked against the signed note before the parse is trusted.

use std::io;

use sha2::{Digest, Sha256};

use crate::{EventStore, Hash, Result, StoreError};

/// The size of a stored chunk of a snapshot's body (the last one may be shorter).
pub const SNAPSHOT_CHUNK: usize = 4 << 20;

/// How many snapshots a store keeps (older ones are deleted when a new one is finished).
pub const SNAPSHOTS_KEPT: usize = 3;

/// A stored snapshot of the state at a log size. `note` is a signed note naming the size, the
/// tree root and the body's SHA-256; the body is `chunks` chunks, `bytes` bytes in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotMeta {
    pub size: u64,
    pub note: String,
    pub chunks: u32,
    pub bytes: u64,
}

/// What a [`SnapshotWriter`] stored: the body's shape and hash, for the note that finishes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenBody {
    pub chunks: u32,
    pub bytes: u64,
    pub sha256: Hash,
}

/// Refuses to finish a snapshot unless all its chunks are stored (`stored` of `0..meta.chunks`).
pub fn check_chunks(meta: &SnapshotMeta, stored: u32) -> Result<()> {
    if meta.chunks == 0 || stored != meta.chunks {
        return Err(StoreError::Corrupt(format!(
            "the snapshot at {} has {stored} of its {} chunks stored",
            meta.size, meta.chunks
        )));
    }
    Ok(())
}

/// Writes a snapshot's body into the store chunk by chunk.
pub struct SnapshotWriter<'a> {
    store: &'a dyn EventStore,
    size: u64,
    chunk: usize,
    buffer: Vec<u8>,
    chunks: u32,
    bytes: u64,
    hasher: Sha256,
    failed: Option<StoreError>,
}

impl<'a> SnapshotWriter<'a> {
    /// A writer of the body of the snapshot at `size`, in chunks of [`SNAPSHOT_CHUNK`].
    pub fn new(store: &'a dyn EventStore, size: u64) -> Self {
        Self::with_chunk_size(store, size, SNAPSHOT_CHUNK)
    }

    /// The same with chunks of `chunk` bytes (tests use small ones).
    pub fn with_chunk_size(store: &'a dyn EventStore, size: u64, chunk: usize) -> Self {
        Self {
            store,
            size,
            chunk: chunk.max(1),
            buffer: Vec::new(),
            chunks: 0,
            bytes: 0,
            hasher: Sha256::new(),
            failed: None,
        }
    }

    /// Stores what is buffered as the next chunk.
    fn store_chunk(&mut self, len: usize) -> Result<()> {
        let rest = self.buffer.split_off(len);
        let chunk = std::mem::replace(&mut self.buffer, rest);
        self.hasher.update(&chunk);
        self.store
            .put_snapshot_chunk(self.size, self.chunks, &chunk)?;
        self.chunks += 1;
        self.bytes += chunk.len() as u64;
        Ok(())
    }

    /// Stores the last chunk; what the note that finishes the snapshot must name.
    pub fn finish(mut self) -> Result<WrittenBody> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if !self.buffer.is_empty() || self.chunks == 0 {
            self.store_chunk(self.buffer.len())?;
        }
        Ok(WrittenBody {
            chunks: self.chunks,
            bytes: self.bytes,
            sha256: self.hasher.finalize().into(),
        })
    }
}

impl io::Write for SnapshotWriter<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.failed.is_some() {
            return Err(io::Error::other("an earlier chunk could not be stored"));
        }
        self.buffer.extend_from_slice(data);
        while self.buffer.len() >= self.chunk {
            if let Err(e) = self.store_chunk(self.chunk) {
                let message = e.to_string();
                self.failed = Some(e);
                return Err(io::Error::other(message));
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads a stored snapshot's body chunk by chunk.
pub struct SnapshotReader<'a> {
    store: &'a dyn EventStore,
    meta: SnapshotMeta,
    next: u32,
    chunk: Vec<u8>,
    at: usize,
    bytes: u64,
    hasher: Sha256,
}

impl<'a> SnapshotReader<'a> {
    pub fn new(store: &'a dyn EventStore, meta: SnapshotMeta) -> Self {
        Self {
            store,
            meta,
            next: 0,
            chunk: Vec::new(),
            at: 0,
            bytes: 0,
            hasher: Sha256::new(),
        }
    }

    /// The body's length as its record states it.
    pub fn stated_bytes(&self) -> u64 {
        self.meta.bytes
    }

    /// The next chunk, or `false` at the end of the body.
    fn load_next(&mut self) -> Result<bool> {
        if self.next == self.meta.chunks {
            return Ok(false);
        }
        let chunk = self
            .store
            .snapshot_chunk(self.meta.size, self.next)?
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "chunk {} of the snapshot at {} is missing",
                    self.next, self.meta.size
                ))
            })?;
        self.hasher.update(&chunk);
        self.bytes += chunk.len() as u64;
        self.chunk = chunk;
        self.at = 0;
        self.next += 1;
        Ok(true)
    }

    /// The SHA-256 of the whole body, once it has all been read (reads what is left).
    pub fn finish(mut self) -> Result<Hash> {
        while self.load_next()? {}
        if self.bytes != self.meta.bytes {
            return Err(StoreError::Corrupt(format!(
                "the snapshot at {} has {} bytes, its record says {}",
                self.meta.size, self.bytes, self.meta.bytes
            )));
        }
        Ok(self.hasher.finalize().into())
    }
}

impl io::Read for SnapshotReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.load_next() {
                Ok(true) => {}
                Ok(false) => return Ok(0),
                Err(e) => return Err(io::Error::other(e.to_string())),
            }
        }
        let n = out.len().min(self.chunk.len() - self.at);
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
