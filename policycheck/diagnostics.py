"""Problems met while reading inputs, reported with file and line.

An *error* means part of an input could not be assessed (exit code 2); a *notice*
means the input was assessed but something in it was not known or not modelled
(an unresolved reference, an unsupported resource type) — reported, never dropped.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DiagnosticLevel(StrEnum):
    ERROR = "error"
    NOTICE = "notice"


class Diagnostic(BaseModel):
    """One problem with an input, located as precisely as the input allows."""

    model_config = ConfigDict(frozen=True)

    level: DiagnosticLevel
    file: str
    """Path relative to the scanned folder."""
    line: int | None = None
    message: str

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.message)


class InputError(Exception):
    """An input could not be read or evaluated; carries file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}:{line or '?'}: {message}")
        self.file = file
        self.line = line
        self.message = message

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            level=DiagnosticLevel.ERROR, file=self.file, line=self.line, message=self.message
        )
