"""Result records built from values the analysis already validated.

A scan of 10k instances produces hundreds of thousands of exposures; pydantic's
``model_construct`` resolves every default field by field on each call, which cost more
than the analysis itself. ``construct`` does the same for the simple records here
(no aliases, no extra fields, no post-init hook) with the defaults resolved once per
class; any other model falls back to ``model_construct``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Record = TypeVar("Record", bound=BaseModel)

_DEFAULTS: dict[type[BaseModel], dict[str, Any] | None] = {}
"""Per class: every field name mapped to its default (``_REQUIRED`` when it has none)."""
_NAMES: dict[type[BaseModel], tuple[str, ...]] = {}
_REQUIRED = object()
_new = object.__new__
_set = object.__setattr__


def _static_defaults(cls: type[BaseModel]) -> dict[str, Any] | None:
    """The class's default values, or None when it needs ``model_construct``."""
    if cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow":
        return None
    defaults: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if field.alias not in (None, name) or field.validation_alias not in (None, name):
            return None
        if field.default_factory is not None:
            return None
        defaults[name] = _REQUIRED if field.is_required() else field.default
    return defaults


def construct(cls: type[Record], **values: Any) -> Record:
    """``cls.model_construct(**values)``, faster: the values are trusted, fields not
    given take their (immutable) defaults and are not counted as set."""
    if cls not in _DEFAULTS:
        _DEFAULTS[cls] = _static_defaults(cls)
        _NAMES[cls] = tuple(cls.model_fields)
    defaults = _DEFAULTS[cls]
    if defaults is None:
        return cls.model_construct(**values)
    record = _new(cls)
    if tuple(values) == _NAMES[cls]:
        fields = values  # every field given, in declaration order (a fresh dict per call)
    else:
        fields = {name: values.get(name, default)
                  for name, default in defaults.items()}
    if len(values) < len(fields) and _REQUIRED in fields.values():
        missing = [name for name, value in fields.items() if value is _REQUIRED]
        raise TypeError(f"{cls.__name__}: no value for {', '.join(missing)}")
    _set(record, "__dict__", fields)
    _set(record, "__pydantic_fields_set__", set(values))
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record
