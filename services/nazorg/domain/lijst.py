"""What nazorg's dossier list can be asked, read from query parameters alike by the JSON API
and the workbench's GET form; a wrong value is refused naming the parameter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.contracts.nazorg import Fase
from shared.kit import lijstfilters as f


@dataclass(frozen=True)
class Dossierfilter:
    persoon_id: UUID | None = None
    zonder_gemeente: bool | None = None
    fase: Fase | None = None
    gemeente: str | None = None
    ontslag_tot: date | None = None
    """Dossiers with an expected release on or before this day."""
    voorwaarden_open: bool | None = None
    """Dossiers with (true) or without (false) a basic condition still open."""
    persoon: tuple[str, str, date] | None = None
    """First name(s), surname and birth date: looked up in the pseudonymous person index."""


def dossierfilter(p: f.Parameters) -> Dossierfilter:
    return Dossierfilter(
        persoon_id=f.kenmerk(p, "persoon_id"), zonder_gemeente=f.ja_nee(p, "zonder_gemeente"),
        fase=f.keuze(p, "fase", Fase), gemeente=f.gemeente(p),
        ontslag_tot=f.datum(p, "ontslag_tot"), voorwaarden_open=f.ja_nee(p, "voorwaarden_open"),
        persoon=f.naam_en_geboortedatum(p))
