"""`commerce worker` processes on one Redis, one PostgreSQL: a tick runs once, a crash is retried, stops are clean."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from adapters.embedded import EmbeddedPostgres, EmbeddedRedis
from adapters.embedded.server import pid_is_alive
from application.ports import Notification
from entrypoints.container import Container
from tests.e2e.buying_flows import catalog, check_out, customers, put_in_cart, scalar, store_with_product
from tests.e2e.catalog_flows import create_category, open_store
from tests.e2e.identity_flows import bearer, create_admin, log_in
from tests.e2e.import_flows import csv_text
from tests.e2e.import_flows import row as csv_row

pytestmark = pytest.mark.slow

COMMERCE = Path(sys.executable).parent / "commerce"
RARELY = "0 0 1 1 *"  # once a year: keeps a job out of a test's way
EVERY_SECOND = "* * * * * *"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Workers:
    """Starts ``commerce worker`` processes on the test's database and Redis, each logging to its own file."""

    def __init__(self, settings, tmp_path: Path, **overrides: str) -> None:
        self.environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
        self.environment |= {
            "COMMERCE_DATABASE_URL": settings.require_database_url(),
            "COMMERCE_REDIS_URL": settings.require_redis_url(),
            "COMMERCE_DATA_DIR": str(tmp_path),
            "COMMERCE_LOG_LEVEL": "DEBUG",  # these tests read SAQ's job lines, quiet below DEBUG
            "COMMERCE_CONSOLE_NOTIFICATIONS": "false",
            "COMMERCE_WORKER_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
            "COMMERCE_WORKER_EXPIRY_CRON": RARELY,
            "COMMERCE_WORKER_RELAY_CRON": RARELY,
            "COMMERCE_WORKER_PURGE_CRON": RARELY,
            "COMMERCE_WORKER_HEARTBEAT_SECONDS": "2",
            "COMMERCE_WORKER_SWEEP_SECONDS": "1",
            "COMMERCE_WORKER_SHUTDOWN_GRACE_SECONDS": "3",
            **overrides,
        }
        self.folder = tmp_path
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log_path = self.folder / f"worker-{uuid.uuid4().hex[:8]}.log"  # workers may start side by side
        with log_path.open("wb") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(
                [str(COMMERCE), "worker"], env=self.environment, stdout=log, stderr=subprocess.STDOUT
            )
        process.log_path = log_path  # type: ignore[attr-defined]
        self.processes.append(process)
        _wait_for(lambda: "on queue" in self.log(process), what="the worker to start", timeout=60)
        return process

    def log(self, process: subprocess.Popen) -> str:
        return Path(process.log_path).read_text(errors="replace")  # type: ignore[attr-defined]

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(condition: Callable[[], bool], *, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@contextmanager
def _workers(settings, tmp_path, **overrides: str) -> Iterator[Workers]:
    workers = Workers(settings, tmp_path, **overrides)
    try:
        yield workers
    finally:
        workers.stop_all()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_a_worker_cleanly(settings, tmp_path, stop):
    with _workers(settings, tmp_path) as workers:
        worker = workers.start()
        started = time.monotonic()
        worker.send_signal(stop)
        worker.wait(timeout=10)
        assert time.monotonic() - started < 10
        assert worker.returncode == 0, workers.log(worker)
        assert "stopped" in workers.log(worker)


def test_a_worker_without_urls_starts_the_embedded_engines_and_stops_them_on_sigterm():
    folder = Path(tempfile.mkdtemp(prefix="commerce-worker-"))  # outside pytest's 0700 temp root (see test_serve_cli)
    try:
        environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
        environment |= {"COMMERCE_DATA_DIR": str(folder / "data"), "COMMERCE_LOG_LEVEL": "INFO"}
        log_path = folder / "worker.log"
        with log_path.open("wb") as log:
            worker = subprocess.Popen([str(COMMERCE), "worker"], env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for(lambda: "on queue" in log_path.read_text(errors="replace"), what="the worker", timeout=90)
            server_pids = [EmbeddedPostgres(folder / "data").server_pid(), EmbeddedRedis(folder / "data").server_pid()]
            assert all(server_pids)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        assert worker.returncode == 0, log_path.read_text(errors="replace")
        assert not any(pid_is_alive(pid) for pid in server_pids if pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def test_two_workers_expire_a_checkout_once_and_return_its_stock_once(client, settings, tmp_path):
    admin = await create_admin(client)
    admin_tokens = await log_in(client, admin["email"])
    shop = await catalog(client, admin_tokens)
    _, product = await store_with_product(client, admin_tokens, shop, price=20_000, stock=5)
    [ana] = await customers(client, 1)
    await put_in_cart(client, ana, product["id"], 3)
    assert (await check_out(client, ana)).status_code == 201
    assert await scalar(client, "SELECT stock FROM products WHERE id = :p", p=product["id"]) == 2
    async with client.app.state.container.engine.begin() as connection:
        await connection.exec_driver_sql("UPDATE checkouts SET expires_at = now() - interval '1 second'")

    # One job at a time per worker: Redis hands queued jobs to the longest-waiting worker, so they take turns.
    schedule = {"COMMERCE_WORKER_EXPIRY_CRON": EVERY_SECOND, "COMMERCE_WORKER_CONCURRENCY": "1"}
    with _workers(settings, tmp_path, **schedule) as workers:
        first, second = await asyncio.gather(asyncio.to_thread(workers.start), asyncio.to_thread(workers.start))

        async def expired() -> bool:
            return await scalar(client, "SELECT count(*) FROM checkouts WHERE status = 'expired'") == 1

        deadline = time.monotonic() + 30
        while not await expired():
            assert time.monotonic() < deadline, workers.log(first) + workers.log(second)
            await asyncio.sleep(0.2)

        # A few more ticks, until both workers have taken some.
        def runs(log: str) -> int:
            return log.count("Finished Job<function: expire_checkouts")

        deadline = time.monotonic() + 40
        while True:
            logs = [workers.log(first), workers.log(second)]
            if sum(map(runs, logs)) >= 4 and all(map(runs, logs)):
                break
            assert time.monotonic() < deadline, "\n".join(logs)
            await asyncio.sleep(0.3)

    assert await scalar(client, "SELECT stock FROM products WHERE id = :p", p=product["id"]) == 5
    assert await scalar(client, "SELECT count(*) FROM stock_movements WHERE reason = 'checkout expired'") == 1
    assert await scalar(client, "SELECT count(*) FROM order_events WHERE status = 'expired'") == 1
    # Each tick (one a second) ran on one worker or the other, never on both: no two runs started in one second.
    starts = [
        int(found) // 1000
        for log in logs
        for found in re.findall(r"Finished Job<function: expire_checkouts.*?started: (\d+)", log)
    ]
    assert len(starts) >= 4
    assert len(set(starts)) == len(starts)


class StallingInbox:
    """An SMTP server whose first delivery hangs (the worker sending it gets killed); the others are accepted."""

    def __init__(self) -> None:
        self.stalled = threading.Event()
        self.delivered: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(15)
            return "451 try again later"  # never accepted: its client was killed meanwhile
        for recipient in envelope.rcpt_tos:
            self.delivered[recipient] += 1
        return "250 OK"


async def test_a_worker_killed_mid_job_has_its_job_retried_by_another_and_each_mail_goes_once(
    client, settings, tmp_path
):
    inbox = StallingInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    container: Container = client.app.state.container
    recipients = [f"buyer{n}@example.com" for n in range(3)]
    async with container.adapters.unit_of_work() as uow:
        for recipient in recipients:
            await uow.outbox.notify(Notification(recipient=recipient, kind="order_paid", payload={"order": "1"}))
        await uow.commit()
    try:
        with _workers(
            settings,
            tmp_path,
            COMMERCE_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
            COMMERCE_WORKER_RELAY_CRON=EVERY_SECOND,
            COMMERCE_OUTBOX_LEASE_SECONDS="4",
            COMMERCE_OUTBOX_RETRY_FIRST_SECONDS="1",
        ) as workers:
            doomed = await asyncio.to_thread(workers.start)
            await asyncio.to_thread(inbox.stalled.wait, 30)
            assert inbox.stalled.is_set(), workers.log(doomed)
            # The other two mails (sent alongside) are accepted and recorded; the job waits on the stalled one.
            deadline = time.monotonic() + 20
            while await scalar(client, "SELECT count(*) FROM notifications_outbox WHERE sent_at IS NOT NULL") < 2:
                assert time.monotonic() < deadline, workers.log(doomed)
                await asyncio.sleep(0.1)
            doomed.send_signal(signal.SIGKILL)  # in the middle of the relay job, a mail half sent
            doomed.wait(timeout=10)
            survivor = await asyncio.to_thread(workers.start)

            async def all_sent() -> bool:
                return await scalar(client, "SELECT count(*) FROM notifications_outbox WHERE sent_at IS NULL") == 0

            deadline = time.monotonic() + 40
            while not await all_sent():
                assert time.monotonic() < deadline, workers.log(survivor)
                await asyncio.sleep(0.2)
            survivor_log = workers.log(survivor)
    finally:
        smtp.stop()

    assert "Sweeping job" in survivor_log  # the dead worker's job, found stuck ...
    assert "cron:relay_outbox" in survivor_log  # ... and run again here
    assert inbox.delivered == dict.fromkeys(recipients, 1)  # each mail accepted once
    async with container.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT attempts, last_error FROM notifications_outbox"))).all()
    # Two recorded by the dead worker; the stalled one claimed again after its lease and delivered by the survivor.
    assert sorted(row.attempts for row in rows) == [1, 1, 2]


async def test_two_workers_import_an_uploaded_file_once(client, settings, tmp_path):
    """An upload through the API is imported by whichever worker claims it first, exactly once."""
    admin = await create_admin(client)
    admin_tokens = await log_in(client, admin["email"])
    store = await open_store(client, admin_tokens)
    slug = (await create_category(client, admin_tokens, "Morrales"))["slug"]
    uploads = []
    for batch in range(3):
        rows = [csv_row(batch * 100 + number, slug) for number in range(1, 41)]
        uploaded = await client.post(
            f"/api/v1/merchants/{store.id}/imports",
            files={"file": (f"batch-{batch}.csv", csv_text(rows).encode(), "text/csv")},
            headers=bearer(store.manager),
        )
        assert uploaded.status_code == 202, uploaded.text
        uploads.append(uploaded.headers["location"])

    with _workers(settings, tmp_path, COMMERCE_WORKER_IMPORT_CRON=EVERY_SECOND) as workers:
        first, second = await asyncio.gather(asyncio.to_thread(workers.start), asyncio.to_thread(workers.start))

        async def statuses() -> list[dict]:
            return [(await client.get(url, headers=bearer(store.manager))).json() for url in uploads]

        deadline = time.monotonic() + 60
        while any(status["status"] != "done" for status in await statuses()):
            assert time.monotonic() < deadline, workers.log(first) + workers.log(second)
            await asyncio.sleep(0.3)

    assert [status["counts"]["created"] for status in await statuses()] == [40, 40, 40]
    assert await scalar(client, "SELECT count(*) FROM products WHERE merchant_id = :m", m=store.id) == 120
    assert await scalar(client, "SELECT sum(attempts) FROM catalog_imports") == 3  # each file claimed once
    movements = await scalar(
        client,
        "SELECT count(*) FROM stock_movements s JOIN products p ON p.id = s.product_id WHERE p.merchant_id = :m",
        m=store.id,
    )
    with_stock = await scalar(client, "SELECT count(*) FROM products WHERE merchant_id = :m AND stock > 0", m=store.id)
    assert movements == with_stock  # one opening movement per stocked product: nothing imported twice
