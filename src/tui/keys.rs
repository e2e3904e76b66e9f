//! Key specs: how `[tui.keys]` names a key (`"ctrl-r"`, `"G"`, `"f5"`, `"pgdn"`,
//! `"wheel-up"`), how a terminal event becomes the same value, and how it is shown.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// What can trigger a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Key(KeyCode, KeyModifiers),
    WheelUp,
    WheelDown,
    Click,
}

impl Trigger {
    /// Parse `"q"`, `"G"`, `"ctrl-r"`, `"alt-x"`, `"f5"`, `"pgdn"`, `"shift-tab"`, `"wheel-up"`, ….
    pub fn parse(spec: &str) -> Result<Trigger, String> {
        let original = spec;
        let mut mods = KeyModifiers::NONE;
        let mut rest = spec.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl-", "alt-", "shift-"].into_iter().find(|p| lower.starts_with(p) && rest.len() > p.len());
            match prefix {
                Some(p) => {
                    mods |= match p {
                        "ctrl-" => KeyModifiers::CONTROL,
                        "alt-" => KeyModifiers::ALT,
                        _ => KeyModifiers::SHIFT,
                    };
                    rest = &rest[p.len()..];
                }
                None => break,
            }
        }
        let bad = || {
            format!(
                "unknown key `{original}` (examples: \"x\", \"G\", \"ctrl-r\", \"alt-x\", \"f5\", \"pgdn\", \"esc\")"
            )
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                let c = if mods.contains(KeyModifiers::SHIFT) { c.to_ascii_uppercase() } else { c };
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "wheel-up" if mods.is_empty() => return Ok(Trigger::WheelUp),
                "wheel-down" if mods.is_empty() => return Ok(Trigger::WheelDown),
                "click" if mods.is_empty() => return Ok(Trigger::Click),
                "esc" | "escape" => KeyCode::Esc,
                "enter" | "return" => KeyCode::Enter,
                "tab" if mods.contains(KeyModifiers::SHIFT) => {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "space" => KeyCode::Char(' '),
                "comma" => KeyCode::Char(','),
                "minus" => KeyCode::Char('-'),
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
        };
        Ok(Trigger::Key(code, mods))
    }

    /// The trigger of a terminal key press, normalised like `parse` (a shifted
    /// character is its upper-case form, not SHIFT + the character).
    pub fn from_key(key: KeyEvent) -> Trigger {
        let mut mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match key.code {
            KeyCode::Char(c) => {
                let c = if mods.contains(KeyModifiers::SHIFT) { c.to_ascii_uppercase() } else { c };
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Trigger::Key(code, mods)
    }

    pub fn from_mouse(mouse: MouseEvent) -> Option<Trigger> {
        match mouse.kind {
            MouseEventKind::ScrollUp => Some(Trigger::WheelUp),
            MouseEventKind::ScrollDown => Some(Trigger::WheelDown),
            MouseEventKind::Down(MouseButton::Left) => Some(Trigger::Click),
            _ => None,
        }
    }

    /// How the trigger is shown in the footer and the help.
    pub fn label(self) -> String {
        let (code, mods) = match self {
            Trigger::WheelUp => return "wheel↑".into(),
            Trigger::WheelDown => return "wheel↓".into(),
            Trigger::Click => return "click".into(),
            Trigger::Key(code, mods) => (code, mods),
        };
        let name = match code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut label = String::new();
        if mods.contains(KeyModifiers::CONTROL) {
            label.push_str("C-");
        }
        if mods.contains(KeyModifiers::ALT) {
            label.push_str("M-");
        }
        if mods.contains(KeyModifiers::SHIFT) {
            label.push_str("S-");
        }
        label + &name
    }
}

/// A comma-separated list of key specs: `"j, down"`.
pub fn parse_list(spec: &str) -> Result<Vec<Trigger>, String> {
    let triggers: Vec<Trigger> =
        spec.split(',').map(str::trim).filter(|s| !s.is_empty()).map(Trigger::parse).collect::<Result<_, _>>()?;
    if triggers.is_empty() { Err(format!("no key in `{spec}`")) } else { Ok(triggers) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_specs_parse() {
        assert_eq!(Trigger::parse("f5"), Ok(Trigger::Key(KeyCode::F(5), KeyModifiers::NONE)));
        assert_eq!(Trigger::parse("shift-tab"), Ok(Trigger::Key(KeyCode::BackTab, KeyModifiers::NONE)));
        assert_eq!(Trigger::parse("shift-g"), Ok(Trigger::Key(KeyCode::Char('G'), KeyModifiers::NONE)));
        assert_eq!(Trigger::parse("-"), Ok(Trigger::Key(KeyCode::Char('-'), KeyModifiers::NONE)));
        assert!(Trigger::parse("f13").is_err());
        assert!(Trigger::parse("hyper-x").is_err());
    }
}
