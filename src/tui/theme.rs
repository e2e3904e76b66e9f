//! Styles. With `NO_COLOR` set (https://no-color.org) only modifiers are used:
//! bold, reversed, dim, underlined.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true }
    }
}

const SERIES_COLORS: [Color; 5] = [Color::Cyan, Color::Magenta, Color::Green, Color::Blue, Color::Yellow];

impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub fn monochrome() -> Theme {
        Theme { color: false }
    }

    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn text(&self) -> Style {
        Style::default()
    }
    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn title(&self) -> Style {
        self.pick(Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD), self.bold())
    }
    pub fn border(&self) -> Style {
        self.pick(Style::default().fg(Color::DarkGray), Style::default())
    }
    pub fn dim(&self) -> Style {
        self.pick(Style::default().fg(Color::DarkGray), Style::default().add_modifier(Modifier::DIM))
    }
    pub fn money(&self) -> Style {
        self.pick(Style::default().fg(Color::Green).add_modifier(Modifier::BOLD), self.bold())
    }
    pub fn cost(&self) -> Style {
        self.pick(Style::default().fg(Color::Yellow), Style::default())
    }
    pub fn key(&self) -> Style {
        self.pick(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD), self.bold())
    }
    pub fn selected(&self) -> Style {
        self.pick(
            Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::REVERSED),
        )
    }
    pub fn tab_active(&self) -> Style {
        self.pick(Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD), self.selected())
    }
    pub fn ok(&self) -> Style {
        self.pick(Style::default().fg(Color::Green), Style::default())
    }
    pub fn warn(&self) -> Style {
        self.pick(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD), self.bold())
    }
    pub fn error(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }
    pub fn bar(&self) -> Style {
        self.pick(Style::default().fg(Color::Green), Style::default())
    }
    /// Confidence 0..1: high green, medium yellow, low red.
    pub fn confidence(&self, c: f64) -> Style {
        let color = if c >= crate::report::HIGH_CONFIDENCE {
            Color::Green
        } else if c >= 0.5 {
            Color::Yellow
        } else {
            Color::Red
        };
        self.pick(Style::default().fg(color), Style::default())
    }
    /// Risk 0..4: 0–1 plain, 2 yellow, 3–4 red.
    pub fn risk(&self, r: u8) -> Style {
        match r {
            0 | 1 => Style::default(),
            2 => self.pick(Style::default().fg(Color::Yellow), Style::default()),
            _ => self.pick(Style::default().fg(Color::Red), self.bold()),
        }
    }
    /// The n-th data series of a chart.
    pub fn series(&self, n: usize) -> Style {
        self.pick(Style::default().fg(SERIES_COLORS[n % SERIES_COLORS.len()]), Style::default())
    }
    /// Threshold lines on charts.
    pub fn threshold(&self) -> Style {
        self.pick(Style::default().fg(Color::Red), Style::default().add_modifier(Modifier::DIM))
    }
    /// A heat-map cell, `t` in 0..=1.
    pub fn heat(&self, t: f64) -> Style {
        let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
        if !self.color {
            return if t >= 0.66 {
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else if t >= 0.33 {
                self.bold()
            } else {
                Style::default()
            };
        }
        // 256-colour ramp from dark blue to red through yellow.
        const RAMP: [u8; 8] = [17, 18, 24, 30, 64, 142, 178, 160];
        let i = ((t * (RAMP.len() - 1) as f64).round() as usize).min(RAMP.len() - 1);
        let fg = if i >= 4 { Color::Black } else { Color::White };
        Style::default().bg(Color::Indexed(RAMP[i])).fg(fg)
    }
}
