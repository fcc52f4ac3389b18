//! What a cover letter (or a lone patch's notes) says about the other versions of its work:
//! b4's `change-id:` line, kept from version to version, and the changelog's links to earlier
//! versions (`- Link to v1: https://lore.kernel.org/r/<msgid>`, `v2: https://lore…/<msgid>/`).
//!
//! Series grouping links versions through these when the title was reworded or the sender's
//! address changed, so they are read once at load, for covers and patches only (a reply quoting
//! a changelog says nothing about its own series).

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// Links to other versions found in one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionLinks {
    /// b4's `change-id:` value.
    pub change_id: Option<String>,
    /// Message-IDs of earlier versions named in the changelog, as written in the links.
    pub earlier: Vec<String>,
}

/// How many links one message may give; a changelog listing more is not a changelog.
const MAX_LINKS: usize = 32;

impl VersionLinks {
    /// Reads a message: b4's `change-id:` line anywhere in `text` (a decoded body; b4 puts it
    /// after a lone patch's diff), links to earlier versions in `changelog` (a cover letter's
    /// whole text, a patch's notes below `---`). `None` when it names no other version.
    pub fn read(text: &str, changelog: &str) -> Option<Box<VersionLinks>> {
        let mut links = VersionLinks {
            change_id: change_id(text),
            earlier: Vec::new(),
        };
        // Most mail has no link at all: one substring scan decides that without walking lines.
        static URL: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"://"));
        if URL.find(changelog.as_bytes()).is_some() {
            links.earlier = earlier_versions(changelog);
        }
        (links.change_id.is_some() || !links.earlier.is_empty()).then(|| Box::new(links))
    }
}

/// The value of the first `change-id: ` line.
fn change_id(text: &str) -> Option<String> {
    static CHANGE_ID: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"change-id: "));
    for at in CHANGE_ID.find_iter(text.as_bytes()) {
        if at > 0 && text.as_bytes()[at - 1] != b'\n' {
            continue;
        }
        let rest = &text[at + "change-id: ".len()..];
        let id = rest.lines().next().unwrap_or("").trim();
        if !id.is_empty() && id.len() <= 200 && !id.contains(char::is_whitespace) {
            return Some(id.to_string());
        }
    }
    None
}

/// Message-IDs of the links labelled with a version (`- Link to v1: <url>`, `v2: <url>`, the
/// address possibly on the next line).
fn earlier_versions(changelog: &str) -> Vec<String> {
    let mut earlier = Vec::new();
    let mut lines = changelog.lines().peekable();
    while let Some(line) = lines.next() {
        if earlier.len() >= MAX_LINKS {
            break;
        }
        let Some(label_end) = version_label(line) else {
            continue;
        };
        let rest = line[label_end..].trim();
        let url = if rest.is_empty() {
            match lines.peek() {
                Some(next) if version_label(next).is_none() => next.trim(),
                _ => continue,
            }
        } else {
            rest
        };
        if let Some(id) = message_id_of_url(url) {
            earlier.push(id);
        }
    }
    earlier
}

/// The end of a version label opening a changelog line: `- Link to v1:`, `v2:`, `* V3 -`,
/// `[v4]`. Bullets and indentation before it are allowed, nothing else.
fn version_label(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() || "-*+".contains(c));
    let mut rest = trimmed;
    for prefix in ["Link to ", "link to ", "Link to: ", "["] {
        if let Some(after) = rest.strip_prefix(prefix) {
            rest = after;
            break;
        }
    }
    let after_v = rest.strip_prefix(['v', 'V'])?;
    let digits = after_v.len()
        - after_v
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let after = &after_v[digits..];
    let after_sep = after
        .strip_prefix("]:")
        .or_else(|| after.strip_prefix(':'))
        .or_else(|| after.strip_prefix(']'))
        .or_else(|| after.strip_prefix(" -"))?;
    Some(line.len() - after_sep.len())
}

/// The Message-ID a lore-style archive link names: `https://lore.kernel.org/r/<id>`,
/// `https://lore.kernel.org/<list>/<id>/`, `https://patch.msgid.link/<id>`, with `%`-escapes
/// undone. Anything that is not a single link naming an `@` address is not one.
fn message_id_of_url(text: &str) -> Option<String> {
    let url = text.split_whitespace().next()?;
    let url = url
        .trim_start_matches('<')
        .trim_end_matches(['>', ',', ';', ')']);
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (_host, path) = rest.split_once('/')?;
    let path = path.split(['#', '?']).next().unwrap_or("");
    let segment = path
        .split('/')
        .rev()
        .find(|s| !s.is_empty() && !matches!(*s, "T" | "t" | "raw" | "t.mbox.gz"))?;
    let id = percent_decode(segment);
    let id = id.trim_start_matches('<').trim_end_matches('>');
    (id.contains('@') && id.len() <= 250).then(|| id.to_string())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_change_id_and_links_in_the_forms_lists_use() {
        // Lines as they appear in linux-clk covers (2025 archive).
        let text = "\
Changes in v3:
- Reword the title
- Link to v2: https://lore.kernel.org/r/20241227-b4-linux-next-dtsi-v2-0-06fdd5a7d5bb@linaro.org

Changes in v2:
  - Link to v1:
    https://lore.kernel.org/linux-clk/20241226122023.3439559-1-rohit.visavalia@amd.com/
v1: https://lore.kernel.org/all/20181204194025.2719-1-linux.amoon@gmail.com/
  - V4: https://lore.kernel.org/all/cover.1742276963.git.viresh.kumar@linaro.org/
[v5] https://lore.kernel.org/r/not-a-label@x
See https://lore.kernel.org/r/dependency@example.org for the base.
> v6: https://lore.kernel.org/r/quoted@example.org

---
base-commit: 98e506ee7d10390b527aeddee7bbeaf667129646
change-id: 20260102-pci_gdsc_fix-1dcf08223922
";
        let links = VersionLinks::read(text, text).expect("links");
        assert_eq!(
            links.change_id.as_deref(),
            Some("20260102-pci_gdsc_fix-1dcf08223922")
        );
        assert_eq!(
            links.earlier,
            [
                "20241227-b4-linux-next-dtsi-v2-0-06fdd5a7d5bb@linaro.org",
                "20241226122023.3439559-1-rohit.visavalia@amd.com",
                "20181204194025.2719-1-linux.amoon@gmail.com",
                "cover.1742276963.git.viresh.kumar@linaro.org",
                "not-a-label@x",
            ]
        );
    }

    #[test]
    fn plain_mail_names_nothing() {
        assert_eq!(
            VersionLinks::read("Hello,\n\nlooks good to me.\n", ""),
            None
        );
        assert_eq!(
            {
                let t = "v2: https://example.org/no-message-id/\n";
                VersionLinks::read(t, t)
            },
            None
        );
        assert_eq!(
            {
                let t = "v2: see https://lore.kernel.org/r/a@b\n";
                VersionLinks::read(t, t)
            },
            None,
            "the link must follow the label"
        );
    }

    #[test]
    fn escaped_ids_are_decoded() {
        let text = "- Link to v1: https://lore.kernel.org/r/a%2Fb%40c@d\n";
        let links = VersionLinks::read(text, text);
        assert_eq!(links.expect("links").earlier, ["a/b@c@d"]);
    }
}
