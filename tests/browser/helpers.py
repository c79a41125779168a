"""Helpers for the PDA browser tests: sign in, scan like a keyboard wedge, read the screen.

WMS_PDA_SCREENSHOTS=<folder>: ``shot(page, name)`` saves PNGs there for a human to look at.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("WMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PASSWORDS = {"op01": "op01-demo", "op02": "op02-demo", "supervisor": "super-demo", "admin": "admin-demo",
             "customs": "customs-demo", "anke": "anke-demo"}


def launch(playwright, *extra_args: str):
    """Debian's Chromium, headless, as the project's machines run it (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS + list(extra_args))


def shot(page, name: str) -> None:
    folder = os.environ.get("WMS_PDA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


@contextmanager
def desk_page(browser, live_server, username: str, path: str, what: str, *, width: int = 1280, height: int = 800):
    """A desktop browser signed in on the web screens as ``username``, at ``path``; no JavaScript error on it."""
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url,
                                  locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"/login?next={path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button.primary")
    page.wait_for_url(f"**{path}")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on {what}: {errors}"


def open_pda(page):
    page.goto("/pda/")
    page.wait_for_function("window.PdaApp && window.PdaQueue")
    return page


def sign_in(page, username: str = "op01", device: str = "PDA-T01", start: bool = True):
    """Open the PDA, sign in and (by default) tap "start shift"; ends on the home menu."""
    open_pda(page)
    page.fill("#login-form [name=username]", username)
    page.fill("#login-form [name=password]", PASSWORDS[username])
    page.fill("#login-form [name=device]", device)
    page.click("#signin")
    page.wait_for_selector("#screen-shift:not([hidden])")
    if start:
        page.click("#start-shift")
        page.wait_for_selector("#screen-home:not([hidden])")
    return page


def scan(page, code: str, enter: bool = True) -> None:
    """What a keyboard-wedge scanner does: type fast into the focused input, then Enter."""
    page.keyboard.type(code)
    if enter:
        page.keyboard.press("Enter")


def wait_step(page, name: str) -> None:
    page.wait_for_selector(f"#scan[data-step='{name}']", state="attached")


def message(page) -> str:
    return page.inner_text("#message")


def pending(page) -> int:
    return int(page.inner_text("#sync-count"))
