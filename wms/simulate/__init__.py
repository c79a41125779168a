"""``flask wms simulate``: a realistic warehouse day driven through the HTTP API — the demo and the load
generator.

Every step is a request to ``/api/v1`` made as the user who makes it in the warehouse: sellers forecast their
goods and push their platforms' orders, operators scan on PDAs (receiving, inspection, QC, putaway, picking,
packing, bagging, loading), the customs liaison declares temporary storage, the supervisor books the packing
materials, allocates, plans and releases waves, resolves pick discrepancies and lets the vehicles out. Scans
carry an ``Idempotency-Key`` and an ``X-Device`` like the PDA's queue, and a few are sent twice, as a PDA does
when Wi-Fi drops; a few platform orders are sent twice too.

    setup        sign-ins (the demo users), the catalogue, channels; the day's orders planned from the seed;
                 the packing materials they need delivered
    inbound      one forecast (ASN) per seller for what the orders need, with a margin; gate-in; receiving
                 carton by carton (first arrivals measured, a few damaged units); finish
    customs      temp-storage declarations declared (a few spot checks); the gateway's receipts awaited,
                 rejected declarations declared again, held lines inspected; QC tasks
    putaway      every LPN to its suggested location; the forecasts closed
    orders       platform orders (一票一件 and multi-item, eleven countries; a few invalid ones refused with 422);
                 a few buyers cancel at once
    customs      every export list answered; orders whose list customs rejected are cancelled by their seller
    outbound     allocation (a few buyers cancel after it); waves planned and released; every task picked (one
                 short pick: counted, resolved, re-waved); packing from cart slots and on the single-item fast
                 lane; a few orders cancelled after packing (their units back to storage); bags by channel and
                 destination; one vehicle per carrier loaded, closed and gated out
    checks       the ledger, the account book, reservations against allocations, shipped orders in departed
                 manifests, every order finished, nothing left at the pack stations, no 5xx, no unexpected
                 refusal, replays answered alike, customs receipts processed

Requests go through Flask's test client (in-process: no server, each request with its own app context and
database session) or over HTTP to ``--url``. Customs' receipts come from the configured gateway: in-process
the simulation runs the customs worker's rounds itself; over HTTP the server's worker does
(``--customs-worker`` runs rounds here too, when this process shares the server's database). The database
is read directly only at the end, for the checks and the counts of the summary.
"""
from __future__ import annotations

import json
from typing import Callable

import sqlalchemy as sa

from wms.simulate.day import Day, Options
from wms.simulate.report import Check, counts, day_checks, render, stock_checks, summary

__all__ = ["Options", "simulate", "stock_checks"]


def simulate(app, options: Options, out: Callable[[str], None] = print) -> dict:
    """Run a day, check it, print the summary (and write it as JSON); returns the summary, ``ok`` included."""
    from wms.extensions import db
    from wms.outbound.models import Order

    where = f"over HTTP at {options.url}" if options.url else "in-process"
    out(f"Simulating a day of {options.orders} orders (seed {options.seed}) {where} …")
    day = Day(app, options, out)
    day.run()
    db.session.rollback()                       # a fresh look at what the requests committed
    seen = db.session.scalar(sa.select(sa.func.count()).where(Order.order_no.like(f"{day.prefix}-%")))
    if day.orders and not seen:
        checks = [Check("database", False, "this process does not see the orders it sent: give it the "
                                           "server's database (WMS_DATABASE_URL) to check the run")]
        state = {"asns": {}, "orders": {}, "waves": {}, "bags": {}, "manifests": {},
                 "units_received": day.units_received, "units_damaged": day.damaged, "units_shipped": 0,
                 "customs_messages": []}
    else:
        checks = stock_checks() + day_checks(day)
        state = counts(day)
    result = summary(day, checks, state)
    out("")
    out(render(result))
    if options.json_path:
        options.json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str),
                                     encoding="utf-8")
        out(f"  summary written to {options.json_path}")
    return result
