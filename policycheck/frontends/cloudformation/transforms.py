"""Template transforms applied before modelling: SAM and ``AWS::LanguageExtensions``.

Both run offline. SAM goes through the AWS SAM translator (the library cfn-lint used
for its own SAM support) with a region given locally, no managed-policy look-up and
placeholder S3 locations for local code paths; the resources it generates point at
the line of the SAM resource they come from. ``AWS::LanguageExtensions``
(``Fn::ForEach``) is expanded by cfn-lint's own implementation of that transform.
Each library is imported only when a template declares its transform.
"""

from __future__ import annotations

import copy
from typing import Any

from policycheck.frontends.cloudformation.decode import line_of
from policycheck.frontends.cloudformation.sink import DiagnosticSink

SAM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"

_LOCAL_URI_PROPERTIES = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
}
"""Properties that may name a local path; the translator insists on an S3 location."""


def declared_transforms(template: dict[str, Any]) -> list[str]:
    """The names in ``Transform`` (a string or a list)."""
    value = template.get("Transform")
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [str(item) for item in items if isinstance(item, str)]


def apply_transforms(
    template: dict[str, Any], region: str, sink: DiagnosticSink
) -> dict[str, Any] | None:
    """The template with its transforms applied; None (with an error) when one fails."""
    names = declared_transforms(template)
    line = _key_line(template, "Transform")
    for name in names:
        if name == LANGUAGE_EXTENSIONS:
            result = _language_extensions(template, region, sink, line)
        elif name == SAM:
            result = _sam(template, region, sink, line)
        else:
            sink.notice(line, f"transform {name} is not applied; resources it would "
                              "generate are not modelled")
            continue
        if result is None:
            return None
        template = result
    return template


def _language_extensions(
    template: dict[str, Any], region: str, sink: DiagnosticSink, line: int | None
) -> dict[str, Any] | None:
    from cfnlint.template import Template
    from cfnlint.template.transforms._language_extensions import language_extension

    try:
        cfn = Template("template", copy.deepcopy(template), [region])
        matches, result = language_extension(cfn)
    except Exception as err:  # cfn-lint may raise anything on odd input
        sink.error(line, f"AWS::LanguageExtensions transform failed: {err}")
        return None
    for match in matches:
        found = getattr(match, "linenumber", None)
        sink.error(found if isinstance(found, int) and found > 0 else line,
                   str(getattr(match, "message", match)))
    if matches or not isinstance(result, dict):
        return None
    return result


def _sam(
    template: dict[str, Any], region: str, sink: DiagnosticSink, line: int | None
) -> dict[str, Any] | None:
    try:
        import boto3  # type: ignore[import-untyped]
        from samtranslator.model.exceptions import (  # type: ignore[import-untyped]
            InvalidDocumentException,
        )
        from samtranslator.parser import parser  # type: ignore[import-untyped]
        from samtranslator.translator.translator import (  # type: ignore[import-untyped]
            Translator,
        )
    except ImportError:
        sink.error(line, "SAM templates need the aws-sam-translator package")
        return None
    source = copy.deepcopy(template)
    _placeholder_uris(source)
    managed = _ManagedPolicies()
    try:
        translator = Translator(managed_policy_map=managed, sam_parser=parser.Parser(),
                                boto_session=boto3.session.Session(region_name=region))
        output = translator.translate(sam_template=source, parameter_values={},
                                      passthrough_metadata=True,
                                      get_managed_policy_map=lambda: managed)
    except InvalidDocumentException as err:
        for cause in err.causes:
            sink.error(line, f"SAM: {cause.message}")
        return None
    except Exception as err:  # the translator may raise anything on odd input
        sink.error(line, f"SAM transform failed: {err}")
        return None
    if not isinstance(output, dict):
        return None
    return _with_lines(output, template)


class _ManagedPolicies(dict[str, str]):
    """AWS managed policy names → ARNs, derived from the name (never looked up)."""

    def __missing__(self, name: str) -> str:
        return f"arn:aws:iam::aws:policy/{name}"

    def get(self, name: str, default: object = None) -> str:
        return self[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and not name.startswith("arn:")


def _placeholder_uris(template: dict[str, Any]) -> None:
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return
    for body in resources.values():
        if not isinstance(body, dict) or not isinstance(body.get("Properties"), dict):
            continue
        props = body["Properties"]
        for name in _LOCAL_URI_PROPERTIES.get(str(body.get("Type")), ()):
            value = props.get(name)
            if isinstance(value, str) and not value.startswith("s3://"):
                props[name] = "s3://local-code/placeholder"
        if body.get("Type") == "AWS::Serverless::Function" and "CodeUri" not in props \
                and "InlineCode" not in props and "ImageUri" not in props:
            props["CodeUri"] = "s3://local-code/placeholder"


def _with_lines(output: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """Generated resources take the key (and so the line) of the SAM resource whose
    logical id is the longest prefix of theirs (``Fn`` → ``FnRole``, ``FnUrl``)."""
    originals = original.get("Resources")
    keys = [key for key in originals if isinstance(key, str)] if isinstance(originals, dict) else []
    resources = output.get("Resources")
    if not isinstance(resources, dict):
        return output
    rebuilt: dict[Any, Any] = {}
    for key, body in resources.items():
        if line_of(key) is None:
            owners = [k for k in keys if str(key).startswith(str(k))]
            if owners:
                owner = max(owners, key=len)
                key = _marked(str(key), owner)
        rebuilt[key] = body
    output["Resources"] = rebuilt
    return output


def _marked(text: str, owner: object) -> object:
    from cfnlint.decode.node import str_node

    return str_node(text, getattr(owner, "start_mark", None), getattr(owner, "end_mark", None))


def _key_line(mapping: dict[str, Any], name: str) -> int | None:
    for key in mapping:
        if key == name:
            return line_of(key)
    return None
