"""Software versions as written in templates, compared with ``packaging``.

Versions come from package pins (``httpd-2.4.49``, ``openssl=3.0.5``), container image
tags (``httpd:2.4.49-alpine``) and engine versions (``5.7.mysql_aurora.2.11.2``). They
are normalised into PEP 440 form before ``packaging.version.Version`` compares them:

* an epoch (``1:``) is dropped and a distribution release (``-1ubuntu1``, ``-3.amzn2``)
  is split off and returned separately, because distributions backport fixes without
  changing the upstream version;
* OpenSSL-style letter releases (``1.0.1f``) become a fourth component (``1.0.1.6``);
* OpenSSH/sudo patch levels (``8.9p1``, ``1.9.5p2``) become post releases;
* pre-release words (``2.0-beta9``, ``9.0.0.M1``) become PEP 440 pre-releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

_UPSTREAM = re.compile(r"^v?(\d+(?:\.\d+)*)([a-z]?)(?:p(\d+))?"
                       r"(?:[-.]?(alpha|beta|rc|m)[-.]?(\d*))?$", re.IGNORECASE)
_PRE = {"alpha": "a", "beta": "b", "rc": "rc", "m": "a"}


@dataclass(frozen=True)
class ParsedVersion:
    """An upstream version and the distribution release written after it, if any."""

    text: str
    """As written."""
    version: Version
    distribution_release: str | None = None
    """``1ubuntu4.14`` in ``2.4.29-1ubuntu4.14``; None for an upstream version."""


def _upstream(text: str) -> Version | None:
    match = _UPSTREAM.match(text)
    if not match:
        return None
    numbers, letter, patch, pre, pre_number = match.groups()
    release = numbers + (f".{ord(letter.lower()) - ord('a') + 1}" if letter else "")
    if pre:
        release += f"{_PRE[pre.lower()]}{pre_number or 0}"
    if patch:
        release += f".post{patch}"
    try:
        return Version(release)
    except InvalidVersion:
        return None


def parse_version(text: str) -> ParsedVersion | None:
    """``text`` as a comparable version, or None when it is not a version."""
    written = text.strip()
    bare = written.split(":", 1)[1] if re.match(r"^\d+:", written) else written
    whole = _upstream(bare)
    if whole is not None:
        return ParsedVersion(text=written, version=whole)
    if "-" in bare:
        upstream, release = bare.split("-", 1)
        parsed = _upstream(upstream)
        if parsed is not None:
            return ParsedVersion(text=written, version=parsed, distribution_release=release)
    return None


def image_tag_version(tag: str) -> ParsedVersion | None:
    """The version at the start of a container image tag (``2.4.49-alpine`` -> 2.4.49);
    None for tags that name no version (``latest``, ``alpine``, a digest)."""
    match = re.match(r"^v?(\d+(?:\.\d+)*[a-z]?(?:p\d+)?)", tag)
    if not match:
        return None
    parsed = parse_version(match.group(1))
    return None if parsed is None else ParsedVersion(text=tag, version=parsed.version)


def split_image(image: str) -> tuple[str, str | None]:
    """``registry/ns/name:tag@digest`` -> (``ns/name`` without a Docker Hub prefix, tag)."""
    reference = image.split("@", 1)[0]
    name, tag = reference, None
    last = reference.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = reference.rsplit(":", 1)
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(prefix)
    name = name.removeprefix("library/")
    if "/" in name and ("." in name.split("/", 1)[0] or ":" in name.split("/", 1)[0]):
        name = name.split("/", 1)[1].removeprefix("library/")  # another registry host
    return name.lower(), tag


def version_prefix_matches(version: str, prefix: str) -> bool:
    """Whether dotted ``version`` starts with the dotted components of ``prefix``
    (``5.7.44`` and ``5.7.mysql_aurora.2.11.2`` start with ``5.7``; ``5.70`` does not)."""
    have = version.strip().lower().split(".")
    want = prefix.strip().lower().split(".")
    return have[:len(want)] == want


@dataclass(frozen=True)
class VersionRange:
    """Affected versions: from ``introduced`` (inclusive, open when None) up to ``fixed``
    (exclusive) or ``last_affected`` (inclusive); open above when both are None."""

    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None

    def contains(self, version: Version) -> bool:
        low = _bound(self.introduced)
        if low is not None and version < low:
            return False
        fixed = _bound(self.fixed)
        if fixed is not None and version >= fixed:
            return False
        last = _bound(self.last_affected)
        return last is None or version <= last


def _bound(text: str | None) -> Version | None:
    if text is None:
        return None
    parsed = parse_version(text)
    if parsed is None:
        raise ValueError(f"not a version: {text!r}")
    return parsed.version
