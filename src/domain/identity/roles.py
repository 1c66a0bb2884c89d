"""Roles and the acting user."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NewType
from uuid import UUID

UserId = NewType("UserId", UUID)


class Role(StrEnum):
    ADMIN = "admin"
    SUPPORT = "support"
    MERCHANT_MANAGER = "merchant_manager"
    MERCHANT_STAFF = "merchant_staff"
    CUSTOMER = "customer"

    @property
    def is_staff(self) -> bool:
        """Platform staff: the people who run the service and help both sides."""
        return self in (Role.ADMIN, Role.SUPPORT)

    @property
    def works_for_a_store(self) -> bool:
        """A store's people: only these roles give a store membership any power."""
        return self in (Role.MERCHANT_MANAGER, Role.MERCHANT_STAFF)


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user on whose behalf a use case runs."""

    user_id: UserId
    role: Role
