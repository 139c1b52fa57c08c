"""SARIF 2.1.0: valid against the official schema, levels and security severities per
severity, fingerprints, locations relative to %SRCROOT%, reachability paths as related
locations and code flows, input errors as notifications."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from policycheck.findings import Severity
from policycheck.report.sarif import render_sarif
from tests.report.pr_samples import SCHEMAS, insecure_web, synthetic, with_suppressed


def _no_remote(uri: str) -> Resource[Any]:
    raise AssertionError(f"the SARIF schema tried to fetch {uri}")


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    # mypy's attrs plugin does not see the field alias ``retrieve``.
    registry: Registry[Any] = Registry(retrieve=_no_remote)  # type: ignore[call-arg]
    return Draft7Validator(schema, registry=registry,
                           format_checker=Draft7Validator.FORMAT_CHECKER)


def _validate(document: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def _sarif(result: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_sarif(result))
    return document


@pytest.mark.parametrize("sample", [insecure_web, synthetic], ids=["insecure-web", "synthetic"])
def test_valid_against_the_sarif_schema(sample: Any) -> None:
    _validate(_sarif(sample()))


def test_schema_rejects_a_broken_log() -> None:
    document = _sarif(synthetic())
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert list(_validator().iter_errors(document))


def test_level_and_security_severity_per_severity() -> None:
    run = _sarif(synthetic())["runs"][0]
    levels = {r["properties"]["severity"]: r["level"] for r in run["results"]}
    assert levels == {"CRITICAL": "error", "HIGH": "error", "MEDIUM": "warning",
                      "LOW": "note", "INFORMATIONAL": "note"}
    rules = run["tool"]["driver"]["rules"]
    # The uncatalogued rule takes its first finding's severity.
    custom = next(r for r in rules if r["id"] == "CUS001")
    assert custom["properties"]["security-severity"] == "3.0"
    scores = {r["properties"]["security-severity"] for r in rules}
    assert all(float(score) in (9.5, 8.0, 5.5, 3.0, 0.0) for score in scores)


def test_rules_listed_once_sorted_and_indexed() -> None:
    run = _sarif(insecure_web())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    assert {"NET001", "NET002", "NET003", "NET004", "NET005"} <= set(ids)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    net003 = rules[ids.index("NET003")]
    assert net003["name"] == "RecognizedPortNoAgent"
    assert net003["shortDescription"]["text"].startswith("A recognized port is reachable")
    assert "## Remediation" in net003["help"]["markdown"]
    assert net003["helpUri"].startswith("https://docs.aws.amazon.com/")
    assert "network-reachability" in net003["properties"]["tags"]
    assert net003["properties"]["precision"] == "high"


def test_findings_carried_with_fingerprints_and_relative_locations() -> None:
    result = insecure_web()
    run = _sarif(result)["runs"][0]
    assert len(run["results"]) == len(result.findings)
    for finding, sarif in zip(result.findings, run["results"], strict=True):
        assert sarif["partialFingerprints"] == {"policycheckFingerprint/v1": finding.fingerprint}
        physical = sarif["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": finding.file, "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {"startLine": finding.line}
        assert sarif["properties"].get("protocol") == finding.protocol
        assert sarif["properties"].get("ports") == (
            None if finding.ports is None else [list(p) for p in finding.ports])
    assert "/work" not in render_sarif(result)  # nothing absolute, nothing machine-specific


def test_reachability_path_as_related_locations_and_code_flow() -> None:
    run = _sarif(synthetic())["runs"][0]
    ssh = next(r for r in run["results"] if r["ruleId"] == "NET003")
    related = ssh["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2, 3, 4]  # the NACL hop has no file
    assert related[2]["message"]["text"] == (
        'SecurityGroup aws_security_group.ssh["a,b"]: ingress tcp 22 from 0.0.0.0/0')
    assert related[2]["physicalLocation"]["region"]["startLine"] == 14
    steps = ssh["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["message"]["text"].split()[0] for s in steps] == [
        "InternetGateway", "RouteTable", "NetworkAcl", "SecurityGroup", "Instance"]
    assert "physicalLocation" not in steps[2]["location"]
    assert ssh["properties"]["finding_type"] == "RecognizedPortNoAgent"
    assert ssh["properties"]["path_kind"] == "IGW"
    assert ssh["properties"]["sources"] == ["0.0.0.0/0"]


def test_bastion_path_in_the_real_example() -> None:
    run = _sarif(insecure_web())["runs"][0]
    bastion = next(r for r in run["results"] if r["ruleId"] == "NET003"
                   and r["properties"]["ports"] == [[22, 22]])
    texts = [loc["message"]["text"] for loc in bastion["relatedLocations"]]
    assert any(t.startswith("SecurityGroup aws_security_group.bastion:") for t in texts)
    assert bastion["level"] == "warning"  # SSH from the internet is MEDIUM


def test_input_errors_as_notifications_and_unsuccessful_execution() -> None:
    invocation = _sarif(synthetic())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    error, notice = invocation["toolExecutionNotifications"]
    assert error["level"] == "error" and notice["level"] == "note"
    assert error["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "broken.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7}}
    clean = _sarif(insecure_web())["runs"][0]["invocations"][0]
    assert clean["executionSuccessful"] is True


def test_deterministic() -> None:
    assert render_sarif(insecure_web()) == render_sarif(insecure_web())
    assert render_sarif(synthetic()) == render_sarif(synthetic())
    assert Severity.HIGH.value in render_sarif(synthetic())


def test_suppressed_findings_are_marked_not_dropped() -> None:
    document = _sarif(with_suppressed())
    _validate(document)
    run = document["runs"][0]
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["NET003", "SEC001"]
    inline, config = (r["suppressions"][0] for r in suppressed)
    assert inline["kind"] == "inSource" and inline["justification"] == "bastion, reviewed"
    assert inline["location"]["physicalLocation"]["region"] == {"startLine": 19}
    assert config["kind"] == "external" and config["status"] == "accepted"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "SEC001" in ids  # a rule seen only in a suppressed finding is still described
    assert len(run["results"]) == len(with_suppressed().findings) + 2  # baselined left out
