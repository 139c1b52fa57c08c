"""Rule documentation generated from rule.yaml and the rule's own fixtures.

Every page has the same headings (what it does, why it matters, example, use instead,
how to fix, references), and its examples are cut from the fixtures the test suite
runs, so the docs cannot drift from the tests. ``python -m policycheck.rules.docs``
rewrites ``docs/rules/``; a test fails when the pages are stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from policycheck.rules.catalogue import POLICIES_DIR, RuleMeta, load_catalogue

DOCS_DIR = POLICIES_DIR.parent / "docs" / "rules"
_MARKER = re.compile(r"\s*#\s*expect:.*$")


def _hcl_block(lines: list[str], start: int) -> list[str]:
    """The block opening at ``start``, through its matching closing brace."""
    depth, block = 0, []
    for line in lines[start:]:
        block.append(line)
        depth += line.count("{") - line.count("}")
        if depth <= 0 and "{" in "".join(block):
            break
    return block


def _yaml_block(lines: list[str], start: int) -> list[str]:
    """The mapping entry at ``start`` and every more-indented line after it."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    block = [lines[start]]
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line)
    return [line for line in block if line.strip()]


def _fixture_files(rule: RuleMeta, fmt: str, kind: str) -> list[Path]:
    folder = rule.fixtures / fmt
    if fmt == "terraform":
        return sorted(folder.glob(f"{kind}*/*.tf"))
    return sorted(p for p in folder.glob(f"{kind}*") if p.suffix in (".yaml", ".yml"))


def _marked_block(path: Path, rule_id: str, fmt: str) -> tuple[list[str], str] | None:
    """The block a positive fixture marks for ``rule_id``, and its first line (to find
    the matching block of a negative fixture)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "expect:" in line and rule_id in line:
            block = (_hcl_block if fmt == "terraform" else _yaml_block)(lines, number)
            return [_MARKER.sub("", text) for text in block], line
    return None


def _matching_block(path: Path, fmt: str, opening: str) -> list[str] | None:
    """In a negative fixture, the block of the same kind as the positive's marked one:
    same resource type (HCL) or same ``Type:`` (CloudFormation)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if fmt == "terraform":
        kind = opening.split('"')[1] if '"' in opening else ""
        for number, line in enumerate(lines):
            if line.startswith(f'resource "{kind}"'):
                return _hcl_block(lines, number)
        return None
    for number, line in enumerate(lines):
        block = _yaml_block(lines, number) if line.startswith("  ") and line.rstrip().endswith(
            ":") and not line.startswith("   ") else []
        if block and any(f"Type: {opening}" in text for text in block):
            return block
    return None


def _examples(rule: RuleMeta) -> list[str]:
    out: list[str] = []
    for fmt, lang, title in (("terraform", "hcl", "Terraform"),
                             ("cloudformation", "yaml", "CloudFormation")):
        positives = _fixture_files(rule, fmt, "positive")
        marked = next((m for p in positives if (m := _marked_block(p, rule.id, fmt))), None)
        if marked is None:
            continue
        block, opening = marked
        source = next(p for p in positives if _marked_block(p, rule.id, fmt))
        relative = source.relative_to(POLICIES_DIR.parent).as_posix()
        if fmt == "cloudformation":
            opening = next((t.split("Type:")[1].strip() for t in block if "Type:" in t), "")
        out += [f"### {title}", "", f"Fires on (from `{relative}`):", "", f"```{lang}",
                *block, "```", ""]
        negatives = _fixture_files(rule, fmt, "negative")
        instead = next((b for p in negatives if (b := _matching_block(p, fmt, opening))), None)
        if instead:
            out += ["Does not fire on:", "", f"```{lang}", *instead, "```", ""]
    return out


def rule_markdown(rule: RuleMeta) -> str:
    """The documentation page of one rule."""
    lines = [f"# {rule.id}: {rule.title}", "",
             "| | |", "|---|---|",
             f"| name | `{rule.name}` |", f"| package | `{rule.package}` |",
             f"| severity | {rule.severity.value} |",
             f"| resources | {', '.join(rule.resource_types)} |"]
    for framework, controls in sorted(rule.frameworks.items()):
        lines.append(f"| {framework} | {', '.join(controls)} |")
    for name, value in sorted(rule.parameters.items()):
        lines.append(f"| parameter `{name}` | default `{value}` |")
    lines += ["", "## What it does", "", rule.docs.what.strip(), "",
              "## Why is this bad?", "", rule.docs.why.strip(), "",
              "## Example", "", *_examples(rule),
              "## How to fix", "", rule.docs.remediation.strip(), "",
              "## References", ""]
    lines += [f"- <{ref}>" for ref in rule.docs.references]
    return "\n".join(lines) + "\n"


def index_markdown(rules: list[RuleMeta]) -> str:
    lines = ["# Rules", "", "Generated from `policies/` by "
             "`python -m policycheck.rules.docs`; do not edit by hand.", "",
             "| id | package | severity | title |", "|---|---|---|---|"]
    lines += [f"| [{r.id}]({r.id}.md) | {r.package} | {r.severity.value} | {r.title} |"
              for r in rules]
    return "\n".join(lines) + "\n"


def expected_pages() -> dict[str, str]:
    """File name under docs/rules/ -> content, for every rule and the index."""
    rules = list(load_catalogue().values())
    pages = {f"{rule.id}.md": rule_markdown(rule) for rule in rules}
    pages["README.md"] = index_markdown(rules)
    return pages


def write_pages(folder: Path = DOCS_DIR) -> list[str]:
    """Rewrite the pages; remove pages of rules that no longer exist. Returns the names."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = expected_pages()
    for stale in folder.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(pages)


if __name__ == "__main__":
    written = write_pages()
    sys.stdout.write(f"wrote {len(written)} pages to {DOCS_DIR}\n")
