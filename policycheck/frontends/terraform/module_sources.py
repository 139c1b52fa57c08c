"""Which folders a root module uses as local modules (for discovery).

Reads only the ``source`` of ``module`` blocks (python-hcl2's dict form is enough
here): local sources (``./``, ``../``) are followed transitively; registry and git
sources are not folders of the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import hcl2

from policycheck.limits import read_source


def _unquote(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def module_sources(folder: Path) -> list[Path]:
    """The folders the ``module`` blocks of ``folder``'s ``.tf`` and ``.tf.json`` files
    call locally."""
    found: list[Path] = []
    for path in sorted([*folder.glob("*.tf"), *folder.glob("*.tf.json")]):
        try:
            text = read_source(path, path.name)  # size, encoding and depth limits
            if "module" not in text:
                continue
            parsed = json.loads(text) if path.name.endswith(".json") else hcl2.loads(text)
        except Exception:  # a file that does not parse is reported by the front-end
            continue
        entries = parsed.get("module", []) if isinstance(parsed, dict) else []
        for entry in entries if isinstance(entries, list) else [entries]:
            for body in entry.values() if isinstance(entry, dict) else ():
                source = _unquote(body.get("source")) if isinstance(body, dict) else None
                if source and source.startswith(("./", "../")):
                    found.append((folder / source).resolve())
    return found


def local_module_folders(root: Path) -> set[Path]:
    """Every folder ``root`` uses as a local module, directly or through other modules."""
    seen: set[Path] = set()
    pending = module_sources(root.resolve())
    while pending:
        folder = pending.pop()
        if folder in seen or not folder.is_dir():
            continue
        seen.add(folder)
        pending.extend(module_sources(folder))
    seen.discard(root.resolve())
    return seen
