"""What every controller shares: the Bearer requirement, request bodies, PATCH fields, pages and cursors."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Self, TypeVar
from uuid import UUID

import msgspec
from litestar import Controller
from litestar.params import QueryParameter
from msgspec import UnsetType

from application.pagination import Page
from domain.errors import InvalidValue

T = TypeVar("T")
K = TypeVar("K")
S = TypeVar("S", bound=msgspec.Struct)
P = TypeVar("P", bound=msgspec.Struct)

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
"""The OpenAPI security requirement of every route that needs a caller."""

Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (1-100)")]
Cursor = Annotated[str | None, QueryParameter(max_length=512, description="next_cursor of the previous page")]


class RequestBody(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every request body: a field the API does not know is a 400 naming it, never ignored."""


class Copied(msgspec.Struct):
    """Base of a response that is a 1:1 copy of an application or domain object (same field names)."""

    @classmethod
    def of(cls, source: object) -> Self:
        return msgspec.convert(source, cls, from_attributes=True)


@functools.cache
def _struct_fields(response: type[msgspec.Struct]) -> tuple[msgspec.structs.FieldInfo, ...]:
    # msgspec.structs.fields evaluates the class's annotations on every call: a third of a listing
    # page's CPU when it was called for each card (bench profile, docs/performance.md).
    return msgspec.structs.fields(response)


def copy_into(response: type[S], source: object, **derived: Any) -> S:
    """``response`` with ``source``'s attributes of the same names, and ``derived`` for the fields that are not copies.

    A mapping then names only what differs between the wire and the object; a
    field that is a plain copy on both sides needs no line of its own.
    """
    fields = _struct_fields(response)
    unknown = derived.keys() - {field.name for field in fields}
    if unknown:
        raise TypeError(f"{response.__name__} has no field {', '.join(sorted(unknown))}")
    values = {
        field.encode_name: derived[field.name] if field.name in derived else getattr(source, field.name)
        for field in fields
    }
    return msgspec.convert(values, response, from_attributes=True)


def fields_of(body: msgspec.Struct) -> dict[str, Any]:
    """A body's fields by name, for a command that takes the same fields under the same names."""
    return msgspec.structs.asdict(body)


def changes_of(body: msgspec.Struct) -> dict[str, Any]:
    """A PATCH body's fields by name, each one left out as None ("no change"), for a command with the same names."""
    return {name: unset_to_none(value) for name, value in fields_of(body).items()}


class StaffArea(Controller):
    """Base of the platform staff's controllers: tagged ``staff``, every route needs a caller."""

    tags = ["staff"]
    security = BEARER


def unset_to_none(value: T | UnsetType) -> T | None:
    """A PATCH field the client left out means "no change" to the use case."""
    return None if isinstance(value, UnsetType) else value


@dataclass(frozen=True, slots=True)
class Listing(Generic[K]):
    """How one listing's positions travel inside its cursors."""

    name: str
    load: Callable[[Any], K]
    dump: Callable[[K], Any]


def listed_by_id(name: str, of: Callable[[UUID], K]) -> Listing[K]:
    """A newest-first listing that seeks by the id of the last row seen."""
    return Listing(name=name, load=lambda raw: of(_uuid(raw)), dump=str)


def _uuid(raw: Any) -> UUID:
    if not isinstance(raw, str):
        raise TypeError("an id position is a string")
    return UUID(raw)


class Cursors:
    """Opaque, tamper-evident cursors: ``base64url(json) . base64url(hmac)``.

    Clients can hold a cursor but not forge or edit one. A cursor names its
    listing and, for listings that depend on filters or a parent (a search,
    one merchant's products), the ``scope`` it was issued for: it only
    continues that same listing.
    """

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"commerce-cursor:" + secret_key.encode()).digest()

    def position(self, listing: Listing[K], cursor: str | None, *, scope: str = "") -> K | None:
        """Where the page after ``cursor`` starts (None: the first page); a 422 for any other cursor."""
        if cursor is None:
            return None
        content = self._verified(cursor)
        if content.get("k") != listing.name:
            raise _bad_cursor()
        if content.get("q", "") != scope:
            raise InvalidValue("the cursor belongs to another listing", field="cursor", rule="cursor")
        # Signed by us, yet checked: a position of the wrong shape is a 422, never a 500 (or a query).
        try:
            return listing.load(content["p"])
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            raise _bad_cursor() from None

    def pager(self, listing: Listing[K], cursor: str | None, *, scope: str = "") -> Pager[K]:
        """One listing request's cursors, its ``scope`` named once: where its page starts, and the next cursor."""
        return Pager(self, listing, scope, self.position(listing, cursor, scope=scope))

    def next_cursor(self, listing: Listing[K], page: Page[Any, K], *, scope: str = "") -> str | None:
        """The cursor of the page after ``page``, or None on the last page."""
        if page.next_position is None:
            return None
        content: dict[str, Any] = {"k": listing.name, "p": listing.dump(page.next_position)}
        if scope:
            content["q"] = scope
        body = msgspec.json.encode(content)
        return f"{_b64(body)}.{_b64(self._sign(body))}"

    def _verified(self, cursor: str) -> dict[str, Any]:
        try:
            body_part, signature_part = cursor.split(".", 1)
            body = _unb64(body_part)
            signature = _unb64(signature_part)
        except (ValueError, binascii.Error):
            raise _bad_cursor() from None
        if not hmac.compare_digest(signature, self._sign(body)):
            raise _bad_cursor()
        try:
            return msgspec.json.decode(body, type=dict[str, Any])
        except msgspec.DecodeError:
            raise _bad_cursor() from None

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:16]


@dataclass(frozen=True, slots=True)
class Pager(Generic[K]):
    """The cursors of one listing request (``Cursors.pager``): ``after`` for the query, then the response."""

    cursors: Cursors
    listing: Listing[K]
    scope: str
    after: K | None
    """Where the requested page starts (None: the first page)."""

    def next_cursor(self, page: Page[Any, K]) -> str | None:
        return self.cursors.next_cursor(self.listing, page, scope=self.scope)

    def respond(self, response: Callable[..., P], page: Page[T, K], item: Callable[[T], Any]) -> P:
        """The ``response`` page Struct: each item mapped by ``item``, and the cursor of the page after."""
        return response(items=[item(row) for row in page.items], next_cursor=self.next_cursor(page))


def _bad_cursor() -> InvalidValue:
    return InvalidValue("the cursor is not valid; start again from the first page", field="cursor", rule="cursor")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
