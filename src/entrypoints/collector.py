"""How a long-running server process sets up Python's garbage collector once its startup is done."""

from __future__ import annotations

import gc

# Allocations (net of frees) of container objects between two young-generation collections; CPython's
# default is 700. A request of this API allocates thousands (statements, rows, dataclasses), so at
# 700 the collector ran several times per request, each pass walking what the request still holds.
# 20,000 bounds what the young generation can hold to a few MB (measured: docs/performance.md).
YOUNG_THRESHOLD = 20_000


def settle_after_startup() -> None:
    """Freeze what startup built (modules, routes, compiled statements, the wiring) and collect less often.

    ``gc.freeze`` moves every object alive now to a generation the collector never walks: they live
    as long as the process, so walking them in every full collection was pure cost. Objects that
    form reference cycles after this point are collected as before.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
