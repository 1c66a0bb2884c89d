"""Full-text search terms, and how a relevance listing finds the matches it ranks (ADR 0016)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, func, literal_column, select

from adapters.postgres.tables import ProductRow

_WORD = re.compile(r"\w+", re.UNICODE)
# Relevance ranks at most this many matches, the newest: a word in most names (or a one-letter
# prefix) must not rank and sort the whole catalog for one page.
RANKED_MATCHES = 1_000
# How common the words are is probed among the newest PROBE products: where the GIN index would hand
# over more matches than a walk of the newest products needs to read to hold RANKED_MATCHES of them
# (at most MAX_WINDOW), the matches are ranked from that walk instead (see ranking_window).
PROBE = 1_000
MAX_WINDOW = 30_000
# A probe's outcome is kept per words and browsed section (not per price band) for this long: how
# common a word is changes with the catalog, slowly; the page of results is computed every time.
PROBE_MEMORY_SECONDS = 300.0
MAX_REMEMBERED_PROBES = 10_000

# The planner's row count of products (pg_class.reltuples: -1 before the first ANALYZE).
_PRODUCTS_ESTIMATE: ColumnElement[float] = literal_column(
    "(SELECT reltuples FROM pg_class WHERE oid = 'products'::regclass)"
)


def search_terms(text: str) -> str | None:
    """``zapatos de cuero nat`` → ``zapatos & de & cuero & nat:*`` (prefix match for the last word)."""
    words = _WORD.findall(text.lower())[:8]
    if not words:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


def text_query(terms: str) -> ColumnElement[Any]:
    """The terms as a tsquery, parsed once per statement.

    A scalar subquery (an InitPlan): written inline, a prepared statement's generic plan parses and
    stems the terms again for every row it matches or ranks (5.2 ms against 3.2 ms for 900 matches).
    Both configurations are spelled in the SQL (not parameters): the text is the same for every term.
    """
    words = bindparam("terms", terms, type_=String)
    spanish = func.to_tsquery(literal_column("'commerce_es'::regconfig"), words)
    english = func.to_tsquery(literal_column("'commerce_en'::regconfig"), words)
    return select(spanish.op("||")(english)).scalar_subquery()


def ranking_window(walked: int, matched: int, products_estimate: float) -> int | None:
    """How many of the newest products to walk for a relevance ranking, or None to use the GIN index.

    ``matched`` of the newest ``walked`` products (at most PROBE) match the words; ``products_estimate``
    is the planner's count of products. The walk reads ``window`` entries to hold about RANKED_MATCHES
    matches (half as many again, for the spread); the index reads every match. Whichever reads fewer
    rows wins: a word in 9 % of 10,000 names is 900 index reads against a 16,600-entry walk, while a
    word in 22 % of 100,000 names is 22,000 index reads against a 6,800-entry walk.
    """
    if walked < PROBE or matched == 0:
        return None  # fewer than PROBE products pass the filters at all: the index hands over fewer
    window = min(MAX_WINDOW, RANKED_MATCHES * walked * 3 // (matched * 2))
    expected_matches = products_estimate * matched / walked
    return window if expected_matches > window else None


def probe_statement(terms: str, conditions: Sequence[ColumnElement[bool]]) -> Select[int, int, float]:
    """Of the newest PROBE products passing ``conditions``: how many were walked, how many match the
    terms, and the planner's estimate of all products. A walk of PROBE index entries."""
    newest = (
        select(ProductRow.search_vector)
        .where(ProductRow.listed, *conditions)
        .order_by(ProductRow.id.desc())
        .limit(PROBE)
        .subquery("newest")
    )
    matches = newest.c.search_vector.op("@@")(text_query(terms))
    return select(func.count(), func.count().filter(matches), _PRODUCTS_ESTIMATE).select_from(newest)


@dataclass(frozen=True, slots=True)
class RememberedWindow:
    probed_at: float
    window: int | None


class RankingWindows:
    """The ranking window of each (words, section) as last probed, kept PROBE_MEMORY_SECONDS.

    Per process and bounded: past MAX_REMEMBERED_PROBES it starts over rather than grow.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[Hashable, RememberedWindow] = {}

    def recall(self, section: Hashable) -> RememberedWindow | None:
        remembered = self._windows.get(section)
        if remembered is None or self._clock() - remembered.probed_at >= PROBE_MEMORY_SECONDS:
            return None
        return remembered

    def keep(self, section: Hashable, window: int | None) -> int | None:
        if len(self._windows) >= MAX_REMEMBERED_PROBES:
            self._windows.clear()
        self._windows[section] = RememberedWindow(self._clock(), window)
        return window
