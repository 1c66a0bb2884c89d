"""Read a listing's ``Page`` as the items and the position the next page starts after."""

from __future__ import annotations

from typing import Any

from application.pagination import Page


def page_of(result: Page[Any, Any]) -> tuple[list[Any], Any]:
    """The items and the position the next page starts after (``None`` on the last page)."""
    return list(result.items), result.next_position
