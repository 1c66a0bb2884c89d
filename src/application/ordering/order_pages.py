"""One page of orders, newest first; shared by the three order listings."""

from __future__ import annotations

from dataclasses import dataclass

from application.pagination import keyset_page
from application.ports.ordering import OrderingUnitOfWork, OrderScope
from domain.ordering.orders import Order, OrderId

MAX_PAGE = 100


@dataclass(frozen=True, slots=True)
class OrderPage:
    items: list[Order]
    last_id: OrderId | None  # where the next page starts; None on the last page


async def order_page(uow: OrderingUnitOfWork, scope: OrderScope, after: OrderId | None, limit: int) -> OrderPage:
    size = max(1, min(limit, MAX_PAGE))
    rows = await uow.orders.list(scope, after=after, limit=size + 1)
    items, last = keyset_page(rows, size, lambda order: order.id)
    return OrderPage(items=items, last_id=last)
