//! While the report loads: one progress line per source (demo, snapshot, and later
//! each live collector). If loading fails and there is nothing to show: the error.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::{App, LoadState};
use crate::tui::widgets::popup;
use crate::tui::widgets::text::wrap;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render_progress(body: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let progress: &[(String, String)] = match &app.load {
        LoadState::Loading { progress } => progress,
        _ => &[],
    };
    let rect = popup::centered(body, 70, (progress.len() as u16 + 5).max(7));
    let inner = popup::frame(rect, buf, "Loading", None, theme);
    let spinner = SPINNER[(app.tick % SPINNER.len() as u64) as usize];
    let mut lines =
        vec![Line::from(vec![Span::styled(format!(" {spinner} "), theme.key()), Span::raw(app.source_label.clone())])];
    lines.push(Line::default());
    let source_width = progress.iter().map(|(s, _)| s.chars().count()).max().unwrap_or(0).min(16);
    for (source, status) in progress {
        let (mark, style) = if status.ends_with('…') {
            (spinner, theme.key())
        } else if status.starts_with("failed") {
            ("✗", theme.error())
        } else if status.starts_with("partial") {
            ("!", theme.warn())
        } else {
            ("✓", theme.ok())
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} "), style),
            Span::styled(format!("{source:<source_width$}  "), theme.bold()),
            Span::raw(status.clone()),
        ]));
    }
    if progress.is_empty() {
        lines.push(Line::styled("   starting…", theme.dim()));
    }
    Paragraph::new(lines).render(inner, buf);
}

pub fn render_failed(body: Rect, buf: &mut Buffer, app: &App, message: &str) {
    let theme = &app.theme;
    let width = body.width.saturating_sub(4).min(90);
    let text = wrap(message, width.saturating_sub(4) as usize);
    let rect = popup::centered(body, width, text.len() as u16 + 8);
    let inner = popup::frame(rect, buf, "Could not load the report", None, theme);
    let mut lines = vec![Line::styled(format!(" {}", app.source_label), theme.dim()), Line::default()];
    lines.extend(text.into_iter().map(|l| Line::styled(format!(" {l}"), theme.error())));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled(app.keymap.keys_for("refresh"), theme.key()),
        Span::raw(" retry   "),
        Span::styled(app.keymap.keys_for("quit"), theme.key()),
        Span::raw(" quit"),
    ]));
    lines.push(Line::from(vec![
        Span::raw(" in a script, "),
        Span::styled("tierwise report --format md", theme.bold()),
        Span::raw(" shows the same error"),
    ]));
    Paragraph::new(lines).render(inner, buf);
}
