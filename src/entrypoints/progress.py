"""Progress of a long command: click's bar on a terminal, whole lines anywhere else.

click draws its bar only on a terminal; written to a pipe or a log file it prints the bare label
once and nothing more. A command's output is read there too (CI logs, ``| tee``), so there it
gets one readable line per tenth of the work and one at the end.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, TextIO

import click

STEPS = 10
"""Lines per run off a terminal, besides the last: one per tenth of the work."""


class Progress(Protocol):
    """What a command reads and moves: how far it is, and a step forward."""

    @property
    def pos(self) -> int: ...

    def update(self, n_steps: int) -> None: ...


class ProgressLines(AbstractContextManager["ProgressLines"]):
    """``label: 300/1000 (30%)``, one line per tenth of ``length`` and at the end."""

    def __init__(self, *, length: int, label: str, file: TextIO, show_pos: bool) -> None:
        self._length, self._label, self._file, self._show_pos = length, label, file, show_pos
        self._pos = 0
        self._shown = -1  # the last tenth written

    @property
    def pos(self) -> int:
        return self._pos

    def update(self, n_steps: int) -> None:
        self._pos += n_steps
        tenth = self._percent() * STEPS // 100
        if tenth > self._shown and self._pos < self._length:
            self._write()
            self._shown = tenth

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if kind is None:
            self._write()

    def _percent(self) -> int:
        return 100 if self._length <= 0 else min(100, self._pos * 100 // self._length)

    def _write(self) -> None:
        done = f"{self._pos}/{self._length} ({self._percent()}%)" if self._show_pos else f"{self._percent()}%"
        click.echo(f"{self._label}: {done}", file=self._file)


def progress(
    *, length: int, label: str, show_pos: bool = True, file: TextIO | None = None
) -> AbstractContextManager[Progress]:
    """A bar on ``file`` (stderr) when it is a terminal, progress lines otherwise."""
    stream = sys.stderr if file is None else file
    if stream.isatty():
        return click.progressbar(length=length, label=label, show_pos=show_pos, file=stream)
    return ProgressLines(length=length, label=label, file=stream, show_pos=show_pos)
