"""Declared records through the customs gateway: queued, sent, moved by receipts to release — with the
sandbox and with the data-exchange folder — and every odd receipt (repeated, late, unknown, unreadable)
logged without breaking anything."""
from __future__ import annotations

import base64
import uuid

import pytest
import sqlalchemy as sa
from lxml import etree

from tests.customs import demo
from wms.customs import service
from wms.customs.gateway import FolderGateway, GatewayError, SandboxGateway, _receipt
from wms.customs.models import CustomsEvent, CustomsMessage, CustomsRecord
from wms.customs.states import CUSTOMS_RECORD


def drain(gateway, rounds: int = 12) -> None:
    for _ in range(rounds):
        if service.run_once(gateway) == {"sent": 0, "receipts": 0}:
            return
    raise AssertionError("the gateway kept producing work")


BEFORE = {"record": 0, "message": 0}


@pytest.fixture(autouse=True)
def _only_this_tests_documents(dbs):
    """The demo data declares documents of its own; these tests look only at the ones they make."""
    BEFORE["record"] = dbs.scalar(sa.select(sa.func.coalesce(sa.func.max(CustomsRecord.id), 0)))
    BEFORE["message"] = dbs.scalar(sa.select(sa.func.coalesce(sa.func.max(CustomsMessage.id), 0)))


def records(dbs, kind):
    return dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.kind == kind, CustomsRecord.id > BEFORE["record"])
                       .order_by(CustomsRecord.id)).all()


def new_messages():
    return CustomsMessage.id > BEFORE["message"]


def fresh(n):
    return [demo.inventory(n=i, cop_no=f"ANK-INV-{uuid.uuid4().hex[:8]}", order_no=demo.order_no(i))
            for i in range(1, n + 1)]


def test_sandbox_releases_export_lists_and_inspects_some(dbs, export_schema):
    service.declare([demo.order(i) for i in range(1, 6)])
    service.declare([demo.waybill(i) for i in range(1, 6)])
    service.declare(fresh(8), match=False)
    drain(SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0.5, seed=7))
    assert {r.status for r in records(dbs, "inventory")} == {"closed"}
    assert {r.status for r in records(dbs, "order")} == {"entered"}
    assert {r.status for r in records(dbs, "waybill")} == {"entered"}
    inspected = dbs.scalars(sa.select(CustomsEvent.record_id).where(CustomsEvent.event == "status_500")).all()
    assert 0 < len(set(inspected)) < 8
    assert all(r.invt_no and r.pre_no for r in records(dbs, "inventory"))
    for message in dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.direction == "in", new_messages(),
                                                               CustomsMessage.message_type.like("CEB%"))):
        assert message.status == "processed"
        export_schema.assertValid(etree.fromstring(message.xml.encode()))


def test_sandbox_is_deterministic_for_a_seed(dbs):
    batch = fresh(6)
    outcomes = []
    for seed in (11, 11):
        gateway = SandboxGateway(delay_seconds=0, reject_rate=0.5, inspect_rate=0.5, seed=seed)
        stories = [gateway._story("CEB603", {"guid": r.guid}) for r in batch]
        outcomes.append(stories)
    assert outcomes[0] == outcomes[1]
    assert {s[-1][0] for s in outcomes[0]} <= {"100", "899"}


def test_rejection_keeps_the_reason_and_allows_a_correction(dbs):
    service.declare(fresh(2), match=False)
    drain(SandboxGateway(delay_seconds=0, reject_rate=1, inspect_rate=0, seed=3))
    for record in records(dbs, "inventory"):
        assert record.status == "rejected" and record.return_status == "100" and record.return_info
        assert CUSTOMS_RECORD.allowed_events(record.status) == ["correct"]


def test_repeated_late_and_unknown_receipts_are_logged_not_applied(dbs, tmp_path):
    [message] = service.declare(fresh(1), match=False)
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    service.run_once(gateway)
    record = records(dbs, "inventory")[0]
    fields = {"guid": record.guid, "agentCode": record.agent_code, "copNo": record.cop_no, "ebcCode": record.ebc_code,
              "ebpCode": record.ebp_code, "orderNo": record.order_no, "statisticsFlag": "B"}
    from datetime import datetime, timezone
    at = datetime.now(timezone.utc)
    inbox = tmp_path / "in"
    (inbox / "1-800.xml").write_text(_receipt("CEB604", "InventoryReturn", fields, "800", "放行", at), encoding="utf-8")
    (inbox / "2-120-late.xml").write_text(_receipt("CEB604", "InventoryReturn", fields, "120", "入库", at), encoding="utf-8")
    (inbox / "3-800-again.xml").write_text(_receipt("CEB604", "InventoryReturn", fields, "800", "放行", at), encoding="utf-8")
    stranger = {**fields, "copNo": "NOBODY-1", "orderNo": "NOBODY-1", "guid": str(uuid.uuid4()).upper()}
    (inbox / "4-unknown.xml").write_text(_receipt("CEB604", "InventoryReturn", stranger, "2", "x", at), encoding="utf-8")
    (inbox / "5-garbage.xml").write_bytes(b"<not-a-receipt")
    service.run_once(gateway)
    dbs.refresh(record)
    assert record.status == "released"
    events = dbs.scalars(sa.select(CustomsEvent).where(CustomsEvent.record_id == record.id)
                         .order_by(CustomsEvent.id)).all()
    assert [(e.event, e.applied) for e in events][-3:] == [("status_800", True), ("status_120", False),
                                                           ("status_800", False)]
    statuses = dict(dbs.execute(sa.select(CustomsMessage.file_name, CustomsMessage.status)
                                .where(CustomsMessage.direction == "in", new_messages())).all())
    assert statuses["4-unknown.xml"] == "unmatched" and statuses["5-garbage.xml"] == "error"
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["1-800.xml", "2-120-late.xml", "3-800-again.xml",
                                                                 "4-unknown.xml"]
    assert [p.name for p in (inbox / "error").iterdir()] == ["5-garbage.xml"]
    assert message.status == "sent"


def test_folder_writes_dxp_envelopes_the_client_can_send(dbs, tmp_path, dxp_schema, export_schema):
    [message] = service.declare(fresh(3), match=False)
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    assert service.run_once(gateway)["sent"] == 1
    [written] = list((tmp_path / "out").iterdir())
    envelope = etree.fromstring(written.read_bytes())
    dxp_schema.assertValid(envelope)
    data = envelope.find("{http://www.chinaport.gov.cn/dxp}Data").text
    inner = etree.fromstring(base64.b64decode(data))
    export_schema.assertValid(inner)
    assert inner.get("guid") == message.guid
    assert {r.status for r in records(dbs, "inventory")} == {"sent"}


class Refusing(SandboxGateway):
    def send(self, message):
        raise GatewayError("signing service down")


def test_a_failed_send_is_retried_later_with_backoff(dbs):
    [message] = service.declare(fresh(1), match=False)
    assert service.run_once(Refusing(delay_seconds=0))["sent"] == 0
    dbs.refresh(message)
    assert (message.status, message.attempts, message.last_error) == ("queued", 1, "signing service down")
    assert service.run_once(Refusing(delay_seconds=0))["sent"] == 0       # not due yet: not tried again
    dbs.refresh(message)
    assert message.attempts == 1
    message.next_attempt_at = message.created_at
    assert service.run_once(SandboxGateway(delay_seconds=0, reject_rate=0))["sent"] == 1


def test_field_errors_are_422_before_anything_is_queued(dbs):
    from wms.errors import ValidationFailed
    before = dbs.scalar(sa.select(sa.func.count(CustomsMessage.id)))       # the demo data has some
    with pytest.raises(ValidationFailed):
        service.declare([demo.inventory(cop_no="X" * 31)], match=False)
    assert dbs.scalar(sa.select(sa.func.count(CustomsMessage.id))) == before


def test_worker_command_runs_a_round(runner):
    result = runner.invoke(args=["wms", "customs-worker", "--once"])
    assert result.exit_code == 0 and "sent" in result.output


def test_format_check_failure_fails_the_message_and_its_records(dbs, tmp_path):
    from tests.customs.test_ceb_receipts import ceb900
    [message] = service.declare(fresh(2), match=False)
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    service.run_once(gateway)
    failure = ceb900().replace(b"311AF125-6FED-4603-8C5D-49B1FA4B4B9B", message.guid.encode())
    (tmp_path / "in" / "900.xml").write_bytes(failure)
    service.run_once(gateway)
    dbs.refresh(message)
    assert message.status == "failed" and "格式校验失败" in message.last_error
    assert {r.status for r in records(dbs, "inventory")} == {"error"}


def test_summary_result_traces_each_list_line_to_its_declaration_line(dbs, tmp_path):
    from tests.customs.conftest import SAMPLES
    service.declare([demo.summary()], match=False)
    [summary] = records(dbs, "summary")
    summary.sum_no = "S20180507000000001"
    [listing] = (service.declare(fresh(1), match=False), records(dbs, "inventory"))[1]
    listing.invt_no = "Invt20180507000001"
    dbs.flush()
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    (tmp_path / "in" / "792.xml").write_bytes((SAMPLES / "CEB792Message.xml").read_bytes())
    service.run_once(gateway)
    traced = dbs.scalars(sa.select(CustomsEvent.return_info).where(CustomsEvent.event == "summary_result",
                                                                  CustomsEvent.record_id == listing.id)).all()
    assert traced and all("S20180508000000001" in info for info in traced)
    assert dbs.scalar(sa.select(sa.func.count()).select_from(CustomsEvent).where(
        CustomsEvent.event == "summary_result", CustomsEvent.record_id == summary.id)) >= 1


def test_a_worker_killed_mid_run_loses_nothing(dbs, tmp_path, monkeypatch):
    from datetime import datetime, timezone
    service.declare(fresh(2), match=False)
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    service.run_once(gateway)
    first, second = records(dbs, "inventory")
    at = datetime.now(timezone.utc)
    for name, record in (("a.xml", first), ("b.xml", second)):
        fields = {"guid": record.guid, "agentCode": record.agent_code, "copNo": record.cop_no,
                  "ebcCode": record.ebc_code, "ebpCode": record.ebp_code, "orderNo": record.order_no}
        (tmp_path / "in" / name).write_text(_receipt("CEB604", "InventoryReturn", fields, "2", "ok", at),
                                            encoding="utf-8")
    real = service._process
    calls = []

    def dies_on_the_second(item):
        calls.append(item.name)
        if len(calls) == 2:
            raise KeyboardInterrupt("worker killed")
        return real(item)

    monkeypatch.setattr(service, "_process", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        service.run_once(gateway)
    dbs.rollback()
    dbs.refresh(first), dbs.refresh(second)
    assert (first.status, second.status) == ("declared", "sent")            # the first receipt is kept
    assert [p.name for p in (tmp_path / "in").glob("*.xml")] == ["b.xml"]   # the second waits for the next run
    monkeypatch.setattr(service, "_process", real)
    service.run_once(gateway)
    dbs.refresh(second)
    assert second.status == "declared"


def test_receipts_follow_the_records_guid_not_a_look_alike(dbs, tmp_path):
    from datetime import datetime, timezone
    service.declare([demo.order(95)], seller_id=h_seller("SZ-ANKE"))
    service.declare([demo.order(95, guid=str(uuid.uuid4()).upper())], seller_id=h_seller("SZ-JINYI"))
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    service.run_once(gateway)
    anke, jinyi = records(dbs, "order")
    fields = {"guid": anke.guid, "ebpCode": anke.ebp_code, "ebcCode": anke.ebc_code, "orderNo": anke.order_no}
    (tmp_path / "in" / "304.xml").write_text(
        _receipt("CEB304", "OrderReturn", fields, "2", "ok", datetime.now(timezone.utc)), encoding="utf-8")
    (tmp_path / "in" / "304-nokey.xml").write_text(
        _receipt("CEB304", "OrderReturn", {**fields, "guid": str(uuid.uuid4()).upper()}, "120", "x",
                 datetime.now(timezone.utc)), encoding="utf-8")
    service.run_once(gateway)
    dbs.refresh(anke), dbs.refresh(jinyi)
    assert (anke.status, jinyi.status) == ("declared", "sent")      # the look-alike fits two records: unmatched
    statuses = dict(dbs.execute(sa.select(CustomsMessage.file_name, CustomsMessage.status)
                                .where(CustomsMessage.direction == "in", new_messages())).all())
    assert statuses["304-nokey.xml"] == "unmatched"


def test_a_receipt_that_breaks_processing_is_set_aside(dbs, tmp_path, monkeypatch):
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", "DXPENT0000534901")
    (tmp_path / "in" / "a.xml").write_bytes(b"<x/>")
    (tmp_path / "in" / "b.xml").write_bytes(b"<y/>")
    real = service._process

    def breaks_on_a(item):
        if item.name == "a.xml":
            raise RuntimeError("database said no")
        return real(item)

    monkeypatch.setattr(service, "_process", breaks_on_a)
    assert service.run_once(gateway)["receipts"] == 2
    assert sorted(p.name for p in (tmp_path / "in" / "error").iterdir()) == ["a.xml", "b.xml"]
    failed = dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.file_name == "a.xml")).one()
    assert failed.status == "error" and "database said no" in failed.last_error


def h_seller(code):
    from tests.api import helpers
    return helpers.seller_id(code)


def test_the_worker_goes_again_at_once_while_rounds_are_full(app, monkeypatch):
    import threading

    from wms.customs import worker
    rounds = iter([{"sent": 100, "receipts": 7}, {"sent": 2, "receipts": 100}, {"sent": 3, "receipts": 1}])
    waits = []

    class Stop(threading.Event):
        def wait(self, timeout=None):
            waits.append(len(calls))
            if len(calls) == 3:
                self.set()
            return self.is_set()

    calls = []
    monkeypatch.setattr(worker, "run_round", lambda: calls.append(1) or next(rounds))
    worker.loop(app, Stop())
    assert len(calls) == 3 and waits == [3]          # no pause after the two full rounds, one after the third
