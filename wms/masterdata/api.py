"""REST routes of master data: /api/v1/<resource>, plus the filing events of sellers and products."""
from __future__ import annotations

from flask_smorest import Blueprint

from wms.auth.service import require
from wms.core.crud import register_api
from wms.core.fields import RECORD_ID
from wms.db import atomic
from wms.errors import Forbidden, ValidationFailed
from wms.auth.permissions import allowed
from wms.masterdata import importer, schemas
from wms.masterdata.service import FILING, RESOURCES, file_event, products, sellers
from flask import Response, g, request
from marshmallow import Schema, fields

blp = Blueprint("masterdata", __name__, url_prefix="/api/v1",
                description="Master data: warehouses, zones, locations, sellers, products and reference lists")

for _resource in RESOURCES:
    register_api(blp, _resource)

# declare/revise are the seller's side of filing; approve/return are customs'.
FILING_PERMISSION = {"declare": "filing.declare", "revise": "filing.declare",
                     "approve": "filing.review", "return": "filing.review"}


def _filing_route(resource, out):
    @blp.route(f"/{resource.name}/{RECORD_ID}/filing/<any({', '.join(FILING_PERMISSION)}):event>",
               methods=["POST"], endpoint=f"{resource.name}_filing")
    @require("products.read")
    @atomic
    @blp.arguments(schemas.FilingEventSchema)
    @blp.response(200, out)
    @blp.doc(summary=f"Filing event on one of {resource.title[0].lower()}",
             description="States: " + ", ".join(FILING.states) + ". 409 names the current state and allowed events.")
    def filing(data, record_id, event):
        if not allowed(g.user.role, FILING_PERMISSION[event]):
            raise Forbidden(role=g.user.role)
        return file_event(resource, resource.get(record_id), event, data["note"])

    return filing


_filing_route(products, schemas.ProductSchema)


class ImportResultSchema(Schema):
    created = fields.List(fields.String())
    updated = fields.List(fields.String())


@blp.route("/products/import", methods=["POST"])
@require("products.write")
@atomic
@blp.response(200, ImportResultSchema)
@blp.doc(summary="Import product filings from an Excel workbook (multipart field `file`)",
         description="All rows or none: a 422 lists every bad row with its field messages (`rows`).",
         requestBody={"content": {"multipart/form-data": {"schema": {
             "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}})
def import_products():
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed({"file": ["Missing data for required field."]})
    return importer.import_products(upload.read(), products)


@blp.route("/products/import-template")
@require("products.read")
@blp.doc(summary="An empty product-filing workbook with Chinese and English headers")
def import_template():
    return Response(importer.template(), headers={"Content-Disposition": 'attachment; filename="product-filings.xlsx"'},
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_filing_route(sellers, schemas.SellerSchema)
