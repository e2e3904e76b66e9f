//! The `?` overlay, generated from the keymap table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::widgets::popup;

fn popup_rect(area: Rect) -> Rect {
    popup::centered(area, area.width.saturating_sub(4).min(90), area.height.saturating_sub(2))
}

fn inner(app: &App) -> Rect {
    let rect = popup_rect(Rect::new(0, 0, app.width, app.height));
    Rect { x: rect.x + 1, y: rect.y + 1, width: rect.width.saturating_sub(2), height: rect.height.saturating_sub(2) }
}

fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let show_names = inner(app).width >= 84;
    let mut lines = vec![
        Line::styled("tierwise only reads: every action is a command for you to review and run.", theme.dim()),
        Line::styled("Rebind keys in tierwise.toml: [tui.keys] refresh = \"ctrl-r\".", theme.dim()),
    ];
    for (title, rows) in app.keymap.help_sections() {
        lines.push(Line::default());
        lines.push(Line::styled(title.clone(), theme.title()));
        for (keys, help, name) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<18} "), theme.key()),
                Span::raw(help.to_string()),
                Span::styled(if show_names { format!("  [{name}]") } else { String::new() }, theme.dim()),
            ]));
        }
        if title == crate::tui::keymap::Context::Search.title() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18} ", "any other key"), theme.key()),
                Span::raw("types into the search (matches as you type)"),
            ]));
        }
    }
    lines
}

pub fn page_rows(app: &App) -> usize {
    inner(app).height.max(1) as usize
}

pub fn max_scroll(app: &App) -> usize {
    lines(app).len().saturating_sub(inner(app).height as usize)
}

pub fn render(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let rect = popup_rect(area);
    let bottom = Line::from(vec![
        Span::styled(" j/k", theme.key()),
        Span::raw(" scroll  "),
        Span::styled(app.keymap.keys_for("back"), theme.key()),
        Span::raw(" close "),
    ])
    .right_aligned();
    let inner = popup::frame(rect, buf, "Keys", Some(bottom), theme);
    let lines = lines(app);
    let scroll = app.overlay_scroll.min(lines.len().saturating_sub(inner.height as usize));
    Paragraph::new(lines.into_iter().skip(scroll).collect::<Vec<_>>()).render(inner, buf);
}
