"""Signup, activation, login, token refresh and logout."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from application.identity.activate_account import ActivateAccountCommand
from application.identity.log_in import LogInCommand
from application.identity.refresh_session import RefreshSessionCommand
from application.identity.request_activation_code import RequestActivationCodeCommand
from application.identity.sign_up import SignUpCommand
from domain.errors import AuthenticationFailed, InvalidValue, NotAllowed, TooManyAttempts
from entrypoints.http.contract import problems
from entrypoints.http.dependencies import ApiRequest, Identity
from entrypoints.http.identity.schemas import (
    ActivateRequest,
    ActivateResponse,
    ActivationCodeRequest,
    ActivationCodeRequested,
    LoginRequest,
    LoginResponse,
    RefreshRequest,
    SignUpAccepted,
    SignUpRequest,
    TokenPairResponse,
    UserResponse,
)
from entrypoints.http.rate_limits import limited
from entrypoints.http.shared import BEARER, fields_of


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/signup",
        operation_id="signUp",
        opt=limited("signup_per_client"),
        responses=problems(InvalidValue),
        status_code=HTTP_202_ACCEPTED,
        summary="Create a customer account (always 202 with the same body, whether or not the details are taken)",
    )
    async def sign_up(self, data: JSONBody[SignUpRequest], identity: Identity) -> Response[SignUpAccepted]:
        command = SignUpCommand(**fields_of(data))
        identity.sign_up.check(command)  # a 422 depends on the request alone, never on who has an account
        # Hashing, the taken check and the writes run once the answer is out: it is the same either way.
        return Response(
            SignUpAccepted(), status_code=HTTP_202_ACCEPTED, background=BackgroundTask(identity.sign_up, command)
        )

    @post(
        "/activate",
        operation_id="activateAccount",
        opt=limited("activate_per_client"),
        responses=problems(InvalidValue),
        status_code=HTTP_200_OK,
        summary="Activate with the code",
    )
    async def activate(self, data: JSONBody[ActivateRequest], identity: Identity) -> ActivateResponse:
        await identity.activate_account(ActivateAccountCommand(email=data.email, code=data.code))
        return ActivateResponse(is_active=True)

    @post(
        "/activation-code",
        operation_id="requestActivationCode",
        opt=limited("activation_code_per_client"),
        status_code=HTTP_202_ACCEPTED,
        summary="Send a fresh activation code (always 202, whether or not the account exists)",
    )
    async def request_code(
        self, data: JSONBody[ActivationCodeRequest], identity: Identity
    ) -> Response[ActivationCodeRequested]:
        command = RequestActivationCodeCommand(email=data.email)
        await identity.request_activation_code.admit(command)
        # The code is issued once the answer is out: an unknown email answers exactly as fast.
        return Response(
            ActivationCodeRequested(),
            status_code=HTTP_202_ACCEPTED,
            background=BackgroundTask(identity.request_activation_code.send, command),
        )

    @post(
        "/login",
        operation_id="logIn",
        opt=limited("login_per_client"),
        responses=problems(AuthenticationFailed, NotAllowed, TooManyAttempts),
        status_code=HTTP_200_OK,
        summary="Log in with email or phone",
    )
    async def log_in(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginRequest], identity: Identity
    ) -> LoginResponse:
        client_address = request.client.host if request.client is not None else "unknown"
        result = await identity.log_in(
            LogInCommand(
                username=data.username,
                password=data.password,
                client_address=client_address,
                session_hint=data.session_hint or None,
            )
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
        opt=limited("refresh_per_client"),
        responses=problems(AuthenticationFailed),
        status_code=HTTP_200_OK,
        summary="Rotate the refresh token",
    )
    async def refresh(self, data: JSONBody[RefreshRequest], identity: Identity) -> TokenPairResponse:
        pair = await identity.refresh_session(RefreshSessionCommand(refresh_token=data.refresh_token))
        return TokenPairResponse.of(pair)

    @post(
        "/logout",
        operation_id="logOut",
        status_code=HTTP_204_NO_CONTENT,
        summary="Revoke this session and its access token",
        security=BEARER,
    )
    async def log_out(self, request: ApiRequest, identity: Identity) -> None:
        await identity.log_out(request.auth.claims)
