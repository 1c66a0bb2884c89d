"""Identity use cases on in-memory fakes: assertions on state, not on calls."""

from dataclasses import replace

import pytest

from application.identity.activate_account import ActivateAccountCommand
from application.identity.administration import ChangeUserAccess, ChangeUserAccessCommand, ListUsers, ListUsersQuery
from application.identity.change_password import ChangePasswordCommand
from application.identity.log_in import LogInCommand
from application.identity.refresh_session import RefreshSessionCommand
from application.identity.sign_up import SignUpCommand
from application.ports import CredentialRecord, UserFilter
from domain.errors import AuthenticationFailed, InvalidValue, NotAllowed, TooManyAttempts
from domain.identity.roles import Actor, Role
from tests.unit.fakes import IdentityWorld

PASSWORD = "violet-harbour-71-kite"


def signup(**overrides) -> SignUpCommand:
    values = {
        "email": "Ana@Example.com",
        "phone": "300 123 4567",
        "national_id": "1020304050",
        "first_name": "Ana",
        "last_name": "Rojas",
        "password": PASSWORD,
    } | overrides
    return SignUpCommand(**values)


def login(username="ana@example.com", password=PASSWORD, address="10.0.0.1") -> LogInCommand:
    return LogInCommand(username=username, password=password, client_address=address)


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


async def test_signup_stores_an_inactive_customer_and_queues_its_code_in_the_same_commit(world):
    user = await world.sign_up(signup())
    stored = world.database.users[user.id]
    assert stored.email.value == "ana@example.com"
    assert stored.phone.value == "+573001234567"
    assert stored.role is Role.CUSTOMER
    assert not stored.is_active
    assert stored.password_hash == f"hashed:{PASSWORD}"
    [message] = world.database.outbox
    assert message.recipient == "ana@example.com"
    assert message.payload["code"] == world.secrets.codes[-1]
    assert world.database.codes[user.id].code_digest != message.payload["code"]  # stored only as a digest


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"email": "ANA@example.com"}, "email"),
        ({"phone": "+573001234567"}, "phone"),
        ({"national_id": "1020304050"}, "national_id"),
    ],
)
async def test_a_taken_email_phone_or_national_id_creates_nothing_and_tells_the_owner(world, override, field):
    # issue 13, defect 8: the caller hears nothing different; the owner hears through the outbox
    await world.sign_up(signup())
    fresh = {"email": "other@example.com", "phone": "3109876543", "national_id": "99999999"}
    hashes_before = world.hasher.hashed
    assert await world.sign_up(signup(**(fresh | override))) is None
    assert len(world.database.users) == 1
    assert world.hasher.hashed == hashes_before + 1  # the slow step runs either way
    told = world.database.outbox[-1]
    assert (told.recipient, told.kind, told.payload["field"]) == ("ana@example.com", "signup_with_your_details", field)
    assert "code" not in told.payload


async def test_signup_with_a_weak_password_writes_nothing(world):
    with pytest.raises(InvalidValue) as raised:
        await world.sign_up(signup(password="password123"))
    assert raised.value.rule == "password_too_common"
    assert world.database.users == {}
    assert world.database.outbox == []


async def test_the_right_code_activates_the_account_and_is_consumed(world):
    user = await world.sign_up(signup())
    code = world.secrets.codes[-1]
    await world.activate(ActivateAccountCommand(email="ana@example.com", code=code))
    assert world.database.users[user.id].is_active
    assert user.id not in world.database.codes
    with pytest.raises(InvalidValue):
        await world.activate(ActivateAccountCommand(email="ana@example.com", code=code))


async def test_five_wrong_codes_kill_the_code(world):
    user = await world.sign_up(signup())
    right = world.secrets.codes[-1]
    for attempt in range(5):
        with pytest.raises(InvalidValue):
            await world.activate(ActivateAccountCommand(email="ana@example.com", code="999999"))
        if attempt < 4:
            assert world.database.codes[user.id].attempts_left == 4 - attempt
    assert user.id not in world.database.codes
    with pytest.raises(InvalidValue):
        await world.activate(ActivateAccountCommand(email="ana@example.com", code=right))
    assert not world.database.users[user.id].is_active


async def test_an_expired_code_does_not_activate(world):
    user = await world.sign_up(signup())
    world.clock.advance(minutes=15)
    with pytest.raises(InvalidValue):
        await world.activate(ActivateAccountCommand(email="ana@example.com", code=world.secrets.codes[-1]))
    assert not world.database.users[user.id].is_active


async def test_login_miss_reads_once_and_fills_the_cache_then_a_hit_reads_nothing(world):
    world.add_user()
    await world.log_in(login())
    assert (world.metrics.misses, world.metrics.hits) == (1, 0)
    reads = world.database.reads
    result = await world.log_in(login(username="3001234567"))
    assert (world.metrics.misses, world.metrics.hits) == (1, 1)
    assert world.database.reads == reads
    assert result.tokens.token_type == "Bearer"


async def test_unknown_user_and_wrong_password_fail_alike_and_both_spend_a_verification(world):
    world.add_user()
    with pytest.raises(AuthenticationFailed) as unknown:
        await world.log_in(login(username="nobody@example.com"))
    with pytest.raises(AuthenticationFailed) as wrong:
        await world.log_in(login(password="not-the-password"))
    assert unknown.value.message == wrong.value.message
    assert world.hasher.dummy_verifications == 1
    assert world.metrics.failures == ["unknown_user", "wrong_password"]


async def test_an_inactive_account_is_refused_after_its_password_is_proven(world):
    world.add_user(active=False)
    with pytest.raises(NotAllowed):
        await world.log_in(login())
    with pytest.raises(AuthenticationFailed):
        await world.log_in(login(password="wrong-password-1"))


async def test_the_sixth_attempt_after_five_failures_is_throttled_even_with_the_right_password(world):
    world.add_user()
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            await world.log_in(login(password="wrong-password-1"))
    with pytest.raises(TooManyAttempts) as raised:
        await world.log_in(login())
    assert raised.value.retry_after_seconds > 0


async def test_a_weak_hash_is_upgraded_at_the_next_successful_login(world):
    user = world.add_user(password_hash=f"old:{PASSWORD}")
    await world.log_in(login())
    assert world.database.users[user.id].password_hash == f"hashed:{PASSWORD}"
    assert world.database.users[user.id].credentials_version == user.credentials_version


async def test_a_stale_cache_fill_after_a_password_change_is_refused(world):
    """A login that read the row before a change committed must not put the old hash back."""
    user = world.add_user()
    stale = CredentialRecord.of(user)
    world.clock.advance(seconds=1)
    tokens = (await world.log_in(login())).tokens
    authenticated = await world.authenticate(tokens.access_token)
    await world.change_password(
        ChangePasswordCommand(
            actor=authenticated.actor, current_password=PASSWORD, new_password="new-violet-harbour-99"
        )
    )
    await world.cache.store(stale)  # the racing login finishes its fill late
    with pytest.raises(AuthenticationFailed):
        await world.log_in(login())
    assert (await world.log_in(login(password="new-violet-harbour-99"))).user.user_id == user.id


async def test_refresh_rotates_and_reuse_revokes_the_whole_session(world):
    world.add_user()
    first = (await world.log_in(login())).tokens
    second = await world.refresh(RefreshSessionCommand(refresh_token=first.refresh_token))
    assert second.refresh_token != first.refresh_token
    with pytest.raises(AuthenticationFailed):
        await world.refresh(RefreshSessionCommand(refresh_token=first.refresh_token))
    with pytest.raises(AuthenticationFailed):
        await world.refresh(RefreshSessionCommand(refresh_token=second.refresh_token))
    assert all(token.revoked_at is not None for token in world.database.refresh_tokens.values())


async def test_logout_revokes_the_session_and_the_access_token_even_without_redis(world):
    world.add_user()
    tokens = (await world.log_in(login())).tokens
    authenticated = await world.authenticate(tokens.access_token)
    await world.log_out(authenticated.claims)
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(tokens.access_token)
    world.denylist.available = False  # the durable record in PostgreSQL still answers
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(tokens.access_token)
    with pytest.raises(AuthenticationFailed):
        await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))


async def test_password_change_ends_every_session_and_locks_out_old_tokens(world):
    user = world.add_user()
    first = (await world.log_in(login())).tokens
    second = (await world.log_in(login())).tokens
    actor = (await world.authenticate(first.access_token)).actor
    await world.change_password(
        ChangePasswordCommand(actor=actor, current_password=PASSWORD, new_password="new-violet-harbour-99")
    )
    for tokens in (first, second):
        with pytest.raises(AuthenticationFailed):
            await world.authenticate(tokens.access_token)
        with pytest.raises(AuthenticationFailed):
            await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    assert world.database.users[user.id].credentials_version > user.credentials_version


async def test_password_change_needs_the_current_password_and_the_policy(world):
    world.add_user()
    actor = (await world.authenticate((await world.log_in(login())).tokens.access_token)).actor
    with pytest.raises(InvalidValue) as wrong:
        await world.change_password(
            ChangePasswordCommand(actor=actor, current_password="nope-nope-nope", new_password="new-violet-harbour-99")
        )
    assert wrong.value.field == "current_password"
    with pytest.raises(InvalidValue) as weak:
        await world.change_password(
            ChangePasswordCommand(actor=actor, current_password=PASSWORD, new_password="qwertyuiop")
        )
    assert weak.value.rule == "password_too_common"


async def test_logins_keep_working_when_the_cache_is_down(world):
    world.add_user()
    world.cache.available = False
    result = await world.log_in(login())
    assert (await world.authenticate(result.tokens.access_token)).actor.user_id == result.user.user_id


def _admin_use_cases(world):
    return (
        ListUsers(unit_of_work=world.unit_of_work),
        ChangeUserAccess(unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials),
    )


async def test_support_may_deactivate_customers_but_not_staff_nor_change_roles(world):
    _, change = _admin_use_cases(world)
    support = world.add_user(email="sup@example.com", phone="3000000001", role=Role.SUPPORT)
    customer = world.add_user(email="cus@example.com", phone="3000000002")
    merchant = world.add_user(email="mer@example.com", phone="3000000003", role=Role.MERCHANT_MANAGER)
    actor = Actor(support.id, Role.SUPPORT)
    await change(ChangeUserAccessCommand(actor=actor, user_id=customer.id, is_active=False))
    assert not world.database.users[customer.id].is_active
    with pytest.raises(NotAllowed):
        await change(ChangeUserAccessCommand(actor=actor, user_id=merchant.id, is_active=False))
    with pytest.raises(NotAllowed):
        await change(ChangeUserAccessCommand(actor=actor, user_id=customer.id, role=Role.ADMIN))
    assert world.database.users[merchant.id].is_active


async def test_only_staff_list_users_and_admins_cannot_lock_themselves_out(world):
    list_users, change = _admin_use_cases(world)
    admin = world.add_user(email="adm@example.com", phone="3000000004", role=Role.ADMIN)
    customer = world.add_user(email="cus@example.com", phone="3000000005")
    with pytest.raises(NotAllowed):
        await list_users(ListUsersQuery(actor=Actor(customer.id, Role.CUSTOMER), user_filter=UserFilter()))
    page = await list_users(ListUsersQuery(actor=Actor(admin.id, Role.ADMIN), user_filter=UserFilter(), limit=1))
    assert len(page.items) == 1
    assert page.next_position is not None
    with pytest.raises(NotAllowed):
        await change(ChangeUserAccessCommand(actor=Actor(admin.id, Role.ADMIN), user_id=admin.id, is_active=False))


async def test_deactivation_locks_out_existing_tokens_at_once(world):
    user = world.add_user()
    admin = world.add_user(email="adm@example.com", phone="3000000006", role=Role.ADMIN)
    tokens = (await world.log_in(login())).tokens
    _, change = _admin_use_cases(world)
    await change(ChangeUserAccessCommand(actor=Actor(admin.id, Role.ADMIN), user_id=user.id, is_active=False))
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(tokens.access_token)
    with pytest.raises(NotAllowed):
        await world.log_in(login())
    assert replace(world.database.users[user.id]).is_active is False
