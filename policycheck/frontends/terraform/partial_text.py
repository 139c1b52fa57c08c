"""Text known except for some holes, so a policy with an after-apply ARN stays readable.

``jsonencode({... Resource = "${aws_s3_bucket.x.arn}/*" ...})``, a heredoc of JSON with
interpolations and an ``aws_iam_policy_document``'s ``json`` are Unknown as strings, but
their shape is known. They evaluate to a :class:`PartialText`: an Unknown (with the
reason of its first hole, as before) that also carries the text around the holes. Only
the policy builder reads the pieces: it parses the JSON with a placeholder per hole and
maps placeholders back to Unknown leaves. Wherever such a value is transformed (a
function, an operator), :func:`plain` drops the pieces, since they no longer describe it.
"""

from __future__ import annotations

import json
import re

from pydantic import Field

from policycheck.frontends.terraform.values import EvalError, Lazy, Value
from policycheck.model import Unknown

_MARK = "\ue000"
"""A private-use character delimiting placeholders; text holding it is not made partial."""
_ENCODED_HOLE = re.compile(r"\\ue000(\d+)\\ue000")
_PLACEHOLDER = re.compile(_MARK + r"(\d+)" + _MARK)


class PartialText(Unknown):
    """An unknown string whose known parts are kept: ``pieces`` alternate text and holes.

    Equal to (and hashed as) the plain Unknown with the same reason, so it behaves as
    the Unknown it replaces everywhere but in policy documents."""

    pieces: tuple[str | Unknown, ...] = Field(default=(), exclude=True, repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(Unknown(reason=self.reason))


def plain(value: Value) -> Value:
    """``value`` without known pieces (for a result computed from it)."""
    if isinstance(value, PartialText):
        return Unknown(reason=value.reason)
    return value


def concatenate(parts: list[str | Unknown]) -> Unknown:
    """A template's result: its text and interpolations, nested partial texts flattened."""
    pieces: list[str | Unknown] = []
    for part in parts:
        if isinstance(part, PartialText):
            pieces.extend(part.pieces)
        else:
            pieces.append(part if isinstance(part, str) else Unknown(reason=part.reason))
    first = next(p for p in parts if isinstance(p, Unknown))
    if any(isinstance(p, str) and _MARK in p for p in pieces):
        return Unknown(reason=first.reason)
    return PartialText(reason=first.reason, pieces=tuple(pieces))


def encode(value: Value, first: Unknown, indent: int | None = None,
           sort_keys: bool = True) -> Unknown:
    """``jsonencode`` of a value with Unknown leaves: each leaf a hole (quoted, so the
    JSON parses once a placeholder is put in)."""
    holes: list[Unknown] = []

    def mark(item: Value) -> Value:
        if isinstance(item, Unknown):
            holes.append(Unknown(reason=item.reason))
            return f"{_MARK}{len(holes) - 1}{_MARK}"
        if isinstance(item, Lazy):
            raise EvalError(f"{item.describe()} cannot be converted to JSON")
        if isinstance(item, str) and _MARK in item:
            raise _Unmarkable
        if isinstance(item, list):
            return [mark(x) for x in item]
        if isinstance(item, dict):
            return {key: mark(x) for key, x in item.items()}
        return item

    try:
        marked = mark(value)
    except _Unmarkable:
        return Unknown(reason=first.reason)
    separators = None if indent is not None else (",", ":")
    text = json.dumps(marked, indent=indent, sort_keys=sort_keys, separators=separators)
    pieces: list[str | Unknown] = []
    position = 0
    for match in _ENCODED_HOLE.finditer(text):
        pieces += [text[position : match.start()], holes[int(match.group(1))]]
        position = match.end()
    pieces.append(text[position:])
    return PartialText(reason=first.reason, pieces=tuple(pieces))


class _Unmarkable(Exception):
    """A string already holds the placeholder mark."""


def parse_json(text: PartialText) -> Value | None:
    """The JSON value of ``text``, placeholders mapped back to Unknown leaves; None when
    it does not parse (or a hole is in an object key)."""
    holes = [p for p in text.pieces if isinstance(p, Unknown)]
    if not holes:
        return None
    rendered, index = [], 0
    for piece in text.pieces:
        if isinstance(piece, str):
            rendered.append(piece)
        else:
            rendered.append(f"{_MARK}{index}{_MARK}")
            index += 1
    try:
        return _unmark(json.loads("".join(rendered)), holes)
    except (ValueError, _Unmarkable):
        return None


def _unmark(value: Value, holes: list[Unknown]) -> Value:
    if isinstance(value, list):
        return [_unmark(item, holes) for item in value]
    if isinstance(value, dict):
        if any(_MARK in key for key in value):
            raise _Unmarkable
        return {key: _unmark(item, holes) for key, item in value.items()}
    if not isinstance(value, str) or _MARK not in value:
        return value
    whole = _PLACEHOLDER.fullmatch(value)
    if whole is not None:
        return holes[int(whole.group(1))]
    found = _PLACEHOLDER.search(value)
    if found is None:
        raise _Unmarkable  # the mark without a hole number
    first = holes[int(found.group(1))]
    shown = _PLACEHOLDER.sub("…", value)
    return Unknown(reason=f"{first.reason}, in {shown!r}")
