//! The ballot module for browsers: the same `thidua_ballot` code the server and `thidua
//! verify` run, behind a JSON-in, JSON-out interface that a few lines of JavaScript can call
//! (`crates/thidua-web/assets/ballot.js`). Randomness comes from the caller (32 bytes of
//! `crypto.getRandomValues` per call), so the module needs no host imports at all.
//!
//! Calls: the caller asks `alloc` for a buffer, writes UTF-8 JSON into it, and calls an
//! entry point with its address and length; the entry point frees the input and returns the
//! output's address and length packed as `(ptr << 32) | len`, which the caller reads and frees
//! with `dealloc`. The output is `{"ok": …}` or `{"error": {"code": …, "message": …}}`.
//!
//! The pure functions ([`create_ballot`], [`verify_ballot`], [`new_voter_key`]) carry the logic
//! and are tested natively; the exported wrappers only move bytes.

use serde::Deserialize;
use serde_json::{json, Value};
use thidua_ballot::{
    rng_from_seed, Ballot, BallotContext, BallotError, ElectionKey, Selection, VoterKey,
    VoterSecret,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateInput {
    context: BallotContext,
    election_key: ElectionKey,
    voter_secret: String,
    selection: Selection,
    /// 32 random bytes (hex) from the caller.
    seed: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyInput {
    context: BallotContext,
    election_key: ElectionKey,
    voter_key: VoterKey,
    ballot: Ballot,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyInput {
    seed: String,
}

fn seed(text: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(text).map_err(|_| "seed: hex expected".to_owned())?;
    bytes
        .try_into()
        .map_err(|_| "seed: 32 bytes expected".to_owned())
}

fn error(code: &str, message: impl std::fmt::Display) -> Value {
    json!({"error": {"code": code, "message": message.to_string()}})
}

fn crypto(e: BallotError) -> Value {
    error(e.code(), e)
}

fn parse<T: serde::de::DeserializeOwned>(input: &[u8]) -> Result<T, Value> {
    serde_json::from_slice(input).map_err(|e| error("invalid_body", e))
}

/// `{context, election_key, voter_secret, selection, seed}` → `{"ok": {"ballot", "hash"}}`.
pub fn create_ballot(input: &[u8]) -> Value {
    let run = || -> Result<Value, Value> {
        let i: CreateInput = parse(input)?;
        let mut rng = rng_from_seed(seed(&i.seed).map_err(|m| error("invalid_body", m))?);
        let voter = VoterSecret::parse(&i.voter_secret).map_err(crypto)?;
        let ballot = Ballot::create(&i.context, &i.election_key, &voter, &i.selection, &mut rng)
            .map_err(crypto)?;
        Ok(json!({"ok": {"hash": ballot.hash(), "ballot": ballot}}))
    };
    run().unwrap_or_else(|e| e)
}

/// `{context, election_key, voter_key, ballot}` → `{"ok": {"hash"}}` when every proof and the
/// signature verify.
pub fn verify_ballot(input: &[u8]) -> Value {
    let run = || -> Result<Value, Value> {
        let i: VerifyInput = parse(input)?;
        i.ballot
            .verify(&i.context, &i.election_key, &i.voter_key)
            .map_err(crypto)?;
        Ok(json!({"ok": {"hash": i.ballot.hash()}}))
    };
    run().unwrap_or_else(|e| e)
}

/// `{seed}` → `{"ok": {"secret", "public"}}`: a new voting key.
pub fn new_voter_key(input: &[u8]) -> Value {
    let run = || -> Result<Value, Value> {
        let i: KeyInput = parse(input)?;
        let secret = VoterSecret::from_seed(seed(&i.seed).map_err(|m| error("invalid_body", m))?);
        Ok(json!({"ok": {"secret": secret.to_hex(), "public": secret.public()}}))
    };
    run().unwrap_or_else(|e| e)
}

#[cfg(target_arch = "wasm32")]
mod exports;
