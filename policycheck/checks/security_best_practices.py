"""security-best-practices: Inspector's host rules, judged on what user data writes.

A setting the user data does not write is left to the image (Inspector's agent judges
it at run time); these rules report what the template itself makes insecure.
"""

from __future__ import annotations

from collections.abc import Iterator

from policycheck.checks.registry import CheckContext
from policycheck.checks.security_best_practices_host import fact_finding, hosts, where
from policycheck.findings import Finding

_ROOT_OK = {"no", "prohibit-password", "without-password", "forced-commands-only"}
_SYSTEM_DIRS = ("/", "/etc", "/usr", "/var", "/bin", "/sbin", "/lib", "/lib64", "/boot",
                "/opt", "/root", "/srv", "/home")
_SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "/var/crash")


def ssh_root_login(ctx: CheckContext) -> Iterator[Finding]:
    for host, config in hosts(ctx):
        setting = config.sshd_effective("permitrootlogin")
        if setting is not None and setting.value.lower() not in _ROOT_OK:
            yield fact_finding(ctx, host, setting, f"{host.id} lets root log in over SSH "
                               f"(PermitRootLogin {setting.value} in {where(setting)})",
                               "permitrootlogin")
        disable = config.sshd_effective("disable_root")
        if disable is not None and disable.value in ("false", "no", "0"):
            yield fact_finding(ctx, host, disable, f"{host.id} keeps root's SSH keys usable "
                               "(cloud-init disable_root: false)", "disable_root")


def ssh_protocol_1(ctx: CheckContext) -> Iterator[Finding]:
    for host, config in hosts(ctx):
        setting = config.sshd_effective("protocol")
        if setting is not None and "1" in [p.strip() for p in setting.value.split(",")]:
            yield fact_finding(ctx, host, setting, f"{host.id} allows SSH protocol 1 "
                               f"(Protocol {setting.value} in {where(setting)})", "protocol")


def ssh_password_authentication(ctx: CheckContext) -> Iterator[Finding]:
    for host, config in hosts(ctx):
        setting = config.sshd_effective("passwordauthentication")
        if setting is not None and setting.value.lower() == "yes":
            how = "ssh_pwauth: true" if setting.path == "cloud-init" else \
                f"PasswordAuthentication yes in {setting.path}"
            yield fact_finding(ctx, host, setting,
                               f"{host.id} accepts passwords over SSH ({how})", "password")


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None


def password_max_age(ctx: CheckContext) -> Iterator[Finding]:
    limit = int(ctx.params.get("max_days", 90))
    for host, config in hosts(ctx):
        fact = config.setting("password_policy", "PASS_MAX_DAYS")
        days = _number(fact.value) if fact is not None else None
        if fact is not None and days is not None and (days > limit or days < 0):
            yield fact_finding(ctx, host, fact, f"{host.id} lets passwords live {days} days "
                               f"(PASS_MAX_DAYS; at most {limit} expected)", "max-days")


def password_min_length(ctx: CheckContext) -> Iterator[Finding]:
    minimum = int(ctx.params.get("min_length", 14))
    for host, config in hosts(ctx):
        for key in ("PASS_MIN_LEN", "minlen"):
            fact = config.setting("password_policy", key)
            length = _number(fact.value) if fact is not None else None
            if fact is not None and length is not None and length < minimum:
                yield fact_finding(ctx, host, fact, f"{host.id} accepts passwords of "
                                   f"{length} characters ({key} in {fact.path}; at least "
                                   f"{minimum} expected)", key)


def password_complexity(ctx: CheckContext) -> Iterator[Finding]:
    """``minclass`` below the required classes, or a ``*credit`` that no longer demands a
    character class (a positive credit or 0 lets length stand in for the class)."""
    classes = int(ctx.params.get("min_classes", 4))
    for host, config in hosts(ctx):
        fact = config.setting("password_policy", "minclass")
        count = _number(fact.value) if fact is not None else None
        if fact is not None and count is not None and count < classes:
            yield fact_finding(ctx, host, fact, f"{host.id} requires only {count} character "
                               f"classes in passwords (minclass; {classes} expected)",
                               "minclass")
        for key in ("dcredit", "ucredit", "lcredit", "ocredit"):
            fact = config.setting("password_policy", key)
            credit = _number(fact.value) if fact is not None else None
            if fact is not None and credit is not None and credit >= 0:
                yield fact_finding(ctx, host, fact, f"{host.id} does not require the "
                                   f"character class of {key} ({key}={credit}; -1 or lower "
                                   f"expected)", key)


def aslr_disabled(ctx: CheckContext) -> Iterator[Finding]:
    for host, config in hosts(ctx):
        fact = config.setting("sysctl", "kernel.randomize_va_space")
        if fact is not None and fact.value.strip() != "2":
            yield fact_finding(ctx, host, fact, f"{host.id} weakens address space layout "
                               f"randomisation (kernel.randomize_va_space = "
                               f"{fact.value.strip()}; 2 expected)", "aslr")


def _system_directory(path: str) -> bool:
    path = path.rstrip("/") or "/"
    if any(path == s or path.startswith(s + "/") for s in _SCRATCH):
        return False
    return any(path == d or (d != "/" and path.startswith(d + "/")) for d in _SYSTEM_DIRS)


def world_writable_system_directory(ctx: CheckContext) -> Iterator[Finding]:
    for host, config in hosts(ctx):
        for change in config.permissions:
            if change.world_writable and _system_directory(change.path):
                scope = " recursively" if change.recursive else ""
                yield fact_finding(ctx, host, change, f"{host.id} makes {change.path} "
                                   f"world-writable{scope} (chmod {change.mode})",
                                   change.path, change.mode)


def secrets_in_user_data(ctx: CheckContext) -> Iterator[Finding]:
    for host, config in hosts(ctx):
        for secret in config.secrets:
            yield fact_finding(ctx, host, secret, f"{host.id} writes a {secret.kind} in clear "
                               f"in its user data ({secret.name} = {secret.preview}); user "
                               f"data is readable by anyone who can describe the instance "
                               f"or reach its metadata service", secret.kind, secret.name,
                               str(secret.at.line))
