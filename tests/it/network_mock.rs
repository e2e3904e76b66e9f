//! What moto cannot show about network interfaces (moto.md): AWS's wire interface types
//! (`nat_gateway`, `vpc_endpoint`, which the Rust SDK's enum does not know by that
//! spelling), requester-managed EKS control-plane interfaces, and NextToken pages —
//! with aws-smithy-mocks. Then those interfaces name a flow's ends.

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesOutput;
use aws_sdk_ec2::types::{NetworkInterface, NetworkInterfacePrivateIpAddress, NetworkInterfaceType, Tag};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use tierwise::import::network::inventory::Inventory;
use tierwise::import::network::ip::parse_ipv4;
use tierwise::import::network::topology::{Kind, Topology};

fn client(rules: &[&Rule]) -> Client {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for rule in rules {
        interceptor = interceptor.with_rule(rule);
    }
    let conf = aws_sdk_ec2::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .http_client(create_mock_http_client())
        .interceptor(interceptor)
        .build();
    Client::from_conf(conf)
}

fn eni(id: &str, kind: &str, description: &str, ip: &str, requester_managed: bool) -> NetworkInterface {
    eni_builder(id, kind, description, ip, requester_managed).build()
}

fn eni_builder(
    id: &str,
    kind: &str,
    description: &str,
    ip: &str,
    requester_managed: bool,
) -> aws_sdk_ec2::types::builders::NetworkInterfaceBuilder {
    NetworkInterface::builder()
        .network_interface_id(id)
        .interface_type(NetworkInterfaceType::from(kind))
        .description(description)
        .availability_zone("us-east-1b")
        .availability_zone_id("use1-az2")
        .subnet_id("subnet-b")
        .vpc_id("vpc-1")
        .private_ip_address(ip)
        .private_ip_addresses(NetworkInterfacePrivateIpAddress::builder().primary(true).private_ip_address(ip).build())
        .requester_managed(requester_managed)
}

#[test]
fn interface_types_on_the_wire_and_every_page_are_read() {
    let first =
        mock!(Client::describe_network_interfaces).match_requests(|r| r.next_token().is_none()).then_output(|| {
            DescribeNetworkInterfacesOutput::builder()
                .network_interfaces(eni(
                    "eni-nat",
                    "nat_gateway",
                    "Interface for NAT Gateway nat-0b",
                    "10.0.100.5",
                    true,
                ))
                .network_interfaces(eni("eni-vpce", "vpc_endpoint", "VPC Endpoint Interface vpce-1", "10.0.2.50", true))
                .next_token("page-2")
                .build()
        });
    let second = mock!(Client::describe_network_interfaces)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            let node = eni_builder("eni-node", "interface", "", "10.0.2.20", false);
            DescribeNetworkInterfacesOutput::builder()
                .network_interfaces(eni("eni-cp", "interface", "Amazon EKS prod", "10.0.2.200", true))
                .network_interfaces(
                    node.attachment(
                        aws_sdk_ec2::types::NetworkInterfaceAttachment::builder().instance_id("i-1").build(),
                    )
                    .tag_set(Tag::builder().key("cluster.k8s.amazonaws.com/name").value("prod").build())
                    .build(),
                )
                .build()
        });
    let ec2 = client(&[&first, &second]);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let enis = rt.block_on(tierwise::collectors::network::network_interfaces(&ec2, "us-east-1")).unwrap();
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1), "both pages");
    let kinds: Vec<(&str, &str)> = enis.iter().map(|e| (e.eni_id.as_str(), e.interface_type.as_str())).collect();
    assert_eq!(
        kinds,
        [("eni-nat", "nat_gateway"), ("eni-vpce", "vpc_endpoint"), ("eni-cp", "interface"), ("eni-node", "interface")]
    );
    assert_eq!(enis[2].eks_cluster.as_deref(), Some("prod"), "control plane by description");
    assert_eq!(enis[3].eks_cluster.as_deref(), Some("prod"), "VPC CNI tag");
    // The interfaces name addresses: a NAT gateway known only from its interface, the control plane, a node.
    let topo = Topology::build(&Inventory { enis, ..Inventory::default() }, &[]);
    let kind = |ip: &str| topo.parties[topo.address(parse_ipv4(ip.as_bytes()).unwrap()).unwrap().party as usize].kind;
    assert_eq!(kind("10.0.100.5"), Kind::Nat);
    assert_eq!(topo.nats[0].id, "nat-0b");
    assert_eq!(kind("10.0.2.200"), Kind::ControlPlane);
    assert_eq!(kind("10.0.2.20"), Kind::Node);
    assert_eq!(topo.nat_of_eni(b"eni-nat"), Some(0));
}
