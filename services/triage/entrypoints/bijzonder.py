"""Use cases of triage's special flows, for the JSON API and the workbench pages alike: who may
(access), the audit row, then the handler (services/triage/bijzonder.py).

Signals of radicalisation are for the members of the case meeting radicalisering only (role
``radicalisering``, implied by no other): a non-member of the house gets 403 on the list and 404
on a signal, which never enters the screening queue or the person view. Veilig Thuis (a token
whose herkomst is ``veilig_thuis``) files enrichment requests and reads its own back; the
house's screeners answer them.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import HTTPException

from services.triage import bijzonder
from services.triage.bootstrap import Triage
from services.triage.entrypoints.toegang import LEZERS, SCHRIJVERS, eis_convenant
from services.triage.entrypoints.usecases import vandaag
from services.triage.ports import RadicaliseringSignaal, VtVerzoek
from shared.contracts.huizen import HuisId
from shared.contracts.radicalisering import Categorie, RadicaliseringBesloten, Uitkomst
from shared.contracts.veilig_thuis import Deelbaar
from shared.contracts.vocabulaire import Bron
from shared.kit.fouten import NietGevonden
from shared.toegang import Gebruiker, Rol

# radicalisation


def _eis_lid(gebruiker: Gebruiker) -> None:
    if not gebruiker.is_lid_radicalisering:
        raise HTTPException(403, "only members of the case meeting radicalisering (role "
                                 "radicalisering) see these signals")


def radicaliseringen(triage: Triage, gebruiker: Gebruiker,
                     huis: HuisId) -> list[RadicaliseringSignaal]:
    """The signals of radicalisation of the user's house, newest first: members only."""
    gebruiker.eis_huis(huis, "house")
    _eis_lid(gebruiker)
    with triage.uow() as u:
        lijst = u.radicalisering.lijst(huis.value)
    triage.audit.leg_vast(gebruiker, "radicalisering_lijst_lezen", huis=huis,
                          object_ids=[s.melding.melding_id for s in lijst],
                          persoon_ids=[b.persoon_id for s in lijst for b in s.melding.betrokkenen])
    return lijst


def radicalisering(triage: Triage, gebruiker: Gebruiker,
                   melding_id: UUID) -> RadicaliseringSignaal:
    """One signal: for a member of its house; anyone else is told it does not exist."""
    with triage.uow() as u:
        s = u.radicalisering.get(melding_id)
    if s is None or s.melding.huis != gebruiker.huis or not gebruiker.is_lid_radicalisering:
        raise NietGevonden("melding", melding_id)
    triage.audit.leg_vast(gebruiker, "radicalisering_lezen", huis=s.melding.huis,
                          object_ids=[melding_id],
                          persoon_ids=[b.persoon_id for b in s.melding.betrokkenen])
    return s


def besluit_radicalisering(triage: Triage, gebruiker: Gebruiker, melding_id: UUID,
                           categorie: Categorie, uitkomst: Uitkomst, overleg_datum: date,
                           advies: str | None) -> RadicaliseringBesloten:
    """The case meeting's decision on a signal, recorded by a member."""
    s = radicalisering(triage, gebruiker, melding_id)
    triage.audit.leg_vast(gebruiker, "radicalisering_besluiten", huis=s.melding.huis,
                          object_ids=[melding_id],
                          persoon_ids=[b.persoon_id for b in s.melding.betrokkenen])
    return bijzonder.besluit_radicalisering(melding_id, categorie, uitkomst, overleg_datum,
                                            advies, gebruiker.naam, uow=triage.uow,
                                            klok=triage.klok)


# Veilig Thuis


def _is_veilig_thuis(gebruiker: Gebruiker) -> bool:
    return Rol.PARTNER in gebruiker.rollen and gebruiker.herkomst is Bron.VEILIG_THUIS


def dien_vt_verzoek_in(triage: Triage, gebruiker: Gebruiker, huis: HuisId, vt_referentie: str,
                       achternaam: str, voornamen: str | None, geboortedatum: date | None,
                       vraag: str) -> tuple[VtVerzoek, bool]:
    """Veilig Thuis asks the house what it knows about a person (its token's herkomst is
    veilig_thuis), in its own organisation's name."""
    gebruiker.eis_huis(huis, "house")
    if not (_is_veilig_thuis(gebruiker) or gebruiker.heeft(Rol.BEHEERDER)):
        raise HTTPException(403, "only Veilig Thuis (a partner token with herkomst "
                                 "veilig_thuis) files these requests")
    with triage.uow() as u:  # a partner with a running covenant only, as everywhere
        eis_convenant(u, gebruiker, vandaag(triage))
    v, nieuw = bijzonder.ontvang_vt_verzoek(huis.value, vt_referentie, gebruiker.organisatie,
                                            achternaam, voornamen, geboortedatum, vraag,
                                            uow=triage.uow, klok=triage.klok)
    triage.audit.leg_vast(gebruiker, "vt_verzoek_indienen", huis=huis,
                          object_ids=[v.verzoek_id], persoon_ids=[])
    return v, nieuw


def vt_verzoeken(triage: Triage, gebruiker: Gebruiker, huis: HuisId) -> list[VtVerzoek]:
    """The requests of Veilig Thuis to the user's house, newest first."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with triage.uow() as u:
        lijst = u.vt_verzoeken.lijst(huis.value)
    triage.audit.leg_vast(gebruiker, "vt_verzoeken_lezen", huis=huis,
                          object_ids=[v.verzoek_id for v in lijst],
                          persoon_ids=[v.persoon_id for v in lijst if v.persoon_id])
    return lijst


def vt_verzoek(triage: Triage, gebruiker: Gebruiker, verzoek_id: UUID) -> VtVerzoek:
    """A request: for the house's screeners and process directors, and for the Veilig Thuis
    organisation that filed it."""
    with triage.uow() as u:
        eis_convenant(u, gebruiker, vandaag(triage))
        v = u.vt_verzoeken.get(verzoek_id)
    if v is None or v.huis != gebruiker.huis.value or (
            gebruiker.alleen_partner and not gebruiker.is_organisatie(v.organisatie)):
        raise NietGevonden("vt_verzoek", verzoek_id)
    if not gebruiker.alleen_partner:
        gebruiker.eis(*LEZERS)
    triage.audit.leg_vast(gebruiker, "vt_verzoek_lezen", huis=gebruiker.huis,
                          object_ids=[verzoek_id],
                          persoon_ids=[v.persoon_id] if v.persoon_id else [])
    return v


def beantwoord_vt_verzoek(triage: Triage, gebruiker: Gebruiker, verzoek_id: UUID,
                          deelbaar: Deelbaar, antwoord: str | None,
                          bekende_persoon_id: UUID | None) -> VtVerzoek:
    """A screener answers with what the house may share."""
    with triage.uow() as u:
        eis_convenant(u, gebruiker, vandaag(triage))
        v = u.vt_verzoeken.get(verzoek_id)
    if v is None or v.huis != gebruiker.huis.value:
        raise NietGevonden("vt_verzoek", verzoek_id)
    gebruiker.eis(*SCHRIJVERS)
    triage.audit.leg_vast(gebruiker, "vt_verzoek_beantwoorden", huis=gebruiker.huis,
                          object_ids=[verzoek_id],
                          persoon_ids=[bekende_persoon_id] if bekende_persoon_id else [])
    return bijzonder.beantwoord_vt_verzoek(verzoek_id, deelbaar, antwoord, bekende_persoon_id,
                                           gebruiker.naam, uow=triage.uow, klok=triage.klok)
