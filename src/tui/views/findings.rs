//! The findings table: every finding, sortable, filterable, searchable, with a
//! running total of what is shown. Only the rows on screen are built.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, Table, Widget};

use crate::report::Finding;
use crate::tui::app::App;
use crate::tui::finding_list::{Column, FilterField};
use crate::tui::theme::Theme;
use crate::tui::widgets::money::{thousands, usd, usd_opt};

struct Areas {
    bar: Rect,
    table: Rect,
}

fn areas(body: Rect) -> Areas {
    let [bar, table] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
    Areas { bar, table }
}

/// The table's rows area (inside the frame, below the column header).
fn rows_area(body: Rect) -> Rect {
    let inner = Block::bordered().inner(areas(body).table);
    Rect { y: inner.y.saturating_add(1), height: inner.height.saturating_sub(1), ..inner }
}

/// Rows of findings visible at this terminal size.
pub fn page_rows(width: u16, height: u16) -> usize {
    rows_area(super::screen(Rect::new(0, 0, width, height)).body).height as usize
}

/// The visible position under a click, if it is on a row.
pub fn row_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let rows = rows_area(super::app_screen(app).body);
    let inside = column >= rows.x && column < rows.right() && row >= rows.y && row < rows.bottom();
    let position = app.list.offset() + (row.saturating_sub(rows.y)) as usize;
    (inside && position < app.list.visible().len()).then_some(position)
}

/// Which columns fit in `width` cells (the savings, rule, resource, confidence and
/// risk always; region and account when there is room).
fn columns_for(width: u16) -> Vec<(Column, Constraint)> {
    let mut cols = vec![(Column::Savings, Constraint::Length(9)), (Column::Rule, Constraint::Length(24))];
    cols.push((Column::Resource, Constraint::Fill(1)));
    if width >= 110 {
        cols.push((Column::Account, Constraint::Length(12)));
    }
    if width >= 92 {
        cols.push((Column::Region, Constraint::Length(14)));
    }
    cols.push((Column::Confidence, Constraint::Length(5)));
    cols.push((Column::Risk, Constraint::Length(4)));
    cols
}

fn header_title(column: Column) -> &'static str {
    match column {
        Column::Savings => "$/month",
        Column::Rule => "Rule",
        Column::Resource => "Resource",
        Column::Account => "Account",
        Column::Region => "Region",
        Column::Confidence => "Conf",
        Column::Risk => "Risk",
    }
}

fn cell(f: &Finding, column: Column, theme: &Theme) -> Cell<'static> {
    match column {
        Column::Savings => {
            let style = match f.monthly_savings_usd {
                Some(s) if s < 0.0 => theme.cost(),
                Some(_) => theme.money(),
                None => theme.dim(),
            };
            Cell::new(Line::styled(usd_opt(f.monthly_savings_usd), style).right_aligned())
        }
        Column::Rule => Cell::new(f.rule.clone()),
        Column::Resource => {
            Cell::new(if f.resource.name.is_empty() { f.resource.arn_or_id.clone() } else { f.resource.name.clone() })
        }
        Column::Account => Cell::new(f.resource.account_id.clone()),
        Column::Region => Cell::new(f.resource.region.clone()),
        Column::Confidence => {
            Cell::new(Line::from(format!("{:.2}", f.confidence)).right_aligned()).style(theme.confidence(f.confidence))
        }
        Column::Risk => {
            Cell::new(Line::from(format!("{}/4", f.performance_risk))).style(theme.risk(f.performance_risk))
        }
    }
}

pub fn render(body: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let a = areas(body);
    render_bar(a.bar, buf, app);

    let list = &app.list;
    let shown = list.visible().len();
    let mut title = vec![
        Span::styled(" Findings ", theme.bold()),
        Span::raw(format!("{} of {} · ", thousands(shown as u64), thousands(list.total() as u64))),
        Span::styled(format!("{}/mo", usd(list.shown_savings())), theme.money()),
        Span::raw(" shown "),
    ];
    if list.shown_cost_to_fix() > 0.0 {
        title.push(Span::styled(format!("· +{}/mo to fix ", usd(list.shown_cost_to_fix())), theme.cost()));
    }
    let position = if shown == 0 {
        String::new()
    } else {
        format!(" {}/{} ", thousands(list.selected() as u64 + 1), thousands(shown as u64))
    };
    let block = Block::bordered()
        .border_style(theme.border())
        .title(Line::from(title))
        .title_bottom(Line::styled(position, theme.dim()).right_aligned());
    let inner = block.inner(a.table);
    block.render(a.table, buf);
    if inner.is_empty() {
        return;
    }
    if shown == 0 {
        let msg =
            format!("no findings match — {} clears the filters and the search", app.keymap.keys_for("clear-filters"));
        Line::styled(msg, theme.dim()).render(Rect { y: inner.y + inner.height / 2, height: 1, ..inner }, buf);
        return;
    }

    let columns = columns_for(inner.width.saturating_sub(2));
    let header = Row::new(std::iter::once(Cell::new(" ")).chain(columns.iter().map(|(c, _)| {
        let mut title = header_title(*c).to_string();
        if *c == list.column() {
            title.push_str(if list.descending() { " ↓" } else { " ↑" });
        }
        let line = if *c == Column::Savings || *c == Column::Confidence {
            Line::from(title).right_aligned()
        } else {
            Line::from(title)
        };
        Cell::new(line)
    })))
    .style(theme.bold());

    let page = inner.height.saturating_sub(1) as usize;
    let offset = effective_offset(list.offset(), list.selected(), page, shown);
    let findings = app.findings();
    let rows = list.visible()[offset..(offset + page).min(shown)].iter().enumerate().filter_map(|(i, &index)| {
        let f = findings.get(index as usize)?;
        let selected = offset + i == list.selected();
        let marker = Cell::new(if selected { "▶" } else { " " });
        let row = Row::new(std::iter::once(marker).chain(columns.iter().map(|(c, _)| cell(f, *c, theme))));
        Some(if selected { row.style(theme.selected()) } else { row })
    });
    let widths = std::iter::once(Constraint::Length(1)).chain(columns.iter().map(|(_, w)| *w));
    Table::new(rows, widths).header(header).column_spacing(1).render(inner, buf);
}

/// The first row to draw: the stored offset, moved just enough to show the
/// selection (the size may have changed since the last key).
fn effective_offset(offset: usize, selected: usize, page: usize, len: usize) -> usize {
    let page = page.max(1);
    let mut offset = offset.min(len.saturating_sub(1));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    offset
}

/// The line above the table: the search box, the active filters, the sort.
fn render_bar(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let list = &app.list;
    let mut spans = Vec::new();
    if app.searching {
        spans.push(Span::styled(" / ", theme.key()));
        spans.push(Span::styled(format!("{}▏", list.query()), theme.bold()));
    } else if !list.query().is_empty() {
        spans.push(Span::styled(" search ", theme.dim()));
        spans.push(Span::styled(format!("\"{}\"", list.query()), theme.bold()));
    }
    let filters = list.filters();
    for field in FilterField::ALL {
        if let Some(value) = filters.get(field) {
            spans.push(Span::styled(format!("  {}=", field.title()), theme.dim()));
            spans.push(Span::styled(value, theme.bold()));
        }
    }
    if spans.is_empty() {
        let keys = |name| app.keymap.keys_for(name);
        spans.push(Span::styled(
            format!(
                " all findings — {} search · {} filter · {} category · {} sort",
                keys("search"),
                keys("filter"),
                keys("category"),
                keys("sort")
            ),
            theme.dim(),
        ));
    }
    let left = Line::from(spans);
    let used = left.width();
    left.render(area, buf);
    let sort = format!("sort: {} {} ", list.column().title(), if list.descending() { "↓" } else { "↑" });
    if area.width as usize > used + crate::tui::widgets::text::width(&sort) + 1 {
        Line::styled(sort, theme.dim()).right_aligned().render(area, buf);
    }
}
