//! AWS's regional offer files, downloaded anonymously:
//! `<base>/offers/v1.0/aws/<OfferCode>/current/<region>/index.csv` (base
//! `https://pricing.us-east-1.amazonaws.com`, configurable so tests serve fixtures).
//! The body is streamed into the CSV importer on a blocking thread while it arrives:
//! the EC2 file of a region is hundreds of MB and is never held in memory.

use std::io::Read;
use std::path::PathBuf;

use tokio::sync::mpsc::{Receiver, channel};

use super::CollectError;
use crate::pricing::offer::{Imported, OfferError, import_reader};

/// The URL of an offer's current file for one region.
pub fn offer_url(base: &str, offer: &str, region: &str) -> String {
    format!("{}/offers/v1.0/aws/{offer}/current/{region}/index.csv", base.trim_end_matches('/'))
}

/// What one download gave.
#[derive(Debug)]
pub enum Download {
    Imported(Box<Imported>),
    /// AWS publishes no such file (the service is not offered in that region).
    NotPublished,
}

/// A `Read` over chunks arriving on a channel.
struct ChannelReader {
    rx: Receiver<Result<bytes::Bytes, String>>,
    chunk: bytes::Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("{url}: {detail}")]
    Http { url: String, detail: String },
    #[error(transparent)]
    Offer(#[from] OfferError),
}

impl From<DownloadError> for CollectError {
    fn from(e: DownloadError) -> CollectError {
        CollectError::Other(e.to_string())
    }
}

/// Download and import one offer file.
pub async fn download(
    client: &reqwest::Client,
    base: &str,
    offer: &str,
    region: &str,
) -> Result<Download, DownloadError> {
    let url = offer_url(base, offer, region);
    let http = |detail: String| DownloadError::Http { url: url.clone(), detail };
    let mut resp = client.get(&url).send().await.map_err(|e| http(format!("cannot download: {e}")))?;
    match resp.status().as_u16() {
        200 => {}
        403 | 404 => return Ok(Download::NotPublished),
        code => return Err(http(format!("HTTP {code}"))),
    }
    let (tx, rx) = channel::<Result<bytes::Bytes, String>>(16);
    let name = PathBuf::from(&url);
    let from = url.clone();
    let parser = tokio::task::spawn_blocking(move || {
        import_reader(&name, &from, ChannelReader { rx, chunk: bytes::Bytes::new() })
    });
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if tx.send(Ok(chunk)).await.is_err() {
                    break; // the parser stopped (an error in the file): its result says why
                }
            }
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Err(format!("download interrupted: {e}"))).await;
                break;
            }
        }
    }
    drop(tx);
    let imported = parser.await.map_err(|e| http(format!("import task failed: {e}")))??;
    Ok(Download::Imported(Box::new(imported)))
}

/// An HTTP client for the offer files: rustls with the system's roots.
pub fn client() -> Result<reqwest::Client, CollectError> {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .user_agent(concat!("tierwise/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CollectError::Other(format!("cannot build an HTTP client: {e}")))
}
