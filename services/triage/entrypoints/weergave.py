"""From stored screenings to what the API returns and the pages show."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from uuid import UUID

from services.triage.domain.termijn import termijnstatus
from services.triage.entrypoints.schemas import (
    CasusUit,
    GroepUit,
    PersoonsbeeldUit,
    ScreeningUit,
    VerrijkingUit,
)
from services.triage.ports import Screening, UnitOfWork


def screening_uit(s: Screening, vandaag: date) -> ScreeningUit:
    return ScreeningUit(
        melding=s.melding, status=s.status, termijn=s.termijn,
        termijnstatus=("besloten" if s.besluit is not None
                       else "bij_nazorg" if s.status == "bij_nazorg"
                       else termijnstatus(s.termijn, vandaag).value),
        wacht_op_antwoord=any(v.antwoord is None for v in s.verrijkingen),
        feiten=s.feiten, advies=s.advies, besluit=s.besluit, verwijzing=s.verwijzing,
        verrijkingen=[VerrijkingUit(**{k: v for k, v in asdict(x).items() if k != "melding_id"})
                      for x in s.verrijkingen],
        code_rood=s.code_rood, alarm_op=s.alarm_op,
        groep=GroepUit(groep_id=s.groep.groep_id, meldingen=s.groep.meldingen,
                       personen=s.groep.personen) if s.groep else None,
    )


def persoonsbeeld(u: UnitOfWork, persoon_id: UUID, vandaag: date,
                  huis: str | None = None) -> PersoonsbeeldUit:
    """What is known about a person: meldingen, decisions on them, open and closed cases; with
    ``huis``, only what that house knows."""
    return PersoonsbeeldUit(
        persoon_id=persoon_id,
        meldingen=[screening_uit(s, vandaag) for s in u.meldingen_van(persoon_id)
                   if huis is None or s.melding.huis.value == huis],
        casussen=[CasusUit(casus_id=c.casus_id, status=c.status, traject=c.traject,
                           soort=c.soort, aangemeld_op=c.aangemeld_op)
                  for c in u.casussen_van([persoon_id]) if huis is None or c.huis == huis],
    )
