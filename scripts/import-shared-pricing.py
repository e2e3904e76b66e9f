#!/usr/bin/env python3
"""Regenerate tierwise's embedded price catalog (data/pricing/) from the dated,
sourced facts in ../shared/pricing/.

    python3 scripts/import-shared-pricing.py [SHARED_PRICING_DIR]

* ec2_ondemand_linux.csv and ec2_instance_types.csv are copied byte for byte.
* services_by_region.csv gains a stable `key` column (the name tierwise's code
  uses); every row must map to a key and every key must be used, or this fails.
* as_of.csv dates each region's facts (AS_OF below); every region with a price
  must be dated, or this fails.
Nothing is invented: a price missing from the facts stays missing ("unpriced").
"""
import csv, os, shutil, sys

KEYS = {
    "STANDARD storage, first 50 TB/month": "s3.storage.STANDARD",
    "STANDARD storage, next 450 TB/month": "s3.storage.STANDARD.next450tb",
    "STANDARD storage, over 500 TB/month": "s3.storage.STANDARD.over500tb",
    "INTELLIGENT_TIERING frequent access tier, first 50 TB": "s3.storage.INTELLIGENT_TIERING_FA",
    "INTELLIGENT_TIERING infrequent access tier": "s3.storage.INTELLIGENT_TIERING_IA",
    "INTELLIGENT_TIERING archive instant access tier": "s3.storage.INTELLIGENT_TIERING_AIA",
    "INTELLIGENT_TIERING archive access tier (opt-in)": "s3.storage.INTELLIGENT_TIERING_AA",
    "INTELLIGENT_TIERING deep archive access tier (opt-in)": "s3.storage.INTELLIGENT_TIERING_DAA",
    "INTELLIGENT_TIERING monitoring and automation (objects >= 128 KB)": "s3.intelligent_tiering.monitoring_per_1000_objects",
    "STANDARD_IA storage": "s3.storage.STANDARD_IA",
    "ONEZONE_IA storage": "s3.storage.ONEZONE_IA",
    "GLACIER_IR storage": "s3.storage.GLACIER_IR",
    "GLACIER (Flexible Retrieval) storage": "s3.storage.GLACIER",
    "DEEP_ARCHIVE storage": "s3.storage.DEEP_ARCHIVE",
    "lifecycle transition requests into STANDARD_IA": "s3.transition_per_1000.STANDARD_IA",
    "lifecycle transition requests into ONEZONE_IA": "s3.transition_per_1000.ONEZONE_IA",
    "lifecycle transition requests into INTELLIGENT_TIERING": "s3.transition_per_1000.INTELLIGENT_TIERING",
    "lifecycle transition requests into GLACIER_IR": "s3.transition_per_1000.GLACIER_IR",
    "lifecycle transition requests into GLACIER": "s3.transition_per_1000.GLACIER",
    "lifecycle transition requests into DEEP_ARCHIVE": "s3.transition_per_1000.DEEP_ARCHIVE",
    "STANDARD_IA retrieval": "s3.retrieval_gb.STANDARD_IA",
    "ONEZONE_IA retrieval": "s3.retrieval_gb.ONEZONE_IA",
    "GLACIER_IR retrieval": "s3.retrieval_gb.GLACIER_IR",
    "GLACIER expedited retrieval": "s3.retrieval_gb.GLACIER.expedited",
    "GLACIER expedited retrieval requests": "s3.retrieval_per_1000.GLACIER.expedited",
    "GLACIER standard retrieval": "s3.retrieval_gb.GLACIER",
    "GLACIER standard retrieval requests": "s3.retrieval_per_1000.GLACIER",
    "GLACIER bulk retrieval": "s3.retrieval_gb.GLACIER.bulk",
    "DEEP_ARCHIVE standard retrieval": "s3.retrieval_gb.DEEP_ARCHIVE",
    "DEEP_ARCHIVE standard retrieval requests": "s3.retrieval_per_1000.DEEP_ARCHIVE",
    "DEEP_ARCHIVE bulk retrieval": "s3.retrieval_gb.DEEP_ARCHIVE.bulk",
    "DEEP_ARCHIVE bulk retrieval requests": "s3.retrieval_per_1000.DEEP_ARCHIVE.bulk",
    "Cross-region replication data transfer (to another AWS region)": "s3.replication.inter_region_gb",
    "Replication Time Control data transfer": "s3.replication.rtc_gb",
    "gp2 storage": "ebs.gp2.gb_month",
    "gp3 storage (includes 3,000 IOPS and 125 MiB/s)": "ebs.gp3.gb_month",
    "gp3 IOPS above 3,000": "ebs.gp3.iops_month",
    "gp3 throughput above 125 MiB/s": "ebs.gp3.throughput_mibps_month",
    "io1 storage": "ebs.io1.gb_month",
    "io1 provisioned IOPS": "ebs.io1.iops_month",
    "io2 storage": "ebs.io2.gb_month",
    "io2 provisioned IOPS up to 32,000": "ebs.io2.iops_month",
    "st1 storage": "ebs.st1.gb_month",
    "sc1 storage": "ebs.sc1.gb_month",
    "snapshot storage, standard tier": "ebs.snapshot.standard.gb_month",
    "snapshot storage, archive tier": "ebs.snapshot.archive.gb_month",
    "on-demand write request units, Standard table class": "dynamodb.ondemand.wru_million.STANDARD",
    "on-demand read request units, Standard table class": "dynamodb.ondemand.rru_million.STANDARD",
    "provisioned write capacity, Standard table class": "dynamodb.provisioned.wcu_hour.STANDARD",
    "provisioned read capacity, Standard table class": "dynamodb.provisioned.rcu_hour.STANDARD",
    "storage, Standard table class (first 25 GB/month free per account)": "dynamodb.storage.gb_month.STANDARD",
    "storage, Standard-IA table class": "dynamodb.storage.gb_month.STANDARD_INFREQUENT_ACCESS",
    "point-in-time recovery (continuous backup)": "dynamodb.pitr.gb_month",
    "on-demand backup storage": "dynamodb.backup.gb_month",
    "restore from backup": "dynamodb.restore.gb",
    "data transfer between Availability Zones in the same region, charged in each direction": "transfer.inter_az.gb_each_direction",
    "data transfer to another AWS region (out of us-east-1, most destinations)": "transfer.inter_region.gb",
    "data transfer out to the internet, first 10 TB/month (after 100 GB free)": "transfer.internet_out.gb",
    "NAT gateway hour": "vpc.nat_gateway.hour",
    "NAT gateway data processed": "vpc.nat_gateway.gb",
    "interface VPC endpoint hour, per AZ": "vpc.interface_endpoint.az_hour",
    "interface VPC endpoint data processed (first 1 PB)": "vpc.interface_endpoint.gb",
    "gateway VPC endpoint for S3 or DynamoDB": "vpc.gateway_endpoint",
    "AWS Backup warm storage for EBS snapshots": "backup.ebs.gb_month",
    "AWS Backup warm storage for S3": "backup.s3.gb_month",
    "AWS Backup warm storage for DynamoDB": "backup.dynamodb.gb_month",
    # Seoul rows (from AWS's ap-northeast-2 offer file, via capacity-agent) name the items
    # the offer's way; the key is the same as us-east-1's.
    "gp3 storage": "ebs.gp3.gb_month",
    "gp3 provisioned IOPS (above 3000 free baseline)": "ebs.gp3.iops_month",
    "gp3 provisioned throughput (above 125 MiB/s free baseline)": "ebs.gp3.throughput_mibps_month",
}
# Catalog date per region: the newest facts for it (data/pricing/as_of.csv; the
# `source` column of each price says where that figure comes from).
AS_OF = [
    ("us-east-1", "2026-07-20",
     "EC2: karpenter's table generated from the AWS Price List API on 2026-07-20; other services: AWS list prices as published through 2025, compiled by hand"),
    ("ap-northeast-2", "2026-09-25",
     "AWS offer AmazonEC2/current/ap-northeast-2 Version 20260925174521, published 2026-09-25 (36 EC2 types and gp3, via men16922/capacity-agent)"),
]
# S3 request prices: "<CLASS> PUT/COPY/POST/LIST requests" / "<CLASS> GET/SELECT and other requests"
for cls in ["STANDARD", "INTELLIGENT_TIERING", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]:
    KEYS[f"{cls} PUT/COPY/POST/LIST requests"] = f"s3.put_per_1000.{cls}"
    KEYS[f"{cls} GET/SELECT and other requests"] = f"s3.get_per_1000.{cls}"

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "..", "shared", "pricing")
    out = os.path.join(repo, "data", "pricing")
    os.makedirs(out, exist_ok=True)
    for name in ["ec2_ondemand_linux.csv", "ec2_instance_types.csv"]:
        shutil.copyfile(os.path.join(shared, name), os.path.join(out, name))
    used = set()
    with open(os.path.join(shared, "services_by_region.csv"), newline="") as f, \
         open(os.path.join(out, "services.csv"), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["region", "service", "key", "item", "unit", "usd", "source"])
        for row in csv.DictReader(f):
            key = KEYS.get(row["item"])
            if key is None:
                sys.exit(f"no key for item {row['item']!r}: add it to KEYS")
            used.add(row["item"])
            w.writerow([row["region"], row["service"], key, row["item"], row["unit"], row["usd"], row["notes"]])
    regions_with_prices = set()
    for name in ["services.csv", "ec2_ondemand_linux.csv"]:
        with open(os.path.join(out, name), newline="") as f:
            regions_with_prices |= {row["region"] for row in csv.DictReader(f)}
    dated = {r for r, _, _ in AS_OF}
    if regions_with_prices != dated:
        sys.exit(f"AS_OF must date exactly the regions with prices: {sorted(regions_with_prices ^ dated)}")
    with open(os.path.join(out, "as_of.csv"), "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(["region", "as_of", "source"])
        w.writerows(AS_OF)
    unused = set(KEYS) - used
    if unused:
        sys.exit(f"keys for items no longer in the facts: {sorted(unused)}")
    print(f"wrote {out}/services.csv ({len(used)} rows) and copied the EC2 files")

if __name__ == "__main__":
    main()
