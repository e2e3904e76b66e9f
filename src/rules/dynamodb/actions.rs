//! The AWS CLI commands a DynamoDB finding proposes (tierwise never runs them).

use crate::report::Action;

use super::analysis::{PayAs, TableAnalysis};
use super::model::{Class, Dim, Table};
use super::simulate::Policy;

fn dimension(table: &Table, u: usize, d: Dim) -> String {
    let kind = if table.units[u].is_gsi() { "index" } else { "table" };
    let what = match d {
        Dim::Read => "ReadCapacityUnits",
        Dim::Write => "WriteCapacityUnits",
    };
    format!("dynamodb:{kind}:{what}")
}

fn resource_id(table: &Table, u: usize) -> String {
    match &table.units[u].index {
        Some(i) => format!("table/{}/index/{i}", table.name),
        None => format!("table/{}", table.name),
    }
}

/// register-scalable-target + put-scaling-policy for one dimension.
pub fn autoscaling(table: &Table, u: usize, d: Dim, policy: &Policy) -> Vec<Action> {
    let metric = match d {
        Dim::Read => "DynamoDBReadCapacityUtilization",
        Dim::Write => "DynamoDBWriteCapacityUtilization",
    };
    let (rid, dim, region) = (resource_id(table, u), dimension(table, u, d), &table.region);
    vec![
        Action::new(
            "aws-cli",
            format!(
                "aws application-autoscaling register-scalable-target --region {region} --service-namespace dynamodb \
                 --resource-id {rid} --scalable-dimension {dim} --min-capacity {:.0} --max-capacity {:.0}",
                policy.min, policy.max
            ),
        ),
        Action::new(
            "aws-cli",
            format!(
                "aws application-autoscaling put-scaling-policy --region {region} --service-namespace dynamodb \
                 --resource-id {rid} --scalable-dimension {dim} --policy-name tierwise-{}-{} --policy-type \
                 TargetTrackingScaling --target-tracking-scaling-policy-configuration \
                 '{{\"TargetValue\":{:.1},\"PredefinedMetricSpecification\":{{\"PredefinedMetricType\":\"{metric}\"}}}}'",
                d.noun(),
                rid.replace('/', "-"),
                policy.target_pct
            ),
        ),
    ]
}

/// The table to on-demand (its GSIs follow), and its scalable targets to deregister.
pub fn to_on_demand(a: &TableAnalysis) -> Vec<Action> {
    let t = &a.table;
    let mut out = vec![Action::new(
        "aws-cli",
        format!(
            "aws dynamodb update-table --region {} --table-name {} --billing-mode PAY_PER_REQUEST",
            t.region, t.name
        ),
    )];
    for (u, unit) in t.units.iter().enumerate() {
        for d in Dim::BOTH {
            if unit.scaling[d.idx()].is_some() {
                out.push(Action::new(
                    "aws-cli",
                    format!(
                        "aws application-autoscaling deregister-scalable-target --region {} --service-namespace \
                         dynamodb --resource-id {} --scalable-dimension {}",
                        t.region,
                        resource_id(t, u),
                        dimension(t, u, d)
                    ),
                ));
            }
        }
    }
    out.push(Action::new(
        "note",
        "On-demand serves up to double the table's previous peak at once and needs no capacity planning. AWS \
         limits how often a table may switch to on-demand, so switch when the figures hold.",
    ));
    out
}

/// The table to provisioned with auto-scaling on every unit and dimension.
pub fn to_provisioned(a: &TableAnalysis) -> Vec<Action> {
    let t = &a.table;
    let initial = |u: usize, d: Dim| -> f64 {
        a.usage[u].as_ref().map(|x| x.dim(d)).map(|x| x.policy.desired(x.p99)).unwrap_or(1.0)
    };
    let gsis: Vec<String> = (1..t.units.len())
        .map(|u| {
            format!(
                "{{\"Update\":{{\"IndexName\":\"{}\",\"ProvisionedThroughput\":{{\"ReadCapacityUnits\":{:.0},\"WriteCapacityUnits\":{:.0}}}}}}}",
                t.units[u].index.as_deref().unwrap_or_default(),
                initial(u, Dim::Read),
                initial(u, Dim::Write)
            )
        })
        .collect();
    let gsi_arg = if gsis.is_empty() {
        String::new()
    } else {
        format!(" --global-secondary-index-updates '[{}]'", gsis.join(","))
    };
    let mut out = vec![Action::new(
        "aws-cli",
        format!(
            "aws dynamodb update-table --region {} --table-name {} --billing-mode PROVISIONED --provisioned-throughput \
             ReadCapacityUnits={:.0},WriteCapacityUnits={:.0}{gsi_arg}",
            t.region,
            t.name,
            initial(0, Dim::Read),
            initial(0, Dim::Write)
        ),
    )];
    for u in 0..t.units.len() {
        for d in Dim::BOTH {
            if let Some(x) = a.usage[u].as_ref() {
                out.extend(autoscaling(t, u, d, &x.dim(d).policy));
            }
        }
    }
    out.push(Action::new(
        "note",
        "Initial capacities are each dimension's p99 consumption at the target; auto-scaling takes over from there.",
    ));
    out
}

/// New options for one unit's dimensions: a lower fixed provision and/or auto-scaling.
pub fn unit_changes(a: &TableAnalysis, u: usize, dims: &[Option<PayAs>; 2]) -> Vec<Action> {
    let t = &a.table;
    let mut out = Vec::new();
    let fixed = |d: Dim| match dims[d.idx()] {
        Some(PayAs::Fixed(c)) => Some(c),
        _ => None,
    };
    if fixed(Dim::Read).is_some() || fixed(Dim::Write).is_some() {
        let now = |d: Dim| a.table.units[u].provisioned[d.idx()].unwrap_or(1.0);
        let (r, w) =
            (fixed(Dim::Read).unwrap_or_else(|| now(Dim::Read)), fixed(Dim::Write).unwrap_or_else(|| now(Dim::Write)));
        let text = match &t.units[u].index {
            None => format!(
                "aws dynamodb update-table --region {} --table-name {} --provisioned-throughput ReadCapacityUnits={r:.0},WriteCapacityUnits={w:.0}",
                t.region, t.name
            ),
            Some(i) => format!(
                "aws dynamodb update-table --region {} --table-name {} --global-secondary-index-updates \
                 '[{{\"Update\":{{\"IndexName\":\"{i}\",\"ProvisionedThroughput\":{{\"ReadCapacityUnits\":{r:.0},\"WriteCapacityUnits\":{w:.0}}}}}}}]'",
                t.region, t.name
            ),
        };
        out.push(Action::new("aws-cli", text));
    }
    for d in Dim::BOTH {
        if dims[d.idx()] == Some(PayAs::AutoScaling)
            && let Some(x) = a.usage[u].as_ref()
        {
            out.extend(autoscaling(t, u, d, &x.dim(d).policy));
        }
    }
    out.push(Action::new(
        "note",
        "Decreases are limited per UTC day (4 at any time, then one an hour): lower in one step.",
    ));
    out
}

pub fn table_class(t: &Table, to: Class) -> Vec<Action> {
    vec![
        Action::new(
            "aws-cli",
            format!(
                "aws dynamodb update-table --region {} --table-name {} --table-class {}",
                t.region,
                t.name,
                to.as_str()
            ),
        ),
        Action::new(
            "note",
            "The class change applies to the table and its GSIs, online; a table can change class at most twice in 30 days.",
        ),
    ]
}
