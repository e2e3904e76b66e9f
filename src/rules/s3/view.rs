//! Everything the S3 rules know about each bucket, read once: metadata, CloudWatch
//! storage, request metrics, and the inventory view, with the access classification.

use std::collections::BTreeMap;
use std::sync::Arc;

use polars::prelude::lit;

use crate::rules::{RuleContext, RuleError};

use super::access::{Access, AccessClass, access_by_bucket, classify};
use super::bucket::{BucketInfo, buckets};
use super::classes::{DAYS_PER_MONTH, GB, StandardPrices, standard_prices};
use super::inventory::{Coverage, Inventory, current_standard};
use super::plan::Usage;
use super::storage::{Storage, storage_by_bucket};

pub struct S3Data {
    pub buckets: Vec<BucketInfo>,
    pub storage: BTreeMap<String, Storage>,
    pub access: BTreeMap<String, Access>,
    pub inventory: Option<Inventory>,
    /// Per bucket from inventory (scaled): (all objects, all bytes, current STANDARD objects, current STANDARD bytes).
    inventory_totals: BTreeMap<String, [f64; 4]>,
    /// (account, region) → GB in STANDARD over all its buckets (the tier the account pays).
    standard_gb: BTreeMap<(String, String), f64>,
}

/// One bucket, as the rules see it.
pub struct BucketView<'a> {
    pub info: &'a BucketInfo,
    pub storage: Option<&'a Storage>,
    pub access: Option<&'a Access>,
    pub coverage: Option<&'a Coverage>,
    /// Bytes in every class.
    pub stored_bytes: f64,
    /// Bytes in STANDARD (every version: CloudWatch does not split them).
    pub standard_bytes: f64,
    /// Objects in every class; None when neither CloudWatch nor inventory counts them.
    pub objects: Option<f64>,
    pub access_class: AccessClass,
}

impl BucketView<'_> {
    pub fn has_inventory(&self) -> bool {
        self.coverage.is_some()
    }

    pub fn usage(&self) -> Usage {
        let a = self.access.filter(|a| a.days > 0);
        Usage {
            stored_bytes: self.stored_bytes,
            objects: self.objects.unwrap_or(0.0),
            bytes_read_month: a.map(|a| a.bytes_read_month).unwrap_or(0.0),
            gets_month: a.map(|a| a.gets_month).unwrap_or(0.0),
            standard_bytes: self.standard_bytes,
            standard_deleted_month: self
                .storage
                .map(|s| (-s.standard_bytes_per_day).max(0.0) * DAYS_PER_MONTH)
                .unwrap_or(0.0),
        }
    }

    /// Days of request metrics behind the access figures.
    pub fn access_days(&self) -> usize {
        self.access.map(|a| a.days).unwrap_or(0)
    }
}

impl S3Data {
    /// The run's S3 data, read once for the three S3 rules.
    pub fn of(ctx: &RuleContext) -> Result<Arc<S3Data>, RuleError> {
        ctx.shared(S3Data::load)
    }

    fn load(ctx: &RuleContext) -> Result<S3Data, RuleError> {
        let storage = storage_by_bucket(ctx.snapshot)?;
        let inventory = Inventory::of(ctx.snapshot, &storage)?;
        let mut inventory_totals: BTreeMap<String, [f64; 4]> = BTreeMap::new();
        if let Some(inv) = &inventory {
            for c in inv.sum(lit(true), &[])? {
                inventory_totals.entry(c.bucket.clone()).or_default()[..2].copy_from_slice(&[c.objects, c.bytes]);
            }
            for c in inv.sum(current_standard(), &[])? {
                inventory_totals.entry(c.bucket.clone()).or_default()[2..].copy_from_slice(&[c.objects, c.bytes]);
            }
        }
        let mut data = S3Data {
            buckets: buckets(ctx)?,
            access: access_by_bucket(ctx.snapshot)?,
            storage,
            inventory,
            inventory_totals,
            standard_gb: BTreeMap::new(),
        };
        let mut totals: BTreeMap<(String, String), f64> = BTreeMap::new();
        for info in &data.buckets {
            if let Some(v) = data.view(info) {
                *totals.entry((info.account.clone(), info.region.clone())).or_default() += v.standard_bytes / GB;
            }
        }
        data.standard_gb = totals;
        Ok(data)
    }

    /// STANDARD prices for a bucket: storage at the tier its account's STANDARD
    /// storage in the region falls in.
    pub fn standard_prices(
        &self,
        prices: &crate::pricing::PriceBook,
        info: &BucketInfo,
    ) -> Result<StandardPrices, crate::pricing::PriceError> {
        let gb = self.standard_gb.get(&(info.account.clone(), info.region.clone())).copied().unwrap_or(0.0);
        standard_prices(prices, &info.region, gb)
    }

    /// The view of a bucket; None when nothing says how much it stores.
    pub fn view<'a>(&'a self, info: &'a BucketInfo) -> Option<BucketView<'a>> {
        let storage = self.storage.get(&info.name).filter(|s| s.total_bytes() > 0.0);
        let totals = self.inventory_totals.get(&info.name);
        let coverage = self.inventory.as_ref().and_then(|i| i.coverage.get(&info.name));
        let (stored_bytes, standard_bytes, objects) = match (storage, totals) {
            (Some(s), t) => (s.total_bytes(), s.standard_bytes(), s.objects.or(t.map(|t| t[0]))),
            (None, Some(t)) => (t[1], t[3], Some(t[0])),
            (None, None) => return None,
        };
        let access = self.access.get(&info.name);
        // Metrics of part of the bucket (a prefix filter) say nothing about the rest: unknown.
        let partial = info.request_metrics_scope.as_deref() == Some("partial");
        Some(BucketView {
            info,
            storage,
            access,
            coverage,
            stored_bytes,
            standard_bytes,
            objects,
            access_class: if partial { AccessClass::Unknown } else { classify(access, stored_bytes, objects) },
        })
    }
}
