"""The caller's own account."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.identity.change_password import ChangePasswordCommand
from application.identity.profile import UpdateMyProfileCommand
from domain.errors import Conflict, InvalidValue, NotFound
from entrypoints.http.contract import problems
from entrypoints.http.dependencies import ApiRequest, Identity
from entrypoints.http.identity.schemas import PasswordChange, ProfileUpdate, UserResponse
from entrypoints.http.rate_limits import limited
from entrypoints.http.shared import BEARER, changes_of


class MeController(Controller):
    path = "/me"
    tags = ["account"]
    security = BEARER

    @get("/", operation_id="getMyProfile", responses=problems(NotFound), summary="My account")
    async def get_profile(self, request: ApiRequest, identity: Identity) -> UserResponse:
        return UserResponse.of(await identity.get_my_profile(request.actor))

    @patch(
        "/",
        operation_id="updateMyProfile",
        responses=problems(NotFound, Conflict, InvalidValue),
        summary="Change my names or phone",
    )
    async def update_profile(
        self, data: JSONBody[ProfileUpdate], request: ApiRequest, identity: Identity
    ) -> UserResponse:
        user = await identity.update_my_profile(UpdateMyProfileCommand(actor=request.actor, **changes_of(data)))
        return UserResponse.of(user)

    @post(
        "/password",
        operation_id="changeMyPassword",
        opt=limited("password_change_per_account"),
        responses=problems(NotFound, InvalidValue),
        status_code=HTTP_204_NO_CONTENT,
        summary="Change my password (ends every session)",
    )
    async def change_password(self, data: JSONBody[PasswordChange], request: ApiRequest, identity: Identity) -> None:
        await identity.change_password(
            ChangePasswordCommand(
                actor=request.actor, current_password=data.current_password, new_password=data.new_password
            )
        )
