//! The header line AWS writes at the top of every flow-log object delivered to S3: the
//! format's field names in order (`version account-id interface-id srcaddr …`). It is
//! the only self-description of a custom format, so columns are mapped by name.

/// Every field of VPC flow logs versions 2–11 (AWS's field table). Unknown names are
/// tolerated (AWS adds fields); a header must contain enough known ones to be one.
const KNOWN_FIELDS: &[&str] = &[
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "tcp-flags",
    "type",
    "pkt-srcaddr",
    "pkt-dstaddr",
    "region",
    "az-id",
    "sublocation-type",
    "sublocation-id",
    "pkt-src-aws-service",
    "pkt-dst-aws-service",
    "flow-direction",
    "traffic-path",
    "ecs-cluster-arn",
    "ecs-cluster-name",
    "ecs-container-instance-arn",
    "ecs-container-instance-id",
    "ecs-container-id",
    "ecs-second-container-id",
    "ecs-service-name",
    "ecs-task-definition-arn",
    "ecs-task-arn",
    "ecs-task-id",
    "reject-reason",
    "resource-id",
    "encryption-status",
    "instance-tag",
    "instance-tag-2",
    "interface-tag",
    "interface-tag-2",
    "asg-tag",
    "asg-tag-2",
    "interface-type",
    "next-hop-interface-id",
    "next-hop-subnet-id",
    "next-hop-az-id",
    "next-hop-vpc-id",
    "next-hop-interface-type",
];

/// The default (version 2) format, for messages.
pub const DEFAULT_FORMAT: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

/// Most fields a line may have (AWS's list is 54 long today).
pub const MAX_FIELDS: usize = 96;

/// Column positions of the fields the scan reads; None when the format lacks one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub fields: usize,
    pub account_id: Option<usize>,
    pub interface_id: Option<usize>,
    pub srcaddr: Option<usize>,
    pub dstaddr: Option<usize>,
    pub srcport: Option<usize>,
    pub dstport: Option<usize>,
    pub bytes: usize,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub action: Option<usize>,
    pub log_status: Option<usize>,
    pub subnet_id: Option<usize>,
    pub region: Option<usize>,
    pub az_id: Option<usize>,
    pub pkt_srcaddr: Option<usize>,
    pub pkt_dstaddr: Option<usize>,
    pub pkt_src_aws_service: Option<usize>,
    pub pkt_dst_aws_service: Option<usize>,
    pub flow_direction: Option<usize>,
    pub traffic_path: Option<usize>,
    pub resource_id: Option<usize>,
}

/// Why a first line is not a usable header; the message says what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HeaderError {
    #[error(
        "the first line is a record, not a header line: tierwise reads flow logs as AWS delivers them to S3, whose \
         first line names the fields (`{DEFAULT_FORMAT}` for the default format)"
    )]
    NoHeader,
    #[error("the header line names no flow-log field (expected names such as `{DEFAULT_FORMAT}`); found `{0}`")]
    NotFlowLog(String),
    #[error(
        "the header line lacks `{0}` (tierwise needs `bytes`, and `srcaddr`/`dstaddr` or `pkt-srcaddr`/`pkt-dstaddr`)"
    )]
    Missing(&'static str),
    #[error("the header line names `{0}` twice")]
    Duplicate(String),
    #[error("the header line has {0} fields; at most {MAX_FIELDS} are supported")]
    TooWide(usize),
    #[error("the file is empty (no header line)")]
    Empty,
}

fn is_field_name(token: &str) -> bool {
    !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && token.as_bytes()[0].is_ascii_lowercase()
}

impl Header {
    /// Parse a header line. Parquet-style underscore names are accepted as hyphens.
    pub fn parse(line: &str) -> Result<Header, HeaderError> {
        let tokens: Vec<String> = line.split_ascii_whitespace().map(|t| t.replace('_', "-")).collect();
        if tokens.is_empty() {
            return Err(HeaderError::Empty);
        }
        if tokens[0].bytes().all(|b| b.is_ascii_digit()) {
            return Err(HeaderError::NoHeader);
        }
        let known = tokens.iter().filter(|t| KNOWN_FIELDS.contains(&t.as_str())).count();
        if known == 0 || !tokens.iter().all(|t| is_field_name(t)) {
            let shown: String = line.chars().take(80).collect();
            return Err(HeaderError::NotFlowLog(shown));
        }
        if tokens.len() > MAX_FIELDS {
            return Err(HeaderError::TooWide(tokens.len()));
        }
        for (i, t) in tokens.iter().enumerate() {
            if tokens[..i].contains(t) {
                return Err(HeaderError::Duplicate(t.clone()));
            }
        }
        let at = |name: &str| tokens.iter().position(|t| t == name);
        let header = Header {
            fields: tokens.len(),
            account_id: at("account-id"),
            interface_id: at("interface-id"),
            srcaddr: at("srcaddr"),
            dstaddr: at("dstaddr"),
            srcport: at("srcport"),
            dstport: at("dstport"),
            bytes: at("bytes").ok_or(HeaderError::Missing("bytes"))?,
            start: at("start"),
            end: at("end"),
            action: at("action"),
            log_status: at("log-status"),
            subnet_id: at("subnet-id"),
            region: at("region"),
            az_id: at("az-id"),
            pkt_srcaddr: at("pkt-srcaddr"),
            pkt_dstaddr: at("pkt-dstaddr"),
            pkt_src_aws_service: at("pkt-src-aws-service"),
            pkt_dst_aws_service: at("pkt-dst-aws-service"),
            flow_direction: at("flow-direction"),
            traffic_path: at("traffic-path"),
            resource_id: at("resource-id"),
        };
        if header.srcaddr.is_none() && header.pkt_srcaddr.is_none() {
            return Err(HeaderError::Missing("srcaddr"));
        }
        if header.dstaddr.is_none() && header.pkt_dstaddr.is_none() {
            return Err(HeaderError::Missing("dstaddr"));
        }
        Ok(header)
    }

    /// True when a line could be a flow-log header (for recognising files by content).
    pub fn looks_like(line: &str) -> bool {
        Header::parse(line).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_format_maps_by_name() {
        let h = Header::parse(DEFAULT_FORMAT).unwrap();
        assert_eq!((h.fields, h.bytes, h.srcaddr, h.log_status), (14, 9, Some(3), Some(13)));
        assert_eq!((h.flow_direction, h.pkt_srcaddr, h.az_id), (None, None, None));
    }

    #[test]
    fn custom_format_in_any_order_with_unknown_fields() {
        let h = Header::parse("az-id bytes pkt-dstaddr pkt-srcaddr flow-direction some-future-field").unwrap();
        assert_eq!(
            (h.az_id, h.bytes, h.pkt_dstaddr, h.pkt_srcaddr, h.flow_direction),
            (Some(0), 1, Some(2), Some(3), Some(4))
        );
        assert_eq!(h.srcaddr, None);
    }

    #[test]
    fn wrong_headers_say_what_is_wrong() {
        assert_eq!(
            Header::parse("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK"),
            Err(HeaderError::NoHeader)
        );
        assert_eq!(Header::parse("version srcaddr dstaddr packets"), Err(HeaderError::Missing("bytes")));
        assert_eq!(Header::parse("version bytes srcaddr"), Err(HeaderError::Missing("dstaddr")));
        assert_eq!(Header::parse("bytes srcaddr dstaddr bytes"), Err(HeaderError::Duplicate("bytes".into())));
        assert!(matches!(Header::parse("Bucket,Key,Size"), Err(HeaderError::NotFlowLog(_))));
        assert!(matches!(Header::parse("name age city"), Err(HeaderError::NotFlowLog(_))));
        assert_eq!(Header::parse("   "), Err(HeaderError::Empty));
    }
}
