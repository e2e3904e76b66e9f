//! The running fleet as the EC2 rules see it: instances, and the units findings are
//! about — a standalone instance, or all alike members of an Auto Scaling group or
//! EKS node group (one finding per group, never one per member).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::pricing::platform::{self, Platform};
use crate::report::Resource;
use crate::rules::RuleError;
use crate::rules::columns::{region_of_az, strs, tags};

/// One row of `ec2_instances`.
#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub account: String,
    pub region: String,
    pub instance_type: String,
    /// The price-key slug of what the instance is billed as (`linux`, `rhel`, …), or the
    /// raw value when it is not a known platform.
    pub platform: String,
    /// The billed platform, when known (usage operation, platform details or slug).
    pub billed: Option<&'static Platform>,
    pub spot: bool,
    pub asg: Option<String>,
    pub eks_cluster: Option<String>,
    pub tags: BTreeMap<String, String>,
}

impl Instance {
    pub fn name(&self) -> &str {
        self.tags.get("Name").map(String::as_str).unwrap_or(&self.id)
    }

    /// An arm64 (Graviton) build of the instance's platform exists.
    pub fn arm64_available(&self) -> bool {
        self.billed.is_some_and(|p| p.arm64)
    }
}

/// Running instances, sorted by id.
pub fn running_instances(df: &DataFrame) -> Result<Vec<Instance>, RuleError> {
    let df = df
        .clone()
        .lazy()
        .filter(col("state").eq(lit("running")))
        .sort(["instance_id"], Default::default())
        .collect()?;
    let ids = strs(&df, "instance_id")?;
    let accounts = strs(&df, "account_id")?;
    let regions = strs(&df, "region")?;
    let azs = strs(&df, "az")?;
    let types = strs(&df, "instance_type")?;
    let platforms = strs(&df, "platform")?;
    let lifecycles = strs(&df, "lifecycle")?;
    let asgs = strs(&df, "asg_name")?;
    let clusters = strs(&df, "eks_cluster")?;
    let tag_json = strs(&df, "tags")?;
    let details = strs(&df, "platform_details")?;
    let operations = strs(&df, "usage_operation")?;
    let owned = |v: Option<&str>| v.map(str::to_string).filter(|s| !s.is_empty());
    Ok((0..df.height())
        .map(|i| {
            let billed = platform::identify(operations[i], details[i], platforms[i]);
            let raw = platforms[i].unwrap_or("linux").to_ascii_lowercase();
            (i, billed, raw)
        })
        .map(|(i, billed, raw)| Instance {
            id: ids[i].unwrap_or_default().to_string(),
            account: accounts[i].unwrap_or_default().to_string(),
            region: regions[i]
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| region_of_az(azs[i].unwrap_or_default())),
            instance_type: types[i].unwrap_or_default().to_string(),
            platform: billed.map(|p| p.slug.to_string()).unwrap_or(raw),
            billed,
            spot: lifecycles[i].is_some_and(|l| l.eq_ignore_ascii_case("spot")),
            asg: owned(asgs[i]),
            eks_cluster: owned(clusters[i]),
            tags: tags(tag_json[i]),
        })
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Instance,
    AutoScalingGroup,
    EksNodeGroup,
}

/// What one finding is about.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    /// Instance id, or the group name (suffixed with what differs when the group mixes types,
    /// platforms or lifecycles: `web-asg/m5.large`, `web-asg/spot`).
    pub id: String,
    /// Indices into the instance list, sorted by instance id.
    pub members: Vec<usize>,
    /// The group name (ASG name) when this is a group.
    pub group: Option<String>,
    pub eks_cluster: Option<String>,
}

impl Unit {
    pub fn first<'a>(&self, instances: &'a [Instance]) -> &'a Instance {
        &instances[self.members[0]]
    }

    pub fn size(&self) -> usize {
        self.members.len()
    }

    /// Human name: the instance's Name tag, or `web-asg (6 instances)`.
    pub fn name(&self, instances: &[Instance]) -> String {
        match self.kind {
            UnitKind::Instance => self.first(instances).name().to_string(),
            _ => format!("{} ({} instance{})", self.id, self.size(), if self.size() == 1 { "" } else { "s" }),
        }
    }

    /// EKS node group name: the `eks:nodegroup-name` tag AWS puts on managed nodes, else the ASG name.
    pub fn nodegroup_name(&self, instances: &[Instance]) -> String {
        let first = self.first(instances);
        first.tags.get("eks:nodegroup-name").cloned().or_else(|| self.group.clone()).unwrap_or_else(|| self.id.clone())
    }

    pub fn resource(&self, instances: &[Instance]) -> Resource {
        let first = self.first(instances);
        let kind = match self.kind {
            UnitKind::Instance => "ec2-instance",
            UnitKind::AutoScalingGroup => "autoscaling-group",
            UnitKind::EksNodeGroup => "eks-nodegroup",
        };
        // A group carries the tags all its members share.
        let mut tags = first.tags.clone();
        if self.kind != UnitKind::Instance {
            tags.retain(|k, v| k != "Name" && self.members.iter().all(|&m| instances[m].tags.get(k) == Some(v)));
        }
        Resource {
            arn_or_id: self.id.clone(),
            kind: kind.into(),
            account_id: first.account.clone(),
            region: first.region.clone(),
            name: self.name(instances),
            tags,
        }
    }
}

/// (group, account, region, type, platform, spot): members sharing it share one price.
type GroupKey = (String, String, String, String, String, bool);

/// Group the running instances into units. Group members are split by (account, region,
/// type, platform, lifecycle) so every unit has one price; a group that mixes them gets
/// one unit per combination, named after what differs (`group/type`, `group/spot`, …).
pub fn units(instances: &[Instance]) -> Vec<Unit> {
    let mut standalone = Vec::new();
    let mut groups: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
    for (i, inst) in instances.iter().enumerate() {
        let group = inst.asg.clone().or_else(|| inst.eks_cluster.as_ref().map(|c| format!("eks:{c}")));
        match group {
            None => standalone.push(Unit {
                kind: UnitKind::Instance,
                id: inst.id.clone(),
                members: vec![i],
                group: None,
                eks_cluster: None,
            }),
            Some(g) => groups
                .entry((
                    g,
                    inst.account.clone(),
                    inst.region.clone(),
                    inst.instance_type.clone(),
                    inst.platform.clone(),
                    inst.spot,
                ))
                .or_default()
                .push(i),
        }
    }
    // Within one group name, the id names only what differs between its units.
    let mut per_group: HashMap<&str, Vec<&GroupKey>> = HashMap::new();
    for key in groups.keys() {
        per_group.entry(key.0.as_str()).or_default().push(key);
    }
    let mut out = standalone;
    for (key, members) in &groups {
        let (group, account, region, instance_type, platform, spot) = key;
        let siblings = per_group.get(group.as_str()).map(Vec::as_slice).unwrap_or_default();
        let varies = |f: fn(&GroupKey) -> String| siblings.iter().any(|k| f(k) != f(key));
        let mut id = group.clone();
        if varies(|k| format!("{}/{}", k.1, k.2)) {
            id.push_str(&format!("@{account}/{region}"));
        }
        if varies(|k| k.3.clone()) {
            id.push_str(&format!("/{instance_type}"));
        }
        if varies(|k| k.4.clone()) {
            id.push_str(&format!("/{platform}"));
        }
        if varies(|k| k.5.to_string()) {
            id.push_str(if *spot { "/spot" } else { "/on-demand" });
        }
        let first = &instances[members[0]];
        out.push(Unit {
            kind: if first.eks_cluster.is_some() { UnitKind::EksNodeGroup } else { UnitKind::AutoScalingGroup },
            id,
            members: members.clone(),
            group: Some(group.clone()),
            eks_cluster: first.eks_cluster.clone(),
        });
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn member(id: &str, instance_type: &str, spot: bool) -> Instance {
        Instance {
            id: id.into(),
            account: "123456789012".into(),
            region: "us-east-1".into(),
            instance_type: instance_type.into(),
            platform: "linux".into(),
            billed: crate::pricing::platform::by_slug("linux"),
            spot,
            asg: Some("web-asg".into()),
            eks_cluster: None,
            tags: BTreeMap::new(),
        }
    }

    #[test]
    fn mixed_groups_split_with_distinct_ids() {
        let fleet = [
            member("i-1", "m5.large", false),
            member("i-2", "m5.large", false),
            member("i-3", "m5.large", true),
            member("i-4", "c5.large", false),
        ];
        let mut ids: Vec<String> = units(&fleet).into_iter().map(|u| u.id).collect();
        ids.sort();
        assert_eq!(ids, ["web-asg/c5.large/on-demand", "web-asg/m5.large/on-demand", "web-asg/m5.large/spot"]);
        let plain = units(&fleet[..2]);
        assert_eq!((plain.len(), plain[0].id.as_str(), plain[0].size()), (1, "web-asg", 2));
    }
}
