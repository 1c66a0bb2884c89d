import gc
from collections.abc import Iterator

import pytest

from entrypoints.collector import YOUNG_THRESHOLD, settle_after_startup


@pytest.fixture
def restored_collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_collector")
def test_after_startup_what_startup_built_is_frozen_and_the_young_generation_is_collected_less_often() -> None:
    _, middle, old = gc.get_threshold()

    settle_after_startup()

    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, old)
    assert gc.isenabled()
