"""Suppressions written on resources: ``Metadata: policycheck: ignore: [{id, reason}]``."""

from __future__ import annotations

from policycheck.frontends.cloudformation.declarations import ResourceDecl
from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink
from policycheck.model import Suppression


def resource_suppressions(
    decl: ResourceDecl, model_id: str, file: str, sink: DiagnosticSink
) -> list[Suppression]:
    """The suppressions attached to one resource, each at the line of its entry.

    An entry without a ``reason`` is kept with ``reason=None`` (reported by the
    suppression stage); an entry without an ``id`` is an error.
    """
    metadata = decl.metadata
    if not isinstance(metadata, dict):
        return []
    own = metadata.get("policycheck")
    if not isinstance(own, dict) or own.get("ignore") is None:
        return []
    entries = own["ignore"]
    if not isinstance(entries, list):
        sink.error(line_of(own) or decl.line,
                   f"{decl.logical_id}: Metadata policycheck.ignore must be a list")
        return []
    found: list[Suppression] = []
    for entry in entries:
        line = line_of(entry) or decl.line
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(rule_id, str) or not rule_id.strip():
            sink.error(line, f"{decl.logical_id}: a policycheck.ignore entry needs an id")
            continue
        reason = entry.get("reason")
        text = str(reason).strip() if isinstance(reason, str | int | float) else ""
        found.append(Suppression(rule_id=rule_id.strip(), reason=text or None, file=file,
                                 line=line, applies_to=model_id))
    return found
