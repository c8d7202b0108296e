"""The annual report is read from counts the worker keeps per batch, on PostgreSQL: whatever
the order, the batch sizes, the redeliveries and the decisions taken again, every answer equals
the fold of the same facts (``jaarverslag.cijfers``, the reference), and a rebuild from the
facts keeps the very same counts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from services.reporting import handlers
from services.reporting.adapters import tabellen as t
from services.reporting.adapters import telling
from services.reporting.bootstrap import Reporting, bootstrap, migreer_database
from services.reporting.domain import jaarverslag
from services.reporting.domain.feiten import vertaal
from services.reporting.entrypoints.worker import Telling
from services.reporting.settings import ReportingSettings
from services.reporting.tests.maak import HUIS, besluit, casusevent, melding, record, tijd
from services.reporting.tests.unit.test_jaarverslag_vouw import _aangemeld, _jaar
from services.reporting.tests.unit.test_vt_en_zsm import _beantwoord, _ontvangen
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.regie import (
    CasusAfgesloten,
    CasusHeropend,
    CasusoverlegGehouden,
    PlanVastgesteld,
)

pytestmark = pytest.mark.integration

BRONNEN = ["partner", "politie", "dji", "veilig_thuis", "zsm"]
DOELGROEPEN = ["overig", "huiselijk_geweld", "ex_gedetineerden", "jeugd"]
GEMEENTEN = ["GM0957", "GM0988", "GM1711"]
ROUTES = [("terugverwijzen", None), ("casusoverleg", "justitieel_casusoverleg_huiselijk_geweld"),
          ("casusoverleg", "nazorgoverleg"), ("persoonsgerichte_aanpak", "integrale_aanpak")]
JAREN = (2024, 2025, 2026)


def _willekeurig_jaar(kans: random.Random) -> list[CloudEvent]:
    """Meldingen (some on either side of New Year in Amsterdam, some about the same persons),
    decisions taken again (some at the very same moment: the id decides), some before or
    without their melding, cases with consultations, plans, ends and relapses, requests of
    Veilig Thuis, and the hand-made year of the unit tests."""
    personen = [uuid4() for _ in range(40)]
    events: list[CloudEvent] = []
    for _ in range(160):
        ontvangen = kans.choice(["2025-01-01T00:30:00+01:00", "2024-12-31T23:30:00+01:00",
                                 "2025-12-31T23:30:00+00:00",
                                 f"2025-{kans.randint(1, 12):02d}-{kans.randint(1, 28):02d}"
                                 f"T{kans.randint(0, 23):02d}:15:00+01:00"])
        doelgroep, gemeente = kans.choice(DOELGROEPEN), kans.choice(GEMEENTEN)
        wie = kans.sample(personen, kans.randint(1, 3))
        m = melding(bron=kans.choice(BRONNEN), doelgroep=doelgroep, gemeente=gemeente,
                    ontvangen_op=ontvangen, personen=wie,
                    detentie=kans.choice([None, None, "instroom", "uitstroom", "overplaatsing"]))
        if kans.random() > 0.05:  # a decision whose melding never arrives counts too
            events.append(m)
        mid = UUID(m.data["melding_id"])
        for _ in range(kans.choice([0, 1, 1, 1, 2, 3])):
            route, soort = kans.choice(ROUTES)
            b = besluit(melding_id=mid, route=route, soort=soort, doelgroep=doelgroep,
                        gemeente=gemeente, ontvangen_op=ontvangen, personen=wie,
                        dagen=kans.choice([0.5, 1.0, 2.25, 7.0, kans.uniform(0, 30)]))
            events.append(b)
            if route != "terugverwijzen":
                events += _casus(kans, b)
    for jaar in (2024, 2025):
        for _ in range(4):
            verzoek = uuid4()
            events.append(_ontvangen(verzoek, f"{jaar}-05-0{kans.randint(1, 9)}T10:00:00+02:00"))
            if kans.random() < 0.6:
                events.append(_beantwoord(verzoek, f"{jaar}-06-01T10:00:00+02:00"))
    return events + _jaar()


def _casus(kans: random.Random, b: CloudEvent) -> list[CloudEvent]:
    a = _aangemeld(b)
    cid, start = UUID(a.data["casus_id"]), tijd(b.data["besloten_op"])
    dag = timedelta(days=1)
    events = [a]
    for _ in range(kans.randint(0, 3)):
        events.append(casusevent(CasusoverlegGehouden, cid, start + kans.randint(1, 30) * dag,
                                 overleg_id=uuid4(), aanwezig=[], client_aanwezig=False,
                                 verslag="v"))
    if kans.random() < 0.7:
        events.append(casusevent(PlanVastgesteld, cid, start + kans.randint(2, 40) * dag,
                                 client_ondertekend=True))
    if kans.random() < 0.5:
        einde = start + kans.randint(41, 90) * dag
        events.append(casusevent(CasusAfgesloten, cid, einde, reden="klaar"))
        if kans.random() < 0.4:
            events.append(casusevent(CasusHeropend, cid, einde + 5 * dag, melding_id=None,
                                     reden="terugval"))
    return events


def _reporting(url: str) -> Reporting:
    s = ReportingSettings(database_url=url, huizen=[HUIS])
    migreer_database(s)
    return bootstrap(s)


def _referentie(r: Reporting, events: list[CloudEvent], jaar: int) -> dict[str, Any]:
    feiten = [f for f in map(vertaal, events) if f is not None]
    return jaarverslag.cijfers(jaarverslag.bouw(HUIS, jaar, feiten), r.inwoners,
                               r.settings.zone).model_dump(mode="json")


def _gelezen(r: Reporting, jaar: int) -> dict[str, Any]:
    """The report read from the kept counts (not from the report kept under a mark)."""
    with r.uow() as u:
        return u.tellingen.cijfers(HUIS, jaar, r.inwoners).model_dump(mode="json")


def _batches(kans: random.Random, events: list[CloudEvent]) -> Iterator[list[CloudEvent]]:
    """The events in batches of 1 to 120, with some of a batch delivered twice in it."""
    i = 0
    while i < len(events):
        batch = events[i:i + kans.choice([1, 7, 40, 120])]
        i += len(batch)
        yield batch + kans.sample(batch, min(len(batch), kans.randint(0, 3)))


def _aggregaten(r: Reporting) -> dict[str, list[tuple[Any, ...]]]:
    with r.engine.connect() as conn:
        return {tabel.name: sorted(tuple(map(str, rij)) for rij in conn.execute(select(tabel)))
                for tabel in telling.AGGREGATEN}


@pytest.fixture
def twee_databases(postgres_server) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    from shared.devstack import postgres

    namen = [f"t_{uuid4().hex[:12]}" for _ in range(2)]
    for naam in namen:
        postgres.create_database(postgres_server, naam)
    return postgres_server.url(namen[0]), postgres_server.url(namen[1])


@pytest.mark.parametrize("zaad", [1, 2, 3])
def test_the_report_read_from_the_kept_counts_equals_the_fold_of_the_facts(
        twee_databases: tuple[str, str], zaad: int) -> None:
    kans = random.Random(zaad)
    events = _willekeurig_jaar(kans)
    kans.shuffle(events)  # decisions before their melding, case events before the case
    live, herbouwd = (_reporting(url) for url in twee_databases)
    try:
        telling_ = Telling(live)
        gezien: list[CloudEvent] = []
        offset = 0
        for batch in _batches(kans, events):
            telling_.verwerk_samen([record(e, offset=offset + i) for i, e in enumerate(batch)])
            offset += len(batch)
            gezien += batch
            if kans.random() < 0.15:  # along the way, too
                assert _gelezen(live, 2025) == _referentie(live, gezien, 2025)
        for jaar in JAREN:
            assert _gelezen(live, jaar) == _referentie(live, events, jaar), jaar
        verwacht = _gelezen(live, 2025)
        assert verwacht["gescreend"] > 50 and verwacht["unieke_casussen"] > 10
        assert verwacht["zsm_terugmeldingen"] > 0 and verwacht["casussen_besproken"] > 0

        # the whole stream delivered again, now one record at a time: nothing changes
        kans.shuffle(events)
        for i, e in enumerate(events[:60]):
            telling_.verwerk_samen([record(e, offset=10_000 + i)])
        assert _gelezen(live, 2025) == verwacht

        # a rebuild stores the same facts at once and fills the counts from them
        feiten = [f for f in map(vertaal, events) if f is not None]
        handlers.vervang_projectie([HuisId(HUIS)], feiten, [], uow=herbouwd.uow)
        for jaar in JAREN:
            assert _gelezen(herbouwd, jaar) == _gelezen(live, jaar), jaar
        assert _aggregaten(herbouwd) == _aggregaten(live)
        assert live.jaarcijfers(HUIS, 2025).model_dump(mode="json") == verwacht
        # and so does the published figure (one per changed house-year)
        handlers.publiceer_gewijzigd(uow=live.uow, inwoners=live.inwoners,
                                     zone=live.settings.zone)
        with live.engine.connect() as conn:
            gepubliceerd = conn.execute(select(t.outbox)).all()
        assert gepubliceerd
    finally:
        live.engine.dispose()
        herbouwd.engine.dispose()


def test_a_newer_decision_moves_the_melding_to_its_new_cell(nieuwe_database: str) -> None:
    r = _reporting(nieuwe_database)
    try:
        m = melding(bron="zsm", doelgroep="jeugd")
        mid = UUID(m.data["melding_id"])
        later = besluit(melding_id=mid, route="persoonsgerichte_aanpak",
                        soort="integrale_aanpak", doelgroep="jeugd", dagen=4)
        eerder = besluit(melding_id=mid, doelgroep="jeugd", dagen=1)
        telling_ = Telling(r)
        for i, e in enumerate([later, m, eerder]):  # the older decision arrives last
            telling_.verwerk_samen([record(e, offset=i)])
        c = r.jaarcijfers(HUIS, 2025)
        assert c.vervolgacties_totaal == {"integrale_aanpak": 1}
        assert (c.gescreend, c.aanpak_na_screening, c.zsm_terugmeldingen) == (1, 1, 1)
        assert c.doorlooptijden.ontvangst_tot_besluit.mediaan_dagen == 4.0
    finally:
        r.engine.dispose()


def test_a_rebuild_replaces_its_houses_facts_and_counts_and_leaves_another_houses(
        twee_databases: tuple[str, str]) -> None:
    """The swap over a projection that has rows: every fact and count of the rebuilt house
    goes (a year only the old facts had too, which is marked to be published again), and what
    it stores equals a rebuild into an empty database; another house's rows stay as they were."""
    from services.reporting.adapters.opslag import _FEITTABELLEN

    ander = HuisId("maastricht-heuvelland")
    live, leeg = (bootstrap(ReportingSettings(database_url=url, huizen=[HUIS, ander]))
                  for url in twee_databases)
    for r in (live, leeg):
        migreer_database(r.settings)
    kans = random.Random(7)
    oud = _willekeurig_jaar(kans)
    van_ander = []
    for dag in range(1, 9):
        m = melding(huis=ander, ontvangen_op=f"2025-04-0{dag}T10:00:00+02:00")
        van_ander += [m, besluit(melding_id=UUID(m.data["melding_id"]), huis=ander,
                                 route="persoonsgerichte_aanpak", soort="integrale_aanpak",
                                 ontvangen_op=m.data["ontvangen_op"])]
    nieuw = [e for e in _willekeurig_jaar(random.Random(8))
             if e.data.get("ontvangen_op", e.data.get("op", "2025"))[:4] != "2024"]

    def rijen(r: Reporting, huis: HuisId) -> dict[str, list[tuple[Any, ...]]]:
        with r.engine.connect() as conn:
            return {tabel.name: sorted(tuple(map(str, rij)) for rij in conn.execute(
                select(tabel).where(tabel.c.huis == huis.value)))
                for tabel in (*_FEITTABELLEN, *telling.AGGREGATEN)}

    try:
        Telling(live).verwerk_samen([record(e, offset=i) for i, e in enumerate(oud + van_ander)])
        assert _gelezen(live, 2024)["gescreend"] > 0
        voor = rijen(live, ander)
        assert voor["melding"] and voor["tel_besluit"] and voor["tel_persoon"]
        with live.engine.connect() as conn:
            oude_jaren = {tuple(r) for tabel in _FEITTABELLEN for r in conn.execute(
                select(tabel.c.huis, tabel.c.jaar).distinct().where(
                    tabel.c.huis == HUIS.value, tabel.c.jaar.is_not(None)))}

        feiten = [f for f in map(vertaal, nieuw) if f is not None]
        geraakt = handlers.vervang_projectie([HUIS], feiten, [], uow=live.uow)
        handlers.vervang_projectie([HUIS], feiten, [], uow=leeg.uow)

        assert rijen(live, ander) == voor
        assert rijen(live, HUIS) == rijen(leeg, HUIS)
        assert _gelezen(live, 2024) == _gelezen(leeg, 2024)
        assert (HUIS.value, 2024) in oude_jaren and geraakt >= len(oude_jaren)
    finally:
        live.engine.dispose()
        leeg.engine.dispose()
