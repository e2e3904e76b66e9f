//! Count every AWS API call by `service:Operation` with an SDK interceptor, so the
//! manifest and the report can say what the analysis cost and what it touched.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

tokio::task_local! {
    /// The collector a task works for; calls made inside it are counted under it.
    pub static COLLECTOR: String;
}

/// Shared call counts: collector → `ec2:DescribeInstances` → n. Cloned handles share
/// the counts. The collector is the task-local [`COLLECTOR`] of the calling task, so
/// concurrent collectors sharing one client are still counted apart.
#[derive(Debug, Clone, Default)]
pub struct ApiCallCounter {
    counts: Arc<Mutex<BTreeMap<String, BTreeMap<String, u64>>>>,
}

impl ApiCallCounter {
    pub fn add(&self, key: &str, n: u64) {
        let collector = COLLECTOR.try_with(|c| c.clone()).unwrap_or_else(|_| "setup".to_string());
        if let Ok(mut counts) = self.counts.lock() {
            *counts.entry(collector).or_default().entry(key.to_string()).or_insert(0) += n;
        }
    }

    /// Counts of one collector.
    pub fn of(&self, collector: &str) -> BTreeMap<String, u64> {
        self.counts.lock().ok().and_then(|c| c.get(collector).cloned()).unwrap_or_default()
    }

    /// Every collector's counts.
    pub fn all(&self) -> BTreeMap<String, BTreeMap<String, u64>> {
        self.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Total per operation over every collector.
    pub fn totals(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for ops in self.all().values() {
            for (op, n) in ops {
                *out.entry(op.clone()).or_insert(0) += n;
            }
        }
        out
    }
}

/// IAM-style service prefix for an SDK service name.
pub fn service_prefix(sdk_service: &str) -> String {
    match sdk_service {
        "EC2" => "ec2".into(),
        "S3" => "s3".into(),
        "CloudWatch" => "cloudwatch".into(),
        "DynamoDB" => "dynamodb".into(),
        "Cost Explorer" => "ce".into(),
        "Application Auto Scaling" => "application-autoscaling".into(),
        "STS" => "sts".into(),
        "Auto Scaling" => "autoscaling".into(),
        other => other.to_ascii_lowercase().replace(' ', "-"),
    }
}

#[derive(Debug)]
pub struct CountingInterceptor {
    pub counter: ApiCallCounter,
}

impl Intercept for CountingInterceptor {
    fn name(&self) -> &'static str {
        "tierwise::ApiCallCounter"
    }

    /// Runs once per operation invocation (not per retry attempt), after the operation's
    /// config (which carries its `Metadata`) is in place — unlike `read_before_execution`,
    /// which a client-level interceptor sees before that.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(meta) = cfg.load::<Metadata>() {
            self.counter.add(&format!("{}:{}", service_prefix(meta.service()), meta.name()), 1);
        }
        Ok(())
    }
}
