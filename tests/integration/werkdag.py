"""One year of the Maastricht district (3,362 meldingen, as the house reported) loaded into
triage, regie, nazorg and reporting on a real PostgreSQL, each service's workbench served over
HTTP for the browser: the ground of the day walk (test_werkdag_browser.py).

Everything goes in through the services' own paths, as the broker would hand it over: the
meldingen as intake publishes them (encrypted, through each consumer's ``Verwerking``), the
triage decisions taken by triage's own handlers (advice, then decision, each at its moment of
the year), and what triage, regie and nazorg published (their outbox rows) handed on to the
services that read those topics, as the relay would. No broker: the records go from one
service's outbox to the next one's consumer in process, in batches of one unit of work each.
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import uvicorn
from sqlalchemy import select

from services.nazorg.tests.maak import melding as dji_melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.kafka_io import Record
from shared.outbox.tabel import decode_headers
from shared.testing import letternaam, teken_convenant, versleuteld
from tests.bench.wachtrij import meldingen as jaar_meldingen

HUIS = "maastricht-heuvelland"
AANTAL = int(os.environ.get("VHH_WERKDAG_MELDINGEN", "3362"))
"""Meldingen in the year: the Maastricht district's annual report (fewer with
VHH_WERKDAG_MELDINGEN, for a quick run by hand)."""
BATCH = 250
BESLIST_ELKE = 8
"""One melding in this many (of those older than two weeks) is decided for an approach."""
DJI = 80
"""Detention episodes with a release in the coming weeks (nazorg's dossiers)."""
REGISSEUR = "Pieter Regisseur"
PARTNER = "Woonpunt"


@dataclass
class Klok:
    """The services' clock: each decision at its moment of the year, then "now" for the walk."""

    nu: datetime

    def __call__(self) -> datetime:
        return self.nu


@dataclass
class Persoon:
    voornamen: str
    achternaam: str
    geboortedatum: date
    persoon_id: UUID


@dataclass
class Jaar:
    """The loaded year and what the walk looks for in it."""

    nu: datetime
    adressen: dict[str, str]
    in_screening: Persoon
    """A person of a recent melding still in the screening queue."""
    met_casus: Persoon
    """A person of a decided melding whose case runs (directed by REGISSEUR)."""
    met_huisverbod: Persoon
    gedetineerde: Persoon
    casus_partner: UUID
    """A case PARTNER takes part in (an action of it): the case of ``met_casus``."""
    huisverbod_id: UUID
    """The restraining order following the melding about ``met_huisverbod``."""
    vraag_id: UUID
    """A question to PARTNER about the melding of ``in_screening``."""
    tijden: dict[str, float] = field(default_factory=dict)


def _record(m: MeldingGeregistreerd, offset: int) -> Record:
    headers, waarde = CloudEvent(type=MELDING_GEREGISTREERD_V1, source="/vhh/intake",
                                 id=str(m.melding_id), data=versleuteld(m)).to_binary()
    return Record(f"vhh.{HUIS}.meldingen.v1", 0, offset, str(m.melding_id).encode(), waarde,
                  headers)


def _in_batches(verwerk: Callable[[Sequence[Record]], None], records: Sequence[Record]) -> None:
    for i in range(0, len(records), BATCH):
        verwerk(records[i:i + BATCH])


def uitgaand(service: Any, tabel: Any) -> list[Record]:
    """What a service published (its outbox rows, in order) as records of their topics; marks
    them sent, as the relay would."""
    with service.engine.begin() as conn:
        rijen = list(conn.execute(select(tabel).where(tabel.c.gepubliceerd_op.is_(None))
                                  .order_by(tabel.c.id)))
        conn.execute(tabel.update().where(tabel.c.id.in_([r.id for r in rijen]))
                     .values(gepubliceerd_op=datetime.now(UTC)))
    return [Record(r.topic, 0, r.id, r.sleutel, r.waarde, decode_headers(r.headers))
            for r in rijen]


def _persoon(m: MeldingGeregistreerd) -> Persoon:
    b = m.betrokkenen[0]
    assert b.geboortedatum is not None
    return Persoon(b.voornamen or "", b.achternaam, b.geboortedatum, b.persoon_id)


def laad(triage: Any, regie: Any, nazorg: Any, reporting: Any, klok: Klok) -> Jaar:
    """Load the year (see the module); ``klok`` ends at its "now"."""
    from services.nazorg.adapters import tabellen as nt
    from services.nazorg.entrypoints.worker import verwerking as nazorg_verwerking
    from services.regie import handlers as regie_handlers
    from services.regie.adapters import tabellen as rt
    from services.regie.domain import commando as c
    from services.regie.entrypoints.worker import verwerking as regie_verwerking
    from services.reporting.entrypoints.worker import Telling
    from services.triage import handlers as triage_handlers
    from services.triage.adapters import tabellen as tt
    from services.triage.domain.besluit import Keuze
    from services.triage.entrypoints.worker import verwerking as triage_verwerking
    from shared.contracts.triage import Feiten, Leefgebied, Route

    nu = klok.nu
    tijden: dict[str, float] = {}
    # the partner signed the house's covenant (regie's register, and triage's copy of it):
    # only signed partners are asked, invited or let in
    teken_convenant(regie.uow, HUIS, PARTNER)
    teken_convenant(triage.uow, HUIS, PARTNER)
    t0 = time.perf_counter()
    rnd = random.Random(3362)
    meldingen = sorted(jaar_meldingen(AANTAL, nu, rnd), key=lambda m: m.ontvangen_op)
    # nazorg's detention episodes: released in the coming weeks, some without their basic
    # conditions arranged
    dji = [dji_melding("instroom", (nu - timedelta(days=40 + i)).isoformat(),
                       persoon=UUID(int=0xD1 << 64 | i), huis=HUIS, gemeente="GM0935",
                       detentie_start=(nu - timedelta(days=40 + i)).date().isoformat(),
                       ontslag=(nu + timedelta(days=i % 30)).date().isoformat(),
                       bericht_id=f"DJI-werkdag-{i}")
           for i in range(DJI)]
    dji = [m.model_copy(update={"betrokkenen": [m.betrokkenen[0].model_copy(update={
        "voornamen": "Karel", "achternaam": letternaam(i, "Gedetineerde"),
        "geboortedatum": date(1980, 1, 1) + timedelta(days=37 * i)})]})
        for i, m in enumerate(dji)]
    records = [_record(m, i) for i, m in enumerate([*meldingen, *dji])]
    tijden["genereren_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _in_batches(triage_verwerking(triage).verwerk_samen, records)
    _in_batches(regie_verwerking(regie).verwerk_samen, records)
    # nazorg passes every other melding by unopened: only the DJI notices are handed to it
    _in_batches(nazorg_verwerking(nazorg).verwerk_samen, records[len(meldingen):])
    tijden["meldingen_s"] = time.perf_counter() - t0

    # the screeners' decisions over the year, each two days after the melding came in
    t0 = time.perf_counter()
    feiten = Feiten.model_validate({
        "leefgebieden": ["huisvesting", "gezin_en_opvoeding", "justitie"],
        "leidt_tot_criminaliteit_of_overlast": True, "ketens": ["straf", "veilig_thuis"],
        "impact_op_systeem": True, "reguliere_hulp_vastgelopen": True,
        "doelgroep": "huiselijk_geweld"})
    keuze = Keuze(route=Route.PERSOONSGERICHTE_AANPAK, soort="integrale_aanpak",
                  motivering=None, terugverwijzen_naar=None)
    oud = [m for m in meldingen if m.ontvangen_op < nu - timedelta(days=14)]
    beslist = oud[::BESLIST_ELKE]
    besluiten: list[UUID] = []
    for m in beslist:
        klok.nu = m.ontvangen_op + timedelta(days=2)
        triage_handlers.vraag_advies(m.melding_id, feiten, "Sanne Screener", uow=triage.uow,
                                     klok=klok)
        besluiten.append(triage_handlers.neem_besluit(
            m.melding_id, keuze, "Sanne Screener", uow=triage.uow, klok=klok).besluit_id)
    klok.nu = nu
    van_triage = uitgaand(triage, tt.outbox)
    _in_batches(regie_verwerking(regie).verwerk_samen, van_triage)
    tijden["besluiten_s"] = time.perf_counter() - t0

    # the process director's recent cases: a goal and actions due today and this week, one
    # with a partner taking part; restraining orders registered from recent meldingen
    t0 = time.perf_counter()
    recent = beslist[-12:]
    casussen = [c.casus_id_voor(b) for b in besluiten[-12:]]
    vandaag = nu.date()
    for i, cid in enumerate(casussen):
        regie_handlers.voer_uit(cid, lambda k: c.wijs_regisseur_toe(k, REGISSEUR, "mgr", nu),
                                uow=regie.uow)
        regie_handlers.voer_uit(cid, lambda k: c.voeg_doel_toe(
            k, Leefgebied.HUISVESTING, "Woning behouden", REGISSEUR, nu), uow=regie.uow)
        with regie.uow() as u:
            [doel] = u.casussen.laad(cid).doelen
        regie_handlers.voer_uit(cid, lambda k, d=doel, i=i: c.voeg_actie_toe(
            k, d, "Huisbezoek afleggen", PARTNER if i % 3 == 0 else "GGD",
            vandaag + timedelta(days=i % 5), None, REGISSEUR, nu), uow=regie.uow)
    met_huisverbod = meldingen[-40]
    huisverboden = [regie_handlers.registreer_huisverbod(m.melding_id, REGISSEUR, uow=regie.uow,
                                                         klok=klok).huisverbod_id
                    for m in meldingen[-40:-34]]
    tijden["regie_s"] = time.perf_counter() - t0

    # reporting counts every house topic
    t0 = time.perf_counter()
    _in_batches(Telling(reporting).verwerk_samen,
                [*records, *van_triage, *uitgaand(regie, rt.outbox), *uitgaand(nazorg, nt.outbox)])
    tijden["rapportage_s"] = time.perf_counter() - t0

    in_screening = next(m for m in reversed(meldingen) if m.urgentie.value == "normaal")
    vraag = triage_handlers.vraag_verrijking(
        in_screening.melding_id, PARTNER, "Is er een huurachterstand bij dit adres?", "Sanne",
        uow=triage.uow, klok=klok)
    return Jaar(nu=nu, adressen={}, in_screening=_persoon(in_screening),
                met_casus=_persoon(recent[0]), met_huisverbod=_persoon(met_huisverbod),
                gedetineerde=_persoon(dji[3]), casus_partner=casussen[0],
                huisverbod_id=huisverboden[0], vraag_id=vraag.verrijking_id, tijden=tijden)


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def geserveerd(apps: dict[str, Any], poorten: dict[str, int]) -> Iterator[dict[str, str]]:
    """Each app over HTTP on its port (uvicorn in a thread), until the block ends."""
    servers, draden = [], []
    for naam, app in apps.items():
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=poorten[naam],
                                               log_level="warning"))
        draad = threading.Thread(target=server.run, daemon=True, name=f"werkdag-{naam}")
        draad.start()
        servers.append(server)
        draden.append(draad)
    try:
        from tests.integration.keten import wacht_tot

        for server in servers:
            wacht_tot(lambda s=server: s.started, wat="the workbench serving")
        yield {n: f"http://127.0.0.1:{p}" for n, p in poorten.items()}
    finally:
        for server in servers:
            server.should_exit = True
        for draad in draden:
            draad.join(timeout=30)


def werkbank_omgeving(poorten: dict[str, int]) -> dict[str, str]:
    """The navigation's addresses of the four services (VHH_WERKBANK_*)."""
    return {f"VHH_WERKBANK_{n.upper()}_URL": f"http://127.0.0.1:{p}" for n, p in poorten.items()}


def vergeet_sjablonen() -> None:
    """The services make their templates on first use, with the addresses of that moment:
    made again after the addresses change."""
    from services.nazorg.entrypoints import werkbank as nazorg_werkbank
    from services.regie.entrypoints import pages as regie_pages
    from services.reporting.entrypoints import werkbank as reporting_werkbank
    from services.triage.entrypoints import pages as triage_pages

    for module in (triage_pages, regie_pages, nazorg_werkbank, reporting_werkbank):
        module.templates.cache_clear()


@contextmanager
def omgeving(waarden: dict[str, str]) -> Iterator[None]:
    oud = {k: os.environ.get(k) for k in waarden}
    os.environ.update(waarden)
    vergeet_sjablonen()
    try:
        yield
    finally:
        for k, v in oud.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        vergeet_sjablonen()
