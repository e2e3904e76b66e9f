//! The detail of one finding as a document of measured pieces (text lines and
//! charts), so the view can scroll it and `App` can clamp the scroll without drawing.

use ratatui::text::{Line, Span};

use crate::report::{Chart, Finding, HIGH_CONFIDENCE, Stat};
use crate::tui::theme::Theme;
use crate::tui::widgets::evidence;
use crate::tui::widgets::money::{compact, payback, per_month, thousands, usd, with_unit};
use crate::tui::widgets::text::{wrap, wrap_hard};

/// Width of the label column ("Recommended  ").
const LABEL: usize = 13;

pub enum Piece<'a> {
    Lines(Vec<Line<'static>>),
    Chart(&'a Chart),
}

impl Piece<'_> {
    pub fn height(&self, width: u16) -> usize {
        match self {
            Piece::Lines(lines) => lines.len(),
            Piece::Chart(chart) => evidence::height(chart, width) as usize,
        }
    }
}

pub fn total_height(pieces: &[Piece<'_>], width: u16) -> usize {
    pieces.iter().map(|p| p.height(width)).sum()
}

/// The pieces of each column: one column when narrow (text, charts, actions), two
/// when wide (text and actions | charts).
pub fn columns<'a>(f: &'a Finding, widths: &[u16], theme: &Theme) -> Vec<Vec<Piece<'a>>> {
    let text_width = widths.first().copied().unwrap_or(0) as usize;
    let mut text = summary_lines(f, text_width, theme);
    text.extend(rationale_lines(f, text_width, theme));
    text.extend(evidence_lines(f, text_width, theme));
    let actions = actions_lines(f, text_width, theme);
    let charts: Vec<Piece<'a>> = f.evidence.charts.iter().map(Piece::Chart).collect();
    if widths.len() >= 2 {
        text.extend(actions);
        let right = if charts.is_empty() {
            vec![Piece::Lines(vec![Line::styled("no charts for this finding", theme.dim())])]
        } else {
            charts
        };
        vec![vec![Piece::Lines(text)], right]
    } else {
        let mut pieces = vec![Piece::Lines(text)];
        pieces.extend(charts);
        pieces.push(Piece::Lines(actions));
        vec![pieces]
    }
}

fn heading(title: &str, note: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![Span::styled(title.to_string(), theme.title()), Span::styled(note, theme.dim())])
}

/// `label` in the label column, then `text` wrapped beside it.
fn labelled(label: &str, text: &str, width: usize, style: ratatui::style::Style, theme: &Theme) -> Vec<Line<'static>> {
    wrap(text, width.saturating_sub(LABEL).max(8))
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let label = if i == 0 { format!("{label:<LABEL$}") } else { " ".repeat(LABEL) };
            Line::from(vec![Span::styled(label, theme.dim()), Span::styled(chunk, style)])
        })
        .collect()
}

fn risk_word(r: u8) -> &'static str {
    match r {
        0 => "none",
        1 => "low",
        2 => "moderate",
        3 => "high",
        _ => "very high",
    }
}

/// ` (₩290,131/mo)` beside a USD figure when the report has a display currency.
fn converted(f: &Finding, pick: impl Fn(&crate::report::ConvertedMoney) -> Option<f64>) -> String {
    match &f.converted {
        Some(c) => {
            pick(c).map(|v| format!(" ({}/mo)", crate::report::currency::format(&c.currency, v))).unwrap_or_default()
        }
        None => String::new(),
    }
}

fn summary_lines(f: &Finding, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let sides = [
        ("Current", &f.current, converted(f, |c| c.current_monthly_cost)),
        ("Recommended", &f.recommended, converted(f, |c| c.recommended_monthly_cost)),
    ];
    for (label, side, other) in sides {
        let cost = side.monthly_cost_usd.map(per_month).unwrap_or_else(|| "unpriced".into());
        lines.extend(labelled(label, &format!("{}  —  {cost}{other}", side.description), width, theme.text(), theme));
    }
    let savings_style = match f.monthly_savings_usd {
        Some(s) if s < 0.0 => theme.cost(),
        _ => theme.money(),
    };
    let savings = match f.monthly_savings_usd {
        Some(s) if s < 0.0 => format!("costs {} more (fixes a risk)", per_month(-s)),
        Some(s) => format!("{}{}", per_month(s), converted(f, |c| c.monthly_savings)),
        None => "unpriced".into(),
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "Saves"), theme.dim()),
        Span::styled(savings, savings_style),
        Span::raw(format!("  ·  one-time {}  ·  payback {}", usd(f.one_time_cost_usd), payback(f.payback_days))),
    ]));
    if let Some(p) = &f.pricing {
        if let Some(list) = &p.list {
            let at_list = format!(
                "saves {} ({} → {}) · these figures: {}",
                list.monthly_savings_usd.map(per_month).unwrap_or_else(|| "unpriced".into()),
                list.current_monthly_cost_usd.map(per_month).unwrap_or_else(|| "unpriced".into()),
                list.recommended_monthly_cost_usd.map(per_month).unwrap_or_else(|| "unpriced".into()),
                if p.note.is_empty() { p.rates.clone() } else { p.note.clone() }
            );
            lines.extend(labelled("At list", &at_list, width, theme.text(), theme));
        }
        if !p.sources.is_empty() {
            let sources: Vec<String> = p.sources.iter().map(|s| s.detail.clone()).collect();
            lines.extend(labelled(
                "Prices",
                &format!("{}: {}", p.region, sources.join("; ")),
                width,
                theme.dim(),
                theme,
            ));
        }
    }
    if let Some(reason) = &f.unpriced_reason {
        lines.extend(labelled("Unpriced", reason, width, theme.warn(), theme));
    }
    let level = if f.confidence >= HIGH_CONFIDENCE {
        "high"
    } else if f.confidence >= 0.5 {
        "medium"
    } else {
        "low"
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "Confidence"), theme.dim()),
        Span::styled(format!("{:.2} {level}", f.confidence), theme.confidence(f.confidence)),
    ]));
    for reason in &f.confidence_reasons {
        lines.extend(labelled("", &format!("· {reason}"), width, theme.text(), theme));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "Risk"), theme.dim()),
        Span::styled(
            format!("{}/4 {}", f.performance_risk, risk_word(f.performance_risk)),
            theme.risk(f.performance_risk),
        ),
        Span::raw(format!("  ·  effort {}", f.migration_effort.as_str())),
    ]));
    lines.extend(labelled(
        "Rule",
        &format!("{}  ·  {}  ·  severity {}", f.rule, f.category, f.severity.as_str()),
        width,
        theme.text(),
        theme,
    ));
    if !f.resource.tags.is_empty() {
        let tags: Vec<String> = f.resource.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        lines.extend(labelled("Tags", &tags.join(", "), width, theme.text(), theme));
    }
    lines
}

fn rationale_lines(f: &Finding, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::default(), heading("Rationale", String::new(), theme)];
    lines.extend(wrap(&f.rationale, width.saturating_sub(2)).into_iter().map(|l| Line::raw(format!("  {l}"))));
    lines
}

fn stat_lines(title: &str, stats: &[Stat], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if stats.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::styled(format!("  {title}"), theme.bold())];
    let name_width = stats.iter().map(|s| s.name.chars().count()).max().unwrap_or(0).min(width / 2);
    for s in stats {
        let name = crate::tui::widgets::text::truncate(&s.name, name_width);
        lines.push(Line::from(vec![
            Span::styled(format!("    {name:<name_width$}  "), theme.dim()),
            Span::raw(with_unit(s.value, &s.unit)),
        ]));
    }
    lines
}

fn evidence_lines(f: &Finding, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let e = &f.evidence;
    let note = format!(
        "  {} d window · {} datapoints · {} chart{}",
        compact(e.window_days),
        thousands(e.datapoints),
        e.charts.len(),
        if e.charts.len() == 1 { "" } else { "s" }
    );
    let mut lines = vec![Line::default(), heading("Evidence", note, theme)];
    lines.extend(stat_lines("statistics", &e.statistics, width, theme));
    lines.extend(stat_lines("thresholds", &e.thresholds, width, theme));
    if e.statistics.is_empty() && e.thresholds.is_empty() {
        lines.push(Line::styled("  no statistics recorded", theme.dim()));
    }
    lines
}

fn actions_lines(f: &Finding, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines =
        vec![Line::default(), heading("Actions", "  (y copies them; tierwise never runs them)".into(), theme)];
    if f.actions.is_empty() {
        lines.push(Line::styled("  none", theme.dim()));
    }
    for action in &f.actions {
        lines.push(Line::styled(format!("  {}", action.kind), theme.key()));
        let style = if action.kind == "note" { theme.text() } else { theme.bold() };
        let chunks = if action.kind == "note" {
            wrap(&action.text, width.saturating_sub(4))
        } else {
            wrap_hard(&action.text, width.saturating_sub(4))
        };
        lines.extend(chunks.into_iter().map(|l| Line::styled(format!("    {l}"), style)));
    }
    lines
}

/// The headline of the detail: what it saves and the finding's title, then its
/// resource. `position` is (index, count) in the findings list.
pub fn title_lines(f: &Finding, position: Option<(usize, usize)>, theme: &Theme) -> [Line<'static>; 2] {
    let savings = match f.monthly_savings_usd {
        Some(s) if s < 0.0 => format!(" +{}/mo to fix ", usd(-s)),
        Some(s) => format!(" {}/mo ", usd(s)),
        None => " unpriced ".into(),
    };
    let mut first = vec![Span::styled(savings, theme.money()), Span::styled(format!(" {}", f.title), theme.bold())];
    if let Some((pos, total)) = position {
        first.push(Span::styled(format!("  ({}/{})", thousands(pos as u64 + 1), thousands(total as u64)), theme.dim()));
    }
    let r = &f.resource;
    let name = if r.name.is_empty() || r.name == r.arn_or_id { String::new() } else { format!("{} · ", r.name) };
    let second = format!(" {} {name}{} · {} · {}", r.kind, r.arn_or_id, r.account_id, r.region);
    [Line::from(first), Line::styled(second, theme.dim())]
}
