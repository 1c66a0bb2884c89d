"""Stores and the people who work for them."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import delete

from adapters.postgres.repository import Converters, SqlaEntityRepository, SqlaRepository, column_values, entity_from
from adapters.postgres.tables import MembershipRow, MerchantRow
from application.ports import MembershipRepository, MerchantRepository
from domain.catalog.merchants import Membership, Merchant, MerchantId, MerchantStatus, StoreRole
from domain.identity.roles import UserId


class SqlaMerchantRepository(SqlaEntityRepository[MerchantRow, Merchant], MerchantRepository):
    row_type = MerchantRow
    entity_type = Merchant
    converters: ClassVar[Converters] = {"status": MerchantStatus}

    async def get(self, merchant_id: MerchantId, *, for_update: bool = False) -> Merchant | None:
        return await self._find(id=merchant_id, for_update=for_update)

    async def of_applicant(self, user_id: UserId) -> Merchant | None:
        return await self._find(applicant_id=user_id)

    async def list(self, *, status: MerchantStatus | None, after: MerchantId | None, limit: int) -> list[Merchant]:
        conditions = [MerchantRow.status == status.value] if status is not None else []
        rows = await self._newest_first(MerchantRow.id, *conditions, after=after, limit=limit)
        return [self._entity(row) for row in rows]


def _membership(row: MembershipRow) -> Membership:
    return entity_from(Membership, row, role=StoreRole(row.role))


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
        await self._add(MembershipRow(**column_values(membership)))

    async def remove(self, merchant_id: MerchantId, user_id: UserId) -> None:
        await self._session.execute(
            delete(MembershipRow).where(MembershipRow.merchant_id == merchant_id, MembershipRow.user_id == user_id)
        )
