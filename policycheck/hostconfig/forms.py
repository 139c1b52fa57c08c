"""User data forms: a shell script, ``#cloud-config``, a MIME multi-part document (each
part one of those), base64 and gzip wrappers. Each readable piece becomes a ``Part``
whose line numbers map back to the user data text when the piece is written verbatim
in it."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import gzip
import io
import re
from dataclasses import dataclass

MAX_DECODED = 1 << 20
"""User data is at most 16 KiB on EC2; anything decoding past 1 MiB is refused."""

_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]+$")


@dataclass(frozen=True)
class Part:
    kind: str
    """``shell`` or ``cloud-config``."""
    text: str
    first_line: int | None
    """The user data line holding the part's line 1; None when the part is not written
    verbatim in the user data (base64 or gzip encoded)."""
    form: str
    """How it was found: ``shell``, ``cloud-config``, ``mime:<n>:<content type>``,
    ``base64``."""


def _kind(text: str) -> str | None:
    head = text.lstrip()[:64]
    if head.startswith("#cloud-config") or head.startswith("## template: jinja"):
        return "cloud-config"
    if head.startswith("#cloud-boothook") or head.startswith("#!") or not head.startswith("#"):
        return "shell"
    if head.startswith("#include") or head.startswith("#part-handler"):
        return None
    return "shell"


def _decode_bytes(raw: bytes) -> str | None:
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
                raw = stream.read(MAX_DECODED + 1)
        except (OSError, EOFError):
            return None
        if len(raw) > MAX_DECODED:
            return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _maybe_base64(text: str) -> str | None:
    stripped = text.strip()
    if len(stripped) < 8 or not _BASE64.match(stripped) or len(stripped) > 4 * MAX_DECODED:
        return None
    try:
        raw = base64.b64decode("".join(stripped.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    decoded = _decode_bytes(raw)
    if decoded is None or not decoded.strip() or (not decoded.isprintable() and any(
            not (c.isprintable() or c in "\n\r\t") for c in decoded)):
        return None
    return decoded


def _line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _mime_parts(text: str, problems: list[str]) -> list[Part]:
    message = email.message_from_string(text.lstrip(), policy=email.policy.compat32)
    lead = len(text) - len(text.lstrip())
    parts: list[Part] = []
    cursor = 0
    for number, piece in enumerate(message.walk()):
        if piece.is_multipart():
            continue
        content_type = piece.get_content_type()
        encoding = str(piece.get("Content-Transfer-Encoding", "")).lower()
        payload = piece.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        body = _decode_bytes(payload)
        if body is None:
            problems.append(f"user data MIME part {number} ({content_type}) is not text")
            continue
        first_line: int | None = None
        if encoding not in ("base64", "quoted-printable"):
            raw = piece.get_payload()
            where = text.find(raw, lead + cursor) if isinstance(raw, str) and raw else -1
            if where >= 0:
                first_line, cursor = _line_of_offset(text, where), where - lead + len(raw)
        kind = {"text/cloud-config": "cloud-config", "text/x-shellscript": "shell",
                "text/cloud-boothook": "shell", "text/jinja2": "cloud-config"}.get(
            content_type) or _kind(body)
        if kind is None:
            continue
        parts.append(Part(kind, body, first_line, f"mime:{number}:{content_type}"))
    return parts


def split_user_data(text: str, problems: list[str]) -> list[Part]:
    """The readable parts of ``text``, in order."""
    head = text.lstrip()[:400].lower()
    if head.startswith("content-type: multipart/") or (
            "mime-version:" in head and "content-type: multipart/" in head):
        return _mime_parts(text, problems)
    decoded = _maybe_base64(text)
    if decoded is not None:
        return [Part(p.kind, p.text, None, "base64")
                for p in split_user_data(decoded, problems)]
    kind = _kind(text)
    if kind is None:
        problems.append("user data is an #include or part handler; not read")
        return []
    return [Part(kind, text, 1, kind)]
