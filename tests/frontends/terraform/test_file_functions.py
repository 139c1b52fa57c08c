"""File functions: read relative to the root module, confined to the repository.

The scanned folder of these tests (``tmp_path``) is the repository: a path escaping
it (``..``, an absolute path, a symlink out) is an ERROR naming the file and line,
and the value is Unknown with that reason.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from policycheck.diagnostics import DiagnosticLevel
from policycheck.model import Unknown
from tests.frontends.terraform.conftest import Evaluator, write


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Files beside the module (``expr/``), in a shared folder and outside the repository."""
    folder = tmp_path / "expr"
    write(
        folder,
        {
            "hello.txt": "hello\n",
            "user_data.sh.tftpl": (
                "#!/bin/sh\n%{ for p in ports ~}\nopen ${p}\n%{ endfor ~}\necho ${name}\n"
            ),
        },
    )
    write(folder / "policies", {"a.json": "{}", "b.json": "[]", "notes.md": "x"})
    write(tmp_path / "shared", {"common.txt": "shared"})
    return folder


def test_file_reads_relative_to_the_root_module(evaluate: Evaluator, files: Path) -> None:
    assert evaluate('file("hello.txt")') == ("hello\n", [])
    assert evaluate('file("${path.module}/hello.txt")') == ("hello\n", [])
    assert evaluate('file("../shared/common.txt")') == ("shared", [])  # still inside


def test_fileexists_fileset_and_encodings(evaluate: Evaluator, files: Path) -> None:
    assert evaluate('fileexists("hello.txt")') == (True, [])
    assert evaluate('fileexists("missing.txt")') == (False, [])
    assert evaluate('fileexists("policies")') == (False, [])  # a folder is not a file
    assert evaluate('fileset("policies", "*.json")') == (["a.json", "b.json"], [])
    assert evaluate('fileset(path.module, "policies/*")') == (
        ["policies/a.json", "policies/b.json", "policies/notes.md"],
        [],
    )
    encoded = base64.b64encode(b"hello\n").decode()
    assert evaluate('filebase64("hello.txt")') == (encoded, [])
    assert evaluate('filemd5("hello.txt")') == (hashlib.md5(b"hello\n").hexdigest(), [])
    assert evaluate('filesha256("hello.txt")') == (hashlib.sha256(b"hello\n").hexdigest(), [])


def test_templatefile_renders_with_only_its_variables(evaluate: Evaluator, files: Path) -> None:
    value, diagnostics = evaluate(
        'templatefile("user_data.sh.tftpl", { ports = [22, 443], name = "web" })'
    )
    assert (value, diagnostics) == ("#!/bin/sh\nopen 22\nopen 443\necho web\n", [])
    value, diagnostics = evaluate('templatefile("user_data.sh.tftpl", { ports = [22] })')
    assert isinstance(value, Unknown) and "name" in value.reason
    assert [d.level for d in diagnostics] == [DiagnosticLevel.ERROR]


def test_templatefile_with_unknown_variables_is_unknown(evaluate: Evaluator, files: Path) -> None:
    value, _ = evaluate(
        'templatefile("user_data.sh.tftpl", { ports = [22], name = var.name })',
        prelude='variable "name" {\n  type = string\n}\n',
    )
    assert isinstance(value, Unknown)


def test_a_missing_file_is_an_error(evaluate: Evaluator, files: Path) -> None:
    value, diagnostics = evaluate('file("missing.txt")')
    assert isinstance(value, Unknown)
    assert [(d.level, d.file, d.line) for d in diagnostics] == [
        (DiagnosticLevel.ERROR, "expr/main.tf", 3)
    ]


def _refused(value: object, diagnostics: list, function: str) -> None:  # type: ignore[type-arg]
    assert isinstance(value, Unknown)
    assert "outside the scanned repository" in value.reason
    assert [(d.level, d.file, d.line) for d in diagnostics] == [
        (DiagnosticLevel.ERROR, "expr/main.tf", 3)
    ]
    assert f"{function}(" in diagnostics[0].message


@pytest.mark.parametrize("function", ["file", "fileexists", "filebase64", "filemd5", "filesha256"])
def test_dot_dot_out_of_the_repository_is_refused(
    evaluate: Evaluator, files: Path, tmp_path: Path, function: str
) -> None:
    (tmp_path.parent / f"{tmp_path.name}-secret.txt").write_text("secret", encoding="utf-8")
    value, diagnostics = evaluate(f'{function}("../../{tmp_path.name}-secret.txt")')
    _refused(value, diagnostics, function)


def test_an_absolute_path_outside_is_refused(
    evaluate: Evaluator, files: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    _refused(*evaluate(f'file("{outside.as_posix()}")'), "file")
    _refused(*evaluate(f'templatefile("{outside.as_posix()}", {{}})'), "templatefile")
    _refused(*evaluate(f'fileset("{outside.parent.as_posix()}", "*")'), "fileset")


def test_an_absolute_path_inside_is_read(evaluate: Evaluator, files: Path) -> None:
    assert evaluate(f'file("{(files / "hello.txt").as_posix()}")') == ("hello\n", [])


def test_a_symlink_out_of_the_repository_is_refused(
    evaluate: Evaluator, files: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (files / "link.txt").symlink_to(outside / "secret.txt")
    (files / "linked").symlink_to(outside, target_is_directory=True)
    _refused(*evaluate('file("link.txt")'), "file")
    _refused(*evaluate('templatefile("linked/secret.txt", {})'), "templatefile")
    _refused(*evaluate('fileset("linked", "*")'), "fileset")
    # A link out is not listed by fileset of a folder inside either.
    assert evaluate('fileset(".", "*.txt")') == (["hello.txt"], [])


def test_templatestring_renders_a_string_value(evaluate: Evaluator) -> None:
    prelude = 'locals {\n  tpl = "Hello, $${name}%%{ if loud }!%%{ endif }"\n}\n'
    assert evaluate('templatestring(local.tpl, { name = "web", loud = true })', prelude) == (
        "Hello, web!",
        [],
    )
    value, _ = evaluate(
        "templatestring(local.tpl, { name = var.v, loud = false })",
        prelude + 'variable "v" {\n  type = string\n}\n',
    )
    assert isinstance(value, Unknown)
