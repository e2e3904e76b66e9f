//! What to run: aws-cli commands for instances, launch-template changes for Auto Scaling
//! groups, eksctl/Terraform notes for EKS node groups. tierwise itself never runs them.

use crate::report::Action;

use super::fleet::{Instance, Unit, UnitKind};

fn cli(text: String) -> Action {
    Action::new("aws-cli", text)
}

fn note(text: impl Into<String>) -> Action {
    Action::new("note", text)
}

fn ids(unit: &Unit, instances: &[Instance]) -> String {
    unit.members.iter().map(|&m| instances[m].id.as_str()).collect::<Vec<_>>().join(" ")
}

/// How an idle unit is retired; `how` is the idle rule's `action` parameter.
pub fn retire(unit: &Unit, instances: &[Instance], how: &str) -> Vec<Action> {
    let first = unit.first(instances);
    let region = &first.region;
    match unit.kind {
        UnitKind::Instance => {
            let id = &first.id;
            let mut out = Vec::new();
            match how {
                "terminate" => {}
                "snapshot-and-terminate" => out.push(cli(format!(
                    "aws ec2 create-image --region {region} --instance-id {id} --name tierwise-before-terminate-{id} --no-reboot"
                ))),
                _ => out.push(cli(format!("aws ec2 stop-instances --region {region} --instance-ids {id}"))),
            }
            if how == "stop" {
                out.push(note(
                    "Stopping ends the instance charge; its EBS volumes are still billed. If nobody misses it, \
                     `aws ec2 create-image` (keeps a snapshot of every volume) and then `aws ec2 terminate-instances`.",
                ));
            } else {
                out.push(cli(format!("aws ec2 terminate-instances --region {region} --instance-ids {id}")));
            }
            out
        }
        UnitKind::AutoScalingGroup => {
            let group = unit.group.as_deref().unwrap_or(&unit.id);
            vec![
                cli(format!(
                    "aws autoscaling update-auto-scaling-group --region {region} --auto-scaling-group-name {group} \
                     --min-size 0 --desired-capacity 0"
                )),
                note(format!(
                    "Stopping members of an Auto Scaling group does not help: the group replaces them. Scale it to \
                     zero, or delete it (`aws autoscaling delete-auto-scaling-group --auto-scaling-group-name {group}`) \
                     once nothing depends on it. Members now: {}.",
                    ids(unit, instances)
                )),
            ]
        }
        UnitKind::EksNodeGroup => {
            let cluster = unit.eks_cluster.as_deref().unwrap_or("<cluster>");
            let nodegroup = unit.nodegroup_name(instances);
            vec![
                Action::new(
                    "note",
                    format!(
                        "eksctl scale nodegroup --cluster {cluster} --name {nodegroup} --nodes 0 --nodes-min 0\n\
                         # Terraform: set scaling_config {{ min_size = 0, desired_size = 0 }} on the aws_eks_node_group"
                    ),
                ),
                note("Check that no pods are scheduled only there (taints, node selectors) before scaling to zero."),
            ]
        }
    }
}

/// How to move a unit to `target`; `arm64` when the target needs an arm64 image.
pub fn change_type(unit: &Unit, instances: &[Instance], target: &str, arm64: bool) -> Vec<Action> {
    let first = unit.first(instances);
    let region = &first.region;
    match unit.kind {
        UnitKind::Instance if !arm64 => {
            let id = &first.id;
            vec![
                cli(format!("aws ec2 stop-instances --region {region} --instance-ids {id}")),
                cli(format!("aws ec2 wait instance-stopped --region {region} --instance-ids {id}")),
                cli(format!(
                    "aws ec2 modify-instance-attribute --region {region} --instance-id {id} --instance-type \"{{\\\"Value\\\": \\\"{target}\\\"}}\""
                )),
                cli(format!("aws ec2 start-instances --region {region} --instance-ids {id}")),
                note("The instance is down between stop and start; plan a maintenance window."),
            ]
        }
        UnitKind::Instance => vec![
            note(format!(
                "{target} is arm64: the current x86 image cannot boot on it. Build or pick an arm64 AMI of the same OS \
                 (e.g. Amazon Linux 2023 arm64), make sure the software has arm64 builds, and launch a replacement:"
            )),
            cli(format!(
                "aws ec2 run-instances --region {region} --instance-type {target} --image-id <arm64-ami-id> \
                 --subnet-id <subnet-of-{}> --security-group-ids <groups-of-{}>",
                first.id, first.id
            )),
            cli(format!("aws ec2 terminate-instances --region {region} --instance-ids {}  # after cutover", first.id)),
        ],
        UnitKind::AutoScalingGroup => {
            let group = unit.group.as_deref().unwrap_or(&unit.id);
            let data = if arm64 {
                format!("{{\"InstanceType\":\"{target}\",\"ImageId\":\"<arm64-ami-id>\"}}")
            } else {
                format!("{{\"InstanceType\":\"{target}\"}}")
            };
            vec![
                cli(format!(
                    "aws autoscaling describe-auto-scaling-groups --region {region} --auto-scaling-group-names {group} \
                     --query \"AutoScalingGroups[0].[LaunchTemplate,MixedInstancesPolicy.LaunchTemplate]\""
                )),
                cli(format!(
                    "aws ec2 create-launch-template-version --region {region} --launch-template-id <launch-template-id> \
                     --source-version '$Latest' --launch-template-data '{data}'"
                )),
                cli(format!(
                    "aws autoscaling start-instance-refresh --region {region} --auto-scaling-group-name {group}"
                )),
                note(format!(
                    "Change the launch template the group uses (or the override in its mixed instances policy; in \
                     Terraform, `instance_type = \"{target}\"` on the aws_launch_template), then refresh: new members \
                     launch as {target}. Scaling policies keep working; the group may run more, smaller members."
                )),
            ]
        }
        UnitKind::EksNodeGroup => {
            let cluster = unit.eks_cluster.as_deref().unwrap_or("<cluster>");
            let nodegroup = unit.nodegroup_name(instances);
            let n = unit.size();
            let ami = if arm64 { " (eksctl picks the arm64 EKS AMI for Graviton types)" } else { "" };
            vec![
                note(format!(
                    "A managed node group's instance type cannot be changed in place: create a new node group{ami}, \
                     then drain and delete the old one.\n\
                     eksctl create nodegroup --cluster {cluster} --name {nodegroup}-{} --node-type {target} \
                     --nodes {n} --nodes-min {n} --nodes-max {n}\n\
                     eksctl delete nodegroup --cluster {cluster} --name {nodegroup} --drain",
                    target.replace('.', "-")
                )),
                Action::new(
                    "terraform",
                    format!(
                        "# aws_eks_node_group \"{nodegroup}\": a new instance type replaces the group (use create_before_destroy)\n\
                         instance_types = [\"{target}\"]{}",
                        if arm64 { "\nami_type       = \"AL2023_ARM_64_STANDARD\"" } else { "" }
                    ),
                ),
            ]
        }
    }
}
