"""A resource instance of a Terraform plan seen through the builders' ``BlockView`` API.

The builders map attribute values to model objects; here the values are Terraform's
planned ``values`` instead of evaluated HCL. A value Terraform knows only after apply
(``after_unknown``) becomes Unknown, except that a value naming another object
(``vpc_id = aws_vpc.main.id``) is recovered as that object's id, the way the HCL path
evaluates it, so references stay edges of the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from policycheck.frontends.terraform.context import ModuleContext
from policycheck.frontends.terraform.expand import BlockView
from policycheck.frontends.terraform.parse import Block
from policycheck.frontends.terraform.values import Value
from policycheck.model import Unknown

AfterApply = Callable[[str], Value]
"""Attribute name → the value an after-apply attribute stands for (a reference or Unknown)."""


class PlanView(BlockView):
    """Planned values of one resource instance or one of its nested blocks."""

    def __init__(
        self,
        ctx: ModuleContext,
        block: Block,
        kind: str,
        values: dict[str, Any],
        unknown: Any,
        after_apply: AfterApply,
        hcl: BlockView | None = None,
        top: bool = True,
        configured: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(ctx, block, {}, block.line, kind, memo_prefix=None)
        self.values = values
        self.unknown = unknown if isinstance(unknown, dict) else {}
        self.after_apply = after_apply
        self.hcl = hcl
        """The same block in the configuration, when the ``.tf`` files are at hand."""
        self.top = top
        self.configured = configured
        """The plan's ``configuration`` expressions of this block, when recorded."""

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    def get(self, name: str, default: Value = None) -> Value:
        if name == "tags" and self.top and isinstance(self.values.get("tags_all"), dict):
            # The planned tags_all already merges the provider's default_tags.
            name = "tags_all"
        unknown = self.unknown.get(name)
        if unknown is True:
            if self.hcl is not None and not self.hcl.has(name):
                return default  # computed by the provider, not written in the configuration
            if self.hcl is None and self.configured is not None and name not in self.configured:
                return default
            value = self._configured(name)
        else:
            value = _with_unknowns(self.values.get(name), unknown, self.block.labels, name)
        if name == "user_data" and isinstance(value, str):
            value = self._user_data(value)
        # The provider's legacy type system plans an unset string as "".
        return default if value is None or value == "" else value

    def _configured(self, name: str) -> Value:
        if self.hcl is not None:
            ours = self.hcl.get(name)
            if ours is None:
                return None  # written as null: the provider computes it
            if _names_objects(ours):
                return ours
            return Unknown(reason=f"{_where(self.block.labels, name)} is known after apply")
        return self.after_apply(name) if self.top else Unknown(
            reason=f"{_where(self.block.labels, name)} is known after apply"
        )

    def _user_data(self, planned: str) -> Value:
        """The plan keeps only a SHA-1 of user data: take the configuration's text when
        it hashes to the planned value, else say what is missing."""
        ours = self.hcl.get("user_data") if self.hcl is not None else None
        if isinstance(ours, str) and _sha1_of_user_data(ours) == planned:
            return ours
        if len(planned) == 40 and all(c in "0123456789abcdef" for c in planned):
            return Unknown(reason="the plan keeps only a hash of user_data")
        return planned

    def line_of(self, name: str) -> int:
        return self.hcl.line_of(name) if self.hcl is not None else self.line

    def children(self, name: str) -> list[BlockView]:
        rows = self.values.get(name)
        unknown = self.unknown.get(name)
        if unknown is True or not isinstance(rows, list):
            # A block list known only after apply: what the configuration declares.
            return self.hcl.children(name) if self.hcl is not None else []
        ours = self.hcl.children(name) if self.hcl is not None else []
        unknown_rows = unknown if isinstance(unknown, list) else []
        written = (self.configured or {}).get(name)
        configured: dict[str, Any] | None = None
        if isinstance(written, list) and all(isinstance(w, dict) for w in written):
            configured = {k: v for w in written for k, v in w.items()}
        views: list[PlanView] = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            row_unknown = unknown_rows[i] if i < len(unknown_rows) else {}
            views.append(
                PlanView(
                    self.ctx,
                    self.block,
                    name,
                    row,
                    row_unknown,
                    self.after_apply,
                    _matching(ours, row),
                    top=False,
                    configured=configured,
                )
            )
        # Sets come back sorted by Terraform: keep the configuration's order where known.
        position = {id(view): i for i, view in enumerate(ours)}
        views.sort(key=lambda v: position.get(id(v.hcl), len(ours)))
        return list(views)


def _where(labels: tuple[str, ...], name: str) -> str:
    return f"{labels[-1]}.{name}" if labels else name


def _with_unknowns(value: Any, unknown: Any, labels: tuple[str, ...], name: str) -> Value:
    """The planned value with Unknown wherever ``after_unknown`` marks a part."""
    if unknown is True:
        return Unknown(reason=f"{_where(labels, name)} is known after apply")
    if isinstance(unknown, list) and isinstance(value, list):
        return [
            _with_unknowns(item, unknown[i] if i < len(unknown) else False, labels, name)
            for i, item in enumerate(value)
        ]
    if isinstance(unknown, dict) and isinstance(value, dict):
        return {k: _with_unknowns(v, unknown.get(k, False), labels, name) for k, v in value.items()}
    return value


def _names_objects(value: Value) -> bool:
    """True for what an after-apply value may be: an object's id, Unknown, or lists of them."""
    if isinstance(value, list):
        return all(_names_objects(item) for item in value)
    return isinstance(value, Unknown | str)


def _matching(ours: list[BlockView], row: dict[str, Any]) -> BlockView | None:
    """The configuration block whose known scalar arguments all equal the planned row's."""
    found = []
    for view in ours:
        same = True
        for attr in view.block.attributes:
            mine = view.get(attr)
            planned = row.get(attr)
            if isinstance(mine, bool | int | float | str) and isinstance(planned, type(mine)):
                same = same and mine == planned
        if same:
            found.append(view)
    return found[0] if len(found) == 1 else None


def _sha1_of_user_data(text: str) -> str:
    import base64
    import binascii

    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        data = text.encode()
    return hashlib.sha1(data).hexdigest()
