"""Shell scripts as commands, through a real parser (bashlex).

Every simple command is visited (in lists, pipelines, ``if``/``for``/``while`` bodies,
functions and ``$(...)`` substitutions) with its line, its redirections, the here-document
it reads and the command whose output it reads through a pipe. A script bashlex cannot
parse as a whole is parsed in the smallest runs of lines that parse, and the lines that
never do are reported as problems. Nothing is executed.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_RUN = 60
"""Longest run of lines tried as one unit when the whole script does not parse."""


@dataclass
class Redirect:
    kind: str
    """``>``, ``>>`` or ``<<`` (a here-document)."""
    target: str
    heredoc: str | None = None
    heredoc_line: int = 0


@dataclass
class Command:
    words: list[str]
    line: int
    """1-based line of the command's first word in the parsed text."""
    redirects: list[Redirect] = field(default_factory=list)
    assignments: list[str] = field(default_factory=list)
    """``NAME=value`` words before the command (or alone)."""
    raw: list[str] = field(default_factory=list)
    """The words as written (quotes and backslashes kept), for ``echo -e``/``printf``."""
    piped_from: Command | None = None

    def heredoc(self) -> tuple[str, int] | None:
        for redirect in self.redirects:
            if redirect.heredoc is not None:
                return redirect.heredoc, redirect.heredoc_line
        return None


class _Lines:
    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.base = base

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + self.base - 1


def _heredoc_text(node: object, dash: bool) -> str:
    value = str(getattr(node, "value", ""))
    lines = value.split("\n")
    if lines:
        lines = lines[:-1]  # bashlex keeps the terminator line
    if dash:
        lines = [line.lstrip("\t") for line in lines]
    return "\n".join(lines) + ("\n" if lines else "")


def _command(node: object, lines: _Lines) -> Command:
    words: list[str] = []
    assignments: list[str] = []
    redirects: list[Redirect] = []
    raw: list[str] = []
    pos = getattr(node, "pos", (0, 0))
    for part in getattr(node, "parts", []):
        kind = getattr(part, "kind", None)
        if kind == "word":
            words.append(part.word)
            raw.append(lines.text[part.pos[0]:part.pos[1]])
        elif kind == "assignment":
            (words if words else assignments).append(part.word)
        elif kind == "redirect":
            target = getattr(part, "output", None)
            heredoc = getattr(part, "heredoc", None)
            redirect = Redirect(kind=str(part.type), target=str(getattr(target, "word", "")))
            if heredoc is not None:
                redirect.kind = "<<"
                redirect.heredoc = _heredoc_text(heredoc, part.type == "<<-")
                redirect.heredoc_line = lines.line(heredoc.pos[0])
            redirects.append(redirect)
    return Command(words=words, line=lines.line(pos[0]), redirects=redirects,
                   assignments=assignments, raw=raw)


def _visit(node: object, lines: _Lines) -> Iterator[Command]:
    kind = getattr(node, "kind", None)
    if kind == "pipeline":
        previous: Command | None = None
        for part in node.parts:  # type: ignore[attr-defined]
            if getattr(part, "kind", None) == "pipe":
                continue
            commands = list(_visit(part, lines))
            if commands:
                commands[0].piped_from = previous
                previous = commands[0]
            yield from commands
        return
    if kind == "command":
        yield _command(node, lines)
        for part in getattr(node, "parts", []):
            for inner in getattr(part, "parts", []) or []:
                if getattr(inner, "kind", None) in ("commandsubstitution", "processsubstitution"):
                    yield from _visit(inner.command, lines)
        return
    for attribute in ("parts", "list"):
        children = getattr(node, attribute, None)
        if isinstance(children, list):
            for child in children:
                yield from _visit(child, lines)
    child = getattr(node, "command", None)
    if child is not None and hasattr(child, "kind"):
        yield from _visit(child, lines)


def _parse(text: str, base: int) -> Iterator[Command]:
    import bashlex  # type: ignore[import-untyped]  # builds its parser tables: only when used

    lines = _Lines(text, base)
    for tree in bashlex.parse(text):
        yield from _visit(tree, lines)


def commands(script: str, first_line: int = 1) -> tuple[list[Command], list[int]]:
    """The commands of ``script`` in order, and the lines that could not be parsed.

    ``first_line`` is the number given to the script's first line."""
    try:
        return list(_parse(script, first_line)), []
    except Exception:  # bashlex raises several error types
        pass
    found: list[Command] = []
    failed: list[int] = []
    text_lines = script.split("\n")
    start = 0
    while start < len(text_lines):
        line = text_lines[start].strip()
        if not line or line.startswith("#"):
            start += 1
            continue
        for end in range(start + 1, min(len(text_lines), start + MAX_RUN) + 1):
            try:
                found += _parse("\n".join(text_lines[start:end]), first_line + start)
            except Exception:
                continue
            start = end
            break
        else:
            failed.append(first_line + start)
            start += 1
    return found, failed
