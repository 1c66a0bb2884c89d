"""Use case: exchange a refresh token for a new token pair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.sessions import SessionIssuer, SessionRevoker, TokenPair
from application.ports import AuthMetrics, Clock, SecretDigester, UnitOfWork
from application.use_case import use_case
from domain.errors import AuthenticationFailed


@dataclass(frozen=True, slots=True)
class RefreshSessionCommand:
    refresh_token: str


@use_case
class RefreshSession:
    """Rotate the session's refresh token.

    Each refresh token works once. Presenting one that was already spent
    means two parties hold it: the whole session (token family) is revoked
    and both are logged out. The token row is locked during the exchange, so
    of two concurrent refreshes exactly one wins. Revoking a session also
    denies, at once, every access token issued in it.
    """

    unit_of_work: Callable[[], UnitOfWork]
    sessions: SessionIssuer
    revoker: SessionRevoker
    digester: SecretDigester
    clock: Clock
    metrics: AuthMetrics

    async def __call__(self, command: RefreshSessionCommand) -> TokenPair:
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            token = await uow.refresh_tokens.get_for_update(self.digester.digest(command.refresh_token))
            if token is None or token.is_expired(now):
                raise AuthenticationFailed("the refresh token is not valid")
            if token.was_used:
                until = await self.revoker.revoke(uow, token.family_id)
                await uow.commit()
                await self.revoker.announce(token.family_id, until)
                self.metrics.login_failed("refresh_token_reuse")
                raise AuthenticationFailed("the refresh token was already used; the session is revoked")
            user = await uow.users.get(token.user_id)
            if user is None or not user.is_active:
                await uow.refresh_tokens.revoke_family(token.family_id, now)
                await uow.commit()
                raise AuthenticationFailed("the refresh token is not valid")
            await uow.refresh_tokens.mark_spent(token.id, now)
            pair = await self.sessions.issue(
                uow,
                user_id=user.id,
                role=user.role,
                credentials_version=user.credentials_version,
                family_id=token.family_id,
            )
            await uow.commit()
        return pair
