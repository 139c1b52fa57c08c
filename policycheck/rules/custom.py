"""Custom policies without Python: ``rule.yaml`` files whose condition is a JMESPath
expression over one model object's JSON (``policycheck model`` shows that JSON).

The condition **selects violations**: the rule fires for every object of its
``resource_types`` for which the expression is truthy in JMESPath's sense (anything but
``null``, ``false``, ``""``, ``[]`` and ``{}``; ``0`` is truthy). Write what is wrong,
e.g. ``versioning_enabled != `true```.

Problems in a policy file (YAML syntax, unknown keys, an id that clashes with a bundled
rule, an unknown resource type, an expression that does not compile) are returned as
error diagnostics naming the file and line; a policy with a problem is not run, and
nothing is dropped silently. A condition that fails while evaluating (a function given
the wrong type) is reported the same way, once per rule and unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jmespath
import jmespath.exceptions
import jmespath.parser
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.findings import Finding, Severity, fingerprint
from policycheck.model import Model, ModelObject
from policycheck.reachability.result import ReachabilityResult
from policycheck.rules.catalogue import RuleDocs, RuleMeta

CUSTOM_PACKAGE = "custom"


class CustomDocs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str | None = None
    why: str | None = None
    remediation: str | None = None
    references: list[str] = []


class CustomPolicy(BaseModel):
    """The content of one custom ``rule.yaml``; unknown keys are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Z]{2,5}\d{3}$")
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    severity: Severity
    resource_types: list[str] = Field(min_length=1)
    """Model kinds (``S3Bucket``) or Model collections (``s3_buckets``)."""
    condition: str
    """JMESPath over the object's JSON; truthy means the object violates the policy."""
    message: str | None = None
    """Finding message; ``{id}``, ``{kind}`` and ``{title}`` are replaced."""
    package: str = CUSTOM_PACKAGE
    docs: CustomDocs = CustomDocs()
    frameworks: dict[str, list[str]] = {}


def _collections() -> dict[str, str]:
    """Kind name and collection name -> Model collection."""
    names: dict[str, str] = {}
    for collection, info in Model.model_fields.items():
        args = getattr(info.annotation, "__args__", ())
        if args and isinstance(args[0], type) and issubclass(args[0], ModelObject):
            names[collection] = collection
            names[args[0].__name__] = collection
    return names


@dataclass(frozen=True)
class CustomRule:
    """A validated custom policy: catalogue metadata plus its compiled condition."""

    meta: RuleMeta
    path: Path
    collections: tuple[str, ...]
    condition: jmespath.parser.ParsedResult
    message: str | None


@dataclass
class CustomPolicies:
    rules: dict[str, CustomRule] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def catalogue(self) -> dict[str, RuleMeta]:
        return {rule_id: rule.meta for rule_id, rule in self.rules.items()}


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key (for locating validation errors)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


class PolicyError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _parse(path: Path, reserved: Iterable[str]) -> CustomRule:
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyError(mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PolicyError(1, "a custom policy must be a mapping (id, name, title, ...)")
    lines = _key_lines(text)
    try:
        policy = CustomPolicy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}"
            for e in exc.errors())
        raise PolicyError(lines.get(key), problems) from exc
    if policy.id in reserved:
        raise PolicyError(lines.get("id"), f"id {policy.id} is already used by a bundled "
                                           f"or another custom rule")
    known = _collections()
    unknown = [name for name in policy.resource_types if name not in known]
    if unknown:
        kinds = ", ".join(sorted(k for k in known if k[:1].isupper()))
        raise PolicyError(lines.get("resource_types"), f"unknown resource type(s) "
                          f"{', '.join(unknown)}; use a model kind: {kinds}")
    try:
        compiled = jmespath.compile(policy.condition)
    except jmespath.exceptions.JMESPathError as exc:
        raise PolicyError(lines.get("condition"),
                          f"condition is not a valid JMESPath expression: {exc}") from exc
    docs = policy.docs
    meta = RuleMeta(
        id=policy.id, name=policy.name, title=policy.title, package=policy.package,
        severity=policy.severity, resource_types=policy.resource_types,
        docs=RuleDocs(what=docs.what or policy.title, why=docs.why or policy.title,
                      remediation=docs.remediation or "Ask the policy's owner.",
                      references=docs.references),
        frameworks=policy.frameworks, folder=path.parent)
    collections = tuple(dict.fromkeys(known[name] for name in policy.resource_types))
    return CustomRule(meta=meta, path=path, collections=collections, condition=compiled,
                      message=policy.message)


def policy_files(folder: Path) -> list[Path]:
    """Every YAML file under ``folder``, except test fixtures."""
    files = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
             and "fixtures" not in p.relative_to(folder).parts]
    return sorted(files)


def load_custom_policies(folders: Iterable[Path],
                         reserved: Iterable[str] = ()) -> CustomPolicies:
    """Every custom policy under ``folders``; problems become error diagnostics."""
    result = CustomPolicies()
    taken = set(reserved)
    for folder in folders:
        if not folder.is_dir():
            result.diagnostics.append(Diagnostic(
                level=DiagnosticLevel.ERROR, file=folder.as_posix(),
                message="custom policy folder not found"))
            continue
        for path in policy_files(folder):
            try:
                rule = _parse(path, taken)
            except PolicyError as exc:
                result.diagnostics.append(Diagnostic(
                    level=DiagnosticLevel.ERROR, file=path.as_posix(), line=exc.line,
                    message=f"custom policy not loaded: {exc.message}"))
                continue
            except (OSError, UnicodeDecodeError) as exc:
                result.diagnostics.append(Diagnostic(
                    level=DiagnosticLevel.ERROR, file=path.as_posix(),
                    message=f"custom policy not loaded: {exc}"))
                continue
            taken.add(rule.meta.id)
            result.rules[rule.meta.id] = rule
    return result


def truthy(value: object) -> bool:
    """JMESPath truthiness: false, null, empty string, list and object are false."""
    if value is None or value is False:
        return False
    return not (isinstance(value, str | list | dict) and not value)


def _message(rule: CustomRule, obj: ModelObject) -> str:
    template = rule.message or f"{{kind}} {{id}} violates custom policy {rule.meta.id}: " \
                              f"{{title}}."
    return (template.replace("{id}", obj.id).replace("{kind}", obj.kind)
            .replace("{title}", rule.meta.title))


def evaluate(rule: CustomRule, model: Model,
             parameters: Mapping[str, Any] | None = None) -> tuple[list[Finding], list[Diagnostic]]:
    """The findings of one custom rule over one unit, and an evaluation error if any."""
    del parameters  # custom policies take no parameters; kept for a uniform call
    findings: list[Finding] = []
    for collection in rule.collections:
        for obj in getattr(model, collection):
            try:
                result = rule.condition.search(obj.model_dump(mode="json"))
            except jmespath.exceptions.JMESPathError as exc:
                return findings, [Diagnostic(
                    level=DiagnosticLevel.ERROR, file=rule.path.as_posix(),
                    message=f"custom policy {rule.meta.id} failed on {obj.id}: {exc}")]
            if truthy(result):
                findings.append(Finding(
                    rule_id=rule.meta.id, package=rule.meta.package,
                    severity=rule.meta.severity, title=rule.meta.title,
                    message=_message(rule, obj), resource=obj.id,
                    resource_type=obj.source.resource_type, file=obj.source.file,
                    line=obj.source.line, remediation=rule.meta.docs.remediation,
                    frameworks=rule.meta.frameworks,
                    fingerprint=fingerprint(rule.meta.id, obj.id)))
    return findings, []


def run_custom_rules(model: Model, reachability: ReachabilityResult,
                     rules: Iterable[RuleMeta], policies: CustomPolicies
                     ) -> tuple[list[Finding], list[Diagnostic]]:
    """The selected custom rules over one unit (rules not custom are left to the engine)."""
    del reachability  # conditions read the object's JSON only
    findings: list[Finding] = []
    problems: list[Diagnostic] = []
    for meta in rules:
        rule = policies.rules.get(meta.id)
        if rule is None:
            continue
        found, errors = evaluate(rule, model)
        findings += found
        problems += errors
    return findings, problems
