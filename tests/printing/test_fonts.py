"""Where label PDFs get their CJK font: the LABEL_CJK_FONT setting first, then the system's TrueType CJK
fonts; without any, reportlab's STSong-Light (not embedded) with one warning."""
from __future__ import annotations

import logging

import pytest

from tests.printing.conftest import need
from wms.printing import fonts
from wms.printing.pdf import render_pdf
from wms.printing.templates import TEMPLATES


@pytest.fixture(autouse=True)
def _fresh_font_search():
    fonts._find.cache_clear()
    yield
    fonts._find.cache_clear()


def test_configured_font_comes_first(app, tmp_path, monkeypatch):
    system = next((path for path in fonts.KNOWN_PATHS if fonts._load(path)), None)
    need(system is not None, "no CJK TrueType font installed (apt-get install fonts-wqy-zenhei)")
    custom = tmp_path / "custom-cjk.ttc"
    custom.symlink_to(system)
    monkeypatch.setitem(app.config, "LABEL_CJK_FONT", str(custom))
    with app.app_context():
        font = fonts.cjk_font()
    assert font.embedded and font.path == str(custom)


def test_unusable_setting_falls_back_to_the_system_font(app, tmp_path, monkeypatch, caplog):
    need(any(fonts._load(path) for path in fonts.KNOWN_PATHS), "no CJK TrueType font installed")
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    monkeypatch.setitem(app.config, "LABEL_CJK_FONT", str(broken))
    with app.app_context(), caplog.at_level(logging.WARNING, logger="wms.printing.fonts"):
        font = fonts.cjk_font()
    assert font.embedded and font.path in fonts.KNOWN_PATHS
    assert "LABEL_CJK_FONT" in caplog.text


def test_without_any_cjk_font_pdfs_use_stsong_and_warn_once(app, monkeypatch, caplog):
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ("/nonexistent/wqy-zenhei.ttc",))
    with app.app_context(), caplog.at_level(logging.WARNING, logger="wms.printing.fonts"):
        first, second = fonts.cjk_font(), fonts.cjk_font()
        label = TEMPLATES["location"].fill({"code": "A01-01-1-1", "zone": "STO", "zone_name": "存储区"})
        pdf = render_pdf([label])
    assert first == second == fonts.CJKFont("STSong-Light", embedded=False, path=None)
    assert len(caplog.records) == 1 and "not embedded" in caplog.records[0].getMessage()
    assert b"/BaseFont /STSong-Light" in pdf and b"/FontFile" not in pdf      # named, not embedded


def test_a_missing_tool_skips_locally_but_fails_in_ci(monkeypatch):
    from tests.printing import conftest
    monkeypatch.setattr(conftest, "REQUIRE", False)
    with pytest.raises(pytest.skip.Exception, match="pdftoppm is not installed"):
        conftest.need(False, "pdftoppm is not installed")
    monkeypatch.setattr(conftest, "REQUIRE", True)                  # WMS_REQUIRE_BROWSER=1
    with pytest.raises(pytest.fail.Exception, match="required, not skipped"):
        conftest.need(False, "pdftoppm is not installed")
    conftest.need(True, "never raised")
