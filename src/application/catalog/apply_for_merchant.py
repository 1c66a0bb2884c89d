"""Use case: a customer applies to become a merchant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.ports import Clock, IdGenerator, UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import Merchant, MerchantId
from domain.errors import Conflict, NotAllowed
from domain.identity.roles import Actor, Role


@dataclass(frozen=True, slots=True)
class ApplyForMerchantCommand:
    actor: Actor
    name: str
    legal_id: str
    description: str
    contact_email: str


@use_case
class ApplyForMerchant:
    """An active customer applies to become a merchant; it starts ``pending``.

    Rules: customers only; one application per person, and nobody who
    already works for a merchant (409); a legal id is registered once (409).
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, command: ApplyForMerchantCommand) -> Merchant:
        if command.actor.role is not Role.CUSTOMER:
            raise NotAllowed("only customers apply for a store")
        merchant = Merchant.apply_for(
            id=MerchantId(self.ids.new_id()),
            name=command.name,
            legal_id=command.legal_id,
            description=command.description,
            contact_email=command.contact_email,
            applicant_id=command.actor.user_id,
            now=self.clock.now(),
        )
        async with self.unit_of_work() as uow:
            if await uow.merchants.of_applicant(command.actor.user_id) is not None:
                raise Conflict("you have already applied for a store", field="applicant")
            if await uow.memberships.of_user(command.actor.user_id) is not None:
                raise Conflict("you already work for a store", field="applicant")
            await uow.merchants.add(merchant)
            await uow.commit()
        return merchant
