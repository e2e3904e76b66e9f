//! CloudWatch metrics, always through GetMetricData in batches of up to 500 queries
//! per call (never one call per metric), paginated.

use std::collections::HashMap;

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_smithy_types::DateTime;

use super::CollectError;
use super::api_calls::ApiCallCounter;

/// GetMetricData accepts at most 500 queries per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;

#[derive(Debug, Clone)]
pub struct MetricQuery {
    pub namespace: &'static str,
    pub metric: &'static str,
    pub dimensions: Vec<(&'static str, String)>,
    /// Average | Maximum | Sum | Minimum
    pub stat: &'static str,
    pub period_secs: i32,
}

/// One series: (epoch seconds, value), oldest first.
pub type Points = Vec<(i64, f64)>;

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
    for (batch_no, batch) in queries.chunks(MAX_QUERIES_PER_CALL).enumerate() {
        let base = batch_no * MAX_QUERIES_PER_CALL;
        let mut data_queries = Vec::with_capacity(batch.len());
        for (i, q) in batch.iter().enumerate() {
            let dims: Vec<Dimension> =
                q.dimensions.iter().map(|(k, v)| Dimension::builder().name(*k).value(v.clone()).build()).collect();
            let metric =
                Metric::builder().namespace(q.namespace).metric_name(q.metric).set_dimensions(Some(dims)).build();
            let stat = MetricStat::builder().metric(metric).period(q.period_secs).stat(q.stat).build();
            data_queries.push(
                MetricDataQuery::builder().id(format!("m{}", base + i)).metric_stat(stat).return_data(true).build(),
            );
        }
        counter.add("cloudwatch:metrics", batch.len() as u64);
        let mut token: Option<String> = None;
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
                if let Some(series) = out.get_mut(idx) {
                    series.extend(result.timestamps().iter().map(|t| t.secs()).zip(result.values().iter().copied()));
                }
            }
            token = resp.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    for series in &mut out {
        series.sort_by_key(|(t, _)| *t);
        series.dedup_by_key(|(t, _)| *t);
    }
    Ok(out)
}

/// Index series by (query index) for lookups such as "CPU average of instance i".
pub fn by_key<K: std::hash::Hash + Eq>(keys: Vec<K>, series: Vec<Points>) -> HashMap<K, Points> {
    keys.into_iter().zip(series).collect()
}
