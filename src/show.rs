//! `patchdeck show`: one message as a reader wants it on stdout — header summary, message,
//! trailers (with those given on the list), changelog, diffstat and diff — coloured with ANSI
//! when stdout is a terminal, plain otherwise. Every string from the mail is sanitised first.

pub mod interdiff;

use std::io::{self, Write};

use crate::index::archive::{Archive, format_address};
use crate::model::diff::FileStat;
use crate::model::message::lore_link;
use crate::model::trailer::TrailerKind;
use crate::sanitize::sanitize;

/// ANSI styles, or nothing when colour is off.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn trailer_colour(kind: TrailerKind) -> &'static str {
    match kind {
        TrailerKind::SignedOff => "32",
        TrailerKind::Reviewed => "34;1",
        TrailerKind::Acked => "36;1",
        TrailerKind::Tested => "35;1",
        TrailerKind::Fixes => "33",
        TrailerKind::Reported | TrailerKind::Suggested | TrailerKind::CoDeveloped => "33",
        TrailerKind::Link | TrailerKind::Cc | TrailerKind::Other => "2",
    }
}

pub fn write(out: &mut impl Write, archive: &Archive, idx: u32, colour: bool) -> io::Result<()> {
    let p = Paint { on: colour };
    let m = &archive.messages[idx as usize];
    let body = archive.body(idx);
    let field = |name: &str, value: &str| {
        format!("{}{}", p.wrap("1", &format!("{name:<12}")), sanitize(value))
    };
    writeln!(out, "{}", field("From:", &format_address(&m.from)))?;
    if m.author != m.from {
        writeln!(out, "{}", field("Author:", &format_address(&m.author)))?;
    }
    if let Some(d) = m.date {
        writeln!(out, "{}", field("Date:", &d.rfc2822()))?;
    }
    writeln!(out, "{}", field("Subject:", &m.subject.raw))?;
    for (name, value) in [("To:", &m.to), ("Cc:", &m.cc)] {
        if !value.is_empty() {
            writeln!(out, "{}", field(name, value))?;
        }
    }
    writeln!(out, "{}", field("Message-ID:", &format!("<{}>", m.id)))?;
    if let Some(list) = &m.list_id {
        writeln!(out, "{}", field("List-Id:", list))?;
    }
    writeln!(out, "{}", field("Link:", &lore_link(&m.id)))?;
    if let Some(line) = archive.series_line(idx) {
        writeln!(out, "{}", field("Series:", &line))?;
    }
    if let Some(url) = &m.summary.pull_url {
        writeln!(out, "{}", field("Pull:", url))?;
    }
    for w in m.warnings.iter().chain(&body.warnings) {
        writeln!(
            out,
            "{}",
            p.wrap("33", &format!("warning: {}", sanitize(w)))
        )?;
    }
    writeln!(out)?;
    let patch = &body.patch;
    for line in patch.message.trim_end().lines() {
        let clean = sanitize(line);
        if line.starts_with('>') {
            writeln!(out, "{}", p.wrap("2", &clean))?;
        } else {
            writeln!(out, "{clean}")?;
        }
    }
    if !patch.trailers.is_empty() || !archive.given_trailers(idx).is_empty() {
        writeln!(out)?;
    }
    for t in &patch.trailers {
        let key = p.wrap(trailer_colour(t.kind()), &format!("{}:", sanitize(&t.key)));
        writeln!(out, "{key} {}", sanitize(&t.value))?;
    }
    for g in archive.given_trailers(idx) {
        let key = p.wrap(
            trailer_colour(g.trailer.kind()),
            &format!("{}:", sanitize(&g.trailer.key)),
        );
        let note = p.wrap("2", "(given on the list)");
        writeln!(out, "{key} {} {note}", sanitize(&g.trailer.value))?;
    }
    if !patch.changelog.is_empty() {
        writeln!(out, "---")?;
        for line in patch.changelog.lines() {
            writeln!(out, "{}", p.wrap("2", &sanitize(line)))?;
        }
    }
    let stats = patch.file_stats();
    if !stats.is_empty() {
        writeln!(out)?;
        write_diffstat(out, &stats, &p)?;
    }
    if !patch.diff_text.is_empty() {
        writeln!(out)?;
        for (kind, line) in patch.diff_lines() {
            use crate::model::diff::DiffLineKind as K;
            let clean = sanitize(line);
            let code = match kind {
                K::FileHeader => "1",
                K::HunkHeader => "36",
                K::Added => "32",
                K::Removed => "31",
                K::NoNewline | K::Binary => "2",
                K::Context | K::Other => "",
            };
            if code.is_empty() {
                writeln!(out, "{clean}")?;
            } else {
                writeln!(out, "{}", p.wrap(code, &clean))?;
            }
        }
    }
    Ok(())
}

fn write_diffstat(out: &mut impl Write, stats: &[FileStat], p: &Paint) -> io::Result<()> {
    let width = stats
        .iter()
        .map(|f| f.path.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    let most = stats
        .iter()
        .map(|f| u64::from(f.added) + u64::from(f.removed))
        .max()
        .unwrap_or(0)
        .max(1);
    // Counts are summed in u64: two rows of u32::MAX lines are a hostile mail, not a panic.
    let bar_room = 40u64;
    for f in stats {
        let path = crate::listing::fit(&sanitize(&f.path), width);
        if f.binary {
            writeln!(out, " {path} | Bin")?;
            continue;
        }
        let changes = u64::from(f.added) + u64::from(f.removed);
        let scale = |n: u32| {
            let n = u64::from(n);
            if most <= bar_room {
                n
            } else {
                (n * bar_room).div_ceil(most)
            }
        };
        let plus = "+".repeat(scale(f.added) as usize);
        let minus = "-".repeat(scale(f.removed) as usize);
        writeln!(
            out,
            " {path} | {changes:>4} {}{}",
            p.wrap("32", &plus),
            p.wrap("31", &minus)
        )?;
    }
    let added: u64 = stats.iter().map(|f| u64::from(f.added)).sum();
    let removed: u64 = stats.iter().map(|f| u64::from(f.removed)).sum();
    let files = stats.len();
    writeln!(
        out,
        " {files} file{} changed, {added} insertion{}(+), {removed} deletion{}(-)",
        if files == 1 { "" } else { "s" },
        if added == 1 { "" } else { "s" },
        if removed == 1 { "" } else { "s" }
    )
}
