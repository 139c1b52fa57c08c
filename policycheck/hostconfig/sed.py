"""``sed -i`` edits: the lines a substitution, ``c``, ``a`` or ``i`` command puts into
the files it edits. A replacement that depends on the match (``&``, ``\\1``) is not
known and is skipped."""

from __future__ import annotations

import re

_ADDRESS = r"(?:\$|\d+|/(?:[^/\\]|\\.)*/)?"
_TEXT_COMMAND = re.compile(rf"^{_ADDRESS}\s*([cai])\\?\s*(.*)$", re.DOTALL)


def _split(expression: str, delimiter: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in expression:
        if escaped:
            current += char if char == delimiter else "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == delimiter:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _lines_of(expression: str) -> list[str]:
    expression = expression.strip()
    substitution = re.match(rf"^{_ADDRESS}\s*s(.)", expression)
    if substitution:
        delimiter = substitution.group(1)
        pieces = _split(expression[substitution.end():], delimiter)
        if len(pieces) < 2:
            return []
        replacement = pieces[1]
        if "&" in replacement.replace("\\&", "") or re.search(r"\\\d", replacement):
            return []
        return [line.replace("\\&", "&") for line in replacement.split("\\n")]
    match = _TEXT_COMMAND.match(expression)
    if match:
        return [line for line in match.group(2).split("\\n") if line.strip()]
    return []


def sed_lines(args: list[str]) -> list[tuple[str, list[str]]]:
    """(file, lines put in it) for a ``sed`` command's arguments (without ``sed``); empty
    unless the files are edited in place (``-i``)."""
    in_place = False
    expressions: list[str] = []
    positional: list[str] = []
    take_expression = False
    for word in args:
        if take_expression:
            expressions.append(word)
            take_expression = False
        elif word in ("-e", "--expression"):
            take_expression = True
        elif word.startswith("--expression="):
            expressions.append(word.partition("=")[2])
        elif word.startswith("--in-place"):
            in_place = True
        elif word.startswith("-") and not word.startswith("--") and len(word) > 1:
            flags = word[1:]
            if "i" in flags:
                in_place = True
            if flags.endswith("e"):
                take_expression = True
        elif not word.startswith("--"):
            positional.append(word)
    if not expressions and positional:
        expressions, positional = [positional[0]], positional[1:]
    if not in_place:
        return []
    lines = [line for expression in expressions
             for piece in expression.split("\n") for line in _lines_of(piece)]
    return [(path, lines) for path in positional] if lines else []
