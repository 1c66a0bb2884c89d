"""Use case: a store's sales per day, for the ``commerce reports sales`` command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.identity.policies import require_staff
from application.ports.jobs import SalesDay, SalesReader
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue
from domain.identity.roles import Actor

MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class SalesReportQuery:
    actor: Actor
    merchant_id: MerchantId
    first: date
    last: date


@use_case
class SalesReport:
    """One row per day (UTC) from ``first`` to ``last``, both included, days without sales as zeros.

    Rules: a sale is an issued invoice (an order paid), counted on the day it
    was issued: ``orders`` invoices, ``units`` their order lines' quantities,
    ``gross`` their totals (tax included), ``tax`` their tax. ``refunds`` is
    the total of the credit notes issued that day (cancelled or refunded
    paid orders), whatever day the sale was. Money is in minor units of the
    order's currency; a day with sales in two currencies has a row for each.
    Computed by the database in one query. At most a year per report.
    Platform staff (or the operator) only.
    """

    reader: SalesReader

    async def __call__(self, query: SalesReportQuery) -> list[SalesDay]:
        require_staff(query.actor)
        if query.last < query.first:
            raise InvalidValue("the last day is before the first", field="to")
        if (query.last - query.first).days + 1 > MAX_DAYS:
            raise InvalidValue(f"a report covers at most {MAX_DAYS} days", field="to")
        return await self.reader.sales_by_day(query.merchant_id, first=query.first, last=query.last)
