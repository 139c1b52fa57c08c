"""``*.tf.json`` files (Terraform's JSON syntax) into the same blocks as ``.tf`` files.

Blocks are nested objects (``resource`` → type → name → body); a string is a template
(``"${var.x}"``), parsed by the HCL parser like a quoted string, except where Terraform
reads a string as an expression (``type``, ``provider``, ``depends_on``, ``providers``)
or as a literal (a variable's ``default``). Without provider schemas, an object (or an
array of objects) inside a resource is a nested block unless it is a map argument
(``tags``, ``variables``...), which is how the AWS provider's arguments are shaped.
"""

from __future__ import annotations

from lark import Token, Tree
from lark.exceptions import LarkError

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.frontends.terraform.json_reader import (
    JsonArray,
    JsonObject,
    JsonSyntaxError,
    JsonValue,
    read_json,
)
from policycheck.frontends.terraform.parse import Attribute, Block, ParsedFile, parse_expression
from policycheck.frontends.terraform.templates import closing_brace
from policycheck.frontends.terraform.values import EvalError

_LABELS = {"resource": 2, "data": 2, "module": 1, "output": 1, "variable": 1, "provider": 1}
_ATTRIBUTES_ONLY = {"module", "output", "locals"}
_MAP_ARGUMENTS = frozenset(
    {"tags", "tags_all", "variables", "triggers", "parameters", "labels", "settings"}
)
_EXPRESSIONS = frozenset({"type", "provider", "providers", "depends_on", "iterator"})
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class _Malformed(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def parse_json_text(text: str, file: str) -> ParsedFile | Diagnostic:
    """Parse a ``.tf.json`` file; malformed JSON or structure is an ERROR with its line."""
    try:
        document = read_json(text)
        if not isinstance(document, JsonObject):
            raise _Malformed("a .tf.json file must hold one JSON object", 1)
        parsed = ParsedFile(file)
        for key, line, value in document.members:
            if key != "//":
                parsed.blocks.extend(_top_blocks(key, line, value, file))
        return parsed
    except (JsonSyntaxError, _Malformed) as exc:
        message = f"cannot parse Terraform JSON: {exc}"
        return Diagnostic(level=DiagnosticLevel.ERROR, file=file, line=exc.line, message=message)


def _bodies(value: JsonValue, line: int) -> list[JsonObject]:
    """One body, or several when the value is an array of objects."""
    if isinstance(value, JsonObject):
        return [value]
    if isinstance(value, JsonArray) and all(isinstance(i, JsonObject) for i in value.items):
        return [i for i in value.items if isinstance(i, JsonObject)]
    raise _Malformed("expected a block (a JSON object)", line)


def _top_blocks(kind: str, line: int, value: JsonValue, file: str) -> list[Block]:
    depth = _LABELS.get(kind, 0)
    return _labelled(kind, (), depth, line, value, file)


def _labelled(
    kind: str, labels: tuple[str, ...], depth: int, line: int, value: JsonValue, file: str
) -> list[Block]:
    if depth == 0:
        return [_block(kind, labels, line, body, file) for body in _bodies(value, line)]
    if not isinstance(value, JsonObject):
        raise _Malformed(f"{kind}: expected an object of labels", line)
    blocks: list[Block] = []
    for label, label_line, inner in value.members:
        if label != "//":
            blocks.extend(_labelled(kind, (*labels, label), depth - 1, label_line, inner, file))
    return blocks


def _block(kind: str, labels: tuple[str, ...], line: int, body: JsonObject, file: str) -> Block:
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    nested_allowed = kind not in _ATTRIBUTES_ONLY
    for name, name_line, value in body.members:
        if name == "//":
            continue
        if nested_allowed and name == "dynamic" and isinstance(value, JsonObject):
            blocks.extend(_labelled("dynamic", (), 1, name_line, value, file))
        elif nested_allowed and _is_block(kind, name, value):
            blocks.extend(_block(name, (), name_line, b, file) for b in _bodies(value, name_line))
        else:
            mode = _mode(kind, name)
            expr = _expression(_text(value, mode), name_line)
            attributes[name] = Attribute(name, expr, file, name_line)
    return Block(kind, labels, attributes, tuple(blocks), file, line)


def _is_block(kind: str, name: str, value: JsonValue) -> bool:
    if name in _MAP_ARGUMENTS or (kind == "variable" and name != "validation"):
        return False
    if isinstance(value, JsonObject):
        return True
    return (
        isinstance(value, JsonArray)
        and bool(value.items)
        and all(isinstance(i, JsonObject) for i in value.items)
    )


def _mode(kind: str, name: str) -> str:
    if kind == "variable" and name == "default":
        return "literal"
    if name in _EXPRESSIONS:
        return "expression"
    return "template"


def _expression(text: str, line: int) -> Tree[Token]:
    try:
        tree = parse_expression(text)
    except (LarkError, ValueError) as exc:
        raise _Malformed(f"cannot parse expression {text!r}", line) from exc
    for sub in tree.iter_subtrees():
        sub.meta.line = line  # one JSON line for the whole value
    return tree


def _text(value: JsonValue, mode: str) -> str:
    """HCL text with the value's meaning in JSON syntax."""
    if isinstance(value, JsonObject):
        members = [f"{_literal(k)} = {_text(v, mode)}" for k, _, v in value.members if k != "//"]
        return "{" + ", ".join(members) + "}"
    if isinstance(value, JsonArray):
        return "[" + ", ".join(_text(item, mode) for item in value.items) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if mode == "expression":
        return value
    return _literal(value) if mode == "literal" else _template(value)


def _literal(text: str) -> str:
    escaped = "".join(_ESCAPES.get(c, c) for c in text)
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _template(text: str) -> str:
    """A quoted HCL template: text escaped, ``${...}`` and ``%{...}`` kept as written."""
    out: list[str] = []
    index = 0
    while index < len(text):
        three, two = text[index : index + 3], text[index : index + 2]
        if three in ("$${", "%%{"):
            out.append(three)
            index += 3
        elif two in ("${", "%{"):
            try:
                end = closing_brace(text, index + 2)
            except EvalError:
                end = len(text) - 1
            out.append(text[index : end + 1].replace("\n", " "))
            index = end + 1
        else:
            out.append(_ESCAPES.get(text[index], text[index]))
            index += 1
    return '"' + "".join(out) + '"'
