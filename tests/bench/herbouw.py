"""The annual report's rebuild from offset 0, beside a raw read of the same topics.

``meet`` runs reporting's own rebuild (services/reporting/entrypoints/herbouw.py, what
`python -m services.reporting rebuild` calls) for one house into a fresh database, reading
whatever the house topics hold, and times it whole (read and swap); the baseline reads the same
topics from offset 0 to their end with the same client and options, doing nothing with the
records. Figures, not tests.

    python -m tests.bench.herbouw [n]   # n events of one house (default 30,000), own broker
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from shared.settings import KafkaSettings
from tests.bench.rapportage import DOELGROEPEN, GEMEENTEN, JAAR


@dataclass
class Herbouw:
    events: int
    per_s: float
    """Events per second, the whole rebuild (read, fold and swap)."""
    lezen_per_s: float
    """Events per second of its reading part, as the rebuild prints it."""
    raw_per_s: float
    """The baseline: the same topics read raw with kafka-python."""


def _topics(huis: str) -> list[str]:
    from services.reporting.entrypoints.worker import GETELDE_STROMEN
    from shared.contracts.huizen import HuisId

    return [stroom(HuisId(huis)).naam for stroom in GETELDE_STROMEN]


def raw(kafka: KafkaSettings, topics: list[str]) -> tuple[int, float]:
    """(records, records per second): every committed record of ``topics`` read once."""
    c = KafkaConsumer(**kafka.kafka_python_opties(), isolation_level="read_committed",
                      enable_auto_commit=False, group_id=None, max_poll_records=5000,
                      fetch_max_bytes=64 * 1024 * 1024)
    try:
        partities = [TopicPartition(t, p) for t in topics
                     for p in sorted(c.partitions_for_topic(t) or [])]
        einde = c.end_offsets(partities)
        begin = time.perf_counter()
        c.assign(partities)
        c.seek_to_beginning(*partities)
        gelezen, open_ = 0, {tp for tp in partities if einde[tp] > 0}
        while open_:
            for berichten in c.poll(timeout_ms=500).values():
                gelezen += len(berichten)
            open_ = {tp for tp in open_ if c.position(tp) < einde[tp]}
        duur = time.perf_counter() - begin
    finally:
        c.close()
    return gelezen, gelezen / duur if duur else 0.0


def meet(kafka: KafkaSettings, database_url: str, huis: str) -> Herbouw:
    """Rebuild ``huis``'s report from the topics into the empty database ``database_url``."""
    from services.reporting.bootstrap import bootstrap, migreer_database
    from services.reporting.entrypoints.herbouw import herbouw
    from services.reporting.settings import ReportingSettings
    from shared.contracts.huizen import HuisId

    s = ReportingSettings(database_url=database_url, kafka=kafka, huizen=[HuisId(huis)])
    migreer_database(s)
    reporting = bootstrap(s)
    try:
        begin = time.perf_counter()
        uitkomst = herbouw(reporting, [HuisId(huis)], toon_voortgang=False)
        duur = time.perf_counter() - begin
    finally:
        reporting.engine.dispose()
    _, basis = raw(kafka, _topics(huis))
    return Herbouw(uitkomst.records, uitkomst.records / duur if duur else 0.0,
                   uitkomst.per_seconde, basis)


# -- a run of its own: `python -m tests.bench.herbouw [n]` ------------------------------------

HUIS = "midden-limburg"


def _sjablonen() -> dict[str, list[dict[str, Any]]]:
    """Encrypted payloads of the counted kinds besides meldingen and decisions (a case's
    events, an aftercare dossier, a restraining order), a few of each: the generator copies
    them with ids and times of its own (ids and times are never encrypted)."""
    from shared.contracts.huisverbod import Opgelegd
    from shared.contracts.huizen import HuisId
    from shared.contracts.nazorg import DossierStand, VoorwaardeGewijzigd
    from shared.contracts.regie import (
        CasusAangemeld,
        CasusAfgesloten,
        CasusoverlegGehouden,
        PlanVastgesteld,
        Traject,
    )
    from shared.contracts.vocabulaire import Doelgroep
    from shared.testing import versleuteld

    op = datetime(JAAR, 3, 1, 10, tzinfo=UTC)
    uit: dict[str, list[dict[str, Any]]] = {}
    for i in range(5):
        persoon, casus, dossier = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        basis: dict[str, Any] = dict(casus_id=casus, huis=HuisId(HUIS), op=op, door="bench")
        modellen: dict[str, Any] = {
            "aangemeld": CasusAangemeld(
                **basis, melding_id=uuid.uuid4(), besluit_id=uuid.uuid4(),
                hoofdpersoon_id=persoon, persoon_ids=[persoon], doelgroep=Doelgroep(DOELGROEPEN[i]),
                gemeentecode=GEMEENTEN[i], traject=Traject.KORT, soort="casusoverleg",
                melding_ontvangen_op=op, besloten_op=op),
            "overleg": CasusoverlegGehouden(**basis, overleg_id=uuid.uuid4(),
                                           aanwezig=["Reclassering"], client_aanwezig=False,
                                           verslag="Besproken met de partners."),
            "plan": PlanVastgesteld(**basis, client_ondertekend=True),
            "afgesloten": CasusAfgesloten(**basis, reden="doelen bereikt"),
            "huisverbod": Opgelegd(huisverbod_id=uuid.uuid4(), huis=HuisId(HUIS),
                                   gemeentecode=GEMEENTEN[i], op=op, door="bench",
                                   opgelegd_op=op, eindigt_op=op + timedelta(days=10)),
            "dossier": DossierStand.model_validate({
                "dossier_id": str(dossier), "huis": HUIS, "persoon_id": str(persoon),
                "naam": f"Naam{i}", "geboortedatum": "1980-01-01",
                "detentie_start": f"{JAAR}-01-10", "fase": "in_detentie",
                "inrichting_code": "PI", "inrichting_naam": "PI",
                "verwachte_ontslagdatum": f"{JAAR}-06-01", "ontslagen_op": None,
                "gemeente_van_inschrijving": GEMEENTEN[i], "gemeentecode": GEMEENTEN[i],
                "zonder_gemeente": False, "minderjarig": False, "zwaar_delict": True,
                "regie": "zorg_en_veiligheidshuis", "huis_ondersteunt": False,
                "voorwaarden": [{"voorwaarde": "huisvesting", "status": "onbekend",
                                 "toelichting": "Zoekt een woning."}],
                "casemanager": None, "maatje": None, "bij_taak": None,
                "plan_compleet": False, "berichten": [], "melding_ids": []}),
            "voorwaarde": VoorwaardeGewijzigd.model_validate({
                "dossier_id": str(dossier), "huis": HUIS, "persoon_id": str(persoon),
                "voorwaarde": {"voorwaarde": "huisvesting", "status": "geregeld"},
                "plan_compleet": False, "gewijzigd_op": op.isoformat()}),
        }
        for soort, model in modellen.items():
            uit.setdefault(soort, []).append(versleuteld(model, "melding", [persoon]))
    return uit


def _events(n: int) -> Iterator[tuple[str, Any]]:
    """``n`` events of one house as the services publish them (topic, CloudEvent): each melding
    (encrypted, as intake publishes it) with its decision; every tenth decision opens a case
    with a meeting, a plan and its closing; every twentieth melding an aftercare dossier opened
    and a condition changed; every fiftieth a restraining order."""
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.huisverbod import HUISVERBOD_TYPE, Opgelegd
    from shared.contracts.huizen import HuisId
    from shared.contracts.nazorg import DOSSIER_GEOPEND_V1, NAZORG_SOURCE, VOORWAARDE_GEWIJZIGD_V1
    from shared.contracts.regie import (
        EVENT_TYPE,
        REGIE_SOURCE,
        CasusAangemeld,
        CasusAfgesloten,
        CasusEvent,
        CasusoverlegGehouden,
        PlanVastgesteld,
    )
    from shared.contracts.topics import casussen_topic, huisverboden_topic, nazorg_topic
    from tests.bench.rapportage import _events as meldingen_en_besluiten

    huis = HuisId(HUIS)
    sjablonen = _sjablonen()
    casussen, nazorg, huisverboden = (casussen_topic(huis).naam, nazorg_topic(huis).naam,
                                      huisverboden_topic(huis).naam)
    soorten: dict[str, type[CasusEvent]] = {
        "aangemeld": CasusAangemeld, "overleg": CasusoverlegGehouden, "plan": PlanVastgesteld,
        "afgesloten": CasusAfgesloten}
    gemaakt = 0

    def kopie(soort: str, i: int, **velden: Any) -> dict[str, Any]:
        data = dict(sjablonen[soort][i % 5])
        data.update({k: str(v) if isinstance(v, uuid.UUID) else
                     v.isoformat() if isinstance(v, datetime) else v for k, v in velden.items()})
        return data

    for i, (topic, event) in enumerate(meldingen_en_besluiten(2 * n)):
        yield topic, event
        gemaakt += 1
        if gemaakt >= n:
            return
        if event.type != "nl.vhh.triage.besluit-genomen.v1":
            continue
        j = i // 2
        besluit = event.data
        op = datetime.fromisoformat(besluit["besloten_op"])
        volgende: list[tuple[str, CloudEvent]] = []
        if j % 10 == 0:
            cid = uuid.uuid5(uuid.UUID(besluit["besluit_id"]), "casus")
            for k, (soort, model) in enumerate(soorten.items()):
                velden: dict[str, Any] = dict(casus_id=cid, op=op + timedelta(days=k))
                if soort == "aangemeld":
                    velden.update(melding_id=besluit["melding_id"],
                                  besluit_id=besluit["besluit_id"],
                                  melding_ontvangen_op=besluit["ontvangen_op"],
                                  besloten_op=besluit["besloten_op"])
                if soort == "overleg":
                    velden.update(overleg_id=uuid.uuid4())
                volgende.append((casussen, CloudEvent(
                    type=EVENT_TYPE[model], source=REGIE_SOURCE, subject=str(cid),
                    data=kopie(soort, j, **velden))))
        if j % 20 == 0:
            did = uuid.uuid4()
            volgende.append((nazorg, CloudEvent(
                type=DOSSIER_GEOPEND_V1, source=NAZORG_SOURCE, subject=str(did), time=op,
                data=kopie("dossier", j, dossier_id=did))))
            volgende.append((nazorg, CloudEvent(
                type=VOORWAARDE_GEWIJZIGD_V1, source=NAZORG_SOURCE, subject=str(did),
                data=kopie("voorwaarde", j, dossier_id=did, gewijzigd_op=op))))
        if j % 50 == 0:
            volgende.append((huisverboden, CloudEvent(
                type=HUISVERBOD_TYPE[Opgelegd], source=REGIE_SOURCE,
                data=kopie("huisverbod", j, huisverbod_id=uuid.uuid4(), op=op))))
        for paar in volgende[:n - gemaakt]:
            yield paar
            gemaakt += 1
        if gemaakt >= n:
            return


def publiceer(kafka: KafkaSettings, n: int) -> None:
    """``n`` events (``_events``) on the house topics, keyed as their publishers key them."""
    from kafka import KafkaProducer

    producer = KafkaProducer(**kafka.kafka_python_opties(), linger_ms=20,
                             batch_size=1 << 20, max_request_size=8 << 20, acks="all")
    for topic, ev in _events(n):
        headers, waarde = ev.to_binary()
        producer.send(topic, key=str(ev.subject or ev.id).encode(), value=waarde,
                      headers=headers)
    producer.flush()
    producer.close()


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.bench.herbouw [n]`: ``n`` events (default 30,000) on a broker and a
    PostgreSQL of the run's own, rebuilt; the rebuild's figure beside the raw read."""
    import contextlib
    import io
    import os
    import tempfile

    from tests.bench.rapportage import _broker, _postgres

    os.environ.setdefault("VHH_OMGEVING", "ontwikkeling")
    os.environ.setdefault("VHH_AUDIT_VERANKEREN", "false")
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0].replace("_", "").replace(",", "")) if argv else 30_000
    with _broker() as beheer, _postgres() as database_url, \
            tempfile.TemporaryDirectory(prefix="vhh-bench-kluis-") as kluis:
        os.environ.setdefault("VHH_SLEUTELKLUIS_DATABASE_URL", f"sqlite:///{kluis}/kluis.db")
        begin = time.perf_counter()
        publiceer(beheer, n)
        print(f"published {n:,} events in {time.perf_counter() - begin:.1f} s", flush=True)
        with contextlib.redirect_stdout(io.StringIO()) as uit:
            h = meet(beheer, database_url, HUIS)
        print(uit.getvalue().strip())
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"  raw kafka-python read of the house topics (baseline) {h.raw_per_s:>10,.0f} events/s")
    print(f"  annual report rebuild from offset 0, {h.events:,} events {h.per_s:>10,.0f} events/s"
          f"  ({h.per_s / h.raw_per_s:.3f} of the baseline; target >= 20,000)")
    print(f"  its reading part, as the rebuild prints it {h.lezen_per_s:>10,.0f} events/s")


if __name__ == "__main__":
    main()
