"""Security rules of identity, pinned on fakes: sessions, who may change accounts, profiles, throttling."""

from datetime import timedelta

import pytest

from application.identity.administration import (
    ChangeUserAccess,
    ChangeUserAccessCommand,
    ListOutbox,
    ListOutboxQuery,
    ListUsers,
    ListUsersQuery,
)
from application.identity.change_password import ChangePasswordCommand
from application.identity.log_in import LogInCommand
from application.identity.policies import OPERATOR, check_access_change, require_staff
from application.identity.profile import GetMyProfile, UpdateMyProfile, UpdateMyProfileCommand
from application.identity.refresh_session import RefreshSessionCommand
from application.identity.request_activation_code import RequestActivationCode, RequestActivationCodeCommand
from application.identity.sign_up import SignUp, SignUpCommand
from application.ports import Notification, UserFilter
from domain.errors import (
    AuthenticationFailed,
    Conflict,
    CredentialsChanged,
    InvalidValue,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)
from domain.identity.roles import Actor, Role, UserId
from domain.identity.users import User
from tests.unit.factories import UserFactory, new_id
from tests.unit.fakes import IdentityWorld
from tests.unit.pages import page_of

PASSWORD = "violet-harbour-71-kite"
TICK = timedelta(microseconds=1)


@pytest.fixture
def world() -> IdentityWorld:
    return IdentityWorld()


def store(world: IdentityWorld, **fields) -> User:
    user = UserFactory.build(**fields)
    world.database.users[user.id] = user
    return user


def as_actor(user: User) -> Actor:
    return Actor(user.id, user.role)


def login(username: str, password: str = PASSWORD, address: str = "10.0.0.1") -> LogInCommand:
    return LogInCommand(username=username, password=password, client_address=address)


# --- who may change accounts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "is_active"), [(Role.SUPPORT, None), (Role.CUSTOMER, None), (None, False)])
def test_an_admin_cannot_demote_or_deactivate_themselves(role, is_active):
    admin = UserFactory.build(role=Role.ADMIN)
    with pytest.raises(NotAllowed) as raised:
        check_access_change(as_actor(admin), admin, role=role, is_active=is_active)
    assert "themselves" in raised.value.message


def test_an_admin_may_reaffirm_their_own_access_and_change_anybody_else():
    admin = UserFactory.build(role=Role.ADMIN)
    check_access_change(as_actor(admin), admin, role=Role.ADMIN, is_active=True)
    other_admin = UserFactory.build(role=Role.ADMIN)
    check_access_change(as_actor(admin), other_admin, role=Role.CUSTOMER, is_active=False)
    check_access_change(as_actor(admin), UserFactory.build(is_active=False), role=None, is_active=True)


def test_support_cannot_reactivate_an_account():
    support = as_actor(UserFactory.build(role=Role.SUPPORT))
    with pytest.raises(NotAllowed) as raised:
        check_access_change(support, UserFactory.build(is_active=False), role=None, is_active=True)
    assert "reactivate" in raised.value.message


def test_support_may_deactivate_a_customer_and_restate_what_already_is():
    support = as_actor(UserFactory.build(role=Role.SUPPORT))
    customer = UserFactory.build()
    check_access_change(support, customer, role=None, is_active=False)
    check_access_change(support, customer, role=Role.CUSTOMER, is_active=True)


def test_support_cannot_change_roles():
    support = as_actor(UserFactory.build(role=Role.SUPPORT))
    with pytest.raises(NotAllowed) as raised:
        check_access_change(support, UserFactory.build(), role=Role.MERCHANT_STAFF, is_active=None)
    assert "roles" in raised.value.message


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPPORT, Role.MERCHANT_MANAGER, Role.MERCHANT_STAFF])
def test_support_may_only_deactivate_customers(role):
    support = as_actor(UserFactory.build(role=Role.SUPPORT))
    with pytest.raises(NotAllowed) as raised:
        check_access_change(support, UserFactory.build(role=role), role=None, is_active=False)
    assert "only deactivate customers" in raised.value.message


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.MERCHANT_MANAGER, Role.MERCHANT_STAFF])
def test_only_platform_staff_change_accounts_or_act_as_staff(role):
    actor = as_actor(UserFactory.build(role=role))
    with pytest.raises(NotAllowed) as change:
        check_access_change(actor, UserFactory.build(), role=None, is_active=False)
    assert "only platform staff" in change.value.message
    with pytest.raises(NotAllowed) as staff:
        require_staff(actor)
    assert "only platform staff" in staff.value.message


def test_the_operator_is_an_admin_that_is_nobody():
    assert OPERATOR.role is Role.ADMIN
    assert OPERATOR.user_id.int == 0
    require_staff(OPERATOR)
    require_staff(Actor(UserId(new_id()), Role.SUPPORT))


# --- refreshing a session ---------------------------------------------------------------------------------------------


async def test_a_refresh_token_is_refused_at_the_exact_instant_it_expires(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    world.clock.advance(days=30)
    with pytest.raises(AuthenticationFailed) as raised:
        await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    assert raised.value.message == "the refresh token is not valid"
    assert all(token.spent_at is None for token in world.database.refresh_tokens.values())


async def test_a_refresh_token_still_works_a_moment_before_it_expires(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    world.clock.current += timedelta(days=30) - TICK
    pair = await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    assert pair.refresh_token != tokens.refresh_token


async def test_a_deactivated_users_refresh_token_is_refused_and_the_session_revoked(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    world.database.users[user.id].is_active = False
    with pytest.raises(AuthenticationFailed) as raised:
        await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    assert raised.value.message == "the refresh token is not valid"
    [token] = world.database.refresh_tokens.values()
    assert token.revoked_at == world.clock.now()
    assert token.spent_at is None


async def test_a_deleted_users_refresh_token_is_refused_and_the_session_revoked(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    del world.database.users[user.id]
    with pytest.raises(AuthenticationFailed):
        await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    assert all(token.revoked_at is not None for token in world.database.refresh_tokens.values())


async def test_an_unknown_refresh_token_is_refused_and_changes_nothing(world):
    with pytest.raises(AuthenticationFailed):
        await world.refresh(RefreshSessionCommand(refresh_token="refresh-made-up"))
    assert world.database.commits == 0


async def test_reusing_a_refresh_token_is_counted_as_an_attack(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    with pytest.raises(AuthenticationFailed) as raised:
        await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    assert "already used" in raised.value.message
    assert world.metrics.failures == ["refresh_token_reuse"]


async def test_a_refresh_continues_the_session_with_the_accounts_current_role_and_version(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    first = world.tokens.issued[tokens.access_token]
    world.database.users[user.id].change_role(Role.SUPPORT, world.clock.now())
    world.clock.advance(minutes=5)
    pair = await world.refresh(RefreshSessionCommand(refresh_token=tokens.refresh_token))
    claims = world.tokens.issued[pair.access_token]
    assert claims.session_id == first.session_id
    assert (claims.role, claims.credentials_version) == (Role.SUPPORT, 2)
    assert claims.expires_at == world.clock.now() + timedelta(minutes=15)
    assert pair.expires_in == 15 * 60
    spent, fresh = sorted(world.database.refresh_tokens.values(), key=lambda token: token.created_at)
    assert spent.spent_at == world.clock.now()
    assert (fresh.family_id, fresh.expires_at) == (spent.family_id, world.clock.now() + timedelta(days=30))
    assert fresh.token_digest == world.digester.digest(pair.refresh_token)


# --- staff change accounts --------------------------------------------------------------------------------------------


def _change(world: IdentityWorld) -> ChangeUserAccess:
    return ChangeUserAccess(unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials)


async def test_deactivation_ends_only_that_accounts_sessions_and_evicts_its_credentials(world):
    admin = store(world, role=Role.ADMIN)
    user, other = store(world), store(world)
    await world.log_in(login(user.email.value))
    await world.log_in(login(other.email.value))
    assert user.id in world.cache.records
    world.clock.advance(seconds=1)
    changed = await _change(world)(ChangeUserAccessCommand(actor=as_actor(admin), user_id=user.id, is_active=False))
    assert changed.is_active is False
    revoked = {token.user_id: token.revoked_at for token in world.database.refresh_tokens.values()}
    assert revoked == {user.id: world.clock.now(), other.id: None}
    assert user.id not in world.cache.records
    assert other.id in world.cache.records


async def test_an_admin_changes_a_role_and_reactivates_an_account(world):
    admin = store(world, role=Role.ADMIN)
    user = store(world, is_active=False)
    await _change(world)(
        ChangeUserAccessCommand(actor=as_actor(admin), user_id=user.id, role=Role.SUPPORT, is_active=True)
    )
    stored = world.database.users[user.id]
    assert (stored.role, stored.is_active, stored.credentials_version) == (Role.SUPPORT, True, 3)


async def test_changing_an_unknown_account_is_not_found_and_a_customer_learns_nothing(world):
    admin = store(world, role=Role.ADMIN)
    with pytest.raises(NotFound):
        await _change(world)(ChangeUserAccessCommand(actor=as_actor(admin), user_id=UserId(new_id()), is_active=False))
    customer = store(world)
    with pytest.raises(NotAllowed):
        await _change(world)(ChangeUserAccessCommand(actor=as_actor(customer), user_id=UserId(new_id())))


async def test_a_user_page_is_clamped_to_between_1_and_100(world):
    admin = store(world, role=Role.ADMIN)
    for _ in range(101):
        store(world, role=Role.CUSTOMER)
    list_users = ListUsers(unit_of_work=world.unit_of_work)
    big, after = page_of(await list_users(ListUsersQuery(actor=as_actor(admin), user_filter=UserFilter(), limit=1000)))
    assert len(big) == 100
    assert after == big[-1].id
    small, _ = page_of(await list_users(ListUsersQuery(actor=as_actor(admin), user_filter=UserFilter(), limit=0)))
    assert len(small) == 1
    rest, end = page_of(
        await list_users(
            ListUsersQuery(actor=as_actor(admin), user_filter=UserFilter(role=Role.CUSTOMER), after=after, limit=100)
        )
    )
    assert (len(rest), end) == (1, None)


async def test_staff_read_the_outbox_by_normalised_recipient_a_clamped_page_at_a_time(world):
    admin = store(world, role=Role.ADMIN)
    async with world.unit_of_work() as uow:
        for n in range(102):
            await uow.outbox.notify(Notification(recipient="ana@example.com", kind="welcome", payload={"n": str(n)}))
        await uow.outbox.notify(Notification(recipient="eva@example.com", kind="welcome"))
        await uow.commit()
    outbox = ListOutbox(unit_of_work=world.unit_of_work)
    page, after = page_of(
        await outbox(ListOutboxQuery(actor=as_actor(admin), recipient="  ANA@Example.com ", limit=500))
    )
    assert len(page) == 100
    assert {message.recipient for message in page} == {"ana@example.com"}
    assert after == page[-1].id
    one, _ = page_of(await outbox(ListOutboxQuery(actor=as_actor(admin), limit=-3)))
    assert [message.recipient for message in one] == ["eva@example.com"]
    with pytest.raises(NotAllowed):
        await outbox(ListOutboxQuery(actor=as_actor(store(world))))


# --- profiles ---------------------------------------------------------------------------------------------------------


def _update(world: IdentityWorld) -> UpdateMyProfile:
    return UpdateMyProfile(unit_of_work=world.unit_of_work, clock=world.clock, credentials=world.credentials)


async def test_one_reads_ones_own_profile_while_the_account_exists(world):
    user = store(world)
    assert (await GetMyProfile(credentials=world.credentials)(as_actor(user))).user_id == user.id
    with pytest.raises(NotFound):
        await GetMyProfile(credentials=world.credentials)(Actor(UserId(new_id()), Role.CUSTOMER))
    with pytest.raises(NotFound):
        await _update(world)(UpdateMyProfileCommand(actor=Actor(UserId(new_id()), Role.CUSTOMER), first_name="Eva"))


async def test_a_profile_update_normalises_and_stores_the_new_details(world):
    user = store(world)
    world.clock.advance(seconds=5)
    updated = await _update(world)(
        UpdateMyProfileCommand(actor=as_actor(user), first_name="  Eva  María ", phone="310 555 0101")
    )
    stored = world.database.users[user.id]
    assert (stored.first_name, stored.last_name, stored.phone.value) == ("Eva María", user.last_name, "+573105550101")
    assert stored.updated_at == world.clock.now()
    assert updated == stored


async def test_a_new_phone_evicts_the_cached_login_under_both_numbers(world):
    user = store(world)
    await world.log_in(login(user.phone.value))
    assert user.phone.value in world.cache.logins
    await _update(world)(UpdateMyProfileCommand(actor=as_actor(user), phone="310 555 0101"))
    assert user.phone.value not in world.cache.logins
    assert user.id not in world.cache.records
    with pytest.raises(AuthenticationFailed):
        await world.log_in(login(user.phone.value))
    assert (await world.log_in(login("3105550101"))).user.user_id == user.id


async def test_a_phone_taken_by_another_account_is_a_conflict_and_changes_nothing(world):
    user, other = store(world), store(world)
    with pytest.raises(Conflict) as raised:
        await _update(world)(UpdateMyProfileCommand(actor=as_actor(user), first_name="Eva", phone=other.phone.value))
    assert raised.value.field == "phone"
    assert world.database.users[user.id].first_name == user.first_name


@pytest.mark.parametrize("field", ["first_name", "last_name"])
async def test_a_bad_name_names_its_field_and_changes_nothing(world, field):
    user = store(world)
    with pytest.raises(InvalidValue) as raised:
        await _update(world)(UpdateMyProfileCommand(actor=as_actor(user), **{field: "  "}))
    assert (raised.value.field, raised.value.rule) == (field, "name_length")
    assert world.database.commits == 0


# --- activation codes and signup --------------------------------------------------------------------------------------


def _resend(world: IdentityWorld) -> RequestActivationCode:
    return world.request_code


async def test_a_new_code_goes_only_to_an_inactive_account_and_replaces_the_old_one(world):
    inactive = store(world, is_active=False)
    active = store(world)
    for email in (f"  {inactive.email.value.upper()} ", active.email.value, "nobody@example.com", "not an email"):
        await _resend(world)(RequestActivationCodeCommand(email=email))
    [message] = world.database.outbox
    assert message.recipient == inactive.email.value
    assert message.payload["code"] == world.secrets.codes[-1]
    assert world.database.codes[inactive.id].code_digest == world.digester.digest(
        f"activation:{inactive.id}:{world.secrets.codes[-1]}"
    )
    assert active.id not in world.database.codes


async def test_operators_create_active_admins_without_a_code(world):
    create_admin = SignUp(
        unit_of_work=world.unit_of_work,
        clock=world.clock,
        ids=world.ids,
        hasher=world.hasher,
        policy=world.policy,
        activation_codes=None,
        role=Role.ADMIN,
        is_active=True,
    )
    admin = await create_admin.register(
        SignUpCommand(
            email="boss@example.com",
            phone="3001112233",
            national_id="55555555",
            first_name=" Root ",
            last_name="Admin",
            password=PASSWORD,
        )
    )
    stored = world.database.users[admin.id]
    assert (stored.role, stored.is_active, stored.first_name) == (Role.ADMIN, True, "Root")
    assert world.database.outbox == []
    assert world.database.codes == {}


async def test_a_signup_password_may_not_resemble_the_persons_name(world):
    with pytest.raises(InvalidValue) as raised:
        await world.sign_up(
            SignUpCommand(
                email="zoe@example.com",
                phone="3001112233",
                national_id="55555555",
                first_name="Zoe",
                last_name="Montenegro",
                password="Montenegro1",
            )
        )
    assert raised.value.rule == "password_too_similar"
    assert world.database.users == {}


async def test_a_new_password_may_not_resemble_the_persons_name_and_a_gone_account_cannot_change_it(world):
    user = store(world, last_name="Montenegro")
    with pytest.raises(InvalidValue) as raised:
        await world.change_password(
            ChangePasswordCommand(actor=as_actor(user), current_password=PASSWORD, new_password="Montenegro1")
        )
    assert (raised.value.field, raised.value.rule) == ("password", "password_too_similar")
    with pytest.raises(InvalidValue) as wrong:
        await world.change_password(
            ChangePasswordCommand(actor=as_actor(user), current_password="nope-nope-nope", new_password="x")
        )
    assert wrong.value.rule == "wrong_password"
    with pytest.raises(NotFound):
        await world.change_password(
            ChangePasswordCommand(
                actor=Actor(UserId(new_id()), Role.CUSTOMER), current_password=PASSWORD, new_password="x"
            )
        )


async def test_a_password_change_stores_the_new_hash_and_revokes_every_refresh_token(world):
    user = store(world)
    await world.log_in(login(user.email.value))
    world.clock.advance(seconds=3)
    await world.change_password(
        ChangePasswordCommand(actor=as_actor(user), current_password=PASSWORD, new_password="new-violet-harbour-99")
    )
    stored = world.database.users[user.id]
    assert stored.password_hash == "hashed:new-violet-harbour-99"
    assert stored.updated_at == world.clock.now()
    assert [token.revoked_at for token in world.database.refresh_tokens.values()] == [world.clock.now()]
    assert user.id not in world.cache.records


# --- logging in and token checks --------------------------------------------------------------------------------------


async def test_failures_count_per_account_whatever_spelling_of_the_username(world):
    user = store(world, phone=UserFactory.build().phone)
    for username in (user.email.value, user.phone.value, user.email.value.upper()):
        with pytest.raises(AuthenticationFailed):
            await world.log_in(login(username, password="wrong-password-1"))
    assert world.throttle.failures == {f"account:{user.id}": 3}


async def test_unknown_usernames_are_counted_under_their_normalised_spelling(world):
    for username in ("Nobody@Example.com", "nobody@example.com", " 300 000 0000 ", "not a username "):
        with pytest.raises(AuthenticationFailed):
            await world.log_in(login(username))
    assert world.throttle.failures == {
        "login:nobody@example.com": 2,
        "login:+573000000000": 1,
        "login:not a username": 1,
    }
    assert world.hasher.dummy_verifications == 4


async def test_a_successful_login_clears_its_pair_and_throttling_is_counted(world):
    user = store(world)
    with pytest.raises(AuthenticationFailed):
        await world.log_in(login(user.email.value, password="wrong-password-1"))
    await world.log_in(login(user.email.value))
    assert world.throttle.pairs == {}  # the pair starts over; the account's count stays (ADR 0014)
    assert world.throttle.failures == {f"account:{user.id}": 1}
    world.throttle.failures[f"account:{user.id}"] = 100
    with pytest.raises(TooManyAttempts) as raised:
        await world.log_in(login(user.email.value))
    assert raised.value.retry_after_seconds == 3600
    assert world.metrics.failures == ["wrong_password", "throttled"]
    assert world.hasher.verifications == 2


async def test_an_inactive_login_is_counted_and_opens_no_session(world):
    user = store(world, is_active=False)
    with pytest.raises(NotAllowed):
        await world.log_in(login(user.email.value))
    assert world.metrics.failures == ["inactive"]
    assert world.database.refresh_tokens == {}


async def test_a_login_opens_a_session_for_the_accounts_current_credentials(world):
    user = store(world, role=Role.SUPPORT, credentials_version=4)
    result = await world.log_in(login(user.email.value))
    claims = world.tokens.issued[result.tokens.access_token]
    assert (claims.user_id, claims.role, claims.credentials_version) == (user.id, Role.SUPPORT, 4)
    [token] = world.database.refresh_tokens.values()
    assert token.family_id == claims.session_id
    assert token.token_digest == world.digester.digest(result.tokens.refresh_token)
    assert (result.user.user_id, result.tokens.expires_in) == (user.id, 900)


async def test_a_token_is_refused_once_the_account_is_deactivated_or_its_version_moved(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    authenticated = await world.authenticate(tokens.access_token)
    assert authenticated.actor == Actor(user.id, Role.CUSTOMER)
    world.cache.available = False
    world.database.users[user.id].credentials_version += 1
    with pytest.raises(CredentialsChanged) as moved:  # an AuthenticationFailed that says why: log in again
        await world.authenticate(tokens.access_token)
    assert moved.value.code == "credentials_changed"
    assert "log in again" in moved.value.message
    world.database.users[user.id].credentials_version -= 1
    world.database.users[user.id].is_active = False
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(tokens.access_token)
    del world.database.users[user.id]
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(tokens.access_token)


async def test_a_logged_out_token_is_refused_by_the_denylist_and_by_the_database(world):
    user = store(world)
    tokens = (await world.log_in(login(user.email.value))).tokens
    claims = (await world.authenticate(tokens.access_token)).claims
    await world.log_out(claims)
    assert claims.token_id in world.denylist.denied
    assert world.database.revoked_access_tokens == {claims.token_id, f"session:{claims.session_id}"}
    with pytest.raises(AuthenticationFailed) as raised:
        await world.authenticate(tokens.access_token)
    assert raised.value.message == "the access token was revoked"
    world.denylist.denied.clear()
    world.denylist.available = False
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(tokens.access_token)
