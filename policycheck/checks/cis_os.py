"""cis-os: CIS Amazon Linux 2 and Ubuntu 22.04 SSH items decidable from user data.

Every rule is the same check with its own parameters (keyword, allowed values, maximum
or weak algorithms), see ``security_best_practices_host.sshd_check``. A keyword the user
data does not write is left to the image and not reported.
"""

from __future__ import annotations

from policycheck.checks.security_best_practices_host import sshd_check

__all__ = ["sshd_check"]
