//! Savings by category as horizontal bars, biggest first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::report::Summary;
use crate::tui::theme::Theme;

use super::money::usd_compact;

const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar of `value / max` of `width` cells, with eighth-cell resolution.
pub fn bar(value: f64, max: f64, width: usize) -> String {
    if max.is_nan() || value.is_nan() || max <= 0.0 || value <= 0.0 || width == 0 {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    if s.is_empty() {
        s.push('▏');
    }
    s
}

pub struct CategoryBars<'a> {
    pub summary: &'a Summary,
    pub theme: &'a Theme,
}

impl Widget for CategoryBars<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let mut rows: Vec<_> = self.summary.by_category.iter().filter(|(_, s)| s.findings > 0).collect();
        rows.sort_by(|a, b| b.1.monthly_savings_usd.total_cmp(&a.1.monthly_savings_usd).then(a.0.cmp(b.0)));
        if rows.is_empty() {
            Line::styled("no findings", self.theme.dim()).render(area, buf);
            return;
        }
        let max = rows.iter().map(|(_, s)| s.monthly_savings_usd).fold(0.0, f64::max);
        let label_width = rows.iter().map(|(c, _)| c.as_str().len()).max().unwrap_or(0);
        let value_width = 8;
        let count_width = 6;
        let width = area.width as usize;
        let show_count = width >= label_width + value_width + count_width + 12;
        let bar_width =
            width.saturating_sub(label_width + 1 + value_width + 1 + if show_count { count_width } else { 0 });
        let lines: Vec<Line> = rows
            .iter()
            .map(|(category, s)| {
                let mut spans = vec![
                    Span::raw(format!("{:<label_width$} ", category.as_str())),
                    Span::styled(
                        format!("{:<bar_width$}", bar(s.monthly_savings_usd, max, bar_width)),
                        self.theme.bar(),
                    ),
                    Span::styled(format!("{:>value_width$}", usd_compact(s.monthly_savings_usd)), self.theme.money()),
                ];
                if show_count {
                    spans.push(Span::styled(format!(" {:>5}", format!("({})", s.findings)), self.theme.dim()));
                }
                Line::from(spans)
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_scale() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(0.0, 10.0, 4), "");
        assert_eq!(bar(0.01, 10.0, 4), "▏");
    }
}
