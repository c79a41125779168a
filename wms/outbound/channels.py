"""Logistics channel rules: which carrier channel an order ships with, then its waybill from the carrier.

An order's facts — destination country, estimated weight (units × unit weight), goods value, battery and
liquid goods, seller — are checked against the warehouse's active rules in sequence; the first rule whose
conditions all hold gives the channel, provided the channel itself can carry the order (battery allowed,
weight limit). An order naming its channel keeps it. Without a channel the order waits, with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from wms.extensions import db
from wms.masterdata.models import Channel
from wms.outbound import carriers
from wms.outbound.models import ChannelRule, Order


@dataclass(frozen=True)
class Facts:
    country: str
    weight_kg: Decimal
    value: Decimal
    battery: bool
    liquid: bool
    seller_id: int


def facts(order: Order) -> Facts:
    weight = sum((Decimal(l.product.weight_kg or 0) * l.qty for l in order.lines), Decimal(0))
    return Facts(order.country.code, weight, Decimal(order.goods_value), any(l.product.battery for l in order.lines),
                 any(l.product.liquid for l in order.lines), order.seller_id)


def _flag(rule_value: str, fact: bool) -> bool:
    return rule_value == "any" or (rule_value == "yes") == fact


def matches(rule: ChannelRule, f: Facts) -> bool:
    countries = {c.strip().upper() for c in rule.countries.split(",") if c.strip()}
    return ((not countries or f.country in countries)
            and (rule.seller_id is None or rule.seller_id == f.seller_id)
            and (rule.min_weight_kg is None or f.weight_kg >= rule.min_weight_kg)
            and (rule.max_weight_kg is None or f.weight_kg <= rule.max_weight_kg)
            and (rule.min_value is None or f.value >= rule.min_value)
            and (rule.max_value is None or f.value <= rule.max_value)
            and _flag(rule.battery, f.battery) and _flag(rule.liquid, f.liquid))


def carries(channel: Channel, f: Facts) -> bool:
    return (channel.active and (channel.allows_battery or not f.battery)
            and (channel.max_weight_kg is None or f.weight_kg <= channel.max_weight_kg))


def choose(order: Order) -> tuple[Channel | None, ChannelRule | None]:
    """The channel the first fitting rule gives (and the rule), or (None, None)."""
    f = facts(order)
    rules = db.session.scalars(sa.select(ChannelRule).where(ChannelRule.warehouse_id == order.warehouse_id,
                                                            ChannelRule.active.is_(True))
                               .order_by(ChannelRule.sequence, ChannelRule.id)).all()
    for rule in rules:
        if matches(rule, f) and carries(rule.channel, f):
            return rule.channel, rule
    return None, None


def assign(order: Order) -> bool:
    """Give the order its channel (unless it names one) and its waybill; False when no rule fits."""
    if order.channel_id is None:
        channel, rule = choose(order)
        if channel is None:
            f = facts(order)
            order.status_reason = (f"无匹配物流渠道 no channel rule fits ({f.country}, {f.weight_kg} kg, "
                                   f"battery {'yes' if f.battery else 'no'})")[:300]
            return False
        order.channel = channel
    if not order.logistics_no:
        waybill = carriers.adapter(current_app.config).issue(order.channel, order)
        order.logistics_no = waybill.logistics_no
    order.status_reason = ""
    return True
