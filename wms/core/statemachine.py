"""One helper for every document's state machine: transitions are data, declared beside the domain.

    FILING = StateMachine("filing", {
        "draft":    {"declare": "declared"},
        "declared": {"approve": "approved", "return": "returned"},
    })
    FILING.fire(product, "declare")     # checks, moves, audits; else InvalidTransition (409)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from wms.errors import InvalidTransition


@dataclass(frozen=True)
class StateMachine:
    name: str
    table: dict[str, dict[str, str]]
    attr: str = "status"
    states: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        targets = {t for events in self.table.values() for t in events.values()}
        object.__setattr__(self, "states", tuple(dict.fromkeys([*self.table, *sorted(targets)])))

    @property
    def initial(self) -> str:
        return next(iter(self.table))

    def allowed_events(self, state: str) -> list[str]:
        return list(self.table.get(state, {}))

    def next_state(self, state: str, event: str) -> str:
        """The state ``event`` leads to from ``state``; InvalidTransition when it is not declared."""
        try:
            return self.table[state][event]
        except KeyError:
            raise InvalidTransition(self.name, state, event, self.allowed_events(state)) from None

    def fire(self, obj, event: str, *, audit: bool = True, **audit_extra) -> str:
        """Move ``obj`` by ``event``, record the change in the audit log, return the new state."""
        before = getattr(obj, self.attr)
        after = self.next_state(before, event)
        setattr(obj, self.attr, after)
        if audit:
            from wms.core.audit import record
            record(f"{self.name}.{event}", obj, before={self.attr: before},
                   after={self.attr: after, **audit_extra})
        return after
