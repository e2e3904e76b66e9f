#!/usr/bin/env python3
"""Regenerate data/pricing/ec2_instance_hardware.csv: what each EC2 instance type has
besides vCPUs and memory — GPUs, accelerators, instance storage, baseline network
bandwidth, EFA — from the DescribeInstanceTypes data that the moto package ships
(the same source as ec2_instance_types.csv; see data/pricing/README.md).

    pip install 'moto==5.2.1' && python3 scripts/import-moto-hardware.py

Columns are DescribeInstanceTypes' own fields, flattened; empty = the type has none.
"""
import csv, gzip, json, os, sys

def main():
    try:
        import moto
    except ImportError:
        sys.exit("needs the moto package (pip install 'moto==5.2.1')")
    src = os.path.join(os.path.dirname(moto.__file__), "ec2", "resources", "instance_types.json.gz")
    types = json.load(gzip.open(src))
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(os.path.dirname(here), "data", "pricing", "ec2_instance_hardware.csv")
    cols = ["instance_type", "baseline_gbps", "peak_gbps", "efa", "gpu_count", "gpu_name", "gpu_memory_mib",
            "accelerator_count", "accelerator_name", "storage_gb", "storage_type", "storage_nvme"]
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for name in sorted(types):
            t = types[name]
            net = t.get("NetworkInfo", {})
            cards = net.get("NetworkCards") or []
            baseline = sum(c.get("BaselineBandwidthInGbps") or 0 for c in cards) or ""
            peak = sum(c.get("PeakBandwidthInGbps") or 0 for c in cards) or ""
            gpus = (t.get("GpuInfo") or {}).get("Gpus") or []
            acc = []
            for key, inner in [("InferenceAcceleratorInfo", "Accelerators"), ("NeuronInfo", "NeuronDevices"),
                               ("FpgaInfo", "Fpgas"), ("MediaAcceleratorInfo", "Accelerators")]:
                if not acc:
                    acc = (t.get(key) or {}).get(inner) or []
            store = t.get("InstanceStorageInfo") or {}
            disks = store.get("Disks") or []
            w.writerow([
                name,
                round(baseline, 3) if baseline != "" else "",
                round(peak, 3) if peak != "" else "",
                "true" if net.get("EfaSupported") else "false",
                sum(g.get("Count", 0) for g in gpus) or "",
                ";".join(sorted({f"{g.get('Manufacturer', '')} {g.get('Name', '')}".strip() for g in gpus})),
                (t.get("GpuInfo") or {}).get("TotalGpuMemoryInMiB", "") if gpus else "",
                sum(a.get("Count", 0) for a in acc) or "",
                ";".join(sorted({f"{a.get('Manufacturer', 'AWS')} {a.get('Name', '')}".strip() for a in acc})),
                store.get("TotalSizeInGB", "") if disks else "",
                ";".join(sorted({d.get("Type", "") for d in disks})),
                {"required": "true", "supported": "true"}.get(store.get("NvmeSupport", ""), "false") if disks else "",
            ])
    print(f"wrote {out} ({len(types)} types) from {src}")

if __name__ == "__main__":
    main()
