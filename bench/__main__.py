"""``uv run python -m bench [--quick] [--scenario NAME ...] [--scale N] [--plot] [--fresh]``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.environment import (
    RUN_DATABASE,
    AppServer,
    analyze,
    app_environment,
    ensure_template,
    flush_redis,
    free_port,
    migrate,
    recreate,
    servers,
    with_database,
)
from bench.fixtures import load, oversell_check
from bench.scenarios import SCALE_SCENARIOS, SCENARIOS, Measurement, Runner, argon2_bound
from bench.seeding import HOT_STOCK
from bench.wrk import ensure_wrk
from entrypoints.settings import load_settings

RESULTS = Path(__file__).parent / "results"
DEFAULT_SCALE = 10_000
CUSTOMERS = 1_000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (about 4 s per scenario)")
    parser.add_argument("--scenario", action="append", choices=[*SCENARIOS, *SCALE_SCENARIOS], help="only these")
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="products to seed (default 10,000)")
    parser.add_argument("--seconds", type=float, help="seconds per scenario (default 4 quick, 15 full)")
    parser.add_argument("--plot", action="store_true", help="also write a PNG of latency percentiles")
    parser.add_argument("--fresh", action="store_true", help="reseed the template database of this scale")
    parser.add_argument("--customers", type=int, default=CUSTOMERS, help="active customers to seed (at least 84)")
    parser.add_argument(
        "--port", type=int, default=None, help="the port the app listens on (default: a free one the system picks)"
    )
    parser.add_argument("--run-database", default=RUN_DATABASE, help="the database each run copies the seed into")
    parser.add_argument("--output", type=Path, help="the JSON file to write (default bench/results/<date>-<host>.json)")
    return parser.parse_args(argv)


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _first_bound(*, quick: bool) -> tuple[tuple[int, int, int], float]:
    """The configured argon2 parameters, and their verifies per second on every core before the server starts."""
    argon2 = load_settings(dotenv=None).argon2
    parameters = (argon2.memory_cost_kib, argon2.time_cost, argon2.parallelism)
    bound = argon2_bound(parameters, 1.5 if quick else 4.0)
    _log(f"argon2 bound: {bound:.1f} verifies/s on {os.cpu_count()} cores (m={parameters[0]} KiB, t={parameters[1]})")
    return parameters, bound


def _bound_again(
    first: float, parameters: tuple[int, int, int], *, quick: bool, chosen: list[str]
) -> tuple[float, float]:
    """The argon2 bound measured again after the scenarios (the server idle), when a login scenario ran.

    As the ceiling is run first and last: on a shared machine the cores' speed drifts within a run
    (83 then 65 verifies/s sixteen seconds apart on this VM); the login ratios use the mean of both.
    """
    if not any(name.startswith("login") for name in chosen):
        return first, first
    again = argon2_bound(parameters, 1.5 if quick else 4.0)
    _log(f"argon2 bound again: {again:.1f} verifies/s; the login ratios use the mean of both")
    return first, again


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    ensure_wrk()
    seconds = arguments.seconds or (4.0 if arguments.quick else 15.0)
    chosen = arguments.scenario or [*SCENARIOS, *(SCALE_SCENARIOS if arguments.scale >= 100_000 else ())]
    if "ceiling" not in chosen:
        chosen = ["ceiling", *chosen]
    started = time.monotonic()
    load_before = os.getloadavg()
    data_dir = Path(__file__).parent / ".engines"
    with servers(data_dir) as found:
        template = f"bench_seed_{arguments.scale}_{arguments.customers}"
        asyncio.run(
            ensure_template(
                found,
                template,
                fresh=arguments.fresh,
                products=arguments.scale,
                customers=arguments.customers,
                log=_log,
            )
        )
        asyncio.run(recreate(found, arguments.run_database, template))
        migrate(found, arguments.run_database)
        asyncio.run(analyze(found, arguments.run_database))
        flush_redis(found.redis_url)
        run_url = with_database(found.postgres_url, arguments.run_database)
        fixtures = asyncio.run(load(run_url, arguments.scale, arguments.customers))

        parameters, bound = _first_bound(quick=arguments.quick)

        port = arguments.port or free_port()
        server = AppServer(app_environment(found, arguments.run_database, count_statements=True), port)
        measurements: list[Measurement] = []
        try:
            server.wait_ready()
            rss_start, _ = server.memory()
            _log(f"commerce serve pid {server.pid}, RSS {rss_start:.0f} MB; {seconds:.0f} s per scenario")
            runner = Runner(server, fixtures, seconds=seconds, redis_url=found.redis_url)
            measurements.extend(getattr(runner, name)() for name in chosen)
            if len(chosen) > 2:
                measurements.append(runner.ceiling())  # again at the end: the ratio uses the mean of both
                measurements[-1].scenario = "ceiling_end"
            rss_end, rss_peak = server.memory()
            bounds = _bound_again(bound, parameters, quick=arguments.quick, chosen=chosen)
            bound = sum(bounds) / 2
        finally:
            server.stop()
        oversell = None
        if "checkout_hot" in chosen:
            oversell = asyncio.run(oversell_check(run_url, fixtures.hot_id, HOT_STOCK))
    result = report.build(
        measurements,
        bound=bound,
        rss_mb=(rss_start, rss_end, rss_peak),
        oversell=oversell,
        scale=arguments.scale,
        quick=arguments.quick,
        seconds_per_scenario=seconds,
        load=(load_before, os.getloadavg()),
        elapsed=time.monotonic() - started,
        previous=report.latest(RESULTS, max_scale=10_000) if arguments.scale >= 100_000 else None,
    )
    result["argon2_bound_first_last"] = [round(value, 2) for value in bounds]
    print(report.table(result))
    output = arguments.output or RESULTS / f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{socket.gethostname()}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2))
    _log(f"wrote {output}")
    if arguments.plot:
        _log(f"wrote {report.plot(result, output.with_suffix('.png'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
