"""``returnStatus`` codes of CEB receipts: meaning in Chinese and English, failure and finality.

Codes (customs.md §4, the spec and the public ``CustomsResultStatus`` enum): 1 draft stored, 2 being
declared, 3 sent to customs, 4 sending failed, 100 rejected, 120 accepted into the customs database,
300 manual review, 399 review concluded, 500 inspection, 800 released, 899 closed; a negative code
is a processing error (business codes −301xxx orders, −401xxx payments, −50xxxx waybills, −6xxxxx
lists…). Unknown codes are kept, marked neither failure nor final.

- ``is_failure``: the submission failed (4, 100, any negative code): fix the data and resend
  (``appType`` 2 for a record the portal already holds).
- ``is_final``: nothing more will come for this submission whatever its type: a failure, 899
  closed, or 1 (the portal parked it as a draft: it waits for you to declare it).
- ``is_final_for(message_type)``: also the success that ends that receipt's flow: 120 for
  orders, payments, waybills, arrivals, departures and master bills; 399 for cancellations and
  summary requests; 899 for lists (2 → 120 → (300) → 399 → (500) → 800 → 899). Medium
  confidence for 508/510/608, which follow the public enum.
"""
from __future__ import annotations

from dataclasses import dataclass

_KNOWN: dict[int, tuple[str, str]] = {
    1: ("电子口岸已暂存", "stored as a draft by the e-port"),
    2: ("电子口岸申报中", "accepted by the e-port, being declared"),
    3: ("发送海关成功", "sent to customs"),
    4: ("发送海关失败", "sending to customs failed"),
    100: ("海关退单", "rejected by customs"),
    120: ("海关入库", "accepted into the customs database"),
    300: ("人工审核", "manual review"),
    399: ("海关审结", "customs review concluded"),
    500: ("查验", "inspection"),
    800: ("放行", "released"),
    899: ("结关", "closed"),
}
_FAILURES = frozenset({4, 100})
_FINAL = frozenset({1, 899})
FINAL_SUCCESS: dict[str, int] = {
    "CEB304": 120, "CEB404": 120, "CEB506": 120, "CEB508": 120, "CEB510": 120, "CEB608": 120,
    "CEB604": 899, "CEB606": 399, "CEB702": 399,
}


@dataclass(frozen=True)
class ReturnStatus:
    code: int
    zh: str
    en: str
    is_failure: bool
    is_final: bool

    @classmethod
    def of(cls, code: int | str) -> ReturnStatus:
        """The status for ``code`` (``"120"``, ``-301010``…); ``ValueError`` if it is not a number."""
        value = int(str(code).strip())
        if value < 0:
            return cls(value, "处理异常", "processing error", True, True)
        zh, en = _KNOWN.get(value, ("未知状态", "unknown status"))
        failed = value in _FAILURES
        return cls(value, zh, en, failed, failed or value in _FINAL)

    def is_final_for(self, message_type: str) -> bool:
        """Final for a receipt of ``message_type`` (``"CEB604"``/``"CEB604Message"``)."""
        return self.is_final or FINAL_SUCCESS.get(message_type.removesuffix("Message")) == self.code

    def __str__(self) -> str:
        return f"{self.code} {self.zh} ({self.en})"
