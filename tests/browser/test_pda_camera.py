"""Camera scanning: the button, the self-hosted ZXing WebAssembly decoder (served as application/wasm, never
fetched from a CDN), and a full camera scan through Chromium's fake camera fed with a barcode picture."""
from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path

import pytest

from tests.browser.helpers import launch, message, open_pda, shot, sign_in, wait_step

pytestmark = pytest.mark.live

VENDOR = Path(__file__).resolve().parents[2] / "pda_app" / "static" / "vendor"
WASM_SHA256 = "e8af31edb56d0522f4de74495839385ef019ba8bc90d38e5ecb2f18795d86fb2"   # zxing-wasm 3.1.4 reader


def barcode_png(kind: str, data: str) -> bytes:
    import barcode
    from barcode.writer import ImageWriter
    out = io.BytesIO()
    barcode.get(kind, data, writer=ImageWriter()).write(
        out, options={"module_width": 0.3, "module_height": 12, "quiet_zone": 6, "dpi": 200, "font_size": 8})
    return out.getvalue()


def test_camera_button_and_the_vendored_decoder_files(page, live_server):
    sign_in(page)
    page.click(".menu-item[data-go=move]")
    wait_step(page, "move-from")
    button = page.locator("#camera-btn")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    assert page.evaluate("JSON.parse(document.getElementById('pda-config').textContent).vendorBase") == \
        "/pda/static/vendor/"

    with live_server.client() as http:
        wasm = http.get("/pda/static/vendor/zxing_reader.wasm")
        script = http.get("/pda/static/vendor/zxing-reader.iife.js")
    assert wasm.status_code == 200 and wasm.headers["content-type"] == "application/wasm"
    assert wasm.content[:4] == b"\0asm" and hashlib.sha256(wasm.content).hexdigest() == WASM_SHA256
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert (VENDOR / "zxing-wasm.LICENSE.txt").exists()


def test_wasm_decoder_reads_codes_without_the_internet(context, live_server):
    outside: list[str] = []

    def only_our_server(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_our_server)
    fetched: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: fetched.append(r.url))
    open_pda(page)
    images = {"lpn": barcode_png("code128", "LPN900123"),
              "gs1": barcode_png("gs1_128", "0109506000134352" + "10LOT42\xf1" + "17261231")}
    decoded = page.evaluate("""async (images) => {
      const out = {};
      for (const [name, b64] of Object.entries(images)) {
        const img = new Image();
        img.src = 'data:image/png;base64,' + b64;
        await img.decode();
        const answer = await PdaCamera.decodeImage(img, {forceWasm: true});
        out[name] = {decoder: answer.decoder, results: answer.results,
                     scan: PdaScan.classify(answer.results[0].text)};
      }
      return out;
    }""", {k: base64.b64encode(v).decode() for k, v in images.items()})
    assert decoded["lpn"]["decoder"] == "wasm"
    assert decoded["lpn"]["results"][0]["text"] == "LPN900123"
    assert decoded["lpn"]["scan"]["kind"] == "lpn"
    gs1 = decoded["gs1"]
    assert gs1["results"][0]["text"] == "]C10109506000134352" + "10LOT42\x1d17261231"
    assert (gs1["scan"]["kind"], gs1["scan"]["value"], gs1["scan"]["lot"], gs1["scan"]["expiry"]) == (
        "gtin", "09506000134352", "LOT42", "2026-12-31")
    assert outside == []                                            # no CDN, nothing outside our server
    assert f"{live_server.url}/pda/static/vendor/zxing_reader.wasm" in fetched


@pytest.fixture(scope="module")
def camera_browser(playwright, tmp_path_factory):
    """A Chromium whose (fake) camera films a location label."""
    from PIL import Image
    label = Image.open(io.BytesIO(barcode_png("code128", "A10-14-5-2"))).convert("L")
    frame = Image.new("L", (640, 480), 255)
    label.thumbnail((600, 440))
    frame.paste(label, ((640 - label.width) // 2, (480 - label.height) // 2))
    y4m = tmp_path_factory.mktemp("camera") / "label.y4m"
    with open(y4m, "wb") as out:                                    # YUV 4:2:0, grey: U = V = 128
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(3):
            out.write(b"FRAME\n" + frame.tobytes() + bytes([128]) * (320 * 240 * 2))
    browser = launch(playwright, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                     f"--use-file-for-fake-video-capture={y4m}")
    yield browser
    browser.close()


def test_camera_scan_goes_through_the_scan_layer(camera_browser, live_server):
    context = camera_browser.new_context(viewport={"width": 360, "height": 640}, base_url=live_server.url,
                                         device_scale_factor=2)
    try:
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        sign_in(page)
        page.click(".menu-item[data-go=move]")
        wait_step(page, "move-from")
        page.click("#camera-btn")
        page.wait_for_selector("#camera:not([hidden])")
        shot(page, "17-camera")
        wait_step(page, "move-item")                               # the label was read and accepted
        assert page.is_hidden("#camera")
        assert page.inner_text("#move-draft li[data-field=from] .v") == "A10-14-5-2"
        assert page.evaluate("PdaApp.layer().history.slice(-1)[0].source") == "camera"
        assert "A10-14-5-2" in message(page)
        page.wait_for_timeout(350)                                  # past the duplicate window
        page.click("#camera-btn")                                   # a location is the wrong kind for "item"
        page.wait_for_selector("#message.error")
        assert page.get_attribute("#scan", "data-step") == "move-item"
    finally:
        context.close()


def test_camera_unavailable_gives_a_clear_message(page):
    sign_in(page)
    page.click(".menu-item[data-go=lookup]")
    wait_step(page, "lookup")
    # As on http://<LAN IP>: not a secure context, so no camera.
    page.evaluate("Object.defineProperty(window, 'isSecureContext', {value: false})")
    page.click("#camera-btn")
    page.wait_for_selector("#message.error")
    assert "HTTPS" in message(page)
    assert page.is_hidden("#camera")
