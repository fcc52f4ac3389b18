//! The config file from a user's side: a rebound key changes what the key does and what the
//! help overlay lists, colours reach the screen, and a broken file stops the program with
//! exit code 2 and the line of the mistake.

use std::borrow::Cow;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use patchdeck::app::{App, ArchiveView, Event, Loaded, Settings, keyseq, update};
use patchdeck::config::{Config, DEFAULT_CONFIG};
use patchdeck::index::archive::Archive;
use patchdeck::source::Input;
use patchdeck::ui::help::help_lines;
use patchdeck::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

fn archive() -> Arc<Archive> {
    let mail = |id: &str, day: u32, subject: &str| {
        format!(
            "From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Ada Lovelace <ada@example.org>\n\
             Date: {day} Oct 2020 10:00:00 +0000\nSubject: {subject}\nMessage-ID: <{id}>\n\n\
             Text.\n"
        )
    };
    let text = [
        mail("a@x", 19, "[PATCH v2] clk: one"),
        mail("b@x", 20, "[PATCH v2] clk: two"),
        mail("c@x", 21, "[PATCH v2] clk: three"),
    ]
    .concat();
    let input = Input::Bytes {
        label: "t.mbox".into(),
        bytes: Cow::Owned(text.into_bytes()),
    };
    Arc::new(Archive::load(&[input], &|_| {}).unwrap())
}

/// The reader as `patchdeck` starts it with `config`.
fn reader(config: &Config, color: bool) -> App {
    let settings = Settings {
        color,
        ..config.reader.clone()
    };
    let mut app = App::new(settings, Rect::new(0, 0, 120, 20), "t.mbox".into());
    let view: Arc<dyn ArchiveView> = archive();
    update(
        &mut app,
        Event::Loaded(Ok(Loaded {
            archive: view,
            label: "t.mbox".into(),
            warnings: Vec::new(),
            order: None,
        })),
    );
    app
}

fn keys(app: &mut App, sequence: &str) {
    for key in keyseq::parse(sequence).unwrap() {
        update(app, Event::Key(key));
    }
}

fn help_text(app: &App) -> Vec<String> {
    help_lines(&app.keymap, Theme::new(false))
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn a_rebound_key_changes_behaviour_and_the_help() {
    let config = Config::parse(
        "[keys.list]\nx = \"toggle_mark\"\nj = \"last\"\n",
        "config.toml",
    )
    .unwrap();
    let mut app = reader(&config, false);
    let first = app.list.selected();
    keys(&mut app, "x");
    assert_eq!(app.act.marks.len(), 1, "x marks now");
    assert_eq!(app.act.marks.first().copied(), first);
    keys(&mut app, "g j");
    assert_eq!(
        app.list.cursor,
        app.list.len() - 1,
        "j goes to the end in the list"
    );
    keys(&mut app, "<tab> j");
    assert!(
        app.detail.top <= 1,
        "j still scrolls by a line in the detail"
    );

    let help = help_text(&app);
    let mark = "Mark or unmark the selected message and move to the next.";
    assert!(
        help.iter()
            .any(|l| l.trim_start().starts_with("x Space") && l.ends_with(mark)),
        "{help:#?}"
    );
    assert!(
        help.iter()
            .any(|l| l.trim_start().starts_with("j ") && l.ends_with("Go to the last row or line.")),
        "{help:#?}"
    );
}

#[test]
fn the_defaults_bind_every_acting_action() {
    let app = reader(&Config::builtin(), false);
    let help = help_text(&app).join("\n");
    for action in [
        "toggle_mark",
        "mark_series",
        "clear_marks",
        "export",
        "pipe",
        "open_pager",
        "open_editor",
        "copy_id",
        "copy_link",
    ] {
        let action = patchdeck::app::Action::from_name(action).unwrap();
        assert!(
            help.contains(action.summary()),
            "{} not bound",
            action.name()
        );
    }
}

#[test]
fn configured_colours_and_sort_reach_the_screen() {
    let config = Config::parse(
        "[colors]\nauthor = \"#ff8800\"\n[list]\nsort = \"subject\"\n",
        "config.toml",
    )
    .unwrap();
    let app = reader(&config, true);
    let area = Rect::new(0, 0, 120, 20);
    let mut buf = Buffer::empty(area);
    patchdeck::ui::render(&app, area, &mut buf);
    let row: String = (0..area.width).map(|x| buf[(x, 1)].symbol()).collect();
    let at = row.find("Ada Lovelace").expect("author on the first row");
    let column = u16::try_from(row[..at].chars().count()).unwrap();
    assert_eq!(buf[(column, 1)].fg, Color::Rgb(0xff, 0x88, 0x00));
    assert!(
        row.contains("clk: one"),
        "subject order puts `one` first: {row}"
    );

    let plain = reader(&config, false);
    let mut buf = Buffer::empty(area);
    patchdeck::ui::render(&plain, area, &mut buf);
    assert_eq!(
        buf[(column, 1)].fg,
        Color::Reset,
        "no colour when colours are off"
    );
}

fn patchdeck(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_patchdeck"));
    command.args(args).env_remove("XDG_CONFIG_HOME");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[test]
fn a_broken_config_exits_2_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(
        &file,
        "# my keys\n[keys.list]\nj = \"select_next\"\nk = \"selct_next\"\n",
    )
    .unwrap();
    let out = patchdeck(&["--config", file.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "patchdeck: {}:4: unknown action \"selct_next\" (did you mean \"select_next\"?)",
            file.display()
        )
    );

    // The same from the XDG location, found without --config.
    let xdg = dir.path().join("xdg");
    std::fs::create_dir_all(xdg.join("patchdeck")).unwrap();
    std::fs::write(
        xdg.join("patchdeck/config.toml"),
        "[list]\ncolumns = [\"date\", \"title\", \"sender\"]\n",
    )
    .unwrap();
    let out = patchdeck(&[], &[("XDG_CONFIG_HOME", &xdg)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("patchdeck/config.toml:2: unknown column \"sender\""),
        "{stderr}"
    );

    let out = patchdeck(&["--config", "/nonexistent/patchdeck.toml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/patchdeck.toml"));
}

#[test]
fn print_default_config_prints_the_shipped_file() {
    let out = patchdeck(&["--print-default-config"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), DEFAULT_CONFIG);
    assert!(Config::parse(DEFAULT_CONFIG, "default").is_ok());
}

/// The text of list row `y` (screen row `y + 1`, below the title bar).
fn list_row(app: &App, y: u16) -> String {
    let area = Rect::new(0, 0, 120, 20);
    let mut buf = Buffer::empty(area);
    patchdeck::ui::render(app, area, &mut buf);
    (0..area.width)
        .map(|x| buf[(x, y + 1)].symbol())
        .collect::<String>()
}

#[test]
fn list_columns_follow_the_config() {
    let default = reader(&Config::builtin(), false);
    let row = list_row(&default, 0);
    assert!(
        row.starts_with("▶ 2020-10-21 Ada Lovelace           v2 clk: three "),
        "{row:?}"
    );

    let config = Config::parse(
        "[list]\ncolumns = [\"tags\", \"title\", \"date\"]\n",
        "config.toml",
    )
    .unwrap();
    let app = reader(&config, false);
    let row = list_row(&app, 0);
    assert!(!row.contains("Ada"), "author left out: {row:?}");
    assert!(row.starts_with("▶   v2 clk: three "), "{row:?}");
    assert!(
        row.trim_end().ends_with("2020-10-21"),
        "date at the right: {row:?}"
    );
}
