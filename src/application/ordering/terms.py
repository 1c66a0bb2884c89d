"""The commercial terms the buying use cases apply (from settings; defaults are the platform's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.money import Currency
from domain.ordering.pricing import Rate

DEFAULT_TAX_RATE = Rate(1900)
DEFAULT_COMMISSION_RATE = Rate(1000)


@dataclass(frozen=True, slots=True)
class CommerceTerms:
    currency: Currency
    tax_rate: Rate = DEFAULT_TAX_RATE
    default_commission_rate: Rate = DEFAULT_COMMISSION_RATE
    checkout_ttl: timedelta = timedelta(minutes=30)
    cart_quantity_cap: int = 99
    funds_available_after: timedelta = timedelta(days=7)
    idempotency_ttl: timedelta = timedelta(hours=24)
