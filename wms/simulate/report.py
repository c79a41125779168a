"""What the day left behind, read from the database at the end: the invariant checks, the counts per state,
and the summary (a dict for ``--json``, and the text the terminal shows)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from wms.extensions import db
from wms.simulate.client import percentile
from wms.simulate.day import Day


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False          # reported, not failing the run: a known product gap


def stock_checks() -> list[Check]:
    """Invariants of the stored data: the ledger, the account book, reservations against open allocations."""
    from wms.customs.book import reconcile
    from wms.inventory.ledger import check
    from wms.inventory.models import StockBalance
    from wms.outbound.models import Allocation

    checks = []
    drift = check()
    negative = db.session.scalar(sa.select(sa.func.count()).where(sa.or_(
        StockBalance.qty < 0, StockBalance.reserved_qty < 0, StockBalance.reserved_qty > StockBalance.qty)))
    balances = db.session.scalar(sa.select(sa.func.count()).select_from(StockBalance))
    if drift or negative:
        shown = "; ".join(f"balance {d['balance_id']}: {d['balance']} != movements {d['ledger']}"
                          for d in drift[:5])
        detail = (f"{len(drift)} balances differ from their movements ({shown or '-'}); "
                  f"{negative} negative or over-reserved")
    else:
        detail = f"{balances} balances equal the sum of their movements; none negative or over-reserved"
    checks.append(Check("inventory ledger", not drift and not negative, detail))

    differences = reconcile()
    detail = "every book line equals the bonded stock on hand" if not differences else \
        f"{len(differences)} differences: " + "; ".join(
            f"{d['item_no']} book {d['book_qty']} vs on hand {d['physical_qty']}" for d in differences[:5])
    checks.append(Check("account book", not differences, detail))

    held = sa.func.sum(Allocation.qty - Allocation.picked_qty).label("units")
    open_units = (sa.select(Allocation.balance_id, held).where(Allocation.status == "open")
                  .group_by(Allocation.balance_id).subquery())
    allocated = sa.func.coalesce(open_units.c.units, 0)
    differing = db.session.execute(
        sa.select(StockBalance.id, StockBalance.reserved_qty, allocated)
        .outerjoin(open_units, open_units.c.balance_id == StockBalance.id)
        .where(StockBalance.reserved_qty != allocated)).all()
    reserved = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockBalance.reserved_qty), 0)))
    detail = f"{reserved} units reserved, as many as the open allocations hold" if not differing else \
        f"{len(differing)} balances whose reservation differs from their open allocations: " + "; ".join(
            f"balance {b} reserved {r}, allocated {a}" for b, r, a in differing[:5])
    checks.append(Check("reservations", not differing, detail))
    return checks


def day_checks(day: Day) -> list[Check]:
    """Invariants of this run: its orders shipped in departed manifests or cancelled, nothing left at the pack
    stations, the answers it got, the customs receipts processed."""
    from wms.customs.models import CustomsMessage, CustomsRecord
    from wms.inventory.models import StockBalance
    from wms.masterdata.models import Location, Zone
    from wms.outbound.models import Bag, Manifest, Order, Parcel

    checks = []
    ids = list(day.orders)
    rows = db.session.execute(
        sa.select(Order.id, Order.status, Order.summary_state, Manifest.status)
        .outerjoin(Parcel, Parcel.order_id == Order.id).outerjoin(Bag, Bag.id == Parcel.bag_id)
        .outerjoin(Manifest, Manifest.id == Bag.manifest_id).where(Order.id.in_(ids))).all() if ids else []
    status = {order_id: state for order_id, state, _, _ in rows}
    shipped = {r[0] for r in rows if r[1] == "shipped"}
    astray = sorted({r[0] for r in rows if r[1] == "shipped" and (r[3] != "departed" or r[2] != "pending")})
    if astray:
        detail = f"{len(astray)} shipped orders without a parcel in a departed manifest, or not pending: " \
                 f"{astray[:10]}"
    elif ids and not shipped:
        detail = "no order of the run was shipped"
    else:
        detail = f"{len(shipped)} shipped orders each have a parcel in a departed manifest and wait for " \
                 "the consolidated declaration (summary_state pending, 汇总待报)"
    checks.append(Check("shipped orders", not astray and (bool(shipped) or not ids), detail))
    unfinished = Counter(state for state in status.values() if state not in ("shipped", "cancelled"))
    detail = f"all {len(status)} orders shipped or cancelled" if not unfinished else \
        "left open: " + ", ".join(f"{n} {state}" for state, n in unfinished.most_common())
    checks.append(Check("every order finished", not unfinished, detail))

    # picked units travel on their wave's cart-slot or tote LPN; by the end each unit is packed and gone, or
    # back in storage (return-to-stock keeps the LPN): none may still wait at the pack stations
    waves = [wave["number"] for wave in day.waves.values()]
    left = db.session.execute(
        sa.select(StockBalance.lpn, sa.func.sum(StockBalance.qty))
        .join(Location, Location.id == StockBalance.location_id).join(Zone, Zone.id == Location.zone_id)
        .where(StockBalance.qty > 0, Zone.kind != "storage",
               sa.or_(*(StockBalance.lpn.like(f"{number}-%") for number in waves)))
        .group_by(StockBalance.lpn)).all() if waves else []
    detail = f"nothing of the {len(waves)} waves left on cart slots or batch totes" if not left else \
        "units left outside storage: " + ", ".join(f"{lpn} ×{n}" for lpn, n in left[:10])
    checks.append(Check("carts and totes emptied", not left, detail))

    stats = day.stats
    detail = f"{stats.requests} requests, none answered 5xx" if not stats.server_errors else \
        f"{len(stats.server_errors)} answers ≥ 500, first: {_short(stats.server_errors[0])}"
    checks.append(Check("no 5xx", not stats.server_errors, detail))
    detail = f"{sum(stats.expected_refusals.values())} refusals, all expected (the invalid orders, the end " \
        "of an LPN's putaway tasks)" if not stats.unexpected else \
        f"{len(stats.unexpected)} unexpected answers, first: {_short(stats.unexpected[0])}"
    checks.append(Check("no unexpected refusals", not stats.unexpected, detail))
    checks.append(Check("day completed", not day.aborted, f"aborted in {day.aborted}" if day.aborted else
                        f"all {len(day.phases) - 1} phases ran to the end"))
    mismatches = stats.replay_mismatches
    detail = f"{stats.replays} scans and {day.duplicate_sends} orders sent twice, answered as the first " \
        "time" if not mismatches else f"{len(mismatches)} answered differently: {mismatches[:3]}"
    checks.append(Check("replays answered alike", not mismatches, detail))

    since = day.started_at.replace(tzinfo=None)
    failed = db.session.scalar(sa.select(sa.func.count()).where(CustomsMessage.status == "error",
                                                                CustomsMessage.created_at >= since))
    worker = day.customs.failures
    if failed or worker:
        detail = f"{failed} receipts failed to process; {len(worker)} worker rounds failed {worker[:2]}"
    elif day.customs.drive:
        detail = f"{day.customs.receipts} receipts in {day.customs.rounds} worker rounds, none failed"
    else:
        detail = "no receipt failed to process (the server's worker)"
    checks.append(Check("customs receipts", not failed and not worker, detail))

    # A cancelled order's export list must not stay released at customs: a list customs had numbered when the
    # order was cancelled gets a CEB605 at once, one still on its way gets it as soon as customs numbers it.
    cancels = sa.select(CustomsRecord.invt_no).where(CustomsRecord.kind == "cancel",
                                                     CustomsRecord.invt_no != "")
    loose = db.session.scalars(
        sa.select(Order.order_no).join(CustomsRecord, CustomsRecord.guid == Order.list_guid)
        .where(Order.id.in_(ids), Order.status == "cancelled", ~CustomsRecord.invt_no.in_(cancels),
               CustomsRecord.status.in_(("released", "closed")))).all() if ids else []
    detail = "every cancelled order's released list was cancelled (CEB605)" if not loose else \
        f"{len(loose)} cancelled orders whose list customs released with no CEB605: {', '.join(loose[:3])}"
    checks.append(Check("cancelled orders' export lists", not loose, detail))
    return checks


def _short(entry: dict) -> str:
    body = entry.get("body")
    if isinstance(body, dict):
        body = body.get("code") or body.get("message") or body
    return f"{entry['method']} {entry['path']} → {entry['status']} {str(body)[:200]}"


def counts(day: Day) -> dict:
    """The day's documents per state, units in and out, and the customs messages of the run."""
    from wms.customs.models import CustomsMessage as M
    from wms.inbound.models import Asn
    from wms.outbound.models import Bag, Manifest, Order, OrderLine, Wave

    def by_status(model, ids) -> dict:
        if not ids:
            return {}
        return dict(db.session.execute(sa.select(model.status, sa.func.count()).where(model.id.in_(list(ids)))
                                       .group_by(model.status).order_by(model.status)).all())

    ids = list(day.orders)
    shipped = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(OrderLine.qty), 0))
                                .join(Order, Order.id == OrderLine.order_id)
                                .where(Order.id.in_(ids), Order.status == "shipped")) if ids else 0
    messages = db.session.execute(
        sa.select(M.message_type, M.direction, M.status, sa.func.count())
        .where(M.created_at >= day.started_at.replace(tzinfo=None))
        .group_by(M.message_type, M.direction, M.status)
        .order_by(M.direction.desc(), M.message_type, M.status)).all()
    return {"asns": by_status(Asn, day.asns), "orders": by_status(Order, ids),
            "waves": by_status(Wave, day.waves), "bags": by_status(Bag, day.bags),
            "manifests": by_status(Manifest, day.manifests), "units_received": day.units_received,
            "units_damaged": day.damaged, "units_shipped": int(shipped),
            "customs_messages": [{"type": t or "?", "direction": d, "status": s, "count": n}
                                 for t, d, s, n in messages]}


def summary(day: Day, checks: list[Check], state: dict) -> dict:
    stats = day.stats
    busy = sum(stats.latencies)
    working = max(day.seconds - day.customs.seconds, 1e-9)
    backend = (day.app.config.get("SQLALCHEMY_DATABASE_URI") or "").split(":", 1)[0].split("+")[0]
    latency = {f"p{p}": round(percentile(stats.latencies, p) * 1000, 2) for p in (50, 95, 99)} \
        if stats.latencies else {}
    return {
        "run": day.prefix, "seed": day.options.seed, "transport": day.transport.name, "url": day.options.url,
        "database": backend, "sellers": sorted(day.sellers.values()),
        "orders_pushed": len(day.planned), "orders_accepted": len(day.orders),
        "orders_refused_422": day.refused_orders, "cancelled": dict(day.cancelled),
        "lists_declared_again": day.redeclared,
        "short_picks": len(day.discrepancies), "tracking_lookups": day.tracking_lookups, **state,
        "timings": {"phases": day.phases, "seconds": round(day.seconds, 3),
                    "cpu_seconds": round(day.cpu_seconds, 3),
                    "customs_seconds": round(day.customs.seconds, 3),
                    "request_seconds": round(busy, 3),
                    "requests_per_second": round(stats.requests / busy, 1) if busy else None,
                    "requests_per_second_wall": round(stats.requests / working, 1)},
        "requests": {"total": stats.requests,
                     "by_status": {str(k): v for k, v in sorted(stats.by_status.items())},
                     "latency_ms": latency, "routes": stats.routes(),
                     "expected_refusals": {f"{path} {status}": n
                                           for (path, status), n in sorted(stats.expected_refusals.items())},
                     "replays": stats.replays, "server_errors": stats.server_errors[:20],
                     "unexpected": stats.unexpected[:20]},
        "customs_worker": {"driven_here": day.customs.drive, "rounds": day.customs.rounds,
                           "sent": day.customs.sent, "receipts": day.customs.receipts},
        "aborted": day.aborted,
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail, "warning": c.warning} for c in checks],
        "ok": all(c.ok or c.warning for c in checks),
    }


def render(result: dict) -> str:
    """The summary as the terminal shows it."""
    def states(values: dict) -> str:
        return " · ".join(f"{k} {v}" for k, v in values.items()) or "-"

    t, r = result["timings"], result["requests"]
    where = f"{result['transport']}{' ' + result['url'] if result['url'] else ''}, {result['database']}"
    lines = [f"Bonded WMS simulated day {result['run']} (seed {result['seed']}, {where})",
             f"  orders pushed {result['orders_pushed']} · accepted {result['orders_accepted']} · "
             f"refused (422) {result['orders_refused_422']} · sellers {', '.join(result['sellers'])}",
             "", f"  {'phase':<20} {'seconds':>8} {'requests':>9} {'req/s':>7} {'customs s':>10}"]
    for p in t["phases"]:
        busy = p["seconds"] - p["customs_seconds"]
        rate = f"{p['requests'] / busy:7.0f}" if busy > 0.001 and p["requests"] else f"{'-':>7}"
        lines.append(f"  {p['phase']:<20} {p['seconds']:8.2f} {p['requests']:9d} {rate} "
                     f"{p['customs_seconds']:10.2f}")
    lat = r["latency_ms"]
    in_process = result["transport"] == "in-process"
    lines += [f"  {'total':<20} {t['seconds']:8.2f} {r['total']:9d} {t['requests_per_second_wall']:7.0f}"
              f" {t['customs_seconds']:10.2f}",
              "  (customs s: the worker's rounds and the wait for receipts; req/s: without that time)",
              f"  requests: {states(r['by_status'])} · latency p50 {lat.get('p50')} ms, "
              f"p95 {lat.get('p95')} ms, p99 {lat.get('p99')} ms · {r['replays']} scans replayed",
              f"  CPU of this process: {t['cpu_seconds']:.1f} s"
              + (" (the app and the customs worker included)" if in_process else ""),
              "  most time: " + ", ".join(f"{x['route']} {x['count']}× {x['mean_ms']:.0f} ms"
                                          for x in r["routes"][:4]),
              "", f"  ASNs       {states(result['asns'])}",
              f"  orders     {states(result['orders'])}",
              f"  cancelled  {states(result['cancelled'])} · refused lists declared again "
              f"{result['lists_declared_again']}",
              f"  waves      {states(result['waves'])} · short picks {result['short_picks']}",
              f"  bags       {states(result['bags'])}",
              f"  manifests  {states(result['manifests'])}",
              f"  units      received {result['units_received']} (damaged {result['units_damaged']})"
              f" · shipped {result['units_shipped']}",
              "  customs    " + " · ".join(f"{m['type']} {m['direction']} {m['status']} {m['count']}"
                                           for m in result["customs_messages"]),
              "", "  checks"]
    for check in result["checks"]:
        mark = "ok" if check["ok"] else "warn" if check["warning"] else "FAIL"
        lines.append(f"    [{mark}] {check['name']}: {check['detail']}")
    failed = [c["name"] for c in result["checks"] if not c["ok"] and not c["warning"]]
    lines += ["", "  RESULT: OK" if result["ok"] else "  RESULT: FAILED — " + ", ".join(failed)]
    return "\n".join(lines)
