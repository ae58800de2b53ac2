//! The account boundary: credentials, sessions, API tokens, per-user preferences and the
//! one-time administrator bootstrap. None of this is an event: it lives in its own tables beside
//! the log, and it never enters the Merkle tree. Backends implement [`AccountStore`] and must
//! pass `accounts_conformance` (with the `testing` feature).
//!
//! Secrets are stored only as hashes: password hashes in PHC form (Argon2id, computed by the
//! caller), and SHA-256 digests of session ids, API tokens and bootstrap tokens.

use crate::{Hash, Result};

/// A server-side session. The cookie carries a random id; the store keeps its SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the session id sent in the cookie.
    pub id_hash: Hash,
    pub user: String,
    /// The anti-CSRF token that every form of this session must carry.
    pub csrf: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("user", &self.user)
            .field("created_ms", &self.created_ms)
            .field("expires_ms", &self.expires_ms)
            .finish_non_exhaustive()
    }
}

/// A bearer token created by a user for scripts. Only its SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// A short public identifier shown in lists and used to revoke.
    pub id: String,
    pub token_hash: Hash,
    pub user: String,
    pub label: String,
    pub created_ms: i64,
    /// Set once revoked; a revoked token never authenticates again.
    pub revoked_ms: Option<i64>,
}

/// The sign-in attempts counted against one key (an account or a client address). The
/// throttling policy (how many are free, how the delay grows) belongs to the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThrottleRecord {
    /// Attempts counted in the current run (reset by the caller's policy).
    pub failures: u32,
    /// When the last one was counted (milliseconds since the Unix epoch).
    pub last_ms: i64,
}

/// Everything the web layer may ask of the database about accounts. Each call is atomic.
pub trait AccountStore: Send + Sync {
    /// Sets (or replaces) a user's password hash (PHC string).
    fn set_password_hash(&self, user: &str, phc: &str, now_ms: i64) -> Result<()>;
    /// The user's password hash, if one was set.
    fn password_hash(&self, user: &str) -> Result<Option<String>>;

    fn create_session(&self, session: &SessionRecord) -> Result<()>;
    /// The session with this id hash, if it exists and has not expired at `now_ms`.
    fn session(&self, id_hash: &Hash, now_ms: i64) -> Result<Option<SessionRecord>>;
    fn delete_session(&self, id_hash: &Hash) -> Result<()>;
    /// Deletes the sessions expired at `now_ms`; returns how many.
    fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64>;
    /// Ends every session of a user (after a password change or reset); returns how many.
    fn delete_user_sessions(&self, user: &str) -> Result<u64>;

    fn create_api_token(&self, token: &ApiTokenRecord) -> Result<()>;
    /// The token with this hash, revoked or not.
    fn api_token(&self, token_hash: &Hash) -> Result<Option<ApiTokenRecord>>;
    /// A user's tokens, oldest first.
    fn api_tokens(&self, user: &str) -> Result<Vec<ApiTokenRecord>>;
    /// Revokes the user's token `id`; false if there is no such unrevoked token of this user.
    fn revoke_api_token(&self, user: &str, id: &str, now_ms: i64) -> Result<bool>;
    /// Revokes every unrevoked token of a user (after a password change or reset); returns how
    /// many.
    fn revoke_user_api_tokens(&self, user: &str, now_ms: i64) -> Result<u64>;

    /// A user's preference (`"lang"` → `"vi"` / `"en"`).
    fn preference(&self, user: &str, key: &str) -> Result<Option<String>>;
    fn set_preference(&self, user: &str, key: &str, value: &str) -> Result<()>;

    /// Reads the throttle records of `keys` (absent ones as the default), lets `update` change
    /// them, and stores them if it returns true — all as one atomic step, also between several
    /// servers sharing the database, so that concurrent attempts are each counted once.
    fn update_throttle(
        &self,
        keys: &[&str],
        update: &mut dyn FnMut(&mut [ThrottleRecord]) -> bool,
    ) -> Result<()>;
    /// Deletes the throttle records last counted before `before_ms`; returns how many.
    fn sweep_throttle(&self, before_ms: i64) -> Result<u64>;

    /// Records a new bootstrap token hash, replacing any earlier unused one.
    fn set_bootstrap(&self, token_hash: &Hash, now_ms: i64) -> Result<()>;
    /// Consumes the bootstrap token if `token_hash` matches an unused one; true exactly once.
    fn take_bootstrap(&self, token_hash: &Hash) -> Result<bool>;
}
