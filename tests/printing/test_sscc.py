"""SSCC numbers: GS1's check digit, the configured prefix, a database sequence that never hands out a
number twice, and a clear stop when the prefix's serial references run out."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from wms.core.numbering import NumberSeries
from wms.errors import Conflict
from wms.masterdata.rules import gs1_check_digit
from wms.printing import sscc


def test_gs1_example_sscc():
    # GS1 General Specifications' example: extension 1, prefix 0614141, serial 123456789, check digit 7
    assert sscc.sscc("1", "0614141", 123456789) == "106141411234567897"
    assert gs1_check_digit("10614141123456789") == 7


def test_serial_reference_is_zero_padded_to_17_digits():
    assert sscc.sscc("0", "6901234", 1) == "069012340000000016"        # 7-digit prefix: 9-digit serial
    assert sscc.sscc("3", "690123456789", 42) == "369012345678900423"  # 12-digit prefix: 4-digit serial


def test_allocations_never_overlap(app, dbs):
    with app.test_request_context():
        first = sscc.allocate(3)
        second = sscc.allocate(2)
    assert len(set(first + second)) == 5
    serials = [int(number[8:17]) for number in first + second]
    assert serials == list(range(serials[0], serials[0] + 5))            # one consecutive sequence
    for number in first + second:
        assert len(number) == 18 and number.startswith("06901234")        # extension 0 + default prefix
        assert int(number[-1]) == gs1_check_digit(number[:-1])


def test_configured_prefix_and_extension(app, monkeypatch):
    monkeypatch.setitem(app.config, "GS1_COMPANY_PREFIX", "69412345678")
    monkeypatch.setitem(app.config, "GS1_EXTENSION_DIGIT", "5")
    with app.test_request_context():
        (number,) = sscc.allocate(1)
    assert number.startswith("569412345678") and int(number[-1]) == gs1_check_digit(number[:-1])


def test_exhausted_serial_space_is_a_clear_conflict(app, dbs, monkeypatch):
    monkeypatch.setitem(app.config, "GS1_COMPANY_PREFIX", "690123456789")     # 12 digits: 4-digit serials
    with app.test_request_context():
        sscc.allocate(1)                                                       # the series exists
        dbs.execute(sa.update(NumberSeries).where(NumberSeries.name == "sscc").values(next_value=9999))
        (last,) = sscc.allocate(1)
        assert last[:17] == "06901234567899999"                             # the last serial reference
        with pytest.raises(Conflict) as exhausted:
            sscc.allocate(1)
    assert exhausted.value.code == "sscc_exhausted"
    assert exhausted.value.params == {"prefix": "690123456789", "capacity": 9999}


@pytest.mark.parametrize("setting,value", [("GS1_COMPANY_PREFIX", "69O1234"), ("GS1_COMPANY_PREFIX", "6901"),
                                           ("GS1_EXTENSION_DIGIT", "10")])
def test_bad_settings_are_reported(app, monkeypatch, setting, value):
    monkeypatch.setitem(app.config, setting, value)
    with app.test_request_context(), pytest.raises(sscc.GS1SettingsInvalid) as invalid:
        sscc.allocate(1)
    assert invalid.value.params["setting"] == setting
