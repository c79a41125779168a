"""Record resources: one declaration gives the service operations, the REST routes and the screens.

A ``Resource`` names a model, its schema, who may read and write it, how it is listed, what must be
unique and what it references. ``create``/``update``/``set_active`` validate references and uniqueness,
keep sellers inside their own records and write the audit log; ``register_api`` adds
list/get/create/update/deactivate/activate routes to a flask-smorest blueprint.
Rows are never deleted: deactivation keeps every reference valid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
from flask.views import MethodView
from marshmallow import Schema, fields

from wms.auth.service import require, seller_scope
from wms.core.fields import RECORD_ID
from wms.core.audit import diff, record, snapshot
from wms.core.listing import ListSpec, export, page
from wms.db import atomic
from wms.errors import Forbidden, NotFound, ValidationFailed
from wms.extensions import db
from wms.i18n import get_locale


@dataclass
class Resource:
    name: str                                   # URL segment, export file name
    model: type
    schema: type[Schema]
    title: tuple[str, str]                      # (English, Chinese), plural
    read: str                                   # permission to read
    write: str                                  # permission to create, edit, (de)activate
    listing: ListSpec
    unique: tuple[tuple[str, ...], ...] = ()    # field groups that identify a row
    references: dict[str, type] = field(default_factory=dict)   # foreign-key field -> model
    seller_field: str | None = None             # where a seller user's id must match
    load_options: tuple = ()
    before_save: Callable | None = None         # (obj, data, creating) -> None, domain rules
    after_save: Callable | None = None          # (obj, data, creating) -> None, child rows
    child_fields: tuple[str, ...] = ()          # loaded fields that are not columns (handled by after_save)
    update_schema: type[Schema] | None = None   # what PATCH accepts, when it differs from create
    before_deactivate: Callable | None = None   # (obj) -> None, raises when the row is still in use

    @property
    def patch_schema(self) -> type[Schema]:
        return self.update_schema or self.schema

    @property
    def label(self) -> str:
        return self.title[1] if get_locale() == "zh-CN" else self.title[0]

    @property
    def entity(self) -> str:
        return self.model.__tablename__

    def select(self) -> sa.Select:
        query = sa.select(self.model).options(*self.load_options)
        scope = seller_scope()
        if scope is not None and self.seller_field:
            query = query.where(getattr(self.model, self.seller_field) == scope)
        return query

    def get(self, record_id: int):
        obj = db.session.scalars(self.select().where(self.model.id == record_id)).first()
        if obj is None:
            raise NotFound("record_not_found", entity=self.label, id=record_id)
        return obj

    def list(self, args: dict):
        return page(self.listing.apply(self.select(), args), args)

    def export(self, args: dict, fmt: str):
        query = self.listing.apply(self.select(), args)
        return export(query, self.listing.columns, fmt, self.name, get_locale())

    # --- writes -------------------------------------------------------------------------------------

    def create(self, data: dict):
        data = self._own_seller(dict(data), creating=True)
        self._check_references(data)
        obj = self.model()
        self._check_unique(data, None)
        children = {k: data.pop(k) for k in self.child_fields if k in data}
        if self.before_save:
            self.before_save(obj, data, True)
        for key, value in data.items():
            setattr(obj, key, value)
        db.session.add(obj)
        db.session.flush()
        if self.after_save:
            self.after_save(obj, children, True)
        record(f"{self.entity}.create", obj, before=None, after=snapshot(obj) | self._child_snapshot(obj))
        return obj

    def update(self, obj, data: dict):
        data = self._own_seller(dict(data), creating=False)
        self._check_references(data)
        self._check_unique(data, obj)
        before = snapshot(obj) | self._child_snapshot(obj)
        children = {k: data.pop(k) for k in self.child_fields if k in data}
        if self.before_save:
            self.before_save(obj, data, False)
        for key, value in data.items():
            setattr(obj, key, value)
        db.session.flush()
        if self.after_save:
            self.after_save(obj, children, False)
        db.session.refresh(obj)          # references changed by id are read again for the answer
        old, new = diff(before, snapshot(obj) | self._child_snapshot(obj))
        if new:
            record(f"{self.entity}.update", obj, before=old, after=new)
        return obj

    def set_active(self, obj, active: bool):
        if not active and obj.active and self.before_deactivate:
            self.before_deactivate(obj)
        if obj.active != active:
            obj.active = active
            record(f"{self.entity}.{'activate' if active else 'deactivate'}", obj,
                   before={"active": not active}, after={"active": active})
        return obj

    def _child_snapshot(self, obj) -> dict:
        def plain(item):
            if hasattr(item, "__table__"):
                return {k: v for k, v in snapshot(item).items() if k not in ("id", "created_at", "updated_at")}
            return item
        return {k: [plain(i) for i in getattr(obj, k, None) or []] for k in self.child_fields if hasattr(obj, k)}

    def _own_seller(self, data: dict, creating: bool) -> dict:
        """A seller user writes only its own records; staff must say whose record it is."""
        if self.seller_field != "seller_id":
            return data
        scope = seller_scope()
        if scope is not None:
            if data.get("seller_id") not in (None, scope):
                raise Forbidden("other_seller")
            data["seller_id"] = scope
        elif creating and data.get("seller_id") is None:
            raise ValidationFailed({"seller_id": ["Missing data for required field."]})
        if not creating and scope is None and "seller_id" in data:
            data.pop("seller_id")       # a record does not change owner
        return data

    def _check_references(self, data: dict) -> None:
        errors = {}
        for key, model in self.references.items():
            if data.get(key) is None:
                continue
            target = db.session.get(model, data[key])
            if target is None:
                errors[key] = ["Unknown reference."]
            elif hasattr(target, "active") and not target.active:
                errors[key] = ["Unknown reference."]
        if errors:
            raise ValidationFailed(errors)

    def _check_unique(self, data: dict, obj) -> None:
        errors = {}
        for group in self.unique:
            values = {k: data.get(k, getattr(obj, k, None)) for k in group}
            if any(v is None for v in values.values()) or (obj is not None and not any(k in data for k in group)):
                continue
            query = sa.select(self.model.id).where(*(getattr(self.model, k) == v for k, v in values.items()))
            if obj is not None:
                query = query.where(self.model.id != obj.id)
            if db.session.scalar(query.limit(1)) is not None:
                errors[group[-1]] = ["Already used."]
        if errors:
            raise ValidationFailed(errors)


# --- REST routes ------------------------------------------------------------------------------------

def page_schema(item: type[Schema], name: str | None = None) -> type[Schema]:
    """The envelope of one page of ``item`` rows: {items, page, per_page, total, pages}."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item)),
        "page": fields.Integer(), "per_page": fields.Integer(),
        "total": fields.Integer(), "pages": fields.Integer(),
    }, name=name or f"{item.__name__.removesuffix('Schema')}Page")


def register_list(blp, path: str, *, endpoint: str, listing: ListSpec, query, schema: type[Schema], name: str,
                  permission: str, summary: str, description: str = "") -> None:
    """A read-only list route: filters, search, sort, pages; ``format=csv|xlsx`` exports every matching row.

    ``query`` is called per request (it applies the caller's seller scope).
    """
    export_name = path.strip("/").replace("/", "-")

    def view(args):
        rows = listing.apply(query(), args)
        if args["format"] != "json":
            return export(rows, listing.columns, args["format"], export_name, get_locale())
        return page(rows, args)

    view.__name__ = endpoint
    decorated = require(permission)(blp.arguments(listing.args_schema(name), location="query")(
        blp.response(200, page_schema(schema, f"{name}Page"))(blp.doc(summary=summary, description=description)(view))))
    blp.route(path, endpoint=endpoint)(decorated)


def register_api(blp, resource: Resource) -> None:
    """list/get/create/update and (de)activate routes for ``resource`` on ``blp``."""
    args_schema = resource.listing.args_schema(resource.schema.__name__.removesuffix("Schema"))
    out, many = resource.schema, page_schema(resource.schema)
    partial = resource.patch_schema(partial=True)
    name = resource.name

    class Collection(MethodView):
        @require(resource.read)
        @blp.arguments(args_schema, location="query")
        @blp.response(200, many)
        @blp.doc(summary=f"List {resource.title[0].lower()}",
                 description="Filter, search (q), sort, paginate; format=csv|xlsx exports every matching row.")
        def get(self, args):
            if args["format"] != "json":
                return resource.export(args, args["format"])
            return resource.list(args)

        @require(resource.write)
        @atomic
        @blp.arguments(resource.schema)
        @blp.response(201, out)
        @blp.doc(summary=f"Create one of {resource.title[0].lower()}")
        def post(self, data):
            return resource.create(data)

    class Item(MethodView):
        @require(resource.read)
        @blp.response(200, out)
        @blp.doc(summary=f"Get one of {resource.title[0].lower()}")
        def get(self, record_id):
            return resource.get(record_id)

        @require(resource.write)
        @atomic
        @blp.arguments(partial)
        @blp.response(200, out)
        @blp.doc(summary=f"Change one of {resource.title[0].lower()} (only the fields given)")
        def patch(self, data, record_id):
            return resource.update(resource.get(record_id), data)

    Collection.__name__ = f"{name}_collection"
    Item.__name__ = f"{name}_item"
    blp.route(f"/{name}", endpoint=f"{name}_collection")(Collection)
    blp.route(f"/{name}/{RECORD_ID}", endpoint=f"{name}_item")(Item)

    for verb, active in (("deactivate", False), ("activate", True)):
        def toggle(record_id, _active=active):
            return resource.set_active(resource.get(record_id), _active)

        toggle.__name__ = f"{name}_{verb}"
        view = require(resource.write)(atomic(blp.response(200, out)(
            blp.doc(summary=f"{verb.capitalize()} one of {resource.title[0].lower()}")(toggle))))
        blp.route(f"/{name}/{RECORD_ID}/{verb}", methods=["POST"], endpoint=f"{name}_{verb}")(view)
