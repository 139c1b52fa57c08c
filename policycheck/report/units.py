"""Which assessed unit a reported file belongs to (shared by the JUnit and Markdown reports).

Findings and diagnostics name files relative to the scan root, as units do; a file
belongs to the unit whose path is its longest prefix (``.`` holds everything).
"""

from __future__ import annotations

from policycheck.scan import ScanResult


def unit_names(result: ScanResult) -> list[str]:
    """The assessed units, sorted, without duplicates."""
    return sorted({unit.model.unit for unit in result.units})


def unit_of(file: str, units: list[str]) -> str | None:
    """The unit holding ``file``, or None when no assessed unit does."""
    best: str | None = None
    for unit in units:
        holds = unit == "." or file == unit or file.startswith(unit.rstrip("/") + "/")
        if holds and (best is None or best == "." or len(unit) > len(best)):
            best = unit
    return best
