//! The overview: where the money is, in one screen. Headline cards, savings by
//! category, the biggest findings, and what data the analysis stood on.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Widget, Wrap};

use crate::report::{HIGH_CONFIDENCE, Report};
use crate::tui::app::{App, View};
use crate::tui::theme::Theme;
use crate::tui::widgets::card::render_card;
use crate::tui::widgets::category_bars::CategoryBars;
use crate::tui::widgets::money::{payback, thousands, usd, usd_compact};
use crate::tui::widgets::text::width;

struct Areas {
    cards: Rect,
    categories: Rect,
    top: Rect,
    coverage: Rect,
}

fn areas(body: Rect) -> Areas {
    let coverage_height = if body.height >= 30 { 4 } else { 3 };
    let [cards, middle, coverage] =
        Layout::vertical([Constraint::Length(4), Constraint::Fill(1), Constraint::Length(coverage_height)]).areas(body);
    let split = if middle.width >= 70 {
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
    } else {
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)])
    };
    let [categories, top] = split.areas(middle);
    Areas { cards, categories, top, coverage }
}

/// The top-findings list inside its frame.
fn top_inner(app: &App) -> Rect {
    Block::bordered().inner(areas(super::app_screen(app).body).top)
}

/// How many top findings fit on screen at this size.
pub fn top_rows(width: u16, height: u16) -> usize {
    let body = super::screen(Rect::new(0, 0, width, height)).body;
    Block::bordered().inner(areas(body).top).height as usize
}

pub fn top_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let inner = top_inner(app);
    let inside = column >= inner.x && column < inner.right() && row >= inner.y && row < inner.bottom();
    let position = (row - inner.y.min(row)) as usize;
    (inside && position < app.top.len()).then_some(position)
}

pub fn render(body: Rect, buf: &mut Buffer, app: &App) {
    let Some(report) = &app.report else { return };
    let theme = &app.theme;
    let a = areas(body);
    render_cards(a.cards, buf, report, theme);

    let block = Block::bordered()
        .border_style(theme.border())
        .title(Line::styled(" Savings by category ($/month) ", theme.bold()));
    let inner = block.inner(a.categories);
    block.render(a.categories, buf);
    CategoryBars { summary: &report.summary, theme }.render(inner, buf);

    render_top(a.top, buf, app, report);
    render_coverage(a.coverage, buf, app, report);
}

fn render_cards(area: Rect, buf: &mut Buffer, report: &Report, theme: &Theme) {
    let s = &report.summary;
    let [spend, savings, one_time, findings] = Layout::horizontal([Constraint::Ratio(1, 4); 4]).areas(area);
    let spend_lines = match s.monthly_spend_analyzed_usd {
        Some(x) => vec![
            Line::from(vec![Span::styled(usd(x), theme.bold()), Span::raw(" /month")]),
            Line::styled(
                match report.source.accounts.len() {
                    1 => "1 account".to_string(),
                    n => format!("{n} accounts"),
                },
                theme.dim(),
            ),
        ],
        None => vec![Line::styled("unknown", theme.dim()), Line::styled("no spend data", theme.dim())],
    };
    render_card(spend, buf, "Spend analysed", spend_lines, theme);

    let share = match s.savings_pct_of_spend {
        Some(p) => format!("{p:.1} % of spend"),
        None => "share unknown".into(),
    };
    let mut second = vec![Span::styled(share, theme.dim())];
    if let Some(c) = &s.converted {
        let text = format!(" · {}", crate::report::currency::format(&c.currency, c.monthly_savings));
        if width(&text) + 20 <= savings.width as usize {
            second.push(Span::styled(text, theme.dim()));
        }
    }
    if s.monthly_cost_to_fix_usd > 0.0 && savings.width >= 34 {
        second.push(Span::styled(format!(" · fix +{}", usd_compact(s.monthly_cost_to_fix_usd)), theme.cost()));
    }
    let savings_lines = vec![
        Line::from(vec![Span::styled(usd(s.monthly_savings_usd), theme.money()), Span::raw(" /month")]),
        Line::from(second),
    ];
    render_card(savings, buf, "Projected savings", savings_lines, theme);

    let payback_days = (s.monthly_savings_usd > 0.0).then(|| s.one_time_cost_usd / s.monthly_savings_usd * 30.42);
    let one_time_lines = vec![
        Line::styled(usd(s.one_time_cost_usd), theme.bold()),
        Line::styled(format!("payback {}", payback(payback_days)), theme.dim()),
    ];
    render_card(one_time, buf, "One-time cost", one_time_lines, theme);

    let mut detail = format!("{} high confidence", thousands(s.high_confidence_findings as u64));
    let unpriced = format!(" · {} unpriced", s.unpriced_findings);
    if s.unpriced_findings > 0 && width(&detail) + width(&unpriced) <= findings.width.saturating_sub(2) as usize {
        detail.push_str(&unpriced);
    }
    let findings_lines =
        vec![Line::styled(thousands(s.findings as u64), theme.bold()), Line::styled(detail, theme.dim())];
    render_card(findings, buf, "Findings", findings_lines, theme);
}

fn confidence_word(c: f64) -> &'static str {
    if c >= HIGH_CONFIDENCE {
        "high"
    } else if c >= 0.5 {
        "med"
    } else {
        "low"
    }
}

fn render_top(area: Rect, buf: &mut Buffer, app: &App, report: &Report) {
    let theme = &app.theme;
    let hint = if app.view == View::Overview {
        Line::from(vec![Span::styled(app.keymap.keys_for("open"), theme.key()), Span::raw(" detail ")]).right_aligned()
    } else {
        Line::default()
    };
    let block = Block::bordered()
        .border_style(theme.border())
        .title(Line::styled(" Top findings ", theme.bold()))
        .title_bottom(hint);
    let inner = block.inner(area);
    block.render(area, buf);
    if app.top.is_empty() {
        Line::styled("no findings: nothing to save here", theme.dim()).render(inner, buf);
        return;
    }
    let show_rule = inner.width >= 50;
    let rule_width = (inner.width / 3).clamp(12, 26);
    let rows = app.top.iter().take(inner.height as usize).enumerate().filter_map(|(pos, &i)| {
        let f = report.findings.get(i as usize)?;
        let savings = f.monthly_savings_usd.map(usd_compact).unwrap_or_else(|| "—".into());
        let name = if f.resource.name.is_empty() { f.resource.arn_or_id.clone() } else { f.resource.name.clone() };
        let selected = app.view == View::Overview && pos == app.overview_selected;
        let mut cells = vec![
            Cell::new(if selected { "▶" } else { " " }),
            Cell::new(Line::styled(savings, theme.money()).right_aligned()),
        ];
        if show_rule {
            cells.push(Cell::new(f.rule.clone()));
        }
        cells.push(Cell::new(name));
        cells.push(Cell::new(confidence_word(f.confidence)).style(theme.confidence(f.confidence)));
        let row = Row::new(cells);
        Some(if selected { row.style(theme.selected()) } else { row })
    });
    let mut widths = vec![Constraint::Length(1), Constraint::Length(7)];
    if show_rule {
        widths.push(Constraint::Length(rule_width));
    }
    widths.extend([Constraint::Fill(1), Constraint::Length(4)]);
    Table::new(rows, widths).column_spacing(1).render(inner, buf);
}

fn render_coverage(area: Rect, buf: &mut Buffer, app: &App, report: &Report) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for (name, status) in &report.source.coverage {
        let style = match status.as_str() {
            "ok" => theme.ok(),
            "partial" => theme.warn(),
            _ => theme.error(),
        };
        spans.push(Span::raw(format!("{name} ")));
        spans.push(Span::styled(status.clone(), style));
        spans.push(Span::styled(" · ", theme.dim()));
    }
    if report.source.coverage.is_empty() {
        spans.push(Span::styled("no collector status · ", theme.dim()));
    }
    let window = &report.source.window;
    spans.push(Span::raw(format!(
        "window {} → {} · prices {}",
        window.start.get(..10).unwrap_or(&window.start),
        window.end.get(..10).unwrap_or(&window.end),
        report.source.pricing_as_of
    )));
    spans.push(Span::styled(" · ", theme.dim()));
    let n = report.warnings.len();
    let warn_style = if n > 0 { theme.warn() } else { theme.ok() };
    spans.push(Span::styled(format!("{n} warning{}", if n == 1 { "" } else { "s" }), warn_style));
    if n > 0 {
        spans.push(Span::styled(format!(" ({} to read)", app.keymap.keys_for("warnings")), theme.dim()));
    }
    let block = Block::bordered().border_style(theme.border()).title(Line::styled(" Data coverage ", theme.bold()));
    Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }).block(block).render(area, buf);
}
