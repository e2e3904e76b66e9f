//! A small bordered card: a title and a few lines (the overview's headline numbers).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::tui::theme::Theme;

pub fn render_card(area: Rect, buf: &mut Buffer, title: &str, lines: Vec<Line<'_>>, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let block = Block::bordered().border_style(theme.border()).title(Line::styled(format!(" {title} "), theme.bold()));
    Paragraph::new(lines).block(block).render(area, buf);
}
