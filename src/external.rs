//! Running the user's own programs on a message: a pipe command, `$PAGER` and `$EDITOR`.
//!
//! These functions build the [`Command`] and run it to the end, with the terminal inherited;
//! the reader calls them between handing the terminal over and taking it back. Two rules keep
//! hostile mail from becoming shell code: a pipe command is given to `sh -c` exactly as the
//! user typed it, and the mail only ever travels on its stdin; a pager or editor setting (which
//! may hold arguments, `less -FRX`, `code --wait`) runs as `sh -c '<value> "$1"' sh <file>`,
//! so the file path is an argument and never part of the command string. The editor works on
//! a temporary copy, so nothing the user types can reach the archive.

use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// The pager when `$PAGER` is unset: `-R` lets the ANSI colours through.
pub const DEFAULT_PAGER: &str = "less -R";
/// The editor when neither `$VISUAL` nor `$EDITOR` is set.
pub const DEFAULT_EDITOR: &str = "vi";

/// The first of `names` that is set to a non-empty value, through `lookup` (the environment,
/// or a table in tests), else `default`.
pub fn program_from(
    lookup: impl Fn(&str) -> Option<String>,
    names: &[&str],
    default: &str,
) -> String {
    names
        .iter()
        .filter_map(|name| lookup(name))
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The pager to run: `$PAGER`, else [`DEFAULT_PAGER`].
pub fn pager_program() -> String {
    program_from(env_lookup, &["PAGER"], DEFAULT_PAGER)
}

/// The editor to run: `$VISUAL`, then `$EDITOR`, else [`DEFAULT_EDITOR`].
pub fn editor_program() -> String {
    program_from(env_lookup, &["VISUAL", "EDITOR"], DEFAULT_EDITOR)
}

/// `sh -c <command line>` with a piped stdin, for [`run_pipe`].
pub fn pipe_command(command_line: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(command_line).stdin(Stdio::piped());
    command
}

/// `sh -c '<program> "$1"' sh <file>`: runs a `$PAGER`/`$EDITOR` value, arguments and all, on
/// `file` without ever splicing the path into the shell's command string.
pub fn file_command(program: &str, file: &Path) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{program} \"$1\""))
        .arg("sh")
        .arg(file);
    command
}

/// Runs `command_line` through `sh -c` with `input` on its stdin and waits for it.
///
/// A command that exits without reading all of its input (`true`, `head -1`) is not an error:
/// the broken pipe is expected, and the exit status says how it went.
pub fn run_pipe(command_line: &str, input: &[u8]) -> io::Result<ExitStatus> {
    let mut child = pipe_command(command_line).spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(input) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                drop(stdin);
                // The child may be waiting on its stdin; reap it so no zombie is left.
                let _ = child.wait();
                return Err(e);
            }
        }
        // Dropping stdin closes it, so the command sees the end of its input.
    }
    child.wait()
}

/// Shows `text` (a rendered message, ANSI colours included) in `program`, waiting until the
/// user leaves it. `LESS=R` is set when `$LESS` is unset, as git does, so a bare `less` shows
/// colours rather than escape codes.
pub fn run_pager(program: &str, text: &[u8]) -> io::Result<ExitStatus> {
    let copy = TempCopy::new("patch", text)?;
    let mut command = file_command(program, copy.path());
    keys_from_terminal(&mut command);
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "R");
    }
    command.status()
}

/// Gives an interactive program the terminal as its stdin when patchdeck's own stdin is not
/// one (the archive was piped in: `git format-patch --stdout | patchdeck -`), so an editor
/// reads keys, not the end of that pipe.
fn keys_from_terminal(command: &mut Command) {
    if io::stdin().is_terminal() {
        return;
    }
    if let Ok(tty) = File::open("/dev/tty") {
        command.stdin(tty);
    }
}

/// What became of an editor session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditOutcome {
    pub status: ExitStatus,
    /// The user changed the temporary copy; those changes are thrown away with it.
    pub changed: bool,
}

/// Opens a temporary copy of `raw` (a message's original bytes) in `program` and waits; the
/// copy is deleted afterwards, so the archive is never written.
pub fn run_editor(program: &str, raw: &[u8]) -> io::Result<EditOutcome> {
    let copy = TempCopy::new("eml", raw)?;
    let mut command = file_command(program, copy.path());
    keys_from_terminal(&mut command);
    let status = command.status()?;
    let changed = copy.read_back().map_or(true, |now| now != raw);
    Ok(EditOutcome { status, changed })
}

/// `exited 0`, `exited 128`, `killed by signal 9`: an exit status as a note can say it.
pub fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    "ended".to_string()
}

/// After a pipe command, with the terminal still handed over: says how it ended (`how`, as
/// [`describe`] puts it) and waits
/// for Enter on the terminal, so its output can be read before the reader draws over it.
/// Without a terminal to ask (`/dev/tty` unreadable) it returns at once.
pub fn wait_for_enter(command_line: &str, how: &str) -> io::Result<()> {
    let Ok(mut tty) = OpenOptions::new().read(true).write(true).open("/dev/tty") else {
        return Ok(());
    };
    let name = crate::sanitize::sanitize(command_line);
    write!(tty, "\n[patchdeck] `{name}` {how}. Press Enter to return.")?;
    tty.flush()?;
    let mut byte = [0u8; 1];
    loop {
        match tty.read(&mut byte) {
            Ok(0) => return Ok(()),
            Ok(_) if byte[0] == b'\n' || byte[0] == b'\r' => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A private file in the temporary directory holding a copy of some bytes, deleted on drop.
pub struct TempCopy {
    path: PathBuf,
}

impl TempCopy {
    /// Writes `bytes` to a new file named `patchdeck-<pid>-<n>.<extension>`, readable only by
    /// the user (mail may be private).
    pub fn new(extension: &str, bytes: &[u8]) -> io::Result<TempCopy> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir();
        let pid = std::process::id();
        let mut attempts = 0;
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("patchdeck-{pid}-{n}.{extension}"));
            match create_private(&path) {
                Ok(mut file) => {
                    let copy = TempCopy { path };
                    file.write_all(bytes)?;
                    file.sync_all()?;
                    return Ok(copy);
                }
                // A file left by an earlier process with the same pid: try the next name.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {
                    attempts += 1;
                }
                Err(e) => {
                    return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display())));
                }
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's bytes now.
    pub fn read_back(&self) -> io::Result<Vec<u8>> {
        fs::read(&self.path)
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    fn table<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn visual_wins_over_editor_and_empty_values_are_unset() {
        let names = ["VISUAL", "EDITOR"];
        assert_eq!(
            program_from(
                table(&[("EDITOR", "nano"), ("VISUAL", "code --wait")]),
                &names,
                "vi"
            ),
            "code --wait"
        );
        assert_eq!(
            program_from(table(&[("EDITOR", "nano"), ("VISUAL", "")]), &names, "vi"),
            "nano"
        );
        assert_eq!(program_from(table(&[("EDITOR", "  ")]), &names, "vi"), "vi");
        assert_eq!(
            program_from(table(&[]), &["PAGER"], DEFAULT_PAGER),
            "less -R"
        );
    }

    #[test]
    fn file_path_is_an_argument_not_shell_text() {
        let path = Path::new("/tmp/x $(reboot) 'y\".eml");
        let command = file_command("less -FRX", path);
        let args: Vec<&OsStr> = command.get_args().collect();
        assert_eq!(command.get_program(), "sh");
        assert_eq!(
            args,
            [
                OsStr::new("-c"),
                OsStr::new("less -FRX \"$1\""),
                OsStr::new("sh"),
                path.as_os_str()
            ]
        );
    }

    #[test]
    fn pipe_command_is_the_typed_line() {
        let command = pipe_command("git am -3");
        let args: Vec<&OsStr> = command.get_args().collect();
        assert_eq!(args, [OsStr::new("-c"), OsStr::new("git am -3")]);
    }

    #[test]
    fn temp_copies_are_private_and_removed() {
        let copy = TempCopy::new("eml", b"From: a\n\nbody\n").unwrap();
        let path = copy.path().to_path_buf();
        assert_eq!(copy.read_back().unwrap(), b"From: a\n\nbody\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(copy);
        assert!(!path.exists());
    }

    #[test]
    fn statuses_read_as_notes() {
        let ok = Command::new("sh").args(["-c", "exit 0"]).status().unwrap();
        let bad = Command::new("sh").args(["-c", "exit 3"]).status().unwrap();
        let killed = Command::new("sh")
            .args(["-c", "kill -9 $$"])
            .status()
            .unwrap();
        assert_eq!(describe(ok), "exited 0");
        assert_eq!(describe(bad), "exited 3");
        assert_eq!(describe(killed), "killed by signal 9");
    }
}
