"""The audit endpoints every service offers its privacy officer (role beheerder), house by house:
the log by person and period, the export for a person's access request, and the chain check."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import AwareDatetime, BaseModel

from shared.audit import Auditlog
from shared.toegang import Ingelogd, Rol


class AuditRij(BaseModel):
    id: int
    op: str
    sub: str
    naam: str
    organisatie: str
    namens: str | None
    huis: str
    doel: str
    operatie: str
    object_ids: list[str]
    persoon_ids: list[str]
    hash: str


class Inzage(BaseModel):
    persoon_id: UUID
    huis: str
    opgesteld_op: datetime
    toegang: list[AuditRij]


class ControleUit(BaseModel):
    rijen: int
    intact: bool
    eerste_gebroken: int | None
    reden: str | None


def koppel_audit(app: FastAPI, log: Auditlog) -> None:
    router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

    @router.get("", response_model=list[AuditRij])
    def zoek(gebruiker: Ingelogd, persoon_id: UUID | None = None,
             van: AwareDatetime | None = None, tot: AwareDatetime | None = None
             ) -> list[dict[str, Any]]:
        """Who read or changed personal data in the user's house, oldest first."""
        gebruiker.eis(Rol.BEHEERDER)
        return log.zoek(gebruiker.huis.value, persoon_id=persoon_id, van=van, tot=tot)

    @router.get("/inzage/{persoon_id}", response_model=Inzage)
    def inzage(persoon_id: UUID, gebruiker: Ingelogd) -> Inzage:
        """Every access to one person's data in the user's house, for an access request."""
        gebruiker.eis(Rol.BEHEERDER)
        rijen = log.zoek(gebruiker.huis.value, persoon_id=persoon_id, limit=100_000)
        if not rijen:
            raise HTTPException(404, f"no access to persoon {persoon_id} recorded here")
        return Inzage(persoon_id=persoon_id, huis=gebruiker.huis.value,
                      opgesteld_op=datetime.now().astimezone(),
                      toegang=[AuditRij(**r) for r in rijen])

    @router.get("/controle", response_model=ControleUit)
    def controle(gebruiker: Ingelogd) -> ControleUit:
        """Verify the hash chain; names the first row that was changed or follows a gap."""
        gebruiker.eis(Rol.BEHEERDER)
        c = log.controleer()
        return ControleUit(rijen=c.rijen, intact=c.intact, eerste_gebroken=c.eerste_gebroken,
                           reden=c.reden)

    app.include_router(router)
