//! [`AccountStore`] on PostgreSQL: passwords, sessions, API tokens, preferences and the
//! bootstrap token in their own tables (migration 2), sign-in throttle counters shared by every
//! server on the database ([`MIGRATION_THROTTLE`]), never in the log.

/// The sign-in throttle counters, shared between servers and kept across restarts.
pub(crate) const MIGRATION_THROTTLE: &str = r#"
CREATE TABLE account_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_ms BIGINT NOT NULL
);
"#;

/// The advisory lock that makes a throttle update atomic between servers ("thrott").
const THROTTLE_LOCK: i64 = 0x7468_726f_7474;

use thidua_store::accounts::{AccountStore, ApiTokenRecord, SessionRecord, ThrottleRecord};
use thidua_store::{hash_from_slice, Hash, Result};

use crate::PostgresStore;

const TOKEN_COLUMNS: &str = "id, token_hash, user_id, label, created_ms, revoked_ms";

fn to_token(r: &postgres::Row) -> Result<ApiTokenRecord> {
    Ok(ApiTokenRecord {
        id: r.get(0),
        token_hash: hash_from_slice("api token", r.get::<_, &[u8]>(1))?,
        user: r.get(2),
        label: r.get(3),
        created_ms: r.get(4),
        revoked_ms: r.get(5),
    })
}

impl AccountStore for PostgresStore {
    fn set_password_hash(&self, user: &str, phc: &str, now_ms: i64) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO account_passwords (user_id, phc, updated_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, updated_ms = excluded.updated_ms",
                &[&user, &phc, &now_ms],
            )
        })?;
        Ok(())
    }

    fn password_hash(&self, user: &str) -> Result<Option<String>> {
        let row = self.with_client(|c| {
            c.query_opt(
                "SELECT phc FROM account_passwords WHERE user_id = $1",
                &[&user],
            )
        })?;
        Ok(row.map(|r| r.get(0)))
    }

    fn create_session(&self, s: &SessionRecord) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO account_sessions (id_hash, user_id, csrf, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
                &[&s.id_hash.as_slice(), &s.user, &s.csrf, &s.created_ms, &s.expires_ms],
            )
        })?;
        Ok(())
    }

    fn session(&self, id_hash: &Hash, now_ms: i64) -> Result<Option<SessionRecord>> {
        let row = self.with_client(|c| {
            c.query_opt(
                "SELECT user_id, csrf, created_ms, expires_ms FROM account_sessions WHERE id_hash = $1 AND expires_ms > $2",
                &[&id_hash.as_slice(), &now_ms],
            )
        })?;
        Ok(row.map(|r| SessionRecord {
            id_hash: *id_hash,
            user: r.get(0),
            csrf: r.get(1),
            created_ms: r.get(2),
            expires_ms: r.get(3),
        }))
    }

    fn delete_session(&self, id_hash: &Hash) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "DELETE FROM account_sessions WHERE id_hash = $1",
                &[&id_hash.as_slice()],
            )
        })?;
        Ok(())
    }

    fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64> {
        self.with_client(|c| {
            c.execute(
                "DELETE FROM account_sessions WHERE expires_ms <= $1",
                &[&now_ms],
            )
        })
    }

    fn delete_user_sessions(&self, user: &str) -> Result<u64> {
        self.with_client(|c| c.execute("DELETE FROM account_sessions WHERE user_id = $1", &[&user]))
    }

    fn create_api_token(&self, t: &ApiTokenRecord) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO account_api_tokens (id, token_hash, user_id, label, created_ms, revoked_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&t.id, &t.token_hash.as_slice(), &t.user, &t.label, &t.created_ms, &t.revoked_ms],
            )
        })?;
        Ok(())
    }

    fn api_token(&self, token_hash: &Hash) -> Result<Option<ApiTokenRecord>> {
        let row = self.with_client(|c| {
            c.query_opt(
                &format!("SELECT {TOKEN_COLUMNS} FROM account_api_tokens WHERE token_hash = $1"),
                &[&token_hash.as_slice()],
            )
        })?;
        row.as_ref().map(to_token).transpose()
    }

    fn api_tokens(&self, user: &str) -> Result<Vec<ApiTokenRecord>> {
        let rows = self.with_client(|c| {
            c.query(
                &format!("SELECT {TOKEN_COLUMNS} FROM account_api_tokens WHERE user_id = $1 ORDER BY created_ms, id"),
                &[&user],
            )
        })?;
        rows.iter().map(to_token).collect()
    }

    fn revoke_api_token(&self, user: &str, id: &str, now_ms: i64) -> Result<bool> {
        let n = self.with_client(|c| {
            c.execute(
                "UPDATE account_api_tokens SET revoked_ms = $3 WHERE user_id = $1 AND id = $2 AND revoked_ms IS NULL",
                &[&user, &id, &now_ms],
            )
        })?;
        Ok(n == 1)
    }

    fn revoke_user_api_tokens(&self, user: &str, now_ms: i64) -> Result<u64> {
        self.with_client(|c| {
            c.execute(
                "UPDATE account_api_tokens SET revoked_ms = $2 WHERE user_id = $1 AND revoked_ms IS NULL",
                &[&user, &now_ms],
            )
        })
    }

    fn update_throttle(
        &self,
        keys: &[&str],
        update: &mut dyn FnMut(&mut [ThrottleRecord]) -> bool,
    ) -> Result<()> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&THROTTLE_LOCK])?;
            let mut records = Vec::with_capacity(keys.len());
            for key in keys {
                let row = tx.query_opt(
                    "SELECT failures, last_ms FROM account_throttle WHERE key = $1",
                    &[key],
                )?;
                records.push(row.map_or_else(ThrottleRecord::default, |r| ThrottleRecord {
                    failures: r.get::<_, i32>(0) as u32,
                    last_ms: r.get(1),
                }));
            }
            if update(&mut records) {
                for (key, r) in keys.iter().zip(&records) {
                    tx.execute(
                        "INSERT INTO account_throttle (key, failures, last_ms) VALUES ($1, $2, $3)
                         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_ms = excluded.last_ms",
                        &[key, &(r.failures.min(i32::MAX as u32) as i32), &r.last_ms],
                    )?;
                }
            }
            tx.commit()
        })
    }

    fn sweep_throttle(&self, before_ms: i64) -> Result<u64> {
        self.with_client(|c| {
            c.execute(
                "DELETE FROM account_throttle WHERE last_ms < $1",
                &[&before_ms],
            )
        })
    }

    fn preference(&self, user: &str, key: &str) -> Result<Option<String>> {
        let row = self.with_client(|c| {
            c.query_opt(
                "SELECT value FROM account_preferences WHERE user_id = $1 AND key = $2",
                &[&user, &key],
            )
        })?;
        Ok(row.map(|r| r.get(0)))
    }

    fn set_preference(&self, user: &str, key: &str, value: &str) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO account_preferences (user_id, key, value) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
                &[&user, &key, &value],
            )
        })?;
        Ok(())
    }

    fn set_bootstrap(&self, token_hash: &Hash, now_ms: i64) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO account_bootstrap (id, token_hash, created_ms) VALUES (1, $1, $2)
                 ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_ms = excluded.created_ms",
                &[&token_hash.as_slice(), &now_ms],
            )
        })?;
        Ok(())
    }

    fn take_bootstrap(&self, token_hash: &Hash) -> Result<bool> {
        let n = self.with_client(|c| {
            c.execute(
                "DELETE FROM account_bootstrap WHERE id = 1 AND token_hash = $1",
                &[&token_hash.as_slice()],
            )
        })?;
        Ok(n == 1)
    }
}
