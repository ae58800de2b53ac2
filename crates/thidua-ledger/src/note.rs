//! C2SP signed notes (<https://c2sp.org/signed-note>), compatible with Go's
//! `golang.org/x/mod/sumdb/note`.
//!
//! Owns the note wire format (text, blank line, `— <name> <base64>` lines),
//! the Ed25519 (signature type `0x01`) key text forms, [`sign_note`] and
//! [`open_note`], and the [`NoteSigner`]/[`NoteVerifier`] traits that other
//! signature types (the witness cosignatures of [`crate::cosignature`])
//! plug into.
//!
//! Key text forms (identical to Go's):
//! * signer: `PRIVATE+KEY+<name>+<keyhash hex8>+<base64(0x01 ‖ seed32)>`
//! * verifier: `<name>+<keyhash hex8>+<base64(0x01 ‖ pubkey32)>`
//!
//! where `keyhash = SHA-256(name ‖ "\n" ‖ 0x01 ‖ pubkey)[..4]`, big-endian.
//!
//! Opening rules (as in the reference): the message must be valid UTF-8 with
//! no ASCII control character other than `\n`; the text is everything up to
//! and including the newline before the *last* blank line; every following
//! line must be a well-formed signature line; at most
//! [`MAX_SIGNATURES`] signature lines; signatures by unknown keys are kept as
//! unverified (identical duplicates dropped); a repeated signature by a known
//! key is ignored; a known key whose signature fails rejects the whole note;
//! two verifiers with the same name and key hash are an error; a note with no
//! verified signature is rejected with [`LedgerError::NoVerifiableSignature`].

use std::fmt;
use std::str::FromStr;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use rand_core::{CryptoRngCore, OsRng};
use sha2::{Digest, Sha256};

use crate::error::LedgerError;

/// Signature type byte of plain Ed25519 note signatures.
pub const ALG_ED25519: u8 = 0x01;

/// Maximum number of signature lines [`open_note`] will parse (as Go).
pub const MAX_SIGNATURES: usize = 100;

/// Standard base64 with padding, tolerant of non-zero trailing bits like
/// Go's `base64.StdEncoding` (used for signatures and keys).
pub(crate) const B64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Standard base64 with padding (canonical encoding).
pub(crate) use base64::engine::general_purpose::STANDARD as B64;

const SIG_PREFIX: &str = "\u{2014} ";

/// Whether `name` is a valid key name: non-empty, no Unicode space, no `+`.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// `SHA-256(name ‖ "\n" ‖ key)[..4]` as a big-endian `u32`, where `key`
/// starts with the signature type byte.
pub fn key_hash(name: &str, typed_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(typed_key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A key string split into its parts (shared by note and cosigner keys).
pub(crate) struct KeyParts {
    pub name: String,
    pub hash: u32,
    pub alg: u8,
    pub key: Vec<u8>,
}

fn parse_hash8(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// Parse `[PRIVATE+KEY+]<name>+<hash8>+<base64(alg ‖ key)>`.
pub(crate) fn parse_key_string(s: &str, private: bool) -> Result<KeyParts, LedgerError> {
    let bad = || {
        if private {
            LedgerError::MalformedSignerKey
        } else {
            LedgerError::MalformedVerifierKey
        }
    };
    let rest = if private {
        s.strip_prefix("PRIVATE+KEY+").ok_or_else(bad)?
    } else {
        s
    };
    let mut it = rest.splitn(3, '+');
    let name = it.next().ok_or_else(bad)?;
    let hash16 = it.next().ok_or_else(bad)?;
    let key64 = it.next().ok_or_else(bad)?;
    let hash = parse_hash8(hash16).ok_or_else(bad)?;
    let key = B64_LENIENT.decode(key64).map_err(|_| bad())?;
    if !is_valid_key_name(name) || key.is_empty() {
        return Err(bad());
    }
    Ok(KeyParts {
        name: name.to_owned(),
        hash,
        alg: key[0],
        key: key[1..].to_vec(),
    })
}

pub(crate) fn format_key_string(
    private: bool,
    name: &str,
    hash: u32,
    alg: u8,
    key: &[u8],
) -> String {
    let mut typed = Vec::with_capacity(1 + key.len());
    typed.push(alg);
    typed.extend_from_slice(key);
    format!(
        "{}{}+{:08x}+{}",
        if private { "PRIVATE+KEY+" } else { "" },
        name,
        hash,
        B64.encode(typed)
    )
}

/// Build an Ed25519 verifying key for the given type byte, checking the
/// key hash stated in the key string.
pub(crate) fn verifier_from_parts(p: &KeyParts, alg: u8) -> Result<VerifyingKey, LedgerError> {
    let mut typed = Vec::with_capacity(1 + p.key.len());
    typed.push(p.alg);
    typed.extend_from_slice(&p.key);
    let computed = key_hash(&p.name, &typed);
    if computed != p.hash {
        return Err(LedgerError::KeyHashMismatch {
            stated: p.hash,
            computed,
        });
    }
    if p.alg != alg {
        return Err(LedgerError::UnsupportedKeyAlgorithm(p.alg));
    }
    let bytes: [u8; 32] = p
        .key
        .as_slice()
        .try_into()
        .map_err(|_| LedgerError::MalformedVerifierKey)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| LedgerError::InvalidPublicKey)
}

/// Build an Ed25519 signing key for the given type byte, checking the key
/// hash stated in the key string against the derived public key.
pub(crate) fn signer_from_parts(p: &KeyParts, alg: u8) -> Result<SigningKey, LedgerError> {
    if p.alg != alg {
        return Err(LedgerError::UnsupportedKeyAlgorithm(p.alg));
    }
    let seed: [u8; 32] = p
        .key
        .as_slice()
        .try_into()
        .map_err(|_| LedgerError::MalformedSignerKey)?;
    let sk = SigningKey::from_bytes(&seed);
    let mut typed = vec![alg];
    typed.extend_from_slice(sk.verifying_key().as_bytes());
    let computed = key_hash(&p.name, &typed);
    if computed != p.hash {
        return Err(LedgerError::KeyHashMismatch {
            stated: p.hash,
            computed,
        });
    }
    Ok(sk)
}

/// Something that can sign note text (a log key, ...).
pub trait NoteSigner {
    /// Key name written on the signature line.
    fn name(&self) -> &str;
    /// Key hash (first 4 bytes of the signature payload).
    fn key_hash(&self) -> u32;
    /// Signature bytes over `text` (without the key hash prefix).
    fn sign(&self, text: &[u8]) -> Result<Vec<u8>, LedgerError>;
}

/// Something that can verify a note signature.
pub trait NoteVerifier {
    /// Key name the signature line must carry.
    fn name(&self) -> &str;
    /// Key hash the signature payload must start with.
    fn key_hash(&self) -> u32;
    /// Whether `sig` (without the key hash prefix) is valid for `text`.
    fn verify(&self, text: &[u8], sig: &[u8]) -> bool;
}

/// An Ed25519 note signer (private key).
#[derive(Clone)]
pub struct Signer {
    name: String,
    hash: u32,
    key: SigningKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("name", &self.name)
            .field("key_hash", &format_args!("{:08x}", self.hash))
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Parse `PRIVATE+KEY+<name>+<hash8>+<base64(0x01 ‖ seed)>`.
    pub fn from_key_string(s: &str) -> Result<Self, LedgerError> {
        let p = parse_key_string(s, true)?;
        let key = signer_from_parts(&p, ALG_ED25519)?;
        Ok(Self {
            name: p.name,
            hash: p.hash,
            key,
        })
    }

    /// The private key string (`PRIVATE+KEY+...`). Handle with care.
    pub fn to_key_string(&self) -> String {
        format_key_string(
            true,
            &self.name,
            self.hash,
            ALG_ED25519,
            self.key.as_bytes(),
        )
    }

    /// The matching verifier.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            hash: self.hash,
            key: self.key.verifying_key(),
        }
    }
}

impl FromStr for Signer {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key_string(s)
    }
}

impl NoteSigner for Signer {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_hash(&self) -> u32 {
        self.hash
    }
    fn sign(&self, text: &[u8]) -> Result<Vec<u8>, LedgerError> {
        Ok(self.key.sign(text).to_bytes().to_vec())
    }
}

/// An Ed25519 note verifier (public key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    hash: u32,
    key: VerifyingKey,
}

impl Verifier {
    /// Parse `<name>+<hash8>+<base64(0x01 ‖ pubkey)>`.
    pub fn from_key_string(s: &str) -> Result<Self, LedgerError> {
        let p = parse_key_string(s, false)?;
        let key = verifier_from_parts(&p, ALG_ED25519)?;
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
            ALG_ED25519,
            self.key.as_bytes(),
        )
    }
}

impl fmt::Display for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_key_string())
    }
}

impl FromStr for Verifier {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_key_string(s)
    }
}

impl NoteVerifier for Verifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_hash(&self) -> u32 {
        self.hash
    }
    fn verify(&self, text: &[u8], sig: &[u8]) -> bool {
        match ed25519_dalek::Signature::from_slice(sig) {
            Ok(s) => ed25519_dalek::Verifier::verify(&self.key, text, &s).is_ok(),
            Err(_) => false,
        }
    }
}

/// Generate a fresh Ed25519 note key from the OS RNG; returns
/// `(signer_key_string, verifier_key_string)`.
pub fn generate_key(name: &str) -> Result<(String, String), LedgerError> {
    generate_key_with_rng(name, &mut OsRng)
}

/// [`generate_key`] with a caller-supplied RNG.
pub fn generate_key_with_rng(
    name: &str,
    rng: &mut impl CryptoRngCore,
) -> Result<(String, String), LedgerError> {
    if !is_valid_key_name(name) {
        return Err(LedgerError::InvalidKeyName(name.to_owned()));
    }
    let sk = SigningKey::generate(rng);
    let mut typed = vec![ALG_ED25519];
    typed.extend_from_slice(sk.verifying_key().as_bytes());
    let hash = key_hash(name, &typed);
    Ok((
        format_key_string(true, name, hash, ALG_ED25519, sk.as_bytes()),
        format_key_string(
            false,
            name,
            hash,
            ALG_ED25519,
            sk.verifying_key().as_bytes(),
        ),
    ))
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Key name.
    pub name: String,
    /// Key hash (first 4 bytes of the decoded payload).
    pub key_hash: u32,
    /// The base64 payload exactly as it appeared (key hash ‖ signature).
    pub base64: String,
}

impl Signature {
    /// The decoded signature bytes after the 4-byte key hash.
    pub fn signature_bytes(&self) -> Result<Vec<u8>, LedgerError> {
        let raw = B64_LENIENT
            .decode(&self.base64)
            .map_err(|_| LedgerError::MalformedNote("signature is not valid base64"))?;
        if raw.len() < 5 {
            return Err(LedgerError::MalformedNote("signature too short"));
        }
        Ok(raw[4..].to_vec())
    }

    /// The signature line, `— <name> <base64>\n`.
    pub fn to_line(&self) -> String {
        format!("{SIG_PREFIX}{} {}\n", self.name, self.base64)
    }
}

/// An opened note: its text and its signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The note text, including its final newline.
    pub text: String,
    /// Signatures verified by a known key, in note order.
    pub verified: Vec<Signature>,
    /// Signatures by keys the caller did not supply, in note order.
    pub unverified: Vec<Signature>,
}

fn check_chars(s: &str) -> bool {
    !s.chars().any(|c| c < ' ' && c != '\n')
}

/// Sign `text` (which must end in `\n`) with every signer, returning the
/// complete signed note.
pub fn sign_note(text: &str, signers: &[&dyn NoteSigner]) -> Result<String, LedgerError> {
    if !text.ends_with('\n') {
        return Err(LedgerError::InvalidNoteText("text must end in a newline"));
    }
    if !check_chars(text) {
        return Err(LedgerError::InvalidNoteText(
            "text contains an ASCII control character other than newline",
        ));
    }
    let mut out = String::with_capacity(text.len() + 1 + 120 * signers.len());
    out.push_str(text);
    out.push('\n');
    for s in signers {
        if !is_valid_key_name(s.name()) {
            return Err(LedgerError::InvalidKeyName(s.name().to_owned()));
        }
        let sig = s.sign(text.as_bytes())?;
        let mut payload = Vec::with_capacity(4 + sig.len());
        payload.extend_from_slice(&s.key_hash().to_be_bytes());
        payload.extend_from_slice(&sig);
        out.push_str(SIG_PREFIX);
        out.push_str(s.name());
        out.push(' ');
        out.push_str(&B64.encode(payload));
        out.push('\n');
    }
    Ok(out)
}

/// Re-sign an opened note: its existing signatures (verified, then
/// unverified) are kept — except those by a key among `signers`, which are
/// replaced — followed by the new signatures. This is how a log appends
/// witness cosignatures to a checkpoint it already signed.
pub fn resign_note(note: &Note, signers: &[&dyn NoteSigner]) -> Result<String, LedgerError> {
    let fresh = sign_note(&note.text, signers)?;
    let (head, new_sigs) = fresh.split_at(note.text.len() + 1);
    let mut out = String::from(head);
    for sig in note.verified.iter().chain(&note.unverified) {
        if !is_valid_key_name(&sig.name) {
            return Err(LedgerError::InvalidKeyName(sig.name.clone()));
        }
        if signers
            .iter()
            .any(|s| s.name() == sig.name && s.key_hash() == sig.key_hash)
        {
            continue;
        }
        let raw = B64_LENIENT
            .decode(&sig.base64)
            .map_err(|_| LedgerError::MalformedNote("signature is not valid base64"))?;
        if raw.len() < 5 || u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]) != sig.key_hash {
            return Err(LedgerError::MalformedNote(
                "signature payload does not match its key hash",
            ));
        }
        out.push_str(&sig.to_line());
    }
    out.push_str(new_sigs);
    Ok(out)
}

/// Parse `msg` as a signed note and verify its signatures against `known`.
/// See the module documentation for the exact rules.
pub fn open_note(msg: &[u8], known: &[&dyn NoteVerifier]) -> Result<Note, LedgerError> {
    let msg = std::str::from_utf8(msg).map_err(|_| LedgerError::MalformedNote("invalid UTF-8"))?;
    if !check_chars(msg) {
        return Err(LedgerError::MalformedNote(
            "ASCII control character other than newline",
        ));
    }
    let split = msg.rfind("\n\n").ok_or(LedgerError::MalformedNote(
        "no blank line before signatures",
    ))?;
    let text = &msg[..split + 1];
    let mut sigs = &msg[split + 2..];
    if !sigs.ends_with('\n') {
        return Err(LedgerError::MalformedNote(
            "signature block missing or not newline-terminated",
        ));
    }

    let mut note = Note {
        text: text.to_owned(),
        verified: Vec::new(),
        unverified: Vec::new(),
    };
    let mut seen: Vec<(String, u32)> = Vec::new();
    let mut seen_unverified: Vec<&str> = Vec::new();
    let mut count = 0usize;
    while let Some(nl) = sigs.find('\n') {
        let line = &sigs[..nl];
        sigs = &sigs[nl + 1..];
        let body = line
            .strip_prefix(SIG_PREFIX)
            .ok_or(LedgerError::MalformedNote(
                "signature line must start with \"\u{2014} \"",
            ))?;
        let (name, b64) = body.split_once(' ').unwrap_or((body, ""));
        if !is_valid_key_name(name) || b64.is_empty() {
            return Err(LedgerError::MalformedNote("bad signature line"));
        }
        let raw = B64_LENIENT
            .decode(b64)
            .map_err(|_| LedgerError::MalformedNote("signature is not valid base64"))?;
        if raw.len() < 5 {
            return Err(LedgerError::MalformedNote("signature too short"));
        }
        let hash = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
        count += 1;
        if count > MAX_SIGNATURES {
            return Err(LedgerError::TooManySignatures {
                limit: MAX_SIGNATURES,
            });
        }

        let mut matching = known
            .iter()
            .filter(|v| v.name() == name && v.key_hash() == hash);
        let Some(v) = matching.next() else {
            if !seen_unverified.contains(&body) {
                seen_unverified.push(body);
                note.unverified.push(Signature {
                    name: name.to_owned(),
                    key_hash: hash,
                    base64: b64.to_owned(),
                });
            }
            continue;
        };
        if matching.next().is_some() {
            return Err(LedgerError::AmbiguousVerifier {
                name: name.to_owned(),
                key_hash: hash,
            });
        }
        if seen.iter().any(|(n, h)| n == name && *h == hash) {
            continue;
        }
        seen.push((name.to_owned(), hash));
        if !v.verify(text.as_bytes(), &raw[4..]) {
            return Err(LedgerError::InvalidSignature {
                name: name.to_owned(),
                key_hash: hash,
            });
        }
        note.verified.push(Signature {
            name: name.to_owned(),
            key_hash: hash,
            base64: b64.to_owned(),
        });
    }
    if note.verified.is_empty() {
        return Err(LedgerError::NoVerifiableSignature(Box::new(note)));
    }
    Ok(note)
}
