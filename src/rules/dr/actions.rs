//! What to run or set up for a DR recommendation: the mechanisms to add (as the AWS CLI
//! calls that create them, or notes where a console or IaC step is the way) and, for a
//! downgrade, what to retire once the new copies exist.

use crate::report::Action;

use super::footprint::{Footprint, StoreKind};
use super::model::Plan;
use super::posture::Current;
use super::strategy::Strategy;
use super::workloads::TAG_WORKLOAD;

pub fn actions(fp: &Footprint, current: &Current, plan: &Plan, retention_days: f64) -> Vec<Action> {
    let dr = fp.dr.as_str();
    let name = &fp.workload.name;
    let mut out = vec![Action::new(
        "note",
        format!("Set up for {} in {dr}:\n- {}", plan.strategy.label(), plan.setup.join("\n- ")),
    )];
    if !fp.stores.is_empty() {
        let plan_json = serde_json::json!({
            "BackupPlanName": format!("{name}-dr"),
            "Rules": [{
                "RuleName": format!("every-{}", super::duration::format_minutes(plan.backup_interval_min)),
                "TargetBackupVaultName": "Default",
                "ScheduleExpression": cron(plan.backup_interval_min),
                "Lifecycle": { "DeleteAfterDays": retention_days.round() as i64 },
                "CopyActions": [{ "DestinationBackupVaultArn": format!("arn:aws:backup:{dr}:{}:backup-vault:Default", fp.workload.account) }]
            }]
        });
        out.push(Action::new(
            "aws-cli",
            format!(
                "aws backup create-backup-plan --backup-plan '{plan_json}'\n\
                 aws backup create-backup-selection --backup-plan-id <id from above> --backup-selection \
                 '{{\"SelectionName\":\"{name}\",\"IamRoleArn\":\"arn:aws:iam::{}:role/service-role/AWSBackupDefaultServiceRole\",\
                 \"ListOfTags\":[{{\"ConditionType\":\"STRINGEQUALS\",\"ConditionKey\":\"{TAG_WORKLOAD}\",\"ConditionValue\":\"{name}\"}}]}}'",
                fp.workload.account
            ),
        ));
    }
    if plan.strategy >= Strategy::PilotLight {
        let mut cli = Vec::new();
        for s in &fp.stores {
            match s.kind {
                StoreKind::Table => cli.push(format!(
                    "aws dynamodb update-table --region {} --table-name {} --replica-updates 'Create={{RegionName={dr}}}'",
                    s.res.region, s.res.id
                )),
                StoreKind::Bucket => cli.push(format!(
                    "# S3 replication of {} (versioning on both sides; RTC {}): aws s3api put-bucket-replication --bucket {} --replication-configuration file://replication-{}.json",
                    s.res.id,
                    if plan.rtc { "on" } else { "off" },
                    s.res.id,
                    s.res.id
                )),
                StoreKind::Database => cli.push(format!(
                    "aws rds create-db-instance-read-replica --region {dr} --db-instance-identifier {}-dr --source-db-instance-identifier {}",
                    s.res.id,
                    s.res.aliases.get(1).cloned().unwrap_or_else(|| s.res.id.clone())
                )),
                StoreKind::Server if plan.strategy == Strategy::PilotLight => cli.push(format!(
                    "# Elastic Disaster Recovery: install the replication agent on {} with --region {dr}",
                    s.res.id
                )),
                StoreKind::Server => {}
            }
        }
        if !cli.is_empty() {
            out.push(Action::new("aws-cli", cli.join("\n")));
        }
    }
    if current.strategy.is_some_and(|c| c > plan.strategy) {
        out.push(Action::new(
            "note",
            format!(
                "Retire only after the first cross-region copies of every store have landed in {dr}: {}",
                retire(current, plan)
            ),
        ));
    }
    out
}

fn retire(current: &Current, plan: &Plan) -> String {
    let mut what = Vec::new();
    if current.standby_share > 0.0 {
        what.push(match plan.strategy {
            Strategy::PilotLight | Strategy::BackupRestore => "scale the standby capacity to zero".to_string(),
            _ => "scale the standby down to the modelled size".to_string(),
        });
    }
    if plan.strategy == Strategy::BackupRestore {
        what.push("stop continuous replication (S3 replication rules, global-table replicas, read replicas, Elastic Disaster Recovery) once the backup copies are in place".into());
    }
    if what.is_empty() { "nothing running is left to retire".into() } else { what.join("; ") }
}

/// An AWS Backup schedule for an interval in minutes.
fn cron(interval_min: f64) -> String {
    let hours = (interval_min / 60.0).round().max(1.0) as u32;
    if hours >= 24 { "cron(0 5 ? * * *)".into() } else { format!("cron(0 0/{hours} ? * * *)") }
}
