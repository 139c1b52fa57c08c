"""Variable type constraints (``type = list(string)``) and conversion to them."""

from __future__ import annotations

from lark import Token, Tree

from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    deep_unknown,
    is_number,
    to_bool,
    to_number,
    to_str,
)

TypeSpec = str | tuple[str, object] | None
"""``"string"``/``"number"``/``"bool"``, ``("list", elem)``, ``("map", elem)``,
``("set", elem)``, ``("object", {attr: spec})``, ``("tuple", [spec])``; None = any."""


def _trees(node: Tree[Token]) -> list[Tree[Token]]:
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _spec(node: Tree[Token]) -> TypeSpec:
    if node.data == "expr_term":
        inner = _trees(node)
        return _spec(inner[0]) if inner else None
    if node.data == "identifier":
        name = str(node.children[0])
        return name if name in ("string", "number", "bool") else None
    if node.data == "function_call":
        name = str(_trees(node)[0].children[0])
        arguments = [t for t in _trees(node) if t.data == "arguments"]
        args = _trees(arguments[0]) if arguments else []
        if name in ("list", "set", "map") and args:
            return (name, _spec(args[0]))
        if name == "object" and args:
            return ("object", _object_spec(args[0]))
        if name == "tuple" and args:
            elements = _trees(_trees(args[0])[0]) if _trees(args[0]) else []
            return ("tuple", [_spec(e) for e in elements])
        if name == "optional" and args:
            return ("optional", (_spec(args[0]), args[1] if len(args) > 1 else None))
    return None


def _object_spec(node: Tree[Token]) -> dict[str, TypeSpec]:
    attrs: dict[str, TypeSpec] = {}
    while node.data == "expr_term" and _trees(node):
        node = _trees(node)[0]
    if node.data != "object":
        return attrs
    for elem in _trees(node):
        key_node, value = _trees(elem)
        names = [t for t in key_node.iter_subtrees() if t.data == "identifier"]
        if len(names) == 1:
            attrs[str(names[0].children[0])] = _spec(value)
    return attrs


def type_constraint(block: Block) -> TypeSpec:
    """The declared type of a ``variable`` block (None when untyped or ``any``)."""
    attr = block.attributes.get("type")
    if attr is None:
        return None
    return _spec(attr.expr)


def convert(value: Value, spec: TypeSpec) -> Value | EvalError:
    """``value`` converted to ``spec`` as Terraform would, or the error."""
    try:
        return _convert(value, spec)
    except EvalError as exc:
        return exc


def _convert(value: Value, spec: TypeSpec) -> Value:
    if spec is None or value is None or deep_unknown(value) is value:
        return value
    if spec == "string":
        return to_str(value)
    if spec == "number":
        return to_number(value)
    if spec == "bool":
        return to_bool(value)
    assert isinstance(spec, tuple)
    kind, inner = spec
    if kind in ("list", "set"):
        if not isinstance(value, list):
            raise EvalError(f"a {kind} is required")
        items = [_convert(item, inner) for item in value]  # type: ignore[arg-type]
        if kind == "set":
            unique: list[Value] = []
            for item in items:
                if item not in unique:
                    unique.append(item)
            if all(isinstance(i, str) or is_number(i) for i in unique):
                unique.sort(key=lambda i: (0, i) if is_number(i) else (1, i))
            return unique
        return items
    if kind == "map":
        if not isinstance(value, dict):
            raise EvalError("a map is required")
        return {k: _convert(v, inner) for k, v in value.items()}  # type: ignore[arg-type]
    if kind == "optional":
        assert isinstance(inner, tuple)
        return _convert(value, inner[0])
    if kind == "object" and isinstance(value, dict) and isinstance(inner, dict):
        # Attributes not in the type are dropped; missing optional ones get their default.
        result: dict[str, Value] = {}
        for name, attr_spec in inner.items():
            if value.get(name) is not None:
                result[name] = _convert(value[name], attr_spec)
            elif isinstance(attr_spec, tuple) and attr_spec[0] == "optional":
                result[name] = _optional_default(attr_spec[1])
            elif name in value:
                result[name] = None
            else:
                raise EvalError(f"attribute {name!r} is required")
        return result
    if kind == "tuple" and isinstance(value, list) and isinstance(inner, list):
        return [_convert(v, inner[i] if i < len(inner) else None) for i, v in enumerate(value)]
    return value


def _optional_default(spec: object) -> Value:
    assert isinstance(spec, tuple)
    inner, default_tree = spec
    if default_tree is None:
        return None
    return _convert(evaluate_constant(default_tree, ""), inner)


def evaluate_constant(tree: Tree[Token], file: str) -> Value:
    """A constant expression (a default, an ``optional()`` default); raises EvalError."""
    from policycheck.frontends.terraform.evaluate import Env, evaluate

    return evaluate(tree, Env(_NoReferences(), file))


class _NoReferences:
    """Scope of an ``optional()`` default: a constant."""

    def root(self, name: str, loc: object) -> Value:
        raise EvalError(f"an optional() default cannot refer to {name}")

    def report(self, level: object, loc: object, message: str) -> None:
        return None
