"""Reading a root module's ``.tf`` files and sorting their blocks into declarations."""

from __future__ import annotations

from pathlib import Path

from policycheck.diagnostics import DiagnosticLevel, InputError
from policycheck.frontends.terraform.context import Declarations, Reporter
from policycheck.frontends.terraform.parse import Block, ParsedFile, parse_text
from policycheck.frontends.terraform.parse_json import parse_json_text
from policycheck.limits import read_source


def relative_path(path: Path, scan_root: Path) -> str:
    """``path`` relative to the scanned folder, with posix separators."""
    try:
        resolved = path.resolve()
    except RuntimeError:  # a symbolic link loop: name the link itself
        resolved = path.parent.resolve() / path.name
    try:
        relative = resolved.relative_to(scan_root.resolve())
    except ValueError:
        return path.as_posix()
    text = relative.as_posix()
    return text if text else "."


def read_module(folder: Path, scan_root: Path, reporter: Reporter) -> list[ParsedFile]:
    """Parse every ``*.tf`` and ``*.tf.json`` file of ``folder`` in file-name order;
    bad files are errors."""
    parsed: list[ParsedFile] = []
    paths = [*folder.glob("*.tf"), *folder.glob("*.tf.json")]
    for path in sorted(paths, key=lambda p: p.name):
        if not path.is_file() and not path.is_symlink():  # a link loop is reported
            continue
        file = relative_path(path, scan_root)
        try:
            text = read_source(path, file)  # size, encoding and depth limits
        except InputError as exc:
            reporter.diagnostics.append(exc.diagnostic())
            continue
        read = parse_json_text if path.name.endswith(".tf.json") else parse_text
        result = read(text, file)
        if isinstance(result, ParsedFile):
            parsed.append(result)
        else:
            reporter.diagnostics.append(result)
    return parsed


def collect(files: list[ParsedFile], reporter: Reporter) -> Declarations:
    """Sort top-level blocks by kind; duplicates are errors (first one kept)."""
    decls = Declarations()
    for parsed in files:
        for block in parsed.blocks:
            labels = block.labels
            if block.type == "variable" and len(labels) == 1:
                _add_unique(decls.variables, labels[0], block, "variable", reporter)
            elif block.type == "locals":
                for name, attr in block.attributes.items():
                    if name in decls.locals:
                        reporter.report(
                            DiagnosticLevel.ERROR, attr.file, attr.line, f"duplicate local {name}"
                        )
                    else:
                        decls.locals[name] = attr
            elif block.type == "resource" and len(labels) == 2:
                by_name = decls.resources.setdefault(labels[0], {})
                if _add_unique(by_name, labels[1], block, f"resource {labels[0]}", reporter):
                    decls.resource_order.append(block)
            elif block.type == "data" and len(labels) == 2:
                by_name = decls.data.setdefault(labels[0], {})
                _add_unique(by_name, labels[1], block, f"data {labels[0]}", reporter)
            elif block.type == "module" and len(labels) == 1:
                _add_unique(decls.modules, labels[0], block, "module", reporter)
            elif block.type == "output" and len(labels) == 1:
                _add_unique(decls.outputs, labels[0], block, "output", reporter)
            elif block.type == "provider" and len(labels) == 1:
                decls.providers.append(block)
    return decls


def _add_unique(
    table: dict[str, Block], name: str, block: Block, kind: str, reporter: Reporter
) -> bool:
    if name in table:
        reporter.report(DiagnosticLevel.ERROR, block.file, block.line, f"duplicate {kind} {name}")
        return False
    table[name] = block
    return True
