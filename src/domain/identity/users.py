"""The user account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidValue
from domain.identity.contact import Email, NationalId, Phone
from domain.identity.roles import Role, UserId


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValue("times must be timezone-aware (UTC)", rule="aware_datetime")
    return moment


@dataclass(slots=True)
class User:
    """A person with an account.

    ``credentials_version`` grows whenever the password, the role or the
    status changes: tokens carry the version they were issued under, so any
    of those changes locks out every token issued before it.
    """

    id: UserId
    email: Email
    phone: Phone
    national_id: NationalId
    first_name: str
    last_name: str
    password_hash: str
    role: Role
    is_active: bool
    created_at: datetime
    updated_at: datetime
    credentials_version: int = 1

    @classmethod
    def sign_up(
        cls,
        *,
        id: UserId,
        email: Email,
        phone: Phone,
        national_id: NationalId,
        first_name: str,
        last_name: str,
        password_hash: str,
        now: datetime,
        role: Role = Role.CUSTOMER,
        is_active: bool = False,
    ) -> User:
        _require_aware(now)
        return cls(
            id=id,
            email=email,
            phone=phone,
            national_id=national_id,
            first_name=first_name,
            last_name=last_name,
            password_hash=password_hash,
            role=role,
            is_active=is_active,
            created_at=now,
            updated_at=now,
        )

    @property
    def personal_details(self) -> tuple[str, ...]:
        """What a password must not resemble."""
        return (self.email.value, self.email.local_part, self.first_name, self.last_name)

    def activate(self, now: datetime) -> None:
        if not self.is_active:
            self.is_active = True
            self._credentials_changed(now)

    def deactivate(self, now: datetime) -> None:
        if self.is_active:
            self.is_active = False
            self._credentials_changed(now)

    def change_role(self, role: Role, now: datetime) -> None:
        if role is not self.role:
            self.role = role
            self._credentials_changed(now)

    def change_password(self, password_hash: str, now: datetime) -> None:
        self.password_hash = password_hash
        self._credentials_changed(now)

    def upgrade_password_hash(self, password_hash: str, now: datetime) -> None:
        """Same password, stronger hash parameters: existing sessions stay valid."""
        self.password_hash = password_hash
        self.updated_at = _require_aware(now)

    def update_profile(
        self, *, first_name: str | None, last_name: str | None, phone: Phone | None, now: datetime
    ) -> None:
        if first_name is not None:
            self.first_name = first_name
        if last_name is not None:
            self.last_name = last_name
        if phone is not None:
            self.phone = phone
        self.updated_at = _require_aware(now)

    def _credentials_changed(self, now: datetime) -> None:
        self.credentials_version += 1
        self.updated_at = _require_aware(now)
