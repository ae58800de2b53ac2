//! Sign-in throttling, in memory: failed attempts are counted per account and per client
//! address over a sliding window; past the limit further attempts are refused (without even
//! checking the password) until old failures leave the window. A success clears the account.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed per account within [`WINDOW_MS`].
pub const PER_ACCOUNT: usize = 5;
/// Failures allowed per client address within [`WINDOW_MS`].
pub const PER_ADDRESS: usize = 20;
/// The sliding window: 15 minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Counts failed sign-ins.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl Throttle {
    fn keys(account: &str, address: &str) -> [(String, usize); 2] {
        [
            (format!("u:{account}"), PER_ACCOUNT),
            (format!("a:{address}"), PER_ADDRESS),
        ]
    }

    /// `Err(seconds to wait)` when the account or the address is over its limit.
    pub fn check(&self, account: &str, address: &str, now_ms: i64) -> Result<(), i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0;
        for (key, limit) in Self::keys(account, address) {
            if let Some(times) = map.get_mut(&key) {
                times.retain(|t| now_ms - t < WINDOW_MS);
                if times.len() >= limit {
                    let oldest = times[times.len() - limit];
                    wait = wait.max((oldest + WINDOW_MS - now_ms) / 1000 + 1);
                }
            }
        }
        if wait > 0 {
            Err(wait)
        } else {
            Ok(())
        }
    }

    /// Records a failed attempt.
    pub fn fail(&self, account: &str, address: &str, now_ms: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, times| times.iter().any(|t| now_ms - t < WINDOW_MS));
        }
        for (key, _) in Self::keys(account, address) {
            map.entry(key).or_default().push(now_ms);
        }
    }

    /// Records a success: the account's failures are forgotten (the address's are kept).
    pub fn succeed(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("u:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_an_account_after_five_failures() {
        let t = Throttle::default();
        for i in 0..PER_ACCOUNT as i64 {
            assert!(t.check("an", "1.2.3.4", i).is_ok());
            t.fail("an", "1.2.3.4", i);
        }
        assert!(t.check("an", "5.6.7.8", 10).is_err());
        assert!(t.check("binh", "5.6.7.8", 10).is_ok());
        assert!(t.check("an", "5.6.7.8", WINDOW_MS + 10).is_ok());
        t.succeed("an");
        assert!(t.check("an", "5.6.7.8", 11).is_ok());
    }

    #[test]
    fn locks_an_address_after_twenty_failures() {
        let t = Throttle::default();
        for i in 0..PER_ADDRESS as i64 {
            t.fail(&format!("user{i}"), "9.9.9.9", i);
        }
        assert!(t.check("someone", "9.9.9.9", 30).is_err());
        assert!(t.check("someone", "8.8.8.8", 30).is_ok());
    }
}
