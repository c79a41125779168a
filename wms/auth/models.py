"""Users, API tokens and sign-in attempts."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.db import Base, TimestampMixin, one_of, utcnow
from wms.masterdata.models import Seller

ROLES = ("admin", "supervisor", "operator", "seller", "customs")


class User(TimestampMixin, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    locale: Mapped[str] = mapped_column(sa.String(10), default="zh-CN")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    last_login_at: Mapped[datetime | None]
    seller: Mapped[Seller | None] = relationship()
    __table_args__ = (
        one_of("role", ROLES),
        sa.CheckConstraint("(role = 'seller') = (seller_id IS NOT NULL)", name="seller_role_has_seller"),
    )

    @property
    def is_seller(self) -> bool:
        return self.role == "seller"


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Sign-in attempts, for rate limiting by user name and by client address."""
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80))
    address: Mapped[str] = mapped_column(sa.String(64))
    success: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (sa.Index("ix_login_attempts_username_at", "username", "at"),
                      sa.Index("ix_login_attempts_address_at", "address", "at"))
