"""Symbols before drawing: Code 128 / GS1-128 codewords and modules, GS1 element strings, QR matrices.

Code 128 is encoded once here (python-barcode picks the code sets), so the PDF draws exactly these
modules and the ZPL/TSPL output names the same start code, code-set changes and FNC1s: every output
carries the same symbol.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from barcode.codex import Code128, Gs1_128
from reportlab.graphics.barcode import qrencoder

from wms.masterdata.rules import gs1_check_digit

FNC1 = "\xf1"                       # python-barcode's (and reportlab's) FNC1 character
PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")
START = {103: "A", 104: "B", 105: "C"}
STOP_MODULES = 13


class SymbolError(ValueError):
    """Data a symbol cannot carry; the message is a field message (translated in wms.i18n)."""


@dataclass(frozen=True)
class Code128Symbol:
    """``codewords``: start code, data and code-set changes (no check character, no stop)."""
    codewords: tuple[int, ...]
    modules: str                     # "1" bar / "0" space per module, check character and stop included
    gs1: bool

    @property
    def width(self) -> int:
        return len(self.modules)

    def bars(self) -> list[tuple[int, int]]:
        """(first module, run length) of every bar."""
        return [(m.start(), m.end() - m.start()) for m in re.finditer("1+", self.modules)]

    def segments(self) -> list[tuple[str, object]]:
        """The codewords as ("start", set), ("switch", set), ("fnc1", None) and ("chars", text) steps."""
        steps: list[tuple[str, object]] = []
        code_set = START[self.codewords[0]]
        steps.append(("start", code_set))
        for value in self.codewords[1:]:
            if value == 102:
                steps.append(("fnc1", None))
            elif code_set == "C" and value < 100 or code_set != "C" and value < 96:
                text = f"{value:02d}" if code_set == "C" else _set_ab_char(code_set, value)
                if steps[-1][0] == "chars":
                    steps[-1] = ("chars", steps[-1][1] + text)
                else:
                    steps.append(("chars", text))
            else:
                code_set = _switch_target(code_set, value)
                steps.append(("switch", code_set))
        return steps


def _set_ab_char(code_set: str, value: int) -> str:
    if code_set == "A" and value >= 64:
        return chr(value - 64)
    return chr(value + 32)


def _switch_target(code_set: str, value: int) -> str:
    targets = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}[code_set]
    if value not in targets:
        raise SymbolError("Must be printable ASCII for a barcode.")
    return targets[value]


def code128(data: str) -> Code128Symbol:
    """Plain Code 128 of printable ASCII."""
    if not PRINTABLE_ASCII.match(data or ""):
        raise SymbolError("Must be printable ASCII for a barcode.")
    return _symbol(Code128(data), gs1=False)


def gs1_128(element_string: str) -> Code128Symbol:
    """GS1-128 of an element string written with AIs in parentheses, e.g. ``(00)106141411234567897``."""
    encoded = FNC1.join(_gs1_parts(parse_gs1(element_string)))
    return _symbol(Gs1_128(encoded), gs1=True)


def _symbol(symbol: Code128, gs1: bool) -> Code128Symbol:
    codewords = symbol.encoded
    return Code128Symbol(tuple(codewords), symbol.build()[0], gs1)


# --- GS1 element strings ---------------------------------------------------------------------------------

# Data length of the AIs with a predefined length, by the AI's first two digits (GS1 General
# Specifications, figure 7.8.5-2, less the AI's own digits): no FNC1 follows them.
PREDEFINED_LENGTH = {"00": 18, "01": 14, "02": 14, "03": 14, "04": 16, "11": 6, "12": 6, "13": 6, "14": 6,
                     "15": 6, "16": 6, "17": 6, "18": 6, "19": 6, "20": 2, "31": 6, "32": 6, "33": 6, "34": 6,
                     "35": 6, "36": 6, "41": 13}
_AI_PART = re.compile(r"\((\d{2,4})\)([^()]*)")
GS1_CHARACTERS = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")      # GS1 AI encodable set 82


def parse_gs1(element_string: str) -> list[tuple[str, str]]:
    """``(AI)data(AI)data…`` as (AI, data) pairs; check digits of SSCC (00) and GTIN (01) are verified."""
    text = (element_string or "").replace(" ", "")
    parts = _AI_PART.findall(text)
    if not parts or "".join(f"({ai}){data}" for ai, data in parts) != text:
        raise SymbolError("Not a valid GS1 element string.")
    for ai, data in parts:
        _check_ai(ai, data)
    return parts


def _check_ai(ai: str, data: str) -> None:
    if not data or not GS1_CHARACTERS.match(data) or len(data) > 90:
        raise SymbolError("Not a valid GS1 element string.")
    length = PREDEFINED_LENGTH.get(ai[:2])
    if length is not None and (len(data) != length or not data.isdigit()):
        raise SymbolError(_wrong_key(ai))
    if ai in ("00", "01") and int(data[-1]) != gs1_check_digit(data[:-1]):
        raise SymbolError(_wrong_key(ai))


def _wrong_key(ai: str) -> str:
    if ai == "00":
        return "Not a valid SSCC: 18 digits with a correct check digit."
    if ai == "01":
        return "Not a valid GTIN: 14 digits with a correct check digit."
    return "Not a valid GS1 element string."


def _gs1_parts(parts: list[tuple[str, str]]) -> list[str]:
    """Element strings joined so that an FNC1 follows every variable-length element but the last."""
    out, current = [], ""
    for ai, data in parts:
        current += ai + data
        if ai[:2] not in PREDEFINED_LENGTH:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def gs1_text(element_string: str) -> str:
    """Human-readable interpretation: ``(00) 106141411234567897``."""
    return " ".join(f"({ai}) {data}" for ai, data in parse_gs1(element_string))


# --- QR ----------------------------------------------------------------------------------------------------

ECC_LEVELS = {"L": qrencoder.QRErrorCorrectLevel.L, "M": qrencoder.QRErrorCorrectLevel.M,
              "Q": qrencoder.QRErrorCorrectLevel.Q, "H": qrencoder.QRErrorCorrectLevel.H}


@dataclass(frozen=True)
class QRMatrix:
    rows: tuple[tuple[bool, ...], ...]
    ecc: str

    @property
    def count(self) -> int:
        return len(self.rows)


def qr_matrix(data: str, ecc: str = "M") -> QRMatrix:
    """The smallest QR code for ASCII ``data`` (GS1 Digital Link URLs, codes) at the error level."""
    if not PRINTABLE_ASCII.match(data or ""):
        raise SymbolError("Must be printable ASCII for a barcode.")
    code = qrencoder.QRCode(None, ECC_LEVELS[ecc])
    code.addData(data)
    code.make()
    return QRMatrix(tuple(tuple(bool(cell) for cell in row) for row in code.modules), ecc)
