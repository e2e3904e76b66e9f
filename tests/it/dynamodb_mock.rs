//! What moto cannot serve for the DynamoDB collector, with aws-smithy-mocks: Application
//! Auto Scaling paging that repeats a NextToken (moto's own bug after page 2), more than
//! two pages, and policies matched to their target exactly (moto's ResourceId filter is
//! a substring match).

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::operation::describe_scalable_targets::{
    DescribeScalableTargetsInput, DescribeScalableTargetsOutput,
};
use aws_sdk_applicationautoscaling::operation::describe_scaling_policies::DescribeScalingPoliciesOutput;
use aws_sdk_applicationautoscaling::types::{
    PolicyType, ScalableDimension, ScalableTarget, ScalingPolicy, ServiceNamespace, SuspendedState,
    TargetTrackingScalingPolicyConfiguration,
};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use aws_smithy_types::DateTime;
use tierwise::collectors::dynamodb::autoscaling::{Dimension, read};

fn client(rules: &[&Rule]) -> Client {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    let conf = aws_sdk_applicationautoscaling::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(create_mock_http_client())
        .interceptor(interceptor)
        .build();
    Client::from_conf(conf)
}

fn target(resource: &str, dimension: &str, max: i32) -> ScalableTarget {
    ScalableTarget::builder()
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(resource)
        .scalable_dimension(ScalableDimension::from(dimension))
        .min_capacity(1)
        .max_capacity(max)
        .role_arn("arn:aws:iam::123456789012:role/x")
        .creation_time(DateTime::from_secs(0))
        .build()
        .unwrap()
}

fn policy(resource: &str, dimension: &str, target_value: f64) -> ScalingPolicy {
    ScalingPolicy::builder()
        .policy_arn(format!("arn:p:{resource}:{dimension}"))
        .policy_name(format!("p-{resource}"))
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(resource)
        .scalable_dimension(ScalableDimension::from(dimension))
        .policy_type(PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(
            TargetTrackingScalingPolicyConfiguration::builder().target_value(target_value).build().unwrap(),
        )
        .creation_time(DateTime::from_secs(0))
        .build()
        .unwrap()
}

/// Pages of two targets keyed by NextToken: none → "1" → "2" → "2" again (a paging bug).
fn paged_targets(req: &DescribeScalableTargetsInput) -> DescribeScalableTargetsOutput {
    let read = "dynamodb:table:ReadCapacityUnits";
    let write = "dynamodb:table:WriteCapacityUnits";
    let (targets, next) = match req.next_token() {
        None => (vec![target("table/a", read, 10), target("table/a", write, 11)], Some("1")),
        Some("1") => (
            vec![target("table/b", read, 20), target("table/b/index/g", "dynamodb:index:ReadCapacityUnits", 21)],
            Some("2"),
        ),
        // Page 3 and then, wrongly, page 3 again with the same token.
        _ => (vec![target("table/c", read, 30), target("table/c", write, 31)], Some("2")),
    };
    DescribeScalableTargetsOutput::builder()
        .set_scalable_targets(Some(targets))
        .set_next_token(next.map(str::to_string))
        .build()
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

#[test]
fn a_repeated_next_token_stops_the_listing_and_is_reported() {
    let targets = mock!(Client::describe_scalable_targets).then_compute_output(paged_targets);
    let policies = mock!(Client::describe_scaling_policies).then_output(|| {
        DescribeScalingPoliciesOutput::builder()
            // The table's policy must not attach to its GSI (moto's substring ResourceId match would).
            .scaling_policies(policy("table/b", "dynamodb:table:ReadCapacityUnits", 70.0))
            .scaling_policies(policy("table/b/index/g", "dynamodb:index:ReadCapacityUnits", 55.0))
            // A second target-tracking policy on the same target: the lowest target wins.
            .scaling_policies(policy("table/b", "dynamodb:table:ReadCapacityUnits", 65.0))
            // A policy for a target that was never registered does nothing.
            .scaling_policies(policy("table/zz", "dynamodb:table:ReadCapacityUnits", 50.0))
            .build()
    });
    let settings = run(read(&client(&[&targets, &policies]))).expect("reads");
    // Pages 1–3 were read (6 targets); page 3 handed back page 2's token, so the listing
    // stopped there instead of asking for "2" forever.
    assert_eq!(targets.num_calls(), 3, "stopped at the first repeated token, no endless loop");
    assert_eq!(settings.targets.len(), 6);
    assert_eq!(settings.gaps.len(), 1, "{:?}", settings.gaps);
    assert!(
        settings.gaps[0].contains("DescribeScalableTargets returned the NextToken \"2\" again after 3 pages"),
        "{}",
        settings.gaps[0]
    );
    let b_read = settings
        .targets
        .iter()
        .find(|t| t.table == "b" && t.index.is_none() && t.dimension == Dimension::Read)
        .unwrap();
    assert_eq!(b_read.target_pct, Some(65.0), "70 and 65 on one target: 65 (a percentage, not a fraction)");
    assert_eq!(b_read.max, 20);
    let gsi = settings.targets.iter().find(|t| t.index.as_deref() == Some("g")).unwrap();
    assert_eq!((gsi.table.as_str(), gsi.dimension, gsi.target_pct), ("b", Dimension::Read, Some(55.0)));
    assert!(settings.targets.iter().filter(|t| t.table == "a").all(|t| t.target_pct.is_none()));
    assert!(!settings.targets.iter().any(|t| t.table == "zz"));
}

#[test]
fn suspended_scale_in_is_read() {
    let targets = mock!(Client::describe_scalable_targets).then_output(|| {
        let mut t = target("table/a", "dynamodb:table:ReadCapacityUnits", 10);
        t.suspended_state = Some(SuspendedState::builder().dynamic_scaling_in_suspended(true).build());
        DescribeScalableTargetsOutput::builder().scalable_targets(t).build()
    });
    let policies =
        mock!(Client::describe_scaling_policies).then_output(|| DescribeScalingPoliciesOutput::builder().build());
    let settings = run(read(&client(&[&targets, &policies]))).unwrap();
    assert!(settings.gaps.is_empty());
    assert!(settings.targets[0].scale_in_disabled);
}
