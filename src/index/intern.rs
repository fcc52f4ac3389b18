//! One shared copy of each value many messages repeat (senders, authors, List-Ids, subject
//! tags, the paths patches touch), made while messages are read in parallel.
//!
//! A list of a million messages has a few thousand people on it: storing each message's
//! sender and author as its own pair of strings cost about a tenth of a kilobyte a message,
//! twice over when the author is the sender.

use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex, PoisonError};

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::model::message::Address;

/// Independent tables, so that the threads reading messages rarely wait on one another.
const SHARDS: usize = 16;

/// A set of shared values, safe to fill from many threads. (Not [`super::table::Interner`],
/// which numbers the strings a search looks through.)
pub struct SharedSet<T: ?Sized> {
    hasher: DefaultHashBuilder,
    /// Each value is hashed once, to pick its shard and its slot in the shard's table.
    shards: [Mutex<HashTable<Arc<T>>>; SHARDS],
}

impl<T: ?Sized + Hash + Eq> Default for SharedSet<T> {
    fn default() -> Self {
        SharedSet {
            hasher: DefaultHashBuilder::default(),
            shards: std::array::from_fn(|_| Mutex::new(HashTable::new())),
        }
    }
}

impl<T: ?Sized + Hash + Eq> SharedSet<T> {
    /// The shared copy of `value`, made from `make` the first time it is seen.
    pub fn get_or_insert(&self, value: &T, make: impl FnOnce() -> Arc<T>) -> Arc<T> {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(value);
        let shard = &self.shards[(hash as usize) % SHARDS];
        // A panic elsewhere cannot leave a set of shared values half-changed.
        let mut set = shard.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = set.entry(
            hash,
            |held| **held == *value,
            |held| hasher.hash_one(&**held),
        );
        Arc::clone(entry.or_insert_with(make).get())
    }

    /// How many distinct values were stored.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
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
        let shard = &self.shards[(hash as usize) % SHARDS];
        let mut set = shard.lock().unwrap_or_else(PoisonError::into_inner);
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
        let shard = &self.shards[(hash as usize) % SHARDS];
        let mut set = shard.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = set.entry(
            hash,
            |held| held.name == name && held.email == email,
            |held| hasher.hash_one(&**held),
        );
        let made = || {
            Arc::new(Address {
                name: name.to_string(),
                email: email.to_string(),
            })
        };
        Arc::clone(entry.or_insert_with(made).get())
    }
}

/// What the messages of one load share.
#[derive(Default)]
pub struct Shared {
    pub people: SharedSet<Address>,
    pub lists: SharedSet<str>,
    pub tags: SharedSet<str>,
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
