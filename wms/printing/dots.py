"""Millimetres to printer dots, shared by the ZPL and TSPL renderers.

Thermal printers are 8 dots/mm ("203 dpi"), 12 dots/mm ("300 dpi") or 24 dots/mm ("600 dpi").
A barcode module is a whole number of dots, never more than the model's module (so the symbol still fits
its box with its quiet zones) and never under 2 dots.
"""
from __future__ import annotations

import math

from wms.printing.model import Barcode, QRCode

DOTS_PER_MM = {203: 8, 300: 12, 600: 24}


def dots_per_mm(dpi: int) -> int:
    return DOTS_PER_MM[dpi]


def dots(value_mm: float, dpmm: int) -> int:
    return int(math.floor(value_mm * dpmm + 0.5))


def module_dots(element: Barcode, dpmm: int) -> int:
    return max(2, int(math.floor(element.module * dpmm + 1e-6)))


def barcode_left(element: Barcode, dpmm: int) -> int:
    """Dot column of the first bar: the model's alignment computed in whole dots."""
    module = module_dots(element, dpmm)
    return int(round(element.bars_left(module, dots(element.x, dpmm), dots(element.width, dpmm))))


def qr_cell_dots(element: QRCode, dpmm: int) -> int:
    """QR module size in dots (the printers' magnification, 1–10)."""
    return max(1, min(10, int(math.floor(element.cell * dpmm + 1e-6))))


def qr_origin(element: QRCode, dpmm: int) -> tuple[int, int]:
    """Top-left dot of the symbol, centred in its square (the quiet zone is the space around it)."""
    cell = qr_cell_dots(element, dpmm)
    side = element.matrix.count * cell
    square = dots(element.size, dpmm)
    offset = (square - side) // 2
    return dots(element.x, dpmm) + offset, dots(element.y, dpmm) + offset
