"""Printer profiles: where and how labels print (language, resolution, stock size, optional raw TCP)."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wms.db import Base, TimestampMixin, one_of
from wms.masterdata.models import ActiveMixin

PRINTER_LANGUAGES = ("pdf", "zpl", "tspl")


class PrinterProfile(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "printer_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    language: Mapped[str] = mapped_column(sa.String(10), default="pdf")
    dpi: Mapped[int] = mapped_column(default=203)
    width_mm: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1))
    height_mm: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1))
    host: Mapped[str] = mapped_column(sa.String(100), default="")      # raw TCP target, e.g. 10.0.3.21
    port: Mapped[int] = mapped_column(default=9100)
    __table_args__ = (
        one_of("language", PRINTER_LANGUAGES),
        sa.CheckConstraint("dpi IN (203, 300, 600)", name="dpi_supported"),
        sa.CheckConstraint("port BETWEEN 1 AND 65535", name="port_valid"),
    )
