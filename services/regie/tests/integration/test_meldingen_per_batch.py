"""Regie's worker takes a batch's meldingen in together (one inbox statement, one insert per
table, one lookup of the cases of all their persons), on a real PostgreSQL, and ends in exactly
the state that handling the same records one at a time gives: whatever the order of the records
and however they are cut into batches, with meldingen about a running case, about an ended one
(which reopens it) and about a case a decision in the same batch opens, a melding of a house
this instance does not serve, an event regie does not act on, an erasure, a record delivered
twice and a whole batch delivered again.

An equivalence test: the one-at-a-time path it compares with is the kit's per-record consumer
with regie's dispatch table (``handlers.bij_melding``), as regie ran before it took batches."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from services.regie import handlers
from services.regie.adapters import tabellen as t
from services.regie.bootstrap import Regie, bootstrap, migreer_database
from services.regie.domain import commando as c
from services.regie.entrypoints.worker import verwerking
from services.regie.settings import RegieSettings
from services.regie.tests.unit.test_casus import besluit
from services.triage.domain.regels import adviseer
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.privacy import GEWIST, PERSOON_GEWIST_V1, PRIVACY_SOURCE, Wisgrond
from shared.contracts.triage import (
    ADVIES_GEGEVEN_V1,
    BESLUIT_GENOMEN_V1,
    AdviesGegeven,
    BesluitGenomen,
    Feiten,
)
from shared.kafka_io import Record
from shared.kit.consumer import Verwerking
from shared.outbox.tabel import decode_headers
from shared.sleutelkluis import Sleutelkluis
from shared.testing import versleuteld

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)
HUIS = "parkstad"


def _melding(*personen: UUID, huis: str = HUIS) -> MeldingGeregistreerd:
    return MeldingGeregistreerd.model_validate({
        "melding_id": str(uuid4()), "huis": huis, "bron": "politie", "organisatie": "Politie",
        "bron_referentie": f"M-{uuid4().hex[:6]}", "doelgroep": "huiselijk_geweld",
        "doelgroepen": ["huiselijk_geweld"], "gemeentecode": "GM0917",
        "ontvangen_op": "2026-11-20T10:00:00+01:00",
        "geregistreerd_op": "2026-11-20T10:00:01+01:00", "urgentie": "normaal",
        "omschrijving": "Ruzie in woning",
        "routering": {"huis": huis, "grond": "pleegplaats", "toelichting": "t"},
        "hoofdpersoon_id": str(personen[0]),
        "betrokkenen": [{"persoon_id": str(p), "rol": "verdachte" if i == 0 else "slachtoffer",
                         "voornamen": "Jan", "achternaam": f"Jansen{str(p)[:4]}",
                         "geboortedatum": "1980-03-01"} for i, p in enumerate(personen)],
        "politie": {"mutatie_id": "x", "basisteam": "Heerlen", "maatschappelijke_klasse": "hg",
                    "gpp": False},
    })


def _record(soort: str, source: str, event_id: str, data: dict[str, Any], topic: str
            ) -> Record:
    headers, waarde = CloudEvent(type=soort, source=source, id=event_id, data=data).to_binary()
    return Record(topic, 0, 0, None, waarde, headers)


def _van_melding(m: MeldingGeregistreerd) -> Record:
    return _record(MELDING_GEREGISTREERD_V1, "/vhh/intake", str(m.melding_id), versleuteld(m),
                   f"vhh.{m.huis.value}.meldingen.v1")


def _van_besluit(b: BesluitGenomen) -> Record:
    return _record(BESLUIT_GENOMEN_V1, "/vhh/triage", str(b.besluit_id),
                   versleuteld(b, "triage"), f"vhh.{HUIS}.triage.v1")


class Huis:
    """Two cases every run starts from, and the records of the batch under test."""

    def __init__(self) -> None:
        self.lopend = besluit()  # a running case of two persons
        self.beeindigd = besluit()  # a case closed before the batch
        self.nieuw = besluit()  # a case a decision in the batch opens
        pa, pa2 = self.lopend.persoon_ids
        pb = self.beeindigd.hoofdpersoon_id
        pc = self.nieuw.hoofdpersoon_id
        q = uuid4()
        self.gewist = gewist = uuid4()
        meldingen = [_melding(q), _melding(q, uuid4()), _melding(pa), _melding(pa, pa2),
                     _melding(pb), _melding(pb), _melding(pa, pb), _melding(pc), _melding(pc),
                     _melding(pa, huis="maastricht-heuvelland"), _melding(gewist, q)]
        advies = AdviesGegeven(melding_id=meldingen[0].melding_id, huis=HuisId(HUIS),
                               hoofdpersoon_id=q, feiten=Feiten(), advies=adviseer(Feiten()),
                               gegeven_op=NU, gevraagd_door="scr")
        wis = {"persoon_id": str(gewist), "grond": Wisgrond.VERZOEK.value,
               "gewist_op": NU.isoformat(), "kenmerk": "AVG-1"}
        self.records = [
            *map(_van_melding, meldingen),
            _van_melding(meldingen[2]),  # the same record twice
            _van_besluit(self.nieuw),
            _record(ADVIES_GEGEVEN_V1, "/vhh/triage", str(uuid4()), versleuteld(advies),
                    f"vhh.{HUIS}.triage.v1"),
            _record(PERSOON_GEWIST_V1, PRIVACY_SOURCE, str(uuid4()), wis, "limburg.wissingen.v1"),
        ]
        # The erased person's key is gone before anything is read, as the erasure does it.
        Sleutelkluis.uit_omgeving().vernietig(gewist, "test")

    def regie(self, url: str) -> Regie:
        """A regie on a fresh database with the running case and the closed one."""
        s = RegieSettings(database_url=url, huizen=[HuisId(HUIS)])
        migreer_database(s)
        regie = bootstrap(s, klok=lambda: NU)
        per_record = _per_record(regie)
        for b in (self.lopend, self.beeindigd):
            per_record.verwerk_een(_van_besluit(b))
        handlers.voer_uit(c.casus_id_voor(self.lopend.besluit_id),
                          lambda k: c.wijs_regisseur_toe(k, "Pieter", "P", NU), uow=regie.uow)
        handlers.voer_uit(c.casus_id_voor(self.beeindigd.besluit_id),
                          lambda k: c.sluit_af(k, "klaar", "P", NU), uow=regie.uow)
        return regie


def _per_record(regie: Regie) -> Verwerking[Any]:
    """The kit's consumer with regie's dispatch table: each record alone, through
    ``handlers.bij_melding`` (regie's worker before it took meldingen in batches)."""
    return Verwerking("regie", regie.uow, handlers.dispatch(regie.huizen, regie.klok),
                      kluis=regie.uow.kluis)


def _stand(regie: Regie) -> dict[str, list[Any]]:
    """Every table regie keeps, row by row in a fixed order; of the inbox what was read, of
    the outbox what was queued where (the moment of reading and the ciphertext differ)."""
    uit: dict[str, list[Any]] = {}
    with regie.engine.connect() as conn:
        for naam, tabel in t.metadata.tables.items():
            if naam == "audit":
                continue
            if naam == "inbox":
                vraag = select(tabel.c.event_id, tabel.c.type)
            elif naam == "outbox":
                vraag = select(tabel.c.topic, tabel.c.sleutel, tabel.c.headers)
            else:
                vraag = select(tabel)
            rijen = [dict(r._mapping) for r in conn.execute(vraag)]
            if naam == "outbox":
                rijen = [{**r, "headers": dict(decode_headers(r["headers"])).get("ce_type")}
                         for r in rijen]
            uit[naam] = sorted(rijen, key=repr)
    return uit


def _in_batches(records: list[Record], rng: random.Random) -> list[list[Record]]:
    batches, i = [], 0
    while i < len(records):
        n = rng.randint(1, 8)
        batches.append(records[i:i + n])
        i += n
    return batches


@pytest.mark.parametrize("zaad", [1, 2, 3])
def test_een_batch_meldingen_eindigt_als_een_voor_een(postgres_server, zaad):  # type: ignore[no-untyped-def]
    from shared.devstack import postgres

    def database() -> str:
        naam = f"t_{uuid4().hex[:12]}"
        postgres.create_database(postgres_server, naam)
        return str(postgres_server.url(naam))

    huis = Huis()
    rng = random.Random(zaad)
    records = huis.records[:]
    rng.shuffle(records)
    records = [Record(r.topic, 0, i, None, r.waarde, r.headers) for i, r in enumerate(records)]

    een_voor_een = huis.regie(database())
    per_record = _per_record(een_voor_een)
    for r in records:
        per_record.verwerk_een(r)
    verwacht = _stand(een_voor_een)

    samen = huis.regie(database())
    batches = _in_batches(records, rng)
    assert len(batches) < len(records)  # some batches hold more than one record
    for batch in batches:
        verwerking(samen).verwerk_samen(batch)
    assert _stand(samen) == verwacht

    # what the batch did: the meldingen reached the cases, the erased name is blanked
    casus = {r["casus_id"]: r for r in verwacht["casus"]}
    assert casus[c.casus_id_voor(huis.beeindigd.besluit_id)]["status"] != "afgesloten"
    assert {r["soort"] for r in verwacht["signaal"]} == {"gekoppeld", "terugval"}
    [naam] = [b["naam"] for r in verwacht["melding"] for b in r["betrokkenen"]
              if b["persoon_id"] == str(huis.gewist)]
    assert GEWIST in naam and "Jansen" not in naam
    assert len(verwacht["melding"]) == 10  # the other house's is not kept
    assert verwacht["afgewezen"] == []

    # the whole sequence delivered again, as one batch: nothing changes
    verwerking(samen).verwerk_samen(records)
    assert _stand(samen) == verwacht

