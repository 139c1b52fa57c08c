"""Reports: one module per output format, each rendering a ScanResult to text."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import assert_never

from policycheck.scan import ScanResult


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def renderer(fmt: OutputFormat) -> Callable[[ScanResult], str]:
    if fmt is OutputFormat.TEXT:
        from policycheck.report.text import render_text

        return render_text
    if fmt is OutputFormat.JSON:
        from policycheck.report.json import render_json

        return render_json
    assert_never(fmt)
