"""PostgreSQL payment attempts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_errors
from adapters.postgres.ordering.core import Prepared, connection_of
from adapters.postgres.ordering.tables import (
    CheckoutRow,
    PaymentAttemptRow,
)
from application.ports.ordering import PaymentAttemptRepository
from domain.money import Currency, Money
from domain.ordering.checkouts import CheckoutStatus
from domain.ordering.orders import CheckoutId
from domain.ordering.payments import PaymentAttempt, PaymentAttemptId, PaymentStatus

_OPEN = (PaymentStatus.PENDING.value, PaymentStatus.UNKNOWN.value)
"""An attempt still waiting for, or unsure of, the gateway's answer."""


_ATTEMPT_COLUMNS = (
    PaymentAttemptRow.id,
    PaymentAttemptRow.checkout_id,
    PaymentAttemptRow.amount_minor,
    PaymentAttemptRow.currency,
    PaymentAttemptRow.status,
    PaymentAttemptRow.created_at,
    PaymentAttemptRow.updated_at,
    PaymentAttemptRow.charge_reference,
    PaymentAttemptRow.failure_reason,
)


def _attempt(row: Any) -> PaymentAttempt:
    return PaymentAttempt(
        id=PaymentAttemptId(row.id),
        checkout_id=CheckoutId(row.checkout_id),
        amount=Money(row.amount_minor, Currency(row.currency)),
        status=PaymentStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        charge_reference=row.charge_reference,
        failure_reason=row.failure_reason,
    )


# Built once: paying runs each of them once or twice.
_ADD = Prepared(insert(PaymentAttemptRow))
_SAVE = Prepared(
    update(PaymentAttemptRow)
    .where(PaymentAttemptRow.id == bindparam("attempt_id"))
    .values(
        status=bindparam("status"),
        charge_reference=bindparam("charge_reference"),
        failure_reason=bindparam("failure_reason"),
        updated_at=bindparam("updated_at"),
    )
)
_GET = Prepared(select(*_ATTEMPT_COLUMNS).where(PaymentAttemptRow.id == bindparam("attempt_id")))
_OPEN_FOR = Prepared(
    select(*_ATTEMPT_COLUMNS).where(
        PaymentAttemptRow.checkout_id == bindparam("checkout_id"),
        or_(*(PaymentAttemptRow.status == status for status in _OPEN)),
    )
)


class SqlaPaymentAttemptRepository(PaymentAttemptRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, attempt: PaymentAttempt) -> None:
        connection = await connection_of(self._session)
        with constraint_errors():
            await connection.execute(
                _ADD,
                {
                    "id": attempt.id,
                    "checkout_id": attempt.checkout_id,
                    "status": attempt.status.value,
                    "amount_minor": attempt.amount.amount_minor,
                    "currency": attempt.amount.currency.code,
                    "charge_reference": attempt.charge_reference,
                    "failure_reason": attempt.failure_reason,
                    "created_at": attempt.created_at,
                    "updated_at": attempt.updated_at,
                },
            )

    async def save(self, attempt: PaymentAttempt) -> None:
        connection = await connection_of(self._session)
        await connection.execute(
            _SAVE,
            {
                "attempt_id": attempt.id,
                "status": attempt.status.value,
                "charge_reference": attempt.charge_reference,
                "failure_reason": attempt.failure_reason,
                "updated_at": attempt.updated_at,
            },
        )

    async def get(self, attempt_id: UUID) -> PaymentAttempt | None:
        return await self._read(_GET, attempt_id=attempt_id)

    async def open_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        return await self._read(_OPEN_FOR, checkout_id=checkout_id)

    async def _read(self, statement: Prepared, **parameters: Any) -> PaymentAttempt | None:
        connection = await connection_of(self._session)
        row = (await connection.execute(statement, parameters)).one_or_none()
        return _attempt(row) if row is not None else None

    async def approved_for(self, checkout_id: CheckoutId) -> PaymentAttempt | None:
        return await self._one(
            PaymentAttemptRow.checkout_id == checkout_id, PaymentAttemptRow.status == PaymentStatus.APPROVED.value
        )

    async def _one(self, *conditions: ColumnElement[bool]) -> PaymentAttempt | None:
        connection = await connection_of(self._session)
        row = (await connection.execute(select(*_ATTEMPT_COLUMNS).where(*conditions))).one_or_none()
        return _attempt(row) if row is not None else None

    async def unsettled_of_expired_checkouts(self, *, limit: int) -> list[PaymentAttempt]:
        rows = await self._session.scalars(
            select(PaymentAttemptRow)
            .join(CheckoutRow, CheckoutRow.id == PaymentAttemptRow.checkout_id)
            .where(
                CheckoutRow.status == CheckoutStatus.EXPIRED.value,
                PaymentAttemptRow.status.in_(_OPEN),
            )
            .order_by(PaymentAttemptRow.id)
            .limit(limit)
        )
        return [_attempt(row) for row in rows.all()]
