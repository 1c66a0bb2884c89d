"""Every error leaves as RFC 9457 problem details; the one table that maps errors to statuses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from domain.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    InvalidValue,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)
from domain.ordering.payments import PaymentDeclined, PaymentFailed, PaymentOutcomeUnknown

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

DOMAIN_ERROR_STATUS: dict[type[DomainError], int] = {
    InvalidValue: HTTPStatus.UNPROCESSABLE_ENTITY,
    NotFound: HTTPStatus.NOT_FOUND,
    Conflict: HTTPStatus.CONFLICT,
    NotAllowed: HTTPStatus.FORBIDDEN,
    AuthenticationFailed: HTTPStatus.UNAUTHORIZED,
    TooManyAttempts: HTTPStatus.TOO_MANY_REQUESTS,
    PaymentDeclined: HTTPStatus.PAYMENT_REQUIRED,
    PaymentFailed: HTTPStatus.BAD_GATEWAY,
    PaymentOutcomeUnknown: HTTPStatus.GATEWAY_TIMEOUT,
}


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
    **members: Any,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({key: value for key, value in members.items() if value is not None})
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        status = DOMAIN_ERROR_STATUS.get(kind)
        if status is not None:
            return int(status)
    return int(HTTPStatus.BAD_REQUEST)


def domain_error_to_problem(request: Request[Any, Any, Any], error: DomainError) -> Response[dict[str, Any]]:
    headers = None
    if isinstance(error, TooManyAttempts):
        headers = {"Retry-After": str(error.retry_after_seconds)}
    elif isinstance(error, AuthenticationFailed):
        headers = {"WWW-Authenticate": 'Bearer realm="commerce"'}
    return problem(
        request,
        _status_of(error),
        error.message,
        type_=f"urn:commerce:problem:{error.code}",
        headers=headers,
        code=error.code,
        field=error.field,
        rule=getattr(error, "rule", None),
        **error.extensions(),
    )


def validation_to_problem(request: Request[Any, Any, Any], error: ValidationException) -> Response[dict[str, Any]]:
    items = error.extra if isinstance(error.extra, list) else []
    invalid_params: list[dict[str, Any]] = [
        {"name": item.get("key") or "body", "reason": item.get("message"), "in": item.get("source")}
        for item in items
        if isinstance(item, dict)
    ]
    detail = error.detail or "the request is not valid"
    if invalid_params:
        names = ", ".join(str(param["name"]) for param in invalid_params)
        detail = f"invalid request: {names}"
    return problem(
        request,
        HTTPStatus.BAD_REQUEST,
        detail,
        type_="urn:commerce:problem:invalid_request",
        code="invalid_request",
        invalid_params=invalid_params or None,
    )


def http_error_to_problem(request: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    status = error.status_code
    detail = error.detail if status < HTTPStatus.INTERNAL_SERVER_ERROR else HTTPStatus(status).phrase
    return problem(request, status, detail, headers=error.headers)


def unexpected_error_to_problem(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    logger.error("unhandled error while serving %s %s", request.method, request.url.path, exc_info=error)
    return problem(request, HTTPStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error_to_problem,
    ValidationException: validation_to_problem,
    HTTPException: http_error_to_problem,
    Exception: unexpected_error_to_problem,
}
