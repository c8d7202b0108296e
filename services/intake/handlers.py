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
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
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
from services.intake.domain.registratie import MAX_EERDERE_MELDINGEN, registreer
from services.intake.domain.routering import Bestemming, RouteringsRegels, routeer
from services.intake.ports import (
    AfgewezenRecord,
    Gelijktijdig,
    Kluis,
    UnitOfWork,
    UnitOfWorkFactory,
)
from shared.audit import Auditlog
from shared.contracts.envelope import CloudEvent, Headers
from shared.contracts.huizen import HuisId, dag_van
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.partners import PARTNER_EVENTS, ConvenantBeeindigd, ConvenantGetekend
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.contracts.regie import OVERDRACHT_AANGEBODEN_V1, OverdrachtAangeboden
from shared.contracts.topics import (
    DJI_DETENTIE,
    INTAKE_AFGEWEZEN,
    POLITIE_MUTATIES,
    WISSINGEN,
    convenanten_topic,
    overdracht_topic,
    overdrachten_topic,
)
from shared.contracts.topics import afzender as afzender_van
from shared.groepscommit import AsyncGroepscommit
from shared.kafka_io import Record
from shared.kit.consumer import Dispatch, Lezer, Onverwerkbaar, Verwerking
from shared.kit.fouten import Conflict, Fout, OngeldigeInvoer
from shared.kit.klok import Klok, nu
from shared.kit.samen import BatchHandler, SamenVerwerking
from shared.metingen import GEREGISTREERD, GEWEIGERD, MELDINGEN
from shared.persoonsgegevens import eigenaars, ontsleutel, versleutel_voor
from shared.sleutelkluis import AFGEWEZEN
from shared.telemetry import huidige_traceparent

M = TypeVar("M", OverdrachtAangeboden, PersoonGewist)
log = logging.getLogger(__name__)
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
    [r] = registreer_meldingen([Feedmelding(invoer, traceparent)], uow=uow, geheim=geheim,
                               regels=regels, klok=klok)
    return r


def registreer_meldingen(aanvragen: Sequence[Feedmelding], *, uow: UnitOfWorkFactory,
                         geheim: bytes, regels: RouteringsRegels, klok: Klok = nu
                         ) -> list[Registratie]:
    """:func:`registreer_alle` in a transaction of its own; one registration per request, in
    order."""
    for poging in (1, 2):
        try:
            with uow() as u:
                r = registreer_alle(u, aanvragen, geheim=geheim, regels=regels, klok=klok)
                u.commit()
            return r
        except Gelijktijdig:
            # Another process registered the same reference at the same moment: read theirs.
            if poging == 2:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Indiening:
    """A melding sent in over the API, with what its registration's transaction must check and
    record besides."""

    invoer: NieuweMelding
    traceparent: str | None = None
    toets: Callable[[UnitOfWork], None] | None = None
    """Checked in the transaction before it registers (a partner's covenant); an exception
    refuses this melding alone."""
    verantwoording: Callable[[Registratie], dict[str, Any]] | None = None
    """The audit row of the registration (``Auditlog.rij``), appended in the same transaction;
    an exception refuses this answer alone (a reference of someone else's melding)."""


GROEPSWACHT = 0.01
"""How long (seconds) a registration group may wait for the partners its previous group just
answered to send their next melding (``AsyncGroepscommit``'s ``wacht``): with 16 clients the
groups otherwise alternate between 15 meldingen and 1, a transaction and its key-vault round
trip for a single melding every other turn."""


class Registratiegroep:
    """Concurrent registrations of one process (an API's requests) in one transaction: a group
    commit (shared/groepscommit.py) of :func:`registreer_alle`. Each caller gets its own
    registration, or its own exception: when the group's transaction fails, each of its
    meldingen is registered again alone, so one that cannot be registered fails only its own
    request. With ``audit``, the group's audit rows are part of the same transaction."""

    def __init__(self, uow: UnitOfWorkFactory, *, geheim: bytes, regels: RouteringsRegels,
                 klok: Klok = nu, audit: Auditlog | None = None,
                 wacht: float = GROEPSWACHT) -> None:
        self._uow, self._geheim, self._regels, self._klok = uow, geheim, regels, klok
        self._audit = audit
        self._groep: AsyncGroepscommit[Indiening, Registratie | Exception] = (
            AsyncGroepscommit(self.registreer_groep, wacht=wacht))

    async def dien_in(self, indiening: Indiening) -> Registratie:
        """Register a melding sent in, together with whatever other requests of this event
        loop send in at this moment (one thread hand-off and one transaction for them all)."""
        uit = await self._groep.vraag(indiening)
        if isinstance(uit, Exception):
            raise uit
        return uit

    def registreer_groep(self, aanvragen: list[Indiening]) -> list[Registratie | Exception]:
        """One turn: the group's registrations in one transaction, each one's registration or
        exception in order."""
        try:
            return self._in_transactie(aanvragen)
        except Exception:
            if len(aanvragen) == 1:
                raise
            log.warning("a group of %d registrations failed; one by one now", len(aanvragen),
                        exc_info=True)
        uit: list[Registratie | Exception] = []
        for aanvraag in aanvragen:
            try:
                uit += self._in_transactie([aanvraag])
            except Exception as fout:
                uit.append(fout)
        return uit

    def _in_transactie(self, aanvragen: list[Indiening]) -> list[Registratie | Exception]:
        for poging in (1, 2):
            try:
                with self._uow() as u:
                    uit = self._registreer_in(u, aanvragen)
                    u.commit()
                return uit
            except Gelijktijdig:
                # Another process registered the same reference at the same moment: read
                # theirs.
                if poging == 2:
                    raise
        raise AssertionError("unreachable")

    def _registreer_in(self, u: UnitOfWork, aanvragen: list[Indiening]
                       ) -> list[Registratie | Exception]:
        uit: dict[int, Registratie | Exception] = {}
        door: list[int] = []
        for i, a in enumerate(aanvragen):
            try:
                if a.toets is not None:
                    a.toets(u)
                door.append(i)
            except Exception as fout:
                uit[i] = fout
        geregistreerd = registreer_alle(
            u, [Feedmelding(aanvragen[i].invoer, aanvragen[i].traceparent) for i in door],
            geheim=self._geheim, regels=self._regels, klok=self._klok)
        rijen: list[dict[str, Any]] = []
        for i, r in zip(door, geregistreerd, strict=True):
            uit[i] = r
            if (verantwoording := aanvragen[i].verantwoording) is not None:
                try:
                    rijen.append(verantwoording(r))
                except Exception as fout:
                    uit[i] = fout
        if rijen:
            if self._audit is None:
                raise ValueError("audit rows given to a registration group without audit log")
            u.verantwoord(self._audit, rijen)
        return [uit[i] for i in range(len(aanvragen))]


def registreer_in(u: UnitOfWork, invoer: NieuweMelding, *, geheim: bytes,
                  regels: RouteringsRegels, traceparent: str | None, klok: Klok) -> Registratie:
    """Register ``invoer`` in the unit of work ``u`` (the caller commits)."""
    [r] = registreer_alle(u, [Feedmelding(invoer, traceparent)], geheim=geheim, regels=regels,
                          klok=klok)
    return r


def registreer_alle(u: UnitOfWork, aanvragen: Sequence[Feedmelding], *, geheim: bytes,
                    regels: RouteringsRegels, klok: Klok = nu) -> list[Registratie]:
    """Register ``aanvragen`` in the unit of work ``u`` (the caller commits), with the effect
    of registering them one after the other in this order, in a few statements however many
    there are: one lock statement, one lookup of the references, two of the person index,
    one of the earlier meldingen, and one insert per table.

    A reference registered before (or earlier in the batch) answers with the first
    registration (``nieuw`` False); a person named twice is linked the second time as the
    index stands after the first; the earlier meldingen of a person include those earlier in
    the batch."""
    bronnen = [(a.invoer.bron.value, a.invoer.organisatie, a.invoer.bron_referentie)
               for a in aanvragen]
    sleutels_per = [[sleutels(b, geheim) for b in a.invoer.betrokkenen] for a in aanvragen]
    # The references and keys are held first (all in one order), so the lookups below see
    # whatever a concurrent registration of the same reference or person committed.
    u.vergrendel([f"bron:{b}:{o}:{r}" for b, o, r in bronnen]
                 + [k for ks in sleutels_per for s in ks for k in (s.bsn, s.naam) if k])
    bekend = u.meldingen.zoek_op_bronnen(bronnen)
    nieuw: list[int] = []
    gezien = set(bekend)
    for i, bron in enumerate(bronnen):
        if bron not in gezien:
            gezien.add(bron)
            nieuw.append(i)

    index = u.personen.lees(s for i in nieuw for s in sleutels_per[i])
    gekoppeld: list[tuple[int, list[UUID], Bestemming]] = []
    for i in nieuw:
        invoer = aanvragen[i].invoer
        persoon_ids = [index.koppel(s, b.woongemeentecode)
                       for s, b in zip(sleutels_per[i], invoer.betrokkenen, strict=True)]
        hoofd = persoon_ids[hoofdpersoon(invoer.betrokkenen)]
        gekoppeld.append((i, persoon_ids, routeer(
            bron=invoer.bron,
            gemeentecode=invoer.gemeentecode,
            inrichting_code=invoer.detentie.inrichting_code if invoer.detentie else None,
            laatst_bekende_woongemeente=(None if invoer.gemeentecode
                                         else index.woongemeente(hoofd)),
            regels=regels,
            op=dag_van(invoer.ontvangen_op),
        )))
    u.personen.schrijf(index)

    eerder = {paar: _recentste(lijst) for paar, lijst in u.meldingen.eerdere_alle(
        {p for _, ids, _ in gekoppeld for p in ids},
        {b.routering.huis.value for _, _, b in gekoppeld}).items()}
    meldingen: dict[int, MeldingGeregistreerd] = {}
    for i, persoon_ids, bestemming in gekoppeld:
        huis = bestemming.routering.huis.value
        melding = registreer(
            aanvragen[i].invoer, melding_id=uuid4(), persoon_ids=persoon_ids,
            bestemming=bestemming, nu=klok(),
            eerdere_meldingen={p: [m for _, m in eerder.get((p, huis), [])]
                               for p in persoon_ids})
        meldingen[i] = melding
        if not melding.radicalisering:
            for p in dict.fromkeys(persoon_ids):
                eerder[p, huis] = _recentste([*eerder.get((p, huis), []),
                                              (melding.ontvangen_op, melding.melding_id)])
    u.meldingen.voeg_toe_alle(list(meldingen.values()))
    for i, melding in meldingen.items():
        u.publiceer(melding, traceparent=aanvragen[i].traceparent)
        _geregistreerd.add(1, {"bron": melding.bron.value, "huis": melding.huis.value})

    eerste = {**bekend, **{bronnen[i]: m for i, m in meldingen.items()}}
    return [Registratie(meldingen[i], nieuw=True) if i in meldingen
            else Registratie(eerste[bron], nieuw=False) for i, bron in enumerate(bronnen)]


def _recentste(eerder: list[tuple[datetime, UUID]]) -> list[tuple[datetime, UUID]]:
    """The most recent meldingen first, each once, at most MAX_EERDERE_MELDINGEN (kept so
    while a batch adds to them: a person in every melding of a batch costs no more)."""
    uniek = dict.fromkeys(sorted(eerder, key=lambda e: e[0], reverse=True))
    return list(uniek)[:MAX_EERDERE_MELDINGEN]


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
    """A police or DJI event as a melding; OngeldigeInvoer names what is wrong. It continues
    the publisher's trace if it sent one (also inside a structured event, which the record's
    span cannot see), else the span reading its record: the batch registers after every record
    is read, outside those spans."""
    return Feedmelding(vertaal(event), event.traceparent or huidige_traceparent())


def lees_aanbod(event: CloudEvent, record: Record) -> Aanbod:
    """A hand-over offer, checked against the topic it came on (which proves the sender)."""
    aanbod = _contract(OverdrachtAangeboden, event)
    controleer_aanbod(aanbod.overdracht, afzender_van(record.topic), record.topic)
    return Aanbod(aanbod, record.sleutel, record.waarde, record.headers)


def lees_convenant(event: CloudEvent, record: Record) -> ConvenantGetekend | ConvenantBeeindigd:
    """A register event, checked against the topic it came on: a house keeps its own
    register only."""
    model = PARTNER_EVENTS[event.type]
    try:
        c = model.model_validate(event.data)
    except ValidationError as exc:
        raise OngeldigeInvoer.uit_validatie(exc) from None
    assert isinstance(c, ConvenantGetekend | ConvenantBeeindigd)
    afzender = afzender_van(record.topic)
    if c.huis is not afzender:
        raise OngeldigeInvoer("huis", f"{c.huis.value} is not the house of {record.topic}: a "
                                      f"house keeps its own partner register only")
    return c


def convenant_bijwerken(u: UnitOfWork, event: ConvenantGetekend | ConvenantBeeindigd) -> None:
    """Keep the copy of a house's partner register (regie owns it)."""
    u.bewaar_convenant(event)


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
    registreer_feedmeldingen(u, [bericht], geheim=geheim, regels=regels, klok=klok)


def registreer_feedmeldingen(u: UnitOfWork, berichten: Sequence[Feedmelding], *,
                             geheim: bytes, regels: RouteringsRegels, klok: Klok = nu) -> None:
    """Register a batch of a feed's meldingen, set-based (:func:`registreer_alle`)."""
    for r in registreer_alle(u, berichten, geheim=geheim, regels=regels, klok=klok):
        if r.nieuw:
            MELDINGEN.labels(r.melding.bron.value, GEREGISTREERD).inc()


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
    samen: BatchHandler[UnitOfWork] | None = None
    """The handler of a whole batch, where there is one (the feeds: set-based registration)."""


def verwerkingen(uow: UnitOfWorkFactory, *, kluis: Kluis, geheim: bytes,
                 regels: RouteringsRegels, klok: Klok = nu
                 ) -> dict[str, tuple[list[str], Verwerking[UnitOfWork]]]:
    """Per stream its topics and the kit's consumer for them, which sets aside in intake's
    dead letters (:func:`wijs_af`). The router reads no personal fields of our own events (an
    offer passes as it is), so it neither opens nor checks their encryption."""
    apart = partial(wijs_af, kluis=kluis, geheim=geheim, regels=regels, klok=klok)

    def verwerking(naam: str, s: Stroom) -> Verwerking[UnitOfWork]:
        opties: dict[str, Any] = {"lezers": s.lezers, "alleen_bekend": True,
                                  "zet_apart": apart, "ontsleutelen": False}
        if s.samen is not None:
            return SamenVerwerking(f"intake {naam}", uow, s.dispatch, samen=s.samen, **opties)
        return Verwerking(f"intake {naam}", uow, s.dispatch, **opties)

    return {naam: (s.topics, verwerking(naam, s))
            for naam, s in stromen(geheim=geheim, regels=regels, klok=klok).items()}


def verwerking_voor(topic: str, uow: UnitOfWorkFactory, *, kluis: Kluis, geheim: bytes,
                    regels: RouteringsRegels, klok: Klok = nu
                    ) -> Verwerking[UnitOfWork] | None:
    """The consumer that reads ``topic`` (None: intake reads it no more), to replay a refused
    record of it through."""
    for topics, verwerking in verwerkingen(uow, kluis=kluis, geheim=geheim, regels=regels,
                                           klok=klok).values():
        if topic in topics:
            return verwerking
    return None


def stromen(*, geheim: bytes, regels: RouteringsRegels, klok: Klok = nu) -> dict[str, Stroom]:
    """The provincial router's dispatch tables, by the name of the stream: the two feeds, the
    hand-overs between houses (each house offers on a topic of its own, which proves the
    sender), the erasures and the houses' partner registers (each on a topic of its own)."""
    feed = partial(registreer_feedmelding, geheim=geheim, regels=regels, klok=klok)
    samen = partial(registreer_feedmeldingen, geheim=geheim, regels=regels, klok=klok)
    return {
        POLITIE_MUTATIES.naam: Stroom([POLITIE_MUTATIES.naam], {POLITIE_TYPE: feed},
                                      {POLITIE_TYPE: lees_feed}, samen),
        DJI_DETENTIE.naam: Stroom([DJI_DETENTIE.naam], {DJI_TYPE: feed}, {DJI_TYPE: lees_feed},
                                  samen),
        "overdracht": Stroom([overdracht_topic(h).naam for h in HuisId],
                             {OVERDRACHT_AANGEBODEN_V1: geef_overdracht_door},
                             {OVERDRACHT_AANGEBODEN_V1: lees_aanbod}),
        WISSINGEN.naam: Stroom([WISSINGEN.naam], {PERSOON_GEWIST_V1: wis_persoon},
                               {PERSOON_GEWIST_V1: lees_wissing}),
        "convenanten": Stroom([convenanten_topic(h).naam for h in HuisId],
                              dict.fromkeys(PARTNER_EVENTS, convenant_bijwerken),
                              dict.fromkeys(PARTNER_EVENTS, lees_convenant)),
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


def herhaal_afgewezen(a: AfgewezenRecord, *, uow: UnitOfWorkFactory, kluis: Kluis,
                      verwerking: Verwerking[UnitOfWork] | None) -> list[Fout] | None:
    """Run refused record ``a`` through its stream's handler again (``verwerking``), once its
    cause is fixed: None when it took effect (a feed record is now a melding; the dead letter
    is gone and its own key destroyed), else the new reasons, which the dead letter now
    carries. Conflict when its content can no longer be opened (its key or that of a person
    in it is destroyed): there is nothing left to replay."""
    inhoud = ontsleutel(a.inhoud, kluis) if a.inhoud else None
    if a.id is None or a.inhoud is None or not isinstance(inhoud, dict):
        raise Conflict("inhoud", "the record can no longer be opened (its period passed or a "
                                 "person in it was erased), so it cannot be replayed")
    if verwerking is None:
        raise Conflict("topic", f"intake no longer reads {a.topic}")
    record = Record(a.topic, a.partitie, a.offset, _bytes(inhoud.get("sleutel")),
                    _bytes(inhoud.get("waarde")),
                    [(str(k), _bytes(v) or b"") for k, v in inhoud.get("headers", [])])
    a_id = a.id
    fouten = verwerking.herhaal_fouten(record, lambda u: u.afgewezen.verwijder(a_id))
    if fouten is not None:
        with uow() as u:
            u.afgewezen.herzie(a_id, fouten)
            u.commit()
        return fouten
    # The token's own key (not the persons', which their other records need): without the
    # row it opens nothing any more, and the dead-letter topic's copy becomes noise now.
    for sleutel_id in set(eigenaars(a.inhoud)) - set(a.persoon_ids):
        kluis.vernietig(sleutel_id, "afgewezen record opnieuw verwerkt")
    return None


def _bytes(b64: Any) -> bytes | None:
    return base64.b64decode(b64) if isinstance(b64, str) else None


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

