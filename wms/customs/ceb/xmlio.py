"""Reading XML we did not write: a locked-down lxml parser and small element helpers.

The parser resolves no entities, loads no DTD and touches no network (receipts come from outside),
and a document with a DOCTYPE is refused; anything that is not well-formed XML becomes
``CebParseError``. Element names are compared by local name within an expected namespace, or no
namespace at all (some gateways strip it).
"""
from __future__ import annotations

from lxml import etree

from wms.customs.ceb.errors import CebParseError


def parse_xml(data: bytes, what: str) -> etree._Element:
    """The root element of ``data`` (bytes; a UTF-8 BOM and any declared encoding are fine)."""
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise CebParseError(f"{what}: expected bytes, got {type(data).__name__}")
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise CebParseError(f"{what}: empty input")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                             remove_pis=True)  # one per call: lxml parsers are not shared across threads
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CebParseError(f"{what}: not well-formed XML: {exc}") from None
    except ValueError as exc:  # e.g. an encoding lxml does not know
        raise CebParseError(f"{what}: unreadable XML: {exc}") from None
    if root is None:
        raise CebParseError(f"{what}: no root element")
    if root.getroottree().docinfo.doctype:
        raise CebParseError(f"{what}: a DOCTYPE is not accepted (CEB messages have none)")
    return root


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def namespace(element: etree._Element) -> str | None:
    return etree.QName(element).namespace if isinstance(element.tag, str) else None


def children(element: etree._Element, name: str, ns: str) -> list[etree._Element]:
    """Child elements called ``name`` in namespace ``ns`` (or in none)."""
    return [child for child in element if local(child) == name and namespace(child) in (ns, None)]


def child_texts(element: etree._Element, ns: str, where: str) -> dict[str, str]:
    """Local name → stripped text of the simple children of ``element``; a repeated name is an error."""
    texts: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str) or namespace(child) not in (ns, None) or len(child):
            continue
        name = local(child)
        if name in texts:
            raise CebParseError(f"{where}: element {name} appears twice")
        texts[name] = (child.text or "").strip()
    return texts
