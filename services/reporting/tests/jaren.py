"""Generated years for the report sections: meldingen, decisions, cases, restraining orders and
aftercare dossiers with known counts, as the other services publish them (CloudEvents)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from services.reporting.domain import beeld, secties
from services.reporting.domain.feiten import vertaal
from services.reporting.domain.periode import Periode
from services.reporting.tests.maak import besluit, casusevent, huisverbodevent, melding
from shared.contracts.envelope import CloudEvent
from shared.contracts.huisverbod import HuisverbodEvent
from shared.contracts.huizen import HuisId
from shared.contracts.regie import CasusAangemeld, CasusAfgesloten, CasusoverlegGehouden

Tabel = dict[str, dict[str, Any]]


def moment(dag: date, uur: int = 12) -> datetime:
    return datetime.fromisoformat(f"{dag.isoformat()}T{uur:02d}:00:00+01:00")


def dagen(van: date, tot: date, n: int) -> list[date]:
    """``n`` days spread over ``[van, tot)``."""
    lengte = (tot - van).days
    return [van + timedelta(days=(i * lengte) // max(n, 1)) for i in range(n)]


def meldingen(n: int, *, jaar: int, huis: HuisId, van: date | None = None,
              tot: date | None = None, **velden: Any) -> list[CloudEvent]:
    van, tot = van or date(jaar, 1, 1), tot or date(jaar + 1, 1, 1)
    return [melding(huis=huis, ontvangen_op=moment(d).isoformat(), **velden)
            for d in dagen(van, tot, n)]


def besluiten(n: int, *, jaar: int, huis: HuisId, **velden: Any) -> list[CloudEvent]:
    return [besluit(huis=huis, ontvangen_op=moment(d).isoformat(), dagen=1, **velden)
            for d in dagen(date(jaar, 1, 1), date(jaar, 12, 1), n)]


def casus(*, huis: HuisId, start: date, einde: date | None = None, traject: str = "lang",
          soort: str = "integrale_aanpak", doelgroep: str = "multiproblematiek",
          gemeente: str, persoon: UUID | None = None, overleggen: Iterable[date] = (),
          wijk: str | None = None, melding_id: UUID | None = None) -> list[CloudEvent]:
    """A case as regie publishes it: registered on ``start``, discussed, closed on ``einde``."""
    cid, persoon = uuid4(), persoon or uuid4()
    begin = moment(start)
    events = [casusevent(
        CasusAangemeld, cid, begin, huis=huis, melding_id=melding_id or uuid4(),
        besluit_id=uuid4(), hoofdpersoon_id=persoon, persoon_ids=[persoon],
        doelgroep=doelgroep, gemeentecode=gemeente, traject=traject, soort=soort,
        melding_ontvangen_op=begin - timedelta(days=3), besloten_op=begin, wijk=wijk)]
    events += [casusevent(CasusoverlegGehouden, cid, moment(d), huis=huis,
                          overleg_id=uuid4(), aanwezig=["t"], client_aanwezig=False,
                          verslag="v") for d in overleggen]
    if einde is not None:
        events.append(casusevent(CasusAfgesloten, cid, moment(einde), huis=huis, reden="r"))
    return events


def casussen(n: int, *, jaar: int, **velden: Any) -> list[CloudEvent]:
    return [e for d in dagen(date(jaar, 1, 1), date(jaar, 12, 1), n)
            for e in casus(start=d, **velden)]


def _velden(model: type[HuisverbodEvent], op: datetime) -> dict[str, Any]:
    return {"RihgIngevuld": {"uitkomst": "hoog"},
            "Opgelegd": {"opgelegd_op": op, "eindigt_op": op + timedelta(days=10)},
            "Verlengd": {"eindigt_op": op + timedelta(days=28)},
            "Ingetrokken": {"reden": "r"},
            "SamenloopStrafrecht": {"toelichting": "t"}}[model.__name__]


def huisverboden(n: int, model: type[HuisverbodEvent], *, jaar: int, huis: HuisId,
                 gemeente: str) -> list[CloudEvent]:
    return [huisverbodevent(model, gemeente=gemeente, op=moment(d), huis=huis,
                            **_velden(model, moment(d)))
            for d in dagen(date(jaar, 1, 1), date(jaar + 1, 1, 1), n)]


def sectie(naam: str, events: Iterable[CloudEvent], huis: HuisId, *perioden: Periode,
           context: secties.Context | None = None) -> secties.Sectie:
    feiten = [f for f in (vertaal(e) for e in events) if f is not None]
    return secties.sectie(secties.PER_NAAM[naam], beeld.beeld(huis, feiten), list(perioden),
                          context or secties.Context())


def kolom(tabel: Tabel, k: str) -> dict[str, Any]:
    return {r: w.get(k) for r, w in tabel.items()}


def consultaties(n: int, kanaal: str, *, jaar: int, huis: HuisId, aantal: int = 1,
                 van: date | None = None, tot: date | None = None) -> list[CloudEvent]:
    """Registrations of the consultation function as reporting's API publishes them."""
    from shared.contracts.rapportage import (
        CONSULTATIE_GEREGISTREERD_V1,
        RAPPORTAGE_SOURCE,
        ConsultatieGeregistreerd,
    )

    events = []
    for d in dagen(van or date(jaar, 1, 1), tot or date(jaar + 1, 1, 1), n):
        c = ConsultatieGeregistreerd(registratie_id=uuid4(), huis=huis, kanaal=kanaal, datum=d,
                                     aantal=aantal, geregistreerd_door="analist",
                                     geregistreerd_op=moment(d))
        events.append(CloudEvent(type=CONSULTATIE_GEREGISTREERD_V1, source=RAPPORTAGE_SOURCE,
                                 id=str(c.registratie_id), data=c.model_dump(mode="json")))
    return events
