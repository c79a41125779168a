"""Label tests' tools: rasterise PDFs with poppler, decode with zxing-cpp, find the embedded CJK font.

A missing tool skips the tests that need it, with the reason, except in CI: there
``WMS_REQUIRE_BROWSER=1`` turns such a skip into a failure, so a label that cannot be checked never passes.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading

import pytest

REQUIRE = os.environ.get("WMS_REQUIRE_BROWSER") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` unless ``condition``; with WMS_REQUIRE_BROWSER=1, fail instead of skipping."""
    if condition:
        return
    if REQUIRE:
        pytest.fail(f"{reason} (WMS_REQUIRE_BROWSER=1: required, not skipped)")
    pytest.skip(reason)


def _zxing():
    try:
        import zxingcpp
    except ImportError:
        return None
    return zxingcpp


@pytest.fixture
def zxing():
    module = _zxing()
    need(module is not None, "zxing-cpp is not installed (pip install -e '.[dev]')")
    return module


@pytest.fixture
def rasterise(tmp_path):
    """rasterise(pdf_bytes, dpi) -> one PIL image per page, rendered by poppler's pdftoppm."""
    need(shutil.which("pdftoppm") is not None, "pdftoppm is not installed (apt-get install poppler-utils)")
    from PIL import Image

    def _rasterise(pdf: bytes, dpi: int) -> list:
        source = tmp_path / f"doc-{dpi}.pdf"
        source.write_bytes(pdf)
        prefix = tmp_path / f"page-{dpi}"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(prefix)], check=True,
                       capture_output=True, timeout=300)
        pages = sorted(tmp_path.glob(f"page-{dpi}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        images = []
        for page in pages:
            with Image.open(page) as image:
                images.append(image.copy())
            page.unlink()
        return images

    return _rasterise


@pytest.fixture
def decode(zxing):
    """decode(image) -> the barcodes zxing-cpp finds, top to bottom."""
    def _decode(image) -> list:
        found = zxing.read_barcodes(image)
        return sorted(found, key=lambda b: (b.position.top_left.y, b.position.top_left.x))
    return _decode


@pytest.fixture
def cjk_font(app):
    """The CJK font label PDFs embed; skipped (failed in CI) when only the non-embedded fallback exists."""
    from wms.printing.fonts import cjk_font as find
    with app.app_context():
        font = find()
    need(font.embedded, "no CJK TrueType font (apt-get install fonts-wqy-zenhei, or set LABEL_CJK_FONT)")
    return font


@pytest.fixture
def pdffonts(tmp_path):
    """pdffonts(pdf_bytes) -> {font name: embedded?} from poppler's font list."""
    need(shutil.which("pdffonts") is not None, "pdffonts is not installed (apt-get install poppler-utils)")

    def _fonts(pdf: bytes) -> dict[str, bool]:
        source = tmp_path / "fonts.pdf"
        source.write_bytes(pdf)
        lines = subprocess.run(["pdffonts", str(source)], capture_output=True, check=True, timeout=60,
                               text=True).stdout.splitlines()
        column = lines[0].index("emb")
        return {line.split()[0]: line[column:column + 3].strip() == "yes" for line in lines[2:]}

    return _fonts


class Listener:
    """A one-connection TCP server on 127.0.0.1 standing in for a printer's port 9100."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _address = self.server.accept()
            with connection:
                connection.settimeout(10)
                while chunk := connection.recv(65536):
                    self.received.extend(chunk)
        except OSError:
            pass                                  # nobody connected: the test asserts on what arrived
        finally:
            self.done.set()

    def wait(self) -> bytes:
        assert self.done.wait(10), "the printer connection was not closed"
        return bytes(self.received)

    def close(self) -> None:
        self.server.close()
        self.thread.join(10)


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def network_printer(dbs):
    """network_printer(port, language="zpl", ...) -> a printer profile at 127.0.0.1:port."""
    from decimal import Decimal

    from wms.printing.models import PrinterProfile

    def _printer(port: int, language: str = "zpl", width: str = "100", height: str = "150",
                 code: str = "LOOP-01") -> PrinterProfile:
        printer = PrinterProfile(code=code, name="测试打印机 loopback", language=language, dpi=203,
                                 width_mm=Decimal(width), height_mm=Decimal(height), host="127.0.0.1",
                                 port=port)
        dbs.add(printer)
        dbs.flush()
        return printer

    return _printer
