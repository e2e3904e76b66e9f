//! AWS CLI JSON outputs, recognised by their top-level key: `describe-availability-zones`,
//! `describe-subnets`, `describe-network-interfaces`, `describe-nat-gateways`,
//! `describe-vpc-endpoints`, `describe-prefix-lists` and `aws eks describe-cluster`.
//! Fields are read by name (PascalCase, as the CLI prints the API's names); every one
//! the advisor does not need is ignored.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::inventory::{ClusterRow, EndpointRow, EniRow, Inventory, NatRow, PrefixListRow, SubnetRow, ZoneRow};
use crate::snapshot::SnapshotError;

/// The describe output a JSON document is, by its top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsDoc {
    AvailabilityZones,
    Subnets,
    NetworkInterfaces,
    NatGateways,
    VpcEndpoints,
    PrefixLists,
    EksCluster,
}

impl AwsDoc {
    pub fn of(value: &Value) -> Option<AwsDoc> {
        let has = |k: &str| value.get(k).is_some_and(Value::is_array);
        Some(if has("AvailabilityZones") {
            AwsDoc::AvailabilityZones
        } else if has("Subnets") {
            AwsDoc::Subnets
        } else if has("NetworkInterfaces") {
            AwsDoc::NetworkInterfaces
        } else if has("NatGateways") {
            AwsDoc::NatGateways
        } else if has("VpcEndpoints") {
            AwsDoc::VpcEndpoints
        } else if has("PrefixLists") {
            AwsDoc::PrefixLists
        } else if value.get("cluster").is_some_and(|c| c.get("name").is_some() && c.get("arn").is_some()) {
            AwsDoc::EksCluster
        } else {
            return None;
        })
    }

    fn command(self) -> &'static str {
        match self {
            AwsDoc::AvailabilityZones => "aws ec2 describe-availability-zones output",
            AwsDoc::Subnets => "aws ec2 describe-subnets output",
            AwsDoc::NetworkInterfaces => "aws ec2 describe-network-interfaces output",
            AwsDoc::NatGateways => "aws ec2 describe-nat-gateways output",
            AwsDoc::VpcEndpoints => "aws ec2 describe-vpc-endpoints output",
            AwsDoc::PrefixLists => "aws ec2 describe-prefix-lists output",
            AwsDoc::EksCluster => "aws eks describe-cluster output",
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Zone {
    region_name: String,
    zone_name: String,
    zone_id: String,
    zone_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Subnet {
    availability_zone: String,
    availability_zone_id: String,
    cidr_block: String,
    subnet_id: String,
    vpc_id: String,
    owner_id: Option<String>,
    subnet_arn: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct PrivateIp {
    private_ip_address: String,
    primary: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Attachment {
    instance_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Eni {
    network_interface_id: String,
    interface_type: Option<String>,
    description: Option<String>,
    subnet_id: Option<String>,
    availability_zone: Option<String>,
    availability_zone_id: Option<String>,
    vpc_id: Option<String>,
    owner_id: Option<String>,
    private_ip_address: Option<String>,
    private_ip_addresses: Vec<PrivateIp>,
    attachment: Option<Attachment>,
    requester_managed: bool,
    tag_set: Vec<Tag>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct NatAddress {
    network_interface_id: Option<String>,
    private_ip: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Nat {
    nat_gateway_id: String,
    subnet_id: Option<String>,
    vpc_id: Option<String>,
    state: String,
    connectivity_type: Option<String>,
    create_time: Option<String>,
    nat_gateway_addresses: Vec<NatAddress>,
    tags: Vec<Tag>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Endpoint {
    vpc_endpoint_id: String,
    vpc_endpoint_type: String,
    vpc_id: Option<String>,
    service_name: String,
    state: String,
    subnet_ids: Vec<String>,
    route_table_ids: Vec<String>,
    network_interface_ids: Vec<String>,
    owner_id: Option<String>,
    creation_timestamp: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct PrefixList {
    prefix_list_id: String,
    prefix_list_name: String,
    cidrs: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct VpcConfig {
    vpc_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Cluster {
    name: String,
    arn: String,
    version: Option<String>,
    platform_version: Option<String>,
    resources_vpc_config: VpcConfig,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Doc<T> {
    #[serde(alias = "Subnets", alias = "NetworkInterfaces", alias = "NatGateways")]
    #[serde(alias = "VpcEndpoints", alias = "PrefixLists")]
    availability_zones: Vec<T>,
}

#[derive(Deserialize)]
struct ClusterDoc {
    cluster: Cluster,
}

fn typed<T: DeserializeOwned>(path: &Path, doc: AwsDoc, text: &str) -> Result<T, SnapshotError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| SnapshotError::Unreadable {
        path: path.to_path_buf(),
        what: doc.command(),
        detail: format!("field `{}`: {}", e.path(), e.inner()),
    })
}

/// `us-east-1a` → `us-east-1` (and Local Zones `us-west-2-lax-1a` → `us-west-2`).
pub fn region_of_zone(zone: &str) -> String {
    let parts: Vec<&str> = zone.split('-').collect();
    if parts.len() >= 3 {
        let third: String = parts[2].chars().take_while(char::is_ascii_digit).collect();
        if !third.is_empty() {
            return format!("{}-{}-{third}", parts[0], parts[1]);
        }
    }
    zone.trim_end_matches(|c: char| c.is_ascii_alphabetic()).to_string()
}

/// Epoch milliseconds of an RFC 3339 time.
fn millis(t: &Option<String>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(t.as_deref()?).ok().map(|d| d.timestamp_millis())
}

fn tags_json(tags: &[Tag]) -> String {
    let map: BTreeMap<&str, &str> = tags.iter().map(|t| (t.key.as_str(), t.value.as_str())).collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

/// Region from a service name `com.amazonaws.us-east-1.s3`.
fn region_of_service(name: &str) -> Option<String> {
    name.strip_prefix("com.amazonaws.").and_then(|rest| rest.split('.').next()).map(str::to_string)
}

/// Add one describe output to `inv`.
pub fn read(path: &Path, doc: AwsDoc, text: &str, inv: &mut Inventory) -> Result<(), SnapshotError> {
    match doc {
        AwsDoc::AvailabilityZones => {
            let d: Doc<Zone> = typed(path, doc, text)?;
            inv.zones.extend(d.availability_zones.into_iter().map(|z| ZoneRow {
                account_id: None,
                region: if z.region_name.is_empty() { region_of_zone(&z.zone_name) } else { z.region_name },
                zone_name: z.zone_name,
                zone_id: z.zone_id,
                zone_type: z.zone_type,
            }));
        }
        AwsDoc::Subnets => {
            let d: Doc<Subnet> = typed(path, doc, text)?;
            inv.subnets.extend(d.availability_zones.into_iter().map(|s| {
                SubnetRow {
                    region: s
                        .subnet_arn
                        .as_deref()
                        .and_then(|a| a.split(':').nth(3))
                        .map(str::to_string)
                        .unwrap_or_else(|| region_of_zone(&s.availability_zone)),
                    account_id: s.owner_id,
                    vpc_id: s.vpc_id,
                    subnet_id: s.subnet_id,
                    az: s.availability_zone,
                    az_id: s.availability_zone_id,
                    cidr: s.cidr_block,
                }
            }));
        }
        AwsDoc::NetworkInterfaces => {
            let d: Doc<Eni> = typed(path, doc, text)?;
            inv.enis.extend(d.availability_zones.into_iter().map(|e| {
                let mut ips: Vec<(bool, String)> =
                    e.private_ip_addresses.into_iter().map(|p| (!p.primary, p.private_ip_address)).collect();
                ips.sort_by_key(|(secondary, _)| *secondary);
                let mut private_ips: Vec<String> = ips.into_iter().map(|(_, ip)| ip).collect();
                if let Some(primary) = e.private_ip_address
                    && !private_ips.contains(&primary)
                {
                    private_ips.insert(0, primary);
                }
                let description = e.description.unwrap_or_default();
                let tag = |k: &str| e.tag_set.iter().find(|t| t.key == k).map(|t| t.value.clone());
                let eks_cluster = tag("cluster.k8s.amazonaws.com/name")
                    .or_else(|| description.strip_prefix("Amazon EKS ").map(str::to_string));
                EniRow {
                    account_id: e.owner_id,
                    region: e.availability_zone.as_deref().map(region_of_zone).unwrap_or_default(),
                    eni_id: e.network_interface_id,
                    interface_type: e.interface_type.unwrap_or_else(|| "interface".into()),
                    description,
                    subnet_id: e.subnet_id,
                    az_id: e.availability_zone_id,
                    az: e.availability_zone,
                    vpc_id: e.vpc_id,
                    private_ips,
                    instance_id: e.attachment.and_then(|a| a.instance_id),
                    requester_managed: e.requester_managed,
                    eks_cluster,
                }
            }));
        }
        AwsDoc::NatGateways => {
            let d: Doc<Nat> = typed(path, doc, text)?;
            inv.nats.extend(d.availability_zones.into_iter().map(|n| NatRow {
                account_id: None,
                region: String::new(),
                nat_gateway_id: n.nat_gateway_id,
                vpc_id: n.vpc_id,
                subnet_id: n.subnet_id,
                az_id: None,
                state: n.state,
                connectivity_type: n.connectivity_type,
                private_ips: n.nat_gateway_addresses.iter().filter_map(|a| a.private_ip.clone()).collect(),
                eni_ids: {
                    let mut ids: Vec<String> =
                        n.nat_gateway_addresses.iter().filter_map(|a| a.network_interface_id.clone()).collect();
                    ids.dedup();
                    ids
                },
                created_ms: millis(&n.create_time),
                tags: tags_json(&n.tags),
            }));
        }
        AwsDoc::VpcEndpoints => {
            let d: Doc<Endpoint> = typed(path, doc, text)?;
            inv.endpoints.extend(d.availability_zones.into_iter().map(|e| EndpointRow {
                account_id: e.owner_id,
                region: region_of_service(&e.service_name).unwrap_or_default(),
                vpc_endpoint_id: e.vpc_endpoint_id,
                vpc_id: e.vpc_id,
                service_name: e.service_name,
                endpoint_type: e.vpc_endpoint_type,
                state: e.state,
                subnet_ids: e.subnet_ids,
                route_table_ids: e.route_table_ids,
                eni_ids: e.network_interface_ids,
                created_ms: millis(&e.creation_timestamp),
            }));
        }
        AwsDoc::PrefixLists => {
            let d: Doc<PrefixList> = typed(path, doc, text)?;
            inv.prefix_lists.extend(d.availability_zones.into_iter().map(|p| PrefixListRow {
                region: region_of_service(&p.prefix_list_name).unwrap_or_default(),
                prefix_list_id: p.prefix_list_id,
                name: p.prefix_list_name,
                cidrs: p.cidrs,
            }));
        }
        AwsDoc::EksCluster => {
            let d: ClusterDoc = typed(path, doc, text)?;
            let c = d.cluster;
            let mut arn = c.arn.split(':');
            let (region, account) = (arn.nth(3).map(str::to_string), arn.next().map(str::to_string));
            inv.clusters.push(ClusterRow {
                eks_cluster: c.name,
                account_id: account,
                region,
                kubernetes_version: c.version,
                version_source: Some("eks".into()),
                vpc_id: c.resources_vpc_config.vpc_id,
                node_cpu_by_az: None,
                nodegroups: None,
                platform_version: c.platform_version,
            });
        }
    }
    Ok(())
}

/// Fill what one describe output leaves to another: NAT regions and AZs from their
/// subnets, zone-name-only interfaces from the zone map.
pub fn resolve(inv: &mut Inventory) {
    let subnets: BTreeMap<String, (String, String)> =
        inv.subnets.iter().map(|s| (s.subnet_id.clone(), (s.az_id.clone(), s.region.clone()))).collect();
    for nat in &mut inv.nats {
        if let Some((az_id, region)) = nat.subnet_id.as_ref().and_then(|s| subnets.get(s)) {
            nat.az_id.get_or_insert_with(|| az_id.clone());
            if nat.region.is_empty() {
                nat.region = region.clone();
            }
        }
    }
    let zone_ids: BTreeMap<String, String> = inv
        .zones
        .iter()
        .map(|z| (z.zone_name.clone(), z.zone_id.clone()))
        .chain(inv.subnets.iter().map(|s| (s.az.clone(), s.az_id.clone())))
        .collect();
    for eni in &mut inv.enis {
        if eni.az_id.is_none() {
            eni.az_id = eni
                .az
                .as_ref()
                .and_then(|z| zone_ids.get(z).cloned())
                .or_else(|| eni.subnet_id.as_ref().and_then(|s| subnets.get(s)).map(|(az, _)| az.clone()));
        }
    }
    // A NAT gateway's interfaces are listed by DescribeNetworkInterfaces too.
    for nat in &mut inv.nats {
        if nat.az_id.is_none() {
            nat.az_id = inv.enis.iter().find(|e| nat.eni_ids.contains(&e.eni_id)).and_then(|e| e.az_id.clone());
        }
        if nat.region.is_empty() {
            nat.region =
                inv.enis.iter().find(|e| nat.eni_ids.contains(&e.eni_id)).map(|e| e.region.clone()).unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_from_zone_names() {
        assert_eq!(region_of_zone("us-east-1a"), "us-east-1");
        assert_eq!(region_of_zone("us-west-2-lax-1a"), "us-west-2");
        assert_eq!(region_of_zone("ap-northeast-2c"), "ap-northeast-2");
    }

    #[test]
    fn recognised_by_top_level_key_and_wrong_types_are_named() {
        let v: Value = serde_json::from_str(r#"{"NatGateways": []}"#).unwrap();
        assert_eq!(AwsDoc::of(&v), Some(AwsDoc::NatGateways));
        let v: Value = serde_json::from_str(r#"{"Something": []}"#).unwrap();
        assert_eq!(AwsDoc::of(&v), None);
        let mut inv = Inventory::default();
        let err = read(Path::new("s.json"), AwsDoc::Subnets, r#"{"Subnets":[{"CidrBlock":7}]}"#, &mut inv).unwrap_err();
        let err = err.to_string();
        assert!(
            err.contains("s.json") && err.contains("Subnets[0].CidrBlock") && err.contains("describe-subnets"),
            "{err}"
        );
    }
}
