"""The system's clock, randomness and ids."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from uuid import UUID

from uuid_utils.compat import uuid7

from application.ports import Clock, IdGenerator, Pause, SecretDigester, SecretGenerator


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(UTC)


class AsyncioPause(Pause):
    async def until(self, moment: datetime) -> None:
        delay = (moment - datetime.now(UTC)).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)


class Uuid7Generator(IdGenerator):
    """UUIDv7: time-ordered, so newest-first keyset pages are index scans."""

    def new_id(self) -> UUID:
        return uuid7()


class SystemSecretGenerator(SecretGenerator):
    def activation_code(self) -> str:
        return f"{secrets.randbelow(1_000_000):06d}"

    def refresh_token(self) -> str:
        return secrets.token_urlsafe(32)

    def token_id(self) -> str:
        return secrets.token_urlsafe(16)


class HmacSecretDigester(SecretDigester):
    """HMAC-SHA256 keyed with the application secret: a leaked table of digests is useless offline."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"commerce-secret-digest:" + secret_key.encode()).digest()

    def digest(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).hexdigest()
