//! Histograms (object sizes, object ages, …) as horizontal bars.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Bar, BarChart, Widget};

use crate::report::Bucket;
use crate::tui::theme::Theme;
use crate::tui::widgets::money::with_unit;
use crate::tui::widgets::text::{truncate, width};

/// Bar values are integers: scale so the biggest bucket is this many units.
const SCALE: f64 = 10_000.0;

pub fn render(unit: &str, buckets: &[Bucket], area: Rect, buf: &mut Buffer, theme: &Theme) {
    if buckets.is_empty() {
        super::no_data(area, buf, theme);
        return;
    }
    let shown = &buckets[..buckets.len().min(area.height as usize)];
    let max = shown.iter().map(|b| b.value).filter(|v| v.is_finite()).fold(0.0, f64::max);
    // The label column holds the bucket and its value; the bars stay clean.
    let values: Vec<String> = shown.iter().map(|b| with_unit(b.value, unit)).collect();
    let value_width = values.iter().map(|v| width(v)).max().unwrap_or(0);
    let label_width = shown.iter().map(|b| width(&b.label)).max().unwrap_or(0).min(area.width as usize * 2 / 5);
    let bars: Vec<Bar> = shown
        .iter()
        .zip(&values)
        .map(|(b, value_text)| {
            let value =
                if max > 0.0 && b.value.is_finite() { (b.value.max(0.0) / max * SCALE).round() as u64 } else { 0 };
            let label = format!("{:<label_width$} {value_text:>value_width$}", truncate(&b.label, label_width));
            Bar::default().label(label).value(value).text_value(String::new())
        })
        .collect();
    BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(0)
        .max(SCALE as u64)
        .bar_style(theme.bar())
        .value_style(theme.bold())
        .render(area, buf);
}
