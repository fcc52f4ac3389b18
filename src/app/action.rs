//! Every user intent, as one documented enum.
//!
//! Keys, mouse clicks and the help overlay all speak in [`Action`]s: the key map
//! (`assets/keys.toml`) binds key names to action names, `update` interprets them against the
//! focused pane, and the `?` overlay lists each binding with the first line of the variant's doc
//! comment, so the help can never drift from what the keys do. The `actions!` macro keeps name,
//! doc and variant in one place.

/// Declares [`Action`] with a stable snake_case name per bindable variant (what `keys.toml`
/// says) and makes each variant's first doc line available as its help text.
macro_rules! actions {
    ($( $(#[doc = $doc:literal])+ $variant:ident => $name:literal, )+) => {
        /// What the user asked for. Movement actions act on the focused pane.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $( $(#[doc = $doc])+ $variant, )+
            /// A character typed into the filter bar or the search prompt; not bindable.
            Input(char),
        }

        impl Action {
            /// Every action a key can be bound to, in the order the help overlay lists them.
            pub const BINDABLE: &[Action] = &[$(Action::$variant),+];

            /// The name `keys.toml` uses for this action.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)+
                    Action::Input(_) => "input",
                }
            }

            /// One line saying what the action does: the first line of its doc comment.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Action::$variant => [$($doc),+][0].trim(),)+
                    Action::Input(_) => "type into the prompt",
                }
            }
        }
    };
}

actions! {
    /// Quit patchdeck.
    Quit => "quit",
    /// Show or hide this help.
    Help => "help",
    /// Focus the next pane (list, detail, diffstat).
    FocusNextPane => "focus_next_pane",
    /// Focus the previous pane.
    FocusPrevPane => "focus_prev_pane",
    /// Zoom the focused pane to the whole screen, or back.
    Zoom => "zoom",
    /// Back to the list.
    Back => "back",
    /// Down one row; in the detail, scroll down one line.
    SelectNext => "select_next",
    /// Up one row; in the detail, scroll up one line.
    SelectPrev => "select_prev",
    /// Down one page.
    PageDown => "page_down",
    /// Up one page.
    PageUp => "page_up",
    /// Down half a page.
    HalfPageDown => "half_page_down",
    /// Up half a page.
    HalfPageUp => "half_page_up",
    /// Go to the first row or line.
    First => "first",
    /// Go to the last row or line.
    Last => "last",
    /// Open: read the message (list), jump to the file's diff (diffstat), go to the message
    /// the In-Reply-To line names (detail).
    Open => "open",
    /// Filter the list: type a query, Enter keeps it, Esc clears it.
    StartFilter => "start_filter",
    /// Clear the filter and show every message again.
    ClearFilter => "clear_filter",
    /// Fold or unfold the series under the cursor.
    ToggleFold => "toggle_fold",
    /// Fold or unfold every series.
    ToggleFoldAll => "toggle_fold_all",
    /// Sort by the next key: date, author, subject, series.
    SortNext => "sort_next",
    /// Reverse the sort order (newest first or oldest first).
    ReverseSort => "reverse_sort",
    /// While filtering, order the list by match score or by the sort key.
    ToggleScoreOrder => "toggle_score_order",
    /// Read the next message in list order.
    NextMessage => "next_message",
    /// Read the previous message in list order.
    PrevMessage => "prev_message",
    /// Page down; at the end of the message, read the next one (as mutt's pager does).
    PageDownOrNext => "page_down_or_next",
    /// Read the message this one answers.
    Parent => "parent",
    /// Read the next message at this depth of the thread, past the replies to this one.
    NextInThread => "next_in_thread",
    /// Read the previous message at this depth of the thread.
    PrevInThread => "prev_in_thread",
    /// Go to the first message of the next thread.
    NextThread => "next_thread",
    /// Go to the first message of this thread, or of the previous one.
    PrevThread => "prev_thread",
    /// Read the first message not read yet, in list order.
    FirstUnread => "first_unread",
    /// Fold or unfold long runs of quoted text in replies.
    ToggleQuotes => "toggle_quotes",
    /// Scroll the detail left.
    ScrollLeft => "scroll_left",
    /// Scroll the detail right.
    ScrollRight => "scroll_right",
    /// Jump to the next file of the diff.
    NextFile => "next_file",
    /// Jump to the previous file of the diff.
    PrevFile => "prev_file",
    /// Jump to the next hunk of the diff.
    NextHunk => "next_hunk",
    /// Jump to the previous hunk of the diff.
    PrevHunk => "prev_hunk",
    /// Search the message shown in the detail.
    SearchDetail => "search_detail",
    /// Jump to the next search match.
    SearchNext => "search_next",
    /// Jump to the previous search match.
    SearchPrev => "search_prev",
    /// Keep what was typed and leave the prompt.
    PromptAccept => "prompt_accept",
    /// Leave the prompt; in the filter bar this also clears the filter.
    PromptCancel => "prompt_cancel",
    /// Delete the character before the cursor.
    PromptBackspace => "prompt_backspace",
    /// Delete the word before the cursor.
    PromptDeleteWord => "prompt_delete_word",
    /// Delete everything typed.
    PromptClear => "prompt_clear",
    /// Mark or unmark the selected message and move to the next.
    ToggleMark => "toggle_mark",
    /// Mark or unmark the patches of the selected message's series.
    MarkSeries => "mark_series",
    /// Unmark every message.
    ClearMarks => "clear_marks",
    /// Write marked (else selected) patches as an mbox for git am.
    ///
    /// A cover letter or a reply stands for its series' patches.
    Export => "export",
    /// Pipe marked (else selected) messages to a command: git am -3.
    Pipe => "pipe",
    /// Read marked (else selected) messages in $PAGER.
    OpenPager => "open_pager",
    /// Open a copy of marked (else selected) messages in $EDITOR.
    OpenEditor => "open_editor",
    /// Copy the Message-ID to the clipboard (OSC 52).
    CopyId => "copy_id",
    /// Copy the lore.kernel.org link to the clipboard (OSC 52).
    CopyLink => "copy_link",
    /// Go to the previous version of the selected series.
    PrevVersion => "prev_version",
    /// Go to the next version of the selected series.
    NextVersion => "next_version",
    /// Show what changed since the previous version (the interdiff), or the message again.
    ToggleInterdiff => "toggle_interdiff",
}

impl Action {
    /// The bindable action called `name` in the key map.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::BINDABLE.iter().copied().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &action in Action::BINDABLE {
            assert!(
                seen.insert(action.name()),
                "duplicate name {}",
                action.name()
            );
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::from_name("input"), None);
    }

    #[test]
    fn summaries_are_the_first_doc_line() {
        assert_eq!(Action::Quit.summary(), "Quit patchdeck.");
        assert_eq!(
            Action::SelectNext.summary(),
            "Down one row; in the detail, scroll down one line."
        );
        assert!(Action::BINDABLE.iter().all(|a| !a.summary().is_empty()));
    }
}
