"""Printing routes: printer profiles (records) and labels.

Labels answer with the document itself (``application/pdf``, or ``text/plain`` ZPL in UTF-8 / TSPL in
GB18030), one page or format per label; sent to a networked printer they answer 202 with the job.
Only warehouse staff that handle goods print (``labels.print``).
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Response
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from wms.auth.service import require
from wms.core.crud import register_api
from wms.core.fields import Text
from wms.db import atomic
from wms.errors import ValidationFailed
from wms.masterdata.service import locations
from wms.printing import labels
from wms.printing.models import PRINTER_LANGUAGES
from wms.printing.resources import printers
from wms.printing.schemas import (PrintJobSchema, RenderLabelsSchema, SsccLabelsSchema, SsccListSchema,
                                  SsccQuerySchema)
from wms.printing.templates import TEMPLATES

blp = Blueprint("printing", __name__, url_prefix="/api/v1", description="Printer profiles and labels")
register_api(blp, printers)

DOCUMENT = {"type": "string", "format": "binary"}
DOCUMENT_RESPONSES = {"responses": {"200": {
    "description": "The labels as one document: a PDF page, or a ZPL/TSPL format, per label",
    "headers": {"X-Label-Count": {"schema": {"type": "integer"}, "description": "Labels in the document"}},
    "content": {"application/pdf": {"schema": DOCUMENT}, "text/plain": {"schema": DOCUMENT}}}}}
PRINT_RESPONSES = {"responses": DOCUMENT_RESPONSES["responses"] | {"502": {
    "description": "The printer cannot be reached (problem printer_unreachable naming its address); "
                   "nothing was printed"}}}


class _LocationLabelOutput(Schema):
    """The location list's search, sort and active flag, and the output; its filters are added below."""
    class Meta:
        unknown = RAISE

    q = Text(max_length=200, metadata={"description": "Text search in the location code"})
    sort = Text(max_length=200, metadata={"description": "As the location list (default: pick sequence)"})
    active = fields.Boolean(load_default=True, metadata={"description": "Active locations only (default)"})
    format = fields.String(load_default="pdf", validate=validate.OneOf(PRINTER_LANGUAGES))
    dpi = fields.Integer(validate=validate.OneOf([203, 300, 600]),
                         metadata={"description": "ZPL/TSPL resolution (default 203)"})


LocationLabelArgs = _LocationLabelOutput.from_dict(
    {key: field for key, (field, _column) in locations.listing.filters.items()}, name="LocationLabelArgs")


def answer(result: labels.Document | labels.PrintJob, sscc: list[str] | None = None):
    """A document as itself; a print job as 202 JSON."""
    if isinstance(result, labels.PrintJob):
        job = asdict(result) | ({"sscc": sscc} if sscc is not None else {})
        return job, 202
    headers = {"Content-Disposition": f'inline; filename="{result.filename}"',
               "X-Label-Count": str(result.labels)}
    if sscc is not None:
        headers["X-SSCC"] = ",".join(sscc)
    return Response(result.content, status=200, content_type=result.mimetype, headers=headers)


class OutputArgs(Schema):
    """How a document route's labels come out: ``format`` (pdf, zpl, tspl), ``printer`` code, ``dpi``."""
    class Meta:
        unknown = EXCLUDE

    format = fields.String(validate=validate.OneOf(PRINTER_LANGUAGES))
    printer = fields.String(validate=validate.Length(max=40))
    dpi = fields.Integer(validate=validate.OneOf([203, 300, 600]))


def label_response(template_name: str, items: list[dict], args):
    """Labels of ``items`` from a template, rendered or sent as the query arguments ask."""
    from marshmallow import ValidationError
    tpl = TEMPLATES[template_name]
    try:
        wanted = OutputArgs().load(args)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages) from None
    output = labels.choose_output(tpl, wanted.get("format"), wanted.get("printer"), wanted.get("dpi"))
    fields_ = set(tpl.fields)
    return answer(labels.deliver(tpl, labels.build(tpl, [{k: v for k, v in i.items() if k in fields_} for i in items]),
                                 output))


@blp.route("/labels/render", methods=["POST"])
@require("labels.print")
@blp.arguments(RenderLabelsSchema)
@blp.response(202, PrintJobSchema, description="Sent to the printer's address (raw TCP 9100)")
@blp.doc(summary="Render labels from a template: one (data) or many (items)",
         description="Missing or unknown fields answer 422 naming them (under data, or items.<index>). "
                     f"Templates: {', '.join(sorted(TEMPLATES))}. A printer that cannot be reached answers "
                     "502 printer_unreachable.", **PRINT_RESPONSES)
def render_labels(args):
    tpl = labels.template(args["template"])
    output = labels.choose_output(tpl, args.get("format"), args.get("printer"), args.get("dpi"))
    if "data" in args:
        built = labels.build(tpl, [args["data"]], field="data")
    else:
        built = labels.build(tpl, args["items"])
    return answer(labels.deliver(tpl, built, output))


@blp.route("/locations/labels")
@require("labels.print")
@blp.arguments(LocationLabelArgs, location="query", unknown=RAISE)
@blp.doc(summary="Location labels of every matching location, as one document",
         description="Filters as GET /locations (zone_id, warehouse_id, aisle, q, active, sort). More than "
                     "LABEL_BATCH_LIMIT (5,000) matching locations answer 422 too_many_labels; none, 404.",
         **DOCUMENT_RESPONSES)
def location_labels(args):
    tpl = TEMPLATES["location"]
    output = labels.choose_output(tpl, args["format"], None, args.get("dpi"))
    return answer(labels.render(tpl, labels.build(tpl, labels.location_items(args)), output))


@blp.route("/labels/sscc", methods=["POST"])
@require("labels.print")
@atomic
@blp.arguments(SsccQuerySchema, location="query", unknown=RAISE)
@blp.arguments(SsccLabelsSchema)
@blp.response(202, PrintJobSchema, description="Sent to the printer's address; `sscc` lists the numbers")
@blp.alt_response(201, schema=SsccListSchema, description="With ?as=json: the allocated SSCCs only")
@blp.doc(summary="Allocate SSCCs and print their GS1 logistics labels",
         description="SSCC = extension digit + GS1 company prefix + serial reference from the database "
                     "sequence + check digit; numbers are never reused. The document lists the SSCCs in "
                     "the X-SSCC header (comma-separated); a failed render or send allocates nothing.",
         **PRINT_RESPONSES)
def sscc_labels(query, args):
    tpl = TEMPLATES["sscc"]
    output = None if query["as_"] == "json" else labels.choose_output(
        tpl, args.get("format"), args.get("printer"), args.get("dpi"))
    numbers, items = labels.sscc_items(args["count"], args["data"])
    if output is None:
        return {"sscc": numbers}, 201
    return answer(labels.deliver(tpl, labels.build(tpl, items), output), sscc=numbers)
