"""The HTML report: structure and escaping in Python, behaviour in headless Chromium.

The browser tests need a ``chromium`` binary; CI installs one (``.ci/run``), a developer
machine without it skips them with the reason.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, PathHop, Severity, fingerprint, sort_findings
from policycheck.report import renderer
from policycheck.report.html import render_html
from policycheck.report.html_assets import graph
from policycheck.report.html_assets.graph import NODE_H, exposure_graph_svg
from policycheck.scan import ScanResult, scan
from policycheck.suppressions.records import Origin, SuppressedFinding, SuppressionRecord

EXAMPLE = Path(__file__).parents[2] / "examples" / "insecure-web"
EVIL = '<script>alert("x")</script>'


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def having(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())]


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _path(resource: str) -> list[PathHop]:
    return [PathHop(type="InternetGateway", resource="aws_internet_gateway.g", detail="attached",
                    file="net.tf", line=3),
            PathHop(type="SecurityGroup", resource="aws_security_group.s",
                    detail="ingress tcp 22 from 0.0.0.0/0", file="sg.tf", line=7),
            PathHop(type="Instance", resource=resource, detail="public IPv4")]


def _finding(resource: str, severity: Severity = Severity.HIGH, line: int = 1,
             message: str = "reachable", remediation: str = "close it") -> Finding:
    return Finding(rule_id="NET001", package="network-reachability", severity=severity,
                   title="reachable port", message=message, resource=resource,
                   resource_type="aws_instance", file="main.tf", line=line,
                   remediation=remediation, fingerprint=fingerprint("NET001", resource),
                   finding_type="RecognizedPortWithListener", path_kind="IGW", protocol="tcp",
                   ports=[(22, 22)], sources=["0.0.0.0/0"], path=_path(resource))


def _result(findings: list[Finding], diagnostics: list[Diagnostic] | None = None) -> ScanResult:
    return ScanResult(root="/somewhere/stack", units=[], findings=sort_findings(findings),
                      diagnostics=diagnostics or [])


@pytest.fixture(scope="module")
def example_page() -> str:
    return render_html(scan([EXAMPLE]))


def test_html_is_a_registered_format() -> None:
    assert renderer("html") is render_html


def test_one_row_and_one_detail_row_per_finding(example_page: str) -> None:
    result = scan([EXAMPLE])
    page = _parse(example_page)
    rows = page.having("tr", **{"class": "finding"})
    assert len(rows) == len(result.findings) > 0
    assert len(page.having("tr", **{"class": "detail"})) == len(result.findings)
    assert [r["data-severity"] for r in rows] == [f.severity.value for f in result.findings]
    assert page.having("g", data_resource="aws_instance.bastion"), "bastion node in the graph"
    assert "security.tf:14" in example_page  # the path's hops carry file:line
    for anchor in ("graph", "findings", "errors", "notices"):
        assert page.having("section", id=anchor)


def test_output_is_deterministic() -> None:
    assert render_html(scan([EXAMPLE])) == render_html(scan([EXAMPLE]))


def test_malicious_text_is_escaped_everywhere() -> None:
    finding = _finding(EVIL, message=f"message {EVIL}", remediation=f"fix `{EVIL}`")
    diagnostics = [Diagnostic(level=DiagnosticLevel.ERROR, file=EVIL, line=2, message=EVIL)]
    page_text = render_html(_result([finding], diagnostics))
    assert "<script>alert" not in page_text
    page = _parse(page_text)
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    data_text = page.scripts[0][1]
    assert "</" not in data_text and "<" not in data_text
    data = json.loads(data_text)
    assert data["findings"][0]["resource"] == EVIL
    assert page.having("g", data_resource=EVIL), "the attribute round-trips, escaped"


def test_nothing_is_loaded_from_anywhere(example_page: str) -> None:
    page = _parse(render_html(_result([_finding(
        "aws_instance.a", remediation="See https://docs.aws.amazon.com/vpc/ for details.")])))
    for parsed in (page, _parse(example_page)):
        for tag, attrs in parsed.tags:
            assert "src" not in attrs and "srcset" not in attrs, tag
            assert tag not in ("link", "iframe", "img", "object", "embed", "base"), tag
            if "href" in attrs:
                assert tag == "a", tag
    links = page.having("a", href="https://docs.aws.amazon.com/vpc/")
    assert links, "remediation URLs become plain links"
    assert "url(" not in example_page and "@import" not in example_page
    assert "fetch(" not in example_page and "XMLHttpRequest" not in example_page


def test_content_security_policy_allows_exactly_the_inline_style_and_script(
        example_page: str) -> None:
    page = _parse(example_page)
    (meta,) = page.having("meta", http_equiv="Content-Security-Policy")
    policy = meta["content"] or ""
    assert "default-src 'none'" in policy
    style = re.search(r"<style>(.*?)</style>", example_page, re.S)
    assert style is not None
    for source in (style.group(1), page.scripts[1][1]):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_empty_result_renders_a_page_without_table_or_graph() -> None:
    page = render_html(_result([]))
    assert "No findings." in page and "<table" not in page
    assert "<svg" not in page


def test_errors_and_notices_are_listed() -> None:
    page = render_html(_result([], [
        Diagnostic(level=DiagnosticLevel.ERROR, file="bad.tf", line=4, message="cannot parse"),
        Diagnostic(level=DiagnosticLevel.NOTICE, file="main.tf", message="unknown type")]))
    assert "Errors (1)" in page and "bad.tf:4" in page and "cannot parse" in page
    assert "Notices (1)" in page and "unknown type" in page


def test_suppressed_and_baselined_findings_are_listed_apart() -> None:
    hidden = _finding("aws_instance.quiet", Severity.MEDIUM)
    record = SuppressionRecord(rule_id="NET001", origin=Origin.INLINE, reason=EVIL,
                               file="main.tf", line=3, target_line=4)
    result = _result([_finding("aws_instance.loud")]).model_copy(update={
        "suppressed": [SuppressedFinding(finding=hidden, suppression=record)],
        "baselined": [_finding("aws_instance.old", Severity.LOW)]})
    page = render_html(result)
    assert "Suppressed and baselined (2)" in page
    assert "suppressed (inline, main.tf:3)" in page and "<script>alert" not in page
    assert "aws_instance.old" in page and "in the baseline" in page
    assert len(_parse(page).having("tr", **{"class": "finding"})) == 1


def _node_boxes(svg: str) -> list[tuple[int, int]]:
    return [(int(x), int(y)) for x, y in
            re.findall(r'<rect x="(\d+)" y="(\d+)" width="\d+" height="\d+" rx="6"/>', svg)]


def test_graph_nodes_never_overlap_and_follow_the_path_columns() -> None:
    findings = [_finding(f"aws_instance.host{i}", line=i) for i in range(7)]
    svg = exposure_graph_svg(findings)
    boxes = _node_boxes(svg)
    assert len(boxes) == 1 + 1 + 1 + 7  # internet, gateway, security group, resources
    columns: dict[int, list[int]] = {}
    for x, y in boxes:
        columns.setdefault(x, []).append(y)
    assert len(columns) == 4
    for ys in columns.values():
        ys.sort()
        assert all(b - a >= NODE_H for a, b in pairwise(ys))
    assert svg.index(">Internet<") < svg.index(">Gateways<") < svg.index(">Resources<")


def test_graph_shows_file_names_relative_to_the_unit_folder() -> None:
    finding = _finding("aws_instance.a")
    hops = [h.model_copy(update={"file": f"stacks/web/{h.file}"}) if h.file else h
            for h in finding.path or []]
    svg = exposure_graph_svg([finding.model_copy(update={"path": hops})], folder="stacks/web")
    assert ">net.tf:3<" in svg and "stacks/web/net.tf" not in svg.split("</title>", 1)[1]


def test_graph_draws_only_the_most_severe_resources_beyond_the_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph, "MAX_RESOURCES", 2)
    findings = [_finding("aws_instance.low", Severity.LOW),
                _finding("aws_instance.high", Severity.HIGH),
                _finding("aws_instance.critical", Severity.CRITICAL)]
    svg = exposure_graph_svg(findings)
    assert 'data-resource="aws_instance.critical"' in svg
    assert 'data-resource="aws_instance.high"' in svg
    assert 'data-resource="aws_instance.low"' not in svg
    assert "1 less severe resources are not drawn" in svg


# --- in a real browser ------------------------------------------------------------------

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser")
                 if shutil.which(name)), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (CI installs Debian's chromium)")


def _chromium(tmp_path: Path, url: str, *extra: str) -> str:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    completed = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *extra, url],
        capture_output=True, text=True, timeout=120, check=True)
    return completed.stdout


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, example_page: str) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(example_page, encoding="utf-8")
    return path


def _shown_rows(dom: str) -> list[dict[str, str | None]]:
    return [a for a in _parse(dom).having("tr", **{"class": "finding"}) if "hidden" not in a]


@needs_chromium
def test_browser_runs_the_script_and_renders_table_and_graph(
        tmp_path: Path, report_file: Path) -> None:
    dom = _chromium(tmp_path, report_file.as_uri(), "--dump-dom")
    page = _parse(dom)
    (body,) = page.having("body")
    assert body.get("data-ready") == "true", "the script finished initialising"
    assert "data-error" not in body
    assert len(_shown_rows(dom)) == len(scan([EXAMPLE]).findings)
    assert page.having("g", data_resource="aws_instance.bastion")
    count = len(scan([EXAMPLE]).findings)
    assert f"Showing {count} of {count} findings" in dom


@needs_chromium
def test_browser_applies_a_severity_filter_from_the_fragment(
        tmp_path: Path, report_file: Path) -> None:
    dom = _chromium(tmp_path, report_file.as_uri() + "#severity=HIGH", "--dump-dom")
    shown = _shown_rows(dom)
    high = [f for f in scan([EXAMPLE]).findings if f.severity is Severity.HIGH]
    assert len(shown) == len(high) > 0
    assert {r["data-severity"] for r in shown} == {"HIGH"}


@needs_chromium
def test_browser_sorts_and_searches_from_the_fragment(
        tmp_path: Path, report_file: Path) -> None:
    dom = _chromium(tmp_path, report_file.as_uri() + "#q=legacy&sort=-location", "--dump-dom")
    data = {f["id"]: f for f in json.loads(_parse(dom).scripts[0][1])["findings"]}
    shown = [data[str(r["id"])] for r in _shown_rows(dom)]
    # "legacy" matches the instance and its security group (CIS rules), nothing else.
    assert shown and all(f["resource"] in ("aws_instance.legacy", "aws_security_group.legacy")
                         for f in shown)
    assert any(f["resource"] == "aws_instance.legacy" for f in shown)
    locations = [(f["file"], f["line"]) for f in shown]
    assert locations == sorted(locations, reverse=True)
    assert 'aria-sort="descending"' in dom


@needs_chromium
def test_browser_screenshot_is_drawn(tmp_path: Path, report_file: Path) -> None:
    png = tmp_path / "report.png"
    _chromium(tmp_path, report_file.as_uri(), f"--screenshot={png}", "--window-size=1440,900")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000, "a blank page compresses to far less"
