"""AWS Lambda functions and their URLs."""

from __future__ import annotations

from policycheck.model.base import ModelObject, Ref, Unknown


class LambdaFunction(ModelObject):
    function_name: str | Unknown | None = None
    runtime: str | Unknown | None = None
    """e.g. ``python3.12``; None for container images (``package_type = Image``)."""
    package_type: str | Unknown | None = None
    image_uri: str | Unknown | None = None
    role: Ref | None = None
    subnets: list[Ref] = []
    security_groups: list[Ref] = []
    environment: dict[str, str | Unknown] = {}
    kms_key: Ref | None = None
    tracing_mode: str | Unknown | None = None


class LambdaFunctionUrl(ModelObject):
    function: Ref
    authorization_type: str | Unknown
    """``NONE`` (public) or ``AWS_IAM``."""
    cors_allow_origins: list[str | Unknown] = []
