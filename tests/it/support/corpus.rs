//! Where the shared corpora live, and the rule for when they are missing: tests fail under CI
//! (`CI` set), and skip with a message on a developer's machine.

use std::path::PathBuf;

/// `../shared/corpora/<rel>` beside the checkout, or `None` (skip) outside CI when missing.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("corpus {} is missing and CI is set", path.display());
    }
    eprintln!("skipping: corpus {} is missing", path.display());
    None
}

/// The seed digests (`../shared/seeds`, also copied into `assets/sample`).
pub fn seed(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sample")
        .join(name)
}
