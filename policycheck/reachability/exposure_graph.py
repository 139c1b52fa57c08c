"""The topology as a graph with the exposure paths highlighted, for ``policycheck graph``.

Nodes are the network objects of the topology (VPCs, subnets, route tables, gateways,
NACLs, security groups — implicit AWS defaults included when something uses them), the
endpoints placed in them and one node per source of traffic (``internet``,
``on-premises``...). Edges are the topology's relations (``in``, ``attached``,
``associated``, ``guards``...), endpoint placement (``in`` subnet, ``protects``), and the
hops of every exposure path, marked ``exposed`` with the services they carry.
"""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import networkx as nx

from policycheck.model import Model
from policycheck.reachability.analysis import ReachabilityOptions, prepare
from policycheck.reachability.result import PathKind, ReachabilityResult

SOURCE_NODES = {
    PathKind.IGW: "internet",
    PathKind.ELB: "internet",
    PathKind.VGW: "on-premises",
    PathKind.PEERING: "peered VPCs",
    PathKind.TGW: "transit gateway networks",
}
_DEFAULTS = ReachabilityOptions()


def _services(protocol: str, ports: tuple[tuple[int, int], ...]) -> str:
    if protocol == "all" or not ports:
        return protocol
    return f"{protocol} " + ",".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in ports)


def exposure_graph(model: Model, result: ReachabilityResult,
                   options: ReachabilityOptions = _DEFAULTS) -> nx.DiGraph:
    """The unit's topology with its endpoints and exposure paths (see the module doc)."""
    prepared = prepare(model, options)
    graph: nx.DiGraph = nx.DiGraph()

    def node(node_id: str, kind: str) -> None:
        if node_id not in graph:
            graph.add_node(node_id, kind=kind, exposed=False)

    topology = prepared.topology.graph
    for first, second, relation in topology.edges(keys=True):
        node(first, str(topology.nodes[first].get("kind", "")))
        node(second, str(topology.nodes[second].get("kind", "")))
        graph.add_edge(first, second, relation=relation, exposed=False, services=[])
    for spec in prepared.specs + [s for specs in prepared.lbs.values() for s in specs]:
        subnet = spec.placement.subnet
        if subnet is None:
            continue
        obj = model.get(spec.target)
        node(subnet.id, "Subnet")
        node(spec.interface, obj.kind if obj is not None else spec.kind)
        graph.add_edge(spec.interface, subnet.id, relation="in", exposed=False, services=[])
        for group in spec.security_groups:
            if isinstance(group, str):
                node(group, "SecurityGroup")
                graph.add_edge(group, spec.interface, relation="protects", exposed=False,
                               services=[])
    for exposure in result.exposures:
        source = SOURCE_NODES[exposure.path_kind]
        node(source, "Source")
        graph.nodes[source]["exposed"] = True
        chain = [source] + [hop.resource for hop in exposure.path]
        service = _services(exposure.protocol, exposure.ports)
        for hop, hop_id in zip(exposure.path, chain[1:], strict=True):
            node(hop_id, hop.type)
            graph.nodes[hop_id]["exposed"] = True
        for first, second in pairwise(chain):
            if first == second:
                continue
            if not graph.has_edge(first, second):
                graph.add_edge(first, second, relation="path", exposed=True, services=[])
            data = graph.edges[first, second]
            data["exposed"] = True
            if service not in data["services"]:
                data["services"].append(service)
    return graph


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _dot_id(text: str) -> str:
    return f'"{_dot_escape(text)}"'


def render_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT: exposed nodes and edges in red, edges labelled with the services."""
    lines = ["digraph policycheck {", "  rankdir=LR;",
             '  node [shape=box, fontname="Helvetica"];']
    for node_id, data in sorted(graph.nodes(data=True)):
        label = _dot_escape(node_id) + (f"\\n{_dot_escape(data['kind'])}" if data["kind"] else "")
        style = ', color=red, penwidth=2' if data["exposed"] else ""
        shape = ", shape=ellipse" if data["kind"] == "Source" else ""
        lines.append(f'  {_dot_id(node_id)} [label="{label}"{shape}{style}];')
    for first, second, data in sorted(graph.edges(data=True)):
        label = ", ".join(data["services"]) if data["exposed"] else data["relation"]
        style = ", color=red, penwidth=2" if data["exposed"] else ", color=gray"
        lines.append(f"  {_dot_id(first)} -> {_dot_id(second)} [label={_dot_id(label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("|", "#124;"))


def render_mermaid(graph: nx.DiGraph) -> str:
    """A mermaid flowchart: exposed paths as thick arrows, exposed nodes in the
    ``exposed`` class."""
    names = {node_id: f"n{index}" for index, node_id in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for node_id, data in sorted(graph.nodes(data=True)):
        label = _mermaid_label(f"{node_id} ({data['kind']})" if data["kind"] else node_id)
        shape = ('(["', '"])') if data["kind"] == "Source" else ('["', '"]')
        lines.append(f"  {names[node_id]}{shape[0]}{label}{shape[1]}")
    for first, second, data in sorted(graph.edges(data=True)):
        if data["exposed"]:
            label = _mermaid_label(", ".join(data["services"]) or "path")
            lines.append(f"  {names[first]} ==>|\"{label}\"| {names[second]}")
        else:
            lines.append(f"  {names[first]} -.->|{data['relation']}| {names[second]}")
    exposed = [names[n] for n, data in sorted(graph.nodes(data=True)) if data["exposed"]]
    lines.append("  classDef exposed fill:#fdd,stroke:#c00,stroke-width:2px")
    if exposed:
        lines.append(f"  class {','.join(exposed)} exposed")
    return "\n".join(lines) + "\n"


def graph_document(graph: nx.DiGraph) -> dict[str, Any]:
    return {
        "nodes": [{"id": node_id, **data} for node_id, data in sorted(graph.nodes(data=True))],
        "edges": [{"source": first, "target": second, **data}
                  for first, second, data in sorted(graph.edges(data=True))],
    }


def render_json(graph: nx.DiGraph) -> str:
    return json.dumps(graph_document(graph), indent=2) + "\n"


RENDERERS = {"dot": render_dot, "mermaid": render_mermaid, "json": render_json}
