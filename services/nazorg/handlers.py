"""What nazorg does when a melding arrives, when a professional changes a dossier, and when the
clocks are looked at.

Plain functions with keyword-only dependencies. They are synchronous because the database is;
the entrypoints run them in a worker thread. Each change is one transaction: the dossier, its
clocks, the inbox row of the consumed event and the outbox rows of the events it caused
(``publiceer``). Consumed events arrive through the kit's consumer (shared/kit/consumer.py) by
the dispatch table :func:`dispatch`; handlers know the ports (services/nazorg/ports.py), not the
SQL adapters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from uuid import UUID
from zoneinfo import ZoneInfo

from services.nazorg.domain import dossier as model
from services.nazorg.domain import klokken
from services.nazorg.domain.detentie import dossier_id, is_detentiemelding, uit_melding
from services.nazorg.domain.dossier import Dossier, Gebeurtenis
from services.nazorg.domain.klokken import Klok
from services.nazorg.ports import UnitOfWork, UnitOfWorkFactory
from shared.contracts.envelope import CloudEvent
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.nazorg import Voorwaarde, VoorwaardeStatus
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.kit import klok as kit_klok
from shared.kit.consumer import Dispatch
from shared.kit.fouten import Conflict, NietGevonden

Wijziging = Callable[[Dossier], tuple[Dossier, list[Gebeurtenis]]]


@dataclass(frozen=True)
class KlokRegels:
    dagen_voor_ontslag: int
    tijdzone: ZoneInfo


# consumed events: the dispatch table and its handlers

def dispatch(huizen: list[HuisId], regels: KlokRegels,
             klok: kit_klok.Klok = kit_klok.nu) -> Dispatch[UnitOfWork]:
    """What nazorg does with each event type it reads (its topics: see entrypoints/worker.py):
    a DJI notice is folded into its dossier, an erased person's dossiers are blanked."""
    return {
        MELDING_GEREGISTREERD_V1: partial(ontvang_melding, huizen=huizen, regels=regels,
                                          klok=klok),
        PERSOON_GEWIST_V1: partial(wis_persoon, huizen=huizen, klok=klok),
    }


def eigen(huizen: list[HuisId]) -> Callable[[CloudEvent], bool]:
    """Which events are nazorg's, judged before anything in them is opened (no key is read
    from the vault for another house's melding, or one that is no DJI notice)."""
    def is_eigen(event: CloudEvent) -> bool:
        return (event.type != MELDING_GEREGISTREERD_V1
                or is_detentiemelding(event.data, huizen))
    return is_eigen


def ontvang_melding(u: UnitOfWork, melding: MeldingGeregistreerd, *, huizen: list[HuisId],
                    regels: KlokRegels, klok: kit_klok.Klok) -> None:
    """Fold a DJI melding into its dossier; other meldingen change nothing."""
    bericht = uit_melding(melding)
    if bericht is None or melding.huis not in huizen:
        return
    oud = u.dossiers.get(dossier_id(bericht.persoon_id, bericht.detentie_start),
                         voor_wijziging=True)
    nieuw, gebeurtenissen = model.ontvang(oud, bericht)
    _bewaar(u, oud, nieuw, gebeurtenissen, regels=regels, op=klok())


def wis_persoon(u: UnitOfWork, gewist: PersoonGewist, *, huizen: list[HuisId],
                klok: kit_klok.Klok) -> None:
    """Blank an erased person's dossiers (their key is destroyed: the topics hold only
    noise of them now)."""
    moment = klok()
    for d in u.dossiers.lijst(huizen=huizen, persoon_id=gewist.persoon_id, limit=10_000):
        u.dossiers.bewaar(model.gewist(d), nu=moment)


def _bewaar(u: UnitOfWork, oud: Dossier | None, nieuw: Dossier, gebeurtenissen: list[Gebeurtenis],
            *, regels: KlokRegels, op: datetime) -> None:
    """Store the dossier (changed at ``op``), set its clocks by it and publish what it
    caused."""
    if nieuw == oud:
        return
    u.dossiers.bewaar(nieuw, nu=op)
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
    publiceer(u, gebeurtenissen)


def publiceer(u: UnitOfWork, gebeurtenissen: list[Gebeurtenis]) -> None:
    for g in gebeurtenissen:
        u.publiceer(g.payload, type=g.type)


# a professional's changes

def _wijzig(dossier_id: UUID, wijziging: Callable[[Dossier, datetime],
                                                  tuple[Dossier, list[Gebeurtenis]]], *,
            uow: UnitOfWorkFactory, regels: KlokRegels, klok: kit_klok.Klok) -> Dossier:
    with uow() as u:
        oud = u.dossiers.get(dossier_id, voor_wijziging=True)
        if oud is None:
            raise NietGevonden("dossier", dossier_id)
        # Nothing new is recorded about an erased person (409, saying why).
        if u.kluis.gewist([oud.persoon_id]):
            raise Conflict("persoon_id", f"person {oud.persoon_id} was erased "
                           "(persoon-gewist): nothing new is recorded about them")
        moment = klok()
        nieuw, gebeurtenissen = wijziging(oud, moment)
        _bewaar(u, oud, nieuw, gebeurtenissen, regels=regels, op=moment)
        u.commit()
    return nieuw


def zet_voorwaarde(dossier_id: UUID, voorwaarde: Voorwaarde, status: VoorwaardeStatus,
                   partner: str | None, toelichting: str | None = None, *,
                   uow: UnitOfWorkFactory, regels: KlokRegels,
                   klok: kit_klok.Klok = kit_klok.nu) -> Dossier:
    return _wijzig(dossier_id, lambda d, op: model.zet_voorwaarde(
        d, voorwaarde, status, partner, toelichting, nu=op), uow=uow, regels=regels, klok=klok)


def wijs_casemanager_toe(dossier_id: UUID, casemanager: str, *, uow: UnitOfWorkFactory,
                         regels: KlokRegels, klok: kit_klok.Klok = kit_klok.nu) -> Dossier:
    return _wijzig(dossier_id, lambda d, op: model.wijs_casemanager_toe(d, casemanager, nu=op),
                   uow=uow, regels=regels, klok=klok)


def koppel_maatje(dossier_id: UUID, maatje: str | None, *, uow: UnitOfWorkFactory,
                  regels: KlokRegels, klok: kit_klok.Klok = kit_klok.nu) -> Dossier:
    return _wijzig(dossier_id, lambda d, op: model.koppel_maatje(d, maatje, nu=op),
                   uow=uow, regels=regels, klok=klok)


def wijs_gemeente_toe(dossier_id: UUID, gemeentecode: str, *, uow: UnitOfWorkFactory,
                      regels: KlokRegels, klok: kit_klok.Klok = kit_klok.nu) -> Dossier:
    return _wijzig(dossier_id, lambda d, op: model.wijs_gemeente_toe(d, gemeentecode, nu=op),
                   uow=uow, regels=regels, klok=klok)


def beoordeel_bij(dossier_id: UUID, toelichting: str | None, dreiging: bool | None = None,
                  door: str | None = None, *, uow: UnitOfWorkFactory, regels: KlokRegels,
                  klok: kit_klok.Klok = kit_klok.nu) -> Dossier:
    return _wijzig(dossier_id, lambda d, op: model.beoordeel_bij(d, toelichting, dreiging, door),
                   uow=uow, regels=regels, klok=klok)


def verwijs_naar_triage(dossier_id: UUID, motivatie: str, verwezen_door: str, *,
                        uow: UnitOfWorkFactory, regels: KlokRegels,
                        klok: kit_klok.Klok = kit_klok.nu) -> Dossier:
    return _wijzig(dossier_id, lambda d, op: model.verwijs_naar_triage(
        d, motivatie, verwezen_door, nu=op), uow=uow, regels=regels, klok=klok)


# the clocks


def controleer_klokken(*, nu: datetime, uow: UnitOfWorkFactory, limit: int = 100
                       ) -> list[Klok]:
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
                publiceer(u, gebeurtenissen)
                u.commit()
            afgegaan.append(klok)
        if len(verschuldigd) < limit:
            return afgegaan
