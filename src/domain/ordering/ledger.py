"""The merchants' ledger: append-only entries; a store's balance is the sum of its entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.catalog.merchants import MerchantId
from domain.money import Currency
from domain.ordering.orders import Order, OrderId


class EntryKind(StrEnum):
    SALE = "sale"  # credit: the order total
    COMMISSION = "commission"  # debit: the platform's commission
    SALE_REVERSAL = "sale_reversal"
    COMMISSION_REVERSAL = "commission_reversal"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """``amount_minor`` is signed: credits are positive, debits negative."""

    id: UUID
    merchant_id: MerchantId
    order_id: OrderId
    kind: EntryKind
    amount_minor: int
    currency: Currency
    created_at: datetime


def sale_entries(order: Order, new_id: Callable[[], UUID], now: datetime) -> list[LedgerEntry]:
    """What a paid order is worth to its store: its total, less the commission snapshotted at checkout."""
    currency = order.total.currency
    return [
        LedgerEntry(new_id(), order.merchant_id, order.id, EntryKind.SALE, order.total.amount_minor, currency, now),
        LedgerEntry(
            new_id(), order.merchant_id, order.id, EntryKind.COMMISSION, -order.commission.amount_minor, currency, now
        ),
    ]


def reversal_entries(order: Order, new_id: Callable[[], UUID], now: datetime) -> list[LedgerEntry]:
    """A refund reverses both: the store gives the sale back and the platform its commission."""
    currency = order.total.currency
    return [
        LedgerEntry(
            new_id(), order.merchant_id, order.id, EntryKind.SALE_REVERSAL, -order.total.amount_minor, currency, now
        ),
        LedgerEntry(
            new_id(),
            order.merchant_id,
            order.id,
            EntryKind.COMMISSION_REVERSAL,
            order.commission.amount_minor,
            currency,
            now,
        ),
    ]
