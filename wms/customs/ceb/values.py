"""Value rules of the CEB 202205 XSD: how one Python value becomes the text of one element.

Every rule either returns the element text or raises ``RuleBroken`` with a plain-words reason; the
builder turns that into ``CebFieldError`` naming the record and field.

Rules, as in the XSD and customs.md §2.6:
- text is counted in characters (XSD ``length``/``maxLength``); control characters XML 1.0 cannot
  carry are refused; codes have fixed character sets (``Text(pattern=…)``);
- ``N19,5`` decimals: ``Decimal`` (or ``int``, never ``float``), not negative, at most 5 decimal
  places and 19 digits, written without exponent or trailing zeros (``12.5``, ``0``);
- ``N5``/``N9`` integers: ``int`` from 1 up to the digit count;
- ``C14`` time stamps ``YYYYMMDDhhmmss`` and ``C8`` dates ``YYYYMMDD`` are China time (UTC+8, no
  daylight saving since 1991): a datetime must carry its timezone, it is converted, never guessed;
- receipts give ``C17`` ``yyyyMMddHHmmssfff``, also China time.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

CHINA_TZ = timezone(timedelta(hours=8))
"""China Standard Time, the zone of every CEB time stamp (fixed offset: no tz database needed)."""

GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_C17 = re.compile(r"^\d{17}$")
_C14 = re.compile(r"^\d{14}$")


class RuleBroken(ValueError):
    """A value breaks its element's rule; the message says how (the builder adds record and field)."""


def china_now() -> datetime:
    return datetime.now(CHINA_TZ)


def new_guid() -> str:
    """A fresh record or message guid: a UUID4 in upper case, 36 characters, as the spec asks."""
    return str(uuid.uuid4()).upper()


def c14(moment: datetime) -> str:
    """``YYYYMMDDhhmmss`` in China time; a naive datetime is refused rather than guessed."""
    if not isinstance(moment, datetime):
        raise RuleBroken("must be a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RuleBroken("naive datetime: give it a timezone (CEB times are China time, UTC+8)")
    return moment.astimezone(CHINA_TZ).strftime("%Y%m%d%H%M%S")


def c8(day: date) -> str:
    """``YYYYMMDD``; an aware datetime is first converted to its China calendar day."""
    if isinstance(day, datetime):
        return c14(day)[:8]
    if not isinstance(day, date):
        raise RuleBroken("must be a date")
    return day.strftime("%Y%m%d")


def parse_c17(text: str) -> datetime:
    """Receipt time ``yyyyMMddHHmmssfff`` (milliseconds) in China time; 14 digits are accepted too."""
    text = text.strip()
    if _C17.match(text):
        moment = datetime.strptime(text[:14], "%Y%m%d%H%M%S")
        moment = moment.replace(microsecond=int(text[14:]) * 1000)
    elif _C14.match(text):
        moment = datetime.strptime(text, "%Y%m%d%H%M%S")
    else:
        raise ValueError(f"expected yyyyMMddHHmmssfff, got {text!r}")
    return moment.replace(tzinfo=CHINA_TZ)


def decimal_text(value: Decimal | int, *, total_digits: int = 19, fraction_digits: int = 5) -> str:
    """``N19,5``: plain notation, trailing zeros dropped; too many digits is an error, never rounded."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        if isinstance(value, float):
            raise RuleBroken("use Decimal, not float (binary floats are inexact)")
        raise RuleBroken("must be a Decimal")
    number = Decimal(value)
    if not number.is_finite():
        raise RuleBroken("must be a finite number")
    if number < 0:
        raise RuleBroken("must not be negative")
    number = number.normalize()
    sign, digits, exponent = number.as_tuple()
    fraction = max(0, -exponent)
    if fraction > fraction_digits:
        raise RuleBroken(f"more than {fraction_digits} decimal places: round it before declaring")
    significant = len(digits) + max(0, exponent) if number else 1
    if significant > total_digits:
        raise RuleBroken(f"more than {total_digits} digits")
    return format(number, "f")


@dataclass(frozen=True)
class Text:
    """A string element: exact ``length`` or ``max_len``, optional ``pattern``/``choices``."""

    max_len: int | None = None
    length: int | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    hint: str = ""  # shown when the pattern fails, e.g. "4 digits"

    def render(self, value: object) -> str:
        if not isinstance(value, str):  # StrEnum members are str
            raise RuleBroken("must be text (str)")
        text = str(value)  # a StrEnum member becomes its value
        if _XML_ILLEGAL.search(text):
            raise RuleBroken("contains control characters XML cannot carry")
        if self.choices and text not in self.choices:
            raise RuleBroken(f"must be one of {', '.join(self.choices)}")
        if self.length is not None and len(text) != self.length:
            raise RuleBroken(f"must be exactly {self.length} characters, has {len(text)}")
        if self.max_len is not None and len(text) > self.max_len:
            raise RuleBroken(f"too long: at most {self.max_len} characters, has {len(text)}")
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise RuleBroken(f"wrong characters: must be {self.hint or self.pattern}")
        return text


@dataclass(frozen=True)
class Dec:
    """``N19,5`` decimal (amounts, quantities, weights)."""

    def render(self, value: object) -> str:
        return decimal_text(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Int:
    """``N5``/``N9`` integer from 1 up to ``digits`` digits (line numbers, counts)."""

    digits: int

    def render(self, value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleBroken("must be an int")
        if not 1 <= value < 10 ** self.digits:
            raise RuleBroken(f"must be from 1 to {10 ** self.digits - 1}")
        return str(value)


@dataclass(frozen=True)
class Stamp:
    """``C14`` time stamp in China time."""

    def render(self, value: object) -> str:
        return c14(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Day:
    """``C8`` date."""

    def render(self, value: object) -> str:
        return c8(value)  # type: ignore[arg-type]


Rule = Text | Dec | Int | Stamp | Day
