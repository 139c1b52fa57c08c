"""Discovery of rule fixtures and their ``# expect: ID`` markers (STYLE.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policycheck.rules.catalogue import RuleMeta, load_catalogue

_MARKER = re.compile(r"#\s*expect:\s*([A-Z]{2,5}\d{3}(?:\s*,\s*[A-Z]{2,5}\d{3})*)")
FORMATS = ("terraform", "cloudformation")
KINDS = ("positive", "negative")

KNOWN_FORMAT_GAPS: dict[tuple[str, str, str], str] = {
    ("CIS501", "cloudformation", "positive"):
        "CloudFormation has no resource for EBS encryption by default or the account's S3 "
        "Block Public Access, so no template is an account-defaults baseline and, with "
        "account_scope: auto, none can produce a finding",
}
"""(rule, format, kind) fixtures a format cannot express, and why."""


@dataclass(frozen=True)
class Fixture:
    rule: RuleMeta
    format: str
    kind: str
    path: Path
    """A Terraform root-module folder or a CloudFormation template."""

    @property
    def name(self) -> str:
        stem = self.path.stem if self.path.is_file() else self.path.name
        return stem.removeprefix(f"{self.kind}-")

    @property
    def test_id(self) -> str:
        return f"{self.rule.id}-{self.format}-{self.kind}-{self.name}"

    def files(self) -> list[Path]:
        return sorted(self.path.glob("*.tf")) if self.path.is_dir() else [self.path]

    def expected(self) -> set[tuple[str, int]]:
        """(file relative to the fixture's scan root, line) of every marker for this rule."""
        found: set[tuple[str, int]] = set()
        for file in self.files():
            for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                match = _MARKER.search(text)
                if match and self.rule.id in re.split(r"\s*,\s*", match.group(1)):
                    found.add((file.name, number))
        return found


def fixtures_of(rule: RuleMeta) -> list[Fixture]:
    found: list[Fixture] = []
    for fmt in FORMATS:
        folder = rule.fixtures / fmt
        for kind in KINDS:
            if fmt == "terraform":
                paths = sorted(p for p in folder.glob(f"{kind}*") if p.is_dir())
            else:
                paths = sorted(p for p in folder.glob(f"{kind}*")
                               if p.suffix in (".yaml", ".yml", ".json"))
            found += [Fixture(rule, fmt, kind, path) for path in paths]
    return found


def all_fixtures() -> list[Fixture]:
    return [f for rule in load_catalogue().values() for f in fixtures_of(rule)]
