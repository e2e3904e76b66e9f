//! Test fleets for the EC2 rules: instances with hand-shaped hourly series over the
//! 14-day test window, and a runner for all four rules.

use crate::report::Finding;
use crate::rules::test_support::{run, snapshot, window_end_ms};
use crate::rules::{Rule, RuleOutput};
use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Snapshot};

use super::{GRAVITON, Idle, PREVIOUS_GENERATION, RIGHTSIZE, StopSchedule};

const HOUR_MS: i64 = 3_600_000;
pub const WINDOW_HOURS: usize = 14 * 24;

/// One test instance and the shape of its metrics.
#[derive(Debug, Clone)]
pub struct Vm {
    pub id: String,
    pub instance_type: &'static str,
    pub platform: &'static str,
    pub architecture: &'static str,
    pub state: &'static str,
    pub region: &'static str,
    pub lifecycle: &'static str,
    pub asg: Option<&'static str>,
    pub eks: Option<&'static str>,
    pub tags: Vec<(&'static str, &'static str)>,
    /// Hours of metrics, ending at the window end.
    pub hours: usize,
    /// Mean hourly CPU average, and how far it swings over the day (±).
    pub cpu: f64,
    pub swing: f64,
    /// Hourly maximum − hourly average.
    pub spread: f64,
    pub mem_pct: Option<f64>,
    /// In + out bytes per hour (split evenly).
    pub net_per_hour: f64,
    /// Busy only Monday–Friday 08:00–20:00 UTC; outside those hours 0.5 % CPU (max 1 %)
    /// and 20 kB of network an hour.
    pub office_hours: bool,
    /// DescribeInstances UsageOperation (what the instance is billed as).
    pub usage_operation: Option<&'static str>,
}

/// A running Linux x86 instance with 14 days of ~5 % CPU and 50 MB/hour of network.
pub fn vm(id: &str, instance_type: &'static str) -> Vm {
    Vm {
        id: id.to_string(),
        instance_type,
        platform: "linux",
        architecture: if instance_type.split('.').next().is_some_and(|f| f.ends_with('g')) {
            "arm64"
        } else {
            "x86_64"
        },
        state: "running",
        region: "us-east-1",
        lifecycle: "on-demand",
        asg: None,
        eks: None,
        tags: vec![],
        hours: WINDOW_HOURS,
        cpu: 5.0,
        swing: 1.0,
        spread: 2.0,
        mem_pct: None,
        net_per_hour: 50e6,
        office_hours: false,
        usage_operation: None,
    }
}

impl Vm {
    pub fn load(mut self, cpu: f64, swing: f64, spread: f64) -> Vm {
        (self.cpu, self.swing, self.spread) = (cpu, swing, spread);
        self
    }

    /// Whether hour `h` of the window is outside office hours (for `office_hours` instances).
    fn off_duty(&self, h: usize) -> bool {
        if !self.office_hours {
            return false;
        }
        let ts_s = (window_end_ms() - (WINDOW_HOURS - h) as i64 * HOUR_MS) / 1000;
        // 1970-01-01 was a Thursday: day 0 → weekday 3 (Monday = 0).
        let (day, hour) = ((ts_s / 86_400 + 3) % 7, ts_s % 86_400 / 3600);
        day >= 5 || !(8..20).contains(&hour)
    }

    /// Hourly (average, maximum) CPU of hour `h`: a triangle over the day between cpu ± swing.
    fn cpu_at(&self, h: usize) -> (f64, f64) {
        if self.off_duty(h) {
            return (0.5, 1.0);
        }
        let phase = (h % 24) as f64 / 23.0;
        let tri = 1.0 - 2.0 * (2.0 * phase - 1.0).abs();
        let avg = (self.cpu + self.swing * tri).clamp(0.0, 100.0);
        (avg, (avg + self.spread).min(100.0))
    }
}

pub fn fleet_snapshot(vms: &[Vm]) -> Snapshot {
    let tags = |v: &Vm| {
        let mut pairs = vec![format!("\"Name\":\"{}\"", v.id.replace("i-", "name-"))];
        pairs.extend(v.tags.iter().map(|(k, val)| format!("\"{k}\":\"{val}\"")));
        format!("{{{}}}", pairs.join(","))
    };
    let instances = FrameBuilder::with_defaults(FrameName::Ec2Instances)
        .rows(vms.iter().map(|v| {
            [
                ("account_id", "123456789012".into()),
                ("region", v.region.into()),
                ("az", format!("{}a", v.region).into()),
                ("instance_id", v.id.clone().into()),
                ("instance_type", v.instance_type.into()),
                ("platform", v.platform.into()),
                ("architecture", v.architecture.into()),
                ("state", v.state.into()),
                ("launch_time", Cell::ts(window_end_ms() - v.hours as i64 * HOUR_MS)),
                ("lifecycle", v.lifecycle.into()),
                ("asg_name", v.asg.into()),
                ("eks_cluster", v.eks.into()),
                ("tags", tags(v).into()),
                ("usage_operation", v.usage_operation.into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("instances frame");
    let mut metrics = FrameBuilder::with_defaults(FrameName::Ec2MetricsHourly);
    for v in vms.iter().filter(|v| v.state == "running") {
        for h in WINDOW_HOURS - v.hours..WINDOW_HOURS {
            let (avg, max) = v.cpu_at(h);
            metrics
                .row([
                    ("instance_id", v.id.clone().into()),
                    ("ts", Cell::ts(window_end_ms() - (WINDOW_HOURS - h) as i64 * HOUR_MS)),
                    ("cpu_avg", avg.into()),
                    ("cpu_max", max.into()),
                    ("mem_used_pct", v.mem_pct.into()),
                    ("net_in_bytes", (if v.off_duty(h) { 10e3 } else { v.net_per_hour / 2.0 }).into()),
                    ("net_out_bytes", (if v.off_duty(h) { 10e3 } else { v.net_per_hour / 2.0 }).into()),
                    ("ebs_read_ops", Cell::from(100.0)),
                    ("ebs_write_ops", Cell::from(100.0)),
                ])
                .expect("metrics row");
        }
    }
    let metrics = metrics.finish().expect("metrics frame");
    snapshot(vec![(FrameName::Ec2Instances, instances), (FrameName::Ec2MetricsHourly, metrics)])
}

/// Every EC2 rule's output on a snapshot, in registry order.
pub fn run_all(snap: &Snapshot, config: &str) -> Vec<(&'static str, RuleOutput)> {
    let rules: [&dyn Rule; 5] = [&Idle, &StopSchedule, &RIGHTSIZE, &PREVIOUS_GENERATION, &GRAVITON];
    rules.iter().map(|r| (r.id(), run(*r, snap, config))).collect()
}

/// All findings of all four rules.
pub fn all_findings(snap: &Snapshot) -> Vec<Finding> {
    run_all(snap, "").into_iter().flat_map(|(_, out)| out.findings).collect()
}

/// The findings about one resource, across the four rules.
pub fn findings_for<'a>(findings: &'a [Finding], resource: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.resource.arn_or_id == resource).collect()
}

/// A statistic's value by name prefix.
pub fn stat(f: &Finding, prefix: &str) -> Option<f64> {
    f.evidence.statistics.iter().find(|s| s.name.starts_with(prefix)).map(|s| s.value)
}
