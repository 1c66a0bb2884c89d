"""Use case: change one's own password."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.credentials import CredentialLookup
from application.ports import Clock, PasswordHasher, RateLimit, RateLimiter, UnitOfWork
from application.rate_limits import enforce, refuse_if_used_up
from application.use_case import use_case
from domain.errors import InvalidValue, NotFound
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ChangePasswordCommand:
    actor: Actor
    current_password: str
    new_password: str


@use_case
class ChangePassword:
    """Prove the current password, set a new one that meets the policy, end every session.

    Every refresh token of the user is revoked and the credentials version
    moves on, so all access tokens issued before (this one included) stop
    working at once; the cached credentials are evicted after commit.

    Wrong guesses of the current password are counted per account
    (``guesses``): once used up, even the right one is refused (429) until the
    window ends, so a stolen access token cannot be used to find the password.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    hasher: PasswordHasher
    policy: PasswordPolicy
    credentials: CredentialLookup
    limiter: RateLimiter
    guesses: RateLimit

    async def __call__(self, command: ChangePasswordCommand) -> None:
        async with self.unit_of_work() as uow:
            user = await uow.users.get(command.actor.user_id)
        if user is None:
            raise NotFound("the account no longer exists")
        subject = str(user.id)
        await refuse_if_used_up(self.limiter, self.guesses, subject)
        if not await self.hasher.verify(user.password_hash, command.current_password):
            await enforce(self.limiter, self.guesses, subject)
            raise InvalidValue("the current password is not right", field="current_password", rule="wrong_password")
        self.policy.check(command.new_password, personal_details=user.personal_details)
        new_hash = await self.hasher.hash(command.new_password)

        async with self.unit_of_work() as uow:
            user = await uow.users.get(command.actor.user_id, for_update=True)
            if user is None:
                raise NotFound("the account no longer exists")
            now = self.clock.now()
            user.change_password(new_hash, now)
            await uow.users.save(user)
            await uow.refresh_tokens.revoke_all_of_user(user.id, now)
            await uow.commit()
        await self.limiter.clear(self.guesses, subject)
        await self.credentials.forget_user(user)
