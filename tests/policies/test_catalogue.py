"""The rule catalogue is complete: ids unique, code and metadata for every rule, and
positive and negative fixtures in both formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.checks import CHECKS
from policycheck.checks.severity_table import recognized_services, severity_table
from policycheck.findings import Severity
from policycheck.rules.catalogue import (
    CatalogueError,
    RuleMeta,
    load_catalogue,
    load_rule,
)
from tests.policies.fixtures import FORMATS, KINDS, KNOWN_FORMAT_GAPS, fixtures_of

RULES = list(load_catalogue().values())


def test_every_rule_has_a_check_and_every_check_a_rule() -> None:
    assert set(CHECKS) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_fixtures_of_both_kinds_in_both_formats(rule: RuleMeta) -> None:
    present = {(f.format, f.kind) for f in fixtures_of(rule)}
    gaps = {(fmt, kind) for rule_id, fmt, kind in KNOWN_FORMAT_GAPS if rule_id == rule.id}
    missing = {(fmt, kind) for fmt in FORMATS for kind in KINDS} - present - gaps
    assert not missing, f"{rule.id} lacks fixtures: {sorted(missing)}"
    assert not gaps & present, f"{rule.id}: drop the fixed gap from KNOWN_FORMAT_GAPS"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_docs_are_written(rule: RuleMeta) -> None:
    for text in (rule.title, rule.docs.what, rule.docs.why, rule.docs.remediation):
        assert len(text.split()) >= 3
    assert rule.docs.references


def _write_rule(tmp_path: Path, folder: str, body: str) -> Path:
    path = tmp_path / "pkg" / folder / "rule.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(body)
    return path


VALID = """id: TST001
name: sample
title: A sample rule for the tests
package: pkg
severity: LOW
resource_types: [Instance]
docs: {what: does a thing, why: it matters a lot, remediation: change the thing now,
       references: [https://example.invalid]}
"""


def test_valid_rule_loads(tmp_path: Path) -> None:
    rule = load_rule(_write_rule(tmp_path, "TST001-sample", VALID))
    assert rule.id == "TST001" and rule.severity is Severity.LOW


@pytest.mark.parametrize("body, folder, message", [
    (VALID + "colour: red\n", "TST001-sample", "colour"),
    (VALID.replace("TST001", "T1"), "T1-sample", "area prefix"),
    (VALID, "TST001-other", "folder must be named"),
    (VALID.replace("severity: LOW", "severity: SEVERE"), "TST001-sample", "severity"),
])
def test_invalid_rule_is_rejected_naming_the_file(tmp_path: Path, body: str, folder: str,
                                                   message: str) -> None:
    path = _write_rule(tmp_path, folder, body)
    with pytest.raises(CatalogueError, match=message) as info:
        load_rule(path)
    assert str(path) in str(info.value)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    _write_rule(tmp_path, "TST001-sample", VALID)
    other = tmp_path / "pkg2" / "TST001-sample" / "rule.yaml"
    other.parent.mkdir(parents=True)
    other.write_text(VALID.replace("package: pkg", "package: pkg2"))
    with pytest.raises(CatalogueError, match="duplicate rule id TST001"):
        load_catalogue.__wrapped__(tmp_path)


def test_severity_table_and_recognized_ports_are_consistent() -> None:
    table = severity_table()
    assert set(table.path_kind_steps) == {"IGW", "ELB", "VGW", "PEERING", "TGW"}
    services = recognized_services()
    ssh = next(s for s in services if s.name == "SSH")
    telnet = next(s for s in services if s.name == "Telnet")
    assert table.severity("RecognizedPortNoAgent", "IGW", telnet.severity) is Severity.HIGH
    assert table.severity("RecognizedPortWithListener", "IGW", ssh.severity) is Severity.MEDIUM
    assert table.severity("RecognizedPortWithListener", "PEERING", ssh.severity) is Severity.LOW
    assert table.severity("NetworkExposure", "IGW", None) is Severity.INFORMATIONAL
    for service in services:
        for low, high in service.ports:
            assert 0 <= low <= high <= 65535
