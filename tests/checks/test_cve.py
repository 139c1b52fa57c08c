"""Package cve: the assessment date decides, and the data files are well formed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from packaging.version import Version

from policycheck.checks import cve_data
from policycheck.rules.catalogue import POLICIES_DIR
from policycheck.scan import ScanOptions, scan
from policycheck.versions import VersionRange, image_tag_version, parse_version, split_image

CVE = POLICIES_DIR / "cve"


def _rule_findings(path: Path, rule: str, as_of: date) -> list[str]:
    result = scan([path], ScanOptions(rules=(rule,), as_of=as_of))
    return sorted(f.resource for f in result.findings if f.rule_id == rule)


LAMBDA = CVE / "CVE001-lambda-runtime-deprecated/fixtures/terraform/positive-deprecated-runtime"


@pytest.mark.parametrize("as_of, expected", [
    (date(2023, 12, 3), []),
    (date(2023, 12, 4), ["aws_lambda_function.fail_python37"]),
    (date(2024, 6, 12), ["aws_lambda_function.fail_node16",
                         "aws_lambda_function.fail_python37"]),
])
def test_lambda_deprecation_is_judged_on_the_assessment_date(as_of: date,
                                                             expected: list[str]) -> None:
    assert _rule_findings(LAMBDA, "CVE001", as_of) == expected


def test_finding_names_the_date_the_source_and_the_version_to_move_to() -> None:
    result = scan([LAMBDA], ScanOptions(rules=("CVE001",), as_of=date(2025, 1, 1)))
    message = next(f.message for f in result.findings if "python37" in f.resource)
    assert "2023-12-04" in message and "as of 2025-01-01" in message
    assert "python3.13" in message and "lambda-runtimes.html" in message


def test_operating_system_end_of_life_on_the_date() -> None:
    folder = CVE / "CVE003-operating-system-end-of-life/fixtures/terraform/positive-eol-images"
    assert _rule_findings(folder, "CVE003", date(2023, 5, 30)) == []
    assert _rule_findings(folder, "CVE003", date(2023, 5, 31)) == ["aws_instance.fail_bionic"]
    assert len(_rule_findings(folder, "CVE003", date(2024, 7, 1))) == 2


def test_engine_versions_match_by_dotted_prefix() -> None:
    assert cve_data.engine_version("mysql", "5.7.44") is not None
    assert cve_data.engine_version("aurora-mysql", "5.7.mysql_aurora.2.11.2") is not None
    assert cve_data.engine_version("mysql", "5.70.1") is None
    entry = cve_data.engine_version("elasticsearch", "7.10")
    assert entry is not None and entry.version == "7.10"


@pytest.mark.parametrize("text, normalised, release", [
    ("2.4.49", "2.4.49", None),
    ("1.0.1f", "1.0.1.6", None),
    ("8.9p1", "8.9.post1", None),
    ("2.0-beta9", "2.0b9", None),
    ("9.0.0.M1", "9.0.0a1", None),
    ("1:2.4.6-97.el7", "2.4.6", "97.el7"),
    ("2.4.29-1ubuntu4.14", "2.4.29", "1ubuntu4.14"),
])
def test_versions_are_normalised(text: str, normalised: str, release: str | None) -> None:
    parsed = parse_version(text)
    assert parsed is not None
    assert str(parsed.version) == normalised and parsed.distribution_release == release


def test_ranges_and_letters_compare_as_released() -> None:
    heartbleed = VersionRange(introduced="1.0.1", fixed="1.0.1g")
    for text, affected in [("1.0.1", True), ("1.0.1f", True), ("1.0.1g", False),
                           ("1.0.2", False), ("1.0.0", False)]:
        parsed = parse_version(text)
        assert parsed is not None and heartbleed.contains(parsed.version) is affected
    assert parse_version("latest") is None


@pytest.mark.parametrize("image, name, tag, version", [
    ("httpd:2.4.49", "httpd", "2.4.49", "2.4.49"),
    ("docker.io/library/httpd:2.4.49-alpine", "httpd", "2.4.49-alpine", "2.4.49"),
    ("public.ecr.aws/nginx/nginx:1.19.0", "nginx/nginx", "1.19.0", "1.19.0"),
    ("nginx", "nginx", None, None),
    ("localhost:5000/tomcat:latest", "tomcat", "latest", None),
])
def test_image_references(image: str, name: str, tag: str | None, version: str | None) -> None:
    assert split_image(image) == (name, tag)
    parsed = image_tag_version(tag) if tag else None
    assert (str(parsed.version) if parsed else None) == version


def test_every_data_fact_is_dated_and_sourced() -> None:
    facts: list[object] = [*cve_data.lambda_runtimes().values(), *cve_data.operating_systems(),
                           *cve_data.tls_policies().entries]
    facts += [e for entries in cve_data.engine_versions().values() for e in entries]
    facts += [v for p in cve_data.known_vulnerabilities() for v in p.vulnerabilities]
    for fact in facts:
        assert fact.as_of <= date.today()  # type: ignore[attr-defined]
        assert fact.source.startswith("https://")  # type: ignore[attr-defined]
    for product in cve_data.known_vulnerabilities():
        for vulnerability in product.vulnerabilities:
            assert vulnerability.id.startswith("CVE-")
            for affected in vulnerability.affected:
                affected.as_range().contains(Version("0"))  # every bound parses
