"""Issuing the token pair of a login session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.ports import (
    AccessClaims,
    AccessTokenDenylist,
    AccessTokens,
    Clock,
    CredentialRecord,
    IdGenerator,
    SecretDigester,
    SecretGenerator,
    UnitOfWork,
)
from application.use_case import use_case
from domain.identity.roles import Role, UserId
from domain.identity.sessions import RefreshToken


def session_denial_id(session_id: UUID) -> str:
    """The denylist entry that revokes every access token of one session (they carry its id as a claim)."""
    return f"session:{session_id}"


@use_case
class SessionRevoker:
    """Ends a session: its refresh-token family, and at once every access token issued in it.

    ``revoke`` records both in PostgreSQL within the caller's transaction;
    ``announce``, after the commit, pushes the session to the Redis denylist.
    The denial outlives the session's longest-lived access token.
    """

    denylist: AccessTokenDenylist
    clock: Clock
    access_lifetime: timedelta

    async def revoke(self, uow: UnitOfWork, session_id: UUID) -> datetime:
        now = self.clock.now()
        until = now + self.access_lifetime
        await uow.refresh_tokens.revoke_family(session_id, now)
        await uow.revoked_access_tokens.add(session_denial_id(session_id), until)
        return until

    async def announce(self, session_id: UUID, until: datetime) -> None:
        await self.denylist.deny(session_denial_id(session_id), until)


@dataclass(frozen=True, slots=True)
class SessionLifetimes:
    access: timedelta
    refresh: timedelta


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


@use_case
class SessionIssuer:
    """Adds one refresh token to a session's chain and signs an access token for it."""

    clock: Clock
    ids: IdGenerator
    secrets: SecretGenerator
    digester: SecretDigester
    access_tokens: AccessTokens
    lifetimes: SessionLifetimes

    async def issue(
        self,
        uow: UnitOfWork,
        *,
        user_id: UserId,
        role: Role,
        credentials_version: int,
        family_id: UUID | None = None,
    ) -> TokenPair:
        """Store the next refresh token (of a new session when ``family_id`` is None); commit is the caller's."""
        now = self.clock.now()
        family = family_id or self.ids.new_id()
        refresh_token = self.secrets.refresh_token()
        await uow.refresh_tokens.add(
            RefreshToken(
                id=self.ids.new_id(),
                family_id=family,
                user_id=user_id,
                token_digest=self.digester.digest(refresh_token),
                created_at=now,
                expires_at=now + self.lifetimes.refresh,
            )
        )
        access_token = self.access_tokens.issue(
            AccessClaims(
                user_id=user_id,
                role=role,
                token_id=self.secrets.token_id(),
                credentials_version=credentials_version,
                session_id=family,
                expires_at=now + self.lifetimes.access,
            )
        )
        return TokenPair(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_in=int(self.lifetimes.access.total_seconds()),
        )

    async def start(self, uow: UnitOfWork, record: CredentialRecord) -> TokenPair:
        return await self.issue(
            uow, user_id=record.user_id, role=record.role, credentials_version=record.credentials_version
        )
