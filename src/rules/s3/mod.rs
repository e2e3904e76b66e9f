//! S3 rules: `s3.storage-class`, `s3.intelligent-tiering` and `s3.hygiene`.
//!
//! They read the same frames the same way (`view.rs`): bucket metadata
//! (`s3_buckets`), CloudWatch storage (`s3_storage_daily`), request metrics
//! (`s3_requests_daily`) and, when present, inventory (`s3_object_histogram`, or
//! `s3_objects` aggregated on the fly). The two tiering rules split buckets by access
//! (`access.rs`) so that a bucket gets at most one tiering finding.

mod access;
mod bucket;
mod charts;
mod classes;
pub mod hygiene;
pub mod intelligent_tiering;
mod inventory;
mod lifecycle;
mod plan;
mod storage;
pub mod storage_class;
mod storage_class_finding;
#[cfg(test)]
mod test_frames;
mod view;

pub use hygiene::Hygiene;
pub use intelligent_tiering::IntelligentTiering;
pub use storage_class::StorageClass;

use crate::rules::{Family, Param, ParamValue};

/// The tag marking archive buckets, shared by both tiering rules so they agree on who owns a bucket.
pub const ARCHIVE_TAG: Param = Param::new(
    "archive_tag",
    ParamValue::Text("archive=true"),
    "",
    "bucket tag (`key=value` or `key`) marking archives: s3.storage-class owns them even without request metrics \
     (reads are then assumed rare) and gives them `archive_access_sla_hours`; s3.intelligent-tiering leaves them alone",
);

pub static FAMILY: Family = Family {
    name: "s3",
    title: "S3 buckets",
    doc: "The three rules read each bucket once per run: metadata (`s3_buckets`), CloudWatch storage \
          (`s3_storage_daily`), request metrics (`s3_requests_daily`) and, when present, S3 Inventory \
          (`s3_object_histogram`, or `s3_objects` aggregated on the fly). The two tiering rules split buckets by \
          access: `s3.storage-class` owns cold buckets (and archive-tagged ones without request metrics), \
          `s3.intelligent-tiering` the rest, so a bucket gets at most one tiering finding. `s3.hygiene` prices \
          what no tiering covers: incomplete multipart uploads and noncurrent versions.",
    params: &[ARCHIVE_TAG],
    rules: &[&StorageClass, &IntelligentTiering, &Hygiene],
};
#[cfg(test)]
mod trust_tests;
