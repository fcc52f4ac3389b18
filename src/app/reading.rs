//! Reading in order, as a mutt or aerc user does from the pager: the next or previous message
//! in list order (Space at the end of one goes on to the next), the message this one answers,
//! the next answer at the same depth of the thread, the next thread, the first message not
//! read yet; and which messages were read this session.
//!
//! Every move goes through the list's cursor, so the list scrolls along and the detail
//! follows; the focus stays where it was, so reading from the detail pane stays there.

use super::layout::Pane;
use super::{Action, App};

/// Which messages were shown in the detail pane while it had the focus, this session.
#[derive(Debug, Default, Clone)]
pub struct ReadMarks {
    bits: Vec<u64>,
}

impl ReadMarks {
    pub fn mark(&mut self, msg: u32) {
        let (word, bit) = (msg as usize / 64, msg % 64);
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        if let Some(w) = self.bits.get_mut(word) {
            *w |= 1 << bit;
        }
    }

    pub fn is_read(&self, msg: u32) -> bool {
        self.bits
            .get(msg as usize / 64)
            .is_some_and(|w| w & (1 << (msg % 64)) != 0)
    }
}

/// Applies one of the reading actions; `height` is the detail pane's height in rows.
pub fn apply(app: &mut App, action: Action, height: usize) {
    let list = &app.list;
    let at = list.cursor;
    let depth = list.briefs_from(at).next().map_or(0, |r| r.depth);
    let target: Result<usize, &str> = match action {
        Action::NextMessage => (at + 1 < list.len())
            .then_some(at + 1)
            .ok_or("the last message of the list"),
        Action::PrevMessage => at.checked_sub(1).ok_or("the first message of the list"),
        Action::PageDownOrNext => {
            if !app.detail.at_end(height) {
                let page = height.saturating_sub(1).max(1);
                app.detail
                    .scroll_by(isize::try_from(page).unwrap_or(isize::MAX), height);
                return;
            }
            (at + 1 < list.len())
                .then_some(at + 1)
                .ok_or("the last message of the list")
        }
        Action::Parent => {
            let parent = list
                .selected()
                .and_then(|msg| app.archive.as_ref()?.threads().parent(msg));
            match parent {
                Some(p) => row_of(app, p),
                None => Err("this message starts its thread"),
            }
        }
        Action::NextInThread => list
            .briefs_from(at + 1)
            .take_while(|r| r.depth >= depth)
            .find(|r| r.depth == depth)
            .map(|r| r.at)
            .ok_or("no later answer at this depth"),
        Action::PrevInThread => list
            .briefs_before(at)
            .take_while(|r| r.depth >= depth)
            .find(|r| r.depth == depth)
            .map(|r| r.at)
            .ok_or("no earlier answer at this depth"),
        Action::NextThread => list
            .briefs_from(at + 1)
            .find(|r| r.depth == 0)
            .map(|r| r.at)
            .ok_or("the last thread of the list"),
        Action::PrevThread => {
            // This thread's first row, or when already there, the previous thread's.
            let head = list
                .briefs_before(at + 1)
                .find(|r| r.depth == 0)
                .map(|r| r.at);
            match head {
                Some(h) if h < at => Ok(h),
                _ => list
                    .briefs_before(at)
                    .find(|r| r.depth == 0)
                    .map(|r| r.at)
                    .ok_or("the first thread of the list"),
            }
        }
        Action::FirstUnread => list
            .briefs_from(0)
            .find(|r| !r.context && !app.read.is_read(r.msg))
            .map(|r| r.at)
            .ok_or("every message in the list is read"),
        Action::Open => match app.detail.parent_link(height) {
            Some(msg) => row_of(app, msg),
            None => return,
        },
        Action::ToggleQuotes => {
            app.detail.toggle_quotes(height);
            app.note = Some(
                match (app.detail.quotes_shown, app.detail.has_quote_folds()) {
                    (true, _) => "quoted text shown",
                    (false, true) => "long quotes folded",
                    (false, false) => "long quotes fold (none in this message)",
                }
                .into(),
            );
            return;
        }
        _ => return,
    };
    match target {
        Ok(row) => app.list.move_to(row),
        Err(note) => app.note = Some(note.into()),
    }
}

/// The row showing `msg`; a ranked filter may have left it out.
fn row_of(app: &App, msg: u32) -> Result<usize, &'static str> {
    app.list
        .position(msg)
        .ok_or("the message it answers is not in the list (filtered out)")
}

/// Marks the message the detail shows as read when the detail pane has the focus.
pub fn mark_shown(app: &mut App) {
    let reading = app.focus == Pane::Detail || app.zoom == Some(Pane::Detail);
    let shown = app.detail.doc().map(|d| d.msg);
    if reading
        && app.detail.pending.is_none()
        && let Some(msg) = shown
        && app.list.selected() == Some(msg)
    {
        app.read.mark(msg);
    }
}

#[cfg(test)]
mod tests {
    use super::ReadMarks;

    #[test]
    fn read_marks_remember_each_message() {
        let mut read = ReadMarks::default();
        assert!(!read.is_read(0));
        read.mark(0);
        read.mark(130);
        assert!(read.is_read(0) && read.is_read(130));
        assert!(!read.is_read(1) && !read.is_read(129) && !read.is_read(10_000));
    }
}
