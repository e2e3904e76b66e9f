//! The footer: the status message when there is one, else the key hints of the
//! current context (read from the keymap table).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::app::{App, Level, LoadState};
use crate::tui::keymap::Context;

pub fn render(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    if let Some(status) = &app.status {
        let (mark, style) = match status.level {
            Level::Info => ("✓", theme.ok()),
            Level::Warn => ("!", theme.warn()),
            Level::Error => ("✗", theme.error()),
        };
        Line::from(vec![Span::styled(format!(" {mark} "), style), Span::styled(status.text.clone(), style)])
            .render(area, buf);
        return;
    }
    let hints: Vec<(String, &str)> = if app.report.is_none() {
        let mut hints = vec![(app.keymap.keys_for("quit"), "quit")];
        if matches!(app.load, LoadState::Failed(_)) {
            hints.insert(0, (app.keymap.keys_for("refresh"), "retry"));
        }
        hints
    } else {
        let mut hints = app.keymap.hints(app.context());
        if matches!(app.context(), Context::Detail | Context::Findings) {
            hints.insert(0, (app.keymap.keys_for("back"), "back"));
        }
        hints
    };
    let mut spans = vec![Span::raw(" ")];
    for (keys, label) in hints {
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    if app.context() == Context::Search {
        spans.push(Span::styled("type to search", theme.dim()));
    }
    Line::from(spans).render(area, buf);
}
