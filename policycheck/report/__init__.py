"""Reports: one module per output format, each rendering a ScanResult to text.

A format is registered here by name with the module and function that render it; the
module is imported only when that format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policycheck.scan import ScanResult

Renderer = Callable[["ScanResult"], str]

RENDERERS: dict[str, tuple[str, str]] = {
    "text": ("policycheck.report.text", "render_text"),
    "json": ("policycheck.report.json", "render_json"),
    "sarif": ("policycheck.report.sarif", "render_sarif"),
    "junit": ("policycheck.report.junit", "render_junit"),
    "gitlab": ("policycheck.report.gitlab", "render_gitlab"),
    "markdown": ("policycheck.report.markdown", "render_markdown"),
    "github": ("policycheck.report.github", "render_github"),
    "html": ("policycheck.report.html", "render_html"),
}
"""Format name -> (module, function). Keep sorted by how common the format is."""


def formats() -> list[str]:
    return list(RENDERERS)


def renderer(name: str) -> Renderer:
    """The render function of a format; KeyError for an unknown name."""
    module_name, function = RENDERERS[name]
    render: Renderer = getattr(importlib.import_module(module_name), function)
    return render
