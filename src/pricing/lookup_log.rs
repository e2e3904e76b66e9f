//! What a run read from the price book, per region: the list-price origins, the pricing
//! families and the rate factors. The engine gives each rule family its own log, so a
//! finding can say which sources priced it and whether its money rests on one rate
//! factor (then its list figure can be shown beside the effective one).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use super::origin::{Origin, PriceFamily};
use super::rates::RateBasis;

/// What was read in one region.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionUse {
    /// Origin → number of lookups it answered.
    pub origins: BTreeMap<OriginKey, (Origin, u64)>,
    pub families: BTreeSet<PriceFamily>,
    /// Distinct rate factors applied (as bits, exact), with their basis.
    pub factors: BTreeSet<(u64, RateBasis)>,
}

/// A sortable identity for an origin: (rank, text).
pub type OriginKey = (u8, String);

impl RegionUse {
    /// The one rate factor every lookup used, if there was exactly one.
    pub fn single_factor(&self) -> Option<(f64, RateBasis)> {
        let mut it = self.factors.iter();
        match (it.next(), it.next()) {
            (Some((bits, basis)), None) => Some((f64::from_bits(*bits), *basis)),
            _ => None,
        }
    }

    /// The one pricing family read, if there was exactly one.
    pub fn single_family(&self) -> Option<PriceFamily> {
        let mut it = self.families.iter();
        match (it.next(), it.next()) {
            (Some(f), None) => Some(*f),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct LookupLog {
    regions: Mutex<HashMap<String, RegionUse>>,
}

impl LookupLog {
    pub fn new() -> Arc<LookupLog> {
        Arc::new(LookupLog::default())
    }

    pub(super) fn record(&self, region: &str, origin: &Origin, family: PriceFamily, factor: f64, basis: RateBasis) {
        let mut regions = self.regions.lock().unwrap_or_else(|e| e.into_inner());
        let use_ = match regions.get_mut(region) {
            Some(u) => u,
            None => regions.entry(region.to_string()).or_default(),
        };
        // Called for every price a rule reads: count into the entry of an origin already
        // seen (a region has one to three) before building a key for a new one.
        match use_.origins.values_mut().find(|(o, _)| o == origin) {
            Some((_, n)) => *n += 1,
            None => {
                use_.origins.insert((origin.rank(), origin.describe()), (origin.clone(), 1));
            }
        }
        use_.families.insert(family);
        use_.factors.insert((factor.to_bits(), basis));
    }

    /// Some region was priced with more than one rate factor (services with different
    /// discounts in one finding): list figures cannot be turned into effective ones by
    /// one multiplication there.
    pub fn has_mixed_factors(&self) -> bool {
        self.regions.lock().unwrap_or_else(|e| e.into_inner()).values().any(|u| u.factors.len() > 1)
    }

    /// Every region something was read in.
    pub fn regions(&self) -> Vec<String> {
        let mut r: Vec<String> = self.regions.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        r.sort();
        r
    }

    /// What was read in `region` (empty when nothing was).
    pub fn region(&self, region: &str) -> RegionUse {
        self.regions.lock().unwrap_or_else(|e| e.into_inner()).get(region).cloned().unwrap_or_default()
    }
}
