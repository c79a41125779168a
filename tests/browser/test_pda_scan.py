"""The scan layer in a real browser: code rules (check digits, GS1 element strings, classification) through
the module's exported functions, and the input handling (wedge keystrokes, IME, paste, Alt, duplicates)."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.browser.helpers import message, open_pda, scan, shot, sign_in, wait_step

pytestmark = pytest.mark.live

GTIN14 = "09506000134352"
SSCC = "106141411234567897"


def classify(page, code: str) -> dict:
    return page.evaluate("code => PdaScan.classify(code)", code)


@pytest.fixture(scope="module")
def scan_page(browser, live_server):
    """One page for the pure-function tests (they change nothing)."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, base_url=live_server.url)
    page = context.new_page()
    open_pda(page)
    yield page
    context.close()


def test_gs1_check_digits_match_the_server_rules(scan_page, live_server):
    from wms.masterdata.models import ProductBarcode
    from wms.masterdata.rules import gs1_check_digit, is_valid_gtin
    with live_server.app.app_context():
        from wms.extensions import db
        barcodes = db.session.scalars(sa.select(ProductBarcode.code)).all()
        db.session.remove()
    assert len(barcodes) > 100
    bodies = [code[:-1] for code in barcodes]
    bodies += ["629104150021", "0950600013435", "10614141123456789", "1234567"]
    assert scan_page.evaluate("bodies => bodies.map(PdaScan.gs1CheckDigit)", bodies) == \
        [gs1_check_digit(body) for body in bodies]
    wrong = [code[:-1] + str((int(code[-1]) + 1) % 10) for code in barcodes[:50]]
    samples = barcodes + wrong + ["12345670", "123456789012", "abc", "", "1234567890128"]
    assert scan_page.evaluate("codes => codes.map(PdaScan.isValidGtin)", samples) == \
        [is_valid_gtin(code) for code in samples]
    assert scan_page.evaluate(f"PdaScan.isValidSscc('{SSCC}')")
    assert not scan_page.evaluate(f"PdaScan.isValidSscc('{SSCC[:-1]}0')")


CLASSIFY = [
    ("A01-01-1-1", "location", "A01-01-1-1"),
    ("a10-20-5-2", "location", "A10-20-5-2"),
    ("TMP-A01", "location", "TMP-A01"),
    ("RCV-01", "location", "RCV-01"),
    ("QC-01", "location", "QC-01"),
    ("DEF-01", "location", "DEF-01"),
    ("PCK-01", "location", "PCK-01"),
    ("DSP-12", "location", "DSP-12"),
    ("Ａ０１－０１－１－１", "location", "A01-01-1-1"),          # full-width, as a Chinese IME types it
    ("LPN900000", "lpn", "LPN900000"),
    ("lpn901003", "lpn", "LPN901003"),
    ("6975468001019", "gtin", "6975468001019"),
    ("]E06975468001019", "gtin", "6975468001019"),               # EAN-13 symbology identifier stripped
    (GTIN14, "gtin", GTIN14),
    ("12345670", "gtin", "12345670"),                            # EAN-8
    (SSCC, "sscc", SSCC),
    ("00" + SSCC, "sscc", SSCC),
    ("(00)" + SSCC, "sscc", SSCC),
    ("]C100" + SSCC, "sscc", SSCC),
    ("EA123456785CN", "parcel", "EA123456785CN"),                # UPU S10 with its check digit
    ("SF1234567890123", "parcel", "SF1234567890123"),
    ("YT1234567890123456", "parcel", "YT1234567890123456"),
    ("AK-EAR-001-BK", "sku", "AK-EAR-001-BK"),
    ("AK-GLS-IP15", "sku", "AK-GLS-IP15"),                       # a SKU, not a location
    ("123456", "sku", "123456"),
    ("6975468001018", "invalid", "6975468001018"),               # wrong check digit
    (SSCC[:-1] + "0", "invalid", SSCC[:-1] + "0"),
    ("EA123456789CN", "invalid", "EA123456789CN"),
    ("保税仓", "unknown", "保税仓"),
    ("   ", "empty", ""),
]


def test_classify(scan_page):
    results = scan_page.evaluate("codes => codes.map(c => PdaScan.classify(c))", [c for c, _, _ in CLASSIFY])
    wrong = {code: (result["kind"], result["value"]) for (code, kind, value), result in zip(CLASSIFY, results)
             if (result["kind"], result["value"]) != (kind, value)}
    assert wrong == {}


GS1_FORMS = [
    f"]C101{GTIN14}10LOT-42{{GS}}17261231 21SN0001".replace(" ", ""),
    f"]C101{GTIN14}10LOT-42\x1d17261231\x1d21SN0001",
    f"]C101{GTIN14}10LOT-42<GS>1726123121SN0001",
    f"]d201{GTIN14}10LOT-42\x1d1726123121SN0001",                # GS1 DataMatrix
    f"(01){GTIN14}(10)LOT-42(17)261231(21)SN0001",
    f"01{GTIN14}10LOT-42\x1d1726123121SN0001",                   # no symbology identifier
    f"https://id.gs1.org/01/{GTIN14}/10/LOT-42/21/SN0001?17=261231",
]


@pytest.mark.parametrize("raw", GS1_FORMS, ids=["text-GS", "ascii-GS", "escaped-GS", "datamatrix", "brackets",
                                                "no-prefix", "digital-link"])
def test_gs1_element_strings_are_parsed_into_fields(scan_page, raw):
    result = classify(scan_page, raw)
    assert result["kind"] == "gtin" and result["value"] == GTIN14 and result["gs1"] is True
    assert result["fields"]["01"] == GTIN14 and result["fields"]["10"] == "LOT-42"
    assert result["lot"] == "LOT-42" and result["serial"] == "SN0001" and result["fields"]["21"] == "SN0001"
    if "17" in result["fields"]:
        assert result["expiry"] == "2026-12-31"


def test_gs1_parser_details(scan_page):
    parse = "raw => PdaScan.parseGs1(raw)"
    sscc = scan_page.evaluate(parse, f"]C100{SSCC}02{GTIN14}37120")
    assert sscc["ok"] and sscc["fields"] == {"00": SSCC, "02": GTIN14, "37": "120"}
    assert sscc["ais"] == ["00", "02", "37"]
    weight = scan_page.evaluate(parse, f"]C101{GTIN14}3103001250")
    assert weight["fields"]["3103"] == "001250"
    end_of_month = scan_page.evaluate(parse, f"]C101{GTIN14}17260200")
    assert end_of_month["expiry"] == "2026-02-28"
    assert scan_page.evaluate(parse, "AK-EAR-001-BK") is None        # not GS1 at all

    errors = {
        f"]C101{GTIN14[:-1]}3": "gs1_check_digit",
        f"]C100{SSCC[:-1]}0": "gs1_check_digit",
        f"]C101{GTIN14}17261331": "gs1_bad_date",
        f"]C101{GTIN14}05ABC": "gs1_unknown_ai",
        f"]C101{GTIN14}10" + "X" * 21: "gs1_bad_length",
        f"]C101{GTIN14[:10]}": "gs1_bad_length",
        "]C1": "gs1_empty",
        f"(01){GTIN14}(10)A(10)B": "gs1_repeated_ai",
        f"]C101{GTIN14}10A\x1d10B": "gs1_repeated_ai",
    }
    for raw, error in errors.items():
        result = scan_page.evaluate(parse, raw)
        assert result["ok"] is False and result["error"] == error, (raw, result)
    bad = classify(scan_page, f"]C101{GTIN14[:-1]}3")
    assert bad["kind"] == "invalid" and bad["error"] == "gs1_check_digit"


def test_every_location_is_a_location_and_no_sku_is(scan_page, live_server):
    from wms.masterdata.models import Location, Product
    with live_server.app.app_context():
        from wms.extensions import db
        locations = db.session.scalars(sa.select(Location.code)).all()
        skus = db.session.scalars(sa.select(Product.sku)).all()
        db.session.remove()
    assert len(locations) > 2000 and len(skus) > 200
    kinds = scan_page.evaluate("codes => codes.map(c => PdaScan.classify(c).kind)", locations)
    assert set(kinds) == {"location"}
    sku_kinds = scan_page.evaluate("codes => codes.map(c => PdaScan.classify(c).kind)", skus)
    assert "location" not in sku_kinds and "lpn" not in sku_kinds


CAPTURE = """() => {
  window.__scans = [];
  PdaApp.layer().setStep({name: 'capture', accept: ['any'], promptText: () => 'capture',
                          onScan: r => window.__scans.push({text: r.text, kind: r.kind, source: r.source})});
}"""


def scans(page):
    return page.evaluate("window.__scans")


BURST = """code => {                 // a scanner's burst, one input event per character, no suffix
  const el = document.getElementById('scan');
  for (const ch of code) {
    el.value += ch;
    el.dispatchEvent(new InputEvent('input', {data: ch, inputType: 'insertText', bubbles: true}));
  }
}"""


def test_wedge_keystrokes_ime_paste_alt_and_duplicates(page):
    sign_in(page)
    page.evaluate(CAPTURE)

    scan(page, "A01-01-1-1")                                       # keystrokes + Enter
    page.wait_for_function("window.__scans.length === 1")
    page.keyboard.type("RCV-01")
    page.keyboard.press("Tab")                                     # Tab suffix
    page.wait_for_function("window.__scans.length === 2")
    page.keyboard.down("Alt")                                      # MC3300x: altKey on every scanner key
    page.keyboard.type("DEF-01")
    page.keyboard.up("Alt")
    page.keyboard.press("Enter")
    page.wait_for_function("window.__scans.length === 3")
    page.keyboard.type("]C101" + GTIN14 + "10AB")                  # GS as Ctrl+] from a keyboard wedge
    page.keyboard.press("Control+BracketRight")
    page.keyboard.type("17261231")
    page.keyboard.press("Enter")
    page.wait_for_function("window.__scans.length === 4")
    page.evaluate("""() => {
      const data = new DataTransfer(); data.setData('text/plain', 'QC-01\\r\\n');
      document.getElementById('scan').dispatchEvent(
        new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""")
    page.wait_for_function("window.__scans.length === 5")

    page.evaluate("PdaApp.layer().idleMs = 80")                    # the production idle gap
    page.evaluate(BURST, "LPN900001")                              # a fast burst without a suffix
    page.wait_for_function("window.__scans.length === 6")
    page.keyboard.insert_text("6975468001019")                     # IME commit / DataWedge injection
    page.wait_for_function("window.__scans.length === 7")
    got = scans(page)
    assert [(s["text"], s["kind"]) for s in got] == [
        ("A01-01-1-1", "location"), ("RCV-01", "location"), ("DEF-01", "location"),
        ("]C101" + GTIN14 + "10AB\x1d17261231", "gtin"), ("QC-01", "location"), ("LPN900001", "lpn"),
        ("6975468001019", "gtin")]
    assert [s["source"] for s in got] == ["key", "key", "key", "key", "paste", "idle", "idle"]

    dropped = page.evaluate("""() => {                             // intent + keystroke output both on
      const layer = PdaApp.layer();
      return [layer.inject('PCK-01', 'key'), layer.inject('PCK-01', 'key')].map(r => !!r.dropped);
    }""")
    assert dropped == [False, True] and len(scans(page)) == 8
    assert page.evaluate("PdaApp.layer().history.slice(-1)[0].kind") == "duplicate"
    tapped = page.evaluate("""() => {                              // a tap in between: two scans, not a double read
      const layer = PdaApp.layer();
      const first = layer.inject('PCK-02', 'key');
      document.body.dispatchEvent(new MouseEvent('click', {bubbles: true}));
      return [first, layer.inject('PCK-02', 'key')].map(r => !!r.dropped);
    }""")
    assert tapped == [False, False] and len(scans(page)) == 10
    page.wait_for_timeout(350)
    scan(page, "PCK-01")                                            # a deliberate repeat later counts
    page.wait_for_function("window.__scans.length === 11")

    page.keyboard.type("DSP-01", delay=150)                         # human typing: no idle flush
    page.wait_for_timeout(400)
    assert len(scans(page)) == 11 and page.input_value("#scan") == "DSP-01"
    page.keyboard.press("Enter")
    page.wait_for_function("window.__scans.length === 12")
    assert page.input_value("#scan") == ""


def test_wrong_kind_of_code_for_the_step_fills_nothing(page):
    sign_in(page)
    page.click(".menu-item[data-go=move]")
    wait_step(page, "move-from")
    page.evaluate("window.__vibrations = []")
    scan(page, "6975468001019")                                     # a product where a location is expected
    page.wait_for_selector("#message.error")
    assert "商品条码" in message(page) and "库位" in message(page)
    assert "flash-error" in page.get_attribute("body", "class")
    assert page.evaluate("PdaFeedback.log.slice(-1)[0].kind") == "error"
    assert page.evaluate("window.__vibrations") == [[160, 90, 160]]  # the double vibration
    shot(page, "05-move-wrong-kind")
    assert page.get_attribute("#scan", "data-step") == "move-from"
    assert page.inner_text("#move-draft li[data-field=from] .v") == "—"
    assert page.evaluate("PdaApp.state().move.from") is None

    scan(page, "6975468001018")                                     # a bad check digit anywhere is an error
    page.wait_for_function("document.getElementById('message').textContent.includes('校验位')")
    scan(page, "A01-01-1-1")
    wait_step(page, "move-item")
    scan(page, "RCV-02")                                            # a location where an item is expected
    page.wait_for_selector("#message.error")
    assert page.get_attribute("#scan", "data-step") == "move-item"
    assert page.inner_text("#move-draft li[data-field=item] .v") == "—"
    assert json.loads(page.evaluate("JSON.stringify(PdaApp.state().move.item)")) is None
