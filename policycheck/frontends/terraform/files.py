"""Filesystem functions (``file``, ``templatefile``, ``fileexists``...) confined to the repository.

Terraform resolves relative paths against the root module's folder. policycheck only
reads files inside the scanned repository (the enclosing git work tree, else the
scanned folder): a path that escapes it — ``..`` past the top, an absolute path
elsewhere, a symlink out — is refused with an ERROR naming the file and line.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from policycheck.frontends.terraform.templates import render, template_pieces
from policycheck.frontends.terraform.values import (
    EvalError,
    Value,
    deep_unknown,
    find_unknown,
    to_str,
    type_name,
)
from policycheck.model import Unknown

_MAX_BYTES = 4 * 1024 * 1024


class PathRefused(EvalError):
    """A path outside the repository: reported as an ERROR, valued Unknown."""


def repository_root(scan_root: Path) -> Path:
    """The git work tree containing ``scan_root``, else ``scan_root`` itself."""
    start = scan_root.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


class FileAccess:
    """Reads files for one root module, relative to its folder, inside ``repo_root``."""

    def __init__(self, root_folder: Path, repo_root: Path) -> None:
        self.root_folder = root_folder
        self.repo_root = repo_root.resolve()

    def resolve(self, path: Value, function: str) -> Path:
        text = to_str(path)
        candidate = Path(text)
        full = candidate if candidate.is_absolute() else self.root_folder / candidate
        resolved = full.resolve()
        if not resolved.is_relative_to(self.repo_root):
            raise PathRefused(
                f"{function}({text!r}) refused: the path is outside the scanned repository"
            )
        return resolved

    def read(self, path: Value, function: str) -> str:
        resolved = self.resolve(path, function)
        try:
            if resolved.stat().st_size > _MAX_BYTES:
                raise EvalError(f"{function}: {to_str(path)} is larger than 4 MiB")
            return resolved.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalError(f"{function}: cannot read {to_str(path)}: {exc}") from exc

    def file(self, path: Value) -> Value:
        return self.read(path, "file")

    def fileexists(self, path: Value) -> Value:
        return self.resolve(path, "fileexists").is_file()

    def filebase64(self, path: Value) -> Value:
        return base64.b64encode(self.read(path, "filebase64").encode()).decode()

    def filemd5(self, path: Value) -> Value:
        return hashlib.md5(self.read(path, "filemd5").encode()).hexdigest()

    def filesha256(self, path: Value) -> Value:
        return hashlib.sha256(self.read(path, "filesha256").encode()).hexdigest()

    def fileset(self, path: Value, pattern: Value) -> Value:
        folder = self.resolve(path, "fileset")
        matches = sorted(
            p.relative_to(folder).as_posix()
            for p in folder.glob(to_str(pattern))
            if p.is_file() and p.resolve().is_relative_to(self.repo_root)
        )
        return matches

    def templatefile(self, path: Value, variables: Value) -> Value:
        _check_variables("templatefile", variables)
        unknown = deep_unknown(variables)
        if unknown is not None:
            return unknown
        text = self.read(path, "templatefile")
        return render_template_text(text, variables, to_str(path))

    def functions(self) -> dict[str, Callable[..., Value]]:
        return {
            "file": self.file,
            "fileexists": self.fileexists,
            "filebase64": self.filebase64,
            "filemd5": self.filemd5,
            "filesha256": self.filesha256,
            "fileset": self.fileset,
            "templatefile": self.templatefile,
        }


class _TemplateScope:
    """A template file sees only the variables passed to ``templatefile``."""

    def __init__(self, path: str) -> None:
        self.path = path

    def root(self, name: str, loc: object) -> Value:
        raise EvalError(f"template {self.path} refers to {name}, which was not passed to it")

    def report(self, level: object, loc: object, message: str) -> None:
        return None


def _check_variables(function: str, variables: Value) -> None:
    if not isinstance(variables, dict):
        kind = type_name(variables)
        raise EvalError(f"{function}: variables must be an object, not {kind}")


def render_template_text(text: str, variables: Value, name: str) -> Value:
    """Render template text with only ``variables`` in scope (a string, or Unknown)."""
    from policycheck.frontends.terraform.evaluate import Env, evaluate

    assert isinstance(variables, dict)
    env = Env(_TemplateScope(name), name, dict(variables))
    value = render(
        template_pieces(text, 1), lambda expr, names: evaluate(expr, env.bind(names)), {}
    )
    return value if isinstance(value, Unknown) else to_str(value)


def templatestring(template: Value, variables: Value) -> Value:
    """``templatestring(local.text, {...})``: a string value rendered as a template."""
    _check_variables("templatestring", variables)
    unknown = find_unknown(template) or deep_unknown(variables)
    if unknown is not None:
        return unknown
    if not isinstance(template, str):
        raise EvalError(f"templatestring: the template must be a string, not {type_name(template)}")
    return render_template_text(template, variables, "templatestring")


def path_functions() -> dict[str, Callable[..., Value]]:
    """Functions without filesystem access: paths, and ``templatestring``."""
    return {
        "templatestring": templatestring,
        "basename": lambda p: os.path.basename(to_str(p)),
        "dirname": lambda p: os.path.dirname(to_str(p)) or ".",
        "pathexpand": lambda p: to_str(p),
    }


FILE_FUNCTIONS = frozenset(FileAccess(Path("."), Path(".")).functions())
