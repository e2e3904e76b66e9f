//! Ladders of alternatives (DR strategies): monthly cost against the RPO/RTO they
//! achieve, which meet the targets, which is in place now.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, Widget};

use crate::report::Rung;
use crate::tui::theme::Theme;
use crate::tui::widgets::category_bars::bar;
use crate::tui::widgets::money::{minutes, usd_opt};
use crate::tui::widgets::text::width;

pub fn render(rungs: &[Rung], target_rpo: f64, target_rto: f64, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let [targets, table_area] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    Line::from(vec![
        Span::styled("targets ", theme.dim()),
        Span::raw(format!("RPO ≤ {} · RTO ≤ {}", minutes(target_rpo), minutes(target_rto))),
        Span::styled("   ▶ in place now", theme.dim()),
    ])
    .render(targets, buf);
    if rungs.is_empty() {
        super::no_data(table_area, buf, theme);
        return;
    }
    // The cheapest rung that meets both targets is the recommendation.
    let cheapest = rungs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.meets_target)
        .filter_map(|(i, r)| r.monthly_cost_usd.map(|c| (i, c)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i);
    let max_cost = rungs.iter().filter_map(|r| r.monthly_cost_usd).fold(0.0, f64::max);
    let label_width = rungs.iter().map(|r| width(&r.label)).max().unwrap_or(8).clamp(8, 26) as u16;
    let bar_width = area.width.saturating_sub(label_width + 56).min(30) as usize;
    let header = Row::new(["", "strategy", "$/month", "RPO", "RTO", "vs target", ""]).style(theme.bold());
    let rows = rungs.iter().enumerate().map(|(i, r)| {
        let marker = if r.current { "▶" } else { " " };
        let verdict = match (r.meets_target, Some(i) == cheapest) {
            (true, true) => "✓ meets ★ cheapest",
            (true, false) => "✓ meets",
            (false, _) => "✗ misses",
        };
        let style = if r.current { theme.bold() } else { theme.text() };
        let verdict_style = if r.meets_target { theme.ok() } else { theme.warn() };
        let cost_bar = r.monthly_cost_usd.map(|c| bar(c, max_cost, bar_width)).unwrap_or_default();
        Row::new(vec![
            Cell::new(marker),
            Cell::new(r.label.clone()),
            Cell::new(Line::from(usd_opt(r.monthly_cost_usd)).right_aligned()),
            Cell::new(minutes(r.rpo_min)),
            Cell::new(minutes(r.rto_min)),
            Cell::new(verdict).style(verdict_style),
            Cell::new(Span::styled(cost_bar, theme.bar())),
        ])
        .style(style)
    });
    let widths = [
        Constraint::Length(1),
        Constraint::Length(label_width),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(18),
        Constraint::Fill(1),
    ];
    Table::new(rows, widths).header(header).column_spacing(1).render(table_area, buf);
}
