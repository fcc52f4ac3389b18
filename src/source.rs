//! Reading inputs: sniffing, mbox split, gzip, Maildir, folders, patch digests, stdin.
