"""Label templates: YAML files in ``label_templates/``, loaded and checked when this module is imported.

A template names its stock size, the data fields it needs (``required``) and may use (``optional``) and its
elements; text and barcode data hold ``{field}`` references to the label data. Loading fails (the application
does not start) on an unknown element type or key, a wrong value type, a reference to an undeclared field, an
element outside the label or a diagonal line. ``Template.fill`` turns data into a ``Label`` or raises
``LabelDataError`` with messages per field.
"""
from __future__ import annotations

import dataclasses
import re
import string
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from wms.printing import barcodes
from wms.printing.model import ALIGNMENTS, MIN_MODULE_MM, Barcode, Box, Element, Label, Line, QRCode, Text

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "label_templates"
ELEMENT_TYPES: dict[str, tuple[type, dict[str, Any]]] = {   # YAML type -> (class, fixed values)
    "text": (Text, {}),
    "code128": (Barcode, {"gs1": False}),
    "gs1-128": (Barcode, {"gs1": True}),
    "qr": (QRCode, {}),
    "line": (Line, {}),
    "box": (Box, {}),
}
TEXT_KEYS = {Text: ("text",), Barcode: ("data",), QRCode: ("data",)}
RESOLVED_ONLY = {"symbol", "matrix", "gs1"}
MIN_QR_CELL_MM = 0.33           # smallest QR module phones and PDAs read reliably
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class TemplateError(Exception):
    """A template file that cannot be used; the message names the file and the element."""


class LabelDataError(Exception):
    """Data a template cannot print: ``errors`` is {field: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Template:
    name: str
    title_en: str
    title_zh: str
    width: float
    height: float
    required: tuple[str, ...]
    optional: tuple[str, ...]
    elements: tuple[Element, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional

    def fill(self, data: dict) -> Label:
        """The label for ``data``: every required field present, no unknown field, codes encodable."""
        values, errors = self._values(data)
        elements = []
        for element in self.elements:
            if element.when and not values[element.when]:
                continue
            if any(name in errors for name in _field_names(_template_text(element))):
                continue                                    # its field is already refused
            try:
                filled = _fill(element, values)
            except barcodes.SymbolError as exc:
                for name in _field_names(_template_text(element)) or ["data"]:
                    errors.setdefault(name, []).append(str(exc))
                continue
            if filled is not None:
                elements.append(filled)
        if errors:
            raise LabelDataError(errors)
        return Label(self.name, self.width, self.height, tuple(elements))

    def _values(self, data: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}
        for key in data:
            if key not in self.fields:
                errors[str(key)] = ["Unknown field."]
        values = {}
        for name in self.fields:
            try:
                values[name] = plain(data.get(name))
            except ValueError:
                errors[name] = ["Not a valid value for a label."]
                values[name] = ""
            if name in self.required and not values[name] and name not in errors:
                errors[name] = ["Missing data for required field."]
        return values, errors


def plain(value) -> str:
    """A data value as label text: numbers as written, lists one item a line, control characters refused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (list, tuple)):
        return "\n".join(plain(item) for item in value)
    if isinstance(value, (int, float, Decimal)):
        return f"{value}"
    if not isinstance(value, str) or CONTROL.search(value):
        raise ValueError(value)
    return value.strip()


def _template_text(element: Element) -> str:
    keys = TEXT_KEYS.get(type(element), ())
    return "".join(getattr(element, key) for key in keys)


def _field_names(text: str) -> list[str]:
    return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def _fill(element: Element, values: dict[str, str]) -> Element | None:
    if isinstance(element, Text):
        text = "\n".join(line.strip() for line in element.text.format_map(values).split("\n"))
        return dataclasses.replace(element, text=text) if text.strip() else None
    if isinstance(element, Barcode):
        return _fill_barcode(element, element.data.format_map(values))
    if isinstance(element, QRCode):
        return _fill_qr(element, element.data.format_map(values))
    return element


def _fill_barcode(element: Barcode, data: str) -> Barcode:
    """Encode, then take the largest module (preferred size stepping down 1/8 mm) that fits the box."""
    symbol = barcodes.gs1_128(data) if element.gs1 else barcodes.code128(data)
    for module in _module_sizes(element.module):
        if symbol.width * module + 2 * element.quiet_zone(module) <= element.width + 1e-9:
            return dataclasses.replace(element, data=data, module=module, symbol=symbol)
    raise barcodes.SymbolError("Too long for the barcode on this label.")


def _module_sizes(preferred: float) -> list[float]:
    eighths = int(preferred * 8 + 1e-9)
    sizes = [preferred] if abs(eighths / 8 - preferred) > 1e-9 else []
    return sizes + [k / 8 for k in range(eighths, int(MIN_MODULE_MM * 8) - 1, -1)]


def _fill_qr(element: QRCode, data: str) -> QRCode:
    filled = dataclasses.replace(element, data=data, matrix=barcodes.qr_matrix(data, element.ecc))
    if filled.cell < MIN_QR_CELL_MM:
        raise barcodes.SymbolError("Too long for the barcode on this label.")
    return filled


# --- loading -----------------------------------------------------------------------------------------------

def load_file(path: Path) -> Template:
    """One template file, checked (see the module docstring)."""
    where = path.name
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(spec, dict) or set(spec) != {"title", "size", "fields", "elements"}:
        raise TemplateError(f"{where}: needs exactly the keys title, size, fields and elements")
    title, size, fields = spec["title"], spec["size"], spec["fields"]
    if not (isinstance(title, dict) and set(title) == {"en", "zh"}):
        raise TemplateError(f"{where}: title needs en and zh")
    width, height = _number(size, "width", where), _number(size, "height", where)
    required, optional = _field_list(fields, "required", where), _field_list(fields, "optional", where)
    if not required or set(required) & set(optional):
        raise TemplateError(f"{where}: fields need required names, none of them also optional")
    if not isinstance(spec["elements"], list) or not spec["elements"]:
        raise TemplateError(f"{where}: elements must be a non-empty list")
    declared = set(required) | set(optional)
    elements = tuple(_element(item, f"{where}: elements[{index}]", width, height, declared)
                     for index, item in enumerate(spec["elements"]))
    return Template(path.stem, str(title["en"]), str(title["zh"]), width, height, tuple(required),
                    tuple(optional), elements)


def _number(mapping, key: str, where: str) -> float:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TemplateError(f"{where}: {key} must be a positive number (mm)")
    return float(value)


def _field_list(fields, key: str, where: str) -> list[str]:
    names = fields.get(key, []) if isinstance(fields, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) and FIELD_NAME.match(n) for n in names):
        raise TemplateError(f"{where}: fields.{key} must be a list of lower-case field names")
    return names


def _element(item, where: str, width: float, height: float, declared: set[str]) -> Element:
    if not isinstance(item, dict) or "type" not in item:
        raise TemplateError(f"{where}: an element is a mapping with a type")
    kind = item["type"]
    if kind not in ELEMENT_TYPES:
        raise TemplateError(f"{where}: unknown element type {kind!r} (known: {', '.join(ELEMENT_TYPES)})")
    cls, fixed = ELEMENT_TYPES[kind]
    values = {k: v for k, v in item.items() if k != "type"}
    element = _build(cls, values, fixed, f"{where} ({kind})")
    _check_field_references(element, where, declared)
    _check_geometry(element, where, width, height)
    return element


def _build(cls: type, values: dict, fixed: dict, where: str) -> Element:
    known = {f.name: f for f in dataclasses.fields(cls) if f.name not in RESOLVED_ONLY}
    unknown = set(values) - set(known)
    if unknown:
        raise TemplateError(f"{where}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    missing = [name for name, f in known.items() if name not in values
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise TemplateError(f"{where}: missing {', '.join(missing)}")
    for name, value in values.items():
        _check_type(name, value, known[name].type, where)
    return cls(**{k: float(v) if isinstance(v, int) and known[k].type.startswith("float") else v
                  for k, v in values.items()}, **fixed)


def _check_type(name: str, value, annotation: str, where: str) -> None:
    expected = annotation.split(" | ")[0]
    ok = {"float": isinstance(value, (int, float)) and not isinstance(value, bool),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "str": isinstance(value, str),
          "bool": isinstance(value, bool)}.get(expected, False)
    if value is None and "None" in annotation:
        ok = True
    if not ok:
        raise TemplateError(f"{where}: {name} must be {expected}")


def _check_field_references(element: Element, where: str, declared: set[str]) -> None:
    text = _template_text(element)
    try:
        names = _field_names(text)
    except ValueError as exc:
        raise TemplateError(f"{where}: {exc} in {text!r}") from None
    for name in names + ([element.when] if element.when else []):
        if name not in declared:
            raise TemplateError(f"{where}: field {{{name}}} is not declared in fields")
    if isinstance(element, (Barcode, QRCode)) and not names:
        raise TemplateError(f"{where}: barcode data must come from a field")


def _check_geometry(element: Element, where: str, width: float, height: float) -> None:
    if isinstance(element, Line):
        if element.x1 != element.x2 and element.y1 != element.y2:
            raise TemplateError(f"{where}: lines are horizontal or vertical")
        right, bottom = max(element.x1, element.x2), max(element.y1, element.y2)
        left, top = min(element.x1, element.x2), min(element.y1, element.y2)
    elif isinstance(element, QRCode):
        left, top, right, bottom = element.x, element.y, element.x + element.size, element.y + element.size
    else:
        box_height = element.height() if isinstance(element, Text) else element.height
        left, top, right, bottom = element.x, element.y, element.x + element.width, element.y + box_height
    if left < 0 or top < 0 or right > width + 1e-9 or bottom > height + 1e-9:
        raise TemplateError(f"{where}: outside the {width:g}×{height:g} mm label")
    if getattr(element, "align", "left") not in ALIGNMENTS:
        raise TemplateError(f"{where}: align must be one of {', '.join(ALIGNMENTS)}")
    if isinstance(element, Barcode) and element.module < MIN_MODULE_MM:
        raise TemplateError(f"{where}: module must be at least {MIN_MODULE_MM} mm")
    if isinstance(element, QRCode) and element.ecc not in barcodes.ECC_LEVELS:
        raise TemplateError(f"{where}: ecc must be one of L, M, Q, H")
    if isinstance(element, Text) and (element.max_lines < 1 or element.smallest > element.size):
        raise TemplateError(f"{where}: max_lines must be at least 1 and min_size at most size")


def load_dir(folder: Path) -> dict[str, Template]:
    templates = {path.stem: load_file(path) for path in sorted(folder.glob("*.yaml"))}
    if not templates:
        raise TemplateError(f"{folder}: no label templates")
    return templates


TEMPLATES: dict[str, Template] = load_dir(TEMPLATE_DIR)
