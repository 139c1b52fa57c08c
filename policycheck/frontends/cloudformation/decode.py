"""Reading a template with cfn-lint's decoder: nodes that carry their source lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policycheck.frontends.cloudformation.sink import DiagnosticSink


def line_of(node: object) -> int | None:
    """1-based line where a decoded node starts; None for plain scalars (ints, bools)."""
    mark = getattr(node, "start_mark", None)
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else None


def decode_template(path: Path, sink: DiagnosticSink) -> dict[str, Any] | None:
    """Decode a YAML or JSON template; every problem becomes an ERROR diagnostic.

    cfn-lint's decoder turns short-form tags (``!Ref``, ``!GetAtt a.b``) into their
    long form and keeps start and end marks on mappings, lists and strings. Only the
    decoder is used: cfn-lint's rules are not run.
    """
    from cfnlint.decode import decode_str

    from policycheck.diagnostics import InputError
    from policycheck.limits import read_source

    try:
        text = read_source(path, sink.file)  # size, encoding and depth limits
    except InputError as err:
        sink.error(err.line, f"cannot read template: {err.message}")
        return None
    try:
        template, matches = decode_str(text)
    except RecursionError:
        sink.error(None, "template is nested too deeply to read")
        return None
    except Exception as err:  # cfn-lint's decoder may raise anything on odd input
        sink.error(None, f"cannot parse template: {err}")
        return None
    if matches:
        for match in matches:
            line = getattr(match, "linenumber", None)
            message = str(getattr(match, "message", match))
            sink.error(line if isinstance(line, int) and line > 0 else None, message)
        return None
    if not isinstance(template, dict):
        sink.error(1, "not a CloudFormation template: the top level is not a mapping")
        return None
    return template
