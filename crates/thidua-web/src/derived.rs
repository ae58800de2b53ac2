//! Derived read models kept up to date from the log's state. Per key, the domain's own
//! incremental computation (e.g. [`thidua_domain::progress::Incremental`], which knows what
//! each part of its value depends on and recomputes only what changed) and its last value with
//! the log size it was computed at. A read at that size returns the value; a read at another
//! size asks the computation again. The web layer only stores: correctness is the domain's.
//! One computation at a time per key (concurrent readers of a key wait for it instead of all
//! recomputing; readers of other keys never wait); one entry per key, so memory stays bounded
//! by the number of covenants. A computation that fails is not remembered.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

/// Per key, an incremental computation `C` and its last value `V`.
pub struct Derived<K, C, V> {
    entries: Mutex<HashMap<K, Shared<C, V>>>,
}

/// One key's entry, locked while its computation runs.
type Shared<C, V> = Arc<Mutex<Entry<C, V>>>;

struct Entry<C, V> {
    cache: C,
    /// The last value and the log size it was computed at.
    last: Option<(u64, Arc<V>)>,
}

impl<K, C, V> Default for Derived<K, C, V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<K: Eq + Hash + Clone, C: Default, V> Derived<K, C, V> {
    /// The value for `key` at log size `size`: the last one if it was computed at that size,
    /// else `update(cache)`, remembered unless a newer one is (on failure, nothing is).
    pub fn get<E>(
        &self,
        key: &K,
        size: u64,
        update: impl FnOnce(&mut C) -> Result<Arc<V>, E>,
    ) -> Result<Arc<V>, E> {
        let entry = self.entry(key);
        let mut e = lock(&entry);
        if let Some((at, value)) = &e.last {
            if *at == size {
                return Ok(Arc::clone(value));
            }
        }
        // Let go of the last value first: when no reader holds it any more, the computation
        // may update it in place rather than copy it.
        let newer = e.last.take().filter(|(at, _)| *at > size);
        let value = match update(&mut e.cache) {
            Ok(v) => v,
            Err(err) => {
                e.last = newer;
                return Err(err);
            }
        };
        e.last = newer.or_else(|| Some((size, Arc::clone(&value))));
        Ok(value)
    }

    /// Runs `f` on the key's computation without remembering what it returns (a variant of
    /// the value, e.g. one unit explained, that still reuses and refreshes the computation).
    pub fn with<T>(&self, key: &K, f: impl FnOnce(&mut C) -> T) -> T {
        let entry = self.entry(key);
        let mut e = lock(&entry);
        f(&mut e.cache)
    }

    fn entry(&self, key: &K) -> Shared<C, V> {
        let mut entries = lock(&self.entries);
        Arc::clone(entries.entry(key.clone()).or_insert_with(|| {
            Arc::new(Mutex::new(Entry {
                cache: C::default(),
                last: None,
            }))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::Derived;
    use std::sync::Arc;

    /// A computation that counts its runs.
    #[derive(Default)]
    struct Count(u64);

    #[test]
    fn a_value_is_computed_once_per_log_size_and_the_computation_is_kept() {
        let cache: Derived<&str, Count, u64> = Derived::default();
        let run = |v: u64| {
            move |c: &mut Count| {
                c.0 += 1;
                Ok::<_, ()>(Arc::new(v * 100 + c.0))
            }
        };
        assert_eq!(*cache.get(&"a", 10, run(1)).unwrap(), 101);
        assert_eq!(*cache.get(&"a", 10, run(2)).unwrap(), 101);
        // Another size asks the same computation again.
        assert_eq!(*cache.get(&"a", 11, run(3)).unwrap(), 302);
        assert_eq!(*cache.get(&"b", 11, run(4)).unwrap(), 401);
        // An older reader does not replace what a newer one remembered.
        assert_eq!(*cache.get(&"a", 10, run(5)).unwrap(), 503);
        assert_eq!(*cache.get(&"a", 11, run(6)).unwrap(), 302);
        // A failure is not remembered.
        assert!(cache.get(&"c", 11, |_| Err::<Arc<u64>, _>(())).is_err());
        assert_eq!(*cache.get(&"c", 11, run(7)).unwrap(), 701);
        // A variant runs on the key's computation and is not remembered.
        assert_eq!(cache.with(&"a", |c| c.0), 3);
        assert_eq!(*cache.get(&"a", 11, run(8)).unwrap(), 302);
    }
}
