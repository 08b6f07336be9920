"""Test-wide set-up: Qt renders offscreen (no display needed) and hypothesis profiles.

Profiles: `ci` (default; small, so the suite stays fast) and `thorough` (thousands of examples, for the
dedicated fuzzing run): `HYPOTHESIS_PROFILE=thorough python -m pytest -m slow`.
"""

import os

from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
