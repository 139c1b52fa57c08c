"""Baselines: the findings a team has accepted for now, by fingerprint.

``policycheck baseline create`` writes one; ``scan --baseline FILE`` reports (and fails)
only on findings whose fingerprint is not in it. Fingerprints leave out line numbers and
messages (findings.fingerprint), so moving code or editing unrelated resources keeps a
baseline valid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policycheck import __version__
from policycheck.findings import Finding

SCHEMA_VERSION = 1


class BaselineError(Exception):
    """A baseline file is missing or malformed; names the file."""


def baseline_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """The baseline of ``findings``: fingerprints sorted, with rule, resource and file so
    that a reviewer can read what was accepted."""
    entries = {f.fingerprint: {"fingerprint": f.fingerprint, "rule_id": f.rule_id,
                               "resource": f.resource, "file": f.file}
               for f in findings}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "policycheck", "version": __version__},
        "findings": [entries[key] for key in sorted(entries)],
    }


def write_baseline(findings: Iterable[Finding], path: Path) -> int:
    """Write the baseline file; the number of fingerprints written."""
    document = baseline_document(findings)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return len(document["findings"])


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints of a baseline file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not a policycheck baseline (no 'findings' list)")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise BaselineError(f"{path}: baseline schema version {version!r} is not "
                            f"supported (expected {SCHEMA_VERSION})")
    fingerprints = set()
    for index, entry in enumerate(document["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise BaselineError(f"{path}: findings[{index}] has no fingerprint")
        fingerprints.add(entry["fingerprint"])
    return frozenset(fingerprints)
