//! CloudWatch metrics, always through GetMetricData (never one call per metric), in
//! calls planned within its limits — at most 500 queries and 100,800 datapoints per
//! call — so a call is normally answered in one page; pagination is still followed,
//! and a repeated NextToken ends the call with an error instead of looping.

use std::collections::HashMap;
use std::ops::Range;

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_smithy_types::DateTime;

use super::CollectError;
use super::api_calls::ApiCallCounter;

/// GetMetricData accepts at most 500 queries per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;
/// GetMetricData returns at most 100,800 datapoints per call before it paginates
/// (its default and maximum `MaxDatapoints`).
pub const MAX_DATAPOINTS_PER_CALL: u64 = 100_800;

#[derive(Debug, Clone)]
pub struct MetricQuery {
    pub namespace: &'static str,
    pub metric: &'static str,
    pub dimensions: Vec<(&'static str, String)>,
    /// Average | Maximum | Sum | Minimum
    pub stat: &'static str,
    pub period_secs: i32,
}

impl MetricQuery {
    /// The most datapoints this query can return between `start` and `end` (epoch seconds).
    pub fn max_datapoints(&self, start: i64, end: i64) -> u64 {
        let span = (end - start).max(0) as u64;
        span.div_ceil(self.period_secs.max(1) as u64)
    }
}

/// One series: (epoch seconds, value), oldest first.
pub type Points = Vec<(i64, f64)>;

/// Split `queries` into consecutive calls of at most 500 queries and at most 100,800
/// datapoints each. A query that alone exceeds the datapoint limit gets a call of its
/// own (and is paginated).
pub fn plan_calls(queries: &[MetricQuery], start: i64, end: i64) -> Vec<Range<usize>> {
    let mut calls = Vec::new();
    let mut first = 0;
    let mut points = 0u64;
    for (i, q) in queries.iter().enumerate() {
        let n = q.max_datapoints(start, end);
        let full = i - first >= MAX_QUERIES_PER_CALL || points + n > MAX_DATAPOINTS_PER_CALL;
        if i > first && full {
            calls.push(first..i);
            first = i;
            points = 0;
        }
        points += n;
    }
    if first < queries.len() {
        calls.push(first..queries.len());
    }
    calls
}

/// Fetch every query's series between `start` and `end` (epoch seconds). The result
/// is index-aligned with `queries`.
pub async fn get_metric_data(
    client: &aws_sdk_cloudwatch::Client,
    counter: &ApiCallCounter,
    queries: &[MetricQuery],
    start: i64,
    end: i64,
) -> Result<Vec<Points>, CollectError> {
    let mut out: Vec<Points> = vec![Vec::new(); queries.len()];
    for_each_series(client, counter, queries, start, end, |i, points| out[i] = points).await?;
    Ok(out)
}

/// Fetch the series call by call and hand each to `sink(query index, points)` as soon
/// as its call is complete, so a caller can fold millions of datapoints into its own
/// columns without holding every series at once.
pub async fn for_each_series(
    client: &aws_sdk_cloudwatch::Client,
    counter: &ApiCallCounter,
    queries: &[MetricQuery],
    start: i64,
    end: i64,
    mut sink: impl FnMut(usize, Points),
) -> Result<(), CollectError> {
    for call in plan_calls(queries, start, end) {
        let base = call.start;
        let batch = &queries[call];
        let data_queries: Vec<MetricDataQuery> =
            batch.iter().enumerate().map(|(i, q)| data_query(&format!("m{}", base + i), q)).collect();
        counter.add("cloudwatch:metrics", batch.len() as u64);
        let mut series: Vec<Points> = vec![Vec::new(); batch.len()];
        let mut token: Option<String> = None;
        let mut seen_tokens = std::collections::HashSet::new();
        loop {
            let resp = client
                .get_metric_data()
                .set_metric_data_queries(Some(data_queries.clone()))
                .start_time(DateTime::from_secs(start))
                .end_time(DateTime::from_secs(end))
                .scan_by(ScanBy::TimestampAscending)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| CollectError::from_sdk("cloudwatch:GetMetricData", e))?;
            for result in resp.metric_data_results() {
                let Some(idx) = result.id().and_then(|id| id.strip_prefix('m')).and_then(|n| n.parse::<usize>().ok())
                else {
                    continue;
                };
                if let Some(points) = idx.checked_sub(base).and_then(|local| series.get_mut(local)) {
                    points.extend(result.timestamps().iter().map(|t| t.secs()).zip(result.values().iter().copied()));
                }
            }
            token = resp.next_token().map(str::to_string);
            match &token {
                None => break,
                Some(t) if !seen_tokens.insert(t.clone()) => {
                    return Err(CollectError::Other(format!(
                        "cloudwatch:GetMetricData returned the NextToken {t:?} twice; stopped paginating"
                    )));
                }
                Some(_) => {}
            }
        }
        for (i, mut points) in series.into_iter().enumerate() {
            points.sort_by_key(|(t, _)| *t);
            points.dedup_by_key(|(t, _)| *t);
            sink(base + i, points);
        }
    }
    Ok(())
}

fn data_query(id: &str, q: &MetricQuery) -> MetricDataQuery {
    let dims: Vec<Dimension> =
        q.dimensions.iter().map(|(k, v)| Dimension::builder().name(*k).value(v.clone()).build()).collect();
    let metric = Metric::builder().namespace(q.namespace).metric_name(q.metric).set_dimensions(Some(dims)).build();
    let stat = MetricStat::builder().metric(metric).period(q.period_secs).stat(q.stat).build();
    MetricDataQuery::builder().id(id).metric_stat(stat).return_data(true).build()
}

/// Index series by (query index) for lookups such as "CPU average of instance i".
pub fn by_key<K: std::hash::Hash + Eq>(keys: Vec<K>, series: Vec<Points>) -> HashMap<K, Points> {
    keys.into_iter().zip(series).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(period_secs: i32) -> MetricQuery {
        MetricQuery { namespace: "AWS/X", metric: "M", dimensions: vec![], stat: "Sum", period_secs }
    }

    #[test]
    fn calls_respect_both_limits() {
        let day = 86_400;
        // 14 days hourly: 336 points each → 300 per call (100,800 ÷ 336), under 500.
        let hourly = vec![q(3600); 1200];
        let calls = plan_calls(&hourly, 0, 14 * day);
        assert_eq!(calls.iter().map(|c| c.len()).collect::<Vec<_>>(), vec![300, 300, 300, 300]);
        // 14 days per minute: 20,160 points each → 5 per call (5 × 20,160 = 100,800).
        let minute = vec![q(60); 12];
        let calls = plan_calls(&minute, 0, 14 * day);
        assert_eq!(calls.iter().map(|c| c.len()).collect::<Vec<_>>(), vec![5, 5, 2]);
        // 2 days hourly: 48 points each → the 500-query limit binds.
        let calls = plan_calls(&vec![q(3600); 1001], 0, 2 * day);
        assert_eq!(calls.iter().map(|c| c.len()).collect::<Vec<_>>(), vec![500, 500, 1]);
        // A query larger than the limit alone still gets its own call.
        let calls = plan_calls(&[q(60), q(60)], 0, 90 * day);
        assert_eq!(calls, vec![0..1, 1..2]);
        assert!(plan_calls(&[], 0, day).is_empty());
    }
}
