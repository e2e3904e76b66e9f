//! AWS Data Exports — CUR 2.0 and FOCUS 1.x Parquet — → `spend_monthly` and
//! `effective_rates`.
//!
//! Layout as AWS delivers it: `<export>/data/BILLING_PERIOD=YYYY-MM/<export>-00001.snappy.parquet`
//! (overwrite mode), or one `<timestamp>-<execution id>/` folder per run under the
//! partition (create-new mode, where only the newest run is read: reading every run
//! would count the month several times). `metadata/…-Manifest.json` files are claimed.
//! A Parquet file is recognised by its columns: CUR 2.0 has `line_item_line_item_type`
//! and the `product` map; FOCUS has `ChargeCategory` and `EffectiveCost`. A legacy CUR
//! (flattened `product_*` columns) is not read (listed as unrecognised).
//!
//! Each file is one lazy scan projecting only the columns the query needs; all files
//! are concatenated and grouped twice (plain aggregations Athena's SQL can express:
//! docs/pricing.md gives the SQL).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{cur2, focus};
use crate::snapshot::{FrameName, SnapshotError};

/// Which export a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Cur2,
    Focus,
}

impl Format {
    pub fn run_name(self) -> &'static str {
        match self {
            Format::Cur2 => "import:cur2",
            Format::Focus => "import:focus",
        }
    }
}

/// The billing export files found in an import directory.
#[derive(Debug, Default)]
pub struct Found {
    /// (format, month from the partition, file), newest run of each partition only.
    pub files: Vec<(Format, Option<chrono::NaiveDate>, PathBuf)>,
    /// Files that belong to the exports but are not read (manifests, older runs).
    pub claimed: Vec<PathBuf>,
    pub notes: Vec<String>,
}

/// `BILLING_PERIOD=2026-10` (any case) → 2026-10-01.
fn partition_month(component: &str) -> Option<chrono::NaiveDate> {
    let (key, value) = component.split_once('=')?;
    if !key.eq_ignore_ascii_case("billing_period") {
        return None;
    }
    chrono::NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").ok()
}

/// The partition folder of a file and the file's path below it.
fn partition_of(path: &Path) -> Option<(PathBuf, chrono::NaiveDate, Vec<String>)> {
    let comps: Vec<_> = path.components().collect();
    for (i, c) in comps.iter().enumerate() {
        if let Some(month) = partition_month(&c.as_os_str().to_string_lossy()) {
            let dir: PathBuf = comps[..=i].iter().collect();
            let below = comps[i + 1..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            return Some((dir, month, below));
        }
    }
    None
}

fn parquet_columns(path: &Path) -> Option<Vec<String>> {
    let pl = PlRefPath::try_from_path(path).ok()?;
    let lf = LazyFrame::scan_parquet(pl, ScanArgsParquet { glob: false, ..Default::default() }).ok()?;
    let schema = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lf.clone().collect_schema())).ok()?.ok()?;
    Some(schema.iter_names().map(|n| n.to_string()).collect())
}

/// The format of a Parquet file by its columns, or why it is not read.
fn format_of(columns: &[String]) -> Result<Format, &'static str> {
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("line_item_line_item_type") && has("product") {
        Ok(Format::Cur2)
    } else if has("line_item_line_item_type") {
        Err("a legacy CUR file (flattened product_* columns): export CUR 2.0 or FOCUS from AWS Data Exports instead")
    } else if has("ChargeCategory") && has("EffectiveCost") {
        Ok(Format::Focus)
    } else {
        Err("")
    }
}

/// Find the billing export files among `files` (all files of the import directory).
pub fn find(files: &[PathBuf]) -> Found {
    let mut found = Found::default();
    // Partition folder → (run folder or "", files).
    let mut runs: BTreeMap<PathBuf, BTreeMap<String, Vec<PathBuf>>> = BTreeMap::new();
    let mut loose = Vec::new();
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let in_metadata = path.components().any(|c| c.as_os_str() == "metadata");
        if in_metadata && partition_of(path).is_some() && name.ends_with(".json") {
            found.claimed.push(path.clone());
            continue;
        }
        if !name.ends_with(".parquet") {
            continue;
        }
        match partition_of(path) {
            Some((dir, _, below)) => {
                let run = if below.len() > 1 { below[0].clone() } else { String::new() };
                runs.entry(dir).or_default().entry(run).or_default().push(path.clone());
            }
            None => loose.push(path.clone()),
        }
    }
    let mut candidates: Vec<(Option<chrono::NaiveDate>, PathBuf)> = Vec::new();
    for (dir, by_run) in runs {
        let month = partition_of(&dir.join("x")).map(|(_, m, _)| m);
        // Overwrite mode puts files directly in the partition; create-new mode one folder per run.
        let newest = if by_run.contains_key("") {
            String::new()
        } else {
            by_run.keys().next_back().cloned().unwrap_or_default()
        };
        for (run, paths) in by_run {
            if run == newest {
                candidates.extend(paths.into_iter().map(|p| (month, p)));
            } else {
                found.notes.push(format!(
                    "{}: an older export run than {newest}; not read (it would count the month twice)",
                    dir.join(&run).display()
                ));
                found.claimed.extend(paths);
            }
        }
    }
    candidates.extend(loose.into_iter().map(|p| (None, p)));
    for (month, path) in candidates {
        let Some(columns) = parquet_columns(&path) else { continue };
        match format_of(&columns) {
            Ok(format) => found.files.push((format, month, path)),
            Err("") => {}
            Err(why) => found.notes.push(format!("{}: {why}", path.display())),
        }
    }
    found
}

/// The normalised line rows of one file: month, account_id, region, service,
/// usage_type, operation, resource_id, line_kind (rate | other), coverage,
/// list_cost_usd, effective_cost_usd (per-resource rule), amortized_cost_usd (spend),
/// usage_quantity, usage_unit.
fn lines_of(format: Format, month: Option<chrono::NaiveDate>, path: &Path) -> Result<LazyFrame, String> {
    let pl = PlRefPath::try_from_path(path).map_err(|e| e.to_string())?;
    let lf = LazyFrame::scan_parquet(pl, ScanArgsParquet { glob: false, ..Default::default() })
        .map_err(|e| e.to_string())?;
    let schema = lf.clone().collect_schema().map_err(|e| e.to_string())?;
    let columns = Columns { names: schema.iter_names().map(|n| n.to_string()).collect() };
    let month_expr = match month {
        Some(m) => lit((m - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32)
            .cast(DataType::Date),
        None => match format {
            Format::Cur2 => columns.need("bill_billing_period_start_date")?,
            Format::Focus => columns.need("BillingPeriodStart")?,
        }
        .cast(DataType::Date)
        .dt()
        .truncate(lit("1mo")),
    };
    let exprs = match format {
        Format::Cur2 => cur2::line_exprs(&columns)?,
        Format::Focus => focus::line_exprs(&columns)?,
    };
    let mut select = vec![month_expr.alias("month")];
    select.extend(exprs);
    Ok(lf.select(select))
}

/// A file's column names, for building expressions that tolerate optional columns.
pub struct Columns {
    names: Vec<String>,
}

impl Columns {
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// A required column, or the error naming it.
    pub fn need(&self, name: &str) -> Result<Expr, String> {
        if self.has(name) { Ok(col(name)) } else { Err(format!("missing column `{name}`")) }
    }

    /// A money or quantity column as f64, 0 where null or absent.
    pub fn num(&self, name: &str) -> Expr {
        if self.has(name) { col(name).cast(DataType::Float64).fill_null(lit(0.0)) } else { lit(0.0) }
    }

    /// The first present of `names` as f64 (net before gross), 0 where null or absent.
    pub fn num_first(&self, names: &[&str]) -> Expr {
        let present: Vec<Expr> =
            names.iter().filter(|n| self.has(n)).map(|n| col(*n).cast(DataType::Float64)).collect();
        if present.is_empty() { lit(0.0) } else { coalesce(&present).fill_null(lit(0.0)) }
    }

    /// A text column, "" where null or absent.
    pub fn text(&self, name: &str) -> Expr {
        if self.has(name) { col(name).cast(DataType::String).fill_null(lit("")) } else { lit("") }
    }
}

/// Read every billing export file into the two frames.
pub fn read(found: &Found) -> Result<Vec<(FrameName, DataFrame, Format)>, SnapshotError> {
    let mut by_format: BTreeMap<Format, Vec<LazyFrame>> = BTreeMap::new();
    for (format, month, path) in &found.files {
        let lf = lines_of(*format, *month, path).map_err(|detail| SnapshotError::Unreadable {
            path: path.clone(),
            what: match format {
                Format::Cur2 => "CUR 2.0 Parquet file",
                Format::Focus => "FOCUS Parquet file",
            },
            detail,
        })?;
        by_format.entry(*format).or_default().push(lf);
    }
    let mut out = Vec::new();
    for (format, parts) in by_format {
        let path = found.files.iter().find(|f| f.0 == format).map(|f| f.2.clone()).unwrap_or_default();
        let bad = |e: PolarsError| SnapshotError::Unreadable {
            path: path.clone(),
            what: "billing export (query)",
            detail: e.to_string().lines().next().unwrap_or_default().to_string(),
        };
        // Each file is aggregated on its own (streaming), then the small partial results are
        // combined: memory stays at one file's worth. (One query over every file keeps the
        // decoded string buffers of the group keys alive: 3.9–6.7 GiB at 20M line items.)
        let collect = |lf: LazyFrame| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lf.collect_with_engine(Engine::Streaming).map(|r| r.unwrap_single())
            }))
            .unwrap_or_else(|_| Err(PolarsError::ComputeError("the Parquet decoder failed".into())))
            .map_err(bad)
        };
        let (mut spend_parts, mut rate_parts) = (Vec::new(), Vec::new());
        for lines in parts {
            let (spend, rates) = aggregate(lines);
            spend_parts.push(collect(spend)?.lazy());
            rate_parts.push(collect(rates)?.lazy());
        }
        let spend =
            collect(combine(concat(spend_parts, UnionArgs::default()).map_err(bad)?, &SPEND_KEYS, &["cost_usd"]))?;
        let rates = collect(combine(
            concat(rate_parts, UnionArgs::default()).map_err(bad)?,
            &RATE_KEYS,
            &["list_cost_usd", "effective_cost_usd"],
        ))?;
        let spend = crate::snapshot::load::conform(&path, FrameName::SpendMonthly, spend)?;
        let rates = crate::snapshot::load::conform(&path, FrameName::EffectiveRates, rates)?;
        out.push((FrameName::SpendMonthly, spend, format));
        out.push((FrameName::EffectiveRates, rates, format));
    }
    Ok(out)
}

/// Group keys of `spend_monthly` and `effective_rates`.
const SPEND_KEYS: [&str; 6] = ["month", "account_id", "region", "service", "usage_type", "resource_id"];
const RATE_KEYS: [&str; 8] =
    ["month", "account_id", "region", "service", "usage_type", "operation", "resource_id", "coverage"];

fn keys(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|k| col(*k)).collect()
}

/// Partial aggregates (of several files) into one: sums add, the unit is the first seen.
fn combine(partials: LazyFrame, by: &[&str], money: &[&str]) -> LazyFrame {
    let mut agg: Vec<Expr> = money.iter().map(|m| col(*m).sum()).collect();
    agg.push(col("usage_quantity").sum());
    agg.push(col("usage_unit").first());
    partials.group_by(keys(by)).agg(agg)
}

/// The two aggregations over the normalised lines.
pub fn aggregate(lines: LazyFrame) -> (LazyFrame, LazyFrame) {
    let spend = lines.clone().group_by(keys(&SPEND_KEYS)).agg([
        col("amortized_cost_usd").sum().alias("cost_usd"),
        col("usage_quantity").sum(),
        col("usage_unit").first(),
    ]);
    let rates = lines.filter(col("line_kind").eq(lit("rate"))).group_by(keys(&RATE_KEYS)).agg([
        col("list_cost_usd").sum(),
        col("effective_cost_usd").sum(),
        col("usage_quantity").sum(),
        col("usage_unit").first(),
    ]);
    (spend, rates)
}
