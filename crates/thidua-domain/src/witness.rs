//! Witnesses: each member unit registers the key with which its witness cosigns the log's
//! checkpoints, and an administrator records which units' witnesses count and how many of them
//! make a checkpoint witnessed (the policy, k of n). Commands are decided by [`decide`]; events
//! are folded by `State::apply_witness`.
//!
//! Who may register: the leader of a unit that exists on the command's date (a unit dissolved or
//! merged away by then is refused, naming its successors) and that belongs to at least one
//! emulation cluster recorded in the log (a unit outside every cluster relies on none of the
//! log's results; its key would only change the quorum of those that do).
//!
//! A change never acts backwards: every key registered and policy recorded is kept at its log
//! index (`State::witness_changes`), and a checkpoint of `size` entries is judged by the set in
//! force at that size ([`State::witnesses_at`]) — a later registration raises the quorum only
//! for checkpoints that include it.
//!
//! A key stops counting when its unit ceases: a merger or split that ends the unit
//! (`lineage_recorded`) is kept in the same list at its own index (`WitnessChange::Ceased`),
//! and checkpoints that include it no longer count the key (`WitnessSet::ceased` names it, with
//! the day the unit ceased); checkpoints before it keep the set then in force. A unit whose end
//! is recorded registers no key, even before its effective date, and a new policy cannot
//! designate it (decide-time rules); a successor registers its own key.
//!
//! A member replaying the part of the log it may read reads every witness event and the end of
//! every witness's unit (the quorum depends on all of them) but not always the units or the
//! leader's role they name (another cluster's): in such a partial state the event is folded
//! without the checks that need what is hidden (`State::witness_context_hidden`), a merger
//! keeping only that the key stopped counting; a full replay checks them all.

use crate::authz::{authorise, Permission};
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::UnitId;
use crate::model::LineageChange;
use crate::state::{CeasedWitness, State, WitnessChange, WitnessKey, WitnessSet};

/// Decides a witness command at `time_ms` (the date a registering unit must exist on).
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    match command {
        Command::RegisterWitnessKey { unit, key } => {
            authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
            may_witness(state, &unit, crate::figures::local_date(time_ms))?;
            validate_witness_key(&key)?;
            Ok(vec![Payload::WitnessKeyRegistered { unit, key }])
        }
        Command::SetWitnessPolicy { witnesses, quorum } => {
            for unit in &witnesses {
                not_ended(state, unit)?;
            }
            Ok(vec![Payload::WitnessPolicySet { witnesses, quorum }])
        }
        other => unreachable!("not a witness command: {other:?}"),
    }
}

/// A unit whose end the log records, even on a later date, is refused as dissolved then: its
/// key would count for no checkpoint (a policy naming it, or its new key).
fn not_ended(state: &State, unit: &UnitId) -> Result<(), DomainError> {
    match state.unit(unit)?.dissolved {
        Some(ended) => Err(state.inactive(unit, ended)),
        None => Ok(()),
    }
}

/// A unit may witness the log when its end is not recorded ([`not_ended`]), it exists on
/// `date` and belongs to a cluster of the log.
fn may_witness(state: &State, unit: &UnitId, date: chrono::NaiveDate) -> Result<(), DomainError> {
    not_ended(state, unit)?;
    if !state.unit(unit)?.active_on(date) {
        return Err(state.inactive(unit, date));
    }
    let in_a_cluster = state
        .clusters
        .values()
        .flat_map(|c| c.years.values())
        .any(|y| y.members.contains(unit));
    if !in_a_cluster {
        return Err(DomainError::WitnessOutsideClusters {
            unit: unit.to_string(),
        });
    }
    Ok(())
}

impl State {
    /// The witness keys and the policy in force for a checkpoint of `size` entries: those
    /// recorded by the events it includes (index below `size`), the newest of each, less the
    /// keys of units whose end those events record (kept apart in `WitnessSet::ceased`).
    pub fn witnesses_at(&self, size: u64) -> WitnessSet {
        let mut set = WitnessSet::default();
        for change in &self.witness_changes {
            if change_index(change) >= size {
                break;
            }
            match change {
                WitnessChange::Key { unit, key } => match set.ceased.get_mut(unit) {
                    Some(gone) => gone.key = key.clone(),
                    None => {
                        set.keys.insert(unit.clone(), key.clone());
                    }
                },
                WitnessChange::Policy(p) => set.policy = Some(p.clone()),
                WitnessChange::Resumed { unit, .. } => {
                    if let Some(gone) = set.ceased.remove(unit) {
                        set.keys.insert(unit.clone(), gone.key);
                    }
                }
                WitnessChange::Ceased { unit, date, at } => {
                    if let Some(key) = set.keys.remove(unit) {
                        let (date, at) = (*date, *at);
                        set.ceased
                            .insert(unit.clone(), CeasedWitness { key, date, at });
                    }
                }
            }
        }
        set
    }

    /// Whether `payload` is a witness key registration whose unit, or whose leader's role, this
    /// partial state does not know (a member's replay, where another cluster's unit and its
    /// leader are hidden), or the end of a witness's unit that it does not see
    /// ([`State::lineage_context_hidden`]): it is folded without the checks that need them.
    pub(crate) fn witness_context_hidden(&self, event: &Event) -> bool {
        match &event.payload {
            Payload::WitnessKeyRegistered { unit, .. } if self.partial => {
                !self.units.contains_key(unit)
                    || authorise(self, &event.actor, &Permission::LeadUnit(unit.clone())).is_err()
            }
            Payload::LineageRecorded(change) => self.lineage_context_hidden(change),
            Payload::LineageWithdrawn(e) => self.lineage_context_hidden(&e.change),
            _ => false,
        }
    }

    /// Whether this partial state does not see every unit of `change`: a member reads the end
    /// of every witness's unit (the quorum depends on it), not always the units themselves.
    pub(crate) fn lineage_context_hidden(&self, change: &LineageChange) -> bool {
        self.partial
            && change
                .predecessors
                .iter()
                .chain(&change.successors)
                .any(|u| !self.units.contains_key(u))
    }

    /// The units that `change` ends (predecessors that do not continue) and that have a witness
    /// key: their keys count for no checkpoint that includes this event (at `self.size`).
    pub(crate) fn record_witness_ends(&mut self, change: &LineageChange) {
        for unit in ceased_units(change) {
            if self.witness_keys.contains_key(unit) {
                self.witness_changes.push_back(WitnessChange::Ceased {
                    unit: unit.clone(),
                    date: change.effective,
                    at: self.size,
                });
            }
        }
    }
}

/// The predecessors of `change` that do not continue among its successors.
pub fn ceased_units(change: &LineageChange) -> impl Iterator<Item = &UnitId> {
    change
        .predecessors
        .iter()
        .filter(|p| !change.successors.contains(p))
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
        if !self.witness_context_hidden(event) {
            self.unit(unit)?;
        }
        if self.witness_keys.get(unit).is_some_and(|k| &k.key == key) {
            return Err(DomainError::InvalidValue {
                field: "key",
                reason: "this witness key is already registered for the unit".into(),
            });
        }
        let key = WitnessKey {
            key: key.clone(),
            registered_at: event.index,
        };
        self.witness_keys.insert(unit.clone(), key.clone());
        self.witness_changes.push_back(WitnessChange::Key {
            unit: unit.clone(),
            key,
        });
        Ok(())
    }
}

impl State {
    /// k of n: at least one designated unit, each existing and listed once, 1 ≤ k ≤ n (in a
    /// member's partial state, a designated unit it does not see is taken as the log names it).
    fn set_witness_policy(
        &mut self,
        witnesses: &[UnitId],
        quorum: u32,
        index: u64,
    ) -> Result<(), DomainError> {
        let mut seen = std::collections::BTreeSet::new();
        for unit in witnesses {
            if !self.partial || self.units.contains_key(unit) {
                self.unit(unit)?;
            }
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
        let policy = crate::state::WitnessPolicy {
            witnesses: witnesses.to_vec(),
            quorum,
            set_at: index,
        };
        self.witness_policy = Some(policy.clone());
        self.witness_changes
            .push_back(WitnessChange::Policy(policy));
        Ok(())
    }
}

/// The log index of the event that made `change`.
fn change_index(change: &WitnessChange) -> u64 {
    match change {
        WitnessChange::Key { key, .. } => key.registered_at,
        WitnessChange::Policy(p) => p.set_at,
        WitnessChange::Ceased { at, .. } | WitnessChange::Resumed { at, .. } => *at,
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
