"""A rebuild reads every counted event type the short way (meldingen and decisions through their
count model straight from the record's bytes, the others through their contract with only the
personal fields' tokens replaced): every record gives the fact, the inbox key, or the refusal
the live consumer gives it, whatever is odd about the record."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from services.reporting.bootstrap import bootstrap, migreer_database
from services.reporting.domain.feiten import sleutel
from services.reporting.entrypoints.herbouw import Uitkomst, _snel, _verwerk
from services.reporting.entrypoints.worker import Telling
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, casusevent, record
from services.reporting.tests.unit.test_jaarverslag_vouw import _jaar
from shared.contracts.envelope import CloudEvent
from shared.contracts.nazorg import (
    DOSSIER_GEOPEND_V1,
    NAZORG_SOURCE,
    VOORWAARDE_GEWIJZIGD_V1,
)
from shared.contracts.privacy import GEWIST
from shared.contracts.regie import CasusOvergenomen, Traject
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


def _zonder(r: Record, *velden: str) -> Record:
    data = json.loads(r.waarde or b"{}")
    for veld in velden:
        data.pop(veld)
    return replace(r, waarde=json.dumps(data).encode())


def _veld(r: Record, *pad: str | int) -> Any:
    waarde = json.loads(r.waarde or b"{}")
    for stap in pad:
        waarde = waarde[stap]
    return waarde


@pytest.fixture
def telling(tmp_path: Path) -> Telling:
    s = ReportingSettings(database_url=f"sqlite:///{tmp_path / 'r.db'}", huizen=[HUIS])
    migreer_database(s)
    return Telling(bootstrap(s))


def _zelfde(telling: Telling, records: list[Record]) -> None:
    """Each record read the short way (``_verwerk``) gives what the live consumer gives it."""
    for r in records:
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


def _nazorg() -> list[CloudEvent]:
    """A dossier opened (personal fields in it, in its conditions and in its BIJ task) and a
    condition changed, as nazorg publishes them."""
    dossier, persoon, op = uuid4(), uuid4(), datetime(2025, 3, 1, 10, tzinfo=UTC)
    stand = {
        "dossier_id": str(dossier), "huis": HUIS.value, "persoon_id": str(persoon),
        "naam": "Jansen", "geboortedatum": "1980-01-01", "detentie_start": "2025-01-10",
        "fase": "in_detentie", "inrichting_code": "PI", "inrichting_naam": "PI",
        "verwachte_ontslagdatum": "2025-06-01", "ontslagen_op": None,
        "gemeente_van_inschrijving": "GM0957", "gemeentecode": "GM0957",
        "zonder_gemeente": False, "minderjarig": False, "zwaar_delict": True,
        "regie": "zorg_en_veiligheidshuis", "huis_ondersteunt": False,
        "voorwaarden": [{"voorwaarde": "huisvesting", "status": "onbekend",
                         "toelichting": "Zoekt een woning."},
                        {"voorwaarde": "inkomen_en_werk", "status": "geregeld",
                         "toelichting": None}],
        "casemanager": None, "maatje": None,
        "bij_taak": {"gemeentecode": "GM0957", "toelichting": "Beoordeeld."},
        "plan_compleet": False, "berichten": [], "melding_ids": []}
    return [
        CloudEvent(type=DOSSIER_GEOPEND_V1, source=NAZORG_SOURCE, subject=str(dossier), time=op,
                   data=stand),
        CloudEvent(type=VOORWAARDE_GEWIJZIGD_V1, source=NAZORG_SOURCE, subject=str(dossier),
                   data={"dossier_id": str(dossier), "huis": HUIS.value,
                         "persoon_id": str(persoon), "plan_compleet": False,
                         "voorwaarde": {"voorwaarde": "huisvesting", "status": "geregeld"},
                         "gewijzigd_op": op.isoformat()})]


def _overgenomen() -> CloudEvent:
    """A case taken over from another house, its goals and open actions (personal texts) in
    lists of their own."""
    persoon = uuid4()
    return casusevent(
        CasusOvergenomen, uuid4(), datetime(2025, 4, 1, 10, tzinfo=UTC),
        van_huis="parkstad", van_casus_id=uuid4(), reden="verhuisd", hoofdpersoon_id=persoon,
        persoon_ids=[persoon], melding_ids=[uuid4()], doelgroep="huiselijk_geweld",
        gemeentecode="GM0957", traject=Traject.KORT, soort="casusoverleg",
        melding_ontvangen_op=datetime(2025, 3, 1, 10, tzinfo=UTC),
        doelen=[{"leefgebied": "huisvesting", "omschrijving": "Een woning."}],
        open_acties=[{"omschrijving": "Bellen.", "partner": "gemeente",
                      "deadline": "2025-05-01"}])


def test_the_rebuild_reads_every_record_as_the_live_consumer_does(telling: Telling) -> None:
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
    _zelfde(telling, goed + vreemd)


def test_the_rebuild_reads_cases_aftercare_and_restraining_orders_as_the_live_consumer_does(
        telling: Telling) -> None:
    goed = [record(e, offset=i) for i, e in enumerate([*_jaar(), *_nazorg(), _overgenomen()])]

    def van(soort: str) -> Record:
        return next(r for r in goed if (r.header("ce_type") or "").endswith(soort))

    aangemeld, overleg, afgesloten, opgelegd, rihg, dossier, voorwaarde, overgenomen = map(van, (
        "casus-aangemeld.v1", "casusoverleg-gehouden.v1", "casus-afgesloten.v1",
        "huisverbod-opgelegd.v1", "huisverbod-rihg-ingevuld.v1", "dossier-geopend.v1",
        "voorwaarde-gewijzigd.v1", "casus-overgenomen.v1"))
    # the good ones go the short way, their personal fields encrypted (else this tests nothing)
    for r in (aangemeld, overleg, afgesloten, opgelegd, rihg, dossier, voorwaarde, overgenomen):
        assert _snel(r) is not None, r.header("ce_type")
    assert b"vhh-pg1." in (overleg.waarde or b"") and b"vhh-pg1." in (dossier.waarde or b"")
    tekst = _veld(overleg, "verslag")  # a token of a text
    datum = _veld(dossier, "geboortedatum")  # a token of another value
    met_token_in_door = _data(aangemeld, door=tekst)
    ontsnapt = replace(met_token_in_door, waarde=(met_token_in_door.waarde or b"").replace(
        b'"door": "vhh-pg1.', b'"door": "\\u0076hh-pg1.'))
    assert b"\\u0076hh-pg1." in (ontsnapt.waarde or b"")
    vreemd = [
        # fields missing, extra, or of the wrong type
        _zonder(aangemeld, "door"), _zonder(dossier, "persoon_id"), _zonder(overleg, "verslag"),
        _zonder(rihg, "uitkomst"), _zonder(dossier, "geboortedatum"),
        _data(aangemeld, extra="x"), _data(overleg, onbekend={"verslag": tekst}),
        _data(aangemeld, persoon_ids="geen lijst"), _data(opgelegd, op=12),
        _data(afgesloten, casus_id="geen id"), _data(dossier, voorwaarden="geen lijst"),
        _data(dossier, voorwaarden=[1, 2]), _data(dossier, bij_taak="geen taak"),
        _data(dossier, bij_taak=None), _data(overgenomen, doelen=[{"leefgebied": "huisvesting"}]),
        _data(overgenomen, doelen=["Een woning."]), _data(voorwaarde, voorwaarde=None),
        replace(dossier, waarde=b"[]"), replace(overleg, waarde=b"{niet json"),
        replace(rihg, waarde=b""), replace(afgesloten, waarde=b'"tekst"'),
        # personal fields: in plaintext, erased, empty, or a token of the wrong kind
        _data(overleg, verslag="in plaintext"), _data(rihg, uitkomst="hoog"),
        _data(dossier, naam="Jansen"), _data(dossier, geboortedatum="1980-01-01"),
        _data(dossier, voorwaarden=[{"voorwaarde": "huisvesting", "status": "onbekend",
                                     "toelichting": "in plaintext"}]),
        _data(dossier, bij_taak={"gemeentecode": None, "toelichting": "in plaintext"}),
        _data(overgenomen, doelen=[{"leefgebied": "huisvesting", "omschrijving": "plain"}]),
        _data(overleg, verslag=GEWIST), _data(dossier, naam=GEWIST, geboortedatum=None),
        _data(overleg, verslag=None), _data(rihg, uitkomst=12),
        _data(overleg, verslag=datum), _data(dossier, geboortedatum=tekst),
        _data(overleg, verslag="vhh-pg1.niet te lezen"), _data(rihg, uitkomst="vhh-pg1."),
        _data(dossier, naam="vhh-pg1.é"),
        # a token outside the personal fields (the live reader replaces it there too), also
        # one spelled with an escape, and the personal field's own token twice
        met_token_in_door, ontsnapt, _data(opgelegd, door=datum),
        _data(overleg, aanwezig=[tekst]), _data(overleg, verslag=tekst + tekst),
        # the envelope
        _anders(aangemeld, ce_type=b"nl.vhh.regie.casus-aangemeld.v2"),
        _anders(dossier, ce_type=b"nl.vhh.nazorg.dossier-geopend.v0"),
        _anders(opgelegd, ce_specversion=b"0.3"), _anders(overleg, ce_time=b"gisteren"),
        _anders(afgesloten, ce_time=None), _anders(voorwaarde, content_type=b"text/plain"),
        _anders(afgesloten, CE_TYPE=b"nl.vhh.regie.casus-afgesloten.v1"),
        _anders(rihg, ce_id=b""),
    ]
    _zelfde(telling, goed + vreemd)
