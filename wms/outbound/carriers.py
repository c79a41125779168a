"""Carriers behind one adapter: issue a waybill (number + label data) for an order, and report tracking
events (运输轨迹). ``SandboxCarrier`` behaves like the real services: numbers in each carrier's own format
(UPU S10 with its check digit for postal items, SF 13 digits, YunExpress 16), taken from a database number
series so they never repeat, and a plausible track once the parcel has left the zone.
"""
from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from wms.core import numbering
from wms.masterdata.models import Channel

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(eight: str) -> int:
    """UPU S10 check digit of an 8-digit serial."""
    check = 11 - sum(int(d) * w for d, w in zip(eight, S10_WEIGHTS)) % 11
    return {10: 0, 11: 5}.get(check, check)


@dataclass(frozen=True)
class Waybill:
    logistics_no: str
    carrier_code: str
    channel_code: str
    label: dict = field(default_factory=dict)       # what the shipping label prints (sort codes, routing)


@dataclass(frozen=True)
class TrackEvent:
    at: datetime
    code: str
    text_zh: str
    text_en: str
    place: str


class CarrierAdapter(ABC):
    @abstractmethod
    def issue(self, channel: Channel, order) -> Waybill:
        """A waybill number for ``order`` on ``channel``."""

    @abstractmethod
    def track(self, logistics_no: str, shipped_at: datetime | None, now: datetime) -> list[TrackEvent]:
        """The carrier's events for a parcel so far (none before it has left)."""


# carrier code -> (number format, sort-code prefix)
FORMATS = {"CHINAPOST": "s10", "SF": "SF{serial:013d}", "YUNEXPRESS": "YT{serial:016d}", "4PX": "4PX{serial:012d}",
           "CAINIAO": "LP{serial:014d}"}
TRACK = [  # (hours after leaving the zone, code, zh, en, place)
    (2, "departed_zone", "已出区，离开前海保税港区", "Left the Qianhai bonded zone", "深圳前海"),
    (8, "export_cleared", "出口清关完成", "Export customs cleared", "深圳"),
    (20, "departed_origin", "航班已起飞", "Departed origin airport", "深圳宝安国际机场"),
    (50, "arrived_destination", "到达目的国", "Arrived in the destination country", ""),
    (70, "import_cleared", "进口清关完成", "Import customs cleared", ""),
    (96, "out_for_delivery", "派送中", "Out for delivery", ""),
    (110, "delivered", "已签收", "Delivered", ""),
]


class SandboxCarrier(CarrierAdapter):
    def issue(self, channel: Channel, order) -> Waybill:
        carrier = channel.carrier.code
        serial = numbering.take(f"waybill:{carrier}")[0]
        pattern = FORMATS.get(carrier, f"{carrier[:3]}{{serial:012d}}")
        if pattern == "s10":
            eight = f"{serial % 10**8:08d}"
            number = f"L{chr(ord('A') + serial // 10**8 % 26)}{eight}{s10_check_digit(eight)}CN"
        else:
            number = pattern.format(serial=serial)
        country = order.country.code if order.country else ""
        return Waybill(number, carrier, channel.code, {
            "sort_code": f"{country}-{(order.postal_code or '000')[:3]}", "service": channel.service,
            "carrier_name": channel.carrier.name_en or channel.carrier.name_zh, "channel_name": channel.name_zh})

    def track(self, logistics_no: str, shipped_at: datetime | None, now: datetime) -> list[TrackEvent]:
        if shipped_at is None:
            return []
        rng = random.Random(logistics_no)
        events = []
        for hours, code, zh, en, place in TRACK:
            at = shipped_at + timedelta(hours=hours + rng.random() * 3)
            if at > now:
                break
            events.append(TrackEvent(at, code, zh, en, place))
        return events


def adapter(config) -> CarrierAdapter:
    kind = (config.get("CARRIER_ADAPTER") or "sandbox").lower()
    if kind != "sandbox":
        raise ValueError(f"Unknown carrier adapter {kind!r}: only the sandbox exists so far.")
    return SandboxCarrier()
