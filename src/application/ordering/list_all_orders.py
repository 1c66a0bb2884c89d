"""Use case: platform staff list every order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.policies import require_staff
from application.ordering.order_pages import order_page
from application.pagination import Page, PageRequest
from application.ports.ordering import OrderingUnitOfWork, OrderScope
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.identity.roles import Actor, UserId
from domain.ordering.orders import Order, OrderId, OrderStatus


@dataclass(frozen=True, slots=True)
class ListAllOrdersQuery(PageRequest[OrderId]):
    actor: Actor
    status: OrderStatus | None = None
    buyer_id: UserId | None = None
    merchant_id: MerchantId | None = None


@use_case
class ListAllOrders:
    """Support and admins, across buyers and stores."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, query: ListAllOrdersQuery) -> Page[Order, OrderId]:
        require_staff(query.actor)
        async with self.unit_of_work() as uow:
            scope = OrderScope(buyer_id=query.buyer_id, merchant_id=query.merchant_id, status=query.status)
            return await order_page(uow, scope, query)
