"""The caller's own account."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.identity.change_password import ChangePassword, ChangePasswordCommand
from application.identity.profile import GetMyProfile, UpdateMyProfile, UpdateMyProfileCommand
from domain.errors import Conflict, InvalidValue, NotFound
from domain.identity.roles import Actor
from entrypoints.http.contract import problems
from entrypoints.http.identity.auth import BEARER
from entrypoints.http.identity.schemas import PasswordChange, ProfileUpdate, UserResponse, unset_to_none


class MeController(Controller):
    path = "/me"
    tags = ["account"]
    security = BEARER

    @get("/", operation_id="getMyProfile", responses=problems(NotFound), summary="My account")
    async def get_profile(
        self, actor: NamedDependency[Actor], get_my_profile: NamedDependency[GetMyProfile]
    ) -> UserResponse:
        return UserResponse.of(await get_my_profile(actor))

    @patch(
        "/",
        operation_id="updateMyProfile",
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Change my names or phone",
    )
    async def update_profile(
        self,
        data: JSONBody[ProfileUpdate],
        actor: NamedDependency[Actor],
        update_my_profile: NamedDependency[UpdateMyProfile],
    ) -> UserResponse:
        user = await update_my_profile(
            UpdateMyProfileCommand(
                actor=actor,
                first_name=unset_to_none(data.first_name),
                last_name=unset_to_none(data.last_name),
                phone=unset_to_none(data.phone),
            )
        )
        return UserResponse.of(user)

    @post(
        "/password",
        operation_id="changeMyPassword",
        responses=problems(NotFound, InvalidValue),
        status_code=HTTP_204_NO_CONTENT,
        summary="Change my password (ends every session)",
    )
    async def change_password(
        self,
        data: JSONBody[PasswordChange],
        actor: NamedDependency[Actor],
        change_password: NamedDependency[ChangePassword],
    ) -> None:
        await change_password(
            ChangePasswordCommand(actor=actor, current_password=data.current_password, new_password=data.new_password)
        )
