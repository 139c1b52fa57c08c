"""Circular dependencies between resources, which CloudFormation refuses to deploy.

A resource depends on every resource it names with ``Ref``, ``Fn::GetAtt``, an
``Fn::Sub`` placeholder or ``DependsOn`` — in any ``Fn::If`` branch, as CloudFormation
counts them when it validates the template. Resolving values never loops on such a
cycle (a reference is a name, not a value), so the cycle is found here, on the
template as written, and reported once as an error; the resources are still modelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink

_PLACEHOLDER = re.compile(r"\$\{([^!}][^}]*)\}")
MAX_WALK_DEPTH = 100
"""Deeper nodes are not searched for names (the resolver reports them)."""


def report_cycles(resources: dict[str, object], sink: DiagnosticSink) -> None:
    """One error per cycle of resources that depend on each other, at the line of the
    cycle's first resource in template order."""
    names = {str(key): line_of(key) for key in resources}
    graph = {
        str(key): sorted(_dependencies(body, names))
        for key, body in resources.items()
    }
    for cycle in _cycles(graph):
        what = (f"resource {cycle[0]} depends on itself" if len(cycle) == 1
                else f"circular dependency between resources {', '.join(cycle)}")
        sink.error(names.get(cycle[0]), f"{what} (CloudFormation rejects the template)")


def _dependencies(body: object, names: dict[str, int | None]) -> set[str]:
    if not isinstance(body, dict):
        return set()
    found: set[str] = set()
    depends_on = body.get("DependsOn")
    for name in depends_on if isinstance(depends_on, list) else [depends_on]:
        if isinstance(name, str) and name in names:
            found.add(name)
    for name in _named(body.get("Properties"), 0):
        if name in names:
            found.add(name)
    return found


def _named(node: object, depth: int) -> Iterator[str]:
    """Every name a node refers to through Ref, Fn::GetAtt or Fn::Sub."""
    if depth > MAX_WALK_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _named(item, depth + 1)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "Ref" and isinstance(value, str):
            yield value
        elif key == "Fn::GetAtt":
            target = value[0] if isinstance(value, list) and value else value
            if isinstance(target, str):
                yield target.split(".", 1)[0]
        elif key == "Fn::Sub":
            text = value[0] if isinstance(value, list) and value else value
            if isinstance(text, str):
                local = value[1] if isinstance(value, list) and len(value) > 1 else {}
                for match in _PLACEHOLDER.finditer(text):
                    name = match.group(1).strip().split(".", 1)[0]
                    if not isinstance(local, dict) or name not in local:
                        yield name
        yield from _named(value, depth + 1)


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components that contain a cycle (Tarjan, iterative),
    each in ``graph``'s order."""
    order = {name: position for position, name in enumerate(graph)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if next_edge < len(edges):
                work.append((node, next_edge + 1))
                target = edges[next_edge]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(sorted(component, key=order.__getitem__))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(found, key=lambda cycle: order[cycle[0]])

