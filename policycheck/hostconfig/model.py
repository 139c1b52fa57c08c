"""HostConfig: the facts a template's user data states about a host.

Every fact keeps where it was written twice: ``line`` inside the user data (as decoded:
the script, the cloud-config document, or the MIME document with its parts) and
``template_line`` in the template (the ``user_data`` attribute's heredoc or the
``UserData`` block scalar, line for line; the attribute's own line when the text is not
written line for line — a ``file()``, a base64 literal, an ``Fn::Join``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Location(BaseModel):
    """Where a fact is written."""

    model_config = ConfigDict(frozen=True)

    line: int
    """1-based line inside the decoded user data."""
    template_file: str | None = None
    """The template file holding the user data (None when the origin is not known)."""
    template_line: int | None = None
    """The template line the fact maps to (None when the origin is not known)."""
    part: str = "shell"
    """The form it came from: ``shell``, ``cloud-config``, ``mime:<n>:<type>``, ``base64``."""


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: Location
    how: str = ""
    """The command or cloud-init key that stated it (``sed -i``, ``tee -a``, ``write_files``)."""


class SshdSetting(Fact):
    keyword: str
    """Lower-case sshd keyword (``permitrootlogin``)."""
    value: str
    """The value as written (arguments joined by one space)."""
    path: str
    """The file written: ``/etc/ssh/sshd_config`` or a drop-in under ``sshd_config.d/``;
    ``cloud-init`` for ``ssh_pwauth``/``disable_root``."""


class Package(Fact):
    name: str
    version: str | None = None
    """The pinned version (``2.4.49``, ``1.18.0-0ubuntu1``); None when not pinned."""
    manager: str
    """``yum``, ``dnf``, ``apt-get``, ``apt``, ``apk``, ``zypper``, ``pip``, ``cloud-init``,
    ``amazon-linux-extras``."""


class Service(Fact):
    name: str
    """Unit name without ``.service``."""
    action: str
    """``enable``, ``start``, ``restart``, ``disable``, ``stop``, ``mask``."""


class KeyValue(Fact):
    """A ``key value`` setting written to a configuration file."""

    path: str
    key: str
    value: str


class PermissionChange(Fact):
    path: str
    mode: str
    """As written: ``777``, ``o+w``, ``a=rwx``."""
    recursive: bool = False
    world_writable: bool = False
    """Whether the mode grants write permission to others."""


class Secret(Fact):
    kind: Literal["aws-access-key", "aws-secret-key", "password", "token", "private-key"]
    name: str
    """Where it is held: the variable, option or key name."""
    preview: str
    """A masked preview (first characters only); the secret itself is never kept."""


class HostConfig(BaseModel):
    """What the user data says the host will be."""

    model_config = ConfigDict(frozen=True)

    sshd: tuple[SshdSetting, ...] = ()
    packages: tuple[Package, ...] = ()
    services: tuple[Service, ...] = ()
    sysctl: tuple[KeyValue, ...] = ()
    password_policy: tuple[KeyValue, ...] = ()
    """``login.defs`` (``PASS_MAX_DAYS``...), ``pwquality.conf`` (``minlen``...) and
    ``pam_pwquality``/``pam_cracklib`` options (path ``/etc/pam.d/...``)."""
    permissions: tuple[PermissionChange, ...] = ()
    secrets: tuple[Secret, ...] = ()
    users: tuple[str, ...] = ()
    """Users cloud-init or ``useradd`` creates."""
    forms: tuple[str, ...] = ()
    """The forms read: ``shell``, ``cloud-config``, ``mime``, ``base64``, ``gzip``."""
    problems: tuple[str, ...] = ()
    """What could not be read (reported as notices, never guessed)."""

    def sshd_effective(self, keyword: str) -> SshdSetting | None:
        """The value sshd will use for ``keyword``: drop-ins under ``sshd_config.d/`` are
        included first (sshd keeps the first value it reads) in file-name order, then the
        main file's last written value (``sed`` replaces in place, appends come last but
        the stock files leave these keywords commented out)."""
        keyword = keyword.lower()
        found = [s for s in self.sshd if s.keyword == keyword]
        if not found:
            return None
        dropins = sorted((s for s in found if "sshd_config.d/" in s.path),
                         key=lambda s: s.path)
        if dropins:
            first = dropins[0].path
            return next(s for s in dropins if s.path == first)
        return found[-1]

    def setting(self, group: str, key: str) -> KeyValue | None:
        """The last value written for ``key`` (case-insensitive) in ``sysctl`` or
        ``password_policy``."""
        facts: tuple[KeyValue, ...] = getattr(self, group)
        found = [f for f in facts if f.key.lower() == key.lower()]
        return found[-1] if found else None

    def package_names(self) -> set[str]:
        return {p.name for p in self.packages}
