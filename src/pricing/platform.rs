//! EC2 platforms as AWS bills them: the AMI's usage operation (`RunInstances:0010`),
//! its platform details ("Red Hat Enterprise Linux"), the price list's operating
//! system / pre-installed software / license model columns, and the slug tierwise keys
//! prices by (`ec2.ondemand.<slug>.<instance type>`).
//!
//! Source: AWS's "AMI billing information fields" table (EC2 User Guide), cross-checked
//! against 2025 offer-file rows. It is a partial list: an operation or platform not
//! listed here is unknown, and its instances are unpriced, never priced as Linux.

/// One billed platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// tierwise's key: `linux`, `windows`, `rhel`, `suse`, `ubuntu-pro`, `linux-sql-std`, …
    pub slug: &'static str,
    /// DescribeImages / DescribeInstances `PlatformDetails`.
    pub details: &'static str,
    /// `UsageOperation`, also CUR `line_item_operation` and the price list's `operation`.
    pub operation: &'static str,
    /// Price list `Operating System`.
    pub os: &'static str,
    /// Price list `Pre Installed S/W`.
    pub software: &'static str,
    /// Price list `License Model`.
    pub license: &'static str,
    /// An arm64 (Graviton) build of the platform exists, so an arm64 move is possible.
    pub arm64: bool,
}

const NO_LICENSE: &str = "No License required";
const BYOL: &str = "Bring your own license";

const fn p(
    slug: &'static str,
    details: &'static str,
    operation: &'static str,
    os: &'static str,
    software: &'static str,
    license: &'static str,
    arm64: bool,
) -> Platform {
    Platform { slug, details, operation, os, software, license, arm64 }
}

/// Every platform tierwise knows. SQL Server and Windows have no arm64 build on EC2;
/// RHEL with HA is treated as x86-only (conservative: no Graviton advice).
pub const PLATFORMS: &[Platform] = &[
    p("linux", "Linux/UNIX", "RunInstances", "Linux", "NA", NO_LICENSE, true),
    p("rhel", "Red Hat Enterprise Linux", "RunInstances:0010", "RHEL", "NA", NO_LICENSE, true),
    p("rhel-byol", "Red Hat BYOL Linux", "RunInstances:00g0", "RHEL", "NA", BYOL, true),
    p(
        "rhel-ha",
        "Red Hat Enterprise Linux with HA",
        "RunInstances:1010",
        "Red Hat Enterprise Linux with HA",
        "NA",
        NO_LICENSE,
        false,
    ),
    p(
        "rhel-ha-sql-std",
        "Red Hat Enterprise Linux with SQL Server Standard and HA",
        "RunInstances:1014",
        "Red Hat Enterprise Linux with HA",
        "SQL Std",
        NO_LICENSE,
        false,
    ),
    p(
        "rhel-ha-sql-ent",
        "Red Hat Enterprise Linux with SQL Server Enterprise and HA",
        "RunInstances:1110",
        "Red Hat Enterprise Linux with HA",
        "SQL Ent",
        NO_LICENSE,
        false,
    ),
    p(
        "rhel-sql-std",
        "Red Hat Enterprise Linux with SQL Server Standard",
        "RunInstances:0014",
        "RHEL",
        "SQL Std",
        NO_LICENSE,
        false,
    ),
    p(
        "rhel-sql-web",
        "Red Hat Enterprise Linux with SQL Server Web",
        "RunInstances:0210",
        "RHEL",
        "SQL Web",
        NO_LICENSE,
        false,
    ),
    p(
        "rhel-sql-ent",
        "Red Hat Enterprise Linux with SQL Server Enterprise",
        "RunInstances:0110",
        "RHEL",
        "SQL Ent",
        NO_LICENSE,
        false,
    ),
    p("linux-sql-ent", "SQL Server Enterprise", "RunInstances:0100", "Linux", "SQL Ent", NO_LICENSE, false),
    p("linux-sql-std", "SQL Server Standard", "RunInstances:0004", "Linux", "SQL Std", NO_LICENSE, false),
    p("linux-sql-web", "SQL Server Web", "RunInstances:0200", "Linux", "SQL Web", NO_LICENSE, false),
    p("suse", "SUSE Linux", "RunInstances:000g", "SUSE", "NA", NO_LICENSE, true),
    p("ubuntu-pro", "Ubuntu Pro", "RunInstances:0g00", "Ubuntu Pro", "NA", NO_LICENSE, true),
    p("windows", "Windows", "RunInstances:0002", "Windows", "NA", NO_LICENSE, false),
    p("windows-byol", "Windows BYOL", "RunInstances:0800", "Windows", "NA", BYOL, false),
    p(
        "windows-sql-ent",
        "Windows with SQL Server Enterprise",
        "RunInstances:0102",
        "Windows",
        "SQL Ent",
        NO_LICENSE,
        false,
    ),
    p(
        "windows-sql-std",
        "Windows with SQL Server Standard",
        "RunInstances:0006",
        "Windows",
        "SQL Std",
        NO_LICENSE,
        false,
    ),
    p("windows-sql-web", "Windows with SQL Server Web", "RunInstances:0202", "Windows", "SQL Web", NO_LICENSE, false),
];

/// By tierwise slug.
pub fn by_slug(slug: &str) -> Option<&'static Platform> {
    PLATFORMS.iter().find(|p| p.slug.eq_ignore_ascii_case(slug.trim()))
}

/// By usage operation; a spot suffix (`RunInstances:0010:SV006`) is ignored.
pub fn by_operation(operation: &str) -> Option<&'static Platform> {
    let op = operation.trim();
    let base = match op.match_indices(':').nth(1) {
        Some((i, _)) => &op[..i],
        None => op,
    };
    PLATFORMS.iter().find(|p| p.operation.eq_ignore_ascii_case(base))
}

/// By `PlatformDetails` text.
pub fn by_details(details: &str) -> Option<&'static Platform> {
    PLATFORMS.iter().find(|p| p.details.eq_ignore_ascii_case(details.trim()))
}

/// By the price list's operating system, pre-installed software and license model
/// columns (for importing offer files).
pub fn by_offer(os: &str, software: &str, license: &str) -> Option<&'static Platform> {
    let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b);
    PLATFORMS.iter().find(|p| eq(os, p.os) && eq(software, p.software) && eq(license, p.license))
}

/// The platform of an instance from what a snapshot knows of it: usage operation first
/// (exact), then platform details, then the coarse `platform` column (`linux`/`windows`,
/// or a slug). None when nothing identifies it.
pub fn identify(operation: Option<&str>, details: Option<&str>, platform: Option<&str>) -> Option<&'static Platform> {
    fn nonempty(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    if let Some(op) = nonempty(operation) {
        return by_operation(op);
    }
    if let Some(d) = nonempty(details) {
        return by_details(d);
    }
    nonempty(platform).and_then(by_slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique() {
        for (i, a) in PLATFORMS.iter().enumerate() {
            for b in &PLATFORMS[i + 1..] {
                assert_ne!(a.slug, b.slug);
                assert_ne!(a.operation, b.operation);
                assert_ne!(a.details, b.details);
                assert!((a.os, a.software, a.license) != (b.os, b.software, b.license), "{} vs {}", a.slug, b.slug);
            }
        }
    }

    #[test]
    fn lookups_agree() {
        assert_eq!(by_operation("RunInstances:0010:SV006").map(|p| p.slug), Some("rhel"));
        assert_eq!(by_operation("RunInstances").map(|p| p.slug), Some("linux"));
        assert_eq!(by_operation("RunInstances:0200").map(|p| p.slug), Some("linux-sql-web"));
        assert_eq!(by_operation("RunInstances:9999"), None, "unknown codes are unknown, not Linux");
        assert_eq!(by_details("Red Hat Enterprise Linux").map(|p| p.slug), Some("rhel"));
        assert_eq!(by_offer("RHEL", "NA", "No License required").map(|p| p.slug), Some("rhel"));
        assert_eq!(by_offer("Windows", "SQL Std", "No License required").map(|p| p.slug), Some("windows-sql-std"));
        assert_eq!(identify(None, None, Some("Windows")).map(|p| p.slug), Some("windows"));
        assert_eq!(
            identify(Some("RunInstances:000g"), Some("Linux/UNIX"), Some("linux")).map(|p| p.slug),
            Some("suse")
        );
        assert!(by_slug("linux").is_some_and(|p| p.arm64) && by_slug("windows").is_some_and(|p| !p.arm64));
    }
}
