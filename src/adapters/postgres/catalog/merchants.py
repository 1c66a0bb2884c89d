"""Stores and the people who work for them."""

from __future__ import annotations

from sqlalchemy import delete

from adapters.postgres.repository import SqlaRepository
from adapters.postgres.tables import MembershipRow, MerchantRow
from application.ports import MembershipRepository, MerchantRepository
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus, StoreRole
from domain.identity.roles import UserId


def _merchant(row: MerchantRow) -> Merchant:
    return Merchant(
        id=MerchantId(row.id),
        name=row.name,
        legal_id=row.legal_id,
        description=row.description,
        contact_email=row.contact_email,
        applicant_id=UserId(row.applicant_id),
        status=MerchantStatus(row.status),
        suspension_reason=row.suspension_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _copy_merchant(merchant: Merchant, row: MerchantRow) -> None:
    row.name = merchant.name
    row.legal_id = merchant.legal_id
    row.description = merchant.description
    row.contact_email = merchant.contact_email
    row.applicant_id = merchant.applicant_id
    row.status = merchant.status.value
    row.suspension_reason = merchant.suspension_reason
    row.created_at = merchant.created_at
    row.updated_at = merchant.updated_at


class SqlaMerchantRepository(SqlaRepository[MerchantRow], MerchantRepository):
    row_type = MerchantRow

    async def add(self, merchant: Merchant) -> None:
        row = MerchantRow(id=merchant.id)
        _copy_merchant(merchant, row)
        await self._add(row)

    async def save(self, merchant: Merchant) -> None:
        _copy_merchant(merchant, await self._loaded(merchant.id))
        await self._flush()

    async def get(self, merchant_id: MerchantId, *, for_update: bool = False) -> Merchant | None:
        row = await self._one(id=merchant_id, for_update=for_update)
        return _merchant(row) if row is not None else None

    async def of_applicant(self, user_id: UserId) -> Merchant | None:
        row = await self._one(applicant_id=user_id)
        return _merchant(row) if row is not None else None

    async def list(self, *, status: MerchantStatus | None, after: MerchantId | None, limit: int) -> list[Merchant]:
        conditions = [MerchantRow.status == status.value] if status is not None else []
        rows = await self._newest_first(MerchantRow.id, *conditions, after=after, limit=limit)
        return [_merchant(row) for row in rows]


def _membership(row: MembershipRow) -> Membership:
    return Membership(
        merchant_id=MerchantId(row.merchant_id),
        user_id=UserId(row.user_id),
        role=StoreRole(row.role),
        created_at=row.created_at,
    )


class SqlaMembershipRepository(SqlaRepository[MembershipRow], MembershipRepository):
    row_type = MembershipRow

    async def of_user(self, user_id: UserId) -> Membership | None:
        row = await self._session.get(MembershipRow, user_id)
        return _membership(row) if row is not None else None

    async def of_store(self, merchant_id: MerchantId) -> list[Membership]:
        rows = await self._rows.get_many(
            MembershipRow.merchant_id == merchant_id, order_by=MembershipRow.created_at.asc()
        )
        return [_membership(row) for row in rows]

    async def add(self, membership: Membership) -> None:
        await self._add(
            MembershipRow(
                user_id=membership.user_id,
                merchant_id=membership.merchant_id,
                role=membership.role.value,
                created_at=membership.created_at,
            )
        )

    async def remove(self, merchant_id: MerchantId, user_id: UserId) -> None:
        await self._session.execute(
            delete(MembershipRow).where(MembershipRow.merchant_id == merchant_id, MembershipRow.user_id == user_id)
        )
