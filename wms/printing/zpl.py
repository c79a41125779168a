"""ZPL II renderer (Zebra): one ``^XA … ^XZ`` format per label, positions in dots (8 or 12 per mm).

Assumptions, stated because they depend on the printer:
- Chinese text needs a CJK TrueType font stored on the printer; its name is the ``LABEL_ZPL_FONT``
  setting (default ``E:SIMSUN.TTF``, downloaded to the printer's E: flash with Zebra Setup Utilities).
  Text is sent as UTF-8 (``^CI28``) and drawn with ``^A@`` at the model's size; its Latin glyphs are
  half-width, so lines are broken with that metric. Centred and right-aligned lines use ``^FB`` so the
  printer aligns them with its own metrics. Resident fonts have one weight: bold is not rendered.
- Code 128 is sent in mode N with explicit start/code-set invocations (``>:``, ``>;``, ``>5``…) and
  ``>8`` for FNC1, i.e. the very codewords the PDF draws; GS1-128 therefore starts with ``>8``.
- QR codes use ``^BQN,2`` (model 2) with automatic mode selection.
"""
from __future__ import annotations

from typing import Iterable

from wms.printing.dots import barcode_left, dots, dots_per_mm, module_dots, qr_cell_dots, qr_origin
from wms.printing.model import Barcode, Box, Label, Line, QRCode, Text, em_width, fit_text

DEFAULT_FONT = "E:SIMSUN.TTF"
START_CODES = {"A": ">9", "B": ">:", "C": ">;"}
SWITCH_CODES = {"A": ">7", "B": ">6", "C": ">5"}
JUSTIFY = {"center": "C", "right": "R"}


def render_zpl(labels: Iterable[Label], dpi: int = 203, font: str = DEFAULT_FONT) -> str:
    """ZPL for all labels, one format each."""
    dpmm = dots_per_mm(dpi)
    return "".join(_format(label, dpmm, font) for label in labels)


def _format(label: Label, dpmm: int, font: str) -> str:
    commands = ["^XA", "^CI28", f"^PW{dots(label.width, dpmm)}", f"^LL{dots(label.height, dpmm)}", "^LH0,0"]
    for element in label.elements:
        commands += _element(element, dpmm, font)
    commands += ["^PQ1", "^XZ"]
    return "\n".join(commands) + "\n"


def _element(element, dpmm: int, font: str) -> list[str]:
    if isinstance(element, Text):
        return _text(element, dpmm, font)
    if isinstance(element, Barcode):
        return [_barcode(element, dpmm)]
    if isinstance(element, QRCode):
        return [_qr(element, dpmm)]
    if isinstance(element, Line):
        return [_line(element, dpmm)]
    return [_box(element, dpmm)]


def field_data(text: str) -> str:
    """``^FD…`` for ``text``; ``^`` and ``~`` (command prefixes) go hex-escaped under ``^FH``."""
    if "^" not in text and "~" not in text:
        return f"^FD{text}"
    escaped = text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")
    return f"^FH_^FD{escaped}"


def _text(element: Text, dpmm: int, font: str) -> list[str]:
    fitted = fit_text(element, lambda text, size: em_width(text) * size)
    height = dots(fitted.size, dpmm)
    out = []
    for index, line in enumerate(fitted.lines):
        if not line:
            continue
        top = dots(element.y + index * fitted.size * 1.15, dpmm)
        block = ""
        if element.align in JUSTIFY:
            block = f"^FB{dots(element.width, dpmm)},1,0,{JUSTIFY[element.align]},0"
        font_field = f"^A@N,{height},{height},{font}"
        out.append(f"^FO{dots(element.x, dpmm)},{top}{font_field}{block}{field_data(line)}^FS")
    return out


def code128_data(element: Barcode) -> str:
    """The symbol's codewords as ZPL mode-N data with invocation codes."""
    out = []
    for kind, value in element.symbol.segments():
        if kind == "start":
            out.append(START_CODES[value])
        elif kind == "switch":
            out.append(SWITCH_CODES[value])
        elif kind == "fnc1":
            out.append(">8")
        else:
            out.append(value.replace(">", "><"))
    return "".join(out)


def _barcode(element: Barcode, dpmm: int) -> str:
    return (f"^FO{barcode_left(element, dpmm)},{dots(element.y, dpmm)}^BY{module_dots(element, dpmm)}"
            f"^BCN,{dots(element.height, dpmm)},N,N,N,N{field_data(code128_data(element))}^FS")


def _qr(element: QRCode, dpmm: int) -> str:
    x, y = qr_origin(element, dpmm)
    return f"^FO{x},{y}^BQN,2,{qr_cell_dots(element, dpmm)}{field_data(element.ecc + 'A,' + element.data)}^FS"


def _line(element: Line, dpmm: int) -> str:
    thickness = max(1, dots(element.thickness, dpmm))
    x1, y1 = dots(min(element.x1, element.x2), dpmm), dots(min(element.y1, element.y2), dpmm)
    if element.y1 == element.y2:
        length = dots(abs(element.x2 - element.x1), dpmm)
        return f"^FO{x1},{y1 - thickness // 2}^GB{length},{thickness},{thickness}^FS"
    length = dots(abs(element.y2 - element.y1), dpmm)
    return f"^FO{x1 - thickness // 2},{y1}^GB{thickness},{length},{thickness}^FS"


def _box(element: Box, dpmm: int) -> str:
    width, height = dots(element.width, dpmm), dots(element.height, dpmm)
    thickness = min(width, height) if element.fill else max(1, dots(element.thickness, dpmm))
    return f"^FO{dots(element.x, dpmm)},{dots(element.y, dpmm)}^GB{width},{height},{thickness}^FS"
