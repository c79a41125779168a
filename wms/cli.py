"""``flask wms …``: seed, create-user, check-ledger, reconcile-book, customs-worker, simulate, serve."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from wms.extensions import db

cli = AppGroup("wms", help="Bonded WMS commands.")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has a warehouse.")
@click.option("--fixtures", type=click.Path(exists=True, file_okay=False, path_type=Path), default=FIXTURES)
@click.option("--no-stock", is_flag=True, help="Master data and users only.")
def seed_command(if_empty: bool, fixtures: Path, no_stock: bool):
    """Load the demo data from fixtures/."""
    from wms.masterdata.models import Warehouse
    from wms.seed import load_demo

    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Warehouse)):
        click.echo("Database already has data; demo data not loaded.")
        return
    counts = load_demo(fixtures, stock=not no_stock)
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))    # planner statistics for the freshly loaded tables
        db.session.commit()
    click.echo("Demo data loaded: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@cli.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "supervisor", "operator", "seller", "customs"]))
@click.option("--seller", "seller_code", help="Seller code (required for the seller role).")
@click.option("--name", "display_name", default="", help="Display name.")
def create_user_command(username: str, role: str, seller_code: str | None, display_name: str):
    """Create a user; the password is asked for, or read from standard input when it is not a terminal."""
    from wms.auth.service import create_user
    from wms.errors import ValidationFailed
    from wms.masterdata.models import Seller

    seller_id = None
    if seller_code:
        seller_id = db.session.scalar(sa.select(Seller.id).where(Seller.code == seller_code.upper()))
        if seller_id is None:
            raise click.ClickException(f"No seller with code {seller_code}.")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(username, password, role, seller_id=seller_id, display_name=display_name)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in (exc.errors or {}).items())
        raise click.ClickException(problems) from None
    click.echo(f"User {user.username} ({user.role}) created.")


@cli.command("check-ledger")
def check_ledger_command():
    """Prove every stock balance equals the sum of its movements; exit 1 listing any that do not."""
    from wms.inventory.ledger import check

    differences = check()
    balances = db.session.scalar(sa.text("SELECT count(*) FROM stock_balances"))
    if not differences:
        click.echo(f"Ledger OK: {balances} balances equal the sum of their movements.")
        return
    for d in differences:
        click.echo(f"balance {d['balance_id']} (product {d['product_id']}, location {d['location_id']}, "
                   f"{d['status']}, lpn '{d['lpn']}', lot '{d['lot']}'): balance {d['balance']} != "
                   f"movements {d['ledger']}", err=True)
    click.echo(f"Ledger BROKEN: {len(differences)} of {balances} balances differ.", err=True)
    sys.exit(1)


@cli.command("reconcile-book")
def reconcile_book_command():
    """Compare account-book balances with physical bonded stock; exit 1 listing every difference."""
    from wms.customs.book import reconcile

    differences = reconcile()
    if not differences:
        click.echo("Account book reconciles: every book line equals the bonded stock on hand.")
        return
    for d in differences:
        click.echo(f"book {d['book_no'] or '-'} item {d['item_no']} (product {d['product_id']}): book {d['book_qty']}, "
                   f"on hand {d['physical_qty']}, difference {d['difference']}", err=True)
    click.echo(f"Account book does NOT reconcile: {len(differences)} differences.", err=True)
    sys.exit(1)


@cli.command("customs-worker")
@click.option("--once", is_flag=True, help="One round, then exit.")
def customs_worker_command(once: bool):
    """Send queued customs messages and process receipts, round after round (Ctrl-C stops)."""
    from wms.customs.worker import loop, run_round

    if once:
        click.echo(run_round())
        return
    click.echo(f"customs worker: gateway {current_app.config['CUSTOMS_GATEWAY']}, "
               f"every {current_app.config['CUSTOMS_WORKER_INTERVAL']} s")
    try:
        loop(current_app._get_current_object())
    except KeyboardInterrupt:
        click.echo("customs worker stopped")


@cli.command("simulate")
@click.option("--orders", default=200, show_default=True, type=click.IntRange(1, 100_000),
              help="Orders the platforms push (a few of them invalid on purpose).")
@click.option("--seed", default=1, show_default=True, type=int,
              help="Randomness of the day (same seed, same orders).")
@click.option("--sellers", default=3, show_default=True, type=click.IntRange(1, 100),
              help="How many of the demo seller accounts take part.")
@click.option("--url", default=None,
              help="A running server (http://host:port); default: the app in-process.")
@click.option("--customs-delay", type=click.FloatRange(0, 60), default=None,
              help="In-process: seconds between the sandbox gateway's receipts (default: as configured).")
@click.option("--customs-worker/--no-customs-worker", default=None,
              help="Run the customs worker's rounds here (default: in-process yes; with --url the "
                   "server's worker).")
@click.option("--customs-timeout", type=click.FloatRange(1, 3600), default=300, show_default=True,
              help="Seconds to wait for customs' receipts before giving up.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the summary as JSON (for benchmarks).")
@click.option("--users", "users_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sign-ins YAML like fixtures/users.yaml (default: the demo users).")
@click.option("--check-only", is_flag=True,
              help="Run no day: only check the ledger, the account book and the reservations.")
def simulate_command(orders, seed, sellers, url, customs_delay, customs_worker, customs_timeout, json_path,
                     users_file, check_only):
    """Drive a realistic day through the HTTP API, print a summary, exit 1 if an invariant breaks."""
    from wms import simulate

    if check_only:
        checks = simulate.stock_checks()
        for check in checks:
            click.echo(f"[{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
        sys.exit(0 if all(c.ok for c in checks) else 1)
    options = simulate.Options(orders=orders, seed=seed, sellers=sellers, url=url,
                               customs_delay=customs_delay, customs_worker=customs_worker,
                               customs_timeout=customs_timeout, json_path=json_path, users_file=users_file)
    result = simulate.simulate(current_app._get_current_object(), options, out=click.echo)
    sys.exit(0 if result["ok"] else 1)


@cli.command("serve")
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="HOST or 127.0.0.1")
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int, show_default="PORT or 5000")
@click.option("--threads", default=32, type=int, help="Threads per worker.")
@click.option("--workers", default=lambda: int(os.environ.get("WMS_WORKERS", "1")), type=int,
              show_default="WMS_WORKERS or 1", help="Processes; more than one needs WMS_REDIS_URL.")
@click.option("--customs-worker/--no-customs-worker", default=True, show_default=True,
              help="Run the customs worker inside the server (each process; they share the work safely).")
def serve_command(host: str, port: int, threads: int, workers: int, customs_worker: bool):
    """Serve HTTP and Socket.IO (gunicorn gthread workers)."""
    from gunicorn.app.base import BaseApplication

    if workers > 1 and not current_app.config.get("REDIS_URL"):
        raise click.ClickException("Several workers share board events through Redis: set WMS_REDIS_URL.")
    _print_logins(host, port)
    app = current_app._get_current_object()

    def fresh_connections(_server, _worker):
        """A forked worker opens its own database connections; none are shared across processes."""
        with app.app_context():
            db.engine.dispose(close=False)
        if customs_worker:
            from wms.customs.worker import start_thread
            start_thread(app)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("workers", workers)
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", os.environ.get("WMS_ACCESS_LOG") or None)
            self.cfg.set("timeout", 120)
            self.cfg.set("post_fork", fresh_connections)

        def load(self):
            return app

    Server().run()


def _print_logins(host: str, port: int) -> None:
    import yaml

    users = yaml.safe_load((FIXTURES / "users.yaml").read_text(encoding="utf-8"))
    base = f"http://{host}:{port}"
    click.echo(f"\nBonded WMS on {base}  (screens /  ·  PDA /pda  ·  API docs /api/docs)")
    click.echo("Demo sign-ins (user / password / role):")
    for user in users:
        seller = f" — {user['seller']}" if user.get("seller") else ""
        click.echo(f"  {user['username']:<12} {user['password']:<12} {user['role']}{seller}")
    click.echo("")

