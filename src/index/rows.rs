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
            if let Some(at) = next.get_mut(*row as usize) {
                order[*at as usize] = k;
                *at += 1;
            }
        }
        let items = order.iter().map(|&k| pairs[k as usize].1.clone()).collect();
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
}
