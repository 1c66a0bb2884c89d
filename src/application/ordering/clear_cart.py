"""Use case: a customer empties their cart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports.ordering import OrderingUnitOfWork
from application.use_case import use_case
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class ClearCartCommand:
    actor: Actor


@use_case
class ClearCart:
    """Remove every line of the actor's own cart (nobody can touch another's)."""

    unit_of_work: Callable[[], OrderingUnitOfWork]

    async def __call__(self, command: ClearCartCommand) -> None:
        async with self.unit_of_work() as uow:
            cart = await uow.carts.of_buyer(command.actor.user_id)
            cart.clear()
            await uow.carts.save(cart)
            await uow.commit()
