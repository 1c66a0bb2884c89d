"""argon2id password hashing, run in worker threads so the event loop never waits on it."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import ctypes
import ctypes.util
import hmac
import logging
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import ARGON2_VERSION, core, ffi

from application.ports import PasswordHasher

_M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
logger = logging.getLogger(__name__)


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


@dataclass(frozen=True, slots=True)
class _EncodedHash:
    """The parts of ``$argon2id$v=19$m=…,t=…,p=…$salt$hash`` that a verification needs."""

    memory_cost_kib: int
    time_cost: int
    parallelism: int
    salt: bytes
    digest: bytes


def _b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _parse_argon2id(encoded: str) -> _EncodedHash | None:
    """Our own hashes, parsed; anything else (other variants, versions, malformed) is None."""
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] or parts[1] != "argon2id" or parts[2] != f"v={ARGON2_VERSION}":
        return None
    try:
        fields = dict(item.split("=", 1) for item in parts[3].split(","))
        parsed = _EncodedHash(
            memory_cost_kib=int(fields["m"]),
            time_cost=int(fields["t"]),
            parallelism=int(fields["p"]),
            salt=_b64(parts[4]),
            digest=_b64(parts[5]),
        )
    except (KeyError, ValueError, binascii.Error):
        return None
    if len(fields) != 3 or not parsed.salt or not parsed.digest:
        return None
    return parsed


class _WorkAreas:
    """argon2's work memory (``memory_cost`` KiB per hash), kept from one verification to the next.

    Memory that is handed back to the system (as ``return_large_blocks_to_the_system`` makes glibc
    do) costs a page fault per 4 KiB page on the next hash: about 45 % more CPU for a verification
    of the OWASP parameters, measured. So verifications borrow their work area from here (argon2's
    own allocation callbacks), at most one per hashing thread, and the areas are dropped once no
    verification has run for ``idle_seconds``: a login burst pays the faults once, an idle worker
    keeps none of the memory.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Any] = []
        self._lent: dict[int, Any] = {}
        self.allocate = ffi.callback("int(uint8_t **, size_t)", self._lend, error=-1)
        self.free = ffi.callback("void(uint8_t *, size_t)", self._take_back)

    def _lend(self, memory: Any, size: int) -> int:
        with self._lock:
            area = next((area for area in self._free if ffi.sizeof(area) >= size), None)
            if area is not None:
                self._free.remove(area)
        if area is None:
            area = ffi.new("uint8_t[]", size)
        with self._lock:
            self._lent[int(ffi.cast("uintptr_t", area))] = area
        memory[0] = area
        return 0

    def _take_back(self, memory: Any, _size: int) -> None:
        with self._lock:
            area = self._lent.pop(int(ffi.cast("uintptr_t", memory)), None)
            if area is not None:
                self._free.append(area)

    def drop_idle(self) -> None:
        with self._lock:
            self._free.clear()

    @property
    def kept(self) -> int:
        """Work areas held between verifications (for tests and metrics)."""
        with self._lock:
            return len(self._free)


def _kept_work_areas() -> _WorkAreas | None:
    """None where cffi cannot make callbacks (no write+execute memory, e.g. some hardened kernels)."""
    try:
        return _WorkAreas()
    except (MemoryError, OSError, RuntimeError) as error:
        logger.info("argon2 verifications allocate their own memory: %s", error)
        return None


class Argon2PasswordHasher(PasswordHasher):
    """argon2id with the configured cost (OWASP minimum m=19 MiB, t=2, p=1 or stronger).

    Hashes run in a thread pool of one thread per core: more threads cannot
    hash faster (argon2 is CPU-bound), and each running hash holds
    ``memory_cost`` KiB, so a burst of logins queues instead of growing memory.
    """

    def __init__(
        self,
        *,
        memory_cost_kib: int,
        time_cost: int,
        parallelism: int,
        max_concurrent: int | None = None,
        idle_seconds: float = 2.0,
    ) -> None:
        self._argon2 = Argon2(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism, type=Type.ID)
        workers = max_concurrent or os.cpu_count() or 1
        self._threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        self._areas = _kept_work_areas()
        self._idle_seconds = idle_seconds
        self._verifying = 0
        self._drop: asyncio.TimerHandle | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        loop = asyncio.get_running_loop()
        self._verifying += 1
        try:
            return await loop.run_in_executor(self._threads, self._verify, password_hash, password)
        finally:
            self._verifying -= 1
            if self._verifying == 0:
                if self._drop is not None:
                    self._drop.cancel()
                self._drop = loop.call_later(self._idle_seconds, self._drop_idle_areas)

    def _drop_idle_areas(self) -> None:
        if self._verifying == 0 and self._areas is not None:
            self._areas.drop_idle()

    @property
    def kept_work_areas(self) -> int:
        return self._areas.kept if self._areas is not None else 0

    async def verify_against_dummy(self, password: str) -> None:
        await self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _verify(self, password_hash: str, password: str) -> bool:
        encoded = _parse_argon2id(password_hash)
        if encoded is not None and self._areas is not None:
            matches = self._verify_in_kept_memory(self._areas, encoded, password.encode())
            if matches is not None:
                return matches
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @staticmethod
    def _verify_in_kept_memory(areas: _WorkAreas, encoded: _EncodedHash, password: bytes) -> bool | None:
        """argon2id of ``password`` with the hash's own parameters, in a kept work area; None: not run."""
        out = ffi.new("uint8_t[]", len(encoded.digest))
        pwd = ffi.new("uint8_t[]", password)
        salt = ffi.new("uint8_t[]", encoded.salt)
        context = ffi.new(
            "argon2_context *",
            {
                "out": out,
                "outlen": len(encoded.digest),
                "pwd": pwd,
                "pwdlen": len(password),
                "salt": salt,
                "saltlen": len(encoded.salt),
                "secret": ffi.NULL,
                "secretlen": 0,
                "ad": ffi.NULL,
                "adlen": 0,
                "t_cost": encoded.time_cost,
                "m_cost": encoded.memory_cost_kib,
                "lanes": encoded.parallelism,
                "threads": encoded.parallelism,
                "version": ARGON2_VERSION,
                "allocate_cbk": areas.allocate,
                "free_cbk": areas.free,
                "flags": 0,
            },
        )
        if core(context, Type.ID.value) != 0:  # ARGON2_OK
            return None  # out of range parameters and the like: the library's own path decides
        return hmac.compare_digest(bytes(ffi.buffer(out, len(encoded.digest))), encoded.digest)

    @cached_property
    def _dummy_hash(self) -> str:
        return self._argon2.hash("a password nobody has: only its verification time matters")
