//! Items grouped by row in one flat array with each row's start (a message's children in its
//! thread, the trailers given to it on the list): two array reads a row, where a vector per
//! row took an allocation each and a map of them a hash probe.

/// `items` grouped into rows: row `i` is `items[starts[i]..starts[i + 1]]`.
#[derive(Debug)]
pub(crate) struct Rows<T> {
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            starts: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T: Clone> Rows<T> {
    /// `rows` rows holding the `(row, item)` pairs, each row's items in the order they come
    /// (a counting sort); a pair naming a row past the last is dropped.
    pub(crate) fn group(rows: usize, pairs: &[(u32, T)]) -> Rows<T> {
        let mut starts = vec![0u32; rows + 1];
        for &(row, _) in pairs {
            if let Some(n) = starts.get_mut(row as usize + 1) {
                *n += 1;
            }
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0u32; starts[rows] as usize];
        for (k, (row, _)) in (0u32..).zip(pairs) {
            // The entry past the last row is not a row's: a pair naming it is dropped.
            if (*row as usize) < rows
                && let Some(at) = next.get_mut(*row as usize)
                && let Some(slot) = order.get_mut(*at as usize)
            {
                *slot = k;
                *at += 1;
            }
        }
        let items = order.iter().map(|&k| pairs[k as usize].1.clone()).collect();
        Rows { starts, items }
    }
}

impl<T: Copy + Default> Rows<T> {
    /// `rows` rows holding what `each` gives: it calls `put(row, item)` for every item, each
    /// row's items in the order they come, and is called twice (to count, then to place), so
    /// it must give the same items both times. An item naming a row past the last is dropped.
    /// [`Rows::group`] without the pairs gathered first: at a million items they were as big
    /// again as the rows, on freshly faulted pages.
    pub(crate) fn fill(rows: usize, each: impl Fn(&mut dyn FnMut(u32, T))) -> Rows<T> {
        let mut starts = vec![0u32; rows + 1];
        each(&mut |row, _| {
            if let Some(n) = starts.get_mut(row as usize + 1) {
                *n += 1;
            }
        });
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut items = vec![T::default(); starts[rows] as usize];
        // Each row's entry in `starts` is where its next item goes while it is filled.
        each(&mut |row, item| {
            let row = row as usize;
            if row < rows
                && let Some(at) = starts.get_mut(row)
                && let Some(slot) = items.get_mut(*at as usize)
            {
                *slot = item;
                *at += 1;
            }
        });
        // Each row's entry now holds where the next row starts: moved up a row, they are the
        // starts again.
        starts.copy_within(0..rows, 1);
        if let Some(first) = starts.first_mut() {
            *first = 0;
        }
        Rows { starts, items }
    }
}

impl<T> Rows<T> {
    /// The items of row `i` (none past the last row).
    pub(crate) fn row(&self, i: u32) -> &[T] {
        let i = i as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many items all rows hold.
    pub(crate) fn items(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_items_in_the_order_given() {
        let pairs = [(2, 'a'), (0, 'b'), (2, 'c'), (5, 'x'), (0, 'd'), (3, 'e')];
        let rows = Rows::group(4, &pairs);
        assert_eq!(rows.row(0), ['b', 'd']);
        assert_eq!(rows.row(1), [] as [char; 0]);
        assert_eq!(rows.row(2), ['a', 'c']);
        assert_eq!(rows.row(3), ['e']);
        assert_eq!(rows.row(4), [] as [char; 0]);
        assert_eq!(rows.items(), 5);
        assert_eq!(Rows::<char>::default().row(0), [] as [char; 0]);
    }

    /// Filled in two passes or grouped from pairs, the same rows.
    #[test]
    fn rows_filled_in_place_are_the_rows_grouped_from_pairs() {
        let mut next = crate::xorshift(31);
        for rows in [0usize, 1, 2, 7, 100] {
            for count in [0usize, 1, 5, 300] {
                let pairs: Vec<(u32, u32)> = (0..count)
                    .map(|k| ((next() % (rows as u64 + 2)) as u32, k as u32))
                    .collect();
                let grouped = Rows::group(rows, &pairs);
                let filled = Rows::fill(rows, |put| {
                    for &(row, item) in &pairs {
                        put(row, item);
                    }
                });
                for row in 0..rows as u32 + 2 {
                    assert_eq!(filled.row(row), grouped.row(row), "{rows} rows, row {row}");
                }
                assert_eq!(filled.items(), grouped.items());
            }
        }
    }
}
