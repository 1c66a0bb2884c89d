"""``commerce worker``: the scheduled jobs, run from one SAQ queue in Redis shared by every worker.

Each job is a thin call of a use case on the same composition root as HTTP
and the CLI. SAQ's cron enqueues each scheduled job under one key per
function (``cron:<name>``): while a run is queued or active, no worker
enqueues another, so every worker may schedule and a tick still runs once.
The use cases are idempotent besides (rows claimed ``FOR UPDATE SKIP
LOCKED``, conditional updates), so a run repeated after a crash, or an
overlap from clock skew between machines, changes nothing twice.

A job beats every third of ``heartbeat`` seconds; a worker that dies
(SIGKILL, a lost machine) stops beating, and any worker's sweep retries its
job. SIGTERM or Ctrl-C stops the worker: no new job starts, the job in hand
gets ``shutdown_grace`` seconds to finish and is otherwise cancelled and
handed back to the queue.

This module imports no HTTP code (an import-linter contract).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from saq import CronJob, Queue, Worker
from saq.types import Context, PartialTimersDict

from adapters.embedded import EngineStartError
from adapters.postgres import migrator
from application.housekeeping.purge_expired import PurgeCommand
from application.identity.policies import OPERATOR
from application.notifications.deliver_outbox import DeliverOutboxCommand
from application.ordering.expire_checkouts import ExpireCheckoutsCommand
from entrypoints.container import Container
from entrypoints.engines import STOP_SIGNALS, RunningEngines, StopSignals
from entrypoints.settings import Environment, Settings

logger = logging.getLogger(__name__)

JobFunction = Callable[[Context], Awaitable[dict[str, Any]]]
JOB_RETRIES = 3
"""A run is tried this many times in all (a crashed worker's run is retried by another)."""
RELAY_BATCHES_PER_RUN = 20
"""A relay run ends after this many batches even under a steady stream; the next tick goes on."""


def _container(ctx: Context) -> Container:
    container: Container = ctx["container"]  # type: ignore[typeddict-item]  # put there by run_worker
    return container


async def expire_checkouts(ctx: Context) -> dict[str, Any]:
    """``commerce jobs expire-checkouts``, on a schedule."""
    report = await _container(ctx).ordering.expire_checkouts(ExpireCheckoutsCommand(actor=OPERATOR))
    return asdict(report)


async def relay_outbox(ctx: Context) -> dict[str, Any]:
    """``commerce jobs relay-outbox``, on a short schedule: each run delivers until nothing is due (or 20 batches)."""
    command = DeliverOutboxCommand(actor=OPERATOR, max_batches=RELAY_BATCHES_PER_RUN)
    report = await _container(ctx).jobs.deliver_outbox(command)
    return asdict(report)


async def purge(ctx: Context) -> dict[str, Any]:
    """``commerce jobs purge``, on a schedule."""
    report = await _container(ctx).jobs.purge_expired(PurgeCommand(actor=OPERATOR))
    return asdict(report)


IMPORTS_PER_RUN = 10
"""An import run ends after this many files even when more wait; the next tick goes on."""


async def process_imports(ctx: Context) -> dict[str, Any]:
    """``commerce jobs process-imports``, on a short schedule: catalog files uploaded to the API, one at a time."""
    processed = 0
    while processed < IMPORTS_PER_RUN and await _container(ctx).catalog.process_next_import() is not None:
        processed += 1
    return {"processed": processed}


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    function: JobFunction
    cron: Callable[[Settings], str]


# ----------------------------------------------------------------------------------------------
# THE SCHEDULED JOBS. Register another one here (one line): a job function above, thin over a use
# case of the container, and the setting that holds its cron.
# ----------------------------------------------------------------------------------------------
SCHEDULE: list[ScheduledJob] = [
    ScheduledJob(expire_checkouts, lambda settings: settings.worker_expiry_cron),
    ScheduledJob(relay_outbox, lambda settings: settings.worker_relay_cron),
    ScheduledJob(purge, lambda settings: settings.worker_purge_cron),
    ScheduledJob(process_imports, lambda settings: settings.worker_import_cron),
]


def _beating(function: JobFunction, every: float) -> JobFunction:
    """``function`` that touches its SAQ job every ``every`` seconds while it runs (its heartbeat)."""

    @functools.wraps(function)
    async def run(ctx: Context) -> dict[str, Any]:
        job = ctx["job"]

        async def beat() -> None:
            while True:
                await asyncio.sleep(every)
                await job.update()

        beating = asyncio.create_task(beat())
        try:
            return await function(ctx)
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating  # stopped before SAQ records the end, so no beat overwrites it

    return run


def cron_jobs(settings: Settings, schedule: list[ScheduledJob]) -> list[CronJob[Context]]:
    every = max(settings.worker_heartbeat_seconds / 3, 0.5)
    return [
        CronJob(
            _beating(scheduled.function, every),
            cron=scheduled.cron(settings),
            timeout=settings.worker_job_timeout_seconds,
            heartbeat=settings.worker_heartbeat_seconds,
            retries=JOB_RETRIES,
        )
        for scheduled in schedule
    ]


IDLE_WAIT_SECONDS = 1.0
"""How long an idle slot waits for a job before it asks again: the longest a stop waits on an empty queue."""


class CommerceWorker(Worker[Context]):
    """SAQ's worker, with the process's signals left to ``run_worker`` (it must restore StopSignals after).

    SAQ's stop gives *every* task the shutdown grace, also its upkeep loops (schedule, sweep) and the
    slots blocked on an empty queue, none of which ever ends by itself: an idle worker sat out the
    whole grace and then cancelled them with a warning. Here the upkeep loops, which hold no job, are
    cancelled at once, and an idle slot waits at most ``IDLE_WAIT_SECONDS``, so only a job in hand
    gets the grace.
    """

    SIGNALS: list[signal.Signals] = []  # noqa: RUF012 - SAQ reads it as a class attribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, dequeue_timeout=IDLE_WAIT_SECONDS, **kwargs)
        self._upkeep: list[asyncio.Task[None]] = []

    async def upkeep(self) -> list[asyncio.Task[None]]:
        self._upkeep = await super().upkeep()
        return self._upkeep

    async def stop(self) -> None:
        self.event.set()
        for task in self._upkeep:
            task.cancel()
        await asyncio.gather(*self._upkeep, return_exceptions=True)
        self.tasks.difference_update(self._upkeep)
        await super().stop()


def quiet_saq(log_level: str) -> None:
    """SAQ logs every enqueue and every job at INFO: keep it to warnings unless the operator asks for DEBUG."""
    logging.getLogger("saq").setLevel(logging.DEBUG if log_level == "DEBUG" else logging.WARNING)


def build_worker(
    settings: Settings, queue: Queue, container: Container, schedule: list[ScheduledJob]
) -> Worker[Context]:
    worker = CommerceWorker(
        queue,
        functions=[],
        cron_jobs=cron_jobs(settings, schedule),
        id=f"{socket.gethostname()}:{os.getpid()}",
        concurrency=settings.worker_concurrency,
        timers=PartialTimersDict(sweep=settings.worker_sweep_seconds),  # type: ignore[typeddict-item]  # partial
        shutdown_grace_period_s=settings.worker_shutdown_grace_seconds,
    )
    worker.context["container"] = container  # type: ignore[typeddict-unknown-key]
    return worker


async def work(settings: Settings, schedule: list[ScheduledJob] | None = None) -> None:
    """Run the worker on these (resolved) settings until SIGTERM or SIGINT."""
    quiet_saq(settings.log_level)
    container = Container.create(settings)
    queue = Queue.from_url(settings.require_redis_url(), name=settings.worker_queue)
    try:
        worker = build_worker(settings, queue, container, SCHEDULE if schedule is None else schedule)
    except ValueError as error:  # SAQ refuses a cron it cannot read
        await container.close()
        raise SystemExit(f"invalid configuration: COMMERCE_WORKER_*_CRON: {error}") from None
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def stop() -> None:
        if not stopping.is_set():
            logger.info("stop requested: finishing the jobs in hand")
        stopping.set()
        worker.event.set()

    async def stop_if_asked(_ctx: Context) -> None:
        if stopping.is_set():  # a signal before start() made its event
            worker.event.set()

    worker.startup = [stop_if_asked]
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    for number in STOP_SIGNALS:
        loop.add_signal_handler(number, stop)
    try:
        await queue.connect()
        logger.info("worker %s on queue %r: %s", worker.id, settings.worker_queue, ", ".join(worker.functions))
        await worker.start()
    finally:
        for number in STOP_SIGNALS:
            loop.remove_signal_handler(number)
            signal.signal(number, previous[number])  # what StopSignals installed
        await queue.disconnect()
        await container.close()
    logger.info("worker %s stopped", worker.id)


def run_worker(settings: Settings) -> None:
    """``commerce worker``: like ``serve``, on the configured engines or embedded ones, migrated in development."""
    engines = RunningEngines(settings)
    with StopSignals(engines):
        try:
            engines.start()
            resolved = engines.settings
            if settings.env is Environment.DEVELOPMENT:
                migrator.upgrade(resolved.require_database_url())
            asyncio.run(work(resolved))
        except EngineStartError as error:
            raise SystemExit(str(error)) from None
        finally:
            engines.stop()
