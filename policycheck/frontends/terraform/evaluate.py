"""Evaluating HCL expressions from python-hcl2's lark tree.

Names the expression does not bind itself (``var``, ``local``, resource types...)
are asked of a :class:`Scope`; the module context implements it lazily. Any
operation on an Unknown yields that Unknown, so its reason reaches the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from lark import Token, Tree

from policycheck.diagnostics import DiagnosticLevel
from policycheck.frontends.terraform import functions
from policycheck.frontends.terraform.files import FILE_FUNCTIONS, FileAccess, PathRefused
from policycheck.frontends.terraform.operators import binary, unary
from policycheck.frontends.terraform.parse import line_of
from policycheck.frontends.terraform.templates import heredoc_pieces, render, string_pieces
from policycheck.frontends.terraform.values import (
    EvalError,
    Lazy,
    Loc,
    Value,
    deep_unknown,
    find_unknown,
    to_bool,
    to_int,
    to_str,
    type_name,
)
from policycheck.model import Unknown


class Scope(Protocol):
    """What an expression can see beyond its own bindings."""

    def root(self, name: str, loc: Loc) -> Value:
        """The value of a top-level name such as ``var`` or ``aws_vpc``."""

    def report(self, level: DiagnosticLevel, loc: Loc, message: str) -> None:
        """Record a diagnostic."""


@dataclass(frozen=True)
class Env:
    """The scope, the file being evaluated and the names bound around the expression."""

    scope: Scope
    file: str
    bindings: dict[str, Value] = field(default_factory=dict)

    def bind(self, names: dict[str, Value]) -> Env:
        return Env(self.scope, self.file, {**self.bindings, **names})

    def loc(self, node: Tree[Token] | Token) -> Loc:
        return Loc(self.file, line_of(node))


def _trees(node: Tree[Token]) -> list[Tree[Token]]:
    """Child trees that carry meaning (skipping newlines and comments)."""
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def evaluate(tree: Tree[Token], env: Env) -> Value:
    """Evaluate one expression tree; raises EvalError when the configuration is invalid."""
    handler = _HANDLERS.get(str(tree.data))
    if handler is None:
        raise EvalError(f"unsupported expression ({tree.data})")
    return handler(tree, env)


def _expr_term(tree: Tree[Token], env: Env) -> Value:
    return evaluate(_trees(tree)[0], env)


def _int_lit(tree: Tree[Token], env: Env) -> Value:
    return int(str(tree.children[0]))


def _float_lit(tree: Tree[Token], env: Env) -> Value:
    number = float(str(tree.children[0]))
    return int(number) if number.is_integer() else number


def _literal(tree: Tree[Token], env: Env) -> Value:
    return {"true": True, "false": False, "null": None}[str(tree.children[0])]


def _identifier(tree: Tree[Token], env: Env) -> Value:
    name = str(tree.children[0])
    if name in env.bindings:
        return env.bindings[name]
    return env.scope.root(name, env.loc(tree))


def _string(tree: Tree[Token], env: Env) -> Value:
    pieces = string_pieces(tree)
    return render(pieces, lambda expr, names: evaluate(expr, env.bind(names)), env.bindings)


def _heredoc(tree: Tree[Token], env: Env) -> Value:
    token = tree.children[0]
    assert isinstance(token, Token)
    pieces = heredoc_pieces(token, trim=tree.data == "heredoc_template_trim")
    return render(pieces, lambda expr, names: evaluate(expr, env.bind(names)), env.bindings)


def get_attr(value: Value, name: str, loc: Loc) -> Value:
    """``value.name``."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Lazy):
        return value.get_attr(name, loc)
    if isinstance(value, dict):
        if name in value:
            return value[name]
        raise EvalError(f"object has no attribute {name!r}")
    if value is None:
        raise EvalError(f"cannot read attribute {name!r} of null")
    raise EvalError(f"cannot read attribute {name!r} of a {type_name(value)}")


def index(value: Value, key: Value, loc: Loc) -> Value:
    """``value[key]``."""
    if isinstance(value, Unknown):
        return value
    if isinstance(key, Unknown):
        return key
    if isinstance(value, Lazy):
        return value.index(key, loc)
    if isinstance(value, list):
        position = to_int(key)
        if not 0 <= position < len(value):
            raise EvalError(f"index {position} out of range for a list of {len(value)}")
        return value[position]
    if isinstance(value, dict):
        name = to_str(key)
        if name in value:
            return value[name]
        raise EvalError(f"no element {name!r} in map")
    raise EvalError(f"cannot index a {type_name(value)}")


def _traverse(value: Value, op: Tree[Token], env: Env) -> Value:
    """Apply one traversal step (``.name``, ``[key]``, ``.0``)."""
    if op.data == "get_attr":
        name_node = _trees(op)[0]
        return get_attr(value, str(name_node.children[0]), env.loc(op))
    if op.data == "braces_index":
        return index(value, evaluate(_trees(op)[0], env), env.loc(op))
    if op.data == "short_index":
        digits = [c for c in op.children if isinstance(c, Token) and c.type == "INT_LITERAL"]
        return index(value, int(str(digits[0])), env.loc(op))
    raise EvalError(f"unsupported traversal ({op.data})")


def _get_attr_term(tree: Tree[Token], env: Env) -> Value:
    base, op = _trees(tree)
    return _traverse(evaluate(base, env), op, env)


def _splat(tree: Tree[Token], env: Env) -> Value:
    base_tree, splat = _trees(tree)
    base = evaluate(base_tree, env)
    if isinstance(base, Unknown):
        return base
    # A splat on a single value treats it as a one-element list; on null, an empty one.
    items = [] if base is None else base if isinstance(base, list) else [base]
    ops = _trees(splat)
    results = []
    for item in items:
        for op in ops:
            item = _traverse(item, op, env)
        results.append(item)
    return results


def _conditional(tree: Tree[Token], env: Env) -> Value:
    condition_tree, then_tree, else_tree = _trees(tree)
    condition = evaluate(condition_tree, env)
    if isinstance(condition, Unknown):
        return condition
    return evaluate(then_tree if to_bool(condition) else else_tree, env)


def _binary_op(tree: Tree[Token], env: Env) -> Value:
    left_tree, term = _trees(tree)
    operator_node, right_tree = _trees(term)
    operator = str(operator_node.children[0])
    left = evaluate(left_tree, env)
    # Short-circuit on a known left operand, so `false && <unknown>` is known.
    if operator == "&&" and left is False:
        return False
    if operator == "||" and left is True:
        return True
    return binary(operator, left, evaluate(right_tree, env))


def _unary_op(tree: Tree[Token], env: Env) -> Value:
    operator = str(tree.children[0])
    return unary(operator, evaluate(_trees(tree)[0], env))


def _tuple(tree: Tree[Token], env: Env) -> Value:
    return [evaluate(item, env) for item in _trees(tree)]


def _object_key(key_node: Tree[Token], env: Env) -> Value:
    inner = _trees(key_node)
    if not inner:  # a keyword used as a key (`in = 1`)
        return str(key_node.children[0])
    expr = inner[0]
    if expr.data == "keyword":
        return str(expr.children[0])
    bare = _trees(expr)
    # `{ name = 1 }`: a bare identifier key is the literal name, not a reference.
    if len(expr.children) == 1 and bare and bare[0].data == "identifier":
        return str(bare[0].children[0])
    if expr.data == "identifier":
        return str(expr.children[0])
    return evaluate(expr, env)


def _object(tree: Tree[Token], env: Env) -> Value:
    result: dict[str, Value] = {}
    unknown: Unknown | None = None
    for elem in _trees(tree):
        key_node, value_tree = _trees(elem)
        key = _object_key(key_node, env)
        if isinstance(key, Unknown):
            unknown = unknown or key
            continue
        result[to_str(key)] = evaluate(value_tree, env)
    return unknown if unknown is not None else result


def _for_items(intro: Tree[Token], env: Env) -> tuple[list[str], Value]:
    names = [str(t.children[0]) for t in _trees(intro) if t.data == "identifier"]
    collection_tree = next(t for t in _trees(intro) if t.data != "identifier")
    return names, evaluate(collection_tree, env)


def _iterate(names: list[str], collection: Value, env: Env) -> list[Env]:
    """One environment per element, binding key/value names."""
    if isinstance(collection, dict):
        pairs = sorted(collection.items())
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        raise EvalError(f"cannot iterate over a {type_name(collection)}")
    envs = []
    for key, value in pairs:
        if len(names) == 2:
            envs.append(env.bind({names[0]: key, names[1]: value}))
        else:
            envs.append(env.bind({names[0]: value}))
    return envs


def _for_parts(tree: Tree[Token]) -> tuple[Tree[Token], list[Tree[Token]], Tree[Token] | None]:
    parts = _trees(tree)
    intro = parts[0]
    condition = parts[-1] if parts[-1].data == "for_cond" else None
    body = parts[1:-1] if condition is not None else parts[1:]
    return intro, body, condition


def _keep(condition: Tree[Token] | None, env: Env) -> Value:
    if condition is None:
        return True
    value = evaluate(_trees(condition)[0], env)
    return value if isinstance(value, Unknown) else to_bool(value)


def _for_tuple(tree: Tree[Token], env: Env) -> Value:
    intro, body, condition = _for_parts(tree)
    names, collection = _for_items(intro, env)
    if isinstance(collection, Unknown):
        return collection
    result = []
    for inner in _iterate(names, collection, env):
        keep = _keep(condition, inner)
        if isinstance(keep, Unknown):
            return keep
        if keep:
            result.append(evaluate(body[0], inner))
    return result


def _for_object(tree: Tree[Token], env: Env) -> Value:
    intro, body, condition = _for_parts(tree)
    grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in tree.children)
    names, collection = _for_items(intro, env)
    if isinstance(collection, Unknown):
        return collection
    result: dict[str, Value] = {}
    for inner in _iterate(names, collection, env):
        keep = _keep(condition, inner)
        if isinstance(keep, Unknown):
            return keep
        if not keep:
            continue
        key = evaluate(body[0], inner)
        if isinstance(key, Unknown):
            return key
        key = to_str(key)
        value = evaluate(body[1], inner)
        if grouping:
            result.setdefault(key, []).append(value)
        elif key in result:
            raise EvalError(f"duplicate key {key!r} in for expression (use ... to group)")
        else:
            result[key] = value
    return result


def _function_call(tree: Tree[Token], env: Env) -> Value:
    names = [str(t.children[0]) for t in _trees(tree) if t.data == "identifier"]
    name = "::".join(names)
    arguments = [t for t in _trees(tree) if t.data == "arguments"]
    arg_trees = _trees(arguments[0]) if arguments else []
    expand = bool(arguments) and any(
        isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments[0].children
    )
    if name in ("try", "can"):
        return _try_or_can(name, arg_trees, env)
    args = [evaluate(arg, env) for arg in arg_trees]
    if expand and args:
        last = args.pop()
        if isinstance(last, Unknown):
            return last
        if not isinstance(last, list):
            raise EvalError("the argument expanded with ... must be a list")
        args.extend(last)
    if name in FILE_FUNCTIONS:
        return _file_function(name, args, tree, env)
    if name not in functions.FUNCTIONS:
        reason = f"function {name} is not supported"
        env.scope.report(DiagnosticLevel.NOTICE, env.loc(tree), reason)
        return Unknown(reason=reason)
    return functions.call(name, args)


def _file_function(name: str, args: list[Value], tree: Tree[Token], env: Env) -> Value:
    unknown = find_unknown(*args)
    if unknown is not None:
        return unknown
    shared = getattr(env.scope, "shared", None)
    root, repo = getattr(shared, "root_folder", None), getattr(shared, "repo_root", None)
    if root is None or repo is None:
        raise EvalError(f"{name}() cannot read files here")
    try:
        return FileAccess(root, repo).functions()[name](*args)
    except PathRefused as exc:
        env.scope.report(DiagnosticLevel.ERROR, env.loc(tree), str(exc))
        return Unknown(reason=str(exc))
    except TypeError as exc:
        raise EvalError(f"{name}: wrong number or type of arguments") from exc


def _try_or_can(name: str, arg_trees: list[Tree[Token]], env: Env) -> Value:
    for arg in arg_trees:
        try:
            value = evaluate(arg, env)
        except EvalError:
            if name == "can":
                return False
            continue
        if name == "can":
            return deep_unknown(value) or True
        return value
    if name == "can":
        raise EvalError("can() takes one argument")
    raise EvalError("no argument of try() could be evaluated")


def _parenthesised(tree: Tree[Token], env: Env) -> Value:
    return evaluate(_trees(tree)[0], env)


_HANDLERS: dict[str, Callable[[Tree[Token], Env], Value]] = {
    "expr_term": _expr_term,
    "int_lit": _int_lit,
    "float_lit": _float_lit,
    "literal_value": _literal,
    "identifier": _identifier,
    "string": _string,
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
    "get_attr_expr_term": _get_attr_term,
    "index_expr_term": _get_attr_term,
    "attr_splat_expr_term": _splat,
    "full_splat_expr_term": _splat,
    "conditional": _conditional,
    "binary_op": _binary_op,
    "unary_op": _unary_op,
    "tuple": _tuple,
    "object": _object,
    "for_tuple_expr": _for_tuple,
    "for_object_expr": _for_object,
    "function_call": _function_call,
}
