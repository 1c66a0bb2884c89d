"""Read a listing's result whatever its shape while listings move to one page type."""

from __future__ import annotations

from typing import Any


def page_of(result: Any) -> tuple[list[Any], Any]:
    """The items and the position the next page starts after (``None`` on the last page)."""
    if isinstance(result, tuple):
        items, position = result
        return list(items), position
    position = result.next_position if hasattr(result, "next_position") else result.last_id
    return list(result.items), position
