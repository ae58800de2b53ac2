//! C2SP tlog-cosignature v1, Ed25519 flavour (<https://c2sp.org/tlog-cosignature>).
//!
//! Owns witness cosignatures over checkpoints: signature type `0x04`, key
//! hash `SHA-256(name ‖ "\n" ‖ 0x04 ‖ pubkey)[..4]`, signed message
//! `"cosignature/v1\ntime <unix seconds>\n" ‖ checkpoint note text`, and
//! signature payload `timestamp (u64 big-endian) ‖ Ed25519 signature (64)`,
//! carried on an ordinary note signature line
//! `— <name> base64(keyhash ‖ timestamp ‖ signature)`.
//!
//! Key text forms chosen here (analogous to note keys, with the type byte
//! `0x04` in place of `0x01`; the verifier form is the "vkey" encoding the
//! spec allows):
//! * cosigner (private): `PRIVATE+KEY+<name>+<keyhash hex8>+<base64(0x04 ‖ seed32)>`
//! * verifier (public): `<name>+<keyhash hex8>+<base64(0x04 ‖ pubkey32)>`
//!
//! [`CosignatureVerifier`] implements [`NoteVerifier`], so witness keys can
//! be passed to [`open_note`](crate::open_note) /
//! [`open_checkpoint`](crate::open_checkpoint) next to the log key. The
//! crate does no clock reads: the caller supplies the timestamp.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use rand_core::{CryptoRngCore, OsRng};

use crate::checkpoint::Checkpoint;
use crate::error::LedgerError;
use crate::note::{
    format_key_string, is_valid_key_name, key_hash, parse_key_string, signer_from_parts,
    verifier_from_parts, NoteSigner, NoteVerifier, B64, B64_LENIENT,
};

/// Signature type byte of Ed25519 cosignatures (v1).
pub const ALG_COSIGNATURE_V1: u8 = 0x04;

/// Largest timestamp a cosignature may carry (2^63 - 1).
pub const MAX_TIMESTAMP: u64 = (1 << 63) - 1;

const PAYLOAD_LEN: usize = 4 + 8 + 64;

/// The exact bytes a v1 cosignature signs.
pub fn cosigned_message(checkpoint_text: &str, timestamp: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_text}").into_bytes()
}

/// A parsed cosignature (one note signature line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    /// Cosigner (witness) name.
    pub name: String,
    /// Key hash (type `0x04`).
    pub key_hash: u32,
    /// Unix seconds at which the witness cosigned.
    pub timestamp: u64,
    /// Ed25519 signature over [`cosigned_message`].
    pub signature: [u8; 64],
}

impl Cosignature {
    /// The note signature line, `— <name> <base64>\n` (newline included,
    /// ready to append to a signed note).
    pub fn to_line(&self) -> String {
        let mut payload = Vec::with_capacity(PAYLOAD_LEN);
        payload.extend_from_slice(&self.key_hash.to_be_bytes());
        payload.extend_from_slice(&self.timestamp.to_be_bytes());
        payload.extend_from_slice(&self.signature);
        format!("\u{2014} {} {}\n", self.name, B64.encode(payload))
    }

    /// Parse a signature line (with or without its trailing newline).
    pub fn from_line(line: &str) -> Result<Self, LedgerError> {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let body = line
            .strip_prefix("\u{2014} ")
            .ok_or(LedgerError::MalformedCosignature(
                "missing \"\u{2014} \" prefix",
            ))?;
        let (name, b64) = body
            .split_once(' ')
            .ok_or(LedgerError::MalformedCosignature("missing signature"))?;
        if !is_valid_key_name(name) {
            return Err(LedgerError::InvalidKeyName(name.to_owned()));
        }
        let raw = B64_LENIENT
            .decode(b64)
            .map_err(|_| LedgerError::MalformedCosignature("signature is not valid base64"))?;
        Self::from_payload(name, &raw)
    }

    /// Build from a note signature (name + base64 payload), e.g. one of
    /// [`Note::unverified`](crate::Note::unverified).
    pub fn from_note_signature(sig: &crate::note::Signature) -> Result<Self, LedgerError> {
        let raw = B64_LENIENT
            .decode(&sig.base64)
            .map_err(|_| LedgerError::MalformedCosignature("signature is not valid base64"))?;
        Self::from_payload(&sig.name, &raw)
    }

    fn from_payload(name: &str, raw: &[u8]) -> Result<Self, LedgerError> {
        if raw.len() != PAYLOAD_LEN {
            return Err(LedgerError::MalformedCosignature(
                "payload must be 4 + 8 + 64 bytes",
            ));
        }
        let key_hash = u32::from_be_bytes(raw[0..4].try_into().expect("4 bytes"));
        let timestamp = u64::from_be_bytes(raw[4..12].try_into().expect("8 bytes"));
        if timestamp > MAX_TIMESTAMP {
            return Err(LedgerError::TimestampOutOfRange(timestamp));
        }
        Ok(Self {
            name: name.to_owned(),
            key_hash,
            timestamp,
            signature: raw[12..].try_into().expect("64 bytes"),
        })
    }
}

/// A witness's private cosigning key.
#[derive(Clone)]
pub struct CosignerKey {
    name: String,
    hash: u32,
    key: SigningKey,
}

impl fmt::Debug for CosignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CosignerKey")
            .field("name", &self.name)
            .field("key_hash", &format_args!("{:08x}", self.hash))
            .finish_non_exhaustive()
    }
}

impl CosignerKey {
    /// Generate a fresh key from the OS RNG.
    pub fn generate(name: &str) -> Result<Self, LedgerError> {
        Self::generate_with_rng(name, &mut OsRng)
    }

    /// Generate a fresh key with a caller-supplied RNG.
    pub fn generate_with_rng(
        name: &str,
        rng: &mut impl CryptoRngCore,
    ) -> Result<Self, LedgerError> {
        if !is_valid_key_name(name) {
            return Err(LedgerError::InvalidKeyName(name.to_owned()));
        }
        Ok(Self::from_signing_key(name, SigningKey::generate(rng)))
    }

    fn from_signing_key(name: &str, key: SigningKey) -> Self {
        let mut typed = vec![ALG_COSIGNATURE_V1];
        typed.extend_from_slice(key.verifying_key().as_bytes());
        Self {
            name: name.to_owned(),
            hash: key_hash(name, &typed),
            key,
        }
    }

    /// Parse `PRIVATE+KEY+<name>+<hash8>+<base64(0x04 ‖ seed)>`.
    pub fn from_key_string(s: &str) -> Result<Self, LedgerError> {
        let p = parse_key_string(s, true)?;
        let key = signer_from_parts(&p, ALG_COSIGNATURE_V1)?;
        Ok(Self {
            name: p.name,
            hash: p.hash,
            key,
        })
    }

    /// The private key string. Handle with care.
    pub fn to_key_string(&self) -> String {
        format_key_string(
            true,
            &self.name,
            self.hash,
            ALG_COSIGNATURE_V1,
            self.key.as_bytes(),
        )
    }

    /// Cosigner name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Key hash (type `0x04`).
    pub fn key_hash(&self) -> u32 {
        self.hash
    }

    /// The matching public verifier.
    pub fn verifier(&self) -> CosignatureVerifier {
        CosignatureVerifier {
            name: self.name.clone(),
            hash: self.hash,
            key: self.key.verifying_key(),
        }
    }

    /// Cosign `checkpoint` at `timestamp` (unix seconds).
    pub fn cosign(
        &self,
        checkpoint: &Checkpoint,
        timestamp: u64,
    ) -> Result<Cosignature, LedgerError> {
        if timestamp > MAX_TIMESTAMP {
            return Err(LedgerError::TimestampOutOfRange(timestamp));
        }
        checkpoint.validate()?;
        let msg = cosigned_message(&checkpoint.to_note_text(), timestamp);
        Ok(Cosignature {
            name: self.name.clone(),
            key_hash: self.hash,
            timestamp,
            signature: self.key.sign(&msg).to_bytes(),
        })
    }
}

impl CosignerKey {
    /// This key bound to `timestamp`, usable as a [`NoteSigner`] with
    /// [`sign_note`](crate::sign_note)/[`resign_note`](crate::note::resign_note)
    /// (the note text must then be a checkpoint body).
    pub fn at(&self, timestamp: u64) -> TimestampedCosigner<'_> {
        TimestampedCosigner {
            key: self,
            timestamp,
        }
    }
}

/// A [`CosignerKey`] bound to a timestamp; see [`CosignerKey::at`].
#[derive(Debug, Clone, Copy)]
pub struct TimestampedCosigner<'a> {
    key: &'a CosignerKey,
    timestamp: u64,
}

impl NoteSigner for TimestampedCosigner<'_> {
    fn name(&self) -> &str {
        &self.key.name
    }
    fn key_hash(&self) -> u32 {
        self.key.hash
    }
    fn sign(&self, text: &[u8]) -> Result<Vec<u8>, LedgerError> {
        let text = std::str::from_utf8(text)
            .map_err(|_| LedgerError::MalformedCosignature("text is not UTF-8"))?;
        let checkpoint = Checkpoint::parse(text)?;
        let c = self.key.cosign(&checkpoint, self.timestamp)?;
        let mut out = Vec::with_capacity(8 + 64);
        out.extend_from_slice(&c.timestamp.to_be_bytes());
        out.extend_from_slice(&c.signature);
        Ok(out)
    }
}

impl FromStr for CosignerKey {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key_string(s)
    }
}

/// A witness's public key, verifying its v1 cosignatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignatureVerifier {
    name: String,
    hash: u32,
    key: VerifyingKey,
}

impl CosignatureVerifier {
    /// Parse `<name>+<hash8>+<base64(0x04 ‖ pubkey)>`.
    pub fn from_key_string(s: &str) -> Result<Self, LedgerError> {
        let p = parse_key_string(s, false)?;
        let key = verifier_from_parts(&p, ALG_COSIGNATURE_V1)?;
        Ok(Self {
            name: p.name,
            hash: p.hash,
            key,
        })
    }

    /// The verifier key string.
    pub fn to_key_string(&self) -> String {
        format_key_string(
            false,
            &self.name,
            self.hash,
            ALG_COSIGNATURE_V1,
            self.key.as_bytes(),
        )
    }

    /// Verify `cosig` over `checkpoint`; on success returns its timestamp.
    pub fn verify_cosignature(
        &self,
        checkpoint: &Checkpoint,
        cosig: &Cosignature,
    ) -> Result<u64, LedgerError> {
        if cosig.name != self.name || cosig.key_hash != self.hash {
            return Err(LedgerError::CosignerMismatch {
                name: cosig.name.clone(),
                key_hash: cosig.key_hash,
            });
        }
        if cosig.timestamp > MAX_TIMESTAMP {
            return Err(LedgerError::TimestampOutOfRange(cosig.timestamp));
        }
        let msg = cosigned_message(&checkpoint.to_note_text(), cosig.timestamp);
        let sig = ed25519_dalek::Signature::from_bytes(&cosig.signature);
        ed25519_dalek::Verifier::verify(&self.key, &msg, &sig).map_err(|_| {
            LedgerError::InvalidSignature {
                name: self.name.clone(),
                key_hash: self.hash,
            }
        })?;
        Ok(cosig.timestamp)
    }

    /// Parse and verify a signature line over `checkpoint`; returns the
    /// timestamp.
    pub fn verify_line(&self, checkpoint: &Checkpoint, line: &str) -> Result<u64, LedgerError> {
        self.verify_cosignature(checkpoint, &Cosignature::from_line(line)?)
    }
}

impl fmt::Display for CosignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_key_string())
    }
}

impl FromStr for CosignatureVerifier {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key_string(s)
    }
}

impl NoteVerifier for CosignatureVerifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_hash(&self) -> u32 {
        self.hash
    }
    /// `sig` is `timestamp ‖ signature` (the payload after the key hash);
    /// `text` is the checkpoint note text.
    fn verify(&self, text: &[u8], sig: &[u8]) -> bool {
        if sig.len() != 8 + 64 {
            return false;
        }
        let timestamp = u64::from_be_bytes(sig[..8].try_into().expect("8 bytes"));
        if timestamp > MAX_TIMESTAMP {
            return false;
        }
        let Ok(text) = std::str::from_utf8(text) else {
            return false;
        };
        let msg = cosigned_message(text, timestamp);
        let Ok(s) = ed25519_dalek::Signature::from_slice(&sig[8..]) else {
            return false;
        };
        ed25519_dalek::Verifier::verify(&self.key, &msg, &s).is_ok()
    }
}
