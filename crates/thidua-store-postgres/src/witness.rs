//! [`WitnessStore`] on PostgreSQL: witness cosignatures in their own table (migration 3), beside
//! the log and never in it.

use thidua_store::witness::{StoredCosignature, WitnessStore};
use thidua_store::Result;

use crate::PostgresStore;

impl WitnessStore for PostgresStore {
    fn put_cosignature(&self, c: &StoredCosignature) -> Result<()> {
        let size = c.size as i64;
        self.with_client(|client| {
            client.execute(
                "INSERT INTO witness_cosignatures (size, unit, line, received_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (size, unit) DO UPDATE SET line = excluded.line, received_ms = excluded.received_ms",
                &[&size, &c.unit, &c.line, &c.received_ms],
            )
        })?;
        Ok(())
    }

    fn cosignatures_at(&self, size: u64) -> Result<Vec<StoredCosignature>> {
        let size = size as i64;
        let rows = self.with_client(|client| {
            client.query(
                "SELECT size, unit, line, received_ms FROM witness_cosignatures WHERE size = $1 ORDER BY unit",
                &[&size],
            )
        })?;
        Ok(rows
            .iter()
            .map(|r| StoredCosignature {
                size: r.get::<_, i64>(0) as u64,
                unit: r.get(1),
                line: r.get(2),
                received_ms: r.get(3),
            })
            .collect())
    }

    fn cosigned_sizes(&self, min_units: u32, limit: u32) -> Result<Vec<u64>> {
        let (min_units, limit) = (i64::from(min_units), i64::from(limit));
        let rows = self.with_client(|client| {
            client.query(
                "SELECT size FROM witness_cosignatures GROUP BY size HAVING COUNT(*) >= $1 ORDER BY size DESC LIMIT $2",
                &[&min_units, &limit],
            )
        })?;
        Ok(rows.iter().map(|r| r.get::<_, i64>(0) as u64).collect())
    }
}
