//! The `w` overlay: the report's warnings (collectors that failed, frames missing,
//! rules that lacked data).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::widgets::popup;
use crate::tui::widgets::text::wrap;

fn popup_rect(area: Rect) -> Rect {
    popup::centered(area, area.width.saturating_sub(4).min(110), area.height.saturating_sub(2))
}

fn inner(app: &App) -> Rect {
    let rect = popup_rect(Rect::new(0, 0, app.width, app.height));
    Rect { x: rect.x + 1, y: rect.y + 1, width: rect.width.saturating_sub(2), height: rect.height.saturating_sub(2) }
}

fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some(report) = &app.report else { return Vec::new() };
    if report.warnings.is_empty() {
        return vec![Line::styled("No warnings: every collector and rule had the data it needed.", theme.ok())];
    }
    let mut lines = Vec::new();
    for w in &report.warnings {
        let text = wrap(&w.message, width.saturating_sub(4));
        lines.push(Line::from(vec![Span::styled("! ", theme.warn()), Span::styled(w.source.clone(), theme.bold())]));
        lines.extend(text.into_iter().map(|l| Line::raw(format!("  {l}"))));
    }
    lines
}

pub fn page_rows(app: &App) -> usize {
    inner(app).height.max(1) as usize
}

pub fn max_scroll(app: &App) -> usize {
    let inner = inner(app);
    lines(app, inner.width as usize).len().saturating_sub(inner.height as usize)
}

pub fn render(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let n = app.report.as_ref().map_or(0, |r| r.warnings.len());
    let rect = popup_rect(area);
    let bottom =
        Line::from(vec![Span::styled(format!(" {} ", app.keymap.keys_for("back")), theme.key()), Span::raw("close ")])
            .right_aligned();
    let inner = popup::frame(rect, buf, &format!("Warnings ({n})"), Some(bottom), theme);
    let lines = lines(app, inner.width as usize);
    let scroll = app.overlay_scroll.min(lines.len().saturating_sub(inner.height as usize));
    Paragraph::new(lines.into_iter().skip(scroll).collect::<Vec<_>>()).render(inner, buf);
}
