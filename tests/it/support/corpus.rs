//! Where the shared corpora live, and the rule for when they are missing: tests fail under CI
//! (`CI` set), and skip with a message on a developer's machine.

use std::path::PathBuf;

/// `../shared/corpora/<rel>` beside the checkout (or under `$PATCHDECK_CORPORA`, for a
/// checkout elsewhere such as a git worktree), or `None` (skip) outside CI when missing.
pub fn corpus(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PATCHDECK_CORPORA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"),
        PathBuf::from,
    );
    let path = root.join(rel);
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

/// The corpus archive `rel`, loaded whole as the reader loads it; `None` as [`corpus`] says.
pub fn corpus_archive(rel: &str) -> Option<patchdeck::index::archive::Archive> {
    let path = corpus(rel)?;
    let inputs = [patchdeck::source::Input::Path(path)];
    let loaded = patchdeck::index::archive::Archive::load(&inputs, &|_| {});
    Some(loaded.unwrap_or_else(|e| panic!("corpus {rel} does not load: {e}")))
}
