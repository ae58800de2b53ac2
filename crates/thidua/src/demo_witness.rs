//! The demonstration's witnesses: two member units (An Giang and Cà Mau) register witness keys
//! through the log, as their leaders would, and cosign the log's checkpoints as `thidua witness`
//! does — each checks the log's signature and that the new checkpoint extends the one it cosigned
//! before, then cosigns — so that a newcomer sees what a witnessed record looks like. Their keys
//! are named `….nhan-chung-minh-hoa` (demonstration) and kept in the data directory. They run
//! inside the demonstration server, reading the database directly; real witnesses run at the
//! units, against the public endpoints.

use crate::output::errln;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use thidua_domain::{Actor, Command, UnitId, UserId};
use thidua_ledger::{CosignerKey, Hash, Verifier};
use thidua_service::Service;
use thidua_store::witness::WitnessStore;
use thidua_transparency::client::{ClientError, LocalLog, LogClient, RemoteEntry};
use thidua_transparency::witness::{
    create_key_file, load_key_file, Witness, WitnessState, DEMO_KEY_SUFFIX,
};

/// The units whose witnesses the demonstration runs, with the leader who registers each key.
pub const WITNESSES: [(&str, &str); 2] = [("ca-ag", "lanhdao.ag"), ("ca-cm", "lanhdao.cm")];

fn key_path(data: &Path, unit: &str) -> PathBuf {
    data.join(format!("demo-witness-{unit}.key"))
}

fn state_path(data: &Path, unit: &str) -> PathBuf {
    data.join(format!("demo-witness-{unit}.state"))
}

/// Creates the two witness keys in `data` and registers them in the log (each by its unit's
/// leader). Run once, right after the demonstration is loaded.
pub fn register(service: &Service, data: &Path) -> anyhow::Result<()> {
    for (unit, leader) in WITNESSES {
        let path = key_path(data, unit);
        let key = if path.exists() {
            load_key_file(&path)?
        } else {
            create_key_file(&path, &format!("{unit}{DEMO_KEY_SUFFIX}"))?
        };
        service.execute(
            &Actor::User(UserId::parse(leader)?),
            Command::RegisterWitnessKey {
                unit: UnitId::parse(unit)?,
                key: key.verifier().to_key_string(),
            },
        )?;
    }
    Ok(())
}

/// The log as a witness sees it, read from the database; a cosignature is checked against the
/// key registered in the log and stored, as the public endpoint does.
struct InProcess {
    local: LocalLog,
    service: Arc<Service>,
    witnesses: Arc<dyn WitnessStore>,
}

impl LogClient for InProcess {
    fn describe(&self) -> String {
        self.local.describe()
    }
    fn checkpoint(&self) -> Result<String, ClientError> {
        self.local.checkpoint()
    }
    fn consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>, ClientError> {
        self.local.consistency(from, to)
    }
    fn leaves(&self, start: u64, end: u64) -> Result<Vec<Hash>, ClientError> {
        self.local.leaves(start, end)
    }
    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>, ClientError> {
        self.local.nodes(level, start, end)
    }
    fn snapshot_sizes(&self) -> Result<Vec<u64>, ClientError> {
        self.local.snapshot_sizes()
    }
    fn snapshot_body(&self, size: u64) -> Result<Option<Box<dyn std::io::Read + '_>>, ClientError> {
        self.local.snapshot_body(size)
    }
    fn entries(&self, start: u64, end: u64) -> Result<Vec<RemoteEntry>, ClientError> {
        self.local.entries(start, end)
    }
    fn post_cosignature(&self, unit: &str, size: u64, line: &str) -> Result<(), ClientError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        thidua_transparency::cosign::accept_cosignature(
            &self.service,
            &*self.witnesses,
            unit,
            size,
            line,
            now,
        )
        .map(|_| ())
        .map_err(|e| ClientError::new(e.to_string()))
    }
}

/// The demonstration's witnesses, ready to cosign.
pub struct DemoWitnesses {
    client: InProcess,
    log_key: Verifier,
    keys: Vec<(&'static str, CosignerKey)>,
    data: PathBuf,
}

impl DemoWitnesses {
    /// Loads the keys `register` created in `data`; `None` when there are none.
    pub fn open(
        service: Arc<Service>,
        witnesses: Arc<dyn WitnessStore>,
        data: &Path,
    ) -> anyhow::Result<Option<Self>> {
        let mut keys = Vec::new();
        for (unit, _) in WITNESSES {
            let path = key_path(data, unit);
            if path.exists() {
                keys.push((unit, load_key_file(&path)?));
            }
        }
        if keys.is_empty() {
            return Ok(None);
        }
        let log_key = Verifier::from_key_string(service.key().verifier_key())?;
        let client = InProcess {
            local: LocalLog::new(service.store().clone(), Some(witnesses.clone()), "demo"),
            service,
            witnesses,
        };
        Ok(Some(Self {
            client,
            log_key,
            keys,
            data: data.to_owned(),
        }))
    }

    /// Each witness checks and cosigns the newest checkpoint if it has not yet.
    pub fn cosign_newest(&self) -> anyhow::Result<()> {
        let newest = self
            .client
            .service
            .store()
            .latest_checkpoint()?
            .map_or(0, |c| c.size);
        let evidence = self.data.join("demo-witness-evidence");
        for (unit, key) in &self.keys {
            let state = state_path(&self.data, unit);
            if WitnessState::load(&state)?.is_some_and(|s| s.size >= newest) {
                continue;
            }
            let witness = Witness {
                unit,
                key,
                log_key: &self.log_key,
                state_path: &state,
                evidence_dir: &evidence,
            };
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            witness.run(&self.client, now)?;
        }
        Ok(())
    }

    /// Cosigns in the background every `every`, as a witness run by a timer would.
    pub fn spawn(self, every: Duration) {
        std::thread::spawn(move || loop {
            if let Err(e) = self.cosign_newest() {
                errln!("demonstration witness: {e}");
            }
            std::thread::sleep(every);
        });
    }
}
