//! Prices from the AWS Price List API: GetProducts per offer and region, with
//! attribute filters so EC2 returns only the products tierwise prices (shared-tenancy,
//! capacity-Used, on-demand instances of every platform, EBS, NAT), paginated, every
//! call counted. Each `PriceList` element is a JSON document *as a string*; it goes
//! through the same selection as an offer file (`pricing::offer::Assembler::product`).

use aws_sdk_pricing::types::{Filter, FilterType};

use super::CollectError;
use crate::pricing::offer::{Assembler, Imported, OfferMeta, select::OFFERS};

/// The queries of one offer in one region: each is a list of (field, value) TERM_MATCH filters.
pub fn queries(offer: &str, region: &str) -> Vec<Vec<(&'static str, String)>> {
    let r = || ("regionCode", region.to_string());
    match offer {
        "AmazonEC2" => {
            let mut q = vec![
                vec![
                    r(),
                    ("productFamily", "Compute Instance".into()),
                    ("tenancy", "Shared".into()),
                    ("capacitystatus", "Used".into()),
                    ("marketoption", "OnDemand".into()),
                ],
                vec![r(), ("productFamily", "Compute Instance (bare metal)".into()), ("capacitystatus", "Used".into())],
            ];
            for family in ["Storage", "System Operation", "Provisioned Throughput", "Storage Snapshot", "NAT Gateway"] {
                q.push(vec![r(), ("productFamily", family.into())]);
            }
            q
        }
        "AWSDataTransfer" => vec![vec![("fromRegionCode", region.to_string())]],
        _ => vec![vec![r()]],
    }
}

/// Fetch one offer's items for one region. `calls` counts GetProducts requests.
pub async fn fetch(
    client: &aws_sdk_pricing::Client,
    offer: &str,
    region: &str,
    calls: &mut u64,
) -> Result<Imported, CollectError> {
    if !OFFERS.contains(&offer) {
        return Err(CollectError::Other(format!("offer `{offer}` is not one tierwise reads")));
    }
    let mut asm = Assembler::default();
    let mut meta = OfferMeta { offer_code: offer.to_string(), ..OfferMeta::default() };
    let mut bad_elements = 0u64;
    for filters in queries(offer, region) {
        let filters: Vec<Filter> = filters
            .into_iter()
            .map(|(field, value)| {
                Filter::builder()
                    .r#type(FilterType::TermMatch)
                    .field(field)
                    .value(value)
                    .build()
                    .map_err(|e| CollectError::Other(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let mut token: Option<String> = None;
        loop {
            let resp = client
                .get_products()
                .service_code(offer)
                .format_version("aws_v1")
                .set_filters(Some(filters.clone()))
                .max_results(100)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(|e| CollectError::from_sdk("pricing:GetProducts", e))?;
            *calls += 1;
            for element in resp.price_list() {
                // A JSON document encoded as a string: decode it a second time.
                let Ok(doc) = serde_json::from_str::<serde_json::Value>(element) else {
                    bad_elements += 1;
                    continue;
                };
                if meta.version.is_empty() {
                    meta.version = doc["version"].as_str().unwrap_or_default().to_string();
                    meta.published =
                        doc["publicationDate"].as_str().and_then(|d| d.get(..10)).unwrap_or_default().to_string();
                }
                asm.product(offer, &doc);
            }
            token = resp.next_token().filter(|t| !t.is_empty()).map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    if meta.published.is_empty() {
        meta.published = chrono::Utc::now().format("%Y-%m-%d").to_string();
    }
    let mut imported = asm.finish(meta);
    imported.from = format!("AWS Price List API GetProducts ({offer}, {region})");
    if bad_elements > 0 {
        imported.warnings.push(format!("{bad_elements} PriceList element(s) were not JSON; skipped"));
    }
    // GetProducts filters by region; a product of another region would be a service bug.
    imported.items.retain(|(r, _), _| r == region);
    Ok(imported)
}
