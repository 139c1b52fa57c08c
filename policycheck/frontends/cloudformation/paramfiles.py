"""Parameter files: the AWS CLI's ``[{"ParameterKey": ..., "ParameterValue": ...}]`` and
the ``{"Parameters": {"Name": "Value"}}`` template-configuration format."""

from __future__ import annotations

import json
from pathlib import Path

from policycheck.diagnostics import Diagnostic, DiagnosticLevel

MAX_PARAMETER_FILE_BYTES = 1024 * 1024


def read_parameter_files(
    files: tuple[Path, ...], relative: str | None = None
) -> tuple[tuple[tuple[str, str], ...], list[Diagnostic]]:
    """(name, value) pairs of every file in order (later wins), and the problems met."""
    pairs: list[tuple[str, str]] = []
    problems: list[Diagnostic] = []
    for path in files:
        name = relative or path.as_posix()
        try:
            if path.stat().st_size > MAX_PARAMETER_FILE_BYTES:
                raise ValueError("file is too large")
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            pairs += _pairs(data)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            line = err.lineno if isinstance(err, json.JSONDecodeError) else None
            problems.append(Diagnostic(level=DiagnosticLevel.ERROR, file=name, line=line,
                                       message=f"cannot read parameter file: {err}"))
    return tuple(pairs), problems


def _pairs(data: object) -> list[tuple[str, str]]:
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        return [(str(key), _text(value)) for key, value in data["Parameters"].items()]
    if isinstance(data, list):
        pairs = []
        for item in data:
            if not isinstance(item, dict) or "ParameterKey" not in item:
                raise ValueError("each entry needs ParameterKey and ParameterValue")
            if item.get("UsePreviousValue") or "ParameterValue" not in item:
                continue  # the deployed value: not known here, the default stays
            pairs.append((str(item["ParameterKey"]), _text(item["ParameterValue"])))
        return pairs
    raise ValueError('expected [{"ParameterKey", "ParameterValue"}] or {"Parameters": {...}}')


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    return str(value)
