//! One pure computation spread over the cores: the items split into contiguous chunks, one
//! thread a chunk, results in the items' order, so the result never depends on the split. A
//! panic in a worker is raised again in the caller, never swallowed.

/// `f` of every item, in order; on the caller's thread when there are fewer than `min_split`
/// items or one core.
pub fn map<T: Sync, R: Send>(items: &[T], min_split: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if items.len() < min_split || threads == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_order_is_the_items_order_whatever_the_split() {
        let items: Vec<u32> = (0..1000).collect();
        for min_split in [0, 10, 2000] {
            assert_eq!(
                super::map(&items, min_split, |x| x * 2),
                (0..1000).map(|x| x * 2).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn a_panicking_worker_panics_the_caller() {
        let items: Vec<u32> = (0..100).collect();
        super::map(&items, 0, |x| assert_ne!(*x, 7, "item 7"));
    }
}
