"""Use case: a person signs up as a customer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from application.identity.activation_codes import ActivationCodeIssuer
from application.ports import Clock, IdGenerator, Notification, PasswordHasher, Pause, TakenContact, UnitOfWork
from application.use_case import use_case
from domain.errors import Conflict
from domain.identity.contact import Email, NationalId, Phone, person_name
from domain.identity.passwords import PasswordPolicy
from domain.identity.roles import Role, UserId
from domain.identity.users import User

SIGNUP_ON_TAKEN_DETAILS = "signup_with_your_details"
# Longer than a password hash and the writes take: a new account and a taken detail finish together.
SIGNUP_FLOOR = timedelta(milliseconds=200)


@dataclass(frozen=True, slots=True)
class SignUpCommand:
    email: str
    phone: str
    national_id: str
    first_name: str
    last_name: str
    password: str


@dataclass(frozen=True, slots=True)
class _ValidSignUp:
    email: Email
    phone: Phone
    national_id: NationalId
    first_name: str
    last_name: str


@use_case
class SignUp:
    """Create an account; by default an inactive customer who is sent an activation code.

    Rules: email, phone and national id are each unique (the database
    constraints decide, also under concurrent signups); the password satisfies
    the policy; the code goes out through the outbox in the same transaction
    as the account, so there is never one without the other.

    A person signing up (``__call__``) hears the same answer whether or not
    the details are taken, so signup cannot tell anyone who has an account
    (the national id is personal data): when one is taken, nothing is created
    and the existing account's owner is told through the outbox instead. Both
    paths hash the password, the slow step, and both end ``SIGNUP_FLOOR`` after
    they began (with a ``pause``); HTTP answers after ``check`` and runs the
    rest once the answer is out, so the answer itself cannot differ at all.

    Operators create administrators with ``register``, which names the taken
    field (409): ``role=Role.ADMIN, is_active=True`` and no activation code.
    """

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher
    policy: PasswordPolicy
    activation_codes: ActivationCodeIssuer | None
    role: Role = Role.CUSTOMER
    is_active: bool = False
    pause: Pause | None = None

    async def __call__(self, command: SignUpCommand) -> User | None:
        """The new account, or ``None`` when a detail was taken; the caller must answer alike either way."""
        started = self.clock.now()
        try:
            return await self.register(command)
        except Conflict as taken:
            await self._tell_the_owner(command, taken)
            return None
        finally:
            # Both paths end at the same moment: the next request on the same connection cannot tell either.
            if self.pause is not None:
                await self.pause.until(started + SIGNUP_FLOOR)

    def check(self, command: SignUpCommand) -> _ValidSignUp:
        """The rules that depend on the request alone (``InvalidValue`` naming the field); reads nothing stored."""
        email = Email.parse(command.email)
        first_name = person_name(command.first_name, field="first_name")
        last_name = person_name(command.last_name, field="last_name")
        valid = _ValidSignUp(
            email=email,
            phone=Phone.parse(command.phone),
            national_id=NationalId.parse(command.national_id),
            first_name=first_name,
            last_name=last_name,
        )
        self.policy.check(command.password, personal_details=(email.value, email.local_part, first_name, last_name))
        return valid

    async def register(self, command: SignUpCommand) -> User:
        valid = self.check(command)
        email, phone, national_id = valid.email, valid.phone, valid.national_id
        # Hashed before the uniqueness check, so that a taken detail answers as slowly as a new one.
        password_hash = await self.hasher.hash(command.password)

        # Cheap early answer for the common duplicate; the unique constraints settle races.
        async with self.unit_of_work() as uow:
            taken = await uow.users.taken_by(email, phone, national_id)
        if taken is not None:
            raise TakenDetail(taken)

        user = User.sign_up(
            id=UserId(self.ids.new_id()),
            email=email,
            phone=phone,
            national_id=national_id,
            first_name=valid.first_name,
            last_name=valid.last_name,
            password_hash=password_hash,
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

    async def _tell_the_owner(self, command: SignUpCommand, conflict: Conflict) -> None:
        taken = conflict.taken if isinstance(conflict, TakenDetail) else None
        async with self.unit_of_work() as uow:
            if taken is None:  # lost a race at the constraint: find whose detail it was
                taken = await uow.users.taken_by(
                    Email.parse(command.email), Phone.parse(command.phone), NationalId.parse(command.national_id)
                )
            if taken is None:
                return
            await uow.outbox.notify(
                Notification(
                    recipient=taken.owner_email,
                    kind=SIGNUP_ON_TAKEN_DETAILS,
                    payload={"field": taken.field, "at": self.clock.now().isoformat()},
                )
            )
            await uow.commit()


class TakenDetail(Conflict):
    """A detail another account already has (the 409 operators see; customers never do)."""

    def __init__(self, taken: TakenContact) -> None:
        super().__init__(f"an account with this {taken.field} already exists", field=taken.field)
        self.taken = taken
