"""argon2id password hashing, run in worker threads so the event loop never waits on it."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from application.ports import PasswordHasher

_M_MMAP_THRESHOLD = -3  # glibc mallopt parameter


def return_large_blocks_to_the_system(threshold_bytes: int = 1024 * 1024) -> None:
    """Make glibc serve blocks above ``threshold_bytes`` from mmap, always.

    glibc raises its mmap threshold after freeing a large block, so the 19 MiB
    an argon2 hash allocates soon comes from the heap and stays in the RSS once
    freed. A fixed threshold returns each block to the system when the hash is
    done. Elsewhere than glibc this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, threshold_bytes)


class Argon2PasswordHasher(PasswordHasher):
    """argon2id with the configured cost (OWASP minimum m=19 MiB, t=2, p=1 or stronger).

    Hashes run in a thread pool of one thread per core: more threads cannot
    hash faster (argon2 is CPU-bound), and each running hash holds
    ``memory_cost`` KiB, so a burst of logins queues instead of growing memory.
    """

    def __init__(
        self, *, memory_cost_kib: int, time_cost: int, parallelism: int, max_concurrent: int | None = None
    ) -> None:
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism, type=Type.ID)
        workers = max_concurrent or os.cpu_count() or 1
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._verify, password_hash, password)

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
