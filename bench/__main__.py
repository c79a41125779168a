"""``python -m bench`` (``make bench``): scans through the HTTP API on PostgreSQL vs the DB ceiling.

Steps: fresh database (migrate + demo data, warehouse grown to 20,000 locations) → real server → HTTP runs
(move scans: each client its own stock row, then all clients on one row; receiving scans, each client its
own forecast; putaway suggestions) → server stopped → correctness checks → the same SQL straight over
psycopg (the ceiling) → allocation + wave planning of 10,000 orders in process → the waves released and picked
through the HTTP API, then by the same SQL → 1,000 shipping labels into one PDF, then straight on reportlab →
table + JSON in bench/results/ → database dropped (also on failure or Ctrl-C).
Exits 1 when a correctness check fails; speed never fails the run.
"""
from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
import traceback
from datetime import datetime, timezone

from bench import ceiling, cpu, inbound, labels, load, moves, outbound, pg, picking
from bench.report import RESULTS_DIR, Row, details, table, write_json
from bench.server import Server

POOL_OVERFLOW = 20     # the app's SQLAlchemy max_overflow (wms/config.py)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Move scans through the HTTP API under concurrent clients on PostgreSQL, next to the "
                    "database's own ceiling for the same SQL, measured in the same run.",
        epilog="PostgreSQL admin URL: env WMS_BENCH_PG_ADMIN_URL (default " + pg.DEFAULT_ADMIN_URL + ").")
    parser.add_argument("--clients", type=_positive(int), default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=_positive(float), default=10.0, help="measured seconds per run (default 10)")
    parser.add_argument("--warmup", type=_positive(float, zero=True), default=2.0,
                        help="warm-up seconds before each measured run (default 2)")
    parser.add_argument("--threads", type=_positive(int), default=24, help="server threads per worker (default 24)")
    parser.add_argument("--workers", type=_positive(int), default=2,
                        help="server processes (default 2, one per core; more than one uses Redis for Socket.IO)")
    parser.add_argument("--redis-url", default=os.environ.get("WMS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
                        help="Socket.IO message queue when --workers > 1 (default redis://127.0.0.1:6379/0)")
    parser.add_argument("--keep-db", action="store_true", help="keep the benchmark database (its URL is printed)")
    return parser.parse_args(argv)


def _positive(kind, zero: bool = False):
    def convert(text: str):
        value = kind(text)
        if value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"must be {'>= 0' if zero else '> 0'}: {text}")
        return value
    return convert


def say(text: str) -> None:
    print(text, flush=True)


def _terminate(_signum, _frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)     # even when started with SIGINT ignored
    now = datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    admin = pg.admin_url()
    name = f"wms_bench_{now:%Y%m%d_%H%M%S}_{os.getpid()}"
    url = pg.database_url(admin, name)
    server: Server | None = None
    created = False
    try:
        spare = pg.spare_connections(admin)
        needed = max(args.clients, args.workers * (args.threads + POOL_OVERFLOW)) + 5
        if needed > spare:
            say(f"PostgreSQL accepts {spare} more connections; this run needs up to {needed} "
                f"(--clients for the ceiling, --workers × (--threads + {POOL_OVERFLOW}) for the server). Lower them.")
            return 2
        say(f"database {name}: create, migrate, seed")
        pg.create_database(admin, name)
        created = True
        seeded = pg.migrate_and_seed(url)
        say(f"  {seeded}")
        say(f"  warehouse grown to {inbound.grow_warehouse(url):,} locations")

        server = Server(url, args.threads, RESULTS_DIR / f"{stamp}-server.log", workers=args.workers,
                        redis_url=args.redis_url)
        http_runs, movements, variants, logins, idle = http_phase(args, server, url, name)
        inbound_runs, plans, statements = inbound_http_phase(args, server, url, name, logins)
        checks = [movements, ledger_check(url, "after the HTTP runs")]
        ceiling_runs = ceiling_phase(args, url, name, variants, logins, http_runs["spread"].samples.get("201"))
        ceiling_runs |= inbound_ceiling_phase(args, url, name, logins, plans, statements,
                                              inbound_runs["receiving"].samples.get("200"))
        checks.append(ledger_check(url, "after the ceiling runs"))
        say(f"allocation + wave planning: {outbound.ORDERS:,} open orders")
        made = outbound.prepare(url)
        planning_floor = outbound.ceiling(url)
        planning = outbound.run(url)
        checks.append(ledger_check(url, "after allocation and wave planning"))
        pick_runs = picking_phase(args, server, url, name, logins)
        checks += [picking.check(url), ledger_check(url, "after the pick scans")]
        say(f"shipping labels: {labels.LABELS:,} into one PDF")
        label_run = labels.run(url)
        label_floor = labels.ceiling(label_run.pop("items"))
        checks.append({"name": "one PDF page per shipping label", "passed": label_run["pages"] == label_run["labels"],
                       "detail": f"{label_run['pages']} pages for {label_run['labels']} labels"})

        rows = [Row(f"move scans, HTTP API, {args.clients} clients", "spread",
                    http_runs["spread"], ceiling_runs["spread"]),
                Row(f"move scans, contended (1 row), {args.clients} clients", "contended",
                    http_runs["contended"], ceiling_runs["contended"], has_target=False),
                Row(f"receiving scans, HTTP API, {args.clients} clients", "receiving",
                    inbound_runs["receiving"], ceiling_runs["receiving"]),
                Row(f"putaway suggestions, {inbound.LOCATIONS_WANTED:,} locations, {args.clients} clients",
                    "suggestions", inbound_runs["suggestions"], ceiling_runs["suggestions"], has_target=False),
                Row(f"pick scans (location, item, qty), HTTP API, {args.clients} clients", "picking",
                    pick_runs["http"], pick_runs["ceiling"], has_target=False)]
        tracebacks = server_tracebacks(server)
        say("\n" + table(rows))
        say(details(rows))
        target_met = planning["total_s"] < 2.0
        say(f"\nallocation + wave planning of {made['orders']:,} orders ({made['lines']:,} lines): "
            f"{planning['total_s']:.2f} s (allocate {planning['allocate_s']:.2f} s, plan {planning['plan_s']:.2f} s; "
            f"{planning['allocated']:,} allocated, {planning['backordered']:,} backordered, {planning['waves']} waves) — "
            f"ceiling: the same reservations one row at a time over plain SQL {planning_floor['total_s']:.2f} s — target < 2 s: "
            f"{'met' if target_met else 'not met'}")
        labels_met = label_run["per_second"] >= 100
        say(f"shipping labels into one PDF: {label_run['labels']:,} in {label_run['seconds']:.2f} s = "
            f"{label_run['per_second']:,.0f} labels/s ({label_run['bytes'] / 1e6:.1f} MB) — ceiling: the same text and "
            f"barcodes straight on a reportlab canvas {label_floor['per_second']:,.0f} labels/s — target >= 100/s: "
            f"{'met' if labels_met else 'not met'}")
        if tracebacks:
            say(f"server log: {tracebacks} tracebacks — see {server.log_path}")
        for check in checks:
            say(f"check {'OK  ' if check['passed'] else 'FAIL'} {check['name']}: {check['detail'].splitlines()[-1]}")
        path = write_json(stamp, {
            "timestamp": now.isoformat(),
            "benchmark": "move scans, receiving scans and putaway suggestions, HTTP API vs database ceiling",
            "config": vars(args), "database": name, "seed": seeded,
            "machine": {"cores": os.cpu_count(), "busy_before_runs": idle, "python": platform.python_version(),
                        "platform": platform.platform(), "postgresql": pg.server_version(url)},
            "server": {"workers": args.workers, "threads": args.threads, "db_pool_size": args.threads, "log": str(server.log_path),
                       "tracebacks_logged": tracebacks},
            "results": [r.as_dict() for r in rows],
            "allocation_and_waves": {"orders": made, "app": planning, "ceiling": planning_floor,
                                     "target_s": 2.0, "met": target_met},
            "shipping_labels": {"app": label_run, "ceiling": label_floor, "target_per_s": 100, "met": labels_met},
            "checks": checks})
        say(f"results: {path}")
        return 0 if all(c["passed"] for c in checks) else 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except Exception:  # setup or harness failure: say what, clean up, exit 2 (1 is for failed checks)
        traceback.print_exc()
        return 2
    finally:
        if server is not None:
            server.stop()
        if created and args.keep_db:
            say(f"database kept: {url}")
        elif created:
            pg.drop_database(admin, name)


def http_phase(args, server: Server, url: str, name: str):
    """Start the server, sign in, plan the lanes, run both HTTP variants, stop the server, count movements."""
    say(f"server: flask wms serve --workers {args.workers} --threads {args.threads} on port {server.port} (log {server.log_path})")
    server.start()
    logins = moves.sign_in(server.host, server.port)
    stock = moves.available_stock(server.host, server.port, logins[0])
    lanes, hot = moves.plan(stock, args.clients)
    say(f"  {len(logins)} tokens, {len(stock)} available stock rows; contended row: product "
        f"{hot.product_id} {hot.lpn} at {hot.a_code} ({hot.qty} free) <-> {hot.b_code}")
    variants = {"spread": lanes, "contended": [hot] * args.clients}
    idle = cpu.background()
    if idle is not None:
        say(f"  machine {idle:.0%} busy before the runs" + (" — other work is running, expect noise"
                                                           if idle > 0.1 else ""))
    movements_before = pg.count_movements(url)
    runs: dict[str, load.RunResult] = {}
    for variant, lane_list in variants.items():
        say(f"HTTP {variant}: {args.clients} clients, {args.warmup:g} s warm-up + {args.seconds:g} s")
        runs[variant] = load.run(moves.clients(server.host, server.port, logins, lane_list),
                                 warmup=args.warmup, seconds=args.seconds,
                                 probe=cpu.probe(name, server.pid), diff=cpu.diff)
        say(f"  {runs[variant].rate:,.0f} scans/s")
    server.stop()
    return runs, movement_check(url, movements_before, runs), variants, logins, idle


def inbound_http_phase(args, server: Server, url: str, name: str, logins):
    """Receiving scans (each client its own forecast) and putaway suggestions through the HTTP API."""
    server.start()
    plans = inbound.prepare_receiving(server.host, server.port, logins[0], args.clients)
    products = inbound.suggestion_products(server.host, server.port, logins[0])
    runs: dict[str, load.RunResult] = {}
    for variant, workers in (("receiving", lambda: inbound.receive_clients(server.host, server.port, logins, plans)),
                             ("suggestions", lambda: inbound.suggest_clients(server.host, server.port, logins,
                                                                             products, args.clients))):
        say(f"HTTP {variant}: {args.clients} clients, {args.warmup:g} s warm-up + {args.seconds:g} s")
        runs[variant] = load.run(workers(), warmup=args.warmup, seconds=args.seconds,
                                 probe=cpu.probe(name, server.pid), diff=cpu.diff)
        say(f"  {runs[variant].rate:,.0f} per second")
    server.stop()
    return runs, plans, inbound.chain_statements(url, products)


def picking_phase(args, server: Server, url: str, name: str, logins) -> dict:
    """Waves released; pickers walk them through the HTTP API, then the same statements straight over psycopg."""
    queue = picking.WaveQueue(picking.release_waves(url))
    say(f"pick scans: {len(queue.waves)} released waves")
    server.start()
    say(f"HTTP picking: {args.clients} clients, {args.warmup:g} s warm-up + {args.seconds:g} s")
    http = load.run(picking.clients(server.host, server.port, logins, queue, args.clients), warmup=args.warmup,
                    seconds=args.seconds, probe=cpu.probe(name, server.pid), diff=cpu.diff)
    say(f"  {http.rate:,.0f} scans/s")
    server.stop()
    say(f"ceiling picking: {args.clients} connections, {args.warmup:g} s warm-up + {args.seconds:g} s")
    floor = load.run(picking.ceiling(url, logins, queue, args.clients, http.samples.get("200")), warmup=args.warmup,
                     seconds=args.seconds, probe=cpu.probe(name), diff=cpu.diff)
    say(f"  {floor.rate:,.0f} transactions/s")
    return {"http": http, "ceiling": floor}


def inbound_ceiling_phase(args, url: str, name: str, logins, plans, statements, answer) -> dict:
    runs = {}
    for variant, workers in (("receiving", lambda: inbound.receive_ceiling(url, logins, plans, answer)),
                             ("suggestions", lambda: inbound.suggest_ceiling(url, statements, args.clients))):
        say(f"ceiling {variant}: {args.clients} connections, {args.warmup:g} s warm-up + {args.seconds:g} s")
        runs[variant] = load.run(workers(), warmup=args.warmup, seconds=args.seconds, probe=cpu.probe(name),
                                 diff=cpu.diff)
        say(f"  {runs[variant].rate:,.0f} per second")
    return runs


def ceiling_phase(args, url: str, name: str, variants: dict, logins, answer: str | None) -> dict:
    """The same workloads as SQL straight over psycopg, one connection per client, server stopped."""
    runs = {}
    for variant, lane_list in variants.items():
        say(f"ceiling {variant}: {args.clients} connections, {args.warmup:g} s warm-up + {args.seconds:g} s")
        runs[variant] = load.run(ceiling.workers(url, logins, lane_list, answer),
                                 warmup=args.warmup, seconds=args.seconds, probe=cpu.probe(name), diff=cpu.diff)
        say(f"  {runs[variant].rate:,.0f} transactions/s")
    return runs


def movement_check(url: str, before: int, runs: dict[str, load.RunResult]) -> dict:
    """Every 201 answer made exactly one movement (warm-up and tail included), and nothing else did."""
    created = pg.count_movements(url) - before
    answered = sum(run.totals.get("201", 0) for run in runs.values())
    return {"name": "movements created == 201 answers", "passed": created == answered,
            "detail": f"{created} movements created, {answered} answers 201"}


def ledger_check(url: str, when: str) -> dict:
    passed, text = pg.check_ledger(url)
    return {"name": f"flask wms check-ledger {when}", "passed": passed, "detail": text or "(no output)"}


def server_tracebacks(server: Server) -> int:
    """Tracebacks in the server log (wms/errors.py logs one per unhandled error; gunicorn too)."""
    try:
        return server.log_path.read_text(errors="replace").count("Traceback (most recent call last)")
    except OSError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
