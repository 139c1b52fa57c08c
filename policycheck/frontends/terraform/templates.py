"""String templates: quoted strings, heredocs, ``${...}`` and ``%{if}``/``%{for}``.

A template is first flattened into pieces (text, interpolation, directive), then
rendered. Heredocs are one token in python-hcl2's grammar, so their interpolations
are located here and each expression is parsed on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from lark import Token, Tree
from lark.exceptions import LarkError

from policycheck.frontends.terraform.parse import line_of, parse_expression
from policycheck.frontends.terraform.partial_text import concatenate, plain
from policycheck.frontends.terraform.values import EvalError, Value, find_unknown, to_bool, to_str
from policycheck.model import Unknown


@dataclass(frozen=True)
class Piece:
    """One element of a template; ``kind`` is text, expr, if, else, endif, for or endfor."""

    kind: str
    text: str = ""
    expr: Tree[Token] | None = None
    names: tuple[str, ...] = ()
    strip_before: bool = False
    strip_after: bool = False


_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def unescape(text: str) -> str:
    """Decode HCL's backslash escapes in a quoted string."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, "\\" + code)

    return _ESCAPES.sub(one, text)


def _directive(node: Tree[Token]) -> Piece:
    tokens = [c for c in node.children if isinstance(c, Token)]
    strips = [t for t in tokens if t.type == "STRIP_MARKER"]
    first_strip = bool(strips) and tokens.index(strips[0]) == 1
    last_strip = bool(strips) and tokens[-2].type == "STRIP_MARKER"
    trees = [c for c in node.children if isinstance(c, Tree)]
    kind = {
        "template_if_start": "if",
        "template_else": "else",
        "template_endif": "endif",
        "template_for_start": "for",
        "template_endfor": "endfor",
    }[node.data]
    names = tuple(str(t.children[0]) for t in trees if t.data == "identifier")
    exprs = [t for t in trees if t.data != "identifier"]
    return Piece(
        kind,
        expr=exprs[0] if exprs else None,
        names=names,
        strip_before=first_strip,
        strip_after=last_strip,
    )


def string_pieces(node: Tree[Token]) -> list[Piece]:
    """Pieces of a quoted string node."""
    pieces: list[Piece] = []
    for part in node.children:
        if not isinstance(part, Tree):
            continue
        child = part.children[0]
        if isinstance(child, Token):
            if child.type == "ESCAPED_INTERPOLATION" or child.type == "ESCAPED_DIRECTIVE":
                pieces.append(Piece("text", text=str(child)[1:]))
            else:
                pieces.append(Piece("text", text=unescape(str(child))))
        elif child.data == "interpolation":
            expr = next(c for c in child.children if isinstance(c, Tree))
            pieces.append(Piece("expr", expr=expr))
        else:
            pieces.append(_directive(child))
    return pieces


def closing_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing the template sequence whose body starts at ``start``."""
    depth, index, quote = 0, start, False
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == '"':
                quote = False
        elif char == '"':
            quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    raise EvalError("unterminated template sequence in heredoc")


def _shift_lines(tree: Tree[Token], first_line: int) -> Tree[Token]:
    # A snippet parsed alone starts at line 1; move it to where it is in the file.
    for sub in tree.iter_subtrees():
        line = getattr(sub.meta, "line", None)
        if isinstance(line, int):
            sub.meta.line = line + first_line - 1
    return tree


def _parse_at(text: str, line: int) -> Tree[Token]:
    try:
        return _shift_lines(parse_expression(text), line)
    except (LarkError, ValueError) as exc:
        raise EvalError(f"cannot parse template expression {text.strip()!r}") from exc


_FOR_HEAD = re.compile(
    r"^\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s(.*)$", re.S
)


def heredoc_pieces(token: Token, trim: bool) -> list[Piece]:
    """Pieces of a heredoc token (``<<EOT`` or ``<<-EOT``).

    As in HCL, a heredoc's literal text is one token per line, so a strip marker only
    trims the line next to it; a flush heredoc (``<<-``) then removes the smallest
    indentation of the lines as they are after stripping (a line emptied by a strip
    marker counts as unindented, which is why Terraform keeps the indentation then).
    """
    lines = str(token).split("\n")
    body_lines = lines[1:-2] if len(lines) >= 3 else []
    body = "".join(ln + "\n" for ln in body_lines)
    pieces = _strip_now(_by_line(template_pieces(body, (token.line or 1) + 1)))
    return _flush(pieces) if trim else pieces


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _by_line(pieces: list[Piece]) -> list[Piece]:
    """Text pieces cut after each newline; empty ones dropped (HCL has no empty literal)."""
    result: list[Piece] = []
    for piece in pieces:
        if piece.kind == "text":
            result.extend(Piece("text", text=part) for part in _LINE.findall(piece.text))
        else:
            result.append(piece)
    return result


def _strip_now(pieces: list[Piece]) -> list[Piece]:
    stripped = _apply_strips(pieces)
    return [replace(p, strip_before=False, strip_after=False) for p in stripped]


def _flush(pieces: list[Piece]) -> list[Piece]:
    """Remove the common indentation of the lines (HCL's flush heredoc rule)."""
    smallest: int | None = None
    starts: list[int] = []
    newline = True
    for position, piece in enumerate(pieces):
        if newline:
            newline = False
            if piece.kind != "text":
                smallest = 0
            else:
                rest = piece.text.lstrip()
                if rest or not piece.text.endswith("\n"):  # blank lines do not count
                    spaces = len(piece.text) - len(rest)
                    smallest = spaces if smallest is None else min(smallest, spaces)
                    starts.append(position)
        if piece.kind == "text" and piece.text.endswith("\n"):
            newline = True
    if not smallest:
        return pieces
    result = list(pieces)
    for position in starts:
        result[position] = Piece("text", text=result[position].text[smallest:])
    return result


def template_pieces(body: str, first_line: int) -> list[Piece]:
    """Pieces of template text (a heredoc body, a ``templatefile()`` file)."""
    pieces: list[Piece] = []
    index = 0
    text_start = 0
    while index < len(body):
        two = body[index : index + 2]
        if two in ("$$", "%%") and body[index + 2 : index + 3] == "{":
            pieces.append(Piece("text", text=body[text_start:index] + body[index + 1 : index + 3]))
            index += 3
            text_start = index
            continue
        if two not in ("${", "%{"):
            index += 1
            continue
        pieces.append(Piece("text", text=body[text_start:index]))
        end = closing_brace(body, index + 2)
        inner = body[index + 2 : end]
        line = first_line + body.count("\n", 0, index)
        strip_before, strip_after = inner.startswith("~"), inner.endswith("~")
        inner = inner.strip("~")
        if two == "${":
            pieces.append(Piece("expr", expr=_parse_at(inner, line)))
        else:
            pieces.append(_heredoc_directive(inner, line, strip_before, strip_after))
        index = end + 1
        text_start = index
    pieces.append(Piece("text", text=body[text_start:]))
    return pieces


def _heredoc_directive(inner: str, line: int, before: bool, after: bool) -> Piece:
    words = inner.split(None, 1)
    keyword = words[0] if words else ""
    if keyword == "if" and len(words) == 2:
        return Piece("if", expr=_parse_at(words[1], line), strip_before=before, strip_after=after)
    if keyword in ("else", "endif", "endfor"):
        return Piece(keyword, strip_before=before, strip_after=after)
    match = _FOR_HEAD.match(inner)
    if keyword == "for" and match:
        names = tuple(n for n in (match.group(1), match.group(2)) if n)
        return Piece(
            "for",
            expr=_parse_at(match.group(3), line),
            names=names,
            strip_before=before,
            strip_after=after,
        )
    raise EvalError(f"unsupported template directive %{{{inner.strip()}}}")


Evaluate = Callable[[Tree[Token], dict[str, Value]], Value]


def render(pieces: list[Piece], evaluate: Evaluate, bindings: dict[str, Value]) -> Value:
    """Render pieces to a string, or Unknown if any interpolated value is unknown."""
    pieces = _apply_strips(pieces)
    meaningful = [p for p in pieces if p.kind != "text" or p.text]
    if len(meaningful) == 1 and meaningful[0].kind == "expr" and meaningful[0].expr is not None:
        # "${x}" alone is x itself, not converted to a string.
        return evaluate(meaningful[0].expr, bindings)
    output, _ = _render_range(pieces, 0, evaluate, bindings, stop=())
    return output


def _apply_strips(pieces: list[Piece]) -> list[Piece]:
    result = list(pieces)
    for i, piece in enumerate(result):
        if piece.strip_before and i > 0 and result[i - 1].kind == "text":
            result[i - 1] = Piece("text", text=result[i - 1].text.rstrip())
        if piece.strip_after and i + 1 < len(result) and result[i + 1].kind == "text":
            result[i + 1] = Piece("text", text=result[i + 1].text.lstrip())
    return result


def _render_range(
    pieces: list[Piece],
    start: int,
    evaluate: Evaluate,
    bindings: dict[str, Value],
    stop: tuple[str, ...],
) -> tuple[Value, int]:
    """Render from ``start`` until a piece whose kind is in ``stop``; return (text, index)."""
    parts: list[str | Unknown] = []
    unknown: Unknown | None = None
    # Interpolations that are unknown become holes of a PartialText; an unknown
    # directive makes the whole text unknown.
    directive_unknown = False
    index = start
    while index < len(pieces):
        piece = pieces[index]
        if piece.kind in stop:
            break
        if piece.kind == "text":
            parts.append(piece.text)
            index += 1
        elif piece.kind == "expr":
            assert piece.expr is not None
            value = evaluate(piece.expr, bindings)
            if value is None:
                raise EvalError("cannot interpolate a null value into a template")
            found = find_unknown(value)
            unknown = unknown or found
            parts.append(to_str(value) if found is None else found)
            index += 1
        elif piece.kind in ("if", "for"):
            render_directive = _render_if if piece.kind == "if" else _render_for
            text, index, found = render_directive(pieces, index, evaluate, bindings)
            unknown = unknown or found
            directive_unknown = directive_unknown or found is not None
            parts.append(text)
        else:
            raise EvalError(f"unexpected %{{{piece.kind}}} in template")
    if unknown is not None:
        return (plain(unknown) if directive_unknown else concatenate(parts)), index
    return "".join(str(part) for part in parts), index


def _render_if(
    pieces: list[Piece], index: int, evaluate: Evaluate, bindings: dict[str, Value]
) -> tuple[str, int, Unknown | None]:
    head = pieces[index]
    assert head.expr is not None
    condition = evaluate(head.expr, bindings)
    then_text, index = _render_range(pieces, index + 1, evaluate, bindings, ("else", "endif"))
    else_text: Value = ""
    if index < len(pieces) and pieces[index].kind == "else":
        else_text, index = _render_range(pieces, index + 1, evaluate, bindings, ("endif",))
    if index >= len(pieces):
        raise EvalError("%{if} without %{endif}")
    if isinstance(condition, Unknown):
        return "", index + 1, condition
    chosen = then_text if to_bool(condition) else else_text
    if isinstance(chosen, Unknown):
        return "", index + 1, chosen
    return str(chosen), index + 1, None


def _matching_endfor(pieces: list[Piece], index: int) -> int:
    depth = 0
    for position in range(index + 1, len(pieces)):
        if pieces[position].kind == "for":
            depth += 1
        elif pieces[position].kind == "endfor":
            if depth == 0:
                return position
            depth -= 1
    raise EvalError("%{for} without %{endfor}")


def _render_for(
    pieces: list[Piece], index: int, evaluate: Evaluate, bindings: dict[str, Value]
) -> tuple[str, int, Unknown | None]:
    head = pieces[index]
    assert head.expr is not None
    collection = evaluate(head.expr, bindings)
    end = _matching_endfor(pieces, index)
    if isinstance(collection, Unknown):
        return "", end + 1, collection
    items = (
        list(collection.items()) if isinstance(collection, dict) else list(enumerate(collection))
    )
    parts: list[str] = []
    for key, value in items:
        inner = dict(bindings)
        if len(head.names) == 2:
            inner[head.names[0]], inner[head.names[1]] = key, value
        else:
            inner[head.names[0]] = value
        text, _ = _render_range(pieces, index + 1, evaluate, inner, ("endfor",))
        if isinstance(text, Unknown):
            return "", end + 1, text
        parts.append(str(text))
    return "".join(parts), end + 1, None


__all__ = [
    "Piece",
    "closing_brace",
    "heredoc_pieces",
    "line_of",
    "render",
    "string_pieces",
    "template_pieces",
    "unescape",
]
