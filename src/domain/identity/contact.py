"""Value objects for how a person is reached and identified."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidValue

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_NATIONAL_ID = re.compile(r"^[A-Z0-9]{5,20}$")
COLOMBIA_CALLING_CODE = "57"


@dataclass(frozen=True, slots=True)
class Email:
    """An email address, compared case-insensitively (stored lower-cased)."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Email:
        candidate = raw.strip().lower()
        if len(candidate) > 254 or not _EMAIL.match(candidate):
            raise InvalidValue("not a valid email address", field="email", rule="email_format")
        return cls(candidate)

    @property
    def local_part(self) -> str:
        return self.value.split("@", 1)[0]


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number in E.164.

    Colombian mobile numbers may be written without the country code
    (``3001234567``), with it (``57 300 123 4567``) or in E.164
    (``+573001234567``); numbers of other countries need their ``+`` prefix.
    """

    value: str

    @classmethod
    def parse(cls, raw: str) -> Phone:
        digits = _PHONE_SEPARATORS.sub("", raw.strip())
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        if not digits.startswith("+"):
            if len(digits) == 10 and digits.startswith("3"):
                digits = f"+{COLOMBIA_CALLING_CODE}{digits}"
            elif len(digits) == 12 and digits.startswith(COLOMBIA_CALLING_CODE + "3"):
                digits = "+" + digits
        if not _E164.match(digits):
            raise InvalidValue(
                "not a valid phone number: use +<country code><number>, or a Colombian mobile number",
                field="phone",
                rule="phone_format",
            )
        return cls(digits)


@dataclass(frozen=True, slots=True)
class NationalId:
    """A national identity document number: 5 to 20 letters or digits, stored upper-cased."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> NationalId:
        candidate = re.sub(r"[\s.\-]", "", raw).upper()
        if not _NATIONAL_ID.match(candidate):
            raise InvalidValue(
                "a national id has 5 to 20 letters or digits", field="national_id", rule="national_id_format"
            )
        return cls(candidate)


def person_name(raw: str, *, field: str) -> str:
    """A first or last name: trimmed, 1 to 100 characters, no control characters."""
    name = " ".join(raw.split())
    if not 1 <= len(name) <= 100 or any(not character.isprintable() for character in name):
        raise InvalidValue(f"{field} must have 1 to 100 printable characters", field=field, rule="name_length")
    return name


def login_key(username: str) -> Email | Phone:
    """What a login names: an email when it has an ``@``, otherwise a phone number."""
    if "@" in username:
        return Email.parse(username)
    return Phone.parse(username)
