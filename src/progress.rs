//! Headless progress for live collection: one indicatif spinner per collector on
//! stderr when stderr is a terminal; silent otherwise (cron, CI, pipes).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::collectors::Progress;
use crate::snapshot::CollectorStatus;

pub struct StderrProgress {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Default for StderrProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl StderrProgress {
    pub fn new() -> StderrProgress {
        let multi =
            std::io::stderr().is_terminal().then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        StderrProgress { multi, bars: Mutex::new(HashMap::new()) }
    }

    pub fn update(&self, event: &Progress) {
        let Some(multi) = &self.multi else { return };
        let mut bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Progress::Started { collector } => {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {prefix:<24} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_prefix(collector.clone());
                bar.set_message("collecting…");
                bar.enable_steady_tick(Duration::from_millis(120));
                bars.insert(collector.clone(), bar);
            }
            Progress::Finished { collector, status, detail } => {
                if let Some(bar) = bars.remove(collector) {
                    let word = match status {
                        CollectorStatus::Ok => "ok".to_string(),
                        CollectorStatus::Partial => format!("partial: {}", detail.as_deref().unwrap_or_default()),
                        CollectorStatus::Failed => format!("failed: {}", detail.as_deref().unwrap_or_default()),
                    };
                    bar.finish_with_message(word);
                }
            }
        }
    }
}
