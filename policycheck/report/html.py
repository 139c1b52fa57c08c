"""The HTML report: one self-contained page to read, sort, filter and share.

Everything is inline — stylesheet, script, the exposure graph as SVG — and a Content
Security Policy forbids the page any network request. All text is escaped; the data
the script needs travels as JSON in a ``<script type="application/json">`` block. The
page is complete without JavaScript (every finding and its details are in the table);
the script only sorts, filters and folds. Output is deterministic: no timestamps, no
absolute paths, no random ids.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape
from pathlib import PurePosixPath
from typing import Any

from policycheck import __version__
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, Severity
from policycheck.report.html_assets.graph import exposure_graph_svg, ports_label
from policycheck.report.html_assets.script import SCRIPT
from policycheck.report.html_assets.style import CSS
from policycheck.scan import ScanResult

_COLUMNS = (("severity", "Severity"), ("rule", "Rule"), ("title", "Title"),
            ("resource", "Resource"), ("ports", "Ports"), ("location", "File:line"),
            ("type", "Type"))
_URL = re.compile(r"https?://(?:(?!&quot;|&#x27;|&gt;|&lt;)[^\s<>)])+")
_CODE = re.compile(r"`([^`]+)`")


def _rich(text: str) -> str:
    """Escaped text with `code` spans and bare http(s) URLs as links (never loaded)."""
    out = escape(text)
    out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}" rel="noreferrer noopener">'
                              f"{m.group(0)}</a>", out)


def _location(file: str | None, line: int | None) -> str:
    if not file:
        return ""
    return f"{file}:{line}" if line else file


def _finding_type(finding: Finding) -> str:
    return finding.finding_type or finding.resource_type


def _ports(finding: Finding) -> str:
    return ports_label(finding.protocol, finding.ports) if finding.ports is not None else ""


def _badge(severity: Severity, count: int | None = None) -> str:
    label = severity.value if count is None else f"{severity.value} {count}"
    zero = " zero" if count == 0 else ""
    return f'<span class="badge sev-{severity.value}{zero}">{escape(label)}</span>'


def _header(result: ScanResult) -> str:
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    root_name = PurePosixPath(result.root).name
    units = [root_name if u.model.unit == "." else u.model.unit for u in result.units]
    errors = sum(1 for d in result.diagnostics if d.level is DiagnosticLevel.ERROR)
    notices = len(result.diagnostics) - errors
    unit_text = (f"{len(units)} unit{'s' if len(units) != 1 else ''} assessed"
                 + (": " + ", ".join(units) if units else ""))
    return (f"<header>\n<h1>policycheck report — {escape(root_name)}"
            f"</h1>\n<div class=\"meta\">policycheck {escape(__version__)} · "
            f"{len(result.findings)} findings · {escape(unit_text)} · {errors} errors · "
            f"{notices} notices</div>\n"
            f"<div class=\"badges\">{''.join(_badge(s, counts[s]) for s in Severity)}</div>\n"
            '<nav><a href="#graph">Exposure graph</a><a href="#findings">Findings</a>'
            '<a href="#errors">Errors</a><a href="#notices">Notices</a></nav>\n</header>')


def _unit_of(finding: Finding, units: list[str]) -> str:
    """The unit a finding's file belongs to: the longest unit path that contains it."""
    best = ""
    for unit in units:
        inside = unit == "." or finding.file == unit or finding.file.startswith(unit + "/")
        if inside and len(unit) > len(best):
            best = unit
    return best


def _graph_section(result: ScanResult) -> str:
    units = sorted(u.model.unit for u in result.units)
    groups: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.path:
            groups.setdefault(_unit_of(finding, units), []).append(finding)
    parts = ['<section id="graph">\n<h2>Exposure graph</h2>']
    if not groups:
        parts.append('<p class="muted">No finding has a reachability path.</p>')
    for unit in sorted(groups):
        if len(groups) > 1:
            parts.append(f"<h3>{escape(unit or 'other')}</h3>")
        parts.append('<div class="graph-wrap">'
                     + exposure_graph_svg(groups[unit], f"Exposure graph {unit}".strip(),
                                          folder="" if unit == "." else unit)
                     + "</div>")
    if groups:
        parts.append('<p class="legend muted">Every path a finding reports, from the '
                     "internet to the exposed resource; colours give the most severe "
                     "finding through a node or edge.<span class=\"js-only\"> Click a node to "
                     "filter the table.</span></p>")
    parts.append("</section>")
    return "\n".join(parts)


def _filters(findings: list[Finding]) -> str:
    boxes = "".join(f'<label><input type="checkbox" name="severity" value="{s.value}" '
                    f"checked> {_badge(s)}</label>" for s in Severity)
    packages = sorted({f.package for f in findings})
    rules = sorted({f.rule_id for f in findings})
    package_options = "".join(f'<option value="{escape(p)}">{escape(p)}</option>'
                              for p in packages)
    rule_options = "".join(f'<option value="{escape(r)}">{escape(r)}</option>' for r in rules)
    return ('<form id="filters" class="filters" role="search">'
            f"<fieldset><legend>Severity</legend>{boxes}</fieldset>"
            '<label>Package <select name="package"><option value="">all</option>'
            f"{package_options}</select></label>"
            '<label>Rule <select name="rule"><option value="">all</option>'
            f"{rule_options}</select></label>"
            '<label>Search <input type="search" name="q" '
            'placeholder="resource, file, message…"></label>'
            f'<span id="shown">{len(findings)} findings</span></form>')


def _path_items(finding: Finding) -> str:
    assert finding.path is not None
    origin = "internet" if finding.path_kind in (None, "IGW", "ELB") else finding.path_kind
    sources = f" ({', '.join(finding.sources)})" if finding.sources else ""
    items = [f'<li><span class="hoptype">origin</span> {escape(origin + sources)}</li>']
    for hop in finding.path:
        where = _location(hop.file, hop.line)
        items.append(f'<li><span class="hoptype">{escape(hop.type)}</span> '
                     f"<code>{escape(hop.resource)}</code> — {escape(hop.detail)}"
                     + (f' <span class="loc">{escape(where)}</span>' if where else "")
                     + "</li>")
    return '<ol class="path">' + "".join(items) + "</ol>"


def _detail(finding: Finding) -> str:
    facts = [("package", escape(finding.package)),
             ("resource type", f"<code>{escape(finding.resource_type)}</code>"),
             ("fingerprint", f"<code>{escape(finding.fingerprint)}</code>")]
    if finding.sources:
        facts.append(("sources", escape(", ".join(finding.sources))))
    for framework, controls in sorted(finding.frameworks.items()):
        facts.append((framework, escape(", ".join(controls))))
    if finding.assumptions:
        facts.append(("assumptions", "<br>".join(escape(a) for a in finding.assumptions)))
    parts = [f"<p>{_rich(finding.message)}</p>",
             f"<p><strong>Fix:</strong> {_rich(finding.remediation)}</p>"]
    if finding.path:
        parts.append("<div><strong>Path</strong>" + _path_items(finding) + "</div>")
    parts.append("<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in facts)
                 + "</dl>")
    return "".join(parts)


def _rows(findings: list[Finding]) -> str:
    rows = []
    for number, finding in enumerate(findings, start=1):
        row_id = f"f{number}"
        cells = [_badge(finding.severity), escape(finding.rule_id), escape(finding.title),
                 f'<span class="mono">{escape(finding.resource)}</span>',
                 ", ".join(f'<span class="nw">{escape(part)}</span>'
                           for part in _ports(finding).split(", ") if part),
                 f'<span class="mono">{escape(_location(finding.file, finding.line))}</span>',
                 escape(_finding_type(finding))]
        classes = ["", "", "", "", ' class="port"', ' class="nw"', ""]
        rows.append(f'<tr class="finding" id="{row_id}" data-severity="'
                    f'{finding.severity.value}" tabindex="0" aria-expanded="false">'
                    + "".join(f"<td{c}>{cell}</td>" for c, cell in zip(classes, cells,
                                                                        strict=True))
                    + "</tr>")
        rows.append(f'<tr class="detail" id="{row_id}-detail"><td colspan="{len(_COLUMNS)}">'
                    f"{_detail(finding)}</td></tr>")
    return "\n".join(rows)


def _findings_section(findings: list[Finding]) -> str:
    if not findings:
        return '<section id="findings">\n<h2>Findings</h2>\n<p>No findings.</p>\n</section>'
    head = "".join(f'<th data-column="{key}" aria-sort="none"><button type="button">'
                   f"{label}</button></th>" for key, label in _COLUMNS)
    return (f'<section id="findings">\n<h2>Findings</h2>\n{_filters(findings)}\n'
            f'<table class="findings" id="findings-table">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{_rows(findings)}\n</tbody>\n</table>\n</section>")


def _diagnostics_section(anchor: str, title: str, items: list[Diagnostic]) -> str:
    if not items:
        return (f'<section id="{anchor}">\n<h2>{title}</h2>\n'
                f'<p class="muted">None.</p>\n</section>')
    lines = "".join(f'<li><span class="loc">{escape(_location(d.file, d.line))}</span> '
                    f"{escape(d.message)}</li>" for d in items)
    return (f'<section id="{anchor}">\n<h2>{title} ({len(items)})</h2>\n'
            f'<ul class="diagnostics">{lines}</ul>\n</section>')


def _set_aside_section(result: ScanResult) -> str:
    """Findings hidden by a suppression or the baseline: listed apart, never dropped."""
    items = []
    for entry in result.suppressed:
        f, record = entry.finding, entry.suppression
        reason = record.reason or "no reason given"
        items.append((f, f"suppressed ({record.origin.value}, "
                         f"{_location(record.file, record.line)}): {reason}"))
    items += [(f, "in the baseline") for f in result.baselined]
    if not items:
        return ""
    lines = "".join(f"<li>{_badge(f.severity)} {escape(f.rule_id)} "
                    f'<span class="mono">{escape(f.resource)}</span> '
                    f'<span class="loc">{escape(_location(f.file, f.line))}</span> — '
                    f"{escape(why)}</li>" for f, why in items)
    return (f'<section id="set-aside">\n<h2>Suppressed and baselined ({len(items)})</h2>\n'
            f'<ul class="diagnostics">{lines}</ul>\n</section>')


def _script_data(findings: list[Finding]) -> str:
    records: list[dict[str, Any]] = []
    for number, f in enumerate(findings, start=1):
        text = " ".join([f.rule_id, f.package, f.title, f.message, f.resource,
                         f.resource_type, _location(f.file, f.line), _finding_type(f),
                         _ports(f), *(h.resource for h in f.path or [])])
        records.append({"id": f"f{number}", "severity": f.severity.value,
                        "rank": f.severity.rank, "rule": f.rule_id, "package": f.package,
                        "title": f.title, "resource": f.resource, "file": f.file,
                        "line": f.line, "ports": _ports(f), "type": _finding_type(f),
                        "text": text.lower()})
    data = json.dumps({"findings": records}, ensure_ascii=False, sort_keys=True)
    # "<" never reaches the HTML parser, so no "</script>" or "<!--" can end the block.
    return data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(result: ScanResult) -> str:
    """The report as one HTML document that loads nothing from anywhere."""
    policy = (f"default-src 'none'; style-src {_csp_hash(CSS)}; "
              f"script-src {_csp_hash(SCRIPT)}; img-src data:; base-uri 'none'; "
              "form-action 'none'")
    title = f"policycheck report — {PurePosixPath(result.root).name}"
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    notices = [d for d in result.diagnostics if d.level is DiagnosticLevel.NOTICE]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        _header(result),
        "<main>",
        _graph_section(result),
        _findings_section(result.findings),
        _diagnostics_section("errors", "Errors", errors),
        _diagnostics_section("notices", "Notices", notices),
        _set_aside_section(result),
        "</main>",
        f'<script type="application/json" id="report-data">'
        f"{_script_data(result.findings)}</script>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]) + "\n"
