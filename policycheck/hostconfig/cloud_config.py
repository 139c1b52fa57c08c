"""``#cloud-config`` documents: packages, runcmd/bootcmd, write_files, users, chpasswd,
password, ssh_pwauth, disable_root — read with PyYAML's safe loader, keeping the line of
every node."""

from __future__ import annotations

import base64
import binascii
import gzip
from typing import Any

import yaml

from policycheck.hostconfig.collect import Collector, written
from policycheck.hostconfig.model import Package, SshdSetting
from policycheck.hostconfig.shell import Command
from policycheck.hostconfig.shell_facts import command_facts, package_pin, shell_facts

Node = yaml.Node


def _value(node: Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _content_line(node: Node) -> int:
    """The line of a scalar's first character of content (after ``|`` or ``>``)."""
    style = getattr(node, "style", None)
    return _line(node) + (1 if style in ("|", ">") else 0)


def _mapping(node: Node | None) -> dict[str, Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): value for key, value in node.value
            if isinstance(key, yaml.ScalarNode)}


def _sequence(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _text(node: Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _ssh_settings(collector: Collector, keys: dict[str, Node]) -> None:
    if "ssh_pwauth" in keys:
        value = _value(keys["ssh_pwauth"])
        text = {True: "yes", False: "no"}.get(value, str(value).lower()) \
            if isinstance(value, bool) else str(value).lower()
        if text in ("yes", "no", "true", "false"):
            text = "yes" if text in ("yes", "true") else "no"
            collector.sshd.append(SshdSetting(
                keyword="passwordauthentication", value=text, path="cloud-init",
                at=collector.at(_line(keys["ssh_pwauth"])), how="ssh_pwauth"))
    if "disable_root" in keys:
        value = _value(keys["disable_root"])
        collector.sshd.append(SshdSetting(
            keyword="disable_root", value=str(value).lower(), path="cloud-init",
            at=collector.at(_line(keys["disable_root"])), how="disable_root"))


def _packages(collector: Collector, node: Node | None) -> None:
    for item in _sequence(node):
        name: str | None
        version: str | None = None
        if isinstance(item, yaml.SequenceNode) and item.value:
            name = _text(item.value[0])
            version = _text(item.value[1]) if len(item.value) > 1 else None
        else:
            name = _text(item)
            if name is not None:
                name, version = package_pin(name, "apt")
        if name:
            collector.packages.append(Package(name=name, version=version, manager="cloud-init",
                                              at=collector.at(_line(item)), how="packages"))


def _commands(collector: Collector, node: Node | None) -> None:
    for item in _sequence(node):
        if isinstance(item, yaml.ScalarNode):
            shell_facts(collector, str(item.value), _content_line(item))
        elif isinstance(item, yaml.SequenceNode):
            words = [str(_value(word)) for word in item.value]
            command_facts(collector, Command(words=words, line=_line(item)))


def _file_content(collector: Collector, entry: dict[str, Node]) -> list[tuple[str, int]]:
    content = entry.get("content")
    text = _text(content)
    if content is None or text is None:
        return []
    encoding = (_text(entry.get("encoding")) or "").lower()
    first = _content_line(content)
    if encoding in ("b64", "base64", "gzip+base64", "gz+base64", "gz+b64", "gzip+b64"):
        try:
            raw = base64.b64decode(text)
            if encoding.startswith("gz"):
                raw = gzip.decompress(raw)
            text = raw.decode("utf-8")
        except (binascii.Error, ValueError, OSError, EOFError, UnicodeDecodeError):
            collector.problems.append(f"write_files content at line {first} does not decode")
            return []
        return [(line, _line(content)) for line in text.splitlines()]
    if getattr(content, "style", None) in ("|", ">", None):
        return [(line, first + i) for i, line in enumerate(text.splitlines())]
    return [(line, first) for line in text.splitlines()]


def _write_files(collector: Collector, node: Node | None) -> None:
    for item in _sequence(node):
        entry = _mapping(item)
        path = _text(entry.get("path"))
        if path:
            append = _value(entry["append"]) is True if "append" in entry else False
            written(collector, path, _file_content(collector, entry),
                    "write_files (append)" if append else "write_files")


def _users(collector: Collector, keys: dict[str, Node]) -> None:
    for item in _sequence(keys.get("users")):
        entry = _mapping(item)
        name = _text(item) if not entry else _text(entry.get("name"))
        if name and name != "default":
            collector.users.append(name)
        for key in ("plain_text_passwd",):
            if key in entry and _text(entry[key]):
                collector.secret("password", f"users[{name}].{key}", str(_text(entry[key])),
                                 _line(entry[key]), "users")
    if "password" in keys and _text(keys["password"]):
        collector.secret("password", "password", str(_text(keys["password"])),
                         _line(keys["password"]), "password")
    chpasswd = _mapping(keys.get("chpasswd"))
    listed = chpasswd.get("list")
    lines: list[tuple[str, int]] = []
    if isinstance(listed, yaml.ScalarNode):
        lines = [(line, _content_line(listed) + i)
                 for i, line in enumerate(str(listed.value).splitlines())]
    lines += [(str(_text(n)), _line(n)) for n in _sequence(listed) if _text(n)]
    for text, line in lines:
        user, sep, password = text.partition(":")
        if sep and password and password.upper() not in ("R", "RANDOM") \
                and not password.startswith("$"):
            collector.secret("password", f"chpasswd {user}", password, line, "chpasswd")
    for item in _sequence(chpasswd.get("users")):
        entry = _mapping(item)
        kind = (_text(entry.get("type")) or "hash").lower()
        plain = _text(entry.get("password"))
        if kind == "text" and plain and plain.upper() not in ("R", "RANDOM"):
            collector.secret("password", f"chpasswd {_text(entry.get('name'))}", plain,
                             _line(entry["password"]), "chpasswd")


def cloud_config_facts(collector: Collector, text: str) -> None:
    """Every fact a cloud-config document states, in the order cloud-init applies them."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        collector.problems.append(f"user data #cloud-config is not valid YAML: {exc}")
        return
    keys = _mapping(root)
    _users(collector, keys)
    _ssh_settings(collector, keys)
    _commands(collector, keys.get("bootcmd"))
    _write_files(collector, keys.get("write_files"))
    _packages(collector, keys.get("packages"))
    _commands(collector, keys.get("runcmd"))
