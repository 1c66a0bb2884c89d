"""Use case: a person signs up as a customer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.identity.activation_codes import ActivationCodeIssuer
from application.ports import Clock, IdGenerator, PasswordHasher, UnitOfWork
from application.use_case import use_case
from domain.errors import Conflict
from domain.identity.contact import Email, NationalId, Phone, person_name
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Role, UserId
from domain.identity.users import User


@dataclass(frozen=True, slots=True)
class SignUpCommand:
    email: str
    phone: str
    national_id: str
    first_name: str
    last_name: str
    password: str


@use_case
class SignUp:
    """Create an account; by default an inactive customer who is sent an activation code.

    Rules: email, phone and national id are each unique (409 naming the field,
    also under concurrent signups: the database constraints decide); the
    password satisfies the policy; the code goes out through the outbox in the
    same transaction as the account, so there is never one without the other.

    Operators create administrators with the same rules: ``role=Role.ADMIN,
    is_active=True`` and no activation code.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher
    policy: PasswordPolicy
    activation_codes: ActivationCodeIssuer | None
    role: Role = Role.CUSTOMER
    is_active: bool = False

    async def __call__(self, command: SignUpCommand) -> User:
        email = Email.parse(command.email)
        phone = Phone.parse(command.phone)
        national_id = NationalId.parse(command.national_id)
        first_name = person_name(command.first_name, field="first_name")
        last_name = person_name(command.last_name, field="last_name")
        self.policy.check(command.password, personal_details=(email.value, email.local_part, first_name, last_name))

        # Cheap early answer for the common duplicate; the unique constraints settle races.
        async with self.unit_of_work() as uow:
            taken = await uow.users.taken_field(email, phone, national_id)
        if taken is not None:
            raise Conflict(f"an account with this {taken} already exists", field=taken)

        user = User.sign_up(
            id=UserId(self.ids.new_id()),
            email=email,
            phone=phone,
            national_id=national_id,
            first_name=first_name,
            last_name=last_name,
            password_hash=await self.hasher.hash(command.password),
            role=self.role,
            is_active=self.is_active,
            now=self.clock.now(),
        )
        async with self.unit_of_work() as uow:
            await uow.users.add(user)
            if self.activation_codes is not None:
                await self.activation_codes.issue(uow, user)
            await uow.commit()
        return user
