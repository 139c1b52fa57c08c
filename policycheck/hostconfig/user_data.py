"""Services a host starts, read from its user data: shell scripts and cloud-init.

Shell is parsed with a real parser (bashlex), never with regexes over the text: every
simple command is visited (inside lists, pipelines, ``if``/``for`` bodies and ``$(...)``
substitutions) and a few command shapes say that a service will run:

* package installation — ``apt-get|apt|yum|dnf|zypper|apk install PKG...``;
* service enablement — ``systemctl enable|start|restart [--now] UNIT...``,
  ``service NAME start``, ``chkconfig NAME on``, ``rc-update add NAME``;
* containers — ``docker run -p [IP:]HOST:CONTAINER[/udp]`` publishes HOST.

cloud-init (``#cloud-config``) contributes its ``packages`` and ``runcmd`` (each command
parsed as shell). A script that cannot be parsed yields what its parsable lines say and
a problem text. Nothing here executes anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import bashlex  # type: ignore[import-untyped]
import yaml

from policycheck.hostconfig.services import SERVICE_PORTS


@dataclass
class HostServices:
    """What the user data says will run."""

    services: set[str] = field(default_factory=set)
    """Service or package names known to ``SERVICE_PORTS``."""
    published: list[tuple[str, int]] = field(default_factory=list)
    """``(protocol, port)`` published by containers."""
    problems: list[str] = field(default_factory=list)


_INSTALLERS = {"apt-get", "apt", "yum", "dnf", "zypper", "apk"}
_PUBLISH = re.compile(r"^(?:[\d.]+:)?(\d{1,5})(?::\d{1,5})?(?:/(tcp|udp))?$")


def _words(node: object) -> Iterator[list[str]]:
    """The words of every simple command under ``node``."""
    kind = getattr(node, "kind", None)
    if kind == "command":
        words = [part.word for part in node.parts  # type: ignore[attr-defined]
                 if getattr(part, "kind", None) == "word"]
        if words:
            yield words
    for attribute in ("parts", "list", "command"):
        children = getattr(node, attribute, None)
        if isinstance(children, list):
            for child in children:
                yield from _words(child)
        elif children is not None and hasattr(children, "kind"):
            yield from _words(children)


def _command(words: list[str], found: HostServices) -> None:
    while words and words[0] in ("sudo", "env", "nohup", "exec"):
        words = words[1:]
    if not words:
        return
    name, args = words[0].rsplit("/", 1)[-1], [w for w in words[1:] if not w.startswith("-")]
    if name in _INSTALLERS and args[:1] in (["install"], ["add"]):
        found.services.update(arg for arg in args[1:] if arg in SERVICE_PORTS)
    elif name == "systemctl" and args[:1] and args[0] in ("enable", "start", "restart"):
        found.services.update(unit.removesuffix(".service") for unit in args[1:]
                              if unit.removesuffix(".service") in SERVICE_PORTS)
    elif name == "service" and len(args) >= 2 and args[1] in ("start", "restart"):
        if args[0] in SERVICE_PORTS:
            found.services.add(args[0])
    elif name in ("chkconfig", "rc-update") and args:
        candidates = args[1:2] if name == "rc-update" else args[:1]
        found.services.update(c for c in candidates if c in SERVICE_PORTS)
    elif name == "docker" and words[1:2] == ["run"]:
        for flag, value in pairwise(words):
            if flag in ("-p", "--publish"):
                match = _PUBLISH.match(value)
                if match:
                    found.published.append((match.group(2) or "tcp", int(match.group(1))))


def _shell(script: str, found: HostServices) -> None:
    try:
        trees = bashlex.parse(script)
    except Exception:  # bashlex raises several types; fall back to line by line
        trees = []
        for number, line in enumerate(script.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                trees.extend(bashlex.parse(line))
            except Exception:
                found.problems.append(f"user data line {number} could not be parsed as shell")
    for tree in trees:
        for words in _words(tree):
            _command(words, found)


def _cloud_config(text: str, found: HostServices) -> None:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        found.problems.append("user data #cloud-config is not valid YAML")
        return
    if not isinstance(document, dict):
        return
    for package in document.get("packages") or []:
        name = package if isinstance(package, str) else (
            package[0] if isinstance(package, list) and package else None)
        if isinstance(name, str) and name in SERVICE_PORTS:
            found.services.add(name)
    for command in document.get("runcmd") or []:
        if isinstance(command, str):
            _shell(command, found)
        elif isinstance(command, list):
            _command([str(word) for word in command], found)


def host_services(user_data: str) -> HostServices:
    """What ``user_data`` (a shell script or cloud-config) says will run on the host."""
    found = HostServices()
    text = user_data.lstrip()
    if text.startswith("#cloud-config"):
        _cloud_config(text, found)
    else:
        _shell(text, found)
    return found
