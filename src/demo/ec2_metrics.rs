//! `ec2_instances` and `ec2_metrics_hourly`: the fleet and 14 days of hourly
//! CloudWatch-like metrics (diurnal and weekly rhythm, noise, spikes, gaps).

use polars::prelude::*;

use super::calendar::{HOUR_MS, WINDOW_HOURS, WINDOW_START_MS, activity, is_weekend, local_hour};
use super::ec2_fleet::{Instance, Load, Shape};
use super::frame::{finish, text, text_opt, ts, ts_opt};
use super::rng::Rng;
use super::{Replica, Stream, round_to};
use crate::snapshot::FrameName;

#[derive(Default)]
pub struct Rows {
    account_id: Vec<&'static str>,
    region: Vec<&'static str>,
    az: Vec<&'static str>,
    instance_id: Vec<String>,
    instance_type: Vec<&'static str>,
    platform: Vec<&'static str>,
    architecture: Vec<&'static str>,
    state: Vec<&'static str>,
    launch_time: Vec<Option<i64>>,
    lifecycle: Vec<&'static str>,
    asg_name: Vec<Option<String>>,
    eks_cluster: Vec<Option<String>>,
    tags: Vec<String>,
    platform_details: Vec<Option<&'static str>>,
    usage_operation: Vec<Option<&'static str>>,
    metrics: Metrics,
}

/// Hourly rows; `instance` indexes `Rows::instance_id` (resolved to strings at the end).
#[derive(Default)]
struct Metrics {
    instance: Vec<u32>,
    ts: Vec<i64>,
    cpu_avg: Vec<f64>,
    cpu_max: Vec<f64>,
    mem_used_pct: Vec<Option<f64>>,
    net_in_bytes: Vec<f64>,
    net_out_bytes: Vec<f64>,
    ebs_read_ops: Vec<f64>,
    ebs_write_ops: Vec<f64>,
}

impl Rows {
    pub fn push(&mut self, replica: &Replica, fleet: &[Instance]) {
        self.metrics.reserve(fleet.len() * WINDOW_HOURS);
        for instance in fleet {
            let position = self.instance_id.len() as u32;
            self.account_id.push(instance.account);
            self.region.push(instance.region);
            self.az.push(instance.az);
            self.instance_id.push(instance.id.clone());
            self.instance_type.push(instance.instance_type);
            self.platform.push(instance.platform);
            self.architecture.push(instance.architecture);
            self.state.push(instance.state);
            self.launch_time.push(Some(instance.launch_ms));
            self.lifecycle.push(if instance.spot { "spot" } else { "on-demand" });
            self.asg_name.push(instance.asg.clone());
            self.eks_cluster.push(instance.eks_cluster.clone());
            self.tags.push(instance.tags.clone());
            let billed = crate::pricing::platform::by_slug(instance.platform);
            self.platform_details.push(billed.map(|p| p.details));
            self.usage_operation.push(billed.map(|p| p.operation));
            if instance.is_running() {
                let mut rng = replica.rng(Stream::Metrics, instance.seq);
                self.metrics.push_series(&mut rng, position, instance);
            }
        }
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let instances = finish(
            FrameName::Ec2Instances,
            vec![
                text("account_id", &self.account_id),
                text("region", &self.region),
                text("az", &self.az),
                text("instance_id", &self.instance_id),
                text("instance_type", &self.instance_type),
                text("platform", &self.platform),
                text("architecture", &self.architecture),
                text("state", &self.state),
                ts_opt("launch_time", self.launch_time),
                text("lifecycle", &self.lifecycle),
                text_opt("asg_name", &self.asg_name),
                text_opt("eks_cluster", &self.eks_cluster),
                text("tags", &self.tags),
                text_opt("platform_details", &self.platform_details),
                text_opt("usage_operation", &self.usage_operation),
            ],
        );
        let m = self.metrics;
        let ids: Vec<&str> = m.instance.iter().map(|&i| self.instance_id[i as usize].as_str()).collect();
        let metrics = finish(
            FrameName::Ec2MetricsHourly,
            vec![
                text("instance_id", &ids),
                ts("ts", m.ts),
                Column::new("cpu_avg".into(), m.cpu_avg),
                Column::new("cpu_max".into(), m.cpu_max),
                Column::new("mem_used_pct".into(), m.mem_used_pct),
                Column::new("net_in_bytes".into(), m.net_in_bytes),
                Column::new("net_out_bytes".into(), m.net_out_bytes),
                Column::new("ebs_read_ops".into(), m.ebs_read_ops),
                Column::new("ebs_write_ops".into(), m.ebs_write_ops),
            ],
        );
        vec![(FrameName::Ec2Instances, instances), (FrameName::Ec2MetricsHourly, metrics)]
    }
}

/// Chance that any one hour is missing (CloudWatch gaps, agent restarts).
const MISSING_HOUR_CHANCE: f64 = 0.004;

impl Metrics {
    fn reserve(&mut self, n: usize) {
        self.instance.reserve(n);
        self.ts.reserve(n);
        self.cpu_avg.reserve(n);
        self.cpu_max.reserve(n);
        self.mem_used_pct.reserve(n);
        self.net_in_bytes.reserve(n);
        self.net_out_bytes.reserve(n);
        self.ebs_read_ops.reserve(n);
        self.ebs_write_ops.reserve(n);
    }

    fn push_series(&mut self, rng: &mut Rng, position: u32, instance: &Instance) {
        let load = &instance.load;
        // Every third instance also loses a block of 2-5 consecutive hours.
        let outage = (instance.seq % 3 == 1).then(|| {
            let start = rng.int(24, WINDOW_HOURS as i64 - 24);
            (start, start + rng.int(2, 5))
        });
        for hour in 0..WINDOW_HOURS as i64 {
            let ts = WINDOW_START_MS + hour * HOUR_MS;
            // Hours before launch have no data; the hour of launch is partial but present.
            if ts + HOUR_MS <= instance.launch_ms {
                continue;
            }
            let missing = rng.chance(MISSING_HOUR_CHANCE);
            if missing || outage.is_some_and(|(from, to)| (from..to).contains(&hour)) {
                continue;
            }
            let level = match load.shape {
                Shape::Business => activity(ts),
                Shape::Nightly => nightly(ts),
                Shape::Office => office(ts),
            };
            let (cpu_avg, cpu_max) = cpu(rng, load, level);
            let traffic = load.net_per_pct * cpu_avg * rng.uniform(0.85, 1.15);
            let ops = load.ops_per_pct * cpu_avg * rng.uniform(0.8, 1.2);
            let write_share = rng.uniform(0.35, 0.55);
            self.instance.push(position);
            self.ts.push(ts);
            self.cpu_avg.push(round_to(cpu_avg, 2));
            self.cpu_max.push(round_to(cpu_max, 2));
            self.mem_used_pct.push(instance.mem_pct.map(|m| round_to((m + 6.0 * level + rng.gauss()).min(99.0), 2)));
            self.net_in_bytes.push(traffic.round());
            self.net_out_bytes.push((traffic * load.out_ratio * rng.uniform(0.9, 1.1)).round());
            self.ebs_read_ops.push((ops * (1.0 - write_share)).round());
            self.ebs_write_ops.push((ops * write_share).round());
        }
    }
}

/// 1 during the nightly batch (01:00-05:00 local, every day), 0 otherwise.
fn nightly(ts: i64) -> f64 {
    let hour = local_hour(ts);
    let running = (1..5).contains(&hour);
    match (running, is_weekend(ts)) {
        (true, _) => 1.0,
        (false, false) => 0.02,
        (false, true) => 0.0,
    }
}

/// 1 on weekdays 08:00-20:00 local, 0 otherwise (the machine is unused then).
fn office(ts: i64) -> f64 {
    if !is_weekend(ts) && (8..20).contains(&local_hour(ts)) { 1.0 } else { 0.0 }
}

/// Hourly CPU average and maximum for a load at an activity level (0..=1).
fn cpu(rng: &mut Rng, load: &Load, level: f64) -> (f64, f64) {
    let mut avg = load.base + (load.peak - load.base) * level + load.noise * rng.gauss();
    let mut max = avg + load.max_spread * (0.4 + 0.6 * rng.unit()) + 0.5 * load.noise * rng.gauss().abs();
    if rng.chance(load.spike_chance) {
        // A short burst: it shows in the maximum far more than in the hour's average.
        let burst = rng.uniform(15.0, 60.0);
        avg += burst * 0.15;
        max += burst;
    }
    avg = avg.clamp(0.05, load.ceiling);
    max = max.clamp(avg, 100.0);
    (avg, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::ec2_fleet::fleet;

    fn series(name: &str) -> Vec<(f64, f64)> {
        let replica = Replica { seed: 42, index: 0 };
        let fleet = fleet(&replica);
        let instance = fleet.iter().find(|i| i.name == name).expect("instance in fleet");
        let mut m = Metrics::default();
        m.push_series(&mut replica.rng(Stream::Metrics, instance.seq), 0, instance);
        m.cpu_avg.into_iter().zip(m.cpu_max).collect()
    }

    #[test]
    fn profiles_stay_in_their_bands() {
        let idle = series("test-box");
        assert!(idle.iter().all(|(avg, max)| *avg <= 3.2 && max >= avg));
        let oversized = series("jenkins");
        assert!(oversized.iter().all(|(avg, _)| *avg <= 8.0));
        let busy = series("api-1");
        let mean = busy.iter().map(|(a, _)| a).sum::<f64>() / busy.len() as f64;
        assert!((70.0..=85.0).contains(&mean), "busy mean {mean}");
        let mut sorted: Vec<f64> = busy.iter().map(|(a, _)| *a).collect();
        sorted.sort_by(f64::total_cmp);
        let p99 = sorted[sorted.len() * 99 / 100];
        assert!((80.0..=88.0).contains(&p99), "busy p99 {p99}");
        assert!(series(crate::demo::ec2_fleet::NEW_NAME).len() <= 21);
    }
}
