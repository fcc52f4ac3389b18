//! The two seed digests load with the messages, authors, subjects and diffstats their
//! headings give.

use crate::support::corpus as support;

use patchdeck::index::archive::Archive;
use patchdeck::model::message::Kind;
use patchdeck::source::Input;

fn load(name: &str) -> Archive {
    Archive::load(&[Input::Path(support::seed(name))], &|_| {}).unwrap()
}

#[test]
fn first_digest() {
    let a = load("000_a1b0f8f8c0a5d89a.txt");
    assert_eq!(a.len(), 6);
    let titles: Vec<(&str, &str)> = a
        .messages
        .iter()
        .map(|m| (m.author.name.as_str(), m.subject.raw()))
        .collect();
    for want in [
        (
            "Daniel Vetter",
            "[PATCH v3 10/16] media/videbuf1|2: Mark follow_pfn usage as unsafe",
        ),
        (
            "Daniel Vetter",
            "[PATCH v3 01/16] drm/exynos: Stop using frame_vector helpers",
        ),
        (
            "Santosh Shukla",
            "[PATCH] KVM: arm64: Correctly handle the mmio faulting",
        ),
        (
            "Paolo Bonzini",
            "[PATCH] KVM: VMX: Forbid userspace MSR filters for x2APIC",
        ),
    ] {
        assert!(titles.contains(&want), "{want:?} not in {titles:#?}");
    }
    let idx = a
        .find("20201021085655.1192025-11-daniel.vetter@ffwll.ch")
        .unwrap();
    let body = a.body(idx);
    assert_eq!(
        body.patch.diffstat_summary.as_deref(),
        Some("2 files changed, 2 insertions(+), 2 deletions(-)")
    );
    let m = &a.messages[idx as usize];
    assert_eq!((m.summary.insertions, m.summary.deletions), (2, 2));
    assert_eq!(m.summary.files.len(), 2);
    assert_eq!(m.subject.version, Some(3));
    assert_eq!((m.subject.number, m.subject.total), (Some(10), Some(16)));
}

#[test]
fn second_digest_repairs_glued_subject() {
    let a = load("004_2b7edee92d3ad7d8.txt");
    assert_eq!(a.len(), 8);
    let vfio = a
        .messages
        .iter()
        .find(|m| m.subject.title().starts_with("vfio/type1"))
        .unwrap();
    assert_eq!(
        vfio.subject.title(),
        "vfio/type1: Limit DMA mappings per container"
    );
    assert_eq!(vfio.author.name, "Alex Williamson");
    assert!(
        a.messages
            .iter()
            .all(|m| !m.subject.raw().contains("From:"))
    );
    assert!(a.messages.iter().all(|m| !m.author.email.is_empty()));
}

#[test]
fn bundled_sample_shows_versions_reviews_nested_threads_and_diffs() {
    let a = Archive::load(&patchdeck::sample::inputs(), &|_| {}).unwrap();
    // The two digests (14) and 25 messages of a real list month.
    assert_eq!(a.len(), 39);
    let real = || {
        a.messages
            .iter()
            .filter(|m| m.list_id.as_deref() == Some("linux-clk.vger.kernel.org"))
    };
    assert_eq!(real().count(), 25);
    // One series in two versions, both present.
    let rs9: Vec<u32> = a
        .series
        .iter()
        .filter(|s| s.title.starts_with("clk: rs9:"))
        .map(|s| s.version)
        .collect();
    assert_eq!(rs9.len(), 2, "{rs9:?}");
    assert!(rs9.contains(&1) && rs9.contains(&2));
    // Review replies, some answering replies (nested), and trailers given on the list.
    let replies = real().filter(|m| m.kind == Kind::Reply).count();
    assert!(replies >= 10, "{replies}");
    let ids: std::collections::HashSet<&str> = real().map(|m| m.id.as_ref()).collect();
    let answers_a_reply = real().filter(|m| {
        m.in_reply_to().is_some_and(|parent| {
            ids.contains(parent)
                && a.messages
                    .iter()
                    .any(|p| *p.id == *parent && p.kind == Kind::Reply)
        })
    });
    assert!(answers_a_reply.count() >= 1);
    // Real diffs, so the highlighted diff shows.
    let with_diff = real().filter(|m| m.summary.has_diff).count();
    assert!(with_diff >= 6, "{with_diff}");
}
