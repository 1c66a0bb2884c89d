"""Wire formats of the identity routes (msgspec Structs; the domain never sees them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from application.ports import CredentialRecord
from domain.identity.passwords import MAX_LENGTH, MIN_LENGTH, POLICY_DESCRIPTION
from domain.identity.roles import Role
from domain.identity.users import User
from entrypoints.http.input import LINE_PATTERN, line
from entrypoints.http.shared import Copied, RequestBody, copy_into

EmailField = Annotated[
    str, Meta(max_length=254, pattern=LINE_PATTERN, description="Email address", examples=["ana@example.com"])
]
PhoneField = Annotated[
    str,
    Meta(
        max_length=32,
        pattern=LINE_PATTERN,
        description="Phone: E.164 (+573001234567), or a Colombian mobile as 3001234567 or 57 300 123 4567",
        examples=["+573001234567"],
    ),
]
NameField = Annotated[str, line(min_length=1, max_length=100)]
NewPassword = Annotated[str, Meta(min_length=MIN_LENGTH, max_length=MAX_LENGTH, description=POLICY_DESCRIPTION)]
AnyPassword = Annotated[str, Meta(min_length=1, max_length=1024)]


class SignUpRequest(RequestBody):
    email: EmailField
    phone: PhoneField
    national_id: Annotated[str, line(max_length=32, description="National identity document number")]
    first_name: NameField
    last_name: NameField
    password: NewPassword


class UserResponse(msgspec.Struct):
    id: UUID
    email: str
    phone: str
    first_name: str
    last_name: str
    role: Role
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User | CredentialRecord) -> UserResponse:
        if isinstance(user, User):
            return copy_into(cls, user, email=user.email.value, phone=user.phone.value)
        return copy_into(cls, user, id=user.user_id)


class ActivateRequest(RequestBody):
    email: EmailField
    code: Annotated[str, Meta(pattern=r"^\d{6}$", description="The 6-digit code sent on signup")]


class ActivateResponse(msgspec.Struct):
    is_active: bool


class ActivationCodeRequest(RequestBody):
    email: EmailField


class SignUpAccepted(msgspec.Struct, frozen=True):
    """The same answer whether or not the email, phone or national id is taken: signup finds no accounts."""

    status: Literal["accepted"] = "accepted"
    detail: str = (
        "check your email: a new account gets an activation code, and the owner of an existing account is told "
        "that someone tried to sign up with their details"
    )


class ActivationCodeRequested(msgspec.Struct, frozen=True):
    """The same answer whether or not the account exists, so it cannot be used to find accounts."""

    status: Literal["accepted"] = "accepted"
    detail: str = "if this email belongs to an account waiting for activation, a new code is on its way"


class LoginRequest(RequestBody):
    username: Annotated[str, line(min_length=1, max_length=254, description="Email or phone number")]
    password: AnyPassword
    session_hint: (
        Annotated[
            str,
            Meta(
                max_length=256,
                description="A refresh token this device got at an earlier login (spent or expired is fine): "
                "proves a known device, so a lockout aimed at the account from elsewhere does not stop you",
            ),
        ]
        | None
    ) = None


class TokenPairResponse(Copied):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: Annotated[int, Meta(description="Seconds until the access token expires")]


class LoginResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    user: UserResponse


class RefreshRequest(RequestBody):
    refresh_token: Annotated[str, line(min_length=1, max_length=512)]


class ProfileUpdate(RequestBody):
    first_name: NameField | UnsetType = UNSET
    last_name: NameField | UnsetType = UNSET
    phone: PhoneField | UnsetType = UNSET


class PasswordChange(RequestBody):
    current_password: AnyPassword
    new_password: NewPassword


class UserAccessUpdate(RequestBody):
    role: Role | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class UserPage(msgspec.Struct):
    items: list[UserResponse]
    next_cursor: str | None


class OutboxMessageResponse(Copied):
    id: UUID
    recipient: str
    kind: str
    payload: dict[str, str]
    created_at: datetime
    sent_at: datetime | None


class OutboxPage(msgspec.Struct):
    items: list[OutboxMessageResponse]
    next_cursor: str | None
