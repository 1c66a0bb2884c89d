"""A small HTTP/1.1 keep-alive client for the scenarios that need per-user state (checkout, mixed).

Hand-rolled on asyncio streams rather than httpx: the client shares the
machine with the server, and every millisecond it spends is one the server
does not get.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

ADDRESS = {
    "recipient": "Comprador de prueba",
    "line1": "Calle 10 # 5-20",
    "city": "Bogotá",
    "region": "Cundinamarca",
    "country": "CO",
    "phone": "3001234567",
}


class HttpConnection:
    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        payload = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self._host}", f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        if token:
            lines.append(f"Authorization: Bearer {token}")
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        assert self._reader is not None
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self._reader.readexactly(length) if length else b""

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


@dataclass(slots=True)
class Tally:
    """What a client scenario did: completed operations (checkouts), requests, errors, latencies."""

    operations: int = 0
    requests: int = 0
    errors: int = 0
    conflicts: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)


async def log_in(host: str, port: int, email: str, password: str) -> str:
    connection = HttpConnection(host, port)
    try:
        status, body = await connection.request(
            "POST", "/api/v1/auth/login", body={"username": email, "password": password}
        )
    finally:
        await connection.close()
    if status != 200:
        raise RuntimeError(f"login of {email} failed: {status} {body[:200]!r}")
    return str(json.loads(body)["access_token"])


async def checkout_once(connection: HttpConnection, token: str, product_id: str, tally: Tally) -> None:
    """Cart, checkout, payment: one bought item. A 409 (sold out) is counted, not an error."""
    started = time.perf_counter()
    status, body = await connection.request(
        "PUT", f"/api/v1/cart/items/{product_id}", body={"quantity": 1}, token=token
    )
    tally.requests += 1
    if status != 200:
        tally.error(f"cart {status} {body[:120]!r}")
        return
    status, body = await connection.request(
        "POST",
        "/api/v1/checkouts",
        body={"shipping_address": ADDRESS},
        token=token,
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    tally.requests += 1
    if status == 409:
        tally.conflicts += 1
        await connection.request("DELETE", "/api/v1/cart", token=token)
        tally.requests += 1
        return
    if status != 201:
        tally.error(f"checkout {status} {body[:120]!r}")
        return
    checkout_id = json.loads(body)["id"]
    status, body = await connection.request(
        "POST",
        f"/api/v1/checkouts/{checkout_id}/payment",
        body={"method": "card", "token": "tok_visa_ok"},
        token=token,
    )
    tally.requests += 1
    if status != 200:
        tally.error(f"payment {status} {body[:120]!r}")
        return
    tally.operations += 1
    tally.latencies_ms.append((time.perf_counter() - started) * 1000)


Step = Callable[[HttpConnection, int, Tally], Awaitable[None]]


async def drive(host: str, port: int, users: int, seconds: float, step: Step) -> tuple[Tally, float]:
    """``users`` concurrent loops, each on its own keep-alive connection, for ``seconds``."""
    tally = Tally()
    deadline = time.perf_counter() + seconds

    async def user(index: int) -> None:
        connection = HttpConnection(host, port)
        try:
            while time.perf_counter() < deadline:
                try:
                    await step(connection, index, tally)
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    tally.error(f"{error.__class__.__name__}: {error}")
                    await connection.close()
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(user(index) for index in range(users)))
    return tally, time.perf_counter() - started


def mixed_step(tokens: list[str], browse_paths: list[str], product_ids: list[str], checkout_ids: list[str]) -> Step:
    """80 % browse (cached listings and product pages), 15 % cart, 5 % checkout."""
    rng = random.Random(9)

    async def step(connection: HttpConnection, index: int, tally: Tally) -> None:
        token = tokens[index % len(tokens)]
        roll = rng.random()
        started = time.perf_counter()
        if roll < 0.80:
            status, _ = await connection.request("GET", rng.choice(browse_paths))
            tally.requests += 1
            if status != 200:
                tally.error(f"browse {status}")
        elif roll < 0.95:
            status, _ = await connection.request(
                "PUT", f"/api/v1/cart/items/{rng.choice(product_ids)}", body={"quantity": 1}, token=token
            )
            tally.requests += 1
            if status != 200:
                tally.error(f"cart {status}")
            await connection.request("DELETE", "/api/v1/cart", token=token)
            tally.requests += 1
        else:
            await checkout_once(connection, token, checkout_ids[index % len(checkout_ids)], tally)
            return
        tally.operations += 1
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)

    return step
