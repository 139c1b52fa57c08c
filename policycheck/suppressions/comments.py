"""Inline suppressions: ``# policycheck:ignore RULE_ID[,RULE_ID] [until=DATE] reason``.

A comment on a code line annotates that line; a comment on a line of its own annotates
the first code line below it, across further comment lines but not across a blank line.
Findings whose line, or whose reachability path has a hop, on the annotated line match.
``//`` comments are recognised too (HCL). The reason runs to the end of the line or to a
further comment (`` # `` or `` // `` followed by a space), so notes can follow it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.model.base import Suppression

_DIRECTIVE = re.compile(r"(?:#|//)\s*policycheck:ignore\b(?P<rest>.*)$")
_IDS = re.compile(r"^\s*(?P<ids>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)")
_UNTIL = re.compile(r"^\s*until[=:](?P<date>\S+)")
_TRAILING_COMMENT = re.compile(r"\s(?:#|//)\s")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*)")
NO_RULE = "(none)"
"""The rule id recorded for a directive that names no rule (reported as unknown)."""


def _target_line(lines: list[str], index: int, standalone: bool) -> int | None:
    """1-based line the directive on ``lines[index]`` annotates, or None."""
    if not standalone:
        return index + 1
    for later in range(index + 1, len(lines)):
        text = lines[later]
        if not text.strip():
            return None
        if not _COMMENT_LINE.match(text):
            return later + 1
    return None


def parse_directive(rest: str) -> tuple[list[str], str | None, str | None]:
    """Rule ids, the ``until`` text (unparsed) and the reason of one directive."""
    ids_match = _IDS.match(rest)
    ids = re.split(r"\s*,\s*", ids_match.group("ids").upper()) if ids_match else [NO_RULE]
    rest = rest[ids_match.end():] if ids_match else rest
    until_match = _UNTIL.match(rest)
    until = until_match.group("date") if until_match else None
    rest = rest[until_match.end():] if until_match else rest
    rest = _TRAILING_COMMENT.split(" " + rest, maxsplit=1)[0]
    reason = rest.strip(" \t:-—") or None
    return ids, until, reason


def suppressions_in_text(text: str, file: str) -> tuple[list[Suppression], list[Diagnostic]]:
    """Every directive in one file's text; ``file`` is the path reported for it."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        standalone = not line[:match.start()].strip()
        ids, until_text, reason = parse_directive(match.group("rest"))
        until: date | None = None
        if until_text is not None:
            try:
                until = date.fromisoformat(until_text)
            except ValueError:
                problems.append(Diagnostic(
                    level=DiagnosticLevel.ERROR, file=file, line=index + 1,
                    message=f"policycheck:ignore: until={until_text!r} is not a "
                            f"YYYY-MM-DD date"))
                continue
        target = _target_line(lines, index, standalone)
        found += [Suppression(rule_id=rule_id, reason=reason, file=file, line=index + 1,
                              target_line=target, until=until) for rule_id in ids]
    return found, problems


def collect_inline(files: Iterable[Path], root: Path) -> tuple[list[Suppression],
                                                               list[Diagnostic]]:
    """The directives of ``files``; paths are reported relative to ``root``."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for path in sorted(set(files)):
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue  # the front-end reports unreadable files
        if "policycheck:ignore" not in text:
            continue
        try:
            name = path.resolve().relative_to(root).as_posix()
        except ValueError:
            name = path.as_posix()
        more, issues = suppressions_in_text(text, name)
        found += more
        problems += issues
    return found, problems
