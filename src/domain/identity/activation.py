"""One-time activation codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import InvalidValue
from domain.identity.roles import UserId

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5
CODE_DIGITS = 6


def invalid_code() -> InvalidValue:
    # One message for wrong, expired, used-up and unknown: nothing to learn from it.
    return InvalidValue("the activation code is not valid; request a new one", field="code", rule="activation_code")


@dataclass(slots=True)
class ActivationCode:
    """The live activation code of an account, stored only as a keyed digest.

    It expires :data:`CODE_LIFETIME` after it is issued and dies after
    :data:`MAX_ATTEMPTS` wrong tries; issuing a new one replaces it.
    """

    user_id: UserId
    code_digest: str
    expires_at: datetime
    attempts_left: int = MAX_ATTEMPTS

    @classmethod
    def issue(cls, user_id: UserId, code_digest: str, now: datetime) -> ActivationCode:
        return cls(user_id=user_id, code_digest=code_digest, expires_at=now + CODE_LIFETIME)

    def is_usable(self, now: datetime) -> bool:
        return self.attempts_left > 0 and now < self.expires_at

    def record_wrong_attempt(self) -> None:
        self.attempts_left = max(0, self.attempts_left - 1)
