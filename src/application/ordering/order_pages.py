"""One page of orders, newest first; shared by the three order listings."""

from __future__ import annotations

from application.pagination import Page, keyset_page, page_size
from application.ports.ordering import OrderingUnitOfWork, OrderScope
from domain.ordering.orders import Order, OrderId


async def order_page(
    uow: OrderingUnitOfWork, scope: OrderScope, after: OrderId | None, limit: int
) -> Page[Order, OrderId]:
    size = page_size(limit)
    rows = await uow.orders.list(scope, after=after, limit=size + 1)
    return keyset_page(rows, size, lambda order: order.id)
