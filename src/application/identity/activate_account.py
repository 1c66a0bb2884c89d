"""Use case: a new customer activates the account with the code they received."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from application.identity.activation_codes import DECOY_ACCOUNT, code_subject
from application.identity.credentials import CredentialLookup
from application.ports import Clock, Pause, RateLimit, RateLimiter, SecretDigester, UnitOfWork
from application.rate_limits import enforce
from application.use_case import use_case
from domain.errors import InvalidValue
from domain.identity.activation import invalid_code
from domain.identity.contact import Email

# Every refusal answers this long after the request began: a wrong code for a waiting account (a
# counted, committed try) and an unknown email (no write) are then alike to a stopwatch.
REFUSAL_FLOOR = timedelta(milliseconds=100)


@dataclass(frozen=True, slots=True)
class ActivateAccountCommand:
    email: str
    code: str


@use_case
class ActivateAccount:
    """Activate an inactive account whose live code matches.

    Codes expire after 15 minutes and die after 5 wrong tries; every failure
    (unknown email, active account, wrong, expired or dead code) answers the
    same, so the endpoint tells an attacker nothing. The code row is locked
    while it is checked, so parallel guesses each use up one try.

    Attempts are also counted per email (``attempts``, a day's window), whether
    or not an account has it: fresh codes cannot buy unlimited guesses. An
    unknown or active account does the same work as an inactive one (a code
    lookup and a digest, against a decoy account), and every refusal is answered
    ``REFUSAL_FLOOR`` after the request began, so timing tells nothing either.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    digester: SecretDigester
    credentials: CredentialLookup
    limiter: RateLimiter
    attempts: RateLimit
    pause: Pause

    async def __call__(self, command: ActivateAccountCommand) -> None:
        started = self.clock.now()
        try:
            await self._activate(command)
        except InvalidValue:
            await self.pause.until(started + REFUSAL_FLOOR)
            raise

    async def _activate(self, command: ActivateAccountCommand) -> None:
        email = Email.parse(command.email)
        await enforce(self.limiter, self.attempts, email.value)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            user = await uow.users.by_login(email)
            waiting = user is not None and not user.is_active
            account = user.id if user is not None and waiting else DECOY_ACCOUNT
            code = await uow.activation_codes.get_for_update(account)
            presented = self.digester.digest(code_subject(account, command.code.strip()))
            if user is None or not waiting or code is None or not code.is_usable(now):
                raise invalid_code()
            if not hmac.compare_digest(presented, code.code_digest):
                code.record_wrong_attempt()
                if code.attempts_left == 0:
                    await uow.activation_codes.delete(user.id)
                else:
                    await uow.activation_codes.put(code)
                await uow.commit()
                raise invalid_code()
            user.activate(now)
            await uow.users.save(user)
            await uow.activation_codes.delete(user.id)
            await uow.commit()
        await self.credentials.forget_user(user)
