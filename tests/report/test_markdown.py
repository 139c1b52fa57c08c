"""Markdown for pull-request comments: summary by severity, findings grouped with their
fix, a well-formed mermaid diagram of the exposure paths, errors, notices, baseline."""

from __future__ import annotations

import re
from itertools import pairwise

from policycheck.findings import Finding, Severity
from policycheck.report.markdown import port_label, render_markdown
from policycheck.scan import ScanResult
from tests.report.pr_samples import insecure_web, synthetic, with_suppressed

_NODE_ID = r"n_[A-Za-z0-9_]+"
_NODE = re.compile(rf'^  ({_NODE_ID})(\["|\("|\(\(")(.*?)("\]|"\)|"\)\))$')
_EDGE = re.compile(rf'^  ({_NODE_ID}) -->\|"([^"]*)"\| ({_NODE_ID})$')
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _mermaid_blocks(markdown: str) -> list[list[str]]:
    return [block.splitlines() for block in
            re.findall(r"^```mermaid\n(.*?)^```$", markdown, flags=re.S | re.M)]


def _balanced(line: str) -> bool:
    """Brackets balance and quotes pair once quoted text is taken out."""
    if line.count('"') % 2:
        return False
    stack: list[str] = []
    for char in re.sub(r'"[^"]*"', "", line):
        if char in "([{":
            stack.append(char)
        elif char in _PAIRS and (not stack or stack.pop() != _PAIRS[char]):
            return False
    return not stack


def _check_structure(block: list[str]) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Every line is a declared node, an edge between declared nodes, or styling."""
    assert block[0] == "flowchart LR"
    nodes: set[str] = set()
    edges = []
    for line in block[1:]:
        assert _balanced(line), line
        if node := _NODE.match(line):
            assert '"' not in node.group(3), line
            nodes.add(node.group(1))
        elif edge := _EDGE.match(line):
            edges.append((edge.group(1), edge.group(2), edge.group(3)))
        else:
            assert re.match(r"^  (class |classDef )", line), line
    assert all(start in nodes and end in nodes for start, _, end in edges)
    assert len(edges) == len(set(edges)), "edges are deduplicated"
    return nodes, edges


def test_insecure_web_has_the_bastion_path_in_one_mermaid_graph() -> None:
    markdown = render_markdown(insecure_web())
    (block,) = _mermaid_blocks(markdown)
    nodes, edges = _check_structure(block)
    text = "\n".join(block)
    for label in ('(("internet<br/>', '["InternetGateway<br/>aws_internet_gateway.main"]',
                  '["RouteTable<br/>aws_route_table.public"]',
                  '["SecurityGroup<br/>aws_security_group.bastion"]',
                  '("Instance<br/>aws_instance.bastion")'):
        assert label in text
    sg = "n_SecurityGroup_aws_security_group_bastion"
    bastion = "n_Instance_aws_instance_bastion"
    (label,) = [lbl for start, lbl, end in edges if (start, end) == (sg, bastion)]
    assert label == "tcp 22, 3389"
    # Internet -> gateway -> route table -> NACL -> SG -> resource, in that order.
    chain = ["n_source_internet", "n_InternetGateway_aws_internet_gateway_main",
             "n_RouteTable_aws_route_table_public"]
    assert all((a, b) in {(s, e) for s, _, e in edges} for a, b in pairwise(chain))
    assert f"class {bastion}" in text or f",{bastion}" in text  # coloured by severity
    assert "n_Instance_aws_instance_web_0_" in nodes and "n_Instance_aws_instance_web_1_" in nodes


def test_summary_groups_and_fix() -> None:
    result = insecure_web()
    markdown = render_markdown(result)
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    for severity, count in counts.items():
        assert f"| {severity.value} | {count} |" in markdown
    assert markdown.index("HIGH (") < markdown.index("MEDIUM (") < markdown.index("LOW (")
    assert "`aws_instance.bastion` at `instances.tf:1`" in markdown
    assert markdown.count("**Fix:**") == len(result.findings)
    assert "<details><summary><b>INFORMATIONAL" in markdown  # folded
    assert "already in the baseline" not in markdown


def test_errors_notices_and_escaping() -> None:
    markdown = render_markdown(synthetic())
    assert "### Errors (1)" in markdown
    assert "- `broken.tf:7` unexpected token: 100%, really second line" in markdown
    assert "<details><summary><b>Notices (1)</b></summary>" in markdown
    (block,) = _mermaid_blocks(markdown)
    _check_structure(block)
    # A quote in a resource address is an entity, never a stray quote.
    assert 'aws_security_group.ssh[#quot;a,b#quot;]' in "\n".join(block)
    assert "### CRITICAL (1)" in markdown


class _WithBaseline(ScanResult):
    baselined: list[Finding] = []


def test_baselined_findings_are_counted_when_the_result_has_them() -> None:
    base = synthetic()
    result = _WithBaseline(root=base.root, units=base.units, findings=base.findings,
                           diagnostics=base.diagnostics, baselined=base.findings[:3])
    assert "3 findings already in the baseline are not shown." in render_markdown(result)


def test_port_labels_merge_and_shorten() -> None:
    assert port_label({"tcp": [(443, 443), (22, 22), (80, 81), (82, 82)]}) == "tcp 22, 80-82, 443"
    assert port_label({"udp": [(0, 65535)], "tcp": [(1, 1)]}) == "tcp 1; udp all"
    many = [(p, p) for p in range(10, 30, 2)]
    assert port_label({"tcp": many}) == "tcp 10, 12, 14, 16 +6 more"


def test_deterministic() -> None:
    assert render_markdown(insecure_web()) == render_markdown(insecure_web())


def test_suppressed_and_baselined_counts_from_a_real_result_shape() -> None:
    markdown = render_markdown(with_suppressed())
    assert "1 finding already in the baseline is not shown." in markdown
    assert "2 suppressed findings are not shown." in markdown
    assert "aws_instance.r20" not in markdown
