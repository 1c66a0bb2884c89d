"""PostgreSQL checkouts and the idempotency keys that guard their creation."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import (
    CheckoutRow,
    IdempotencyKeyRow,
    PaymentAttemptRow,
)
from application.ports.ordering import (
    CheckoutRepository,
    IdempotencyKeys,
    StoredResponse,
)
from domain.identity.roles import UserId
from domain.money import Currency, Money
from domain.ordering.checkouts import Checkout, CheckoutStatus, ShippingAddress
from domain.ordering.orders import CheckoutId
from domain.ordering.payments import PaymentStatus


def _address(raw: dict[str, Any]) -> ShippingAddress:
    return ShippingAddress(
        recipient=raw["recipient"],
        line1=raw["line1"],
        line2=raw.get("line2"),
        city=raw["city"],
        region=raw["region"],
        postal_code=raw.get("postal_code"),
        country=raw["country"],
        phone=raw["phone"],
    )


_CHECKOUT_COLUMNS = (
    CheckoutRow.id,
    CheckoutRow.buyer_id,
    CheckoutRow.status,
    CheckoutRow.total_minor,
    CheckoutRow.currency,
    CheckoutRow.shipping_address,
    CheckoutRow.created_at,
    CheckoutRow.expires_at,
    CheckoutRow.paid_at,
)


def _checkout(row: Any) -> Checkout:
    return Checkout(
        id=CheckoutId(row.id),
        buyer_id=UserId(row.buyer_id),
        status=CheckoutStatus(row.status),
        total=Money(row.total_minor, Currency(row.currency)),
        shipping_address=_address(row.shipping_address),
        created_at=row.created_at,
        expires_at=row.expires_at,
        paid_at=row.paid_at,
    )


def _get(*, of_buyer: bool, for_update: bool) -> Select[Any]:
    statement = select(*_CHECKOUT_COLUMNS).where(CheckoutRow.id == bindparam("checkout_id"))
    if of_buyer:
        statement = statement.where(CheckoutRow.buyer_id == bindparam("buyer_id"))
    return statement.with_for_update() if for_update else statement


_ADD = Prepared(insert(CheckoutRow))
_SAVE = Prepared(
    update(CheckoutRow)
    .where(CheckoutRow.id == bindparam("checkout_id"))
    .values(status=bindparam("status"), paid_at=bindparam("paid_at"))
)
_GET = {
    (of_buyer, lock): Prepared(_get(of_buyer=of_buyer, for_update=lock))
    for of_buyer in (False, True)
    for lock in (False, True)
}


class SqlaCheckoutRepository(CheckoutRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, checkout: Checkout) -> None:
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(
                _ADD,
                {
                    "id": checkout.id,
                    "buyer_id": checkout.buyer_id,
                    "status": checkout.status.value,
                    "total_minor": checkout.total.amount_minor,
                    "currency": checkout.total.currency.code,
                    "shipping_address": asdict(checkout.shipping_address),  # the same keys _address reads
                    "created_at": checkout.created_at,
                    "expires_at": checkout.expires_at,
                    "paid_at": checkout.paid_at,
                },
            )

    async def save(self, checkout: Checkout) -> None:
        connection = await connection_of(self._session)
        await connection.execute(
            _SAVE, {"checkout_id": checkout.id, "status": checkout.status.value, "paid_at": checkout.paid_at}
        )

    async def get(
        self, checkout_id: CheckoutId, *, buyer_id: UserId | None = None, for_update: bool = False
    ) -> Checkout | None:
        statement = _GET[buyer_id is not None, for_update]
        connection = await connection_of(self._session)
        row = (await connection.execute(statement, {"checkout_id": checkout_id, "buyer_id": buyer_id})).one_or_none()
        return _checkout(row) if row is not None else None

    async def due_for_expiry(self, now: datetime, *, in_flight_since: datetime, limit: int) -> list[Checkout]:
        in_flight = (
            select(PaymentAttemptRow.id)
            .where(
                PaymentAttemptRow.checkout_id == CheckoutRow.id,
                PaymentAttemptRow.status == PaymentStatus.PENDING.value,
                PaymentAttemptRow.updated_at > in_flight_since,
            )
            .exists()
        )
        rows = await self._session.scalars(
            select(CheckoutRow)
            .where(
                CheckoutRow.status == CheckoutStatus.PENDING_PAYMENT.value,
                CheckoutRow.expires_at <= now,
                ~in_flight,
            )
            .order_by(CheckoutRow.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_checkout(row) for row in rows.all()]


# Built once (their cache keys are computed once): the hot path of every checkout.
_CLAIM = Prepared(
    insert(IdempotencyKeyRow)
    .on_conflict_do_nothing(index_elements=[IdempotencyKeyRow.owner_id, IdempotencyKeyRow.key])
    .returning(IdempotencyKeyRow.key)
)
_THIS_KEY = (IdempotencyKeyRow.owner_id == bindparam("owner"), IdempotencyKeyRow.key == bindparam("key_"))
_STORED = Prepared(
    select(IdempotencyKeyRow.fingerprint, IdempotencyKeyRow.status_code, IdempotencyKeyRow.response_body).where(
        *_THIS_KEY
    )
)
_COMPLETE = Prepared(
    update(IdempotencyKeyRow).where(*_THIS_KEY).values(status_code=bindparam("code"), response_body=bindparam("body"))
)


class SqlaIdempotencyKeys(IdempotencyKeys):
    """``INSERT .. ON CONFLICT DO NOTHING``: a duplicate blocks on the first one's uncommitted row.

    Under READ COMMITTED the waiting insert resumes when the first transaction
    ends: after a commit it does nothing and the following SELECT sees the
    stored response; after a rollback it inserts, and this request owns the key.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self, owner: UserId, key: str, fingerprint: str, *, now: datetime, keep_until: datetime
    ) -> StoredResponse | None:
        connection = await connection_of(self._session)
        claimed = await connection.scalar(
            _CLAIM,
            {"owner_id": owner, "key": key, "fingerprint": fingerprint, "created_at": now, "keep_until": keep_until},
        )
        if claimed is not None:
            return None
        row = (await connection.execute(_STORED, {"owner": owner, "key_": key})).one()
        return StoredResponse(
            fingerprint=row.fingerprint, status_code=row.status_code or 0, body=row.response_body or b""
        )

    async def complete(self, owner: UserId, key: str, *, status_code: int, body: bytes) -> None:
        connection = await connection_of(self._session)
        await connection.execute(_COMPLETE, {"owner": owner, "key_": key, "code": status_code, "body": body})

    async def forget_before(self, moment: datetime) -> int:
        result = await self._session.execute(delete(IdempotencyKeyRow).where(IdempotencyKeyRow.keep_until < moment))
        return int(getattr(result, "rowcount", 0) or 0)
