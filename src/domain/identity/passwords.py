"""The password policy: a domain rule, applied at signup and at every password change."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from domain.errors import InvalidValue

MIN_LENGTH = 10
MAX_LENGTH = 128
MAX_SIMILARITY = 0.7
POLICY_DESCRIPTION = (
    f"{MIN_LENGTH} to {MAX_LENGTH} characters, not only digits, not one of the 10,000 most common "
    "passwords, and not too similar to your email or name."
)


def _weak(rule: str, message: str) -> InvalidValue:
    return InvalidValue(message, field="password", rule=rule)


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """Decides whether a password is strong enough; it never sees a hash.

    ``common_passwords`` is the lower-cased list of the most common passwords,
    handed in by whoever builds the policy (the list ships as package data).
    """

    common_passwords: frozenset[str]

    def check(self, password: str, *, personal_details: Iterable[str] = ()) -> None:
        """Raise :class:`InvalidValue` naming the rule the password breaks."""
        if len(password) < MIN_LENGTH:
            raise _weak("password_too_short", f"the password must have at least {MIN_LENGTH} characters")
        if len(password) > MAX_LENGTH:
            raise _weak("password_too_long", f"the password must have at most {MAX_LENGTH} characters")
        if password.isdigit():
            raise _weak("password_only_digits", "the password must not be only digits")
        if password.lower() in self.common_passwords:
            raise _weak("password_too_common", "the password is one of the most common passwords")
        if self._resembles(password, personal_details):
            raise _weak("password_too_similar", "the password is too similar to your email or name")

    @staticmethod
    def _resembles(password: str, personal_details: Iterable[str]) -> bool:
        lowered = password.lower()
        for detail in personal_details:
            detail_lower = detail.lower()
            parts = {detail_lower, *re.split(r"\W+", detail_lower)}
            for part in parts:
                if len(part) < 3:
                    continue
                if len(part) >= 4 and part in lowered and len(part) >= len(lowered) / 2:
                    return True
                matcher = SequenceMatcher(a=lowered, b=part)
                if matcher.quick_ratio() >= MAX_SIMILARITY and matcher.ratio() >= MAX_SIMILARITY:
                    return True
        return False
