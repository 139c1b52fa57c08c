"""NET006: intended exposure (configuration or tag) that the network does not provide."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycheck.checks.stale_intent import (
    IntentTagError,
    intent_parameters,
    parse_intent_tag,
    stale_intents,
)
from policycheck.config import IntendedExposure
from policycheck.reachability import analyse
from policycheck.scan import ScanOptions, scan
from tests.reachability.builders import lb_net

WEB = Path(__file__).parents[2] / "examples" / "insecure-web"


def _intent(**fields: object) -> IntendedExposure:
    return IntendedExposure.model_validate(fields)


def test_tag_declarations_parse() -> None:
    [web, ssh] = parse_intent_tag("i", "tcp/80, 443 via ELB; udp/53")
    assert (web.protocol, web.ports, web.via) == ("tcp", ["80", "443"], ["ELB"])
    assert (ssh.protocol, ssh.ports, ssh.via) == ("udp", ["53"], ["IGW", "ELB"])
    assert web.match.resource == "i"
    for bad in ("ssh", "tcp/70000", "tcp/22 via VPN"):
        with pytest.raises(IntentTagError):
            parse_intent_tag("i", bad)


def test_config_intent_on_a_private_instance_is_stale() -> None:
    model = scan([WEB], ScanOptions(rules=("NET005",))).units[0].model
    result = analyse(model)
    intents = [_intent(match={"resource": "aws_instance.*"}, ports=[22])]
    stale = sorted(obj.id for _, obj in stale_intents(model, result, intents))
    # bastion and legacy are reachable on 22; app is private, web[*] deny 22 in the NACL.
    assert stale == ["aws_instance.app", "aws_instance.database", "aws_instance.web[0]",
                     "aws_instance.web[1]"]


def test_elb_intent_is_judged_on_elb_paths_only() -> None:
    model = lb_net().build()
    result = analyse(model)
    through_lb = _intent(match={"resource": "web"}, ports=[8080], via=["ELB"])
    direct = _intent(match={"resource": "web"}, ports=[8080], via=["IGW"])
    assert list(stale_intents(model, result, [through_lb])) == []
    assert [obj.id for _, obj in stale_intents(model, result, [direct])] == ["web"]


def test_non_endpoints_matching_a_tag_are_ignored() -> None:
    model = lb_net().build()
    intent = _intent(match={"resource": "vpc"}, ports=[443])
    assert list(stale_intents(model, analyse(model), [intent])) == []


def test_configured_intents_reach_the_rule_and_findings_are_informational() -> None:
    intents = (_intent(match={"resource": "aws_instance.app"}, ports=[443], via=["IGW"]),)
    options = ScanOptions(rules=("NET006",), rule_parameters=intent_parameters(intents))
    findings = scan([WEB], options).findings
    assert [(f.rule_id, f.resource, f.severity.value) for f in findings] == [
        ("NET006", "aws_instance.app", "INFORMATIONAL")]
    assert intent_parameters(()) == {}


def test_tag_intent_also_covers_the_findings_it_declares() -> None:
    fixture = (Path(__file__).parents[2] / "policies" / "network-reachability"
               / "NET006-stale-intended-exposure" / "fixtures" / "terraform"
               / "positive-intent-not-reachable")
    result = scan([fixture], ScanOptions(rules=("NET003", "NET006")))
    assert sorted((f.rule_id, f.resource) for f in result.findings) == [
        ("NET003", "aws_instance.fail_web_moved"), ("NET006", "aws_instance.fail_web_moved")]
    [covered] = result.suppressed
    assert covered.finding.resource == "aws_instance.pass_ssh"
    assert "policycheck:intended-exposure" in covered.suppression.reason
