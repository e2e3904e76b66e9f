//! Seed the DR posture of a moto server through the AWS API: an S3 replication rule
//! with RTC, DynamoDB PITR, an RDS instance with a cross-region read replica, Auto
//! Scaling groups in two regions, AWS Backup vaults and a plan with a cross-region copy.
//! Test fixtures only (these clients write).

use aws_config::SdkConfig;

pub const ACCOUNT: &str = "123456789012";

pub async fn bucket_in(conf: &SdkConfig, name: &str, region: &str, tags: &[(&str, &str)]) {
    use aws_sdk_s3::types::{
        BucketLocationConstraint, BucketVersioningStatus, CreateBucketConfiguration, Tag, Tagging,
        VersioningConfiguration,
    };
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(conf)
            .region(aws_config::Region::new(region.to_string()))
            .force_path_style(true)
            .build(),
    );
    let mut req = s3.create_bucket().bucket(name);
    if region != "us-east-1" {
        req = req.create_bucket_configuration(
            CreateBucketConfiguration::builder().location_constraint(BucketLocationConstraint::from(region)).build(),
        );
    }
    req.send().await.expect("CreateBucket");
    let v = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build();
    s3.put_bucket_versioning().bucket(name).versioning_configuration(v).send().await.expect("versioning");
    if !tags.is_empty() {
        let tags: Vec<Tag> = tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build().expect("tag")).collect();
        let tagging = Tagging::builder().set_tag_set(Some(tags)).build().expect("tagging");
        s3.put_bucket_tagging().bucket(name).tagging(tagging).send().await.expect("tagging");
    }
}

/// Replicate `source` to `dest` with Replication Time Control (15 minutes).
pub async fn replicate_with_rtc(conf: &SdkConfig, source: &str, dest: &str) {
    use aws_sdk_s3::types::{
        Destination, Metrics, MetricsStatus, ReplicationConfiguration, ReplicationRule, ReplicationRuleFilter,
        ReplicationRuleStatus, ReplicationTime, ReplicationTimeStatus, ReplicationTimeValue, StorageClass,
    };
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(conf).force_path_style(true).build());
    let destination = Destination::builder()
        .bucket(format!("arn:aws:s3:::{dest}"))
        .storage_class(StorageClass::StandardIa)
        .replication_time(
            ReplicationTime::builder()
                .status(ReplicationTimeStatus::Enabled)
                .time(ReplicationTimeValue::builder().minutes(15).build())
                .build()
                .expect("rtc"),
        )
        .metrics(Metrics::builder().status(MetricsStatus::Enabled).build().expect("metrics"))
        .build()
        .expect("destination");
    let rule = ReplicationRule::builder()
        .id("to-dr")
        .priority(1)
        .status(ReplicationRuleStatus::Enabled)
        .filter(ReplicationRuleFilter::builder().prefix("").build())
        .destination(destination)
        .build()
        .expect("rule");
    let config = ReplicationConfiguration::builder()
        .role(format!("arn:aws:iam::{ACCOUNT}:role/replication"))
        .rules(rule)
        .build()
        .expect("replication");
    s3.put_bucket_replication()
        .bucket(source)
        .replication_configuration(config)
        .send()
        .await
        .expect("PutBucketReplication");
}

pub async fn table_with_pitr(conf: &SdkConfig, name: &str, tags: &[(&str, &str)]) {
    use aws_sdk_dynamodb::types::{PointInTimeRecoverySpecification, Tag};
    crate::seed::create_table(conf, name, None).await;
    let ddb = aws_sdk_dynamodb::Client::new(conf);
    ddb.update_continuous_backups()
        .table_name(name)
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(true).build().expect("pitr"),
        )
        .send()
        .await
        .expect("UpdateContinuousBackups");
    let tags: Vec<Tag> = tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build().expect("tag")).collect();
    ddb.tag_resource()
        .resource_arn(format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{name}"))
        .set_tags(Some(tags))
        .send()
        .await
        .expect("TagResource");
}

/// A PostgreSQL instance in us-east-1 with a read replica in `replica_region`.
pub async fn database_with_replica(east: &SdkConfig, west: &SdkConfig, id: &str, tags: &[(&str, &str)]) {
    use aws_sdk_rds::types::Tag;
    let rds = aws_sdk_rds::Client::new(east);
    rds.create_db_instance()
        .db_instance_identifier(id)
        .db_instance_class("db.m5.large")
        .engine("postgres")
        .allocated_storage(100)
        .master_username("u")
        .master_user_password("password123")
        .backup_retention_period(14)
        .multi_az(true)
        .set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(*k).value(*v).build()).collect()))
        .send()
        .await
        .expect("CreateDBInstance");
    aws_sdk_rds::Client::new(west)
        .create_db_instance_read_replica()
        .db_instance_identifier(format!("{id}-w2"))
        .source_db_instance_identifier(format!("arn:aws:rds:us-east-1:{ACCOUNT}:db:{id}"))
        .db_instance_class("db.m5.large")
        .send()
        .await
        .expect("CreateDBInstanceReadReplica");
}

/// An Auto Scaling group of m5.large at `desired`, tagged (propagated to its instances).
pub async fn group(conf: &SdkConfig, name: &str, desired: i32, tags: &[(&str, &str)]) {
    use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
    use aws_sdk_ec2::types::{Filter, InstanceType, RequestLaunchTemplateData};
    let ec2 = aws_sdk_ec2::Client::new(conf);
    let subnets = ec2
        .describe_subnets()
        .filters(Filter::builder().name("default-for-az").values("true").build())
        .send()
        .await
        .expect("DescribeSubnets");
    let subnet = subnets.subnets().first().and_then(|s| s.subnet_id()).expect("a default subnet").to_string();
    let lt = ec2
        .create_launch_template()
        .launch_template_name(format!("lt-{name}"))
        .launch_template_data(
            RequestLaunchTemplateData::builder().image_id("ami-12c6146b").instance_type(InstanceType::M5Large).build(),
        )
        .send()
        .await
        .expect("CreateLaunchTemplate");
    let lt_id = lt.launch_template().and_then(|t| t.launch_template_id()).expect("template id").to_string();
    aws_sdk_autoscaling::Client::new(conf)
        .create_auto_scaling_group()
        .auto_scaling_group_name(name)
        .launch_template(LaunchTemplateSpecification::builder().launch_template_id(lt_id).version("$Latest").build())
        .min_size(0)
        .max_size(10)
        .desired_capacity(desired)
        .vpc_zone_identifier(subnet)
        .set_tags(Some(
            tags.iter()
                .map(|(k, v)| {
                    Tag::builder()
                        .key(*k)
                        .value(*v)
                        .propagate_at_launch(true)
                        .resource_id(name)
                        .resource_type("auto-scaling-group")
                        .build()
                })
                .collect(),
        ))
        .send()
        .await
        .expect("CreateAutoScalingGroup");
}

pub async fn vault(conf: &SdkConfig, name: &str) {
    aws_sdk_backup::Client::new(conf).create_backup_vault().backup_vault_name(name).send().await.expect("vault");
}

/// A daily plan in us-east-1 with a copy action to the `dr` vault in us-west-2.
pub async fn daily_plan_copied_west(conf: &SdkConfig, name: &str, tags: &[(&str, &str)]) {
    use aws_sdk_backup::types::{BackupPlanInput, BackupRuleInput, CopyAction, Lifecycle};
    let rule = BackupRuleInput::builder()
        .rule_name("daily35")
        .target_backup_vault_name("primary")
        .schedule_expression("cron(0 3 * * ? *)")
        .lifecycle(Lifecycle::builder().delete_after_days(35).build())
        .copy_actions(
            CopyAction::builder()
                .destination_backup_vault_arn(format!("arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:dr"))
                .lifecycle(Lifecycle::builder().delete_after_days(90).build())
                .build()
                .expect("copy"),
        )
        .build()
        .expect("rule");
    aws_sdk_backup::Client::new(conf)
        .create_backup_plan()
        .backup_plan(BackupPlanInput::builder().backup_plan_name(name).rules(rule).build().expect("plan"))
        .set_backup_plan_tags(Some(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()))
        .send()
        .await
        .expect("CreateBackupPlan");
}
