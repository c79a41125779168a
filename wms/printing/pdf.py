"""PDF renderer: one page per label, the page the label's size, text in the embedded CJK font.

Barcodes are drawn bar by bar from the encoded modules (so the quiet zones are exactly what the model says)
and QR codes cell by cell. Bold text is drawn filled and stroked (the CJK fonts have one weight).
"""
from __future__ import annotations

import io
from typing import Iterable

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from wms.printing.fonts import CJKFont, cjk_font
from wms.printing.model import Barcode, Box, Label, Line, QRCode, Text, aligned_left, fit_text

PT_PER_MM = mm          # reportlab's unit: points per millimetre
BOLD_STROKE = 0.035     # outline width of bold text, in font sizes


def render_pdf(labels: Iterable[Label], title: str = "Labels") -> bytes:
    """All labels as one PDF document, a page each."""
    font = cjk_font()
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1, invariant=1, initialFontName=font.name)
    canvas.setTitle(title)
    canvas.setCreator("Bonded WMS")
    for label in labels:
        canvas.setPageSize((label.width * mm, label.height * mm))
        page = _Page(canvas, label, font)
        for element in label.elements:
            page.draw(element)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


class _Page:
    """Draws elements on one page, converting top-left millimetres to reportlab's bottom-left points."""

    def __init__(self, canvas: Canvas, label: Label, font: CJKFont):
        self.canvas, self.label, self.font = canvas, label, font

    def y(self, top_mm: float) -> float:
        return (self.label.height - top_mm) * mm

    def measure(self, text: str, size_mm: float) -> float:
        return stringWidth(text, self.font.name, size_mm * PT_PER_MM) / mm

    def draw(self, element) -> None:
        {Text: self.text, Barcode: self.barcode, QRCode: self.qr, Line: self.line, Box: self.box}[
            type(element)](element)

    def text(self, element: Text) -> None:
        fitted = fit_text(element, self.measure)
        canvas, size_pt = self.canvas, fitted.size * PT_PER_MM
        canvas.saveState()
        text = canvas.beginText()
        text.setFont(self.font.name, size_pt)
        if element.bold:
            text.setTextRenderMode(2)
            canvas.setLineWidth(size_pt * BOLD_STROKE)
        for index, line in enumerate(fitted.lines):
            top = element.y + index * fitted.size * 1.15
            left = aligned_left(element.align, element.x, element.width, self.measure(line, fitted.size))
            text.setTextOrigin(left * mm, self.y(top + fitted.size * self.font.ascent))
            text.textOut(line)
        canvas.drawText(text)
        canvas.restoreState()

    def barcode(self, element: Barcode) -> None:
        module = element.module
        left = element.bars_left(module)
        bottom = self.y(element.y + element.height)
        for start, run in element.symbol.bars():
            self.canvas.rect((left + start * module) * mm, bottom, run * module * mm, element.height * mm,
                             stroke=0, fill=1)

    def qr(self, element: QRCode) -> None:
        cell = element.cell
        origin = element.x + 4 * cell
        for row_index, row in enumerate(element.matrix.rows):
            top = element.y + (4 + row_index) * cell
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                run = 1
                while column + run < len(row) and row[column + run]:
                    run += 1
                left = (origin + column * cell) * mm
                self.canvas.rect(left, self.y(top + cell), run * cell * mm, cell * mm, stroke=0, fill=1)
                column += run

    def line(self, element: Line) -> None:
        self.canvas.setLineWidth(element.thickness * mm)
        self.canvas.line(element.x1 * mm, self.y(element.y1), element.x2 * mm, self.y(element.y2))

    def box(self, element: Box) -> None:
        self.canvas.setLineWidth(element.thickness * mm)
        inset = 0 if element.fill else element.thickness / 2       # the outline stays inside the box
        self.canvas.rect((element.x + inset) * mm, self.y(element.y + element.height - inset),
                         (element.width - 2 * inset) * mm, (element.height - 2 * inset) * mm,
                         stroke=0 if element.fill else 1, fill=1 if element.fill else 0)
