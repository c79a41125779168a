"""Raw TCP printing: ZPL or TSPL bytes sent to the printer's port (9100, "JetDirect"/raw socket).

The printer answers nothing; the job counts as delivered when every byte was written and the connection
closed cleanly. A refused connection, an unknown host or a timeout is a ``PrinterUnreachable`` problem
(502) naming the printer and its address.
"""
from __future__ import annotations

import socket

from wms.errors import WmsError


class PrinterUnreachable(WmsError):
    """The printer did not take the job: the gateway to the device failed (502)."""
    status, code = 502, "printer_unreachable"


def send_raw(host: str, port: int, payload: bytes, *, timeout: float, printer: str = "") -> int:
    """Send ``payload`` to ``host:port`` within ``timeout`` seconds (connect and each write); bytes sent."""
    address = f"{host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.sendall(payload)
            connection.shutdown(socket.SHUT_WR)
    except socket.timeout:
        raise PrinterUnreachable(printer=printer, address=address, reason="timeout") from None
    except OSError as exc:
        raise PrinterUnreachable(printer=printer, address=address,
                                 reason=exc.strerror or type(exc).__name__) from None
    return len(payload)
