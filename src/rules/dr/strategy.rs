//! The four DR strategies, cheapest and slowest first (AWS's DR whitepaper ladder).

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strategy {
    /// AWS Backup with cross-region copies; restore on failover (hours).
    BackupRestore,
    /// Data replicated continuously, compute off (tens of minutes).
    PilotLight,
    /// A scaled-down copy running (minutes).
    WarmStandby,
    /// A full serving copy (near zero, about double the compute).
    MultiSite,
}

impl Strategy {
    pub const ALL: [Strategy; 4] =
        [Strategy::BackupRestore, Strategy::PilotLight, Strategy::WarmStandby, Strategy::MultiSite];

    /// The id used in tierwise.toml and the frames (`declared_strategy`).
    pub fn id(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "backup-restore",
            Strategy::PilotLight => "pilot-light",
            Strategy::WarmStandby => "warm-standby",
            Strategy::MultiSite => "multi-site",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "backup & restore",
            Strategy::PilotLight => "pilot light",
            Strategy::WarmStandby => "warm standby",
            Strategy::MultiSite => "multi-site active/active",
        }
    }

    /// A label short enough for the ladder's strategy column.
    pub fn short(self) -> &'static str {
        match self {
            Strategy::MultiSite => "multi-site",
            s => s.label(),
        }
    }

    /// Accepts the id, and `active-active` for multi-site.
    pub fn parse(text: &str) -> Option<Strategy> {
        match text.trim().to_ascii_lowercase().as_str() {
            "backup-restore" | "backup-and-restore" => Some(Strategy::BackupRestore),
            "pilot-light" => Some(Strategy::PilotLight),
            "warm-standby" => Some(Strategy::WarmStandby),
            "multi-site" | "active-active" => Some(Strategy::MultiSite),
            _ => None,
        }
    }

    pub fn ids() -> String {
        Strategy::ALL.iter().map(|s| format!("\"{}\"", s.id())).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(Strategy::parse(s.id()), Some(s));
        }
        assert_eq!(Strategy::parse("active-active"), Some(Strategy::MultiSite));
        assert_eq!(Strategy::parse("hot"), None);
        assert!(Strategy::BackupRestore < Strategy::MultiSite, "ordered cheapest and slowest first");
    }
}
