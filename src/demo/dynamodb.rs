//! `dynamodb_tables` and `dynamodb_metrics_hourly`: ten tables, from a steady
//! high-throughput on-demand table to a tight provisioned one that throttles.

use polars::prelude::*;

use super::calendar::{HOUR_MS, WINDOW_HOURS, WINDOW_START_MS, activity};
use super::frame::{finish, text, ts};
use super::rng::Rng;
use super::{
    BACKOFFICE_ACCOUNT, DR_REGION, MAIN_ACCOUNT, PRIMARY_REGION, Replica, SEOUL_REGION, Stream, round_to, tags_json,
};
use crate::snapshot::FrameName;

const GIB: f64 = 1_073_741_824.0;

/// Requested capacity units per second: a business-day curve, noise, and spikes.
#[derive(Debug, Clone, Copy)]
struct Demand {
    base: f64,
    peak: f64,
    /// Relative standard deviation of the hourly noise.
    noise: f64,
    /// Chance that an hour holds a spike, and how large spikes get (× demand).
    spike_chance: f64,
    spike_max: f64,
}

const fn demand(base: f64, peak: f64) -> Demand {
    Demand { base, peak, noise: 0.05, spike_chance: 0.0, spike_max: 1.0 }
}

impl Demand {
    fn at(&self, rng: &mut Rng, ts: i64) -> f64 {
        let mut units = (self.base + (self.peak - self.base) * activity(ts)) * (1.0 + self.noise * rng.gauss());
        if rng.chance(self.spike_chance) {
            units *= rng.uniform(1.4, self.spike_max);
        }
        units.max(0.0)
    }
}

#[derive(Debug, Clone, Copy)]
enum Capacity {
    OnDemand,
    Provisioned { rcu: i64, wcu: i64 },
}

struct TableSpec {
    name: &'static str,
    account: &'static str,
    region: &'static str,
    capacity: Capacity,
    /// Auto-scaling (min, max, target percent) on reads and writes.
    autoscaling: Option<(i64, i64, f64)>,
    storage_gib: f64,
    item_bytes: f64,
    pitr: bool,
    replicas: &'static str,
    team: &'static str,
    reads: Demand,
    writes: Demand,
}

const fn table(name: &'static str, team: &'static str, capacity: Capacity, reads: Demand, writes: Demand) -> TableSpec {
    TableSpec {
        name,
        account: MAIN_ACCOUNT,
        region: PRIMARY_REGION,
        capacity,
        autoscaling: None,
        storage_gib: 20.0,
        item_bytes: 1200.0,
        pitr: false,
        replicas: "",
        team,
        reads,
        writes,
    }
}

use Capacity::*;

const SPIKY: Demand = Demand { noise: 0.12, spike_chance: 0.015, spike_max: 40.0, ..demand(40.0, 250.0) };
const SPIKY_WRITES: Demand = Demand { noise: 0.12, spike_chance: 0.015, spike_max: 30.0, ..demand(20.0, 120.0) };
const TIGHT_READS: Demand = Demand { noise: 0.08, spike_chance: 0.012, spike_max: 2.2, ..demand(30.0, 46.0) };

const TABLES: &[TableSpec] = &[
    TableSpec {
        pitr: true,
        storage_gib: 420.0,
        item_bytes: 2048.0,
        ..table("orders", "orders", OnDemand, demand(5000.0, 6500.0), demand(1800.0, 2300.0))
    },
    TableSpec { storage_gib: 30.0, ..table("sessions", "storefront", OnDemand, SPIKY, SPIKY_WRITES) },
    TableSpec {
        storage_gib: 60.0,
        ..table("inventory", "checkout", Provisioned { rcu: 1000, wcu: 400 }, demand(30.0, 70.0), demand(8.0, 25.0))
    },
    TableSpec {
        autoscaling: Some((100, 2000, 70.0)),
        storage_gib: 85.0,
        ..table(
            "user-profiles",
            "identity",
            Provisioned { rcu: 300, wcu: 100 },
            demand(150.0, 900.0),
            demand(40.0, 220.0),
        )
    },
    TableSpec {
        storage_gib: 2600.0,
        item_bytes: 3500.0,
        ..table("audit-events", "security", Provisioned { rcu: 25, wcu: 40 }, demand(2.0, 6.0), demand(10.0, 20.0))
    },
    TableSpec {
        replicas: DR_REGION,
        storage_gib: 45.0,
        ..table("carts", "checkout", OnDemand, demand(200.0, 1400.0), demand(60.0, 450.0))
    },
    TableSpec {
        storage_gib: 0.2,
        ..table("feature-flags", "platform", Provisioned { rcu: 50, wcu: 10 }, TIGHT_READS, demand(1.0, 3.0))
    },
    TableSpec {
        storage_gib: 150.0,
        ..table("catalog", "search", Provisioned { rcu: 500, wcu: 100 }, demand(120.0, 380.0), demand(10.0, 45.0))
    },
    TableSpec {
        account: BACKOFFICE_ACCOUNT,
        storage_gib: 5.0,
        ..table("backoffice-jobs", "backoffice", OnDemand, demand(5.0, 40.0), demand(2.0, 15.0))
    },
    TableSpec {
        region: SEOUL_REGION,
        storage_gib: 12.0,
        ..table(
            "seoul-sessions",
            "storefront",
            Provisioned { rcu: 200, wcu: 100 },
            demand(20.0, 60.0),
            demand(10.0, 30.0),
        )
    },
];

/// What the bill and the DR frames need to know about a generated table.
#[derive(Debug, Clone)]
pub struct TableUsage {
    pub name: String,
    /// The spec's name (`orders`), for cross-references.
    pub role: &'static str,
    pub account: &'static str,
    pub region: &'static str,
    pub on_demand: bool,
    pub mean_consumed_rcu: f64,
    pub mean_consumed_wcu: f64,
    pub mean_provisioned_rcu: f64,
    pub mean_provisioned_wcu: f64,
    pub storage_bytes: i64,
    pub pitr: bool,
}

#[derive(Default)]
pub struct Rows {
    account_id: Vec<&'static str>,
    region: Vec<&'static str>,
    table: Vec<String>,
    billing_mode: Vec<&'static str>,
    table_class: Vec<&'static str>,
    provisioned_rcu: Vec<Option<i64>>,
    provisioned_wcu: Vec<Option<i64>>,
    autoscaling_min: Vec<Option<i64>>,
    autoscaling_max: Vec<Option<i64>>,
    autoscaling_target: Vec<Option<f64>>,
    storage_bytes: Vec<i64>,
    item_count: Vec<i64>,
    pitr_enabled: Vec<bool>,
    replica_regions: Vec<&'static str>,
    tags: Vec<String>,
    metrics: Metrics,
}

#[derive(Default)]
struct Metrics {
    table: Vec<String>,
    ts: Vec<i64>,
    consumed_rcu: Vec<f64>,
    consumed_wcu: Vec<f64>,
    provisioned_rcu: Vec<Option<f64>>,
    provisioned_wcu: Vec<Option<f64>>,
    throttled_requests: Vec<i64>,
}

/// Provisioned capacity that follows demand the way Application Auto Scaling does:
/// up within the hour after utilisation passes the target, down at most every 6 hours.
struct Scaler {
    current: f64,
    min: f64,
    max: f64,
    target: f64,
    hours_since_down: u32,
}

impl Scaler {
    fn observe(&mut self, consumed: f64) {
        let desired = (consumed / (self.target / 100.0)).clamp(self.min, self.max).ceil();
        self.hours_since_down += 1;
        if desired > self.current {
            self.current = desired;
        } else if desired < self.current * 0.8 && self.hours_since_down >= 6 {
            self.current = desired;
            self.hours_since_down = 0;
        }
    }
}

impl Rows {
    /// Generate one replica's tables and their metrics.
    pub fn push(&mut self, replica: &Replica) -> Vec<TableUsage> {
        TABLES.iter().enumerate().map(|(seq, spec)| self.push_table(replica, seq as u64, spec)).collect()
    }

    fn push_table(&mut self, replica: &Replica, seq: u64, spec: &TableSpec) -> TableUsage {
        let name = replica.name(spec.name);
        let mut rng = replica.rng(Stream::Table, seq);
        let storage_bytes = (spec.storage_gib * GIB * rng.uniform(0.97, 1.03)).round() as i64;
        let (rcu, wcu) = match spec.capacity {
            OnDemand => (None, None),
            Provisioned { rcu, wcu } => (Some(rcu), Some(wcu)),
        };
        self.account_id.push(spec.account);
        self.region.push(spec.region);
        self.table.push(name.clone());
        self.billing_mode.push(if rcu.is_some() { "PROVISIONED" } else { "PAY_PER_REQUEST" });
        self.table_class.push("STANDARD");
        self.provisioned_rcu.push(rcu);
        self.provisioned_wcu.push(wcu);
        self.autoscaling_min.push(spec.autoscaling.map(|a| a.0));
        self.autoscaling_max.push(spec.autoscaling.map(|a| a.1));
        self.autoscaling_target.push(spec.autoscaling.map(|a| a.2));
        self.storage_bytes.push(storage_bytes);
        self.item_count.push((storage_bytes as f64 / spec.item_bytes).round() as i64);
        self.pitr_enabled.push(spec.pitr);
        self.replica_regions.push(spec.replicas);
        self.tags.push(tags_json(&[("team", spec.team), ("env", "prod")]));

        let scaler = |units: Option<i64>| {
            let (min, max, target) = spec.autoscaling?;
            Some(Scaler { current: units? as f64, min: min as f64, max: max as f64, target, hours_since_down: 6 })
        };
        let (mut read_scaler, mut write_scaler) = (scaler(rcu), scaler(wcu));
        let mut sums = [0.0; 4];
        for hour in 0..WINDOW_HOURS as i64 {
            let ts = WINDOW_START_MS + hour * HOUR_MS;
            let read_capacity = read_scaler.as_ref().map(|s| s.current).or(rcu.map(|r| r as f64));
            let write_capacity = write_scaler.as_ref().map(|s| s.current).or(wcu.map(|w| w as f64));
            let (reads, read_throttles) = serve(spec.reads.at(&mut rng, ts), read_capacity);
            let (writes, write_throttles) = serve(spec.writes.at(&mut rng, ts), write_capacity);
            if let Some(s) = read_scaler.as_mut() {
                s.observe(reads);
            }
            if let Some(s) = write_scaler.as_mut() {
                s.observe(writes);
            }
            sums[0] += reads;
            sums[1] += writes;
            sums[2] += read_capacity.unwrap_or(0.0);
            sums[3] += write_capacity.unwrap_or(0.0);
            let m = &mut self.metrics;
            m.table.push(name.clone());
            m.ts.push(ts);
            m.consumed_rcu.push(round_to(reads, 2));
            m.consumed_wcu.push(round_to(writes, 2));
            m.provisioned_rcu.push(read_capacity);
            m.provisioned_wcu.push(write_capacity);
            m.throttled_requests.push(read_throttles + write_throttles);
        }
        let hours = WINDOW_HOURS as f64;
        TableUsage {
            name,
            role: spec.name,
            account: spec.account,
            region: spec.region,
            on_demand: rcu.is_none(),
            mean_consumed_rcu: sums[0] / hours,
            mean_consumed_wcu: sums[1] / hours,
            mean_provisioned_rcu: sums[2] / hours,
            mean_provisioned_wcu: sums[3] / hours,
            storage_bytes,
            pitr: spec.pitr,
        }
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let tables = finish(
            FrameName::DynamodbTables,
            vec![
                text("account_id", &self.account_id),
                text("region", &self.region),
                text("table", &self.table),
                text("billing_mode", &self.billing_mode),
                text("table_class", &self.table_class),
                Column::new("provisioned_rcu".into(), self.provisioned_rcu),
                Column::new("provisioned_wcu".into(), self.provisioned_wcu),
                Column::new("autoscaling_min".into(), self.autoscaling_min),
                Column::new("autoscaling_max".into(), self.autoscaling_max),
                Column::new("autoscaling_target".into(), self.autoscaling_target),
                Column::new("storage_bytes".into(), self.storage_bytes),
                Column::new("item_count".into(), self.item_count),
                Column::new("pitr_enabled".into(), self.pitr_enabled),
                text("replica_regions", &self.replica_regions),
                text("tags", &self.tags),
            ],
        );
        let m = self.metrics;
        let metrics = finish(
            FrameName::DynamodbMetricsHourly,
            vec![
                text("table", &m.table),
                ts("ts", m.ts),
                Column::new("consumed_rcu".into(), m.consumed_rcu),
                Column::new("consumed_wcu".into(), m.consumed_wcu),
                Column::new("provisioned_rcu".into(), m.provisioned_rcu),
                Column::new("provisioned_wcu".into(), m.provisioned_wcu),
                Column::new("throttled_requests".into(), m.throttled_requests),
            ],
        );
        vec![(FrameName::DynamodbTables, tables), (FrameName::DynamodbMetricsHourly, metrics)]
    }
}

/// Serve a demand against capacity (None = on-demand): the units consumed and the
/// requests throttled in the hour. Burst capacity lets a table run 5 % over briefly.
fn serve(demand: f64, capacity: Option<f64>) -> (f64, i64) {
    match capacity {
        None => (demand, 0),
        Some(cap) if demand <= cap * 1.05 => (demand, 0),
        Some(cap) => {
            let served = cap * 1.05;
            // Units per second over the hour that were refused, as requests (~1 unit each),
            // most of them retried successfully by the SDK.
            (served, ((demand - served) * 3600.0 * 0.2).round() as i64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_show_their_patterns() {
        let mut rows = Rows::default();
        let usage = rows.push(&Replica { seed: 42, index: 0 });
        assert_eq!(usage.len(), 10);
        let inventory = usage.iter().find(|t| t.role == "inventory").expect("inventory");
        assert!(inventory.mean_consumed_rcu < 80.0 && inventory.mean_provisioned_rcu == 1000.0);
        let throttles: i64 = rows.metrics.throttled_requests.iter().sum();
        assert!(throttles > 0, "the tight table throttles sometimes");
        let hours_with_throttles = rows.metrics.throttled_requests.iter().filter(|&&t| t > 0).count();
        assert!(hours_with_throttles < 40, "…but only in bursts: {hours_with_throttles} hours");
        let profiles = usage.iter().find(|t| t.role == "user-profiles").expect("user-profiles");
        assert!(profiles.mean_provisioned_rcu > profiles.mean_consumed_rcu);
    }
}
