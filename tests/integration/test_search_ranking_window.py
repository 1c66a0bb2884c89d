"""How a relevance search picks the matches it ranks: the GIN index, or a walk of the newest products."""

import pytest

from adapters.postgres.catalog.relevance import (
    MAX_REMEMBERED_PROBES,
    MAX_WINDOW,
    PROBE,
    PROBE_MEMORY_SECONDS,
    RankingWindows,
    ranking_window,
)


@pytest.mark.parametrize(
    ("matched", "products", "expected"),
    [
        (30, 10_000, None),  # a rare word: the index hands over ~300 matches
        (90, 10_000, None),  # 9 % of 10,000: 900 index reads beat a 16,666-entry walk
        (220, 100_000, 6_818),  # 22 % of 100,000: 22,000 index reads against a 6,818-entry walk
        (1_000, 100_000, 1_500),  # a one-letter prefix matches every name
        (20, 10_000_000, MAX_WINDOW),  # 2 % of ten million: the walk is capped
        (0, 100_000, None),
    ],
)
def test_the_matches_come_from_whichever_reads_fewer_rows(matched, products, expected):
    assert ranking_window(PROBE, matched, products) == expected


def test_when_fewer_products_than_the_probe_pass_the_filters_the_index_serves():
    assert ranking_window(PROBE - 1, PROBE - 1, 1_000_000) is None


def test_an_unanalysed_table_counts_as_small():
    assert ranking_window(PROBE, 500, -1.0) is None


def test_a_probe_is_remembered_for_its_time_then_probed_again():
    now = [1_000.0]
    windows = RankingWindows(clock=lambda: now[0])
    assert windows.recall("negro") is None
    assert windows.keep("negro", 6_818) == 6_818
    now[0] += PROBE_MEMORY_SECONDS - 1
    remembered = windows.recall("negro")
    assert remembered is not None
    assert remembered.window == 6_818
    now[0] += 1
    assert windows.recall("negro") is None


def test_the_memory_starts_over_instead_of_growing_past_its_bound():
    windows = RankingWindows(clock=lambda: 0.0)
    for number in range(MAX_REMEMBERED_PROBES):
        windows.keep(number, None)
    windows.keep("one more", 1_500)
    assert windows.recall(0) is None
    remembered = windows.recall("one more")
    assert remembered is not None
    assert remembered.window == 1_500
