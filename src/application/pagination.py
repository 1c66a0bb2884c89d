"""Keyset pages: one result shape, one limit clamp, one way to learn whether another page follows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
K = TypeVar("K")

MAX_PAGE = 100
"""No listing hands out more rows than this at once, whatever the caller asks for."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T, K]):
    """A page of ``T`` and the position after which the next page starts (None: this is the last page).

    ``K`` is what a listing seeks by: an id for newest-first listings, the
    sort key values for the public catalog. Pages never use OFFSET.
    """

    items: list[T]
    next_position: K | None


def page_size(requested: int) -> int:
    """The page size a listing serves: at least one row, at most ``MAX_PAGE``."""
    return max(1, min(requested, MAX_PAGE))


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRequest(Generic[K]):
    """What every listing query carries: where its page starts and how many rows it asks for.

    ``after`` is the key of the last row of the previous page (None: the
    first page). A listing serves ``size`` rows, fetches ``size + 1`` and
    hands them to ``page``.
    """

    after: K | None = None
    limit: int = 20

    @property
    def size(self) -> int:
        return page_size(self.limit)

    def page(self, rows: Sequence[T], key: Callable[[T], K]) -> Page[T, K]:
        return keyset_page(rows, self.size, key)


def keyset_page(rows: Sequence[T], limit: int, key: Callable[[T], K]) -> Page[T, K]:
    """The first ``limit`` rows, and the key of the last one when more rows follow.

    ``rows`` must have been fetched with ``limit + 1``: the extra row only
    says that another page exists.
    """
    items = list(rows[:limit])
    return Page(items=items, next_position=key(items[-1]) if len(rows) > limit else None)
