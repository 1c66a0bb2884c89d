"""Use cases: a merchant's manager adds and removes staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.catalog.access import merchant_access
from application.identity.credentials import CredentialLookup
from application.ports import Clock, UnitOfWork
from application.use_case import use_case
from domain.catalog.merchants import Membership, MerchantId, StoreRole
from domain.errors import Conflict, NotAllowed, NotFound
from domain.identity.contact import Email
from domain.identity.roles import Actor, Role, UserId
from domain.identity.users import User


@dataclass(frozen=True, slots=True)
class StaffMember:
    membership: Membership
    user: User


@dataclass(frozen=True, slots=True)
class AddStaffCommand:
    actor: Actor
    merchant_id: MerchantId
    email: str


@use_case
class AddMerchantStaff:
    """The manager adds an existing, active customer as staff; they become ``merchant_staff``.

    A user works for at most one merchant (the database enforces it). The role
    change ends the new staff member's current tokens.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    credentials: CredentialLookup

    async def __call__(self, command: AddStaffCommand) -> StaffMember:
        email = Email.parse(command.email)
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            await merchant_access(uow, command.actor, command.merchant_id, write=True, manager_only=True)
            user = await uow.users.by_login(email)
            if user is None or not user.is_active:
                raise NotFound("no active account has this email", field="email")
            if await uow.memberships.of_user(user.id) is not None:
                raise Conflict("this person already works for a store", field="email")
            if user.role is not Role.CUSTOMER:
                raise Conflict("only customer accounts can join a store's staff", field="email")
            user = await uow.users.get(user.id, for_update=True) or user
            membership = Membership(
                merchant_id=command.merchant_id, user_id=user.id, role=StoreRole.STAFF, created_at=now
            )
            await uow.memberships.add(membership)
            user.change_role(Role.MERCHANT_STAFF, now)
            await uow.users.save(user)
            await uow.commit()
        await self.credentials.forget_user(user)
        return StaffMember(membership=membership, user=user)


@use_case
class ListMerchantStaff:
    """The merchant's people, for its members and platform staff."""

    unit_of_work: Callable[[], UnitOfWork]

    async def one(self, actor: Actor, merchant_id: MerchantId, user_id: UserId) -> StaffMember:
        for member in await self(actor, merchant_id):
            if member.user.id == user_id:
                return member
        raise NotFound("no such staff member")

    async def __call__(self, actor: Actor, merchant_id: MerchantId) -> list[StaffMember]:
        async with self.unit_of_work() as uow:
            await merchant_access(uow, actor, merchant_id, write=False)
            members = await uow.memberships.of_store(merchant_id)
            users = {user.id: user for user in await uow.users.get_many([m.user_id for m in members])}
        return [StaffMember(membership=m, user=users[m.user_id]) for m in members if m.user_id in users]


@dataclass(frozen=True, slots=True)
class RemoveStaffCommand:
    actor: Actor
    merchant_id: MerchantId
    user_id: UserId


@use_case
class RemoveMerchantStaff:
    """The manager removes a staff member, who goes back to being a customer."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    credentials: CredentialLookup

    async def __call__(self, command: RemoveStaffCommand) -> None:
        now = self.clock.now()
        async with self.unit_of_work() as uow:
            await merchant_access(uow, command.actor, command.merchant_id, write=True, manager_only=True)
            membership = await uow.memberships.of_user(command.user_id)
            if membership is None or membership.merchant_id != command.merchant_id:
                raise NotFound("no such staff member")
            if membership.role is StoreRole.MANAGER:
                raise NotAllowed("the manager cannot be removed from the store's staff")
            user = await uow.users.get(command.user_id, for_update=True)
            await uow.memberships.remove(command.merchant_id, command.user_id)
            if user is not None:
                user.change_role(Role.CUSTOMER, now)
                await uow.users.save(user)
            await uow.commit()
        if user is not None:
            await self.credentials.forget_user(user)
