"""Inbound labels from real documents scan back to what they name: a forecast's carton labels (箱唛),
the LPN label of received units and the hold label of goods on customs hold."""
from __future__ import annotations

import sqlalchemy as sa

from tests.api.helpers import problem, seller_id
from wms.inbound import asn as asns
from wms.inbound.models import Asn, TempDeclarationLine
from wms.inventory.models import StockBalance


def test_carton_labels_scan_to_the_carton_ids(client, login, dbs, rasterise, decode):
    forecast = dbs.scalars(sa.select(Asn).where(Asn.status == "submitted", Asn.mode == "stock",
                                                Asn.seller_id == seller_id("SZ-ANKE"))).first()
    codes = [c.code for c in asns.cartons(forecast)]
    response = client.get(f"/api/v1/asns/{forecast.id}/carton-labels", headers=login("anke"))
    assert response.status_code == 200 and response.headers["X-Label-Count"] == str(len(codes))
    scanned = [[b.text for b in decode(page)] for page in rasterise(response.data, 203)]
    assert scanned == [[code] for code in codes]
    zpl = client.get(f"/api/v1/asns/{forecast.id}/carton-labels?format=zpl", headers=login("anke")).data.decode()
    assert zpl.count("^XA") == len(codes)
    other = dbs.scalars(sa.select(Asn).where(Asn.seller_id == seller_id("SZ-JINYI"))).first()
    problem(client.get(f"/api/v1/asns/{other.id}/carton-labels", headers=login("anke")), 404)
    draft = dbs.scalars(sa.select(Asn).where(Asn.status == "draft", Asn.seller_id == seller_id("SZ-ANKE"))).first()
    problem(client.get(f"/api/v1/asns/{draft.id}/carton-labels", headers=login("anke")), 409, "asn_not_submitted")


def test_lpn_and_hold_labels_scan_to_the_lpn(client, login, dbs, rasterise, decode):
    held = dbs.scalars(sa.select(TempDeclarationLine).where(TempDeclarationLine.spot_check.is_(True))).first()
    lpn = held.receipt.lpn
    assert dbs.scalar(sa.select(StockBalance.status).where(StockBalance.lpn == lpn, StockBalance.qty > 0)) == "customs_hold"
    for query in ("", "?hold=1&reason=海关布控抽查"):
        response = client.get(f"/api/v1/lpns/{lpn}/label{query}", headers=login("op01"))
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert [[b.text for b in decode(page)] for page in rasterise(response.data, 203)] == [[lpn]]
    problem(client.get("/api/v1/lpns/LPN99999999/label", headers=login("op01")), 404, "unknown_lpn")
