//! Application Auto Scaling for DynamoDB: every scalable target (`dynamodb:table:*` and
//! `dynamodb:index:*` dimensions) with its min and max, and the target value of its
//! target-tracking policies — read once per region, not once per table, and matched
//! to targets exactly by (ResourceId, ScalableDimension) on our side.
//!
//! A paginator that trusted NextToken blindly could loop forever: moto's
//! DescribeScalableTargets repeats page 2's token after two pages. A token seen twice
//! stops the listing, and what may be missing is reported (the collector is `partial`).

use std::collections::{BTreeMap, HashSet};

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::{PolicyType, ServiceNamespace};

use crate::collectors::CollectError;
use crate::snapshot::FrameName;
use crate::snapshot::builder::FrameBuilder;

/// DescribeScalableTargets' page limit (1–50).
const TARGETS_PER_PAGE: i32 = 50;
/// DescribeScalingPolicies' page limit (1–10).
const POLICIES_PER_PAGE: i32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    Read,
    Write,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Read => "read",
            Dimension::Write => "write",
        }
    }

    /// `dynamodb:table:ReadCapacityUnits` → Read, and so on; other dimensions → None.
    fn parse(dimension: &str) -> Option<Dimension> {
        match dimension {
            "dynamodb:table:ReadCapacityUnits" | "dynamodb:index:ReadCapacityUnits" => Some(Dimension::Read),
            "dynamodb:table:WriteCapacityUnits" | "dynamodb:index:WriteCapacityUnits" => Some(Dimension::Write),
            _ => None,
        }
    }
}

/// One scalable target and its policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub table: String,
    pub index: Option<String>,
    pub dimension: Dimension,
    pub min: i64,
    pub max: i64,
    /// Percent utilisation (70 = 70 %), the lowest of its target-tracking policies.
    pub target_pct: Option<f64>,
    pub scale_in_disabled: bool,
}

/// The region's targets, and what could not be read completely.
#[derive(Debug, Default)]
pub struct Settings {
    pub targets: Vec<Target>,
    pub gaps: Vec<String>,
}

/// `table/orders` → ("orders", None); `table/orders/index/by-day` → ("orders", Some("by-day")).
pub fn parse_resource_id(resource_id: &str) -> Option<(String, Option<String>)> {
    let rest = resource_id.strip_prefix("table/")?;
    match rest.split_once("/index/") {
        Some((table, index)) if !table.is_empty() && !index.is_empty() => {
            Some((table.to_string(), Some(index.to_string())))
        }
        Some(_) => None,
        None if !rest.is_empty() && !rest.contains('/') => Some((rest.to_string(), None)),
        None => None,
    }
}

type Key = (String, Option<String>, Dimension);

/// Read every DynamoDB scalable target and scaling policy of the client's region.
pub async fn read(client: &Client) -> Result<Settings, CollectError> {
    let mut settings = Settings::default();
    let mut targets: BTreeMap<Key, Target> = BTreeMap::new();
    let mut token: Option<String> = None;
    let mut seen = HashSet::new();
    let mut pages = 0;
    loop {
        let resp = client
            .describe_scalable_targets()
            .service_namespace(ServiceNamespace::Dynamodb)
            .max_results(TARGETS_PER_PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| CollectError::from_sdk("application-autoscaling:DescribeScalableTargets", e))?;
        pages += 1;
        for t in resp.scalable_targets() {
            let (Some((table, index)), Some(dimension)) =
                (parse_resource_id(t.resource_id()), Dimension::parse(t.scalable_dimension().as_str()))
            else {
                continue;
            };
            let scale_in_suspended =
                t.suspended_state().and_then(|s| s.dynamic_scaling_in_suspended()).unwrap_or(false);
            targets.entry((table.clone(), index.clone(), dimension)).or_insert(Target {
                table,
                index,
                dimension,
                min: t.min_capacity() as i64,
                max: t.max_capacity() as i64,
                target_pct: None,
                scale_in_disabled: scale_in_suspended,
            });
        }
        match next_page(resp.next_token(), &mut seen) {
            Next::Done => break,
            Next::Page(t) => token = Some(t),
            Next::Repeated(t) => {
                settings.gaps.push(format!(
                    "application-autoscaling:DescribeScalableTargets returned the NextToken {t:?} again after \
                     {pages} pages; listing stopped there, so scalable targets on later pages may be missing \
                     ({} read)",
                    targets.len()
                ));
                break;
            }
        }
    }
    policies(client, &mut targets, &mut settings).await?;
    settings.targets = targets.into_values().collect();
    Ok(settings)
}

/// Attach each target-tracking policy's TargetValue (and DisableScaleIn) to its target.
async fn policies(
    client: &Client,
    targets: &mut BTreeMap<Key, Target>,
    settings: &mut Settings,
) -> Result<(), CollectError> {
    let mut token: Option<String> = None;
    let mut seen = HashSet::new();
    let mut pages = 0;
    loop {
        let resp = client
            .describe_scaling_policies()
            .service_namespace(ServiceNamespace::Dynamodb)
            .max_results(POLICIES_PER_PAGE)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| CollectError::from_sdk("application-autoscaling:DescribeScalingPolicies", e))?;
        pages += 1;
        for p in resp.scaling_policies() {
            let (Some((table, index)), Some(dimension)) =
                (parse_resource_id(p.resource_id()), Dimension::parse(p.scalable_dimension().as_str()))
            else {
                continue;
            };
            let Some(config) = p.target_tracking_scaling_policy_configuration() else { continue };
            if *p.policy_type() != PolicyType::TargetTrackingScaling {
                continue;
            }
            // A policy without a registered target does nothing (AWS needs the target first).
            let Some(target) = targets.get_mut(&(table, index, dimension)) else { continue };
            // Several target-tracking policies: the lowest target wins (scale-out when any
            // policy asks, scale-in only when all agree).
            let value = config.target_value();
            target.target_pct = Some(target.target_pct.map_or(value, |v: f64| v.min(value)));
            target.scale_in_disabled |= config.disable_scale_in().unwrap_or(false);
        }
        match next_page(resp.next_token(), &mut seen) {
            Next::Done => break,
            Next::Page(t) => token = Some(t),
            Next::Repeated(t) => {
                settings.gaps.push(format!(
                    "application-autoscaling:DescribeScalingPolicies returned the NextToken {t:?} again after {pages} \
                     pages; listing stopped there, so target values on later pages may be missing"
                ));
                break;
            }
        }
    }
    Ok(())
}

enum Next {
    Done,
    Page(String),
    Repeated(String),
}

fn next_page(token: Option<&str>, seen: &mut HashSet<String>) -> Next {
    match token {
        None | Some("") => Next::Done,
        Some(t) if !seen.insert(t.to_string()) => Next::Repeated(t.to_string()),
        Some(t) => Next::Page(t.to_string()),
    }
}

/// `dynamodb_autoscaling` rows for the targets of one account's region.
pub fn frame(settings: &Settings, account: &str, region: &str) -> Result<polars::prelude::DataFrame, CollectError> {
    let mut b = FrameBuilder::new(FrameName::DynamodbAutoscaling);
    for t in &settings.targets {
        b.row([
            ("account_id", account.into()),
            ("region", region.into()),
            ("table", t.table.as_str().into()),
            ("index", t.index.as_deref().into()),
            ("dimension", t.dimension.as_str().into()),
            ("min_capacity", t.min.into()),
            ("max_capacity", t.max.into()),
            ("target_pct", t.target_pct.into()),
            ("scale_in_disabled", t.scale_in_disabled.into()),
        ])?;
    }
    Ok(b.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_parse() {
        assert_eq!(parse_resource_id("table/orders"), Some(("orders".into(), None)));
        assert_eq!(parse_resource_id("table/orders/index/by-day"), Some(("orders".into(), Some("by-day".into()))));
        assert_eq!(parse_resource_id("table/"), None);
        assert_eq!(parse_resource_id("table/x/stream/y"), None);
        assert_eq!(parse_resource_id("service/cluster/svc"), None);
        assert_eq!(Dimension::parse("dynamodb:index:WriteCapacityUnits"), Some(Dimension::Write));
        assert_eq!(Dimension::parse("ecs:service:DesiredCount"), None);
    }
}
