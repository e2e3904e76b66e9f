//! The demo's EC2 fleet: who runs what, where, and how hard.

use super::calendar::{DAY_MS, HOUR_MS, WINDOW_END_MS, days_from_civil};
use super::{BACKOFFICE_ACCOUNT, DR_REGION, MAIN_ACCOUNT, PRIMARY_REGION, Replica, SEOUL_REGION, Stream, tags_json};

/// When in the day an instance works.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Follows the business day (US Eastern), quieter at weekends.
    Business,
    /// Runs a nightly job (01:00-05:00 local), idle otherwise.
    Nightly,
    /// Used 08:00-20:00 local on weekdays only, switched off otherwise (a BI dashboard, a
    /// dev environment): a schedule, not idle.
    Office,
}

/// How an instance's CPU, network and disk behave hour by hour.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// CPU percent when nothing happens (night).
    pub base: f64,
    /// CPU percent at the busiest hour of a weekday.
    pub peak: f64,
    /// Standard deviation of the hourly CPU noise, percent.
    pub noise: f64,
    /// Hourly average CPU never exceeds this.
    pub ceiling: f64,
    /// Typical gap between the hour's maximum and its average, percent.
    pub max_spread: f64,
    /// Chance that an hour holds a spike (deploy, cron, cache warm-up).
    pub spike_chance: f64,
    pub shape: Shape,
    /// NetworkIn bytes per hour per CPU percent.
    pub net_per_pct: f64,
    /// NetworkOut ÷ NetworkIn.
    pub out_ratio: f64,
    /// EBS read+write operations per hour per CPU percent.
    pub ops_per_pct: f64,
}

const fn load(base: f64, peak: f64, noise: f64, ceiling: f64, max_spread: f64, spike_chance: f64) -> Load {
    Load {
        base,
        peak,
        noise,
        ceiling,
        max_spread,
        spike_chance,
        shape: Shape::Business,
        net_per_pct: 20e6,
        out_ratio: 1.5,
        ops_per_pct: 100.0,
    }
}

/// cpu ~1-3 %, a trickle of network (under 5 MB a day): nobody uses it.
const IDLE: Load =
    Load { net_per_pct: 0.035e6, out_ratio: 1.2, ops_per_pct: 4.0, ..load(1.0, 2.4, 0.25, 3.2, 1.5, 0.01) };
/// A big box doing little: never above 8 %.
const OVERSIZED: Load = Load { net_per_pct: 8e6, ops_per_pct: 40.0, ..load(2.5, 6.8, 0.6, 8.0, 4.0, 0.0) };
/// Right-sized and busy: 70-85 %, p99 about 85 %.
const BUSY: Load =
    Load { net_per_pct: 60e6, out_ratio: 2.0, ops_per_pct: 150.0, ..load(70.0, 82.0, 1.6, 88.0, 6.0, 0.0) };
const WEB: Load =
    Load { net_per_pct: 40e6, out_ratio: 3.0, ops_per_pct: 60.0, ..load(12.0, 55.0, 2.5, 95.0, 15.0, 0.005) };
const NODE: Load = Load { net_per_pct: 150e6, out_ratio: 1.0, ..load(25.0, 60.0, 3.0, 95.0, 18.0, 0.01) };
const MODERATE: Load = load(20.0, 40.0, 2.5, 95.0, 12.0, 0.005);
const QUIET: Load = Load { net_per_pct: 3e6, ops_per_pct: 30.0, ..load(6.0, 14.0, 1.2, 60.0, 10.0, 0.01) };
const BATCH: Load = Load {
    shape: Shape::Nightly,
    net_per_pct: 80e6,
    out_ratio: 0.5,
    ops_per_pct: 400.0,
    ..load(4.0, 88.0, 3.0, 100.0, 10.0, 0.0)
};
const STEADY: Load =
    Load { net_per_pct: 120e6, out_ratio: 0.3, ops_per_pct: 300.0, ..load(55.0, 68.0, 2.0, 95.0, 10.0, 0.0) };
const DATABASE: Load = Load { net_per_pct: 30e6, ops_per_pct: 900.0, ..load(22.0, 45.0, 2.0, 95.0, 12.0, 0.003) };
/// Busy in office hours, near zero outside them (max under 3 %, under 3 MB an hour).
const OFFICE: Load = Load {
    shape: Shape::Office,
    net_per_pct: 5e6,
    out_ratio: 0.5,
    ops_per_pct: 50.0,
    ..load(0.5, 45.0, 0.2, 95.0, 1.5, 0.0)
};
/// Around 30 % all day (24 % at night, 36 % at the weekday peak): a burstable type
/// living at its baseline.
const BASELINE: Load = Load { net_per_pct: 2e6, ..load(24.0, 36.0, 2.0, 45.0, 5.0, 0.0) };

#[derive(Debug, Clone, Copy)]
enum Group {
    Standalone,
    /// Member of an Auto Scaling group.
    Asg(&'static str),
    /// EKS node in a managed node group (itself an Auto Scaling group).
    EksNode(&'static str),
}

/// One line of the fleet: `count` alike instances.
struct Spec {
    name: &'static str,
    count: u32,
    instance_type: &'static str,
    platform: &'static str,
    load: Load,
    team: &'static str,
    env: &'static str,
    group: Group,
    /// Typical memory use when the CloudWatch agent reports it.
    mem_pct: Option<f64>,
    account: &'static str,
    region: &'static str,
    spot: bool,
    /// Launched this many days before the window end (ASG members are younger).
    age_days: i64,
    /// The DR workload it is tagged into (`tierwise:workload`), if any.
    dr_workload: Option<&'static str>,
}

const fn spec(name: &'static str, count: u32, instance_type: &'static str, load: Load, team: &'static str) -> Spec {
    Spec {
        name,
        count,
        instance_type,
        platform: "linux",
        load,
        team,
        env: "prod",
        group: Group::Standalone,
        mem_pct: None,
        account: MAIN_ACCOUNT,
        region: PRIMARY_REGION,
        spot: false,
        age_days: 240,
        dr_workload: None,
    }
}

/// Name of the stopped instance, and of the one launched during the window's last day.
pub const STOPPED_NAME: &str = "analytics-old";
pub const NEW_NAME: &str = "new-service";
/// The stopped instance was stopped on this day (days since the epoch).
pub const STOPPED_ON_DAY: i64 = days_from_civil(2026, 9, 12);
/// Hours of data the newly launched instance has.
pub const NEW_INSTANCE_HOURS: i64 = 20;

const FLEET: &[Spec] = &[
    Spec { group: Group::Asg("web-asg"), age_days: 60, ..spec("web", 6, "m5.xlarge", WEB, "storefront") },
    Spec {
        group: Group::EksNode("general"),
        mem_pct: Some(58.0),
        ..spec("eks-general", 4, "m6i.4xlarge", NODE, "platform")
    },
    Spec {
        group: Group::EksNode("spot"),
        spot: true,
        age_days: 6,
        ..spec("eks-spot", 2, "c5.4xlarge", NODE, "platform")
    },
    spec("api", 3, "c5.xlarge", BUSY, "api"),
    Spec { mem_pct: Some(18.0), ..spec("reporting", 1, "m5.2xlarge", OVERSIZED, "analytics") },
    spec("jenkins", 1, "m5.2xlarge", OVERSIZED, "devops"),
    spec("internal-tools", 1, "m5.2xlarge", OVERSIZED, "it"),
    Spec { env: "test", ..spec("test-box", 1, "t3.large", IDLE, "qa") },
    Spec { age_days: 900, ..spec("old-bastion", 1, "m5.large", IDLE, "devops") },
    Spec { env: "dev", age_days: 120, ..spec("poc-ml", 1, "c5.2xlarge", IDLE, "data") },
    Spec { age_days: 1400, ..spec("legacy-app", 1, "m4.large", QUIET, "storefront") },
    Spec { age_days: 1100, ..spec("jump-host", 1, "t2.medium", QUIET, "devops") },
    Spec { age_days: 1300, ..spec("batch-legacy", 1, "c4.xlarge", BATCH, "data") },
    Spec { age_days: 1000, mem_pct: Some(74.0), ..spec("cache-legacy", 1, "r4.large", MODERATE, "checkout") },
    spec("search", 2, "m7g.large", MODERATE, "search"),
    spec("ingest", 1, "c7g.xlarge", STEADY, "data"),
    spec("monitoring", 1, "t4g.medium", QUIET, "devops"),
    Spec {
        platform: "windows",
        account: BACKOFFICE_ACCOUNT,
        mem_pct: Some(46.0),
        ..spec("backoffice-win", 2, "m5.xlarge", QUIET, "backoffice")
    },
    Spec { platform: "windows", account: BACKOFFICE_ACCOUNT, ..spec("ad-dc", 1, "t3.large", QUIET, "it") },
    Spec { age_days: 500, ..spec(STOPPED_NAME, 1, "r5.large", MODERATE, "analytics") },
    Spec { spot: true, age_days: 3, env: "ci", ..spec("ci-runner", 1, "c5.xlarge", BATCH, "devops") },
    Spec { age_days: 0, ..spec(NEW_NAME, 1, "m6i.large", MODERATE, "checkout") },
    Spec { region: SEOUL_REGION, ..spec("seoul-web", 2, "m5.large", WEB, "storefront") },
    Spec { region: SEOUL_REGION, env: "test", ..spec("seoul-test", 1, "t3.medium", IDLE, "qa") },
    Spec { mem_pct: Some(68.0), age_days: 700, ..spec("db-primary", 1, "r5.4xlarge", DATABASE, "orders") },
    Spec { mem_pct: Some(41.0), ..spec("etl", 1, "r5.2xlarge", BATCH, "data") },
    // The reporting workload's full copy, running idle in the recovery region 24×7:
    // DR standby capacity, which dr.tier prices and ec2.idle must not call idle.
    Spec {
        region: DR_REGION,
        dr_workload: Some("reporting"),
        ..spec("reporting-dr", 1, "m5.2xlarge", IDLE, "analytics")
    },
    // The cases tierwise must not get wrong: a weekday-only server (a schedule, not idle),
    // a RHEL box (priced as RHEL — unpriced here — never as Linux), a GPU instance at low
    // CPU (keeps its GPU: no finding) and a burstable one at its baseline (no t3.micro).
    Spec { mem_pct: Some(40.0), ..spec("bi-dashboards", 1, "m5.xlarge", OFFICE, "analytics") },
    Spec { platform: "rhel", mem_pct: Some(12.0), ..spec("erp-rhel", 1, "m5.2xlarge", OVERSIZED, "finance") },
    Spec { mem_pct: Some(30.0), ..spec("ml-inference", 1, "g5.xlarge", QUIET, "data") },
    Spec { mem_pct: Some(20.0), ..spec("build-agent", 1, "t3.large", BASELINE, "devops") },
    // Last, so the instances before it keep their random streams: an oversized Graviton
    // server in Seoul, on a type the embedded Seoul facts price (AWS's ap-northeast-2 offer).
    Spec { region: SEOUL_REGION, mem_pct: Some(15.0), ..spec("seoul-batch", 1, "m8g.2xlarge", OVERSIZED, "analytics") },
];

const US_EAST_AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const SEOUL_AZS: [&str; 2] = ["ap-northeast-2a", "ap-northeast-2c"];
const DR_AZS: [&str; 2] = ["us-west-2a", "us-west-2b"];

/// The zone id of a zone name in the demo accounts (zone ids are what flow logs use).
pub fn az_id(az: &str) -> &'static str {
    match az {
        "us-east-1a" => "use1-az1",
        "us-east-1b" => "use1-az2",
        "us-east-1c" => "use1-az4",
        "ap-northeast-2a" => "apne2-az1",
        "us-west-2a" => "usw2-az1",
        "us-west-2b" => "usw2-az2",
        _ => "apne2-az3",
    }
}

/// One generated instance.
#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub name: String,
    /// The fleet line it came from (`web`, `db-primary`), for cross-references.
    pub role: &'static str,
    pub account: &'static str,
    pub region: &'static str,
    pub az: &'static str,
    pub instance_type: &'static str,
    pub platform: &'static str,
    pub architecture: &'static str,
    pub state: &'static str,
    pub launch_ms: i64,
    /// When a stopped instance stopped running.
    pub stopped_ms: Option<i64>,
    pub spot: bool,
    pub asg: Option<String>,
    pub eks_cluster: Option<String>,
    pub tags: String,
    pub load: Load,
    pub mem_pct: Option<f64>,
    /// Position in the fleet, for the instance's own random stream.
    pub seq: u64,
}

impl Instance {
    pub fn is_running(&self) -> bool {
        self.state == "running"
    }
}

/// Graviton families end in `g` (`m7g`, `c7g`, `t4g`; also `gd`/`gn` variants).
fn architecture(instance_type: &str) -> &'static str {
    let family = instance_type.split('.').next().unwrap_or_default();
    let generation_suffix = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if generation_suffix.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with('g') { "arm64" } else { "x86_64" }
}

/// The fleet of one replica, in a fixed order.
pub fn fleet(replica: &Replica) -> Vec<Instance> {
    let cluster = replica.name("prod-eks");
    let mut out = Vec::new();
    let mut seq = 0u64;
    for (line, spec) in FLEET.iter().enumerate() {
        for k in 0..spec.count {
            let mut rng = replica.rng(Stream::Instance, seq);
            let base_name = if spec.count == 1 { spec.name.to_string() } else { format!("{}-{}", spec.name, k + 1) };
            let name = replica.name(&base_name);
            let az = match spec.region {
                SEOUL_REGION => SEOUL_AZS[k as usize % SEOUL_AZS.len()],
                DR_REGION => DR_AZS[k as usize % DR_AZS.len()],
                _ => US_EAST_AZS[(line + k as usize) % US_EAST_AZS.len()],
            };
            let launch_ms = if spec.name == NEW_NAME {
                WINDOW_END_MS - NEW_INSTANCE_HOURS * HOUR_MS - 17 * 60_000
            } else {
                let age = match spec.group {
                    Group::Asg(_) | Group::EksNode(_) => rng.int(spec.age_days / 3, spec.age_days),
                    Group::Standalone => spec.age_days + rng.int(0, 60),
                };
                WINDOW_END_MS - age * DAY_MS - rng.int(0, 23) * HOUR_MS - rng.int(0, 59) * 60_000
            };
            let stopped = spec.name == STOPPED_NAME;
            let (asg, eks_cluster) = match spec.group {
                Group::Standalone => (None, None),
                Group::Asg(group) => (Some(replica.name(group)), None),
                Group::EksNode(nodegroup) => (Some(format!("eks-{cluster}-{nodegroup}")), Some(cluster.clone())),
            };
            let mut tag_pairs = vec![("Name", name.as_str()), ("team", spec.team), ("env", spec.env)];
            if let Some(c) = &eks_cluster {
                tag_pairs.push(("eks:cluster-name", c.as_str()));
            }
            if let Some(group) = &asg {
                tag_pairs.push(("aws:autoscaling:groupName", group.as_str()));
            }
            let workload = spec.dr_workload.map(|w| replica.name(w));
            if let Some(w) = &workload {
                tag_pairs.push(("tierwise:workload", w.as_str()));
            }
            out.push(Instance {
                id: replica.aws_id("i", Stream::Instance, seq),
                tags: tags_json(&tag_pairs),
                name,
                role: spec.name,
                account: spec.account,
                region: spec.region,
                az,
                instance_type: spec.instance_type,
                platform: spec.platform,
                architecture: architecture(spec.instance_type),
                state: if stopped { "stopped" } else { "running" },
                launch_ms,
                stopped_ms: stopped.then_some(STOPPED_ON_DAY * DAY_MS + 15 * HOUR_MS),
                spot: spec.spot,
                asg,
                eks_cluster,
                load: spec.load,
                mem_pct: spec.mem_pct,
                seq,
            });
            seq += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_has_the_promised_mix() {
        let fleet = fleet(&Replica { seed: 42, index: 0 });
        assert_eq!(fleet.len(), 46);
        assert_eq!(fleet.iter().filter(|i| i.region == DR_REGION).count(), 1, "the reporting standby");
        assert_eq!(fleet.iter().filter(|i| i.asg.as_deref() == Some("web-asg")).count(), 6);
        assert!(fleet.iter().any(|i| i.architecture == "arm64"));
        assert!(fleet.iter().any(|i| i.platform == "windows"));
        assert!(fleet.iter().any(|i| i.spot));
        assert_eq!(fleet.iter().filter(|i| !i.is_running()).count(), 1);
        assert_eq!(architecture("t4g.medium"), "arm64");
        assert_eq!(architecture("m5.2xlarge"), "x86_64");
        assert_eq!(architecture("m5g.large"), "arm64");
    }
}
