"""The built-in fake card gateway: deterministic by token, idempotent by key, its book in PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.postgres.errors import connection_failures
from adapters.postgres.ordering.tables import FakeGatewayOperationRow
from application.ports.ordering import ChargeOutcome, ChargeResult, PaymentGateway
from domain.money import Money

APPROVE = "tok_visa_ok"
DECLINE = "tok_declined"
TIME_OUT = "tok_timeout"
FAIL = "tok_error"


class FakePaymentGateway(PaymentGateway):
    """Behaves like a processor that keeps its own book, on its own connection (not our transaction).

    - ``tok_visa_ok`` approves; ``tok_declined`` (or any unknown token) declines;
    - ``tok_timeout`` *makes the charge* but answers too late: the caller sees a timeout;
    - ``tok_error`` fails before charging anything.
    A key seen before gets the first answer back (a late charge is then reported approved) and
    nothing new is recorded, which is how a real processor's idempotency keys behave.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        # Every operation is one statement: in autocommit it is its own durable transaction, with no
        # BEGIN or COMMIT round trip (synchronous_commit still applies).
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    async def charge(self, *, idempotency_key: UUID, amount: Money, token: str) -> ChargeResult:
        if token == FAIL:
            return ChargeResult(ChargeOutcome.FAILED, reason="the processor is unavailable")
        declined = token not in {APPROVE, TIME_OUT}
        outcome = ChargeOutcome.DECLINED if declined else ChargeOutcome.APPROVED
        with connection_failures():
            async with self._engine.connect() as connection:
                inserted, row = await _book_charge(
                    connection, idempotency_key, amount=amount, outcome=outcome, token=token
                )
        if inserted and token == TIME_OUT:
            return ChargeResult(ChargeOutcome.TIMED_OUT)
        if row is None or row.outcome == ChargeOutcome.DECLINED.value:  # None: the key booked a refund
            reason = "insufficient funds" if token == DECLINE else "unknown card token"
            return ChargeResult(ChargeOutcome.DECLINED, reason=reason)
        return ChargeResult(ChargeOutcome.APPROVED, reference=row.reference)

    async def refund(self, *, idempotency_key: UUID, charge_reference: str, amount: Money) -> ChargeResult:
        with connection_failures():
            async with self._engine.connect() as connection:
                await _book(
                    connection,
                    idempotency_key,
                    "refund",
                    amount=amount,
                    outcome=ChargeOutcome.APPROVED,
                    reference=f"re_{idempotency_key.hex[:24]}",
                    charge_reference=charge_reference,
                )
        return ChargeResult(ChargeOutcome.APPROVED, reference=f"re_{idempotency_key.hex[:24]}")

    async def look_up(self, *, idempotency_key: UUID) -> ChargeResult | None:
        with connection_failures():
            async with self._engine.connect() as connection:
                row = await _charge_of(connection, idempotency_key)
        if row is None:
            return None
        if row.outcome == ChargeOutcome.DECLINED.value:
            return ChargeResult(ChargeOutcome.DECLINED, reason="declined")
        return ChargeResult(ChargeOutcome.APPROVED, reference=row.reference)

    async def approved_charges(self) -> int:
        """How many charges the processor has made (for tests and operators)."""
        async with self._engine.connect() as connection:
            count = await connection.scalar(
                select(func.count()).where(
                    FakeGatewayOperationRow.kind == "charge",
                    FakeGatewayOperationRow.outcome == ChargeOutcome.APPROVED.value,
                )
            )
        return int(count or 0)


async def _book(
    connection: AsyncConnection,
    idempotency_key: UUID,
    kind: str,
    *,
    amount: Money,
    outcome: ChargeOutcome,
    reference: str,
    token: str | None = None,
    charge_reference: str | None = None,
) -> UUID | None:
    """Write an operation in the processor's book once per key; the key if this call wrote it."""
    inserted: UUID | None = await connection.scalar(
        insert(FakeGatewayOperationRow)
        .values(
            idempotency_key=idempotency_key,
            kind=kind,
            token=token,
            amount_minor=amount.amount_minor,
            currency=amount.currency.code,
            outcome=outcome.value,
            reference=reference,
            charge_reference=charge_reference,
            created_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing(index_elements=[FakeGatewayOperationRow.idempotency_key])
        .returning(FakeGatewayOperationRow.idempotency_key)
    )
    return inserted


# Built once (a statement built per call cost more of the worker's CPU than running it): book the
# charge unless the key has an operation already, and say what was booked.
_BOOKED = (
    insert(FakeGatewayOperationRow)
    .values(
        idempotency_key=bindparam("idempotency_key"),
        kind="charge",
        token=bindparam("token"),
        amount_minor=bindparam("amount_minor"),
        currency=bindparam("currency"),
        outcome=bindparam("outcome"),
        reference=bindparam("reference"),
        charge_reference=None,
        created_at=bindparam("created_at"),
    )
    .on_conflict_do_nothing(index_elements=[FakeGatewayOperationRow.idempotency_key])
    .returning(FakeGatewayOperationRow.outcome, FakeGatewayOperationRow.reference)
    .cte("booked")
)
_BOOK_CHARGE = select(_BOOKED.c.outcome, _BOOKED.c.reference)


async def _book_charge(
    connection: AsyncConnection, idempotency_key: UUID, *, amount: Money, outcome: ChargeOutcome, token: str
) -> tuple[bool, Row[str, str] | None]:
    """Book a charge once per key, in one statement: (whether this call booked it, the charge under the key).

    The statement's own snapshot cannot see a row that a concurrent call with the same key committed
    while this one waited on it, so that rare case reads the book again.
    """
    parameters = {
        "idempotency_key": idempotency_key,
        "token": token,
        "amount_minor": amount.amount_minor,
        "currency": amount.currency.code,
        "outcome": outcome.value,
        "reference": f"ch_{idempotency_key.hex[:24]}",
        "created_at": datetime.now(UTC),
    }
    row = (await connection.execute(_BOOK_CHARGE, parameters)).one_or_none()
    if row is not None:
        return True, row
    return False, await _charge_of(connection, idempotency_key)


async def _charge_of(connection: AsyncConnection, idempotency_key: UUID) -> Row[str, str] | None:
    """The charge booked under this key, if any."""
    return (
        await connection.execute(
            select(FakeGatewayOperationRow.outcome, FakeGatewayOperationRow.reference).where(
                FakeGatewayOperationRow.idempotency_key == idempotency_key,
                FakeGatewayOperationRow.kind == "charge",
            )
        )
    ).one_or_none()
