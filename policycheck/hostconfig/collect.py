"""Collecting facts, and reading the content written to a configuration file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policycheck.hostconfig.forms import Part
from policycheck.hostconfig.model import (
    HostConfig,
    KeyValue,
    Location,
    Package,
    PermissionChange,
    Secret,
    Service,
    SshdSetting,
)
from policycheck.hostconfig.secrets import PRIVATE_KEY_HEADER, access_keys, preview, secret_kind


@dataclass(frozen=True)
class Origin:
    """Where the user data text is written in the template."""

    file: str
    line: int
    """The template line of the text's line 1 when ``inline``, else the attribute's line."""
    inline: bool


SSHD_MAIN = "/etc/ssh/sshd_config"
_KEY_EQ_VALUE = re.compile(r"^\s*([A-Za-z0-9_.\-/]+)\s*=\s*(.*?)\s*$")
_PAM_MODULES = ("pam_pwquality.so", "pam_cracklib.so", "pam_unix.so", "pam_pwhistory.so")


@dataclass
class Collector:
    origin: Origin | None
    part: Part | None = None
    sshd: list[SshdSetting] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    sysctl: list[KeyValue] = field(default_factory=list)
    password_policy: list[KeyValue] = field(default_factory=list)
    permissions: list[PermissionChange] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def at(self, line: int) -> Location:
        """The location of ``line`` of the current part."""
        part = self.part
        mapped = part is not None and part.first_line is not None
        ud_line = part.first_line + line - 1 if part is not None and \
            part.first_line is not None else line
        form = part.form if part is not None else "shell"
        if self.origin is None:
            return Location(line=ud_line, part=form)
        template_line = self.origin.line + ud_line - 1 if self.origin.inline and mapped \
            else self.origin.line
        return Location(line=ud_line, template_file=self.origin.file,
                        template_line=template_line, part=form)

    def secret(self, kind: str, name: str, value: str, line: int, how: str) -> None:
        self.secrets.append(Secret.model_validate(
            {"kind": kind, "name": name, "preview": preview(value), "at": self.at(line),
             "how": how}))

    def scan_word(self, word: str, line: int, how: str) -> None:
        """AWS access keys in a word, and a ``NAME=value`` word holding a secret."""
        for key in access_keys(word):
            self.secret("aws-access-key", "AWS access key id", key, line, how)
        name, eq, value = word.partition("=")
        if eq and not access_keys(word):
            kind = secret_kind(name.removeprefix("export "), value)
            if kind is not None:
                self.secret(kind, name.strip().lstrip("-"), value, line, how)

    def build(self) -> HostConfig:
        return HostConfig(
            sshd=tuple(self.sshd), packages=tuple(self.packages), services=tuple(self.services),
            sysctl=tuple(self.sysctl), password_policy=tuple(self.password_policy),
            permissions=tuple(self.permissions), secrets=tuple(self.secrets),
            users=tuple(dict.fromkeys(self.users)), forms=tuple(dict.fromkeys(self.forms)),
            problems=tuple(self.problems))


def is_sshd_file(path: str) -> bool:
    return path == SSHD_MAIN or (path.startswith("/etc/ssh/sshd_config.d/")
                                 and path.endswith(".conf"))


def _sysctl_key(path: str) -> str | None:
    if path.startswith("/proc/sys/"):
        return path.removeprefix("/proc/sys/").replace("/", ".")
    return None


def _key_value(line: str) -> tuple[str, str] | None:
    match = _KEY_EQ_VALUE.match(line)
    return (match.group(1), match.group(2)) if match else None


def written(collector: Collector, path: str, lines: list[tuple[str, int]], how: str) -> None:
    """Read ``lines`` (text, part line) written to ``path``."""
    proc_key = _sysctl_key(path)
    in_match = False
    for text, line in lines:
        stripped = text.strip()
        if PRIVATE_KEY_HEADER.search(stripped):
            collector.secret("private-key", path, stripped, line, how)
        for word in stripped.split():
            for key in access_keys(word):
                collector.secret("aws-access-key", path, key, line, how)
        if not stripped or stripped.startswith("#"):
            continue
        if proc_key is not None:
            collector.sysctl.append(KeyValue(path=path, key=proc_key, value=stripped,
                                             at=collector.at(line), how=how))
            continue
        if is_sshd_file(path):
            keyword, _, value = stripped.partition(" ")
            if "=" in keyword and not value:
                keyword, _, value = keyword.partition("=")
            if keyword.lower() == "match":
                in_match = True  # what follows applies to some connections only
            if not in_match:
                collector.sshd.append(SshdSetting(keyword=keyword.lower(), value=value.strip(),
                                                  path=path, at=collector.at(line), how=how))
            continue
        _other_file(collector, path, stripped, line, how)


def _other_file(collector: Collector, path: str, stripped: str, line: int, how: str) -> None:
    at = collector.at(line)
    if path == "/etc/sysctl.conf" or path.startswith("/etc/sysctl.d/"):
        pair = _key_value(stripped)
        if pair:
            collector.sysctl.append(KeyValue(path=path, key=pair[0], value=pair[1],
                                             at=at, how=how))
    elif path == "/etc/login.defs":
        key, _, value = stripped.partition(" ")
        collector.password_policy.append(KeyValue(path=path, key=key, value=value.strip(),
                                                  at=at, how=how))
    elif path.startswith("/etc/security/pwquality.conf"):
        pair = _key_value(stripped)
        if pair:
            collector.password_policy.append(KeyValue(path=path, key=pair[0],
                                                      value=pair[1], at=at, how=how))
    elif path.startswith("/etc/pam.d/") and any(m in stripped for m in _PAM_MODULES):
        for option in stripped.split():
            key, eq, value = option.partition("=")
            if eq:
                collector.password_policy.append(KeyValue(path=path, key=key, value=value,
                                                          at=at, how=how))
    else:
        name, sep, value = stripped.partition("=")
        if sep:
            kind = secret_kind(name.strip().removeprefix("export "), value)
            if kind is not None:
                collector.secret(kind, name.strip(), value, line, how)
