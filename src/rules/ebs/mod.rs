//! EBS rules: `ebs.gp2-to-gp3` and `ebs.unattached`.

mod gp2_to_gp3;
mod unattached;
mod volume;

#[cfg(test)]
mod tests;

pub use gp2_to_gp3::Gp2ToGp3;
pub use unattached::UnattachedVolume;

use super::Family;

pub static FAMILY: Family = Family {
    name: "ebs",
    title: "EBS volumes",
    doc: "Each volume gets at most one finding: attached gp2 volumes belong to `ebs.gp2-to-gp3`, detached \
          volumes of any type to `ebs.unattached`. Volumes are priced as configured (size, provisioned IOPS and \
          throughput) from the price book.",
    params: &[],
    rules: &[&Gp2ToGp3, &UnattachedVolume],
};
