//! C2SP tlog-tiles helpers (<https://c2sp.org/tlog-tiles>).
//!
//! Owns tile coordinates and paths (`tile/<L>/<N>[.p/<W>]`,
//! `tile/entries/<N>[.p/<W>]`, with `N` in 3-digit groups `x001/x234/067`),
//! the enumeration of the tiles of a tree (or of the tiles that changed
//! between two sizes), reading a tile's bytes from a [`NodeSource`], and the
//! entry-bundle encoding (big-endian `u16` length-prefixed entries).
//!
//! Tile height is 8: a full tile holds 256 hashes. The `i`-th hash of tile
//! `N` at tile level `L` is exactly the stored node
//! `(level 8·L, index N·256 + i)`, so tiles are served straight from the
//! node table.

use crate::error::LedgerError;
use crate::tree::{NodeId, NodeSource};

/// Tile height (levels of the Merkle tree per tile level).
pub const TILE_HEIGHT: u8 = 8;
/// Hashes (or entries) in a full tile.
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;

/// Coordinates of a Merkle tree tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Tile level `L` (node level `8·L`).
    pub level: u8,
    /// Tile index `N` within its level.
    pub index: u64,
    /// Number of hashes, 1..=256 (256 = full tile).
    pub width: u16,
}

/// Encode a tile index as `x001/x234/067`.
pub fn tile_index_path(n: u64) -> String {
    let mut groups = Vec::new();
    let mut n = n;
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut s = String::new();
    for (i, g) in groups.iter().rev().enumerate() {
        if i + 1 < groups.len() {
            s.push_str(&format!("x{g:03}/"));
        } else {
            s.push_str(&format!("{g:03}"));
        }
    }
    s
}

fn width_suffix(width: u16) -> String {
    if u64::from(width) == TILE_WIDTH {
        String::new()
    } else {
        format!(".p/{width}")
    }
}

fn check_width(width: u16) -> Result<(), LedgerError> {
    if width == 0 || u64::from(width) > TILE_WIDTH {
        return Err(LedgerError::InvalidTile("width must be 1..=256"));
    }
    Ok(())
}

/// Path of an entry bundle: `tile/entries/<N>[.p/<W>]`.
pub fn entries_path(index: u64, width: u16) -> Result<String, LedgerError> {
    check_width(width)?;
    Ok(format!(
        "tile/entries/{}{}",
        tile_index_path(index),
        width_suffix(width)
    ))
}

/// Parse `<N>[.p/<W>]` (the part after `tile/<L>/` or `tile/entries/`).
fn parse_index_width(s: &str) -> Result<(u64, u16), LedgerError> {
    let bad = |m| LedgerError::InvalidTile(m);
    let (idx, width) = match s.split_once(".p/") {
        Some((idx, w)) => {
            if w.is_empty() || w.starts_with('0') || !w.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("bad partial width"));
            }
            let w: u16 = w.parse().map_err(|_| bad("bad partial width"))?;
            if w == 0 || u64::from(w) >= TILE_WIDTH {
                return Err(bad("partial width must be 1..=255"));
            }
            (idx, w)
        }
        None => (s, TILE_WIDTH as u16),
    };
    let parts: Vec<&str> = idx.split('/').collect();
    let mut n: u64 = 0;
    for (i, p) in parts.iter().enumerate() {
        let digits = if i + 1 < parts.len() {
            p.strip_prefix('x')
                .ok_or(bad("index group must start with x"))?
        } else {
            p
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("index groups must be 3 digits"));
        }
        let g: u64 = digits.parse().map_err(|_| bad("bad index"))?;
        n = n
            .checked_mul(1000)
            .and_then(|n| n.checked_add(g))
            .ok_or(bad("index overflows u64"))?;
    }
    // Reject non-canonical encodings such as x000/001.
    if tile_index_path(n) != idx {
        return Err(bad("non-canonical index encoding"));
    }
    Ok((n, width))
}

/// What a `tile/...` path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TilePath {
    /// A Merkle tree hash tile.
    Hashes(Tile),
    /// An entry bundle: `(index, width)`.
    Entries {
        /// Bundle index.
        index: u64,
        /// Number of entries, 1..=256.
        width: u16,
    },
}

impl TilePath {
    /// Parse a path such as `tile/0/x001/234.p/7` or `tile/entries/000`.
    pub fn parse(path: &str) -> Result<Self, LedgerError> {
        let rest = path
            .strip_prefix("tile/")
            .ok_or(LedgerError::InvalidTile("path must start with tile/"))?;
        let (first, rest) = rest
            .split_once('/')
            .ok_or(LedgerError::InvalidTile("missing tile index"))?;
        if first == "entries" {
            let (index, width) = parse_index_width(rest)?;
            return Ok(TilePath::Entries { index, width });
        }
        if first.is_empty()
            || (first.len() > 1 && first.starts_with('0'))
            || !first.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(LedgerError::InvalidTile("bad tile level"));
        }
        let level: u8 = first
            .parse()
            .map_err(|_| LedgerError::InvalidTile("bad tile level"))?;
        if level > 63 {
            return Err(LedgerError::InvalidTile("tile level must be 0..=63"));
        }
        let (index, width) = parse_index_width(rest)?;
        Ok(TilePath::Hashes(Tile {
            level,
            index,
            width,
        }))
    }
}

impl Tile {
    /// Whether this is a partial tile (`width < 256`).
    pub fn is_partial(&self) -> bool {
        u64::from(self.width) < TILE_WIDTH
    }

    /// `tile/<L>/<N>[.p/<W>]`.
    pub fn path(&self) -> String {
        format!(
            "tile/{}/{}{}",
            self.level,
            tile_index_path(self.index),
            width_suffix(self.width)
        )
    }

    /// The path of the entry bundle matching this level-0 tile.
    pub fn entries_path(&self) -> Result<String, LedgerError> {
        if self.level != 0 {
            return Err(LedgerError::InvalidTile(
                "only level-0 tiles have entry bundles",
            ));
        }
        entries_path(self.index, self.width)
    }

    /// The stored nodes whose hashes make up this tile, in order.
    pub fn node_ids(&self) -> Result<Vec<NodeId>, LedgerError> {
        check_width(self.width)?;
        let level = u32::from(self.level) * u32::from(TILE_HEIGHT);
        if level > 63 {
            return Err(LedgerError::InvalidTile(
                "tile level beyond any 64-bit tree",
            ));
        }
        let first = self
            .index
            .checked_mul(TILE_WIDTH)
            .ok_or(LedgerError::InvalidTile("tile index overflows"))?;
        Ok((0..u64::from(self.width))
            .map(|i| (level as u8, first + i))
            .collect())
    }

    /// The tile's bytes (concatenated hashes) read from `src`.
    pub fn read<S: NodeSource + ?Sized>(&self, src: &S) -> Result<Vec<u8>, LedgerError> {
        let ids = self.node_ids()?;
        let hashes = src.nodes(&ids)?;
        if hashes.len() != ids.len() {
            return Err(LedgerError::NodeCountMismatch {
                got: hashes.len(),
                want: ids.len(),
            });
        }
        Ok(hashes.concat())
    }
}

/// Number of complete nodes at tile level `l` for a tree of `size` leaves.
fn nodes_at(size: u64, tile_level: u32) -> u64 {
    let shift = tile_level * u32::from(TILE_HEIGHT);
    if shift >= 64 {
        0
    } else {
        size >> shift
    }
}

/// Every tile (full and partial) of the tree of `size` leaves, level by
/// level from 0, left to right. A tree of 70,000 leaves gives 273 full and
/// one partial (width 112) level-0 tiles, one full and one partial (17)
/// level-1 tile and one partial (1) level-2 tile.
pub fn tiles_for_size(size: u64) -> impl Iterator<Item = Tile> {
    new_tiles(0, size)
}

/// The tiles that exist at `new_size` but not (with the same width) at
/// `old_size`: what must be written/published after growing the tree.
/// Returns nothing if `new_size <= old_size`.
pub fn new_tiles(old_size: u64, new_size: u64) -> impl Iterator<Item = Tile> {
    (0u32..8)
        .take_while(move |&l| nodes_at(new_size, l) > 0 && new_size > old_size)
        .flat_map(move |l| {
            let count_new = nodes_at(new_size, l);
            let count_old = nodes_at(old_size, l);
            let first = count_old / TILE_WIDTH;
            let end = count_new.div_ceil(TILE_WIDTH);
            (first..end).filter_map(move |n| {
                let start = n * TILE_WIDTH;
                let w_new = (count_new - start).min(TILE_WIDTH);
                let w_old = count_old.saturating_sub(start).min(TILE_WIDTH);
                (w_new > w_old).then_some(Tile {
                    level: l as u8,
                    index: n,
                    width: w_new as u16,
                })
            })
        })
}

/// Every tile of the tree of `size` leaves as `(path, bytes)`, read lazily
/// from `src`.
pub fn tiles<'a, S: NodeSource + ?Sized>(
    size: u64,
    src: &'a S,
) -> impl Iterator<Item = Result<(String, Vec<u8>), LedgerError>> + 'a {
    changed_tiles(0, size, src)
}

/// The tiles of [`new_tiles`] as `(path, bytes)`, read lazily from `src`.
pub fn changed_tiles<'a, S: NodeSource + ?Sized>(
    old_size: u64,
    new_size: u64,
    src: &'a S,
) -> impl Iterator<Item = Result<(String, Vec<u8>), LedgerError>> + 'a {
    new_tiles(old_size, new_size).map(move |t| Ok((t.path(), t.read(src)?)))
}

/// Encode an entry bundle: each entry prefixed by its length as a
/// big-endian `u16`. Entries longer than 65,535 bytes are rejected.
pub fn encode_entry_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>, LedgerError> {
    if entries.is_empty() || entries.len() as u64 > TILE_WIDTH {
        return Err(LedgerError::MalformedEntryBundle(
            "a bundle holds 1..=256 entries",
        ));
    }
    let mut out = Vec::new();
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len())
            .map_err(|_| LedgerError::MalformedEntryBundle("entry longer than 65535 bytes"))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Decode an entry bundle into its entries.
pub fn decode_entry_bundle(bytes: &[u8]) -> Result<Vec<Vec<u8>>, LedgerError> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.len() < 2 {
            return Err(LedgerError::MalformedEntryBundle("truncated length prefix"));
        }
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        rest = &rest[2..];
        if rest.len() < len {
            return Err(LedgerError::MalformedEntryBundle("truncated entry"));
        }
        out.push(rest[..len].to_vec());
        rest = &rest[len..];
        if out.len() as u64 > TILE_WIDTH {
            return Err(LedgerError::MalformedEntryBundle("more than 256 entries"));
        }
    }
    Ok(out)
}
