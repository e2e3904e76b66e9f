//! Matrices (AZ × AZ bytes, …) as a heat-map table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table, Widget};

use crate::tui::theme::Theme;
use crate::tui::widgets::money::compact;
use crate::tui::widgets::text::{truncate, width};

pub fn render(
    unit: &str,
    rows: &[String],
    cols: &[String],
    values: &[Vec<f64>],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    if rows.is_empty() || cols.is_empty() {
        super::no_data(area, buf, theme);
        return;
    }
    let max = values.iter().flatten().copied().filter(|v| v.is_finite()).fold(0.0, f64::max);
    let label_width = rows.iter().map(|r| width(r)).max().unwrap_or(0).clamp(4, 18) as u16;
    let cell_width = cols.iter().map(|c| width(c)).max().unwrap_or(0).clamp(6, 12) as u16;
    let mut widths = vec![Constraint::Length(label_width)];
    widths.extend(cols.iter().map(|_| Constraint::Length(cell_width)));
    let header = Row::new(
        std::iter::once(Cell::new(truncate(unit, label_width as usize)).style(theme.dim()))
            .chain(cols.iter().map(|c| Cell::new(Line::from(truncate(c, cell_width as usize)).right_aligned()))),
    )
    .style(theme.bold());
    let body = rows.iter().enumerate().map(|(r, label)| {
        let cells = (0..cols.len()).map(|c| {
            let v = values.get(r).and_then(|row| row.get(c)).copied().unwrap_or(f64::NAN);
            let t = if max > 0.0 { v / max } else { 0.0 };
            Cell::new(Line::from(format!("{} ", compact(v))).right_aligned()).style(theme.heat(t))
        });
        Row::new(std::iter::once(Cell::new(truncate(label, label_width as usize))).chain(cells))
    });
    Table::new(body, widths).header(header).column_spacing(1).render(area, buf);
}
