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
