//! DynamoDB metrics per capacity unit — a table (`TableName`) or a GSI (`TableName` +
//! `GlobalSecondaryIndexName`, its own series) — through GetMetricData:
//!
//! - hourly, for every unit: consumed read/write (Sum), provisioned read/write
//!   (Average; provisioned units only) and read/write throttle events (Sum);
//! - per minute, for the costliest units (ranked on their hourly data at us-east-1 list
//!   prices): consumed read/write, Sum per 60 s, for the auto-scaling simulation. 14 days
//!   at Period 60 is 20,160 datapoints a series, so 5 series per call (100,800).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::collectors::CollectError;
use crate::collectors::aws::AwsContext;
use crate::collectors::cloudwatch::{MetricQuery, Points, for_each_series};
use crate::pricing::PriceBook;
use crate::snapshot::FrameName;
use crate::snapshot::builder::{Cell, FrameBuilder};

use super::Unit;

/// CloudWatch keeps 1-minute datapoints for 15 days; read at most the last 14.
pub const MINUTE_DAYS: i64 = 14;

const HOURLY_SERIES: &[(&str, &str, &str)] = &[
    ("consumed_rcu", "ConsumedReadCapacityUnits", "Sum"),
    ("consumed_wcu", "ConsumedWriteCapacityUnits", "Sum"),
    ("read_throttles", "ReadThrottleEvents", "Sum"),
    ("write_throttles", "WriteThrottleEvents", "Sum"),
    ("provisioned_rcu", "ProvisionedReadCapacityUnits", "Average"),
    ("provisioned_wcu", "ProvisionedWriteCapacityUnits", "Average"),
];

fn dimensions(unit: &Unit) -> Vec<(&'static str, String)> {
    let mut dims = vec![("TableName", unit.table.clone())];
    if let Some(index) = &unit.index {
        dims.push(("GlobalSecondaryIndexName", index.clone()));
    }
    dims
}

/// The hourly frame, and each unit's monthly capacity cost estimate (for ranking).
pub struct Hourly {
    pub frame: DataFrame,
    pub weights: Vec<f64>,
}

/// The hourly queries of `units`, and (unit index, column) of each.
pub fn hourly_queries(units: &[Unit]) -> (Vec<MetricQuery>, Vec<(usize, &'static str)>) {
    let mut queries = Vec::new();
    let mut keys = Vec::new();
    for (n, unit) in units.iter().enumerate() {
        // On-demand units publish no Provisioned* metrics: not asked for (they would cost).
        let series = if unit.on_demand { &HOURLY_SERIES[..4] } else { HOURLY_SERIES };
        for (column, metric, stat) in series {
            let dimensions = dimensions(unit);
            queries.push(MetricQuery { namespace: "AWS/DynamoDB", metric, dimensions, stat, period_secs: 3600 });
            keys.push((n, *column));
        }
    }
    (queries, keys)
}

/// Consumed read then write units of each unit, Sum per 60 s.
pub fn minute_queries(units: &[&Unit]) -> Vec<MetricQuery> {
    let mut queries = Vec::with_capacity(units.len() * 2);
    for unit in units {
        for metric in ["ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"] {
            let dimensions = dimensions(unit);
            queries.push(MetricQuery { namespace: "AWS/DynamoDB", metric, dimensions, stat: "Sum", period_secs: 60 });
        }
    }
    queries
}

/// Where the per-minute period starts: at most the last `MINUTE_DAYS` of the window.
pub fn minute_start(start: i64, end: i64) -> i64 {
    start.max(end - MINUTE_DAYS * 86_400) / 60 * 60
}

pub async fn hourly(
    ctx: &AwsContext,
    region: &str,
    units: &[Unit],
    start: i64,
    end: i64,
) -> Result<Hourly, CollectError> {
    let (queries, keys) = hourly_queries(units);
    let cw = ctx.cloudwatch(region);
    let mut by_unit: Vec<BTreeMap<i64, HashMap<&str, f64>>> = vec![BTreeMap::new(); units.len()];
    for_each_series(&cw, &ctx.counter, &queries, start, end, |i, points| {
        let (n, column) = keys[i];
        for (t, v) in points {
            by_unit[n].entry(t).or_default().insert(column, v);
        }
    })
    .await?;
    let weight = Weights::new();
    let mut weights = vec![0.0; units.len()];
    let mut b = FrameBuilder::new(FrameName::DynamodbMetricsHourly);
    for (n, hours) in by_unit.into_iter().enumerate() {
        let unit = &units[n];
        for (t, v) in hours {
            let get = |c: &str| v.get(c).copied();
            let per_second = |c: &str| get(c).unwrap_or(0.0) / 3600.0;
            let throttles = get("read_throttles").unwrap_or(0.0) + get("write_throttles").unwrap_or(0.0);
            weights[n] += weight.hour(
                per_second("consumed_rcu").max(get("provisioned_rcu").unwrap_or(0.0)),
                per_second("consumed_wcu").max(get("provisioned_wcu").unwrap_or(0.0)),
            );
            b.row([
                ("account_id", unit.account.as_str().into()),
                ("region", region.into()),
                ("table", unit.table.as_str().into()),
                ("index", unit.index.as_deref().into()),
                ("ts", Cell::Ts(Some(t * 1000))),
                ("consumed_rcu", per_second("consumed_rcu").into()),
                ("consumed_wcu", per_second("consumed_wcu").into()),
                ("provisioned_rcu", Cell::F64(get("provisioned_rcu"))),
                ("provisioned_wcu", Cell::F64(get("provisioned_wcu"))),
                ("throttled_requests", (throttles.round() as i64).into()),
            ])?;
        }
    }
    Ok(Hourly { frame: b.finish()?, weights })
}

/// Capacity-hour prices used only to rank units for minute collection.
struct Weights {
    rcu: f64,
    wcu: f64,
}

impl Weights {
    fn new() -> Weights {
        let book = PriceBook::embedded();
        let price = |key: &str| book.usd("us-east-1", key).unwrap_or(1.0);
        Weights {
            rcu: price("dynamodb.provisioned.rcu_hour.STANDARD"),
            wcu: price("dynamodb.provisioned.wcu_hour.STANDARD"),
        }
    }

    fn hour(&self, rcu: f64, wcu: f64) -> f64 {
        rcu * self.rcu + wcu * self.wcu
    }
}

/// The `limit` units with the largest (positive) weight, in unit order.
pub fn costliest(weights: &[f64], limit: usize) -> Vec<usize> {
    let mut ranked: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
    ranked.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    ranked.truncate(limit);
    ranked.sort_unstable();
    ranked
}

/// The minute frame for `selected` units: one row per minute in which the unit had
/// reads or writes.
pub async fn minute(
    ctx: &AwsContext,
    region: &str,
    units: &[&Unit],
    start: i64,
    end: i64,
) -> Result<DataFrame, CollectError> {
    let start = minute_start(start, end);
    let queries = minute_queries(units);
    let cw = ctx.cloudwatch(region);
    let mut columns = MinuteColumns::default();
    let mut reads: HashMap<usize, Points> = HashMap::new();
    for_each_series(&cw, &ctx.counter, &queries, start, end, |i, points| {
        let n = i / 2;
        if i % 2 == 0 {
            reads.insert(n, points);
        } else {
            let read = reads.remove(&n).unwrap_or_default();
            columns.push(&units[n].arn, &read, &points);
        }
    })
    .await?;
    columns.finish()
}

/// Columns of `dynamodb_metrics_minute`; the ARN is stored once per unit (a constant
/// run shares one string buffer), so millions of rows stay small.
#[derive(Default)]
pub struct MinuteColumns {
    arns: Vec<(String, usize)>,
    ts: Vec<i64>,
    read: Vec<f64>,
    write: Vec<f64>,
}

impl MinuteColumns {
    /// Add one unit's read and write series (each sorted by time), merged by minute.
    pub fn push(&mut self, arn: &str, read: &[(i64, f64)], write: &[(i64, f64)]) {
        let before = self.ts.len();
        let (mut r, mut w) = (0, 0);
        while r < read.len() || w < write.len() {
            let tr = read.get(r).map(|p| p.0).unwrap_or(i64::MAX);
            let tw = write.get(w).map(|p| p.0).unwrap_or(i64::MAX);
            let t = tr.min(tw);
            let value = |series: &[(i64, f64)], k: &mut usize, tk: i64| {
                if tk == t {
                    *k += 1;
                    series[*k - 1].1
                } else {
                    0.0
                }
            };
            let rv = value(read, &mut r, tr);
            let wv = value(write, &mut w, tw);
            self.ts.push(t * 1000);
            self.read.push(rv);
            self.write.push(wv);
        }
        let rows = self.ts.len() - before;
        if rows > 0 {
            self.arns.push((arn.to_string(), rows));
        }
    }

    pub fn finish(self) -> Result<DataFrame, CollectError> {
        let mut arn = StringChunked::full_null("arn".into(), 0);
        for (value, rows) in &self.arns {
            arn.append(&StringChunked::full("arn".into(), value, *rows))?;
        }
        let ts = Int64Chunked::from_vec("ts".into(), self.ts).into_datetime(TimeUnit::Milliseconds, None);
        let df = DataFrame::new_infer_height(vec![
            arn.into_series().into_column(),
            ts.into_series().into_column(),
            Column::new("consumed_read_units".into(), self.read),
            Column::new("consumed_write_units".into(), self.write),
        ])?;
        Ok(crate::snapshot::load::conform(
            std::path::Path::new(FrameName::DynamodbMetricsMinute.as_str()),
            FrameName::DynamodbMetricsMinute,
            df,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_and_write_series_merge_by_minute() {
        let mut c = MinuteColumns::default();
        c.push("arn:a", &[(60, 1.0), (180, 3.0)], &[(120, 20.0), (180, 30.0)]);
        c.push("arn:b", &[], &[]);
        c.push("arn:c", &[(60, 5.0)], &[]);
        let df = c.finish().unwrap();
        let arns: Vec<&str> = df.column("arn").unwrap().str().unwrap().iter().flatten().collect();
        assert_eq!(arns, ["arn:a", "arn:a", "arn:a", "arn:c"]);
        let read: Vec<f64> = df.column("consumed_read_units").unwrap().f64().unwrap().into_no_null_iter().collect();
        let write: Vec<f64> = df.column("consumed_write_units").unwrap().f64().unwrap().into_no_null_iter().collect();
        assert_eq!(read, [1.0, 0.0, 3.0, 5.0]);
        assert_eq!(write, [0.0, 20.0, 30.0, 0.0]);
    }

    /// The API calls and CloudWatch dollars of a 5,000-table account over the default
    /// 14 days, from the same query builders and call planner the collector uses.
    #[test]
    fn a_5000_table_account_stays_affordable() {
        use crate::collectors::cloudwatch::plan_calls;
        use crate::collectors::{DEFAULT_DAYS, DYNAMODB_MINUTE_UNITS};
        use crate::snapshot::manifest::api_cost_usd;
        let unit = |n: usize, index: Option<&str>, on_demand: bool| Unit {
            account: "1".into(),
            table: format!("t{n}"),
            index: index.map(str::to_string),
            arn: format!("arn:aws:dynamodb:us-east-1:1:table/t{n}"),
            on_demand,
        };
        let end = 1_800_000_000 / 3600 * 3600;
        let start = end - DEFAULT_DAYS as i64 * 86_400;
        let cost = |units: &[Unit]| {
            let (hourly, _) = hourly_queries(units);
            let selected: Vec<&Unit> = units.iter().take(DYNAMODB_MINUTE_UNITS).collect();
            let minute = minute_queries(&selected);
            let calls =
                plan_calls(&hourly, start, end).len() + plan_calls(&minute, minute_start(start, end), end).len();
            let metrics = (hourly.len() + minute.len()) as u64;
            let usd = api_cost_usd(&[("cloudwatch:metrics".to_string(), metrics)].into_iter().collect());
            (calls, metrics, usd)
        };
        // 5,000 provisioned tables: 6 hourly series each = 30,000 metrics, 300 a call
        // (100,800 ÷ 336 hourly points) = 100 calls; 500 units per minute × 2 = 1,000
        // metrics, 5 a call (100,800 ÷ 20,160) = 200 calls. 31,000 metrics × $0.01/1,000.
        let provisioned: Vec<Unit> = (0..5000).map(|n| unit(n, None, false)).collect();
        assert_eq!(cost(&provisioned), (300, 31_000, 0.31));
        // 5,000 on-demand tables: 4 hourly series each (no Provisioned*) = 20,000 metrics in 67 calls.
        let on_demand: Vec<Unit> = (0..5000).map(|n| unit(n, None, true)).collect();
        assert_eq!(cost(&on_demand), (67 + 200, 21_000, 0.21));
        // 5,000 provisioned tables with one GSI each: 10,000 units, 60,000 + 1,000 metrics.
        let with_gsis: Vec<Unit> = (0..5000).flat_map(|n| [unit(n, None, false), unit(n, Some("g"), false)]).collect();
        assert_eq!(cost(&with_gsis), (200 + 200, 61_000, 0.61));
    }

    #[test]
    fn costliest_units_first_then_in_order() {
        assert_eq!(costliest(&[1.0, 0.0, 5.0, 3.0, 2.0], 3), vec![2, 3, 4]);
        assert_eq!(costliest(&[0.0, 0.0], 5), Vec::<usize>::new());
    }
}
