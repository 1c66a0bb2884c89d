"""Buying's prepared statements go straight to asyncpg: what SQLAlchemy's execution did still holds.

They run in the unit of work's transaction, their types are processed both ways, a broken constraint
still reaches the error funnel by name, a dropped connection is reported as unavailable and replaced,
and the engine's statement event still sees each of them.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest
from sqlalchemy import bindparam, event, select, text, update
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import make_url

from adapters.postgres import create_database_engine, create_session_factory
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import CheckoutRow
from adapters.postgres.ordering.unit_of_work import SqlaOrderingUnitOfWork
from application.ports import StorageUnavailable
from domain.errors import Conflict
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.checkouts import Checkout, CheckoutStatus, ShippingAddress
from domain.ordering.orders import CheckoutId
from domain.ordering.payments import PaymentAttempt, PaymentAttemptId, PaymentStatus

COP = Currency("COP")
NOW = datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=UTC)
_BACKEND = Prepared(text("SELECT pg_backend_pid()"))


def uow_factory(engine):
    sessions = create_session_factory(engine)
    return lambda: SqlaOrderingUnitOfWork(sessions, lambda: datetime.now(UTC), COP)


@pytest.fixture
async def buyer(engine) -> UserId:
    user_id = uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO users (id, email, phone, national_id, first_name, last_name, password_hash, role,"
                " is_active, credentials_version, created_at, updated_at) VALUES (:id, 'b@example.com',"
                " '+573001112299', 'CC9', 'Bea', 'Gil', 'x', 'customer', true, 1, now(), now())"
            ),
            {"id": user_id},
        )
    return UserId(user_id)


def a_checkout(buyer: UserId) -> Checkout:
    return Checkout(
        id=CheckoutId(uuid4()),
        buyer_id=buyer,
        status=CheckoutStatus.PENDING_PAYMENT,
        total=Money(125_000, COP),
        shipping_address=ShippingAddress(
            recipient="Bea Gil",
            line1="Calle 10 # 5-20",
            line2=None,
            city="Bogotá",
            region="Cundinamarca",
            postal_code="110111",
            country="CO",
            phone="3001234567",
        ),
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=30),
    )


def an_attempt(checkout: Checkout) -> PaymentAttempt:
    return PaymentAttempt(
        id=PaymentAttemptId(uuid4()),
        checkout_id=checkout.id,
        amount=checkout.total,
        status=PaymentStatus.PENDING,
        created_at=NOW,
        updated_at=NOW,
    )


async def test_a_checkout_comes_back_as_it_was_written_json_and_instants_included(engine, buyer):
    checkout = a_checkout(buyer)
    async with uow_factory(engine)() as uow:
        await uow.checkouts.add(checkout)
        await uow.commit()
    async with uow_factory(engine)() as uow:
        again = await uow.checkouts.get(checkout.id, buyer_id=buyer, for_update=True)
        not_theirs = await uow.checkouts.get(checkout.id, buyer_id=UserId(uuid4()))
    assert again == checkout
    assert again.created_at.tzinfo is not None
    assert not_theirs is None


async def test_prepared_statements_are_undone_with_the_unit_of_work_that_ran_them(engine, buyer):
    checkout = a_checkout(buyer)
    async with uow_factory(engine)() as uow:
        await uow.checkouts.add(checkout)
        assert await uow.idempotency_keys.claim(buyer, "k-1", "fp", now=NOW, keep_until=NOW) is None
        # no commit
    async with engine.connect() as connection:
        left = (
            await connection.execute(
                text("SELECT (SELECT count(*) FROM checkouts) + (SELECT count(*) FROM idempotency_keys)")
            )
        ).scalar_one()
    assert left == 0


async def test_a_constraint_a_prepared_statement_breaks_reaches_the_error_funnel_by_name(engine, buyer):
    checkout = a_checkout(buyer)
    async with uow_factory(engine)() as uow:
        await uow.checkouts.add(checkout)
        await uow.payments.add(an_attempt(checkout))
        await uow.commit()
    with pytest.raises(Conflict, match="already in progress") as raised:
        async with uow_factory(engine)() as uow:
            await uow.payments.add(an_attempt(checkout))
    assert raised.value.field == "checkout"


async def test_the_engines_statement_event_sees_every_prepared_statement(engine, buyer):
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        async with uow_factory(engine)() as uow:
            await uow.checkouts.get(CheckoutId(uuid4()))
            await uow.idempotency_keys.claim(buyer, "k-2", "fp", now=NOW, keep_until=NOW)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert [statement.split()[0] for statement in seen] == ["SELECT", "INSERT"]


async def _terminate(database_url: str, backend: int) -> None:
    admin = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(False))
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", backend)
    finally:
        await admin.close()


async def test_a_connection_the_server_dropped_fails_one_unit_of_work_as_unavailable_and_is_replaced(
    database_url, buyer
):
    # A pool of one: without the invalidation, the dead connection would be handed out again.
    small = create_database_engine(database_url, pool_size=1)
    try:

        async def read_after_the_server_drops_the_connection() -> None:
            async with uow_factory(small)() as uow:
                assert await uow.checkouts.get(CheckoutId(uuid4())) is None
                backend = (await uow.session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
                await _terminate(database_url, backend)
                await uow.checkouts.get(CheckoutId(uuid4()))

        with pytest.raises(StorageUnavailable):
            await read_after_the_server_drops_the_connection()
        async with uow_factory(small)() as uow:
            assert await uow.checkouts.get(CheckoutId(uuid4())) is None
            assert await uow.idempotency_keys.claim(buyer, "k-3", "fp", now=NOW, keep_until=NOW) is None
    finally:
        await small.dispose()


async def test_a_statement_cancelled_mid_round_trip_costs_its_connection_not_later_commits(database_url, buyer):
    """A BEGIN cut short by a cancellation must not leave later units of work committing into nothing."""
    small = create_database_engine(database_url, pool_size=1)
    try:
        async with uow_factory(small)() as uow:
            connection = await connection_of(uow.session)
            reading = asyncio.create_task(connection.execute(_BACKEND, {}))
            await asyncio.sleep(0)  # the BEGIN is on its way
            reading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await reading
        async with uow_factory(small)() as uow:
            assert await uow.idempotency_keys.claim(buyer, "k-4", "fp", now=NOW, keep_until=NOW) is None
            await uow.commit()
        admin = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(False))
        try:
            seen = await admin.fetchval("SELECT count(*) FROM idempotency_keys WHERE key = 'k-4'")
        finally:
            await admin.close()
        assert seen == 1
    finally:
        await small.dispose()


def test_a_prepared_statement_wants_every_value_the_caller_owes_and_keeps_its_own_literals() -> None:
    dialect = asyncpg_dialect()
    by_id = Prepared(select(CheckoutRow.id).where(CheckoutRow.id == bindparam("checkout_id")))
    with pytest.raises(KeyError, match="checkout_id"):
        by_id.compiled(dialect, {}).values({})
    unpaid = Prepared(update(CheckoutRow).where(CheckoutRow.id == bindparam("checkout_id")).values(paid_at=None))
    checkout_id = uuid4()
    # The literal NULL is kept; the id goes through its column type's bind processing, as SQLAlchemy sends it.
    assert unpaid.compiled(dialect, {"checkout_id": checkout_id}).values({"checkout_id": checkout_id}) == [
        None,
        str(checkout_id),
    ]
