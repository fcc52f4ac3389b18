//! Shared copies of the values many messages repeat (senders, authors, List-Ids, subject
//! tags, the paths patches touch), made while messages are read in parallel: one for each
//! thread that reads them.
//!
//! A list of a million messages has a few thousand people on it: storing each message's
//! sender and author as its own pair of strings cost about a tenth of a kilobyte a message,
//! twice over when the author is the sender.

use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::model::message::Address;
use crate::model::subject::Subject;
use crate::model::trailer::Trailer;

/// A set of shared values, safe to fill from many threads. (Not [`super::table::Interner`],
/// which numbers the strings a search looks through.)
///
/// Each thread of the pool that reads messages keeps its own table (and the threads outside
/// the pool one more, together): a thread looks up and adds values in its own table only.
/// With tables shared by all, the two cores took turns on the same lock and on the same
/// count of every popular value (the list, the `PATCH` tag) once a message each, and each
/// turn moved a cache line from one core to the other. A value is kept once per thread that
/// met it, a few copies instead of one; nothing compares these values by address.
pub struct SharedSet<T: ?Sized> {
    hasher: DefaultHashBuilder,
    tables: PerThread<Table<T>>,
}

type Table<T> = HashTable<Arc<T>>;

/// One table for each thread of the rayon pool and one more that the threads outside it share
/// (see [`SharedSet`] for why), each padded so that two threads' locks never share a cache line.
struct PerThread<T>(Box<[Padded<Mutex<T>>]>);

impl<T: Default> Default for PerThread<T> {
    fn default() -> Self {
        let tables = rayon::current_num_threads() + 1;
        PerThread(
            (0..tables)
                .map(|_| Padded(Mutex::new(T::default())))
                .collect(),
        )
    }
}

impl<T> PerThread<T> {
    /// The current thread's table. A panic elsewhere cannot leave a table of values read
    /// half-changed, so a poisoned lock is taken as it is.
    fn mine(&self) -> MutexGuard<'_, T> {
        self.0[table_index(self.0.len())]
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Every thread's table, one after the other.
    fn each(&self) -> impl Iterator<Item = MutexGuard<'_, T>> {
        self.0
            .iter()
            .map(|t| t.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A value alone on its cache lines.
#[repr(align(128))]
struct Padded<T>(T);

/// The table of the current thread: its index in the rayon pool, after the one table that
/// the threads outside the pool share. A thread of another, bigger pool shares the last.
fn table_index(tables: usize) -> usize {
    rayon::current_thread_index().map_or(0, |i| (i + 1).min(tables - 1))
}

impl<T: ?Sized + Hash + Eq> Default for SharedSet<T> {
    fn default() -> Self {
        SharedSet {
            hasher: DefaultHashBuilder::default(),
            tables: PerThread::default(),
        }
    }
}

impl<T: ?Sized + Hash + Eq> SharedSet<T> {
    /// The shared copy of `value`, made from `make` the first time it is seen.
    pub fn get_or_insert(&self, value: &T, make: impl FnOnce() -> Arc<T>) -> Arc<T> {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(value);
        let mut set = self.tables.mine();
        // Found, nearly always: a lookup alone (an entry's insertion code, which the compiler
        // did not always inline, is left for the first time).
        if let Some(held) = set.find(hash, |held| **held == *value) {
            return Arc::clone(held);
        }
        Arc::clone(
            set.insert_unique(hash, make(), |held| hasher.hash_one(&**held))
                .get(),
        )
    }

    /// How many values are stored, a value counted once for each thread's table holding it.
    pub fn len(&self) -> usize {
        self.tables.each().map(|t| t.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: Hash + Eq> SharedSet<T> {
    /// The shared copy of `value`.
    pub fn intern(&self, value: T) -> Arc<T> {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(&value);
        let mut set = self.tables.mine();
        let entry = set.entry(
            hash,
            |held| **held == value,
            |held| hasher.hash_one(&**held),
        );
        Arc::clone(entry.or_insert_with(|| Arc::new(value)).get())
    }
}

impl SharedSet<Address> {
    /// The shared copy of the address `name <email>`, read from borrowed text: the strings
    /// are made only for the first message from that address.
    pub fn intern_parts(&self, name: &str, email: &str) -> Arc<Address> {
        let hasher = &self.hasher;
        // Hashed as `Address` hashes (its fields in order), so both ways in find one entry.
        let hash = hasher.hash_one((name, email));
        let mut set = self.tables.mine();
        if let Some(held) = set.find(hash, |held| held.name == name && held.email == email) {
            return Arc::clone(held);
        }
        let made = Arc::new(Address {
            name: name.to_string(),
            email: email.to_string(),
        });
        Arc::clone(
            set.insert_unique(hash, made, |held| hasher.hash_one(&**held))
                .get(),
        )
    }
}

/// What reading a short text gave, kept by the text, one table for each thread as
/// [`SharedSet`] keeps values: a list repeats its subject heads ([`Subject::parse_with_heads`])
/// its senders' `From:` lines and its reviewers' trailer lines message after message, and
/// each is read once a thread.
pub struct ReadOnce<V> {
    hasher: DefaultHashBuilder,
    tables: PerThread<Known<V>>,
}

/// What one thread has read, by text.
type Known<V> = HashTable<(Box<str>, V)>;

impl<V> Default for ReadOnce<V> {
    fn default() -> Self {
        ReadOnce {
            hasher: DefaultHashBuilder::default(),
            tables: PerThread::default(),
        }
    }
}

impl<V: Clone> ReadOnce<V> {
    /// Texts longer than this are read each time, not kept: real heads and senders are a
    /// few dozen bytes, and a table of hostile ones would only grow.
    const LONGEST: usize = 160;

    /// What `text` reads as, read by `read` the first time it is met.
    pub fn get(&self, text: &str, read: impl FnOnce() -> V) -> V {
        if text.len() > Self::LONGEST {
            return read();
        }
        let hasher = &self.hasher;
        let hash = hasher.hash_one(text);
        let mut table = self.tables.mine();
        if let Some((_, held)) = table.find(hash, |(held, _)| **held == *text) {
            return held.clone();
        }
        let value = read();
        table.insert_unique(hash, (text.into(), value.clone()), |(held, _)| {
            hasher.hash_one(&**held)
        });
        value
    }
}

/// A `From:` value as loading reads it: the sender, and who `git am` records as the author
/// when the body names nobody else.
#[derive(Clone)]
pub struct Sender {
    pub from: Arc<Address>,
    pub author: Arc<Address>,
}

/// What the messages of one load share.
#[derive(Default)]
pub struct Shared {
    pub people: SharedSet<Address>,
    pub lists: SharedSet<str>,
    pub tags: SharedSet<str>,
    pub heads: ReadOnce<Subject>,
    pub senders: ReadOnce<Sender>,
    /// What a reply's line gives as a trailer ([`crate::model::trailer::followup_trailers_with`]).
    pub trailer_lines: ReadOnce<Option<Trailer>>,
    /// The paths patches touch: a list's patches touch the same files again and again.
    pub paths: SharedSet<str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_read_in_parts_is_the_address_read_whole() {
        let people: SharedSet<Address> = SharedSet::default();
        let whole = |name: &str, email: &str| Address {
            name: name.into(),
            email: email.into(),
        };
        let a = people.intern(whole("Daniel Vetter", "daniel@ffwll.ch"));
        let b = people.intern_parts("Daniel Vetter", "daniel@ffwll.ch");
        assert!(Arc::ptr_eq(&a, &b));
        let c = people.intern_parts("Jason Gunthorpe", "jgg@nvidia.com");
        let d = people.intern(whole("Jason Gunthorpe", "jgg@nvidia.com"));
        assert!(Arc::ptr_eq(&c, &d));
        // The split between name and email is part of the address.
        let e = people.intern_parts("Daniel", "Vetter daniel@ffwll.ch");
        assert!(!Arc::ptr_eq(&a, &e));
        assert_eq!(people.len(), 3);
    }

    #[test]
    fn a_text_is_read_once_unless_too_long() {
        let once: ReadOnce<usize> = ReadOnce::default();
        let mut reads = 0;
        let mut get = |text: &str| {
            once.get(text, || {
                reads += 1;
                text.len()
            })
        };
        assert_eq!(get("[PATCH 1/2] "), 12);
        assert_eq!(get("[PATCH 1/2] "), 12);
        assert_eq!(get("Re: "), 4);
        let long = "x".repeat(ReadOnce::<usize>::LONGEST + 1);
        assert_eq!(get(&long), long.len());
        assert_eq!(get(&long), long.len());
        assert_eq!(reads, 4);
    }

    #[test]
    fn equal_values_share_one_copy() {
        let people: SharedSet<String> = SharedSet::default();
        let a = people.intern("Daniel Vetter".to_string());
        let b = people.intern("Daniel Vetter".to_string());
        let c = people.intern("Jason Gunthorpe".to_string());
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(people.len(), 2);
    }

    #[test]
    fn each_thread_of_the_pool_keeps_its_own_copies() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of two threads");
        let lists: SharedSet<str> = pool.install(SharedSet::default);
        let list = "linux-clk.vger.kernel.org";
        let intern = || lists.get_or_insert(list, || Arc::from(list));
        let first = pool.broadcast(|_| intern());
        let again = pool.broadcast(|_| intern());
        assert_eq!(first.len(), 2);
        // The same value on every thread, a copy of its own on each, found again by it.
        assert!(first.iter().all(|l| &**l == list));
        assert!(!Arc::ptr_eq(&first[0], &first[1]));
        assert!(first.iter().zip(&again).all(|(a, b)| Arc::ptr_eq(a, b)));
        // Threads outside the pool share one more table.
        let outside = intern();
        assert!(first.iter().all(|l| !Arc::ptr_eq(l, &outside)));
        assert!(Arc::ptr_eq(&outside, &intern()));
        assert_eq!(lists.len(), 3);
    }

    #[test]
    fn unsized_values_share_one_copy() {
        let lists: SharedSet<str> = SharedSet::default();
        let a = lists.get_or_insert("linux-clk.vger.kernel.org", || {
            Arc::from("linux-clk.vger.kernel.org")
        });
        let b = lists.get_or_insert("linux-clk.vger.kernel.org", || Arc::from("other"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*b, "linux-clk.vger.kernel.org");
    }
}
