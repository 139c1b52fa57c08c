"""The exposure graph: the findings' reachability paths drawn as one inline SVG.

Layout is deterministic and needs no layout engine: one column per kind of hop
(internet → gateways → route tables → NACLs → security groups → resources), nodes
stacked in each column in an order that follows their predecessors (fewer crossings),
ties broken by name; edges are cubic curves from the right side of one node to the left
side of the next. Coordinates are integers so the output is byte-identical across runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from policycheck.findings import Finding, Severity

_KNOWN_COLUMNS = ("InternetGateway", "RouteTable", "NetworkAcl", "SecurityGroup")
_COLUMN_TITLES = {
    "InternetGateway": "Gateways", "RouteTable": "Route tables",
    "NetworkAcl": "Network ACLs", "SecurityGroup": "Security groups",
}
_ORIGINS = {"IGW": "Internet", "ELB": "Internet", "VGW": "VPN / Direct Connect",
            "PEERING": "Peered VPC", "TGW": "Transit gateway"}
_RESOURCES = "\x00resources"  # the last column, whatever the final hop's type

NODE_W, NODE_H, COL_GAP, ROW_GAP = 210, 54, 56, 14
_LEFT, _TOP = 12, 34
_NAME_CHARS, _SMALL_CHARS = 23, 30  # what fits in NODE_W at the name / small font sizes
MAX_RESOURCES = 40
"""Draw at most this many resources (the most severe); the table lists every finding."""


def ports_label(protocol: str | None, ranges: list[tuple[int, int]] | None,
                limit: int = 6) -> str:
    """``tcp 22, 80-81`` — at most ``limit`` ranges, then ``+N more``; ``all`` for 0-65535."""
    if not ranges:
        return protocol or ""
    parts = ["all" if (low, high) == (0, 65535) else str(low) if low == high
             else f"{low}-{high}" for low, high in ranges]
    shown = ", ".join(parts[:limit])
    more = f" +{len(parts) - limit} more" if len(parts) > limit else ""
    return f"{protocol or ''} {shown}{more}".strip()


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


@dataclass
class _Node:
    column: str
    resource: str
    kind: str
    where: str = ""
    severity: Severity = Severity.INFORMATIONAL
    findings: int = 0
    ports: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    row: int = 0

    def note(self, finding: Finding) -> None:
        self.findings += 1
        if finding.severity.rank < self.severity.rank:
            self.severity = finding.severity


@dataclass
class _Edge:
    severity: Severity = Severity.INFORMATIONAL
    findings: int = 0


_NodeKey = tuple[str, str]


def _collect(findings: list[Finding], folder: str) -> tuple[
        dict[_NodeKey, _Node], dict[tuple[_NodeKey, _NodeKey], _Edge]]:
    nodes: dict[_NodeKey, _Node] = {}
    edges: dict[tuple[_NodeKey, _NodeKey], _Edge] = {}
    for finding in findings:
        if not finding.path:
            continue
        origin = _ORIGINS.get(finding.path_kind or "IGW", finding.path_kind or "Internet")
        keys: list[_NodeKey] = [("", origin)]
        nodes.setdefault(keys[0], _Node("", origin, "origin"))
        for index, hop in enumerate(finding.path):
            column = _RESOURCES if index == len(finding.path) - 1 else hop.type
            key = (column, hop.resource)
            if key != keys[-1]:  # a NACL's ingress and return hops are one node
                keys.append(key)
            file = hop.file or ""
            if folder and file.startswith(folder + "/"):
                file = file[len(folder) + 1:]
            where = f"{file}:{hop.line}" if file else ""
            node = nodes.setdefault(key, _Node(column, hop.resource, hop.type, where))
            node.where = node.where or where
        for key in keys:
            nodes[key].note(finding)
        if finding.ports is not None:
            target = nodes[keys[-1]]
            target.ports.setdefault(finding.protocol or "", []).extend(finding.ports)
        for pair in pairwise(keys):
            edge = edges.setdefault(pair, _Edge())
            edge.findings += 1
            if finding.severity.rank < edge.severity.rank:
                edge.severity = finding.severity
    return nodes, edges


def _columns(nodes: dict[_NodeKey, _Node]) -> list[str]:
    present = {node.column for node in nodes.values()}
    unknown = sorted(present - {"", _RESOURCES, *_KNOWN_COLUMNS})
    return ["", *(c for c in _KNOWN_COLUMNS if c in present), *unknown, _RESOURCES]


def _drop_excess(nodes: dict[_NodeKey, _Node],
                 edges: dict[tuple[_NodeKey, _NodeKey], _Edge]) -> int:
    """Keep the MAX_RESOURCES most severe resources; return how many were left out."""
    resources = sorted((n for n in nodes.values() if n.column == _RESOURCES),
                       key=lambda n: (n.severity.rank, n.resource))
    dropped = {(n.column, n.resource) for n in resources[MAX_RESOURCES:]}
    for pair in [p for p in edges if p[1] in dropped]:
        del edges[pair]
    for key in dropped:
        del nodes[key]
    linked = {k for pair in edges for k in pair}
    for key in [k for k in nodes if k not in linked and k[0] != ""]:
        del nodes[key]
    return len(dropped)


def _place(nodes: dict[_NodeKey, _Node], edges: dict[tuple[_NodeKey, _NodeKey], _Edge],
           columns: list[str]) -> None:
    """Rows per column: by the mean row of a node's predecessors, then by name."""
    predecessors: dict[_NodeKey, list[_NodeKey]] = {}
    for source, target in sorted(edges):
        predecessors.setdefault(target, []).append(source)
    for column in columns:
        members = [k for k in nodes if k[0] == column]

        def order(key: _NodeKey) -> tuple[float, str]:
            rows = [nodes[p].row for p in predecessors.get(key, []) if p in nodes]
            return (sum(rows) / len(rows) if rows else 0.0, key[1])

        for row, key in enumerate(sorted(members, key=order)):
            nodes[key].row = row


def _short(text: str, limit: int = _SMALL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _short_left(text: str, limit: int = _SMALL_CHARS) -> str:
    """Keep the end (a location's file name and line), drop the start."""
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


def _split(node: _Node) -> tuple[str, str]:
    """(small upper line, bold name line): ``aws_instance`` / ``bastion``."""
    if node.column == "":
        return "", node.resource
    address, _, suffix = node.resource.partition(" ")  # "aws_vpc.main default network ACL"
    head, dot, tail = address.partition(".")
    if not (dot and tail):
        head, tail = node.kind, address
    return (f"{head} · {suffix}" if suffix else head), tail


def _node_svg(node: _Node, x: int, y: int) -> str:
    upper, name = _split(node)
    pick = "" if node.column == "" else f' data-resource="{escape(node.resource)}" tabindex="0"'
    lines = [f'<g class="node sev-{node.severity.value}"{pick}>',
             f"<title>{escape(node.kind)} {escape(node.resource)}"
             f"{' (' + escape(node.where) + ')' if node.where else ''} — "
             f"{node.findings} finding{'s' if node.findings != 1 else ''}</title>",
             f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/>',
             f'<rect class="stripe" x="{x}" y="{y}" width="6" height="{NODE_H}" rx="3"/>']
    text_x = x + 14
    if node.column == "":
        lines.append(f'<text class="name" x="{text_x}" y="{y + 32}">{escape(name)}</text>')
    else:
        lines.append(f'<text class="kind" x="{text_x}" y="{y + 16}">'
                     f"{escape(_short(upper))}</text>")
        lines.append(f'<text class="name" x="{text_x}" y="{y + 32}">'
                     f"{escape(_short(name, _NAME_CHARS))}</text>")
        detail = ", ".join(ports_label(protocol, _merge(ranges), limit=4)
                           for protocol, ranges in sorted(node.ports.items()))
        detail = _short(detail) if detail else _short_left(node.where)
        if detail:
            lines.append(f'<text class="ports" x="{text_x}" y="{y + 47}">'
                         f"{escape(detail)}</text>")
    lines.append("</g>")
    return "".join(lines)


def exposure_graph_svg(findings: list[Finding], title: str = "Exposure graph",
                       folder: str = "") -> str:
    """An ``<svg>`` of every reachability path in ``findings``; ``""`` when there is none.

    ``folder``: the unit's folder, left out of the file names shown on nodes.
    """
    nodes, edges = _collect(findings, folder)
    if not edges:
        return ""
    left_out = _drop_excess(nodes, edges)
    columns = _columns(nodes)
    _place(nodes, edges, columns)
    pitch_x, pitch_y = NODE_W + COL_GAP, NODE_H + ROW_GAP
    heights = {c: sum(1 for k in nodes if k[0] == c) for c in columns}
    tallest = max(heights.values())
    width = _LEFT * 2 + len(columns) * pitch_x - COL_GAP
    height = _TOP + tallest * pitch_y + (22 if left_out else 0)

    def position(key: _NodeKey) -> tuple[int, int]:
        column = columns.index(key[0])
        offset = (tallest - heights[key[0]]) * pitch_y // 2
        return _LEFT + column * pitch_x, _TOP + offset + nodes[key].row * pitch_y

    out = [f'<svg class="graph" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
           f"<title>{escape(title)}</title>"]
    for index, column in enumerate(columns):
        name = "Internet" if column == "" else "Resources" if column == _RESOURCES else \
            _COLUMN_TITLES.get(column, column)
        out.append(f'<text class="column" x="{_LEFT + index * pitch_x}" y="16">'
                   f"{escape(name)}</text>")
    for (source, target), edge in sorted(edges.items(),
                                         key=lambda item: (-item[1].severity.rank, item[0])):
        x1, y1 = position(source)
        x2, y2 = position(target)
        x1, y1, y2 = x1 + NODE_W, y1 + NODE_H // 2, y2 + NODE_H // 2
        bend = (x2 - x1) // 2
        out.append(f'<path class="edge sev-{edge.severity.value}" '
                   f'd="M{x1} {y1} C{x1 + bend} {y1} {x2 - bend} {y2} {x2} {y2}">'
                   f"<title>{escape(source[1])} → {escape(target[1])}: {edge.findings} "
                   f"finding{'s' if edge.findings != 1 else ''}</title></path>")
    for key in sorted(nodes, key=lambda k: (columns.index(k[0]), nodes[k].row)):
        out.append(_node_svg(nodes[key], *position(key)))
    if left_out:
        out.append(f'<text class="column" x="{_LEFT}" y="{height - 6}">{left_out} less '
                   f"severe resources are not drawn; the table lists them all.</text>")
    out.append("</svg>")
    return "\n".join(out)
