//! C2SP tlog-checkpoint (<https://c2sp.org/tlog-checkpoint>).
//!
//! Owns the checkpoint note body — `origin\nsize\nbase64(root)\n` followed
//! by optional extension lines — its strict parser, and the helpers that
//! sign a checkpoint as a signed note and open/verify one.
//!
//! Parsing is strict: the text must end in a newline; the origin must be
//! non-empty; the size must be canonical ASCII decimal (no sign, no leading
//! zero unless it is `0`) fitting in a `u64`; the root must be the canonical
//! standard base64 encoding of exactly 32 bytes; extension lines must be
//! non-empty; no line may contain an ASCII control character.

use base64::Engine as _;

use crate::error::LedgerError;
use crate::hash::Hash;
use crate::note::{open_note, sign_note, Note, NoteSigner, NoteVerifier, B64};

/// A transparency log checkpoint (signed tree head body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Log identity, e.g. `thidua.example/log`.
    pub origin: String,
    /// Number of leaves.
    pub size: u64,
    /// RFC 6962 root hash at `size`.
    pub root: Hash,
    /// Optional extension lines (without newlines). Not recommended.
    pub extensions: Vec<String>,
}

fn line_ok(line: &str) -> bool {
    !line.is_empty() && !line.chars().any(|c| c < ' ')
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: impl Into<String>, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.into(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// Check that [`Checkpoint::to_note_text`] would produce a body that
    /// [`Checkpoint::parse`] accepts.
    pub fn validate(&self) -> Result<(), LedgerError> {
        if !line_ok(&self.origin) {
            return Err(LedgerError::MalformedCheckpoint(
                "origin must be a non-empty line without control characters",
            ));
        }
        if !self.extensions.iter().all(|e| line_ok(e)) {
            return Err(LedgerError::MalformedCheckpoint(
                "extension lines must be non-empty and without control characters",
            ));
        }
        Ok(())
    }

    /// The note text: `origin\nsize\nbase64(root)\n[extension\n]*`.
    pub fn to_note_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Strictly parse a checkpoint note text (see the module docs).
    pub fn parse(text: &str) -> Result<Self, LedgerError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(LedgerError::MalformedCheckpoint(
                "text must end in a newline",
            ))?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root_line)) =
            (lines.next(), lines.next(), lines.next())
        else {
            return Err(LedgerError::MalformedCheckpoint(
                "need origin, size and root lines",
            ));
        };
        if !line_ok(origin) {
            return Err(LedgerError::MalformedCheckpoint(
                "origin must be a non-empty line without control characters",
            ));
        }
        if size.is_empty()
            || !size.bytes().all(|b| b.is_ascii_digit())
            || (size.len() > 1 && size.starts_with('0'))
        {
            return Err(LedgerError::MalformedCheckpoint(
                "size must be canonical ASCII decimal",
            ));
        }
        let size: u64 = size
            .parse()
            .map_err(|_| LedgerError::MalformedCheckpoint("size does not fit in 64 bits"))?;
        let raw = B64
            .decode(root_line)
            .map_err(|_| LedgerError::MalformedCheckpoint("root is not canonical base64"))?;
        let root: Hash = raw
            .as_slice()
            .try_into()
            .map_err(|_| LedgerError::MalformedCheckpoint("root is not 32 bytes"))?;
        if B64.encode(root) != root_line {
            return Err(LedgerError::MalformedCheckpoint(
                "root is not canonical base64",
            ));
        }
        let mut extensions = Vec::new();
        for e in lines {
            if !line_ok(e) {
                return Err(LedgerError::MalformedCheckpoint(
                    "extension lines must be non-empty and without control characters",
                ));
            }
            extensions.push(e.to_owned());
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }
}

/// A checkpoint opened from a signed note, with its signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    /// The parsed checkpoint.
    pub checkpoint: Checkpoint,
    /// The opened note (text and verified/unverified signatures).
    pub note: Note,
}

/// Sign a checkpoint, returning the signed note.
pub fn sign_checkpoint(
    checkpoint: &Checkpoint,
    signers: &[&dyn NoteSigner],
) -> Result<String, LedgerError> {
    checkpoint.validate()?;
    sign_note(&checkpoint.to_note_text(), signers)
}

/// Open a signed checkpoint: verify the note against `verifiers` (at least
/// one must have signed; see [`open_note`]) and strictly parse the body.
///
/// Policy on *which* signatures are required (the log key, a quorum of
/// witnesses) is the caller's: inspect [`SignedCheckpoint::note`].
pub fn open_checkpoint(
    msg: &[u8],
    verifiers: &[&dyn NoteVerifier],
) -> Result<SignedCheckpoint, LedgerError> {
    let note = open_note(msg, verifiers)?;
    let checkpoint = Checkpoint::parse(&note.text)?;
    Ok(SignedCheckpoint { checkpoint, note })
}
