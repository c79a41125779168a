"""Raw TCP printing (port 9100) against a loopback listener: the printer receives exactly the bytes
rendered; a closed port is a ``printer_unreachable`` problem naming the address."""
from __future__ import annotations

import pytest

from wms.printing.templates import TEMPLATES
from wms.printing.transport import PrinterUnreachable, send_raw
from wms.printing.zpl import render_zpl


def test_printer_receives_exactly_the_zpl(listener):
    payload = render_zpl([TEMPLATES["location"].fill({"code": "A01-01-1-1", "zone": "STO"})]).encode()
    assert send_raw("127.0.0.1", listener.port, payload, timeout=5, printer="LOOP-01") == len(payload)
    assert listener.wait() == payload


def test_large_batches_arrive_whole(listener):
    labels = [TEMPLATES["location"].fill({"code": f"A01-{n:02d}-1-1", "zone": "STO"}) for n in range(1, 501)]
    payload = render_zpl(labels).encode()
    assert len(payload) > 65536                       # more than one socket buffer
    send_raw("127.0.0.1", listener.port, payload, timeout=5)
    assert listener.wait() == payload


def test_refused_connection_names_printer_and_address(closed_port):
    with pytest.raises(PrinterUnreachable) as refused:
        send_raw("127.0.0.1", closed_port, b"^XA^XZ", timeout=2, printer="ZB-PACK-01")
    problem = refused.value
    assert (problem.status, problem.code) == (502, "printer_unreachable")
    assert problem.params["address"] == f"127.0.0.1:{closed_port}"
    assert problem.params["printer"] == "ZB-PACK-01" and problem.params["reason"]
