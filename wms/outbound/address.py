"""Buyer address rules: the country must be known, the postal code and phone must have the country's shape.

Postal code patterns cover the destinations cross-border parcels go to most; a country without postal
codes (Hong Kong, the Emirates …) takes none, and a country not listed takes any short code. Phones are
read as an international number (``+44 20 7946 0958``, ``0044…``) or a national one, and normalised to
E.164 (``+442079460958``) with the country's calling code and national number length.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from wms.masterdata.rules import fold_width

# ISO country -> postal code pattern (None: the country has no postal codes)
POSTAL: dict[str, str | None] = {
    "US": r"\d{5}(-\d{4})?", "CA": r"[A-Z]\d[A-Z] ?\d[A-Z]\d", "MX": r"\d{5}", "BR": r"\d{5}-?\d{3}",
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", "IE": r"[A-Z]\d[\dW] ?[A-Z\d]{4}", "DE": r"\d{5}", "FR": r"\d{5}",
    "IT": r"\d{5}", "ES": r"\d{5}", "PT": r"\d{4}-\d{3}", "NL": r"\d{4} ?[A-Z]{2}", "BE": r"\d{4}", "AT": r"\d{4}",
    "CH": r"\d{4}", "SE": r"\d{3} ?\d{2}", "NO": r"\d{4}", "DK": r"\d{4}", "FI": r"\d{5}", "PL": r"\d{2}-\d{3}",
    "CZ": r"\d{3} ?\d{2}", "RU": r"\d{6}", "TR": r"\d{5}", "IL": r"\d{7}", "SA": r"\d{5}(-\d{4})?", "AE": None,
    "JP": r"\d{3}-?\d{4}", "KR": r"\d{5}", "CN": r"\d{6}", "HK": None, "MO": None, "TW": r"\d{3}(\d{2,3})?",
    "SG": r"\d{6}", "MY": r"\d{5}", "TH": r"\d{5}", "VN": r"\d{6}", "ID": r"\d{5}", "PH": r"\d{4}", "IN": r"\d{6}",
    "AU": r"\d{4}", "NZ": r"\d{4}", "ZA": r"\d{4}", "CL": r"\d{7}", "AR": r"[A-Z]?\d{4}([A-Z]{3})?",
}
# ISO country -> (calling code, shortest, longest national significant number)
PHONE: dict[str, tuple[str, int, int]] = {
    "US": ("1", 10, 10), "CA": ("1", 10, 10), "MX": ("52", 10, 10), "BR": ("55", 10, 11), "GB": ("44", 9, 10),
    "IE": ("353", 7, 9), "DE": ("49", 6, 13), "FR": ("33", 9, 9), "IT": ("39", 6, 11), "ES": ("34", 9, 9),
    "PT": ("351", 9, 9), "NL": ("31", 9, 9), "BE": ("32", 8, 9), "AT": ("43", 4, 13), "CH": ("41", 9, 9),
    "SE": ("46", 7, 13), "NO": ("47", 8, 8), "DK": ("45", 8, 8), "FI": ("358", 5, 12), "PL": ("48", 9, 9),
    "CZ": ("420", 9, 9), "RU": ("7", 10, 10), "TR": ("90", 10, 10), "IL": ("972", 8, 9), "SA": ("966", 8, 9),
    "AE": ("971", 8, 9), "JP": ("81", 9, 10), "KR": ("82", 8, 10), "CN": ("86", 11, 11), "HK": ("852", 8, 8),
    "MO": ("853", 8, 8), "TW": ("886", 8, 9), "SG": ("65", 8, 8), "MY": ("60", 8, 10), "TH": ("66", 8, 9),
    "VN": ("84", 9, 10), "ID": ("62", 8, 12), "PH": ("63", 10, 10), "IN": ("91", 10, 10), "AU": ("61", 9, 9),
    "NZ": ("64", 8, 10), "ZA": ("27", 9, 9), "CL": ("56", 9, 9), "AR": ("54", 10, 11),
}
TRUNK_PREFIX = {"RU": "8"}          # national prefixes other than 0


@dataclass(frozen=True)
class Checked:
    postal_code: str
    phone: str


def normalise_postal(country: str, code: str) -> str:
    return re.sub(r"\s+", " ", fold_width(code or "").strip().upper())


def check(country: str, postal_code: str, phone: str) -> tuple[Checked, dict[str, list[str]]]:
    """The normalised postal code and phone, and the field errors (empty when both are fine)."""
    errors: dict[str, list[str]] = {}
    postal = normalise_postal(country, postal_code)
    if country in POSTAL:
        pattern = POSTAL[country]
        if pattern is None:
            postal = postal if postal else ""
        elif not postal:
            errors["postal_code"] = [f"A postal code is required for {country}."]
        elif not re.fullmatch(pattern, postal):
            errors["postal_code"] = [f"Not a postal code of {country}: {postal_code}."]
    elif postal and not re.fullmatch(r"[A-Z0-9 -]{2,12}", postal):
        errors["postal_code"] = [f"Not a postal code: {postal_code}."]
    number, problem = normalise_phone(country, phone)
    if problem:
        errors["phone"] = [problem]
    return Checked(postal, number), errors


def normalise_phone(country: str, phone: str) -> tuple[str, str]:
    """(E.164 number, "") or (the input, what is wrong with it)."""
    text = fold_width(phone or "").strip()
    if not text:
        return "", "Missing data for required field."
    digits = re.sub(r"[\s().\-/]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not re.fullmatch(r"\+?\d{4,17}", digits):
        return text, f"Not a phone number: {phone}."
    rule = PHONE.get(country)
    if rule is None:
        if digits.startswith("+") and 8 <= len(digits) - 1 <= 15:
            return digits, ""
        return text, f"Give the number with its country code (+…): {phone}."
    calling, shortest, longest = rule
    if digits.startswith("+"):
        if not digits[1:].startswith(calling):
            return text, f"A phone in {country} starts with +{calling}: {phone}."
        national = digits[1 + len(calling):]
    else:
        national = digits
        for prefix in ("0", TRUNK_PREFIX.get(country, "")):
            if prefix and national.startswith(prefix) and not shortest <= len(national) <= longest:
                national = national[len(prefix):]
        if calling != "1" and national.startswith(calling) and not shortest <= len(national) <= longest:
            national = national[len(calling):]
    national = national.lstrip("0") if country not in ("IT",) else national
    if not shortest <= len(national) <= longest:
        return text, f"A phone in {country} has {shortest}–{longest} digits after +{calling}: {phone}."
    return f"+{calling}{national}", ""
