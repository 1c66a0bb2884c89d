"""The OpenAPI contract: which problem documents each operation can answer, documented in one way.

A route names the domain errors its use case can raise (``problems(NotFound,
Conflict)``); :func:`document_problems` adds what follows from the route
itself: 400 when it reads parameters or a body, 401 when it needs a token.
Every one of them is ``application/problem+json`` with the one ``Problem``
schema, a human description naming the codes, and one fixed example.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from litestar import Litestar, Response

# Litestar's own schema of a msgspec Struct, which ours extends; not re-exported publicly.
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.datastructures import ResponseHeader
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example, Schema
from litestar.routes import HTTPRoute
from litestar.serialization import encode_json
from litestar.typing import FieldDefinition

from domain.errors import (
    AuthenticationFailed,
    Conflict,
    CredentialsChanged,
    DomainError,
    InvalidValue,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)
from domain.ordering.payments import PaymentDeclined, PaymentFailed, PaymentOutcomeUnknown
from entrypoints.http.problems import (
    DOMAIN_ERROR_STATUS,
    INTERNAL_ERROR,
    MALFORMED_BODY,
    PROBLEM_JSON,
    SERVICE_UNAVAILABLE,
    problem_type,
)
from entrypoints.http.shared import RequestBody

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator

T = TypeVar("T")


class InvalidParam(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    reason: str
    in_: str | None = msgspec.field(default=None, name="in")


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """An RFC 9457 problem document; ``code`` is stable and meant for programs."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    field: str | None = None
    rule: str | None = None
    invalid_params: list[InvalidParam] | None = None


# What each status means in this API, and the codes that come with it.
_DESCRIPTIONS: dict[int, str] = {
    HTTPStatus.BAD_REQUEST: "The request is malformed: a parameter or a body field has the wrong type or is "
    f"missing (`invalid_request`, naming each in `invalid_params`), or the body is not JSON (`{MALFORMED_BODY}`).",
    HTTPStatus.UNAUTHORIZED: "No valid access token: missing, expired, revoked (`authentication_failed`), or "
    f"issued before a role, status or password change (`{CredentialsChanged.code}`: log in again).",
    HTTPStatus.FORBIDDEN: f"The caller's role may not do this (`{NotAllowed.code}`).",
    HTTPStatus.NOT_FOUND: f"There is no such resource, or the caller may not know it exists (`{NotFound.code}`).",
    HTTPStatus.CONFLICT: f"The change clashes with the current state or with another record (`{Conflict.code}`).",
    HTTPStatus.UNPROCESSABLE_ENTITY: f"A value breaks a business rule (`{InvalidValue.code}`); `field` names it "
    "and `rule` says which rule (`no_control_characters` for text holding control characters).",
    HTTPStatus.TOO_MANY_REQUESTS: f"Too many attempts (`{TooManyAttempts.code}`): a rate limit is used up; retry "
    "after `Retry-After` seconds. Rate limits also send `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` "
    "and `RateLimit-Policy`.",
    HTTPStatus.PAYMENT_REQUIRED: f"The card was declined (`{PaymentDeclined.code}`); nothing was charged and the "
    "checkout stays payable until it expires.",
    HTTPStatus.BAD_GATEWAY: f"The payment gateway failed (`{PaymentFailed.code}`); nothing was charged: try again.",
    HTTPStatus.GATEWAY_TIMEOUT: f"The payment gateway did not answer in time (`{PaymentOutcomeUnknown.code}`); "
    "retrying is safe, it never charges twice.",
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: "The body is not declared as JSON (`unsupported_media_type`): send "
    "`Content-Type: application/json`.",
    HTTPStatus.INTERNAL_SERVER_ERROR: f"Something failed on our side (`{INTERNAL_ERROR}`); it has been logged "
    "with the request id.",
    HTTPStatus.SERVICE_UNAVAILABLE: f"The database is restarting or unreachable (`{SERVICE_UNAVAILABLE}`); nothing "
    "was half-written: retry after `Retry-After` seconds (with the same `Idempotency-Key` where there is one).",
}

_EXAMPLES: dict[int, dict[str, Any]] = {
    HTTPStatus.BAD_REQUEST: {
        "code": "invalid_request",
        "detail": "invalid request: limit",
        "invalid_params": [{"name": "limit", "reason": "Expected `int`, got `str`", "in": "query"}],
    },
    HTTPStatus.UNAUTHORIZED: {
        "code": AuthenticationFailed.code,
        "detail": "an access token is required (Authorization: Bearer <token>)",
    },
    HTTPStatus.FORBIDDEN: {"code": NotAllowed.code, "detail": "only platform staff may do this"},
    HTTPStatus.NOT_FOUND: {"code": NotFound.code, "detail": "the store was not found"},
    HTTPStatus.CONFLICT: {
        "code": Conflict.code,
        "detail": "an account with this email already exists",
        "field": "email",
    },
    HTTPStatus.UNPROCESSABLE_ENTITY: {
        "code": InvalidValue.code,
        "detail": "the price must be greater than zero",
        "field": "price_minor",
        "rule": "positive_price",
    },
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: {
        "code": "unsupported_media_type",
        "detail": "send the body as application/json (got text/plain)",
    },
    HTTPStatus.INTERNAL_SERVER_ERROR: {
        "code": INTERNAL_ERROR,
        "detail": "an unexpected error occurred; it has been logged",
    },
    HTTPStatus.SERVICE_UNAVAILABLE: {
        "code": SERVICE_UNAVAILABLE,
        "detail": "the database is unavailable for a moment; retry shortly",
    },
    HTTPStatus.TOO_MANY_REQUESTS: {
        "code": TooManyAttempts.code,
        "detail": "too many failed logins; try again later",
    },
    HTTPStatus.PAYMENT_REQUIRED: {
        "code": PaymentDeclined.code,
        "detail": "the card was declined: insufficient funds",
        "field": "token",
    },
    HTTPStatus.BAD_GATEWAY: {
        "code": PaymentFailed.code,
        "detail": "the payment gateway failed; nothing was charged, try again",
        "field": "payment",
    },
    HTTPStatus.GATEWAY_TIMEOUT: {
        "code": PaymentOutcomeUnknown.code,
        "detail": "the payment gateway did not answer in time; retry: it will never charge twice",
        "field": "payment",
    },
}


def _status_of(error: type[DomainError]) -> int:
    for kind in error.__mro__:
        if kind in DOMAIN_ERROR_STATUS:
            return int(DOMAIN_ERROR_STATUS[kind])
    return int(HTTPStatus.BAD_REQUEST)


def problem_response(status: int) -> ResponseSpec:
    phrase = HTTPStatus(status).phrase
    example = {"title": phrase, "status": status, **_EXAMPLES.get(status, {"code": "error", "detail": phrase})}
    example["type"] = problem_type(example["code"])
    return ResponseSpec(
        data_container=Problem,
        generate_examples=False,
        description=_DESCRIPTIONS.get(status, phrase),
        media_type=PROBLEM_JSON,
        examples=[Example(summary=phrase, value=dict(sorted(example.items())))],
    )


def problems(*errors: type[DomainError] | int) -> dict[int, ResponseSpec]:
    """The ``responses=`` of a route whose use case can raise these errors (or answer these statuses)."""
    statuses = {error if isinstance(error, int) else _status_of(error) for error in errors}
    return {status: problem_response(status) for status in sorted(statuses)}


API_PATH = "/api/"

# Handler arguments Litestar fills itself: they are not request input that could be invalid.
_NOT_INPUT = frozenset({"self", "request", "state", "scope", "socket", "headers", "cookies", "query", "body"})


def _reads_input(route: HTTPRoute, handler: HTTPRouteHandler) -> bool:
    if route.path_parameters:
        return True
    injected = set(handler.resolve_dependencies())
    return any(name not in _NOT_INPUT and name not in injected for name in handler.parsed_fn_signature.parameters)


def _automatic_statuses(route: HTTPRoute, handler: HTTPRouteHandler) -> Iterable[int]:
    if _reads_input(route, handler):
        yield HTTPStatus.BAD_REQUEST
    if "cursor" in handler.parsed_fn_signature.parameters:
        yield HTTPStatus.UNPROCESSABLE_ENTITY  # a cursor this server did not issue for this listing
    if handler.parsed_data_field is not None:
        # A body that is not declared JSON; text with control characters in it.
        yield HTTPStatus.UNSUPPORTED_MEDIA_TYPE
        yield HTTPStatus.UNPROCESSABLE_ENTITY
    if handler.resolve_security():
        yield HTTPStatus.UNAUTHORIZED
    if handler.opt.get("rate_limits"):
        yield HTTPStatus.TOO_MANY_REQUESTS
    # Any API operation can fail on our side, or find the database away; still a problem document.
    if route.path.startswith(API_PATH):
        yield HTTPStatus.INTERNAL_SERVER_ERROR
        yield HTTPStatus.SERVICE_UNAVAILABLE


def document_problems(app: Litestar) -> None:
    """Give every operation its problem responses; call once the routes are registered."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            # Generated examples are random (the document changed on every start): fixed ones or none.
            declared = {
                status: dataclasses.replace(spec, generate_examples=False)
                for status, spec in (handler.responses or {}).items()
            }
            automatic = {status: problem_response(status) for status in _automatic_statuses(route, handler)}
            handler.responses = dict(sorted({**automatic, **declared}.items()))


class ClosedRequestBodies(StructSchemaPlugin):
    """A request body refuses fields it does not know (``RequestBody``): say so, ``additionalProperties: false``."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return not field_definition.is_union and field_definition.is_subclass_of(RequestBody)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        _restate_item_constraints(field_definition.type_, schema)
        return schema


def _restate_item_constraints(struct: type, schema: Schema) -> None:
    """Litestar drops the constraints of a list's items (``list[Annotated[str, Meta(...)]]``): restate them."""
    info = msgspec.inspect.type_info(struct)
    for field in getattr(info, "fields", ()):
        kinds = field.type.types if isinstance(field.type, msgspec.inspect.UnionType) else (field.type,)
        for kind in kinds:
            if not isinstance(kind, msgspec.inspect.ListType) or not isinstance(
                kind.item_type, msgspec.inspect.StrType
            ):
                continue
            item = kind.item_type
            prop = (schema.properties or {}).get(field.encode_name)
            arrays = [prop, *(getattr(prop, "one_of", None) or [])]
            for array in arrays:
                if isinstance(array, Schema) and isinstance(array.items, Schema):
                    array.items.pattern = item.pattern
                    array.items.max_length = item.max_length
                    array.items.min_length = item.min_length or None


def allow_every_method_of_a_path(app: Litestar) -> None:
    """``OPTIONS`` lists every method a path answers, not only those of the controller registered first.

    Litestar builds each controller's routes on its own, each with an ``OPTIONS``
    handler answering from *that* route's methods, then merges the routes of a path:
    ``/me`` answered ``Allow: GET, OPTIONS`` although it also answers PATCH. The
    handler reads the route it closes over at call time, so that route learns them all.
    """
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if "OPTIONS" in handler.http_methods and handler.fn.__closure__:
                for cell in handler.fn.__closure__:
                    if isinstance(cell.cell_contents, HTTPRoute):
                        cell.cell_contents.methods = set(route.methods)


def openapi_document(app: Litestar) -> str:
    """The OpenAPI document the app serves, as stable, readable JSON (``docs/openapi.json``)."""
    served = msgspec.json.decode(encode_json(app.openapi_schema.to_schema()))
    return json.dumps(served, indent=2, ensure_ascii=False) + "\n"


def documented_header(name: str, description: str, *, example: str) -> list[ResponseHeader]:
    """The ``response_headers=`` of a route whose handler sets ``name`` itself: documentation only.

    The example value gives the header its string schema.
    """
    return [ResponseHeader(name=name, description=description, value=example, documentation_only=True)]


LOCATION = documented_header("Location", "The URL of what was created.", example="/api/v1/...")
"""The ``response_headers=`` of a route that answers 201."""


def created(body: T, location: str) -> Response[T]:
    """A 201 with the URL of what was created, as RFC 9110 asks."""
    return Response(body, status_code=HTTPStatus.CREATED, headers={"Location": location})


ETAG = documented_header(
    "ETag",
    "A validator of the page's bytes: send it back in If-None-Match to get a 304 while it holds.",
    example='"0123456789abcdef01234567"',
)
