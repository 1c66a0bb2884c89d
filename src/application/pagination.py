"""Keyset pages: ask for one row more than the page holds to learn whether another page follows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K")


def keyset_page(rows: Sequence[T], limit: int, key: Callable[[T], K]) -> tuple[list[T], K | None]:
    """The first ``limit`` rows, and the key of the last one when more rows follow (else None).

    ``rows`` must have been fetched with ``limit + 1``.
    """
    items = list(rows[:limit])
    return items, (key(items[-1]) if len(rows) > limit else None)
