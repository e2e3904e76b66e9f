//! Warnings of a rule, grouped by kind: the first few of each kind are kept word for word
//! and the rest counted in one line, so a 5,000-table account does not print 5,000 lines.

/// Collects warnings, naming the first of each kind and counting the rest.
pub struct WarningLog {
    limit: usize,
    summary: fn(usize, &str) -> String,
    by_kind: Vec<(&'static str, Vec<String>)>,
}

impl WarningLog {
    /// Keep `limit` warnings of each kind; `summary(extra, kind)` words the rest.
    pub fn new(limit: usize, summary: fn(usize, &str) -> String) -> WarningLog {
        WarningLog { limit, summary, by_kind: Vec::new() }
    }

    pub fn push(&mut self, kind: &'static str, message: String) {
        match self.by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.push(message),
            None => self.by_kind.push((kind, vec![message])),
        }
    }

    pub fn into_vec(self) -> Vec<String> {
        let mut out = Vec::new();
        for (kind, messages) in self.by_kind {
            let extra = messages.len().saturating_sub(self.limit);
            out.extend(messages.into_iter().take(self.limit));
            if extra > 0 {
                out.push((self.summary)(extra, kind));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_each_kind_are_kept_and_the_rest_counted() {
        let mut log = WarningLog::new(2, |n, k| format!("… and {n} more ({k})"));
        for i in 0..5 {
            log.push("throttled", format!("t{i}"));
        }
        log.push("young", "y0".into());
        assert_eq!(log.into_vec(), ["t0", "t1", "… and 3 more (throttled)", "y0"]);
    }
}
