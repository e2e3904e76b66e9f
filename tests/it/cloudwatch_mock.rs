//! GetMetricData batching, pagination and retries, with aws-smithy-mocks (no server).

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::MetricDataResult;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use aws_smithy_types::DateTime;
use tierwise::collectors::api_calls::ApiCallCounter;
use tierwise::collectors::cloudwatch::{MetricQuery, get_metric_data};

fn client(rules: &[&Rule]) -> Client {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    let conf = aws_sdk_cloudwatch::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(create_mock_http_client())
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(4)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .interceptor(interceptor)
        .build();
    Client::from_conf(conf)
}

fn queries(n: usize) -> Vec<MetricQuery> {
    (0..n)
        .map(|i| MetricQuery {
            namespace: "AWS/EC2",
            metric: "CPUUtilization",
            dimensions: vec![("InstanceId", format!("i-{i:05}"))],
            stat: "Average",
            period_secs: 3600,
        })
        .collect()
}

/// Answer every query of a request with two points whose value encodes the query id.
fn echo(req: &aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataInput) -> GetMetricDataOutput {
    let results = req
        .metric_data_queries()
        .iter()
        .map(|q| {
            let id = q.id().unwrap_or_default();
            let n: f64 = id.trim_start_matches('m').parse().unwrap_or(-1.0);
            MetricDataResult::builder()
                .id(id)
                .timestamps(DateTime::from_secs(7200))
                .timestamps(DateTime::from_secs(3600))
                .values(n)
                .values(n + 0.5)
                .build()
        })
        .collect();
    GetMetricDataOutput::builder().set_metric_data_results(Some(results)).build()
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

#[test]
fn batches_within_500_queries_and_100800_datapoints_and_results_stay_aligned() {
    let rule = mock!(Client::get_metric_data)
        .match_requests(|r| r.metric_data_queries().len() <= 300)
        .then_compute_output(echo);
    let cw = client(&[&rule]);
    let counter = ApiCallCounter::default();
    let series = run(get_metric_data(&cw, &counter, &queries(1200), 0, 14 * 86_400)).unwrap();
    // 14 days hourly = 336 datapoints a series: 100,800 ÷ 336 = 300 series per call (fewer
    // than 500), so 1,200 series take 4 calls and no call ever paginates.
    assert_eq!(rule.num_calls(), 4);
    assert_eq!(counter.totals().get("setup:metrics"), None);
    assert_eq!(counter.totals().get("cloudwatch:metrics"), Some(&1200));
    assert_eq!(series.len(), 1200);
    for (i, points) in series.iter().enumerate() {
        // sorted oldest first: (3600, n + 0.5), (7200, n)
        assert_eq!(points, &vec![(3600, i as f64 + 0.5), (7200, i as f64)], "series {i}");
    }
}

#[test]
fn a_repeated_next_token_is_an_error_not_a_loop() {
    let rule = mock!(Client::get_metric_data).then_output(|| GetMetricDataOutput::builder().next_token("same").build());
    let cw = client(&[&rule]);
    let err = run(get_metric_data(&cw, &ApiCallCounter::default(), &queries(3), 0, 3600)).unwrap_err();
    assert_eq!(rule.num_calls(), 2, "the second answer repeats the token");
    assert!(err.to_string().contains("NextToken \"same\" twice"), "{err}");
}

#[test]
fn throttling_and_5xx_are_retried() {
    let rule = mock!(Client::get_metric_data)
        .sequence()
        .http_status(503, None)
        .http_status(500, None)
        .output(|| GetMetricDataOutput::builder().build())
        .build();
    let cw = client(&[&rule]);
    let out = run(get_metric_data(&cw, &ApiCallCounter::default(), &queries(3), 0, 3600));
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(rule.num_calls(), 3, "two failures then success");
}

#[test]
fn a_persistent_failure_names_the_operation() {
    let rule = mock!(Client::get_metric_data).sequence().http_status(503, None).repeatedly().build();
    let cw = client(&[&rule]);
    let err = run(get_metric_data(&cw, &ApiCallCounter::default(), &queries(3), 0, 3600)).unwrap_err();
    assert_eq!(rule.num_calls(), 4, "max_attempts = 4");
    assert!(err.to_string().starts_with("cloudwatch:GetMetricData"), "{err}");
}
