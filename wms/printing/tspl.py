"""TSPL renderer (TSC, Gprinter and most Chinese desktop label printers): positions in dots.

The document sets the stock once (``SIZE``, ``GAP`` 2 mm for die-cut labels, ``DIRECTION``), then each
label is ``CLS`` … ``PRINT 1``. It is sent as GB18030 bytes, the encoding the Chinese firmware expects
for its resident font ``TSS24.BF2`` (24×24 dots; Latin glyphs 12 dots wide). That font scales by whole
multiples only, so a text size becomes the nearest multiple of 24 dots and lines are broken with the
exact width of that font; it has one weight (bold is not rendered).
Code 128 uses ``"128"`` (the printer picks code sets); GS1-128 uses ``"EAN128"`` (the printer adds the
leading FNC1), or ``"128M"`` with explicit ``!105``/``!102`` control codes when FNC1 separators are
needed inside the data. Strings escape ``"`` as ``\\["]``.
"""
from __future__ import annotations

from typing import Iterable

from wms.printing.dots import barcode_left, dots, dots_per_mm, module_dots, qr_cell_dots, qr_origin
from wms.printing.model import Barcode, Box, Label, Line, QRCode, Text, aligned_left, em_width, fit_text

ENCODING = "gb18030"
FONT = "TSS24.BF2"
FONT_DOTS = 24
GAP_MM = 2
MANUAL_CODES = {"start": {"A": "!103", "B": "!104", "C": "!105"},      # 128M control codes
                "switch": {"A": "!101", "B": "!100", "C": "!099"}}


def render_tspl(labels: Iterable[Label], dpi: int = 203) -> bytes:
    """TSPL for all labels as GB18030 bytes."""
    dpmm = dots_per_mm(dpi)
    labels = list(labels)
    if not labels:
        return b""
    first = labels[0]
    lines = [f"SIZE {_mm(first.width)} mm,{_mm(first.height)} mm", f"GAP {GAP_MM} mm,0 mm", "DIRECTION 1,0",
             "REFERENCE 0,0"]
    for label in labels:
        lines.append("CLS")
        for element in label.elements:
            lines += _element(element, dpmm)
        lines.append("PRINT 1")
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def _mm(value: float) -> str:
    return f"{value:g}"


def quoted(text: str) -> str:
    return '"' + text.replace('"', '\\["]') + '"'


def multiplier(size_mm: float, dpmm: int) -> int:
    """Whole-number scale of the 24-dot font nearest to ``size_mm`` (1–10)."""
    return max(1, min(10, round(size_mm * dpmm / FONT_DOTS)))


def _element(element, dpmm: int) -> list[str]:
    if isinstance(element, Text):
        return _text(element, dpmm)
    if isinstance(element, Barcode):
        return [_barcode(element, dpmm)]
    if isinstance(element, QRCode):
        return [_qr(element, dpmm)]
    if isinstance(element, Line):
        return [_line(element, dpmm)]
    return [_box(element, dpmm)]


def _text(element: Text, dpmm: int) -> list[str]:
    def measure(text: str, size: float) -> float:
        return em_width(text) * FONT_DOTS * multiplier(size, dpmm) / dpmm

    fitted = fit_text(element, measure)
    scale = multiplier(fitted.size, dpmm)
    pitch = max(FONT_DOTS * scale, dots(fitted.size * 1.15, dpmm))
    out = []
    for index, line in enumerate(fitted.lines):
        if not line:
            continue
        width = em_width(line) * FONT_DOTS * scale
        left = round(aligned_left(element.align, dots(element.x, dpmm), dots(element.width, dpmm), width))
        top = dots(element.y, dpmm) + index * pitch
        out.append(f'TEXT {left},{top},"{FONT}",0,{scale},{scale},{quoted(line)}')
    return out


def _barcode(element: Barcode, dpmm: int) -> str:
    module = module_dots(element, dpmm)
    kind, data = _barcode_data(element)
    x, y, height = barcode_left(element, dpmm), dots(element.y, dpmm), dots(element.height, dpmm)
    return f'BARCODE {x},{y},"{kind}",{height},0,0,{module},{module},{quoted(data)}'


def _barcode_data(element: Barcode) -> tuple[str, str]:
    segments = element.symbol.segments()
    if not element.symbol.gs1:
        return "128", "".join(value for kind, value in segments if kind == "chars")
    inner_fnc1 = sum(1 for kind, _value in segments if kind == "fnc1") > 1
    if not inner_fnc1:
        return "EAN128", "".join(value for kind, value in segments if kind == "chars")
    out = []
    for kind, value in segments:
        if kind in MANUAL_CODES:
            out.append(MANUAL_CODES[kind][value])
        elif kind == "fnc1":
            out.append("!102")
        else:
            out.append(value)
    return "128M", "".join(out)


def _qr(element: QRCode, dpmm: int) -> str:
    x, y = qr_origin(element, dpmm)
    return f"QRCODE {x},{y},{element.ecc},{qr_cell_dots(element, dpmm)},A,0,{quoted(element.data)}"


def _line(element: Line, dpmm: int) -> str:
    thickness = max(1, dots(element.thickness, dpmm))
    x1, y1 = dots(min(element.x1, element.x2), dpmm), dots(min(element.y1, element.y2), dpmm)
    if element.y1 == element.y2:
        return f"BAR {x1},{y1 - thickness // 2},{dots(abs(element.x2 - element.x1), dpmm)},{thickness}"
    return f"BAR {x1 - thickness // 2},{y1},{thickness},{dots(abs(element.y2 - element.y1), dpmm)}"


def _box(element: Box, dpmm: int) -> str:
    x, y = dots(element.x, dpmm), dots(element.y, dpmm)
    width, height = dots(element.width, dpmm), dots(element.height, dpmm)
    if element.fill:
        return f"BAR {x},{y},{width},{height}"
    return f"BOX {x},{y},{x + width},{y + height},{max(1, dots(element.thickness, dpmm))}"
