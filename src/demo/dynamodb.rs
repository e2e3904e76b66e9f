//! The demo's DynamoDB tables: ten, two with a GSI, from a steady high-throughput
//! on-demand table to a tight provisioned one that throttles, with hourly metrics per
//! table and GSI, auto-scaling settings, and — for the first `MINUTE_REPLICAS` copies of
//! the account, as a collector capped at its per-minute budget would — consumed
//! capacity per minute (the hourly rows are then the minutes' averages).

use super::calendar::{HOUR_MS, WINDOW_HOURS, WINDOW_START_MS, activity};
use super::dynamodb_rows::Frames;
use super::rng::Rng;
use super::{
    BACKOFFICE_ACCOUNT, DR_REGION, MAIN_ACCOUNT, PRIMARY_REGION, Replica, SEOUL_REGION, Stream, round_to, tags_json,
};
use crate::snapshot::FrameName;

const GIB: f64 = 1_073_741_824.0;
/// Copies of the account (10 tables each) whose consumed capacity is also per minute.
pub const MINUTE_REPLICAS: u32 = 50;

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

    /// One minute of an hour whose demand is `hourly`: ±12 % noise and, for spiky
    /// demand, rare one-minute bursts.
    fn minute(&self, rng: &mut Rng, hourly: f64) -> f64 {
        let mut units = hourly * (1.0 + 0.12 * (rng.unit() + rng.unit() - 1.0));
        if self.spike_chance > 0.0 && rng.chance(self.spike_chance / 6.0) {
            units *= 1.0 + (self.spike_max / 8.0).max(1.0);
        }
        units.max(0.0)
    }
}

#[derive(Debug, Clone, Copy)]
enum Capacity {
    OnDemand,
    Provisioned { rcu: i64, wcu: i64 },
}

/// A global secondary index: its own provision, and a share of its table's traffic.
struct GsiSpec {
    name: &'static str,
    /// Ignored when the table is on-demand.
    rcu: i64,
    wcu: i64,
    read_share: f64,
    /// Writes to the table that touch the index's key.
    write_share: f64,
    storage_share: f64,
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
    gsis: &'static [GsiSpec],
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
        gsis: &[],
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
        gsis: &[GsiSpec {
            name: "by-customer",
            rcu: 0,
            wcu: 0,
            read_share: 0.15,
            write_share: 1.0,
            storage_share: 0.3,
        }],
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
        gsis: &[GsiSpec {
            name: "by-category",
            rcu: 400,
            wcu: 200,
            read_share: 0.05,
            write_share: 0.3,
            storage_share: 0.2,
        }],
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

/// What the bill and the DR frames need to know about a generated table (its GSIs included).
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

/// One capacity unit being generated: its capacity and what it served.
struct UnitGen {
    index: Option<&'static str>,
    arn: String,
    shares: [f64; 2],
    fixed: [Option<f64>; 2],
    scalers: [Option<Scaler>; 2],
    /// Per-minute rows of this unit (written out after the table, unit by unit).
    minutes: Vec<(i64, f64, f64)>,
    sums: [f64; 4],
}

impl UnitGen {
    fn capacity(&self, d: usize) -> Option<f64> {
        self.scalers[d].as_ref().map(|s| s.current).or(self.fixed[d])
    }
}

pub struct Rows {
    frames: Frames,
    /// Copies of the account (replica index below this) that get per-minute rows.
    minute_replicas: u32,
}

impl Default for Rows {
    fn default() -> Self {
        Rows::with_minute_replicas(MINUTE_REPLICAS)
    }
}

impl Rows {
    pub fn with_minute_replicas(minute_replicas: u32) -> Rows {
        Rows { frames: Frames::default(), minute_replicas }
    }

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
        let on_demand = rcu.is_none();
        let f = &mut self.frames;
        let t = &mut f.tables;
        t.account_id.push(spec.account);
        t.region.push(spec.region);
        t.table.push(name.clone());
        t.billing_mode.push(if on_demand { "PAY_PER_REQUEST" } else { "PROVISIONED" });
        t.table_class.push("STANDARD");
        t.provisioned_rcu.push(rcu);
        t.provisioned_wcu.push(wcu);
        t.autoscaling_min.push(spec.autoscaling.map(|a| a.0));
        t.autoscaling_max.push(spec.autoscaling.map(|a| a.1));
        t.autoscaling_target.push(spec.autoscaling.map(|a| a.2));
        t.storage_bytes.push(storage_bytes);
        t.item_count.push((storage_bytes as f64 / spec.item_bytes).round() as i64);
        t.pitr_enabled.push(spec.pitr);
        t.replica_regions.push(spec.replicas);
        t.tags.push(tags_json(&[("team", spec.team), ("env", "prod")]));
        t.table_class_updated_at.push(None);
        if let Some((min, max, target)) = spec.autoscaling {
            for dim in ["read", "write"] {
                let s = &mut f.scaling;
                s.account_id.push(spec.account);
                s.region.push(spec.region);
                s.table.push(name.clone());
                s.index.push(None);
                s.dimension.push(dim);
                s.min_capacity.push(min);
                s.max_capacity.push(max);
                s.target_pct.push(Some(target));
                s.scale_in_disabled.push(false);
            }
        }
        let arn = format!("arn:aws:dynamodb:{}:{}:table/{name}", spec.region, spec.account);
        let scaler = |units: Option<i64>| {
            let (min, max, target) = spec.autoscaling?;
            Some(Scaler { current: units? as f64, min: min as f64, max: max as f64, target, hours_since_down: 6 })
        };
        let mut units = vec![UnitGen {
            index: None,
            arn: arn.clone(),
            shares: [1.0, 1.0],
            fixed: [rcu.map(|r| r as f64), wcu.map(|w| w as f64)],
            scalers: [scaler(rcu), scaler(wcu)],
            minutes: Vec::new(),
            sums: [0.0; 4],
        }];
        let mut total_storage = storage_bytes;
        for g in spec.gsis {
            let gsi_bytes = (storage_bytes as f64 * g.storage_share).round() as i64;
            total_storage += gsi_bytes;
            let provision = |v: i64| (!on_demand).then_some(v);
            let i = &mut f.indexes;
            i.account_id.push(spec.account);
            i.region.push(spec.region);
            i.table.push(name.clone());
            i.index.push(g.name);
            i.provisioned_rcu.push(provision(g.rcu));
            i.provisioned_wcu.push(provision(g.wcu));
            i.storage_bytes.push(gsi_bytes);
            i.item_count.push((gsi_bytes as f64 / spec.item_bytes).round() as i64);
            units.push(UnitGen {
                index: Some(g.name),
                arn: format!("{arn}/index/{}", g.name),
                shares: [g.read_share, g.write_share],
                fixed: [provision(g.rcu).map(|v| v as f64), provision(g.wcu).map(|v| v as f64)],
                scalers: [None, None],
                minutes: Vec::new(),
                sums: [0.0; 4],
            });
        }
        let per_minute = replica.index < self.minute_replicas;
        for hour in 0..WINDOW_HOURS as i64 {
            let ts = WINDOW_START_MS + hour * HOUR_MS;
            let demands = [spec.reads.at(&mut rng, ts), spec.writes.at(&mut rng, ts)];
            let shapes = [spec.reads, spec.writes];
            for unit in units.iter_mut() {
                let mut served = [0.0; 2];
                let mut throttles = 0;
                let capacity = [unit.capacity(0), unit.capacity(1)];
                if per_minute {
                    for m in 0..60 {
                        let mut sums = [0.0; 2];
                        for d in 0..2 {
                            let want = shapes[d].minute(&mut rng, demands[d] * unit.shares[d]);
                            let (got, refused) = serve(want, capacity[d], 60.0);
                            // Sum over the minute, in half units (an eventually consistent read is ½).
                            sums[d] = (got * 60.0 * 2.0).round() / 2.0;
                            served[d] += sums[d] / 3600.0;
                            throttles += refused;
                        }
                        unit.minutes.push((ts + m * 60_000, sums[0], sums[1]));
                    }
                } else {
                    for (d, slot) in served.iter_mut().enumerate() {
                        let (got, refused) = serve(demands[d] * unit.shares[d], capacity[d], 3600.0);
                        *slot = got;
                        throttles += refused;
                    }
                }
                for (scaler, served) in unit.scalers.iter_mut().zip(served) {
                    if let Some(s) = scaler.as_mut() {
                        s.observe(served);
                    }
                }
                unit.sums[0] += served[0];
                unit.sums[1] += served[1];
                unit.sums[2] += capacity[0].unwrap_or(0.0);
                unit.sums[3] += capacity[1].unwrap_or(0.0);
                let h = &mut f.hourly;
                h.account_id.push(spec.account);
                h.region.push(spec.region);
                h.table.push(name.clone());
                h.index.push(unit.index);
                h.ts.push(ts);
                h.consumed_rcu.push(round_to(served[0], 2));
                h.consumed_wcu.push(round_to(served[1], 2));
                h.provisioned_rcu.push(capacity[0]);
                h.provisioned_wcu.push(capacity[1]);
                h.throttled_requests.push(throttles);
            }
        }
        let hours = WINDOW_HOURS as f64;
        let mut sums = [0.0; 4];
        for unit in units {
            (0..4).for_each(|k| sums[k] += unit.sums[k]);
            if per_minute {
                f.minutes.start_unit(unit.arn);
                for (ts, r, w) in unit.minutes {
                    f.minutes.push(ts, r, w);
                }
            }
        }
        TableUsage {
            name,
            role: spec.name,
            account: spec.account,
            region: spec.region,
            on_demand,
            mean_consumed_rcu: sums[0] / hours,
            mean_consumed_wcu: sums[1] / hours,
            mean_provisioned_rcu: sums[2] / hours,
            mean_provisioned_wcu: sums[3] / hours,
            storage_bytes: total_storage,
            pitr: spec.pitr,
        }
    }

    pub fn into_frames(self) -> Vec<(FrameName, polars::prelude::DataFrame)> {
        self.frames.into_frames()
    }
}

/// Serve a demand (units per second) against capacity (None = on-demand) for `seconds`:
/// the units per second consumed, and the requests throttled. Burst capacity lets a
/// table run 5 % over briefly; most refused requests are retried by the SDK.
fn serve(demand: f64, capacity: Option<f64>, seconds: f64) -> (f64, i64) {
    match capacity {
        None => (demand, 0),
        Some(cap) if demand <= cap * 1.05 => (demand, 0),
        Some(cap) => {
            let served = cap * 1.05;
            (served, ((demand - served) * seconds * 0.2).round() as i64)
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
        let h = &rows.frames.hourly;
        let throttles: i64 = h.throttled_requests.iter().sum();
        assert!(throttles > 0, "the tight table throttles sometimes");
        let hours_with_throttles = h.throttled_requests.iter().filter(|&&t| t > 0).count();
        assert!(hours_with_throttles < 100, "…but only in bursts: {hours_with_throttles} hours");
        // Only the tight table, and the auto-scaled one while its capacity lags the morning ramp.
        let throttled: std::collections::BTreeSet<&str> =
            (0..h.ts.len()).filter(|&i| h.throttled_requests[i] > 0).map(|i| h.table[i].as_str()).collect();
        assert_eq!(throttled.into_iter().collect::<Vec<_>>(), ["feature-flags", "user-profiles"]);
        let profiles = usage.iter().find(|t| t.role == "user-profiles").expect("user-profiles");
        assert!(profiles.mean_provisioned_rcu > profiles.mean_consumed_rcu);
        // Two GSIs, each with its own hourly rows; per-minute rows for all 12 units.
        assert_eq!(rows.frames.indexes.index, ["by-customer", "by-category"]);
        assert_eq!(h.index.iter().filter(|i| i.is_some()).count(), 2 * WINDOW_HOURS);
        assert_eq!(rows.frames.minutes.arns.len(), 12);
        assert_eq!(rows.frames.minutes.ts.len(), 12 * WINDOW_HOURS * 60);
        // The hourly rows are the minutes' averages.
        let first: f64 = rows.frames.minutes.read_units[..60].iter().sum::<f64>() / 3600.0;
        assert!((h.consumed_rcu[0] - first).abs() < 0.01, "{} vs {first}", h.consumed_rcu[0]);
    }

    #[test]
    fn later_copies_are_hourly_only() {
        let mut rows = Rows::default();
        rows.push(&Replica { seed: 42, index: MINUTE_REPLICAS });
        assert!(rows.frames.minutes.ts.is_empty());
        assert_eq!(rows.frames.hourly.ts.len(), 12 * WINDOW_HOURS);
    }
}
