"""One page of orders, newest first; shared by the three order listings."""

from __future__ import annotations

from application.pagination import Page, PageRequest
from application.ports.ordering import OrderingUnitOfWork, OrderScope
from domain.ordering.orders import Order, OrderId


async def order_page(uow: OrderingUnitOfWork, scope: OrderScope, request: PageRequest[OrderId]) -> Page[Order, OrderId]:
    rows = await uow.orders.list(scope, after=request.after, limit=request.size + 1)
    return request.page(rows, lambda order: order.id)
