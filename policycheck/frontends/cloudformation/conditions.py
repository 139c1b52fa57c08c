"""The ``Conditions`` section: ``Fn::Equals``/``And``/``Or``/``Not``/``Condition``.

A condition is true, false or Unknown (it compares a value that is only known at
deploy). Each ``Fn::Equals`` with an Unknown side is an *open atom*; the template is
built once per assignment of its open atoms (see ``branches``), which ``Atoms.forced``
carries. An atom without an assignment (past the bound) is taken as true where a
decision is needed, and a notice names the condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.frontends.cloudformation.values import Obj, Value, as_text
from policycheck.model import Unknown


class ValueResolver(Protocol):
    """What condition evaluation needs from the intrinsic-function resolver."""

    def resolve(self, node: object, line: int | None = None) -> Value: ...


@dataclass
class Atom:
    """An ``Fn::Equals`` whose result is known only at deploy."""

    key: str
    label: str
    """``Env = 'prod'``: what the comparison tests, for messages."""


@dataclass
class Atoms:
    """The open atoms met while building a stack tree, and the assignment in force."""

    forced: dict[str, bool] = field(default_factory=dict)
    met: dict[str, Atom] = field(default_factory=dict)
    uses: int = 0
    """How many decisions rested on a forced atom (tells which conditions are open)."""
    last: str = ""
    """Label of the forced atom used last, for the notice naming an open condition."""
    open_conditions: dict[str, bool] = field(default_factory=dict)
    """Named conditions (with their stack prefix) decided by a forced atom, and how."""


class Conditions:
    """Evaluates named conditions lazily, once each, detecting cycles."""

    def __init__(
        self,
        declared: dict[str, Any],
        sink: DiagnosticSink,
        atoms: Atoms | None = None,
        prefix: str = "",
    ) -> None:
        self._atoms = atoms if atoms is not None else Atoms()
        self._prefix = prefix
        self._open: set[str] = set()
        self._declared = declared
        self._lines = {str(key): line_of(key) for key in declared}
        self._sink = sink
        self._values: dict[str, bool | Unknown] = {}
        self._in_progress: set[str] = set()
        self.resolver: ValueResolver | None = None
        """Set by the resolver that owns these conditions."""

    def value(self, name: str, line: int | None) -> bool | Unknown:
        """The three-valued result of condition ``name``."""
        if name in self._values:
            if name in self._open:
                self._atoms.uses += 1
            return self._values[name]
        if name not in self._declared:
            self._sink.error(line, f"condition {name} is not defined (CloudFormation rejects "
                                   "the template); assessed as unknown")
            return Unknown(reason=f"condition {name} is not defined")
        if name in self._in_progress:
            self._sink.error(self._lines.get(name), f"condition {name} refers to itself")
            return Unknown(reason=f"condition {name} refers to itself")
        self._in_progress.add(name)
        uses = self._atoms.uses
        try:
            result = self._evaluate(self._declared[name], self._lines.get(name))
        finally:
            self._in_progress.discard(name)
        self._values[name] = result
        if self._atoms.uses > uses and isinstance(result, bool):
            self._open.add(name)
            self._atoms.open_conditions[self._prefix + name] = result
            self._sink.notice(
                self._lines.get(name, line),
                f"condition {name} depends on a value known only at deploy "
                f"({self._atoms.last}); both possibilities are assessed",
            )
        return result

    def is_true(self, name: str, line: int | None) -> bool:
        """Whether to take the true side of ``name``; Unknown counts as true, with a notice."""
        result = self.value(name, line)
        if isinstance(result, Unknown):
            self._sink.notice(
                self._lines.get(name, line),
                f"condition {name} depends on a value known only at deploy "
                f"({result.reason}); assessed as true",
            )
            return True
        return result

    def _evaluate(self, node: object, line: int | None) -> bool | Unknown:
        line = line_of(node) or line
        if not isinstance(node, dict) or len(node) != 1:
            return self._malformed(line, node)
        ((function, args),) = node.items()
        if function == "Condition":
            return self.value(str(args), line)
        if function == "Fn::Equals":
            return self._equals(args, line)
        if not isinstance(args, list):
            return self._malformed(line, node)
        if function == "Fn::Not" and len(args) == 1:
            inner = self._evaluate(args[0], line)
            return inner if isinstance(inner, Unknown) else not inner
        if function in ("Fn::And", "Fn::Or"):
            return self._combine(function == "Fn::And", args, line)
        return self._malformed(line, node)

    def _combine(self, conjunction: bool, args: list[object], line: int | None) -> bool | Unknown:
        unknown: Unknown | None = None
        for arg in args:
            result = self._evaluate(arg, line)
            if isinstance(result, Unknown):
                unknown = unknown or result
            elif result is not conjunction:
                return result  # a false And / a true Or decides alone
        return unknown if unknown is not None else conjunction

    def _equals(self, args: object, line: int | None) -> bool | Unknown:
        if not isinstance(args, list) or len(args) != 2 or self.resolver is None:
            return self._malformed(line, args)
        left = self.resolver.resolve(args[0], line)
        right = self.resolver.resolve(args[1], line)
        for side in (left, right):
            if isinstance(side, Unknown):
                return self._open_atom(left, right, side)
        return _comparable(left) == _comparable(right)

    def _open_atom(self, left: Value, right: Value, unknown: Unknown) -> bool | Unknown:
        label = f"{_describe(left)} = {_describe(right)}"
        key = self._prefix + label
        if key in self._atoms.forced:
            self._atoms.uses += 1
            self._atoms.last = label
            return self._atoms.forced[key]
        self._atoms.met.setdefault(key, Atom(key=key, label=label))
        return unknown

    def _malformed(self, line: int | None, node: object) -> Unknown:
        self._sink.error(line, f"malformed condition: {node!r}")
        return Unknown(reason="malformed condition")


def _describe(value: Value) -> str:
    if isinstance(value, Unknown):
        return f"<{value.reason}>"
    return repr(_comparable(value))


def _comparable(value: Value) -> object:
    """CloudFormation compares values as strings (``true`` equals ``"true"``)."""
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, Obj):
        return {key: _comparable(item) for key, item in value.items()}
    text = as_text(value)
    return text if text is not None else value
