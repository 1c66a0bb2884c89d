"""Cache-first credential lookups: Redis, then one indexed query, then fill the cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports import AuthMetrics, CredentialCache, CredentialRecord, UnitOfWork
from domain.identity.contact import Email, Phone
from domain.identity.roles import UserId
from domain.identity.users import User


@dataclass(frozen=True, slots=True)
class CredentialLookup:
    """Answers "who is this?" for login and for every authenticated request.

    A hit costs no SQL at all. A miss costs one indexed query and fills the
    cache. An unreachable cache behaves as a miss. Writers call :meth:`forget`
    after they commit a change to what this record holds.
    """

    cache: CredentialCache
    unit_of_work: Callable[[], UnitOfWork]
    metrics: AuthMetrics

    async def by_login(self, login: Email | Phone) -> CredentialRecord | None:
        cached = await self.cache.by_login(login.value)
        if cached is not None and login.value in cached.login_keys:
            self.metrics.login_cache_hit()
            return cached
        self.metrics.login_cache_miss()
        async with self.unit_of_work() as uow:
            user = await uow.users.by_login(login)
        return await self._remember(user)

    async def by_user_id(self, user_id: UserId) -> CredentialRecord | None:
        cached = await self.cache.by_user_id(user_id)
        if cached is not None:
            return cached
        async with self.unit_of_work() as uow:
            user = await uow.users.get(user_id)
        return await self._remember(user)

    async def forget(self, *records: CredentialRecord) -> None:
        """Evict the entries of these records (states before and after a change) once it committed."""
        if not records:
            return
        login_keys = {key for record in records for key in record.login_keys}
        changed_at = max(record.updated_at for record in records)
        await self.cache.evict(records[0].user_id, login_keys, changed_at)

    async def forget_user(self, *users: User) -> None:
        await self.forget(*(CredentialRecord.of(user) for user in users))

    async def _remember(self, user: User | None) -> CredentialRecord | None:
        if user is None:
            return None
        record = CredentialRecord.of(user)
        await self.cache.store(record)
        return record
