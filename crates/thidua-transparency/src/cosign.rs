//! Witness cosignatures on the server side: a posted cosignature is checked against the witness
//! key that the unit registered *in the log* (`WitnessKeyRegistered`) and against the stored,
//! log-signed checkpoint of that size, then kept in the [`WitnessStore`]. A checkpoint cosigned
//! by the quorum of the witness policy recorded in the log, else of the log's default rule
//! ([`witness_set`], [`default_quorum`]), is *witnessed*. A witness whose unit ceased no longer
//! counts from the log index of its end ([`InForce::ceased`]).

use chrono::NaiveDate;
use thidua_domain::state::WitnessSet;
use thidua_domain::{State, UnitId};
use thidua_ledger::{open_checkpoint, Checkpoint, Cosignature, CosignatureVerifier, Verifier};
use thidua_service::Service;
use thidua_store::witness::{StoredCosignature, WitnessStore};

use crate::error::TransparencyError;
use crate::log::with_cosignatures;

type Result<T> = std::result::Result<T, TransparencyError>;

/// The witnesses whose cosignatures count for a checkpoint, how many it needs, and the keys
/// that no longer count because their unit ceased: the one rule of the server's endpoints, the
/// pages and `thidua verify` ([`witness_set_at`]).
#[derive(Clone, Debug, Default)]
pub struct InForce {
    /// The units whose keys count, with their verifiers.
    pub keys: Vec<(UnitId, CosignatureVerifier)>,
    /// Cosignatures of those units a checkpoint needs (0: no witness was ever registered).
    pub required: u32,
    /// Units whose key stopped counting when the log recorded their end, with the day they
    /// ceased.
    pub ceased: Vec<(UnitId, NaiveDate)>,
    /// Whether the quorum is a policy recorded in the log (else the log's default rule).
    pub recorded: bool,
}

impl InForce {
    /// The quorum can never be met with the keys that count (a policy's k above the
    /// designated units still counting, or every witness's unit ceased): a new policy, or
    /// successor units' keys, must be recorded.
    pub fn unmeetable(&self) -> bool {
        self.required as usize > self.keys.len()
    }
}

/// The log's default quorum when it records no policy, the same for every reader: all the
/// witness keys that count but one, at least one (`max(1, n − 1)`); 0 — nothing can be
/// witnessed — only when the log never registered a key, and 1 when every unit that did has
/// ceased (a quorum nobody can meet until a successor registers).
pub fn default_quorum(counting: usize, ceased: usize) -> u32 {
    match (counting, ceased) {
        (0, 0) => 0,
        (n, _) => (n as u32).saturating_sub(1).max(1),
    }
}

/// The environment variable that once set the quorum of a log without a policy, on each
/// server and verifier apart — so two readers could judge the same checkpoint differently. It
/// is no longer read: the quorum is the log's ([`default_quorum`] or its recorded policy), and
/// a verifier who wants more names its trusted witnesses (`--witness`, `--min-cosignatures`).
pub const RETIRED_QUORUM_ENV: &str = "THIDUA_WITNESS_QUORUM";

/// The warning for a reader whose environment still sets [`RETIRED_QUORUM_ENV`].
pub fn retired_quorum_warning() -> Option<String> {
    std::env::var_os(RETIRED_QUORUM_ENV)?;
    Some(format!(
        "chú ý / warning: {RETIRED_QUORUM_ENV} không còn được đọc: số chữ ký cần là của nhật ký \
         (chính sách nhân chứng đã ghi, hoặc mặc định: mọi nhân chứng được tính trừ một); muốn \
         khác, hãy ghi chính sách trên /admin/log / is no longer read: the quorum is the log's \
         own (its recorded witness policy, else every counting witness but one), the same for \
         every reader; record a policy on /admin/log to change it (a verifier may require more \
         with --witness and --min-cosignatures)"
    ))
}

/// The witness verifiers that count now, by unit. Keys that do not parse are skipped (the
/// domain checks their shape; a key of another algorithm simply cannot cosign).
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
pub fn witness_set(state: &State) -> InForce {
    witness_set_at(state, state.size)
}

/// The witnesses whose cosignatures count for the checkpoint of `size` entries and how many are
/// required, as the log recorded them *before* that size (`State::witnesses_at`): the policy
/// then in force (`witness_policy_set`: designated units, k of n) if there was one; otherwise
/// every witness then registered, with the log's [`default_quorum`]. Keys of units whose end
/// the log recorded before that size do not count, and the policy's k is never lowered for
/// them ([`InForce::unmeetable`]). A later event never changes what an earlier checkpoint
/// needed.
pub fn witness_set_at(state: &State, size: u64) -> InForce {
    let set = state.witnesses_at(size);
    let registered = verifiers(&set);
    let ceased = set
        .ceased
        .iter()
        .map(|(unit, c)| (unit.clone(), c.date))
        .collect::<Vec<_>>();
    match &set.policy {
        Some(policy) => InForce {
            keys: registered
                .into_iter()
                .filter(|(unit, _)| policy.witnesses.contains(unit))
                .collect(),
            required: policy.quorum,
            ceased,
            recorded: true,
        },
        None => InForce {
            required: default_quorum(registered.len(), ceased.len()),
            keys: registered,
            ceased,
            recorded: false,
        },
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
    refuse_ceased(&service.read(), &unit_id, size)?;
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

/// Refuses the cosignature of a unit whose end the log recorded before `size`: its key counts
/// for no such checkpoint, and its witness should hear why rather than cosign in vain.
fn refuse_ceased(state: &State, unit: &UnitId, size: u64) -> Result<()> {
    match state.witnesses_at(size).ceased.get(unit) {
        Some(gone) => Err(TransparencyError::bad(
            "witness_ceased",
            format!(
                "đơn vị {unit} ngừng tồn tại ngày {d} (ghi ở mục {at}): khoá nhân chứng của nó \
                 không còn được tính; đơn vị kế thừa đăng ký khoá của mình / unit {unit} ceased \
                 on {d} (recorded at entry {at}): its witness key no longer counts; a successor \
                 unit registers its own key",
                d = gone.date.format("%d/%m/%Y"),
                at = gone.at,
            ),
        )),
        None => Ok(()),
    }
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
) -> Result<Option<WitnessedCheckpoint>> {
    let state = service.read();
    for size in witnesses.cosigned_sizes(1, WITNESSED_SCAN)? {
        if let Some(w) = witnessed_at(service, witnesses, &state, size)? {
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
) -> Result<Option<WitnessedCheckpoint>> {
    let InForce { keys, required, .. } = witness_set_at(state, size);
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
    use super::default_quorum;

    /// Without a policy the quorum is the log's rule, not a reader's setting: all the counting
    /// keys but one, at least one; none needed only when no key was ever registered, and one
    /// (which nobody can give) when every registered witness's unit ceased.
    #[test]
    fn the_default_quorum_is_all_counting_witnesses_but_one() {
        assert_eq!(default_quorum(0, 0), 0);
        assert_eq!(default_quorum(1, 0), 1);
        assert_eq!(default_quorum(2, 0), 1);
        assert_eq!(default_quorum(5, 0), 4);
        assert_eq!(default_quorum(2, 1), 1);
        assert_eq!(default_quorum(0, 2), 1);
    }
}
