"""Fixtures of CIS rules that are written but not yet registered (``pending/``).

They wait for the report tests and golden reports to accept findings of a second package
(see policies/cis-aws-foundations/pending/README.md). Until then this test keeps them
honest the way tests/policies does for registered rules: each positive fixture fires
exactly on its ``# expect:`` lines, each negative never fires, and Terraform and
CloudFormation agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycheck.checks.registry import Check, CheckContext
from policycheck.diagnostics import DiagnosticLevel
from policycheck.findings import Finding
from policycheck.rules.catalogue import POLICIES_DIR, RuleMeta
from policycheck.scan import ScanOptions, scan
from tests.policies.fixtures import Fixture, fixtures_of

PENDING_DIR = POLICIES_DIR / "cis-aws-foundations" / "pending"
PENDING: dict[str, Check] = {}
"""Empty since CIS401 moved up: every CIS rule written so far is registered. A new rule
waiting for a front-end mapping goes here (and into pending/) until it lands."""
WITH_FIXTURES: set[str] = set()
"""Pending rules whose fixtures are already written (docs/cis.md)."""


def _rule(folder: Path) -> RuleMeta:
    raw = yaml.safe_load((folder / "rule.yaml").read_text(encoding="utf-8"))
    rule = RuleMeta.model_validate({**raw, "folder": folder})
    assert folder.name == f"{rule.id}-{rule.name}"
    return rule


RULES = [_rule(folder) for folder in sorted(PENDING_DIR.glob("CIS*"))]
FIXTURES = [fixture for rule in RULES for fixture in fixtures_of(rule)]


def _findings(fixture: Fixture) -> list[Finding]:
    result = scan([fixture.path], ScanOptions(rules=("none",)))
    errors = [d for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]
    assert not errors and result.units
    findings: list[Finding] = []
    for unit in result.units:
        context = CheckContext(model=unit.model, reachability=unit.reachability,
                               rule=fixture.rule, params=dict(fixture.rule.parameters))
        findings += PENDING[fixture.rule.id](context)
    return findings


def test_every_pending_rule_has_a_check_and_fixtures() -> None:
    assert {rule.id for rule in RULES} == set(PENDING)
    for rule in RULES:
        if rule.id not in WITH_FIXTURES:
            assert not fixtures_of(rule), f"{rule.id}: add it to WITH_FIXTURES"
            continue
        kinds = {(f.format, f.kind) for f in fixtures_of(rule)}
        assert len(kinds) == 4, rule.id


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.test_id)
def test_pending_fixture(fixture: Fixture) -> None:
    findings = _findings(fixture)
    got = {(Path(f.file).name, f.line) for f in findings}
    if fixture.kind == "positive":
        assert got == fixture.expected(), "\n".join(f.message for f in findings)
    else:
        assert not findings, "\n".join(f.message for f in findings)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_pending_formats_agree(rule: RuleMeta) -> None:
    by_name: dict[tuple[str, str], dict[str, Fixture]] = {}
    for fixture in fixtures_of(rule):
        by_name.setdefault((fixture.kind, fixture.name), {})[fixture.format] = fixture
    for pair in by_name.values():
        if len(pair) == 2:
            tf, cf = (_findings(pair[f]) for f in ("terraform", "cloudformation"))
            assert sorted((f.rule_id, f.severity, str(f.frameworks)) for f in tf) == \
                sorted((f.rule_id, f.severity, str(f.frameworks)) for f in cf)
