"""Internet -> load balancer -> target: the load balancer's own exposure and its targets'."""

from __future__ import annotations

from policycheck.model import AutoScalingGroup, LaunchTemplate
from policycheck.reachability import PathKind, analyse
from tests.reachability.builders import add, codes, entry, ingress, lb_net, src


def _kinds(result: object, target: str) -> set[tuple[str, str, tuple[tuple[int, int], ...]]]:
    return {(e.path_kind.value, e.protocol, e.ports)
            for e in result.exposures if e.target == target}  # type: ignore[attr-defined]


def test_alb_exposes_its_listener_and_the_target_port_behind_it() -> None:
    result = analyse(lb_net().build())
    assert _kinds(result, "lb") == {("IGW", "tcp", ((443, 443),))}
    assert _kinds(result, "web") == {("ELB", "tcp", ((8080, 8080),))}
    target = next(e for e in result.exposures if e.target == "web")
    assert target.listener == "listener" and target.load_balancer == "lb"
    assert target.sources == ("0.0.0.0/0",)
    kinds = [hop.type for hop in target.path]
    assert kinds[0] == "InternetGateway" and kinds[-1] == "Instance"
    assert kinds.index("LbListener") < kinds.index("TargetGroup") < len(kinds) - 1
    sg_hop = next(hop for hop in target.path if hop.resource == "sg-web")
    assert "security group sg-lb" in sg_hop.detail


def test_target_group_not_admitting_the_load_balancer_blocks_with_sg_code() -> None:
    result = analyse(lb_net(web_rules=[ingress("tcp", (22, 22), group="sg-lb")]).build())
    assert _kinds(result, "web") == set()
    verdict = next(v for v in result.verdicts
                   if v.target == "web" and v.path_kind is PathKind.ELB)
    assert not verdict.reachable
    assert [b.code for b in verdict.blockers] == ["ENI_SG_RULES_MISMATCH"]


def test_alb_reaches_target_that_admits_the_load_balancer_subnet() -> None:
    net = lb_net(web_rules=[ingress("tcp", (8080, 8080), "10.0.1.0/24")])
    assert _kinds(analyse(net.build()), "web") == {("ELB", "tcp", ((8080, 8080),))}


def test_nlb_without_groups_preserves_clients() -> None:
    # The target admits only the load balancer's subnet: with client addresses preserved,
    # internet clients are not admitted.
    blocked = lb_net(lb_type="network", lb_groups=[], protocol="TCP",
                     web_rules=[ingress("tcp", (8080, 8080), "10.0.1.0/24")])
    assert _kinds(analyse(blocked.build()), "web") == set()
    open_ = lb_net(lb_type="network", lb_groups=[], protocol="TCP",
                   web_rules=[ingress("tcp", (8080, 8080), "198.51.100.0/24")])
    result = analyse(open_.build())
    assert _kinds(result, "lb") == {("IGW", "tcp", ((443, 443),))}
    target = next(e for e in result.exposures if e.target == "web")
    assert target.sources == ("198.51.100.0/24",)


def test_internal_load_balancer_exposes_nothing() -> None:
    net = lb_net()
    lb = net.parts["load_balancers"][0]
    net.parts["load_balancers"] = [lb.model_copy(update={"scheme": "internal"})]
    result = analyse(net.build())
    assert _kinds(result, "lb") == set() and _kinds(result, "web") == set()


def test_target_nacl_denying_the_load_balancer_is_a_blocker() -> None:
    net = lb_net()
    net.nacl("acl-private", subnets=["private"], entries=[
        entry(100, "deny", "tcp", "10.0.1.0/24", (8080, 8080)),
        entry(200, "allow", "all", "0.0.0.0/0"),
        entry(100, "allow", "all", "0.0.0.0/0", egress=True)])
    result = analyse(net.build())
    assert _kinds(result, "web") == set()
    verdict = next(v for v in result.verdicts
                   if v.target == "web" and v.path_kind is PathKind.ELB)
    assert [b.code for b in verdict.blockers] == ["SUBNET_ACL_RESTRICTION"]
    assert "#100" in verdict.blockers[0].detail


def test_autoscaling_group_target_is_named_by_the_finding() -> None:
    net = lb_net()
    net.parts["target_group_attachments"] = []
    add(net, "launch_templates", LaunchTemplate(id="lt", source=src("lt"),
                                                security_groups=["sg-web"]))
    add(net, "autoscaling_groups", AutoScalingGroup(
        id="asg", source=src("asg", "aws_autoscaling_group"), launch_template="lt",
        subnets=["private"], target_groups=["tg"]))
    result = analyse(net.build())
    assert _kinds(result, "asg") == {("ELB", "tcp", ((8080, 8080),))}


def test_open_path_on_no_listener_port_names_the_listener_restriction() -> None:
    # Found by the differential test: the load balancer's group admits tcp 80 from
    # anywhere, its only listener is 443, and the verdict listed no blocker at all.
    net = lb_net(lb_groups=["sg-open-80"])
    net.sg("sg-open-80", rules=[ingress("tcp", (80, 80), "0.0.0.0/0")])
    result = analyse(net.build())
    assert not [e for e in result.exposures if e.interface == "lb"]
    assert codes(result, "lb") == ["ELB_LISTENER_PORT_RESTRICTION"]
