"""Schemathesis hook (``SCHEMATHESIS_HOOKS=tests.e2e.fuzz_auth``): every generated request as one logged-in role.

The role's account is named by ``COMMERCE_FUZZ_USERNAME`` / ``COMMERCE_FUZZ_PASSWORD``
on the server at ``COMMERCE_FUZZ_BASE_URL``. The token is fetched again every 30 s and
after any 401, since the fuzzer itself may log the session out.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis


@schemathesis.auth(refresh_interval=30)
class LoggedInRole:
    def get(self, case: Any, context: Any) -> str:
        response = httpx.post(
            f"{os.environ['COMMERCE_FUZZ_BASE_URL']}/api/v1/auth/login",
            json={"username": os.environ["COMMERCE_FUZZ_USERNAME"], "password": os.environ["COMMERCE_FUZZ_PASSWORD"]},
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
