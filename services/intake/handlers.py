"""What intake does when a melding arrives, by HTTP or from a feed.

Plain functions with keyword-only dependencies. They are synchronous because the database is;
the entrypoints run them in a worker thread.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from opentelemetry import metrics
from pydantic import BaseModel, ValidationError

from services.intake.domain.afgewezen import herken
from services.intake.domain.feeds import vertaal
from services.intake.domain.fouten import Afwijzing, Fout
from services.intake.domain.melding import NieuweMelding, hoofdpersoon
from services.intake.domain.personen import sleutels, sleutels_van
from services.intake.domain.registratie import registreer
from services.intake.domain.routering import RouteringsRegels, routeer
from services.intake.ports import (
    AfgewezenRecord,
    Conflict,
    FeedRecord,
    Kluis,
    UnitOfWorkFactory,
)
from shared.contracts.envelope import CloudEvent, EnvelopeError, from_kafka
from shared.contracts.huizen import HuisId, dag_van, huis_van_gemeente
from shared.contracts.intake import INTAKE_SOURCE, MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.contracts.regie import OVERDRACHT_AANGEBODEN_V1, OverdrachtAangeboden
from shared.contracts.topics import INTAKE_AFGEWEZEN, meldingen_topic, overdrachten_topic
from shared.contracts.topics import afzender as afzender_van
from shared.persoonsgegevens import Sleutels, versleutel, versleutel_voor
from shared.sleutelkluis import AFGEWEZEN

M = TypeVar("M", bound=BaseModel)
_meter = metrics.get_meter("vhh.intake")
_geregistreerd = _meter.create_counter("vhh.intake.meldingen.geregistreerd")
_afgewezen = _meter.create_counter("vhh.intake.feed.afgewezen")


def nu() -> datetime:
    return datetime.now(UTC)


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


@dataclass(frozen=True)
class FeedUitkomst:
    geregistreerd: Registratie | None = None
    fouten: tuple[Fout, ...] = ()


def registreer_melding(
    invoer: NieuweMelding,
    *,
    uow: UnitOfWorkFactory,
    geheim: bytes,
    regels: RouteringsRegels,
    kluis: Sleutels,
    traceparent: str | None = None,
    klok: Callable[[], datetime] = nu,
) -> Registratie:
    """Link the persons, route, store and queue the event, all in one transaction.

    The same (bron, organisatie, bron_referentie) again returns the first registration.
    """
    for poging in (1, 2):
        try:
            return _registreer(invoer, uow=uow, geheim=geheim, regels=regels, kluis=kluis,
                               traceparent=traceparent, klok=klok)
        except Conflict:
            # Another process registered the same reference at the same moment: read theirs.
            if poging == 2:
                raise
    raise AssertionError("unreachable")


def _registreer(invoer: NieuweMelding, *, uow: UnitOfWorkFactory, geheim: bytes,
                regels: RouteringsRegels, kluis: Sleutels, traceparent: str | None,
                klok: Callable[[], datetime]) -> Registratie:
    with uow() as u:
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
        tijd = klok()
        melding = registreer(
            invoer, melding_id=uuid4(), persoon_ids=persoon_ids, bestemming=bestemming,
            eerdere_meldingen=u.meldingen.eerdere(persoon_ids, bestemming.routering.huis.value),
            nu=tijd,
        )
        u.meldingen.voeg_toe(melding)
        u.outbox.plaats(
            meldingen_topic(melding.huis).naam,
            str(melding.hoofdpersoon_id).encode(),
            CloudEvent(
                type=MELDING_GEREGISTREERD_V1, source=INTAKE_SOURCE, id=str(melding.melding_id),
                subject=str(melding.melding_id), time=tijd,
                data=versleutel(melding, kluis, "melding"),
                traceparent=traceparent,
            ),
        )
        u.commit()
    _geregistreerd.add(1, {"bron": invoer.bron.value, "huis": melding.huis.value})
    return Registratie(melding, nieuw=True)


def ontvang_feedbericht(
    record: FeedRecord,
    *,
    verwacht_type: str,
    uow: UnitOfWorkFactory,
    geheim: bytes,
    regels: RouteringsRegels,
    kluis: Kluis,
    traceparent: str | None = None,
    klok: Callable[[], datetime] = nu,
) -> FeedUitkomst:
    """Register a feed record, or keep it as a dead letter with the reason; never drop it."""
    event: CloudEvent | None = None
    try:
        event = from_kafka(record.headers, record.waarde)
        if event.type != verwacht_type:
            raise Afwijzing.enkel("type", f"unknown event type {event.type!r} on {record.topic} "
                                          f"(expected {verwacht_type})")
        invoer = vertaal(event)
    except EnvelopeError as exc:
        return wijs_af(record, [Fout(exc.field, exc.reason)], None, uow, kluis=kluis,
                       geheim=geheim, regels=regels, klok=klok)
    except Afwijzing as afwijzing:
        return wijs_af(record, afwijzing.fouten, event, uow, kluis=kluis, geheim=geheim,
                       regels=regels, klok=klok)
    registratie = registreer_melding(invoer, uow=uow, geheim=geheim, regels=regels, kluis=kluis,
                                     traceparent=event.traceparent or traceparent, klok=klok)
    return FeedUitkomst(geregistreerd=registratie)


def wijs_af(record: FeedRecord, fouten: list[Fout], event: CloudEvent | None,
            uow: UnitOfWorkFactory, *, kluis: Kluis, geheim: bytes,
            regels: RouteringsRegels, klok: Callable[[], datetime] = nu) -> FeedUitkomst:
    """Keep a refused record with its reasons and queue it for the dead-letter topic (once).

    Its content is kept only as a token that needs its own key (destroyed after the period of
    a dead letter) and the key of every known person found in it (destroyed by their erasure).
    When such a person's key is already gone, the content is not kept at all."""
    herkenning = herken(record.waarde, regels)
    # A record on a house's own provincial topic (a hand-over offer) is that house's: only it
    # may write there. Otherwise the house the record itself names, if any.
    huis = afzender_van(record.topic) or herkenning.huis
    with uow() as u:
        if u.afgewezen.bekend(record.topic, record.partitie, record.offset):
            return FeedUitkomst(fouten=tuple(fouten))
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
        a = AfgewezenRecord(
            id=None, topic=record.topic, partitie=record.partitie, offset=record.offset,
            fouten=fouten, ontvangen_op=klok(), bewaren_tot=bewaren_tot,
            ce_type=event.type if event else _header(record.headers, "ce_type"),
            ce_source=event.source if event else _header(record.headers, "ce_source"),
            ce_id=event.id if event else _header(record.headers, "ce_id"),
            huis=huis.value if huis else None, persoon_ids=persoon_ids,
            inhoud=inhoud,
        )
        u.afgewezen.voeg_toe(a)
        u.outbox.plaats_ruw(INTAKE_AFGEWEZEN.naam,
                            f"{record.topic}:{record.partitie}:{record.offset}".encode(),
                            inhoud.encode() if inhoud else None, _dode_brief_headers(a))
        u.commit()
    _afgewezen.add(1, {"topic": record.topic})
    return FeedUitkomst(fouten=tuple(fouten))


def _inhoud(record: FeedRecord) -> dict[str, Any]:
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


def _header(headers: list[tuple[str, bytes]], naam: str) -> str | None:
    for k, v in headers:
        if k.lower() == naam:
            return v.decode("utf-8", "replace")
    return None


def ruim_afgewezen_op(*, uow: UnitOfWorkFactory, klok: Callable[[], datetime] = nu) -> int:
    """Intake's part of the retention round: delete the dead letters whose period has passed
    (their key is destroyed by then, so what goes is noise already)."""
    with uow() as u:
        weg = u.afgewezen.ruim_op(klok())
        u.commit()
    return weg


def _payload(event: CloudEvent, record: FeedRecord, verwacht: str, model: type[M]) -> M:
    """The payload of an event of the one type a provincial topic carries; Afwijzing names
    what is wrong."""
    if event.type != verwacht:
        raise Afwijzing.enkel("type", f"unknown event type {event.type!r} on {record.topic}")
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise Afwijzing.uit_validatie(exc) from None


def wis_persoon(record: FeedRecord, *, uow: UnitOfWorkFactory, kluis: Kluis,
                geheim: bytes, regels: RouteringsRegels) -> FeedUitkomst:
    """An erased person (their key is destroyed): forget how to find them and blank their data
    in the stored meldingen. Idempotent, so a redelivery changes nothing."""
    event: CloudEvent | None = None
    try:
        event = from_kafka(record.headers, record.waarde)
        gewist = _payload(event, record, PERSOON_GEWIST_V1, PersoonGewist)
    except EnvelopeError as exc:
        return wijs_af(record, [Fout(exc.field, exc.reason)], None, uow, kluis=kluis,
                       geheim=geheim, regels=regels)
    except Afwijzing as afwijzing:
        return wijs_af(record, afwijzing.fouten, event, uow, kluis=kluis, geheim=geheim,
                       regels=regels)
    with uow() as u:
        u.personen.wis(gewist.persoon_id)
        u.meldingen.wis_persoon(gewist.persoon_id)
        u.commit()
    return FeedUitkomst()


def geef_overdracht_door(record: FeedRecord, *, uow: UnitOfWorkFactory, kluis: Kluis,
                         geheim: bytes, regels: RouteringsRegels) -> FeedUitkomst:
    """The provincial router's part of a hand-over between houses: check the offer and pass it
    unchanged to the receiving house's own topic, once. A house never reads another's topics.
    The topic the offer came on proves the sending house: only that house may write it."""
    event: CloudEvent | None = None
    try:
        event = from_kafka(record.headers, record.waarde)
        o = _payload(event, record, OVERDRACHT_AANGEBODEN_V1, OverdrachtAangeboden).overdracht
        afzender = afzender_van(record.topic)
        if afzender is not o.van_huis:
            raise Afwijzing.enkel("overdracht.van_huis", f"an offer of {o.van_huis.value} on "
                                  f"{record.topic}: a house offers its own cases only")
        if huis_van_gemeente(o.gemeentecode) is not o.huis:
            raise Afwijzing.enkel("overdracht.gemeentecode", f"{o.gemeentecode} does not belong "
                                  f"to {o.huis.value}")
        if o.van_huis is o.huis:
            raise Afwijzing.enkel("overdracht.huis", "a hand-over goes to another house")
    except EnvelopeError as exc:
        return wijs_af(record, [Fout(exc.field, exc.reason)], None, uow, kluis=kluis,
                       geheim=geheim, regels=regels)
    except Afwijzing as afwijzing:
        return wijs_af(record, afwijzing.fouten, event, uow, kluis=kluis, geheim=geheim,
                       regels=regels)
    with uow() as u:
        if u.eerste_keer(f"{event.source}#{event.id}", event.type):
            u.outbox.plaats_ruw(overdrachten_topic(o.huis).naam, record.sleutel, record.waarde,
                                record.headers)
            u.commit()
    return FeedUitkomst()
