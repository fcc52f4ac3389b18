//! The Markdown patch digest of `seeds/`: `#### <subject>`, `##### From: <author>`, then a
//! fenced block holding either a whole mail (headers and body) or only its body.
//!
//! Each entry is rewritten as a plain mail into one buffer, so the rest of patchdeck reads
//! digests exactly like mbox messages. Headings damaged by the digest's generator (a subject
//! with `From: <author>` glued to its end) are repaired from the author line.

/// The rewritten mails and each one's byte range.
pub struct Synthesised {
    pub bytes: Vec<u8>,
    pub spans: Vec<(usize, usize)>,
}

struct Entry {
    subject: String,
    author: String,
    block: Vec<String>,
}

pub fn to_mail(data: &[u8]) -> Synthesised {
    let text = String::from_utf8_lossy(data);
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if in_fence {
            if line.trim_end() == "```" {
                in_fence = false;
            } else if let Some(entry) = entries.last_mut() {
                entry.block.push(line.to_string());
            }
            continue;
        }
        if let Some(subject) = line.strip_prefix("#### ") {
            entries.push(Entry {
                subject: subject.trim().to_string(),
                author: String::new(),
                block: Vec::new(),
            });
        } else if let Some(author) = line.strip_prefix("##### From:") {
            if let Some(entry) = entries.last_mut() {
                entry.author = author.trim().to_string();
            }
        } else if line.starts_with("```") && !entries.is_empty() {
            in_fence = true;
        }
    }
    let mut out = Synthesised {
        bytes: Vec::new(),
        spans: Vec::new(),
    };
    for (n, entry) in entries.iter().enumerate() {
        let start = out.bytes.len();
        write_entry(entry, n, &mut out.bytes);
        out.spans.push((start, out.bytes.len()));
        out.bytes.push(b'\n');
    }
    out
}

fn write_entry(entry: &Entry, n: usize, out: &mut Vec<u8>) {
    let subject = repair_subject(&entry.subject, &entry.author);
    let has_headers = entry.block.first().is_some_and(|l| is_header_line(l));
    let header_end = if has_headers {
        entry
            .block
            .iter()
            .position(|l| l.trim().is_empty())
            .unwrap_or(entry.block.len())
    } else {
        0
    };
    let headers = &entry.block[..header_end];
    let has = |name: &str| {
        headers.iter().any(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.eq_ignore_ascii_case(name))
        })
    };
    if !has("From") && !entry.author.is_empty() {
        out.extend_from_slice(format!("From: {}\n", entry.author).as_bytes());
    }
    if !has("Subject") {
        out.extend_from_slice(format!("Subject: {subject}\n").as_bytes());
    }
    if !has("Message-Id") {
        let id = format!(
            "{:016x}.{n}@digest.patchdeck",
            fnv1a(&[&subject, &entry.author])
        );
        out.extend_from_slice(format!("Message-Id: <{id}>\n").as_bytes());
    }
    for line in headers {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
    let body_start = if has_headers {
        (header_end + 1).min(entry.block.len())
    } else {
        0
    };
    for line in &entry.block[body_start..] {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
}

/// `... per containerFrom: Alex Williamson <a@r>` with author `Alex Williamson <a@r>` loses
/// the glued `From: ...`.
fn repair_subject(subject: &str, author: &str) -> String {
    if !author.is_empty()
        && let Some(glued) = subject.rfind("From:")
        && subject[glued + 5..].trim() == author
    {
        return subject[..glued].trim_end().to_string();
    }
    subject.to_string()
}

fn is_header_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(k, _)| {
        !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// A stable hash for synthesised Message-IDs (the same digest gives the same IDs every run).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_glued_author() {
        assert_eq!(
            repair_subject(
                "[PATCH v2] vfio/type1: Limit DMA mappings per containerFrom: Alex Williamson <a@r>",
                "Alex Williamson <a@r>"
            ),
            "[PATCH v2] vfio/type1: Limit DMA mappings per container"
        );
        assert_eq!(
            repair_subject("[PATCH] From: keep", "Other <o@o>"),
            "[PATCH] From: keep"
        );
    }

    #[test]
    fn body_only_and_whole_mail_entries() {
        let digest = b"#### [PATCH] one\n##### From: A <a@a>\n\n```c\nbody line\n```\n#### [PATCH 2/2] two\n##### From: B <b@b>\n\n```c\nSubject: [PATCH 2/2] two\nDate: Wed, 21 Oct 2020 10:56:49 +0200\n\ntext\n```\n";
        let out = to_mail(digest);
        assert_eq!(out.spans.len(), 2);
        let first = String::from_utf8_lossy(&out.bytes[out.spans[0].0..out.spans[0].1]);
        assert!(first.starts_with("From: A <a@a>\nSubject: [PATCH] one\nMessage-Id: <"));
        assert!(first.ends_with("\n\nbody line\n"));
        let second = String::from_utf8_lossy(&out.bytes[out.spans[1].0..out.spans[1].1]);
        assert!(second.contains("Subject: [PATCH 2/2] two\nDate:"));
        assert_eq!(second.matches("Subject:").count(), 1);
        assert!(second.ends_with("\n\ntext\n"));
    }
}
