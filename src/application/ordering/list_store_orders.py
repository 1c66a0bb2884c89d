"""Use case: a store's people list the store's orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.ordering.order_pages import order_page
from application.pagination import Page, PageRequest
from application.ports.ordering import OrderingUnitOfWork, OrderScope
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderId, OrderStatus


@dataclass(frozen=True, slots=True)
class ListStoreOrdersQuery(PageRequest[OrderId]):
    actor: Actor
    merchant_id: MerchantId
    status: OrderStatus | None = None


@use_case
class ListStoreOrders:
    """The store's members (and platform staff) read its orders; anyone else gets the store's 404."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, query: ListStoreOrdersQuery) -> Page[Order, OrderId]:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, query.actor, query.merchant_id, write=False)
            scope = OrderScope(merchant_id=query.merchant_id, status=query.status)
            return await order_page(uow, scope, query)
