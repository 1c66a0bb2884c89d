"""Use case: a customer lists their own orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ordering.order_pages import order_page
from application.pagination import Page, PageRequest
from application.ports.ordering import OrderingUnitOfWork, OrderScope
from application.use_case import use_case
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderId, OrderStatus


@dataclass(frozen=True, slots=True)
class ListMyOrdersQuery(PageRequest[OrderId]):
    actor: Actor
    status: OrderStatus | None = None


@use_case
class ListMyOrders:
    """Only the actor's own orders, newest first."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, query: ListMyOrdersQuery) -> Page[Order, OrderId]:
        async with self.unit_of_work() as uow:
            scope = OrderScope(buyer_id=query.actor.user_id, status=query.status)
            return await order_page(uow, scope, query)
