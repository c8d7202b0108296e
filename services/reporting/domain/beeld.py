"""A house's facts folded once for any number of periods: the cases with the spans they ran,
the aftercare dossiers as they stood, the meldingen by id. The report sections are functions of
this picture, a period and a context; nothing here depends on the order facts were stored in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from services.reporting.domain import casus as casusvouw
from services.reporting.domain import jaarverslag
from services.reporting.domain.casus import Casus
from services.reporting.domain.feiten import (
    AMSTERDAM,
    Besluit,
    Casusgebeurtenis,
    Consultatiefeit,
    Feit,
    Huisverbodfeit,
    Melding,
    Nazorgfeit,
)
from services.reporting.domain.periode import Periode
from shared.contracts.huizen import HuisId
from shared.contracts.nazorg import Voorwaarde, VoorwaardeStatus


@dataclass(frozen=True)
class Dossier:
    """An aftercare dossier as the report sees it: its stands and changes in time order."""

    dossier_id: UUID
    persoon_id: UUID
    feiten: tuple[Nazorgfeit, ...]

    @property
    def geopend_op(self) -> datetime:
        return self.feiten[0].op

    @property
    def laatste_stand(self) -> Nazorgfeit | None:
        standen = [f for f in self.feiten if f.stand is not None]
        return standen[-1] if standen else None

    @property
    def ontslagen_op(self) -> datetime | None:
        """The release DJI reported (the earliest any stand gives)."""
        data = [f.stand.ontslagen_op for f in self.feiten
                if f.stand is not None and f.stand.ontslagen_op is not None]
        return min(data) if data else None

    @property
    def gemeentecode(self) -> str | None:
        codes = [f.gemeentecode for f in self.feiten if f.gemeentecode]
        return codes[-1] if codes else None

    @property
    def minderjarig(self) -> bool:
        return any(f.stand.minderjarig for f in self.feiten if f.stand is not None)

    @property
    def bij_taak(self) -> bool:
        return any(f.bij_taak or (f.stand is not None and f.stand.bij_taak is not None)
                   for f in self.feiten)

    @property
    def bij_beoordeeld(self) -> bool:
        return any(f.stand is not None and f.stand.bij_taak is not None
                   and f.stand.bij_taak.beoordeeld for f in self.feiten)

    def tot(self, moment: datetime) -> list[Nazorgfeit]:
        return [f for f in self.feiten if f.op <= moment]

    def voorwaarden_op(self, moment: datetime) -> dict[Voorwaarde, VoorwaardeStatus]:
        """Each basic condition's status as it stood at ``moment``."""
        stand: dict[Voorwaarde, VoorwaardeStatus] = {v: VoorwaardeStatus.ONBEKEND
                                                     for v in Voorwaarde}
        for f in self.tot(moment):
            if f.stand is not None:
                stand |= {v.voorwaarde: v.status for v in f.stand.voorwaarden}
            elif f.voorwaarde is not None and f.status is not None:
                stand[f.voorwaarde] = f.status
        return stand

    def plan_compleet_op(self, moment: datetime) -> bool:
        waarden = [f.plan_compleet for f in self.tot(moment) if f.plan_compleet is not None]
        return bool(waarden and waarden[-1])


@dataclass(frozen=True)
class Beeld:
    huis: HuisId
    zone: ZoneInfo
    meldingen: Mapping[UUID, Melding]
    besluiten: list[Besluit]
    casussen: list[Casus]
    huisverboden: list[Huisverbodfeit]
    dossiers: list[Dossier]
    wijk_van_melding: Mapping[UUID, str] = field(default_factory=dict)
    consultaties: list[Consultatiefeit] = field(default_factory=list)

    def meldingen_in(self, p: Periode) -> list[Melding]:
        return [m for m in self.meldingen.values() if p.bevat(m.ontvangen_op, self.zone)]

    def besluiten_in(self, p: Periode) -> list[Besluit]:
        """Decisions on the meldingen received in the period (as the annual report counts)."""
        return [b for b in self.besluiten if p.bevat(b.ontvangen_op, self.zone)]

    def actief_in(self, p: Periode) -> list[Casus]:
        return [c for c in self.casussen
                if c.actief_tussen(p.begin(self.zone), p.einde(self.zone))]

    def gestart_in(self, p: Periode) -> list[Casus]:
        return [c for c in self.casussen
                if c.start_op is not None and p.bevat(c.start_op, self.zone)]

    def beeindigd_in(self, p: Periode) -> list[Casus]:
        return [c for c in self.casussen if any(p.bevat(t, self.zone) for t in c.einden)
                and c.start_op is not None]

    def lopend_op(self, moment: datetime) -> list[Casus]:
        return [c for c in self.casussen if c.loopt_op(moment)]

    def consultaties_in(self, p: Periode) -> list[Consultatiefeit]:
        return [c for c in self.consultaties if p.van <= c.datum < p.tot]

    def huisverboden_in(self, p: Periode) -> list[Huisverbodfeit]:
        return [h for h in self.huisverboden if p.bevat(h.op, self.zone)]

    def wijk(self, melding_id: UUID | None, eigen: str | None = None) -> str:
        """The wijk of a melding (or what an event carried itself); '' when none is known."""
        if eigen:
            return eigen
        return self.wijk_van_melding.get(melding_id, "") if melding_id else ""


def beeld(huis: HuisId, feiten: Iterable[Feit], zone: ZoneInfo = AMSTERDAM) -> Beeld:
    """Fold a house's facts: idempotent and order-independent, as the annual report's state."""
    staat = jaarverslag.bouw(huis, 0, feiten)
    per_casus: dict[UUID, list[Casusgebeurtenis]] = defaultdict(list)
    for g in staat.casusgebeurtenissen.values():
        per_casus[g.casus_id].append(g)
    casussen = sorted((c for c in (casusvouw.vouw(cid, gs) for cid, gs in per_casus.items())
                       if c.start_op is not None), key=lambda c: str(c.casus_id))
    per_dossier: dict[UUID, list[Nazorgfeit]] = defaultdict(list)
    for f in staat.nazorg.values():
        per_dossier[f.dossier_id].append(f)
    dossiers = sorted((Dossier(d, fs[0].persoon_id,
                               tuple(sorted(fs, key=lambda f: (f.op, f.event_id))))
                       for d, fs in per_dossier.items()), key=lambda d: str(d.dossier_id))
    return Beeld(
        huis=huis, zone=zone, meldingen=staat.meldingen,
        besluiten=sorted(staat.besluiten.values(), key=lambda b: str(b.besluit_id)),
        casussen=casussen,
        huisverboden=sorted(staat.huisverboden.values(), key=lambda h: h.event_id),
        dossiers=dossiers,
        wijk_van_melding={m.melding_id: m.wijk for m in staat.meldingen.values() if m.wijk},
        consultaties=sorted(staat.consultaties.values(), key=lambda c: str(c.registratie_id)))
