"""Reading ``.tf`` files into blocks and attributes that keep their lines.

Expressions stay as python-hcl2's lark trees (with ``propagate_positions``) so the
evaluator can compute values itself and every diagnostic can name a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import hcl2
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from policycheck.diagnostics import Diagnostic, DiagnosticLevel


@dataclass(frozen=True)
class Attribute:
    """``name = expression`` with the expression's parse tree."""

    name: str
    expr: Tree[Token]
    file: str
    line: int


@dataclass(frozen=True)
class Block:
    """A block (``resource "t" "n" { ... }``, ``ingress { ... }``) and its contents."""

    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    file: str
    line: int


@dataclass
class ParsedFile:
    file: str
    blocks: list[Block] = field(default_factory=list)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    """Top-level attributes (used by ``.tfvars`` files)."""


def line_of(node: Tree[Token] | Token) -> int:
    """1-based line of a tree or token (0 when lark kept no position)."""
    if isinstance(node, Token):
        return node.line or 0
    return getattr(node.meta, "line", 0) or 0


def _name(node: Tree[Token] | Token) -> str:
    """The text of an identifier, keyword, literal or label node."""
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(
            str(tok)
            for part in node.children
            if isinstance(part, Tree)
            for tok in part.children
            if isinstance(tok, Token)
        )
    return "".join(_name(child) for child in node.children)


def _body(body: Tree[Token], file: str) -> tuple[dict[str, Attribute], list[Block]]:
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name_node, expr = child.children[0], child.children[-1]
            assert isinstance(expr, Tree)
            name = _name(name_node)
            attributes[name] = Attribute(name, expr, file, line_of(child))
        elif child.data == "block":
            blocks.append(_block(child, file))
    return attributes, blocks


def _block(node: Tree[Token], file: str) -> Block:
    head: list[str] = []
    body: Tree[Token] | None = None
    for child in node.children:
        if isinstance(child, Tree):
            if child.data == "body":
                body = child
            elif child.data != "new_line_or_comment":
                head.append(_name(child))
    attributes, blocks = _body(body, file) if body is not None else ({}, [])
    return Block(
        type=head[0] if head else "",
        labels=tuple(head[1:]),
        attributes=attributes,
        blocks=tuple(blocks),
        file=file,
        line=line_of(node),
    )


def parse_text(text: str, file: str) -> ParsedFile | Diagnostic:
    """Parse HCL text; a syntax error becomes an ERROR diagnostic with its line."""
    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        return Diagnostic(
            level=DiagnosticLevel.ERROR,
            file=file,
            line=exc.line if isinstance(exc.line, int) and exc.line > 0 else None,
            message=f"cannot parse HCL: {_first_line(exc)}",
        )
    except (LarkError, RecursionError, ValueError) as exc:
        return Diagnostic(
            level=DiagnosticLevel.ERROR, file=file, message=f"cannot parse HCL: {_first_line(exc)}"
        )
    parsed = ParsedFile(file)
    body = tree.children[0]
    if isinstance(body, Tree):
        parsed.attributes, parsed.blocks = _body(body, file)
    return parsed


def parse_expression(text: str) -> Tree[Token]:
    """Parse a lone HCL expression (heredoc interpolations, ``--var`` values).

    Raises lark's errors for bad syntax; callers turn them into diagnostics.
    """
    tree = hcl2.parses_to_tree(f"__expr = {text}\n")
    body = tree.children[0]
    assert isinstance(body, Tree)
    for child in body.children:
        if isinstance(child, Tree) and child.data == "attribute":
            expr = child.children[-1]
            assert isinstance(expr, Tree)
            return expr
    raise ValueError(f"not an expression: {text!r}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
