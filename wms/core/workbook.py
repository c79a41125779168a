"""Excel workbooks people fill in: an empty template with the column headers in both languages."""
from __future__ import annotations

import io

from openpyxl import Workbook


def template(title: str, columns: list[tuple[str, str, str]]) -> bytes:
    """An empty .xlsx: a sheet named ``title``, the Chinese headers, then the English ones (key, en, zh)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([zh for _, _, zh in columns])
    sheet.append([en for _, en, _ in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
