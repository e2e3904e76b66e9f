//! The library's top-level error, and how each kind maps to an exit code.

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::pricing::PriceError;
use crate::snapshot::SnapshotError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Price(#[from] PriceError),
    #[error(transparent)]
    Collect(#[from] crate::collectors::CollectError),
    /// An AWS offer file that cannot be read as one (malformed, truncated, another service).
    #[error(transparent)]
    Offer(#[from] crate::pricing::offer::OfferError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// Anything else that stops the run (a terminal that cannot be set up, …).
    #[error("{0}")]
    Other(String),
}

/// Exit codes (DESIGN §7).
pub mod exit {
    pub const OK: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
    pub const FAIL_ABOVE: u8 = 3;
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Snapshot(e) if e.is_bad_input() => exit::BAD_INPUT,
            Error::Config(_) | Error::Price(_) | Error::Usage(_) | Error::Offer(_) => exit::BAD_INPUT,
            Error::Collect(
                crate::collectors::CollectError::Credentials(_) | crate::collectors::CollectError::NoRegion,
            ) => exit::BAD_INPUT,
            _ => exit::ERROR,
        }
    }
}
