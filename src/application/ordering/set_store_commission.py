"""Use case: an admin agrees a commission rate with one store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports import Clock
from application.ports.ordering import OrderingUnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import MerchantId
from domain.errors import InvalidValue, NotAllowed, NotFound
from domain.identity.roles import Actor, Role
from domain.ordering.pricing import Rate


@dataclass(frozen=True, slots=True)
class SetStoreCommissionCommand:
    actor: Actor
    merchant_id: MerchantId
    basis_points: int


@use_case
class SetStoreCommission:
    """Admins only (support may not change money terms). 0 to 10000 basis points (0-100 %).

    Applies to checkouts placed from now on: every order keeps the rate it was placed with.
    """

    unit_of_work: Callable[[], OrderingUnitOfWork]
    clock: Clock

    async def __call__(self, command: SetStoreCommissionCommand) -> Rate:
        if command.actor.role is not Role.ADMIN:
            raise NotAllowed("only admins set commission rates")
        try:
            rate = Rate(command.basis_points)
        except InvalidValue as error:
            raise InvalidValue(error.message, field="basis_points", rule="rate_range") from None
        async with self.unit_of_work() as uow:
            if await uow.merchants.get(command.merchant_id) is None:
                raise NotFound("no such store")
            await uow.store_terms.set_commission_rate(command.merchant_id, rate, self.clock.now())
            await uow.commit()
        return rate
