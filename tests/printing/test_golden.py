"""Golden strings: the exact ZPL and TSPL of the location and SSCC labels (and of GS1-128 with FNC1
separators). A change here changes what every printer on the floor prints; review it as such."""
from __future__ import annotations

import re

import pytest

from tests.printing.samples import SAMPLES, gs1_label
from wms.printing.model import em_width
from wms.printing.templates import TEMPLATES
from wms.printing.tspl import render_tspl
from wms.printing.zpl import render_zpl

LOCATION = {"code": "A01-01-1-1", "zone": "STO", "zone_name": "存储区", "warehouse": "QH01"}
SSCC = {"sscc": "106141411234567897", "from_name": "前海保税仓 QH01", "to_name": "Amazon ONT8", "count": "48"}


def tspl(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def test_location_zpl_203_dpi():
    label = TEMPLATES["location"].fill(LOCATION)
    assert render_zpl([label], 203, "E:SIMSUN.TTF") == (
        "^XA\n"
        "^CI28\n"
        "^PW400\n"
        "^LL240\n"
        "^LH0,0\n"
        "^FO16,12^A@N,22,22,E:SIMSUN.TTF^FDSTO 存储区^FS\n"
        "^FO264,12^A@N,22,22,E:SIMSUN.TTF^FB120,1,0,R,0^FDQH01^FS\n"
        "^FO16,41^GB368,2,2^FS\n"
        "^FO55,52^BY2^BCN,92,N,N,N,N^FD>:A01-01-1-1^FS\n"
        "^FO8,157^A@N,64,64,E:SIMSUN.TTF^FB384,1,0,C,0^FDA01-01-1-1^FS\n"
        "^PQ1\n"
        "^XZ\n")


def test_location_zpl_300_dpi():
    label = TEMPLATES["location"].fill(LOCATION)
    assert render_zpl([label], 300, "E:SIMSUN.TTF") == (
        "^XA\n"
        "^CI28\n"
        "^PW600\n"
        "^LL360\n"
        "^LH0,0\n"
        "^FO24,18^A@N,34,34,E:SIMSUN.TTF^FDSTO 存储区^FS\n"
        "^FO396,18^A@N,34,34,E:SIMSUN.TTF^FB180,1,0,R,0^FDQH01^FS\n"
        "^FO24,61^GB552,3,3^FS\n"
        "^FO82,78^BY3^BCN,138,N,N,N,N^FD>:A01-01-1-1^FS\n"
        "^FO12,235^A@N,96,96,E:SIMSUN.TTF^FB576,1,0,C,0^FDA01-01-1-1^FS\n"
        "^PQ1\n"
        "^XZ\n")


def test_location_tspl_203_dpi_in_gb18030():
    label = TEMPLATES["location"].fill(LOCATION)
    assert render_tspl([label], 203) == tspl(
        "SIZE 50 mm,30 mm",
        "GAP 2 mm,0 mm",
        "DIRECTION 1,0",
        "REFERENCE 0,0",
        "CLS",
        'TEXT 16,12,"TSS24.BF2",0,1,1,"STO 存储区"',
        'TEXT 336,12,"TSS24.BF2",0,1,1,"QH01"',
        "BAR 16,41,368,2",
        'BARCODE 55,52,"128",92,0,0,2,2,"A01-01-1-1"',
        'TEXT 20,157,"TSS24.BF2",0,3,3,"A01-01-1-1"',
        "PRINT 1")
    assert "存储区".encode("gb18030") == b"\xb4\xe6\xb4\xa2\xc7\xf8"


def test_sscc_zpl_203_dpi():
    label = TEMPLATES["sscc"].fill(SSCC)
    assert render_zpl([label], 203, "E:SIMSUN.TTF") == (
        "^XA\n"
        "^CI28\n"
        "^PW800\n"
        "^LL1200\n"
        "^LH0,0\n"
        "^FO32,24^A@N,24,24,E:SIMSUN.TTF^FD发货人 FROM^FS\n"
        "^FO32,56^A@N,32,32,E:SIMSUN.TTF^FD前海保税仓 QH01^FS\n"
        "^FO32,199^GB736,3,3^FS\n"
        "^FO32,216^A@N,24,24,E:SIMSUN.TTF^FD收货人 TO^FS\n"
        "^FO32,248^A@N,32,32,E:SIMSUN.TTF^FDAmazon ONT8^FS\n"
        "^FO32,391^GB736,3,3^FS\n"
        "^FO32,408^A@N,24,24,E:SIMSUN.TTF^FDSSCC 系列货运包装箱代码^FS\n"
        "^FO32,444^A@N,56,56,E:SIMSUN.TTF^FD106141411234567897^FS\n"
        "^FO32,604^A@N,29,29,E:SIMSUN.TTF^FD数量 COUNT  48^FS\n"
        "^FO32,807^GB736,3,3^FS\n"
        "^FO88,832^BY4^BCN,256,N,N,N,N^FD>;>800106141411234567897^FS\n"
        "^FO24,1104^A@N,56,56,E:SIMSUN.TTF^FB752,1,0,C,0^FD(00) 106141411234567897^FS\n"
        "^PQ1\n"
        "^XZ\n")


def test_sscc_tspl_203_dpi():
    label = TEMPLATES["sscc"].fill(SSCC)
    assert render_tspl([label], 203) == tspl(
        "SIZE 100 mm,150 mm",
        "GAP 2 mm,0 mm",
        "DIRECTION 1,0",
        "REFERENCE 0,0",
        "CLS",
        'TEXT 32,24,"TSS24.BF2",0,1,1,"发货人 FROM"',
        'TEXT 32,56,"TSS24.BF2",0,1,1,"前海保税仓 QH01"',
        "BAR 32,199,736,3",
        'TEXT 32,216,"TSS24.BF2",0,1,1,"收货人 TO"',
        'TEXT 32,248,"TSS24.BF2",0,1,1,"Amazon ONT8"',
        "BAR 32,391,736,3",
        'TEXT 32,408,"TSS24.BF2",0,1,1,"SSCC 系列货运包装箱代码"',
        'TEXT 32,444,"TSS24.BF2",0,2,2,"106141411234567897"',
        'TEXT 32,604,"TSS24.BF2",0,1,1,"数量 COUNT  48"',
        "BAR 32,807,736,3",
        'BARCODE 88,832,"EAN128",256,0,0,4,4,"00106141411234567897"',
        'TEXT 124,1104,"TSS24.BF2",0,2,2,"(00) 106141411234567897"',
        "PRINT 1")


def test_gs1_with_fnc1_separators():
    """A variable-length AI (10 batch) not at the end is followed by FNC1: >8 in ZPL, !102 in TSPL 128M;
    both name the same code sets as the PDF symbol (C, B for "L", C again)."""
    label = gs1_label("(01)06901234567892(10)L2411(21)0001")
    assert render_zpl([label], 203).splitlines()[5] == (
        "^FO156,40^BY2^BCN,160,N,N,N,N^FD>;>8010690123456789210>6L>52411>8210001^FS")
    assert render_tspl([label], 203).decode().splitlines()[5] == (
        'BARCODE 156,40,"128M",160,0,0,2,2,"!105!102010690123456789210!100L!0992411!102210001"')


def test_multiple_labels_are_one_format_each():
    labels = [TEMPLATES["location"].fill({"code": code, "zone": "TMP"}) for code in ("TMP-A01", "TMP-A02")]
    zpl = render_zpl(labels, 203)
    assert zpl.count("^XA") == zpl.count("^XZ") == 2
    assert "^FD>:TMP-A01^FS" in zpl and "^FD>:TMP-A02^FS" in zpl
    tspl_text = render_tspl(labels, 203).decode("gb18030")
    assert tspl_text.count("SIZE ") == 1 and tspl_text.count("CLS") == tspl_text.count("PRINT 1") == 2


def test_printer_command_characters_in_data_are_escaped():
    """ZPL's ^ and ~ would start commands: hex under ^FH. TSPL strings escape their quote as \\["]."""
    label = TEMPLATES["lpn"].fill({"lpn": "LPN^1~2_3", "sku": 'SKU "A"', "qty": 1, "name_zh": "测试"})
    zpl = render_zpl([label], 203)
    assert "^FH_^FD>:LPN_5E1_7E2_5F3^FS" in zpl                       # the barcode
    assert "^FH_^FDLPN_5E1_7E2_5F3^FS" in zpl                          # its text
    assert '^FDSKU SKU "A"^FS' in zpl                                   # quotes are plain in ZPL
    tspl_text = render_tspl([label], 203).decode("gb18030")
    assert 'BARCODE 132,52,"128",104,0,0,4,4,"LPN^1~2_3"' in tspl_text.splitlines()
    assert 'TEXT 24,229,"TSS24.BF2",0,1,1,"SKU SKU \\["]A\\["]"' in tspl_text.splitlines()


@pytest.mark.parametrize("dpi,dots_per_mm", [(203, 8), (300, 12)])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_tspl_text_stays_on_the_label(name, dpi, dots_per_mm):
    """The bitmap font scales in whole steps; every line must still fit the label."""
    template = TEMPLATES[name]
    out = render_tspl([template.fill(SAMPLES[name])], dpi).decode("gb18030").replace("\r\n", "\n")
    lines = re.findall(r'^TEXT (\d+),(\d+),"TSS24.BF2",0,(\d+),\d+,"(.*)"$', out, re.M)
    assert lines
    for x, y, scale, text in lines:
        width = em_width(text.replace('\\["]', '"')) * 24 * int(scale)
        assert int(x) >= 0 and int(x) + width <= template.width * dots_per_mm, text
        assert int(y) + 24 * int(scale) <= template.height * dots_per_mm, text
