"""Use case: log out, revoking the session and every access token issued in it."""

from __future__ import annotations

from collections.abc import Callable

from application.identity.sessions import SessionRevoker
from application.ports import AccessClaims, AccessTokenDenylist, UnitOfWork
from application.use_case import use_case


@use_case
class LogOut:
    """Revoke the session's refresh-token family and deny its access tokens until they expire.

    Not only the token presented: a sibling access token of the same session
    (issued by an earlier refresh) stops working at once too. The revocation
    is recorded in PostgreSQL (the source of truth) and then pushed to the
    Redis denylist that token checks ask first.
    """

    unit_of_work: Callable[[], UnitOfWork]
    denylist: AccessTokenDenylist
    sessions: SessionRevoker

    async def __call__(self, claims: AccessClaims) -> None:
        async with self.unit_of_work() as uow:
            until = await self.sessions.revoke(uow, claims.session_id)
            await uow.revoked_access_tokens.add(claims.token_id, claims.expires_at)
            await uow.commit()
        await self.denylist.deny(claims.token_id, claims.expires_at)
        await self.sessions.announce(claims.session_id, until)
