"""The label model without rendering: text layout, Code 128/GS1 encoding, module sizes and quiet zones,
template data checks and the template loader's refusals."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.printing.samples import SAMPLES
from wms.printing import barcodes
from wms.printing.model import Barcode, QRCode, Text, em_width, fit_text, wrap
from wms.printing.templates import TEMPLATES, LabelDataError, TemplateError, load_dir, load_file


def half_width(text: str, size: float) -> float:
    return em_width(text) * size


# --- text layout --------------------------------------------------------------------------------------------

def test_chinese_text_wraps_between_characters_and_keeps_punctuation():
    assert wrap("安克无线蓝牙耳机", 5 * 4, 4, half_width) == ["安克无线蓝", "牙耳机"]     # 5 a line
    assert wrap("安克无线蓝，黑色", 5 * 4, 4, half_width) == ["安克无线", "蓝，黑色"]     # "，" never starts a line
    assert wrap("安克无线（黑色）", 5 * 4, 4, half_width) == ["安克无线", "（黑色）"]     # "（" never ends one


def test_latin_text_wraps_at_spaces_and_splits_overlong_words():
    assert wrap("Mountain View CA", 8 * 2, 4, half_width) == ["Mountain", "View CA"]
    assert wrap("ABCDEFGHIJ", 4 * 2, 4, half_width) == ["ABCD", "EFGH", "IJ"]


def test_text_shrinks_before_it_is_cut():
    element = Text(x=0, y=0, width=20, text="安克无线蓝牙降噪耳机", size=4, min_size=2)
    fitted = fit_text(element, half_width)
    assert fitted.lines == ("安克无线蓝牙降噪耳机",) and fitted.size == 2.0
    cut = fit_text(Text(x=0, y=0, width=20, text="安克无线蓝牙降噪耳机黑色", size=4, min_size=4), half_width)
    assert cut.size == 4 and cut.lines == ("安克无线…",)


def test_newlines_start_lines():
    fitted = fit_text(Text(x=0, y=0, width=80, text="SKU-A × 2\nSKU-B × 5", size=3, max_lines=3), half_width)
    assert fitted.lines == ("SKU-A × 2", "SKU-B × 5")


# --- symbols ------------------------------------------------------------------------------------------------

def test_code128_sets_and_modules():
    symbol = barcodes.code128("SF1234567890123")
    assert symbol.segments() == [("start", "B"), ("chars", "SF"), ("switch", "C"), ("chars", "123456789012"),
                                 ("switch", "B"), ("chars", "3")]
    assert symbol.width == 11 * (len(symbol.codewords) + 1) + 13        # + check character, + stop
    assert symbol.modules.startswith("11010010000")                       # start code B


@pytest.mark.parametrize("data", ["库位A", "A\tB", ""])
def test_code128_refuses_what_a_scanner_cannot_type(data):
    with pytest.raises(barcodes.SymbolError, match="printable ASCII"):
        barcodes.code128(data)


def test_gs1_element_strings():
    assert barcodes.parse_gs1("(00)106141411234567897") == [("00", "106141411234567897")]
    assert barcodes.gs1_text("(00)106141411234567897") == "(00) 106141411234567897"
    symbol = barcodes.gs1_128("(01)06901234567892(10)L2411(21)0001")
    assert symbol.codewords[:2] == (105, 102)                              # start C, FNC1 first: ]C1
    assert symbol.codewords.count(102) == 2                                 # and one after the batch


@pytest.mark.parametrize("element_string,message", [
    ("(00)106141411234567890", "Not a valid SSCC"),
    ("(00)10614141123456789", "Not a valid SSCC"),
    ("(01)06901234567893", "Not a valid GTIN"),
    ("00106141411234567897", "Not a valid GS1 element string"),
    ("(10)", "Not a valid GS1 element string"),
    ("(10)批次", "Not a valid GS1 element string"),
])
def test_gs1_refusals(element_string, message):
    with pytest.raises(barcodes.SymbolError, match=message):
        barcodes.gs1_128(element_string)


def test_qr_is_ascii_only():
    assert barcodes.qr_matrix("https://id.gs1.org/01/06901234567892/21/0001").count >= 21
    with pytest.raises(barcodes.SymbolError):
        barcodes.qr_matrix("https://例子.cn/01")


# --- templates: module size, quiet zones, data --------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_barcode_has_two_dots_per_module_and_quiet_zones(name):
    label = TEMPLATES[name].fill(SAMPLES[name])
    for element in label.elements:
        if isinstance(element, Barcode):
            assert element.module * 8 >= 2 - 1e-9                         # ≥ 2 dots at 203 dpi
            left = element.bars_left(element.module)
            right = left + element.symbol.width * element.module
            assert left - element.x >= 10 * element.module - 1e-9
            assert element.x + element.width - right >= 10 * element.module - 1e-9
        if isinstance(element, QRCode):
            assert element.cell >= 0.33


def test_module_steps_down_for_long_codes_and_refuses_what_cannot_fit():
    location = TEMPLATES["location"]
    def barcode(code: str) -> Barcode:
        return next(e for e in location.fill({"code": code, "zone": "X"}).elements if isinstance(e, Barcode))

    short, long = barcode("RCV-01"), barcode("A01-01-1-1")
    assert short.module == 0.375 and long.module == 0.25
    with pytest.raises(LabelDataError) as refused:
        location.fill({"code": "A01-01-1-1-EXTRA-LONG-CODE", "zone": "STO"})
    assert refused.value.errors == {"code": ["Too long for the barcode on this label."]}


def test_fill_names_missing_unknown_and_bad_fields():
    with pytest.raises(LabelDataError) as refused:
        TEMPLATES["location"].fill({"zone": "", "colour": "red", "warehouse": {"a": 1}})
    assert refused.value.errors == {"code": ["Missing data for required field."],
                                    "zone": ["Missing data for required field."],
                                    "colour": ["Unknown field."],
                                    "warehouse": ["Not a valid value for a label."]}


def test_optional_elements_are_left_out_without_their_field():
    def texts(data: dict) -> list[str]:
        return [e.text for e in TEMPLATES["lpn"].fill(data).elements if isinstance(e, Text)]

    assert "批次 Lot L2411-07" in texts(SAMPLES["lpn"]) and "库位 Loc A01-01-1-1" in texts(SAMPLES["lpn"])
    bare = texts({k: v for k, v in SAMPLES["lpn"].items() if k not in ("lot", "location")})
    assert not any("Lot" in t or "Loc" in t for t in bare)


# --- the loader ---------------------------------------------------------------------------------------------

GOOD = """
title: {en: Test, zh: 测试}
size: {width: 50, height: 30}
fields: {required: [code], optional: []}
elements:
  - {type: code128, x: 0, y: 5, width: 50, height: 10, data: "{code}"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_accepts_a_minimal_template(tmp_path):
    template = load_file(write(tmp_path, GOOD))
    assert template.name == "test" and template.required == ("code",)


@pytest.mark.parametrize("change,error", [
    (("type: code128", "type: datamatrix"), "unknown element type 'datamatrix'"),
    (('data: "{code}"', 'data: "{sku}"'), "field {sku} is not declared"),
    (("width: 50, height: 10", "width: 60, height: 10"), "outside the 50×30 mm label"),
    (("height: 10,", "height: 10, colour: red,"), "unknown keys colour"),
    (("x: 0,", "x: left,"), "x must be float"),
    (("title: {en: Test, zh: 测试}", "title: Test"), "title needs en and zh"),
    (('data: "{code}"', 'data: "FIXED"'), "barcode data must come from a field"),
])
def test_loader_refuses_broken_templates(tmp_path, change, error):
    old, new = change
    with pytest.raises(TemplateError, match=error):
        load_file(write(tmp_path, GOOD.replace(old, new)))


def test_loader_refuses_diagonal_lines_and_empty_folders(tmp_path):
    diagonal = GOOD + "  - {type: line, x1: 0, y1: 0, x2: 10, y2: 10}\n"
    with pytest.raises(TemplateError, match="horizontal or vertical"):
        load_file(write(tmp_path, diagonal))
    with pytest.raises(TemplateError, match="no label templates"):
        load_dir(tmp_path / "empty")


def test_shipped_templates_declare_their_fields():
    assert TEMPLATES["location"].required == ("code", "zone")
    assert TEMPLATES["sscc"].required == ("sscc",)
    assert (TEMPLATES["shipping"].width, TEMPLATES["shipping"].height) == (100, 150)
    assert (TEMPLATES["location"].width, TEMPLATES["location"].height) == (50, 30)
