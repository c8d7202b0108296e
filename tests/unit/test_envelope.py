import json

import pytest

from shared.contracts.envelope import STRUCTURED, CloudEvent, EnvelopeError, from_kafka
from shared.testing import voorbeeld


def test_binary_mode_round_trip_keeps_attributes_and_trace_context():
    tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    ev = CloudEvent(type="nl.vhh.test.iets-gebeurd.v1", source="/test", subject="s1",
                    data={"a": 1}, traceparent=tp)
    headers, value = ev.to_binary()
    assert ("content-type", b"application/json") in headers
    assert ("ce_traceparent", tp.encode()) in headers
    terug = from_kafka(headers, value)
    assert (terug.id, terug.type, terug.source, terug.subject, terug.data, terug.traceparent) == (
        ev.id, ev.type, ev.source, "s1", {"a": 1}, tp)
    assert terug.time == ev.time


def test_structured_mode_is_read_like_binary_mode():
    msg = voorbeeld("politie-huiselijk-geweld")
    ev = from_kafka({"content-type": STRUCTURED.encode()}, json.dumps(msg).encode())
    assert ev.id == "BVH-2026-LB-0048121"
    assert ev.source == "/politie/eenheid-limburg/bvh"
    assert ev.data["pleegplaats"]["gemeentecode"] == "GM0935"
    binary = from_kafka(*ev.to_binary())
    assert binary.data == ev.data and binary.id == ev.id


@pytest.mark.parametrize(("headers", "value", "veld"), [
    ([("content-type", STRUCTURED.encode())], b'{"specversion": "1.0", "id": "x", "sou', "value"),
    ([("content-type", STRUCTURED.encode())], b'{"specversion":"1.0","source":"/a","type":"t"}',
     "id"),
    ([("content-type", b"application/json"), ("ce_specversion", b"1.0"), ("ce_id", b"1"),
      ("ce_source", b"/a"), ("ce_type", b"t")], b'{"kapot', "data"),
    ([("content-type", b"application/json")], b"{}", "ce_specversion"),
    ([("content-type", b"application/json"), ("ce_specversion", b"1.0"), ("ce_id", b"1"),
      ("ce_source", b"/a"), ("ce_type", b"t"), ("ce_time", b"gisteren")], b"{}", "time"),
])
def test_unreadable_envelopes_name_the_part_that_is_wrong(headers, value, veld):
    with pytest.raises(EnvelopeError) as exc:
        from_kafka(headers, value)
    assert exc.value.field == veld
