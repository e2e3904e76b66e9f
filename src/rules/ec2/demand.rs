//! Demand: what an instance uses and what a target must provide — CPU with headroom,
//! memory (measured, or at least the current amount when it is not), sustained CPU
//! within a burstable target's baseline, network within the baseline bandwidth, and
//! the hardware the workload may depend on (GPUs, accelerators, instance storage, EFA).

use crate::pricing::InstanceSpec;

use super::catalog::network_gbps;
use super::settings::Sizing;
use super::stats::Usage;

/// Memory sizes within 3 % count as equal (r4.large's 15.25 GiB vs r6i.large's 16 GiB).
pub const EQUAL_MEMORY_TOLERANCE: f64 = 0.97;

/// What the current instance uses, and what a target must provide.
#[derive(Debug, Clone)]
pub struct Demand {
    pub vcpus: f64,
    pub memory_gib: f64,
    /// CPU at the chosen statistic, percent of the current vCPUs.
    pub cpu_pct: f64,
    /// Mean CPU over the window, percent of the current vCPUs.
    pub cpu_mean_pct: f64,
    pub memory_pct: Option<f64>,
    /// Busiest hour's average rate, in + out, Gbit/s.
    pub network_gbps: f64,
    pub vcpus_needed: f64,
    /// Mean vCPUs in use, with headroom: what a burstable target's baseline must sustain.
    pub sustained_vcpus_needed: f64,
    pub memory_needed_gib: Option<f64>,
    pub network_needed_gbps: f64,
    /// The current type's hardware, which a target must keep.
    pub current: InstanceSpec,
}

/// What a candidate lacks.
#[derive(Debug, Clone, PartialEq)]
pub enum Misfit {
    Vcpu,
    Memory,
    /// Memory is not measured and the candidate has less memory than now.
    MemoryUnmeasured,
    Network,
    /// A burstable candidate whose baseline cannot sustain the mean CPU (or whose credit
    /// rate is unknown).
    Baseline,
    /// The candidate lacks hardware the current type has (the reason in words).
    Hardware(String),
    /// Not like-for-like: fewer vCPUs than now.
    SmallerVcpu,
    /// Not like-for-like: less memory than now.
    SmallerMemory,
}

impl Demand {
    pub fn new(spec: &InstanceSpec, usage: &Usage, sizing: &Sizing) -> Demand {
        let vcpus = spec.vcpus as f64;
        let memory_gib = spec.memory_gib();
        let cpu_pct = usage.cpu_at(sizing.cpu_statistic);
        let peak_gbps = usage.net_peak_bytes_per_s * 8.0 / 1e9;
        Demand {
            vcpus,
            memory_gib,
            cpu_pct,
            cpu_mean_pct: usage.cpu_mean,
            memory_pct: usage.mem_p995,
            network_gbps: peak_gbps,
            vcpus_needed: vcpus * cpu_pct / sizing.cpu_ceiling_pct(),
            sustained_vcpus_needed: vcpus * usage.cpu_mean / sizing.cpu_ceiling_pct(),
            memory_needed_gib: usage.mem_p995.map(|m| memory_gib * m / sizing.memory_ceiling_pct()),
            network_needed_gbps: peak_gbps * 100.0 / sizing.network_ceiling_pct(),
            current: spec.clone(),
        }
    }

    /// Which resource `spec` lacks to carry the demand with headroom; `None` when it fits.
    pub fn misfit(&self, spec: &InstanceSpec) -> Option<Misfit> {
        if (spec.vcpus as f64) + 1e-9 < self.vcpus_needed {
            return Some(Misfit::Vcpu);
        }
        match self.memory_needed_gib {
            Some(needed) if spec.memory_gib() + 1e-9 < needed => return Some(Misfit::Memory),
            // Unmeasured memory never shrinks (a memory-richer type with fewer vCPUs is fine).
            None if spec.memory_gib() < self.memory_gib * EQUAL_MEMORY_TOLERANCE => {
                return Some(Misfit::MemoryUnmeasured);
            }
            _ => {}
        }
        self.common_misfit(spec, false)
    }

    /// At least the current vCPUs and memory (and enough network, the same hardware): a
    /// like-for-like move.
    pub fn unlike(&self, spec: &InstanceSpec) -> Option<Misfit> {
        if (spec.vcpus as f64) < self.vcpus {
            return Some(Misfit::SmallerVcpu);
        }
        if spec.memory_gib() < self.memory_gib * EQUAL_MEMORY_TOLERANCE {
            return Some(Misfit::SmallerMemory);
        }
        self.common_misfit(spec, true)
    }

    /// What every target must satisfy: burstable baseline, network, hardware. A burstable
    /// target's baseline must sustain the mean CPU with headroom — or, for a like-for-like
    /// move, at least match the current burstable type's baseline (t2.medium → t3.medium:
    /// the same 20 % per vCPU, so the workload spends credits as it does now).
    fn common_misfit(&self, spec: &InstanceSpec, like_for_like: bool) -> Option<Misfit> {
        if spec.burstable {
            let current = self.current.sustained_vcpus().filter(|_| self.current.burstable && like_for_like);
            let ok = spec
                .sustained_vcpus()
                .is_some_and(|s| s + 1e-9 >= self.sustained_vcpus_needed || current.is_some_and(|c| s + 1e-9 >= c));
            if !ok {
                return Some(Misfit::Baseline);
            }
        }
        if network_gbps(spec) + 1e-12 < self.network_needed_gbps {
            return Some(Misfit::Network);
        }
        keeps_hardware(&self.current, spec).err().map(Misfit::Hardware)
    }

    /// The reason, in words, for the evidence.
    pub fn explain(&self, spec: &InstanceSpec, why: &Misfit) -> String {
        let mem = spec.memory_gib();
        match why {
            Misfit::Vcpu => format!("{} vCPU < {:.2} needed", spec.vcpus, self.vcpus_needed),
            Misfit::Memory => format!("{mem:.1} GiB memory < {:.1} GiB needed", self.memory_needed_gib.unwrap_or(0.0)),
            Misfit::MemoryUnmeasured => {
                format!(
                    "{mem:.1} GiB < {:.1} GiB now (memory is not measured, so it is never reduced)",
                    self.memory_gib
                )
            }
            Misfit::Network => format!(
                "baseline network {} Gbit/s < {:.2} Gbit/s needed",
                network_gbps(spec),
                self.network_needed_gbps
            ),
            Misfit::Baseline => match spec.sustained_vcpus() {
                Some(s) => format!(
                    "burstable baseline {} vCPU × {:.0} % = {s:.2} vCPU < {:.2} vCPU sustained (mean {:.1} % of {} \
                     vCPU, with headroom); above it the instance spends credits — surplus credits are not in the \
                     price book, so this target is not offered",
                    spec.vcpus,
                    s / spec.vcpus as f64 * 100.0,
                    self.sustained_vcpus_needed,
                    self.cpu_mean_pct,
                    self.vcpus
                ),
                None => "burstable type whose CPU credit rate is not known".into(),
            },
            Misfit::Hardware(reason) => reason.clone(),
            Misfit::SmallerVcpu => format!("{} vCPU < {} now", spec.vcpus, self.vcpus),
            Misfit::SmallerMemory => format!("{mem:.1} GiB < {:.1} GiB now", self.memory_gib),
        }
    }

    pub fn smaller(&self, spec: &InstanceSpec) -> bool {
        (spec.vcpus as f64) < self.vcpus || spec.memory_gib() < self.memory_gib * EQUAL_MEMORY_TOLERANCE
    }

    /// Projected utilisation on `spec`: (CPU %, memory % when measured, network % of baseline bandwidth).
    pub fn projected(&self, spec: &InstanceSpec) -> (f64, Option<f64>, f64) {
        let cpu = self.cpu_pct * self.vcpus / spec.vcpus as f64;
        let mem = self.memory_pct.map(|m| m * self.memory_gib / spec.memory_gib());
        let net = 100.0 * self.network_gbps / network_gbps(spec).max(1e-9);
        (cpu, mem, net)
    }

    /// Mean CPU as a share of a burstable target's baseline, percent (None when not burstable).
    pub fn baseline_use_pct(&self, spec: &InstanceSpec) -> Option<f64> {
        let sustained = spec.sustained_vcpus().filter(|_| spec.burstable)?;
        Some(100.0 * self.vcpus * self.cpu_mean_pct / 100.0 / sustained.max(1e-9))
    }

    /// Compute Optimizer-style performance risk 0–4: the maximum over CPU, memory,
    /// network and (for burstable targets) the baseline of how close the target runs to full.
    pub fn performance_risk(&self, spec: &InstanceSpec) -> u8 {
        let bucket = |u: f64| match u {
            u if u < 40.0 => 0,
            u if u < 60.0 => 1,
            u if u < 75.0 => 2,
            u if u < 90.0 => 3,
            _ => 4,
        };
        let (cpu, mem, net) = self.projected(spec);
        let mem_risk = mem.map(bucket).unwrap_or(0);
        let baseline_risk = self.baseline_use_pct(spec).map(bucket).unwrap_or(0);
        bucket(cpu).max(mem_risk).max(bucket(net)).max(baseline_risk)
    }
}

/// Whether `target` keeps what a workload on `current` may depend on: GPUs and
/// accelerators (kind and count), instance storage (kind, NVMe, size), EFA. Unknown
/// hardware on either side passes only within the same family.
pub fn keeps_hardware(current: &InstanceSpec, target: &InstanceSpec) -> Result<(), String> {
    let (c, t) = (&current.hardware, &target.hardware);
    if !c.known || !t.known {
        return if current.family == target.family {
            Ok(())
        } else {
            Err(format!(
                "hardware of {} not known (no GPU/storage data): only its own family is considered",
                if c.known { &target.instance_type } else { &current.instance_type }
            ))
        };
    }
    let devices =
        |what: &str, now: &Option<crate::pricing::Devices>, then: &Option<crate::pricing::Devices>| match (now, then) {
            (None, _) => Ok(()),
            (Some(n), None) => Err(format!("no {what} ({} × {} now)", n.count, n.name)),
            (Some(n), Some(m)) if m.name != n.name => Err(format!("{what} {} instead of {}", m.name, n.name)),
            (Some(n), Some(m)) if m.count < n.count => Err(format!("{} {what}(s) < {} now", m.count, n.count)),
            (Some(n), Some(m)) if m.memory_mib < n.memory_mib => {
                Err(format!("{what} memory {} MiB < {} MiB now", m.memory_mib, n.memory_mib))
            }
            _ => Ok(()),
        };
    devices("GPU", &c.gpus, &t.gpus)?;
    devices("accelerator", &c.accelerators, &t.accelerators)?;
    if let Some(now) = &c.storage {
        match &t.storage {
            None => return Err(format!("no instance storage ({} GB {} now)", now.total_gb, now.kind)),
            Some(s) if s.kind != now.kind => {
                return Err(format!("{} instance storage instead of {}", s.kind, now.kind));
            }
            Some(s) if now.nvme && !s.nvme => return Err("instance storage is not NVMe".into()),
            Some(s) if s.total_gb < now.total_gb => {
                return Err(format!("{} GB instance storage < {} GB now", s.total_gb, now.total_gb));
            }
            _ => {}
        }
    }
    if c.efa && !t.efa {
        return Err("no EFA (Elastic Fabric Adapter), which the current type supports".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::PriceBook;

    #[test]
    fn hardware_is_kept() {
        let book = PriceBook::embedded();
        let spec = |t: &str| book.instance(t).expect("spec").as_ref().clone();
        // A GPU instance never moves to a type without its GPU.
        assert!(keeps_hardware(&spec("g5.xlarge"), &spec("m7a.medium")).unwrap_err().contains("no GPU"));
        assert!(keeps_hardware(&spec("g5.12xlarge"), &spec("g5.4xlarge")).unwrap_err().contains("GPU"));
        assert!(keeps_hardware(&spec("g5.xlarge"), &spec("g5.2xlarge")).is_ok());
        // Local NVMe, HDD, size.
        assert!(keeps_hardware(&spec("m5d.large"), &spec("m5.large")).unwrap_err().contains("no instance storage"));
        assert!(keeps_hardware(&spec("d2.xlarge"), &spec("i3.xlarge")).unwrap_err().contains("ssd instance storage"));
        assert!(keeps_hardware(&spec("i3.2xlarge"), &spec("i3.xlarge")).unwrap_err().contains("GB instance storage"));
        assert!(keeps_hardware(&spec("p4d.24xlarge"), &spec("p4d.24xlarge")).is_ok());
        assert!(keeps_hardware(&spec("inf2.xlarge"), &spec("c7g.large")).unwrap_err().contains("accelerator"));
        // Plain types keep nothing special.
        assert!(keeps_hardware(&spec("m5.2xlarge"), &spec("c7i.large")).is_ok());
    }
}
