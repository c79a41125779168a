"""The timed runner: N workers in threads, each repeating one operation for warm-up + measured seconds.

A worker has ``step() -> (ok, outcome, body)`` and ``recover()`` (called after an exception, e.g. to
reconnect) and ``close()``. Only operations that *complete* inside the measured window count towards the
rate and the latency percentiles; everything (warm-up and tail too) counts in ``totals``.
"""
from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Protocol


class Worker(Protocol):
    def step(self) -> tuple[bool, str, bytes | str | None]: ...
    def recover(self) -> None: ...
    def close(self) -> None: ...


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = min(len(sorted_values), max(1, math.ceil(p / 100 * len(sorted_values))))
    return sorted_values[rank - 1]


@dataclass
class RunResult:
    """One timed run: the measured window plus totals over the whole run."""
    workers: int
    seconds: float                        # actual length of the measured window
    outcomes: Counter                     # every outcome completed in the window
    latencies_ms: list[float]             # successful operations completed in the window, sorted
    totals: Counter                       # every outcome of the whole run (warm-up and tail included)
    ok_outcomes: frozenset = frozenset()  # the outcomes that count as success
    samples: dict[str, str] = field(default_factory=dict)   # one body per outcome, for the report
    probe: dict | None = None             # what ``probe`` measured over the window (CPU)

    @property
    def ok(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float | None:
        return percentile(self.latencies_ms, p)

    def errors(self) -> Counter:
        """Failed outcomes over the whole run, by outcome (HTTP status or exception name)."""
        return Counter({k: v for k, v in self.totals.items() if k not in self.ok_outcomes})

    def summary(self) -> dict:
        lat = self.latencies_ms
        errors = self.errors()
        return {
            "workers": self.workers, "seconds": round(self.seconds, 3), "ok": self.ok,
            "rate_per_s": round(self.rate, 1),
            "latency_ms": {"p50": _r(self.pct(50)), "p95": _r(self.pct(95)), "p99": _r(self.pct(99)),
                           "max": _r(lat[-1] if lat else None),
                           "mean": _r(sum(lat) / len(lat) if lat else None)},
            "errors_total": dict(errors),
            "error_samples": {k: v for k, v in self.samples.items() if k in errors},
            "outcomes_in_window": dict(self.outcomes), "outcomes_total": dict(self.totals),
            "cpu": self.probe,
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def run(workers: list[Worker], *, warmup: float, seconds: float,
        probe: Callable[[], dict] | None = None, diff: Callable[[dict, dict, int], dict] | None = None,
        join_timeout: float = 60) -> RunResult:
    """Run ``workers`` concurrently for ``warmup`` + ``seconds``; ``probe``/``diff`` sample the window."""
    stop = threading.Event()
    start = threading.Barrier(len(workers) + 1)
    records: list[list[tuple[float, float, bool, str]]] = [[] for _ in workers]
    samples: list[dict[str, str]] = [{} for _ in workers]

    def loop(i: int, worker: Worker) -> None:
        out, seen = records[i], samples[i]
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return
        while not stop.is_set():
            t_start = time.perf_counter()
            try:
                ok, outcome, body = worker.step()
            except Exception as exc:  # a failed operation is a result, not the end of the run
                ok, outcome, body = False, f"exc:{type(exc).__name__}", str(exc)
                try:
                    worker.recover()
                except Exception:
                    pass
                time.sleep(0.01)     # no busy loop against a server or database that is down
            t_end = time.perf_counter()
            out.append((t_end, (t_end - t_start) * 1000, ok, outcome))
            if outcome not in seen and body is not None:
                seen[outcome] = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)

    threads = [threading.Thread(target=loop, args=(i, w), daemon=True, name=f"bench-{i}")
               for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    try:
        start.wait()
        time.sleep(warmup)
        t0, before = time.perf_counter(), probe() if probe else None
        time.sleep(seconds)
        t1, after = time.perf_counter(), probe() if probe else None
    except BaseException:
        start.abort()
        raise
    finally:
        stop.set()
        deadline = time.monotonic() + join_timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            try:
                worker.close()
            except Exception:
                pass

    outcomes, totals, latencies, ok_keys = Counter(), Counter(), [], set()
    for per_worker in records:
        for t_end, latency, ok, outcome in per_worker:
            totals[outcome] += 1
            if ok:
                ok_keys.add(outcome)
            if t0 <= t_end <= t1:
                outcomes[outcome] += 1
                if ok:
                    latencies.append(latency)
    latencies.sort()
    merged: dict[str, str] = {}
    for per_worker in samples:
        for key, body in per_worker.items():
            merged.setdefault(key, body[:2000])
    result = RunResult(workers=len(workers), seconds=t1 - t0, outcomes=outcomes, latencies_ms=latencies,
                       totals=totals, ok_outcomes=frozenset(ok_keys), samples=merged)
    if probe and diff:
        result.probe = diff(before, after, result.ok)
    return result
