"""The failed-login policy: slow an attacker down without locking the owner out (ADR 0014)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """Failures are counted per (account, source) pair and per account.

    A source is the client address, or the session family a login names as
    proof of an earlier successful login on that device. A pair's first
    ``free_failures`` within ``pair_window_seconds`` cost nothing; from then on
    each failure makes the pair wait ``first_delay_seconds``, doubling with
    every further failure up to ``max_delay_seconds``. Other pairs are not
    slowed: an attacker at one address does not lock the owner out from another.

    Independently, ``account_ceiling`` failures from anywhere within
    ``account_window_seconds`` close the account to new sources until the
    window ends; logins naming a known session family of the account still
    get through (with their own pair's backoff).
    """

    free_failures: int = 5
    pair_window_seconds: int = 24 * 3600
    first_delay_seconds: int = 4
    max_delay_seconds: int = 15 * 60
    account_ceiling: int = 100
    account_window_seconds: int = 3600

    def pair_delay(self, failures: int) -> int:
        """Seconds the pair waits after its ``failures``-th failure in the window (0: no wait)."""
        over = failures - self.free_failures
        if over < 0:
            return 0
        doubled: int = self.first_delay_seconds << min(over, 32)
        return min(doubled, self.max_delay_seconds)

    def account_closed(self, failures: int) -> bool:
        return failures >= self.account_ceiling
