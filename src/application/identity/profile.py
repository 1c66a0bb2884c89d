"""Use cases: read and update one's own profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.credentials import CredentialLookup
from application.ports import Clock, CredentialRecord, UnitOfWork
from application.use_case import use_case
from domain.errors import NotFound
from domain.identity.contact import Phone, person_name
from domain.identity.roles import Actor
from domain.identity.users import User


@use_case
class GetMyProfile:
    """One's own account, from the credential cache when it holds it (no SQL), else from the database.

    Every change to the account evicts its cached record (the cache's fence
    keeps a concurrent reader from putting an older one back), so the cached
    record is never older than the last committed change.
    """

    credentials: CredentialLookup

    async def __call__(self, actor: Actor) -> CredentialRecord:
        record = await self.credentials.by_user_id(actor.user_id)
        if record is None:
            raise NotFound("the account no longer exists")
        return record


@dataclass(frozen=True, slots=True)
class UpdateMyProfileCommand:
    actor: Actor
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None


@use_case
class UpdateMyProfile:
    """Change one's names or phone. A phone already used by another account is a 409.

    The phone is a login name, so the cached credentials are evicted under
    both the old and the new number.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    credentials: CredentialLookup

    async def __call__(self, command: UpdateMyProfileCommand) -> User:
        first_name = person_name(command.first_name, field="first_name") if command.first_name is not None else None
        last_name = person_name(command.last_name, field="last_name") if command.last_name is not None else None
        phone = Phone.parse(command.phone) if command.phone is not None else None
        async with self.unit_of_work() as uow:
            user = await uow.users.get(command.actor.user_id, for_update=True)
            if user is None:
                raise NotFound("the account no longer exists")
            before = CredentialRecord.of(user)
            user.update_profile(first_name=first_name, last_name=last_name, phone=phone, now=self.clock.now())
            await uow.users.save(user)
            await uow.commit()
        await self.credentials.forget(before, CredentialRecord.of(user))
        return user
