//! The two header lines: tabs with `? help  q quit`, then where the data comes from.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::report::Report;
use crate::tui::app::{App, View};
use crate::tui::widgets::money::thousands;
use crate::tui::widgets::text::{truncate, width};

const BRAND: &str = " tierwise ";

/// The tab labels with their x range on the first header line.
fn tabs(app: &App) -> Vec<(View, String, u16, u16)> {
    let mut x = width(BRAND) as u16 + 1;
    View::ALL
        .iter()
        .map(|view| {
            let label = match view {
                View::Findings if app.report.is_some() => {
                    let (shown, total) = (app.list.visible().len(), app.list.total());
                    if shown == total {
                        format!(" Findings {} ", thousands(total as u64))
                    } else {
                        format!(" Findings {}/{} ", thousands(shown as u64), thousands(total as u64))
                    }
                }
                v => format!(" {} ", v.title()),
            };
            let w = width(&label) as u16;
            let entry = (*view, label, x, x + w);
            x += w + 1;
            entry
        })
        .collect()
}

pub fn tab_at(app: &App, column: u16) -> Option<View> {
    app.report.as_ref()?;
    tabs(app).into_iter().find(|(_, _, start, end)| column >= *start && column < *end).map(|(v, ..)| v)
}

pub fn render(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let first = Rect { height: 1, ..area };
    let mut spans = vec![Span::styled(BRAND, theme.title()), Span::raw(" ")];
    if app.report.is_some() {
        for (view, label, ..) in tabs(app) {
            let style = if view == app.view { theme.tab_active() } else { theme.dim() };
            spans.push(Span::styled(label, style));
            spans.push(Span::raw(" "));
        }
    }
    Line::from(spans).render(first, buf);

    let keys = Line::from(vec![
        Span::styled(app.keymap.keys_for("help"), theme.key()),
        Span::raw(" help  "),
        Span::styled(app.keymap.keys_for("quit"), theme.key()),
        Span::raw(" quit "),
    ]);
    let keys_width = keys.width() as u16;
    let used = Line::from(tabs_width(app)).width() as u16;
    if first.width >= used + keys_width {
        keys.right_aligned().render(first, buf);
    }

    if area.height < 2 {
        return;
    }
    let second = Rect { y: area.y + 1, height: 1, ..area };
    let text = match &app.report {
        Some(report) => source_line(report),
        None => format!("loading {}", app.source_label),
    };
    let mut line =
        vec![Span::styled(format!(" {}", truncate(&text, second.width.saturating_sub(1) as usize)), theme.dim())];
    if app.report.is_some() && app.is_loading() {
        line.push(Span::styled("  · reloading…", theme.warn()));
    }
    Line::from(line).render(second, buf);
}

fn tabs_width(app: &App) -> String {
    let mut s = BRAND.to_string() + " ";
    if app.report.is_some() {
        for (_, label, ..) in tabs(app) {
            s.push_str(&label);
            s.push(' ');
        }
    }
    s
}

/// `demo seed 42 · account 123456789012 · us-east-1, eu-west-1 · 14 d window · prices 2026-07-20`
pub fn source_line(report: &Report) -> String {
    let s = &report.source;
    let mut parts = Vec::new();
    parts.push(if s.detail.is_empty() { s.kind.clone() } else { format!("{} {}", s.kind, s.detail) });
    parts.push(match s.accounts.as_slice() {
        [] => "no account".into(),
        [one] => format!("account {one}"),
        many => format!("{} accounts", many.len()),
    });
    parts.push(match s.regions.len() {
        0 => "no region".into(),
        1..=3 => s.regions.join(", "),
        n => format!("{n} regions"),
    });
    parts.push(format!("{} d window", crate::tui::widgets::money::compact(s.window.days)));
    parts.push(format!("prices {}", s.pricing_as_of));
    parts.join(" · ")
}
