//! The DR collectors on what moto cannot serve, with aws-smithy-mocks: AWS Backup
//! selections (resources, tag lists and conditions) and plan pagination, Elastic
//! Disaster Recovery source servers (and a region where it was never initialised), RDS
//! automated backups replicated to another region and Aurora global databases.

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use polars::prelude::*;
use tierwise::snapshot::FrameName;

fn interceptor(rules: &[&Rule]) -> MockResponseInterceptor {
    let mut i = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for r in rules {
        i = i.with_rule(r);
    }
    i
}

macro_rules! client {
    ($krate:ident, $rules:expr) => {{
        let conf = $krate::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .http_client(create_mock_http_client())
            .interceptor(interceptor($rules))
            .build();
        $krate::Client::from_conf(conf)
    }};
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

fn frame(out: &tierwise::collectors::CollectorOutput, name: FrameName) -> DataFrame {
    out.frames.iter().find(|(f, _)| *f == name).map(|(_, df)| df.clone()).unwrap_or_else(|| panic!("{name}"))
}

fn strs(df: &DataFrame, c: &str) -> Vec<Option<String>> {
    df.column(c).unwrap().str().unwrap().iter().map(|s| s.map(str::to_string)).collect()
}

#[test]
fn backup_selections_by_arn_and_tag_across_two_pages_of_plans() {
    use aws_sdk_backup::operation::get_backup_plan::GetBackupPlanOutput;
    use aws_sdk_backup::operation::get_backup_selection::GetBackupSelectionOutput;
    use aws_sdk_backup::operation::list_backup_plans::ListBackupPlansOutput;
    use aws_sdk_backup::operation::list_backup_selections::ListBackupSelectionsOutput;
    use aws_sdk_backup::operation::list_backup_vaults::ListBackupVaultsOutput;
    use aws_sdk_backup::operation::list_tags::ListTagsOutput;
    use aws_sdk_backup::types::*;
    let plan = |id: &str| {
        BackupPlansListMember::builder()
            .backup_plan_id(id)
            .backup_plan_arn(format!("arn:plan:{id}"))
            .backup_plan_name(id)
            .build()
    };
    let page1 =
        mock!(aws_sdk_backup::Client::list_backup_plans).match_requests(|r| r.next_token().is_none()).then_output(
            move || ListBackupPlansOutput::builder().backup_plans_list(plan("hourly")).next_token("p2").build(),
        );
    let page2 = mock!(aws_sdk_backup::Client::list_backup_plans)
        .match_requests(|r| r.next_token() == Some("p2"))
        .then_output(move || ListBackupPlansOutput::builder().backup_plans_list(plan("weekly")).build());
    let vaults = mock!(aws_sdk_backup::Client::list_backup_vaults).then_output(|| {
        ListBackupVaultsOutput::builder()
            .backup_vault_list(
                BackupVaultListMember::builder().backup_vault_name("primary").number_of_recovery_points(42).build(),
            )
            .build()
    });
    let get_plan = mock!(aws_sdk_backup::Client::get_backup_plan).then_compute_output(|r| {
        let hourly = r.backup_plan_id() == Some("hourly");
        let rule = BackupRule::builder()
            .rule_name(if hourly { "hourly" } else { "weekly" })
            .target_backup_vault_name("primary")
            .schedule_expression(if hourly { "cron(0 * * * ? *)" } else { "cron(0 5 ? * SUN *)" })
            .lifecycle(Lifecycle::builder().delete_after_days(if hourly { 7 } else { 90 }).build())
            .set_copy_actions(hourly.then(|| {
                vec![
                    CopyAction::builder()
                        .destination_backup_vault_arn("arn:aws:backup:eu-west-1:123456789012:backup-vault:dr")
                        .build()
                        .unwrap(),
                ]
            }))
            .build()
            .unwrap();
        GetBackupPlanOutput::builder()
            .backup_plan(
                BackupPlan::builder().backup_plan_name(r.backup_plan_id().unwrap()).rules(rule).build().unwrap(),
            )
            .build()
    });
    let tags = mock!(aws_sdk_backup::Client::list_tags).then_compute_output(|r| {
        let t = if r.resource_arn() == Some("arn:plan:hourly") {
            Some([("tierwise:workload".to_string(), "orders".to_string())].into())
        } else {
            None
        };
        ListTagsOutput::builder().set_tags(t).build()
    });
    let selections = mock!(aws_sdk_backup::Client::list_backup_selections).then_compute_output(|r| {
        ListBackupSelectionsOutput::builder()
            .backup_selections_list(
                BackupSelectionsListMember::builder()
                    .selection_id(format!("{}-sel", r.backup_plan_id().unwrap()))
                    .build(),
            )
            .build()
    });
    let selection = mock!(aws_sdk_backup::Client::get_backup_selection).then_compute_output(|r| {
        let s = if r.backup_plan_id() == Some("hourly") {
            BackupSelection::builder()
                .selection_name("db")
                .iam_role_arn("arn:role")
                .resources("arn:aws:ec2:us-east-1:123456789012:instance/i-db")
                .resources("arn:aws:dynamodb:*:*:table/orders*")
                .not_resources("arn:aws:ec2:us-east-1:123456789012:volume/vol-scratch")
        } else {
            BackupSelection::builder()
                .selection_name("by-tag")
                .iam_role_arn("arn:role")
                .list_of_tags(
                    Condition::builder()
                        .condition_type(ConditionType::Stringequals)
                        .condition_key("backup")
                        .condition_value("weekly")
                        .build()
                        .unwrap(),
                )
                .conditions(
                    Conditions::builder()
                        .string_equals(
                            ConditionParameter::builder()
                                .condition_key("aws:ResourceTag/team")
                                .condition_value("data")
                                .build(),
                        )
                        .build(),
                )
        };
        GetBackupSelectionOutput::builder().backup_selection(s.build().unwrap()).build()
    });
    let client = client!(aws_sdk_backup, &[&page1, &page2, &vaults, &get_plan, &tags, &selections, &selection]);
    let out = run(tierwise::collectors::backup::read(&client, "us-east-1")).unwrap();
    assert!(out.missing.is_empty(), "{:?}", out.missing);
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1), "both pages of plans");
    let df = frame(&out, FrameName::DrPosture);
    assert_eq!(df.height(), 2);
    assert_eq!(strs(&df, "workload"), vec![Some("orders".into()), None], "the plan's tag; none on the weekly plan");
    let freq: Vec<Option<i64>> = df.column("frequency_min").unwrap().i64().unwrap().iter().collect();
    assert_eq!(freq, vec![Some(60), Some(7 * 1440)]);
    assert_eq!(strs(&df, "dest_region"), vec![Some("eu-west-1".into()), None]);
    assert_eq!(
        strs(&df, "resources")[0].as_deref(),
        Some("arn:aws:ec2:us-east-1:123456789012:instance/i-db,arn:aws:dynamodb:*:*:table/orders*")
    );
    assert_eq!(strs(&df, "selection_tags")[1].as_deref(), Some("backup=weekly,team=data"));
    let detail = strs(&df, "detail");
    assert!(detail[0].as_deref().unwrap().contains("42 recovery points in vault primary"), "{detail:?}");
    assert!(detail[0].as_deref().unwrap().contains("1 resources excluded"));
}

#[test]
fn a_selection_that_cannot_be_read_leaves_the_collector_partial_naming_it() {
    use aws_sdk_backup::operation::get_backup_plan::GetBackupPlanOutput;
    use aws_sdk_backup::operation::list_backup_plans::ListBackupPlansOutput;
    use aws_sdk_backup::operation::list_tags::ListTagsOutput;
    use aws_sdk_backup::types::*;
    let plans = mock!(aws_sdk_backup::Client::list_backup_plans).then_output(|| {
        ListBackupPlansOutput::builder()
            .backup_plans_list(BackupPlansListMember::builder().backup_plan_id("p").backup_plan_name("nightly").build())
            .build()
    });
    let vaults = mock!(aws_sdk_backup::Client::list_backup_vaults)
        .then_output(|| aws_sdk_backup::operation::list_backup_vaults::ListBackupVaultsOutput::builder().build());
    let plan = mock!(aws_sdk_backup::Client::get_backup_plan).then_output(|| {
        let rule = BackupRule::builder().rule_name("n").target_backup_vault_name("v").build().unwrap();
        GetBackupPlanOutput::builder()
            .backup_plan(BackupPlan::builder().backup_plan_name("nightly").rules(rule).build().unwrap())
            .build()
    });
    let tags = mock!(aws_sdk_backup::Client::list_tags).then_output(|| ListTagsOutput::builder().build());
    let denied = mock!(aws_sdk_backup::Client::list_backup_selections).then_http_response(|| {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(403).unwrap(),
            aws_smithy_types::body::SdkBody::from(r#"{"__type":"AccessDeniedException","message":"no"}"#),
        )
    });
    let client = client!(aws_sdk_backup, &[&plans, &vaults, &plan, &tags, &denied]);
    let out = run(tierwise::collectors::backup::read(&client, "us-east-1")).unwrap();
    assert_eq!(out.missing.len(), 1, "{:?}", out.missing);
    assert!(out.missing[0].starts_with("selections of plan nightly: backup:ListBackupSelections"), "{:?}", out.missing);
    // The rule still stands (no schedule given → AWS's default, daily) for the workload its tag would name.
    let df = frame(&out, FrameName::DrPosture);
    assert_eq!(df.column("frequency_min").unwrap().i64().unwrap().get(0), Some(1440));
}

#[test]
fn elastic_disaster_recovery_source_servers_become_posture_rows() {
    use aws_sdk_drs::operation::describe_source_servers::DescribeSourceServersOutput;
    use aws_sdk_drs::types::*;
    let server = |id: &str, instance: &str, state: DataReplicationState| {
        SourceServer::builder()
            .source_server_id(id)
            .tags("tierwise:workload", "orders")
            .source_properties(
                SourceProperties::builder()
                    .identification_hints(
                        IdentificationHints::builder().aws_instance_id(instance).hostname("db").build(),
                    )
                    .disks(Disk::builder().bytes(500 * 1_073_741_824).build())
                    .disks(Disk::builder().bytes(100 * 1_073_741_824).build())
                    .build(),
            )
            .data_replication_info(
                DataReplicationInfo::builder().data_replication_state(state).lag_duration("PT2S").build(),
            )
            .source_cloud_properties(SourceCloudProperties::builder().origin_region("us-east-1").build())
            .build()
    };
    let rule = mock!(aws_sdk_drs::Client::describe_source_servers).then_output(move || {
        DescribeSourceServersOutput::builder()
            .items(server("s-1", "i-db", DataReplicationState::Continuous))
            .items(server("s-2", "i-old", DataReplicationState::Stopped))
            .build()
    });
    let client = client!(aws_sdk_drs, &[&rule]);
    let out = run(tierwise::collectors::drs::read(&client, "us-west-2")).unwrap();
    let df = frame(&out, FrameName::DrPosture);
    assert_eq!(strs(&df, "mechanism"), vec![Some("drs".into()), Some("drs-not-replicating".into())]);
    assert_eq!(strs(&df, "resources")[0].as_deref(), Some("i-db"));
    assert_eq!(strs(&df, "dest_region")[0].as_deref(), Some("us-west-2"));
    assert_eq!(strs(&df, "region")[0].as_deref(), Some("us-east-1"));
    assert_eq!(strs(&df, "workload")[0].as_deref(), Some("orders"));
    assert_eq!(df.column("data_gib").unwrap().f64().unwrap().get(0), Some(600.0), "500 + 100 GiB of disks");

    // A region where DRS was never initialised: nothing replicates there, no failure.
    let uninitialised = mock!(aws_sdk_drs::Client::describe_source_servers).then_http_response(|| {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(400).unwrap(),
            aws_smithy_types::body::SdkBody::from(r#"{"message":"Account not initialized"}"#),
        )
        .tap_header("x-amzn-ErrorType", "UninitializedAccountException")
    });
    let client = client!(aws_sdk_drs, &[&uninitialised]);
    let out = run(tierwise::collectors::drs::read(&client, "eu-west-1")).unwrap();
    assert!(out.missing.is_empty());
    assert_eq!(frame(&out, FrameName::DrPosture).height(), 0);
}

trait TapHeader {
    fn tap_header(self, k: &'static str, v: &'static str) -> Self;
}

impl TapHeader for aws_smithy_runtime_api::http::Response {
    fn tap_header(mut self, k: &'static str, v: &'static str) -> Self {
        self.headers_mut().insert(k, v);
        self
    }
}

#[test]
fn rds_replicated_backups_and_aurora_global_databases() {
    use aws_sdk_rds::operation::describe_db_clusters::DescribeDbClustersOutput;
    use aws_sdk_rds::operation::describe_db_instances::DescribeDbInstancesOutput;
    use aws_sdk_rds::operation::describe_global_clusters::DescribeGlobalClustersOutput;
    use aws_sdk_rds::types::*;
    let instances = mock!(aws_sdk_rds::Client::describe_db_instances).then_output(|| {
        DescribeDbInstancesOutput::builder()
            .db_instances(
                DbInstance::builder()
                    .db_instance_identifier("pg")
                    .db_instance_arn("arn:aws:rds:us-east-1:123456789012:db:pg")
                    .engine("postgres")
                    .db_instance_class("db.m5.large")
                    .allocated_storage(200)
                    .backup_retention_period(7)
                    .db_instance_automated_backups_replications(
                        DbInstanceAutomatedBackupsReplication::builder()
                            .db_instance_automated_backups_arn("arn:aws:rds:us-west-2:123456789012:auto-backup:ab-1")
                            .build(),
                    )
                    .build(),
            )
            .db_instances(
                DbInstance::builder()
                    .db_instance_identifier("aur-1")
                    .db_cluster_identifier("aur")
                    .db_instance_class("db.r6g.large")
                    .engine("aurora-postgresql")
                    .build(),
            )
            .build()
    });
    let clusters = mock!(aws_sdk_rds::Client::describe_db_clusters).then_output(|| {
        DescribeDbClustersOutput::builder()
            .db_clusters(
                DbCluster::builder()
                    .db_cluster_identifier("aur")
                    .db_cluster_arn("arn:aws:rds:us-east-1:123456789012:cluster:aur")
                    .engine("aurora-postgresql")
                    .allocated_storage(1)
                    .backup_retention_period(7)
                    .db_cluster_members(
                        DbClusterMember::builder().db_instance_identifier("aur-1").is_cluster_writer(true).build(),
                    )
                    .build(),
            )
            .build()
    });
    let globals = mock!(aws_sdk_rds::Client::describe_global_clusters).then_output(|| {
        DescribeGlobalClustersOutput::builder()
            .global_clusters(
                GlobalCluster::builder()
                    .global_cluster_identifier("glob")
                    .global_cluster_members(
                        GlobalClusterMember::builder()
                            .db_cluster_arn("arn:aws:rds:us-east-1:123456789012:cluster:aur")
                            .is_writer(true)
                            .build(),
                    )
                    .global_cluster_members(
                        GlobalClusterMember::builder()
                            .db_cluster_arn("arn:aws:rds:eu-west-1:123456789012:cluster:aur-eu")
                            .is_writer(false)
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let client = client!(aws_sdk_rds, &[&instances, &clusters, &globals]);
    let out = run(tierwise::collectors::rds::read(&client, "us-east-1")).unwrap();
    assert!(out.missing.is_empty(), "{:?}", out.missing);
    let df = frame(&out, FrameName::RdsDatabases);
    assert_eq!(strs(&df, "db_id"), vec![Some("aur".into()), Some("pg".into())], "the cluster folds its member in");
    assert_eq!(strs(&df, "kind"), vec![Some("cluster".into()), Some("instance".into())]);
    assert_eq!(strs(&df, "global_cluster")[0].as_deref(), Some("glob"));
    assert_eq!(strs(&df, "global_regions")[0].as_deref(), Some("eu-west-1"));
    assert_eq!(strs(&df, "instance_class")[0].as_deref(), Some("db.r6g.large"), "the writer's class");
    assert_eq!(df.column("storage_gib").unwrap().f64().unwrap().get(0), Some(0.0), "Aurora's size is unknown");
    assert_eq!(strs(&df, "backup_replication_regions")[1].as_deref(), Some("us-west-2"));
}
