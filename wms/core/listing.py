"""Lists: one query-string grammar for every list endpoint and screen, and CSV/XLSX export.

    ?q=耳机&status=available&sort=-updated_at,code&page=2&per_page=50&format=csv

``q`` searches the resource's text columns (case-insensitive, substring), each declared filter is an
equality test, ``sort`` takes declared columns with ``-`` for descending, ``format`` exports every
matching row (up to ``EXPORT_LIMIT``) instead of one page.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import Response
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from wms.core.fields import Text
from wms.errors import ValidationFailed
from wms.extensions import db

MAX_PER_PAGE = 500
EXPORT_LIMIT = 100_000


class ListArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    q = Text(max_length=200, metadata={"description": "Text search"})
    sort = Text(max_length=200,
                         metadata={"description": "Comma-separated columns, '-' for descending"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))
    active = fields.Boolean(metadata={"description": "Only active (true) or only deactivated (false) rows"})


@dataclass
class Column:
    """A list/export column: an attribute path on the row and its bilingual header."""
    key: str
    en: str
    zh: str

    def value(self, obj):
        for part in self.key.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        return obj

    def header(self, locale: str) -> str:
        return self.zh if locale == "zh-CN" else self.en


@dataclass
class ListSpec:
    model: type
    search: tuple = ()                 # model attributes searched by q
    filters: dict = field(default_factory=dict)    # query name -> (marshmallow field, model attribute)
    sort: tuple = ()                   # sortable attribute names
    default_sort: str = "id"
    columns: list[Column] = field(default_factory=list)

    def args_schema(self, name: str) -> type[Schema]:
        extra = {key: fld for key, (fld, _attr) in self.filters.items()}
        return ListArgs.from_dict(extra, name=f"{name}ListArgs")

    def apply(self, query: sa.Select, args: dict) -> sa.Select:
        model = self.model
        if args.get("q"):
            needle = "%" + escape_like(args["q"].strip()) + "%"
            query = query.where(sa.or_(*(attr.ilike(needle, escape="\\") for attr in self.search)))
        if "active" in args and hasattr(model, "active"):
            query = query.where(model.active.is_(args["active"]))
        for key, (_fld, attr) in self.filters.items():
            if args.get(key) is not None:
                query = query.where(attr == args[key])
        return query.order_by(*self.order_by(args.get("sort")))

    def order_by(self, sort: str | None):
        terms = [t.strip() for t in (sort or self.default_sort).split(",") if t.strip()]
        clauses, bad = [], []
        for term in terms:
            name = term.lstrip("-")
            if name not in self.sort and name != "id":
                bad.append(name)
                continue
            column = getattr(self.model, name)
            clauses.append(column.desc() if term.startswith("-") else column.asc())
        if bad:
            raise ValidationFailed({"sort": [f"Must be one of: {', '.join(self.sort)}."]})
        clauses.append(self.model.id.asc())    # a stable order for paging
        return clauses


def escape_like(text: str) -> str:
    """Search text is literal: LIKE's wildcards and the escape character are escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page(query: sa.Select, args: dict) -> dict:
    """One page of ``query`` as {items, page, per_page, total, pages}."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    per_page, number = args["per_page"], args["page"]
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).unique().all()
    return {"items": items, "page": number, "per_page": per_page, "total": total,
            "pages": (total + per_page - 1) // per_page}


def export(query: sa.Select, columns: list[Column], fmt: str, name: str, locale: str) -> Response:
    rows = db.session.scalars(query.limit(EXPORT_LIMIT)).unique().all()
    headers = [c.header(locale) for c in columns]
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_cell(c.value(row)) for c in columns])
        data = "\ufeff" + buffer.getvalue()        # BOM: Excel opens Chinese CSV correctly
        return Response(data.encode("utf-8"), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'})
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(name[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, c.value(row)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.xlsx"'})


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _xlsx_cell(sheet, value):
    """An XLSX cell; text is always stored as text, never as a formula."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, (int, float)):
        return value
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    return cell


def load_args(schema: Schema, data) -> dict:
    """Validate query arguments outside smorest (screens); errors become a 422 problem."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages) from None
