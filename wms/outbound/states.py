"""The outbound documents' state machines (DESIGN §3)."""
from wms.core.statemachine import StateMachine

CANCELLABLE = ("received", "matched", "match_failed", "allocated", "backordered", "waved", "picked", "packed",
               "bagged")

ORDER = StateMachine("order", {
    "received": {"match": "matched", "match_fail": "match_failed", "cancel": "cancelled"},
    "match_failed": {"match": "matched", "cancel": "cancelled"},
    "matched": {"allocate": "allocated", "backorder": "backordered", "link_parcel": "packed", "cancel": "cancelled"},
    "backordered": {"allocate": "allocated", "cancel": "cancelled"},
    "allocated": {"wave": "waved", "reallocate": "matched", "cancel": "cancelled"},
    "waved": {"pick": "picked", "short_pick": "matched", "unwave": "allocated", "cancel": "cancelled"},
    "picked": {"pack": "packed", "cancel": "cancelled"},
    "packed": {"bag": "bagged", "cancel": "cancelled"},
    "bagged": {"load": "loaded", "unbag": "packed", "cancel": "cancelled"},
    "loaded": {"gate_out": "shipped"},
    "shipped": {},
    "cancelled": {},
})

WAVE = StateMachine("wave", {
    "planned": {"release": "released", "cancel": "cancelled"},
    "released": {"all_picked": "picked"},
    "picked": {"all_packed": "completed"},
    "completed": {},
    "cancelled": {},
})

PICK_TASK = StateMachine("pick_task", {
    "open": {"pick": "done", "short": "short", "cancel": "cancelled"},
    "done": {},
    "short": {},
    "cancelled": {},
})

BAG = StateMachine("bag", {
    "open": {"seal": "sealed"},
    "sealed": {"load": "loaded", "reopen": "open"},
    "loaded": {},
})

MANIFEST = StateMachine("manifest", {
    "loading": {"close": "closed"},
    "closed": {"gate_out": "departed", "reopen": "loading"},
    "departed": {},
})
