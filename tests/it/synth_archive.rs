//! The synthetic archives the load and reader benchmarks measure: written as an mbox, they load
//! back as generated (kinds, titles, authors, diffstats, trailers, threads), and every cover,
//! patch and pull request has a title of its own, as on a real list.

use std::collections::HashSet;

use patchdeck::index::archive::Archive;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;

use crate::support::synth::generate;
use crate::support::synth::mbox::write_mbox;

#[test]
fn a_synthetic_mbox_loads_as_generated() {
    let docs = generate(3000, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synth.mbox");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_mbox(&docs, &mut out).unwrap();
    drop(out);
    let archive = Archive::load(&[Input::Path(path)], &|_| {}).unwrap();
    assert_eq!(archive.len(), docs.len());
    for doc in &docs {
        let idx = archive
            .find(&doc.message_id)
            .expect("every Message-ID is found");
        let m = &archive.messages[idx as usize];
        assert_eq!(m.kind, doc.kind, "{}", doc.subject);
        assert_eq!(m.subject.raw(), doc.subject);
        assert_eq!(m.subject.title(), doc.title);
        assert_eq!(m.from.email, doc.author.email);
        assert_eq!(m.list_id.as_deref(), doc.list_id.as_deref());
        assert_eq!(m.date.map(|d| d.unix), doc.date);
        assert_eq!(*m.summary.files, doc.files[..], "{}", doc.subject);
        assert_eq!(*m.summary.trailers, doc.trailers[..], "{}", doc.subject);
        // A patch threaded under its cover letter is in the cover's series.
        if let Some(parent) = doc.in_reply_to.filter(|_| doc.kind == Kind::Patch) {
            let cover = archive.find(&docs[parent].message_id).unwrap();
            assert_eq!(archive.series_of(idx), archive.series_of(cover));
        }
    }
    let originals: Vec<&str> = docs
        .iter()
        .filter(|d| d.kind != Kind::Reply)
        .map(|d| d.title.as_str())
        .collect();
    let distinct: HashSet<&str> = originals.iter().copied().collect();
    assert_eq!(distinct.len(), originals.len(), "titles repeat");
}
