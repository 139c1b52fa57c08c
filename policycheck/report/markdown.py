"""The Markdown report, for pull-request and merge-request comments.

A summary table by severity, a mermaid diagram of every exposure path per unit
(internet -> gateway -> route table -> NACL -> security group -> resource, deduplicated,
edges labelled with the protocols and ports that pass), the findings grouped by
severity (long groups folded in ``<details>``), then input errors and notices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import PurePosixPath

from policycheck import __version__
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, Severity
from policycheck.report.units import unit_names, unit_of
from policycheck.scan import ScanResult

_FOLD_OVER = 5
"""Groups with more findings than this are folded."""
_MAX_RANGES = 4
"""Port ranges shown per protocol on an edge before ``+N more``."""
_ANY_PORT = (0, 65535)
_AGGREGATE = "NetworkExposure"


def _escape(text: str) -> str:
    """Plain text for Markdown: no raw HTML, table pipes escaped, one line."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "|", "\\|")


def _label(text: str) -> str:
    """Text inside a quoted mermaid label, with mermaid's entity codes for the
    characters that would end the label or be read as markup."""
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;"))


# ---------------------------------------------------------------- exposure diagrams

def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def port_label(by_protocol: dict[str, list[tuple[int, int]]]) -> str:
    """``tcp 22, 80-81; udp 53`` with long lists shortened; ``tcp all`` for every port."""
    parts = []
    for protocol in sorted(by_protocol):
        ranges = _merge(by_protocol[protocol])
        if not ranges or ranges == [_ANY_PORT]:
            parts.append(f"{protocol} all")
            continue
        shown = [str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ranges[:_MAX_RANGES]]
        more = f" +{len(ranges) - _MAX_RANGES} more" if len(ranges) > _MAX_RANGES else ""
        parts.append(f"{protocol} {', '.join(shown)}{more}")
    return "; ".join(parts)


@dataclass
class _Node:
    id: str
    label: list[str]
    """Label lines, joined with line breaks."""
    shape: str = "rect"
    severity: Severity | None = None


@dataclass
class _Graph:
    nodes: dict[tuple[str, str], _Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = field(
        default_factory=dict)
    sources: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def node(self, key: tuple[str, str], label: list[str], shape: str = "rect") -> _Node:
        if key not in self.nodes:
            base = "n_" + re.sub(r"[^A-Za-z0-9_]", "_", f"{key[0]}_{key[1]}")
            taken = {n.id for n in self.nodes.values()}
            node_id, suffix = base, 2
            while node_id in taken:
                node_id, suffix = f"{base}_{suffix}", suffix + 1
            self.nodes[key] = _Node(node_id, label, shape)
        return self.nodes[key]

    def add(self, finding: Finding) -> None:
        kind = "internet" if finding.path_kind in ("IGW", "ELB", None) else finding.path_kind
        source_key = ("source", kind)
        self.node(source_key, [kind], "circle")
        self.sources.setdefault(source_key, set()).update(finding.sources or [])
        keys = [source_key]
        for hop in finding.path or []:
            key = (hop.type, hop.resource)
            if key != keys[-1]:  # a NACL's inbound and return-traffic hops are one node
                self.node(key, [hop.type, hop.resource])
                keys.append(key)
        target = self.nodes[keys[-1]]
        target.shape = "round"
        if target.severity is None or finding.severity.rank < target.severity.rank:
            target.severity = finding.severity
        for start, end in pairwise(keys):
            ports = self.edges.setdefault((self.nodes[start].id, self.nodes[end].id), {})
            ports.setdefault(finding.protocol or "all", []).extend(
                finding.ports or [_ANY_PORT])

    def mermaid(self) -> list[str]:
        shapes = {"rect": ('["', '"]'), "round": ('("', '")'), "circle": ('(("', '"))')}
        lines = ["```mermaid", "flowchart LR"]
        for key, node in self.nodes.items():
            label = list(node.label)
            if self.sources.get(key):
                label.append(", ".join(sorted(self.sources[key])))
            opening, closing = shapes[node.shape]
            text = "<br/>".join(_label(part) for part in label)
            lines.append(f"  {node.id}{opening}{text}{closing}")
        for (start, end), ports in self.edges.items():
            lines.append(f'  {start} -->|"{_label(port_label(ports))}"| {end}')
        for severity in Severity:
            members = [n.id for n in self.nodes.values() if n.severity is severity]
            if members:
                lines.append(f"  class {','.join(members)} {severity.value.lower()}")
        lines += ["  classDef critical fill:#f5c2c7,stroke:#842029",
                  "  classDef high fill:#f8d7da,stroke:#b02a37",
                  "  classDef medium fill:#fff3cd,stroke:#997404",
                  "  classDef low fill:#cfe2ff,stroke:#0a58ca",
                  "  classDef informational fill:#e2e3e5,stroke:#41464b",
                  "```"]
        return lines


def exposure_graphs(result: ScanResult) -> dict[str, list[str]]:
    """Unit -> the mermaid lines of its exposure paths (units with paths only)."""
    units = unit_names(result)
    graphs: dict[str, _Graph] = {}
    # An aggregate shows only its first path but lists every reachable port: drawn on
    # that path it would mislabel edges, so it is drawn only for a resource nothing
    # else reports.
    reported = {f.resource for f in result.findings
                if f.path and f.finding_type != _AGGREGATE}
    for finding in result.findings:
        if not finding.path or (finding.finding_type == _AGGREGATE
                                and finding.resource in reported):
            continue
        unit = unit_of(finding.file, units) or "."
        graphs.setdefault(unit, _Graph()).add(finding)
    return {unit: graphs[unit].mermaid() for unit in sorted(graphs)}


# ---------------------------------------------------------------- findings and problems

def _finding_item(finding: Finding) -> list[str]:
    lines = [f"- **{finding.rule_id}** {_escape(finding.title)}  ",
             f"  `{finding.resource}` at `{finding.file}:{finding.line}`  ",
             f"  {_escape(finding.message)}  "]
    for assumption in finding.assumptions or []:
        lines.append(f"  _Assumes:_ {_escape(assumption)}  ")
    lines.append(f"  **Fix:** {_escape(finding.remediation)}")
    return lines


def _severity_section(severity: Severity, group: list[Finding]) -> list[str]:
    items = [line for finding in group for line in _finding_item(finding)]
    title = f"{severity.value} ({len(group)})"
    if len(group) > _FOLD_OVER or severity is Severity.INFORMATIONAL:
        return [f"<details><summary><b>{title}</b></summary>", "", *items, "",
                "</details>", ""]
    return [f"### {title}", "", *items, ""]


def _where(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.file}:{diagnostic.line}" if diagnostic.line else diagnostic.file


def _problems(title: str, items: list[Diagnostic], folded: bool) -> list[str]:
    if not items:
        return []
    body = [f"- `{_where(d)}` {_escape(d.message)}" for d in items]
    if folded:
        return [f"<details><summary><b>{title} ({len(items)})</b></summary>", "", *body, "",
                "</details>", ""]
    return [f"### {title} ({len(items)})", "", *body, ""]


def render_markdown(result: ScanResult) -> str:
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    notices = [d for d in result.diagnostics if d.level is DiagnosticLevel.NOTICE]
    units = len(result.units)
    out = [f"## policycheck: {len(result.findings)} finding"
           f"{'s' if len(result.findings) != 1 else ''} in {units} "
           f"unit{'s' if units != 1 else ''}", ""]
    out += ["| Severity | Findings |", "|---|---:|"]
    out += [f"| {s.value} | {counts[s]} |" for s in Severity]
    out.append("")
    baselined = len(getattr(result, "baselined", None) or [])
    if baselined:
        out += [f"{baselined} finding{'s' if baselined != 1 else ''} already in the "
                f"baseline {'are' if baselined != 1 else 'is'} not shown.", ""]
    suppressed = len(getattr(result, "suppressed", None) or [])
    if suppressed:
        out += [f"{suppressed} suppressed finding{'s' if suppressed != 1 else ''} "
                f"{'are' if suppressed != 1 else 'is'} not shown.", ""]
    if errors:
        out += [f"**{len(errors)} input error{'s' if len(errors) != 1 else ''}:** part of "
                "the input could not be assessed (see below).", ""]
    graphs = exposure_graphs(result)
    if graphs:
        out += ["### Exposure paths", ""]
        for unit, lines in graphs.items():
            if len(graphs) > 1 or unit != ".":
                shown = unit if unit != "." else PurePosixPath(result.root).name or "."
                out += [f"`{shown}`", ""]
            out += [*lines, ""]
    for severity in Severity:
        group = [f for f in result.findings if f.severity is severity]
        if group:
            out += _severity_section(severity, group)
    out += _problems("Errors", errors, folded=False)
    out += _problems("Notices", notices, folded=True)
    out.append(f"<sub>policycheck {__version__}</sub>")
    return "\n".join(out) + "\n"
