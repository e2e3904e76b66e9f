//! Every AWS operation tierwise can call, with the IAM action it needs. This table is
//! the source of docs/iam-policy.json; tests keep the two equal and check that every
//! call made during the integration tests is in it.

/// (operation as counted by the interceptor, IAM action)
pub const OPERATIONS: &[(&str, &str)] = &[
    ("sts:GetCallerIdentity", "sts:GetCallerIdentity"),
    ("ec2:DescribeRegions", "ec2:DescribeRegions"),
    ("ec2:DescribeInstances", "ec2:DescribeInstances"),
    ("ec2:DescribeVolumes", "ec2:DescribeVolumes"),
    ("ec2:DescribeInstanceTypes", "ec2:DescribeInstanceTypes"),
    ("ec2:DescribeAvailabilityZones", "ec2:DescribeAvailabilityZones"),
    ("ec2:DescribeSubnets", "ec2:DescribeSubnets"),
    ("ec2:DescribeNetworkInterfaces", "ec2:DescribeNetworkInterfaces"),
    ("ec2:DescribeNatGateways", "ec2:DescribeNatGateways"),
    ("ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
    ("ec2:DescribeManagedPrefixLists", "ec2:DescribeManagedPrefixLists"),
    ("ec2:GetManagedPrefixListEntries", "ec2:GetManagedPrefixListEntries"),
    ("eks:ListClusters", "eks:ListClusters"),
    ("eks:DescribeCluster", "eks:DescribeCluster"),
    ("eks:ListNodegroups", "eks:ListNodegroups"),
    ("cloudwatch:GetMetricData", "cloudwatch:GetMetricData"),
    ("cloudwatch:ListMetrics", "cloudwatch:ListMetrics"),
    ("s3:ListBuckets", "s3:ListAllMyBuckets"),
    ("s3:GetBucketLocation", "s3:GetBucketLocation"),
    ("s3:GetBucketVersioning", "s3:GetBucketVersioning"),
    ("s3:GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    ("s3:ListBucketIntelligentTieringConfigurations", "s3:GetIntelligentTieringConfiguration"),
    ("s3:GetBucketReplication", "s3:GetReplicationConfiguration"),
    ("s3:GetBucketTagging", "s3:GetBucketTagging"),
    ("s3:ListBucketMetricsConfigurations", "s3:GetMetricsConfiguration"),
    // Only with `[network] flow_logs`: the flow-log objects of the named bucket and prefix.
    ("s3:ListObjectsV2", "s3:ListBucket"),
    ("s3:GetObject", "s3:GetObject"),
    ("dynamodb:ListTables", "dynamodb:ListTables"),
    ("dynamodb:DescribeTable", "dynamodb:DescribeTable"),
    ("dynamodb:DescribeContinuousBackups", "dynamodb:DescribeContinuousBackups"),
    ("dynamodb:ListTagsOfResource", "dynamodb:ListTagsOfResource"),
    ("application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalableTargets"),
    ("application-autoscaling:DescribeScalingPolicies", "application-autoscaling:DescribeScalingPolicies"),
    ("ce:GetCostAndUsage", "ce:GetCostAndUsage"),
    ("backup:ListBackupPlans", "backup:ListBackupPlans"),
    ("backup:GetBackupPlan", "backup:GetBackupPlan"),
    ("backup:ListBackupSelections", "backup:ListBackupSelections"),
    ("backup:GetBackupSelection", "backup:GetBackupSelection"),
    ("backup:ListBackupVaults", "backup:ListBackupVaults"),
    ("backup:ListTags", "backup:ListTags"),
    ("rds:DescribeDBInstances", "rds:DescribeDBInstances"),
    ("rds:DescribeDBClusters", "rds:DescribeDBClusters"),
    ("rds:DescribeGlobalClusters", "rds:DescribeGlobalClusters"),
    ("drs:DescribeSourceServers", "drs:DescribeSourceServers"),
    ("autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingGroups"),
    ("pricing:GetProducts", "pricing:GetProducts"),
];

/// The least-privilege IAM policy for everything in `OPERATIONS`.
pub fn policy_json() -> String {
    let mut actions: Vec<&str> = OPERATIONS.iter().map(|(_, action)| *action).collect();
    actions.sort();
    actions.dedup();
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "TierwiseReadOnly",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*"
        }]
    });
    let mut text = serde_json::to_string_pretty(&policy).unwrap_or_default();
    text.push('\n');
    text
}

/// The IAM action for an operation tierwise called, if it is a known one.
pub fn action_for(operation: &str) -> Option<&'static str> {
    OPERATIONS.iter().find(|(op, _)| *op == operation).map(|(_, a)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_read_only() {
        for (op, action) in OPERATIONS {
            let name = op.split_once(':').map(|(_, n)| n).unwrap_or_default();
            assert!(
                name.starts_with("Describe") || name.starts_with("List") || name.starts_with("Get"),
                "{op} is not a Describe/List/Get operation"
            );
            let iam = action.split_once(':').map(|(_, n)| n).unwrap_or_default();
            assert!(iam.starts_with("Describe") || iam.starts_with("List") || iam.starts_with("Get"), "{action}");
        }
    }
}
