"""The parse cache: a unit's model, kept until one of the files it was built from changes.

An entry is one JSON file (``FrontendResult.model_dump``, never pickle: reading an
entry back executes nothing) under ``$POLICYCHECK_CACHE_DIR``, else the user cache
directory (``$XDG_CACHE_HOME/policycheck``, ``~/.cache/policycheck``...). Its name is a
hash of the tool's fingerprint (version, its own files, the parsing libraries'
versions), the unit, the scan root, the non-file inputs (``--var``, ``TF_VAR_*``,
``--param``, region, the limits). Its body lists every file the front-end read while
building the unit — recorded with an audit hook, so modules, ``file()``, var files and
nested stacks are all covered — with their content hashes, and the folders it listed.
A lookup is a hit only when every one of them is unchanged.

Safe to share between users and runs (writes are atomic renames, and an entry that does
not parse or validate is a miss) and safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policycheck import __version__
from policycheck.frontends.interface import FrontendResult

FORMAT = 1
"""Changes whenever an entry's layout changes."""
_LIBRARIES = ("python-hcl2", "lark", "cfn-lint", "aws-sam-translator", "pydantic")


def default_cache_dir() -> Path:
    """``$POLICYCHECK_CACHE_DIR``, else the platform's user cache folder."""
    explicit = os.environ.get("POLICYCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "policycheck"
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "policycheck" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policycheck"


@cache
def tool_fingerprint() -> str:
    """The version, the package's own files (size and mtime: an edited checkout is a new
    tool) and the parsing libraries' versions."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{FORMAT}:{__version__}:{sys.version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()


# -- recording what a front-end reads ----------------------------------------------------


@dataclass
class Reads:
    """Paths opened for reading and folders listed while one unit was built."""

    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)


_current: Reads | None = None
_hooked = False


def _ignored_prefixes() -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix,
             str(Path(__file__).resolve().parent), str(default_cache_dir())}
    return tuple(os.path.join(os.path.abspath(r), "") for r in roots)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    reads = _current
    if reads is None:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(mode, str):
            if any(c in mode for c in "wax+"):
                return
        elif isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR):
            return
        target = reads.files
    elif event in ("os.scandir", "os.listdir"):
        path = args[0]
        target = reads.folders
    else:
        return
    if isinstance(path, str | bytes | os.PathLike):
        target.add(os.path.abspath(os.fsdecode(path)))


@contextmanager
def recording() -> Iterator[Reads]:
    """Record what the block reads (an audit hook: it sees every ``open``, whichever
    module calls it, and can never change what the block does)."""
    global _current, _hooked
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    reads, previous = Reads(), _current
    _current = reads
    try:
        yield reads
    finally:
        _current = previous


# -- the manifest of a unit's inputs -----------------------------------------------------


def _file_state(path: str) -> list[Any]:
    """[size, mtime_ns, sha256] of a file; [] when it does not exist or is not a file."""
    try:
        stat = os.stat(path)
        if not os.path.isfile(path):
            return []
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns, digest]


def _folder_state(path: str) -> str:
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return ""
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _unchanged_file(path: str, recorded: list[Any]) -> bool:
    try:
        stat = os.stat(path)
    except OSError:
        return not recorded
    if not recorded:
        return False
    if [stat.st_size, stat.st_mtime_ns] == recorded[:2]:
        return True  # same size and modification time: not re-hashed
    return _file_state(path)[2:] == recorded[2:]


def manifest(reads: Reads) -> dict[str, Any]:
    ignored = _ignored_prefixes()
    files = sorted(p for p in reads.files if not p.startswith(ignored))
    folders = sorted(p for p in reads.folders if not p.startswith(ignored))
    return {"files": [[p, *_file_state(p)] for p in files],
            "folders": [[p, _folder_state(p)] for p in folders]}


def _is_current(recorded: dict[str, Any]) -> bool:
    return (all(_unchanged_file(entry[0], entry[1:]) for entry in recorded["files"])
            and all(_folder_state(path) == state for path, state in recorded["folders"]))


# -- the store ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCache:
    """Entries under ``folder``; every failure to read or write one is a miss."""

    folder: Path

    def key(self, material: dict[str, Any]) -> str:
        text = json.dumps({"tool": tool_fingerprint(), **material}, sort_keys=True,
                          default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / "units" / key[:2] / f"{key}.json"

    def get(self, key: str) -> FrontendResult | None:
        try:
            entry = json.loads(self._path(key).read_bytes())
            if entry.get("format") != FORMAT or entry.get("key") != key:
                return None
            if not _is_current(entry["inputs"]):
                return None
            return FrontendResult.model_validate(entry["result"])
        except Exception:  # missing, truncated, corrupt or from another layout: a miss
            return None

    def put(self, key: str, result: FrontendResult, reads: Reads) -> None:
        entry = {"format": FORMAT, "key": key, "inputs": manifest(reads),
                 "result": result.model_dump(mode="json")}
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out, separators=(",", ":"))
            os.replace(temporary, target)  # readers see the old entry or the new one
        except OSError:
            return  # a read-only or full cache folder only costs speed
