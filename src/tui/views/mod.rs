//! Rendering: a pure function of `App`. One file per screen; the header, footer and
//! overlays are shared.

pub mod detail;
pub mod detail_document;
pub mod findings;
mod footer;
mod header;
mod help;
mod loading;
mod menus;
pub mod overview;
mod warnings;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::app::{App, LoadState, Overlay, View};

/// Below this the dashboard asks for a bigger terminal instead of drawing.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// The three bands of every screen.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub header: Rect,
    pub body: Rect,
    pub footer: Rect,
}

pub fn screen(area: Rect) -> Screen {
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(2), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    Screen { header, body, footer }
}

/// The screen of an app's current terminal size (for hit tests and paging).
pub fn app_screen(app: &App) -> Screen {
    screen(Rect::new(0, 0, app.width, app.height))
}

/// Draw the whole dashboard.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    render_to(area, frame.buffer_mut(), app);
}

/// Draw the dashboard into any buffer area.
pub fn render_to(area: Rect, buf: &mut Buffer, app: &App) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!("tierwise needs at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{})", area.width, area.height);
        Line::styled(msg, app.theme.warn()).render(area, buf);
        return;
    }
    let s = screen(area);
    header::render(s.header, buf, app);
    match (&app.report, &app.load) {
        (None, LoadState::Failed(message)) => loading::render_failed(s.body, buf, app, message),
        (None, _) => loading::render_progress(s.body, buf, app),
        (Some(_), _) => match app.view {
            View::Overview => overview::render(s.body, buf, app),
            View::Findings => findings::render(s.body, buf, app),
            View::Detail => detail::render(s.body, buf, app),
        },
    }
    footer::render(s.footer, buf, app);
    match app.overlay {
        Some(Overlay::Help) => help::render(area, buf, app),
        Some(Overlay::Warnings) => warnings::render(area, buf, app),
        Some(Overlay::FilterMenu) => menus::render_filter(area, buf, app),
        Some(Overlay::ExportMenu) => menus::render_export(area, buf, app),
        None => {}
    }
}

/// What a click landed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tab(View),
    /// A row of the findings table (position among the visible findings).
    TableRow(usize),
    /// A row of the overview's top findings.
    TopFinding(usize),
}

pub fn hit_test(app: &App, column: u16, row: u16) -> Option<Hit> {
    let s = app_screen(app);
    if row == s.header.y {
        return header::tab_at(app, column).map(Hit::Tab);
    }
    match app.view {
        View::Findings => findings::row_at(app, column, row).map(Hit::TableRow),
        View::Overview => overview::top_at(app, column, row).map(Hit::TopFinding),
        View::Detail => None,
    }
}

/// Lines a scroll step moves in the help or warnings overlay.
pub fn overlay_page(app: &App) -> usize {
    match app.overlay {
        Some(Overlay::Help) => help::page_rows(app),
        Some(Overlay::Warnings) => warnings::page_rows(app),
        _ => 1,
    }
}

pub fn overlay_max_scroll(app: &App) -> usize {
    match app.overlay {
        Some(Overlay::Help) => help::max_scroll(app),
        Some(Overlay::Warnings) => warnings::max_scroll(app),
        _ => 0,
    }
}
