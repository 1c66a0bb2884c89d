"""Use case: who is behind this access token?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.credentials import CredentialLookup
from application.identity.sessions import session_denial_id
from application.ports import AccessClaims, AccessTokenDenylist, AccessTokens, UnitOfWork
from application.use_case import use_case
from domain.errors import AuthenticationFailed, CredentialsChanged
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class Authenticated:
    actor: Actor
    claims: AccessClaims


@use_case
class AuthenticateAccessToken:
    """Accept a token only if it is genuine, unexpired, not logged out, of a live session, and still current.

    "Current" means the account is active and its credentials version is the
    one the token was issued under: a password, role or status change locks
    out every older token at once. The denylist is asked in Redis; when Redis
    cannot answer, PostgreSQL does. The role is the account's current one.
    """

    access_tokens: AccessTokens
    denylist: AccessTokenDenylist
    credentials: CredentialLookup
    unit_of_work: Callable[[], UnitOfWork]

    async def __call__(self, token: str) -> Authenticated:
        claims = self.access_tokens.read(token)
        revocations = (claims.token_id, session_denial_id(claims.session_id))
        denied = await self.denylist.is_denied(*revocations)
        if denied is None:
            async with self.unit_of_work() as uow:
                denied = await uow.revoked_access_tokens.contains(*revocations)
        if denied:
            raise AuthenticationFailed("the access token was revoked")
        record = await self.credentials.by_user_id(claims.user_id)
        if record is None or not record.is_active:
            raise AuthenticationFailed("the access token is no longer valid")
        if record.credentials_version != claims.credentials_version:
            raise CredentialsChanged(
                "your role or password changed after this token was issued (for example, a store you applied for "
                "was approved); log in again to get a token with your current access"
            )
        return Authenticated(actor=Actor(user_id=record.user_id, role=record.role), claims=claims)
