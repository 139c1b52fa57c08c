"""A JSON reader that keeps the line of every object member (for ``*.tf.json``).

The standard ``json`` module forgets positions; this small recursive-descent reader
uses its string and number scanners and records, for each object, the line of each
key, so blocks and attributes of a ``.tf.json`` file can name their lines.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

# json's own string scanner (C accelerated); typeshed does not declare it.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}


@dataclass
class JsonObject:
    """An object with its members in order: ``(key, line of the key, value)``."""

    line: int
    members: list[tuple[str, int, JsonValue]] = field(default_factory=list)


@dataclass
class JsonArray:
    """An array and the line of its ``[``."""

    line: int
    items: list[JsonValue] = field(default_factory=list)


JsonValue = JsonObject | JsonArray | str | int | float | bool | None


class JsonSyntaxError(ValueError):
    """Malformed JSON, with the 1-based line of the problem."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, position: int) -> int:
        return bisect.bisect_right(self.starts, position)

    def fail(self, message: str, position: int) -> JsonSyntaxError:
        return JsonSyntaxError(message, self.line(min(position, len(self.text))))

    def skip(self, position: int) -> int:
        match = _SPACE.match(self.text, position)
        return match.end() if match else position

    def value(self, position: int) -> tuple[JsonValue, int]:
        position = self.skip(position)
        char = self.text[position : position + 1]
        if char == "{":
            return self.object(position)
        if char == "[":
            return self.array(position)
        if char == '"':
            return self.string(position)
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, position):
                return literal, position + len(word)
        match = _NUMBER.match(self.text, position)
        if match:
            number = json.loads(match.group())
            assert isinstance(number, int | float)
            return number, match.end()
        raise self.fail("expected a value" if char else "unexpected end of file", position)

    def string(self, position: int) -> tuple[str, int]:
        try:
            return _scanstring(self.text, position + 1, True)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.msg, exc.pos) from exc

    def object(self, position: int) -> tuple[JsonObject, int]:
        result = JsonObject(self.line(position))
        position = self.skip(position + 1)
        if self.text.startswith("}", position):
            return result, position + 1
        while True:
            position = self.skip(position)
            if not self.text.startswith('"', position):
                raise self.fail("expected a quoted key", position)
            line = self.line(position)
            key, position = self.string(position)
            position = self.skip(position)
            if not self.text.startswith(":", position):
                raise self.fail("expected ':' after a key", position)
            value, position = self.value(position + 1)
            result.members.append((key, line, value))
            position = self.skip(position)
            if self.text.startswith(",", position):
                position += 1
            elif self.text.startswith("}", position):
                return result, position + 1
            else:
                raise self.fail("expected ',' or '}'", position)

    def array(self, position: int) -> tuple[JsonArray, int]:
        result = JsonArray(self.line(position))
        position = self.skip(position + 1)
        if self.text.startswith("]", position):
            return result, position + 1
        while True:
            value, position = self.value(position)
            result.items.append(value)
            position = self.skip(position)
            if self.text.startswith(",", position):
                position += 1
            elif self.text.startswith("]", position):
                return result, position + 1
            else:
                raise self.fail("expected ',' or ']'", position)


def read_json(text: str) -> JsonValue:
    """The document of ``text``; raises ``JsonSyntaxError`` with a line."""
    reader = _Reader(text)
    value, position = reader.value(0)
    position = reader.skip(position)
    if position != len(text):
        raise reader.fail("extra data after the document", position)
    return value
