"""Signup, activation, login, token refresh and logout."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from application.identity.activate_account import ActivateAccount, ActivateAccountCommand
from application.identity.authenticate import Authenticated
from application.identity.log_in import LogIn, LogInCommand
from application.identity.log_out import LogOut
from application.identity.refresh_session import RefreshSession, RefreshSessionCommand
from application.identity.request_activation_code import RequestActivationCode, RequestActivationCodeCommand
from application.identity.sign_up import SignUp, SignUpCommand
from domain.errors import AuthenticationFailed, Conflict, InvalidValue, NotAllowed, TooManyAttempts
from entrypoints.http.contract import LOCATION, created, problems
from entrypoints.http.identity.schemas import (
    ActivateRequest,
    ActivateResponse,
    ActivationCodeRequest,
    ActivationCodeRequested,
    LoginRequest,
    LoginResponse,
    RefreshRequest,
    SignUpRequest,
    TokenPairResponse,
    UserResponse,
)

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/signup",
        operation_id="signUp",
        responses=problems(Conflict, InvalidValue),
        status_code=HTTP_201_CREATED,
        response_headers=LOCATION,
        summary="Create a customer account",
    )
    async def sign_up(self, data: JSONBody[SignUpRequest], sign_up: NamedDependency[SignUp]) -> Response[UserResponse]:
        user = await sign_up(
            SignUpCommand(
                email=data.email,
                phone=data.phone,
                national_id=data.national_id,
                first_name=data.first_name,
                last_name=data.last_name,
                password=data.password,
            )
        )
        # The account's own address, once its owner has logged in.
        return created(UserResponse.of(user), "/api/v1/me")

    @post(
        "/activate",
        operation_id="activateAccount",
        responses=problems(InvalidValue),
        status_code=HTTP_200_OK,
        summary="Activate with the code",
    )
    async def activate(
        self, data: JSONBody[ActivateRequest], activate_account: NamedDependency[ActivateAccount]
    ) -> ActivateResponse:
        await activate_account(ActivateAccountCommand(email=data.email, code=data.code))
        return ActivateResponse(is_active=True)

    @post(
        "/activation-code",
        operation_id="requestActivationCode",
        status_code=HTTP_202_ACCEPTED,
        summary="Send a fresh activation code (always 202, whether or not the account exists)",
    )
    async def request_code(
        self, data: JSONBody[ActivationCodeRequest], request_activation_code: NamedDependency[RequestActivationCode]
    ) -> ActivationCodeRequested:
        await request_activation_code(RequestActivationCodeCommand(email=data.email))
        return ActivationCodeRequested()

    @post(
        "/login",
        operation_id="logIn",
        responses=problems(AuthenticationFailed, NotAllowed, TooManyAttempts),
        status_code=HTTP_200_OK,
        summary="Log in with email or phone",
    )
    async def log_in(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginRequest], log_in: NamedDependency[LogIn]
    ) -> LoginResponse:
        client_address = request.client.host if request.client is not None else "unknown"
        result = await log_in(
            LogInCommand(username=data.username, password=data.password, client_address=client_address)
        )
        return LoginResponse(
            access_token=result.tokens.access_token,
            refresh_token=result.tokens.refresh_token,
            token_type=result.tokens.token_type,
            expires_in=result.tokens.expires_in,
            user=UserResponse.of(result.user),
        )

    @post(
        "/refresh",
        operation_id="refreshSession",
        responses=problems(AuthenticationFailed),
        status_code=HTTP_200_OK,
        summary="Rotate the refresh token",
    )
    async def refresh(
        self, data: JSONBody[RefreshRequest], refresh_session: NamedDependency[RefreshSession]
    ) -> TokenPairResponse:
        return TokenPairResponse.of(await refresh_session(RefreshSessionCommand(refresh_token=data.refresh_token)))

    @post(
        "/logout",
        operation_id="logOut",
        status_code=HTTP_204_NO_CONTENT,
        summary="Revoke this session and its access token",
        security=BEARER,
    )
    async def log_out(self, authenticated: NamedDependency[Authenticated], log_out: NamedDependency[LogOut]) -> None:
        await log_out(authenticated.claims)
