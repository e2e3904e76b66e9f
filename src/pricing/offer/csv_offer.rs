//! The bulk CSV offer file: metadata rows (`FormatVersion`, `Disclaimer`, `Publication
//! Date`, `Version`, `OfferCode`), then the header (`SKU`, `OfferTermCode`, `RateCode`,
//! `TermType`, …), then one row per SKU × price dimension. Columns are found by name
//! (AWS adds and reorders them between versions); every row must have the header's
//! width, so a truncated file is an error naming its last line.

use std::io::BufRead;
use std::path::Path;

use super::attrs::{Attr, Attrs};
use super::csv_reader::{CsvError, CsvReader};
use super::{Assembler, Dim, Imported, OfferError, OfferMeta, check_offer, publication_date};

/// Column positions of one file.
struct Columns {
    attrs: [Option<usize>; 19],
    sku: usize,
    term_type: usize,
    price: usize,
    unit: usize,
    currency: Option<usize>,
    starting: Option<usize>,
    rate_code: Option<usize>,
    description: Option<usize>,
    width: usize,
}

struct Row<'a, R> {
    reader: &'a CsvReader<R>,
    columns: &'a Columns,
}

impl<R: BufRead> Attrs for Row<'_, R> {
    fn get(&self, attr: Attr) -> &str {
        self.columns.attrs[attr.index()].map(|i| self.reader.field(i).trim()).unwrap_or("")
    }
}

fn csv_error(path: &Path, e: CsvError) -> OfferError {
    match e {
        CsvError::Io(e) => OfferError::Unreadable { path: path.to_path_buf(), detail: e.to_string() },
        CsvError::Unterminated { line } => {
            OfferError::malformed(path, format!("line {line}"), "a quoted field is never closed (truncated file?)")
        }
        CsvError::StrayQuote { line } => {
            OfferError::malformed(path, format!("line {line}"), "text after a closing quote (not RFC 4180 CSV)")
        }
    }
}

pub fn read(path: &Path, input: impl BufRead) -> Result<Imported, OfferError> {
    let mut reader = CsvReader::new(input);
    let mut meta_pairs: Vec<(String, String)> = Vec::new();
    // Metadata rows until the header (its first cell is `SKU`); AWS writes five.
    let header_line = loop {
        let Some(line) = reader.next_record().map_err(|e| csv_error(path, e))? else {
            return Err(OfferError::malformed(path, "end of file", "no header row (a row starting with \"SKU\")"));
        };
        if reader.field(0) == "SKU" {
            break line;
        }
        if line > 10 {
            return Err(OfferError::malformed(
                path,
                format!("line {line}"),
                "no header row (\"SKU\", \"OfferTermCode\", …) within the first 10 lines: not an AWS offer CSV",
            ));
        }
        meta_pairs.push((reader.field(0).trim().to_string(), reader.field(1).trim().to_string()));
    };
    let meta_value = |key: &str| meta_pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.clone());
    let offer_code = meta_value("OfferCode").ok_or_else(|| {
        OfferError::malformed(path, "metadata rows", "no \"OfferCode\" row (expected before the header)")
    })?;
    check_offer(path, &offer_code)?;
    let version =
        meta_value("Version").ok_or_else(|| OfferError::malformed(path, "metadata rows", "no \"Version\" row"))?;
    let published_text = meta_value("Publication Date")
        .ok_or_else(|| OfferError::malformed(path, "metadata rows", "no \"Publication Date\" row"))?;
    let published = publication_date(&published_text).ok_or_else(|| {
        OfferError::malformed(path, "metadata row \"Publication Date\"", format!("`{published_text}` is not a date"))
    })?;
    let header = reader.record();
    let find = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            OfferError::malformed(path, format!("line {header_line}"), format!("the header has no `{name}` column"))
        })
    };
    let mut attrs = [None; 19];
    for attr in Attr::ALL {
        attrs[attr.index()] = find(attr.csv());
    }
    let columns = Columns {
        attrs,
        sku: need("SKU")?,
        term_type: need("TermType")?,
        price: need("PricePerUnit")?,
        unit: need("Unit")?,
        currency: find("Currency"),
        starting: find("StartingRange"),
        rate_code: find("RateCode"),
        description: find("PriceDescription"),
        width: header.len(),
    };
    if columns.attrs[Attr::UsageType.index()].is_none() {
        return Err(OfferError::malformed(path, format!("line {header_line}"), "the header has no `usageType` column"));
    }
    if columns.attrs[Attr::RegionCode.index()].is_none() && columns.attrs[Attr::Location.index()].is_none() {
        return Err(OfferError::malformed(
            path,
            format!("line {header_line}"),
            "the header has neither `Region Code` nor `Location`",
        ));
    }
    let mut asm = Assembler::default();
    while let Some(line) = reader.next_record().map_err(|e| csv_error(path, e))? {
        if reader.len() != columns.width {
            return Err(OfferError::malformed(
                path,
                format!("line {line}"),
                format!("{} fields, the header has {} (a truncated or damaged row)", reader.len(), columns.width),
            ));
        }
        asm.rows += 1;
        if reader.field(columns.term_type) != "OnDemand" {
            asm.skip("not an on-demand term (Reserved, …)");
            continue;
        }
        if columns.currency.is_some_and(|c| !matches!(reader.field(c), "USD" | "")) {
            asm.skip("price not in USD");
            continue;
        }
        let price_text = reader.field(columns.price);
        let usd: f64 =
            price_text.trim().parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                OfferError::malformed(
                    path,
                    format!("line {line}, column PricePerUnit"),
                    format!("`{price_text}` is not a price"),
                )
            })?;
        let begin = match columns.starting.map(|c| reader.field(c).trim()) {
            None | Some("") => 0.0,
            Some(text) => text.parse().map_err(|_| {
                OfferError::malformed(
                    path,
                    format!("line {line}, column StartingRange"),
                    format!("`{text}` is not a number"),
                )
            })?,
        };
        let dim = Dim {
            begin,
            usd,
            unit: reader.field(columns.unit).trim().to_string(),
            sku: reader.field(columns.sku).to_string(),
            rate_code: columns.rate_code.map(|c| reader.field(c).to_string()).unwrap_or_default(),
            description: columns.description.map(|c| reader.field(c).to_string()).unwrap_or_default(),
        };
        let row = Row { reader: &reader, columns: &columns };
        asm.add(&offer_code, &row, dim);
    }
    Ok(asm.finish(OfferMeta { offer_code, version, published }))
}
