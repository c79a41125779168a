"""The state-machine helper and the declared tables."""
import pytest

from wms.core.statemachine import StateMachine
from wms.errors import InvalidTransition
from wms.inventory.states import ALLOCATABLE, GOODS
from wms.masterdata.service import FILING


def test_next_state_follows_the_table():
    assert FILING.next_state("draft", "declare") == "declared"
    assert FILING.next_state("declared", "return") == "returned"
    assert GOODS.next_state("temp_stored", "spot_check") == "customs_hold"
    assert GOODS.next_state("customs_hold", "inspection_passed") == "released"


def test_illegal_event_names_state_and_allowed_events():
    with pytest.raises(InvalidTransition) as err:
        FILING.next_state("draft", "approve")
    assert err.value.status == 409
    assert err.value.params["current_state"] == "draft"
    assert err.value.params["allowed_events"] == ["declare"]


def test_states_include_targets_and_initial_is_first():
    machine = StateMachine("t", {"a": {"go": "b"}, "b": {"end": "c"}})
    assert machine.states == ("a", "b", "c")
    assert machine.initial == "a"
    assert machine.allowed_events("c") == []


def test_only_available_goods_are_allocatable():
    assert ALLOCATABLE == {"available"}
    assert {"temp_stored", "customs_hold", "qc_pending", "defective", "seized"} <= set(GOODS.states)
