//! Seed a moto server through the AWS API itself (and moto's own API for Cost Explorer).
//! These clients write (RunInstances, CreateBucket, PutMetricData…): they are test
//! fixtures only and never carry tierwise's call counter.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
use aws_smithy_types::DateTime;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

pub async fn sdk(endpoint: &str, region: &str) -> SdkConfig {
    use aws_smithy_http_client::{Builder, tls};
    let http = Builder::new().tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring)).build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("AKIATESTTESTTEST", "tierwise-test-secret", None, None, "test"))
        .http_client(http)
        .load()
        .await
}

/// Launch `count` instances of `instance_type` with tags; returns their ids.
pub async fn run_instances(conf: &SdkConfig, instance_type: &str, count: i32, tags: &[(&str, &str)]) -> Vec<String> {
    use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let tag_spec = TagSpecification::builder()
        .resource_type(ResourceType::Instance)
        .set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build()).collect()))
        .build();
    let out = ec2
        .run_instances()
        .image_id("ami-12c6146b")
        .instance_type(InstanceType::from(instance_type))
        .min_count(count)
        .max_count(count)
        .tag_specifications(tag_spec)
        .send()
        .await
        .expect("RunInstances");
    out.instances().iter().filter_map(|i| i.instance_id().map(str::to_string)).collect()
}

pub async fn create_volume(conf: &SdkConfig, kind: &str, size: i32) -> String {
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let out = ec2
        .create_volume()
        .availability_zone(format!("{}a", conf.region().map(|r| r.to_string()).unwrap_or_default()))
        .volume_type(aws_sdk_ec2::types::VolumeType::from(kind))
        .size(size)
        .set_iops(kind.starts_with("io").then_some(5000))
        .send()
        .await
        .expect("CreateVolume");
    out.volume_id().unwrap_or_default().to_string()
}

pub async fn create_bucket(conf: &SdkConfig, name: &str, versioned: bool, tags: &[(&str, &str)]) {
    use aws_sdk_s3::types::{BucketVersioningStatus, Tag, Tagging, VersioningConfiguration};
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(conf).force_path_style(true).build());
    s3.create_bucket().bucket(name).send().await.expect("CreateBucket");
    if versioned {
        let v = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build();
        s3.put_bucket_versioning().bucket(name).versioning_configuration(v).send().await.expect("versioning");
    }
    if !tags.is_empty() {
        let tags: Vec<Tag> = tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build().expect("tag")).collect();
        let tagging = Tagging::builder().set_tag_set(Some(tags)).build().expect("tagging");
        s3.put_bucket_tagging().bucket(name).tagging(tagging).send().await.expect("tagging");
    }
}

pub async fn put_lifecycle_abort_multipart(conf: &SdkConfig, bucket: &str, days: i32) {
    use aws_sdk_s3::types::{
        AbortIncompleteMultipartUpload, BucketLifecycleConfiguration, ExpirationStatus, LifecycleRule,
        LifecycleRuleFilter,
    };
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(conf).force_path_style(true).build());
    let rule = LifecycleRule::builder()
        .id("abort-mpu")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix("").build())
        .abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder().days_after_initiation(days).build(),
        )
        .build()
        .expect("rule");
    let conf_lc = BucketLifecycleConfiguration::builder().rules(rule).build().expect("lifecycle");
    s3.put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(conf_lc)
        .send()
        .await
        .expect("lifecycle");
}

pub async fn create_table(conf: &SdkConfig, name: &str, provisioned: Option<(i64, i64)>) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ProvisionedThroughput, ScalarAttributeType,
    };
    let ddb = aws_sdk_dynamodb::Client::new(conf);
    let mut req = ddb
        .create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attr"),
        )
        .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().expect("key"));
    req = match provisioned {
        Some((r, w)) => req.billing_mode(BillingMode::Provisioned).provisioned_throughput(
            ProvisionedThroughput::builder().read_capacity_units(r).write_capacity_units(w).build().expect("tp"),
        ),
        None => req.billing_mode(BillingMode::PayPerRequest),
    };
    req.send().await.expect("CreateTable");
}

/// Hourly datapoints for one metric: `value(hour_index)` over `hours` hours ending at `end_secs`.
pub async fn put_hourly(
    conf: &SdkConfig,
    namespace: &str,
    metric: &str,
    dims: &[(&str, &str)],
    end_secs: i64,
    hours: i64,
    value: impl Fn(i64) -> f64,
) {
    let cw = aws_sdk_cloudwatch::Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(conf).disable_request_compression(true).build(),
    );
    let dims: Vec<Dimension> = dims.iter().map(|(k, v)| Dimension::builder().name(*k).value(*v).build()).collect();
    let data: Vec<MetricDatum> = (0..hours)
        .map(|h| {
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dims.clone()))
                .timestamp(DateTime::from_secs(end_secs - (hours - h) * 3600 + 60))
                .value(value(h))
                .unit(StandardUnit::None)
                .build()
        })
        .collect();
    for chunk in data.chunks(1000) {
        cw.put_metric_data()
            .namespace(namespace)
            .set_metric_data(Some(chunk.to_vec()))
            .send()
            .await
            .expect("PutMetricData");
    }
}

/// Daily datapoints (S3 storage metrics are daily): `value(day_index)` over `days` days ending at `end_secs`.
pub async fn put_daily(
    conf: &SdkConfig,
    namespace: &str,
    metric: &str,
    dims: &[(&str, &str)],
    end_secs: i64,
    days: i64,
    value: impl Fn(i64) -> f64,
) {
    let cw = aws_sdk_cloudwatch::Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(conf).disable_request_compression(true).build(),
    );
    let dims: Vec<Dimension> = dims.iter().map(|(k, v)| Dimension::builder().name(*k).value(*v).build()).collect();
    let data: Vec<MetricDatum> = (0..days)
        .map(|d| {
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dims.clone()))
                .timestamp(DateTime::from_secs(end_secs - (days - d) * 86_400 + 3600))
                .value(value(d))
                .unit(StandardUnit::None)
                .build()
        })
        .collect();
    cw.put_metric_data().namespace(namespace).set_metric_data(Some(data)).send().await.expect("PutMetricData");
}

/// Seed Cost Explorer through moto's own API (its GetCostAndUsage is empty otherwise).
pub fn seed_cost_explorer(endpoint: &str, body: &serde_json::Value) {
    let addr = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect moto");
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let text = body.to_string();
    let request = format!(
        "POST /moto-api/static/ce/cost-and-usage-results HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 20") || response.starts_with("HTTP/1.0 20"), "moto CE seed: {response}");
}

/// A provisioned table with one provisioned GSI (`g` on attribute `g`), tagged.
pub async fn create_table_with_gsi(
    conf: &SdkConfig,
    name: &str,
    rcu: i64,
    wcu: i64,
    gsi: &str,
    gsi_rcu: i64,
    gsi_wcu: i64,
) {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
        ProvisionedThroughput, ScalarAttributeType, Tag,
    };
    let ddb = aws_sdk_dynamodb::Client::new(conf);
    let attr = |n: &str| {
        AttributeDefinition::builder().attribute_name(n).attribute_type(ScalarAttributeType::S).build().expect("attr")
    };
    let key = |n: &str| KeySchemaElement::builder().attribute_name(n).key_type(KeyType::Hash).build().expect("key");
    let tp = |r: i64, w: i64| {
        ProvisionedThroughput::builder().read_capacity_units(r).write_capacity_units(w).build().expect("tp")
    };
    let index = GlobalSecondaryIndex::builder()
        .index_name(gsi)
        .key_schema(key("g"))
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .provisioned_throughput(tp(gsi_rcu, gsi_wcu))
        .build()
        .expect("gsi");
    ddb.create_table()
        .table_name(name)
        .attribute_definitions(attr("pk"))
        .attribute_definitions(attr("g"))
        .key_schema(key("pk"))
        .billing_mode(BillingMode::Provisioned)
        .provisioned_throughput(tp(rcu, wcu))
        .global_secondary_indexes(index)
        .tags(Tag::builder().key("team").value("shop").build().expect("tag"))
        .send()
        .await
        .expect("CreateTable");
}

pub async fn enable_pitr(conf: &SdkConfig, table: &str) {
    use aws_sdk_dynamodb::types::PointInTimeRecoverySpecification;
    aws_sdk_dynamodb::Client::new(conf)
        .update_continuous_backups()
        .table_name(table)
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(true).build().expect("pitr"),
        )
        .send()
        .await
        .expect("UpdateContinuousBackups");
}

/// Register `resource_id` × `dimension` (e.g. `table/t`, `dynamodb:table:ReadCapacityUnits`)
/// with a target-tracking policy at `target` percent.
pub async fn autoscale(conf: &SdkConfig, resource_id: &str, dimension: &str, min: i32, max: i32, target: f64) {
    use aws_sdk_applicationautoscaling::types::{
        MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
        TargetTrackingScalingPolicyConfiguration,
    };
    let aas = aws_sdk_applicationautoscaling::Client::new(conf);
    aas.register_scalable_target()
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(resource_id)
        .scalable_dimension(ScalableDimension::from(dimension))
        .min_capacity(min)
        .max_capacity(max)
        .send()
        .await
        .expect("RegisterScalableTarget");
    let metric = if dimension.ends_with("ReadCapacityUnits") {
        MetricType::DynamoDbReadCapacityUtilization
    } else {
        MetricType::DynamoDbWriteCapacityUtilization
    };
    let config = TargetTrackingScalingPolicyConfiguration::builder()
        .target_value(target)
        .predefined_metric_specification(
            PredefinedMetricSpecification::builder().predefined_metric_type(metric).build().expect("metric"),
        )
        .build()
        .expect("policy");
    aas.put_scaling_policy()
        .policy_name(format!("p-{resource_id}-{dimension}").replace([':', '/'], "-"))
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(resource_id)
        .scalable_dimension(ScalableDimension::from(dimension))
        .policy_type(PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(config)
        .send()
        .await
        .expect("PutScalingPolicy");
}

/// One aggregated datum per hour (StatisticValues: cheap for moto at Period 3600):
/// `sum(hour_index)` over `hours` hours ending at `end_secs`, as 60 one-minute samples.
pub async fn put_hourly_sums(
    conf: &SdkConfig,
    metric: &str,
    dims: &[(&str, &str)],
    end_secs: i64,
    hours: i64,
    sum: impl Fn(i64) -> f64,
) {
    use aws_sdk_cloudwatch::types::StatisticSet;
    let cw = aws_sdk_cloudwatch::Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(conf).disable_request_compression(true).build(),
    );
    let dims: Vec<Dimension> = dims.iter().map(|(k, v)| Dimension::builder().name(*k).value(*v).build()).collect();
    let data: Vec<MetricDatum> = (0..hours)
        .map(|h| {
            let s = sum(h);
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dims.clone()))
                .timestamp(DateTime::from_secs(end_secs - (hours - h) * 3600 + 300))
                .statistic_values(
                    StatisticSet::builder().sample_count(60.0).sum(s).minimum(s / 60.0).maximum(s / 60.0).build(),
                )
                .unit(StandardUnit::Count)
                .build()
        })
        .collect();
    for chunk in data.chunks(500) {
        cw.put_metric_data()
            .namespace("AWS/DynamoDB")
            .set_metric_data(Some(chunk.to_vec()))
            .send()
            .await
            .expect("PutMetricData");
    }
}

/// Single datapoints at exact epoch seconds (a few busy minutes: sparse, as moto needs).
pub async fn put_points(conf: &SdkConfig, metric: &str, dims: &[(&str, &str)], points: &[(i64, f64)]) {
    let cw = aws_sdk_cloudwatch::Client::from_conf(
        aws_sdk_cloudwatch::config::Builder::from(conf).disable_request_compression(true).build(),
    );
    let dims: Vec<Dimension> = dims.iter().map(|(k, v)| Dimension::builder().name(*k).value(*v).build()).collect();
    let data: Vec<MetricDatum> = points
        .iter()
        .map(|(t, v)| {
            MetricDatum::builder()
                .metric_name(metric)
                .set_dimensions(Some(dims.clone()))
                .timestamp(DateTime::from_secs(*t))
                .value(*v)
                .unit(StandardUnit::Count)
                .build()
        })
        .collect();
    cw.put_metric_data().namespace("AWS/DynamoDB").set_metric_data(Some(data)).send().await.expect("PutMetricData");
}
