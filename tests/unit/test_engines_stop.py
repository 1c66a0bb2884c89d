"""A command stops, and says it stops, only the embedded engines it started itself."""

import logging
from pathlib import Path

from adapters.embedded import EmbeddedRedis
from entrypoints.engines import RunningEngines
from entrypoints.settings import load_settings

STOPPING = "stopping the embedded engines"


class RecordingRedis(EmbeddedRedis):
    """An embedded Redis that records its shutdown instead of signalling a process."""

    def __init__(self, data_dir: Path, *, owned: bool) -> None:
        super().__init__(data_dir)
        self.owned = owned
        self.shut_down = False

    def _shutdown(self) -> None:
        self.shut_down = True


def _engines(tmp_path: Path, server: RecordingRedis) -> RunningEngines:
    return RunningEngines(load_settings(environ={"COMMERCE_DATA_DIR": str(tmp_path)}, dotenv=None), embedded=[server])


def test_a_command_that_attached_to_running_engines_neither_stops_them_nor_says_so(tmp_path, caplog):
    attached = RecordingRedis(tmp_path, owned=False)
    with caplog.at_level(logging.INFO, logger="entrypoints.engines"):
        _engines(tmp_path, attached).stop()
    assert not attached.shut_down
    assert STOPPING not in caplog.text


def test_a_command_that_started_the_engines_stops_them_and_says_so(tmp_path, caplog):
    started = RecordingRedis(tmp_path, owned=True)
    with caplog.at_level(logging.INFO, logger="entrypoints.engines"):
        _engines(tmp_path, started).stop()
    assert started.shut_down
    assert STOPPING in caplog.text
