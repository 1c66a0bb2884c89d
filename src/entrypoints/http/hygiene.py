"""Response headers every answer carries, whoever produced it (a route, the router, the docs).

* ``X-Content-Type-Options: nosniff``: a browser never guesses a type we did not send.
* ``Referrer-Policy: no-referrer``: links in the docs leak no URL.
* ``Strict-Transport-Security`` in production: browsers only come back over HTTPS.
* no ``Server`` header: no version for a scanner to match (uvicorn's is off too).
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000; includeSubDomains"
_ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))


def security_headers_middleware(app: ASGIApp, *, hsts: bool) -> ASGIApp:
    added = _ALWAYS + (((b"strict-transport-security", HSTS),) if hsts else ())
    replaced = {name for name, _ in added} | {b"server"}

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, value) for name, value in message.get("headers", []) if name.lower() not in replaced]
                message["headers"] = [*headers, *added]
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
