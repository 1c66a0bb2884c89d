"""Use case: a new customer activates the account with the code they received."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from application.identity.activation_codes import code_subject
from application.identity.credentials import CredentialLookup
from application.ports import Clock, SecretDigester, UnitOfWork
from application.use_case import use_case
from domain.identity.activation import invalid_code
from domain.identity.contact import Email


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
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    digester: SecretDigester
    credentials: CredentialLookup

    async def __call__(self, command: ActivateAccountCommand) -> None:
        email = Email.parse(command.email)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            user = await uow.users.by_login(email)
            if user is None or user.is_active:
                raise invalid_code()
            code = await uow.activation_codes.get_for_update(user.id)
            if code is None or not code.is_usable(now):
                raise invalid_code()
            presented = self.digester.digest(code_subject(user, command.code.strip()))
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
