//! EC2 instance-type specs (vCPU, memory, architecture, family), embedded from
//! `data/pricing/ec2_instance_types.csv` (moto's DescribeInstanceTypes data).

use std::collections::HashMap;

use crate::csv_text;

const INSTANCE_TYPES_CSV: &str = include_str!("../../data/pricing/ec2_instance_types.csv");

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
}

impl InstanceSpec {
    pub fn memory_gib(&self) -> f64 {
        self.memory_mib as f64 / 1024.0
    }

    pub fn is_arm64(&self) -> bool {
        self.architectures.iter().any(|a| a == "arm64")
    }
}

pub(super) fn embedded() -> HashMap<String, InstanceSpec> {
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
    }
}
