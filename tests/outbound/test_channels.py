"""Logistics channel rules: the first fitting rule gives the channel (if the channel can carry the order),
and the carrier issues a waybill number in its own format."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_orders import payload
from wms.masterdata.models import Product
from wms.outbound.carriers import SandboxCarrier, s10_check_digit
from wms.outbound.channels import Facts, matches
from wms.outbound.models import ChannelRule, Order


def _product(dbs, battery: bool, weight: str) -> Product:
    product = dbs.scalars(sa.select(Product).where(Product.seller_id == h.seller_id("SZ-ANKE"),
                                                   Product.filing_status == "approved",
                                                   Product.battery.is_(battery))).first()
    product.weight_kg = Decimal(weight)
    dbs.flush()
    return product


def _order(client, login, dbs, *, product, country="US", postal="94105", phone="+1 415 555 0132", qty=1, no="C-1"):
    body = payload(dbs, order_no=no, country=country, postal_code=postal, buyer_phone=phone,
                   lines=[{"sku": product.sku, "qty": qty, "price": "10.00"}], goods_value=str(10 * qty))
    response = client.post("/api/v1/orders", json=body, headers=login("anke"))
    assert response.status_code == 201, response.get_json()
    return dbs.get(Order, response.get_json()["id"])


def test_the_first_fitting_rule_wins(client, login, dbs):
    battery = _product(dbs, True, "0.300")
    plain = _product(dbs, False, "0.300")
    assert _order(client, login, dbs, product=battery, no="C-1").channel.code == "YT-GLB-BAT"
    us = _order(client, login, dbs, product=plain, no="C-2")
    assert us.channel.code == "YT-US-FAST" and us.logistics_no.startswith("YT") and len(us.logistics_no) == 18
    uk = _order(client, login, dbs, product=plain, country="GB", postal="SW1A 1AA", phone="020 7946 0958", no="C-3")
    assert uk.channel.code == "YT-EU-STD"
    jp = _order(client, login, dbs, product=plain, country="JP", postal="100-0005", phone="03-1234-5678", no="C-4")
    assert jp.channel.code == "CP-EUB" and jp.logistics_no.endswith("CN")
    assert s10_check_digit(jp.logistics_no[2:10]) == int(jp.logistics_no[10])


def test_an_order_no_rule_fits_waits_with_the_reason(client, login, dbs):
    heavy_battery = _product(dbs, True, "3.000")
    order = _order(client, login, dbs, product=heavy_battery, country="JP", postal="100-0005", phone="03-1234-5678",
                   no="C-9")
    assert order.channel_id is None and order.logistics_no == "" and "no channel rule fits" in order.status_reason


def test_rule_conditions_each_count():
    rule = ChannelRule(countries="GB,DE", battery="no", liquid="any", min_weight_kg=None,
                       max_weight_kg=Decimal("2"), min_value=None, max_value=Decimal("100"), seller_id=None)
    fits = Facts("DE", Decimal("1.5"), Decimal("50"), False, False, 1)
    assert matches(rule, fits)
    assert not matches(rule, Facts("US", Decimal("1.5"), Decimal("50"), False, False, 1))
    assert not matches(rule, Facts("DE", Decimal("2.5"), Decimal("50"), False, False, 1))
    assert not matches(rule, Facts("DE", Decimal("1.5"), Decimal("150"), False, False, 1))
    assert not matches(rule, Facts("DE", Decimal("1.5"), Decimal("50"), True, False, 1))


def test_sandbox_track_follows_the_clock():
    from datetime import datetime, timedelta, timezone
    shipped = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)
    carrier = SandboxCarrier()
    assert carrier.track("YT0000000000000001", None, shipped) == []
    early = carrier.track("YT0000000000000001", shipped, shipped + timedelta(hours=12))
    late = carrier.track("YT0000000000000001", shipped, shipped + timedelta(days=7))
    assert [e.code for e in early] == ["departed_zone", "export_cleared"]
    assert late[-1].code == "delivered" and late[:2] == early
