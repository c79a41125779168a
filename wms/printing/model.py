"""The label model: one description of a label that the PDF, ZPL and TSPL renderers all draw.

Every position and size is in millimetres from the label's top-left corner. Text boxes are laid out
(wrapped, shrunk, cut with an ellipsis) by ``fit_text`` with the renderer's own measure, so each output
keeps its text inside the box with the fonts it really uses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Union

from wms.printing.barcodes import Code128Symbol, QRMatrix

ALIGNMENTS = ("left", "center", "right")
MIN_MODULE_MM = 0.25        # 2 dots at 203 dpi (8 dots/mm), 3 dots at 300 dpi
QUIET_ZONE_MODULES = 10     # Code 128 / GS1-128 quiet zone on each side
QR_QUIET_MODULES = 4
LINE_SPACING = 1.15         # line pitch of wrapped text, in font sizes
ELLIPSIS = "…"


@dataclass(frozen=True)
class Text:
    """Text in a box ``width`` wide whose top-left is (x, y); ``size`` is the em height in mm.

    Too long for ``max_lines`` lines: the size shrinks down to ``min_size`` (default 70 % of ``size``),
    then the last line is cut with an ellipsis. ``\\n`` in the text starts a new line.
    """
    x: float
    y: float
    width: float
    text: str
    size: float = 3.0
    bold: bool = False
    align: str = "left"
    max_lines: int = 1
    min_size: float | None = None
    when: str | None = None     # drawn only when this data field has a value

    @property
    def smallest(self) -> float:
        return self.min_size if self.min_size is not None else round(self.size * 0.7, 2)

    def height(self) -> float:
        return self.size * (1 + LINE_SPACING * (self.max_lines - 1))


@dataclass(frozen=True)
class Barcode:
    """A Code 128 symbol (``gs1`` adds the leading FNC1: GS1-128) inside a box ``width`` wide.

    ``module`` is the preferred X dimension in mm; a longer code steps it down (in 1/8 mm, whole dots at
    203 dpi) to ``MIN_MODULE_MM`` so that the symbol plus a quiet zone of ten modules each side fits the box.
    """
    x: float
    y: float
    width: float
    height: float
    data: str
    gs1: bool = False
    module: float = 0.375
    align: str = "center"
    when: str | None = None
    symbol: Code128Symbol | None = field(default=None, compare=False)

    def quiet_zone(self, module: float | None = None) -> float:
        return QUIET_ZONE_MODULES * (module if module is not None else self.module)

    def bars_left(self, module: float, box_x: float | None = None, box_width: float | None = None) -> float:
        """Left edge of the first bar for a given module size (in the caller's unit)."""
        box_x = self.x if box_x is None else box_x
        box_width = self.width if box_width is None else box_width
        symbol_width = self.symbol.width * module
        quiet = QUIET_ZONE_MODULES * module
        free = box_width - 2 * quiet - symbol_width
        return box_x + quiet + free * {"left": 0, "center": 0.5, "right": 1}[self.align]


@dataclass(frozen=True)
class QRCode:
    """A QR code (ASCII data only, e.g. a GS1 Digital Link URL) in a ``size`` × ``size`` square that
    includes its four-module quiet zone."""
    x: float
    y: float
    size: float
    data: str
    ecc: str = "M"
    when: str | None = None
    matrix: QRMatrix | None = field(default=None, compare=False)

    @property
    def cell(self) -> float:
        return self.size / (self.matrix.count + 2 * QR_QUIET_MODULES)


@dataclass(frozen=True)
class Line:
    """A horizontal or vertical rule ``thickness`` mm thick."""
    x1: float
    y1: float
    x2: float
    y2: float
    thickness: float = 0.3
    when: str | None = None


@dataclass(frozen=True)
class Box:
    """A rectangle outline (or a solid block with ``fill``)."""
    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.3
    fill: bool = False
    when: str | None = None


Element = Union[Text, Barcode, QRCode, Line, Box]


@dataclass(frozen=True)
class Label:
    """One label: its stock size in mm and what is drawn on it."""
    template: str
    width: float
    height: float
    elements: tuple[Element, ...]


# --- text layout ------------------------------------------------------------------------------------------

Measure = Callable[[str, float], float]     # (text, size in mm) -> width in mm

# An ASCII word with the spaces after it, a run of spaces, or any single other character.
_TOKEN = re.compile(r"[\x21-\x7e]+ *| +|.", re.S)
# Chinese typesetting: these never start a line (they stay with the character before them) ...
_NO_LINE_START = set("，。、；：！？）》」』】〕〉”’%,.;:!?)]}")
# ... and these never end one (they stay with the character after them).
_NO_LINE_END = set("（《「『【〔〈“‘([{")


@dataclass(frozen=True)
class FittedText:
    size: float
    lines: tuple[str, ...]


def is_wide(char: str) -> bool:
    """Full-width in CJK fonts (Chinese characters, full-width forms and East Asian ambiguous signs)."""
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


def em_width(text: str) -> float:
    """Width in ems for printer fonts whose Latin glyphs are half-width (SimSun, TSS24.BF2)."""
    return sum(1.0 if is_wide(ch) else 0.5 for ch in text)


def _tokens(paragraph: str) -> list[str]:
    """Unbreakable pieces: ASCII words, single Chinese characters, punctuation kept with its neighbour."""
    tokens: list[str] = []
    for token in _TOKEN.findall(paragraph):
        if tokens and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Greedy line breaking: between Chinese characters or at spaces; a word wider than the box is split."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if measure((line + token).rstrip(), size) <= width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = token
            if measure(line.rstrip(), size) > width:                # one word alone is too wide
                pieces, line = _split_word(line, width, size, measure)
                lines.extend(pieces)
        lines.append(line.rstrip())
    return lines


def _split_word(word: str, width: float, size: float, measure: Measure) -> tuple[list[str], str]:
    pieces, current = [], ""
    for char in word:
        if current and measure((current + char).rstrip(), size) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces, current


def ellipsize(line: str, width: float, size: float, measure: Measure) -> str:
    """``line`` cut so that it and an ellipsis fit ``width``."""
    while line and measure(line.rstrip() + ELLIPSIS, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def fit_text(element: Text, measure: Measure, step: float = 0.25) -> FittedText:
    """The largest size from ``size`` down to ``smallest`` at which the text fits ``max_lines`` lines;
    at the smallest size what does not fit is cut with an ellipsis."""
    text = element.text.strip()
    size = element.size
    while True:
        lines = wrap(text, element.width, size, measure)
        if len(lines) <= element.max_lines:
            return FittedText(size, tuple(lines))
        if size - step < element.smallest - 1e-9:
            break
        size = round(size - step, 4)
    kept = lines[:element.max_lines]
    kept[-1] = ellipsize(kept[-1], element.width, size, measure)
    return FittedText(size, tuple(kept))


def aligned_left(align: str, box_x: float, box_width: float, line_width: float) -> float:
    """Where a line of ``line_width`` starts in its box for the alignment."""
    return box_x + (box_width - line_width) * {"left": 0, "center": 0.5, "right": 1}[align]
