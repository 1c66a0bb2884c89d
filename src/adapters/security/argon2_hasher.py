"""argon2id password hashing, run in worker threads so the event loop never waits on it."""

from __future__ import annotations

import asyncio
from functools import cached_property

from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from application.ports import PasswordHasher


class Argon2PasswordHasher(PasswordHasher):
    """argon2id with the configured cost (OWASP minimum m=19 MiB, t=2, p=1 or stronger).

    A semaphore bounds how many hashes run at once: each holds ``memory_cost``
    KiB, and a burst of logins must queue rather than exhaust memory.
    """

    def __init__(self, *, memory_cost_kib: int, time_cost: int, parallelism: int, max_concurrent: int = 4) -> None:
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism, type=Type.ID)
        self._slots = asyncio.Semaphore(max_concurrent)

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        async with self._slots:
            return await asyncio.to_thread(self._verify, password_hash, password)

    async def verify_against_dummy(self, password: str) -> None:
        await self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._argon2.hash("a password nobody has: only its verification time matters")
