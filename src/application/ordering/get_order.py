"""Use case: read one order (its buyer, its store's people, platform staff)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ordering.access import readable_order
from application.ports.ordering import OrderingUnitOfWork
from application.use_case import use_case
from domain.identity.roles import Actor
from domain.ordering.orders import Order, OrderId


@dataclass(frozen=True, slots=True)
class GetOrderQuery:
    actor: Actor
    order_id: OrderId


@use_case
class GetOrder:
    """Anyone else gets the 404 of an order that does not exist."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, query: GetOrderQuery) -> Order:
        async with self.unit_of_work() as uow:
            return await readable_order(uow, query.actor, query.order_id)
