//! Region codes as AWS's price and billing files spell them: the offer's `Location`
//! names (files before 2021 have no `Region Code` column) and the usage-type prefixes
//! (`APN2-BoxUsage:…`). Source: AWS "Region billing codes" and the offer files (see
//! /work/research/pricing-cur-formats.md §1.10). An unknown name or prefix is unknown:
//! a row is never assigned to us-east-1 for want of a better guess.

/// (usage-type prefix, region). us-east-1 usage types usually carry no prefix; `EU` and
/// `EUW1` both mean eu-west-1.
const PREFIXES: &[(&str, &str)] = &[
    ("USE1", "us-east-1"),
    ("USE2", "us-east-2"),
    ("USW1", "us-west-1"),
    ("USW2", "us-west-2"),
    ("CAN1", "ca-central-1"),
    ("CAN2", "ca-west-1"),
    ("MXC1", "mx-central-1"),
    ("AFS1", "af-south-1"),
    ("APE1", "ap-east-1"),
    ("APE2", "ap-east-2"),
    ("APN1", "ap-northeast-1"),
    ("APN2", "ap-northeast-2"),
    ("APN3", "ap-northeast-3"),
    ("APS1", "ap-southeast-1"),
    ("APS2", "ap-southeast-2"),
    ("APS3", "ap-south-1"),
    ("APS4", "ap-southeast-3"),
    ("APS5", "ap-south-2"),
    ("APS6", "ap-southeast-4"),
    ("APS7", "ap-southeast-5"),
    ("APS8", "ap-southeast-6"),
    ("APS9", "ap-southeast-7"),
    ("EU", "eu-west-1"),
    ("EUW1", "eu-west-1"),
    ("EUC1", "eu-central-1"),
    ("EUC2", "eu-central-2"),
    ("EUN1", "eu-north-1"),
    ("EUS1", "eu-south-1"),
    ("EUS2", "eu-south-2"),
    ("EUW2", "eu-west-2"),
    ("EUW3", "eu-west-3"),
    ("ILC1", "il-central-1"),
    ("MEC1", "me-central-1"),
    ("MES1", "me-south-1"),
    ("SAE1", "sa-east-1"),
    ("UGE1", "us-gov-east-1"),
    ("UGW1", "us-gov-west-1"),
];

/// (offer `Location`, region) for AWS Regions.
const LOCATIONS: &[(&str, &str)] = &[
    ("US East (N. Virginia)", "us-east-1"),
    ("US East (Ohio)", "us-east-2"),
    ("US West (N. California)", "us-west-1"),
    ("US West (Oregon)", "us-west-2"),
    ("Canada (Central)", "ca-central-1"),
    ("Canada West (Calgary)", "ca-west-1"),
    ("Mexico (Central)", "mx-central-1"),
    ("Africa (Cape Town)", "af-south-1"),
    ("Asia Pacific (Hong Kong)", "ap-east-1"),
    ("Asia Pacific (Taipei)", "ap-east-2"),
    ("Asia Pacific (Tokyo)", "ap-northeast-1"),
    ("Asia Pacific (Seoul)", "ap-northeast-2"),
    ("Asia Pacific (Osaka)", "ap-northeast-3"),
    ("Asia Pacific (Singapore)", "ap-southeast-1"),
    ("Asia Pacific (Sydney)", "ap-southeast-2"),
    ("Asia Pacific (Mumbai)", "ap-south-1"),
    ("Asia Pacific (Jakarta)", "ap-southeast-3"),
    ("Asia Pacific (Hyderabad)", "ap-south-2"),
    ("Asia Pacific (Melbourne)", "ap-southeast-4"),
    ("Asia Pacific (Malaysia)", "ap-southeast-5"),
    ("Asia Pacific (Thailand)", "ap-southeast-7"),
    ("EU (Ireland)", "eu-west-1"),
    ("EU (Frankfurt)", "eu-central-1"),
    ("EU (Zurich)", "eu-central-2"),
    ("EU (Stockholm)", "eu-north-1"),
    ("EU (Milan)", "eu-south-1"),
    ("EU (Spain)", "eu-south-2"),
    ("EU (London)", "eu-west-2"),
    ("EU (Paris)", "eu-west-3"),
    ("Israel (Tel Aviv)", "il-central-1"),
    ("Middle East (UAE)", "me-central-1"),
    ("Middle East (Bahrain)", "me-south-1"),
    ("South America (Sao Paulo)", "sa-east-1"),
    ("AWS GovCloud (US-East)", "us-gov-east-1"),
    ("AWS GovCloud (US)", "us-gov-west-1"),
    ("AWS GovCloud (US-West)", "us-gov-west-1"),
];

/// The region of an offer `Location` name.
pub fn region_of_location(location: &str) -> Option<&'static str> {
    let l = location.trim();
    LOCATIONS.iter().find(|(name, _)| name.eq_ignore_ascii_case(l)).map(|(_, r)| *r)
}

/// The region of a usage-type prefix (`APN2`).
pub fn region_of_prefix(prefix: &str) -> Option<&'static str> {
    PREFIXES.iter().find(|(p, _)| *p == prefix).map(|(_, r)| *r)
}

/// Split a known region prefix off a usage type: `APN2-BoxUsage:m5.large` →
/// (Some("ap-northeast-2"), "BoxUsage:m5.large"). Only listed prefixes are split, so
/// DynamoDB's `IA-ReadCapacityUnit-Hrs` keeps its `IA-`.
pub fn strip_usage_prefix(usage_type: &str) -> (Option<&'static str>, &str) {
    match usage_type.split_once('-') {
        Some((head, rest)) => match region_of_prefix(head) {
            Some(region) => (Some(region), rest),
            None => (None, usage_type),
        },
        None => (None, usage_type),
    }
}

/// A plausible region code (`ap-northeast-2`, `us-gov-west-1`): letters, dashes, a
/// trailing digit. Used to reject garbage region arguments and cache paths.
pub fn looks_like_region(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_locations() {
        assert_eq!(strip_usage_prefix("APN2-BoxUsage:m5.large"), (Some("ap-northeast-2"), "BoxUsage:m5.large"));
        assert_eq!(strip_usage_prefix("BoxUsage:m5.large"), (None, "BoxUsage:m5.large"));
        assert_eq!(strip_usage_prefix("IA-ReadCapacityUnit-Hrs"), (None, "IA-ReadCapacityUnit-Hrs"));
        assert_eq!(strip_usage_prefix("EU-TimedStorage-ByteHrs"), (Some("eu-west-1"), "TimedStorage-ByteHrs"));
        assert_eq!(region_of_prefix("APS3"), Some("ap-south-1"), "not ap-southeast-1");
        assert_eq!(region_of_location("Asia Pacific (Seoul)"), Some("ap-northeast-2"));
        assert_eq!(region_of_location("US East (Atlanta)"), None, "a Local Zone is not a region");
        assert!(looks_like_region("ap-northeast-2") && looks_like_region("us-gov-west-1"));
        assert!(!looks_like_region("../etc") && !looks_like_region("seoul") && !looks_like_region("us-east-1a"));
    }
}
