"""Intake's use cases for users, as the JSON routes call them: each takes the user, checks
access (entrypoints/toegang.py), writes the audit row and returns domain objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import HTTPException, status

from services.intake.bootstrap import Intake
from services.intake.domain.melding import Betrokkene, NieuweMelding
from services.intake.domain.wijken import in_gemeente
from services.intake.entrypoints.schemas import MeldingAanvraag
from services.intake.entrypoints.toegang import afgewezen_bereik, eis_convenant_in
from services.intake.handlers import (
    Indiening,
    Registratie,
    herhaal_afgewezen,
    verwerking_voor,
)
from services.intake.ports import AfgewezenRecord, UnitOfWork
from shared.contracts.huizen import bestaat_op, dag_van, niet_op
from shared.contracts.intake import MeldingGeregistreerd
from shared.kit.consumer import Verwerking
from shared.kit.fouten import Conflict, Fout, NietGevonden, OngeldigeInvoer
from shared.kit.klok import nu
from shared.persoonsgegevens import ontsleutel
from shared.telemetry import huidige_traceparent
from shared.tijd import vandaag
from shared.toegang import Gebruiker, Rol

# A clock skew of a few minutes is normal; a melding from tomorrow is a typo.
_TOEGESTANE_KLOKAFWIJKING = timedelta(minutes=5)
# The earliest history a beheerder loads: older is a typo, and a date near year 1 overflows the
# deadlines computed from it.
VROEGST_ONTVANGEN = datetime(2000, 1, 1, tzinfo=UTC)


async def dien_in(intake: Intake, gebruiker: Gebruiker, aanvraag: MeldingAanvraag
                  ) -> Registratie:
    """Register a melding: a partner in the name of its own organisation, from its token's
    herkomst, dated now, while its organisation has a running covenant with its house; a
    beheerder for any, back to VROEGST_ONTVANGEN.

    The covenant, then the checks of the melding itself, the registration and its audit row
    run in one transaction with the other requests of this moment
    (``Registratiegroep.dien_in``): a partner without a covenant hears that first (403),
    whatever its melding holds."""
    if not (gebruiker.is_organisatie(aanvraag.organisatie) or gebruiker.heeft(Rol.BEHEERDER)):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "organisatie must be the organisation of your token")
    moment = nu()

    def toets(u: UnitOfWork) -> None:
        eis_convenant_in(u, gebruiker=gebruiker, dag=vandaag(moment))
        _controleer_herkomst(aanvraag, gebruiker, moment)

    invoer = NieuweMelding(
        bron=aanvraag.bron, organisatie=aanvraag.organisatie,
        bron_referentie=aanvraag.bron_referentie, doelgroep=aanvraag.doelgroep,
        gemeentecode=aanvraag.gemeentecode, ontvangen_op=aanvraag.ontvangen_op or moment,
        betrokkenen=[Betrokkene(**b.model_dump()) for b in aanvraag.betrokkenen],
        omschrijving=aanvraag.omschrijving, urgentie=aanvraag.urgentie, wijk=aanvraag.wijk,
        radicalisering=aanvraag.radicalisering,
    )

    def verantwoording(r: Registratie) -> dict[str, Any]:
        if not r.nieuw and not _mag_registratie_zien(gebruiker, r.melding):
            # The reference is unique across houses, so that it was used cannot be hidden;
            # its melding (id, house, routing) can, from whom it is not for.
            raise Conflict("bron_referentie", "bron_referentie was used before; give this "
                                              "melding a reference of its own")
        return intake.audit.rij(gebruiker, "melding_indienen", huis=r.huis,
                                object_ids=[r.melding_id],
                                persoon_ids=[b.persoon_id for b in r.melding.betrokkenen])

    return await intake.registratie.dien_in(Indiening(
        invoer, traceparent=huidige_traceparent(),
        toets=toets,
        verantwoording=verantwoording))


def melding(intake: Intake, gebruiker: Gebruiker, melding_id: UUID) -> MeldingGeregistreerd:
    """A registered melding, for its house's screeners and process directors and for the
    partner that sent it."""
    with intake.uow() as u:
        gevonden = u.meldingen.get(melding_id)
    if gevonden is None or gevonden.huis != gebruiker.huis or (
            gebruiker.alleen_partner and not gebruiker.is_organisatie(gevonden.organisatie)):
        raise NietGevonden("melding", melding_id)
    if gevonden.radicalisering and not (gebruiker.is_lid_radicalisering
                                        or gebruiker.alleen_partner):
        # For the members of the case meeting radicalisering and its sender (a partner reaching
        # this line sent it) only.
        raise NietGevonden("melding", melding_id)
    if not gebruiker.alleen_partner:
        gebruiker.eis(Rol.SCREENER, Rol.PROCESREGISSEUR, Rol.RADICALISERING)
    intake.audit.leg_vast(gebruiker, "melding_lezen", huis=gevonden.huis,
                          object_ids=[melding_id],
                          persoon_ids=[b.persoon_id for b in gevonden.betrokkenen])
    return gevonden


def afgewezen(intake: Intake, gebruiker: Gebruiker, limit: int, offset: int
              ) -> tuple[int, list[tuple[AfgewezenRecord, dict[str, Any] | None]]]:
    """How many refused feed records the user may see, and a page of them, newest first, each
    with its opened content (None when it cannot be opened)."""
    huis = afgewezen_bereik(gebruiker)
    with intake.uow() as u:
        aantal, lijst = u.afgewezen.aantal(huis), u.afgewezen.lijst(limit, offset, huis)
    intake.audit.leg_vast(gebruiker, "afgewezen_lezen", huis=gebruiker.huis,
                          object_ids=[f"afgewezen:{a.id}" for a in lijst],
                          persoon_ids=list(dict.fromkeys(p for a in lijst
                                                         for p in a.persoon_ids)))
    return aantal, [(a, ontsleutel(a.inhoud, intake.kluis) if a.inhoud else None)
                    for a in lijst]


def afgewezen_aantal(intake: Intake, gebruiker: Gebruiker) -> int:
    """How many feed records were refused, of those the user may see."""
    huis = afgewezen_bereik(gebruiker)
    with intake.uow() as u:
        return u.afgewezen.aantal(huis)


def herhaal(intake: Intake, gebruiker: Gebruiker, afgewezen_id: int,
            verwerking_van: Callable[[str], Verwerking[UnitOfWork] | None] | None = None
            ) -> list[Fout] | None:
    """Replay a refused feed record once its cause is fixed (handlers.herhaal_afgewezen): for
    those who may read it (the beheerder of its house, the feedbeheerder), audited with the
    persons in it. ``verwerking_van``: the consumer of a topic, by default the feeds
    process's own."""
    huis = afgewezen_bereik(gebruiker)
    with intake.uow() as u:
        a = u.afgewezen.get(afgewezen_id)
    if a is None or (huis is not None and a.huis != huis):
        raise NietGevonden("refused record", afgewezen_id)
    intake.audit.leg_vast(gebruiker, "afgewezen_herhalen", huis=gebruiker.huis,
                          object_ids=[f"afgewezen:{afgewezen_id}"], persoon_ids=a.persoon_ids)
    van = verwerking_van or feedverwerking(intake)
    return herhaal_afgewezen(a, uow=intake.uow, kluis=intake.kluis, verwerking=van(a.topic))


def feedverwerking(intake: Intake) -> Callable[[str], Verwerking[UnitOfWork] | None]:
    """The feeds process's consumer of a topic, to replay a refused record through."""
    def van(topic: str) -> Verwerking[UnitOfWork] | None:
        return verwerking_voor(topic, intake.uow, kluis=intake.kluis, geheim=intake.geheim,
                               regels=intake.regels)
    return van


def _controleer_herkomst(aanvraag: MeldingAanvraag, gebruiker: Gebruiker,
                         moment: datetime) -> None:
    """Who may say where a melding comes from and when it arrived: a sender speaks for itself,
    now; a beheerder loading a house's history for any source, back to VROEGST_ONTVANGEN."""
    beheerder = gebruiker.heeft(Rol.BEHEERDER)
    if not beheerder and aanvraag.bron is not gebruiker.herkomst:
        # A melding "from the police" or "from DJI" is screened as one; a dji melding waits
        # for a referral from nazorg that never comes.
        raise OngeldigeInvoer("bron", f"must be {gebruiker.herkomst.value!r}, where meldingen "
                                      f"of your token come from")
    ontvangen_op = aanvraag.ontvangen_op
    # The municipality as it was on the melding's date: Schinnen in 2018, Beekdaelen since 2019.
    dag = dag_van(ontvangen_op or moment)
    if not bestaat_op(aanvraag.gemeentecode, dag):
        raise OngeldigeInvoer("gemeentecode", niet_op(aanvraag.gemeentecode, dag))
    if aanvraag.wijk is not None and not in_gemeente(aanvraag.wijk, aanvraag.gemeentecode):
        raise OngeldigeInvoer("wijk", f"{aanvraag.wijk} is a wijk of GM{aanvraag.wijk[2:6]}, not "
                                      f"of the melding's gemeentecode {aanvraag.gemeentecode}")
    if ontvangen_op is None:
        return
    if ontvangen_op > moment + _TOEGESTANE_KLOKAFWIJKING:
        raise OngeldigeInvoer("ontvangen_op", "ontvangen_op lies in the future")
    if not beheerder and ontvangen_op < moment - _TOEGESTANE_KLOKAFWIJKING:
        raise OngeldigeInvoer("ontvangen_op", "only a beheerder loading a house's history may "
                                              "date a melding back; leave ontvangen_op out to "
                                              "mean now")
    if ontvangen_op < VROEGST_ONTVANGEN:
        raise OngeldigeInvoer("ontvangen_op", f"history goes back to "
                                              f"{VROEGST_ONTVANGEN.date().isoformat()} at the "
                                              f"earliest")


def _mag_registratie_zien(gebruiker: Gebruiker, melding: MeldingGeregistreerd) -> bool:
    """Whether a repeated reference may be answered with the registration it names: for a user
    of the house it went to, and for the partner organisation that sent it (from any house)."""
    return melding.huis == gebruiker.huis or (
        Rol.PARTNER in gebruiker.rollen and gebruiker.is_organisatie(melding.organisatie))
