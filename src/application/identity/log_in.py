"""Use case: log in with an email or a phone number and a password."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn
from uuid import UUID

from application.identity.credentials import CredentialLookup
from application.identity.sessions import SessionIssuer, TokenPair
from application.ports import (
    AuthMetrics,
    Clock,
    CredentialRecord,
    LoginThrottle,
    PasswordHasher,
    SecretDigester,
    UnitOfWork,
)
from application.use_case import use_case
from domain.errors import AuthenticationFailed, InvalidValue, NotAllowed, TooManyAttempts
from domain.identity.contact import login_key


@dataclass(frozen=True, slots=True)
class LogInCommand:
    username: str
    password: str
    client_address: str
    # A refresh token this device was given at an earlier login (spent or expired is fine): proof of a known device.
    session_hint: str | None = None


@dataclass(frozen=True, slots=True)
class LoginResult:
    tokens: TokenPair
    user: CredentialRecord


@use_case
class LogIn:
    """Check the credentials cache-first and open a session.

    Rules:
    - the username is an email or a phone number in any accepted spelling;
    - a cache hit runs no SQL until the session is stored; a miss runs one
      indexed query and fills the cache;
    - unknown user and wrong password fail alike, and as slowly (a dummy hash
      is verified for unknown users);
    - an inactive account is refused (403) only after its password is proven;
    - failures are counted per account (whichever spelling of email or phone
      was used; per normalised username when no account matches) and source,
      under the ``LockoutPolicy`` (ADR 0014): a pair that failed too often
      waits, with exponential backoff, and is refused (429) before the
      password is even looked at; an account past its ceiling of failures
      from everywhere is closed to new sources, but not to a login that
      names one of the account's own sessions (``session_hint``), whose
      failures are counted under that session instead of the address;
    - a hash made with weaker parameters is upgraded on success.
    """

    unit_of_work: Callable[[], UnitOfWork]
    credentials: CredentialLookup
    hasher: PasswordHasher
    throttle: LoginThrottle
    sessions: SessionIssuer
    clock: Clock
    metrics: AuthMetrics
    digester: SecretDigester

    async def __call__(self, command: LogInCommand) -> LoginResult:
        try:
            login = login_key(command.username)
        except InvalidValue:
            login = None
        record = await self.credentials.by_login(login) if login is not None else None
        if record is not None:
            throttle_key = f"account:{record.user_id}"
        else:
            throttle_key = f"login:{login.value if login is not None else command.username.strip().lower()}"

        known_family = await self._known_session(record, command.session_hint)
        source = f"session:{known_family}" if known_family is not None else command.client_address
        retry_after = await self.throttle.retry_after(throttle_key, source, known_session=known_family is not None)
        if retry_after is not None:
            self.metrics.login_failed("throttled")
            raise TooManyAttempts("too many failed logins; try again later", retry_after_seconds=retry_after)

        if record is None:
            await self.hasher.verify_against_dummy(command.password)
            await self._fail(throttle_key, source, "unknown_user")
        if not await self.hasher.verify(record.password_hash, command.password):
            await self._fail(throttle_key, source, "wrong_password")
        if not record.is_active:
            self.metrics.login_failed("inactive")
            raise NotAllowed("the account is not active")
        await self.throttle.reset(throttle_key, source)

        if self.hasher.needs_rehash(record.password_hash):
            record = await self._upgrade_hash(record, command.password)
        async with self.unit_of_work() as uow:
            tokens = await self.sessions.start(uow, record)
            await uow.commit()
        return LoginResult(tokens=tokens, user=record)

    async def _known_session(self, record: CredentialRecord | None, hint: str | None) -> UUID | None:
        """The session family ``hint`` belongs to, if it is one of this account's (in any state)."""
        if record is None or not hint:
            return None
        async with self.unit_of_work() as uow:
            token = await uow.refresh_tokens.get_for_update(self.digester.digest(hint))
        if token is None or token.user_id != record.user_id:
            return None
        return token.family_id

    async def _fail(self, throttle_key: str, source: str, reason: str) -> NoReturn:
        await self.throttle.record_failure(throttle_key, source)
        self.metrics.login_failed(reason)
        raise AuthenticationFailed("invalid username or password")

    async def _upgrade_hash(self, record: CredentialRecord, password: str) -> CredentialRecord:
        new_hash = await self.hasher.hash(password)
        async with self.unit_of_work() as uow:
            user = await uow.users.get(record.user_id, for_update=True)
            if user is None or user.password_hash != record.password_hash:
                return record  # changed meanwhile: leave it to that change
            user.upgrade_password_hash(new_hash, self.clock.now())
            await uow.users.save(user)
            await uow.commit()
        await self.credentials.forget(record)
        return CredentialRecord.of(user)
