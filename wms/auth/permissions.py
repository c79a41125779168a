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
    # inbound: sellers forecast their own goods; staff run the gate, receiving, QC and putaway
    "inbound.read": ALL,
    "asn.write": frozenset({"admin", "supervisor", "seller"}),
    "gate.read": STAFF,
    "gate.write": frozenset({"admin", "supervisor", "operator", "customs"}),
    "inbound.receive": frozenset({"admin", "supervisor", "operator"}),
    "inbound.declare": frozenset({"admin", "supervisor", "customs"}),
    "inbound.inspect": frozenset({"admin", "supervisor", "operator", "customs"}),
    "qc.perform": frozenset({"admin", "supervisor", "operator"}),
    "putaway.perform": frozenset({"admin", "supervisor", "operator"}),
    "inbound.rules": frozenset({"admin", "supervisor"}),
    "disposal.write": frozenset({"admin", "supervisor"}),
    "disposal.approve": frozenset({"admin", "supervisor", "customs"}),
    # outbound: platforms and sellers send orders; sellers see their own
    "orders.read": ALL,
    "orders.write": frozenset({"admin", "supervisor", "seller"}),
    "outbound.rules": frozenset({"admin", "supervisor"}),
    "orders.allocate": frozenset({"admin", "supervisor"}),
    "waves.read": STAFF,
    "waves.plan": frozenset({"admin", "supervisor"}),
    "picking.perform": frozenset({"admin", "supervisor", "operator"}),
    "packing.perform": frozenset({"admin", "supervisor", "operator"}),
    "packing.materials": frozenset({"admin", "supervisor"}),
    "bagging.perform": frozenset({"admin", "supervisor", "operator"}),
    "loading.perform": frozenset({"admin", "supervisor", "operator"}),
    "discrepancies.review": frozenset({"admin", "supervisor"}),
    # administration
    "users.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin", "supervisor", "customs", "seller"}),
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]
