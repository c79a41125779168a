"""Inbound routes: forecasts (ASN), gate-in, the receiving and putaway scenarios, temp-storage
declarations and spot checks, QC, disposals, and the rules behind QC and putaway."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response, g, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload, selectinload

from wms.auth.permissions import allowed
from wms.auth.service import require, seller_scope
from wms.core.crud import Resource, register_api, register_list
from wms.core.fields import Id, RECORD_ID, Text
from wms.core.idempotency import idempotent
from wms.core.listing import Column as C, ListSpec
from wms.db import atomic
from wms.errors import Forbidden, NotFound, ValidationFailed
from wms.extensions import db
from wms.inbound import asn as asns, declarations, disposal, putaway, qc, receiving, schemas as s
from wms.inbound.models import (
    Asn, Disposal, FixedLocation, GatePass, PutawayRule, PutawayTask, QcRule, QcTask, Receipt, TempDeclaration)
from wms.inbound.states import ASN, DISPOSAL
from wms.masterdata.models import Location, Product, Seller, Warehouse, Zone

blp = Blueprint("inbound", __name__, url_prefix="/api/v1",
                description="Inbound: ASN → gate-in → receiving → temp storage & declaration → spot check → QC → putaway")

SCAN_DOC = {"parameters": [{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"},
                            "description": "Client-made scan id; a replay returns the first answer"}]}
ASN_EVENTS = {"submit": "asn.write", "cancel": "asn.write", "reopen": "asn.write", "finish": "inbound.receive",
              "close": "inbound.receive"}


def _scoped(query, column):
    scope = seller_scope()
    return query if scope is None else query.where(column == scope)


# --- forecasts --------------------------------------------------------------------------------------------

asn_listing = ListSpec(
    Asn, search=(Asn.number, Asn.reference, Asn.vehicle_no),
    filters={"status": (Text(), Asn.status), "seller_id": (Id(), Asn.seller_id), "mode": (Text(), Asn.mode)},
    sort=("number", "status", "expected_at", "created_at"), default_sort="-id",
    columns=[C("number", "ASN", "预报单号"), C("seller.code", "Seller", "卖家"), C("reference", "Reference", "客户单号"),
             C("mode", "Mode", "模式"), C("status", "Status", "状态"), C("expected_at", "Expected", "预计到货"),
             C("vehicle_no", "Vehicle", "车牌"), C("cartons", "Cartons", "箱数"),
             C("cartons_arrived", "Cartons arrived", "到货箱数"), C("created_at", "Created", "创建时间")])
register_list(blp, "/asns", endpoint="list_asns", listing=asn_listing, schema=s.AsnRowSchema, name="Asn",
              query=lambda: _scoped(sa.select(Asn).options(joinedload(Asn.seller)), Asn.seller_id),
              permission="inbound.read", summary="Inbound forecasts (ASN)",
              description="States: " + ", ".join(ASN.states) + ". Sellers see their own.")


@blp.route("/asns", methods=["POST"])
@require("asn.write")
@atomic
@blp.arguments(s.AsnSchema)
@blp.response(201, s.AsnSchema)
@blp.doc(summary="Create a forecast (draft) with its lines or parcel list")
def create_asn(data):
    return asns.create(data)


@blp.route("/asns/" + RECORD_ID, methods=["GET"])
@require("inbound.read")
@blp.response(200, s.AsnSchema)
@blp.doc(summary="One forecast with its lines, received/damaged quantities and parcels")
def get_asn(record_id):
    return asns.get(record_id)


@blp.route("/asns/" + RECORD_ID, methods=["PATCH"])
@require("asn.write")
@atomic
@blp.arguments(s.AsnSchema(partial=True))
@blp.response(200, s.AsnSchema)
@blp.doc(summary="Change a draft forecast (lines given replace the lines)")
def update_asn(data, record_id):
    data.pop("seller_id", None)
    return asns.update(asns.get(record_id, lock=True), data)


@blp.route("/asns/" + RECORD_ID + f"/<any({', '.join(ASN_EVENTS)}):event>", methods=["POST"])
@require("inbound.read")
@idempotent
@blp.arguments(s.AsnEventSchema)
@blp.response(200, s.AsnSchema)
@blp.doc(summary="Forecast event: submit, cancel, reopen (seller); finish, close (warehouse)",
         description="finish needs a reason when quantities differ; it drafts the temp-storage declaration. "
                     "409 names the current state and the allowed events.", **SCAN_DOC)
def asn_event(data, record_id, event):
    if not allowed(g.user.role, ASN_EVENTS[event]):
        raise Forbidden(role=g.user.role, permission=ASN_EVENTS[event])
    asn = asns.get(record_id, lock=True)
    if event == "finish":
        return receiving.finish(asn, data["reason"])
    return asns.fire(asn, event, **({"reason": data["reason"]} if data["reason"] else {}))


@blp.route("/asns/" + RECORD_ID + "/discrepancies")
@require("inbound.read")
@blp.response(200, s.DiscrepancySchema(many=True))
@blp.doc(summary="Over, short and damaged quantities of a forecast, with their reasons")
def asn_discrepancies(record_id):
    return asns.discrepancies(asns.get(record_id))


@blp.route("/asns/" + RECORD_ID + "/lines/import", methods=["POST"])
@require("asn.write")
@atomic
@blp.response(200, s.AsnSchema)
@blp.doc(summary="Replace a draft's lines from an .xlsx file (multipart field `file`)",
         description="Columns: SKU or barcode, quantity, cartons, lot, expiry. Every bad row is listed in `rows`; "
                     "nothing changes then.")
def import_asn_lines(record_id):
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed({"file": ["Missing data for required field."]})
    return asns.import_lines(asns.get(record_id, lock=True), upload.read())


@blp.route("/asns/lines-template")
@require("inbound.read")
@blp.doc(summary="An empty .xlsx of forecast lines with bilingual headers")
def asn_lines_template():
    return Response(asns.lines_template(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=asn-lines.xlsx"})


@blp.route("/asns/" + RECORD_ID + "/carton-labels")
@require("inbound.read")
@blp.doc(summary="Carton labels (箱唛) of a submitted forecast: PDF, ZPL or TSPL (`format`), or sent to `printer`")
def asn_carton_labels(record_id):
    from wms.inbound.labels import carton_labels
    return carton_labels(asns.get(record_id), request.args)


# --- gate-in ----------------------------------------------------------------------------------------------

gate_listing = ListSpec(
    GatePass, search=(GatePass.number, GatePass.vehicle_no, GatePass.seal_no), filters={},
    sort=("passed_at", "number"), default_sort="-passed_at",
    columns=[C("number", "Gate pass", "过闸单号"), C("vehicle_no", "Vehicle", "车牌"), C("driver", "Driver", "司机"),
             C("cartons", "Cartons", "箱数"), C("passed_at", "Passed", "过闸时间")])


def _gate_query():
    return sa.select(GatePass).options(selectinload(GatePass.asns))


register_list(blp, "/gate-passes", endpoint="list_gate_passes", listing=gate_listing, schema=s.GatePassSchema,
              name="GatePass", query=_gate_query, permission="gate.read",
              summary="Vehicles that passed the gate into the zone (入区过闸)")


@blp.route("/gate-passes", methods=["POST"])
@require("gate.write")
@idempotent
@blp.arguments(s.GatePassSchema)
@blp.response(201, s.GatePassSchema)
@blp.doc(summary="Gate-in: a vehicle arrives with cartons of submitted forecasts", **SCAN_DOC)
def create_gate_pass(data):
    return asns.gate_in(data)


# --- receiving scenario -----------------------------------------------------------------------------------

def _scenario(path, schema, summary, permission="inbound.receive"):
    def wrap(fn):
        view = require(permission)(idempotent(blp.arguments(schema)(blp.response(200, s.ScenarioSchema)(
            blp.doc(summary=summary, **SCAN_DOC)(fn)))))
        blp.route(path, methods=["POST"], endpoint=fn.__name__)(view)
        return fn
    return wrap


@_scenario("/receiving/open", s.OpenAsnSchema, "Receiving: scan the ASN, a carton label or the reference")
def receiving_open(data):
    return receiving.open_asn(data["scan"])


@_scenario("/receiving/identify", s.IdentifySchema, "Receiving: what a product scan is on this forecast")
def receiving_identify(data):
    return receiving.identify(data.pop("asn_id"), data)


@_scenario("/receiving/receipts", s.ReceiveSchema, "Receiving: take units onto an LPN in temporary storage")
def receiving_receive(data):
    return receiving.receive(data.pop("asn_id"), data)


@_scenario("/receiving/parcels", s.ParcelScanSchema, "Receiving (parcel mode): scan a pre-packed parcel")
def receiving_parcel(data):
    return receiving.receive_parcel(data.pop("asn_id"), data)


@_scenario("/receiving/link-barcode", s.LinkBarcodeSchema, "Receiving: an unknown barcode is this product")
def receiving_link_barcode(data):
    return receiving.link_barcode(data.pop("asn_id"), data)


@_scenario("/receiving/set-aside", s.SetAsideSchema, "Receiving: put unidentified goods aside for a supervisor")
def receiving_set_aside(data):
    return receiving.set_aside(data.pop("asn_id"), data, request, g.user)


receipt_listing = ListSpec(
    Receipt, search=(Receipt.lpn, Product.sku, Asn.number),
    filters={"asn_id": (Id(), Receipt.asn_id), "condition": (Text(), Receipt.condition),
             "lpn": (Text(), Receipt.lpn)},
    sort=("created_at",), default_sort="-id",
    columns=[C("created_at", "When", "时间"), C("product.sku", "SKU", "SKU"), C("qty", "Qty", "数量"),
             C("condition", "Condition", "状态"), C("lpn", "LPN", "LPN"), C("lot", "Lot", "批次"),
             C("location.code", "Location", "库位"), C("reason", "Reason", "原因")])


class ReceiptRow(Schema):
    id = Id()
    asn_id = Id()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    qty = fields.Integer()
    condition = fields.String()
    reason = fields.String()
    first_arrival = fields.Boolean()
    lpn = fields.String()
    lot = fields.String()
    expiry = fields.Date()
    location = fields.String(attribute="location.code")
    declaration_id = Id(allow_none=True)
    created_at = fields.DateTime()


register_list(blp, "/receipts", endpoint="list_receipts", listing=receipt_listing, schema=ReceiptRow,
              name="Receipt", permission="inbound.read", summary="Receipts: what each receiving scan took in",
              query=lambda: _scoped(sa.select(Receipt).join(Product, Product.id == Receipt.product_id)
                                    .join(Asn, Asn.id == Receipt.asn_id)
                                    .options(joinedload(Receipt.product), joinedload(Receipt.location)),
                                    Receipt.seller_id))


@blp.route("/lpns/<path:lpn>/label")
@require("inbound.read")
@blp.doc(summary="The LPN label of what an LPN holds (PDF/ZPL/TSPL by `format`, or sent to `printer`)")
def lpn_label(lpn):
    from wms.inbound.labels import lpn_labels
    return lpn_labels(lpn, request.args)


# --- temp-storage declarations ----------------------------------------------------------------------------

declaration_listing = ListSpec(
    TempDeclaration, search=(TempDeclaration.number, TempDeclaration.bond_invt_no),
    filters={"status": (Text(), TempDeclaration.status), "seller_id": (Id(), TempDeclaration.seller_id),
             "asn_id": (Id(), TempDeclaration.asn_id)},
    sort=("created_at", "number", "status"), default_sort="-id",
    columns=[C("number", "Declaration", "暂存入库单号"), C("seller.code", "Seller", "卖家"),
             C("asn.number", "ASN", "预报单号"), C("status", "Status", "状态"),
             C("bond_invt_no", "Book list no.", "核注清单编号"), C("declared_at", "Declared", "申报时间"),
             C("accepted_at", "Accepted", "通过时间"), C("return_info", "Customs note", "海关回执")])
register_list(blp, "/temp-declarations", endpoint="list_temp_declarations", listing=declaration_listing,
              schema=s.TempDeclarationSchema, name="TempDeclaration", permission="inbound.read",
              summary="Temporary-storage inbound declarations (暂存入库单)",
              query=lambda: _scoped(sa.select(TempDeclaration).options(
                  joinedload(TempDeclaration.seller), joinedload(TempDeclaration.asn),
                  selectinload(TempDeclaration.lines)), TempDeclaration.seller_id))


@blp.route("/temp-declarations/" + RECORD_ID)
@require("inbound.read")
@blp.response(200, s.TempDeclarationSchema)
@blp.doc(summary="One temp-storage declaration with its lines, spot checks and inspection results")
def get_temp_declaration(record_id):
    return declarations.get(record_id)


@blp.route("/temp-declarations/" + RECORD_ID + "/declare", methods=["POST"])
@require("inbound.declare")
@idempotent
@blp.response(200, s.TempDeclarationSchema)
@blp.doc(summary="Declare (or redeclare after a rejection) as an inbound 核注清单 through the customs gateway",
         **SCAN_DOC)
def declare_temp_declaration(record_id):
    return declarations.declare(declarations.get(record_id, lock=True))


@blp.route("/temp-declarations/" + RECORD_ID + "/spot-checks", methods=["POST"])
@require("inbound.declare")
@idempotent
@blp.arguments(s.SpotCheckSchema)
@blp.response(200, s.TempDeclarationSchema)
@blp.doc(summary="Record the lines customs selected for inspection (海关抽查); they are held when approved",
         **SCAN_DOC)
def spot_check(data, record_id):
    return declarations.select_spot_check(declarations.get(record_id, lock=True), data["line_ids"], data["note"])


@_scenario("/inspection/scan", s.PutawayScanSchema, "Customs inspection: scan the LPN of goods on hold",
           "inbound.inspect")
def inspection_scan(data):
    held = declarations.held_line(data["scan"])
    return receiving.answer("inspection", "record_inspection", line=declarations.line_view(held),
                            prompt_params={"sku": held.receipt.product.sku, "lpn": held.receipt.lpn})


@blp.route("/temp-declaration-lines/" + RECORD_ID + "/inspection", methods=["POST"])
@require("inbound.inspect")
@idempotent
@blp.arguments(s.InspectionSchema)
@blp.response(200, s.TempDeclarationLineSchema)
@blp.doc(summary="The inspection result of a held line: passed (released), failed (defective) or seized",
         **SCAN_DOC)
def inspection(data, record_id):
    return declarations.record_inspection(declarations.line(record_id), data["result"], data["note"])


# --- QC ---------------------------------------------------------------------------------------------------

qc_listing = ListSpec(
    QcTask, search=(QcTask.number, QcTask.lpn, Product.sku),
    filters={"status": (Text(), QcTask.status), "seller_id": (Id(), QcTask.seller_id), "lpn": (Text(), QcTask.lpn)},
    sort=("created_at", "number"), default_sort="-id",
    columns=[C("number", "Task", "质检任务"), C("product.sku", "SKU", "SKU"), C("lpn", "LPN", "LPN"),
             C("location.code", "Location", "库位"), C("qty", "Qty", "数量"), C("sample_qty", "Sample", "抽检数"),
             C("reason", "Rule", "规则"), C("status", "Status", "状态"), C("passed_qty", "Passed", "合格"),
             C("failed_qty", "Failed", "不合格"), C("defect_reason", "Defect", "不良原因")])
register_list(blp, "/qc-tasks", endpoint="list_qc_tasks", listing=qc_listing, schema=s.QcTaskSchema, name="QcTask",
              permission="inbound.read", summary="QC inspection tasks",
              query=lambda: _scoped(sa.select(QcTask).join(Product, Product.id == QcTask.product_id)
                                    .options(joinedload(QcTask.product), joinedload(QcTask.location)),
                                    QcTask.seller_id))


@blp.route("/qc-tasks/" + RECORD_ID)
@require("inbound.read")
@blp.response(200, s.QcTaskSchema)
@blp.doc(summary="One QC task")
def get_qc_task(record_id):
    return qc.get(record_id)


@_scenario("/qc/scan", s.PutawayScanSchema, "QC: scan an LPN to open its inspection task", "qc.perform")
def qc_scan(data):
    task = qc.by_scan(data["scan"])
    return receiving.answer("inspect", "inspect_sample", task=s.QcTaskSchema().dump(task),
                            prompt_params={"sample": task.sample_qty, "sku": task.product.sku})


@blp.route("/qc-tasks/" + RECORD_ID + "/complete", methods=["POST"])
@require("qc.perform")
@idempotent
@blp.arguments(s.QcResultSchema)
@blp.response(200, s.QcTaskSchema)
@blp.doc(summary="Record the inspection: defective units found (they go to the defective zone); the rest pass",
         **SCAN_DOC)
def complete_qc_task(data, record_id):
    return qc.complete(qc.get(record_id, lock=True), data["failed_qty"], data["defect_reason"])


# --- putaway ----------------------------------------------------------------------------------------------

putaway_listing = ListSpec(
    PutawayTask, search=(PutawayTask.number, PutawayTask.lpn, Product.sku),
    filters={"status": (Text(), PutawayTask.status), "seller_id": (Id(), PutawayTask.seller_id),
             "lpn": (Text(), PutawayTask.lpn), "product_id": (Id(), PutawayTask.product_id)},
    sort=("created_at", "number", "qty"), default_sort="-id",
    columns=[C("number", "Task", "上架任务"), C("product.sku", "SKU", "SKU"), C("lpn", "LPN", "LPN"),
             C("qty", "Qty", "数量"), C("from_location.code", "From", "来源库位"),
             C("suggested_location.code", "Suggested", "推荐库位"), C("strategy", "Strategy", "策略"),
             C("to_location.code", "Stored at", "上架库位"), C("status", "Status", "状态"),
             C("override_reason", "Reason", "原因")])
register_list(blp, "/putaway-tasks", endpoint="list_putaway_tasks", listing=putaway_listing,
              schema=s.PutawayTaskSchema, name="PutawayTask", permission="inbound.read",
              summary="Putaway tasks (上架) with the suggested and the actual location",
              query=lambda: _scoped(sa.select(PutawayTask).join(Product, Product.id == PutawayTask.product_id)
                                    .options(joinedload(PutawayTask.product), joinedload(PutawayTask.from_location),
                                             joinedload(PutawayTask.suggested_location),
                                             joinedload(PutawayTask.to_location)), PutawayTask.seller_id))


@_scenario("/putaway/scan", s.PutawayScanSchema, "Putaway: scan an LPN or SKU; the answer suggests a location",
           "putaway.perform")
def putaway_scan(data):
    return putaway.scan(data["scan"])


@blp.route("/putaway-tasks/" + RECORD_ID + "/complete", methods=["POST"])
@require("putaway.perform")
@idempotent
@blp.arguments(s.PutawayCompleteSchema)
@blp.response(200, s.ScenarioSchema)
@blp.doc(summary="Putaway: scan the location (another than the suggestion needs a reason)", **SCAN_DOC)
def complete_putaway(data, record_id):
    return putaway.complete(putaway.get(record_id), data["location"], data["reason"])


@blp.route("/putaway/suggestions", methods=["POST"])
@require("putaway.perform")
@blp.arguments(s.SuggestionQuerySchema)
@blp.response(200, s.SuggestionSchema)
@blp.doc(summary="Where the strategy chain would put units of a product now (changes nothing)")
def putaway_suggestion(args):
    product = db.session.get(Product, args["product_id"])
    if product is None:
        raise NotFound("record_not_found", entity="product", id=args["product_id"])
    warehouse_id = args.get("warehouse_id") or db.session.scalar(sa.select(Warehouse.id).order_by(Warehouse.id))
    found = putaway.suggest(product, args["qty"], warehouse_id, args["lot"])
    return {"location": found.location.code if found else None, "location_id": found.location.id if found else None,
            "strategy": found.strategy if found else ""}


class OccupancyArgs(Schema):
    zone_id = Id()
    q = Text(max_length=30)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


@blp.route("/locations/occupancy")
@require("layout.read")
@blp.arguments(OccupancyArgs, location="query")
@blp.response(200, s.OccupancySchema(many=True))
@blp.doc(summary="Locations with capacity, units on hand, units planned by putaway, and free room")
def location_occupancy(args):
    query = sa.select(Location).join(Zone, Zone.id == Location.zone_id).options(joinedload(Location.zone))
    if args.get("zone_id"):
        query = query.where(Location.zone_id == args["zone_id"])
    if args.get("q"):
        query = query.where(Location.code.like(args["q"].upper() + "%"))
    rows = db.session.scalars(query.order_by(Location.pick_sequence)
                              .offset((args["page"] - 1) * args["per_page"]).limit(args["per_page"])).all()
    used = putaway.occupancy([r.id for r in rows])
    return [{"id": r.id, "code": r.code, "zone": r.zone.code, "capacity": r.capacity, "max_weight_kg": r.max_weight_kg,
             **used[r.id], "free": (r.capacity - used[r.id]["onhand"] - used[r.id]["planned"]) if r.capacity else None}
            for r in rows]


# --- disposals --------------------------------------------------------------------------------------------

disposal_listing = ListSpec(
    Disposal, search=(Disposal.number, Disposal.customs_ref, Disposal.reason),
    filters={"status": (Text(), Disposal.status), "kind": (Text(), Disposal.kind),
             "seller_id": (Id(), Disposal.seller_id)},
    sort=("created_at", "number"), default_sort="-id",
    columns=[C("number", "Disposal", "处置单号"), C("seller.code", "Seller", "卖家"), C("kind", "Kind", "类型"),
             C("status", "Status", "状态"), C("reason", "Reason", "原因"), C("customs_ref", "Customs document", "海关单证"),
             C("completed_at", "Completed", "完成时间")])
register_list(blp, "/disposals", endpoint="list_disposals", listing=disposal_listing, schema=s.DisposalOut,
              name="Disposal", permission="inbound.read",
              summary="Disposals of defective goods: destroy (销毁) or return to seller (退仓)",
              query=lambda: _scoped(sa.select(Disposal).options(joinedload(Disposal.seller),
                                                                selectinload(Disposal.lines)), Disposal.seller_id))


@blp.route("/disposals", methods=["POST"])
@require("disposal.write")
@atomic
@blp.arguments(s.DisposalSchema)
@blp.response(201, s.DisposalOut)
@blp.doc(summary="Create a disposal of defective units (draft)")
def create_disposal(data):
    return disposal.create(data)


@blp.route("/disposals/" + RECORD_ID)
@require("inbound.read")
@blp.response(200, s.DisposalOut)
@blp.doc(summary="One disposal")
def get_disposal(record_id):
    return disposal.get(record_id)


@blp.route("/disposals/" + RECORD_ID + "/<any(approve, complete, cancel):event>", methods=["POST"])
@require("disposal.approve")
@idempotent
@blp.arguments(s.DisposalEventSchema)
@blp.response(200, s.DisposalOut)
@blp.doc(summary="Disposal event: approve, complete (goods leave stock and the account book), cancel",
         description="States: " + ", ".join(DISPOSAL.states) + ".", **SCAN_DOC)
def disposal_event(data, record_id, event):
    return disposal.fire(disposal.get(record_id, lock=True), event, customs_ref=data["customs_ref"])


# --- rules ------------------------------------------------------------------------------------------------

qc_rules = Resource(
    "qc-rules", QcRule, s.QcRuleSchema, ("QC rules", "质检规则"), "layout.read", "inbound.rules",
    ListSpec(QcRule, search=(QcRule.note,), filters={"seller_id": (Id(), QcRule.seller_id)},
             sort=("id",), default_sort="id",
             columns=[C("seller_id", "Seller", "卖家"), C("product_id", "Product", "商品"),
                      C("first_arrival_only", "First arrival only", "仅首次到货"),
                      C("sample_percent", "Sample %", "抽检比例%"), C("min_sample", "Min. sample", "最少抽检"),
                      C("note", "Note", "备注"), C("active", "Active", "启用")]),
    references={"warehouse_id": Warehouse, "seller_id": Seller, "product_id": Product})
putaway_rules = Resource(
    "putaway-rules", PutawayRule, s.PutawayRuleSchema, ("Putaway rules", "上架策略"), "layout.read",
    "inbound.rules",
    ListSpec(PutawayRule, filters={"warehouse_id": (Id(), PutawayRule.warehouse_id)},
             sort=("sequence",), default_sort="sequence",
             columns=[C("sequence", "Sequence", "顺序"), C("strategy", "Strategy", "策略"), C("zone_id", "Zone", "库区"),
                      C("seller_id", "Seller", "卖家"), C("max_weight_kg", "Max. unit kg", "单件最大重量"),
                      C("max_side_cm", "Max. side cm", "最长边"), C("allows_battery", "Battery", "带电"),
                      C("allows_liquid", "Liquid", "液体"), C("active", "Active", "启用")]),
    references={"warehouse_id": Warehouse, "zone_id": Zone, "seller_id": Seller})
fixed_locations = Resource(
    "fixed-locations", FixedLocation, s.FixedLocationSchema, ("Fixed locations", "固定库位"), "layout.read",
    "inbound.rules",
    ListSpec(FixedLocation, filters={"product_id": (Id(), FixedLocation.product_id)}, sort=("id",),
             default_sort="id", columns=[C("product.sku", "SKU", "SKU"), C("location.code", "Location", "库位")]),
    unique=(("location_id",),), references={"product_id": Product, "location_id": Location},
    load_options=(joinedload(FixedLocation.product), joinedload(FixedLocation.location)))
for _resource in (qc_rules, putaway_rules, fixed_locations):
    register_api(blp, _resource)
