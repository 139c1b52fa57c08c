"""``policycheck graph``: the topology with exposure paths, as DOT, mermaid and JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.reachability import analyse
from policycheck.reachability.exposure_graph import exposure_graph, render_dot
from tests.reachability.builders import lb_net

WEB = Path(__file__).parents[2] / "examples" / "insecure-web"
runner = CliRunner()

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_ATTRS = rf'\[(?:\w+=(?:{_QUOTED}|[\w.]+)(?:, )?)*\]'
_NODE = re.compile(rf"^  {_QUOTED} {_ATTRS};$")
_EDGE = re.compile(rf"^  ({_QUOTED}) -> ({_QUOTED}) {_ATTRS};$")


def _graph(fmt: str) -> str:
    result = runner.invoke(app, ["graph", str(WEB), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_dot_is_structurally_valid() -> None:
    lines = _graph("dot").splitlines()
    assert lines[0] == "digraph policycheck {" and lines[-1] == "}"
    nodes: set[str] = set()
    edges = []
    for line in lines[1:-1]:
        if line.startswith(("  rankdir", "  node [")):
            continue
        edge = _EDGE.match(line)
        if edge:
            edges.append((edge.group(1), edge.group(2)))
        else:
            assert _NODE.match(line), line
            nodes.add(line.split(" [", 1)[0].strip())
    assert edges and all(a in nodes and b in nodes for a, b in edges)
    exposed = [line for line in lines if "->" in line and "color=red" in line]
    assert any('"internet" -> "aws_internet_gateway.main"' in line for line in exposed)


def test_mermaid_is_balanced_and_highlights_exposure() -> None:
    text = _graph("mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    for line in lines[1:]:
        for opening, closing in ("[]", "()", "{}"):
            assert line.count(opening) == line.count(closing), line
        assert line.count('"') % 2 == 0, line
    assert any("==>" in line for line in lines)
    assert re.search(r"^  class (n\d+,)*n\d+ exposed$", text, re.MULTILINE)


def test_json_has_nodes_and_exposed_edges() -> None:
    document = json.loads(_graph("json"))
    ids = {node["id"] for node in document["nodes"]}
    assert {"internet", "aws_instance.bastion", "aws_instance.app"} <= ids
    app_node = next(n for n in document["nodes"] if n["id"] == "aws_instance.app")
    assert app_node["exposed"] is False
    edge = next(e for e in document["edges"]
                if e["source"] == "aws_security_group.bastion"
                and e["target"] == "aws_instance.bastion" and e["exposed"])
    assert "tcp 22" in edge["services"]
    assert all(e["source"] in ids and e["target"] in ids for e in document["edges"])


def test_load_balancer_path_runs_through_the_load_balancer() -> None:
    model = lb_net().build()
    graph = exposure_graph(model, analyse(model))
    assert graph.nodes["web"]["exposed"]
    assert any(graph.edges[a, b]["exposed"] for a, b in graph.in_edges("web"))
    assert '"internet"' in render_dot(graph)


def test_unknown_format_exits_2() -> None:
    assert runner.invoke(app, ["graph", str(WEB), "--format", "png"]).exit_code == 2
