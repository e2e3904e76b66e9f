//! Text measuring and wrapping by display width (so the detail view knows its height
//! before it draws).

use ratatui::text::Span;

/// Display width of a string in terminal cells.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// Word-wrap `text` to `max` cells. Newlines start new lines; a word longer than the
/// line is split. Always returns at least one line.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0;
        for word in paragraph.split_whitespace() {
            let w = width(word);
            if line_width > 0 && line_width + 1 + w > max {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            if w > max {
                for ch in word.chars() {
                    let cw = width(ch.encode_utf8(&mut [0; 4]));
                    if line_width + cw > max {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0;
                    }
                    line.push(ch);
                    line_width += cw;
                }
                continue;
            }
            if line_width > 0 {
                line.push(' ');
                line_width += 1;
            }
            line.push_str(word);
            line_width += w;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Hard-wrap preformatted text (commands, JSON) at `max` cells, keeping indentation.
pub fn wrap_hard(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for raw in text.lines() {
        let mut line = String::new();
        let mut line_width = 0;
        for ch in raw.chars() {
            let cw = width(ch.encode_utf8(&mut [0; 4]));
            if line_width + cw > max {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(ch);
            line_width += cw;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Cut `s` to `max` cells, ending with `…` when it was longer.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let cw = width(ch.encode_utf8(&mut [0; 4]));
        if used + cw + 1 > max {
            break;
        }
        out.push(ch);
        used += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_long_tokens() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
        assert_eq!(wrap_hard("  abcdef", 4), vec!["  ab", "cdef"]);
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("hi", 6), "hi");
    }
}
