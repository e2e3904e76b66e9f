#!/usr/bin/env python3
"""Live-collection benchmark against a local moto server.

    python3 benches/collect_moto.py [--instances 1000] [--days 14] [--bin target/release/tierwise]

Starts moto on a free 127.0.0.1 port (pip-installs moto[server] when missing), seeds
N EC2 instances and, for each, hourly CPUUtilization (Average/Maximum come from the same
datapoints), NetworkIn/Out and EBS ops over D days through PutMetricData, then times
`tierwise collect` and prints API calls by operation, GetMetricData calls vs series/500,
and wall time. Seeding is not timed.
"""
import argparse, json, math, os, socket, subprocess, sys, tempfile, time, datetime

def ensure_moto():
    try:
        import moto.server, boto3  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "moto[server]>=5.1,<5.3"])

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--instances", type=int, default=1000)
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--seed-hours", type=int, default=None,
                    help="hours of datapoints to seed per series (default: all of --days); moto's GetMetricData "
                         "scans every stored datapoint per query, so large seeds make moto, not tierwise, the bottleneck")
    ap.add_argument("--bin", default="target/release/tierwise")
    args = ap.parse_args()
    ensure_moto()
    import boto3
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close(); break
            except OSError:
                time.sleep(0.1)
        kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIATEST", aws_secret_access_key="x")
        ec2 = boto3.client("ec2", **kw)
        from botocore.config import Config
        # moto does not decompress gzip request bodies: send PutMetricData uncompressed.
        cw = boto3.client("cloudwatch", config=Config(disable_request_compression=True), **kw)
        t0 = time.time()
        ids = []
        while len(ids) < args.instances:
            n = min(100, args.instances - len(ids))
            r = ec2.run_instances(ImageId="ami-12c6146b", MinCount=n, MaxCount=n, InstanceType="m5.large")
            ids += [i["InstanceId"] for i in r["Instances"]]
        end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
        hours = args.days * 24 if args.seed_hours is None else args.seed_hours
        metrics = [("CPUUtilization", lambda h: 20 + 15 * math.sin(h / 24 * 2 * math.pi)),
                   ("NetworkIn", lambda h: 1e6), ("NetworkOut", lambda h: 2e6),
                   ("EBSReadOps", lambda h: 100.0), ("EBSWriteOps", lambda h: 50.0)]
        batch = []
        def flush():
            if batch:
                cw.put_metric_data(Namespace="AWS/EC2", MetricData=list(batch)); batch.clear()
        for iid in ids:
            for name, f in metrics:
                for h in range(hours):
                    batch.append({"MetricName": name, "Dimensions": [{"Name": "InstanceId", "Value": iid}],
                                  "Timestamp": end - datetime.timedelta(hours=hours - h) + datetime.timedelta(minutes=1),
                                  "Value": f(h)})
                    if len(batch) == 1000:
                        flush()
        flush()
        seed_s = time.time() - t0
        out = tempfile.mkdtemp(prefix="tierwise-bench-")
        env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="AKIATEST", AWS_SECRET_ACCESS_KEY="x",
                   AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true", XDG_CACHE_HOME=out + "-cache")
        config = out + "-config.toml"
        with open(config, "w") as f:
            f.write("[collect]\nattempt_timeout_secs = 3600\n")  # moto answers slowly; real CloudWatch does not
        t1 = time.time()
        subprocess.run([args.bin, "collect", "--out", out + "/snap", "--regions", "us-east-1", "--days", str(args.days),
                        "--config", config],
                       env=env, check=True)
        wall = time.time() - t1
        m = json.load(open(out + "/snap/manifest.json"))
        calls = {}
        for c in m["collectors"].values():
            for k, v in c["api_calls"].items():
                calls[k] = calls.get(k, 0) + v
        series = calls.get("cloudwatch:metrics", 0)
        print(f"instances={len(ids)} days={args.days} seeded hours/series={hours} ({len(ids) * 5 * hours} datapoints) in {seed_s:.0f}s")
        print(f"collect wall time: {wall:.1f}s")
        for k in sorted(calls):
            print(f"  {k:45} {calls[k]}")
        gmd = calls.get("cloudwatch:GetMetricData", 0)
        print(f"GetMetricData calls {gmd} for {series} series: series/500 = {math.ceil(series / 500)}")
    finally:
        moto.terminate()

if __name__ == "__main__":
    main()
