"""What each shell command says about the host: packages installed, services enabled,
files written (``echo``/``printf``/``cat <<EOF`` redirected or piped to ``tee``, ``sed -i``
edits), ``sysctl -w``, ``chmod`` of system directories, users, secrets."""

from __future__ import annotations

import re
from itertools import pairwise

from policycheck.hostconfig.collect import Collector, written
from policycheck.hostconfig.model import KeyValue, Package, PermissionChange, Service
from policycheck.hostconfig.secrets import access_keys, secret_kind
from policycheck.hostconfig.sed import sed_lines
from policycheck.hostconfig.shell import Command, commands

_WRAPPERS = {"sudo", "env", "nohup", "exec", "command", "builtin", "time", "doas"}
_INSTALLERS = {"apt-get": "apt", "apt": "apt", "yum": "rpm", "dnf": "rpm", "zypper": "rpm",
               "apk": "apk", "pip": "pip", "pip3": "pip", "amazon-linux-extras": "plain"}
_OPTIONS_WITH_VALUE = {"-o", "-c", "-t", "--setopt", "--enablerepo", "--disablerepo",
                       "--repo", "-r", "--index-url", "-i", "--target", "--root"}
_RPM_VERSION = re.compile(r"^(?P<name>[A-Za-z0-9_.+]+(?:-[A-Za-z_][A-Za-z0-9_.+]*)*)"
                          r"-(?P<version>(?:\d+:)?\d[\w.+~^]*(?:-[\w.+~^]+)?)$")
_PIP_PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-\[\]]+)==(?P<version>[\w.+!\-]+)$")
_SERVICE_ACTIONS = {"enable", "start", "restart", "reload", "disable", "stop", "mask"}
_OCTAL = re.compile(r"^[0-7]{3,4}$")
_SYMBOLIC = re.compile(r"^([ugoa]*)([+=-])([rwxXst]*)$")


def package_pin(word: str, family: str) -> tuple[str, str | None]:
    """(name, pinned version or None) of one package argument."""
    if family in ("apt", "apk") and "=" in word:
        name, _, version = word.partition("=")
        return name, version.lstrip("=") or None
    if family == "pip":
        match = _PIP_PIN.match(word)
        if match:
            return match.group("name").lower(), match.group("version")
        return re.split(r"[<>=!~;\[]", word, maxsplit=1)[0].lower(), None
    if family == "rpm":
        match = _RPM_VERSION.match(word)
        if match:
            return match.group("name"), match.group("version")
        if "=" in word:  # zypper
            name, _, version = word.partition("=")
            return name, version or None
    return word, None


def _unwrap(words: list[str]) -> list[str]:
    while words and (words[0] in _WRAPPERS or ("=" in words[0] and words[0][0] != "-")):
        words = words[1:]
        while words and words[0].startswith("-") and len(words) > 1:
            words = words[1:]  # options of sudo/env (-u is rare enough to ignore its value)
    if words and words[0] in ("python", "python3") and words[1:3] == ["-m", "pip"]:
        words = ["pip", *words[3:]]
    return words


def _arguments(words: list[str]) -> list[str]:
    args: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in _OPTIONS_WITH_VALUE:
            skip = True
        elif not word.startswith("-"):
            args.append(word)
    return args


def _install(collector: Collector, command: Command, name: str, args: list[str]) -> None:
    family = _INSTALLERS[name]
    if family == "plain":
        packages = args[1:] if args[:1] in (["install"], ["enable"]) else []
    elif args[:1] in (["install"], ["add"], ["in"]):
        packages = args[1:]
    else:
        return
    for word in packages:
        if word.startswith(("/", "http://", "https://", "./")) or word.endswith(".rpm"):
            continue
        package, version = package_pin(word, family)
        collector.packages.append(Package(name=package, version=version, manager=name,
                                          at=collector.at(command.line), how=name))


def _services(collector: Collector, command: Command, name: str, args: list[str]) -> None:
    at = collector.at(command.line)
    found: list[tuple[str, str]] = []
    if name == "systemctl" and args and args[0] in _SERVICE_ACTIONS:
        actions = [args[0]] + (["start"] if "--now" in command.words and args[0] == "enable"
                               else [])
        found = [(unit, action) for unit in args[1:] for action in actions]
    elif name == "service" and len(args) >= 2 and args[1] in _SERVICE_ACTIONS:
        found = [(args[0], args[1])]
    elif name == "chkconfig" and len(args) >= 2:
        found = [(args[0], "enable" if args[1] == "on" else "disable")]
    elif name == "update-rc.d" and len(args) >= 2:
        found = [(args[0], "disable" if args[1] in ("disable", "remove") else "enable")]
    elif name == "rc-update" and len(args) >= 2 and args[0] in ("add", "del"):
        found = [(args[1], "enable" if args[0] == "add" else "disable")]
    for unit, action in found:
        collector.services.append(Service(name=unit.removesuffix(".service"), action=action,
                                          at=at, how=name))


def world_writable(mode: str) -> bool:
    """Whether a ``chmod`` mode grants write permission to others."""
    if _OCTAL.match(mode):
        return int(mode[-1]) & 2 == 2
    for clause in mode.split(","):
        match = _SYMBOLIC.match(clause)
        if match and match.group(2) in "+=" and "w" in match.group(3) and \
                any(who in match.group(1) for who in "oa"):
            return True
    return False


def _chmod(collector: Collector, command: Command, args: list[str]) -> None:
    if len(args) < 2:
        return
    recursive = any(w in ("-R", "--recursive") or (w.startswith("-") and "R" in w
                                                   and not w.startswith("--"))
                    for w in command.words)
    mode = args[0]
    for path in args[1:]:
        collector.permissions.append(PermissionChange(
            path=path, mode=mode, recursive=recursive, world_writable=world_writable(mode),
            at=collector.at(command.line), how="chmod"))


def _output(command: Command) -> list[tuple[str, int]] | None:
    """What the command prints, line by line with part lines; None when not known."""
    words = _unwrap(list(command.words))
    if not words:
        return None
    name = words[0]
    heredoc = command.heredoc()
    if heredoc is not None and name in ("cat", "tee"):
        text, first = heredoc
        return [(line, first + i) for i, line in enumerate(text.splitlines())]
    if name in ("echo", "printf"):
        raw = [_unquote(word) for word in command.raw[len(command.words) - len(words):]]
        return _printed(name, words[1:], raw[1:], command.line)
    return None


def _unquote(word: str) -> str:
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        return word[1:-1]
    return word


def _printed(name: str, args: list[str], raw: list[str], line: int) -> list[tuple[str, int]]:
    """What ``echo``/``printf`` print; ``\\n`` splits lines for ``echo -e`` and printf."""
    escapes = name == "printf"
    if name == "echo":
        while args and re.fullmatch(r"-[neE]+", args[0]):
            escapes = escapes or "e" in args[0]
            args, raw = args[1:], raw[1:]
    if not escapes:
        return [(" ".join(args), line)]
    if name == "printf" and raw:
        template = raw[0].replace("%s", "{}").replace("%%", "%")
        try:
            text = template.format(*args[1:]) if "{}" in template else template
        except (IndexError, ValueError):
            text = template
    else:
        text = " ".join(raw)
    return [(piece, line) for piece in text.split("\\n") if piece]


def _writes(collector: Collector, command: Command, name: str) -> None:
    outputs = _output(command)
    for redirect in command.redirects:
        if redirect.kind in (">", ">>", ">|") and outputs is not None:
            how = f"{name} {redirect.kind}"
            written(collector, redirect.target, outputs, how)
    if name == "tee":
        source = command.piped_from
        content = _output(source) if source is not None else None
        if content is None and command.heredoc() is not None:
            content = _output(command)
        if content is not None:
            append = any(w in ("-a", "--append") for w in command.words)
            for path in _arguments(command.words[1:]):
                written(collector, path, content, "tee -a" if append else "tee")
    if name == "sed":
        for path, lines in sed_lines(_unwrap(list(command.words))[1:]):
            written(collector, path, [(line, command.line) for line in lines], "sed -i")


def _secrets(collector: Collector, command: Command, words: list[str]) -> None:
    line = command.line
    for word in [*command.assignments, *words[1:]]:
        collector.scan_word(word.lstrip("-"), line, words[0])
    pairs = [(name, value) for name, value in pairwise(words) if name.startswith("--")]
    if words[:3] == ["aws", "configure", "set"] and len(words) >= 5:
        pairs.append((words[3], words[4]))
    for name, value in pairs:
        if "=" not in name and not value.startswith("-"):
            kind = secret_kind(name.lstrip("-"), value)
            if kind is not None and not access_keys(value):
                collector.secret(kind, name.lstrip("-"), value, line, words[0])
    source = command.piped_from
    if words[0] == "chpasswd" and source is not None:
        for text, text_line in _output(source) or []:
            user, sep, password = text.partition(":")
            if sep and password:
                collector.secret("password", f"chpasswd {user}", password, text_line,
                                 "chpasswd")


def command_facts(collector: Collector, command: Command) -> None:
    words = _unwrap(list(command.words))
    if not words:
        for word in command.assignments:
            collector.scan_word(word, command.line, "assignment")
        return
    name = words[0].rsplit("/", 1)[-1]
    args = _arguments(words[1:])
    if name in _INSTALLERS:
        _install(collector, command, name, args)
    elif name in ("systemctl", "service", "chkconfig", "update-rc.d", "rc-update"):
        _services(collector, command, name, args)
    elif name == "sysctl":
        for arg in args:
            key, eq, value = arg.partition("=")
            if eq:
                collector.sysctl.append(_sysctl(collector, key, value, command.line))
    elif name == "chmod":
        _chmod(collector, command, args)
    elif name in ("useradd", "adduser") and args:
        collector.users.append(args[-1])
    _writes(collector, command, name)
    _secrets(collector, command, words)


def _sysctl(collector: Collector, key: str, value: str, line: int) -> KeyValue:
    return KeyValue(path="sysctl -w", key=key.strip(), value=value.strip(),
                        at=collector.at(line), how="sysctl -w")


def shell_facts(collector: Collector, script: str, first_line: int = 1) -> None:
    """Every fact the commands of ``script`` state (lines relative to the current part)."""
    found, failed = commands(script, first_line)
    for line in failed:
        collector.problems.append(
            f"user data line {collector.at(line).line} could not be parsed as shell")
    for command in found:
        command_facts(collector, command)
