//! `ebs_volumes`: a root volume per instance, data volumes for the stateful ones,
//! and a handful of forgotten unattached volumes.

use polars::prelude::*;

use super::calendar::{DAY_MS, HOUR_MS, WINDOW_END_MS};
use super::ec2_fleet::Instance;
use super::frame::{finish, text, text_opt, ts_opt};
use super::{MAIN_ACCOUNT, PRIMARY_REGION, Replica, SEOUL_REGION, Stream, tags_json};
use crate::snapshot::FrameName;

#[derive(Debug, Clone)]
pub struct Volume {
    pub id: String,
    pub account: &'static str,
    pub region: &'static str,
    pub az: &'static str,
    pub volume_type: &'static str,
    pub size_gib: i64,
    pub iops: Option<i64>,
    pub throughput_mibps: Option<i64>,
    pub attached_to: Option<String>,
    /// Role of the instance it is attached to (`db-primary`), for DR cross-references.
    pub attached_role: Option<&'static str>,
    pub create_ms: Option<i64>,
    pub tags: String,
}

/// What a volume is made of: type, size and provisioned performance.
#[derive(Debug, Clone, Copy)]
struct Disk {
    kind: &'static str,
    gib: i64,
    /// Provisioned IOPS (io1, gp3 above 3,000); gp2 gets its baseline.
    iops: Option<i64>,
    /// Provisioned throughput (gp3 above 125 MiB/s).
    throughput: Option<i64>,
}

const fn disk(kind: &'static str, gib: i64) -> Disk {
    Disk { kind, gib, iops: None, throughput: None }
}

/// Extra (non-root) volumes by fleet role.
const DATA_VOLUMES: &[(&str, Disk)] = &[
    ("db-primary", Disk { iops: Some(12_000), ..disk("io1", 2000) }),
    ("db-primary", disk("gp2", 500)),
    ("etl", disk("st1", 2500)),
    ("etl", disk("st1", 2500)),
    ("search", disk("gp2", 1000)),
    ("cache-legacy", disk("gp2", 200)),
    ("jenkins", disk("gp2", 1500)),
    ("reporting", disk("gp2", 800)),
    ("legacy-app", disk("gp2", 300)),
    ("monitoring", Disk { iops: Some(6000), throughput: Some(250), ..disk("gp3", 500) }),
    ("backoffice-win", disk("gp2", 500)),
];

/// A volume attached to nothing: its Name, disk, age in days (None = unknown) and region.
struct Forgotten {
    name: &'static str,
    disk: Disk,
    age_days: Option<i64>,
    region: &'static str,
}

const fn forgotten(name: &'static str, disk: Disk, age_days: Option<i64>) -> Forgotten {
    Forgotten { name, disk, age_days, region: PRIMARY_REGION }
}

const UNATTACHED: &[Forgotten] = &[
    forgotten("restore-test-2025", disk("gp2", 400), Some(420)),
    forgotten("old-jenkins-data", disk("gp2", 1000), Some(200)),
    forgotten("scratch", disk("gp3", 100), Some(95)),
    forgotten("oracle-migration", Disk { iops: Some(3000), ..disk("io1", 500) }, Some(300)),
    forgotten("kafka-old-broker", disk("st1", 2000), Some(150)),
    forgotten("just-detached", disk("gp2", 50), Some(2)),
    forgotten("unknown-origin", disk("gp2", 250), None),
    Forgotten { region: SEOUL_REGION, ..forgotten("seoul-old-data", disk("gp2", 200), Some(180)) },
];

/// Root volume of an instance.
fn root_volume(instance: &Instance) -> Disk {
    match instance.role {
        _ if instance.platform == "windows" => disk("gp2", 128),
        "eks-general" | "eks-spot" => disk("gp3", 100),
        "web" | "seoul-web" => disk("gp2", 50),
        "search" | "ingest" | "monitoring" | "new-service" => disk("gp3", 30),
        "db-primary" | "etl" => disk("gp2", 100),
        _ => disk("gp2", 30),
    }
}

/// gp2 baseline IOPS: 3 per GiB, 100 minimum, 16,000 maximum.
fn gp2_iops(size_gib: i64) -> i64 {
    (size_gib * 3).clamp(100, 16_000)
}

fn volume(id: String, disk: Disk, tags: String) -> Volume {
    let (iops, throughput_mibps) = match disk.kind {
        "gp2" => (Some(gp2_iops(disk.gib)), None),
        "gp3" => (Some(disk.iops.unwrap_or(3000)), Some(disk.throughput.unwrap_or(125))),
        "io1" | "io2" => (disk.iops, None),
        _ => (None, None),
    };
    Volume {
        id,
        account: MAIN_ACCOUNT,
        region: PRIMARY_REGION,
        az: "us-east-1a",
        volume_type: disk.kind,
        size_gib: disk.gib,
        iops,
        throughput_mibps,
        attached_to: None,
        attached_role: None,
        create_ms: None,
        tags,
    }
}

pub fn volumes(replica: &Replica, fleet: &[Instance]) -> Vec<Volume> {
    let mut out = Vec::new();
    let mut next_id = 0u64;
    let mut new_id = || {
        next_id += 1;
        replica.aws_id("vol", Stream::Volume, next_id)
    };
    for instance in fleet {
        let disks = std::iter::once(root_volume(instance))
            .chain(DATA_VOLUMES.iter().filter(|d| d.0 == instance.role).map(|d| d.1));
        for (n, disk) in disks.enumerate() {
            let label = if n == 0 { format!("{}-root", instance.name) } else { format!("{}-data{n}", instance.name) };
            let tags = tags_json(&[("Name", label.as_str())]);
            out.push(Volume {
                account: instance.account,
                region: instance.region,
                az: instance.az,
                attached_to: Some(instance.id.clone()),
                attached_role: Some(instance.role),
                create_ms: Some(instance.launch_ms + n as i64 * 60_000),
                ..volume(new_id(), disk, tags)
            });
        }
    }
    for (n, f) in UNATTACHED.iter().enumerate() {
        let mut rng = replica.rng(Stream::Volume, 1_000_000 + n as u64);
        let label = replica.name(f.name);
        let tags = tags_json(&[("Name", label.as_str()), ("team", "unknown")]);
        out.push(Volume {
            region: f.region,
            az: if f.region == SEOUL_REGION { "ap-northeast-2a" } else { ["us-east-1a", "us-east-1b"][n % 2] },
            create_ms: f.age_days.map(|d| WINDOW_END_MS - d * DAY_MS - rng.int(1, 23) * HOUR_MS),
            ..volume(new_id(), f.disk, tags)
        });
    }
    out
}

#[derive(Default)]
pub struct Rows {
    volumes: Vec<Volume>,
}

impl Rows {
    pub fn push(&mut self, volumes: &[Volume]) {
        self.volumes.extend_from_slice(volumes);
    }

    pub fn into_frame(self) -> DataFrame {
        let v = &self.volumes;
        let strs = |f: fn(&Volume) -> &str| v.iter().map(f).collect::<Vec<_>>();
        finish(
            FrameName::EbsVolumes,
            vec![
                text_opt("account_id", &v.iter().map(|x| Some(x.account)).collect::<Vec<_>>()),
                text_opt("region", &v.iter().map(|x| Some(x.region)).collect::<Vec<_>>()),
                text("volume_id", &strs(|x| x.id.as_str())),
                text("az", &strs(|x| x.az)),
                text("volume_type", &strs(|x| x.volume_type)),
                Column::new("size_gib".into(), v.iter().map(|x| x.size_gib).collect::<Vec<_>>()),
                Column::new("iops".into(), v.iter().map(|x| x.iops).collect::<Vec<_>>()),
                Column::new("throughput_mibps".into(), v.iter().map(|x| x.throughput_mibps).collect::<Vec<_>>()),
                text("state", &strs(|x| if x.attached_to.is_some() { "in-use" } else { "available" })),
                text_opt("attached_instance_id", &v.iter().map(|x| x.attached_to.as_deref()).collect::<Vec<_>>()),
                ts_opt("create_time", v.iter().map(|x| x.create_ms).collect()),
                text("tags", &strs(|x| x.tags.as_str())),
            ],
        )
    }
}
