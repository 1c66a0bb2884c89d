"""A command stops, and says it stops, only the embedded engines it started itself."""

import logging
import signal
from pathlib import Path

import pytest

from adapters.embedded import EmbeddedRedis
from entrypoints.engines import RunningEngines, StopSignals
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


def test_one_ctrl_c_delivered_twice_stops_quietly_and_a_later_one_says_the_stop_goes_on(tmp_path, caplog):
    # A terminal signals the whole process group and `uv run` forwards the signal too: one keypress, two signals.
    now = [100.0]
    stop = StopSignals(_engines(tmp_path, RecordingRedis(tmp_path, owned=True)), clock=lambda: now[0])
    with caplog.at_level(logging.DEBUG, logger="entrypoints.engines"), stop:
        with pytest.raises(SystemExit) as first:
            signal.raise_signal(signal.SIGINT)
        now[0] += 0.1
        signal.raise_signal(signal.SIGINT)  # the same keypress, forwarded: no warning
        assert "once more to force" not in caplog.text
        now[0] += 2.0
        signal.raise_signal(signal.SIGINT)  # a second keypress
    assert first.value.code == 0
    assert "still stopping the embedded engines (once more to force)" in caplog.text
