"""Scale of the reachability analysis on synthetic estates (models built directly, so the
figures are the analysis alone, not parsing).

An estate of N instances has N/5 security groups (a third of them referencing another
group), N/20 subnets in N/500 VPCs (half public, each with its route table and a NACL
per VPC), and N/100 internet-facing load balancers forwarding to autoscaling-free
instance targets. Each size runs in a fresh process; the row gives the analysis time and
the process's peak RSS.

    python benchmarks/scale.py            # 1k, 10k, 50k
    python benchmarks/scale.py 2000 4000  # chosen sizes
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policycheck.model import (  # noqa: E402
    Instance,
    InternetGateway,
    LbListener,
    ListenerAction,
    LoadBalancer,
    Model,
    NaclEntry,
    NetworkAcl,
    Route,
    RouteTable,
    RouteTableAssociation,
    RouteTargetKind,
    SecurityGroup,
    SgRule,
    SourceRef,
    Subnet,
    TargetGroup,
    TargetGroupAttachment,
    Vpc,
)

SIZES = (1_000, 10_000, 50_000)
TARGET_SECONDS = {10_000: 5.0}


def _src(address: str) -> SourceRef:
    return SourceRef(file="estate.tf", line=1, address=address, resource_type="synthetic")


def _rule(protocol: str, low: int | None, high: int | None, *, cidr: str | None = None,
          group: str | None = None) -> SgRule:
    return SgRule(direction="ingress", protocol=protocol, from_port=low, to_port=high,
                  cidr=cidr, security_group=group, source=_src("rule"))


def estate(instances: int) -> Model:
    """A deterministic synthetic estate with ``instances`` instances."""
    vpc_count = max(1, instances // 500)
    subnet_count = max(2, instances // 20)
    group_count = max(1, instances // 5)
    parts: dict[str, list[object]] = {k: [] for k in (
        "vpcs", "subnets", "internet_gateways", "route_tables", "route_table_associations",
        "network_acls", "security_groups", "instances", "load_balancers", "lb_listeners",
        "target_groups", "target_group_attachments")}
    for v in range(vpc_count):
        vpc = f"vpc{v}"
        parts["vpcs"].append(Vpc(id=vpc, source=_src(vpc), cidr_blocks=[f"10.{v % 256}.0.0/16"]))
        parts["internet_gateways"].append(InternetGateway(id=f"igw{v}", source=_src("igw"),
                                                          vpc=vpc))
        for public in (True, False):
            routes = [Route(destination="0.0.0.0/0", target_kind=RouteTargetKind.INTERNET_GATEWAY,
                            target=f"igw{v}", source=_src("route"))] if public else []
            parts["route_tables"].append(RouteTable(id=f"rt{v}{'pub' if public else 'priv'}",
                                                    source=_src("rt"), vpc=vpc, routes=routes))
        entries = [
            NaclEntry(rule_number=100, egress=False, protocol="tcp", action="deny",
                      cidr="198.51.100.0/24", from_port=0, to_port=65535, source=_src("e")),
            NaclEntry(rule_number=200, egress=False, protocol="all", action="allow",
                      cidr="0.0.0.0/0", source=_src("e")),
            NaclEntry(rule_number=100, egress=True, protocol="all", action="allow",
                      cidr="0.0.0.0/0", source=_src("e")),
        ]
        members = [f"subnet{s}" for s in range(subnet_count) if s % vpc_count == v]
        parts["network_acls"].append(NetworkAcl(id=f"acl{v}", source=_src("acl"), vpc=vpc,
                                                subnets=members, entries=entries))
    for s in range(subnet_count):
        v = s % vpc_count
        public = s % 2 == 0
        third = (s // vpc_count) % 256
        parts["subnets"].append(Subnet(id=f"subnet{s}", source=_src("subnet"), vpc=f"vpc{v}",
                                       cidr_block=f"10.{v % 256}.{third}.0/24",
                                       map_public_ip_on_launch=public))
        parts["route_table_associations"].append(RouteTableAssociation(
            id=f"assoc{s}", source=_src("assoc"), subnet=f"subnet{s}",
            route_table=f"rt{v}{'pub' if public else 'priv'}"))
    for g in range(group_count):
        v = g % vpc_count
        rules = [_rule("tcp", 443, 443, cidr="0.0.0.0/0"),
                 _rule("tcp", 22, 22, cidr=f"203.0.{g % 256}.0/24")]
        if g % 3 == 0:
            rules.append(_rule("tcp", 8080, 8080, group=f"sg{(g + vpc_count) % group_count}"))
        if g % 7 == 0:
            rules.append(_rule("all", None, None, cidr="0.0.0.0/0"))
        parts["security_groups"].append(SecurityGroup(id=f"sg{g}", source=_src("sg"),
                                                      vpc=f"vpc{v}", rules=rules))
    for i in range(instances):
        s = i % subnet_count
        v = s % vpc_count
        group = (i % max(1, group_count // vpc_count)) * vpc_count + v
        parts["instances"].append(Instance(
            id=f"i{i}", source=_src(f"i{i}"), subnet=f"subnet{s}",
            security_groups=[f"sg{group % group_count}"]))
    for b in range(max(1, instances // 100)):
        v = b % vpc_count
        public_subnets = [f"subnet{s}" for s in range(subnet_count)
                          if s % vpc_count == v and s % 2 == 0][:2]
        lb = f"lb{b}"
        parts["load_balancers"].append(LoadBalancer(
            id=lb, source=_src(lb), load_balancer_type="application", subnets=public_subnets,
            security_groups=[f"sg{v}"]))
        parts["lb_listeners"].append(LbListener(
            id=f"{lb}-https", source=_src(lb), load_balancer=lb, protocol="HTTPS", port=443,
            default_actions=[ListenerAction(type="forward", target_groups=[f"tg{b}"])]))
        parts["target_groups"].append(TargetGroup(id=f"tg{b}", source=_src("tg"),
                                                  vpc=f"vpc{v}", port=8080))
        for t in range(3):
            target = f"i{(b * 97 + t) % instances}"
            parts["target_group_attachments"].append(TargetGroupAttachment(
                id=f"tga{b}-{t}", source=_src("tga"), target_group=f"tg{b}", target=target))
    return Model(unit=".", **parts)


def measure(instances: int) -> dict[str, object]:
    """Build the estate, analyse it once, report time and peak memory (this process)."""
    from policycheck.reachability import analyse

    model = estate(instances)
    start = time.perf_counter()
    result = analyse(model)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"instances": instances, "security_groups": len(model.security_groups),
            "subnets": len(model.subnets), "load_balancers": len(model.load_balancers),
            "exposures": len(result.exposures), "seconds": round(seconds, 2),
            "peak_rss_mb": round(peak_mb, 1), "target_seconds": TARGET_SECONDS.get(instances)}


def run(sizes: tuple[int, ...] = SIZES) -> list[dict[str, object]]:
    """Each size in a fresh process, so peaks do not accumulate."""
    rows = []
    for size in sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)],
                              capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout))
    return rows


def report(rows: list[dict[str, object]]) -> str:
    lines = [f"{'instances':>10} {'SGs':>6} {'subnets':>8} {'LBs':>5} {'seconds':>8} "
             f"{'per 1k':>7} {'peak MB':>8}"]
    for row in rows:
        per_k = float(str(row["seconds"])) / (int(str(row["instances"])) / 1000)
        lines.append(f"{row['instances']:>10} {row['security_groups']:>6} {row['subnets']:>8} "
                     f"{row['load_balancers']:>5} {row['seconds']:>8} {per_k:>7.3f} "
                     f"{row['peak_rss_mb']:>8}")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        chosen = tuple(int(arg) for arg in sys.argv[1:]) or SIZES
        print(report(run(chosen)))
