//! Hostile inputs cost time and memory linear in their size: each input of issue 14 is built at
//! n and 4n (doubled twice) and the growth of its cost compared, never its absolute time. A
//! linear parser costs about 4x as much, a quadratic one 16x; the bound is 10x. Overflow
//! checks are on in the test build, so arithmetic that wraps on big counts panics here.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use patchdeck::index::archive::Archive;
use patchdeck::model::mime::{HeaderBlock, body_text};
use patchdeck::model::subject::Subject;
use patchdeck::source::Input;

use crate::support::alloc::allocated_by;

/// Time per run of `f`: runs repeated until 20 ms have passed, the best of nine such rounds
/// (the machine is shared; the best round is the least disturbed: with five, a load of two
/// builds on two cores once put the archive load's ratio at 10.4x).
fn time_per_run(f: &dyn Fn()) -> Duration {
    (0..9)
        .map(|_| {
            let start = Instant::now();
            let mut runs = 0u32;
            while runs == 0 || start.elapsed() < Duration::from_millis(20) {
                f();
                runs += 1;
            }
            start.elapsed() / runs
        })
        .min()
        .unwrap_or_default()
}

/// Asserts that running `run` on `make(4n)` costs less than 10x (linear: 4x, quadratic: 16x)
/// what it costs on `make(n)`, in time and in bytes allocated.
fn assert_linear<T>(what: &str, n: usize, make: impl Fn(usize) -> T, run: impl Fn(&T)) {
    let (small, large) = (make(n), make(4 * n));
    let t_small = time_per_run(&|| run(&small));
    let t_large = time_per_run(&|| run(&large));
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9);
    assert!(
        ratio < 10.0,
        "{what}: 4x the input took {ratio:.1}x the time ({t_small:?} -> {t_large:?})"
    );
    let ((), m_small) = allocated_by(|| run(&small));
    let ((), m_large) = allocated_by(|| run(&large));
    let ratio = m_large as f64 / m_small.max(1) as f64;
    assert!(
        ratio < 10.0,
        "{what}: 4x the input allocated {ratio:.1}x the memory ({m_small} -> {m_large} bytes)"
    );
}

fn mail_with_subject(subject: &str) -> Vec<u8> {
    format!("From: a <a@b>\nMessage-ID: <x@y>\nSubject: {subject}\n\nbody\n").into_bytes()
}

#[test]
fn a_header_full_of_encoded_word_openers_decodes_in_linear_time() {
    assert_linear(
        "Subject of =?",
        8192,
        |n| mail_with_subject(&"=?".repeat(n)),
        |mail| {
            let block = HeaderBlock::parse(mail);
            assert!(block.value("Subject").is_some_and(|s| s.len() > 1000));
        },
    );
}

#[test]
fn encoded_words_whose_ends_never_qualify_decode_in_linear_time() {
    // Every `?=` is followed by a letter, so no word ever ends: each opener used to search
    // the rest of the line.
    assert_linear(
        "Subject of =?a?q?b?=x",
        2048,
        |n| mail_with_subject(&" =?a?q?b?=x".repeat(n)),
        |mail| {
            let block = HeaderBlock::parse(mail);
            assert!(block.value("Subject").is_some_and(|s| s.contains("?=x")));
        },
    );
}

#[test]
fn a_mime_part_header_full_of_openers_decodes_in_linear_time() {
    assert_linear(
        "multipart part header of =?",
        8192,
        |n| {
            format!(
                "Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain; \
                 name=\"{}\"\n\npart text\n--B--\n",
                "=?".repeat(n)
            )
            .into_bytes()
        },
        |mail| assert!(body_text(mail).text.contains("part text")),
    );
}

#[test]
fn a_subject_of_bracket_groups_splits_in_linear_time() {
    assert_linear(
        "Subject of [x] groups",
        16_384,
        |n| "[x]".repeat(n),
        |subject| {
            let parsed = Subject::parse(subject);
            assert!(parsed.tags.len() > 1000);
        },
    );
}

#[test]
fn a_message_with_hostile_headers_loads_in_linear_time() {
    assert_linear(
        "archive load of hostile headers",
        8192,
        |n| {
            let openers = "=?".repeat(n);
            format!(
                "From: {openers} <a@b>\nTo: {openers}\nMessage-ID: <x@y>\nSubject: {}{openers}\n\nbody\n",
                "[x]".repeat(n)
            )
            .into_bytes()
        },
        |mail| {
            let input = Input::Bytes {
                label: "hostile".into(),
                bytes: Cow::Owned(mail.clone()),
            };
            let archive = Archive::load(&[input], &|_| {}).expect("loads");
            assert_eq!(archive.len(), 1);
        },
    );
}
