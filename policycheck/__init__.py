"""policycheck: pre-deployment security assessment of AWS infrastructure-as-code."""

__version__ = "0.1.0"
