//! Which offer rows a user pays, and the tierwise key each one prices.
//!
//! Rows are keyed on the usage type (after its region prefix), never on display names:
//! `BoxUsage:<type>` is shared-tenancy on-demand usage (`DedicatedUsage`, `HostBoxUsage`,
//! `UnusedBox`, `Reservation` are not), `TimedStorage-GDA-ByteHrs` is Deep Archive storage
//! (`TimedStorage-GDA-Staging` is not). The other columns are checked against it: tenancy
//! Shared, capacity status Used, market option OnDemand, the platform's operating system,
//! pre-installed software and license model (platform.rs). Reserved terms, non-USD
//! prices, Local Zones and rows whose region is unknown are skipped by the caller.

use super::attrs::{Attr, Attrs};
use crate::pricing::platform;
use crate::pricing::regions::{region_of_location, region_of_prefix, strip_usage_prefix};

/// The offers tierwise reads.
pub const OFFERS: &[&str] = &[
    "AmazonEC2",
    "AmazonS3",
    "AmazonS3GlacierDeepArchive",
    "AmazonDynamoDB",
    "AmazonVPC",
    "AWSDataTransfer",
    "AWSBackup",
];

/// Whether an offer file can fill `key` (the keys `select` produces). The others —
/// lifecycle transitions, Glacier and Deep Archive retrievals, replication, gateway
/// endpoints — are not told apart by usage type in the offers (docs/pricing.md).
pub fn importable(key: &str) -> bool {
    const NOT: &[&str] = &[
        "s3.transition_per_1000.",
        "s3.retrieval_per_1000.",
        "s3.retrieval_gb.GLACIER",
        "s3.retrieval_gb.DEEP_ARCHIVE",
        "s3.replication.",
        "vpc.gateway_endpoint",
    ];
    if NOT.iter().any(|p| key.starts_with(p)) && key != "s3.retrieval_gb.GLACIER_IR" {
        return false;
    }
    ["ec2.ondemand.", "ebs.", "s3.", "dynamodb.", "transfer.", "vpc.", "backup."].iter().any(|p| key.starts_with(p))
}

/// What a row prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub region: String,
    /// The tierwise key (the first tier's key for a tiered item).
    pub key: String,
    /// The tierwise unit, as data/pricing/services.csv names it.
    pub unit: &'static str,
    /// Offer units accepted, each with the factor from the offer's unit to tierwise's
    /// (×1,000 for per-1,000-requests keys, ÷1,024 for GiBps-month → MiB/s-month). Empty:
    /// any unit, factor 1 (units not confirmed in a real file).
    pub units: &'static [(&'static str, f64)],
    /// A second key the same price fills (EBS snapshot storage is also AWS Backup of EBS).
    pub also: Option<&'static str>,
}

/// Why a row is not imported (counted per reason in the import summary).
pub type Skip = &'static str;

const GB_MONTH: &[(&str, f64)] = &[("GB-Mo", 1.0), ("GB-month", 1.0)];
const GB: &[(&str, f64)] = &[("GB", 1.0)];
const HOURS: &[(&str, f64)] = &[("Hrs", 1.0), ("Hours", 1.0)];
const PER_1000_REQUESTS: &[(&str, f64)] = &[("Requests", 1000.0)];
const PER_1000_OBJECTS: &[(&str, f64)] = &[("Objects", 1000.0)];
const IOPS_MONTH: &[(&str, f64)] = &[("IOPS-Mo", 1.0)];
const THROUGHPUT: &[(&str, f64)] = &[("GiBps-mo", 1.0 / 1024.0), ("MiBps-Mo", 1.0), ("MiBps-mo", 1.0)];
const ANY: &[(&str, f64)] = &[];

fn t(region: &str, key: String, unit: &'static str, units: &'static [(&'static str, f64)]) -> Target {
    Target { region: region.to_string(), key, unit, units, also: None }
}

/// The region a row is for: its `Region Code`, else its `Location`; None when unknown or
/// not an AWS Region (Local Zones, Wavelength). Data transfer rows use their source.
pub fn row_region(row: &dyn Attrs) -> Result<String, Skip> {
    let (code, location) = if !row.get(Attr::TransferType).is_empty() && !row.get(Attr::FromLocation).is_empty() {
        (row.get(Attr::FromRegionCode), row.get(Attr::FromLocation))
    } else {
        let kind = row.get(Attr::LocationType);
        if !kind.is_empty() && kind != "AWS Region" {
            return Err("not an AWS Region (Local Zone, Wavelength, …)");
        }
        (row.get(Attr::RegionCode), row.get(Attr::Location))
    };
    if !code.is_empty() {
        return Ok(code.to_string());
    }
    region_of_location(location).map(str::to_string).ok_or("region unknown (no Region Code, unlisted Location)")
}

/// Map one on-demand row of `offer` to the key it prices.
pub fn select(offer: &str, row: &dyn Attrs) -> Result<Target, Skip> {
    let region = row_region(row)?;
    let usage = row.get(Attr::UsageType);
    let (prefix_region, base) = strip_usage_prefix(usage);
    if row.get(Attr::TransferType).is_empty() && prefix_region.is_some_and(|r| r != region) {
        return Err("usage type's region prefix disagrees with the row's region");
    }
    if base.contains("DataTransfer") || base.ends_with("-AWS-Out-Bytes") {
        return transfer(&region, row, base);
    }
    match offer {
        "AmazonEC2" => ec2(&region, row, base),
        "AmazonS3" | "AmazonS3GlacierDeepArchive" => s3(&region, base),
        "AmazonDynamoDB" => dynamodb(&region, base),
        "AmazonVPC" => vpc(&region, base),
        "AWSBackup" => backup(&region, base),
        _ => Err("not an item tierwise prices"),
    }
}

fn ec2(region: &str, row: &dyn Attrs, base: &str) -> Result<Target, Skip> {
    if let Some(instance_type) = base.strip_prefix("BoxUsage:") {
        return instance(region, row, instance_type);
    }
    if base.contains("Usage:") || base.starts_with("UnusedBox") || base.starts_with("Reservation:") {
        return Err("EC2 usage other than shared-tenancy on-demand (dedicated, host, capacity reservation, spot)");
    }
    let ebs = |key: &str, units| Ok(t(region, key.to_string(), unit_of(key), units));
    match base {
        "EBS:VolumeP-IOPS.piops" => ebs("ebs.io1.iops_month", IOPS_MONTH),
        "EBS:VolumeP-IOPS.io2" => ebs("ebs.io2.iops_month", IOPS_MONTH),
        "EBS:VolumeP-IOPS.io2.tier2" => ebs("ebs.io2.iops_month.tier2", IOPS_MONTH),
        "EBS:VolumeP-IOPS.io2.tier3" => ebs("ebs.io2.iops_month.tier3", IOPS_MONTH),
        "EBS:VolumeP-IOPS.gp3" => ebs("ebs.gp3.iops_month", IOPS_MONTH),
        "EBS:VolumeP-Throughput.gp3" => ebs("ebs.gp3.throughput_mibps_month", THROUGHPUT),
        "EBS:SnapshotUsage" => Ok(Target {
            also: Some("backup.ebs.gb_month"),
            ..t(region, "ebs.snapshot.standard.gb_month".into(), "GB-month", GB_MONTH)
        }),
        "EBS:SnapshotArchiveStorage" => ebs("ebs.snapshot.archive.gb_month", GB_MONTH),
        "NatGateway-Hours" | "NatGateway-Bytes" => vpc(region, base),
        _ => match base.strip_prefix("EBS:VolumeUsage") {
            Some(suffix) => {
                let api = match (row.get(Attr::VolumeApiName), suffix) {
                    (api, _) if !api.is_empty() => api.to_string(),
                    (_, "") => "standard".to_string(),
                    (_, ".piops") => "io1".to_string(),
                    (_, s) => s.trim_start_matches('.').to_string(),
                };
                if !["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"].contains(&api.as_str()) {
                    return Err("EBS volume type tierwise does not price");
                }
                Ok(t(region, format!("ebs.{api}.gb_month"), "GB-month", GB_MONTH))
            }
            None => Err("not an item tierwise prices"),
        },
    }
}

fn unit_of(key: &str) -> &'static str {
    if key.contains("iops_month") {
        "IOPS-month"
    } else if key.contains("throughput") {
        "MiB/s-month"
    } else {
        "GB-month"
    }
}

/// A `BoxUsage:<type>` row: shared tenancy (bare-metal sizes are also listed as
/// Dedicated), capacity Used, market OnDemand, a platform platform.rs knows.
fn instance(region: &str, row: &dyn Attrs, instance_type: &str) -> Result<Target, Skip> {
    let family = row.get(Attr::ProductFamily);
    if !family.is_empty() && !family.starts_with("Compute Instance") {
        return Err("BoxUsage row that is not a compute instance");
    }
    match row.get(Attr::Tenancy) {
        "Shared" | "" => {}
        "Dedicated" if family == "Compute Instance (bare metal)" => {}
        _ => return Err("tenancy other than Shared"),
    }
    if !matches!(row.get(Attr::CapacityStatus), "Used" | "") {
        return Err("capacity reservation row (CapacityStatus not Used)");
    }
    if !matches!(row.get(Attr::MarketOption), "OnDemand" | "") {
        return Err("market option other than OnDemand");
    }
    let listed = row.get(Attr::InstanceType);
    if !listed.is_empty() && listed != instance_type {
        return Err("instance type disagrees with the usage type");
    }
    let Some(p) =
        platform::by_offer(row.get(Attr::OperatingSystem), row.get(Attr::PreInstalledSw), row.get(Attr::LicenseModel))
    else {
        return Err("platform (operating system / software / license) not in platform.rs");
    };
    let op = row.get(Attr::Operation);
    if !op.is_empty() && platform::by_operation(op).is_none_or(|o| o.slug != p.slug) {
        return Err("usage operation disagrees with the platform columns");
    }
    Ok(t(region, crate::pricing::ec2_key(instance_type, p.slug), "hour", HOURS))
}

fn s3(region: &str, base: &str) -> Result<Target, Skip> {
    let storage = |class: &str| Ok(t(region, format!("s3.storage.{class}"), "GB-month", GB_MONTH));
    let classes: &[(&str, &str)] = &[
        ("", "STANDARD"),
        ("SIA-", "STANDARD_IA"),
        ("ZIA-", "ONEZONE_IA"),
        ("INT-", "INTELLIGENT_TIERING"),
        ("GIR-", "GLACIER_IR"),
        ("GLACIER-", "GLACIER"),
        ("GDA-", "DEEP_ARCHIVE"),
    ];
    match base {
        "TimedStorage-ByteHrs" => return storage("STANDARD"),
        "TimedStorage-SIA-ByteHrs" => return storage("STANDARD_IA"),
        "TimedStorage-ZIA-ByteHrs" => return storage("ONEZONE_IA"),
        "TimedStorage-INT-FA-ByteHrs" => return storage("INTELLIGENT_TIERING_FA"),
        "TimedStorage-INT-IA-ByteHrs" => return storage("INTELLIGENT_TIERING_IA"),
        "TimedStorage-INT-AIA-ByteHrs" => return storage("INTELLIGENT_TIERING_AIA"),
        "TimedStorage-INT-AA-ByteHrs" => return storage("INTELLIGENT_TIERING_AA"),
        "TimedStorage-INT-DAA-ByteHrs" => return storage("INTELLIGENT_TIERING_DAA"),
        "TimedStorage-GIR-ByteHrs" => return storage("GLACIER_IR"),
        "TimedStorage-GlacierByteHrs" => return storage("GLACIER"),
        "TimedStorage-GDA-ByteHrs" => return storage("DEEP_ARCHIVE"),
        "Retrieval-SIA" => return Ok(t(region, "s3.retrieval_gb.STANDARD_IA".into(), "GB retrieved", GB)),
        "Retrieval-ZIA" => return Ok(t(region, "s3.retrieval_gb.ONEZONE_IA".into(), "GB retrieved", GB)),
        "Retrieval-GIR" => return Ok(t(region, "s3.retrieval_gb.GLACIER_IR".into(), "GB retrieved", GB)),
        "Monitoring-Automation-INT" => {
            return Ok(t(
                region,
                "s3.intelligent_tiering.monitoring_per_1000_objects".into(),
                "per 1,000 objects-month",
                PER_1000_OBJECTS,
            ));
        }
        _ => {}
    }
    if let Some(rest) = base.strip_prefix("Requests-") {
        for (infix, class) in classes {
            let Some(tier) = rest.strip_prefix(infix) else { continue };
            let kind = match tier {
                "Tier1" => "put",
                "Tier2" => "get",
                _ => continue,
            };
            return Ok(t(region, format!("s3.{kind}_per_1000.{class}"), "per 1,000 requests", PER_1000_REQUESTS));
        }
    }
    Err("not an item tierwise prices (staging, small-object overhead, other request tiers, …)")
}

/// DynamoDB usage types are `(<PFX>-)?(IA-)?<base>`: match the whole base, so
/// `WriteRequestUnits` never takes `ReplWriteRequestUnits` or `IA-WriteRequestUnits`.
fn dynamodb(region: &str, base: &str) -> Result<Target, Skip> {
    let (class, base) = match base.strip_prefix("IA-") {
        Some(rest) => ("STANDARD_INFREQUENT_ACCESS", rest),
        None => ("STANDARD", base),
    };
    let (key, unit, units): (String, &'static str, &'static [(&'static str, f64)]) = match base {
        "ReadCapacityUnit-Hrs" => (format!("dynamodb.provisioned.rcu_hour.{class}"), "RCU-hour", ANY),
        "WriteCapacityUnit-Hrs" => (format!("dynamodb.provisioned.wcu_hour.{class}"), "WCU-hour", ANY),
        "ReplWriteCapacityUnit-Hrs" => {
            (format!("dynamodb.provisioned.replicated_wcu_hour.{class}"), "replicated WCU-hour", ANY)
        }
        "ReadRequestUnits" => (format!("dynamodb.ondemand.rru_million.{class}"), "per million RRU", PER_MILLION),
        "WriteRequestUnits" => (format!("dynamodb.ondemand.wru_million.{class}"), "per million WRU", PER_MILLION),
        "ReplWriteRequestUnits" => {
            (format!("dynamodb.ondemand.replicated_wru_million.{class}"), "per million replicated WRU", PER_MILLION)
        }
        "TimedStorage-ByteHrs" => (format!("dynamodb.storage.gb_month.{class}"), "GB-month", ANY),
        "TimedPITRStorage-ByteHrs" if class == "STANDARD" => ("dynamodb.pitr.gb_month".into(), "GB-month", ANY),
        "TimedBackupStorage-ByteHrs" if class == "STANDARD" => ("dynamodb.backup.gb_month".into(), "GB-month", ANY),
        "RestoreDataSize-Bytes" if class == "STANDARD" => ("dynamodb.restore.gb".into(), "GB restored", ANY),
        _ => return Err("not an item tierwise prices"),
    };
    Ok(t(region, key, unit, units))
}

/// On-demand request units are listed per unit; tierwise keys them per million. The
/// unit string is not confirmed in a real file, so any unit is scaled (see docs/pricing.md).
const PER_MILLION: &[(&str, f64)] = &[("*", 1_000_000.0)];

fn vpc(region: &str, base: &str) -> Result<Target, Skip> {
    match base {
        "NatGateway-Hours" => Ok(t(region, "vpc.nat_gateway.hour".into(), "per NAT gateway-hour", HOURS)),
        "NatGateway-Bytes" => Ok(t(region, "vpc.nat_gateway.gb".into(), "GB processed", GB)),
        "VpcEndpoint-Hours" => Ok(t(region, "vpc.interface_endpoint.az_hour".into(), "per endpoint-AZ-hour", HOURS)),
        "VpcEndpoint-Bytes" => Ok(t(region, "vpc.interface_endpoint.gb".into(), "GB processed", GB)),
        "PublicIPv4:InUseAddress" => Ok(t(region, "vpc.public_ipv4.hour".into(), "per address-hour", HOURS)),
        _ => Err("not an item tierwise prices"),
    }
}

fn backup(region: &str, base: &str) -> Result<Target, Skip> {
    let (tier, kind) = if let Some(kind) = base.strip_prefix("WarmStorage-ByteHrs-") {
        ("gb_month", kind)
    } else if let Some(kind) = base.strip_prefix("ColdStorage-ByteHrs-") {
        ("cold_gb_month", kind)
    } else {
        return Err("not an item tierwise prices");
    };
    if kind.eq_ignore_ascii_case("EBS") || kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric()) {
        // AWS Backup of EBS is billed as EBS snapshots (AmazonEC2 EBS:SnapshotUsage).
        return Err("AWS Backup storage type tierwise does not price this way");
    }
    Ok(t(region, format!("backup.{}.{tier}", kind.to_ascii_lowercase()), "GB-month", GB_MONTH))
}

fn transfer(region: &str, row: &dyn Attrs, base: &str) -> Result<Target, Skip> {
    let kind = row.get(Attr::TransferType);
    match (kind, base) {
        ("IntraRegion", "DataTransfer-Regional-Bytes") | ("", "DataTransfer-Regional-Bytes") => {
            Ok(t(region, "transfer.inter_az.gb_each_direction".into(), "GB", GB))
        }
        ("AWS Outbound", "DataTransfer-Out-Bytes") => Ok(t(region, "transfer.internet_out.gb".into(), "GB", GB)),
        ("InterRegion Outbound", b) => {
            let dest = match row.get(Attr::ToRegionCode) {
                code if !code.is_empty() => Some(code.to_string()),
                _ => region_of_location(row.get(Attr::ToLocation))
                    .or_else(|| b.strip_suffix("-AWS-Out-Bytes").and_then(region_of_prefix))
                    .map(str::to_string),
            };
            match dest {
                Some(dest) if dest != region => Ok(t(region, format!("transfer.inter_region.gb.to.{dest}"), "GB", GB)),
                _ => Err("inter-region transfer to an unknown destination"),
            }
        }
        _ => Err("data transfer tierwise does not price (inbound, CloudFront, Direct Connect, …)"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::attrs::OwnedAttrs;
    use super::*;

    fn row(pairs: &[(Attr, &str)]) -> OwnedAttrs {
        let mut a = OwnedAttrs::default();
        for (attr, v) in pairs {
            a.0[attr.index()] = v.to_string();
        }
        a
    }

    fn linux(usage: &str) -> Vec<(Attr, &str)> {
        vec![
            (Attr::ProductFamily, "Compute Instance"),
            (Attr::RegionCode, "ap-northeast-2"),
            (Attr::LocationType, "AWS Region"),
            (Attr::UsageType, usage),
            (Attr::Operation, "RunInstances"),
            (Attr::InstanceType, "m5.large"),
            (Attr::Tenancy, "Shared"),
            (Attr::OperatingSystem, "Linux"),
            (Attr::LicenseModel, "No License required"),
            (Attr::PreInstalledSw, "NA"),
            (Attr::CapacityStatus, "Used"),
            (Attr::MarketOption, "OnDemand"),
        ]
    }

    #[test]
    fn the_linux_row_and_its_decoys() {
        let ok = select("AmazonEC2", &row(&linux("APN2-BoxUsage:m5.large"))).unwrap();
        assert_eq!((ok.region.as_str(), ok.key.as_str()), ("ap-northeast-2", "ec2.ondemand.linux.m5.large"));
        let with = |attr: Attr, v: &'static str, usage: &'static str| {
            let mut r = linux(usage);
            r.retain(|(a, _)| *a != attr);
            r.push((attr, v));
            select("AmazonEC2", &row(&r))
        };
        assert!(with(Attr::Tenancy, "Dedicated", "APN2-DedicatedUsage:m5.large").is_err());
        assert!(with(Attr::Tenancy, "Host", "APN2-HostBoxUsage:m5.large").is_err());
        assert!(with(Attr::CapacityStatus, "UnusedCapacityReservation", "APN2-UnusedBox:m5.large").is_err());
        assert!(with(Attr::CapacityStatus, "AllocatedCapacityReservation", "APN2-BoxUsage:m5.large").is_err());
        assert!(with(Attr::UsageType, "USE1-BoxUsage:m5.large", "USE1-BoxUsage:m5.large").is_err(), "prefix vs region");
        let rhel = with(Attr::OperatingSystem, "RHEL", "APN2-BoxUsage:m5.large");
        assert!(rhel.is_err(), "RHEL with the Linux operation RunInstances is contradictory");
        let mut r = linux("APN2-BoxUsage:m5.large");
        r.retain(|(a, _)| !matches!(a, Attr::OperatingSystem | Attr::Operation));
        r.extend([(Attr::OperatingSystem, "Windows"), (Attr::Operation, "RunInstances:0002")]);
        assert_eq!(select("AmazonEC2", &row(&r)).unwrap().key, "ec2.ondemand.windows.m5.large");
        let mut r = linux("APN2-BoxUsage:m5.large");
        r.retain(|(a, _)| *a != Attr::LocationType);
        r.push((Attr::LocationType, "AWS Local Zone"));
        assert!(select("AmazonEC2", &row(&r)).is_err());
    }

    #[test]
    fn storage_and_request_keys() {
        let s =
            |offer, usage| select(offer, &row(&[(Attr::Location, "Asia Pacific (Seoul)"), (Attr::UsageType, usage)]));
        assert_eq!(s("AmazonS3", "APN2-TimedStorage-ByteHrs").unwrap().key, "s3.storage.STANDARD");
        assert!(s("AmazonS3", "APN2-TimedStorage-GDA-Staging").is_err(), "the Deep Archive staging decoy");
        assert_eq!(
            s("AmazonS3GlacierDeepArchive", "APN2-TimedStorage-GDA-ByteHrs").unwrap().key,
            "s3.storage.DEEP_ARCHIVE"
        );
        assert_eq!(s("AmazonS3", "APN2-Requests-SIA-Tier2").unwrap().key, "s3.get_per_1000.STANDARD_IA");
        assert_eq!(
            s("AmazonDynamoDB", "APN2-IA-WriteRequestUnits").unwrap().key,
            "dynamodb.ondemand.wru_million.STANDARD_INFREQUENT_ACCESS"
        );
        assert_eq!(
            s("AmazonDynamoDB", "APN2-ReplWriteRequestUnits").unwrap().key,
            "dynamodb.ondemand.replicated_wru_million.STANDARD"
        );
        assert_eq!(s("AmazonEC2", "APN2-EBS:VolumeUsage.piops").unwrap().key, "ebs.io1.gb_month");
        assert_eq!(s("AmazonEC2", "APN2-EBS:VolumeP-IOPS.io2.tier3").unwrap().key, "ebs.io2.iops_month.tier3");
        assert_eq!(s("AWSBackup", "APN2-WarmStorage-ByteHrs-DynamoDB").unwrap().key, "backup.dynamodb.gb_month");
        assert!(s("AmazonS3", "TimedStorage-ByteHrs").is_ok(), "no prefix: the row's own region is used");
        assert!(importable("s3.retrieval_gb.GLACIER_IR") && importable("ec2.ondemand.rhel.m5.large"));
        assert!(!importable("s3.transition_per_1000.GLACIER") && !importable("s3.retrieval_gb.DEEP_ARCHIVE.bulk"));
    }
}
