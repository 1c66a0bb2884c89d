"""Use case: a store reads its balance and its latest ledger entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from application.catalog.access import merchant_access
from application.ordering.terms import CommerceTerms
from application.pagination import Page, PageRequest
from application.ports import Clock
from application.ports.ordering import Balance, OrderingUnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor
from domain.ordering.ledger import LedgerEntry


@dataclass(frozen=True, slots=True)
class MerchantBalanceQuery(PageRequest[UUID]):
    actor: Actor
    merchant_id: MerchantId


@dataclass(frozen=True, slots=True)
class MerchantBalance:
    balance: Balance
    entries: Page[LedgerEntry, UUID]


@use_case
class GetMerchantBalance:
    """Pending and available totals, and the entries newest first.

    Money of an order becomes available a set number of days (a setting,
    default 7) after its delivery; everything else is pending. The two totals
    always add up to the sum of the store's entries.
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock
    terms: CommerceTerms

    async def __call__(self, query: MerchantBalanceQuery) -> MerchantBalance:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, query.actor, query.merchant_id, write=False)
            balance = await uow.merchant_ledger.balance(
                query.merchant_id, available_before=self.clock.now() - self.terms.funds_available_after
            )
            rows = await uow.merchant_ledger.entries(query.merchant_id, after=query.after, limit=query.size + 1)
        return MerchantBalance(balance=balance, entries=query.page(rows, lambda entry: entry.id))
