"""Use case: log out, revoking the session and the access token presented."""

from __future__ import annotations

from collections.abc import Callable

from application.ports import AccessClaims, AccessTokenDenylist, Clock, UnitOfWork
from application.use_case import use_case


@use_case
class LogOut:
    """Revoke the session's refresh-token family and deny the access token until it expires.

    The revocation is recorded in PostgreSQL (the source of truth) and then
    pushed to the Redis denylist that token checks ask first.
    """

    unit_of_work: Callable[[], UnitOfWork]
    denylist: AccessTokenDenylist
    clock: Clock

    async def __call__(self, claims: AccessClaims) -> None:
        async with self.unit_of_work() as uow:
            await uow.refresh_tokens.revoke_family(claims.session_id, self.clock.now())
            await uow.revoked_access_tokens.add(claims.token_id, claims.expires_at)
            await uow.commit()
        await self.denylist.deny(claims.token_id, claims.expires_at)
