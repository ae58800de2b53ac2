//! Witness cosignatures on the server side: a posted cosignature is checked against the witness
//! key that the unit registered *in the log* (`WitnessKeyRegistered`) and against the stored,
//! log-signed checkpoint of that size, then kept in the [`WitnessStore`]. A checkpoint cosigned
//! by the quorum of the witness policy recorded in the log ([`witness_set`]) is *witnessed*.

use thidua_domain::state::WitnessSet;
use thidua_domain::{State, UnitId};
use thidua_ledger::{open_checkpoint, Checkpoint, Cosignature, CosignatureVerifier, Verifier};
use thidua_service::Service;
use thidua_store::witness::{StoredCosignature, WitnessStore};

use crate::error::TransparencyError;
use crate::log::with_cosignatures;

type Result<T> = std::result::Result<T, TransparencyError>;

/// How many member units must cosign a checkpoint for it to count as witnessed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Quorum {
    /// All registered witnesses but one (at least one).
    #[default]
    AllButOne,
    /// Exactly this many distinct units.
    Units(u32),
}

impl Quorum {
    /// The environment variable that [`Quorum::from_env`] reads.
    pub const ENV: &'static str = "THIDUA_WITNESS_QUORUM";

    /// `THIDUA_WITNESS_QUORUM` as a positive number of units, or the default.
    pub fn from_env() -> Self {
        std::env::var(Self::ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|n| *n > 0)
            .map_or(Quorum::AllButOne, Quorum::Units)
    }

    /// Cosignatures needed when `registered` witness keys are registered (0 = none possible).
    pub fn required(self, registered: usize) -> u32 {
        match self {
            _ if registered == 0 => 0,
            Quorum::AllButOne => (registered as u32).saturating_sub(1).max(1),
            Quorum::Units(n) => n,
        }
    }
}

/// The witness verifiers registered in the log, by unit, as they are now. Keys that do not
/// parse are skipped (the domain checks their shape; a key of another algorithm simply cannot
/// cosign).
pub fn witness_verifiers(state: &State) -> Vec<(UnitId, CosignatureVerifier)> {
    verifiers(&state.witnesses_at(state.size))
}

fn verifiers(set: &WitnessSet) -> Vec<(UnitId, CosignatureVerifier)> {
    set.keys
        .iter()
        .filter_map(|(unit, k)| {
            CosignatureVerifier::from_key_string(&k.key)
                .ok()
                .map(|v| (unit.clone(), v))
        })
        .collect()
}

/// The witnesses whose cosignatures count for the log's next checkpoints and how many are
/// required: [`witness_set_at`] the state's size.
pub fn witness_set(state: &State, fallback: Quorum) -> (Vec<(UnitId, CosignatureVerifier)>, u32) {
    witness_set_at(state, state.size, fallback)
}

/// The witnesses whose cosignatures count for the checkpoint of `size` entries and how many are
/// required, as the log recorded them *before* that size (`State::witnesses_at`): the policy
/// then in force (`witness_policy_set`: designated units, k of n) if there was one; otherwise
/// every witness then registered, with `fallback` (by default all of them but one) — fit for one
/// cluster. A later registration or policy never changes what an earlier checkpoint needed.
pub fn witness_set_at(
    state: &State,
    size: u64,
    fallback: Quorum,
) -> (Vec<(UnitId, CosignatureVerifier)>, u32) {
    let set = state.witnesses_at(size);
    let registered = verifiers(&set);
    match &set.policy {
        Some(policy) => (
            registered
                .into_iter()
                .filter(|(unit, _)| policy.witnesses.contains(unit))
                .collect(),
            policy.quorum,
        ),
        None => {
            let required = fallback.required(registered.len());
            (registered, required)
        }
    }
}

/// Opens the stored checkpoint of `size` with the log's own key.
fn signed_checkpoint(service: &Service, size: u64) -> Result<(String, Checkpoint)> {
    let stored = service
        .store()
        .checkpoint_at(size)?
        .ok_or_else(|| TransparencyError::NotFound(format!("no checkpoint of size {size}")))?;
    let log = Verifier::from_key_string(service.key().verifier_key())?;
    let opened = open_checkpoint(stored.note.as_bytes(), &[&log])?;
    Ok((stored.note, opened.checkpoint))
}

/// Checks a witness's cosignature line for the checkpoint of `size` and stores it.
/// Returns the cosignature's timestamp.
pub fn accept_cosignature(
    service: &Service,
    witnesses: &dyn WitnessStore,
    unit: &str,
    size: u64,
    line: &str,
    now_ms: i64,
) -> Result<u64> {
    let unit_id = UnitId::parse(unit)
        .map_err(|_| TransparencyError::bad("unknown_witness", format!("no unit {unit:?}")))?;
    let registered =
        |view: &thidua_service::View| view.witness_keys.get(&unit_id).map(|k| k.key.clone());
    // A key registered a moment ago (by the command line, or on another server) is looked for
    // again in the log's newest entries before the witness is refused.
    let key = registered(&service.read())
        .or_else(|| registered(&service.read_fresh()))
        .ok_or_else(|| {
            TransparencyError::bad(
                "unknown_witness",
                format!("unit {unit} has no witness key registered in the log"),
            )
        })?;
    let verifier = CosignatureVerifier::from_key_string(&key)?;
    let line = line.trim_end_matches('\n');
    if line.contains('\n') {
        return Err(TransparencyError::bad(
            "bad_cosignature",
            "one cosignature line only",
        ));
    }
    let cosig = Cosignature::from_line(line)
        .map_err(|e| TransparencyError::bad("bad_cosignature", e.to_string()))?;
    let (_, checkpoint) = signed_checkpoint(service, size)?;
    let timestamp = verifier
        .verify_cosignature(&checkpoint, &cosig)
        .map_err(|e| TransparencyError::Unauthorised(format!("cosignature of {unit}: {e}")))?;
    witnesses.put_cosignature(&StoredCosignature {
        size,
        unit: unit.to_owned(),
        line: cosig.to_line().trim_end().to_owned(),
        received_ms: now_ms,
    })?;
    Ok(timestamp)
}

/// A checkpoint cosigned by a quorum of member units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessedCheckpoint {
    pub size: u64,
    /// The signed note with the valid cosignatures appended.
    pub note: String,
    /// The units whose cosignatures verified, in order.
    pub units: Vec<String>,
    /// Cosignatures that were required.
    pub required: u32,
}

/// How many of the newest cosigned sizes are examined.
const WITNESSED_SCAN: u32 = 64;

/// The newest checkpoint whose cosignatures, checked against the witness keys in force at its
/// size ([`witness_set_at`]), reach the quorum in force at that size. `None` if no checkpoint
/// is witnessed yet.
pub fn latest_witnessed_checkpoint(
    service: &Service,
    witnesses: &dyn WitnessStore,
    quorum: Quorum,
) -> Result<Option<WitnessedCheckpoint>> {
    let state = service.read();
    for size in witnesses.cosigned_sizes(1, WITNESSED_SCAN)? {
        if let Some(w) = witnessed_at(service, witnesses, &state, size, quorum)? {
            return Ok(Some(w));
        }
    }
    Ok(None)
}

/// The checkpoint of `size` with the cosignatures that count for it, if they reach its quorum.
fn witnessed_at(
    service: &Service,
    witnesses: &dyn WitnessStore,
    state: &State,
    size: u64,
    quorum: Quorum,
) -> Result<Option<WitnessedCheckpoint>> {
    let (keys, required) = witness_set_at(state, size, quorum);
    if required == 0 {
        return Ok(None);
    }
    let (note, checkpoint) = signed_checkpoint(service, size)?;
    let mut units = Vec::new();
    let mut lines = Vec::new();
    for c in witnesses.cosignatures_at(size)? {
        let valid = keys.iter().any(|(unit, v)| {
            unit.as_str() == c.unit && VERIFIED.check(v, &checkpoint, &note, &c.line)
        });
        if valid {
            units.push(c.unit.clone());
            lines.push(c.line);
        }
    }
    Ok(
        (units.len() as u32 >= required).then(|| WitnessedCheckpoint {
            size,
            note: with_cosignatures(&note, lines.iter().map(String::as_str)),
            units,
            required,
        }),
    )
}

/// Cosignatures already verified, so that a page showing which events are witnessed does not
/// verify every signature again: keyed by the witness key, the signed checkpoint note and the
/// cosignature line (all three are what the verification depends on). Bounded; cleared when full.
struct VerifiedCosignatures(std::sync::Mutex<std::collections::BTreeMap<[u8; 32], bool>>);

static VERIFIED: VerifiedCosignatures =
    VerifiedCosignatures(std::sync::Mutex::new(std::collections::BTreeMap::new()));

impl VerifiedCosignatures {
    const MAX: usize = 8192;

    fn check(
        &self,
        key: &CosignatureVerifier,
        checkpoint: &Checkpoint,
        note: &str,
        line: &str,
    ) -> bool {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for part in [key.to_key_string().as_str(), note, line] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let id: [u8; 32] = h.finalize().into();
        if let Some(known) = self.0.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return *known;
        }
        let valid = key.verify_line(checkpoint, line).is_ok();
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= Self::MAX {
            cache.clear();
        }
        cache.insert(id, valid);
        valid
    }
}

/// Whether the store's newest checkpoint is covered: used by callers that show results as final
/// only once a witnessed checkpoint includes them (`index < size`).
pub fn is_covered(witnessed: Option<&WitnessedCheckpoint>, index: u64) -> bool {
    witnessed.is_some_and(|w| index < w.size)
}

#[cfg(test)]
mod tests {
    use super::Quorum;

    #[test]
    fn the_default_quorum_is_all_registered_witnesses_but_one() {
        assert_eq!(Quorum::AllButOne.required(0), 0);
        assert_eq!(Quorum::AllButOne.required(1), 1);
        assert_eq!(Quorum::AllButOne.required(2), 1);
        assert_eq!(Quorum::AllButOne.required(5), 4);
        assert_eq!(Quorum::Units(3).required(5), 3);
        assert_eq!(Quorum::Units(3).required(0), 0);
    }
}
