"""The results: a table on stdout (HTTP rate next to the database ceiling) and a JSON file."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.load import RunResult

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_RATE, TARGET_P99_MS = 1000.0, 50.0     # design target on 2 cores: reported, never enforced


@dataclass
class Row:
    """One benchmark line: the HTTP run and the ceiling run of the same workload."""
    name: str
    variant: str
    http: RunResult
    ceiling: RunResult | None
    has_target: bool = True

    @property
    def ratio(self) -> float | None:
        return self.http.rate / self.ceiling.rate if self.ceiling and self.ceiling.rate else None

    def target(self) -> dict | None:
        if not self.has_target:
            return None
        p99 = self.http.pct(99)
        met = self.http.rate >= TARGET_RATE and p99 is not None and p99 < TARGET_P99_MS
        return {"rate_per_s": TARGET_RATE, "p99_ms": TARGET_P99_MS, "met": met}

    def as_dict(self) -> dict:
        return {"name": self.name, "variant": self.variant, "http": self.http.summary(),
                "ceiling": self.ceiling.summary() if self.ceiling else None,
                "ratio": None if self.ratio is None else round(self.ratio, 4), "target": self.target()}


def _num(value: float | None, fmt: str = "{:,.1f}") -> str:
    return "-" if value is None else fmt.format(value)


def table(rows: list[Row]) -> str:
    """The fixed-width table; ratio = HTTP rate / ceiling rate."""
    width = max(len("benchmark"), *(len(r.name) for r in rows)) + 2
    head = (f"{'benchmark':<{width}}{'rate/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}"
            f"{'ceiling/s':>11}{'c.p50':>7}{'c.p99':>7}{'ratio':>8}   target")
    lines = [head, "-" * len(head)]
    for r in rows:
        c = r.ceiling
        target = r.target()
        verdict = "-" if target is None else ("met" if target["met"] else "not met")
        lines.append(
            f"{r.name:<{width}}{_num(r.http.rate, '{:,.0f}'):>8}{_num(r.http.pct(50)):>8}"
            f"{_num(r.http.pct(95)):>8}{_num(r.http.pct(99)):>8}{sum(r.http.errors().values()):>8}"
            f"{_num(c.rate if c else None, '{:,.0f}'):>11}{_num(c.pct(50) if c else None):>7}"
            f"{_num(c.pct(99) if c else None):>7}{_num(None if r.ratio is None else r.ratio * 100, '{:.1f}%'):>8}"
            f"   {verdict}")
    lines.append("rate and latencies: successful scans completed in the measured window; errors: failed scans over "
                 "the whole run (warm-up included)")
    lines.append("ceiling: the same SQL straight over psycopg, same clients and seconds; ratio = rate / ceiling; "
                 f"target: >= {TARGET_RATE:,.0f} scans/s with p99 < {TARGET_P99_MS:.0f} ms on 2 cores")
    return "\n".join(lines)


def details(rows: list[Row]) -> str:
    """Errors (with one sample answer each) and where the CPU went, per run."""
    lines = []
    for r in rows:
        for label, run in (("HTTP", r.http), ("ceiling", r.ceiling)):
            if run is None:
                continue
            errors = run.errors()
            if errors:
                lines.append(f"{r.name} [{label}] errors: " + ", ".join(f"{k} x{v}" for k, v in errors.items()))
                for key in errors:
                    sample = " ".join((run.samples.get(key) or "").split())[:300]
                    if sample:
                        lines.append(f"    {key}: {sample}")
            ms = (run.probe or {}).get("ms_per_op")
            if ms and ms["total"] is not None:
                load = run.probe["busy_cpu_s"] / (run.seconds * run.probe["cores"]) * 100 if run.seconds else 0
                parts = [f"server {ms['server']:.2f}"] if label == "HTTP" else []
                parts += [f"load generator {ms['load_generator']:.2f}",
                          f"postgres (bench db backends) {ms['postgres_bench_db']:.2f}", f"other {ms['other']:.2f}"]
                lines.append(f"{r.name} [{label}] CPU ms/op: " + ", ".join(parts)
                             + f"  (machine {load:.0f}% busy of {run.probe['cores']} cores)")
    return "\n".join(lines)


def write_json(stamp: str, payload: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path
