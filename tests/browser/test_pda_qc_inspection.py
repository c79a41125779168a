"""PDA QC (质检) and customs inspection (海关查验) end to end in a real browser, checked against the API.

Like receiving and putaway, both only render the server's scenario answers: the scan that finds the work is
sent live (/qc/scan, /inspection/scan); the result goes through the offline queue. The demo data has open QC
tasks and, on each accepted temp-storage declaration, one spot-checked line whose goods are on customs hold.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.helpers import message, scan, shot, sign_in, wait_step

pytestmark = pytest.mark.live
ERROR_VIBRATION = [160, 90, 160]


def open_qc_tasks(live_server) -> list[dict]:
    answer = live_server.api("GET", "/api/v1/qc-tasks", params={"status": "open", "per_page": 100})
    assert answer.status_code == 200, answer.text
    return [t for t in answer.json()["items"] if t["lpn"]]


def held_lines(live_server) -> list[dict]:
    """Spot-checked lines of accepted declarations still waiting for their inspection result."""
    answer = live_server.api("GET", "/api/v1/temp-declarations", params={"status": "accepted", "per_page": 100})
    assert answer.status_code == 200, answer.text
    return [dict(line, declaration_id=d["id"]) for d in answer.json()["items"] for line in d["lines"]
            if line["spot_check"] and line["inspection_result"] == ""]


def wait_error(page, text: str) -> None:
    """The message line turns into an error naming ``text`` (the "looking up…" line before it names it too)."""
    page.wait_for_function("t => { var m = document.getElementById('message');"
                           " return m.className === 'message error' && m.textContent.indexOf(t) >= 0; }", arg=text)


def keyed(sent: list[dict], fragment: str) -> list[dict]:
    return [r for r in sent if fragment in r["url"] and r["method"] == "POST"]


def test_qc_a_task_with_one_defective_unit(page, live_server):
    tasks = open_qc_tasks(live_server)
    assert tasks, "the demo data has open QC tasks"
    task = tasks[0]
    sent: list[dict] = []
    page.on("request", lambda r: sent.append({"url": r.url, "method": r.method, **r.headers})
            if "/api/v1/qc" in r.url else None)

    sign_in(page)
    page.click(".menu-item[data-go=qc]")
    wait_step(page, "qc-lpn")
    assert page.inner_text("#task-title") == "质检"
    assert page.inner_text("#prompt") == "扫描待质检的 LPN"
    shot(page, "pda-qc-lpn")

    scan(page, "A01-01-1-1")                                            # a location is not what this step takes
    page.wait_for_selector("#message.error")
    assert page.get_attribute("#scan", "data-step") == "qc-lpn"

    scan(page, "LPN999999")                                             # 404 no_qc_task names the code
    wait_error(page, "LPN999999")
    assert page.evaluate("window.__vibrations").count(ERROR_VIBRATION) >= 2    # feedback.js: the error pattern
    wait_step(page, "qc-lpn")

    scan(page, task["lpn"])
    wait_step(page, "qc-inspect")
    prompt = page.inner_text("#prompt")                                 # the server's prompt, in Chinese
    assert task["sku"] in prompt and str(task["sample_qty"]) in prompt and "抽检" in prompt
    assert page.inner_text("#qc-sample") == str(task["sample_qty"])
    card = page.inner_text("#qc-task")
    assert task["sku"] in card and task["lpn"] in card and str(task["qty"]) in card and task["number"] in card
    assert page.inner_text("#qc-failed-value") == "0"                   # default: nothing defective
    assert page.is_hidden("#qc-defects")
    page.click("#lang")                                                 # the page's own labels follow the language
    assert "Sample to check" in page.inner_text("#qc-task") and page.inner_text("#qc-ok") == "Complete"
    page.click("#lang")
    assert page.inner_text("#qc-ok") == "完成质检"
    shot(page, "pda-qc-inspect")

    # One defective unit: a reason is needed before the result is sent.
    page.click("#qc-keypad [data-key='1']")
    assert page.inner_text("#qc-failed-value") == "1"
    page.wait_for_selector("#qc-defects:not([hidden])")
    assert page.locator("#qc-defects [data-defect]").count() == 5
    page.click("#qc-ok")
    page.wait_for_selector("#qc-defects.needed")
    assert "不良原因" in message(page)
    assert not keyed(sent, "/complete")                                 # refused on the device, nothing sent
    shot(page, "pda-qc-reason")

    page.click("#qc-defects [data-defect=scratched]")
    assert page.get_attribute("#qc-defects [data-defect=scratched]", "aria-pressed") == "true"
    shot(page, "pda-qc-reason-chosen")
    page.click("#qc-ok")
    page.wait_for_selector("#qc-result .result.ok")
    wait_step(page, "qc-lpn")
    result = page.inner_text("#qc-result")
    assert f"合格 {task['qty'] - 1} 件" in result and "不合格 1 件" in result and "划痕" in result
    shot(page, "pda-qc-done")

    done = live_server.api("GET", f"/api/v1/qc-tasks/{task['id']}").json()
    assert (done["status"], done["failed_qty"], done["passed_qty"], done["defect_reason"]) == (
        "done", 1, task["qty"] - 1, "划痕")
    posts = keyed(sent, "/api/v1/qc")
    assert len(posts) == 3 and all(r.get("idempotency-key") for r in posts)   # 2 scans + 1 completion
    assert page.evaluate("PdaQueue.pending()") == []

    scan(page, task["lpn"])                                             # the task is done: nothing open on it
    wait_error(page, task["lpn"])


def test_customs_inspection_passes_held_goods(page, live_server):
    lines = held_lines(live_server)
    assert lines, "the demo data has goods on customs hold"
    line = lines[0]
    before = live_server.stock(lpn=line["lpn"])
    assert before and all(r["status"] == "customs_hold" for r in before)
    sent: list[dict] = []
    page.on("request", lambda r: sent.append({"url": r.url, "method": r.method, **r.headers})
            if "/api/v1/" in r.url else None)

    sign_in(page)
    page.click(".menu-item[data-go=inspection]")
    wait_step(page, "inspection-lpn")
    assert page.inner_text("#prompt") == "扫描海关暂扣货物的 LPN"
    shot(page, "pda-insp-lpn")

    scan(page, "LPN999999")                                             # 404 no_held_goods names the code
    wait_error(page, "LPN999999")

    scan(page, line["lpn"].lower())                                     # scanners in lower-case mode
    wait_step(page, "inspection-result")
    assert line["sku"] in page.inner_text("#prompt") and line["lpn"] in page.inner_text("#prompt")
    assert page.inner_text("#insp-lpn") == line["lpn"]
    assert line["sku"] in page.inner_text("#insp-line") and str(line["qty"]) in page.inner_text("#insp-line")
    assert page.locator("#insp-buttons [data-result]").count() == 3
    shot(page, "pda-insp-result")

    # The hold label: a PDF behind the bearer token, opened in a new tab; the note is its reason.
    page.fill("#insp-note", "开箱查验，货证相符")
    with page.context.expect_page() as opened:
        page.click("#insp-print")
    popup = opened.value
    popup.wait_for_function("location.href.indexOf('blob:') === 0")
    popup.close()
    label = urlsplit(page.get_attribute("#insp-print", "data-label"))
    assert label.path == f"/api/v1/lpns/{line['lpn']}/label"
    assert parse_qs(label.query) == {"hold": ["1"], "reason": ["开箱查验，货证相符"]}
    assert any("/label?hold=1" in r["url"] and r["authorization"].startswith("Bearer ") for r in sent)

    page.click("#insp-buttons [data-result=passed]")
    page.wait_for_selector("#insp-result .result.ok")
    wait_step(page, "inspection-lpn")
    assert page.get_attribute("#insp-done", "data-result") == "passed"
    assert "查验通过" in page.inner_text("#insp-result") and line["lpn"] in page.inner_text("#insp-result")
    shot(page, "pda-insp-done")

    after = live_server.stock(lpn=line["lpn"])
    assert sum(r["qty"] for r in after) == sum(r["qty"] for r in before)
    assert not [r for r in after if r["status"] == "customs_hold"]
    declaration = live_server.api("GET", f"/api/v1/temp-declarations/{line['declaration_id']}").json()
    [recorded] = [x for x in declaration["lines"] if x["id"] == line["id"]]
    assert (recorded["inspection_result"], recorded["inspection_note"]) == ("passed", "开箱查验，货证相符")
    posts = keyed(sent, "/inspection")
    assert len(posts) == 3 and all(r.get("idempotency-key") for r in posts)   # 2 scans + 1 result


def test_customs_user_confirms_a_seizure_with_a_second_tap(page, live_server):
    lines = held_lines(live_server)
    if not lines:
        pytest.skip("no goods left on customs hold in the demo data")
    line = lines[-1]

    sign_in(page, "customs", device="PDA-T02")
    assert page.is_hidden(".menu-item[data-go=qc]")
    page.click(".menu-item[data-go=inspection]")
    wait_step(page, "inspection-lpn")
    scan(page, line["lpn"])
    wait_step(page, "inspection-result")

    page.click("#insp-buttons [data-result=seized]")                    # final: the first tap only arms it
    page.wait_for_selector("#insp-buttons .armed[data-result=seized]")
    assert "再点一次" in message(page)
    shot(page, "pda-insp-seize-armed")
    page.click("#insp-buttons [data-result=seized]")
    page.wait_for_selector("#insp-result .result.error")
    wait_step(page, "inspection-lpn")
    assert page.get_attribute("#insp-done", "data-result") == "seized"

    declaration = live_server.api("GET", f"/api/v1/temp-declarations/{line['declaration_id']}").json()
    [recorded] = [x for x in declaration["lines"] if x["id"] == line["id"]]
    assert recorded["inspection_result"] == "seized"
