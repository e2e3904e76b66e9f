//! A minimal RFC 4180 CSV reader (quoted fields, doubled quotes, commas inside
//! quotes) for the small embedded catalog files, and for locating the bad value in a
//! hand-written snapshot CSV after Polars rejected it. Frames themselves are read by Polars.

/// Split CSV text into records of fields. The header is the first record.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.is_empty() => in_quotes = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        let rows = super::parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n1,2");
        assert_eq!(rows, vec![vec!["a", "b"], vec!["x, y", "say \"hi\""], vec!["1", "2"]]);
    }
}
