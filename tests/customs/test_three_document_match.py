"""三单对碰: an export list is declared only when its order, payment and waybill agree with it."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.customs import demo
from wms.customs import service
from wms.customs.matching import mismatches
from wms.customs.models import CustomsRecord
from wms.errors import Conflict


def declare_documents(n: int, *, order=None, payment=None, waybill=None):
    service.declare([order or demo.order(n)])
    service.declare([payment or demo.payment(n)])
    service.declare([waybill or demo.waybill(n)])


def test_agreeing_documents_let_the_list_through(dbs):
    declare_documents(41)
    service.declare([demo.inventory(41)])
    assert dbs.scalar(sa.select(sa.func.count()).select_from(CustomsRecord)
                      .where(CustomsRecord.kind == "inventory", CustomsRecord.order_no == demo.order_no(41))) == 1


def test_every_differing_field_is_named(dbs):
    order = demo.order(42)
    changed = replace(order, items=[replace(order.items[0], qty=Decimal(3)), order.items[1]])
    declare_documents(42, order=changed, payment=replace(demo.payment(42), charge=Decimal("300")))
    with pytest.raises(Conflict) as refused:
        service.declare([demo.inventory(42)])
    assert refused.value.code == "three_document_mismatch"
    [problem] = refused.value.params["lists"]
    fields = {m["field"]: m["documents"] for m in problem["mismatches"]}
    assert fields["line 1 qty"] == {"order": "3", "list": "2"}
    assert fields["charge"] == {"payment": "300", "order": "259.80"}
    assert dbs.scalar(sa.select(sa.func.count()).select_from(CustomsRecord)
                      .where(CustomsRecord.kind == "inventory", CustomsRecord.order_no == demo.order_no(42))) == 0


def test_a_missing_document_is_a_mismatch(dbs):
    service.declare([demo.order(43)])
    with pytest.raises(Conflict) as refused:
        service.declare([demo.inventory(43)])
    missing = [m["documents"] for m in refused.value.params["lists"][0]["mismatches"] if m["field"] == "document"]
    assert missing == [{"payment": "missing"}, {"waybill": "missing"}]


def test_pure_rules():
    listing = service.plain(demo.inventory(1))
    order, payment, waybill = (service.plain(demo.order(1)), service.plain(demo.payment(1)),
                               service.plain(demo.waybill(1)))
    assert mismatches(listing, order, payment, waybill) == []
    heavy = {**waybill, "gross_weight": "2.50"}
    assert [m["field"] for m in mismatches(listing, order, payment, heavy)] == ["grossWeight"]
    other_ebc = {**order, "ebc": {"code": "4403960XXX", "name": "其他公司"}}
    assert "ebcCode" in [m["field"] for m in mismatches(listing, other_ebc, payment, waybill)]
