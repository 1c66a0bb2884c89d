"""The rate limits of the API, in one table: the defaults, their overrides, and the ``relaxed`` mode.

Every limit can be set with ``COMMERCE_RATE_LIMIT_<NAME>=<count>/<seconds>``
(for example ``COMMERCE_RATE_LIMIT_LOGIN_PER_CLIENT=120/60``).
``COMMERCE_RATE_LIMITS=relaxed`` multiplies every count by 1,000 for load
tests and benchmarks; production refuses it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from application.ports import RateLimit

RELAXED_FACTOR = 1_000
MINUTE, HOUR, DAY = 60, 3600, 24 * 3600


class RateLimitMode(StrEnum):
    STANDARD = "standard"
    RELAXED = "relaxed"


def _limit(name: str, count: int, seconds: int) -> Callable[[], RateLimit]:
    return lambda: RateLimit(name, count, seconds)


@dataclass(frozen=True, slots=True)
class RateLimitTable:
    """``*_per_client`` count per client address, ``*_per_account`` per account, ``*_per_email`` per address."""

    login_per_client: RateLimit = dataclasses.field(default_factory=_limit("login_per_client", 60, MINUTE))
    refresh_per_client: RateLimit = dataclasses.field(default_factory=_limit("refresh_per_client", 120, MINUTE))
    signup_per_client: RateLimit = dataclasses.field(default_factory=_limit("signup_per_client", 20, HOUR))
    activation_code_per_client: RateLimit = dataclasses.field(
        default_factory=_limit("activation_code_per_client", 20, HOUR)
    )
    activation_code_per_email: RateLimit = dataclasses.field(
        default_factory=_limit("activation_code_per_email", 3, HOUR)
    )
    activate_per_client: RateLimit = dataclasses.field(default_factory=_limit("activate_per_client", 30, HOUR))
    activation_attempts_per_account: RateLimit = dataclasses.field(
        default_factory=_limit("activation_attempts_per_account", 15, DAY)
    )
    password_change_per_account: RateLimit = dataclasses.field(
        default_factory=_limit("password_change_per_account", 10, HOUR)
    )
    password_guesses_per_account: RateLimit = dataclasses.field(
        default_factory=_limit("password_guesses_per_account", 5, 15 * MINUTE)
    )
    checkout_per_account: RateLimit = dataclasses.field(default_factory=_limit("checkout_per_account", 30, MINUTE))
    search_per_client: RateLimit = dataclasses.field(default_factory=_limit("search_per_client", 120, MINUTE))
    # Failed logins (ADR 0014): free failures per account and client before the backoff starts,
    # and the ceiling of failures per account from everywhere within the window.
    login_failures_per_pair: RateLimit = dataclasses.field(default_factory=_limit("login_failures_per_pair", 5, DAY))
    login_failures_per_account: RateLimit = dataclasses.field(
        default_factory=_limit("login_failures_per_account", 100, HOUR)
    )

    def by_name(self, name: str) -> RateLimit:
        limit = getattr(self, name, None)
        if not isinstance(limit, RateLimit):
            raise KeyError(name)
        return limit

    def names(self) -> tuple[str, ...]:
        return tuple(field.name for field in dataclasses.fields(self))

    def scaled(self, factor: int) -> RateLimitTable:
        return RateLimitTable(**{name: self.by_name(name).scaled(factor) for name in self.names()})

    def with_overrides(self, overrides: dict[str, RateLimit]) -> RateLimitTable:
        return dataclasses.replace(self, **overrides)


def parse_limit(name: str, raw: str) -> RateLimit:
    """``"<count>/<seconds>"``; ``ValueError`` with a readable message otherwise."""
    count, slash, seconds = raw.partition("/")
    if not slash or not count.strip().isdigit() or not seconds.strip().isdigit():
        raise ValueError(f"expected <count>/<seconds> such as 60/60, got {raw!r}")
    limit = RateLimit(name, int(count), int(seconds))
    if limit.limit <= 0 or limit.window_seconds <= 0:
        raise ValueError(f"count and seconds must be greater than zero, got {raw!r}")
    return limit
