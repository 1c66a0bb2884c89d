"""What the API accepts as input, checked before anything reaches a use case or the database.

* Text: no control characters (NUL, escape sequences, C1 codes) in any field or
  filter; the free-text fields (descriptions, ticket messages) also allow line
  breaks. The rule is a ``pattern`` in the schema, so clients and fuzzers see it.
* JSON bodies: only ``application/json`` (or a ``+json`` type) is read as JSON;
  anything else is a 415. A body is decoded *strictly* into the route's own
  type: ``"1000"``, ``1000.0`` and ``1e3`` are not integers, ``0``/``1`` are not
  booleans. A body that is not UTF-8 or nests too deeply is a 400, never a 500.
"""

from __future__ import annotations

import functools
import re
from http import HTTPStatus
from typing import Annotated, Any

import msgspec
from litestar import Request
from litestar.exceptions import ClientException, HTTPException, ValidationException
from msgspec import Meta

from domain.errors import InvalidValue

# ``(?![\s\S])`` is "end of the text" in both Python and ECMAScript regexes; ``$`` would
# let a trailing newline through in Python, which msgspec uses to check the pattern.
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*(?![\s\S])"
"""One line of text: no control characters at all."""
MULTILINE_PATTERN = r"^[^\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]*(?![\s\S])"
"""Free text: no control characters but line breaks (``\\n``, ``\\r``)."""
_TEXT_PATTERNS = (LINE_PATTERN, MULTILINE_PATTERN)

MINIMUM_ZERO: dict[str, Any] = {"minimum": 0}
"""``schema_extra`` for a ``ge=0`` query parameter: Litestar drops a falsy bound from the schema."""


def line(*, min_length: int = 0, max_length: int, description: str | None = None) -> Any:
    """``Annotated[str, line(...)]``: a single line of text."""
    return Meta(min_length=min_length, max_length=max_length, pattern=LINE_PATTERN, description=description)


def multiline(*, min_length: int = 0, max_length: int, description: str | None = None) -> Any:
    """``Annotated[str, multiline(...)]``: free text, line breaks allowed."""
    return Meta(min_length=min_length, max_length=max_length, pattern=MULTILINE_PATTERN, description=description)


Url = Annotated[str, line(min_length=1, max_length=2000)]

_JSON_TYPE = re.compile(r"^application/([a-z0-9.+-]+\+)?json$")


class UnsupportedMediaType(HTTPException):
    status_code = HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class UnreadableBody(ClientException):
    """The body is not JSON we can read: not UTF-8, malformed, or nested too deeply."""


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def require_iso_datetimes(request: Request[Any, Any, Any], *names: str) -> None:
    """Date-time query parameters are ISO 8601 text: Litestar would also read ``0.5`` as a Unix time."""
    invalid = [name for name in names if (raw := request.query_params.get(name)) and not _ISO_DATETIME.match(raw)]
    if invalid:
        raise ValidationException(
            detail=f"invalid request: {', '.join(invalid)}",
            extra=[{"key": name, "message": "Expected an ISO 8601 date-time", "source": "query"} for name in invalid],
        )


def require_json(request: Request[Any, Any, Any]) -> None:
    """A JSON route reads only JSON: ``text/plain`` or a form is refused, not guessed at."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not _JSON_TYPE.match(media_type):
        raise UnsupportedMediaType(detail=f"send the body as application/json (got {media_type or 'no Content-Type'})")


def check_body(request: Request[Any, Any, Any], body: bytes) -> None:
    """Decode ``body`` strictly into the route's body type; raise a 400 or 422 naming the field."""
    field = request.route_handler.parsed_data_field
    if field is None:
        return
    try:
        _decoder(field.annotation).decode(body or b"null")
    except msgspec.ValidationError as error:
        raise _invalid(str(error)) from None
    except (msgspec.DecodeError, UnicodeDecodeError) as error:
        raise UnreadableBody(detail=str(error)) from None
    except RecursionError:
        raise UnreadableBody(detail="it nests too deeply") from None


@functools.cache
def _decoder(body_type: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(body_type, strict=True)


_NAMED_FIELD = re.compile(r"^Object (?:missing required|contains unknown) field `([^`]+)`$")
# msgspec reads a JSON integer too big for 64 bits as a float, so "got `float`" also means "got a long integer".
_NUMBER_FOR_OTHER = re.compile(r"^Expected `(?P<expected>[^`]+)`, got `(?:int|float)`$")
_NUMERIC = ("int", "float", "number")
_EXPECTED: dict[str, str] = {
    "str": "a string",
    "uuid": "a UUID string",
    "datetime": "an ISO 8601 date-time string",
    "bool": "true or false",
    "array": "an array",
    "object": "an object",
}


def breaks_text_rule(reason: str) -> bool:
    """Whether ``reason`` is a text field's refusal of control characters (the pattern of ``line``/``multiline``)."""
    return "matching regex" in reason and any(repr(pattern) in reason for pattern in _TEXT_PATTERNS)


def readable_reason(name: str, reason: str) -> str:
    """Say what is wrong with ``name`` in words, where the decoder's reason would mislead or show its internals."""
    if breaks_text_rule(reason):
        return f"{name} must not contain control characters"
    if reason == "Number out of range":
        return f"{name} is a number out of range"
    wrong_type = _NUMBER_FOR_OTHER.match(reason)
    if wrong_type and not wrong_type["expected"].startswith(_NUMERIC):
        expected = wrong_type["expected"]
        return f"{name} must be {_EXPECTED.get(expected, f'`{expected}`')}, not a number"
    return reason


def _invalid(message: str) -> Exception:
    reason, _, where = message.partition(" - at `")
    path = where.rstrip("`").removeprefix("$").lstrip(".")
    # A missing or unknown field is named itself, not the object that lacks or holds it.
    named = _NAMED_FIELD.match(reason)
    if named:
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    path = path or "body"
    if breaks_text_rule(reason):
        return InvalidValue(readable_reason(path, reason), field=path, rule="no_control_characters")
    return ValidationException(
        detail=f"invalid request: {path}",
        extra=[{"key": path, "message": reason, "source": "body"}],
    )
