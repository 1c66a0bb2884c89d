"""Use case: log out, revoking the session and the access token presented."""

from __future__ import annotations

from collections.abc import Callable

from application.ports import AccessClaims, AccessTokenDenylist, Clock, UnitOfWork


class LogOut:
    """Revoke the session's refresh-token family and deny the access token until it expires.

    The revocation is recorded in PostgreSQL (the source of truth) and then
    pushed to the Redis denylist that token checks ask first.
    """

    def __init__(self, *, unit_of_work: Callable[[], UnitOfWork], denylist: AccessTokenDenylist, clock: Clock) -> None:
        self._unit_of_work = unit_of_work
        self._denylist = denylist
        self._clock = clock

    async def __call__(self, claims: AccessClaims) -> None:
        async with self._unit_of_work() as uow:
            await uow.refresh_tokens.revoke_family(claims.session_id, self._clock.now())
            await uow.revoked_access_tokens.add(claims.token_id, claims.expires_at)
            await uow.commit()
        await self._denylist.deny(claims.token_id, claims.expires_at)
