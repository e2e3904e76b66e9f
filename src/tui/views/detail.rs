//! The detail of the selected finding: what changes, what it saves, why, the
//! evidence drawn as charts, and the actions. Scrolls; two columns when wide.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget};

use super::detail_document::{Piece, columns, title_lines, total_height};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::evidence;

/// From this width the charts get their own column.
const TWO_COLUMNS_FROM: u16 = 120;
/// Longest document drawn (a guard against pathological evidence).
const MAX_DOCUMENT_ROWS: usize = 4_000;

struct Areas {
    title: Rect,
    columns: Vec<Rect>,
}

fn areas(body: Rect) -> Areas {
    let [title, doc] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(body);
    let title = Rect { height: title.height.min(2), ..title };
    // One cell on the right for the scrollbar.
    let doc = Rect { width: doc.width.saturating_sub(1), ..doc };
    let columns = if doc.width >= TWO_COLUMNS_FROM {
        let [left, _, right] =
            Layout::horizontal([Constraint::Percentage(52), Constraint::Length(1), Constraint::Fill(1)]).areas(doc);
        vec![left, right]
    } else {
        vec![doc]
    };
    Areas { title, columns }
}

fn app_areas(app: &App) -> Areas {
    areas(super::app_screen(app).body)
}

/// Rows a page of the detail scrolls.
pub fn page_rows(app: &App) -> usize {
    app_areas(app).columns.first().map(|r| r.height as usize).unwrap_or(1).max(1)
}

/// The furthest the detail can scroll at the current size.
pub fn max_scroll(app: &App) -> usize {
    let Some(f) = app.detail_finding() else { return 0 };
    let a = app_areas(app);
    let widths: Vec<u16> = a.columns.iter().map(|r| r.width).collect();
    columns(f, &widths, &app.theme)
        .iter()
        .zip(&a.columns)
        .map(|(pieces, rect)| {
            total_height(pieces, rect.width).min(MAX_DOCUMENT_ROWS).saturating_sub(rect.height as usize)
        })
        .max()
        .unwrap_or(0)
}

pub fn render(body: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let Some(f) = app.detail_finding() else {
        Paragraph::new("no finding selected — pick one in the findings table").style(theme.dim()).render(body, buf);
        return;
    };
    let a = areas(body);
    let visible = app.list.visible();
    let position = app.detail.and_then(|d| visible.iter().position(|v| *v == d)).map(|p| (p, visible.len()));
    Paragraph::new(title_lines(f, position, theme).to_vec()).render(a.title, buf);

    let widths: Vec<u16> = a.columns.iter().map(|r| r.width).collect();
    let docs = columns(f, &widths, theme);
    let mut longest = 0;
    for (pieces, rect) in docs.iter().zip(&a.columns) {
        let height = total_height(pieces, rect.width).min(MAX_DOCUMENT_ROWS);
        longest = longest.max(height);
        render_scrolled(pieces, *rect, buf, app.detail_scroll.min(height.saturating_sub(rect.height as usize)), theme);
    }
    if let Some(first) = a.columns.first()
        && longest > first.height as usize
    {
        let bar_area = Rect { x: body.right().saturating_sub(1), width: 1, ..*first };
        let mut state = ScrollbarState::new(longest.saturating_sub(first.height as usize)).position(app.detail_scroll);
        Scrollbar::new(ScrollbarOrientation::VerticalRight).render(bar_area, buf, &mut state);
    }
}

/// Draw the pieces into an off-screen buffer as tall as the document, then copy the
/// rows `scroll..scroll + area.height` into `area`: charts scroll like text.
fn render_scrolled(pieces: &[Piece<'_>], area: Rect, buf: &mut Buffer, scroll: usize, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let total = total_height(pieces, area.width).min(MAX_DOCUMENT_ROWS);
    let end = (scroll + area.height as usize).min(total);
    let mut page = Buffer::empty(Rect::new(0, 0, area.width, total as u16));
    let mut y = 0usize;
    for piece in pieces {
        let h = piece.height(area.width);
        if y >= end {
            break;
        }
        if y + h > scroll {
            let rect = Rect::new(0, y as u16, area.width, h.min(total.saturating_sub(y)) as u16);
            match piece {
                Piece::Lines(lines) => Paragraph::new(lines.clone()).render(rect, &mut page),
                Piece::Chart(chart) => evidence::render(chart, rect, &mut page, theme),
            }
        }
        y += h;
    }
    for (row, src_y) in (scroll..end).enumerate() {
        for x in 0..area.width {
            if let (Some(src), Some(dst)) =
                (page.cell((x, src_y as u16)), buf.cell_mut((area.x + x, area.y + row as u16)))
            {
                *dst = src.clone();
            }
        }
    }
}
