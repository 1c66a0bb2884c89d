"""Drive one scenario with wrk: a Lua script made of a request generator and a shared ``done`` that prints JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).parent / "lua"

# Appended to every script: wrk's summary as one JSON line, latencies in microseconds.
_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  local p = {}
  for _, q in ipairs({50, 75, 90, 99, 99.9}) do p[#p + 1] = string.format('"%s": %d', q, latency:percentile(q)) end
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "mean_us": %.1f, "max_us": %d, "percentiles": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, table.concat(p, ", ")))
end
"""


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    percentiles_ms: dict[str, float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def lua_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)  # a JSON string is a valid Lua string for ASCII text


def lua_list(values: list[str]) -> str:
    return "{" + ", ".join(lua_string(value) for value in values) + "}"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk")
    return found


def run_wrk(
    base: str, script: str, data: dict[str, str], *, seconds: float, connections: int, threads: int = 2
) -> LoadResult:
    """``script`` is a file in bench/lua; ``data`` becomes Lua globals (already Lua literals) set before it runs."""
    prelude = "".join(f"{name} = {value}\n" for name, value in data.items())
    body = prelude + (SCRIPTS / script).read_text() + _DONE
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(body)
        path = handle.name
    try:
        completed = subprocess.run(
            [
                ensure_wrk(),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                path,
                base,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(path).unlink(missing_ok=True)
    line = next((line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {completed.stdout[-1000:]} {completed.stderr[-1000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    percentiles = {key: value / 1000 for key, value in raw["percentiles"].items()}
    errors = sum(raw[key] for key in ("connect", "read", "write", "status", "timeout"))
    return LoadResult(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=errors,
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        percentiles_ms=percentiles,
    )
