"""The PDA shell in a real browser: sign-in, start shift, home menu by role, language, targets, scan input."""
from __future__ import annotations

import pytest

from tests.browser.helpers import PASSWORDS, open_pda, shot, sign_in

pytestmark = pytest.mark.live
VISIBLE_MENU = "els => els.filter(e => !e.hidden).map(e => e.dataset.go)"


def test_login_start_shift_and_home_menu(page):
    open_pda(page)
    assert page.is_visible("#screen-login")
    assert page.inner_text("#screen-login h1") == "保税仓 PDA"
    shot(page, "01-login")

    page.fill("#login-form [name=username]", "op01")
    page.fill("#login-form [name=password]", "wrong-password")
    page.click("#signin")
    page.wait_for_selector("#message.error")
    assert "用户名或密码错误" in page.inner_text("#message")
    assert page.is_visible("#screen-login")

    page.fill("#login-form [name=password]", PASSWORDS["op01"])
    page.fill("#login-form [name=device]", "pda-07")
    page.click("#signin")
    page.wait_for_selector("#screen-shift:not([hidden])")
    assert "作业员 李强" in page.inner_text("#shift-name")
    assert "PDA-07" in page.inner_text("#shift-meta")
    shot(page, "02-start-shift")
    assert page.evaluate("PdaFeedback.state()") != "running"

    page.click("#start-shift")
    page.wait_for_selector("#screen-home:not([hidden])")
    assert page.evaluate("PdaFeedback.state()") == "running"       # the tap resumed the AudioContext
    assert page.evaluate("PdaFeedback.isUnlocked()")
    assert page.evaluate("window.__vibrations.length") >= 1        # vibration allowed and used

    visible = page.eval_on_selector_all(".menu-item", VISIBLE_MENU)
    assert visible == ["lookup", "move", "receive", "putaway", "qc", "inspection", "pick", "bag", "load",
                       "queue"]  # an operator has no exceptions screen
    assert page.is_visible("#scan") and page.get_attribute("#scan", "data-step") == "home"
    token = page.evaluate("JSON.parse(localStorage.getItem('pda.session')).token")
    assert token and page.evaluate("PdaApi.token()") == token
    shot(page, "03-home-operator")

    page.reload()                                                  # the token is kept for the shift
    page.wait_for_selector("#screen-shift:not([hidden])")
    page.click("#start-shift")
    page.wait_for_selector("#screen-home:not([hidden])")

    page.click("#signout")
    page.wait_for_selector("#screen-login:not([hidden])")
    assert page.evaluate("localStorage.getItem('pda.session')") is None


@pytest.mark.parametrize("username, menu", [
    ("supervisor", ["lookup", "move", "receive", "putaway", "qc", "inspection", "pick", "bag", "load", "exceptions",
                    "queue"]),
    ("admin", ["lookup", "move", "receive", "putaway", "qc", "inspection", "pick", "bag", "load", "exceptions",
                    "queue"]),
    ("customs", ["lookup", "inspection", "queue"]),
])
def test_menu_follows_the_role(page, username, menu):
    sign_in(page, username)
    visible = page.eval_on_selector_all(".menu-item", VISIBLE_MENU)
    assert visible == menu
    shot(page, f"04-home-{username}")


def test_language_switch_and_large_single_column_targets(page):
    sign_in(page, "supervisor")
    assert page.inner_text(".menu-item[data-go=move] b") == "移库"
    assert page.inner_text("#prompt") == "扫描任意条码可直接查询"
    page.click("#lang")
    assert page.inner_text(".menu-item[data-go=move] b") == "Move"
    shot(page, "04-home-english")
    assert page.inner_text("#prompt") == "Scan any code to look it up"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#lang")
    assert page.inner_text(".menu-item[data-go=move] b") == "移库"

    boxes = page.eval_on_selector_all(
        "button:not([hidden])",
        "els => els.filter(e => e.offsetParent).map(e => {const r = e.getBoundingClientRect();"
        " return {id: e.id || e.dataset.go || e.textContent.trim(), w: r.width, h: r.height, x: r.x}})")
    assert boxes
    for box in boxes:
        assert box["h"] >= 48 and box["w"] >= 48, box
    menu = page.eval_on_selector_all(".menu-item:not([hidden])",
                                     "els => els.map(e => e.getBoundingClientRect().x)")
    assert len(set(menu)) == 1                                     # one column
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_scan_input_is_always_focused_and_never_readonly(page):
    sign_in(page)
    page.click(".menu-item[data-go=move]")
    page.wait_for_selector("#scan[data-step='move-from']", state="attached")
    assert page.get_attribute("#scan", "inputmode") == "none"
    assert page.get_attribute("#scan", "readonly") is None
    assert page.evaluate("document.activeElement.id") == "scan"
    page.click("#task-title")                                      # a tap anywhere gives focus back
    page.wait_for_function("document.activeElement.id === 'scan'")
    page.click("#move-draft li[data-field=qty]")
    page.wait_for_function("document.activeElement.id === 'scan'")
    page.evaluate("document.activeElement.blur()")
    page.wait_for_function("document.activeElement.id === 'scan'")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert page.evaluate("document.activeElement.id") == "scan"

    page.click("#keyboard")                                        # manual entry shows the soft keyboard
    assert page.get_attribute("#scan", "inputmode") == "text"
    page.wait_for_function("document.activeElement.id === 'scan'")
    page.keyboard.type("A01-01-1-1", delay=120)                    # slow typing waits for Enter
    page.wait_for_timeout(300)
    assert page.input_value("#scan") == "A01-01-1-1"
    page.keyboard.press("Enter")
    page.wait_for_selector("#scan[data-step='move-item']", state="attached")
    assert page.get_attribute("#scan", "inputmode") == "none"
