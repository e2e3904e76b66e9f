//! Evidence charts, drawn generically from `report::Chart`: a rule that fills a
//! chart gets it drawn here without any TUI code of its own.

mod histogram;
mod ladder;
mod matrix;
mod time_series;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Widget};

use crate::report::Chart;
use crate::tui::theme::Theme;

/// Most rows a list-like chart (histogram, matrix, ladder) shows.
const MAX_ROWS: usize = 14;

/// Rows the chart needs at this width, borders included.
pub fn height(chart: &Chart, _width: u16) -> u16 {
    let rows = match chart {
        Chart::TimeSeries { .. } => return 13,
        Chart::Histogram { buckets, .. } => buckets.len().max(1),
        Chart::Matrix { rows, .. } => rows.len().max(1) + 1,
        Chart::Ladder { rungs, .. } => rungs.len().max(1) + 2,
    };
    rows.min(MAX_ROWS + 1) as u16 + 2
}

pub fn title(chart: &Chart) -> String {
    match chart {
        Chart::TimeSeries { title, unit, .. }
        | Chart::Histogram { title, unit, .. }
        | Chart::Matrix { title, unit, .. }
            if !unit.is_empty() =>
        {
            format!("{title} ({unit})")
        }
        Chart::TimeSeries { title, .. }
        | Chart::Histogram { title, .. }
        | Chart::Matrix { title, .. }
        | Chart::Ladder { title, .. } => title.clone(),
    }
}

/// Draw `chart` in a titled frame filling `area`.
pub fn render(chart: &Chart, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.width < 4 || area.height < 3 {
        return;
    }
    let block =
        Block::bordered().border_style(theme.border()).title(Line::styled(format!(" {} ", title(chart)), theme.bold()));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    match chart {
        Chart::TimeSeries { unit, series, thresholds, .. } => {
            time_series::render(unit, series, thresholds, inner, buf, theme)
        }
        Chart::Histogram { unit, buckets, .. } => histogram::render(unit, buckets, inner, buf, theme),
        Chart::Matrix { unit, rows, cols, values, .. } => matrix::render(unit, rows, cols, values, inner, buf, theme),
        Chart::Ladder { rungs, target_rpo_min, target_rto_min, .. } => {
            ladder::render(rungs, *target_rpo_min, *target_rto_min, inner, buf, theme)
        }
    }
}

/// "no data" in a chart's frame.
fn no_data(area: Rect, buf: &mut Buffer, theme: &Theme) {
    Line::styled("no data", theme.dim()).render(area, buf);
}
