"""The inbound documents' state machines (DESIGN §3)."""
from wms.core.statemachine import StateMachine

ASN = StateMachine("asn", {
    "draft": {"submit": "submitted", "cancel": "cancelled"},
    "submitted": {"gate_in": "arrived", "cancel": "cancelled", "reopen": "draft"},
    "arrived": {"start_receiving": "receiving"},
    "receiving": {"finish": "received"},
    "received": {"close": "closed"},
    "closed": {},
    "cancelled": {},
})
EDITABLE = ("draft",)                       # lines and header change only before submission

DECLARATION = StateMachine("temp_declaration", {
    "draft": {"declare": "declared"},
    "declared": {"accept": "accepted", "reject": "rejected"},
    "rejected": {"redeclare": "declared"},
    "accepted": {},
})

QC_TASK = StateMachine("qc_task", {
    "open": {"complete": "done", "cancel": "cancelled"},
    "done": {},
    "cancelled": {},
})

DISPOSAL = StateMachine("disposal", {
    "draft": {"approve": "approved", "cancel": "cancelled"},
    "approved": {"complete": "completed", "cancel": "cancelled"},
    "completed": {},
    "cancelled": {},
})

PUTAWAY = StateMachine("putaway", {
    "open": {"complete": "done", "cancel": "cancelled"},
    "done": {},
    "cancelled": {},
})
