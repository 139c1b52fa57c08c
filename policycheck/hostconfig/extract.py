"""``host_config``: the HostConfig of a user data text, and of a model object.

HostConfig is computed from the model (``user_data`` and ``user_data_origin``), not
stored in it: the model stays what the template says, the front-ends stay unchanged
beyond the origin, and every analysis reads the same facts through this function
(memoised by text and origin).
"""

from __future__ import annotations

from functools import lru_cache

from policycheck.hostconfig.cloud_config import cloud_config_facts
from policycheck.hostconfig.collect import Collector, Origin
from policycheck.hostconfig.forms import split_user_data
from policycheck.hostconfig.model import HostConfig
from policycheck.hostconfig.shell_facts import shell_facts
from policycheck.model.compute import AutoScalingGroup, Instance, LaunchTemplate


@lru_cache(maxsize=256)
def host_config(user_data: str, origin: Origin | None = None) -> HostConfig:
    """Every fact ``user_data`` states; ``origin`` maps its lines to template lines."""
    collector = Collector(origin=origin)
    problems: list[str] = []
    parts = split_user_data(user_data, problems)
    collector.problems += problems
    if len(parts) > 1 or any(p.form.startswith("mime") for p in parts):
        collector.forms.append("mime")
    for part in parts:
        collector.part = part
        collector.forms.append(part.form if not part.form.startswith("mime") else part.kind)
        if part.form == "base64" and "base64" not in collector.forms:
            collector.forms.append("base64")
        if part.kind == "cloud-config":
            cloud_config_facts(collector, part.text)
        else:
            shell_facts(collector, part.text)
    built = collector.build()
    unique = tuple({(s.kind, s.name, s.at.line): s for s in built.secrets}.values())
    return built.model_copy(update={"secrets": unique})


def origin_of(obj: Instance | LaunchTemplate) -> Origin:
    """Where ``obj``'s user data is written; the resource's own line when not known."""
    where = obj.user_data_origin
    if where is None:
        return Origin(file=obj.source.file, line=obj.source.line, inline=False)
    return Origin(file=where.source.file, line=where.source.line, inline=where.inline)


def host_config_of(obj: object) -> HostConfig | None:
    """The HostConfig of an instance or launch template with known user data (None when
    it has none, or its user data is unknown before deploy)."""
    if not isinstance(obj, Instance | LaunchTemplate) or not isinstance(obj.user_data, str):
        return None
    return host_config(obj.user_data, origin_of(obj))


def hosts_with_user_data(instances: list[Instance], templates: list[LaunchTemplate]
                         ) -> list[tuple[Instance | LaunchTemplate, HostConfig]]:
    """Each instance and launch template that has user data, with its HostConfig.

    An instance started from a launch template without user data of its own runs the
    template's: that HostConfig is reported once, on the template (as are autoscaling
    groups, which always start from a template)."""
    found: list[tuple[Instance | LaunchTemplate, HostConfig]] = []
    hosts: list[Instance | LaunchTemplate] = [*instances, *templates]
    for obj in hosts:
        config = host_config_of(obj)
        if config is not None:
            found.append((obj, config))
    return found


def launch_template_of(group: AutoScalingGroup, templates: list[LaunchTemplate]
                       ) -> LaunchTemplate | None:
    return next((t for t in templates if t.id == group.launch_template), None)
