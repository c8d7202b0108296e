"""What happens when an event or a screener's command reaches triage.

Plain functions with keyword-only dependencies; each is one transaction that stores the change,
its inbox entry (for consumed events) and its outgoing events (``publiceer``) together. Consumed
events arrive through the kit's consumer by the dispatch table :func:`dispatch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from uuid import UUID, uuid4

from services.triage import bijzonder
from services.triage.domain import overleg as overleg_
from services.triage.domain.besluit import (
    AlBesloten,
    Keuze,
    OverGewistePersoon,
    toets_keuze,
)
from services.triage.domain.overleg import Agendapunt, Overleg
from services.triage.domain.regels import adviseer
from services.triage.domain.termijn import screeningtermijn, triagetermijn
from services.triage.domain.wachtrij import alarmdag, is_code_rood
from services.triage.ports import (
    NieuweMelding,
    Screening,
    UnitOfWork,
    UnitOfWorkFactory,
    Verrijking,
)
from shared.contracts import regie
from shared.contracts.huizen import HuisId
from shared.contracts.intake import MELDING_GEREGISTREERD_V1, MeldingGeregistreerd
from shared.contracts.nazorg import NAAR_TRIAGE_VERWEZEN_V1, NaarTriageVerwezen
from shared.contracts.privacy import PERSOON_GEWIST_V1, PersoonGewist
from shared.contracts.triage import (
    Advies,
    AdviesGegeven,
    BesluitGenomen,
    Feiten,
    OverlegGehouden,
    Overlegvorm,
)
from shared.contracts.vocabulaire import Bron
from shared.kit.consumer import Dispatch
from shared.kit.fouten import NietGevonden, OngeldigeInvoer
from shared.kit.klok import Klok, nu
from shared.telemetry import huidige_traceparent, vervolg
from shared.tijd import dag_van


def dispatch(huizen: set[str], klok: Klok = nu) -> Dispatch[UnitOfWork]:
    """What triage does with each event type it reads: meldingen enter the queue, referrals
    from nazorg reopen screening, case events update what is known about the persons, an
    erased person's data is purged. Anything else is recorded as seen and left alone."""
    return {
        MELDING_GEREGISTREERD_V1: partial(melding_ontvangen, huizen=huizen, klok=klok),
        NAAR_TRIAGE_VERWEZEN_V1: partial(naar_triage_verwezen, huizen=huizen),
        **dict.fromkeys(regie.CASUS_EVENTS, casus_bijwerken),
        PERSOON_GEWIST_V1: wis_persoon,
    }


def melding_ontvangen(u: UnitOfWork, melding: MeldingGeregistreerd, *, huizen: set[str],
                      klok: Klok) -> None:
    meldingen_ontvangen(u, [(melding, huidige_traceparent())], huizen=huizen, klok=klok)


def meldingen_ontvangen(u: UnitOfWork,
                        meldingen: Sequence[tuple[MeldingGeregistreerd, str | None]], *,
                        huizen: set[str], klok: Klok) -> None:
    """Meldingen that arrived together (with the trace each came in), in their order: the
    house's signals of radicalisation apart, the others into the queue in one set-based step."""
    eigen = [(m, tp) for m, tp in meldingen if m.huis.value in huizen]
    for m, _ in eigen:
        if m.radicalisering:
            bijzonder.radicalisering_ontvangen(u, m)
    gewoon = [(m, tp) for m, tp in eigen if not m.radicalisering]
    if not gewoon:
        return
    verwijzingen = u.wachtende_verwijzingen([m.melding_id for m, _ in gewoon
                                             if m.bron is Bron.DJI])
    u.zet_in_wachtrij([_in_wachtrij(m, tp, verwijzingen.get(m.melding_id))
                       for m, tp in gewoon], klok())


def naar_triage_verwezen(u: UnitOfWork, verwijzing: NaarTriageVerwezen, *,
                         huizen: set[str]) -> None:
    if verwijzing.huis.value in huizen:
        termijn = triagetermijn(dag_van(verwijzing.verwezen_op))
        for melding_id in verwijzing.melding_ids:
            u.verwijs_naar_screening(melding_id, verwijzing, termijn)


def wis_persoon(u: UnitOfWork, gewist: PersoonGewist) -> None:
    u.wis_persoon(gewist.persoon_id)


def _in_wachtrij(melding: MeldingGeregistreerd, traceparent: str | None,
                 verwijzing: NaarTriageVerwezen | None) -> NieuweMelding:
    """Detention notices are nazorg's work: triage keeps them for the person view, and screens
    one only when nazorg refers it (the referral may have arrived first). Code rood is due the
    day it is received (a Dutch day)."""
    rood = is_code_rood(melding.urgentie)
    if melding.bron is not Bron.DJI:
        return NieuweMelding(melding, screeningtermijn(dag_van(melding.ontvangen_op), rood),
                             traceparent=traceparent)
    if verwijzing is None:
        return NieuweMelding(melding, screeningtermijn(dag_van(melding.ontvangen_op), rood),
                             status="bij_nazorg", traceparent=traceparent)
    return NieuweMelding(melding, screeningtermijn(dag_van(verwijzing.verwezen_op), rood),
                         verwijzing=verwijzing, traceparent=traceparent)


def casus_bijwerken(u: UnitOfWork, e: regie.CasusEvent) -> None:
    if e.status is None:
        return
    status = e.status.value
    if isinstance(e, regie.CasusAangemeld):
        u.werk_casus_bij(e.casus_id, e.huis.value, status, e.op, traject=e.traject.value,
                         soort=e.soort, persoon_ids=e.persoon_ids)
    else:
        u.werk_casus_bij(e.casus_id, e.huis.value, status, e.op)


def _weiger_gewisten(u: UnitOfWork, melding: MeldingGeregistreerd) -> None:
    """A user's step on the melding of an erased person is refused (409): nothing new is
    recorded about them, and the user learns why."""
    gewist = u.gewist(list(dict.fromkeys(b.persoon_id for b in melding.betrokkenen)))
    if gewist:
        raise OverGewistePersoon(
            "persoon_id", f"person {', '.join(map(str, sorted(gewist)))} was "
            "erased (persoon-gewist): nothing new is recorded about them")


def _open_screening(u: UnitOfWork, melding_id: UUID) -> Screening:
    s = u.screening(melding_id)
    if s is None:
        raise NietGevonden("melding", melding_id)
    _weiger_gewisten(u, s.melding)
    if s.besluit is not None:
        raise AlBesloten(
            "melding_id", f"melding {melding_id} was already decided on "
            f"{s.besluit.besloten_op:%Y-%m-%d} by {s.besluit.besloten_door}")
    return s


def vraag_verrijking(melding_id: UUID, partner: str, vraag: str, door: str, *,
                     uow: UnitOfWorkFactory, klok: Klok = nu) -> Verrijking:
    """Ask a partner organisation what it knows; the melding waits for the answer."""
    with uow() as u:
        _open_screening(u, melding_id)
        v = Verrijking(uuid4(), melding_id, partner, vraag, door, klok())
        u.vraag_verrijking(v)
        u.commit()
    return v


def beantwoord_verrijking(verrijking_id: UUID, antwoord: str, leefgebieden: list[str],
                          door: str, *, uow: UnitOfWorkFactory, klok: Klok = nu) -> Verrijking:
    with uow() as u:
        gevraagd = u.verrijking(verrijking_id)
        s = u.screening(gevraagd.melding_id) if gevraagd is not None else None
        if s is not None:
            _weiger_gewisten(u, s.melding)
        v = u.beantwoord(verrijking_id, antwoord, leefgebieden, door, klok())
        if v is None:
            raise NietGevonden("verrijking", verrijking_id)
        u.commit()
    return v


def vraag_advies(melding_id: UUID, feiten: Feiten, door: str, *, uow: UnitOfWorkFactory,
                 klok: Klok = nu) -> Advies:
    """Record the established facts and let the rules advise on them."""
    with uow() as u:
        s = _open_screening(u, melding_id)
        advies = adviseer(feiten)
        u.leg_feiten_vast(melding_id, feiten, advies)
        moment = klok()
        if feiten.code_rood and not s.code_rood:
            # The screener found it acute: due today, and first in the queue from now on.
            u.markeer_code_rood(melding_id, min(s.termijn, dag_van(moment)))
        payload = AdviesGegeven(melding_id=melding_id, huis=s.melding.huis,
                                hoofdpersoon_id=s.melding.hoofdpersoon_id, feiten=feiten,
                                advies=advies, gegeven_op=moment, gevraagd_door=door)
        u.publiceer(payload)
        u.commit()
    return advies


def neem_besluit(melding_id: UUID, keuze: Keuze, door: str, *, uow: UnitOfWorkFactory,
                 klok: Klok = nu, overleg_id: UUID | None = None,
                 feiten: Feiten | None = None) -> BesluitGenomen:
    """A person decides; the decision records the advice it follows or overrides, and why.

    Taken in a meeting (``overleg_id``), the melding must be on its agenda and the meeting
    still open; the meeting may establish the facts in the same step (``feiten``)."""
    with uow() as u:
        s = _open_screening(u, melding_id)
        if overleg_id is not None:
            o = u.overleg(overleg_id)
            if o is None or o.huis != s.melding.huis.value:
                raise NietGevonden("overleg", overleg_id)
            overleg_.toets_agendapunt(o, melding_id)
        if feiten is not None:
            advies = adviseer(feiten)
            u.leg_feiten_vast(melding_id, feiten, advies)
            u.publiceer(AdviesGegeven(melding_id=melding_id, huis=s.melding.huis,
                                      hoofdpersoon_id=s.melding.hoofdpersoon_id, feiten=feiten,
                                      advies=advies, gegeven_op=klok(), gevraagd_door=door))
            s = _open_screening(u, melding_id)
        if s.feiten is None or s.advies is None:
            raise OngeldigeInvoer(
                "feiten", "record the facts first: the decision is weighed "
                "against the rules' advice on them")
        afwijking = toets_keuze(s.advies, keuze)
        m = s.melding
        moment = klok()
        besluit = BesluitGenomen(
            besluit_id=uuid4(), melding_id=melding_id, huis=m.huis,
            hoofdpersoon_id=m.hoofdpersoon_id,
            persoon_ids=list(dict.fromkeys(b.persoon_id for b in m.betrokkenen)),
            doelgroep=m.doelgroep, gemeentecode=m.gemeentecode, ontvangen_op=m.ontvangen_op,
            feiten=s.feiten, advies=s.advies, route=keuze.route, soort=keuze.soort or None,
            afwijking=afwijking, motivering=(keuze.motivering or "").strip() or None,
            terugverwijzen_naar=(keuze.terugverwijzen_naar or "").strip() or None,
            terugkoppeling_aan=m.organisatie, besloten_door=door, besloten_op=moment,
            wijk=m.wijk, overleg_id=overleg_id,
        )
        u.leg_besluit_vast(besluit)
        # The decision belongs to the melding's trace (linked to the request that took it), so
        # that regie's case and reporting's count follow the melding from its feed.
        with vervolg("triage besluit", s.traceparent):
            u.publiceer(besluit)
            bijzonder.terugmelding_zsm(u, m, besluit)
        u.commit()
    return besluit


def code_rood_alarm(huizen: set[str], *, uow: UnitOfWorkFactory, klok: Klok = nu) -> list[UUID]:
    """The code rood clock's round: every code rood melding still undecided when its
    deadline day's work ended (shared.tijd: Dutch time) gets its alarm, once; the workbench
    shows it above the queue. The ids of the meldingen alarmed now."""
    moment = klok()
    with uow() as u:
        ids = u.sla_alarm(huizen, alarmdag(moment), moment)
        u.commit()
    return ids


# screening and triage meetings

def _agendapunt(u: UnitOfWork, melding_id: UUID) -> Agendapunt:
    s = u.screening(melding_id)
    if s is None:
        raise OngeldigeInvoer("agenda", f"melding {melding_id} is not in screening")
    return Agendapunt(melding_id, s.melding.huis.value,
                      tuple(dict.fromkeys(b.persoon_id for b in s.melding.betrokkenen)),
                      s.besluit)


def plan_overleg(huis: HuisId, vorm: Overlegvorm, datum: date, voorzitter: str,
                 partijen: list[str], agenda: list[UUID], door: str, *, uow: UnitOfWorkFactory,
                 klok: Klok = nu) -> Overleg:
    """Plan a screening or triage meeting of the house with its agenda of meldingen."""
    with uow() as u:
        punten = [_agendapunt(u, m) for m in dict.fromkeys(agenda)]
        gepland = overleg_.plan(huis, vorm, datum, voorzitter, partijen, punten, door, klok())
        personen = list(dict.fromkeys(p for punt in punten for p in punt.persoon_ids))
        u.plan_overleg(gepland, personen)
        u.publiceer(gepland)
        u.commit()
        o = u.overleg(gepland.overleg_id)
    assert o is not None
    return o


def houd_overleg(overleg_id: UUID, aanwezig: list[str], verslag: str, door: str, *,
                 uow: UnitOfWorkFactory, klok: Klok = nu) -> Overleg:
    """Record who attended and the minutes; the meeting closes with the decisions taken in it.
    Minutes about an erased person are refused (409): nothing new is recorded about them."""
    with uow() as u:
        o = u.overleg(overleg_id)
        if o is None:
            raise NietGevonden("overleg", overleg_id)
        gewist = u.gewist(list(o.persoon_ids))
        if gewist:
            raise OverGewistePersoon(
                "persoon_id", f"person {', '.join(map(str, sorted(gewist)))} was "
                "erased (persoon-gewist): nothing new is recorded about them")
        besluiten = [s.besluit.besluit_id for m in o.agenda
                     if (s := u.screening(m)) is not None and s.besluit is not None
                     and s.besluit.overleg_id == overleg_id]
        gehouden: OverlegGehouden = overleg_.houd(o, aanwezig, verslag, besluiten, door, klok())
        u.leg_overleg_vast(gehouden)
        u.publiceer(gehouden)
        u.commit()
        na = u.overleg(overleg_id)
    assert na is not None
    return na
