//! Synthetic archives as mbox files, for the load and reader benchmarks: each generated message
//! written as a kernel list delivers it (lore's `From mboxrd@z` separator, the headers git
//! send-email and the list add, threading by In-Reply-To/References), patches with a commit
//! message, trailers, a diffstat and a diff that agrees with it.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

use patchdeck::model::diff::FileStat;
use patchdeck::model::message::Kind;

use super::{BODY_OPENINGS, BODY_REASONS, REPLY_LINES, SynthDoc, XorShift, generate};

/// The mbox of `generate(n, 1)`, written once into the temporary folder and reused.
#[allow(dead_code)] // by the benchmarks
pub fn mbox_file(n: usize) -> io::Result<PathBuf> {
    let path = std::env::temp_dir().join(format!("patchdeck-synth-{n}.mbox"));
    if path.exists() {
        return Ok(path);
    }
    let partial = path.with_extension("partial");
    let mut out = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial)?);
    write_mbox(&generate(n, 1), &mut out)?;
    out.into_inner().map_err(io::IntoInnerError::into_error)?;
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// Writes `docs` as one mboxrd archive.
pub fn write_mbox(docs: &[SynthDoc], out: &mut impl Write) -> io::Result<()> {
    let mut mail = String::with_capacity(4096);
    for (index, doc) in docs.iter().enumerate() {
        mail.clear();
        write_message(docs, index, doc, &mut mail);
        out.write_all(mail.as_bytes())?;
    }
    Ok(())
}

fn write_message(docs: &[SynthDoc], index: usize, doc: &SynthDoc, mail: &mut String) {
    let mut rng = XorShift::new(index as u64 ^ 0x5EED);
    let _ = writeln!(mail, "From mboxrd@z Thu Jan  1 00:00:00 1970");
    let author = &doc.author;
    if author.name.is_empty() {
        let _ = writeln!(mail, "From: {}", author.email);
    } else {
        let _ = writeln!(mail, "From: {} <{}>", author.name, author.email);
    }
    if let Some(list) = &doc.list_id {
        let _ = writeln!(mail, "To: {}", list.replacen('.', "@", 1));
    }
    let _ = writeln!(mail, "Subject: {}", doc.subject);
    if let Some(date) = doc.date {
        let _ = writeln!(mail, "Date: {}", rfc2822(date));
    }
    let _ = writeln!(mail, "Message-ID: <{}>", doc.message_id);
    let id = |i: usize| docs.get(i).map_or("", |d| d.message_id.as_str());
    if let Some(parent) = doc.in_reply_to {
        let _ = writeln!(mail, "In-Reply-To: <{}>", id(parent));
        match doc.thread_root.filter(|&root| root != parent) {
            Some(root) => {
                let _ = writeln!(mail, "References: <{}> <{}>", id(root), id(parent));
            }
            None => {
                let _ = writeln!(mail, "References: <{}>", id(parent));
            }
        }
    }
    if let Some(list) = &doc.list_id {
        let _ = writeln!(mail, "List-Id: <{list}>");
    }
    mail.push('\n');
    match doc.kind {
        Kind::Reply => {
            let parent = doc.in_reply_to.and_then(|p| docs.get(p));
            let who = parent.map_or("someone", |p| p.author.display_name());
            let _ = writeln!(mail, "On {who} wrote:\n> {}\n", doc.title);
            let _ = writeln!(mail, "{}\n", rng.pick(REPLY_LINES));
            trailers(doc, mail);
        }
        Kind::Pull => {
            let _ = write!(
                mail,
                "The following changes since commit {:040x}:\n\n  Linux {}\n\n\
                 are available in the Git repository at:\n\n  \
                 git://git.kernel.org/pub/scm/linux/kernel/git/{}/linux.git tags/for-linus\n\n\
                 for you to fetch changes up to {:040x}:\n\n",
                rng.next_u64(),
                doc.title.rsplit(' ').next().unwrap_or(""),
                doc.author.email.split('@').next().unwrap_or("x"),
                rng.next_u64(),
            );
        }
        Kind::Cover => {
            let _ = writeln!(
                mail,
                "{} {} so that {}.\n",
                rng.pick(BODY_OPENINGS),
                doc.title.to_lowercase(),
                rng.pick(BODY_REASONS)
            );
            trailers(doc, mail);
        }
        Kind::Patch | Kind::Other => {
            let _ = writeln!(
                mail,
                "{} {} so that {}.\n",
                rng.pick(BODY_OPENINGS),
                doc.title.to_lowercase(),
                rng.pick(BODY_REASONS)
            );
            trailers(doc, mail);
            diff(doc, mail);
        }
    }
    // The blank line that separates messages in an mbox.
    mail.push('\n');
}

fn trailers(doc: &SynthDoc, mail: &mut String) {
    for t in &doc.trailers {
        let _ = writeln!(mail, "{}: {}", t.key, t.value);
    }
}

/// `---`, the diffstat, then a diff whose hunks add and remove what the diffstat says.
fn diff(doc: &SynthDoc, mail: &mut String) {
    if doc.files.is_empty() {
        return;
    }
    mail.push_str("---\n");
    let (mut added, mut removed) = (0, 0);
    // The generator counts every file's lines.
    let counts = |f: &FileStat| (f.added().unwrap_or(0), f.removed().unwrap_or(0));
    for f in &doc.files {
        let (a, r) = counts(f);
        let _ = writeln!(
            mail,
            " {} | {} {}{}",
            f.path,
            a + r,
            "+".repeat(a.min(40) as usize),
            "-".repeat(r.min(20) as usize)
        );
        added += a;
        removed += r;
    }
    let _ = writeln!(
        mail,
        " {} file{} changed, {added} insertions(+), {removed} deletions(-)\n",
        doc.files.len(),
        if doc.files.len() == 1 { "" } else { "s" }
    );
    for f in &doc.files {
        let (a, r) = counts(f);
        let _ = writeln!(
            mail,
            "diff --git a/{0} b/{0}\n--- a/{0}\n+++ b/{0}\n@@ -1,{1} +1,{2} @@",
            f.path, r, a
        );
        for i in 0..r {
            let _ = writeln!(mail, "-\tret = {i};");
        }
        for i in 0..a {
            let _ = writeln!(mail, "+\terr = {i};");
        }
    }
    mail.push_str("-- \n2.47.0\n");
}

/// `Tue, 1 Jan 2019 00:00:00 +0000`.
fn rfc2822(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day} {} {year} {:02}:{:02}:{:02} +0000",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::rfc2822;

    #[test]
    fn dates_are_rfc2822() {
        assert_eq!(rfc2822(0), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc2822(1_546_300_800), "Tue, 1 Jan 2019 00:00:00 +0000");
        assert_eq!(rfc2822(1_709_210_096), "Thu, 29 Feb 2024 12:34:56 +0000");
    }
}
