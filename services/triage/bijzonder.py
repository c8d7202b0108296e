"""Triage's special flows (issue 17): signals of radicalisation for the case meeting, the
decision back to ZSM, and Veilig Thuis's enrichment requests.

Like handlers.py: plain functions with keyword-only dependencies, each one transaction that
stores the change and queues its events (``publiceer``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID, uuid4

from services.triage.domain.besluit import AlBesloten, OverGewistePersoon
from services.triage.ports import UnitOfWork, UnitOfWorkFactory, VtVerzoek
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MeldingGeregistreerd
from shared.contracts.radicalisering import Categorie, RadicaliseringBesloten, Uitkomst
from shared.contracts.triage import BesluitGenomen
from shared.contracts.veilig_thuis import Deelbaar, VtVerzoekBeantwoord, VtVerzoekOntvangen
from shared.contracts.vocabulaire import Bron
from shared.contracts.zsm import ZsmTerugmelding
from shared.kit.fouten import Conflict, NietGevonden, OngeldigeInvoer
from shared.kit.klok import Klok, nu
from shared.tijd import dag_van

# radicalisation


def radicalisering_ontvangen(u: UnitOfWork, melding: MeldingGeregistreerd) -> None:
    """A signal of radicalisation is kept apart from the screening queue, for the members."""
    u.radicalisering.voeg_toe(melding)


def _weiger_gewisten(u: UnitOfWork, persoon_ids: list[UUID]) -> None:
    gewist = u.gewist(persoon_ids)
    if gewist:
        raise OverGewistePersoon(
            "persoon_id", f"person {', '.join(map(str, sorted(gewist)))} was "
            "erased (persoon-gewist): nothing new is recorded about them")


def besluit_radicalisering(melding_id: UUID, categorie: Categorie, uitkomst: Uitkomst,
                           overleg_datum: date, advies: str | None, door: str, *,
                           uow: UnitOfWorkFactory, klok: Klok = nu) -> RadicaliseringBesloten:
    """The case meeting radicalisering decides on a signal: the category of person, and where
    it goes (back to the partner that brought it in with advice, the provincial expertise
    meeting, the weighing table or a regieteam)."""
    advies = (advies or "").strip() or None
    if uitkomst is Uitkomst.TERUG_NAAR_INBRENGER and advies is None:
        raise OngeldigeInvoer("advies", "write the advice for the partner that brought it in")
    with uow() as u:
        s = u.radicalisering.get(melding_id)
        if s is None:
            raise NietGevonden("melding", melding_id)
        m = s.melding
        persoon_ids = list(dict.fromkeys(b.persoon_id for b in m.betrokkenen))
        _weiger_gewisten(u, persoon_ids)
        if s.besluit is not None:
            raise AlBesloten("melding_id", f"melding {melding_id} was already decided on "
                                           f"{s.besluit.besloten_op:%Y-%m-%d} by "
                                           f"{s.besluit.besloten_door}")
        moment = klok()
        if overleg_datum > dag_van(moment):  # Dutch time: after midnight here it is tomorrow
            raise OngeldigeInvoer("overleg_datum", "the case meeting cannot lie in the future")
        besluit = RadicaliseringBesloten(
            besluit_id=uuid4(), melding_id=melding_id, huis=m.huis,
            hoofdpersoon_id=m.hoofdpersoon_id, persoon_ids=persoon_ids,
            gemeentecode=m.gemeentecode, categorie=categorie, uitkomst=uitkomst,
            overleg_datum=overleg_datum, advies=advies, terugkoppeling_aan=m.organisatie,
            besloten_door=door, besloten_op=moment)
        u.radicalisering.leg_besluit_vast(besluit)
        u.publiceer(besluit)
        u.commit()
    return besluit


# ZSM


def terugmelding_zsm(u: UnitOfWork, m: MeldingGeregistreerd, besluit: BesluitGenomen) -> None:
    """Every person ZSM referred gets the house's decision back, under ZSM's reference, in the
    transaction of the decision itself."""
    if m.bron is not Bron.ZSM:
        return
    u.publiceer(ZsmTerugmelding(
        terugmelding_id=uuid4(), melding_id=m.melding_id, huis=m.huis,
        zsm_referentie=m.bron_referentie, hoofdpersoon_id=m.hoofdpersoon_id,
        persoon_ids=besluit.persoon_ids, route=besluit.route, soort=besluit.soort,
        interventieadvies=besluit.motivering, besloten_op=besluit.besloten_op))


# Veilig Thuis


def ontvang_vt_verzoek(huis: str, vt_referentie: str, organisatie: str, achternaam: str,
                       voornamen: str | None, geboortedatum: date | None, vraag: str, *,
                       uow: UnitOfWorkFactory, klok: Klok = nu) -> tuple[VtVerzoek, bool]:
    """Record a request of Veilig Thuis; the same reference again is the same request
    (``False``: registered before)."""
    with uow() as u:
        bestaand = u.vt_verzoeken.op_referentie(huis, organisatie, vt_referentie)
        if bestaand is not None:
            return bestaand, False
        v = VtVerzoek(verzoek_id=uuid4(), huis=huis, vt_referentie=vt_referentie,
                      organisatie=organisatie, achternaam=achternaam, voornamen=voornamen,
                      geboortedatum=geboortedatum, vraag=vraag, ontvangen_op=klok())
        u.vt_verzoeken.voeg_toe(v)
        u.publiceer(VtVerzoekOntvangen(
            verzoek_id=v.verzoek_id, huis=HuisId(huis), vt_referentie=vt_referentie,
            organisatie=organisatie, achternaam=achternaam, voornamen=voornamen,
            geboortedatum=geboortedatum, vraag=vraag, ontvangen_op=v.ontvangen_op))
        u.commit()
    return v, True


def beantwoord_vt_verzoek(verzoek_id: UUID, deelbaar: Deelbaar, antwoord: str | None,
                          bekende_persoon_id: UUID | None, door: str, *,
                          uow: UnitOfWorkFactory, klok: Klok = nu) -> VtVerzoek:
    """The house answers with what it may share: not known, known (and what it shares), or
    known without a ground to share."""
    antwoord = (antwoord or "").strip() or None
    if deelbaar is Deelbaar.BEKEND and antwoord is None:
        raise OngeldigeInvoer("antwoord", "write down what the house shares")
    if deelbaar is not Deelbaar.BEKEND and antwoord is not None:
        raise OngeldigeInvoer("antwoord", f"with {deelbaar.value} the house shares nothing")
    if deelbaar is Deelbaar.NIET_BEKEND and bekende_persoon_id is not None:
        raise OngeldigeInvoer("bekende_persoon_id", "a person not known to the house has no id")
    with uow() as u:
        v = u.vt_verzoeken.get(verzoek_id)
        if v is None:
            raise NietGevonden("vt_verzoek", verzoek_id)
        if v.beantwoord_op is not None:
            raise Conflict("verzoek_id", f"request {verzoek_id} was answered on "
                                         f"{v.beantwoord_op:%Y-%m-%d} by {v.beantwoord_door}")
        if bekende_persoon_id is not None:
            if not any(s.melding.huis.value == v.huis
                       for s in u.meldingen_van(bekende_persoon_id)):
                raise OngeldigeInvoer("bekende_persoon_id",
                                      "not a person this house has a melding about")
            _weiger_gewisten(u, [bekende_persoon_id])
        moment = klok()
        beantwoord = replace(v, persoon_id=bekende_persoon_id, deelbaar=deelbaar,
                             antwoord=antwoord, beantwoord_door=door, beantwoord_op=moment)
        u.vt_verzoeken.beantwoord(beantwoord)
        u.publiceer(VtVerzoekBeantwoord(
            verzoek_id=verzoek_id, huis=HuisId(v.huis),
            bekende_persoon_id=bekende_persoon_id, deelbaar=deelbaar, antwoord=antwoord,
            beantwoord_door=door, beantwoord_op=moment))
        u.commit()
    return beantwoord


