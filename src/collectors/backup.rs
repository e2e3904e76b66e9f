//! AWS Backup collector: plans (ListBackupPlans, GetBackupPlan, ListTags), their rules
//! (schedule → interval, retention, cross-region copy actions), their selections
//! (ListBackupSelections, GetBackupSelection: resources and tag conditions) and the
//! vaults (ListBackupVaults: recovery points). One `dr_posture` row per rule ×
//! selection × copy destination, with `workload` set when the plan carries a
//! `tierwise:workload` tag; the DR rule attributes the others through the selection.

use std::collections::{BTreeMap, HashMap};

use crate::snapshot::FrameName;
use crate::snapshot::builder::FrameBuilder;

use super::aws::AwsContext;
use super::backup_schedule::interval_min;
use super::{CollectError, CollectorOutput};

/// The tag naming a resource's DR workload (the DR rule reads the same key).
pub const WORKLOAD_TAG: &str = "tierwise:workload";

/// Region of an ARN (`arn:aws:backup:us-west-2:…`).
pub fn arn_region(arn: &str) -> Option<String> {
    arn.split(':').nth(3).filter(|r| !r.is_empty()).map(str::to_string)
}

/// What one selection protects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub name: String,
    pub resources: Vec<String>,
    /// `key=value` from ListOfTags (STRINGEQUALS) and Conditions.StringEquals.
    pub tags: Vec<String>,
    pub excluded: usize,
}

pub async fn collect(ctx: &AwsContext, region: &str) -> Result<CollectorOutput, CollectError> {
    read(&ctx.backup(region), region).await
}

/// The collector's work on one client (tests hand it a mocked one).
pub async fn read(client: &aws_sdk_backup::Client, region: &str) -> Result<CollectorOutput, CollectError> {
    let mut out = CollectorOutput::default();

    let mut vaults: HashMap<String, i64> = HashMap::new();
    let mut pages = client.list_backup_vaults().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => {
                for v in p.backup_vault_list() {
                    vaults.insert(v.backup_vault_name().unwrap_or_default().to_string(), v.number_of_recovery_points());
                }
            }
            Err(e) => {
                out.missing.push(format!("vaults: {}", CollectError::from_sdk("backup:ListBackupVaults", e)));
                break;
            }
        }
    }

    let mut plans = Vec::new();
    let mut pages = client.list_backup_plans().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("backup:ListBackupPlans", e))?;
        for p in page.backup_plans_list() {
            plans.push((
                p.backup_plan_id().unwrap_or_default().to_string(),
                p.backup_plan_arn().unwrap_or_default().to_string(),
                p.backup_plan_name().unwrap_or_default().to_string(),
            ));
        }
    }

    let mut rows = FrameBuilder::new(FrameName::DrPosture);
    for (id, arn, name) in &plans {
        let plan = match client.get_backup_plan().backup_plan_id(id).send().await {
            Ok(p) => p,
            Err(e) => {
                out.missing.push(format!("plan {name}: {}", CollectError::from_sdk("backup:GetBackupPlan", e)));
                continue;
            }
        };
        let tags: BTreeMap<String, String> = if arn.is_empty() {
            BTreeMap::new()
        } else {
            match client.list_tags().resource_arn(arn).send().await {
                Ok(t) => t.tags().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(),
                Err(e) => {
                    out.missing.push(format!("tags of plan {name}: {}", CollectError::from_sdk("backup:ListTags", e)));
                    BTreeMap::new()
                }
            }
        };
        let workload = tags.get(WORKLOAD_TAG).cloned();
        let selections = match selections(client, id).await {
            Ok(s) => s,
            Err(e) => {
                out.missing.push(format!("selections of plan {name}: {e}"));
                // Unknown selections: the row still stands for the plan (its workload tag, if any, attributes it).
                vec![Selection { name: "(selections unreadable)".into(), ..Selection::default() }]
            }
        };
        let Some(body) = plan.backup_plan() else { continue };
        for rule in body.rules() {
            let schedule = rule.schedule_expression().unwrap_or("cron(0 5 ? * * *)");
            let interval = interval_min(schedule);
            let retention = rule.lifecycle().and_then(|l| l.delete_after_days());
            let vault = rule.target_backup_vault_name();
            let points =
                vaults.get(vault).map(|n| format!(", {n} recovery points in vault {vault}")).unwrap_or_default();
            let mut dests: Vec<(Option<String>, Option<i64>)> = rule
                .copy_actions()
                .iter()
                .map(|c| {
                    (arn_region(c.destination_backup_vault_arn()), c.lifecycle().and_then(|l| l.delete_after_days()))
                })
                .collect();
            if dests.is_empty() {
                dests.push((None, None));
            }
            for s in &selections {
                for (dest, copy_days) in &dests {
                    let mut detail = format!("AWS Backup {name}/{} ({schedule}{points})", rule.rule_name());
                    if interval.is_none() {
                        detail.push_str(", schedule not understood: read as daily");
                    }
                    if let (Some(d), Some(days)) = (dest, copy_days) {
                        detail.push_str(&format!(", copies kept {days} d in {d}"));
                    }
                    if s.excluded > 0 {
                        detail.push_str(&format!(", {} resources excluded", s.excluded));
                    }
                    detail.push_str(&format!(", selection {}", s.name));
                    rows.row([
                        ("workload", workload.clone().into()),
                        ("mechanism", "backup-plan".into()),
                        ("detail", detail.into()),
                        ("frequency_min", interval.into()),
                        ("dest_region", dest.clone().filter(|d| d != region).into()),
                        ("region", region.into()),
                        ("resources", (!s.resources.is_empty()).then(|| s.resources.join(",")).into()),
                        ("selection_tags", (!s.tags.is_empty()).then(|| s.tags.join(",")).into()),
                        ("retention_days", retention.into()),
                    ])?;
                }
            }
        }
    }
    out.frames.push((FrameName::DrPosture, rows.finish()?));
    Ok(out)
}

async fn selections(client: &aws_sdk_backup::Client, plan_id: &str) -> Result<Vec<Selection>, CollectError> {
    let mut ids = Vec::new();
    let mut pages = client.list_backup_selections().backup_plan_id(plan_id).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("backup:ListBackupSelections", e))?;
        ids.extend(page.backup_selections_list().iter().filter_map(|s| s.selection_id().map(str::to_string)));
    }
    let mut out = Vec::new();
    for sid in ids {
        let got = client
            .get_backup_selection()
            .backup_plan_id(plan_id)
            .selection_id(&sid)
            .send()
            .await
            .map_err(|e| CollectError::from_sdk("backup:GetBackupSelection", e))?;
        let Some(s) = got.backup_selection() else { continue };
        let mut tags: Vec<String> = s
            .list_of_tags()
            .iter()
            .filter(|c| c.condition_type().as_str() == "STRINGEQUALS")
            .map(|c| format!("{}={}", c.condition_key(), c.condition_value()))
            .collect();
        if let Some(conditions) = s.conditions() {
            for c in conditions.string_equals() {
                let key = c.condition_key().unwrap_or_default();
                let key = key.strip_prefix("aws:ResourceTag/").unwrap_or(key);
                tags.push(format!("{key}={}", c.condition_value().unwrap_or_default()));
            }
        }
        out.push(Selection {
            name: s.selection_name().to_string(),
            resources: s.resources().to_vec(),
            tags,
            excluded: s.not_resources().len(),
        });
    }
    Ok(out)
}
