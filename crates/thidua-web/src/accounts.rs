//! Accounts: Argon2id password hashing, random secrets (session ids, CSRF and API tokens,
//! bootstrap tokens), and the operations the CLI and the demonstration loader call
//! ([`set_password`], [`issue_bootstrap_token`], [`create_admin`]).
//!
//! Owns every secret the web layer makes; never logs one, never stores one except as a hash.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use thidua_domain::model::Role;
use thidua_domain::{Actor, Command, Text, UserId};
use thidua_service::{Service, ServiceError};
use thidua_store::accounts::AccountStore;
use thidua_store::{sha256, Hash, StoreError};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted (Argon2 input is bounded to keep hashing cheap to refuse).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// What can go wrong with an account operation.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password must have at most {MAX_PASSWORD_CHARS} characters")]
    PasswordTooLong,
    #[error("user {0} does not exist in the log")]
    UnknownUser(String),
    #[error("the bootstrap token is wrong or was already used")]
    BadBootstrapToken,
    #[error("an administrator already exists")]
    AdminExists,
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl AccountError {
    /// A stable code for API responses and UI messages.
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::PasswordTooShort => "password_too_short",
            AccountError::PasswordTooLong => "password_too_long",
            AccountError::UnknownUser(_) => "unknown_user",
            AccountError::BadBootstrapToken => "bad_bootstrap_token",
            AccountError::AdminExists => "admin_exists",
            AccountError::Hashing | AccountError::Store(_) => "internal",
            AccountError::Service(e) => e.code(),
        }
    }
}

/// Argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password's length.
pub fn check_password_policy(password: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err(AccountError::PasswordTooShort)
    } else if n > MAX_PASSWORD_CHARS {
        Err(AccountError::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// Hashes a password with Argon2id into a PHC string.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut rand_core::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AccountError::Hashing)
}

/// Verifies a password against a stored PHC string (constant time inside Argon2).
pub fn verify_password(password: &str, phc: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(phc)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A PHC hash of a password nobody knows, verified against when the user does not exist so that
/// a failed sign-in takes the same time whether or not the account exists.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token(32)).expect("hash a random password"))
}

/// Sets `user`'s password (Argon2id). The user must exist in the log. Ends every session of the
/// user and revokes their API tokens: whoever held the old password (or a token made with it)
/// is out.
pub fn set_password(
    accounts: &dyn AccountStore,
    service: &Service,
    user: &UserId,
    password: &str,
) -> Result<(), AccountError> {
    check_password_policy(password)?;
    if !service.read().users.contains_key(user) {
        return Err(AccountError::UnknownUser(user.to_string()));
    }
    let phc = hash_password(password)?;
    accounts.set_password_hash(user.as_str(), &phc, now_ms())?;
    accounts.delete_user_sessions(user.as_str())?;
    accounts.revoke_user_api_tokens(user.as_str(), now_ms())?;
    Ok(())
}

/// Resets `user`'s password as `actor` (an administrator, or the operator at the command line):
/// records `password_reset` in the log first, so that no account is taken over unseen (its
/// holder and whoever reads the account read it in the history), then sets the password as
/// [`set_password`] does. A password the policy refuses, or an actor who may not, records
/// nothing and changes nothing.
pub fn reset_password(
    accounts: &dyn AccountStore,
    service: &Service,
    actor: &Actor,
    user: &UserId,
    password: &str,
) -> Result<(), AccountError> {
    check_password_policy(password)?;
    let record = Command::RecordPasswordReset { user: user.clone() };
    let receipt = service.execute(actor, record)?;
    tracing::info!(%actor, %user, index = receipt.first_index, "password reset");
    set_password(accounts, service, user, password)
}

/// True when some user holds the administrator role.
pub fn admin_exists(service: &Service) -> bool {
    service
        .read()
        .users
        .values()
        .any(|u| u.roles.contains(&Role::Admin))
}

/// At first start (no administrator in the log): makes a one-time bootstrap token, stores its
/// hash and returns it for the operator's console. `None` when an administrator exists.
/// The token is redeemed on the `/bootstrap` page (or `POST /api/v1/bootstrap`).
pub fn issue_bootstrap_token(
    accounts: &dyn AccountStore,
    service: &Service,
) -> Result<Option<String>, AccountError> {
    if admin_exists(service) {
        return Ok(None);
    }
    let token = random_token(24);
    accounts.set_bootstrap(&sha256(token.as_bytes()), now_ms())?;
    Ok(Some(token))
}

/// Creates (or completes) an administrator: registers `user` if the log lacks them, grants the
/// administrator role, sets the password. Runs as the `System` actor (the operator at the console,
/// `thidua user add --admin`).
pub fn create_admin(
    accounts: &dyn AccountStore,
    service: &Service,
    user: &UserId,
    display_name: &Text,
    password: &str,
) -> Result<(), AccountError> {
    check_password_policy(password)?;
    let mut commands = Vec::new();
    let (exists, is_admin) = {
        let state = service.read();
        let u = state.users.get(user);
        (
            u.is_some(),
            u.is_some_and(|u| u.roles.contains(&Role::Admin)),
        )
    };
    if !exists {
        commands.push(Command::RegisterUser {
            user: user.clone(),
            display_name: display_name.clone(),
            demo: false,
        });
    }
    if !is_admin {
        commands.push(Command::GrantRole {
            user: user.clone(),
            role: Role::Admin,
        });
    }
    if !commands.is_empty() {
        service.execute_all(&Actor::System, commands)?;
    }
    set_password(accounts, service, user, password)
}

/// Redeems the bootstrap token: creates the first administrator. Fails if an administrator
/// already exists or the token is wrong or used.
pub fn redeem_bootstrap(
    accounts: &dyn AccountStore,
    service: &Service,
    token: &str,
    user: &UserId,
    display_name: &Text,
    password: &str,
) -> Result<(), AccountError> {
    check_password_policy(password)?;
    if admin_exists(service) {
        return Err(AccountError::AdminExists);
    }
    if !accounts.take_bootstrap(&sha256(token.trim().as_bytes()))? {
        return Err(AccountError::BadBootstrapToken);
    }
    create_admin(accounts, service, user, display_name, password)
}

/// `n` random bytes, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a secret as sent by a client.
pub fn secret_hash(secret: &str) -> Hash {
    sha256(secret.as_bytes())
}

/// Constant-time equality of two secrets.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let phc = hash_password("mật khẩu rất dài").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("mật khẩu rất dài", &phc));
        assert!(!verify_password("mat khau rat dai", &phc));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn policy_and_secrets() {
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("long enough!").is_ok());
        assert_ne!(random_token(16), random_token(16));
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }
}
