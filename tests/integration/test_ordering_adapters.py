"""Buying adapters on real PostgreSQL: idempotency keys wait for each other, numbers have no gaps,
issued documents are immutable, the fake gateway never charges a key twice."""

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.postgres import create_session_factory
from adapters.postgres.ordering.fake_gateway import FakePaymentGateway
from adapters.postgres.ordering.unit_of_work import SqlaOrderingUnitOfWork
from application.ports import Notification
from application.ports.ordering import ChargeOutcome
from domain.catalog.merchants import MerchantId
from domain.errors import Conflict
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.invoices import InvoiceKind
from domain.ordering.ledger import EntryKind, LedgerEntry
from domain.ordering.orders import OrderId

COP = Currency("COP")
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def uow_factory(engine):
    sessions = create_session_factory(engine)
    return lambda: SqlaOrderingUnitOfWork(sessions, lambda: datetime.now(UTC), COP)


@pytest.fixture
async def people(engine):
    """A user and the store they applied for, written directly."""
    user_id, merchant_id = uuid4(), uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO users (id, email, phone, national_id, first_name, last_name, password_hash, role,"
                " is_active, credentials_version, created_at, updated_at) VALUES (:id, 'a@example.com',"
                " '+573001112233', 'CC1', 'Ana', 'Rojas', 'x', 'customer', true, 1, now(), now())"
            ),
            {"id": user_id},
        )
        await connection.execute(
            text(
                "INSERT INTO merchants (id, name, legal_id, description, contact_email, applicant_id, status,"
                " created_at, updated_at) VALUES (:id, 'Tienda', '900123456-1', '', 's@example.com', :user,"
                " 'approved', now(), now())"
            ),
            {"id": merchant_id, "user": user_id},
        )
    return UserId(user_id), MerchantId(merchant_id)


async def test_a_duplicate_key_waits_for_the_first_request_and_gets_its_response(engine, people):
    user_id, _ = people
    unit_of_work = uow_factory(engine)
    async with unit_of_work() as first:
        assert await first.idempotency_keys.claim(user_id, "k", "fp", now=NOW, keep_until=NOW) is None

        async def duplicate():
            async with unit_of_work() as second:
                return await second.idempotency_keys.claim(user_id, "k", "fp", now=NOW, keep_until=NOW)

        waiting = asyncio.create_task(duplicate())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # blocked on the first one's uncommitted row
        await first.idempotency_keys.complete(user_id, "k", status_code=201, body=b'{"id": 1}')
        await first.commit()
    stored = await asyncio.wait_for(waiting, 5)
    assert (stored.fingerprint, stored.status_code, stored.body) == ("fp", 201, b'{"id": 1}')


async def test_when_the_first_request_rolls_back_the_waiting_one_owns_the_key(engine, people):
    user_id, _ = people
    unit_of_work = uow_factory(engine)
    async with unit_of_work() as first:
        await first.idempotency_keys.claim(user_id, "k", "fp", now=NOW, keep_until=NOW)

        async def duplicate():
            async with unit_of_work() as second:
                return await second.idempotency_keys.claim(user_id, "k", "fp", now=NOW, keep_until=NOW)

        waiting = asyncio.create_task(duplicate())
        await asyncio.sleep(0.3)
    # leaving without commit rolls the first one back
    assert await asyncio.wait_for(waiting, 5) is None


async def test_a_rolled_back_payment_gives_its_invoice_number_back(engine, people):
    _, merchant_id = people
    unit_of_work = uow_factory(engine)
    async with unit_of_work() as uow:
        assert await uow.invoices.next_number(merchant_id, InvoiceKind.INVOICE) == 1
        await uow.commit()
    async with unit_of_work() as uow:
        assert await uow.invoices.next_number(merchant_id, InvoiceKind.INVOICE) == 2
        # not committed
    async with unit_of_work() as uow:
        assert await uow.invoices.next_number(merchant_id, InvoiceKind.INVOICE) == 2
        assert await uow.invoices.next_number(merchant_id, InvoiceKind.CREDIT_NOTE) == 1


async def test_ledger_entries_are_append_only(engine, people):
    _, merchant_id = people
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO checkouts (id, buyer_id, status, total_minor, currency, shipping_address, created_at,"
                " expires_at) SELECT :c, applicant_id, 'paid', 119, 'COP', '{}', now(), now() FROM merchants"
            ),
            {"c": (checkout := uuid4())},
        )
        await connection.execute(
            text(
                "INSERT INTO orders (id, checkout_id, buyer_id, merchant_id, status, currency, subtotal_minor,"
                " tax_minor, total_minor, commission_minor, tax_rate_bp, commission_rate_bp, created_at, updated_at)"
                " SELECT :o, :c, applicant_id, id, 'paid', 'COP', 100, 19, 119, 10, 1900, 1000, now(), now()"
                " FROM merchants"
            ),
            {"o": (order := uuid4()), "c": checkout},
        )
        await connection.execute(
            text(
                "INSERT INTO merchant_ledger_entries (id, merchant_id, order_id, kind, amount_minor, currency,"
                " created_at) VALUES (:id, :m, :o, 'sale', 119, 'COP', now())"
            ),
            {"id": uuid4(), "m": merchant_id, "o": order},
        )
    for statement in ("UPDATE merchant_ledger_entries SET amount_minor = 1", "DELETE FROM merchant_ledger_entries"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text(statement))

    # Booking the same sale twice is a conflict (409), not a second credit.
    unit_of_work = uow_factory(engine)
    async with unit_of_work() as uow:
        with pytest.raises(Conflict, match="already booked"):
            await uow.merchant_ledger.record(
                [LedgerEntry(uuid4(), merchant_id, OrderId(order), EntryKind.SALE, 119, COP, NOW)]
            )


async def test_the_fake_gateway_never_charges_one_key_twice(engine):
    gateway = FakePaymentGateway(engine)
    key = uuid4()
    results = await asyncio.gather(
        *(gateway.charge(idempotency_key=key, amount=Money(5_000, COP), token="tok_timeout") for _ in range(5))
    )
    outcomes = sorted(result.outcome for result in results)
    assert outcomes.count(ChargeOutcome.TIMED_OUT) == 1  # the one that made it answered late
    assert outcomes.count(ChargeOutcome.APPROVED) == 4
    assert len({result.reference for result in results if result.reference}) == 1
    assert await gateway.approved_charges() == 1
    found = await gateway.look_up(idempotency_key=key)
    assert found is not None
    assert found.outcome is ChargeOutcome.APPROVED
    assert await gateway.look_up(idempotency_key=uuid4()) is None
    declined = await gateway.charge(idempotency_key=uuid4(), amount=Money(5_000, COP), token="tok_declined")
    assert declined.outcome is ChargeOutcome.DECLINED
    failed = await gateway.charge(idempotency_key=uuid4(), amount=Money(5_000, COP), token="tok_error")
    assert failed.outcome is ChargeOutcome.FAILED
    assert await gateway.approved_charges() == 1


async def test_buying_queues_notices_in_one_write_as_the_shared_outbox_would_store_them(engine):
    """Buying's outbox writes the rows of several notices at once; the shared outbox reads them back whole."""
    new = uow_factory(engine)
    notices = [
        Notification(recipient="a@example.com", kind="order_placed", payload={"checkout_id": "c1", "note": "ñandú"}),
        Notification(recipient="s@example.com", kind="order_placed", payload={"order_id": "o1"}),
    ]
    async with new() as uow:
        await uow.outbox.notify(*notices)
        await uow.outbox.notify()  # nothing to queue: no statement
        await uow.commit()
    async with new() as uow:
        messages = await uow.outbox.list(recipient=None, kind="order_placed", after=None, limit=10)
    assert [(m.recipient, m.kind, m.payload, m.sent_at) for m in reversed(messages)] == [
        (n.recipient, n.kind, n.payload, None) for n in notices
    ]
    assert messages[0].id > messages[1].id  # time-ordered ids, in the order given
    assert all(m.created_at.tzinfo is not None for m in messages)
    async with engine.connect() as connection:
        attempts = (await connection.execute(text("SELECT array_agg(attempts) FROM notifications_outbox"))).scalar()
    assert attempts == [0, 0]


async def test_buying_reads_the_buyer_and_the_store_as_the_shared_repositories_map_them(engine, people):
    user_id, merchant_id = people
    async with uow_factory(engine)() as uow:
        buyer = await uow.users.get(user_id)
        store = await uow.merchants.get(merchant_id, for_update=True)
        nobody = await uow.users.get(UserId(uuid4()))
    assert buyer is not None
    assert (buyer.email.value, buyer.first_name, buyer.role.value) == ("a@example.com", "Ana", "customer")
    assert store is not None
    assert (store.contact_email, store.status.value) == ("s@example.com", "approved")
    assert nobody is None
