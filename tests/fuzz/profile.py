"""The hypothesis settings of every fuzz suite.

`FUZZ` keeps each suite to a few seconds: a modest, derandomized set of examples (the same on
every run, so CI is reproducible) and a generous per-example deadline that only a hang or a
pathological input would exceed.
"""

from datetime import timedelta

from hypothesis import HealthCheck, settings

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
