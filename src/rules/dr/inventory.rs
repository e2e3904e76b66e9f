//! What the DR rule knows about an account: every resource that can belong to a
//! workload (with its tags and the facts the model needs), the mechanisms found by the
//! collectors (`dr_posture`), and the declared workloads (`dr_workloads`). Read once per
//! run from the frames (`frames.rs`).

use std::collections::BTreeMap;

/// What kind of resource a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Instance,
    Bucket,
    Table,
    Database,
    Group,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Instance => "EC2 instance",
            Kind::Bucket => "S3 bucket",
            Kind::Table => "DynamoDB table",
            Kind::Database => "RDS database",
            Kind::Group => "Auto Scaling group",
        }
    }
}

/// One resource that can belong to a workload.
#[derive(Debug, Clone)]
pub struct Res {
    pub kind: Kind,
    /// Display id: instance id, bucket or table name, DB identifier, group name.
    pub id: String,
    /// Every name it answers to (id, ARN, its volumes' ids and ARNs), for selectors.
    pub aliases: Vec<String>,
    pub account: String,
    pub region: String,
    pub tags: BTreeMap<String, String>,
    pub detail: Detail,
}

impl Res {
    /// Whether `pattern` (an id or ARN, `*` matching anything) names this resource.
    pub fn answers_to(&self, pattern: &str) -> bool {
        let p = pattern.trim();
        !p.is_empty() && self.aliases.iter().any(|a| glob(p, a))
    }

    /// Whether it carries `key=value` (or just `key` when `value` is None).
    pub fn has_tag(&self, key: &str, value: Option<&str>) -> bool {
        self.tags.get(key).is_some_and(|v| value.is_none_or(|want| v == want))
    }
}

#[derive(Debug, Clone)]
pub enum Detail {
    Instance(Server),
    Bucket(BucketData),
    Table(TableData),
    Database(DbData),
    Group(GroupData),
}

#[derive(Debug, Clone)]
pub struct Server {
    pub instance_type: String,
    pub platform: String,
    pub running: bool,
    pub asg: Option<String>,
    pub eks: bool,
    pub disks: Vec<Disk>,
}

impl Server {
    /// A member of an Auto Scaling group or EKS node group is rebuilt from its launch
    /// template: its disks are not data to protect.
    pub fn stateless(&self) -> bool {
        self.asg.is_some() || self.eks
    }

    pub fn disk_gib(&self) -> f64 {
        self.disks.iter().map(|d| d.gib).sum()
    }
}

#[derive(Debug, Clone)]
pub struct Disk {
    pub volume_type: String,
    pub gib: f64,
    /// Provisioned IOPS (io1 / io2 bill them).
    pub iops: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct BucketData {
    /// (storage class, GiB) on the latest day of `s3_storage_daily`.
    pub classes: Vec<(String, f64)>,
    /// Objects on that day; None when unreported.
    pub objects: Option<f64>,
    pub replication: Vec<Replication>,
}

impl BucketData {
    pub fn gib(&self) -> f64 {
        self.classes.iter().map(|c| c.1).sum()
    }
}

/// One enabled replication rule of a bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    pub dest_region: Option<String>,
    pub rtc: bool,
    pub dest_class: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TableData {
    pub gib: f64,
    pub table_class: String,
    pub on_demand: bool,
    pub provisioned_wcu: Option<i64>,
    /// Write request units per 730-hour month, from `dynamodb_metrics_hourly`; None without metrics.
    pub writes_per_month: Option<f64>,
    pub pitr: bool,
    pub replicas: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DbData {
    pub engine: String,
    pub class: Option<String>,
    pub gib: f64,
    pub backup_retention_days: i64,
    pub replica_of: Option<String>,
    pub replica_regions: Vec<String>,
    pub backup_replication_regions: Vec<String>,
    pub global_regions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct GroupData {
    pub desired: i64,
    pub instance_types: Vec<String>,
    pub instance_ids: Vec<String>,
}

/// One `dr_posture` row.
#[derive(Debug, Clone)]
pub struct PostureRow {
    /// 1-based row number, for messages.
    pub row: usize,
    pub workload: Option<String>,
    pub mechanism: String,
    pub detail: String,
    pub frequency_min: Option<i64>,
    pub dest_region: Option<String>,
    pub region: Option<String>,
    pub resources: Vec<String>,
    /// (key, value) pairs; value None matches any value.
    pub selection_tags: Vec<(String, Option<String>)>,
    pub retention_days: Option<i64>,
    pub data_gib: Option<f64>,
    pub capacity: Option<i64>,
    pub instance_type: Option<String>,
}

impl PostureRow {
    /// Whether the row names `res` (by resource pattern or selection tag).
    pub fn selects(&self, res: &Res) -> bool {
        self.resources.iter().any(|p| res.answers_to(p))
            || self.selection_tags.iter().any(|(k, v)| res.has_tag(k, v.as_deref()))
    }

    /// A row that names no resource at all applies to its whole workload.
    pub fn whole_workload(&self) -> bool {
        self.resources.is_empty() && self.selection_tags.is_empty()
    }
}

/// One `dr_workloads` row (a declaration from the snapshot or from tierwise.toml).
#[derive(Debug, Clone)]
pub struct DeclaredRow {
    pub name: String,
    pub rto_min: Option<i64>,
    pub rpo_min: Option<i64>,
    pub primary_region: Option<String>,
    pub dr_region: Option<String>,
    pub resources: Vec<String>,
    pub declared_strategy: Option<String>,
    pub selectors: Vec<(String, Option<String>)>,
    /// `tierwise.toml dr.workload[0]`, or `dr_workloads row 3`.
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub resources: Vec<Res>,
    pub posture: Vec<PostureRow>,
    pub declared: Vec<DeclaredRow>,
    /// Regions the snapshot was collected in (manifest).
    pub collected_regions: Vec<String>,
    /// Rows that could not be used, named.
    pub warnings: Vec<String>,
}

/// `key=value` or `key` → (key, Some(value) | None).
pub fn selector(text: &str) -> Option<(String, Option<String>)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(match t.split_once('=') {
        Some((k, v)) => (k.trim().to_string(), Some(v.trim().to_string())),
        None => (t.to_string(), None),
    })
}

/// Comma-separated list → trimmed, non-empty items.
pub fn list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// `*` matches any run of characters (AWS Backup's selection wildcards); everything else literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_backup_selections() {
        assert!(glob("arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:us-east-1:1:volume/vol-1"));
        assert!(glob("*", "anything"));
        assert!(glob("i-1", "i-1"));
        assert!(!glob("i-1", "i-12"));
        assert!(!glob("arn:aws:s3:::logs-*", "arn:aws:s3:::data"));
        assert!(glob("a*b*c", "aXbYc") && !glob("a*b*c", "aXcYb"));
    }

    #[test]
    fn selectors_and_lists_parse() {
        assert_eq!(selector("app=checkout"), Some(("app".into(), Some("checkout".into()))));
        assert_eq!(selector(" critical "), Some(("critical".into(), None)));
        assert_eq!(selector(" "), None);
        assert_eq!(list(Some("a, b,,c ")), vec!["a", "b", "c"]);
        assert!(list(None).is_empty());
    }
}
