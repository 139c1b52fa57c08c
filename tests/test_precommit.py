"""The real pre-commit framework blocks a commit that opens SSH to the internet, with a
clickable finding, and lets the fix through. Offline: a ``repo: local`` hook runs this
environment's ``policycheck`` executable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.test_suppressions import write_stack

pytest.importorskip("pre_commit", reason="pre-commit is not installed")

PUBLISHED = yaml.safe_load(
    (Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
EXECUTABLE = Path(sys.executable).parent / "policycheck"


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False, timeout=120)


@pytest.fixture()
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    if not EXECUTABLE.exists():
        pytest.skip(f"no policycheck executable next to {sys.executable}")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Test"),
                 ("config", "user.email", "test@example.invalid"),
                 ("config", "commit.gpgsign", "false")):
        assert _git(repo, *args, env=env).returncode == 0
    config = {"repos": [{"repo": "local", "hooks": [{
        "id": "policycheck", "name": "policycheck", "language": "system",
        "entry": (f"{EXECUTABLE} scan --fail-on medium"
                  " --packages network-reachability"), "files": PUBLISHED["files"],
        "require_serial": True}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (repo / "package.json").write_text('{"name": "not infrastructure"}\n')
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo,
                             env=env, capture_output=True, text=True, timeout=120)
    assert install.returncode == 0, install.stdout + install.stderr
    assert _git(repo, "add", ".", env=env).returncode == 0
    first = _git(repo, "commit", "-q", "-m", "tooling", env=env)
    assert first.returncode == 0, first.stdout + first.stderr  # non-IaC files pass quietly
    return repo, env


def test_published_hook_definition() -> None:
    assert PUBLISHED["id"] == "policycheck" and PUBLISHED["language"] == "python"
    assert PUBLISHED["entry"] == "policycheck scan" and PUBLISHED["require_serial"] is True


def test_commit_opening_ssh_is_blocked_then_the_fix_passes(
        repo: tuple[Path, dict[str, str]]) -> None:
    root, env = repo
    stack = write_stack(root / "infra" / "web")
    assert _git(root, "add", "infra", env=env).returncode == 0
    blocked = _git(root, "commit", "-m", "open SSH", env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "NET003" in output and "Failed" in output
    assert "(infra/web/main.tf:2)" in output  # relative to the repository root

    security = stack / "security.tf"
    security.write_text(security.read_text().replace('"0.0.0.0/0"', '"10.0.0.0/8"'))
    assert _git(root, "add", "infra", env=env).returncode == 0
    passed = _git(root, "commit", "-m", "SSH from the VPN only", env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "policycheck" in passed.stdout + passed.stderr and "Passed" in (
        passed.stdout + passed.stderr)


def test_tfvars_change_assesses_its_root_module(repo: tuple[Path, dict[str, str]]) -> None:
    root, env = repo
    write_stack(root / "infra")
    (root / "infra" / "prod.tfvars").write_text('environment = "prod"\n')
    run = subprocess.run([str(EXECUTABLE), "scan", "--fail-on", "medium",
                          "infra/prod.tfvars", "package.json"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "(infra/main.tf:2)" in run.stdout, run.stdout
