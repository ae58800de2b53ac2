//! [`WitnessStore`] on SQLite: witness cosignatures in their own table (migration 3), beside
//! the log and never in it.

use rusqlite::params;
use thidua_store::witness::{StoredCosignature, WitnessStore};
use thidua_store::Result;

use crate::{db_err, SqliteStore};

impl WitnessStore for SqliteStore {
    fn put_cosignature(&self, c: &StoredCosignature) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO witness_cosignatures (size, unit, line, received_ms) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (size, unit) DO UPDATE SET line = excluded.line, received_ms = excluded.received_ms",
                params![c.size as i64, c.unit, c.line, c.received_ms],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn cosignatures_at(&self, size: u64) -> Result<Vec<StoredCosignature>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT size, unit, line, received_ms FROM witness_cosignatures WHERE size = ?1 ORDER BY unit",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([size as i64], |r| {
                Ok(StoredCosignature {
                    size: r.get::<_, i64>(0)? as u64,
                    unit: r.get(1)?,
                    line: r.get(2)?,
                    received_ms: r.get(3)?,
                })
            })
            .map_err(db_err)?;
        rows.map(|r| r.map_err(db_err)).collect()
    }

    fn cosigned_sizes(&self, min_units: u32, limit: u32) -> Result<Vec<u64>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT size FROM witness_cosignatures GROUP BY size HAVING COUNT(*) >= ?1 ORDER BY size DESC LIMIT ?2",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![min_units, limit], |r| r.get::<_, i64>(0))
            .map_err(db_err)?;
        rows.map(|r| r.map(|s| s as u64).map_err(db_err)).collect()
    }
}
