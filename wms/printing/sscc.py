"""SSCC allocation (GS1 Serial Shipping Container Code, AI 00).

SSCC = extension digit + GS1 company prefix + serial reference (together 17 digits) + mod-10 check digit.
The prefix and extension digit come from the ``GS1_COMPANY_PREFIX`` and ``GS1_EXTENSION_DIGIT``
settings; serial references come from the database number series ``sscc``, so two allocations never
overlap and a number is never handed out twice (GS1 forbids reuse for 12 months). A prefix of n digits
leaves 16 − n digits of serial reference; past the last one allocation stops with ``sscc_exhausted``.
"""
from __future__ import annotations

from flask import current_app

from wms.core import numbering
from wms.errors import Conflict, WmsError
from wms.masterdata.rules import gs1_check_digit

SERIES = "sscc"


class GS1SettingsInvalid(WmsError):
    """The server's GS1 settings cannot make SSCCs (an operator must fix the configuration)."""
    status, code = 500, "gs1_settings_invalid"


def sscc(extension: str, prefix: str, serial: int) -> str:
    """The 18-digit SSCC of one serial reference."""
    body = f"{extension}{prefix}{serial:0{16 - len(prefix)}d}"
    return body + str(gs1_check_digit(body))


def settings() -> tuple[str, str]:
    """(extension digit, company prefix) from the configuration, checked."""
    extension = str(current_app.config.get("GS1_EXTENSION_DIGIT", "0")).strip()
    prefix = str(current_app.config.get("GS1_COMPANY_PREFIX", "")).strip()
    if not (len(extension) == 1 and extension.isdigit()):
        raise GS1SettingsInvalid(setting="GS1_EXTENSION_DIGIT", value=extension)
    if not (prefix.isdigit() and 6 <= len(prefix) <= 12):
        raise GS1SettingsInvalid(setting="GS1_COMPANY_PREFIX", value=prefix)
    return extension, prefix


def allocate(count: int) -> list[str]:
    """``count`` new SSCCs in the caller's transaction (the boundary commits them)."""
    extension, prefix = settings()
    serials = numbering.take(SERIES, count)
    capacity = 10 ** (16 - len(prefix)) - 1
    if serials[-1] > capacity:
        raise Conflict("sscc_exhausted", prefix=prefix, capacity=capacity)
    return [sscc(extension, prefix, serial) for serial in serials]
