"""Where customs has a declared record, as a state machine driven by receipts.

A record is queued with its message, sent, then moved by each receipt's ``returnStatus`` (customs.md §4):
1 stored as draft, 2 accepted by the e-port, 3 forwarded to customs, 4 forwarding failed, 100 rejected,
120 entered (logic check passed), 300 manual review, 399 concluded, 500 inspection (查验), 800 released,
899 closed; a negative code is a processing error. Receipts only move a record forward: a late or repeated
receipt is logged on the timeline and not applied; once released, a record is not failed by a late refusal.
A rejected or failed record is corrected and queued again.
"""
from __future__ import annotations

from wms.core.statemachine import StateMachine

PROGRESS = ("draft", "queued", "sent", "stored", "declared", "forwarded", "entered", "review", "concluded",
            "inspection", "released", "closed")
FAILURES = ("send_failed", "rejected", "error")
RETURN_STATES = {"1": "stored", "2": "declared", "3": "forwarded", "4": "send_failed", "100": "rejected",
                 "120": "entered", "300": "review", "399": "concluded", "500": "inspection", "800": "released",
                 "899": "closed"}
RANK = {state: i for i, state in enumerate(PROGRESS)}


def receipt_event(return_status: str) -> str:
    """The state-machine event of a receipt: ``status_<code>``, or ``status_error`` for negative codes."""
    code = return_status.strip()
    return "status_error" if code.startswith("-") else f"status_{code}"


def _table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {"draft": {"queue": "queued"}, "queued": {"send": "sent"}}
    for state in PROGRESS[1:-1]:                       # queued … released take receipts
        events = table.setdefault(state, {})
        failing = RANK[state] < RANK["released"]          # a released record is not rejected by a late receipt
        for code, target in RETURN_STATES.items():
            if (target in FAILURES and failing) or (target not in FAILURES and RANK[target] > RANK[state]):
                events[f"status_{code}"] = target
        if failing:
            events["status_error"] = "error"
    table["closed"] = {}
    for failed in FAILURES:
        table[failed] = {"correct": "queued"}
    return table


CUSTOMS_RECORD = StateMachine("customs_record", _table())
