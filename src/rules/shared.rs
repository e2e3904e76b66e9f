//! Work shared by the rules of one run: a family computes its per-resource analysis
//! once per report (the first rule to ask computes it, the others wait for it), and
//! each rule picks its findings from it. The cache lives as long as one `run_rules`
//! call, so two reports never see each other's analysis.
//!
//! A shared analysis may depend on the snapshot, the prices and its family's shared
//! parameters — never on one rule's own parameters, since whichever rule asks first
//! computes it.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::RuleError;

type Slot = Arc<OnceLock<Result<Arc<dyn Any + Send + Sync>, String>>>;

/// One run's shared analyses, keyed by their type.
#[derive(Default)]
pub struct Shared {
    slots: Mutex<HashMap<TypeId, Slot>>,
}

impl Shared {
    /// The analysis of type `T`, computed by `compute` on first use.
    pub fn get_or_compute<T: Any + Send + Sync>(
        &self,
        compute: impl FnOnce() -> Result<T, RuleError>,
    ) -> Result<Arc<T>, RuleError> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(slots.entry(TypeId::of::<T>()).or_default())
        };
        // Waiting here while another rule computes is the point: the work is done once.
        let value = slot
            .get_or_init(|| compute().map(|v| Arc::new(v) as Arc<dyn Any + Send + Sync>).map_err(|e| e.to_string()));
        match value {
            Ok(any) => Arc::clone(any)
                .downcast::<T>()
                .map_err(|_| RuleError::Data("internal error: a shared analysis has the wrong type".into())),
            Err(message) => Err(RuleError::Data(format!("shared analysis failed: {message}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn computed_once_for_concurrent_callers() {
        let shared = Shared::default();
        let runs = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let v = shared
                        .get_or_compute(|| {
                            runs.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            Ok(41_u64 + 1)
                        })
                        .unwrap();
                    assert_eq!(*v, 42);
                });
            }
        });
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // Another type is another slot.
        assert_eq!(*shared.get_or_compute(|| Ok("x".to_string())).unwrap(), "x");
    }

    #[test]
    fn a_failure_is_shared_too() {
        let shared = Shared::default();
        let first = shared.get_or_compute::<u8>(|| Err(RuleError::Data("no frame".into())));
        let second = shared.get_or_compute::<u8>(|| Ok(1));
        assert!(first.unwrap_err().to_string().contains("no frame"));
        assert!(second.unwrap_err().to_string().contains("no frame"), "a failed analysis is not recomputed");
    }
}
