"""Where the database and Redis URLs come from: the settings, or the embedded engines.

A process that starts embedded engines must stop them however it is asked to
end. A terminal's Ctrl-C reaches the whole foreground process group, and
``uv run`` forwards it once more to its child, so one key press is often two
SIGINTs a few hundred milliseconds apart; people also press Ctrl-C again while
a stop is under way. ``StopSignals`` therefore turns the first SIGINT or SIGTERM
into an orderly exit, lets the next ones wait for the engines' own stop, and
only on the third forces the end: the engines then get their fast-shutdown
signal directly, and the process waits for them before it exits.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import NoReturn

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis, EmbeddedServer
from entrypoints.settings import Settings

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# The signal that forces the end, counting the one that asked for it.
FORCING_SIGNAL_COUNT = 3
# Exit status after a forced stop: 128 + SIGINT, as shells report an interrupted command.
FORCED_EXIT_STATUS = 130
# One Ctrl-C can arrive twice: the terminal signals the whole process group and `uv run`
# forwards the signal to its child too. A second signal this soon after the first is that one.
SAME_SIGNAL_SECONDS = 0.5


@dataclasses.dataclass(slots=True)
class RunningEngines:
    settings: Settings
    embedded: list[EmbeddedServer] = dataclasses.field(default_factory=list)

    def start(self) -> None:
        """Start (or attach to) an embedded server for every URL the settings leave unset.

        Each server is recorded as soon as it runs, so an interruption halfway
        (Ctrl-C while PostgreSQL starts) still stops what was started.
        """
        database_url, redis_url = self.settings.database_url, self.settings.redis_url
        try:
            if database_url is None:
                postgres = EmbeddedPostgres(self.settings.data_dir)
                self.embedded.append(postgres)
                database_url = postgres.start()
            if redis_url is None:
                redis = EmbeddedRedis(self.settings.data_dir)
                self.embedded.append(redis)
                redis_url = redis.start()
        except BaseException:
            self.stop()
            raise
        self.settings = dataclasses.replace(self.settings, database_url=database_url, redis_url=redis_url)

    @property
    def owns_any(self) -> bool:
        """Whether this process started (or adopted) a server; one that only attached stops nothing."""
        return any(server.owned for server in self.embedded)

    def stop(self) -> None:
        """Stop the servers this process owns, newest first (attached ones keep running)."""
        if self.owns_any:
            logger.info("stopping the embedded engines")
        while self.embedded:
            self.embedded[-1].stop()
            self.embedded.pop()

    def stop_fast(self) -> None:
        """Send each owned server its fast-shutdown signal and wait for it, without the usual handshake."""
        for server in reversed(self.embedded):
            server.stop_fast()
        self.embedded.clear()


def start_engines(settings: Settings) -> RunningEngines:
    """The engines for these settings, started (or attached to)."""
    engines = RunningEngines(settings)
    engines.start()
    return engines


class StopSignals:
    """While active: SIGINT/SIGTERM end the process, but never interrupt the stop of its engines.

    First signal: ``SystemExit(0)`` (a requested stop is a normal exit; the
    ``finally`` blocks stop the engines). Second: logged, the stop goes on.
    Third: the engines are stopped fast right away, and the process exits 130.
    A signal within ``SAME_SIGNAL_SECONDS`` of the one before is the same keypress
    delivered twice, and does not count.
    """

    def __init__(self, engines: RunningEngines, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._engines = engines
        self._clock = clock
        self._received = 0
        self._last_at = -math.inf
        self._previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}

    def __enter__(self) -> StopSignals:
        # Signals reach the main thread only; elsewhere (a CLI run from a worker thread) there is nothing to do.
        if threading.current_thread() is threading.main_thread():
            self._previous = {number: signal.signal(number, self._on_signal) for number in STOP_SIGNALS}
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _on_signal(self, number: int, _frame: FrameType | None) -> None:
        now = self._clock()
        name = signal.Signals(number).name
        if now - self._last_at < SAME_SIGNAL_SECONDS:
            logger.debug("%s received again at once: the same request to stop", name)
            return
        self._last_at = now
        self._received += 1
        if self._received == 1:
            logger.info("%s received: stopping", name)
            raise SystemExit(0)
        if self._received < FORCING_SIGNAL_COUNT:
            engines = " the embedded engines" if self._engines.owns_any else ""
            logger.warning("%s received: still stopping%s (once more to force)", name, engines)
            return
        if self._received == FORCING_SIGNAL_COUNT:
            self._force(name)
        # Later signals while the forced stop runs are ignored: it is already as fast as it gets.

    def _force(self, name: str) -> NoReturn:
        engines = " of the embedded engines" if self._engines.owns_any else ""
        logger.warning("%s received again: forcing a fast stop%s", name, engines)
        self._engines.stop_fast()
        raise SystemExit(FORCED_EXIT_STATUS)


@contextmanager
def running_engines(settings: Settings) -> Iterator[Settings]:
    """The settings with both URLs filled in, for as long as the block runs; Ctrl-C safe."""
    engines = RunningEngines(settings)
    with StopSignals(engines):
        try:
            engines.start()
            yield engines.settings
        finally:
            engines.stop()
