"""The run's result: figures, targets met or not, the printed table, the JSON file and the optional PNG."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.scenarios import TARGETS, Measurement, Target


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _ceiling(measurements: list[Measurement]) -> float:
    rates = [m.rate for m in measurements if m.scenario in ("ceiling", "ceiling_end")]
    return sum(rates) / len(rates) if rates else 0.0


def _evaluate(target: Target, by_name: dict[str, dict[str, Any]], result: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "scenario": target.scenario,
        "kind": "stretch" if target.stretch else "firm",
        "threshold": target.threshold,
        "measure": target.what,
    }
    if target.what == "rss_mb":
        value = result["worker_rss_mb"]["end"]
        entry.update(value=round(value, 1), met=value < target.threshold)
        return entry
    measured = by_name.get(target.scenario)
    if measured is None:
        entry.update(value=None, met=None)
        return entry
    if target.what == "ceiling":
        value = measured["ratio_to_ceiling"]
        met = value is not None and value >= target.threshold
    elif target.what == "bound":
        value = measured["ratio_to_bound"]
        sql = measured.get("sql_per_request")
        entry["sql_per_request"] = sql
        # One statement is the session's insert; a cache hit runs none before it.
        met = value is not None and value >= target.threshold and (sql is None or sql <= 1.05)
    else:
        value = measured["rate"]
        met = value >= target.threshold and measured["errors"] == 0
        if target.scenario == "checkout_hot":
            oversell = result.get("checkout_hot_oversell_check")
            entry["zero_oversell"] = bool(oversell and oversell["ok"])
            met = met and entry["zero_oversell"]
    entry.update(value=round(value, 4) if value is not None else None, met=met)
    return entry


def build(
    measurements: list[Measurement],
    *,
    bound: float,
    rss_mb: tuple[float, float, float],
    oversell: dict[str, Any] | None,
    scale: int,
    quick: bool,
    seconds_per_scenario: float,
    load: tuple[tuple[float, float, float], tuple[float, float, float]],
    elapsed: float,
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    ceiling = _ceiling(measurements)
    scenarios = []
    for measurement in measurements:
        entry = measurement.as_dict()
        entry["ratio_to_ceiling"] = (
            round(measurement.rate / ceiling, 4) if ceiling and measurement.unit == "req/s" else None
        )
        entry["ratio_to_bound"] = (
            round(measurement.rate / bound, 4) if measurement.scenario.startswith("login") else None
        )
        scenarios.append(entry)
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "commit": _git_commit(),
        "scale": scale,
        "quick": quick,
        "seconds_per_scenario": seconds_per_scenario,
        "load_average_before": load[0],
        "load_average_after": load[1],
        "elapsed_seconds": round(elapsed, 1),
        "ceiling_rps": round(ceiling, 1),
        "argon2_bound_verifies_per_second": round(bound, 2),
        "worker_rss_mb": {"start": round(rss_mb[0], 1), "end": round(rss_mb[1], 1), "peak": round(rss_mb[2], 1)},
        "checkout_hot_oversell_check": oversell,
        "scenarios": scenarios,
    }
    by_name = {entry["scenario"]: entry for entry in scenarios}
    targets = [_evaluate(target, by_name, result) for target in TARGETS]
    if previous is not None:
        targets.extend(_scale_targets(by_name, previous))
    result["targets"] = targets
    return result


def _scale_targets(by_name: dict[str, dict[str, Any]], previous: dict[str, Any]) -> list[dict[str, Any]]:
    """At 100,000 products each scenario keeps 80 % of its (ratio to ceiling) at the smaller scale."""
    before = {entry["scenario"]: entry for entry in previous["scenarios"]}
    found = []
    for name, entry in by_name.items():
        old = before.get(name)
        if (
            old is None
            or name.startswith("ceiling")
            or not old.get("ratio_to_ceiling")
            or entry["ratio_to_ceiling"] is None
        ):
            continue
        kept = entry["ratio_to_ceiling"] / old["ratio_to_ceiling"]
        found.append(
            {
                "scenario": name,
                "kind": "firm",
                "measure": f"kept vs scale {previous['scale']} ({previous['when']})",
                "threshold": 0.8,
                "value": round(kept, 3),
                "met": kept >= 0.8,
            }
        )
    return found


def latest(results: Path, *, max_scale: int) -> dict[str, Any] | None:
    for path in sorted(results.glob("*.json"), reverse=True):
        data = json.loads(path.read_text())
        if data.get("scale", 0) <= max_scale:
            return dict(data)
    return None


def _mark(met: bool | None) -> str:
    return "not run" if met is None else ("MET" if met else "NOT MET")


def _cpu(worker: float | None, postgres: float | None) -> str:
    """Worker + PostgreSQL CPU per operation, in ms ("-" where not measured)."""
    if worker is None:
        return "-"
    return f"{worker:.2f}" + ("" if postgres is None else f" + {postgres:.2f}")


def table(result: dict[str, Any]) -> str:
    lines = [
        "",
        f"commerce bench — {result['when']} on {result['host']} ({result['cpus']} cpus), commit {result['commit']}, "
        f"{result['scale']:,} products, {result['seconds_per_scenario']:.0f} s per scenario, "
        f"load {result['load_average_before'][0]:.2f} → {result['load_average_after'][0]:.2f}",
        "",
        f"{'scenario':<16} {'rate':>10} {'unit':<12} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} "
        f"{'sql/req':>8} {'cpu ms/op':>16} {'ratio':>8}",
        "-" * 103,
    ]
    for entry in result["scenarios"]:
        ratio = entry["ratio_to_ceiling"] if entry["ratio_to_bound"] is None else entry["ratio_to_bound"]
        suffix = "" if entry["ratio_to_bound"] is None else " (bound)"
        sql = "-" if entry["sql_per_request"] is None else f"{entry['sql_per_request']:.2f}"
        cpu = _cpu(entry.get("worker_cpu_ms"), entry.get("postgres_cpu_ms"))
        lines.append(
            f"{entry['scenario']:<16} {entry['rate']:>10.1f} {entry['unit']:<12} {entry['p50_ms']:>9.1f} "
            f"{entry['p99_ms']:>9.1f} {entry['errors']:>7} {sql:>8} {cpu:>16} "
            + ("" if ratio is None else f"{ratio * 100:>7.1f}%{suffix}")
        )
    rss = result["worker_rss_mb"]
    lines += [
        "",
        f"ceiling {result['ceiling_rps']:.0f} req/s; argon2 bound {result['argon2_bound_verifies_per_second']:.1f} "
        f"verifies/s; worker RSS {rss['start']:.0f} MB at start, {rss['end']:.0f} MB at the end, "
        f"peak {rss['peak']:.0f} MB",
    ]
    if result["checkout_hot_oversell_check"] is not None:
        lines.append(f"checkout_hot oversell check: {result['checkout_hot_oversell_check']}")
    lines += ["", "targets:"]
    for target in result["targets"]:
        value = target["value"]
        shown = (
            "-"
            if value is None
            else (f"{value * 100:.1f}%" if target["measure"] in ("ceiling", "bound") else f"{value}")
        )
        threshold = (
            f"{target['threshold'] * 100:.0f}% of {target['measure']}"
            if target["measure"] in ("ceiling", "bound")
            else f"{'<' if target['measure'] == 'rss_mb' else '>='} {target['threshold']} ({target['measure']})"
        )
        lines.append(
            f"  [{target['kind']:<7}] {target['scenario']:<16} {shown:>10}  target {threshold:<40} "
            f"{_mark(target['met'])}"
        )
    return "\n".join(lines)


def plot(result: dict[str, Any], path: Path) -> Path:
    try:
        import matplotlib  # noqa: PLC0415 - optional: uv run --with matplotlib python -m bench --plot

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError as error:
        raise SystemExit("--plot needs matplotlib: uv run --with matplotlib python -m bench --plot") from error
    figure, axes = plt.subplots(figsize=(11, 6))
    quantiles = ["50", "75", "90", "99", "99.9"]
    for entry in result["scenarios"]:
        values = [entry["percentiles_ms"].get(q) for q in quantiles]
        if all(value is not None for value in values):
            axes.plot(quantiles, values, marker="o", label=entry["scenario"])
    axes.set_yscale("log")
    axes.set_xlabel("percentile")
    axes.set_ylabel("latency (ms, log scale)")
    axes.set_title(f"commerce bench {result['when']} — {result['scale']:,} products")
    axes.legend(fontsize="small", ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path
