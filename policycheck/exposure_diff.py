"""Exposure diff: what a change makes reachable, and what it closes.

Exposures are matched by a stable identity — unit, target, path kind and protocol — and
compared as port sets, so widening ``22`` to ``20-25`` reports ``20-21, 23-25`` as newly
reachable rather than one exposure removed and another added. Ports reachable in both
revisions whose sources differ are reported as changed. Interfaces of one target (an
autoscaling group in several subnets) are merged: the user fixes the target.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from policycheck.reachability.result import Exposure, ReachabilityResult
from policycheck.reachability.sets import IntervalSet

Identity = tuple[str, str, str, str]
"""(unit, target, path kind, protocol)."""


class ExposureChange(BaseModel):
    """Ports of one target, by one path kind and protocol, that changed."""

    model_config = ConfigDict(frozen=True)

    unit: str
    target: str
    path_kind: str
    protocol: str
    ports: tuple[tuple[int, int], ...]
    """Inclusive ranges; () for protocols without ports."""
    sources: tuple[str, ...]
    """Sources in the revision where the ports are reachable (head, or base if closed)."""
    base_sources: tuple[str, ...] = ()
    """For changed sources: the base revision's."""
    via: tuple[str, ...] = ()
    """Load balancers and listeners in front, for ELB paths."""


class ExposureDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    base: str
    head: str
    opened: tuple[ExposureChange, ...] = ()
    """Became reachable."""
    closed: tuple[ExposureChange, ...] = ()
    """Stopped being reachable."""
    changed: tuple[ExposureChange, ...] = ()
    """Reachable in both on the same ports, from different sources."""


class _Side:
    """Per identity: the reachable ports, and per port range the sources and fronts."""

    def __init__(self) -> None:
        self.ports: IntervalSet = IntervalSet()
        self.parts: list[tuple[IntervalSet, set[str], set[str]]] = []
        self.has_ports = False

    def add(self, exposure: Exposure) -> None:
        ports = _port_set(exposure)
        self.has_ports = self.has_ports or bool(exposure.ports)
        self.ports |= ports
        via = {f"{exposure.load_balancer} ({exposure.listener})"} if exposure.load_balancer \
            else set()
        self.parts.append((ports, set(exposure.sources), via))

    def detail(self, ports: IntervalSet) -> tuple[tuple[str, ...], tuple[str, ...]]:
        sources: set[str] = set()
        via: set[str] = set()
        for part, part_sources, part_via in self.parts:
            if part & ports:
                sources |= part_sources
                via |= part_via
        return tuple(sorted(sources)), tuple(sorted(via))


def _port_set(exposure: Exposure) -> IntervalSet:
    if not exposure.ports:
        return IntervalSet.closed(0, 0)  # protocols without ports: one "port"
    found = IntervalSet()
    for low, high in exposure.ports:
        found |= IntervalSet.closed(low, high)
    return found


def _ranges(ports: IntervalSet, protocol_has_ports: bool) -> tuple[tuple[int, int], ...]:
    return tuple(ports.closed_ranges()) if protocol_has_ports else ()


def _index(units: Iterable[tuple[str, ReachabilityResult]]) -> dict[Identity, _Side]:
    sides: dict[Identity, _Side] = defaultdict(_Side)
    for unit, result in units:
        for exposure in result.exposures:
            key = (unit, exposure.target, exposure.path_kind.value, exposure.protocol)
            sides[key].add(exposure)
    return sides


def _by_sources(side: _Side, ports: IntervalSet) -> list[IntervalSet]:
    """``ports`` split into parts reachable from the same sources through the same fronts."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], IntervalSet] = {}
    # Elementary segments: no exposure starts or ends inside one, so sources are uniform.
    cuts = sorted({edge for part, _, _ in side.parts for span in (part & ports).spans
                   for edge in span})
    for start, end in pairwise(cuts):
        span = IntervalSet(((start, end),)) & ports
        if not span:
            continue
        detail = side.detail(span)
        groups[detail] = groups.get(detail, IntervalSet()) | span
    return list(groups.values())


def _change(key: Identity, side: _Side, ports: IntervalSet, has_ports: bool,
            base_sources: tuple[str, ...] = ()) -> ExposureChange:
    unit, target, kind, protocol = key
    sources, via = side.detail(ports)
    return ExposureChange(unit=unit, target=target, path_kind=kind, protocol=protocol,
                          ports=_ranges(ports, has_ports), sources=sources,
                          base_sources=base_sources, via=via)


def diff_exposures(base: Iterable[tuple[str, ReachabilityResult]],
                   head: Iterable[tuple[str, ReachabilityResult]],
                   base_name: str = "base", head_name: str = "head") -> ExposureDiff:
    """Compare two revisions' analyses, given as (unit name, result) pairs."""
    before, after = _index(base), _index(head)
    opened: list[ExposureChange] = []
    closed: list[ExposureChange] = []
    changed: list[ExposureChange] = []
    empty = _Side()
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, empty), after.get(key, empty)
        has_ports = old.has_ports or new.has_ports
        opened += [_change(key, new, part, has_ports)
                   for part in _by_sources(new, new.ports - old.ports)]
        closed += [_change(key, old, part, has_ports)
                   for part in _by_sources(old, old.ports - new.ports)]
        for low, high in (new.ports & old.ports).closed_ranges():
            span = IntervalSet.closed(low, high)
            base_sources = old.detail(span)[0]
            if base_sources != new.detail(span)[0]:
                changed.append(_change(key, new, span, has_ports, base_sources))
    return ExposureDiff(base=base_name, head=head_name, opened=tuple(opened),
                        closed=tuple(closed), changed=tuple(changed))


@contextmanager
def revision_checkout(path: Path, ref: str) -> Iterator[Path]:
    """``path`` as it is at git revision ``ref``: a temporary ``git worktree``, removed
    afterwards. Raises ``ValueError`` when ``path`` is not in a repository or ``ref`` is
    not a revision."""
    folder = path if path.is_dir() else path.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    relative = path.resolve().relative_to(Path(top).resolve())
    _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="policycheck-base-") as temp:
        tree = Path(temp) / "tree"
        _git(folder, "worktree", "add", "--detach", "--quiet", str(tree), ref)
        try:
            yield tree / relative
        finally:
            _git(folder, "worktree", "remove", "--force", str(tree))


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=True)
    except FileNotFoundError:
        raise ValueError("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.strip() or f"git {' '.join(args)} failed"
        raise ValueError(message) from None
    return done.stdout.strip()


def _ports_text(change: ExposureChange) -> str:
    if not change.ports:
        return change.protocol
    ranges = ", ".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in change.ports)
    return f"{change.protocol} {ranges}"


def _line(change: ExposureChange) -> str:
    where = "" if change.unit in ("", ".") else f"{change.unit}: "
    via = f" via {', '.join(change.via)}" if change.via else ""
    text = (f"{where}{change.target} {_ports_text(change)} by {change.path_kind}{via} "
            f"from {', '.join(change.sources)}")
    if change.base_sources:
        text += f" (was {', '.join(change.base_sources)})"
    return text


_SECTIONS = (("opened", "Became reachable"), ("closed", "No longer reachable"),
             ("changed", "Reachable from different sources"))


def render_text(diff: ExposureDiff) -> str:
    lines = [f"exposure diff {diff.base} -> {diff.head}: {len(diff.opened)} opened, "
             f"{len(diff.closed)} closed, {len(diff.changed)} changed"]
    for field, title in _SECTIONS:
        changes: tuple[ExposureChange, ...] = getattr(diff, field)
        if changes:
            marker = {"opened": "+", "closed": "-", "changed": "~"}[field]
            lines.append(f"\n{title}:")
            lines += [f"  {marker} {_line(change)}" for change in changes]
    return "\n".join(lines) + "\n"


def render_json(diff: ExposureDiff) -> str:
    return diff.model_dump_json(indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(diff: ExposureDiff) -> str:
    lines = [f"## Exposure diff: `{diff.base}` → `{diff.head}`", "",
             f"**{len(diff.opened)}** became reachable, **{len(diff.closed)}** no longer "
             f"reachable, **{len(diff.changed)}** reachable from different sources.", ""]
    for field, title in _SECTIONS:
        changes: tuple[ExposureChange, ...] = getattr(diff, field)
        if not changes:
            continue
        lines += [f"### {title}", "", "| Resource | Ports | Path | Sources |",
                  "|---|---|---|---|"]
        for change in changes:
            where = "" if change.unit in ("", ".") else f"{change.unit}: "
            path = change.path_kind + (f" via {', '.join(change.via)}" if change.via else "")
            sources = ", ".join(change.sources)
            if change.base_sources:
                sources += f" (was {', '.join(change.base_sources)})"
            lines.append(f"| {_cell(where + '`' + change.target + '`')} | "
                         f"{_cell(_ports_text(change))} | {_cell(path)} | {_cell(sources)} |")
        lines.append("")
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
