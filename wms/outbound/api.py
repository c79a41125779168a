"""Order routes: intake from platforms and sellers (idempotent on platform + order number), lists,
Excel import, cancellation."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.orm import joinedload

from wms.auth.service import require, seller_scope
from wms.core.crud import Resource, register_api, register_list
from wms.core.fields import Id, RECORD_ID, Text
from wms.core.idempotency import idempotent
from wms.core.listing import Column as C, ListSpec
from wms.db import atomic
from wms.errors import ValidationFailed
from wms.extensions import db
from wms.outbound import orders, schemas as s
from wms.masterdata.models import Channel, Seller, Warehouse
from wms.outbound.models import Bag, ChannelRule, Manifest, Order, PickDiscrepancy, Wave
from wms.outbound.states import ORDER, WAVE

blp = Blueprint("outbound", __name__, url_prefix="/api/v1", description="Outbound: orders from platforms and sellers")

order_listing = ListSpec(
    Order, search=(Order.order_no, Order.buyer_name, Order.logistics_no),
    filters={"status": (Text(), Order.status), "seller_id": (Id(), Order.seller_id),
             "platform": (Text(), Order.platform), "mode": (Text(), Order.mode)},
    sort=("created_at", "order_no", "status"), default_sort="-id",
    columns=[C("platform", "Platform", "平台"), C("order_no", "Order no.", "订单号"), C("seller.code", "Seller", "卖家"),
             C("status", "Status", "状态"), C("buyer_name", "Buyer", "收件人"), C("country.code", "Country", "国家"),
             C("goods_value", "Goods value", "货值"), C("currency.code", "Currency", "币制"),
             C("logistics_no", "Waybill", "运单号"), C("created_at", "Received", "接单时间")])


def _orders():
    query = sa.select(Order).options(joinedload(Order.seller), joinedload(Order.country), joinedload(Order.currency))
    scope = seller_scope()
    return query if scope is None else query.where(Order.seller_id == scope)


register_list(blp, "/orders", endpoint="list_orders", listing=order_listing, schema=s.OrderRowSchema, name="Order",
              query=_orders, permission="orders.read", summary="Orders",
              description="States: " + ", ".join(ORDER.states) + ". Sellers see their own.")


@blp.route("/orders", methods=["POST"])
@require("orders.write")
@atomic
@blp.arguments(s.OrderSchema)
@blp.response(201, s.OrderSchema)
@blp.alt_response(200, schema=s.OrderSchema, description="The same order sent again: the stored order")
@blp.doc(summary="Take an order in (idempotent on platform + order number)",
         description="Buyer address checked per country (postal code, phone → E.164); goods value must equal "
                     "the lines. The same number with other content is 409 order_exists.")
def create_order(data):
    order, created = orders.receive(data)
    return order, 201 if created else 200


@blp.route("/orders/" + RECORD_ID)
@require("orders.read")
@blp.response(200, s.OrderSchema)
@blp.doc(summary="One order with its lines")
def get_order(record_id):
    return orders.get(record_id)


@blp.route("/orders/" + RECORD_ID + "/tracking")
@require("orders.read")
@blp.response(200, s.TrackingSchema)
@blp.doc(summary="The carrier's tracking events (运输轨迹) of a shipped order, oldest first")
def order_tracking(record_id):
    return orders.tracking(orders.get(record_id))


@blp.route("/orders/" + RECORD_ID + "/cancel", methods=["POST"])
@require("orders.write")
@idempotent
@blp.arguments(s.CancelSchema)
@blp.response(200, s.OrderSchema)
@blp.doc(summary="Cancel an order (until it is loaded)")
def cancel_order(data, record_id):
    return orders.cancel(orders.get(record_id, lock=True), data["reason"])


@blp.route("/orders/" + RECORD_ID + "/match", methods=["POST"])
@require("orders.write")
@idempotent
@blp.response(200, s.OrderSchema)
@blp.doc(summary="Declare the order's documents and export list; the three-document match decides",
         description="received or match_failed → matched, or match_failed naming the fields that disagree.")
def match_order(record_id):
    from wms.outbound.declaring import match
    return match(orders.get(record_id, lock=True))


@blp.route("/orders/" + RECORD_ID + "/redeclare-list", methods=["POST"])
@require("orders.write")
@idempotent
@blp.response(200, s.OrderSchema)
@blp.doc(summary="Declare a refused export list (清单退单) again, after the data was put right",
         description="Only while customs_state is rejected; the refused order, payment or waybill go again too.")
def redeclare_list(record_id):
    from wms.outbound.declaring import redeclare
    return redeclare(orders.get(record_id, lock=True))


@blp.route("/orders/" + RECORD_ID + "/allocate", methods=["POST"])
@require("orders.allocate")
@idempotent
@blp.response(200, s.OrderSchema)
@blp.doc(summary="Reserve the order's units (FEFO/FIFO, pick sequence), or backorder it naming what is short")
def allocate_order(record_id):
    from wms.outbound.allocation import allocate
    return allocate(orders.get(record_id, lock=True))


@blp.route("/orders/allocate", methods=["POST"])
@require("orders.allocate")
@atomic
@blp.response(200, s.AllocateResultSchema)
@blp.doc(summary="Allocate every matched and backordered order, oldest first")
def allocate_orders():
    from wms.outbound.allocation import allocate_open
    counts = allocate_open()
    return {"allocated": counts.get("allocated", 0), "backordered": counts.get("backordered", 0)}


wave_listing = ListSpec(
    Wave, search=(Wave.number,), filters={"status": (Text(), Wave.status), "kind": (Text(), Wave.kind)},
    sort=("created_at", "number"), default_sort="-id",
    columns=[C("number", "Wave", "波次号"), C("kind", "Kind", "类型"), C("status", "Status", "状态"),
             C("channel.code", "Channel", "渠道"), C("orders_count", "Orders", "订单数"), C("units", "Units", "件数"),
             C("carts", "Carts", "分拣车"), C("released_at", "Released", "释放时间")])
register_list(blp, "/waves", endpoint="list_waves", listing=wave_listing, schema=s.WaveSchema, name="Wave",
              query=lambda: sa.select(Wave).options(joinedload(Wave.channel)), permission="waves.read",
              summary="Waves (波次)", description="States: " + ", ".join(WAVE.states) + ".")


@blp.route("/waves/plan", methods=["POST"])
@require("waves.plan")
@atomic
@blp.arguments(s.PlanSchema)
@blp.response(201, s.WaveSchema(many=True))
@blp.doc(summary="Plan waves from the allocated orders waiting (by channel, single- and multi-item, limits)")
def plan_waves(data):
    from wms.outbound.waves import Plan, plan_waves as plan
    channel_id = None
    if data.get("channel"):
        channel_id = db.session.scalar(sa.select(Channel.id).where(Channel.code == data["channel"]))
        if channel_id is None:
            raise ValidationFailed({"channel": ["Unknown reference."]})
    warehouse_id = data.get("warehouse_id") or db.session.scalar(sa.select(Warehouse.id).order_by(Warehouse.id))
    return plan(Plan(warehouse_id=warehouse_id, channel_id=channel_id, cutoff=data.get("cutoff"),
                     kinds=tuple(data["kinds"]), max_orders=data["max_orders"], max_units=data["max_units"],
                     cart_slots=data["cart_slots"]))


@blp.route("/waves/" + RECORD_ID)
@require("waves.read")
@blp.response(200, s.WaveDetailSchema)
@blp.doc(summary="One wave with its pick list in walking order")
def get_wave(record_id):
    from wms.outbound import waves
    wave = waves.get(record_id)
    wave.tasks = waves.pick_list(wave)
    return wave


@blp.route("/waves/" + RECORD_ID + "/<any(release, cancel):event>", methods=["POST"])
@require("waves.plan")
@idempotent
@blp.response(200, s.WaveSchema)
@blp.doc(summary="Release a planned wave to the floor, or cancel it (its orders wait again)")
def wave_event(record_id, event):
    from wms.outbound import waves
    wave = waves.get(record_id, lock=True)
    return waves.release(wave) if event == "release" else waves.cancel(wave)


# --- picking (the PDA scenario) ----------------------------------------------------------------------------

def _pick_route(path: str, schema, summary: str):
    def wrap(fn):
        view = blp.response(200, s.PickAnswerSchema)(blp.doc(summary=summary)(fn))
        view = require("picking.perform")(idempotent(blp.arguments(schema)(view) if schema else view))
        blp.route(path, methods=["POST"], endpoint=fn.__name__)(view)
        return fn
    return wrap


@_pick_route("/picking/start", s.PickStartSchema, "Picking: scan a released wave (or take the next one)")
def picking_start(data):
    from wms.outbound import picking
    return picking.start(data["scan"])


@_pick_route("/pick-tasks/" + RECORD_ID + "/location", s.PickScanSchema, "Picking: scan the task's location")
def picking_location(data, record_id):
    from wms.outbound import picking
    return picking.scan_location(record_id, data["scan"])


@_pick_route("/pick-tasks/" + RECORD_ID + "/item", s.PickScanSchema, "Picking: scan the product or its LPN")
def picking_item(data, record_id):
    from wms.outbound import picking
    return picking.scan_item(record_id, data["scan"])


@_pick_route("/pick-tasks/" + RECORD_ID + "/pick", s.PickSchema,
             "Picking: the units picked (multi-item waves: with the cart slot scanned)")
def picking_pick(data, record_id):
    from wms.outbound import picking
    return picking.pick(record_id, data["qty"], data.get("slot"))


@_pick_route("/pick-tasks/" + RECORD_ID + "/short", s.ShortSchema,
             "Picking: fewer units than asked, or the location is empty (a pick discrepancy)")
def picking_short(data, record_id):
    from wms.outbound import picking
    return picking.short(record_id, data["found_qty"], data["reason"])


@_pick_route("/pick-tasks/" + RECORD_ID + "/skip", None, "Picking: skip this task for now")
def picking_skip(record_id):
    from wms.outbound import picking
    return picking.skip(record_id)


discrepancy_listing = ListSpec(
    PickDiscrepancy, search=(PickDiscrepancy.lpn,),
    filters={"status": (Text(), PickDiscrepancy.status), "seller_id": (Id(), PickDiscrepancy.seller_id)},
    sort=("created_at",), default_sort="-id",
    columns=[C("created_at", "When", "时间"), C("location.code", "Location", "库位"), C("product.sku", "SKU", "SKU"),
             C("expected_qty", "Expected", "应拣"), C("found_qty", "Found", "实拣"), C("reason", "Reason", "原因"),
             C("status", "Status", "状态"), C("counted_qty", "Counted", "盘点数")])
register_list(blp, "/pick-discrepancies", endpoint="list_pick_discrepancies", listing=discrepancy_listing,
              schema=s.PickDiscrepancySchema, name="PickDiscrepancy", permission="waves.read",
              query=lambda: sa.select(PickDiscrepancy).options(joinedload(PickDiscrepancy.product),
                                                               joinedload(PickDiscrepancy.location)),
              summary="Pick discrepancies (下架差异) for the supervisors' review")


@blp.route("/pick-discrepancies/" + RECORD_ID + "/resolve", methods=["POST"])
@require("discrepancies.review")
@idempotent
@blp.arguments(s.ResolveSchema)
@blp.response(200, s.PickDiscrepancySchema)
@blp.doc(summary="Resolve a discrepancy: the location's count corrects the stock; the order is re-allocated")
def resolve_discrepancy(data, record_id):
    from wms.auth.service import owned
    from wms.outbound import picking
    found = owned(PickDiscrepancy, record_id, "pick_discrepancy", lock=True)
    return picking.resolve(found, data["counted_qty"], data["note"])


# --- packing station --------------------------------------------------------------------------------------

def _pack_route(path: str, schema, summary: str):
    def wrap(fn):
        view = blp.response(200, s.PackAnswerSchema)(blp.doc(summary=summary)(fn))
        view = require("packing.perform")(idempotent(blp.arguments(schema)(view)))
        blp.route(path, methods=["POST"], endpoint=fn.__name__)(view)
        return fn
    return wrap


@_pack_route("/packing/start", s.PackStartSchema, "Packing: scan a cart slot, an order number or a waybill")
def packing_start(data):
    from wms.outbound import packing
    return packing.start(data["scan"])


@_pack_route("/packing/fast-lane", s.FastLaneSchema,
             "Packing, single-item fast lane: scan the unit; the oldest order of the batch wanting it")
def packing_fast_lane(data):
    from wms.outbound import packing
    return packing.fast_lane(data["wave"], data["scan"])


@_pack_route("/packing/orders/" + RECORD_ID + "/check", s.PackCheckSchema,
             "Packing: re-check (复核) the units scanned so far; a wrong or extra unit blocks")
def packing_check(data, record_id):
    from wms.inbound.receiving import answer
    from wms.outbound import packing
    order = orders.get(record_id)
    checked = packing.check_all(order, data["scans"])
    complete = all(checked.get(l.product_id, 0) == l.qty for l in order.lines)
    return answer("close" if complete else "verify", "choose_material" if complete else "verify_items",
                  order=packing.view(order, checked), scans=data["scans"], prompt_params={"order_no": order.order_no})


@_pack_route("/packing/orders/" + RECORD_ID + "/close", s.PackCloseSchema,
             "Packing: material and weight (± tolerance); the parcel is made and its label's address given")
def packing_close(data, record_id):
    from wms.inbound.receiving import answer
    from wms.outbound import packing
    order = orders.get(record_id, lock=True)
    parcel = packing.close(order, packing.check_all(order, data["scans"]), data["material"], data["weight_kg"])
    return answer("start", "packed", parcel={"id": parcel.id, "logistics_no": parcel.logistics_no,
                                             "weight_kg": str(parcel.weight_kg),
                                             "expected_weight_kg": str(parcel.expected_weight_kg)},
                  label_url=f"/api/v1/orders/{order.id}/shipping-label", order=packing.view(order, {}),
                  prompt_params={"order_no": order.order_no})


@blp.route("/orders/" + RECORD_ID + "/shipping-label")
@require("orders.read")
@blp.doc(summary="The 100×150 mm shipping label of a packed order (PDF, ZPL or TSPL by `format`, or to `printer`)")
def shipping_label(record_id):
    from wms.outbound import packing
    from wms.printing.api import label_response
    return label_response("shipping", packing.shipping_label_items(orders.get(record_id)), request.args)


@blp.route("/packaging-stock", methods=["POST"])
@require("packing.materials")
@atomic
@blp.arguments(s.MaterialReceiptSchema)
@blp.response(201, s.MaterialStockSchema)
@blp.doc(summary="Packing materials delivered: the stock of the material goes up (with its movement)")
def receive_material(data):
    from wms.masterdata.models import PackagingMaterial
    from wms.outbound import packing
    material = db.session.scalars(sa.select(PackagingMaterial).where(PackagingMaterial.code == data["material"])).first()
    if material is None:
        raise ValidationFailed({"material": ["Unknown reference."]})
    warehouse_id = data.get("warehouse_id") or db.session.scalar(sa.select(Warehouse.id).order_by(Warehouse.id))
    return {"material": material.code,
            "qty": packing.receive_material(warehouse_id, material, data["qty"], data["reference"])}


# --- bagging ----------------------------------------------------------------------------------------------

bag_listing = ListSpec(
    Bag, search=(Bag.sscc,), filters={"status": (Text(), Bag.status)}, sort=("created_at",), default_sort="-id",
    columns=[C("sscc", "SSCC", "SSCC"), C("status", "Status", "状态"), C("channel.code", "Channel", "渠道"),
             C("country.code", "Destination", "目的国"), C("parcels_count", "Parcels", "包裹数"),
             C("weight_kg", "Weight kg", "重量"), C("sealed_at", "Sealed", "封袋时间")])
register_list(blp, "/bags", endpoint="list_bags", listing=bag_listing, schema=s.BagSchema, name="Bag",
              query=lambda: sa.select(Bag).options(joinedload(Bag.channel), joinedload(Bag.country)),
              permission="waves.read", summary="Bags (汇总入袋) with their channel, destination and parcels")


@blp.route("/bags", methods=["POST"])
@require("bagging.perform")
@idempotent
@blp.arguments(s.BagOpenSchema)
@blp.response(200, s.BagSchema)
@blp.doc(summary="Bagging: scan a bag's SSCC label (or get a new bag with a new SSCC)")
def open_bag(data):
    from wms.outbound import bagging
    return bagging.open_bag(data["scan"])


@blp.route("/bags/" + RECORD_ID)
@require("waves.read")
@blp.response(200, s.BagDetailSchema)
@blp.doc(summary="One bag with its parcels")
def get_bag(record_id):
    from wms.outbound import bagging
    return bagging.get(record_id)


@blp.route("/bags/" + RECORD_ID + "/parcels", methods=["POST"])
@require("bagging.perform")
@idempotent
@blp.arguments(s.BagParcelSchema)
@blp.response(200, s.BagSchema)
@blp.doc(summary="Bagging: scan a packed parcel of the bag's channel and destination into the bag")
def bag_parcel(data, record_id):
    from wms.outbound import bagging
    bag = bagging.get(record_id, lock=True)
    bagging.add_parcel(bag, data["scan"])
    return bag


@blp.route("/bags/" + RECORD_ID + "/unbag", methods=["POST"])
@require("bagging.perform")
@idempotent
@blp.arguments(s.UnbagSchema)
@blp.response(200, s.BagSchema)
@blp.doc(summary="Take a parcel out of an open bag, with the reason")
def unbag_parcel(data, record_id):
    from wms.outbound import bagging
    bag = bagging.get(record_id, lock=True)
    bagging.remove_parcel(bag, data["scan"], data["reason"])
    return bag


@blp.route("/bags/" + RECORD_ID + "/seal", methods=["POST"])
@require("bagging.perform")
@idempotent
@blp.arguments(s.SealSchema)
@blp.response(200, s.BagSchema)
@blp.doc(summary="Seal the bag with the parcels counted and its weight")
def seal_bag(data, record_id):
    from wms.outbound import bagging
    return bagging.seal(bagging.get(record_id, lock=True), data["count"], data["weight_kg"])


@blp.route("/bags/" + RECORD_ID + "/label")
@require("waves.read")
@blp.doc(summary="The bag's SSCC logistics label (PDF, ZPL or TSPL by `format`, or to `printer`)")
def bag_label(record_id):
    from wms.outbound import bagging
    from wms.printing.api import label_response
    return label_response("sscc", bagging.label_items(bagging.get(record_id)), request.args)


# --- loading and gate-out ------------------------------------------------------------------------------

manifest_listing = ListSpec(
    Manifest, search=(Manifest.number, Manifest.vehicle_no), filters={"status": (Text(), Manifest.status)},
    sort=("created_at",), default_sort="-id",
    columns=[C("number", "Manifest", "装车单"), C("carrier.code", "Carrier", "承运商"), C("vehicle_no", "Vehicle", "车牌"),
             C("status", "Status", "状态"), C("bags_count", "Bags", "袋数"), C("parcels_count", "Parcels", "包裹数"),
             C("gross_weight_kg", "Weight kg", "重量"), C("departed_at", "Departed", "出区时间")])
register_list(blp, "/manifests", endpoint="list_manifests", listing=manifest_listing, schema=s.ManifestSchema,
              name="Manifest", query=lambda: sa.select(Manifest).options(joinedload(Manifest.carrier)),
              permission="waves.read", summary="Vehicle manifests (车辆装货) and their gate-out")


@blp.route("/manifests", methods=["POST"])
@require("loading.perform")
@idempotent
@blp.arguments(s.ManifestOpenSchema)
@blp.response(201, s.ManifestSchema)
@blp.doc(summary="Open a manifest for a carrier's vehicle")
def open_manifest(data):
    from wms.outbound import loading
    return loading.open_manifest(data["carrier"], data["vehicle_no"], data["driver"])


@blp.route("/manifests/" + RECORD_ID)
@require("waves.read")
@blp.response(200, s.ManifestDetailSchema)
@blp.doc(summary="One manifest with its bags")
def get_manifest(record_id):
    from wms.outbound import loading
    return loading.get(record_id)


@blp.route("/manifests/" + RECORD_ID + "/bags", methods=["POST"])
@require("loading.perform")
@idempotent
@blp.arguments(s.ManifestLoadSchema)
@blp.response(200, s.ManifestSchema)
@blp.doc(summary="Load a sealed bag of the vehicle's carrier (unsealed, other carrier or unreleased: 409)")
def load_bag(data, record_id):
    from wms.outbound import loading
    manifest = loading.get(record_id, lock=True)
    loading.load(manifest, data["scan"])
    return manifest


@blp.route("/manifests/" + RECORD_ID + "/close", methods=["POST"])
@require("loading.perform")
@idempotent
@blp.arguments(s.ManifestCloseSchema)
@blp.response(200, s.ManifestSchema)
@blp.doc(summary="Close the manifest: the arrival (CEB507) and, with a master bill, CEB607 are declared")
def close_manifest(data, record_id):
    from wms.outbound import loading
    return loading.close(loading.get(record_id, lock=True), data["bill_no"], data["traf_name"], data["voyage_no"])


@blp.route("/manifests/" + RECORD_ID + "/document")
@require("waves.read")
@blp.doc(summary="The manifest as a PDF: vehicle, carrier, bags with their parcel counts and weights, totals")
def manifest_document(record_id):
    from wms.outbound import loading
    manifest = loading.get(record_id)
    return Response(loading.manifest_pdf(manifest), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{manifest.number}.pdf"'})


@blp.route("/manifests/" + RECORD_ID + "/gate-out", methods=["POST"])
@require("gate.write")
@idempotent
@blp.response(200, s.ManifestSchema)
@blp.doc(summary="Gate-out: stock and account book out, departure (CEB509) declared, orders shipped (汇总待报)")
def gate_out(record_id):
    from wms.outbound import loading
    return loading.gate_out(loading.get(record_id, lock=True))


class OrderImportResult(Schema):
    created = fields.List(fields.String())
    unchanged = fields.List(fields.String())


@blp.route("/orders/import", methods=["POST"])
@require("orders.write")
@atomic
@blp.response(200, OrderImportResult)
@blp.doc(summary="Create orders from an .xlsx (multipart field `file`; one row per line, order columns repeated)",
         description="All or nothing: every bad order is listed in `rows` with its first row number.")
def import_orders():
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed({"file": ["Missing data for required field."]})
    return orders.import_orders(upload.read(), seller_scope())


channel_rules = Resource(
    "channel-rules", ChannelRule, s.ChannelRuleSchema, ("Channel rules", "物流渠道规则"), "layout.read",
    "outbound.rules",
    ListSpec(ChannelRule, search=(ChannelRule.name, ChannelRule.countries),
             filters={"warehouse_id": (Id(), ChannelRule.warehouse_id)}, sort=("sequence",), default_sort="sequence",
             columns=[C("sequence", "Sequence", "顺序"), C("name", "Name", "名称"), C("channel.code", "Channel", "渠道"),
                      C("countries", "Countries", "国家"), C("max_weight_kg", "Max. kg", "最大重量"),
                      C("battery", "Battery", "带电"), C("liquid", "Liquid", "液体"), C("active", "Active", "启用")]),
    references={"warehouse_id": Warehouse, "channel_id": Channel, "seller_id": Seller},
    load_options=(joinedload(ChannelRule.channel),))
register_api(blp, channel_rules)


@blp.route("/orders/import-template")
@require("orders.read")
@blp.doc(summary="An empty order workbook with bilingual headers")
def order_template():
    return Response(orders.template(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=orders.xlsx"})


# --- packing lists (装箱单) per seller ------------------------------------------------------------------------

PDF_RESPONSES = {"responses": {"200": {"description": "The packing list as a PDF",
                                       "content": {"application/pdf": {"schema": {"type": "string",
                                                                                  "format": "binary"}}}}}}


def _pdf(content: bytes, filename: str) -> Response:
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@blp.route("/sellers/" + RECORD_ID + "/packing-list-template")
@require("sellers.read")
@blp.response(200, s.PackingListTemplateOutSchema)
@blp.doc(summary="A seller's packing list settings (装箱单模板); `custom` false: the built-in default applies",
         description="Sellers read their own; another seller's is 404.")
def get_packing_list_template(record_id):
    from wms.outbound import packing_list
    return packing_list.view(packing_list.seller(record_id))


@blp.route("/sellers/" + RECORD_ID + "/packing-list-template", methods=["PUT"])
@require("orders.write")
@atomic
@blp.arguments(s.PackingListTemplateSchema)
@blp.response(200, s.PackingListTemplateOutSchema)
@blp.doc(summary="Set a seller's packing list: language, title, columns in order, paper, prices, buyer "
                 "block, footer note, printed at packing",
         description="Sellers set their own, warehouse admins and supervisors any seller's. Invalid fields "
                     "answer 422 naming them and change nothing. The logo is kept. Audited.")
def put_packing_list_template(data, record_id):
    from wms.outbound import packing_list
    return packing_list.save(packing_list.seller(record_id, lock=True), data)


@blp.route("/sellers/" + RECORD_ID + "/packing-list-template", methods=["DELETE"])
@require("orders.write")
@atomic
@blp.response(200, s.PackingListTemplateOutSchema)
@blp.doc(summary="Drop a seller's packing list template (logo included): the built-in default applies again")
def delete_packing_list_template(record_id):
    from wms.outbound import packing_list
    return packing_list.reset(packing_list.seller(record_id, lock=True))


@blp.route("/sellers/" + RECORD_ID + "/packing-list-template/logo", methods=["PUT"])
@require("orders.write")
@atomic
@blp.arguments(s.PackingListLogoUploadSchema, location="files")
@blp.response(200, s.PackingListTemplateOutSchema)
@blp.doc(summary="Upload the packing list's logo (multipart field `file`: PNG or JPEG, at most 512 KB)",
         description="The image must open and draw; otherwise 422 on `file` and nothing changes. Audited.")
def put_packing_list_logo(files, record_id):
    from wms.outbound import packing_list
    return packing_list.set_logo(packing_list.seller(record_id, lock=True), files["file"].read())


@blp.route("/sellers/" + RECORD_ID + "/packing-list-template/logo", methods=["DELETE"])
@require("orders.write")
@atomic
@blp.response(200, s.PackingListTemplateOutSchema)
@blp.doc(summary="Remove the packing list's logo")
def delete_packing_list_logo(record_id):
    from wms.outbound import packing_list
    return packing_list.remove_logo(packing_list.seller(record_id, lock=True))


@blp.route("/sellers/" + RECORD_ID + "/packing-list-template/preview")
@require("sellers.read")
@blp.doc(summary="A sample packing list in the seller's template (its own products, a made-up buyer), as PDF",
         **PDF_RESPONSES)
def preview_packing_list(record_id):
    from wms.outbound import packing_list
    return _pdf(packing_list.preview(packing_list.seller(record_id)), "packing-list-preview.pdf")


@blp.route("/orders/" + RECORD_ID + "/packing-list")
@require("orders.read")
@blp.doc(summary="The order's packing list (装箱单) in its seller's template, as PDF",
         description="From `picked` on (picked, packed, bagged, loaded, shipped); earlier or cancelled: 409 "
                     "packing_list_not_ready. Sellers get their own orders'.", **PDF_RESPONSES)
def order_packing_list(record_id):
    from wms.outbound import packing_list
    order = orders.get(record_id)
    return _pdf(packing_list.order_pdf(order), packing_list.filename(order.order_no))
