//! [`AccountStore`] on SQLite: passwords, sessions, API tokens, preferences and the bootstrap
//! token in their own tables (migration 2), sign-in throttle counters ([`MIGRATION_THROTTLE`]),
//! never in the log. Lookups (a session or token on every request, a password, preferences) run
//! on the read connections, so a page never waits for an append on the writer.

/// The sign-in throttle counters, kept across restarts.
pub(crate) const MIGRATION_THROTTLE: &str = r#"
CREATE TABLE account_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_ms INTEGER NOT NULL
) WITHOUT ROWID;
"#;

use rusqlite::{params, OptionalExtension};
use thidua_store::accounts::{AccountStore, ApiTokenRecord, SessionRecord, ThrottleRecord};
use thidua_store::{hash_from_slice, Hash, Result};

use crate::{db_err, SqliteStore};

/// An `account_api_tokens` row as read: id, hash, user, label, created, revoked.
type TokenRow = (String, Vec<u8>, String, String, i64, Option<i64>);

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn to_token(row: TokenRow) -> Result<ApiTokenRecord> {
    let (id, hash, user, label, created_ms, revoked_ms) = row;
    Ok(ApiTokenRecord {
        id,
        token_hash: hash_from_slice("api token", &hash)?,
        user,
        label,
        created_ms,
        revoked_ms,
    })
}

const TOKEN_COLUMNS: &str = "id, token_hash, user_id, label, created_ms, revoked_ms";

impl AccountStore for SqliteStore {
    fn set_password_hash(&self, user: &str, phc: &str, now_ms: i64) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO account_passwords (user_id, phc, updated_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET phc = excluded.phc, updated_ms = excluded.updated_ms",
                params![user, phc, now_ms],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn password_hash(&self, user: &str) -> Result<Option<String>> {
        self.reader()
            .query_row(
                "SELECT phc FROM account_passwords WHERE user_id = ?1",
                [user],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)
    }

    fn create_session(&self, s: &SessionRecord) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO account_sessions (id_hash, user_id, csrf, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id_hash.as_slice(), s.user, s.csrf, s.created_ms, s.expires_ms],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn session(&self, id_hash: &Hash, now_ms: i64) -> Result<Option<SessionRecord>> {
        let row = self
            .reader()
            .query_row(
                "SELECT user_id, csrf, created_ms, expires_ms FROM account_sessions WHERE id_hash = ?1 AND expires_ms > ?2",
                params![id_hash.as_slice(), now_ms],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(db_err)?;
        Ok(
            row.map(|(user, csrf, created_ms, expires_ms)| SessionRecord {
                id_hash: *id_hash,
                user,
                csrf,
                created_ms,
                expires_ms,
            }),
        )
    }

    fn delete_session(&self, id_hash: &Hash) -> Result<()> {
        self.lock()
            .execute(
                "DELETE FROM account_sessions WHERE id_hash = ?1",
                [id_hash.as_slice()],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64> {
        let n = self
            .lock()
            .execute(
                "DELETE FROM account_sessions WHERE expires_ms <= ?1",
                [now_ms],
            )
            .map_err(db_err)?;
        Ok(n as u64)
    }

    fn delete_user_sessions(&self, user: &str) -> Result<u64> {
        let n = self
            .lock()
            .execute("DELETE FROM account_sessions WHERE user_id = ?1", [user])
            .map_err(db_err)?;
        Ok(n as u64)
    }

    fn create_api_token(&self, t: &ApiTokenRecord) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO account_api_tokens (id, token_hash, user_id, label, created_ms, revoked_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![t.id, t.token_hash.as_slice(), t.user, t.label, t.created_ms, t.revoked_ms],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn api_token(&self, token_hash: &Hash) -> Result<Option<ApiTokenRecord>> {
        let row = self
            .reader()
            .query_row(
                &format!("SELECT {TOKEN_COLUMNS} FROM account_api_tokens WHERE token_hash = ?1"),
                [token_hash.as_slice()],
                token_row,
            )
            .optional()
            .map_err(db_err)?;
        row.map(to_token).transpose()
    }

    fn api_tokens(&self, user: &str) -> Result<Vec<ApiTokenRecord>> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {TOKEN_COLUMNS} FROM account_api_tokens WHERE user_id = ?1 ORDER BY created_ms, id"
            ))
            .map_err(db_err)?;
        let rows = stmt.query_map([user], token_row).map_err(db_err)?;
        rows.map(|r| to_token(r.map_err(db_err)?)).collect()
    }

    fn revoke_api_token(&self, user: &str, id: &str, now_ms: i64) -> Result<bool> {
        let n = self
            .lock()
            .execute(
                "UPDATE account_api_tokens SET revoked_ms = ?3 WHERE user_id = ?1 AND id = ?2 AND revoked_ms IS NULL",
                params![user, id, now_ms],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    fn revoke_user_api_tokens(&self, user: &str, now_ms: i64) -> Result<u64> {
        let n = self
            .lock()
            .execute(
                "UPDATE account_api_tokens SET revoked_ms = ?2 WHERE user_id = ?1 AND revoked_ms IS NULL",
                params![user, now_ms],
            )
            .map_err(db_err)?;
        Ok(n as u64)
    }

    fn update_throttle(
        &self,
        keys: &[&str],
        update: &mut dyn FnMut(&mut [ThrottleRecord]) -> bool,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db_err)?;
        let mut records = Vec::with_capacity(keys.len());
        for key in keys {
            let row = tx
                .query_row(
                    "SELECT failures, last_ms FROM account_throttle WHERE key = ?1",
                    [key],
                    |r| {
                        Ok(ThrottleRecord {
                            failures: r.get(0)?,
                            last_ms: r.get(1)?,
                        })
                    },
                )
                .optional()
                .map_err(db_err)?;
            records.push(row.unwrap_or_default());
        }
        if update(&mut records) {
            for (key, r) in keys.iter().zip(&records) {
                tx.execute(
                    "INSERT INTO account_throttle (key, failures, last_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_ms = excluded.last_ms",
                    params![key, r.failures, r.last_ms],
                )
                .map_err(db_err)?;
            }
        }
        tx.commit().map_err(db_err)
    }

    fn sweep_throttle(&self, before_ms: i64) -> Result<u64> {
        let n = self
            .lock()
            .execute(
                "DELETE FROM account_throttle WHERE last_ms < ?1",
                [before_ms],
            )
            .map_err(db_err)?;
        Ok(n as u64)
    }

    fn preference(&self, user: &str, key: &str) -> Result<Option<String>> {
        self.reader()
            .query_row(
                "SELECT value FROM account_preferences WHERE user_id = ?1 AND key = ?2",
                [user, key],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)
    }

    fn set_preference(&self, user: &str, key: &str, value: &str) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO account_preferences (user_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
                [user, key, value],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn set_bootstrap(&self, token_hash: &Hash, now_ms: i64) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO account_bootstrap (id, token_hash, created_ms) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, created_ms = excluded.created_ms",
                params![token_hash.as_slice(), now_ms],
            )
            .map_err(db_err)?;
        Ok(())
    }

    fn take_bootstrap(&self, token_hash: &Hash) -> Result<bool> {
        let n = self
            .lock()
            .execute(
                "DELETE FROM account_bootstrap WHERE id = 1 AND token_hash = ?1",
                [token_hash.as_slice()],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }
}
