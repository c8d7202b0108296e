"""What intake does when a melding arrives, by HTTP or from a feed, and what its provincial router
does with hand-over offers and erasures.

Records arrive through the kit's consumer (shared/kit/consumer.py), one per topic group as
:func:`stromen` lists them: the readers there turn a feed's own format into the handler's message
or refuse it naming the fields, the handlers get the unit of work and that message, never a
Kafka record. A record the consumer sets aside goes to :func:`wijs_af`, intake's encrypted dead
letters. Handlers know the ports (services/intake/ports.py), not the SQL adapters.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from uuid import UUID, uuid4

from opentelemetry import metrics
from pydantic import ValidationError

from services.intake.domain.afgewezen import herken
from services.intake.domain.feeds import DJI_TYPE, POLITIE_TYPE, vertaal
from services.intake.domain.melding import NieuweMelding, hoofdpersoon
from services.intake.domain.overdracht import controleer_aanbod
from services.intake.domain.personen import sleutels, sleutels_van
from services.intake.domain.registratie import registreer
from services.intake.domain.routering import RouteringsRegels, routeer
from services.intake.ports import (
    AfgewezenRecord,
    Gelijktijdig,
    Kluis,
    UnitOfWork,
    UnitOfWorkFactory,
)
from shared.contracts.envelope import CloudEvent, Headers
from shared.contracts.huizen import HuisId, dag_van
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.contracts.regie import OVERDRACHT_AANGEBODEN_V1, OverdrachtAangeboden
from shared.contracts.topics import (
    DJI_DETENTIE,
    INTAKE_AFGEWEZEN,
    POLITIE_MUTATIES,
    WISSINGEN,
    overdracht_topic,
    overdrachten_topic,
)
from shared.contracts.topics import afzender as afzender_van
from shared.kafka_io import Record
from shared.kit.consumer import Dispatch, Lezer, Onverwerkbaar, Verwerking
from shared.kit.fouten import Fout, OngeldigeInvoer
from shared.kit.klok import Klok, nu
from shared.metingen import GEREGISTREERD, GEWEIGERD, MELDINGEN
from shared.persoonsgegevens import versleutel_voor
from shared.sleutelkluis import AFGEWEZEN

M = TypeVar("M", OverdrachtAangeboden, PersoonGewist)
_meter = metrics.get_meter("vhh.intake")
_geregistreerd = _meter.create_counter("vhh.intake.meldingen.geregistreerd")
_afgewezen = _meter.create_counter("vhh.intake.feed.afgewezen")
FEEDS = {POLITIE_MUTATIES.naam: "politie", DJI_DETENTIE.naam: "dji"}
"""The feed each feed topic is, as the ``feed`` label of ``vhh_meldingen_total`` names it."""


@dataclass(frozen=True)
class Registratie:
    melding: MeldingGeregistreerd
    nieuw: bool

    @property
    def melding_id(self) -> UUID:
        return self.melding.melding_id

    @property
    def huis(self) -> HuisId:
        return self.melding.huis


# registering a melding

def registreer_melding(
    invoer: NieuweMelding,
    *,
    uow: UnitOfWorkFactory,
    geheim: bytes,
    regels: RouteringsRegels,
    traceparent: str | None = None,
    klok: Klok = nu,
) -> Registratie:
    """Link the persons, route, store and queue the event, all in one transaction.

    The same (bron, organisatie, bron_referentie) again returns the first registration.
    """
    for poging in (1, 2):
        try:
            with uow() as u:
                r = registreer_in(u, invoer, geheim=geheim, regels=regels,
                                  traceparent=traceparent, klok=klok)
                u.commit()
            return r
        except Gelijktijdig:
            # Another process registered the same reference at the same moment: read theirs.
            if poging == 2:
                raise
    raise AssertionError("unreachable")


def registreer_in(u: UnitOfWork, invoer: NieuweMelding, *, geheim: bytes,
                  regels: RouteringsRegels, traceparent: str | None, klok: Klok) -> Registratie:
    """Register ``invoer`` in the unit of work ``u`` (the caller commits)."""
    bestaand = u.meldingen.zoek_op_bron(invoer.bron.value, invoer.organisatie,
                                        invoer.bron_referentie)
    if bestaand is not None:
        return Registratie(bestaand, nieuw=False)
    persoon_ids = [u.personen.koppel(sleutels(b, geheim), b.woongemeentecode)
                   for b in invoer.betrokkenen]
    hoofd = persoon_ids[hoofdpersoon(invoer.betrokkenen)]
    bestemming = routeer(
        bron=invoer.bron,
        gemeentecode=invoer.gemeentecode,
        inrichting_code=invoer.detentie.inrichting_code if invoer.detentie else None,
        laatst_bekende_woongemeente=(None if invoer.gemeentecode
                                     else u.personen.laatst_bekende_woongemeente(hoofd)),
        regels=regels,
        op=dag_van(invoer.ontvangen_op),
    )
    melding = registreer(
        invoer, melding_id=uuid4(), persoon_ids=persoon_ids, bestemming=bestemming,
        eerdere_meldingen=u.meldingen.eerdere(persoon_ids, bestemming.routering.huis.value),
        nu=klok(),
    )
    u.meldingen.voeg_toe(melding)
    u.publiceer(melding, traceparent=traceparent)
    _geregistreerd.add(1, {"bron": invoer.bron.value, "huis": melding.huis.value})
    return Registratie(melding, nieuw=True)


# what the provincial router reads: readers, handlers and the dispatch tables

@dataclass(frozen=True)
class Feedmelding:
    """A feed record as a melding to register, with the trace it continues."""

    invoer: NieuweMelding
    traceparent: str | None


@dataclass(frozen=True)
class Aanbod:
    """A checked hand-over offer and the record to pass on unchanged."""

    overdracht: OverdrachtAangeboden
    sleutel: bytes | None
    waarde: bytes | None
    headers: Headers


def lees_feed(event: CloudEvent, record: Record) -> Feedmelding:
    """A police or DJI event as a melding; OngeldigeInvoer names what is wrong."""
    return Feedmelding(vertaal(event), event.traceparent)


def lees_aanbod(event: CloudEvent, record: Record) -> Aanbod:
    """A hand-over offer, checked against the topic it came on (which proves the sender)."""
    aanbod = _contract(OverdrachtAangeboden, event)
    controleer_aanbod(aanbod.overdracht, afzender_van(record.topic), record.topic)
    return Aanbod(aanbod, record.sleutel, record.waarde, record.headers)


def lees_wissing(event: CloudEvent, record: Record) -> PersoonGewist:
    return _contract(PersoonGewist, event)


def _contract(model: type[M], event: CloudEvent) -> M:
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise OngeldigeInvoer.uit_validatie(exc) from None


def registreer_feedmelding(u: UnitOfWork, bericht: Feedmelding, *, geheim: bytes,
                           regels: RouteringsRegels, klok: Klok = nu) -> None:
    """Register a melding from a feed (once: a re-sent record finds the first)."""
    r = registreer_in(u, bericht.invoer, geheim=geheim, regels=regels,
                      traceparent=bericht.traceparent, klok=klok)
    if r.nieuw:
        MELDINGEN.labels(bericht.invoer.bron.value, GEREGISTREERD).inc()


def geef_overdracht_door(u: UnitOfWork, aanbod: Aanbod) -> None:
    """The provincial router's part of a hand-over between houses: pass the checked offer
    unchanged to the receiving house's own topic. A house never reads another's topics."""
    u.stuur_door(overdrachten_topic(aanbod.overdracht.overdracht.huis).naam, aanbod.sleutel,
                 aanbod.waarde, aanbod.headers)


def wis_persoon(u: UnitOfWork, gewist: PersoonGewist) -> None:
    """An erased person (their key is destroyed): forget how to find them and blank their data
    in the stored meldingen."""
    u.personen.wis(gewist.persoon_id)
    u.meldingen.wis_persoon(gewist.persoon_id)


@dataclass(frozen=True)
class Stroom:
    """What intake reads from a group of topics: only the event types in ``dispatch`` (any
    other is set aside), read by ``lezers``."""

    topics: list[str]
    dispatch: Dispatch[UnitOfWork]
    lezers: Mapping[str, Lezer]


def verwerkingen(uow: UnitOfWorkFactory, *, kluis: Kluis, geheim: bytes,
                 regels: RouteringsRegels, klok: Klok = nu
                 ) -> dict[str, tuple[list[str], Verwerking[UnitOfWork]]]:
    """Per stream its topics and the kit's consumer for them, which sets aside in intake's
    dead letters (:func:`wijs_af`). The router reads no personal fields of our own events (an
    offer passes as it is), so it neither opens nor checks their encryption."""
    apart = partial(wijs_af, kluis=kluis, geheim=geheim, regels=regels, klok=klok)
    return {naam: (s.topics, Verwerking(f"intake {naam}", uow, s.dispatch, lezers=s.lezers,
                                        alleen_bekend=True, zet_apart=apart,
                                        ontsleutelen=False))
            for naam, s in stromen(geheim=geheim, regels=regels, klok=klok).items()}


def stromen(*, geheim: bytes, regels: RouteringsRegels, klok: Klok = nu) -> dict[str, Stroom]:
    """The provincial router's dispatch tables, by the name of the stream: the two feeds, the
    hand-overs between houses (each house offers on a topic of its own, which proves the
    sender) and the erasures."""
    feed = partial(registreer_feedmelding, geheim=geheim, regels=regels, klok=klok)
    return {
        POLITIE_MUTATIES.naam: Stroom([POLITIE_MUTATIES.naam], {POLITIE_TYPE: feed},
                                      {POLITIE_TYPE: lees_feed}),
        DJI_DETENTIE.naam: Stroom([DJI_DETENTIE.naam], {DJI_TYPE: feed}, {DJI_TYPE: lees_feed}),
        "overdracht": Stroom([overdracht_topic(h).naam for h in HuisId],
                             {OVERDRACHT_AANGEBODEN_V1: geef_overdracht_door},
                             {OVERDRACHT_AANGEBODEN_V1: lees_aanbod}),
        WISSINGEN.naam: Stroom([WISSINGEN.naam], {PERSOON_GEWIST_V1: wis_persoon},
                               {PERSOON_GEWIST_V1: lees_wissing}),
    }


# refused records: intake's dead letters

def wijs_af(u: UnitOfWork, record: Record, fout: Onverwerkbaar, *, kluis: Kluis, geheim: bytes,
            regels: RouteringsRegels, klok: Klok = nu) -> None:
    """Keep a refused record with its reasons and queue it for the dead-letter topic (once), in
    ``u`` (the consumer commits): intake's set-aside step.

    Its content is kept only as a token that needs its own key (destroyed after the period of
    a dead letter) and the key of every known person found in it (destroyed by their erasure).
    When such a person's key is already gone, the content is not kept at all."""
    if u.afgewezen.bekend(record.topic, record.partitie, record.offset):
        return
    fouten = [Fout(f.veld or "verwerking", f.reden) for f in fout.fouten]
    herkenning = herken(record.waarde, regels)
    # A record on a house's own provincial topic (a hand-over offer) is that house's: only it
    # may write there. Otherwise the house the record itself names, if any.
    huis = afzender_van(record.topic) or herkenning.huis
    persoon_ids = list(dict.fromkeys(
        p for k in herkenning.personen
        for p in u.personen.zoek(sleutels_van(k.bsn, k.voornamen, k.achternaam,
                                              k.geboortedatum, geheim))))
    sleutel_id = uuid4()
    sleutel, bewaren_tot = kluis.recordsleutel(sleutel_id, AFGEWEZEN)
    van_personen = kluis.sleutels(persoon_ids)
    inhoud = None
    if all(k is not None for k in van_personen.values()):
        inhoud = versleutel_voor(_inhoud(record), {
            sleutel_id: sleutel, **{p: k for p, k in van_personen.items() if k is not None}})
    event = fout.event
    a = AfgewezenRecord(
        id=None, topic=record.topic, partitie=record.partitie, offset=record.offset,
        fouten=fouten, ontvangen_op=klok(), bewaren_tot=bewaren_tot,
        ce_type=event.type if event else record.header("ce_type"),
        ce_source=event.source if event else record.header("ce_source"),
        ce_id=event.id if event else record.header("ce_id"),
        huis=huis.value if huis else None, persoon_ids=persoon_ids,
        inhoud=inhoud,
    )
    u.afgewezen.voeg_toe(a)
    u.stuur_door(INTAKE_AFGEWEZEN.naam,
                 f"{record.topic}:{record.partitie}:{record.offset}".encode(),
                 inhoud.encode() if inhoud else None, _dode_brief_headers(a))
    _afgewezen.add(1, {"topic": record.topic})
    if (feed := FEEDS.get(record.topic)) is not None:
        MELDINGEN.labels(feed, GEWEIGERD).inc()


def _inhoud(record: Record) -> dict[str, Any]:
    def b64(b: bytes | None) -> str | None:
        return None if b is None else base64.b64encode(b).decode()

    return {"sleutel": b64(record.sleutel), "waarde": b64(record.waarde),
            "headers": [[k, b64(v)] for k, v in record.headers]}


def _dode_brief_headers(a: AfgewezenRecord) -> list[tuple[str, bytes]]:
    """What the dead-letter topic says in the clear: where from, why (field and rule), which
    house, and until when; the original's own headers are inside the token."""
    kop = {"vhh_reden": "; ".join(map(str, a.fouten)), "vhh_bron_topic": a.topic,
           "vhh_bron_partitie": str(a.partitie), "vhh_bron_offset": str(a.offset),
           "vhh_bewaren_tot": a.bewaren_tot.isoformat(), "vhh_ce_type": a.ce_type,
           "vhh_ce_source": a.ce_source, "vhh_ce_id": a.ce_id, "vhh_huis": a.huis}
    return [(k, v.encode()) for k, v in kop.items() if v is not None]


def ruim_afgewezen_op(*, uow: UnitOfWorkFactory, klok: Klok = nu) -> int:
    """Intake's part of the retention round: delete the dead letters whose period has passed
    (their key is destroyed by then, so what goes is noise already)."""
    with uow() as u:
        weg = u.afgewezen.ruim_op(klok())
        u.commit()
    return weg

