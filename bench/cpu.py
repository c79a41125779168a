"""Where the CPU went during a measured window (Linux ``/proc``), in CPU milliseconds per operation:
the server's process tree, this load generator, the PostgreSQL backends serving the bench database, and
everything else on the machine (other databases' backends, WAL writer, other people's work: noise).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CORES = os.cpu_count() or 1


def _busy_seconds() -> float | None:
    """CPU seconds spent not idle, all cores, since boot."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)      # idle + iowait
    return (sum(fields[:8]) - idle) / TICK                         # without guest time (counted in user)


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command name, user + system CPU seconds)."""
    found = {}
    if not Path("/proc/stat").exists():                 # not Linux: no breakdown
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1:text.rindex(")")]
        rest = text[text.rindex(")") + 2:].split()     # fields after "pid (comm)"
        found[int(entry.name)] = (int(rest[1]), comm, (int(rest[11]) + int(rest[12])) / TICK)
    return found


def _tree(procs: dict, root: int) -> set[int]:
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _, _) in procs.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return members


def _backends(procs: dict, database: str) -> set[int]:
    """PostgreSQL backends whose process title names ``database`` ("postgres: 15/main: user db host")."""
    pids = set()
    for pid, (_, comm, _) in procs.items():
        if comm != "postgres":
            continue
        try:
            title = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f" {database} " in title:
            pids.add(pid)
    return pids


def probe(database: str, server_pid: int | None = None):
    """A function returning a CPU snapshot, for ``load.run(probe=...)``."""
    def snapshot() -> dict:
        procs = _processes()
        server = _tree(procs, server_pid) if server_pid in procs else set()
        backends = _backends(procs, database)
        times = os.times()
        return {"busy": _busy_seconds(), "bench": times.user + times.system,
                "server": {pid: procs[pid][2] for pid in server},
                "postgres": {pid: procs[pid][2] for pid in backends}}
    return snapshot


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two per-process snapshots (processes born in between count from zero)."""
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


def diff(before: dict, after: dict, operations: int) -> dict:
    """CPU ms per operation by consumer, and how many CPU seconds the machine was busy."""
    if before["busy"] is None or after["busy"] is None:
        return {"cores": CORES, "busy_cpu_s": None, "ms_per_op": None}
    busy = after["busy"] - before["busy"]
    bench = after["bench"] - before["bench"]
    server = _spent(before["server"], after["server"])
    postgres = _spent(before["postgres"], after["postgres"])
    per_op = lambda v: round(v * 1000 / operations, 3) if operations else None  # noqa: E731
    return {"cores": CORES, "busy_cpu_s": round(busy, 3),
            "ms_per_op": {"server": per_op(server), "load_generator": per_op(bench),
                          "postgres_bench_db": per_op(postgres),
                          "other": per_op(max(0.0, busy - bench - server - postgres)), "total": per_op(busy)}}


def background(seconds: float = 1.0) -> float | None:
    """Share of all cores busy over ``seconds`` while the benchmark itself does nothing (0..1)."""
    start = _busy_seconds()
    time.sleep(seconds)
    end = _busy_seconds()
    return None if start is None or end is None else (end - start) / (seconds * CORES)
