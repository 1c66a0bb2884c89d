"""Refresh tokens: a rotating chain per login session (a "family")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.identity.roles import UserId


@dataclass(slots=True)
class RefreshToken:
    """One link of a session's refresh chain, stored only as a keyed digest.

    A token is spent when it is exchanged for the next one. Presenting a spent
    token again means it was copied: the whole family is revoked.
    """

    id: UUID
    family_id: UUID
    user_id: UserId
    token_digest: str
    created_at: datetime
    expires_at: datetime
    spent_at: datetime | None = None
    revoked_at: datetime | None = None

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    @property
    def was_used(self) -> bool:
        return self.spent_at is not None or self.revoked_at is not None
