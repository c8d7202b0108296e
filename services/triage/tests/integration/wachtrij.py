"""Helpers of the screening queue's integration tests: a triage on a real PostgreSQL whose clock
the test sets, meldingen fed through the consumer's path, the API in process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from services.triage.bootstrap import Triage, bootstrap, migreer_database
from services.triage.entrypoints.api import maak_app
from services.triage.entrypoints.worker import verwerking
from services.triage.settings import TriageSettings
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.kafka_io import Record
from shared.testing import kop, versleuteld

HUIS = "maastricht-heuvelland"
NU = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in the Netherlands


@dataclass
class Klok:
    nu: datetime = NU

    def __call__(self) -> datetime:
        return self.nu


@dataclass
class Huis:
    triage: Triage
    klok: Klok
    client: TestClient
    teller: list[int] = field(default_factory=lambda: [0])

    def meld(self, **kw: Any) -> MeldingGeregistreerd:
        m = nieuwe_melding(**kw)
        self.ontvang(m)
        return m

    def ontvang(self, m: MeldingGeregistreerd) -> None:
        ev = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                        id=str(m.melding_id), data=versleuteld(m))
        headers, waarde = ev.to_binary()
        self.teller[0] += 1
        verwerking(self.triage).verwerk_een(
            Record(f"vhh.{HUIS}.meldingen.v1", 0, self.teller[0], None, waarde, headers))

    def wachtrij(self, **params: Any) -> Any:
        r = self.client.get(f"/api/v1/triage/{HUIS}/wachtrij", params=params,
                            headers=kop(HUIS, "screener"))
        assert r.status_code == 200, r.text
        return r.json()

    def alle_ids(self, **params: Any) -> list[str]:
        """Every page's melding ids, in order, following ``volgende``."""
        ids: list[str] = []
        pagina = self.wachtrij(**params)
        while True:
            ids += [s["melding"]["melding_id"] for s in pagina["items"]]
            if not pagina["volgende"]:
                return ids
            pagina = self.wachtrij(**params, cursor=pagina["volgende"])


def huis_op(database_url: str) -> Iterator[Huis]:
    settings = TriageSettings(database_url=database_url)
    migreer_database(settings)
    klok = Klok()
    triage = bootstrap(settings, klok=klok)
    with TestClient(maak_app(triage)) as client:
        yield Huis(triage, klok, client)
    triage.engine.dispose()


def nieuwe_melding(*, ontvangen_op: datetime = NU - timedelta(hours=1),
                   urgentie: str = "normaal", doelgroep: str = "huiselijk_geweld",
                   gemeentecode: str = "GM0935", wijk: str | None = None, bron: str = "partner",
                   referentie: str | None = None,
                   personen: list[tuple[UUID, str, str, date | None]] | None = None,
                   ) -> MeldingGeregistreerd:
    personen = personen or [(uuid4(), "Test", f"Persoon{uuid4().hex[:6]}", None)]
    return MeldingGeregistreerd.model_validate({
        "melding_id": str(uuid4()), "huis": HUIS, "bron": bron, "organisatie": "Partner",
        "bron_referentie": referentie or f"R-{uuid4().hex[:10]}", "doelgroep": doelgroep,
        "doelgroepen": [doelgroep], "gemeentecode": gemeentecode,
        "ontvangen_op": ontvangen_op.isoformat(),
        "geregistreerd_op": ontvangen_op.isoformat(), "urgentie": urgentie,
        "omschrijving": "Zorgen over het gezin", "wijk": wijk,
        "routering": {"huis": HUIS, "grond": "gemeentecode", "toelichting": "t"},
        "hoofdpersoon_id": str(personen[0][0]),
        "betrokkenen": [{"persoon_id": str(pid), "rol": "betrokkene", "voornamen": voornaam,
                         "achternaam": achternaam,
                         "geboortedatum": geboren.isoformat() if geboren else None}
                        for pid, voornaam, achternaam, geboren in personen],
    })
