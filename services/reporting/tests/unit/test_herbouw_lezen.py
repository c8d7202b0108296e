"""A rebuild reads meldingen and decisions the short way (their count model straight from the
record's bytes): every record gives the fact, the inbox key, or the refusal the live consumer
gives it, whatever is odd about the record."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.domain.feiten import sleutel
from services.reporting.entrypoints.herbouw import Uitkomst, _snel, _verwerk
from services.reporting.entrypoints.worker import Telling
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, record
from services.reporting.tests.unit.test_jaarverslag_vouw import _jaar
from shared.kafka_io import Record
from shared.kit.consumer import Onverwerkbaar


def _anders(r: Record, **headers: bytes | None) -> Record:
    """The record with these headers replaced (None: left out)."""
    namen = {k.replace("_", "-") if k == "content_type" else k: v for k, v in headers.items()}
    kop = [(k, v) for k, v in r.headers if k not in namen]
    return replace(r, headers=kop + [(k, v) for k, v in namen.items() if v is not None])


def _data(r: Record, **velden: object) -> Record:
    data = json.loads(r.waarde or b"{}")
    data.update(velden)
    return replace(r, waarde=json.dumps(data).encode())


def test_the_rebuild_reads_every_record_as_the_live_consumer_does(tmp_path: Path) -> None:
    s = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'r.db'}", huizen=[HUIS])
    migreer_database(s)
    telling = Telling(bootstrap(s))
    goed = [record(e, offset=i) for i, e in enumerate(_jaar())]
    melding, besluit = (next(r for r in goed if (r.header("ce_type") or "").endswith(soort))
                        for soort in ("melding-geregistreerd.v1", "besluit-genomen.v1"))
    # the good meldingen and decisions go the short way (else this would test nothing)
    assert _snel(melding) is not None and _snel(besluit) is not None
    vreemd = [
        _data(melding, bron="onbekend"), _data(besluit, route=None),
        _data(melding, wijk="geen wijk"), _data(besluit, besluit_id="geen id"),
        replace(melding, waarde=b"{niet json"), replace(besluit, waarde=b""),
        replace(melding, waarde=b"[]"),
        _anders(melding, ce_time=b"gisteren"), _anders(besluit, ce_time=None),
        _anders(melding, ce_specversion=b"0.3"), _anders(besluit, ce_id=b""),
        _anders(melding, ce_source=None), _anders(besluit, ce_id=b"\xff"),
        _anders(melding, content_type=b"text/plain"), _anders(besluit, content_type=None),
        _anders(melding, CE_ID=b"anders"), _anders(besluit, ce_subject=b"iets"),
        _anders(melding, ce_type=b"nl.vhh.onbekend.v1"),
    ]
    for r in goed + vreemd:
        live: object
        try:
            gelezen = telling.lees(r)
        except Onverwerkbaar:
            live = "unreadable"
        else:
            live = None if gelezen is None or gelezen[1] is None else (
                sleutel(gelezen[0]), gelezen[0].type, gelezen[1])
        uitkomst = Uitkomst()
        herbouwd = _verwerk(telling, r, uitkomst)
        if uitkomst.onleesbaar:
            assert live == "unreadable", r
        else:
            assert live == (None if herbouwd is None else (
                sleutel(herbouwd[0]), herbouwd[0].type, herbouwd[1])), r
