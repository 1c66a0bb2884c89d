"""A listing controller's pager: one scope for the position it reads and the cursor it hands out."""

from __future__ import annotations

from uuid import UUID

import msgspec
import pytest

from application.pagination import Page
from domain.errors import InvalidValue
from entrypoints.http.shared import Cursors, listed_by_id

THINGS = listed_by_id("things", lambda thing_id: thing_id)
FIRST, SECOND = UUID(int=1), UUID(int=2)


class Thing(msgspec.Struct):
    id: UUID


class ThingPage(msgspec.Struct):
    items: list[Thing]
    next_cursor: str | None


def test_the_first_page_starts_nowhere_and_its_cursor_continues_after_its_last_row():
    cursors = Cursors("secret")
    first = cursors.pager(THINGS, None, scope="store-1")
    assert first.after is None

    response = first.respond(ThingPage, Page(items=[FIRST, SECOND], next_position=SECOND), Thing)

    assert response.items == [Thing(FIRST), Thing(SECOND)]
    assert response.next_cursor is not None
    assert cursors.pager(THINGS, response.next_cursor, scope="store-1").after == SECOND


def test_the_last_page_has_no_next_cursor():
    pager = Cursors("secret").pager(THINGS, None)
    assert pager.respond(ThingPage, Page(items=[FIRST], next_position=None), Thing).next_cursor is None


def test_a_cursor_only_continues_the_scope_it_was_issued_for():
    cursors = Cursors("secret")
    cursor = cursors.pager(THINGS, None, scope="store-1").next_cursor(Page(items=[FIRST], next_position=FIRST))

    with pytest.raises(InvalidValue) as refused:
        cursors.pager(THINGS, cursor, scope="store-2")
    assert refused.value.rule == "cursor"
