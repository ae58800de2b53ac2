//! Sign-in throttling. Every attempt is *counted before its password is checked*, in one atomic
//! step of the account store ([`AccountStore::update_throttle`]), so concurrent attempts cannot
//! all slip under the limit; the counters live in the database, shared by every server on
//! PostgreSQL and kept across restarts. Past a few free attempts each further one must wait a
//! delay that doubles with every failure, up to a cap: an account is slowed down, never locked
//! out for long (a known leader's account cannot be shut by a stranger for more than the cap).
//! The client address is the TCP peer, or what a configured proxy says ([`crate::client`]).
//! A signed-in user's password checked again (password change, step-up before signing) is
//! counted against the account and the user's own counter instead ([`own_key`]).
//!
//! Password hashing is bounded too: Argon2 (19 MiB each) runs only on [`Throttle::permits`]
//! dedicated threads, whatever the number of simultaneous requests. Dedicated, not the shared
//! blocking pool: the allocator keeps a freed 19 MiB block in the arena of the thread that used
//! it, so hashing on whichever of dozens of pool threads is free would leave dozens of blocks
//! resident; on a few threads the memory stays a few blocks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use thidua_store::accounts::{AccountStore, ThrottleRecord};
use thidua_store::StoreError;

/// How attempts against one kind of key are slowed down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Failures allowed without any delay.
    pub free: u32,
    /// The delay after the first failure past the free ones; it doubles with each further one.
    pub first_delay_ms: i64,
    /// The longest delay.
    pub max_delay_ms: i64,
}

/// Per account: five free attempts, then 1 s, 2 s, 4 s … at most one minute between attempts.
pub const PER_ACCOUNT: Policy = Policy {
    free: 5,
    first_delay_ms: 1_000,
    max_delay_ms: 60_000,
};
/// Per client address: twenty free attempts, then 1 s, 2 s … at most 15 minutes.
pub const PER_ADDRESS: Policy = Policy {
    free: 20,
    first_delay_ms: 1_000,
    max_delay_ms: 15 * 60_000,
};
/// Counters untouched for this long start again from zero (and are swept away).
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// How long a request waits for a free password-hashing slot before it is answered "busy".
pub const HASH_WAIT: Duration = Duration::from_secs(10);

impl Policy {
    /// Milliseconds to wait before the next attempt may be counted (0: now).
    pub fn wait_ms(&self, record: &ThrottleRecord, now_ms: i64) -> i64 {
        let failures = current(record, now_ms).failures;
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(30);
        let delay = self
            .first_delay_ms
            .saturating_mul(1 << doublings)
            .min(self.max_delay_ms);
        (record.last_ms + delay - now_ms).max(0)
    }
}

/// The record as it stands at `now_ms`: an old run of failures is forgotten.
fn current(record: &ThrottleRecord, now_ms: i64) -> ThrottleRecord {
    if now_ms - record.last_ms >= WINDOW_MS {
        ThrottleRecord::default()
    } else {
        *record
    }
}

/// The throttle key of an account name as typed. Names that cannot be user ids share one key
/// (they cannot sign in anyway), so junk names cannot fill the table.
pub fn account_key(name: &str) -> String {
    match thidua_domain::UserId::parse(name) {
        Ok(id) => format!("u:{id}"),
        Err(_) => "u:?".to_owned(),
    }
}

/// The throttle key of a client address.
pub fn address_key(address: &std::net::IpAddr) -> String {
    format!("a:{address}")
}

/// The key that stands for the address when a signed-in user's password is checked again
/// ([`crate::api::recheck_password`]): the user's own counter, never a shared address.
pub fn own_key(user: &thidua_domain::UserId) -> String {
    format!("a:self:{user}")
}

/// The key under which an attempt keeps the address's record as it stood before the attempt
/// was counted, so that a success can give back what the attempt took ([`Throttle::succeeded`]).
fn before_key(address: &str) -> String {
    format!("{address}:before")
}

/// An attempt let through: when it was counted, which [`Throttle::succeeded`] needs.
#[derive(Clone, Copy, Debug)]
pub struct Counted {
    at_ms: i64,
}

/// Why an attempt was not let through.
#[derive(Debug)]
pub enum Refused {
    /// Too many recent failures: retry after this many seconds; `address` when it is the
    /// client address's failures, not the account's, that must wait.
    Wait { seconds: u64, address: bool },
    /// The store failed.
    Store(StoreError),
}

/// A job for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// The sign-in throttle and the password-hashing threads of one server.
pub struct Throttle {
    hashing: tokio::sync::Semaphore,
    permits: usize,
    attempts: AtomicU64,
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Default for Throttle {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores.clamp(1, 4))
    }
}

impl Throttle {
    /// A throttle allowing `permits` password hashes at once, on as many threads.
    pub fn new(permits: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..permits {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("thidua-hash-{i}"))
                .spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => return, // the server is gone
                    }
                })
                .expect("start a password-hashing thread");
        }
        Self {
            hashing: tokio::sync::Semaphore::new(permits),
            permits,
            attempts: AtomicU64::new(0),
            jobs,
        }
    }

    /// Runs `f` (which hashes a password) on a hashing thread, once a slot is free (at most
    /// [`HASH_WAIT`]); `None` when the server is too busy.
    pub async fn hash<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let _slot = self.hashing_slot().await?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .ok()?;
        rx.await.ok()
    }

    /// How many password hashes may run at once.
    pub fn permits(&self) -> usize {
        self.permits
    }

    /// Waits (at most [`HASH_WAIT`]) for a password-hashing slot; `None` when the server is too
    /// busy.
    pub async fn hashing_slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        tokio::time::timeout(HASH_WAIT, self.hashing.acquire())
            .await
            .ok()?
            .ok()
    }

    /// Counts an attempt against the account and the address, unless either must still wait;
    /// blocking (it asks the store). Call it *before* checking the password.
    pub fn attempt(
        &self,
        accounts: &dyn AccountStore,
        account: &str,
        address: &str,
        now_ms: i64,
    ) -> Result<Counted, Refused> {
        if self
            .attempts
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(256)
        {
            accounts
                .sweep_throttle(now_ms - WINDOW_MS)
                .map_err(Refused::Store)?;
        }
        let (mut account_wait, mut address_wait) = (0, 0);
        let before = before_key(address);
        accounts
            .update_throttle(&[account, address, &before], &mut |records| {
                account_wait = PER_ACCOUNT.wait_ms(&records[0], now_ms);
                address_wait = PER_ADDRESS.wait_ms(&records[1], now_ms);
                if account_wait.max(address_wait) > 0 {
                    return false;
                }
                records[2] = current(&records[1], now_ms);
                for r in records[..2].iter_mut() {
                    *r = ThrottleRecord {
                        failures: current(r, now_ms).failures + 1,
                        last_ms: now_ms,
                    };
                }
                true
            })
            .map_err(Refused::Store)?;
        match account_wait.max(address_wait) {
            0 => Ok(Counted { at_ms: now_ms }),
            wait => Err(Refused::Wait {
                seconds: (wait as u64).div_ceil(1000),
                address: address_wait > account_wait,
            }),
        }
    }

    /// The attempt `counted` succeeded: the account starts afresh and the address gets back
    /// what the attempt took — its count, and the time of its last failure where no attempt
    /// came since, so that successes neither prolong nor renew a penalty earned by failures.
    pub fn succeeded(
        &self,
        accounts: &dyn AccountStore,
        account: &str,
        address: &str,
        counted: Counted,
    ) -> Result<(), StoreError> {
        let before = before_key(address);
        accounts.update_throttle(&[account, address, &before], &mut |records| {
            records[0].failures = 0;
            records[1].failures = records[1].failures.saturating_sub(1);
            if records[1].last_ms == counted.at_ms {
                records[1].last_ms = records[2].last_ms;
            }
            true
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(failures: u32, last_ms: i64) -> ThrottleRecord {
        ThrottleRecord { failures, last_ms }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// Password hashes are bounded: of eight requests at once, never more than the permits
    /// hash at the same time (so a flood of sign-ins holds at most that many Argon2 buffers),
    /// and every one is served.
    #[test]
    fn at_most_permits_hashes_run_at_once() {
        use std::sync::atomic::AtomicUsize;
        use std::sync::Arc;
        runtime().block_on(async {
            let throttle = Arc::new(Throttle::new(2));
            let running = Arc::new(AtomicUsize::new(0));
            let most = Arc::new(AtomicUsize::new(0));
            let requests: Vec<_> = (0..8)
                .map(|_| {
                    let (throttle, running, most) =
                        (throttle.clone(), running.clone(), most.clone());
                    tokio::spawn(async move {
                        throttle
                            .hash(move || {
                                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                                most.fetch_max(now, Ordering::SeqCst);
                                std::thread::sleep(Duration::from_millis(50));
                                running.fetch_sub(1, Ordering::SeqCst);
                            })
                            .await
                    })
                })
                .collect();
            for r in requests {
                assert!(r.await.unwrap().is_some(), "served");
            }
            assert_eq!(most.load(Ordering::SeqCst), 2);
        });
    }

    /// While every slot is taken a hash waits (it does not run beside them), and runs once a
    /// slot frees up.
    #[test]
    fn a_hash_waits_for_a_free_slot() {
        use std::sync::atomic::AtomicBool;
        use std::sync::Arc;
        runtime().block_on(async {
            let throttle = Arc::new(Throttle::new(1));
            let held = throttle.hashing_slot().await.unwrap();
            let ran = Arc::new(AtomicBool::new(false));
            let waiting = {
                let (throttle, ran) = (throttle.clone(), ran.clone());
                tokio::spawn(async move {
                    throttle
                        .hash(move || ran.store(true, Ordering::SeqCst))
                        .await
                })
            };
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(!ran.load(Ordering::SeqCst), "no slot, no hash");
            drop(held);
            assert!(waiting.await.unwrap().is_some());
            assert!(ran.load(Ordering::SeqCst));
        });
    }

    #[test]
    fn the_delay_doubles_past_the_free_attempts_up_to_the_cap() {
        let p = PER_ACCOUNT;
        assert_eq!(p.wait_ms(&rec(4, 0), 0), 0, "still free");
        assert_eq!(p.wait_ms(&rec(5, 0), 0), 1_000);
        assert_eq!(p.wait_ms(&rec(6, 0), 0), 2_000);
        assert_eq!(p.wait_ms(&rec(7, 0), 500), 3_500);
        assert_eq!(p.wait_ms(&rec(40, 0), 0), 60_000, "never more than the cap");
        assert_eq!(p.wait_ms(&rec(40, 0), 60_000), 0, "a delay, not a lock-out");
        assert_eq!(p.wait_ms(&rec(40, 0), WINDOW_MS), 0, "forgotten");
    }
}
