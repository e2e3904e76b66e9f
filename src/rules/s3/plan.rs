//! The economics of moving STANDARD objects into a colder class, per object size.
//!
//! For objects of size s ≥ 128 KB (smaller objects are never transitioned by default,
//! and would be billed as 128 KB), moving one object saves per month
//! `s × per_byte − per_object`, where
//! - `per_byte` = (STANDARD − class storage price − bytes read per byte stored ×
//!   retrieval price − share of STANDARD bytes deleted per month × class price ×
//!   minimum duration in months) per GB;
//! - `per_object` = the GLACIER/DEEP_ARCHIVE overhead (8 KB at the STANDARD rate, 32 KB
//!   at the class rate) + GETs per object × (class GET price − STANDARD GET price +
//!   restore request price);
//!
//! and costs `transition price ÷ 1,000` once. It pays back within the horizon when
//! `horizon × (s × per_byte − per_object) > transition`, i.e. above the break-even size
//! `(transition ÷ horizon + per_object) ÷ per_byte`.

use super::classes::{Class, ClassPrices, DAYS_PER_MONTH, GB, MIN_BILLABLE_BYTES, StandardPrices};

/// How a bucket is used: what a move of some of its bytes would be charged for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// Bytes in every class (reads are spread over all of them).
    pub stored_bytes: f64,
    /// Objects in every class.
    pub objects: f64,
    pub bytes_read_month: f64,
    pub gets_month: f64,
    pub standard_bytes: f64,
    /// STANDARD bytes deleted per month (the series' decline; 0 when it grows).
    pub standard_deleted_month: f64,
}

impl Usage {
    /// GB read per GB stored per month.
    pub fn read_per_byte(&self) -> f64 {
        if self.stored_bytes > 0.0 { self.bytes_read_month / self.stored_bytes } else { 0.0 }
    }

    pub fn gets_per_object(&self) -> f64 {
        if self.objects > 0.0 { self.gets_month / self.objects } else { 0.0 }
    }

    pub fn deleted_share(&self) -> f64 {
        if self.standard_bytes > 0.0 { self.standard_deleted_month / self.standard_bytes } else { 0.0 }
    }
}

/// Linear per-object economics of one target class.
#[derive(Debug, Clone, Copy)]
pub struct Economics {
    pub std: StandardPrices,
    pub class: ClassPrices,
    pub usage: Usage,
    pub one_time_per_object: f64,
    /// Smallest object size worth moving within the horizon (≥ 128 KB); None when no size pays.
    pub break_even_bytes: Option<f64>,
}

pub fn economics(std: StandardPrices, class: ClassPrices, usage: Usage, horizon_months: f64) -> Economics {
    let c = class.class;
    let per_gb = std.storage
        - class.storage
        - usage.read_per_byte() * class.retrieval_gb
        - usage.deleted_share() * class.storage * c.min_days() / DAYS_PER_MONTH;
    let (ov_std, ov_class) = c.overhead_bytes();
    let per_object = (ov_std * std.storage + ov_class * class.storage) / GB
        + usage.gets_per_object() * (class.get_per_1000 - std.get_per_1000 + class.retrieval_per_1000) / 1000.0;
    let one_time_per_object = class.transition_per_1000 / 1000.0;
    let per_byte = per_gb / GB;
    let break_even_bytes = (per_byte > 0.0)
        .then(|| ((one_time_per_object / horizon_months.max(1e-9) + per_object) / per_byte).max(MIN_BILLABLE_BYTES));
    Economics { std, class, usage, one_time_per_object, break_even_bytes }
}

/// Objects of one size bucket (the whole bucket's average when there is no inventory).
#[derive(Debug, Clone, Copy)]
pub struct SizeCell {
    pub k: i64,
    pub objects: f64,
    pub bytes: f64,
}

impl SizeCell {
    pub fn average(&self) -> f64 {
        if self.objects > 0.0 { self.bytes / self.objects } else { 0.0 }
    }
}

/// Monthly dollars of a plan, by component.
#[derive(Debug, Clone, Copy, Default)]
pub struct Breakdown {
    pub storage_before: f64,
    pub storage_after: f64,
    pub retrieval: f64,
    pub requests: f64,
    pub early_deletion: f64,
}

/// Moving the objects at or above the break-even size of one class.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub class: Class,
    pub break_even_bytes: f64,
    pub moved_objects: f64,
    pub moved_bytes: f64,
    pub stay_objects: f64,
    pub stay_bytes: f64,
    pub monthly_saving: f64,
    pub one_time: f64,
    pub breakdown: Breakdown,
}

impl Plan {
    /// Net over the horizon: what ranks classes.
    pub fn net(&self, horizon_months: f64) -> f64 {
        self.monthly_saving * horizon_months - self.one_time
    }
}

/// Plan the move of `cells` into one class; None when nothing qualifies.
pub fn plan(cells: &[SizeCell], e: &Economics) -> Option<Plan> {
    let threshold = e.break_even_bytes?;
    let mut p = Plan {
        class: e.class.class,
        break_even_bytes: threshold,
        moved_objects: 0.0,
        moved_bytes: 0.0,
        stay_objects: 0.0,
        stay_bytes: 0.0,
        monthly_saving: 0.0,
        one_time: 0.0,
        breakdown: Breakdown::default(),
    };
    for cell in cells {
        if cell.objects <= 0.0 {
            continue;
        }
        if cell.average() < threshold {
            p.stay_objects += cell.objects;
            p.stay_bytes += cell.bytes;
            continue;
        }
        p.moved_objects += cell.objects;
        p.moved_bytes += cell.bytes;
    }
    if p.moved_objects <= 0.0 {
        return None;
    }
    let gb = p.moved_bytes / GB;
    let n = p.moved_objects;
    let (ov_std, ov_class) = e.class.class.overhead_bytes();
    let gets = e.usage.gets_per_object() * n;
    let b = Breakdown {
        storage_before: gb * e.std.storage,
        storage_after: gb * e.class.storage + n * (ov_std * e.std.storage + ov_class * e.class.storage) / GB,
        retrieval: e.usage.read_per_byte() * gb * e.class.retrieval_gb + gets * e.class.retrieval_per_1000 / 1000.0,
        requests: gets * (e.class.get_per_1000 - e.std.get_per_1000) / 1000.0,
        early_deletion: e.usage.deleted_share() * gb * e.class.storage * e.class.class.min_days() / DAYS_PER_MONTH,
    };
    p.monthly_saving = b.storage_before - b.storage_after - b.retrieval - b.requests - b.early_deletion;
    p.one_time = n * e.one_time_per_object;
    p.breakdown = b;
    Some(p)
}

/// The plan with the largest net over the horizon, if any is positive (ties: faster class).
pub fn best_plan(cells: &[SizeCell], options: &[Economics], horizon_months: f64) -> Option<Plan> {
    let mut best: Option<Plan> = None;
    for e in options {
        let Some(p) = plan(cells, e) else { continue };
        if p.monthly_saving <= 0.0 || p.net(horizon_months) <= 0.0 {
            continue;
        }
        if best.is_none_or(|b| p.net(horizon_months) > b.net(horizon_months) + 1e-9) {
            best = Some(p);
        }
    }
    best
}

/// What `cells` would cost per month in `class` if every object were moved, ignoring
/// the 128 KB transition floor: the evidence for small objects staying put.
pub fn forced_storage_cost(cells: &[SizeCell], e: &Economics) -> f64 {
    let c = e.class.class;
    let (ov_std, ov_class) = c.overhead_bytes();
    cells
        .iter()
        .map(|cell| {
            let billed = cell.bytes.max(cell.objects * c.min_billable_bytes()) + cell.objects * ov_class;
            billed / GB * e.class.storage + cell.objects * ov_std / GB * e.std.storage
        })
        .sum()
}
