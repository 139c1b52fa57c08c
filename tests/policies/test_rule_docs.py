"""Rule documentation is generated from rule.yaml and fixtures, and kept current."""

from __future__ import annotations

from typer.testing import CliRunner

from policycheck.cli import app
from policycheck.rules.catalogue import load_catalogue
from policycheck.rules.docs import DOCS_DIR, expected_pages, rule_markdown
from tests.policies.fixtures import KNOWN_FORMAT_GAPS

HEADINGS = ["## What it does", "## Why is this bad?", "## Example", "## How to fix",
            "## References"]


def test_generated_docs_are_current() -> None:
    stale = [name for name, text in expected_pages().items()
             if not (DOCS_DIR / name).exists()
             or (DOCS_DIR / name).read_text(encoding="utf-8") != text]
    extra = sorted({p.name for p in DOCS_DIR.glob("*.md")} - set(expected_pages()))
    assert not stale and not extra, (
        f"docs/rules is stale ({stale}, extra {extra}): run python -m policycheck.rules.docs")


def test_every_page_has_the_headings_and_examples_from_both_formats() -> None:
    for rule in load_catalogue().values():
        page = rule_markdown(rule)
        positions = [page.index(heading) for heading in HEADINGS]
        assert positions == sorted(positions), rule.id
        langs = [lang for fmt, lang in (("terraform", "hcl"), ("cloudformation", "yaml"))
                 if (rule.id, fmt, "positive") not in KNOWN_FORMAT_GAPS]
        assert all(f"```{lang}" in page for lang in langs), f"{rule.id} lacks fixture examples"
        assert "expect:" not in page, "markers are stripped from examples"


def test_rules_show_cli() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["rules", "show", "net003"])
    assert shown.exit_code == 0 and shown.output.startswith("# NET003:")
    assert runner.invoke(app, ["rules", "show", "NOPE999"]).exit_code == 2
