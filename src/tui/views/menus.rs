//! Small pop-up menus: the filter menu (`f`) and the export menu (`e`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::finding_list::FilterField;
use crate::tui::widgets::money::{thousands, usd};
use crate::tui::widgets::popup;
use crate::tui::widgets::text::truncate;

fn binding_name(field: FilterField) -> &'static str {
    match field {
        FilterField::Category => "filter-category",
        FilterField::Region => "filter-region",
        FilterField::Account => "filter-account",
        FilterField::Rule => "filter-rule",
        FilterField::Tag => "filter-tag",
    }
}

pub fn render_filter(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let rect = popup::centered(area, 64, 11);
    let inner = popup::frame(rect, buf, "Filter findings", None, theme);
    let filters = app.list.filters();
    let choices = app.list.choices();
    let mut lines = Vec::new();
    for field in FilterField::ALL {
        let value = filters.get(field);
        let count = choices.values(field).len();
        let shown = value.clone().unwrap_or_else(|| "all".into());
        lines.push(Line::from(vec![
            Span::styled(format!(" {:>3}  ", app.keymap.keys_for(binding_name(field))), theme.key()),
            Span::raw(format!("{:<9}", field.title())),
            Span::styled(
                truncate(&shown, inner.width.saturating_sub(30) as usize),
                if value.is_some() { theme.bold() } else { theme.dim() },
            ),
            Span::styled(format!("  ({count} values)"), theme.dim()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(format!(" {:>3}  ", app.keymap.keys_for("filter-clear")), theme.key()),
        Span::raw("clear all    "),
        Span::styled(app.keymap.keys_for("filter-close"), theme.key()),
        Span::raw(" close"),
    ]));
    lines.push(Line::from(vec![
        Span::raw(format!(
            " showing {} of {} · ",
            thousands(app.list.visible().len() as u64),
            thousands(app.list.total() as u64)
        )),
        Span::styled(format!("{}/mo", usd(app.list.shown_savings())), theme.money()),
    ]));
    Paragraph::new(lines).render(inner, buf);
}

pub fn render_export(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let rect = popup::centered(area, 64, 9);
    let inner = popup::frame(rect, buf, "Export", None, theme);
    let n = app.list.visible().len();
    let key = |name| Span::styled(format!(" {:>5}  ", app.keymap.keys_for(name)), theme.key());
    let lines = vec![
        Line::raw(format!(" Write the {} shown findings, in the shown order,", thousands(n as u64))),
        Line::raw(" to ./tierwise-export-<time>.<ext> in the current directory:"),
        Line::default(),
        Line::from(vec![key("export-json"), Span::raw("JSON (the report schema)")]),
        Line::from(vec![key("export-markdown"), Span::raw("Markdown")]),
        Line::from(vec![key("export-csv"), Span::raw("CSV (one row per finding)")]),
        Line::from(vec![key("export-cancel"), Span::raw("cancel")]),
    ];
    Paragraph::new(lines).render(inner, buf);
}
