"""The annual report counts Veilig Thuis's requests (answered of received) and the decisions
sent back to ZSM, per house and year, read from triage's events as they are on the topic (the
request's personal fields encrypted); a rebuild from the same events holds the same facts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from services.reporting import handlers
from services.reporting.bootstrap import Reporting, bootstrap, migreer_database
from services.reporting.domain.feiten import vertaal
from services.reporting.entrypoints.api import maak_app
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, besluit, melding, tel
from shared import herbouw
from shared.contracts.envelope import CloudEvent
from shared.contracts.triage import TRIAGE_SOURCE
from shared.contracts.veilig_thuis import (
    VT_VERZOEK_BEANTWOORD_V1,
    VT_VERZOEK_ONTVANGEN_V1,
    Deelbaar,
    VtVerzoekBeantwoord,
    VtVerzoekOntvangen,
)
from shared.testing import kop


def _reporting(pad: Path) -> Reporting:
    pad.mkdir(exist_ok=True)
    s = ReportingSettings(database_url=f"sqlite:///{pad / 'r.db'}", onderdruk_onder=1)
    migreer_database(s)
    return bootstrap(s)


def _ontvangen(verzoek_id: UUID, op: str) -> CloudEvent:
    v = VtVerzoekOntvangen(verzoek_id=verzoek_id, huis=HUIS, vt_referentie=str(verzoek_id),
                           organisatie="Veilig Thuis Limburg", achternaam="Jansen",
                           voornamen="Anna", geboortedatum=date(1990, 4, 1), vraag="Bekend?",
                           ontvangen_op=datetime.fromisoformat(op))
    return CloudEvent(type=VT_VERZOEK_ONTVANGEN_V1, source=TRIAGE_SOURCE, id=str(uuid4()),
                      subject=str(verzoek_id), data=v.model_dump(mode="json"))


def _beantwoord(verzoek_id: UUID, op: str) -> CloudEvent:
    v = VtVerzoekBeantwoord(verzoek_id=verzoek_id, huis=HUIS, bekende_persoon_id=None,
                            deelbaar=Deelbaar.NIET_BEKEND, antwoord=None, beantwoord_door="S",
                            beantwoord_op=datetime.fromisoformat(op))
    return CloudEvent(type=VT_VERZOEK_BEANTWOORD_V1, source=TRIAGE_SOURCE, id=str(uuid4()),
                      subject=str(verzoek_id), data=v.model_dump(mode="json"))


def _events() -> list[CloudEvent]:
    a, b, c = uuid4(), uuid4(), uuid4()
    zsm, partner = uuid4(), uuid4()
    return [
        # 2025: three requests, two answered (one of them in the new year)
        _ontvangen(a, "2025-03-01T10:00:00+01:00"), _beantwoord(a, "2025-03-02T10:00:00+01:00"),
        _ontvangen(b, "2025-12-30T10:00:00+01:00"), _beantwoord(b, "2026-01-05T10:00:00+01:00"),
        _ontvangen(c, "2025-06-01T10:00:00+02:00"),
        # 2024: one, answered in 2025 (counts in 2024, the year it came in)
        *(_ontvangen(d := uuid4(), "2024-12-20T10:00:00+01:00"),
          _beantwoord(d, "2025-01-03T10:00:00+01:00")),
        # ZSM: a melding ZSM referred and its decision (sent back); a partner's is not
        melding(bron="zsm", melding_id=zsm), besluit(melding_id=zsm, route="casusoverleg",
                                                     soort="zorgcasusoverleg"),
        melding(bron="partner", melding_id=partner), besluit(melding_id=partner),
        melding(bron="zsm"),  # not decided yet: nothing sent back
    ]


def test_vt_verzoeken_en_zsm_terugmeldingen_in_het_jaarverslag(tmp_path: Path) -> None:
    reporting = _reporting(tmp_path / "live")
    events = _events()
    tel(reporting, events)
    tel(reporting, events, vanaf=100)  # delivered again: counted once
    client = TestClient(maak_app(reporting), headers=kop("midden-limburg", "analist"))
    j2025 = client.get("/api/v1/jaarverslag/midden-limburg/2025").json()
    assert (j2025["vt_verzoeken"], j2025["vt_verzoeken_beantwoord"]) == (3, 2)
    assert j2025["zsm_terugmeldingen"] == 1
    j2024 = client.get("/api/v1/jaarverslag/midden-limburg/2024").json()
    assert (j2024["vt_verzoeken"], j2024["vt_verzoeken_beantwoord"]) == (1, 1)

    # replay equals live: the rebuild's facts from the same events hash the same
    herbouwd = _reporting(tmp_path / "herbouwd")
    handlers.vervang_projectie([HUIS], [f for f in map(vertaal, events) if f is not None], [],
                               uow=herbouwd.uow)
    assert herbouw.toestandshash(herbouwd.engine, "reporting") == herbouw.toestandshash(
        reporting.engine, "reporting")
    assert herbouw.tabel_hashes(reporting.engine, "reporting")["vt_verzoekfeit"][0] == 7
    rebuilt = TestClient(maak_app(herbouwd), headers=kop("midden-limburg", "analist"))
    assert rebuilt.get("/api/v1/jaarverslag/midden-limburg/2025").json() == j2025
