"""Use case: a customer reads one of their checkouts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ordering.access import buyers_checkout
from application.ordering.place_checkout import PlacedCheckout
from application.ports.ordering import OrderingUnitOfWork
from application.use_case import use_case
from domain.identity.roles import Actor
from domain.ordering.orders import CheckoutId


@dataclass(frozen=True, slots=True)
class GetCheckoutQuery:
    actor: Actor
    checkout_id: CheckoutId


@use_case
class GetCheckout:
    """Only the buyer sees a checkout; anyone else gets the 404 of a checkout that does not exist."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, query: GetCheckoutQuery) -> PlacedCheckout:
        async with self.unit_of_work() as uow:
            checkout = await buyers_checkout(uow, query.actor, query.checkout_id)
            return PlacedCheckout(checkout=checkout, orders=await uow.orders.of_checkout(checkout.id))
