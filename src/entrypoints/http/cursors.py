"""Opaque, tamper-evident pagination cursors."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

import msgspec

from domain.errors import InvalidValue


class CursorCodec:
    """``base64url(json) . base64url(hmac)``: clients can hold a cursor but not forge or edit one."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"commerce-cursor:" + secret_key.encode()).digest()

    def encode(self, kind: str, position: dict[str, Any]) -> str:
        body = msgspec.json.encode({"k": kind, **position})
        return f"{_b64(body)}.{_b64(self._sign(body))}"

    def decode(self, kind: str, cursor: str) -> dict[str, Any]:
        try:
            body_part, signature_part = cursor.split(".", 1)
            body = _unb64(body_part)
            signature = _unb64(signature_part)
        except (ValueError, binascii.Error):
            raise _bad_cursor() from None
        if not hmac.compare_digest(signature, self._sign(body)):
            raise _bad_cursor()
        try:
            position = msgspec.json.decode(body, type=dict[str, Any])
        except msgspec.DecodeError:
            raise _bad_cursor() from None
        if position.pop("k", None) != kind:
            raise _bad_cursor()
        return position

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:16]


def _bad_cursor() -> InvalidValue:
    return InvalidValue("the cursor is not valid; start again from the first page", field="cursor", rule="cursor")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
