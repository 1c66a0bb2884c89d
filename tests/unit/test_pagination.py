"""Keyset pages: the extra row is the only sign that another page follows."""

from application.pagination import keyset_page
from tests.unit.pages import page_of


def test_a_full_last_page_has_no_next_position():
    items, position = page_of(keyset_page([1, 2, 3], 3, lambda row: row * 10))
    assert (items, position) == ([1, 2, 3], None)


def test_one_row_more_than_the_limit_gives_the_last_items_key():
    items, position = page_of(keyset_page([1, 2, 3, 4], 3, lambda row: row * 10))
    assert (items, position) == ([1, 2, 3], 30)


def test_an_empty_listing_is_one_empty_page():
    assert page_of(keyset_page([], 20, lambda row: row)) == ([], None)
