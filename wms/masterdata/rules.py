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
