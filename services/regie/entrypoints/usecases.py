"""Regie's use cases, as the JSON API and the workbench pages both call them: each takes the
user, checks access (entrypoints/toegang.py), writes the audit row and returns domain objects.
A route or a page only turns the result into JSON or HTML."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

from services.regie import handlers
from services.regie.adapters import lijsten
from services.regie.bootstrap import Regie
from services.regie.domain.casus import Casus
from services.regie.domain.huisverbod import Huisverbod
from services.regie.domain.lijsten import (
    Persoonzoek,
    agendafilter,
    casusfilter,
    huisverbodfilter,
)
from services.regie.entrypoints.schemas import SignaalUit
from services.regie.entrypoints.toegang import (
    LEZERS,
    SCHRIJVERS,
    eigen_casus,
    eigen_huisverbod,
    huisverbod_personen,
    mag_lijst_zien,
)
from shared.contracts.huizen import HuisId
from shared.contracts.regie import CasusEvent
from shared.kit import lijstfilters as f
from shared.kit.bladeren import Cursor, OngeldigeParameter, Volgorde, controleer_limit
from shared.kit.fouten import OngeldigeInvoer
from shared.kit.lijstfilters import Parameters
from shared.kit.paginering import Pagina
from shared.pseudoniem import naamsleutel
from shared.tijd import ZONE, vandaag
from shared.toegang import Gebruiker, Rol

# cases

def _pagina(p: Parameters, volgorde: Volgorde) -> tuple[Cursor | None, int]:
    return (volgorde.cursor(f.tekst(p, "cursor", maximum=2000)),
            controleer_limit(f.getal(p, "limit")))


def _naam_sleutel(regie: Regie, zoek: Persoonzoek | None) -> str | None:
    """The person index's key of the person searched for (shared/pseudoniem.py)."""
    if zoek is None:
        return None
    sleutel = naamsleutel(zoek.voornaam, zoek.achternaam, zoek.geboortedatum, regie.uow.geheim)
    if sleutel is None:
        raise OngeldigeParameter("geslachtsnaam", "first name and surname need at least "
                                 "2 letters each to search by person")
    return sleutel


def casussen(regie: Regie, gebruiker: Gebruiker, huis: HuisId, p: Parameters) -> Pagina[Any]:
    """A page of the house's case summaries that pass the filters in ``p``: escalations and
    relapses first. A partner sees only the cases its organisation takes part in."""
    mag_lijst_zien(huis, gebruiker)
    filter = casusfilter(p)
    cursor, limit = _pagina(p, lijsten.CASUSSEN)
    sleutel = _naam_sleutel(regie, filter.persoon)
    with regie.uow() as u:
        pagina = lijsten.casussen(u.session, huis.value, filter, cursor, limit,
                                  naam_sleutel=sleutel, organisatie=_partner(gebruiker))
    regie.audit.leg_vast(gebruiker, "casussen_lezen", huis=huis,
                         object_ids=[r.casus_id for r in pagina.items],
                         persoon_ids=[r.hoofdpersoon_id for r in pagina.items])
    return pagina


def signalen_voor(regie: Regie, gebruiker: Gebruiker, huis: HuisId, procesregisseur: str, *,
                  limit: int = 50, offset: int = 0) -> Pagina[SignaalUit]:
    """The work list of ``procesregisseur``: new meldingen on the cases they direct (attached
    to a running case, or reopening an ended one), newest first, one page. For the house's
    directors and screeners; the "my work" page calls this with the user's own name."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    with regie.uow() as u:
        aantal, items = u.casussen.signalen_voor(procesregisseur, huis.value, limit, offset)
    regie.audit.leg_vast(gebruiker, "signalen_lezen", huis=huis,
                         object_ids=[s.casus_id for s in items],
                         persoon_ids=[s.hoofdpersoon_id for s in items])
    return Pagina[SignaalUit](aantal=aantal, limit=limit, offset=offset, items=[
        SignaalUit(casus_id=s.casus_id, melding_id=s.melding_id, soort=s.soort, op=s.op,
                   casussoort=s.casussoort, casusstatus=s.casusstatus,
                   hoofdpersoon_id=s.hoofdpersoon_id) for s in items])


def _partner(gebruiker: Gebruiker) -> str | None:
    return gebruiker.organisatie if gebruiker.alleen_partner else None


def agenda(regie: Regie, gebruiker: Gebruiker, huis: HuisId,
           p: Parameters) -> tuple[Pagina[Any], list[Any]]:
    """A page of what is due or planned in the running cases the user may see (actions by
    deadline, consultations by date), and the short trajectories still to plan."""
    mag_lijst_zien(huis, gebruiker)
    filter = agendafilter(p)
    cursor, limit = _pagina(p, lijsten.AGENDA)
    with regie.uow() as u:
        pagina = lijsten.agenda(u.session, huis.value, filter, cursor, limit,
                                organisatie=_partner(gebruiker))
        te_plannen = lijsten.nog_in_te_plannen(u.session, huis.value, limit,
                                               organisatie=_partner(gebruiker))
    regie.audit.leg_vast(gebruiker, "agenda_lezen", huis=huis, object_ids=list(dict.fromkeys(
        [r.casus_id for r in pagina.items] + [k.casus_id for k in te_plannen])))
    return pagina, te_plannen


def mijn_werk(regie: Regie, gebruiker: Gebruiker, huis: HuisId) -> lijsten.MijnWerk:
    """A process director's day: their actions due, cases, signals and the alarms."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    nu = regie.klok()
    dag = vandaag(nu)
    week_einde = dag + timedelta(days=6 - dag.weekday())
    with regie.uow() as u:
        werk = lijsten.mijn_werk(u.session, huis.value, gebruiker.naam, dag, week_einde,
                                 nu + timedelta(hours=regie.settings.huisverbod_alarm_uren))
    regie.audit.leg_vast(gebruiker, "mijn_werk_lezen", huis=huis, object_ids=list(dict.fromkeys(
        [r.casus_id for r in (*werk.verlopen, *werk.vandaag, *werk.deze_week, *werk.signalen,
                              *werk.escalaties)]
        + [r.huisverbod_id for r in werk.huisverbod_alarmen])))
    return werk


def partnerwerk(regie: Regie, gebruiker: Gebruiker, huis: HuisId,
                limit: int = 50) -> lijsten.Partnerwerk:
    """A partner's day: what is due in the cases its organisation takes part in (open actions
    and planned consultations: overdue, today, the rest of this week) and those cases."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(Rol.PARTNER)
    dag = vandaag(regie.klok())
    with regie.uow() as u:
        werk = lijsten.partnerwerk(u.session, huis.value, gebruiker.organisatie, dag,
                                   dag + timedelta(days=6 - dag.weekday()), limit)
    regie.audit.leg_vast(gebruiker, "mijn_werk_lezen", huis=huis, object_ids=list(dict.fromkeys(
        r.casus_id for r in (*werk.verlopen, *werk.vandaag, *werk.deze_week, *werk.casussen))))
    return werk


def casus(regie: Regie, gebruiker: Gebruiker, casus_id: UUID) -> tuple[Casus, list[CasusEvent]]:
    """The case and its events, newest last."""
    gevonden = eigen_casus(regie, casus_id, gebruiker)
    with regie.uow() as u:
        events = u.casussen.events(casus_id)
    regie.audit.leg_vast(gebruiker, "casus_lezen", huis=gevonden.huis, object_ids=[casus_id],
                         persoon_ids=gevonden.persoon_ids)
    return gevonden, events


def wijzig_casus(regie: Regie, gebruiker: Gebruiker, casus_id: UUID, operatie: str,
                 beslis: handlers.Beslisser) -> Casus:
    """Check a director's command, record it in the audit log, and run it."""
    voor = eigen_casus(regie, casus_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, operatie, huis=voor.huis, object_ids=[casus_id],
                         persoon_ids=voor.persoon_ids)
    return handlers.voer_uit(casus_id, beslis, uow=regie.uow)


def draag_over(regie: Regie, gebruiker: Gebruiker, casus_id: UUID, naar_gemeentecode: str,
               reden: str) -> Casus:
    """Hand the case to the house of the municipality the person moved to."""
    voor = eigen_casus(regie, casus_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, "overdragen", huis=voor.huis, object_ids=[casus_id],
                         persoon_ids=voor.persoon_ids)
    return handlers.draag_over(casus_id, naar_gemeentecode, reden, gebruiker.naam,
                               uow=regie.uow, klok=regie.klok)


# restraining orders

def huisverboden(regie: Regie, gebruiker: Gebruiker, huis: HuisId,
                 p: Parameters) -> Pagina[Huisverbod]:
    """A page of the house's restraining orders that pass the filters, newest first."""
    gebruiker.eis_huis(huis, "house")
    gebruiker.eis(*LEZERS)
    filter = huisverbodfilter(p)
    cursor, limit = _pagina(p, lijsten.HUISVERBODEN)
    sleutel = _naam_sleutel(regie, filter.persoon)
    tot = (datetime.combine(filter.beslissen_tot + timedelta(days=1), time(), ZONE)
           if filter.beslissen_tot else None)
    with regie.uow() as u:
        pagina = lijsten.huisverboden(u.session, huis.value, filter, cursor, limit,
                                      beslissen_tot=tot, naam_sleutel=sleutel)
        orders = [hv for r in pagina.items if (hv := u.huisverboden.laad(r.huisverbod_id))]
    regie.audit.leg_vast(gebruiker, "huisverboden_lezen", huis=huis,
                         object_ids=[hv.huisverbod_id for hv in orders],
                         persoon_ids=[p for hv in orders for p in huisverbod_personen(hv)])
    return Pagina[Huisverbod](**{**pagina.model_dump(exclude={"items"}), "items": orders})


def huisverbod(regie: Regie, gebruiker: Gebruiker, huisverbod_id: UUID) -> Huisverbod:
    hv = eigen_huisverbod(regie, huisverbod_id, gebruiker)
    regie.audit.leg_vast(gebruiker, "huisverbod_lezen", huis=hv.huis,
                         object_ids=[huisverbod_id], persoon_ids=huisverbod_personen(hv))
    return hv


def registreer_huisverbod(regie: Regie, gebruiker: Gebruiker, melding_id: UUID) -> Huisverbod:
    """Register an order from a melding of the user's house; another house's melding is as
    unknown as one regie has not heard of."""
    with regie.uow() as u:
        m = u.huisverboden.melding(melding_id)
    if m is None or m.huis != gebruiker.huis.value:
        raise OngeldigeInvoer("melding_id", f"melding {melding_id} is not known to regie (yet)")
    gebruiker.eis(*SCHRIJVERS)
    hv = handlers.registreer_huisverbod(melding_id, gebruiker.naam, uow=regie.uow,
                                        klok=regie.klok)
    regie.audit.leg_vast(gebruiker, "huisverbod_registreren", huis=hv.huis,
                         object_ids=[hv.huisverbod_id, melding_id],
                         persoon_ids=huisverbod_personen(hv))
    return hv


def wijzig_huisverbod(regie: Regie, gebruiker: Gebruiker, huisverbod_id: UUID, operatie: str,
                      beslis: handlers.HuisverbodBeslisser) -> Huisverbod:
    """Check a change of a restraining order, record it in the audit log, and run it."""
    hv = eigen_huisverbod(regie, huisverbod_id, gebruiker, wijzigen=True)
    regie.audit.leg_vast(gebruiker, operatie, huis=hv.huis, object_ids=[huisverbod_id],
                         persoon_ids=huisverbod_personen(hv))
    return handlers.voer_uit_huisverbod(huisverbod_id, beslis, uow=regie.uow)
