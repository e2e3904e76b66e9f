//! Getting prices from AWS: GetProducts with aws-smithy-mocks (answers in the documented
//! shape, `PriceList` holding JSON *strings*, paginated), the anonymous offer-file
//! download against a local HTTP server serving the fixtures, and `report --live`
//! refreshing a stale cache (moto for the account, the local server for the prices).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_pricing::Client;
use aws_sdk_pricing::operation::get_products::GetProductsOutput;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use tierwise::collectors::price_list;

use crate::common::*;
use crate::moto;

fn client(rules: &[&Rule]) -> Client {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    let conf = aws_sdk_pricing::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(create_mock_http_client())
        .interceptor(interceptor)
        .build();
    Client::from_conf(conf)
}

/// One GetProducts element, as AWS sends it: a product with its terms, as a JSON string.
fn element(sku: &str, usage: &str, os: &str, op: &str, capacity: &str, price: &str) -> String {
    serde_json::json!({
        "product": { "productFamily": "Compute Instance", "sku": sku, "attributes": {
            "regionCode": "ap-northeast-2", "location": "Asia Pacific (Seoul)", "locationType": "AWS Region",
            "instanceType": "m5.large", "tenancy": "Shared", "operatingSystem": os, "licenseModel": "No License required",
            "preInstalledSw": "NA", "capacitystatus": capacity, "marketoption": "OnDemand", "usagetype": usage,
            "operation": op, "servicecode": "AmazonEC2" } },
        "serviceCode": "AmazonEC2",
        "terms": {
            "OnDemand": { format!("{sku}.JRTCKXETXF"): { "offerTermCode": "JRTCKXETXF", "sku": sku,
                "effectiveDate": "2026-09-01T00:00:00Z", "termAttributes": {},
                "priceDimensions": { format!("{sku}.JRTCKXETXF.6YS6EN2CT7"): { "rateCode": format!("{sku}.JRTCKXETXF.6YS6EN2CT7"),
                    "description": format!("${price} per On Demand {os} m5.large Instance Hour"), "beginRange": "0",
                    "endRange": "Inf", "unit": "Hrs", "pricePerUnit": { "USD": price }, "appliesTo": [] } } } },
            "Reserved": { format!("{sku}.38NPMPTW36"): { "offerTermCode": "38NPMPTW36", "sku": sku,
                "termAttributes": { "LeaseContractLength": "1yr" },
                "priceDimensions": { format!("{sku}.38NPMPTW36.2TG2D8R56U"): { "unit": "Hrs", "beginRange": "0",
                    "endRange": "Inf", "pricePerUnit": { "USD": "0.0740000000" } } } } } },
        "version": "20260925174521",
        "publicationDate": "2026-09-25T17:45:21Z"
    })
    .to_string()
}

#[test]
fn get_products_pages_are_decoded_and_the_paid_row_is_kept() {
    // Page 1: Linux (paid) and an unused capacity reservation (decoy); page 2: Windows.
    let page1 = mock!(Client::get_products).match_requests(|r| r.next_token().is_none()).then_output(|| {
        GetProductsOutput::builder()
            .format_version("aws_v1")
            .price_list(element("SKULINUX", "APN2-BoxUsage:m5.large", "Linux", "RunInstances", "Used", "0.1180000000"))
            .price_list(element(
                "SKUUNUSED",
                "APN2-UnusedBox:m5.large",
                "Linux",
                "RunInstances",
                "UnusedCapacityReservation",
                "0.1180000000",
            ))
            .next_token("page-2")
            .build()
    });
    let page2 = mock!(Client::get_products).match_requests(|r| r.next_token() == Some("page-2")).then_output(|| {
        GetProductsOutput::builder()
            .format_version("aws_v1")
            .price_list(element(
                "SKUWIN",
                "APN2-BoxUsage:m5.large",
                "Windows",
                "RunInstances:0002",
                "Used",
                "0.2100000000",
            ))
            .build()
    });
    let client = client(&[&page1, &page2]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut calls = 0;
    let imported = rt.block_on(price_list::fetch(&client, "AmazonEC2", "ap-northeast-2", &mut calls)).unwrap();
    // Seven EC2 queries (instances, bare metal, storage, IOPS, throughput, snapshots, NAT),
    // two pages each.
    assert_eq!(calls, 2 * price_list::queries("AmazonEC2", "ap-northeast-2").len() as u64);
    assert_eq!(calls, 14);
    let get = |k: &str| imported.items.get(&("ap-northeast-2".to_string(), k.to_string())).map(|i| i.usd);
    assert_eq!(get("ec2.ondemand.linux.m5.large"), Some(0.118), "the reserved 0.074 is not on-demand");
    assert_eq!(get("ec2.ondemand.windows.m5.large"), Some(0.21));
    assert_eq!(imported.items.len(), 2, "the capacity reservation is not a price: {:?}", imported.items);
    assert_eq!((imported.meta.version.as_str(), imported.meta.published.as_str()), ("20260925174521", "2026-09-25"));
}

#[test]
fn the_botocore_example_answer_is_read() {
    // AWS's own GetProducts example (botocore): io1 storage in Canada (Central), no regionCode.
    let sample: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/pricing/api/getproducts_botocore.json")).unwrap();
    let out = &sample["examples"]["GetProducts"][0]["output"];
    let strings: Vec<String> =
        out["PriceList"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let rule = mock!(Client::get_products).then_output(move || {
        let mut b = GetProductsOutput::builder().format_version("aws_v1");
        for s in &strings {
            b = b.price_list(s.clone());
        }
        b.build()
    });
    let client = client(&[&rule]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut calls = 0;
    let imported = rt.block_on(price_list::fetch(&client, "AmazonS3", "ca-central-1", &mut calls)).unwrap();
    assert_eq!(calls, 1);
    assert!(imported.items.is_empty(), "an EC2 product is not an S3 price");
    let mut calls = 0;
    let imported = rt.block_on(price_list::fetch(&client, "AmazonEC2", "ca-central-1", &mut calls)).unwrap();
    let io1 = imported.items.get(&("ca-central-1".to_string(), "ebs.io1.gb_month".to_string()));
    assert_eq!(io1.map(|i| i.usd), Some(0.138));
}

/// A tiny HTTP/1.1 server answering GET `/offers/v1.0/aws/<Offer>/current/<region>/index.csv`
/// from `files` (offer → body), 404 otherwise. Bodies go out in small writes.
fn serve(files: Vec<(String, String, Vec<u8>)>) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or_default().to_string();
            let body = files
                .iter()
                .find(|(offer, region, _)| path == format!("/offers/v1.0/aws/{offer}/current/{region}/index.csv"));
            let mut stream = stream;
            match body {
                Some((_, _, bytes)) => {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        bytes.len()
                    );
                    for chunk in bytes.chunks(4096) {
                        let _ = stream.write_all(chunk);
                    }
                }
                None => {
                    let _ = write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        }
    });
    (base, hits)
}

fn seoul_offers() -> Vec<(String, String, Vec<u8>)> {
    ["AmazonEC2.csv", "AWSDataTransfer.csv", "AmazonVPC.csv", "AWSBackup.csv", "AmazonS3GlacierDeepArchive.csv"]
        .iter()
        .chain(["AmazonS3.json", "AmazonDynamoDB.json"].iter())
        .map(|name| {
            let (offer, ext) = name.split_once('.').unwrap();
            // The JSON fixtures are served at the CSV path: the importer reads by content.
            let bytes = std::fs::read(repo(&format!("fixtures/pricing/{offer}-ap-northeast-2.{ext}"))).unwrap();
            (offer.to_string(), "ap-northeast-2".to_string(), bytes)
        })
        .collect()
}

fn config_with(dir: &std::path::Path, base: &str) -> PathBuf {
    let path = dir.join("tierwise.toml");
    std::fs::write(&path, format!("[pricing]\nrefresh_source = \"offers\"\noffers_base_url = \"{base}\"\n")).unwrap();
    path
}

#[test]
fn refresh_downloads_the_regional_offer_files_anonymously() {
    let (base, hits) = serve(seoul_offers());
    let home = scratch("refresh-offers");
    let config = config_with(&home, &base);
    let out = tierwise_with_cache(
        &["pricing", "refresh", "--regions", "ap-northeast-2", "--config", config.to_str().unwrap()],
        &home,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 7, "one download per offer");
    assert!(err.contains(&format!("AWS offer files at {base}")) && err.contains("7 files written"), "{err}");
    let show = tierwise_with_cache(&["pricing", "show", "--region", "ap-northeast-2", "ec2.ondemand.linux.m5"], &home);
    let text = stdout(&show);
    assert!(text.contains("ec2.ondemand.linux.m5.large") && text.contains("0.118000"), "{text}");
    assert!(text.contains("[offer-cache] AWS offer AmazonEC2 20260925174521"), "{text}");
}

#[test]
fn a_refresh_that_cannot_reach_aws_changes_nothing_and_says_why() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let home = scratch("refresh-down");
    let config = config_with(&home, &format!("http://{closed}"));
    let out = tierwise_with_cache(
        &[
            "pricing",
            "refresh",
            "--regions",
            "ap-northeast-2",
            "--offers",
            "AmazonEC2",
            "--config",
            config.to_str().unwrap(),
        ],
        &home,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot download") && err.contains("the cache is unchanged"), "{err}");
    assert!(!home.join("tierwise/prices").exists());
}

/// The Seoul EC2 fixture rewritten for us-east-1 (no usage-type prefix there).
fn us_east_1_ec2() -> Vec<u8> {
    std::fs::read_to_string(repo("fixtures/pricing/AmazonEC2-ap-northeast-2.csv"))
        .unwrap()
        .replace("ap-northeast-2", "us-east-1")
        .replace("APN2-", "")
        .replace("Asia Pacific (Seoul)", "US East (N. Virginia)")
        .into_bytes()
}

#[test]
fn report_live_refreshes_a_stale_cache_and_without_network_warns() {
    let moto = moto::start();
    let (base, hits) = serve(vec![("AmazonEC2".into(), "us-east-1".into(), us_east_1_ec2())]);
    let home = scratch("live-refresh");
    let config = config_with(&home, &base);
    let live = |config: &std::path::Path| {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(["report", "--live", "--regions", "us-east-1", "--format", "json", "--config"])
            .arg(config)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("AWS_PROFILE")
            .env_remove("TIERWISE_CONFIG");
        for (k, v) in moto::aws_env(&moto.endpoint()) {
            cmd.env(k, v);
        }
        cmd.env("XDG_CACHE_HOME", &home);
        cmd.output().unwrap()
    };
    // No cache yet: the collected region is refreshed, and the run says so.
    let out = live(&config);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("refreshing prices older than 30 days: us-east-1 (not cached)"), "{err}");
    assert!(hits.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sources = report["source"]["pricing"]["us-east-1"]["sources"].as_array().unwrap().clone();
    assert!(sources.iter().any(|s| s["kind"] == "offer-cache"), "{sources:?}");
    // Fresh now: the next run does not refresh.
    let out = live(&config);
    assert!(!stderr(&out).contains("refreshing prices"), "{}", stderr(&out));
    // Stale again (max age 0) and AWS unreachable: the report still comes, with a warning.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let offline = home.join("offline.toml");
    std::fs::write(
        &offline,
        format!("[pricing]\nrefresh_source = \"offers\"\noffers_base_url = \"http://{closed}\"\nmax_age_days = 0\n"),
    )
    .unwrap();
    let out = live(&offline);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let warnings = report["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["source"] == "pricing"
            && w["message"].as_str().unwrap_or_default().contains("could not refresh prices for us-east-1")),
        "{warnings:?}"
    );
    assert!(
        report["source"]["pricing"]["us-east-1"]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "offer-cache"),
        "the cached prices are still used"
    );
}
