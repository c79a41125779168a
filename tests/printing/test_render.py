"""Every template rendered to PDF, rasterised by poppler at 203 and 300 dpi like a thermal printer,
and scanned by zxing-cpp: a label that does not scan (text, symbology, GS1 ``]C1``) fails here.
Also: the CJK font is embedded, bars are at least 2 dots wide at 203 dpi, quiet zones at least 10 modules."""
from __future__ import annotations

import pytest

from tests.printing.samples import EXPECTED, SAMPLES, gs1_label, pdf_pages
from wms.printing.model import Barcode
from wms.printing.pdf import render_pdf
from wms.printing.templates import TEMPLATES


def test_every_template_has_sample_data():
    assert set(SAMPLES) == set(TEMPLATES) == set(EXPECTED)


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_label_scans(app, name, dpi, rasterise, decode, zxing, cjk_font):
    with app.app_context():
        pdf = render_pdf([TEMPLATES[name].fill(SAMPLES[name])])
    pages = rasterise(pdf, dpi)
    assert len(pages) == 1
    width_mm, height_mm = TEMPLATES[name].width, TEMPLATES[name].height
    expected_size = (width_mm / 25.4 * dpi, height_mm / 25.4 * dpi)
    assert all(abs(got - want) <= 1 for got, want in zip(pages[0].size, expected_size))
    found = decode(pages[0])
    assert [(b.format, b.text) for b in found] == [
        (getattr(zxing.BarcodeFormat, fmt), text) for fmt, text, _gs1 in EXPECTED[name]]
    for barcode, (_fmt, _text, gs1) in zip(found, EXPECTED[name]):
        if gs1:
            assert barcode.symbology_identifier == "]C1" and barcode.content_type == zxing.ContentType.GS1
        elif barcode.format == zxing.BarcodeFormat.Code128:
            assert barcode.symbology_identifier == "]C0" and barcode.content_type == zxing.ContentType.Text


def test_cjk_font_is_embedded(app, cjk_font, pdffonts):
    with app.app_context():
        pdf = render_pdf([TEMPLATES["shipping"].fill(SAMPLES["shipping"])])
    fonts = pdffonts(pdf)
    assert fonts and all(fonts.values()), fonts           # every font embedded, no base-14 Helvetica
    assert all("+" in name for name in fonts)             # subsets (ABCDEF+Name) of the TrueType font
    assert b"/FontFile2" in pdf                           # the TrueType program is inside the file


def _dark_runs(image, row: int) -> list[tuple[int, int]]:
    """(start, length) of dark pixel runs along one row of a greyscale image."""
    grey = image.convert("L")
    runs, start = [], None
    for x in range(grey.width):
        dark = grey.getpixel((x, row)) < 128
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    if start is not None:
        runs.append((start, grey.width - start))
    return runs


@pytest.mark.parametrize("name", ["location", "sscc", "carton"])
def test_bars_and_quiet_zones_at_203_dpi(app, name, rasterise):
    """Narrowest bar ≥ 2 dots and at least 10 modules of white on each side, measured on the raster."""
    label = TEMPLATES[name].fill(SAMPLES[name])
    barcode = next(e for e in label.elements if isinstance(e, Barcode))
    with app.app_context():
        image = rasterise(render_pdf([label]), 203)[0]
    dots_per_mm = 203 / 25.4
    row = round((barcode.y + barcode.height / 2) * dots_per_mm)
    runs = _dark_runs(image, row)
    module = barcode.module * dots_per_mm
    assert module >= 1.99 and min(length for _start, length in runs) >= 2
    first, last = runs[0][0], runs[-1][0] + runs[-1][1]
    assert first >= 10 * module - 1 and image.width - last >= 10 * module - 1
    assert len(runs) == len(barcode.symbol.bars())        # nothing else on the barcode's row


def test_batch_document_has_a_page_per_label(app, rasterise, decode):
    codes = [f"TMP-A{n:02d}" for n in range(1, 6)]
    labels = [TEMPLATES["location"].fill({"code": code, "zone": "TMP"}) for code in codes]
    with app.app_context():
        pdf = render_pdf(labels)
    assert pdf_pages(pdf) == 5
    assert [[b.text for b in decode(page)] for page in rasterise(pdf, 203)] == [[c] for c in codes]


def test_gs1_separator_scans_as_group_separator(app, rasterise, decode, zxing):
    """An FNC1 after a variable-length AI reaches the scanner as GS (ASCII 29)."""
    with app.app_context():
        page = rasterise(render_pdf([gs1_label("(01)06901234567892(10)L2411(21)0001")]), 203)[0]
    (barcode,) = decode(page)
    assert barcode.symbology_identifier == "]C1" and barcode.content_type == zxing.ContentType.GS1
    assert barcode.text == "(01)06901234567892(10)L2411(21)0001"
    assert barcode.bytes == b"010690123456789210L2411\x1d210001"
