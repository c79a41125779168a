"""Where the CPU went during a measured window (Linux ``/proc``): the server's process tree, this load
generator, and everything else on the machine (mostly PostgreSQL), in CPU milliseconds per operation.
"""
from __future__ import annotations

import os
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


def _tree_seconds(root: int | None) -> float | None:
    """user + system CPU seconds of ``root`` and its descendants (gunicorn master and worker)."""
    if root is None:
        return None
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        rest = text[text.rindex(")") + 2:].split()     # fields after "pid (comm)"
        stats[int(entry.name)] = (int(rest[1]), (int(rest[11]) + int(rest[12])) / TICK)
    if root not in stats:
        return None
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _) in stats.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return sum(stats[pid][1] for pid in members)


def probe(server_pid: int | None = None):
    """A function returning a CPU snapshot, for ``load.run(probe=...)``."""
    def snapshot() -> dict:
        times = os.times()
        return {"busy": _busy_seconds(), "bench": times.user + times.system, "server": _tree_seconds(server_pid)}
    return snapshot


def diff(before: dict, after: dict, operations: int) -> dict:
    """CPU ms per operation by consumer, and how busy the machine was."""
    spent = {k: (after[k] - before[k]) if after.get(k) is not None and before.get(k) is not None else None
             for k in before}
    per_op = lambda v: None if v is None or not operations else round(v * 1000 / operations, 3)  # noqa: E731
    other = None
    if spent["busy"] is not None:
        other = spent["busy"] - spent["bench"] - (spent["server"] or 0)
    return {"cores": CORES, "busy_cpu_s": _round(spent["busy"]),
            "ms_per_op": {"server": per_op(spent["server"]), "load_generator": per_op(spent["bench"]),
                          "postgres_and_other": per_op(other), "total": per_op(spent["busy"])}}


def _round(value):
    return None if value is None else round(value, 3)
