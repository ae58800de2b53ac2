//! Who inspects whom, drawn from a public seed so that anyone can recompute it (see
//! `docs/assignment.md`). Pure and exact: the same inputs give the same draw on every machine.
//!
//! 1. The seed is the SHA-256 of the canonical JSON of a fixed tag, the year, the cluster, the
//!    sorted member list, every member's reveal (a missing one replaced by [`MISSING_REVEAL`])
//!    and an optional public beacon value ([`seed`]).
//! 2. Attempt `r` expands `seed_r` (the seed itself for `r = 0`, else the SHA-256 of a tag, the
//!    seed and `r`) with the ChaCha20 keystream (RFC 8439, zero nonce, counter from 0) and
//!    shuffles the sorted members by Fisher–Yates, drawing each index by rejection sampling.
//! 3. With k = 1 each unit inspects the next one in the shuffled cycle; with k = 2 (five units
//!    or more) the next two.
//! 4. Hard constraints: nobody inspects itself, no declared conflict, no two units inspect each
//!    other. Soft: avoid last year's pairs and their reverse. An attempt that breaks one is
//!    redrawn; after [`ATTEMPTS_PER_LEVEL`] attempts at a level, an exhaustive search (in the
//!    order of the last attempt, bounded by [`SEARCH_BUDGET`] steps) settles that level, and
//!    if it fails the soft constraints are relaxed in a fixed order: first the reverse of last
//!    year's pairs, then last year's pairs. If no cycle meets the hard constraints the draw says
//!    so (proved by the search, or "undetermined" when its bound was reached) and the
//!    secretariat records a decision. Never an endless loop.

use std::collections::BTreeSet;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::chacha::KeyStream;
use crate::ids::{ClusterId, UnitId};
use crate::wire::canonical_json;

/// What stands in for a reveal that never came (and is shown as missing).
pub const MISSING_REVEAL: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Shuffled attempts at each level of constraints before the exhaustive search.
pub const ATTEMPTS_PER_LEVEL: u32 = 32;
/// Steps (partial cycles extended) the exhaustive search may take at each level.
pub const SEARCH_BUDGET: u32 = 200_000;

#[derive(Serialize)]
struct SeedInput<'a> {
    tag: &'static str,
    year: i32,
    cluster: &'a ClusterId,
    members: &'a [UnitId],
    reveals: Vec<RevealInput<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beacon: Option<&'a str>,
}

#[derive(Serialize)]
struct RevealInput<'a> {
    unit: &'a UnitId,
    value: &'a str,
}

/// The seed of a cluster's draw. `members` must be sorted; `reveal(u)` is the hex value `u`
/// revealed, `None` when it is missing.
pub fn seed<'a>(
    year: i32,
    cluster: &ClusterId,
    members: &[UnitId],
    reveal: impl Fn(&UnitId) -> Option<&'a str>,
    beacon: Option<&str>,
) -> [u8; 32] {
    let input = SeedInput {
        tag: "thidua-assignment/v1",
        year,
        cluster,
        members,
        reveals: members
            .iter()
            .map(|u| RevealInput {
                unit: u,
                value: reveal(u).unwrap_or(MISSING_REVEAL),
            })
            .collect(),
        beacon,
    };
    Sha256::digest(canonical_json(&input)).into()
}

/// The commitment a unit publishes before revealing `value_hex`.
pub fn commitment(covenant: &str, unit: &UnitId, value_hex: &str) -> String {
    #[derive(Serialize)]
    struct Input<'a> {
        tag: &'static str,
        covenant: &'a str,
        unit: &'a UnitId,
        value: &'a str,
    }
    let input = Input {
        tag: "thidua-commit/v1",
        covenant,
        unit,
        value: value_hex,
    };
    hex::encode(Sha256::digest(canonical_json(&input)))
}

/// The seed of attempt `r`.
pub fn attempt_seed(seed: &[u8; 32], r: u32) -> [u8; 32] {
    if r == 0 {
        return *seed;
    }
    let mut h = Sha256::new();
    h.update(b"thidua-redraw/v1");
    h.update(seed);
    h.update(r.to_be_bytes());
    h.finalize().into()
}

/// A Fisher–Yates shuffle of `0..n` driven by the keystream of `seed`: for `i` from `n - 1`
/// down to 1, swap `i` with a uniform `j` in `0..=i`.
pub fn shuffle(seed: &[u8; 32], n: usize) -> Vec<usize> {
    let mut ks = KeyStream::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = ks.below(i as u32 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// The constraints of a draw over members `0..n` (their sorted order).
#[derive(Clone, Debug)]
pub struct Constraints {
    pub n: usize,
    /// Inspections per unit: 1 or 2.
    pub k: usize,
    conflict: Vec<bool>,
    last_year: Vec<bool>,
}

impl Constraints {
    pub fn new(n: usize, k: usize) -> Self {
        Constraints {
            n,
            k,
            conflict: vec![false; n * n],
            last_year: vec![false; n * n],
        }
    }

    /// A declared conflict between `a` and `b`: neither inspects the other.
    pub fn conflict(&mut self, a: usize, b: usize) {
        self.conflict[a * self.n + b] = true;
        self.conflict[b * self.n + a] = true;
    }

    /// Last year `inspector` inspected `inspected`.
    pub fn last_year(&mut self, inspector: usize, inspected: usize) {
        self.last_year[inspector * self.n + inspected] = true;
    }

    pub fn has_conflict(&self, a: usize, b: usize) -> bool {
        self.conflict[a * self.n + b]
    }

    /// Whether `a` may inspect `b` at a level of relaxation.
    fn allowed(&self, a: usize, b: usize, level: Level) -> bool {
        a != b
            && !self.conflict[a * self.n + b]
            && (level >= Level::HardOnly || !self.last_year[a * self.n + b])
            && (level >= Level::WithoutReverse || !self.last_year[b * self.n + a])
    }

    /// Whether a cyclic order meets every constraint of `level`, mutual inspection included.
    pub fn fits(&self, order: &[usize], level: Level) -> bool {
        let n = order.len();
        let mut pos = vec![0usize; self.n];
        for (i, &u) in order.iter().enumerate() {
            pos[u] = i;
        }
        let inspects = |a: usize, b: usize| (1..=self.k).any(|off| order[(pos[a] + off) % n] == b);
        (0..n).all(|i| {
            (1..=self.k).all(|off| {
                let (a, b) = (order[i], order[(i + off) % n]);
                self.allowed(a, b, level) && !inspects(b, a)
            })
        })
    }
}

/// How far the soft constraints were relaxed; the order is the relaxation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Hard constraints, last year's pairs and their reverse avoided.
    All,
    /// The reverse of last year's pairs allowed.
    WithoutReverse,
    /// Last year's pairs allowed too: hard constraints only.
    HardOnly,
}

impl Level {
    const ORDER: [Level; 3] = [Level::All, Level::WithoutReverse, Level::HardOnly];

    /// The soft constraints given up at this level, in the order they were relaxed.
    pub fn relaxed(self) -> Vec<&'static str> {
        match self {
            Level::All => vec![],
            Level::WithoutReverse => vec!["reverse_of_last_year"],
            Level::HardOnly => vec!["reverse_of_last_year", "last_year"],
        }
    }
}

/// The (inspector, inspected) pairs of a cyclic order: offsets 1..=k.
pub fn pairs_of(order: &[usize], k: usize) -> Vec<(usize, usize)> {
    let n = order.len();
    let mut out = Vec::with_capacity(n * k);
    for i in 0..n {
        for off in 1..=k {
            out.push((order[i], order[(i + off) % n]));
        }
    }
    out
}

/// The outcome of a draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A cyclic order of the members (indices into the sorted list).
    Drawn {
        order: Vec<usize>,
        /// Attempts after the first.
        redraws: u32,
        level: Level,
        /// Found by the exhaustive search rather than by a shuffle.
        searched: bool,
    },
    /// No order meets the hard constraints.
    Infeasible {
        redraws: u32,
        /// `true` when the search proved it; `false` when its bound was reached first.
        proved: bool,
        reason: &'static str,
    },
}

/// Draws the cyclic order for the members `0..c.n` from `seed`.
pub fn draw(seed: &[u8; 32], c: &Constraints) -> Outcome {
    let min = if c.k == 2 { 5 } else { 3 };
    if c.n < min || !(1..=2).contains(&c.k) {
        return Outcome::Infeasible {
            redraws: 0,
            proved: true,
            reason: if c.k == 2 {
                "two_inspectors_need_five_units"
            } else {
                "needs_three_units"
            },
        };
    }
    let mut r = 0u32;
    let mut proved = true;
    for level in Level::ORDER {
        let mut last = Vec::new();
        for _ in 0..ATTEMPTS_PER_LEVEL {
            let order = shuffle(&attempt_seed(seed, r), c.n);
            r += 1;
            if c.fits(&order, level) {
                return Outcome::Drawn {
                    order,
                    redraws: r - 1,
                    level,
                    searched: false,
                };
            }
            last = order;
        }
        match search(c, &last, level) {
            Search::Found(order) => {
                return Outcome::Drawn {
                    order,
                    redraws: r - 1,
                    level,
                    searched: true,
                }
            }
            Search::None => {}
            Search::Bound => proved = false,
        }
    }
    Outcome::Infeasible {
        redraws: r - 1,
        proved,
        reason: "conflicts",
    }
}

enum Search {
    Found(Vec<usize>),
    None,
    Bound,
}

/// Exhaustive search for a cyclic order meeting `level`, trying units in the order of `base`
/// (the cycle starts at `base[0]`), bounded by [`SEARCH_BUDGET`] steps.
fn search(c: &Constraints, base: &[usize], level: Level) -> Search {
    let mut path = vec![base[0]];
    let mut used = vec![false; c.n];
    used[base[0]] = true;
    let mut steps = 0u32;
    match extend(c, base, level, &mut path, &mut used, &mut steps) {
        Some(true) => Search::Found(path),
        Some(false) => Search::None,
        None => Search::Bound,
    }
}

/// Extends `path`; `Some(true)` when complete, `Some(false)` when no extension works, `None`
/// when the step budget ran out.
fn extend(
    c: &Constraints,
    base: &[usize],
    level: Level,
    path: &mut Vec<usize>,
    used: &mut [bool],
    steps: &mut u32,
) -> Option<bool> {
    if path.len() == c.n {
        return Some(c.fits(path, level));
    }
    for &next in base {
        if used[next] {
            continue;
        }
        let d = path.len();
        let ok = (1..=c.k).all(|off| d < off || c.allowed(path[d - off], next, level));
        if !ok {
            continue;
        }
        *steps += 1;
        if *steps > SEARCH_BUDGET {
            return None;
        }
        path.push(next);
        used[next] = true;
        match extend(c, base, level, path, used, steps) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => return None,
        }
        path.pop();
        used[next] = false;
    }
    Some(false)
}

/// `n` distinct record numbers in `1..=population`, drawn from the draw's seed for `unit`
/// (all of them when `n >= population`), in increasing order.
pub fn sample_records(seed: &[u8; 32], unit: &UnitId, population: u32, n: u32) -> Vec<u32> {
    if n >= population {
        return (1..=population).collect();
    }
    let mut h = Sha256::new();
    h.update(b"thidua-records/v1");
    h.update(seed);
    h.update(unit.as_str().as_bytes());
    let key: [u8; 32] = h.finalize().into();
    let mut ks = KeyStream::new(&key);
    let mut picked = BTreeSet::new();
    while picked.len() < n as usize {
        picked.insert(ks.below(population) + 1);
    }
    picked.into_iter().collect()
}

#[cfg(test)]
mod tests;
