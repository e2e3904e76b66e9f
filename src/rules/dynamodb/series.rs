//! The metric rows of each capacity unit, read in one pass per frame: hourly rows into
//! small per-unit vectors, per-minute rows streamed one unit at a time (a run of rows
//! with the same ARN), so even millions of minutes are never copied as a whole.

use std::collections::HashMap;

use polars::prelude::*;

use crate::rules::RuleError;
use crate::snapshot::{FrameName, Snapshot};

use super::model::Tables;

/// One hour of one unit. Provisioned is NaN when not reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hour {
    pub ts_s: i64,
    /// Consumed units per second (the hour's average), reads and writes.
    pub consumed: [f64; 2],
    pub provisioned: [f64; 2],
}

/// A unit's hourly rows, sorted by time, and its throttle events.
#[derive(Debug, Clone, Default)]
pub struct UnitHours {
    pub hours: Vec<Hour>,
    pub throttles: i64,
}

/// `[table][unit]` hourly rows; rows naming an unknown table or GSI are counted.
pub struct HourlyRows {
    pub units: Vec<Vec<UnitHours>>,
    pub unknown_rows: usize,
}

fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column, RuleError> {
    Ok(df.column(name)?)
}

/// (account, region, table, index) of a row.
type RowKey<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, Option<&'a str>);

pub fn hourly(snapshot: &Snapshot, tables: &Tables) -> Result<HourlyRows, RuleError> {
    let mut out = HourlyRows {
        units: tables.tables.iter().map(|t| vec![UnitHours::default(); t.units.len()]).collect(),
        unknown_rows: 0,
    };
    let Some(df) = snapshot.frame(FrameName::DynamodbMetricsHourly) else { return Ok(out) };
    let account = column(df, "account_id")?.str()?;
    let region = column(df, "region")?.str()?;
    let table = column(df, "table")?.str()?;
    let index = column(df, "index")?.str()?;
    let ts = column(df, "ts")?.cast(&DataType::Int64)?;
    let ts = ts.i64()?;
    let (cr, cw) = (column(df, "consumed_rcu")?.f64()?, column(df, "consumed_wcu")?.f64()?);
    let (pr, pw) = (column(df, "provisioned_rcu")?.f64()?, column(df, "provisioned_wcu")?.f64()?);
    let throttled = column(df, "throttled_requests")?.i64()?;
    let mut last: Option<(RowKey, Option<(usize, usize)>)> = None;
    let rows = account.iter().zip(region.iter()).zip(table.iter()).zip(index.iter());
    let values = ts.iter().zip(cr.iter()).zip(cw.iter()).zip(pr.iter()).zip(pw.iter()).zip(throttled.iter());
    for ((((a, r), t), x), (((((ts, cr), cw), pr), pw), th)) in rows.zip(values) {
        let key = (a, r, t, x);
        let unit = match &last {
            Some((k, u)) if *k == key => *u,
            _ => {
                let u = tables.find(a.unwrap_or_default(), r.unwrap_or_default(), t.unwrap_or_default(), x);
                last = Some((key, u));
                u
            }
        };
        let (Some((ti, ui)), Some(ts)) = (unit, ts) else {
            out.unknown_rows += 1;
            continue;
        };
        let slot = &mut out.units[ti][ui];
        slot.hours.push(Hour {
            ts_s: ts.div_euclid(1000),
            consumed: [cr.unwrap_or(0.0).max(0.0), cw.unwrap_or(0.0).max(0.0)],
            provisioned: [pr.unwrap_or(f64::NAN), pw.unwrap_or(f64::NAN)],
        });
        slot.throttles += th.unwrap_or(0).max(0);
    }
    for units in &mut out.units {
        for u in units {
            if !u.hours.is_sorted_by_key(|h| h.ts_s) {
                u.hours.sort_by_key(|h| h.ts_s);
            }
            u.hours.dedup_by_key(|h| h.ts_s);
        }
    }
    Ok(out)
}

/// One unit's minutes: epoch seconds, and read and write units per second (Sum ÷ 60).
#[derive(Debug, Default)]
pub struct Minutes {
    pub ts_s: Vec<i64>,
    pub per_s: [Vec<f64>; 2],
}

impl Minutes {
    fn clear(&mut self) {
        self.ts_s.clear();
        self.per_s[0].clear();
        self.per_s[1].clear();
    }
}

/// `arn:aws:dynamodb:<region>:<account>:table/<t>[/index/<i>]` → (account, region, table, index).
pub fn parse_arn(arn: &str) -> Option<(&str, &str, &str, Option<&str>)> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if service != "dynamodb" {
        return None;
    }
    let rest = resource.strip_prefix("table/")?;
    match rest.split_once("/index/") {
        Some((t, i)) => Some((account, region, t, Some(i))),
        None => Some((account, region, rest, None)),
    }
}

/// What the minute frame held for units the tables do not list.
#[derive(Debug, Default)]
pub struct MinuteScan {
    pub unknown_arns: Vec<String>,
}

/// Call `f(table, unit, minutes)` once per unit with per-minute rows, its minutes sorted
/// by time. The frame is scanned in place when each ARN's rows are contiguous and in
/// time order (as the collector and the demo write them); otherwise it is sorted first.
pub fn for_each_minute_unit(
    snapshot: &Snapshot,
    tables: &Tables,
    mut f: impl FnMut(usize, usize, &Minutes),
) -> Result<MinuteScan, RuleError> {
    let mut scan = MinuteScan::default();
    let Some(df) = snapshot.frame(FrameName::DynamodbMetricsMinute) else { return Ok(scan) };
    let sorted;
    let df = if grouped_in_order(df)? {
        df
    } else {
        sorted = df.sort(["arn", "ts"], SortMultipleOptions::default())?;
        &sorted
    };
    let arn = column(df, "arn")?.str()?;
    let ts = column(df, "ts")?.cast(&DataType::Int64)?;
    let ts = ts.i64()?;
    let (reads, writes) = (column(df, "consumed_read_units")?.f64()?, column(df, "consumed_write_units")?.f64()?);
    let mut run = Minutes::default();
    let mut current: Option<&str> = None;
    let mut flush = |key: Option<&str>, run: &mut Minutes, scan: &mut MinuteScan| {
        if let Some(key) = key
            && !run.ts_s.is_empty()
        {
            match parse_arn(key).and_then(|(a, r, t, i)| tables.find(a, r, t, i)) {
                Some((ti, ui)) => f(ti, ui, run),
                None => scan.unknown_arns.push(key.to_string()),
            }
        }
        run.clear();
    };
    for (((a, t), r), w) in arn.iter().zip(ts.iter()).zip(reads.iter()).zip(writes.iter()) {
        let (Some(a), Some(t)) = (a, t) else { continue };
        if current != Some(a) {
            flush(current, &mut run, &mut scan);
            current = Some(a);
        }
        let t = t.div_euclid(1000);
        if run.ts_s.last() == Some(&t) {
            continue;
        }
        run.ts_s.push(t);
        run.per_s[0].push(r.unwrap_or(0.0).max(0.0) / 60.0);
        run.per_s[1].push(w.unwrap_or(0.0).max(0.0) / 60.0);
    }
    flush(current, &mut run, &mut scan);
    Ok(scan)
}

/// True when every ARN's rows form one run and each run is in time order.
fn grouped_in_order(df: &DataFrame) -> Result<bool, RuleError> {
    let arn = column(df, "arn")?.str()?;
    let ts = column(df, "ts")?.cast(&DataType::Int64)?;
    let ts = ts.i64()?;
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let mut previous: Option<(&str, i64)> = None;
    for (a, t) in arn.iter().zip(ts.iter()) {
        let (Some(a), Some(t)) = (a, t) else { continue };
        match previous {
            Some((pa, pt)) if pa == a => {
                if t < pt {
                    return Ok(false);
                }
            }
            _ => {
                if seen.insert(a, ()).is_some() {
                    return Ok(false);
                }
            }
        }
        previous = Some((a, t));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_parse_for_tables_and_indexes() {
        assert_eq!(
            parse_arn("arn:aws:dynamodb:us-east-1:123456789012:table/orders"),
            Some(("123456789012", "us-east-1", "orders", None))
        );
        assert_eq!(
            parse_arn("arn:aws-cn:dynamodb:cn-north-1:1:table/t/index/by-day"),
            Some(("1", "cn-north-1", "t", Some("by-day")))
        );
        assert_eq!(parse_arn("arn:aws:s3:::bucket"), None);
    }
}
