"""Batching (1..100 records per message) and split documents (msgCount / msgSeqNo)."""
from __future__ import annotations

import uuid

import pytest
from lxml import etree

from tests.customs import demo
from wms.customs.ceb import CEB_NS, CebFieldError, batch, build, build_batches, build_split, split

NS = {"ceb": CEB_NS}


def test_250_orders_make_three_valid_messages(export_schema):
    orders = [demo.order(n) for n in range(1, 251)]
    messages = [etree.fromstring(xml) for xml in build_batches("CEB303", orders, demo.TRANSFER)]
    assert [len(doc.findall("ceb:Order", NS)) for doc in messages] == [100, 100, 50]
    for doc in messages:
        export_schema.assertValid(doc)
    record_guids = [guid for doc in messages
                    for guid in doc.xpath("ceb:Order/ceb:OrderHead/ceb:guid/text()", namespaces=NS)]
    message_guids = [doc.get("guid") for doc in messages]
    for guid in record_guids + message_guids:
        assert guid == guid.upper() and uuid.UUID(guid).version == 4
    assert len(set(record_guids)) == 250 and len(set(message_guids)) == 3
    order_nos = [n for doc in messages for n in doc.xpath("//ceb:orderNo/text()", namespaces=NS)]
    assert order_nos == [demo.order_no(n) for n in range(1, 251)]


@pytest.mark.parametrize("code", ["CEB403", "CEB505", "CEB603", "CEB605"])
def test_flat_and_list_types_batch_the_same_way(code, export_schema):
    factory = demo.RECORDS[code]
    records = [factory(n) for n in range(1, 206)] if code != "CEB605" else \
        [demo.cancel(cop_no=f"ANK-CXL-{n:06d}") for n in range(1, 206)]
    messages = build_batches(code, records, demo.TRANSFER)
    assert len(messages) == 3
    for xml in messages:
        export_schema.assertValid(etree.fromstring(xml))


def test_batch_sizes():
    assert [len(run) for run in batch(range(250))] == [100, 100, 50]
    assert [len(run) for run in batch(range(7), size=3)] == [3, 3, 1]
    assert batch([]) == []
    for size in (0, 101):
        with pytest.raises(ValueError, match="from 1 to 100"):
            batch(range(5), size=size)


def test_more_than_100_records_in_one_message_is_refused():
    with pytest.raises(CebFieldError, match="use batch"):
        build("CEB303", [demo.order(n) for n in range(1, 102)], demo.TRANSFER)
    with pytest.raises(CebFieldError):
        build("CEB303", [], demo.TRANSFER)


def test_two_records_with_one_guid_are_refused():
    first = demo.order(1)
    with pytest.raises(CebFieldError, match="used by two records"):
        build("CEB303", [first, demo.order(2, guid=first.guid)], demo.TRANSFER)


def test_unsplit_documents_are_1_of_1(export_schema):
    for code in ("CEB507", "CEB509", "CEB607", "CEB701"):
        doc = etree.fromstring(build(code, [demo.record(code)], demo.TRANSFER))
        export_schema.assertValid(doc)
        assert doc.xpath("string(.//ceb:msgCount)", namespaces=NS) == "1"
        assert doc.xpath("string(.//ceb:msgSeqNo)", namespaces=NS) == "1"


def test_split_departure_numbers_parts_without_gaps(export_schema):
    record = demo.departure(lines=250)
    parts = split(record, max_lines=100)
    numbering = [(p.msg_count, p.msg_seq_no, len(p.lines)) for p in parts]
    assert numbering == [(3, 1, 100), (3, 2, 100), (3, 3, 50)]
    assert len({p.guid for p in parts}) == 3 and record.guid not in {p.guid for p in parts}
    assert {p.cop_no for p in parts} == {record.cop_no}
    assert [line for p in parts for line in p.lines] == list(record.lines)

    messages = [etree.fromstring(xml) for xml in build_split("CEB509", record, demo.TRANSFER, max_lines=100)]
    assert len(messages) == 3
    for seq, doc in enumerate(messages, 1):
        export_schema.assertValid(doc)
        head = doc.find("ceb:Departure/ceb:DepartureHead", NS)
        assert head.findtext("ceb:msgCount", namespaces=NS) == "3"
        assert head.findtext("ceb:msgSeqNo", namespaces=NS) == str(seq)
        gnums = doc.xpath("ceb:Departure/ceb:DepartureList/ceb:gnum/text()", namespaces=NS)
        assert gnums[0] == "1" and gnums == [str(n) for n in range(1, len(gnums) + 1)]


@pytest.mark.parametrize("code, factory", [("CEB507", demo.arrival), ("CEB607", demo.waybill_bill)])
def test_split_arrival_and_master_bill(code, factory, export_schema):
    messages = build_split(code, factory(lines=5), demo.TRANSFER, max_lines=2)
    seqs = []
    for xml in messages:
        doc = etree.fromstring(xml)
        export_schema.assertValid(doc)
        seqs.append((doc.xpath("string(.//ceb:msgCount)", namespaces=NS),
                     doc.xpath("string(.//ceb:msgSeqNo)", namespaces=NS)))
    assert seqs == [("3", "1"), ("3", "2"), ("3", "3")]


def test_split_summary_request_splits_its_list_numbers(export_schema):
    parts = split(demo.summary(invt_nos=5), max_lines=2)
    assert [[no[-1] for no in p.invt_nos] for p in parts] == [["1", "2"], ["3", "4"], ["5"]]
    for part in parts:
        export_schema.assertValid(etree.fromstring(build("CEB701", [part], demo.TRANSFER)))


def test_a_document_that_fits_stays_whole():
    record = demo.departure(lines=3, msg_count=4, msg_seq_no=2)
    (part,) = split(record, max_lines=100)
    assert (part.msg_count, part.msg_seq_no, part.guid) == (1, 1, record.guid)
    (empty,) = split(demo.arrival(lines=0), max_lines=10)
    assert empty.lines == () and empty.msg_count == 1


def test_split_needs_a_positive_limit():
    with pytest.raises(ValueError):
        split(demo.departure(), max_lines=0)


def test_sequence_number_beyond_count_is_refused():
    with pytest.raises(CebFieldError) as error:
        build("CEB509", [demo.departure(msg_count=2, msg_seq_no=3)], demo.TRANSFER)
    assert error.value.field == "msgSeqNo"
    with pytest.raises(CebFieldError) as error:
        build("CEB509", [demo.departure(msg_count=0)], demo.TRANSFER)
    assert error.value.field == "msgCount"
