"""Temporary-storage inbound declarations (暂存入库单) and what customs decides about the goods.

Finishing a forecast groups its receipts into a draft declaration (one line per receipt/LPN). Declaring
sends it as an inbound 核注清单 (INV101) through the customs gateway. Customs picks goods for a spot check
(海关抽查) either as a notice the customs liaison records on chosen lines, or by taking the whole list for
manual review (INV201 转人工), which holds every line. The receipt that approves the list moves the goods:
picked lines go to ``customs_hold``, the others are ``released``; the account book is posted on that
verification event with the gate pass time (customs.md §7). A held line waits for its inspection result
(PDA or desk): passed → released; failed → defective (moved to the defective zone); seized. Released goods
then meet the QC rules: inspected first, or available for putaway.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from wms.auth.service import owned
from wms.core.audit import current_actor, record
from wms.customs import book, inv
from wms.customs.ceb import new_guid
from wms.customs.models import BookItem, CustomsRecord
from wms.db import utcnow
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inbound import asn as asns
from wms.inbound.models import Asn, Receipt, TempDeclaration, TempDeclarationLine
from wms.inbound.states import DECLARATION
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Product, Seller, Warehouse, Zone

ROOM = asns.ROOM


def get(declaration_id: int, *, lock: bool = False) -> TempDeclaration:
    return owned(TempDeclaration, declaration_id, "temp_declaration", lock=lock)


def create_for_asn(asn: Asn) -> TempDeclaration | None:
    """A draft declaration of every receipt of ``asn`` not declared yet (None when there is nothing)."""
    receipts = db.session.scalars(sa.select(Receipt).where(Receipt.asn_id == asn.id,
                                                           Receipt.declaration_id.is_(None))
                                  .order_by(Receipt.id)).all()
    if not receipts:
        return None
    declaration = TempDeclaration(number=asns.number("TD", "temp_declaration"), seller_id=asn.seller_id,
                                  warehouse_id=asn.warehouse_id, asn_id=asn.id)
    db.session.add(declaration)
    db.session.flush()
    for seq, receipt in enumerate(receipts, start=1):
        receipt.declaration_id = declaration.id
        db.session.add(TempDeclarationLine(declaration_id=declaration.id, seq_no=seq, receipt_id=receipt.id,
                                           product_id=receipt.product_id, qty=receipt.qty))
    db.session.flush()
    record("temp_declaration.create", declaration, before=None,
           after={"number": declaration.number, "asn": asn.number, "lines": len(receipts)})
    return declaration


def declare(declaration: TempDeclaration) -> TempDeclaration:
    """Send the declaration (again, after a rejection) as an inbound 核注清单 through the gateway."""
    from wms.customs import service as customs
    event = "declare" if declaration.status == "draft" else "redeclare"
    DECLARATION.next_state(declaration.status, event)          # 409 before anything is built
    declaration.guid = new_guid()
    customs.declare_inv(build(declaration), seller_id=declaration.seller_id)
    DECLARATION.fire(declaration, event, guid=declaration.guid)
    declaration.declared_at = utcnow()
    declaration.return_info = ""
    return declaration


def build(declaration: TempDeclaration) -> inv.InvDeclaration:
    """The 核注清单 of a declaration: one list line per declaration line, keyed by its book item."""
    seller: Seller = declaration.seller
    warehouse = db.session.get(Warehouse, declaration.warehouse_id)
    config = current_app.config
    items = _book_items({l.product_id for l in declaration.lines})
    missing = sorted({l.product.sku for l in declaration.lines if l.product_id not in items})
    if not seller.account_book_no or missing:
        raise Conflict("no_book_item", seller=seller.code, skus=", ".join(missing) or "-",
                       book_no=seller.account_book_no or "-")
    owner = inv.InvParty(scc=seller.uscc, code=seller.customs_code, name=seller.name_zh)
    declarer = inv.InvParty(scc=config.get("CUSTOMS_COP_SCC") or seller.uscc,
                            code=config.get("CUSTOMS_COP_CODE") or seller.customs_code,
                            name=config.get("CUSTOMS_COP_NAME") or seller.name_zh)
    lines = []
    for line in declaration.lines:
        product, item = line.product, items[line.product_id]
        price = Decimal(product.declared_price or 0)
        lines.append(inv.InvLine(
            seq_no=line.seq_no, book_seq_no=item.seq_no, item_no=item.item_no, hs_code=product.hs_code,
            name=product.name_zh[:250], spec=(product.declaration_elements or product.name_zh)[:250],
            unit=product.unit, qty=Decimal(line.qty), legal_unit=item.legal_unit,
            legal_qty=(Decimal(line.qty) * (product.legal_factor1 or Decimal(1))).quantize(Decimal("0.00001")),
            price=price, currency=product.currency.customs_code, origin=product.origin_country.customs_code,
            destination=product.origin_country.customs_code))
    return inv.InvDeclaration(guid=declaration.guid, cop_no=declaration.number, book_no=seller.account_book_no,
                              customs_code=warehouse.customs_area_code or "5349", owner=owner, consignee=owner,
                              declarer=declarer, lines=lines)


def _book_items(product_ids: set[int]) -> dict[int, BookItem]:
    return {i.product_id: i for i in db.session.scalars(sa.select(BookItem).where(BookItem.product_id.in_(product_ids)))}


def select_spot_check(declaration: TempDeclaration, line_ids: list[int], note: str = "") -> TempDeclaration:
    """Customs picked lines for inspection (海关抽查), before the declaration is approved."""
    if declaration.status not in ("draft", "declared"):
        raise Conflict("spot_check_too_late", number=declaration.number, current_state=declaration.status,
                       allowed_events=DECLARATION.allowed_events(declaration.status))
    lines = {l.id: l for l in declaration.lines}
    unknown = [i for i in line_ids if i not in lines]
    if unknown or not line_ids:
        raise ValidationFailed({"line_ids": [f"Not lines of {declaration.number}: {unknown}" if unknown
                                             else "Missing data for required field."]})
    for line_id in line_ids:
        lines[line_id].spot_check = True
        lines[line_id].inspection_note = note[:300]
    record("temp_declaration.spot_check", declaration, before=None,
           after={"lines": [lines[i].seq_no for i in line_ids], "note": note})
    return declaration


# --- customs answers --------------------------------------------------------------------------------------

def on_customs(record_: CustomsRecord, event: str) -> None:
    """Listener on temp_inbound customs records: approval accepts the declaration, refusal rejects it."""
    declaration = db.session.scalars(sa.select(TempDeclaration).where(
        TempDeclaration.number == record_.cop_no, TempDeclaration.guid == record_.guid)
        .with_for_update()).first()
    if declaration is None or declaration.status != "declared":
        return
    if record_.invt_no:
        declaration.bond_invt_no = record_.invt_no
    if record_.status == "review":
        _held_by_customs(declaration, record_.return_info)
    elif record_.status in ("released", "closed"):
        accept(declaration)
    elif record_.status in ("rejected", "error", "send_failed"):
        DECLARATION.fire(declaration, "reject", info=record_.return_info[:200])
        declaration.return_info = record_.return_info
        publish(db.session, ROOM, "declaration.rejected", {"number": declaration.number,
                                                           "info": record_.return_info})


def _held_by_customs(declaration: TempDeclaration, info: str) -> None:
    """Customs took the list for manual review (INV201 转人工) and inspection: unless the liaison has already
    recorded which lines were picked, every line waits for its inspection once the list is approved."""
    if any(l.spot_check for l in declaration.lines):
        return
    select_spot_check(declaration, [l.id for l in declaration.lines], info or "海关转人工审核")


def accept(declaration: TempDeclaration) -> TempDeclaration:
    """Customs approved the list: post the book and move each line's goods (released or held)."""
    DECLARATION.fire(declaration, "accept", bond_invt_no=declaration.bond_invt_no)
    declaration.accepted_at = utcnow()
    asn = declaration.asn
    gate_time = asn.gate_pass.passed_at if asn is not None and asn.gate_pass is not None else None
    items = _book_items({l.product_id for l in declaration.lines})
    per_product: dict[int, int] = defaultdict(int)
    held = []
    for line in declaration.lines:
        receipt = line.receipt
        event = "spot_check" if line.spot_check else "declaration_accepted"
        moved = _change(receipt.product, receipt.lpn, receipt.lot, line.qty, "temp_stored", event,
                        doc_ref=declaration.number)
        per_product[line.product_id] += line.qty
        if line.spot_check:
            held.append({"seq_no": line.seq_no, "sku": receipt.product.sku, "lpn": receipt.lpn, "qty": line.qty})
        else:
            after_release(receipt, moved, declaration.number)
    for product_id, qty in per_product.items():
        if product_id in items:
            book.post(items[product_id], qty, doc_type="inv", doc_no=declaration.bond_invt_no or declaration.number,
                      gate_pass_at=gate_time, note=f"暂存入库单 {declaration.number}")
    publish(db.session, ROOM, "declaration.accepted", {"number": declaration.number, "held": held})
    if held:
        publish(db.session, ROOM, "goods.held", {"number": declaration.number, "lines": held})
    return declaration


def _change(product: Product, lpn: str, lot: str, qty: int, status: str, event: str, *, doc_ref: str,
            reason: str = "") -> list[tuple[Location, int]]:
    """Fire a goods event on ``qty`` units of an LPN wherever they are now; the (location, units) moved."""
    balances = db.session.scalars(sa.select(StockBalance).where(
        StockBalance.product_id == product.id, StockBalance.lpn == lpn, StockBalance.lot == lot,
        StockBalance.status == status, StockBalance.qty > 0).order_by(StockBalance.id)).all()
    moved, left = [], qty
    for balance in balances:
        take = min(left, balance.qty - balance.reserved_qty)
        if take <= 0:
            continue
        inventory.change_status(product, balance.location, take, event, status=status, lpn=lpn, lot=lot,
                                doc_type="temp_declaration", doc_ref=doc_ref, reason=reason or event)
        moved.append((balance.location, take))
        left -= take
        if not left:
            break
    if left:
        raise Conflict("insufficient_stock", available=qty - left, requested=qty, lpn=lpn, sku=product.sku)
    return moved


def after_release(receipt: Receipt, places: list[tuple[Location, int]], doc_ref: str) -> None:
    """Released goods: damaged ones to the defective zone, the rest to QC or straight to putaway."""
    from wms.inbound import putaway, qc
    product = receipt.product
    for location, qty in places:
        if receipt.condition == "damaged":
            inventory.change_status(product, location, qty, "mark_defective", status="released", lpn=receipt.lpn,
                                    lot=receipt.lot, doc_type="temp_declaration", doc_ref=doc_ref,
                                    reason=receipt.reason or "damaged")
            to_defective(product, location, qty, receipt.lpn, receipt.lot, doc_ref=doc_ref, reason=receipt.reason)
            continue
        rule = qc.rule_for(product, receipt)
        if rule is not None:
            inventory.change_status(product, location, qty, "require_qc", status="released", lpn=receipt.lpn,
                                    lot=receipt.lot, doc_type="temp_declaration", doc_ref=doc_ref)
            qc.create_task(product, location, qty, receipt, rule)
        else:
            inventory.change_status(product, location, qty, "make_available", status="released", lpn=receipt.lpn,
                                    lot=receipt.lot, doc_type="temp_declaration", doc_ref=doc_ref)
            putaway.create_task(product, location, qty, receipt.lpn, receipt.lot)


def to_defective(product: Product, location: Location, qty: int, lpn: str, lot: str, *, doc_ref: str,
                 reason: str = "") -> Location:
    """Move defective units into the warehouse's defective zone (the emptiest location there)."""
    target = db.session.scalars(
        sa.select(Location).join(Zone, Zone.id == Location.zone_id)
        .where(Zone.kind == "defective", Location.warehouse_id == location.warehouse_id, Location.active.is_(True))
        .order_by(Location.pick_sequence).limit(1)).first()
    if target is None or target.id == location.id:
        return location
    inventory.move(product, location, target, qty, status="defective", lpn=lpn, lot=lot,
                   doc_type="defective", doc_ref=doc_ref, reason=reason or "defective")
    return target


def record_inspection(line: TempDeclarationLine, result: str, note: str = "") -> TempDeclarationLine:
    """The result of customs' inspection of a held line: passed, failed (defective) or seized."""
    declaration = line.declaration
    if not line.spot_check or declaration.status != "accepted":
        raise Conflict("not_on_hold", number=declaration.number, seq_no=line.seq_no,
                       current_state=declaration.status)
    if line.inspection_result:
        raise Conflict("already_inspected", number=declaration.number, seq_no=line.seq_no,
                       result=line.inspection_result)
    receipt = line.receipt
    event = {"passed": "inspection_passed", "failed": "inspection_failed", "seized": "seize"}[result]
    places = _change(receipt.product, receipt.lpn, receipt.lot, line.qty, "customs_hold", event,
                     doc_ref=declaration.number, reason=note)
    line.inspection_result, line.inspection_note = result, (note or line.inspection_note)[:300]
    line.inspected_at, line.inspected_by_id = utcnow(), getattr(current_actor.get(), "id", None)
    record("temp_declaration.inspection", declaration, before=None,
           after={"seq_no": line.seq_no, "result": result, "note": note})
    if result == "passed":
        after_release(receipt, places, declaration.number)
    elif result == "failed":
        for location, qty in places:
            to_defective(receipt.product, location, qty, receipt.lpn, receipt.lot, doc_ref=declaration.number,
                         reason=note)
    publish(db.session, ROOM, "goods.inspected", {"number": declaration.number, "seq_no": line.seq_no,
                                                  "result": result, "sku": receipt.product.sku})
    return line


def held_line(code: str) -> TempDeclarationLine:
    """The line on customs hold, waiting for its inspection result, whose LPN was scanned."""
    from wms.masterdata.rules import normalize_code
    found = db.session.scalars(
        sa.select(TempDeclarationLine).join(Receipt, Receipt.id == TempDeclarationLine.receipt_id)
        .join(TempDeclaration, TempDeclaration.id == TempDeclarationLine.declaration_id)
        .where(Receipt.lpn == normalize_code(code), TempDeclarationLine.spot_check.is_(True),
               TempDeclarationLine.inspection_result == "", TempDeclaration.status == "accepted")).first()
    if found is None:
        raise NotFound("no_held_goods", scanned=code)
    return found


def line_view(line_: TempDeclarationLine) -> dict:
    receipt = line_.receipt
    return {"id": line_.id, "number": line_.declaration.number, "seq_no": line_.seq_no, "lpn": receipt.lpn,
            "sku": receipt.product.sku, "name_zh": receipt.product.name_zh, "name_en": receipt.product.name_en,
            "qty": line_.qty, "note": line_.inspection_note, "result": line_.inspection_result,
            "location": receipt.location.code}


def line(line_id: int) -> TempDeclarationLine:
    return owned(TempDeclarationLine, line_id, "temp_declaration_line", lock=True,
                 seller_of=lambda found: found.declaration.seller_id)


def _listen() -> None:
    from wms.customs import service as customs
    customs.on_status("temp_inbound", on_customs)


_listen()
