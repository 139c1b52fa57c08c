"""JUnit XML: valid against the shipped JUnit XSD, one failing testcase per finding with
severity, location, path and fix, a passing testcase per clean unit, input errors as
``<error>``s, counts that add up."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import pytest
import xmlschema

from policycheck.report.junit import render_junit
from policycheck.scan import ScanOptions, ScanResult, scan
from tests.report.pr_samples import SCHEMAS, insecure_web, synthetic, with_suppressed

EXAMPLES = Path(__file__).parents[2] / "examples"


@lru_cache(maxsize=1)
def _schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "junit.xsd")


def _parse(result: ScanResult) -> ET.Element:
    text = render_junit(result)
    _schema().validate(text)
    return ET.fromstring(text)


@pytest.mark.parametrize("sample", [insecure_web, synthetic], ids=["insecure-web", "synthetic"])
def test_valid_against_the_junit_schema(sample: object) -> None:
    assert callable(sample)
    _parse(sample())


def test_schema_rejects_a_misspelt_element() -> None:
    text = render_junit(synthetic()).replace("<failure ", "<failed ").replace(
        "</failure>", "</failed>")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        _schema().validate(text)


def test_one_failing_testcase_per_finding_with_severity_location_and_path() -> None:
    result = insecure_web()
    tree = _parse(result)
    (suite,) = tree.findall("testsuite")
    assert suite.get("name") == "insecure-web"
    cases = suite.findall("testcase")
    assert len(cases) == len(result.findings) == int(suite.get("failures", "-1"))
    for case, finding in zip(cases, result.findings, strict=True):
        failure = case.find("failure")
        assert failure is not None and failure.get("type") == finding.severity.value
        assert case.get("file") == finding.file and case.get("line") == str(finding.line)
        assert case.get("classname") == f"{finding.package}.{finding.rule_id}"
        assert f"({finding.file}:{finding.line})" in (failure.text or "")
        assert "fix: " in (failure.text or "")
    bastion_ssh = next(c for c in cases if c.get("name") == "NET003 aws_instance.bastion tcp 22")
    body = bastion_ssh.findtext("failure") or ""
    assert "-> SecurityGroup aws_security_group.bastion: ingress tcp 22 from 0.0.0.0/0" in body
    assert tree.get("tests") == tree.get("failures") == str(len(result.findings))


def test_clean_unit_is_a_passing_testcase(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "insecure-web", tmp_path / "web")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "main.tf").write_text(
        'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n', encoding="utf-8")
    # Network reachability only: other packages have things to say about a bare VPC.
    result = scan([tmp_path / "web", tmp_path / "clean"],
                  ScanOptions(packages=("network-reachability",)))
    assert not result.errors, result.errors
    tree = _parse(result)
    suites = {s.get("name"): s for s in tree.findall("testsuite")}
    assert suites["web"].get("failures") != "0"
    assert all(c.find("failure") is not None for c in suites["web"].iter("testcase"))
    clean = suites["clean"]
    (case,) = clean.findall("testcase")
    assert case.get("name") == "no findings" and len(case) == 0
    assert clean.get("tests") == "1" and clean.get("failures") == "0"


def test_input_errors_and_notices() -> None:
    tree = _parse(synthetic())
    errors = next(s for s in tree.findall("testsuite") if s.get("name") == "input errors")
    (case,) = errors.findall("testcase")
    error = case.find("error")
    assert error is not None and error.get("type") == "InputError"
    assert case.get("file") == "broken.tf" and case.get("line") == "7"
    assert "second line" in (error.text or "")
    assert errors.get("errors") == "1" and tree.get("errors") == "1"
    out = "".join(s.findtext("system-out") or "" for s in tree.findall("testsuite"))
    assert "notice: main.tf:2: unsupported resource type aws_foo" in out
    levels = [c.findtext("failure") or "" for c in tree.iter("testcase")]
    assert sum(text.startswith("CRITICAL ") for text in levels) == 1


def test_deterministic() -> None:
    assert render_junit(insecure_web()) == render_junit(insecure_web())


def test_suppressed_findings_are_skipped_testcases() -> None:
    tree = _parse(with_suppressed())
    skipped = [c for c in tree.iter("testcase") if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == ["NET003 aws_instance.r20",
                                                "SEC001 aws_instance.r30"]
    first = skipped[0].find("skipped")
    assert first is not None
    assert first.get("message") == "suppressed (inline, main.tf:19): bastion, reviewed"
    assert tree.get("skipped") == "2"
