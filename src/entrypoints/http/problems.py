"""Every error leaves as RFC 9457 problem details; the one table that maps errors to statuses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from uuid import UUID

from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.params import ParameterKwarg
from litestar.types import ExceptionHandlersMap

from application.ports import StorageUnavailable
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
from entrypoints.http.input import UnreadableBody, readable_reason

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
        if error.limit is not None and error.window_seconds is not None:
            headers |= {
                "RateLimit-Limit": str(error.limit),
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(error.retry_after_seconds),
                "RateLimit-Policy": f"{error.limit};w={error.window_seconds}",
            }
    elif isinstance(error, AuthenticationFailed):
        headers = {"WWW-Authenticate": 'Bearer realm="commerce"'}
    return problem(
        request,
        _status_of(error),
        error.message,
        type_=problem_type(error.code),
        headers=headers,
        code=error.code,
        field=error.field,
        rule=getattr(error, "rule", None),
        **error.extensions(),
    )


def _wire_name(request: Request[Any, Any, Any], key: str) -> str:
    """A parameter's name as clients send it (``from``), not the handler argument's (``occurred_from``)."""
    handler: BaseRouteHandler | None = request.scope.get("route_handler")  # set once the route is found
    field = handler.parsed_fn_signature.parameters.get(key) if handler is not None else None
    kwarg = field.kwarg_definition if field is not None else None
    if isinstance(kwarg, ParameterKwarg):
        return kwarg.name or kwarg.query or kwarg.header or kwarg.cookie or key
    return key


def _invalid_param(request: Request[Any, Any, Any], item: dict[str, Any]) -> dict[str, Any]:
    name, reason = _wire_name(request, item.get("key") or "body"), item.get("message")
    if isinstance(reason, str):
        reason = readable_reason(name, reason)
    return {"name": name, "reason": reason, "in": item.get("source")}


def validation_to_problem(request: Request[Any, Any, Any], error: ValidationException) -> Response[dict[str, Any]]:
    items = error.extra if isinstance(error.extra, list) else []
    invalid_params = [_invalid_param(request, item) for item in items if isinstance(item, dict)]
    detail = error.detail or "the request is not valid"
    if invalid_params:
        names = ", ".join(str(param["name"]) for param in invalid_params)
        detail = f"invalid request: {names}"
    return problem(
        request,
        HTTPStatus.BAD_REQUEST,
        detail,
        type_=problem_type("invalid_request"),
        code="invalid_request",
        invalid_params=invalid_params or None,
    )


# The framework's own refusals (routing, body size, media type): one code per status.
HTTP_ERROR_CODE: dict[int, str] = {
    HTTPStatus.BAD_REQUEST: "bad_request",
    HTTPStatus.UNAUTHORIZED: "authentication_failed",
    HTTPStatus.FORBIDDEN: "not_allowed",
    HTTPStatus.NOT_FOUND: "not_found",
    HTTPStatus.METHOD_NOT_ALLOWED: "method_not_allowed",
    HTTPStatus.NOT_ACCEPTABLE: "not_acceptable",
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "request_too_large",
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    HTTPStatus.TOO_MANY_REQUESTS: "too_many_attempts",
    HTTPStatus.INTERNAL_SERVER_ERROR: "internal_error",
    HTTPStatus.SERVICE_UNAVAILABLE: "service_unavailable",
}
# What to say when the framework gave no more than the status phrase.
HTTP_ERROR_DETAIL: dict[int, str] = {
    HTTPStatus.NOT_FOUND: "there is nothing at this address; the API lives under /api/v1, its docs under /schema",
    HTTPStatus.METHOD_NOT_ALLOWED: "this address does not answer this method",
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "the request body is larger than this API accepts (1 MiB)",
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: "send the body as application/json",
}
MALFORMED_BODY = "malformed_body"
NOT_FOUND = HTTP_ERROR_CODE[HTTPStatus.NOT_FOUND]
INTERNAL_ERROR = "internal_error"
SERVICE_UNAVAILABLE = "service_unavailable"


def problem_type(code: str) -> str:
    return f"urn:commerce:problem:{code}"


def http_error_code(status: int) -> str:
    """The code of a status the framework answers; an unlisted one is named after its phrase."""
    return HTTP_ERROR_CODE.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


def unparsable_path_parameter(request: Request[Any, Any, Any]) -> str | None:
    """The id parameter of a route this path would reach but for its value (``/products/not-a-uuid``)."""
    segments = [segment for segment in request.scope["path"].split("/") if segment]
    for route in request.app.routes:
        if len(route.path_components) != len(segments):
            continue
        unparsable = None
        for component, segment in zip(route.path_components, segments, strict=True):
            if isinstance(component, str):
                if component != segment:
                    break
            elif component.type is UUID and unparsable is None and not _is_uuid(segment):
                unparsable = component.name
        else:
            if unparsable is not None:
                return unparsable
    return None


def http_error_to_problem(request: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    status = error.status_code
    # The router answers a path parameter it cannot parse with a bare 404 caused by the parser's ValueError.
    if status == HTTPStatus.NOT_FOUND and isinstance(error.__cause__, ValueError):
        name = unparsable_path_parameter(request)
        if name is not None:
            detail = f"{name} is not a valid identifier: ids are UUIDs"
            return problem(request, status, detail, type_=problem_type(NOT_FOUND), code=NOT_FOUND, field=name)
    detail = error.detail if status < HTTPStatus.INTERNAL_SERVER_ERROR else HTTPStatus(status).phrase
    if detail == HTTPStatus(status).phrase:
        detail = HTTP_ERROR_DETAIL.get(status, detail)
    # Litestar reports a body it cannot decode as a 400 caused by a SerializationException.
    unreadable = isinstance(error.__cause__, SerializationException) or isinstance(error, UnreadableBody)
    code = MALFORMED_BODY if unreadable else http_error_code(status)
    if code == MALFORMED_BODY:
        detail = f"the request body is not valid JSON: {error.detail}"
    return problem(request, status, detail, type_=problem_type(code), headers=error.headers, code=code)


def unexpected_error_to_problem(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    logger.error("unhandled error while serving %s %s", request.method, request.url.path, exc_info=error)
    return problem(
        request,
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "an unexpected error occurred; it has been logged",
        type_=problem_type(INTERNAL_ERROR),
        code=INTERNAL_ERROR,
    )


def unavailable_to_problem(request: Request[Any, Any, Any], error: StorageUnavailable) -> Response[dict[str, Any]]:
    """The database is away (a restart, a failover): a retryable 503, not a 500."""
    logger.warning("database unavailable while serving %s %s: %r", request.method, request.url.path, error.__cause__)
    return problem(
        request,
        HTTPStatus.SERVICE_UNAVAILABLE,
        error.message,
        type_=problem_type(SERVICE_UNAVAILABLE),
        headers={"Retry-After": str(error.retry_after_seconds)},
        code=SERVICE_UNAVAILABLE,
    )


def docs_page_not_found(response: Response[Any]) -> Response[Any]:
    """The docs router answers an unknown page with its own HTML 404: make it a problem document."""
    if response.status_code != HTTPStatus.NOT_FOUND or response.media_type == PROBLEM_JSON:
        return response
    code = http_error_code(HTTPStatus.NOT_FOUND)
    body = {
        "type": problem_type(code),
        "title": HTTPStatus.NOT_FOUND.phrase,
        "status": HTTPStatus.NOT_FOUND,
        "detail": "there is no documentation page at this address",
        "code": code,
    }
    return Response(content=body, status_code=HTTPStatus.NOT_FOUND, media_type=PROBLEM_JSON)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error_to_problem,
    ValidationException: validation_to_problem,
    HTTPException: http_error_to_problem,
    StorageUnavailable: unavailable_to_problem,
    Exception: unexpected_error_to_problem,
}
