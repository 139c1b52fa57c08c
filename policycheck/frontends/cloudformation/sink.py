"""Collects the diagnostics of one template, once each, in the order they are met."""

from __future__ import annotations

from policycheck.diagnostics import Diagnostic, DiagnosticLevel


class DiagnosticSink:
    """Notices and errors for one template file (path relative to the scan root)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._items: list[Diagnostic] = []
        self._seen: set[tuple[DiagnosticLevel, int | None, str]] = set()

    def notice(self, line: int | None, message: str) -> None:
        """Record something that was not known or not modelled."""
        self._add(DiagnosticLevel.NOTICE, line, message)

    def error(self, line: int | None, message: str) -> None:
        """Record a part of the template that could not be assessed."""
        self._add(DiagnosticLevel.ERROR, line, message)

    def _add(self, level: DiagnosticLevel, line: int | None, message: str) -> None:
        key = (level, line, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self._items.append(Diagnostic(level=level, file=self.file, line=line, message=message))

    @property
    def items(self) -> list[Diagnostic]:
        """Every diagnostic, ordered by line then message (deterministic output)."""
        return sorted(self._items, key=Diagnostic.sort_key)
