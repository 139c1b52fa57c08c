"""CDK cloud assemblies: ``cdk.out/manifest.json`` names the stack templates to assess.

In a folder holding a CDK manifest only the templates of its
``aws:cloudformation:stack`` artifacts are units; the other templates there (nested
stacks, which their parent opens through ``aws:asset:path``) are not assessed on their
own. Stage sub-assemblies (``assembly-*/``) have manifests of their own.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def stack_templates(manifest: Path) -> frozenset[Path]:
    """The stack templates a CDK manifest lists (resolved paths); empty if not one."""
    try:
        stat = manifest.stat()
    except OSError:
        return frozenset()
    return _stack_templates(manifest.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _stack_templates(manifest: Path, _mtime: int, size: int) -> frozenset[Path]:
    if size > MAX_MANIFEST_BYTES:
        return frozenset()
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return frozenset()
    artifacts = data.get("artifacts") if isinstance(data, dict) else None
    if not isinstance(artifacts, dict):
        return frozenset()
    found = set()
    for artifact in artifacts.values():
        if not isinstance(artifact, dict) or artifact.get("type") != "aws:cloudformation:stack":
            continue
        properties = artifact.get("properties")
        template = properties.get("templateFile") if isinstance(properties, dict) else None
        if isinstance(template, str):
            path = (manifest.parent / template).resolve()
            if path.is_relative_to(manifest.parent) and path.is_file():
                found.add(path)
    return frozenset(found)


def is_assembly_template(path: Path) -> bool:
    """A template in a CDK assembly folder that its manifest does not list as a stack."""
    manifest = path.parent / MANIFEST
    if not manifest.is_file():
        return False
    stacks = stack_templates(manifest)
    return bool(stacks) and path.resolve() not in stacks


STACK_TYPE = "AWS::CloudFormation::Stack"


def nested_templates(templates: set[Path]) -> set[Path]:
    """The templates that others of ``templates`` open as nested stacks (a local
    ``TemplateURL`` or CDK's ``aws:asset:path``): assessed through their parent only.
    Templates without the nested-stack type are never decoded."""
    nested: set[Path] = set()
    for template in templates:
        try:
            if template.stat().st_size > MAX_MANIFEST_BYTES:
                continue
            text = template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if STACK_TYPE not in text:
            continue
        nested |= _children(template, text)
    return nested


def _children(template: Path, text: str) -> set[Path]:
    from cfnlint.decode import decode_str

    try:
        decoded, matches = decode_str(text)
    except Exception:  # the front-end reports unreadable templates; here: no children
        return set()
    resources = decoded.get("Resources") if isinstance(decoded, dict) else None
    if matches or not isinstance(resources, dict):
        return set()
    found: set[Path] = set()
    for body in resources.values():
        if not isinstance(body, dict) or body.get("Type") != STACK_TYPE:
            continue
        props = body.get("Properties")
        url = props.get("TemplateURL") if isinstance(props, dict) else None
        metadata = body.get("Metadata")
        asset = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
        for candidate in (url, asset):
            if isinstance(candidate, str) and "://" not in candidate:
                found.add((template.parent / candidate).resolve())
    return found
