"""The rules behind QC, putaway and channel choice are kept on the generic record screens."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.web.test_screens import csrf
from wms.masterdata.models import Channel, Warehouse
from wms.outbound.models import ChannelRule


@pytest.fixture
def supervisor(client):
    token = csrf(client.get("/login"))
    client.post("/login", data={"username": "supervisor", "password": "super-demo", "csrf_token": token})
    return client


@pytest.mark.parametrize("name", ["qc-rules", "putaway-rules", "fixed-locations", "channel-rules"])
def test_rule_lists_and_forms_render(supervisor, name):
    assert supervisor.get(f"/admin/{name}").status_code == 200
    assert supervisor.get(f"/admin/{name}/new").status_code == 200


def test_a_channel_rule_made_on_the_screen_is_used(supervisor, dbs):
    page = supervisor.get("/admin/channel-rules/new")
    channel = dbs.scalar(sa.select(Channel.id).where(Channel.code == "SF-IE"))
    warehouse = dbs.scalar(sa.select(Warehouse.id))
    response = supervisor.post("/admin/channel-rules/new", data={
        "csrf_token": csrf(page), "warehouse_id": warehouse, "sequence": "1", "name": "新加坡 Singapore",
        "channel_id": channel, "countries": "sg, my", "battery": "any", "liquid": "any"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    rule = dbs.scalars(sa.select(ChannelRule).where(ChannelRule.name == "新加坡 Singapore")).one()
    assert rule.countries == "SG,MY" and rule.channel_id == channel
    bad = supervisor.post("/admin/channel-rules/new", data={
        "csrf_token": csrf(page), "warehouse_id": warehouse, "channel_id": channel, "countries": "Singapore",
        "battery": "any", "liquid": "any"})
    assert bad.status_code == 422
