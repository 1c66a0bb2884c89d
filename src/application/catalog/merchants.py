"""Use cases: apply for a store; staff approve, suspend and reinstate stores; public store profiles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.credentials import CredentialLookup
from application.identity.policies import require_staff
from application.pagination import Page, keyset_page, page_size
from application.ports import CatalogCacheInvalidation, Clock, IdGenerator, Notification, UnitOfWork
from domain.catalog.merchants import (
    Membership,
    Merchant,
    MerchantId,
    MerchantStatus,
    StoreRole,
    legal_id,
    store_description,
    store_name,
)
from domain.errors import Conflict, NotAllowed, NotFound
from domain.identity.contact import Email
from domain.identity.roles import Actor, Role
from domain.identity.users import User


@dataclass(frozen=True, slots=True)
class ApplyForMerchantCommand:
    actor: Actor
    name: str
    legal_id: str
    description: str
    contact_email: str


class ApplyForMerchant:
    """An active customer applies to open a store; it starts ``pending``.

    One application per person, and nobody who already works for a store.
    """

    def __init__(self, *, unit_of_work: Callable[[], UnitOfWork], clock: Clock, ids: IdGenerator) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._ids = ids

    async def __call__(self, command: ApplyForMerchantCommand) -> Merchant:
        if command.actor.role is not Role.CUSTOMER:
            raise NotAllowed("only customers apply for a store")
        name = store_name(command.name)
        registration = legal_id(command.legal_id)
        description = store_description(command.description)
        contact = Email.parse(command.contact_email)
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            if await uow.merchants.of_applicant(command.actor.user_id) is not None:
                raise Conflict("you have already applied for a store", field="applicant")
            if await uow.memberships.of_user(command.actor.user_id) is not None:
                raise Conflict("you already work for a store", field="applicant")
            merchant = Merchant(
                id=MerchantId(self._ids.new_id()),
                name=name,
                legal_id=registration,
                description=description,
                contact_email=contact.value,
                applicant_id=command.actor.user_id,
                status=MerchantStatus.PENDING,
                suspension_reason=None,
                created_at=now,
                updated_at=now,
            )
            await uow.merchants.add(merchant)
            await uow.commit()
        return merchant


@dataclass(frozen=True, slots=True)
class MerchantDecisionCommand:
    actor: Actor
    merchant_id: MerchantId
    reason: str | None = None


class DecideOnMerchant:
    """Staff approve, suspend or reinstate a store; the applicant is told through the outbox.

    Approval makes the applicant the store's manager (a role change: their
    old tokens stop working). Suspension hides every product of the store at
    once, cache included; reinstatement shows them again.
    """

    def __init__(
        self,
        *,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
        credentials: CredentialLookup,
        cache: CatalogCacheInvalidation,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock
        self._credentials = credentials
        self._cache = cache

    async def approve(self, command: MerchantDecisionCommand) -> Merchant:
        return await self._decide(command, "merchant_approved")

    async def suspend(self, command: MerchantDecisionCommand) -> Merchant:
        return await self._decide(command, "merchant_suspended")

    async def reinstate(self, command: MerchantDecisionCommand) -> Merchant:
        return await self._decide(command, "merchant_reinstated")

    async def _decide(self, command: MerchantDecisionCommand, kind: str) -> Merchant:
        require_staff(command.actor)
        now = self._clock.now()
        manager: User | None = None
        async with self._unit_of_work() as uow:
            merchant = await uow.merchants.get(command.merchant_id, for_update=True)
            if merchant is None:
                raise NotFound("no such store")
            applicant = await uow.users.get(merchant.applicant_id, for_update=True)
            if applicant is None:
                raise NotFound("the applicant's account no longer exists")
            if kind == "merchant_approved":
                merchant.approve(now)
                if await uow.memberships.of_user(applicant.id) is not None:
                    raise Conflict("the applicant already works for another store", field="applicant")
                await uow.memberships.add(
                    Membership(merchant_id=merchant.id, user_id=applicant.id, role=StoreRole.MANAGER, created_at=now)
                )
                applicant.change_role(Role.MERCHANT_MANAGER, now)
                await uow.users.save(applicant)
                manager = applicant
            elif kind == "merchant_suspended":
                merchant.suspend(command.reason or "", now)
            else:
                merchant.reinstate(now)
            await uow.merchants.save(merchant)
            changed = await uow.products.relist_store(merchant.id, store_open=merchant.is_open)
            payload = {"merchant_id": str(merchant.id), "store": merchant.name, "status": merchant.status.value}
            if merchant.suspension_reason:
                payload["reason"] = merchant.suspension_reason
            await uow.notifier.notify(Notification(recipient=applicant.email.value, kind=kind, payload=payload))
            await uow.commit()
        if manager is not None:
            await self._credentials.forget_user(manager)
        if changed:
            await self._cache.products_changed(changed)
            await self._cache.listings_changed()
        return merchant


@dataclass(frozen=True, slots=True)
class ListMerchantsQuery:
    actor: Actor
    status: MerchantStatus | None = None
    after: MerchantId | None = None
    limit: int = 20


class ListMerchants:
    def __init__(self, *, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._unit_of_work = unit_of_work

    async def __call__(self, query: ListMerchantsQuery) -> Page[Merchant, MerchantId]:
        require_staff(query.actor)
        limit = page_size(query.limit)
        async with self._unit_of_work() as uow:
            rows = await uow.merchants.list(status=query.status, after=query.after, limit=limit + 1)
        return keyset_page(rows, limit, lambda merchant: merchant.id)


class GetMerchantProfile:
    """The public profile of an approved store; any other store is a 404."""

    def __init__(self, *, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._unit_of_work = unit_of_work

    async def __call__(self, merchant_id: MerchantId) -> Merchant:
        async with self._unit_of_work() as uow:
            merchant = await uow.merchants.get(merchant_id)
        if merchant is None or not merchant.is_open:
            raise NotFound("no such store")
        return merchant
