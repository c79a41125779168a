"""Stock statuses after receipt (DESIGN §3), customs states included, as a state machine.

Only ``available`` stock can ever be allocated; temp-stored, held, QC-pending and defective goods never.
"""
from wms.core.statemachine import StateMachine

GOODS = StateMachine("goods", {
    "temp_stored": {"declaration_accepted": "released", "spot_check": "customs_hold"},
    "customs_hold": {"inspection_passed": "released", "inspection_failed": "defective", "seize": "seized"},
    "released": {"require_qc": "qc_pending", "make_available": "available", "mark_defective": "defective"},
    "qc_pending": {"qc_pass": "available", "qc_fail": "defective"},
    "available": {"mark_defective": "defective", "hold": "customs_hold"},
    "defective": {},
    "seized": {},
})

STATUSES = GOODS.states
ALLOCATABLE = frozenset({"available"})
