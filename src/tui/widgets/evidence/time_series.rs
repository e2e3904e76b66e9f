//! Time series with horizontal threshold lines (CPU p99.5 vs headroom, consumed vs
//! provisioned capacity, …).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::layout::{Constraint, Layout};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use crate::report::{Series, ThresholdLine};
use crate::tui::theme::Theme;
use crate::tui::widgets::money::compact;

pub fn render(
    unit: &str,
    series: &[Series],
    thresholds: &[ThresholdLine],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let points = || series.iter().flat_map(|s| s.points.iter()).filter(|(_, v)| v.is_finite());
    let (Some(x_min), Some(x_max)) = (points().map(|p| p.0).min(), points().map(|p| p.0).max()) else {
        super::no_data(area, buf, theme);
        return;
    };
    let values = points().map(|p| p.1).chain(thresholds.iter().map(|t| t.value).filter(|v| v.is_finite()));
    let (lo, hi) = values.fold((0.0f64, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let hi = if hi > lo { hi * 1.1 } else { lo + 1.0 };
    let (x0, x1) = (x_min as f64, if x_max > x_min { x_max as f64 } else { x_min as f64 + 1.0 });

    let data: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| s.points.iter().filter(|(_, v)| v.is_finite()).map(|(t, v)| (*t as f64, *v)).collect())
        .collect();
    let lines: Vec<[(f64, f64); 2]> = thresholds.iter().map(|t| [(x0, t.value), (x1, t.value)]).collect();

    let mut datasets: Vec<Dataset> = series
        .iter()
        .zip(&data)
        .enumerate()
        .map(|(i, (s, d))| {
            Dataset::default()
                .name(s.name.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.series(i))
                .data(d)
        })
        .collect();
    datasets.extend(thresholds.iter().zip(&lines).map(|(t, d)| {
        Dataset::default()
            .name(format!("{} {}", t.label, compact(t.value)))
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(theme.threshold())
            .data(d)
    }));

    let date = |t: f64| {
        chrono::DateTime::from_timestamp(t as i64, 0).map(|d| d.format("%m-%d").to_string()).unwrap_or_default()
    };
    let x_labels = vec![Span::raw(date(x0)), Span::raw(date((x0 + x1) / 2.0)), Span::raw(date(x1))];
    let unit_suffix = if unit.is_empty() || unit.len() > 6 { String::new() } else { format!(" {unit}") };
    let y_labels = vec![
        Span::raw(compact(lo)),
        Span::raw(compact((lo + hi) / 2.0)),
        Span::raw(format!("{}{unit_suffix}", compact(hi))),
    ];
    let chart = Chart::new(datasets)
        .x_axis(Axis::default().bounds([x0, x1]).labels(x_labels).style(theme.dim()))
        .y_axis(Axis::default().bounds([lo, hi]).labels(y_labels).style(theme.dim()))
        .legend_position(None);
    if area.height < 4 || area.width < 20 {
        Line::from(format!("{} series, {} thresholds", series.len(), thresholds.len())).render(area, buf);
        return;
    }
    // The legend is a line under the plot, so it never hides data.
    let [plot, legend_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    chart.render(plot, buf);
    let mut legend = Vec::new();
    for (i, s) in series.iter().enumerate() {
        legend.push(Span::styled("⣿ ", theme.series(i)));
        legend.push(Span::raw(format!("{}   ", s.name)));
    }
    for t in thresholds {
        legend.push(Span::styled("•• ", theme.threshold()));
        legend.push(Span::raw(format!("{} {}   ", t.label, compact(t.value))));
    }
    Line::from(legend).render(legend_area, buf);
}
