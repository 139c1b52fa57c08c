"""Recognising credentials written in clear: AWS access keys, and values given to names
that hold secrets (``DB_PASSWORD=...``, ``--api-key=...``).

Each test looks at one word or one name/value pair, never at a whole text. Values that
refer to a secret store instead of holding the secret (``$(aws secretsmanager ...)``,
``${VAR}``, ``{{resolve:ssm-secure:...}}``, ARNs) are not secrets.
"""

from __future__ import annotations

import re
from typing import Literal

SecretKind = Literal["aws-access-key", "aws-secret-key", "password", "token", "private-key"]

_ACCESS_KEY = re.compile(r"(?<![A-Z0-9])((?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16})(?![A-Z0-9])")
_SECRET_NAME = re.compile(
    r"(passw(or)?d|passphrase|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|"
    r"credential|auth[_-]?key|client[_-]?secret)", re.IGNORECASE)
_NOT_A_VALUE_NAME = re.compile(
    r"(_|-)(file|path|arn|name|id|url|uri|length|len|min|max|ttl|type|env|policy)s?$",
    re.IGNORECASE)
_REFERENCE = re.compile(
    r"^(\$|\{\{resolve:|arn:aws|/run/secrets|/var/run/secrets|file://|ssm:|secretsmanager:)",
    re.IGNORECASE)
_PLACEHOLDER = frozenset({"", "none", "null", "true", "false", "yes", "no", "<redacted>",
                          "***", "xxx", "required", "optional", "random", "r"})
PRIVATE_KEY_HEADER = re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")


def preview(value: str) -> str:
    """A masked preview: at most four characters, then an ellipsis."""
    return value[:4] + "…" if len(value) > 4 else "…"


def access_keys(word: str) -> list[str]:
    """AWS access key ids (``AKIA...``) inside one word."""
    return _ACCESS_KEY.findall(word)


def secret_kind(name: str, value: str) -> SecretKind | None:
    """The kind of secret ``value`` is when held under ``name``; None when it is not one
    (or only refers to one)."""
    name = name.strip().strip("-").strip()
    value = value.strip().strip("'\"")
    if not _SECRET_NAME.search(name) or _NOT_A_VALUE_NAME.search(name):
        return None
    if value.lower() in _PLACEHOLDER or _REFERENCE.match(value) or "$(" in value \
            or "${" in value or (value.isdigit() and len(value) < 6):
        return None
    lowered = name.lower()
    if "secret" in lowered and ("aws" in lowered or "access" in lowered):
        return "aws-secret-key"
    if "private" in lowered:
        return "private-key"
    if "token" in lowered or "key" in lowered or "secret" in lowered:
        return "token"
    return "password"
