"""Use case: send a fresh activation code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.activation_codes import ActivationCodeIssuer
from application.ports import UnitOfWork
from application.use_case import use_case
from domain.errors import InvalidValue
from domain.identity.contact import Email


@dataclass(frozen=True, slots=True)
class RequestActivationCodeCommand:
    email: str


@use_case
class RequestActivationCode:
    """Issue a new code when the account exists and is inactive; otherwise do nothing.

    The caller always hears the same answer, so this cannot be used to find
    out which emails have accounts.
    """

    unit_of_work: Callable[[], UnitOfWork]
    activation_codes: ActivationCodeIssuer

    async def __call__(self, command: RequestActivationCodeCommand) -> None:
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
