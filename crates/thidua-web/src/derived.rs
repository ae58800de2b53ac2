//! Derived read models computed on demand from the log's state and kept until the log grows:
//! a value is remembered with the log size it was computed at, and a read at another size
//! computes it afresh. Correct by construction (the same state always gives the same value) and
//! cheap while nothing is appended; one entry per key, so memory stays bounded by the number of
//! covenants. A computation that fails is not remembered.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Values of type `V` by key, each tagged with the log size it was computed at.
pub struct Derived<K, V> {
    entries: Mutex<HashMap<K, (u64, Arc<V>)>>,
}

impl<K, V> Default for Derived<K, V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone, V> Derived<K, V> {
    /// The value for `key` at log size `size`: the remembered one if it was computed at that
    /// size, else `compute()` (outside the lock, so readers of other keys never wait on it).
    pub fn get_or_compute<E>(
        &self,
        key: &K,
        size: u64,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Some((at, value)) = self.lock().get(key) {
            if *at == size {
                return Ok(Arc::clone(value));
            }
        }
        let value = Arc::new(compute()?);
        let mut entries = self.lock();
        let newer = entries.get(key).is_some_and(|(at, _)| *at > size);
        if !newer {
            entries.insert(key.clone(), (size, Arc::clone(&value)));
        }
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (u64, Arc<V>)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::Derived;
    use std::cell::Cell;

    #[test]
    fn a_value_is_computed_once_per_log_size() {
        let cache: Derived<&str, u64> = Derived::default();
        let calls = Cell::new(0);
        let compute = |v: u64| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(v)
        };
        assert_eq!(*cache.get_or_compute(&"a", 10, || compute(1)).unwrap(), 1);
        assert_eq!(*cache.get_or_compute(&"a", 10, || compute(2)).unwrap(), 1);
        assert_eq!(calls.get(), 1);
        assert_eq!(*cache.get_or_compute(&"a", 11, || compute(3)).unwrap(), 3);
        assert_eq!(*cache.get_or_compute(&"b", 11, || compute(4)).unwrap(), 4);
        assert_eq!(calls.get(), 3);
        // An older reader does not replace what a newer one remembered.
        assert_eq!(*cache.get_or_compute(&"a", 10, || compute(5)).unwrap(), 5);
        assert_eq!(*cache.get_or_compute(&"a", 11, || compute(6)).unwrap(), 3);
        // A failure is not remembered.
        assert!(cache
            .get_or_compute(&"c", 11, || Err::<u64, _>(()))
            .is_err());
        assert_eq!(*cache.get_or_compute(&"c", 11, || compute(7)).unwrap(), 7);
    }
}
