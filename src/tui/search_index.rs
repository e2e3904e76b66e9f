//! The text `/` searches: per finding, the lower-cased rule, resource id and name,
//! region, title and both descriptions, laid out in one contiguous string so a scan
//! of 100,000 findings runs through memory in order (and on every core).

use crate::report::Finding;

/// Separates the fields of one finding (never typed into a search).
const FIELD_SEPARATOR: char = '\u{1f}';
/// Separates findings, so a match cannot span two of them.
const RECORD_SEPARATOR: char = '\u{1e}';
/// Below this many findings one thread scans them all.
const PARALLEL_FROM: usize = 20_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchIndex {
    text: String,
    /// Byte offset where each finding's text starts, plus the end of the text.
    starts: Vec<usize>,
}

impl SearchIndex {
    pub fn new(findings: &[Finding]) -> SearchIndex {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(findings.len() + 1);
        for f in findings {
            starts.push(text.len());
            let fields = [
                f.rule.as_str(),
                &f.resource.arn_or_id,
                &f.resource.name,
                &f.resource.region,
                &f.title,
                &f.current.description,
                &f.recommended.description,
            ];
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    text.push(FIELD_SEPARATOR);
                }
                text.push_str(&field.to_lowercase());
            }
            text.push(RECORD_SEPARATOR);
        }
        starts.push(text.len());
        SearchIndex { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Does finding `i` contain `needle` (already lower-case)?
    pub fn contains(&self, i: usize, needle: &str) -> bool {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => self.text.get(start..end).is_some_and(|t| t.contains(needle)),
            _ => false,
        }
    }

    /// For every finding, whether it contains `needle` (already lower-case). Reads
    /// the text once, in memory order; big indexes are split across the cores.
    pub fn matches(&self, needle: &str) -> Vec<bool> {
        let n = self.len();
        let mut hits = vec![needle.is_empty(); n];
        if needle.is_empty() || n == 0 {
            return hits;
        }
        let threads = if n >= PARALLEL_FROM {
            std::thread::available_parallelism().map_or(1, |p| p.get()).clamp(1, 4)
        } else {
            1
        };
        let chunk = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let mut chunks = hits.chunks_mut(chunk).enumerate();
            // The calling thread scans the first chunk itself.
            let first = chunks.next();
            for (c, hits) in chunks {
                scope.spawn(move || self.scan(needle, c * chunk, hits));
            }
            if let Some((_, hits)) = first {
                self.scan(needle, 0, hits);
            }
        });
        hits
    }

    /// Mark which of the findings `first..first + hits.len()` contain `needle`.
    fn scan(&self, needle: &str, first: usize, hits: &mut [bool]) {
        let mut chars = needle.chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        for (k, hit) in hits.iter_mut().enumerate() {
            let i = first + k;
            let (Some(&start), Some(&end)) = (self.starts.get(i), self.starts.get(i + 1)) else { break };
            let Some(text) = self.text.get(start..end) else { continue };
            *hit = match single {
                Some(c) => text.contains(c),
                None => text.contains(needle),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SearchIndex;

    #[test]
    fn finds_each_matching_finding_once_and_never_across_findings() {
        let mut index = SearchIndex { text: String::new(), starts: Vec::new() };
        for t in ["ab", "b", "ba", "xyz"] {
            index.starts.push(index.text.len());
            index.text.push_str(t);
            index.text.push('\u{1e}');
        }
        index.starts.push(index.text.len());
        assert_eq!(index.matches("b"), [true, true, true, false]);
        assert_eq!(index.matches("ba"), [false, false, true, false]);
        assert_eq!(index.matches("bb"), [false, false, false, false]);
        assert_eq!(index.matches(""), [true, true, true, true]);
        assert!(index.contains(3, "yz") && !index.contains(3, "ab") && !index.contains(9, "a"));
    }
}
