"""The password policy: a domain rule, applied at signup and at every password change."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from domain.errors import InvalidValue

MIN_LENGTH = 10
MAX_LENGTH = 128
MAX_SIMILARITY = 0.7
MIN_NAME_PART = 3  # a name part this long or longer may not appear inside the password
POLICY_DESCRIPTION = (
    f"{MIN_LENGTH} to {MAX_LENGTH} characters, not only digits or spaces, no control characters, not one of the "
    "10,000 most common passwords (compared after Unicode NFKC normalisation, so full-width look-alikes count), "
    "not containing your name, and not too similar to your email."
)


def normalised(text: str) -> str:
    """NFKC (full-width and other compatibility look-alikes fold to their plain form), then case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


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
        if any(unicodedata.category(char) == "Cc" for char in password):
            raise _weak("password_control_characters", "the password must not contain control characters")
        plain = normalised(password)
        if not plain.strip():
            raise _weak("password_blank", "the password must not be only spaces")
        if plain.isdigit():
            raise _weak("password_only_digits", "the password must not be only digits")
        if plain in self.common_passwords or password.lower() in self.common_passwords:
            raise _weak("password_too_common", "the password is one of the most common passwords")
        if self._resembles(plain, personal_details):
            raise _weak("password_too_similar", "the password is too similar to your email or name")
        if self._contains_a_name(plain, personal_details):
            raise _weak("password_contains_name", "the password must not contain your name")

    @staticmethod
    def _contains_a_name(plain: str, personal_details: Iterable[str]) -> bool:
        """Names and the email's local part, word by word; the email's domain is left to the similarity check."""
        for detail in personal_details:
            if "@" in detail:
                continue
            for part in re.split(r"[\W_]+", normalised(detail)):
                if len(part) >= MIN_NAME_PART and part in plain:
                    return True
        return False

    @staticmethod
    def _resembles(lowered: str, personal_details: Iterable[str]) -> bool:
        for detail in personal_details:
            detail_lower = normalised(detail)
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
