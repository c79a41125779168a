"""Roles and what each may do. Every view names the permission it needs; sellers are further
limited to their own seller's records (see ``wms.auth.service.scope``)."""
from __future__ import annotations

ALL = frozenset({"admin", "supervisor", "operator", "seller", "customs"})
STAFF = frozenset({"admin", "supervisor", "operator", "customs"})

PERMISSIONS: dict[str, frozenset[str]] = {
    # reference lists every signed-in user may read
    "reference.read": ALL,
    "reference.write": frozenset({"admin", "supervisor"}),
    # warehouse layout: staff only
    "layout.read": STAFF,
    "layout.write": frozenset({"admin", "supervisor"}),
    # sellers: a seller reads its own record; admins keep them
    "sellers.read": ALL,
    "sellers.write": frozenset({"admin"}),
    # products: sellers file their own products
    "products.read": ALL,
    "products.write": frozenset({"admin", "supervisor", "seller"}),
    # filing: sellers declare, customs liaison reviews
    "filing.declare": frozenset({"admin", "supervisor", "seller"}),
    "filing.review": frozenset({"admin", "customs"}),
    # stock
    "inventory.read": ALL,
    "inventory.move": frozenset({"admin", "supervisor", "operator"}),
    "inventory.adjust": frozenset({"admin", "supervisor"}),
    "inventory.status": frozenset({"admin", "supervisor", "customs"}),
    "barcodes.resolve": ALL,
    "scans.review": frozenset({"admin", "supervisor"}),
    # labels: the staff who handle goods print them (generic templates, location batches, SSCCs)
    "labels.print": frozenset({"admin", "supervisor", "operator"}),
    # customs account book
    "book.read": frozenset({"admin", "supervisor", "customs", "seller"}),
    "book.post": frozenset({"admin", "customs"}),
    "customs.read": frozenset({"admin", "supervisor", "customs", "seller"}),
    "customs.declare": frozenset({"admin", "customs", "seller"}),
    # administration
    "users.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin", "supervisor", "customs", "seller"}),
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]
