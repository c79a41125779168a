"""Pure rules for master-data codes: GTIN/EAN check digits, USCC check characters, HS codes."""
from __future__ import annotations

import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
HS_CODE = re.compile(r"^\d{10}$")
CUSTOMS_CODE = re.compile(r"^[0-9A-Z]{10}$")


def gs1_check_digit(body: str) -> int:
    """GS1 mod-10 check digit for the digits before it (GTIN-8/12/13/14, SSCC, GLN)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    return (code.isascii() and code.isdigit() and len(code) in (8, 12, 13, 14)
            and gs1_check_digit(code[:-1]) == int(code[-1]))


def uscc_check_char(body: str) -> str:
    """Check character of an 18-character unified social credit code (GB 32100-2015), from its first 17."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(ch not in USCC_CHARSET for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def is_valid_hs_code(code: str) -> bool:
    return bool(HS_CODE.match(code))


def fold_width(value: str) -> str:
    """Full-width ASCII forms (as typed with a Chinese IME) folded to ASCII; the ideographic space too."""
    return "".join(chr(ord(ch) - 0xFEE0) if 0xFF01 <= ord(ch) <= 0xFF5E else ch
                   for ch in value).replace("\u3000", " ")


def normalize_code(value: str) -> str:
    """Scanned and typed codes: full-width folded, spaces trimmed, upper-cased."""
    return fold_width(value).strip().upper()


# GS1 application identifiers read at receiving: AI -> (fixed length or 0 for variable, max length)
GS1_AIS = {"00": (18, 18), "01": (14, 14), "02": (14, 14), "10": (0, 20), "11": (6, 6), "13": (6, 6),
           "15": (6, 6), "17": (6, 6), "21": (0, 20), "37": (0, 8)}
GS = "\x1d"


def parse_gs1(text: str) -> dict[str, str] | None:
    """The AI fields of a GS1-128 / DataMatrix element string (``]C1``/``]d2`` prefix, GS separators, or
    the human-readable ``(01)…(10)…`` form); None when the text is not one."""
    value = text.strip()
    for prefix in ("]C1", "]d2", "]Q3", "]e0"):
        if value.startswith(prefix):
            value = value[len(prefix):]
            break
    else:
        if not value.startswith("("):
            if GS not in value or not value[:2].isdigit():
                return None
    if value.startswith("("):
        parts = re.findall(r"\((\d{2,4})\)([^(]*)", value)
        fields = {ai: data for ai, data in parts}
        return fields if fields and all(ai in GS1_AIS for ai in fields) else None
    fields, pos = {}, 0
    while pos < len(value):
        if value[pos] == GS:                      # a separator after a fixed-length field is allowed
            pos += 1
            continue
        ai = value[pos:pos + 2]
        if ai not in GS1_AIS:
            return None
        fixed, longest = GS1_AIS[ai]
        pos += 2
        if fixed:
            data, pos = value[pos:pos + fixed], pos + fixed
            if len(data) != fixed:
                return None
        else:
            end = value.find(GS, pos)
            end = len(value) if end < 0 else end
            data, pos = value[pos:end], end + 1
            if not data or len(data) > longest:
                return None
        fields[ai] = data
    return fields or None


def gs1_date(value: str):
    """A GS1 YYMMDD date (DD 00 = last day of the month; century by the GS1 sliding window)."""
    import calendar
    from datetime import date as _date
    if not re.fullmatch(r"\d{6}", value or ""):
        return None
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
    this = _date.today().year
    year = this - this % 100 + yy
    if year - this > 50:
        year -= 100
    elif this - year > 49:
        year += 100
    if not 1 <= mm <= 12:
        return None
    if dd == 0:
        dd = calendar.monthrange(year, mm)[1]
    try:
        return _date(year, mm, dd)
    except ValueError:
        return None
