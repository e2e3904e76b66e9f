//! AWS access: the standard credential chain (env, profiles, SSO, IMDS, assume-role),
//! `AWS_ENDPOINT_URL` for every client, tuned retries, an API-call counter on every
//! client, and one client per (service, region) — never built twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{Region, SdkConfig};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

use super::CollectError;
use super::api_calls::{ApiCallCounter, CountingInterceptor};

/// How hard to retry throttling and 5xx answers (the SDK's standard mode: exponential
/// backoff with full jitter).
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Timeout of one attempt of one call.
    pub attempt_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            attempt_timeout: Duration::from_secs(60),
        }
    }
}

/// Shared AWS configuration and the client cache.
pub struct AwsContext {
    sdk: SdkConfig,
    pub counter: ApiCallCounter,
    endpoint_set: bool,
    ec2: Mutex<HashMap<String, aws_sdk_ec2::Client>>,
    s3: Mutex<HashMap<String, aws_sdk_s3::Client>>,
    cloudwatch: Mutex<HashMap<String, aws_sdk_cloudwatch::Client>>,
    dynamodb: Mutex<HashMap<String, aws_sdk_dynamodb::Client>>,
    backup: Mutex<HashMap<String, aws_sdk_backup::Client>>,
    rds: Mutex<HashMap<String, aws_sdk_rds::Client>>,
    drs: Mutex<HashMap<String, aws_sdk_drs::Client>>,
    autoscaling: Mutex<HashMap<String, aws_sdk_autoscaling::Client>>,
    app_autoscaling: Mutex<HashMap<String, aws_sdk_applicationautoscaling::Client>>,
    eks: Mutex<HashMap<String, aws_sdk_eks::Client>>,
    ce: Mutex<Option<aws_sdk_costexplorer::Client>>,
    pricing: Mutex<Option<aws_sdk_pricing::Client>>,
}

fn http_client() -> SharedHttpClient {
    use aws_smithy_http_client::{Builder, tls};
    Builder::new().tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring)).build_https()
}

impl AwsContext {
    /// Load the standard chain for `profile` and check, within a few seconds, that
    /// credentials exist — so a machine without any never hangs on IMDS.
    pub async fn load(profile: Option<&str>, retry: &RetryPolicy) -> Result<AwsContext, CollectError> {
        let http = http_client();
        let provider_config = ProviderConfig::default().with_http_client(http.clone());
        let imds = aws_config::imds::Client::builder()
            .configure(&provider_config)
            .max_attempts(1)
            .connect_timeout(Duration::from_millis(800))
            .read_timeout(Duration::from_millis(800))
            .build();
        let mut chain = DefaultCredentialsChain::builder().configure(provider_config).imds_client(imds);
        if let Some(p) = profile {
            chain = chain.profile_name(p);
        }
        let chain = chain.build().await;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .credentials_provider(chain)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(retry.max_attempts)
                    .with_initial_backoff(retry.initial_backoff)
                    .with_max_backoff(retry.max_backoff),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(retry.attempt_timeout)
                    .build(),
            );
        if let Some(p) = profile {
            loader = loader.profile_name(p);
        }
        let sdk = loader.load().await;
        check_credentials(&sdk).await?;
        // AWS_ENDPOINT_URL(_S3) is applied per client, not visible on the SdkConfig.
        let endpoint_set = sdk.endpoint_url().is_some()
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        Ok(AwsContext {
            sdk,
            counter: ApiCallCounter::default(),
            endpoint_set,
            ec2: Mutex::default(),
            s3: Mutex::default(),
            cloudwatch: Mutex::default(),
            dynamodb: Mutex::default(),
            backup: Mutex::default(),
            rds: Mutex::default(),
            drs: Mutex::default(),
            autoscaling: Mutex::default(),
            app_autoscaling: Mutex::default(),
            eks: Mutex::default(),
            ce: Mutex::default(),
            pricing: Mutex::default(),
        })
    }

    /// The profile's default region, if any.
    pub fn default_region(&self) -> Option<String> {
        self.sdk.region().map(|r| r.to_string())
    }

    fn interceptor(&self) -> CountingInterceptor {
        CountingInterceptor { counter: self.counter.clone() }
    }

    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        cached(&self.ec2, region, || {
            let conf = aws_sdk_ec2::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_ec2::Client::from_conf(conf)
        })
    }

    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        cached(&self.s3, region, || {
            let conf = aws_sdk_s3::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                // A custom endpoint (moto, MinIO, LocalStack) serves buckets by path.
                .force_path_style(self.endpoint_set)
                .interceptor(self.interceptor())
                .build();
            aws_sdk_s3::Client::from_conf(conf)
        })
    }

    pub fn cloudwatch(&self, region: &str) -> aws_sdk_cloudwatch::Client {
        cached(&self.cloudwatch, region, || {
            let conf = aws_sdk_cloudwatch::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_cloudwatch::Client::from_conf(conf)
        })
    }

    pub fn dynamodb(&self, region: &str) -> aws_sdk_dynamodb::Client {
        cached(&self.dynamodb, region, || {
            let conf = aws_sdk_dynamodb::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_dynamodb::Client::from_conf(conf)
        })
    }

    pub fn backup(&self, region: &str) -> aws_sdk_backup::Client {
        cached(&self.backup, region, || {
            let conf = aws_sdk_backup::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_backup::Client::from_conf(conf)
        })
    }

    pub fn rds(&self, region: &str) -> aws_sdk_rds::Client {
        cached(&self.rds, region, || {
            let conf = aws_sdk_rds::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_rds::Client::from_conf(conf)
        })
    }

    pub fn drs(&self, region: &str) -> aws_sdk_drs::Client {
        cached(&self.drs, region, || {
            let conf = aws_sdk_drs::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_drs::Client::from_conf(conf)
        })
    }

    pub fn autoscaling(&self, region: &str) -> aws_sdk_autoscaling::Client {
        cached(&self.autoscaling, region, || {
            let conf = aws_sdk_autoscaling::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_autoscaling::Client::from_conf(conf)
        })
    }

    /// Application Auto Scaling (DynamoDB scalable targets and policies).
    pub fn application_autoscaling(&self, region: &str) -> aws_sdk_applicationautoscaling::Client {
        cached(&self.app_autoscaling, region, || {
            let conf = aws_sdk_applicationautoscaling::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_applicationautoscaling::Client::from_conf(conf)
        })
    }

    pub fn eks(&self, region: &str) -> aws_sdk_eks::Client {
        cached(&self.eks, region, || {
            let conf = aws_sdk_eks::config::Builder::from(&self.sdk)
                .region(Region::new(region.to_string()))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_eks::Client::from_conf(conf)
        })
    }

    /// Cost Explorer is global, served from us-east-1.
    pub fn cost_explorer(&self) -> aws_sdk_costexplorer::Client {
        let mut slot = self.ce.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| {
            let conf = aws_sdk_costexplorer::config::Builder::from(&self.sdk)
                .region(Region::new("us-east-1"))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_costexplorer::Client::from_conf(conf)
        })
        .clone()
    }

    /// The Price List API is served from us-east-1 (also ap-south-1, eu-central-1).
    pub fn pricing(&self) -> aws_sdk_pricing::Client {
        let mut slot = self.pricing.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| {
            let conf = aws_sdk_pricing::config::Builder::from(&self.sdk)
                .region(Region::new("us-east-1"))
                .interceptor(self.interceptor())
                .build();
            aws_sdk_pricing::Client::from_conf(conf)
        })
        .clone()
    }

    pub fn sts(&self) -> aws_sdk_sts::Client {
        let conf = aws_sdk_sts::config::Builder::from(&self.sdk).interceptor(self.interceptor()).build();
        aws_sdk_sts::Client::from_conf(conf)
    }
}

fn cached<C: Clone>(cache: &Mutex<HashMap<String, C>>, region: &str, make: impl FnOnce() -> C) -> C {
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(region.to_string()).or_insert_with(make).clone()
}

const NO_CREDENTIALS_HELP: &str = "no AWS credentials found. Provide them the usual way — \
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, `--profile NAME` (or AWS_PROFILE) from ~/.aws/config, \
`aws sso login --profile NAME`, or an instance role — or analyse without AWS: \
`--demo` (synthetic account) or `--snapshot DIR` (a saved snapshot)";

async fn check_credentials(sdk: &SdkConfig) -> Result<(), CollectError> {
    use aws_credential_types::provider::ProvideCredentials;
    let Some(provider) = sdk.credentials_provider() else {
        return Err(CollectError::Credentials(NO_CREDENTIALS_HELP.into()));
    };
    match tokio::time::timeout(Duration::from_secs(4), provider.provide_credentials()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(CollectError::Credentials(format!("{NO_CREDENTIALS_HELP} ({e})"))),
        Err(_) => Err(CollectError::Credentials(format!("{NO_CREDENTIALS_HELP} (timed out looking for them)"))),
    }
}
