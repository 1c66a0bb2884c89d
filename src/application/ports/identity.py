"""Ports of the identity use cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.identity.activation import ActivationCode
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId
from domain.identity.sessions import RefreshToken
from domain.identity.users import User


@dataclass(frozen=True, slots=True)
class UserFilter:
    role: Role | None = None
    is_active: bool | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class TakenContact:
    field: str
    owner_email: str


class UserRepository(Protocol):
    """Accounts. ``add`` and ``save`` raise ``Conflict`` naming the field already taken."""

    async def add(self, user: User) -> None: ...

    async def save(self, user: User) -> None: ...

    async def get(self, user_id: UserId, *, for_update: bool = False) -> User | None: ...

    async def get_many(self, user_ids: Sequence[UserId]) -> list[User]:
        """The accounts that exist among ``user_ids``, in one query."""
        ...

    async def by_login(self, login: Email | Phone) -> User | None: ...

    async def taken_by(self, email: Email, phone: Phone, national_id: NationalId) -> TakenContact | None:
        """The first of email, phone and national id that another account already has, and that account's email."""
        ...

    async def list(self, user_filter: UserFilter, *, after: UserId | None, limit: int) -> list[User]:
        """Newest first; ``after`` is the last id of the previous page."""
        ...


class ActivationCodeRepository(Protocol):
    async def get_for_update(self, user_id: UserId) -> ActivationCode | None: ...

    async def put(self, code: ActivationCode) -> None:
        """Store the account's code, replacing any earlier one."""
        ...

    async def delete(self, user_id: UserId) -> None: ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def get_for_update(self, token_digest: str) -> RefreshToken | None:
        """The token, locked until the transaction ends, so that one exchange wins."""
        ...

    async def mark_spent(self, token_id: UUID, now: datetime) -> None: ...

    async def revoke_family(self, family_id: UUID, now: datetime) -> None: ...

    async def revoke_all_of_user(self, user_id: UserId, now: datetime) -> None: ...


class RevokedAccessTokenRepository(Protocol):
    """The durable record of logged-out access tokens (the Redis denylist's source of truth)."""

    async def add(self, token_id: str, expires_at: datetime) -> None: ...

    async def contains(self, *token_ids: str) -> bool:
        """Whether any of ``token_ids`` (a token's id, its session's denial id) was revoked."""
        ...


@dataclass(frozen=True, slots=True)
class Notification:
    recipient: str
    kind: str
    payload: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: UUID
    recipient: str
    kind: str
    payload: Mapping[str, str]
    created_at: datetime
    sent_at: datetime | None


class Outbox(Protocol):
    """The transactional outbox: a message queued here is sent only if the change commits."""

    async def notify(self, *notifications: Notification) -> None:
        """Queue these messages, in this order; several at once cost one write."""
        ...

    async def list(
        self, *, recipient: str | None, kind: str | None, after: UUID | None, limit: int
    ) -> list[OutboxMessage]: ...


class NotificationSender(Protocol):
    """Hands a committed outbox message to a channel that reaches its recipient (mail, SMS, a console)."""

    async def send(self, notification: Notification) -> None: ...


@dataclass(frozen=True, slots=True)
class CredentialRecord:
    """What login and token checks need to know about a user, cached in Redis."""

    user_id: UserId
    email: str
    phone: str
    first_name: str
    last_name: str
    password_hash: str
    role: Role
    is_active: bool
    credentials_version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> CredentialRecord:
        return cls(
            user_id=user.id,
            email=user.email.value,
            phone=user.phone.value,
            first_name=user.first_name,
            last_name=user.last_name,
            password_hash=user.password_hash,
            role=user.role,
            is_active=user.is_active,
            credentials_version=user.credentials_version,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )

    @property
    def login_keys(self) -> tuple[str, str]:
        return (self.email, self.phone)


class CredentialCache(Protocol):
    """Cache-first credential lookups in O(1) keys.

    Never raises: when the cache is unreachable, reads answer ``None`` (a
    miss) and writes are skipped, so callers fall back to PostgreSQL.
    """

    async def by_login(self, login_key: str) -> CredentialRecord | None: ...

    async def by_user_id(self, user_id: UserId) -> CredentialRecord | None: ...

    async def store(self, record: CredentialRecord) -> None:
        """Cache the record, unless a change newer than ``record.updated_at`` was evicted meanwhile."""
        ...

    async def evict(self, user_id: UserId, login_keys: Iterable[str], changed_at: datetime) -> None:
        """Drop the user's entries after a change committed at ``changed_at``."""
        ...


class PasswordHasher(Protocol):
    """Slow, salted password hashing, run off the event loop."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    async def verify_against_dummy(self, password: str) -> None:
        """Spend the time of a real verification, so unknown users answer as slowly as known ones."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UserId
    role: Role
    token_id: str
    credentials_version: int
    session_id: UUID
    expires_at: datetime


class AccessTokens(Protocol):
    def issue(self, claims: AccessClaims) -> str: ...

    def read(self, token: str) -> AccessClaims:
        """The claims of a genuine, unexpired token; ``AuthenticationFailed`` otherwise."""
        ...


class AccessTokenDenylist(Protocol):
    """Fast check for logged-out access tokens and revoked sessions (see ``session_denial_id``)."""

    async def deny(self, token_id: str, expires_at: datetime) -> None:
        """Never raises; a failure is logged (the durable record is in PostgreSQL)."""
        ...

    async def is_denied(self, *token_ids: str) -> bool | None:
        """Whether any of ``token_ids`` is denied, in one round trip; ``None`` when it cannot be asked now."""
        ...


class LoginThrottle(Protocol):
    """Counts failed logins per (account, source) pair and per account, under a ``LockoutPolicy``.

    ``source`` is the client address, or ``session:<family id>`` for a login
    that proved an earlier session of the account on this device.
    """

    async def retry_after(self, account_key: str, source: str, *, known_session: bool) -> int | None:
        """Seconds until another attempt is allowed, or ``None`` when it is allowed now.

        A known session is not held back by the account's ceiling, only by its own pair.
        """
        ...

    async def record_failure(self, account_key: str, source: str) -> None: ...

    async def reset(self, account_key: str, source: str) -> None:
        """A success: the pair starts over (the account's count does not: an attack may go on)."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class Pause(Protocol):
    """Waiting without blocking: answers that must not tell anything by their timing wait to a common moment."""

    async def until(self, moment: datetime) -> None:
        """Return at ``moment`` (at once if it has passed)."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID:
        """A new, time-ordered id."""
        ...


class SecretGenerator(Protocol):
    def activation_code(self) -> str:
        """A uniformly random code of 6 digits."""
        ...

    def refresh_token(self) -> str: ...

    def token_id(self) -> str: ...


class SecretDigester(Protocol):
    """Keyed one-way digests of secrets we must recognise but never store (codes, refresh tokens)."""

    def digest(self, secret: str) -> str: ...


class AuthMetrics(Protocol):
    def login_cache_hit(self) -> None: ...

    def login_cache_miss(self) -> None: ...

    def login_failed(self, reason: str) -> None: ...

    def cache_unavailable(self) -> None: ...
