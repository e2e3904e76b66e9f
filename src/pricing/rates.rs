//! From list price to the rate the account pays: configured discounts (EDP across every
//! service, Savings Plans / RI coverage on compute only, a private rate per service) and
//! the account's effective rates read from its CUR 2.0 or FOCUS export.
//!
//! A rate is a factor on the list price (0.6 = 40 % off). Precedence for a family in a
//! region: the account's effective rate (it already contains EDP, Savings Plans and
//! RIs) > the configured discounts > 1 (list). See docs/pricing.md.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::origin::PriceFamily;

/// Discounts declared in tierwise.toml, percent off list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Discounts {
    /// Enterprise discount program / private pricing: every service.
    pub edp_pct: f64,
    /// Savings Plans / Reserved Instances: the effective discount on EC2 instance hours
    /// (coverage × rate discount). Compute only.
    pub compute_commitment_pct: f64,
    /// A private rate for one family, on top of EDP.
    pub service_pct: BTreeMap<PriceFamily, f64>,
}

impl Discounts {
    /// Every percentage is in 0..100; the error names the key.
    pub fn validate(&self) -> Result<(), (String, f64)> {
        let check = |key: String, v: f64| if (0.0..100.0).contains(&v) { Ok(()) } else { Err((key, v)) };
        check("pricing.edp_pct".into(), self.edp_pct)?;
        check("pricing.compute_commitment_pct".into(), self.compute_commitment_pct)?;
        for (family, v) in &self.service_pct {
            check(format!("pricing.service_discount_pct.{family}"), *v)?;
        }
        Ok(())
    }

    /// The factor on `family`'s list prices: (1 − EDP) × (1 − service) × (1 − commitment, compute only).
    pub fn factor(&self, family: PriceFamily) -> f64 {
        let mut f = 1.0 - self.edp_pct / 100.0;
        f *= 1.0 - self.service_pct.get(&family).copied().unwrap_or(0.0) / 100.0;
        if family == PriceFamily::Compute {
            f *= 1.0 - self.compute_commitment_pct / 100.0;
        }
        f
    }

    /// No discount declared.
    pub fn is_empty(&self) -> bool {
        self.edp_pct == 0.0 && self.compute_commitment_pct == 0.0 && self.service_pct.values().all(|v| *v == 0.0)
    }
}

/// What a rate factor rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateBasis {
    /// Public list price, nothing off.
    List,
    /// The discounts in tierwise.toml.
    Configured,
    /// The account's own effective rates (CUR 2.0 / FOCUS).
    Account,
}

impl RateBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            RateBasis::List => "list",
            RateBasis::Configured => "configured-discounts",
            RateBasis::Account => "account-effective-rates",
        }
    }
}

/// A factor on list price and what it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateFactor {
    pub value: f64,
    pub basis: RateBasis,
}

/// List and effective cost summed over a set of billing lines.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CostPair {
    pub list_usd: f64,
    pub effective_usd: f64,
}

impl CostPair {
    /// effective ÷ list, kept in (0, 1]: an effective cost above list is not a discount
    /// (and is clamped to list); no list cost gives no factor.
    pub fn factor(&self) -> Option<f64> {
        (self.list_usd > 0.0 && self.effective_usd >= 0.0).then(|| (self.effective_usd / self.list_usd).min(1.0))
    }
}

/// One resource's effective rate in the account's bill.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceRate {
    pub region: String,
    pub cost: CostPair,
    /// on-demand | savings-plan | reservation | mixed
    pub coverage: String,
}

/// One line of the per-resource effective-rate frame, as the importer wrote it.
#[derive(Debug, Clone)]
pub struct RateLine {
    pub region: String,
    /// Product code (`AmazonEC2`, `AmazonS3`, …).
    pub service: String,
    pub usage_type: String,
    /// `RunInstances:0002`, … (FOCUS 1.2 has no usage type: the operation classifies it).
    pub operation: String,
    /// Empty when the line has no resource.
    pub resource_id: String,
    /// on-demand | savings-plan | reservation | spot
    pub coverage: String,
    pub list_usd: f64,
    pub effective_usd: f64,
}

/// The account's effective rates: per (region, family) and per (resource, family).
#[derive(Debug, Clone, Default)]
pub struct AccountRates {
    /// `CUR 2.0 export …, billing period 2026-10` — shown beside every figure it priced.
    pub source: String,
    families: HashMap<(String, PriceFamily), CostPair>,
    resources: HashMap<(String, PriceFamily), ResourceRate>,
}

impl AccountRates {
    /// Sum the lines per (region, family) and per (resource, family). Lines whose usage
    /// type falls in no family (Lambda, Fargate, support, …) are not rates tierwise uses.
    pub fn from_lines(source: impl Into<String>, lines: impl IntoIterator<Item = RateLine>) -> AccountRates {
        let mut rates = AccountRates { source: source.into(), ..AccountRates::default() };
        for line in lines {
            let family = family_of_line(&line.service, &line.usage_type, &line.operation);
            if family == PriceFamily::Other || line.list_usd <= 0.0 {
                continue;
            }
            let pair = rates.families.entry((line.region.clone(), family)).or_default();
            pair.list_usd += line.list_usd;
            pair.effective_usd += line.effective_usd;
            let coverage = if line.usage_type.contains("SpotUsage") { "spot" } else { line.coverage.as_str() };
            if !line.resource_id.is_empty() {
                let r = rates.resources.entry((line.resource_id.clone(), family)).or_insert_with(|| ResourceRate {
                    region: line.region.clone(),
                    cost: CostPair::default(),
                    coverage: coverage.to_string(),
                });
                r.cost.list_usd += line.list_usd;
                r.cost.effective_usd += line.effective_usd;
                if r.coverage != coverage {
                    r.coverage = "mixed".into();
                }
            }
        }
        rates
    }

    /// The account's factor for new usage of `family` in `region`.
    pub fn family_factor(&self, region: &str, family: PriceFamily) -> Option<f64> {
        self.families.get(&(region.to_string(), family)).and_then(CostPair::factor)
    }

    /// A resource's own rate in `family` (an instance id, volume id, bucket, table ARN or name).
    pub fn resource(&self, resource_id: &str, family: PriceFamily) -> Option<&ResourceRate> {
        self.resources.get(&(resource_id.to_string(), family))
    }

    pub fn is_empty(&self) -> bool {
        self.families.is_empty()
    }

    /// Every (region, family) factor, sorted, for `pricing show` and tests.
    pub fn family_factors(&self) -> Vec<(&str, PriceFamily, CostPair)> {
        let mut out: Vec<_> = self.families.iter().map(|((r, f), c)| (r.as_str(), *f, *c)).collect();
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        out
    }
}

/// The pricing family of a billing line: by usage type, else (FOCUS 1.2, which has none)
/// by operation: EC2 `RunInstances*` is compute, `CreateVolume*` EBS, `*NatGateway*` VPC.
pub fn family_of_line(service: &str, usage_type: &str, operation: &str) -> PriceFamily {
    let by_usage = family_of_usage(service, usage_type);
    if by_usage != PriceFamily::Other || service != "AmazonEC2" {
        return by_usage;
    }
    if operation.starts_with("RunInstances") {
        PriceFamily::Compute
    } else if operation.starts_with("CreateVolume") {
        PriceFamily::Ebs
    } else if operation.contains("NatGateway") {
        PriceFamily::Vpc
    } else {
        PriceFamily::Other
    }
}

/// The pricing family of a billing line, from its product code and usage type.
/// Data transfer and NAT lines are billed under `AmazonEC2` in the CUR; EBS too.
pub fn family_of_usage(service: &str, usage_type: &str) -> PriceFamily {
    let base = super::regions::strip_usage_prefix(usage_type).1;
    match service {
        "AmazonEC2" => {
            if ["BoxUsage", "DedicatedUsage", "HostUsage", "SpotUsage", "HostBoxUsage"]
                .iter()
                .any(|p| base.starts_with(p) && base[p.len()..].starts_with(':'))
                || base == "BoxUsage"
            {
                PriceFamily::Compute
            } else if base.starts_with("EBS:") {
                PriceFamily::Ebs
            } else if base.starts_with("NatGateway-") {
                PriceFamily::Vpc
            } else if base.contains("DataTransfer") || base.ends_with("-Bytes") {
                PriceFamily::DataTransfer
            } else {
                PriceFamily::Other
            }
        }
        "AmazonS3" | "AmazonS3GlacierDeepArchive" | "AmazonGlacier" => {
            if base.contains("DataTransfer") || base.ends_with("-AWS-Out-Bytes") || base.ends_with("-AWS-In-Bytes") {
                PriceFamily::DataTransfer
            } else {
                PriceFamily::S3
            }
        }
        "AmazonDynamoDB" => PriceFamily::Dynamodb,
        "AmazonVPC" => PriceFamily::Vpc,
        "AWSDataTransfer" => PriceFamily::DataTransfer,
        "AWSBackup" => PriceFamily::Backup,
        _ => PriceFamily::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(resource: &str, usage: &str, coverage: &str, list: f64, eff: f64) -> RateLine {
        RateLine {
            region: "us-east-1".into(),
            service: "AmazonEC2".into(),
            usage_type: usage.into(),
            operation: String::new(),
            resource_id: resource.into(),
            coverage: coverage.into(),
            list_usd: list,
            effective_usd: eff,
        }
    }

    #[test]
    fn configured_discounts_apply_where_they_apply() {
        let d = Discounts {
            edp_pct: 5.0,
            compute_commitment_pct: 20.0,
            service_pct: BTreeMap::from([(PriceFamily::S3, 10.0)]),
        };
        // compute: 0.95 × 0.80 = 0.76 ; S3: 0.95 × 0.90 = 0.855 ; EBS: EDP only, 0.95
        assert!((d.factor(PriceFamily::Compute) - 0.76).abs() < 1e-12);
        assert!((d.factor(PriceFamily::S3) - 0.855).abs() < 1e-12);
        assert!((d.factor(PriceFamily::Ebs) - 0.95).abs() < 1e-12);
        assert!(d.validate().is_ok());
        let bad = Discounts { edp_pct: 120.0, ..Discounts::default() };
        assert_eq!(bad.validate(), Err(("pricing.edp_pct".into(), 120.0)));
    }

    #[test]
    fn account_rates_sum_per_family_and_resource() {
        let rates = AccountRates::from_lines(
            "test",
            [
                // SP-covered: 744 h × 0.384 list, 40 % off.
                line("i-sp", "BoxUsage:m5.2xlarge", "savings-plan", 285.696, 171.4176),
                line("i-od", "BoxUsage:m5.large", "on-demand", 71.424, 71.424),
                // The SP-covered instance's data transfer is not compute.
                line("i-sp", "USE1-DataTransfer-Regional-Bytes", "on-demand", 1.0, 1.0),
                line("vol-1", "EBS:VolumeUsage.gp3", "on-demand", 8.0, 8.0),
            ],
        );
        assert!((rates.resource("i-sp", PriceFamily::Compute).unwrap().cost.factor().unwrap() - 0.6).abs() < 1e-12);
        // (171.4176 + 71.424) ÷ (285.696 + 71.424) = 242.8416 ÷ 357.12 = 0.68
        assert!((rates.family_factor("us-east-1", PriceFamily::Compute).unwrap() - 0.68).abs() < 1e-12);
        assert_eq!(rates.family_factor("us-east-1", PriceFamily::DataTransfer), Some(1.0));
        assert_eq!(rates.family_factor("ap-northeast-2", PriceFamily::Compute), None);
        assert_eq!(family_of_usage("AmazonEC2", "APN2-NatGateway-Bytes"), PriceFamily::Vpc);
        assert_eq!(family_of_usage("AmazonEC2", "APN2-BoxUsage:m5.large"), PriceFamily::Compute);
        assert_eq!(family_of_usage("AWSLambda", "Lambda-GB-Second"), PriceFamily::Other);
        assert_eq!(family_of_line("AmazonEC2", "m5.large", "RunInstances:0002"), PriceFamily::Compute);
    }
}
