//! Centered pop-up frames for overlays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Widget};

use crate::tui::theme::Theme;

/// A `width`×`height` rectangle centered in `area`, shrunk to fit.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Clear `rect`, draw a bordered frame with a title and an optional bottom line;
/// returns the inner area.
pub fn frame(rect: Rect, buf: &mut Buffer, title: &str, bottom: Option<Line<'_>>, theme: &Theme) -> Rect {
    Clear.render(rect, buf);
    let mut block =
        Block::bordered().border_style(theme.title()).title(Line::styled(format!(" {title} "), theme.title()));
    if let Some(bottom) = bottom {
        block = block.title_bottom(bottom);
    }
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}
