"""Who may work on a merchant's catalog. Decided here so HTTP, the CLI and jobs share the rule."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports import UnitOfWork
from domain.catalog.merchants import Membership, Merchant, MerchantId, StoreRole
from domain.errors import NotAllowed, NotFound
from domain.identity.roles import Actor


@dataclass(frozen=True, slots=True)
class MerchantAccess:
    merchant: Merchant
    membership: Membership | None  # None for platform staff reading


def _no_such_merchant() -> NotFound:
    return NotFound("no such store")


async def store_membership(uow: UnitOfWork, actor: Actor) -> Membership | None:
    """The actor's store membership, if their account's role still makes them a store's person.

    A manager or staff member whose account was made a customer keeps the
    membership row (the store's history) but no power through it, from the
    first request under the new role; a deactivated account has no token at all.
    """
    if not actor.role.works_for_a_store:
        return None
    return await uow.memberships.of_user(actor.user_id)


async def merchant_access(
    uow: UnitOfWork, actor: Actor, merchant_id: MerchantId, *, write: bool, manager_only: bool = False
) -> MerchantAccess:
    """The merchant, if ``actor`` may read it (its members and platform staff) or write it (its members).

    Anyone else gets the same 404 as for a merchant that does not exist: a
    manager of merchant A learns nothing about merchant B.
    """
    merchant = await uow.merchants.get(merchant_id)
    if merchant is None:
        raise _no_such_merchant()
    membership = await store_membership(uow, actor)
    if membership is None or membership.merchant_id != merchant_id:
        if not write and actor.role.is_staff:
            return MerchantAccess(merchant=merchant, membership=None)
        raise _no_such_merchant()
    if manager_only and membership.role is not StoreRole.MANAGER:
        raise NotAllowed("only the store's manager may do this")
    return MerchantAccess(merchant=merchant, membership=membership)
