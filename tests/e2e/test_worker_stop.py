"""Ctrl-C on `commerce worker`: an idle worker stops at once and quietly, a job in hand still finishes."""

import asyncio
import dataclasses
import logging
import os
import signal
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from saq.types import Context

from entrypoints.worker import IDLE_WAIT_SECONDS, ScheduledJob, quiet_saq, work

RARELY = "0 0 1 1 *"
EVERY_SECOND = "* * * * * *"
GRACE_SECONDS = 8


@pytest.fixture(autouse=True)
def saq_logger_restored() -> Iterator[None]:
    saq = logging.getLogger("saq")
    level = saq.level
    yield
    saq.setLevel(level)


def _worker_settings(settings):
    return dataclasses.replace(
        settings,
        log_level="INFO",
        worker_queue=f"test-{uuid.uuid4().hex[:8]}",
        worker_shutdown_grace_seconds=GRACE_SECONDS,
    )


async def _started(caplog) -> None:
    """Wait for the worker's signal handlers: before them, a SIGINT would interrupt pytest itself."""
    deadline = time.monotonic() + 30
    while not any("on queue" in record.getMessage() for record in caplog.records):
        assert time.monotonic() < deadline, "the worker did not start"
        await asyncio.sleep(0.05)


async def test_ctrl_c_stops_an_idle_worker_at_once_without_saqs_chatter(settings, caplog):
    async def nothing(_ctx: Context) -> dict[str, Any]:
        return {}

    caplog.set_level(logging.INFO)
    running = asyncio.create_task(work(_worker_settings(settings), [ScheduledJob(nothing, lambda _: RARELY)]))
    await _started(caplog)
    await asyncio.sleep(0.5)
    asked = time.monotonic()
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=GRACE_SECONDS + 5)

    assert time.monotonic() - asked < IDLE_WAIT_SECONDS + 1.5, "an idle worker sat out the shutdown grace"
    assert [record.getMessage() for record in caplog.records if record.name.startswith("saq")] == []
    assert any("stopped" in record.getMessage() for record in caplog.records)


async def test_ctrl_c_lets_the_job_in_hand_finish(settings, caplog):
    started, finished = asyncio.Event(), asyncio.Event()

    async def slow(_ctx: Context) -> dict[str, Any]:
        started.set()
        await asyncio.sleep(2)
        finished.set()
        return {}

    caplog.set_level(logging.INFO)
    running = asyncio.create_task(work(_worker_settings(settings), [ScheduledJob(slow, lambda _: EVERY_SECOND)]))
    await _started(caplog)
    await asyncio.wait_for(started.wait(), timeout=15)
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=GRACE_SECONDS + 5)

    assert finished.is_set(), "the running job was cut short"
    assert not [record for record in caplog.records if "grace period" in record.getMessage()]


@pytest.mark.parametrize(("log_level", "saq_level"), [("INFO", logging.WARNING), ("DEBUG", logging.DEBUG)])
def test_saq_logs_warnings_only_unless_the_operator_asks_for_debug(log_level, saq_level):
    quiet_saq(log_level)
    assert logging.getLogger("saq").level == saq_level
