//! The instance catalog as the EC2 rules search it: specs from the price book, families
//! from `data/ec2_families.csv`, prices per (region, platform) — or, when the instance
//! itself is unpriced there, us-east-1 Linux list prices used only to rank candidates.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use crate::pricing::families::{Families, FamilyInfo, family_of};
use crate::pricing::{InstanceSpec, PriceBook};

/// Region and platform whose list prices rank candidates when an instance has no price.
pub const PROXY_REGION: &str = "us-east-1";
pub const PROXY_PLATFORM: &str = "linux";

/// Where a unit's prices come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    pub region: String,
    pub platform: String,
    /// Why the unit's own prices are unknown; then candidates are ranked by the proxy prices
    /// and no dollar figure is reported.
    pub unpriced: Option<String>,
}

impl Basis {
    fn key(&self) -> (String, String) {
        match self.unpriced {
            None => (self.region.clone(), self.platform.clone()),
            Some(_) => (PROXY_REGION.into(), PROXY_PLATFORM.into()),
        }
    }
}

/// A candidate type with its hourly price on the unit's basis.
#[derive(Debug, Clone)]
pub struct Priced {
    pub spec: Arc<InstanceSpec>,
    pub usd_hour: f64,
}

type PricedList = Rc<Vec<Priced>>;

/// Candidate types without a price: (of the units' own or successor families, of other families).
type MissingTypes = (BTreeSet<String>, BTreeSet<String>);

pub struct Catalog<'a> {
    pub prices: &'a PriceBook,
    pub families: &'static Families,
    by_family: HashMap<&'a str, Vec<&'a Arc<InstanceSpec>>>,
    family_lists: RefCell<HashMap<(String, String, String), PricedList>>,
    cross_lists: RefCell<HashMap<(String, String, String), PricedList>>,
    /// (region, platform) → candidate types left out because the book has no price for
    /// them: (of the units' own or successor families, of other families).
    missing: RefCell<BTreeMap<(String, String), MissingTypes>>,
}

impl<'a> Catalog<'a> {
    pub fn new(prices: &'a PriceBook) -> Catalog<'a> {
        let mut by_family: HashMap<&str, Vec<&Arc<InstanceSpec>>> = HashMap::new();
        for spec in prices.instances() {
            by_family.entry(spec.family.as_str()).or_default().push(spec);
        }
        Catalog {
            prices,
            families: Families::embedded(),
            by_family,
            family_lists: RefCell::default(),
            cross_lists: RefCell::default(),
            missing: RefCell::default(),
        }
    }

    pub fn spec(&self, instance_type: &str) -> Option<&'a Arc<InstanceSpec>> {
        self.prices.instance(instance_type)
    }

    pub fn family(&self, instance_type: &str) -> Option<&'static FamilyInfo> {
        self.families.get(family_of(instance_type))
    }

    /// The pricing basis of an instance: its region and billed platform. Spot instances
    /// pay the market price, which the catalog does not hold; an instance whose platform
    /// is not known (an unlisted usage operation) is never priced as Linux.
    pub fn basis(&self, inst: &super::fleet::Instance) -> Basis {
        let (region, instance_type, platform) = (&inst.region, &inst.instance_type, &inst.platform);
        let unpriced = if inst.spot {
            Some(format!(
                "{instance_type} runs as a spot instance, billed at the spot market price, which the catalog does not hold"
            ))
        } else if inst.billed.is_none() {
            Some(format!(
                "{} runs a platform tierwise cannot identify (`{platform}`: not in AWS's AMI billing table), so it is \
                 not priced — never as Linux",
                inst.id
            ))
        } else {
            self.prices.ec2_hourly(region, instance_type, platform).err().map(|e| e.to_string())
        };
        Basis { region: region.clone(), platform: platform.clone(), unpriced }
    }

    /// One line per (region, platform) naming the candidate types that were not
    /// considered because the book has no price for them.
    pub fn missing_price_warnings(&self) -> Vec<String> {
        self.missing
            .borrow()
            .iter()
            .map(|((region, platform), (home, cross))| {
                let cross: Vec<&String> = cross.difference(home).collect();
                let shown: Vec<&str> = home.iter().chain(cross.iter().copied()).take(12).map(String::as_str).collect();
                let total = home.len() + cross.len();
                let more = total.saturating_sub(shown.len());
                format!(
                    "{total} candidate type(s) have no {platform} price in {region} and were not considered: {}{} \
                     (import or refresh prices for {region}, or add them under [pricing.overrides])",
                    shown.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() }
                )
            })
            .collect()
    }

    /// Hourly price of a type on a basis (the proxy price when the basis is unpriced).
    pub fn rank_price(&self, basis: &Basis, instance_type: &str) -> Option<f64> {
        let (region, platform) = basis.key();
        self.prices.ec2_hourly(&region, instance_type, &platform).ok()
    }

    /// The priced types of one family, cheapest first.
    pub fn family_list(&self, basis: &Basis, family: &str) -> PricedList {
        let (region, platform) = basis.key();
        let key = (region, platform, family.to_string());
        if let Some(list) = self.family_lists.borrow().get(&key) {
            return Rc::clone(list);
        }
        let list =
            Rc::new(self.priced(&key.0, &key.1, self.by_family.get(family).into_iter().flatten().copied(), true));
        self.family_lists.borrow_mut().insert(key, Rc::clone(&list));
        list
    }

    /// Priced types of every family offered as a cross-family target with this architecture, cheapest first.
    pub fn cross_family_list(&self, basis: &Basis, architecture: &str) -> PricedList {
        let (region, platform) = basis.key();
        let key = (region, platform, architecture.to_string());
        if let Some(list) = self.cross_lists.borrow().get(&key) {
            return Rc::clone(list);
        }
        let specs = self
            .families
            .iter()
            .filter(|f| f.cross_family_target && f.architecture == architecture)
            .flat_map(|f| self.by_family.get(f.family.as_str()).into_iter().flatten().copied());
        let list = Rc::new(self.priced(&key.0, &key.1, specs, false));
        self.cross_lists.borrow_mut().insert(key, Rc::clone(&list));
        list
    }

    fn priced(
        &self,
        region: &str,
        platform: &str,
        specs: impl Iterator<Item = &'a Arc<InstanceSpec>>,
        home: bool,
    ) -> Vec<Priced> {
        let mut missing = Vec::new();
        let mut list: Vec<Priced> = specs
            .filter_map(|spec| match self.prices.ec2_hourly(region, &spec.instance_type, platform) {
                Ok(usd_hour) => Some(Priced { spec: Arc::clone(spec), usd_hour }),
                Err(_) => {
                    missing.push(spec.instance_type.clone());
                    None
                }
            })
            .collect();
        if !missing.is_empty() {
            let mut all = self.missing.borrow_mut();
            let entry = all.entry((region.to_string(), platform.to_string())).or_default();
            if home { entry.0.extend(missing) } else { entry.1.extend(missing) }
        }
        list.sort_by(|a, b| {
            a.usd_hour
                .total_cmp(&b.usd_hour)
                .then(a.spec.vcpus.cmp(&b.spec.vcpus))
                .then(a.spec.instance_type.cmp(&b.spec.instance_type))
        });
        list
    }
}

/// Sustained network bandwidth of a type, Gbit/s: its baseline (DescribeInstanceTypes'
/// BaselineBandwidthInGbps) when known — "Up to 10 Gigabit" is a burst an m5.large holds
/// only briefly; its baseline is 0.75. Without a baseline, the listed figure (named levels
/// of older types get conservative values).
pub fn network_gbps(spec: &InstanceSpec) -> f64 {
    if let Some(b) = spec.hardware.baseline_gbps.filter(|b| *b > 0.0) {
        return b;
    }
    listed_gbps(spec)
}

/// The bandwidth in the type's network performance label, Gbit/s.
pub fn listed_gbps(spec: &InstanceSpec) -> f64 {
    let text = spec.network_performance.trim();
    match text {
        "Very Low" => return 0.05,
        "Low" => return 0.1,
        "Low to Moderate" => return 0.25,
        "Moderate" => return 0.45,
        "High" => return 1.0,
        _ => {}
    }
    let body = text.trim_start_matches("Up to ").trim_end_matches(" Gigabit");
    match body.split_once("x ") {
        Some((count, each)) => count.trim().parse::<f64>().unwrap_or(1.0) * each.trim().parse::<f64>().unwrap_or(0.0),
        None => body.trim().parse().unwrap_or(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandwidth_figures_parse() {
        let book = PriceBook::embedded();
        let gbps = |t: &str| network_gbps(book.instance(t).expect("spec"));
        let listed = |t: &str| listed_gbps(book.instance(t).expect("spec"));
        // The baseline, not the "Up to" burst: an m5.large sustains 0.75 Gbit/s, not 10.
        assert_eq!((gbps("m5.large"), listed("m5.large")), (0.75, 10.0));
        assert_eq!((gbps("m7g.large"), listed("m7g.large")), (0.937, 12.5));
        assert_eq!((gbps("m4.large"), listed("m4.large")), (0.45, 0.45));
        assert_eq!((gbps("t2.medium"), listed("t2.medium")), (0.256, 0.25));
        assert!(book.instances().all(|s| network_gbps(s) > 0.0), "every listed figure parses");
    }

    #[test]
    fn unpriced_basis_ranks_by_the_proxy() {
        let book = PriceBook::embedded();
        let catalog = Catalog::new(&book);
        let mut inst = super::super::fleet::tests::member("i-win", "m5.xlarge", false);
        inst.platform = "windows".into();
        inst.billed = crate::pricing::platform::by_slug("windows");
        let windows = catalog.basis(&inst);
        assert!(windows.unpriced.as_deref().is_some_and(|r| r.contains("ec2.ondemand.windows.m5.xlarge")));
        assert_eq!(catalog.rank_price(&windows, "m5.xlarge"), Some(0.192));
        let list = catalog.family_list(&windows, "m5");
        assert_eq!(list[0].spec.instance_type, "m5.large");
        assert!(list.windows(2).all(|w| w[0].usd_hour <= w[1].usd_hour));
        let cross = catalog.cross_family_list(&windows, "x86_64");
        assert!(cross.iter().all(|p| !p.spec.is_arm64() && !p.spec.burstable));
    }
}
