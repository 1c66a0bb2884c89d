"""Who may see and act on which order. Decided here so HTTP, the CLI and the jobs share the rule.

Anyone who may not see an order gets the same 404 as for one that does not
exist: a customer learns nothing about another's orders, a store nothing
about another store's.
"""

from __future__ import annotations

from application.catalog.access import merchant_access, store_membership
from application.ports.ordering import OrderingUnitOfWork
from domain.catalog.merchants import MerchantId
from domain.errors import NotFound
from domain.identity.roles import Actor
from domain.ordering.checkouts import Checkout
from domain.ordering.orders import CheckoutId, Order, OrderId


def no_such_order() -> NotFound:
    return NotFound("no such order")


async def buyers_order(uow: OrderingUnitOfWork, actor: Actor, order_id: OrderId, *, for_update: bool = False) -> Order:
    order = await uow.orders.get(order_id, for_update=for_update)
    if order is None or order.buyer_id != actor.user_id:
        raise no_such_order()
    return order


async def buyers_checkout(
    uow: OrderingUnitOfWork, actor: Actor, checkout_id: CheckoutId, *, for_update: bool = False
) -> Checkout:
    checkout = await uow.checkouts.get(checkout_id, buyer_id=actor.user_id, for_update=for_update)
    if checkout is None:
        raise NotFound("no such checkout")
    return checkout


async def stores_order(
    uow: OrderingUnitOfWork,
    actor: Actor,
    merchant_id: MerchantId,
    order_id: OrderId,
    *,
    write: bool,
    for_update: bool = False,
) -> Order:
    """An order of ``merchant_id``, for its members (and platform staff, reading)."""
    await merchant_access(uow, actor, merchant_id, write=write)
    order = await uow.orders.get(order_id, for_update=for_update)
    if order is None or order.merchant_id != merchant_id:
        raise no_such_order()
    return order


async def readable_order(uow: OrderingUnitOfWork, actor: Actor, order_id: OrderId) -> Order:
    """The buyer, the selling store's people and platform staff may read an order (and its invoices)."""
    order = await uow.orders.get(order_id)
    if order is None:
        raise no_such_order()
    if order.buyer_id == actor.user_id or actor.role.is_staff:
        return order
    membership = await store_membership(uow, actor)
    if membership is None or membership.merchant_id != order.merchant_id:
        raise no_such_order()
    return order
