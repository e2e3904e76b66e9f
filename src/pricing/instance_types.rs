//! EC2 instance-type specs (vCPU, memory, architecture, family; GPUs, accelerators,
//! instance storage, baseline network, EFA; CPU credits of burstable types), embedded
//! from `data/pricing/ec2_instance_types.csv` and `ec2_instance_hardware.csv` (moto's
//! DescribeInstanceTypes data) and `data/ec2_burstable.csv` (AWS's credit table).

use std::collections::HashMap;

use crate::csv_text;

const INSTANCE_TYPES_CSV: &str = include_str!("../../data/pricing/ec2_instance_types.csv");
const HARDWARE_CSV: &str = include_str!("../../data/pricing/ec2_instance_hardware.csv");
const BURSTABLE_CSV: &str = include_str!("../../data/ec2_burstable.csv");

/// A device a workload may depend on: GPUs or accelerators (Inferentia, Trainium,
/// FPGAs, media accelerators).
#[derive(Debug, Clone, PartialEq)]
pub struct Devices {
    pub count: u32,
    /// `NVIDIA A10G`; several kinds are `;`-separated.
    pub name: String,
    /// Total device memory, MiB (0 when unknown).
    pub memory_mib: u64,
}

/// Local instance storage.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceStorage {
    pub total_gb: u64,
    /// `ssd`, `hdd` (`;`-separated when mixed).
    pub kind: String,
    pub nvme: bool,
}

/// What a type has besides vCPUs and memory (DescribeInstanceTypes' GpuInfo,
/// InferenceAcceleratorInfo/NeuronInfo/FpgaInfo/MediaAcceleratorInfo,
/// InstanceStorageInfo, NetworkInfo). `None`/false when the type has none — or, for
/// types known only from a snapshot without these columns, when it is not known
/// (`known` is false then, and targets keep to the same family).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hardware {
    pub known: bool,
    /// Sustained network bandwidth, Gbit/s, all cards (not the "Up to" burst).
    pub baseline_gbps: Option<f64>,
    pub efa: bool,
    pub gpus: Option<Devices>,
    pub accelerators: Option<Devices>,
    pub storage: Option<InstanceStorage>,
}

/// CPU credits of a burstable (T) type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burst {
    pub credits_per_hour: f64,
    /// Baseline utilisation per vCPU, percent: the CPU it can sustain without spending credits.
    pub baseline_pct: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceSpec {
    pub instance_type: String,
    pub family: String,
    pub vcpus: u32,
    pub memory_mib: u64,
    /// `x86_64`, `arm64`, `i386` as listed by DescribeInstanceTypes.
    pub architectures: Vec<String>,
    pub network_performance: String,
    pub burstable: bool,
    /// An AWS Graviton (arm64) type.
    pub graviton: bool,
    pub hardware: Hardware,
    /// CPU credits, for burstable types whose earn rate is known.
    pub burst: Option<Burst>,
}

impl InstanceSpec {
    pub fn memory_gib(&self) -> f64 {
        self.memory_mib as f64 / 1024.0
    }

    pub fn is_arm64(&self) -> bool {
        self.architectures.iter().any(|a| a == "arm64")
    }

    /// vCPUs this type sustains at its baseline: all of them, or for a burstable type
    /// vCPUs × baseline % (a t3.large sustains 2 × 30 % = 0.6 vCPU).
    pub fn sustained_vcpus(&self) -> Option<f64> {
        match (self.burstable, self.burst) {
            (false, _) => Some(self.vcpus as f64),
            (true, Some(b)) => Some(self.vcpus as f64 * b.baseline_pct / 100.0),
            (true, None) => None,
        }
    }
}

fn parse_hardware(r: &[String]) -> Option<(String, Hardware)> {
    let f = |i: usize| r.get(i).map(|v| v.trim()).filter(|v| !v.is_empty());
    let num = |i: usize| f(i).and_then(|v| v.parse::<f64>().ok());
    let devices = |count: usize, name: usize, memory: Option<usize>| {
        let c = num(count)? as u32;
        Some(Devices {
            count: c,
            name: f(name).unwrap_or_default().to_string(),
            memory_mib: memory.and_then(num).unwrap_or(0.0) as u64,
        })
    };
    // instance_type,baseline_gbps,peak_gbps,efa,gpu_count,gpu_name,gpu_memory_mib,
    // accelerator_count,accelerator_name,storage_gb,storage_type,storage_nvme
    Some((
        f(0)?.to_string(),
        Hardware {
            known: true,
            baseline_gbps: num(1),
            efa: f(3) == Some("true"),
            gpus: devices(4, 5, Some(6)),
            accelerators: devices(7, 8, None),
            storage: num(9).map(|gb| InstanceStorage {
                total_gb: gb as u64,
                kind: f(10).unwrap_or_default().to_string(),
                nvme: f(11) == Some("true"),
            }),
        },
    ))
}

/// The embedded hardware table (by instance type).
pub fn embedded_hardware() -> HashMap<String, Hardware> {
    csv_text::parse(HARDWARE_CSV).iter().skip(1).filter_map(|r| parse_hardware(r)).collect()
}

/// The embedded CPU-credit table (by instance type).
pub fn embedded_bursts() -> HashMap<String, Burst> {
    // instance_type,credits_per_hour,vcpus,baseline_pct_per_vcpu,source
    csv_text::parse(BURSTABLE_CSV)
        .iter()
        .skip(1)
        .filter_map(|r| {
            let credits_per_hour = r.get(1)?.parse().ok()?;
            let baseline_pct = r.get(3)?.parse().ok()?;
            Some((r.first()?.clone(), Burst { credits_per_hour, baseline_pct }))
        })
        .collect()
}

/// Instance specs from a snapshot's `ec2_instance_types` frame (DescribeInstanceTypes,
/// one row per type). Hardware comes from the row when it reports it, else from the
/// embedded table for types it knows; otherwise it is unknown (`known` false).
pub fn specs_from_frame(df: &polars::prelude::DataFrame) -> Vec<InstanceSpec> {
    let str_col = |name: &str| df.column(name).ok().and_then(|c| c.str().ok());
    let i64_col = |name: &str| df.column(name).ok().and_then(|c| c.i64().ok());
    let f64_col = |name: &str| df.column(name).ok().and_then(|c| c.f64().ok());
    let bool_col = |name: &str| df.column(name).ok().and_then(|c| c.bool().ok());
    let (Some(types), Some(vcpus), Some(mem), Some(arch), Some(net), Some(burst)) = (
        str_col("instance_type"),
        i64_col("vcpus"),
        i64_col("memory_mib"),
        str_col("architectures"),
        str_col("network_performance"),
        bool_col("burstable"),
    ) else {
        return Vec::new();
    };
    let embedded_hw = embedded_hardware();
    let bursts = embedded_bursts();
    let reported = bool_col("hardware_reported");
    let (baseline, efa) = (f64_col("baseline_gbps"), bool_col("efa_supported"));
    let (gpu_count, gpu_name, gpu_mem) = (i64_col("gpu_count"), str_col("gpu_name"), i64_col("gpu_memory_mib"));
    let (acc_count, acc_name) = (i64_col("accelerator_count"), str_col("accelerator_name"));
    let (store_gb, store_kind, store_nvme) =
        (i64_col("instance_storage_gb"), str_col("instance_storage_type"), bool_col("instance_storage_nvme"));
    (0..df.height())
        .filter_map(|i| {
            let instance_type = types.get(i)?.to_string();
            let architectures: Vec<String> = arch.get(i)?.split(';').map(str::to_string).collect();
            let hardware = if reported.and_then(|c| c.get(i)) == Some(true) {
                let devices = |count: Option<i64>, name: Option<&str>, memory: Option<i64>| {
                    count.filter(|c| *c > 0).map(|c| Devices {
                        count: c as u32,
                        name: name.unwrap_or_default().to_string(),
                        memory_mib: memory.unwrap_or(0).max(0) as u64,
                    })
                };
                Hardware {
                    known: true,
                    baseline_gbps: baseline.and_then(|c| c.get(i)),
                    efa: efa.and_then(|c| c.get(i)).unwrap_or(false),
                    gpus: devices(
                        gpu_count.and_then(|c| c.get(i)),
                        gpu_name.and_then(|c| c.get(i)),
                        gpu_mem.and_then(|c| c.get(i)),
                    ),
                    accelerators: devices(acc_count.and_then(|c| c.get(i)), acc_name.and_then(|c| c.get(i)), None),
                    storage: store_gb.and_then(|c| c.get(i)).filter(|g| *g > 0).map(|gb| InstanceStorage {
                        total_gb: gb as u64,
                        kind: store_kind.and_then(|c| c.get(i)).unwrap_or_default().to_string(),
                        nvme: store_nvme.and_then(|c| c.get(i)).unwrap_or(false),
                    }),
                }
            } else {
                embedded_hw.get(&instance_type).cloned().unwrap_or_default()
            };
            Some(InstanceSpec {
                family: instance_type.split('.').next().unwrap_or_default().to_string(),
                vcpus: u32::try_from(vcpus.get(i)?).ok()?,
                memory_mib: u64::try_from(mem.get(i)?).ok()?,
                network_performance: net.get(i)?.to_string(),
                burstable: burst.get(i)?,
                // Every arm64 EC2 type is an AWS Graviton type.
                graviton: architectures.iter().any(|a| a == "arm64"),
                architectures,
                hardware,
                burst: bursts.get(&instance_type).copied(),
                instance_type,
            })
        })
        .collect()
}

pub(super) fn embedded() -> HashMap<String, InstanceSpec> {
    let hardware = embedded_hardware();
    let bursts = embedded_bursts();
    let rows = csv_text::parse(INSTANCE_TYPES_CSV);
    // instance_type,family,generation,vcpus,memory_mib,architecture,processor,
    // network_performance,burstable,processor_manufacturer
    rows.iter()
        .skip(1)
        .filter(|r| r.len() >= 10)
        .filter_map(|r| {
            Some(InstanceSpec {
                instance_type: r[0].clone(),
                family: r[1].clone(),
                vcpus: r[3].parse().ok()?,
                memory_mib: r[4].parse().ok()?,
                architectures: r[5].split(';').map(str::to_string).collect(),
                network_performance: r[7].clone(),
                burstable: r[8] == "true",
                graviton: r[9] == "AWS",
                hardware: hardware.get(&r[0]).cloned().unwrap_or_default(),
                burst: bursts.get(&r[0]).copied(),
            })
        })
        .map(|s| (s.instance_type.clone(), s))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn specs_are_embedded() {
        let specs = super::embedded();
        assert_eq!(specs.len(), 1263);
        let m5 = &specs["m5.2xlarge"];
        assert_eq!((m5.vcpus, m5.memory_mib, m5.graviton), (8, 32768, false));
        assert!(specs["m7g.large"].graviton && specs["m7g.large"].is_arm64());
        let g5 = &specs["g5.xlarge"].hardware;
        assert_eq!(g5.gpus.as_ref().map(|g| (g.count, g.name.as_str())), Some((1, "NVIDIA A10G")));
        assert_eq!(g5.storage.as_ref().map(|s| (s.total_gb, s.kind.as_str(), s.nvme)), Some((250, "ssd", true)));
        // m5.large: "Up to 10 Gigabit" is the burst; its baseline is 0.75 Gbit/s.
        assert_eq!(specs["m5.large"].hardware.baseline_gbps, Some(0.75));
        assert!(specs["p4d.24xlarge"].hardware.efa);
        assert_eq!(specs["d2.xlarge"].hardware.storage.as_ref().map(|s| s.kind.as_str()), Some("hdd"));
        assert!(specs["inf2.xlarge"].hardware.accelerators.is_some());
        // t3.large sustains 2 vCPU × 30 % = 0.6 vCPU; t3.micro 2 × 10 % = 0.2.
        assert_eq!(specs["t3.large"].sustained_vcpus(), Some(0.6));
        assert!((specs["t3.micro"].sustained_vcpus().unwrap() - 0.2).abs() < 1e-12);
        assert_eq!(specs["m5.large"].sustained_vcpus(), Some(2.0));
        // Every burstable type in the catalog's T families has its credit rate.
        for (name, spec) in &specs {
            if spec.burstable && ["t2", "t3", "t3a", "t4g"].contains(&spec.family.as_str()) {
                assert!(spec.burst.is_some(), "{name} has no credit rate");
            }
        }
    }
}
