"""What nazorg does when a melding arrives, when a professional changes a dossier, and when the
clocks are looked at.

Plain functions with keyword-only dependencies. They are synchronous because the database is;
the entrypoints run them in a worker thread. Each change is one transaction: the dossier, its
clocks, the inbox row of the consumed event and the outbox rows of the events it caused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from services.nazorg.domain import dossier as model
from services.nazorg.domain import klokken
from services.nazorg.domain.detentie import dossier_id, is_detentiemelding, uit_melding
from services.nazorg.domain.dossier import Dossier, Gebeurtenis
from services.nazorg.domain.klokken import Klok
from services.nazorg.ports import UnitOfWork, UnitOfWorkFactory
from shared.contracts.envelope import CloudEvent, EnvelopeError, from_kafka
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.nazorg import Voorwaarde, VoorwaardeStatus
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.kafka_io import Record
from shared.persoonsgegevens import ontsleuteld

log = logging.getLogger(__name__)

Wijziging = Callable[[Dossier], tuple[Dossier, list[Gebeurtenis]]]


@dataclass(frozen=True)
class KlokRegels:
    dagen_voor_ontslag: int
    tijdzone: ZoneInfo


class DossierNietGevonden(LookupError):
    pass


def ontvang_record(record: Record, *, uow: UnitOfWorkFactory, regels: KlokRegels,
                   huizen: list[HuisId], nu: datetime) -> Dossier | None:
    """A record from a house's meldingen topic. One that cannot be read is set aside at once
    (retrying would not help); a failure of storage is raised so that the consumer retries.
    Nothing is opened (no key read from the vault) before the type, the source and the house
    show that it is a DJI notice for a house this deployment serves."""
    try:
        event = from_kafka(record.headers, record.waarde)
    except EnvelopeError as exc:
        wijs_af(record, f"{exc.field}: {exc.reason}", uow=uow)
        return None
    if event.type == PERSOON_GEWIST_V1:
        wis_persoon(PersoonGewist.model_validate(event.data).persoon_id, uow=uow,
                    huizen=huizen, nu=nu)
        return None
    if event.type != MELDING_GEREGISTREERD_V1:
        return None
    try:
        if not is_detentiemelding(event.data, huizen):
            return None
        melding = MeldingGeregistreerd.model_validate(ontsleuteld(event, uow.kluis).data)
    except ValidationError as exc:
        wijs_af(record, f"data: not a {MELDING_GEREGISTREERD_V1} payload: {exc}", uow=uow)
        return None
    return ontvang_melding(event, melding, uow=uow, regels=regels, huizen=huizen, nu=nu)


def ontvang_melding(event: CloudEvent, melding: MeldingGeregistreerd, *, uow: UnitOfWorkFactory,
                    regels: KlokRegels, huizen: list[HuisId], nu: datetime) -> Dossier | None:
    """Fold a DJI melding into its dossier; other meldingen and redeliveries change nothing."""
    bericht = uit_melding(melding)
    if bericht is None or melding.huis not in huizen:
        return None
    with uow() as u:
        if not u.inbox.eerste_keer(event.id, event.type):
            return None
        oud = u.dossiers.get(dossier_id(bericht.persoon_id, bericht.detentie_start),
                             voor_wijziging=True)
        nieuw, gebeurtenissen = model.ontvang(oud, bericht)
        _bewaar(u, oud, nieuw, gebeurtenissen, regels=regels, nu=nu,
                traceparent=event.traceparent)
        u.commit()
    return nieuw


def wis_persoon(persoon_id: UUID, *, uow: UnitOfWorkFactory, huizen: list[HuisId],
                nu: datetime) -> int:
    """Blank an erased person's dossiers (their key is destroyed: the topics hold only
    noise of them now); return how many."""
    with uow() as u:
        dossiers = u.dossiers.lijst(huizen=huizen, persoon_id=persoon_id, limit=10_000)
        for d in dossiers:
            u.dossiers.bewaar(model.gewist(d), nu=nu)
        u.commit()
    return len(dossiers)


def wijs_af(record: Record, reden: str, *, uow: UnitOfWorkFactory) -> None:
    """Keep a record nazorg could not process, with the reason; the stream moves on."""
    log.warning("set aside %s[%d]@%d: %s", record.topic, record.partitie, record.offset, reden)
    with uow() as u:
        if u.afgewezen.voeg_toe(record, reden):
            u.commit()


def _bewaar(u: UnitOfWork, oud: Dossier | None, nieuw: Dossier, gebeurtenissen: list[Gebeurtenis],
            *, regels: KlokRegels, nu: datetime, traceparent: str | None = None) -> None:
    if nieuw == oud:
        return
    u.dossiers.bewaar(nieuw, nu=nu)
    bestaand = u.klokken.van(nieuw.dossier_id)
    gewenst = klokken.gewenst(nieuw, dagen_vooraf=regels.dagen_voor_ontslag,
                              tijdzone=regels.tijdzone)
    for soort, moment in gewenst.items():
        oud_klok = bestaand.get(soort)
        klok = klokken.stel_bij(oud_klok, nieuw, soort, moment)
        if klok is None and oud_klok is not None:
            u.klokken.verwijder(nieuw.dossier_id, soort)
        elif klok is not None and klok != oud_klok:
            u.klokken.bewaar(klok)
    for g in gebeurtenissen:
        u.uitgaand.plaats(g, nu=nu, traceparent=traceparent)


def _wijzig(dossier_id: UUID, wijziging: Wijziging, *, uow: UnitOfWorkFactory,
            regels: KlokRegels, nu: datetime) -> Dossier:
    with uow() as u:
        oud = u.dossiers.get(dossier_id, voor_wijziging=True)
        if oud is None:
            raise DossierNietGevonden(f"dossier {dossier_id} not found")
        # Nothing new is recorded about an erased person (409, saying why).
        if uow.kluis.gewist([oud.persoon_id]):
            raise model.Weigering("persoon_id", f"person {oud.persoon_id} was erased "
                                  "(persoon-gewist): nothing new is recorded about them")
        nieuw, gebeurtenissen = wijziging(oud)
        _bewaar(u, oud, nieuw, gebeurtenissen, regels=regels, nu=nu)
        u.commit()
    return nieuw


def zet_voorwaarde(dossier_id: UUID, voorwaarde: Voorwaarde, status: VoorwaardeStatus,
                   partner: str | None, toelichting: str | None = None, *,
                   uow: UnitOfWorkFactory, regels: KlokRegels, nu: datetime) -> Dossier:
    return _wijzig(dossier_id, lambda d: model.zet_voorwaarde(
        d, voorwaarde, status, partner, toelichting, nu=nu), uow=uow, regels=regels, nu=nu)


def wijs_casemanager_toe(dossier_id: UUID, casemanager: str, *, uow: UnitOfWorkFactory,
                         regels: KlokRegels, nu: datetime) -> Dossier:
    return _wijzig(dossier_id, lambda d: model.wijs_casemanager_toe(d, casemanager, nu=nu),
                   uow=uow, regels=regels, nu=nu)


def koppel_maatje(dossier_id: UUID, maatje: str | None, *, uow: UnitOfWorkFactory,
                  regels: KlokRegels, nu: datetime) -> Dossier:
    return _wijzig(dossier_id, lambda d: model.koppel_maatje(d, maatje, nu=nu),
                   uow=uow, regels=regels, nu=nu)


def wijs_gemeente_toe(dossier_id: UUID, gemeentecode: str, *, uow: UnitOfWorkFactory,
                      regels: KlokRegels, nu: datetime) -> Dossier:
    return _wijzig(dossier_id, lambda d: model.wijs_gemeente_toe(d, gemeentecode, nu=nu),
                   uow=uow, regels=regels, nu=nu)


def beoordeel_bij(dossier_id: UUID, toelichting: str | None, *, uow: UnitOfWorkFactory,
                  regels: KlokRegels, nu: datetime) -> Dossier:
    return _wijzig(dossier_id, lambda d: model.beoordeel_bij(d, toelichting),
                   uow=uow, regels=regels, nu=nu)


def verwijs_naar_triage(dossier_id: UUID, motivatie: str, verwezen_door: str, *,
                        uow: UnitOfWorkFactory, regels: KlokRegels, nu: datetime) -> Dossier:
    return _wijzig(dossier_id, lambda d: model.verwijs_naar_triage(
        d, motivatie, verwezen_door, nu=nu), uow=uow, regels=regels, nu=nu)


def controleer_klokken(*, nu: datetime, uow: UnitOfWorkFactory, limit: int = 100) -> list[Klok]:
    """Let every clock whose moment has come go off, each once; return those that went off.

    Each clock is its own transaction: the clock marked, and its event queued, together. A
    process that dies halfway leaves the rest for the next look, and none goes off twice.
    """
    afgegaan: list[Klok] = []
    while True:
        with uow() as u:
            verschuldigd = u.klokken.verschuldigd(nu, limit)
        for kandidaat in verschuldigd:
            with uow() as u:
                klok = u.klokken.vergrendel(kandidaat.dossier_id, kandidaat.soort)
                # Changed or gone off since it was listed (another worker, a new notice).
                if klok is None or klok.afgegaan_op is not None or klok.moment > nu:
                    continue
                dossier = u.dossiers.get(klok.dossier_id)
                assert dossier is not None, "a clock belongs to a dossier"
                klok, gebeurtenissen = klokken.ga_af(klok, dossier, nu=nu)
                u.klokken.bewaar(klok)
                for g in gebeurtenissen:
                    u.uitgaand.plaats(g, nu=nu)
                u.commit()
            afgegaan.append(klok)
        if len(verschuldigd) < limit:
            return afgegaan
