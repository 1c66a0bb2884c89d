"""Use case: send a fresh activation code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from application.identity.activation_codes import ActivationCodeIssuer
from application.ports import Clock, Pause, RateLimit, RateLimiter, UnitOfWork
from application.rate_limits import enforce
from application.use_case import use_case
from domain.errors import InvalidValue
from domain.identity.contact import Email

# Longer than issuing a code takes: the next request on the same connection cannot tell either.
SEND_FLOOR = timedelta(milliseconds=100)


@dataclass(frozen=True, slots=True)
class RequestActivationCodeCommand:
    email: str


@use_case
class RequestActivationCode:
    """Issue a new code when the account exists and is inactive; otherwise do nothing.

    The caller always hears the same answer, so this cannot be used to find
    out which emails have accounts. Resends are counted per email (``resends``)
    whether or not an account has it, so the 6-digit space cannot be walked
    with fresh codes and an inbox cannot be flooded.

    HTTP answers after ``admit`` and runs ``send`` once the answer is out, so
    the answer takes as long for an unknown email as for a waiting account
    (and ``send`` pads itself to ``SEND_FLOOR``); other callers use
    ``__call__``, which does both.
    """

    unit_of_work: Callable[[], UnitOfWork]
    activation_codes: ActivationCodeIssuer
    limiter: RateLimiter
    resends: RateLimit
    clock: Clock
    pause: Pause

    async def __call__(self, command: RequestActivationCodeCommand) -> None:
        await self.admit(command)
        await self.send(command)

    async def admit(self, command: RequestActivationCodeCommand) -> None:
        """Count the request against the email's resends; ``TooManyAttempts`` once they are used up."""
        await enforce(self.limiter, self.resends, _subject(command.email))

    async def send(self, command: RequestActivationCodeCommand) -> None:
        """Issue the code if the account waits for one; either way end ``SEND_FLOOR`` after starting."""
        started = self.clock.now()
        try:
            await self._issue(command)
        finally:
            await self.pause.until(started + SEND_FLOOR)

    async def _issue(self, command: RequestActivationCodeCommand) -> None:
        try:
            email = Email.parse(command.email)
        except InvalidValue:
            return
        async with self.unit_of_work() as uow:
            user = await uow.users.by_login(email)
            if user is None or user.is_active:
                return
            await self.activation_codes.issue(uow, user)
            await uow.commit()


def _subject(raw_email: str) -> str:
    try:
        return Email.parse(raw_email).value
    except InvalidValue:
        return raw_email.strip().lower()
