//! Witnesses: each member unit registers the key with which its witness cosigns the log's
//! checkpoints, and an administrator records which units' witnesses count and how many of them
//! make a checkpoint witnessed (the policy, k of n). Commands are decided by [`decide`]; events
//! are folded by `State::apply_witness`.

use crate::authz::{authorise, Permission};
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::state::{State, WitnessKey};

pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    match command {
        Command::RegisterWitnessKey { unit, key } => {
            authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
            validate_witness_key(&key)?;
            Ok(vec![Payload::WitnessKeyRegistered { unit, key }])
        }
        Command::SetWitnessPolicy { witnesses, quorum } => {
            Ok(vec![Payload::WitnessPolicySet { witnesses, quorum }])
        }
        other => unreachable!("not a witness command: {other:?}"),
    }
}

impl State {
    /// Registers (or replaces) a unit's witness key.
    pub(crate) fn apply_witness(&mut self, event: &Event) -> Result<(), DomainError> {
        let (unit, key) = match &event.payload {
            Payload::WitnessKeyRegistered { unit, key } => (unit, key),
            Payload::WitnessPolicySet { witnesses, quorum } => {
                return self.set_witness_policy(witnesses, *quorum, event.index)
            }
            other => unreachable!("not a witness event: {}", other.kind()),
        };
        self.unit(unit)?;
        if self.witness_keys.get(unit).is_some_and(|k| &k.key == key) {
            return Err(DomainError::InvalidValue {
                field: "key",
                reason: "this witness key is already registered for the unit".into(),
            });
        }
        self.witness_keys.insert(
            unit.clone(),
            WitnessKey {
                key: key.clone(),
                registered_at: event.index,
            },
        );
        Ok(())
    }
}

impl State {
    /// k of n: at least one designated unit, each existing and listed once, 1 ≤ k ≤ n.
    fn set_witness_policy(
        &mut self,
        witnesses: &[crate::ids::UnitId],
        quorum: u32,
        index: u64,
    ) -> Result<(), DomainError> {
        let mut seen = std::collections::BTreeSet::new();
        for unit in witnesses {
            self.unit(unit)?;
            if !seen.insert(unit) {
                return Err(DomainError::InvalidValue {
                    field: "witnesses",
                    reason: format!("{unit} is listed twice"),
                });
            }
        }
        if quorum == 0 || quorum as usize > witnesses.len() {
            return Err(DomainError::WitnessQuorum {
                designated: witnesses.len(),
            });
        }
        self.witness_policy = Some(crate::state::WitnessPolicy {
            witnesses: witnesses.to_vec(),
            quorum,
            set_at: index,
        });
        Ok(())
    }
}

/// Checks the shape of a witness verifier key, `<name>+<8 hex digits>+<base64 of 33 bytes>`.
/// The ledger parses it fully; the domain only keeps malformed text out of the log.
fn validate_witness_key(key: &str) -> Result<(), DomainError> {
    let bad = |reason: &str| DomainError::InvalidValue {
        field: "key",
        reason: reason.into(),
    };
    // The base64 part may itself contain '+'.
    let parts: Vec<&str> = key.splitn(3, '+').collect();
    let [name, hash, b64] = parts[..] else {
        return Err(bad("a witness key has the form name+keyhash+base64"));
    };
    if name.is_empty() || name.len() > 200 || name.chars().any(|c| c <= ' ' || c == '\u{7f}') {
        return Err(bad(
            "the key name must be non-empty, without spaces or controls",
        ));
    }
    if hash.len() != 8
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(bad("the key hash must be 8 lowercase hex digits"));
    }
    // 33 bytes (type 0x04 and a 32-byte Ed25519 key) are 44 base64 characters.
    let b64_ok = b64.len() == 44
        && b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    if !b64_ok {
        return Err(bad(
            "the key must be the base64 of a 33-byte Ed25519 cosignature key",
        ));
    }
    Ok(())
}
