"""Build CEB export data messages (CEB303/403/505/507/509/603/605/607/701) from records.

``build(message_type, records, transfer)`` → the bytes of one unsigned message::

    <ceb:CEB303Message guid="…" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
      <ceb:Order>…</ceb:Order> ×1..100, <ceb:BaseTransfer>, <ceb:BaseSubscribe> ×0..5
    </ceb:CEB303Message>

Rules:
- everything is validated first (each value against its XSD rule, then the cross-field rules of
  ``rules.py``); the first problem raises ``CebFieldError`` naming the record and field, and no XML
  is produced;
- children follow the XSD sequence exactly (``spec.py``); optional elements without a value are
  left out; XML is made with lxml, never by string concatenation;
- the message ``guid`` is a new upper-case UUID unless given; every record guid in one message must
  be unique;
- no ``ds:Signature``: the XSD makes it optional (0..1) for every export message, and signing
  (SM2/RSA with the UKey) is a later, separate step. Note the spec still wants signed messages for
  CEB509/603/605/607/701 and whenever ``appStatus`` is 2, so a real declaration must be signed
  before it is sent. ``ExtendMessage`` is not produced either.
- a message holds 1..100 records; ``batch``/``build_batches`` cut a longer run into messages.
  Documents whose list is too long for the receiving system are cut with ``split`` into parts
  numbered ``msgCount``/``msgSeqNo``; ``build_split`` sends each part in a message of its own.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from lxml import etree

from wms.customs.ceb import rules
from wms.customs.ceb.errors import CebFieldError
from wms.customs.ceb.records import BaseSubscribe, BaseTransfer, Record, SplitRecord
from wms.customs.ceb.spec import (
    BASE_SUBSCRIBE, BASE_TRANSFER, CEB_NS, GUID_RULE, MAX_RECORDS, MAX_SUBSCRIBERS, Group, Leaf, MessageType,
    message_type as resolve_type, message_type_of)
from wms.customs.ceb.values import RuleBroken, new_guid

T = TypeVar("T")
S = TypeVar("S", bound=SplitRecord)
Node = tuple[str, "str | list[Node]"]


def build(message_type: str | MessageType, records: Sequence[Record], transfer: BaseTransfer,
          subscribe: BaseSubscribe | Sequence[BaseSubscribe] | None = None, message_guid: str | None = None,
          *, pretty: bool = False) -> bytes:
    """One message of ``message_type`` holding ``records`` (1..100), as UTF-8 bytes with declaration."""
    spec = resolve_type(message_type)
    records = list(records)
    if not 1 <= len(records) <= MAX_RECORDS:
        raise CebFieldError(spec.element.name, f"{len(records)} records",
                            f"a message holds 1 to {MAX_RECORDS} records: use batch()", record=spec.root)
    subscribers = _subscribers(subscribe)
    guid = message_guid if message_guid is not None else new_guid()
    _render_leaf(Leaf("guid", GUID_RULE, "."), guid, 1, "", spec.root)

    body: list[Node] = []
    seen: set[str] = set()
    for record in records:
        if type(record) is not spec.record:
            raise TypeError(f"{spec.root} takes {spec.record.__name__}, got {type(record).__name__}")
        body.extend(render(record, spec))
        if record.guid in seen:
            raise CebFieldError("guid", record.guid, "used by two records in one message",
                                record=record.label)
        seen.add(record.guid)
    body.extend(_render_group(BASE_TRANSFER, transfer, "", "BaseTransfer"))
    for subscriber in subscribers:
        body.extend(_render_group(BASE_SUBSCRIBE, subscriber, "", "BaseSubscribe"))

    root = etree.Element(etree.QName(CEB_NS, spec.root), nsmap={"ceb": CEB_NS})
    root.set("guid", guid)
    root.set("version", "1.0")
    _emit(root, body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def validate(record: Record) -> None:
    """Check one record as ``build`` would (XSD rules, then cross-field rules); raise ``CebFieldError``."""
    render(record, message_type_of(record))


def render(record: Record, spec: MessageType) -> list[Node]:
    """``record`` as a tree of (element name, text or children), validated; no XML yet."""
    nodes = _render_group(spec.element, record, "", record.label)
    rules.check(record)
    return nodes


def batch(records: Iterable[T], size: int = MAX_RECORDS) -> list[list[T]]:
    """Cut ``records`` into runs of at most ``size`` (1..100): one run per message, order kept."""
    if not 1 <= size <= MAX_RECORDS:
        raise ValueError(f"batch size must be from 1 to {MAX_RECORDS}, got {size}")
    items = list(records)
    return [items[start:start + size] for start in range(0, len(items), size)]


def build_batches(message_type: str | MessageType, records: Iterable[Record], transfer: BaseTransfer,
                  subscribe: BaseSubscribe | Sequence[BaseSubscribe] | None = None, size: int = MAX_RECORDS,
                  *, pretty: bool = False) -> list[bytes]:
    """``records`` in as many messages as needed, ``size`` records each (the last one takes the rest)."""
    return [build(message_type, run, transfer, subscribe, pretty=pretty) for run in batch(records, size)]


def split(record: S, max_lines: int) -> list[S]:
    """Cut a CEB507/509/607/701 document into parts of at most ``max_lines`` lines.

    One part: the record with ``msg_count``/``msg_seq_no`` 1/1. Several: each part is a record of its
    own (new guid, same copNo) numbered ``msg_seq_no`` 1..n of ``msg_count`` n, without gaps; line
    numbers restart at 1 in every part. The XSD leaves these lists unbounded, so the limit is the
    receiving system's, not ours. A document without lines (an arrival may have none) is one part.
    """
    if max_lines < 1:
        raise ValueError(f"max_lines must be at least 1, got {max_lines}")
    lines = list(getattr(record, record.lines_attr))
    runs = [lines[start:start + max_lines] for start in range(0, len(lines), max_lines)] or [[]]
    if len(runs) == 1:
        return [replace(record, msg_count=1, msg_seq_no=1)]
    return [replace(record, guid=new_guid(), msg_count=len(runs), msg_seq_no=seq,
                    **{record.lines_attr: tuple(run)})
            for seq, run in enumerate(runs, 1)]


def build_split(message_type: str | MessageType, record: SplitRecord, transfer: BaseTransfer,
                max_lines: int, subscribe: BaseSubscribe | Sequence[BaseSubscribe] | None = None, *,
                pretty: bool = False) -> list[bytes]:
    """``split`` the document; each part goes in a message of its own (``msgSeqNo`` = message number)."""
    return [build(message_type, [part], transfer, subscribe, pretty=pretty)
            for part in split(record, max_lines)]


# --- rendering ------------------------------------------------------------------------------------

def _subscribers(subscribe: BaseSubscribe | Sequence[BaseSubscribe] | None) -> list[BaseSubscribe]:
    if subscribe is None:
        return []
    subscribers = [subscribe] if isinstance(subscribe, BaseSubscribe) else list(subscribe)
    if len(subscribers) > MAX_SUBSCRIBERS:
        raise CebFieldError("BaseSubscribe", f"{len(subscribers)} subscribers", f"at most {MAX_SUBSCRIBERS}")
    return subscribers


def _render_group(group: Group, obj: object, path: str, label: str) -> list[Node]:
    source = obj if group.attr is None else getattr(obj, group.attr)
    items = list(source or ()) if group.repeats else ([] if source is None else [source])
    upper = group.max_occurs
    if len(items) < group.min_occurs or (upper is not None and len(items) > upper):
        bounds = f"{group.min_occurs} to {upper}" if upper is not None else f"at least {group.min_occurs}"
        raise CebFieldError(path + group.name, f"{len(items)} lines", f"needs {bounds} {group.name} elements",
                            record=label)
    nodes: list[Node] = []
    for position, item in enumerate(items, 1):
        here = f"{path}{group.name}[{position}]." if group.repeats else path
        children: list[Node] = []
        for child in group.children:
            if isinstance(child, Group):
                children.extend(_render_group(child, item, here, label))
                continue
            node = _render_leaf(child, item, position, here, label)
            if node is not None:
                children.append(node)
        nodes.append((group.name, children))
    return nodes


def _render_leaf(leaf: Leaf, obj: object, position: int, path: str, label: str) -> Node | None:
    value, parent_present = _resolve(obj, leaf.attr, position)
    required = leaf.required or ("." in leaf.attr.strip(".") and parent_present)
    if value is None or value == "":
        if required:
            raise CebFieldError(path + leaf.name, value, "required", record=label)
        return None
    try:
        return leaf.name, leaf.rule.render(value)
    except RuleBroken as broken:
        raise CebFieldError(path + leaf.name, value, str(broken), record=label) from None


def _resolve(obj: object, attr: str, position: int) -> tuple[object, bool]:
    """The value at ``attr`` and whether its parent object exists (a ``Party`` given or not)."""
    if attr == "@position":
        return position, True
    if attr == ".":
        return obj, True
    *parents, name = attr.split(".")
    for part in parents:
        obj = getattr(obj, part)
        if obj is None:
            return None, False
    return getattr(obj, name), True


def _emit(parent: etree._Element, nodes: list[Node]) -> None:
    for name, content in nodes:
        element = etree.SubElement(parent, etree.QName(CEB_NS, name))
        if isinstance(content, str):
            element.text = content
        else:
            _emit(element, content)
