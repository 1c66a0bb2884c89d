"""Stores (merchants) and the people who work for them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType
from uuid import UUID

from domain.errors import Conflict, InvalidValue
from domain.identity.contact import Email
from domain.identity.roles import UserId
from domain.text import bounded, moderation_reason, one_line

MerchantId = NewType("MerchantId", UUID)

_LEGAL_ID = re.compile(r"^[A-Z0-9\-]{5,20}$")


class MerchantStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"


class StoreRole(StrEnum):
    MANAGER = "manager"
    STAFF = "staff"


def store_name(raw: str) -> str:
    return bounded(one_line(raw), 2, 120, "a store name has 2 to 120 characters", field="name", rule="name_length")


def legal_id(raw: str) -> str:
    value = re.sub(r"[\s.]", "", raw).upper()
    if not _LEGAL_ID.match(value):
        raise InvalidValue(
            "a legal id (NIT) has 5 to 20 letters, digits or dashes", field="legal_id", rule="legal_id_format"
        )
    return value


_normalised_legal_id = legal_id  # ``Merchant.apply_for`` has a ``legal_id`` argument of its own


def store_description(raw: str) -> str:
    message = "a store description has at most 2000 characters"
    return bounded(raw.strip(), 0, 2_000, message, field="description", rule="too_long")


@dataclass(slots=True)
class Merchant:
    """A store on the marketplace: applied for by a customer, approved (or not) by staff."""

    id: MerchantId
    name: str
    legal_id: str
    description: str
    contact_email: str
    applicant_id: UserId
    status: MerchantStatus
    suspension_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def apply_for(
        cls,
        *,
        id: MerchantId,
        name: str,
        legal_id: str,
        description: str,
        contact_email: str,
        applicant_id: UserId,
        now: datetime,
    ) -> Merchant:
        """A new application, every field validated, ``pending`` until staff decide."""
        return cls(
            id=id,
            name=store_name(name),
            legal_id=_normalised_legal_id(legal_id),
            description=store_description(description),
            contact_email=Email.parse(contact_email).value,
            applicant_id=applicant_id,
            status=MerchantStatus.PENDING,
            suspension_reason=None,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_open(self) -> bool:
        """Its products may be shown to customers."""
        return self.status is MerchantStatus.APPROVED

    def approve(self, now: datetime) -> None:
        if self.status is not MerchantStatus.PENDING:
            raise Conflict(f"only a pending store can be approved; this one is {self.status}", field="status")
        self.status = MerchantStatus.APPROVED
        self.updated_at = now

    def suspend(self, reason: str, now: datetime) -> None:
        reason = moderation_reason(reason)
        if self.status is not MerchantStatus.APPROVED:
            raise Conflict(f"only an approved store can be suspended; this one is {self.status}", field="status")
        self.status = MerchantStatus.SUSPENDED
        self.suspension_reason = reason
        self.updated_at = now

    def reinstate(self, now: datetime) -> None:
        if self.status is not MerchantStatus.SUSPENDED:
            raise Conflict(f"only a suspended store can be reinstated; this one is {self.status}", field="status")
        self.status = MerchantStatus.APPROVED
        self.suspension_reason = None
        self.updated_at = now


@dataclass(frozen=True, slots=True)
class Membership:
    """A user working for a store. A user works for at most one store."""

    merchant_id: MerchantId
    user_id: UserId
    role: StoreRole
    created_at: datetime
