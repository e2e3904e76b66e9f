//! Price and bill import benchmark helper, driven by `benches/pricing.sh`.
//!
//!   pricing generate-offer FILE MB   write a synthetic AmazonEC2 regional offer CSV of
//!                                    about MB megabytes at the real 91-column layout:
//!                                    every instance type × 19 platforms × 3 tenancies ×
//!                                    3 capacity statuses on demand, plus 12 reserved
//!                                    terms each (two rows: upfront fee and hourly), plus
//!                                    EBS rows — the mix of AWS's file, where a user pays
//!                                    for a small share of the rows
//!   pricing import-offer FILE        tierwise's import; prints items and a checksum
//!   pricing scan-cur DIR             tierwise's CUR 2.0 / FOCUS import (`--import DIR`);
//!                                    prints the aggregates to compare with DuckDB's
//!
//! The offer data is deterministic (splitmix64 prices).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const HEADER: &str = include_str!("pricing_header.csv");

const PLATFORMS: &[(&str, &str, &str, &str)] = &[
    ("Linux", "NA", "No License required", "RunInstances"),
    ("RHEL", "NA", "No License required", "RunInstances:0010"),
    ("RHEL", "NA", "Bring your own license", "RunInstances:00g0"),
    ("Red Hat Enterprise Linux with HA", "NA", "No License required", "RunInstances:1010"),
    ("Red Hat Enterprise Linux with HA", "SQL Std", "No License required", "RunInstances:1014"),
    ("Red Hat Enterprise Linux with HA", "SQL Ent", "No License required", "RunInstances:1110"),
    ("RHEL", "SQL Std", "No License required", "RunInstances:0014"),
    ("RHEL", "SQL Web", "No License required", "RunInstances:0210"),
    ("RHEL", "SQL Ent", "No License required", "RunInstances:0110"),
    ("Linux", "SQL Ent", "No License required", "RunInstances:0100"),
    ("Linux", "SQL Std", "No License required", "RunInstances:0004"),
    ("Linux", "SQL Web", "No License required", "RunInstances:0200"),
    ("SUSE", "NA", "No License required", "RunInstances:000g"),
    ("Ubuntu Pro", "NA", "No License required", "RunInstances:0g00"),
    ("Windows", "NA", "No License required", "RunInstances:0002"),
    ("Windows", "NA", "Bring your own license", "RunInstances:0800"),
    ("Windows", "SQL Ent", "No License required", "RunInstances:0102"),
    ("Windows", "SQL Std", "No License required", "RunInstances:0006"),
    ("Windows", "SQL Web", "No License required", "RunInstances:0202"),
];

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One row in 2025 quoting (non-empty cells quoted, empty cells bare), by column name.
fn row(columns: &[&str], cells: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(900);
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if let Some((_, v)) = cells.iter().find(|(k, _)| k == c)
            && !v.is_empty()
        {
            out.push('"');
            out.push_str(v);
            out.push('"');
        }
    }
    out.push('\n');
    out
}

fn generate_offer(path: &Path, megabytes: u64) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    for line in [
        "\"FormatVersion\",\"v1.0\"",
        "\"Disclaimer\",\"This pricing list is for informational purposes only.\"",
        "\"Publication Date\",\"2026-09-25T17:45:21Z\"",
        "\"Version\",\"20260925174521\"",
        "\"OfferCode\",\"AmazonEC2\"",
    ] {
        writeln!(f, "{line}")?;
    }
    f.write_all(HEADER.as_bytes())?;
    let columns: Vec<&str> = HEADER.trim().split(',').map(|c| c.trim_matches('"')).collect();
    let target = megabytes * 1_000_000;
    let mut written = 0u64;
    let mut seed = 42u64;
    let families = ["m5", "c5", "r5", "m6i", "c6i", "r6i", "m7g", "c7g", "r7g", "t3", "m8g", "c8g"];
    let sizes = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
    let mut generation = 0u32;
    'outer: loop {
        for family in families {
            for size in sizes {
                // Types beyond the first round get a distinct family name (m5x1, …) so the
                // importer keeps them apart, as a real file's 900 types are.
                let itype =
                    if generation == 0 { format!("{family}.{size}") } else { format!("{family}x{generation}.{size}") };
                let base = 0.02 + (splitmix(&mut seed) % 5000) as f64 / 1000.0;
                for (p, (os, sw, license, op)) in PLATFORMS.iter().enumerate() {
                    for (tenancy, usage) in
                        [("Shared", "BoxUsage"), ("Dedicated", "DedicatedUsage"), ("Host", "HostBoxUsage")]
                    {
                        for capacity in ["Used", "UnusedCapacityReservation", "AllocatedCapacityReservation"] {
                            let sku = format!("{:016X}", splitmix(&mut seed));
                            let price = match (tenancy, capacity) {
                                ("Host", _) | (_, "AllocatedCapacityReservation") => 0.0,
                                _ => base * (1.0 + p as f64 * 0.1),
                            };
                            let usage_type = match capacity {
                                "Used" => format!("APN2-{usage}:{itype}"),
                                "UnusedCapacityReservation" => format!("APN2-UnusedBox:{itype}"),
                                _ => format!("APN2-Reservation:{itype}"),
                            };
                            let common = |term: &str, term_type: &str, unit: &str, price: f64, desc: String| {
                                vec![
                                    ("SKU", sku.clone()),
                                    ("OfferTermCode", term.to_string()),
                                    ("RateCode", format!("{sku}.{term}.6YS6EN2CT7")),
                                    ("TermType", term_type.to_string()),
                                    ("PriceDescription", desc),
                                    ("EffectiveDate", "2026-09-01".into()),
                                    ("StartingRange", if unit == "Quantity" { String::new() } else { "0".into() }),
                                    ("EndingRange", if unit == "Quantity" { String::new() } else { "Inf".into() }),
                                    ("Unit", unit.to_string()),
                                    ("PricePerUnit", format!("{price:.10}")),
                                    ("Currency", "USD".into()),
                                    ("Product Family", "Compute Instance".into()),
                                    ("serviceCode", "AmazonEC2".into()),
                                    ("Location", "Asia Pacific (Seoul)".into()),
                                    ("Location Type", "AWS Region".into()),
                                    ("Instance Type", itype.clone()),
                                    ("Current Generation", "Yes".into()),
                                    ("Instance Family", "General purpose".into()),
                                    ("vCPU", "8".into()),
                                    ("Physical Processor", "Intel Xeon Platinum 8175".into()),
                                    ("Clock Speed", "3.1 GHz".into()),
                                    ("Memory", "32 GiB".into()),
                                    ("Storage", "EBS only".into()),
                                    ("Network Performance", "Up to 10 Gigabit".into()),
                                    ("Processor Architecture", "64-bit".into()),
                                    ("Tenancy", tenancy.to_string()),
                                    ("Operating System", os.to_string()),
                                    ("License Model", license.to_string()),
                                    ("usageType", usage_type.clone()),
                                    ("operation", op.to_string()),
                                    ("AvailabilityZone", "NA".into()),
                                    ("CapacityStatus", capacity.to_string()),
                                    ("ClassicNetworkingSupport", "false".into()),
                                    ("Dedicated EBS Throughput", "Up to 2120 Mbps".into()),
                                    ("ECU", "37".into()),
                                    ("Enhanced Networking Supported", "Yes".into()),
                                    ("Intel AVX2 Available", "Yes".into()),
                                    ("Intel AVX Available", "Yes".into()),
                                    ("Intel Turbo Available", "Yes".into()),
                                    ("MarketOption", "OnDemand".into()),
                                    ("Normalization Size Factor", "16".into()),
                                    ("Pre Installed S/W", sw.to_string()),
                                    ("Processor Features", "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo".into()),
                                    ("Region Code", "ap-northeast-2".into()),
                                    ("serviceName", "Amazon Elastic Compute Cloud".into()),
                                    ("VPCNetworkingSupport", "true".into()),
                                ]
                            };
                            let mut text = row(
                                &columns,
                                &common(
                                    "JRTCKXETXF",
                                    "OnDemand",
                                    "Hrs",
                                    price,
                                    format!("${price:.3} per On Demand {os} {itype} Instance Hour"),
                                ),
                            );
                            if capacity == "Used" {
                                // Twelve reserved terms (1/3 yr × 3 payment options × standard/convertible): hourly and upfront rows.
                                for t in 0..12 {
                                    let term = format!("RSV{t:02}TERMX");
                                    let mut cells =
                                        common(&term, "Reserved", "Hrs", price * 0.6, format!("{os} {itype} reserved"));
                                    cells
                                        .push(("LeaseContractLength", if t < 6 { "1yr".into() } else { "3yr".into() }));
                                    cells.push(("PurchaseOption", "Partial Upfront".into()));
                                    cells.push((
                                        "OfferingClass",
                                        if t % 2 == 0 { "standard".into() } else { "convertible".into() },
                                    ));
                                    text.push_str(&row(&columns, &cells));
                                    let fee = common(
                                        &term,
                                        "Reserved",
                                        "Quantity",
                                        (price * 2000.0).round(),
                                        "Upfront Fee".into(),
                                    );
                                    text.push_str(&row(&columns, &fee));
                                }
                            }
                            f.write_all(text.as_bytes())?;
                            written += text.len() as u64;
                            if written >= target {
                                break 'outer;
                            }
                        }
                    }
                }
            }
        }
        generation += 1;
    }
    f.flush()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let started = Instant::now();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate-offer", file, mb] => {
            if let Err(e) = generate_offer(Path::new(file), mb.parse().unwrap_or(2000)) {
                eprintln!("generate-offer: {e}");
                return ExitCode::FAILURE;
            }
        }
        ["import-offer", file] => match tierwise::pricing::offer::import_file(Path::new(file)) {
            Ok(i) => {
                let sum: f64 = i.items.values().map(|x| x.usd).sum();
                println!("{} rows {} items {:.6} checksum", i.rows, i.items.len(), sum);
            }
            Err(e) => {
                eprintln!("import-offer: {e}");
                return ExitCode::FAILURE;
            }
        },
        ["scan-cur", dir] => match tierwise::import::import_dir(Path::new(dir)) {
            Ok(imported) => {
                use polars::prelude::*;
                let sum = |name: FrameName, column: &str| -> f64 {
                    imported
                        .frames
                        .iter()
                        .find(|(n, _)| *n == name)
                        .and_then(|(_, df)| df.column(column).ok()?.f64().ok()?.sum())
                        .unwrap_or(0.0)
                };
                use tierwise::snapshot::FrameName;
                let rates =
                    imported.frames.iter().find(|(n, _)| *n == FrameName::EffectiveRates).map(|(_, df)| df.height());
                println!(
                    "{} rate_rows {:.2} effective {:.2} list {:.2} spend",
                    rates.unwrap_or(0),
                    sum(FrameName::EffectiveRates, "effective_cost_usd"),
                    sum(FrameName::EffectiveRates, "list_cost_usd"),
                    sum(FrameName::SpendMonthly, "cost_usd")
                );
            }
            Err(e) => {
                eprintln!("scan-cur: {e}");
                return ExitCode::FAILURE;
            }
        },
        _ => {
            eprintln!("usage: pricing generate-offer FILE MB | import-offer FILE | scan-cur DIR");
            return ExitCode::from(2);
        }
    }
    eprintln!("{:.2} s", started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}
