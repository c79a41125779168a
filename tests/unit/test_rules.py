"""Pure rules: code check digits and normalisation."""
import pytest

from wms.masterdata import rules


@pytest.mark.parametrize("code", ["6901234567892", "96385074", "036000291452", "10614141000415"])
def test_valid_gtins(code):
    assert rules.is_valid_gtin(code)


@pytest.mark.parametrize("code", ["6901234567893", "123", "69012345678921", "69O1234567892", "６９０１２３４５６７８９２"])
def test_invalid_gtins(code):
    assert not rules.is_valid_gtin(code)


def test_gs1_check_digit_of_sscc_body():
    # GS1's own example SSCC: 106141411234567897 (check digit 7)
    assert rules.gs1_check_digit("10614141123456789") == 7


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91440300MA5GP23YX4"])
def test_valid_uscc(code):
    assert rules.is_valid_uscc(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43"])
def test_invalid_uscc(code):
    assert not rules.is_valid_uscc(code)


def test_hs_code_is_ten_digits():
    assert rules.is_valid_hs_code("8518300000")
    assert not rules.is_valid_hs_code("851830")
    assert not rules.is_valid_hs_code("85183000001")
    assert not rules.is_valid_hs_code("85183000AB")


def test_codes_typed_full_width_are_folded():
    assert rules.normalize_code(" ａ０１－０１－１－１\u3000") == "A01-01-1-1"
