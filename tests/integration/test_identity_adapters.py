"""Identity adapters against real PostgreSQL and Redis."""

import asyncio
import os
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from argon2 import PasswordHasher as Argon2Library
from argon2 import Type as Argon2Variant
from redis.exceptions import ConnectionError as RedisConnectionError

from adapters.postgres import SqlaUnitOfWork, create_session_factory
from adapters.redis import (
    RedisAccessTokenDenylist,
    RedisCircuit,
    RedisCredentialCache,
    RedisLoginThrottle,
    RedisUnavailable,
    create_redis_client,
)
from adapters.security import Argon2PasswordHasher, JwtAccessTokens, Uuid7Generator, argon2_hasher, jwt_tokens
from application.ports import AccessClaims, CredentialRecord
from domain.errors import AuthenticationFailed, Conflict
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.lockout import LockoutPolicy
from domain.identity.roles import Role, UserId
from domain.identity.users import User
from tests.unit.fakes import RecordingMetrics

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
DEAD_REDIS = "redis://127.0.0.1:1/0"


def a_user(email="ana@example.com", phone="3001234567", national_id="1020304050") -> User:
    return User.sign_up(
        id=UserId(Uuid7Generator().new_id()),
        email=Email.parse(email),
        phone=Phone.parse(phone),
        national_id=NationalId.parse(national_id),
        first_name="Ana",
        last_name="Rojas",
        password_hash="hash",
        now=NOW,
    )


@pytest.fixture
def unit_of_work(engine):
    factory = create_session_factory(engine)
    return lambda: SqlaUnitOfWork(factory, lambda: datetime.now(UTC))


@pytest.mark.parametrize(
    ("email", "phone", "national_id", "field"),
    [
        ("ANA@example.com", "3109999999", "99999999", "email"),
        ("x@example.com", "+573001234567", "99999999", "phone"),
        ("x@example.com", "3109999999", "1020304050", "national_id"),
    ],
)
async def test_a_duplicate_is_a_conflict_naming_the_field(unit_of_work, email, phone, national_id, field):
    async with unit_of_work() as uow:
        await uow.users.add(a_user())
        await uow.commit()

    async def add_duplicate() -> None:
        async with unit_of_work() as uow:
            await uow.users.add(a_user(email, phone, national_id))
            await uow.commit()

    with pytest.raises(Conflict) as raised:
        await add_duplicate()
    assert raised.value.field == field


async def test_users_round_trip_through_postgres(unit_of_work):
    user = a_user()
    async with unit_of_work() as uow:
        await uow.users.add(user)
        await uow.commit()
    async with unit_of_work() as uow:
        by_phone = await uow.users.by_login(Phone.parse("57 300 123 4567"))
        by_email = await uow.users.by_login(Email.parse("ANA@EXAMPLE.COM"))
    assert by_phone == by_email == user


@pytest.fixture
def cache(redis):
    return RedisCredentialCache(redis, ttl_seconds=60, metrics=RecordingMetrics())


async def test_credential_records_round_trip_by_login_and_by_id(cache):
    record = CredentialRecord.of(a_user())
    await cache.store(record)
    assert await cache.by_login("ana@example.com") == record
    assert await cache.by_login("+573001234567") == record
    assert await cache.by_user_id(record.user_id) == record


async def test_eviction_fences_off_a_late_fill_of_older_data(cache):
    user = a_user()
    stale = CredentialRecord.of(user)
    changed = replace(stale, password_hash="new-hash", updated_at=NOW + timedelta(seconds=1))
    await cache.store(stale)
    await cache.evict(user.id, stale.login_keys, changed.updated_at)
    await cache.store(stale)  # a racing login read the row before the change
    assert await cache.by_login("ana@example.com") is None
    await cache.store(changed)
    assert (await cache.by_login("ana@example.com")).password_hash == "new-hash"


async def test_the_cache_keys_are_o1_and_hold_no_pickles(cache, redis):
    record = CredentialRecord.of(a_user())
    await cache.store(record)
    keys = sorted(key.decode() for key in await redis.keys("auth:v1:*"))
    assert keys == sorted(
        ["auth:v1:login:ana@example.com", "auth:v1:login:+573001234567", f"auth:v1:user:{record.user_id}"]
    )
    assert not (await redis.get(f"auth:v1:user:{record.user_id}")).startswith(b"\x80")  # pickle's magic


async def test_an_unreachable_cache_misses_and_never_raises():
    metrics = RecordingMetrics()
    client = create_redis_client(DEAD_REDIS)
    cache = RedisCredentialCache(client, ttl_seconds=60, metrics=metrics)
    record = CredentialRecord.of(a_user())
    await cache.store(record)
    assert await cache.by_login("ana@example.com") is None
    await cache.evict(record.user_id, record.login_keys, NOW)
    assert metrics.unavailable == 3
    denylist = RedisAccessTokenDenylist(client)
    await denylist.deny("jti", NOW)
    assert await denylist.is_denied("jti") is None
    await client.aclose()


async def test_a_pair_waits_with_doubling_delays_after_its_free_failures_and_a_success_resets_it(redis):
    throttle = RedisLoginThrottle(redis, LockoutPolicy(free_failures=3, first_delay_seconds=4))
    for _ in range(2):
        await throttle.record_failure("account:a", "10.0.0.1")
        assert await throttle.retry_after("account:a", "10.0.0.1", known_session=False) is None
    await throttle.record_failure("account:a", "10.0.0.1")  # the third: wait 4 s
    assert 0 < (await throttle.retry_after("account:a", "10.0.0.1", known_session=False) or 0) <= 4
    await throttle.record_failure("account:a", "10.0.0.1")  # the fourth: 8 s
    assert 4 < (await throttle.retry_after("account:a", "10.0.0.1", known_session=False) or 0) <= 8
    assert await throttle.retry_after("account:a", "10.0.0.2", known_session=False) is None  # the owner elsewhere
    await throttle.reset("account:a", "10.0.0.1")
    assert await throttle.retry_after("account:a", "10.0.0.1", known_session=False) is None


async def test_the_account_ceiling_closes_new_sources_but_not_a_known_session(redis):
    throttle = RedisLoginThrottle(redis, LockoutPolicy(free_failures=100, account_ceiling=5))
    for index in range(5):
        await throttle.record_failure("account:a", f"10.0.0.{index}")
    assert await throttle.retry_after("account:a", "10.9.9.9", known_session=False) is not None
    assert await throttle.retry_after("account:a", "session:family", known_session=True) is None
    assert await throttle.retry_after("account:b", "10.9.9.9", known_session=False) is None


async def test_throttle_falls_back_to_this_process_when_redis_is_down():
    client = create_redis_client(DEAD_REDIS)
    throttle = RedisLoginThrottle(client, LockoutPolicy(free_failures=2))
    await throttle.record_failure("account:a", "10.0.0.1")
    await throttle.record_failure("account:a", "10.0.0.1")
    assert await throttle.retry_after("account:a", "10.0.0.1", known_session=False) is not None
    await client.aclose()


async def test_argon2_hashes_verify_and_weaker_hashes_ask_for_a_rehash():
    weak = Argon2PasswordHasher(memory_cost_kib=8192, time_cost=1, parallelism=1)
    strong = Argon2PasswordHasher(memory_cost_kib=19_456, time_cost=2, parallelism=1)
    old_hash = await weak.hash("violet-harbour-71-kite")
    assert old_hash.startswith("$argon2id$")
    assert await strong.verify(old_hash, "violet-harbour-71-kite")
    assert not await strong.verify(old_hash, "something else entirely")
    assert strong.needs_rehash(old_hash)
    assert not strong.needs_rehash(await strong.hash("violet-harbour-71-kite"))
    assert not await strong.verify("not a hash", "x")


@pytest.mark.parametrize(
    ("variant", "parallelism"),
    [(Argon2Variant.ID, 1), (Argon2Variant.ID, 2), (Argon2Variant.I, 1), (Argon2Variant.D, 1)],
)
async def test_verification_in_kept_work_memory_agrees_with_the_argon2_library(
    variant: Argon2Variant, parallelism: int
) -> None:
    hasher = Argon2PasswordHasher(memory_cost_kib=19_456, time_cost=2, parallelism=1)
    library = Argon2Library(memory_cost=8192, time_cost=1, parallelism=parallelism, type=variant)
    for password in ["violet-harbour-71-kite", "", "contraseña ñandú 🔐", "x" * 128]:
        for stored in (library.hash(password), await hasher.hash(password)):
            assert await hasher.verify(stored, password)
            assert not await hasher.verify(stored, password + "!")
            assert not await hasher.verify(stored, password[:-1] + "?")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "$argon2id$v=19$m=19456,t=2,p=1$$",
        "$argon2id$v=19$m=1,t=2,p=1$c2FsdHNhbHQ$aGFzaA",  # below argon2's minimum memory
        "$argon2id$v=19$m=19456,t=2,p=1,x=3$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=19456,t=2,p=1$not base64!$aGFzaGhhc2hoYXNoaGFzaA",
    ],
)
async def test_a_malformed_or_unusual_stored_hash_never_verifies(stored: str) -> None:
    hasher = Argon2PasswordHasher(memory_cost_kib=19_456, time_cost=2, parallelism=1)
    assert not await hasher.verify(stored, "pw")


async def test_verification_memory_is_kept_through_a_burst_and_given_back_when_idle() -> None:
    hasher = Argon2PasswordHasher(memory_cost_kib=19_456, time_cost=2, parallelism=1, idle_seconds=0.3)
    stored = await hasher.hash("violet-harbour-71-kite")
    assert hasher.kept_work_areas == 0
    results = await asyncio.gather(*(hasher.verify(stored, "violet-harbour-71-kite") for _ in range(6)))
    assert all(results)
    assert 1 <= hasher.kept_work_areas <= (os.cpu_count() or 1)  # one per hashing thread at most
    await asyncio.sleep(0.6)
    assert hasher.kept_work_areas == 0


async def test_where_cffi_cannot_make_callbacks_verifications_use_the_library(monkeypatch) -> None:
    def no_callbacks() -> None:
        raise MemoryError("Cannot allocate write+execute memory for ffi.callback()")

    monkeypatch.setattr(argon2_hasher, "_WorkAreas", no_callbacks)
    hasher = Argon2PasswordHasher(memory_cost_kib=19_456, time_cost=2, parallelism=1)
    stored = await hasher.hash("violet-harbour-71-kite")
    assert await hasher.verify(stored, "violet-harbour-71-kite")
    assert not await hasher.verify(stored, "violet-harbour-71-kitE")
    assert hasher.kept_work_areas == 0


def access_claims(token_id: str = "jti-1", *, minutes: int = 15) -> AccessClaims:
    return AccessClaims(
        user_id=UserId(UUID(int=7)),
        role=Role.CUSTOMER,
        token_id=token_id,
        credentials_version=3,
        session_id=UUID(int=9),
        expires_at=datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes),
    )


def test_jwt_access_tokens_round_trip_and_reject_tampering_and_expiry():
    tokens = JwtAccessTokens("k" * 40)
    claims = access_claims()
    token = tokens.issue(claims)
    assert tokens.read(token) == claims
    with pytest.raises(AuthenticationFailed):
        JwtAccessTokens("z" * 40).read(token)
    with pytest.raises(AuthenticationFailed):
        tokens.read(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    expired = tokens.issue(replace(claims, expires_at=datetime.now(UTC) - timedelta(seconds=5)))
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens.read(expired)


def test_a_remembered_access_token_is_still_refused_from_the_second_it_expires(monkeypatch):
    """Reads remember a token's claims; the expiry is checked on every read, exactly as PyJWT checks it."""
    tokens = JwtAccessTokens("k" * 40)
    claims = access_claims("jti-2", minutes=1)
    expires_at = claims.expires_at
    token = tokens.issue(claims)
    assert tokens.read(token) == claims
    assert tokens.read(token) == claims

    monkeypatch.setattr(time, "time", lambda: expires_at.timestamp() - 0.001)
    assert tokens.read(token) == claims
    monkeypatch.setattr(time, "time", expires_at.timestamp)
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens.read(token)


def test_the_access_token_memo_stays_bounded():
    tokens = JwtAccessTokens("k" * 40)
    issued = [tokens.issue(access_claims(f"jti-{n}")) for n in range(jwt_tokens._READ_MEMO_SIZE + 10)]
    for token in issued:
        tokens.read(token)
    assert len(tokens._read) <= jwt_tokens._READ_MEMO_SIZE
    assert tokens.read(issued[0]).token_id == "jti-0"


async def test_an_eviction_is_tried_even_while_the_redis_circuit_is_open(redis):
    """Redis just came back: one failed read opened the circuit, yet the role change still evicts."""
    circuit = RedisCircuit(cooldown_seconds=60)
    cache = RedisCredentialCache(redis, ttl_seconds=60, metrics=RecordingMetrics(), circuit=circuit)
    record = CredentialRecord.of(a_user())
    await cache.store(record)

    async def failing() -> None:
        raise RedisConnectionError("a pooled connection died with the old server")

    with pytest.raises(RedisUnavailable):
        await circuit.run(failing)
    assert circuit.is_open
    await cache.evict(record.user_id, ["ana@example.com", "+573001234567"], datetime.now(UTC))

    assert await redis.get(f"auth:v1:user:{record.user_id}") is None
    assert await redis.get("auth:v1:login:ana@example.com") is None
