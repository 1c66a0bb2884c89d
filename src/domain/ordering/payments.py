"""Payment attempts: our record of each charge we ask the gateway for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from domain.errors import Conflict, DomainError
from domain.money import Money
from domain.ordering.orders import CheckoutId

PaymentAttemptId = NewType("PaymentAttemptId", UUID)


class PaymentStatus(StrEnum):
    PENDING = "pending"  # sent (or about to be sent) to the gateway; no answer yet
    UNKNOWN = "unknown"  # the gateway did not answer in time: it may or may not have charged
    APPROVED = "approved"
    DECLINED = "declined"
    FAILED = "failed"  # the gateway answered with an error: nothing was charged
    VOIDED = "voided"  # approved too late (the checkout had expired): the charge was refunded


OPEN = frozenset({PaymentStatus.PENDING, PaymentStatus.UNKNOWN})


@dataclass(slots=True)
class PaymentAttempt:
    """Its id is the idempotency key sent to the gateway.

    While an attempt is open (pending or unknown) every retry re-sends the same
    key, so the gateway answers with the charge it already made, if any, and
    never makes a second one.
    """

    id: PaymentAttemptId
    checkout_id: CheckoutId
    amount: Money
    status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    charge_reference: str | None = None
    failure_reason: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def approve(self, charge_reference: str, now: datetime) -> None:
        self._close(PaymentStatus.APPROVED, now)
        self.charge_reference = charge_reference

    def decline(self, reason: str, now: datetime) -> None:
        self._close(PaymentStatus.DECLINED, now)
        self.failure_reason = reason

    def fail(self, reason: str, now: datetime) -> None:
        self._close(PaymentStatus.FAILED, now)
        self.failure_reason = reason

    def outcome_unknown(self, now: datetime) -> None:
        if not self.is_open:
            raise Conflict(f"a {self.status} payment is settled", field="payment")
        self.status = PaymentStatus.UNKNOWN
        self.updated_at = now

    def void(self, charge_reference: str, now: datetime) -> None:
        self._close(PaymentStatus.VOIDED, now)
        self.charge_reference = charge_reference

    def _close(self, status: PaymentStatus, now: datetime) -> None:
        if not self.is_open:
            raise Conflict(f"a {self.status} payment is settled", field="payment")
        self.status = status
        self.updated_at = now


class PaymentDeclined(DomainError):
    """The card was declined; the checkout stays payable until it expires."""

    code = "payment_declined"


class PaymentFailed(DomainError):
    """The gateway failed; nothing was charged and the checkout stays payable."""

    code = "payment_failed"


class PaymentOutcomeUnknown(DomainError):
    """The gateway did not answer in time. Retrying is safe: it can never charge twice."""

    code = "payment_unknown"

    def __init__(self, message: str, *, payment_id: UUID) -> None:
        super().__init__(message, field="payment")
        self.payment_id = payment_id

    def extensions(self) -> dict[str, object]:
        return {"payment_id": str(self.payment_id), "payment_status": PaymentStatus.UNKNOWN.value}
