"""The audit endpoints every service offers its privacy officer (role beheerder), house by house:
the log by person and period, the export for a person's access request, and the chain check.
Reading the log is itself recorded in it. With anchors, the API process anchors the head of the
log periodically while it runs (shared.audit_anker)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, HTTPException, Query
from pydantic import AwareDatetime, BaseModel

from shared.audit import AnkerOnleesbaar, Auditlog, Toestand
from shared.kit.paginering import Pagina
from shared.tijd import ZONE
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
    toestand: Toestand
    """intact, ingekort (newest rows removed: the log ends before its anchor) or herschreven."""
    anker: int | None
    """The row id of the highest anchor the log was compared with; None: not anchored yet."""


def koppel_audit(app: FastAPI, log: Auditlog) -> None:
    if log.ankers is not None:
        _veranker_tijdens(app, log)
    router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

    @router.get("", response_model=Pagina[AuditRij])
    def zoek(gebruiker: Ingelogd, persoon_id: UUID | None = None,
             van: AwareDatetime | None = None, tot: AwareDatetime | None = None,
             limit: int = Query(1000, ge=1, le=10_000, description="Hoeveel rijen hoogstens"),
             offset: int = Query(0, ge=0, description="Hoeveel rijen over te slaan")
             ) -> Pagina[AuditRij]:
        """Who read or changed personal data in the user's house, oldest first."""
        gebruiker.eis(Rol.BEHEERDER)
        huis = gebruiker.huis.value
        rijen = log.zoek(huis, persoon_id=persoon_id, van=van, tot=tot, limit=limit,
                         offset=offset)
        aantal = log.tel(huis, persoon_id=persoon_id, van=van, tot=tot)
        log.leg_vast(gebruiker, "audit_lezen", huis=huis,
                     persoon_ids=[persoon_id] if persoon_id else [])
        return Pagina(aantal=aantal, limit=limit, offset=offset,
                      items=[AuditRij(**r) for r in rijen])

    @router.get("/inzage/{persoon_id}", response_model=Inzage)
    def inzage(persoon_id: UUID, gebruiker: Ingelogd) -> Inzage:
        """Every access to one person's data in the user's house, for an access request."""
        gebruiker.eis(Rol.BEHEERDER)
        rijen = log.zoek(gebruiker.huis.value, persoon_id=persoon_id, limit=100_000)
        log.leg_vast(gebruiker, "audit_inzage", huis=gebruiker.huis.value,
                     persoon_ids=[persoon_id])
        if not rijen:
            raise HTTPException(404, f"no access to persoon {persoon_id} recorded here")
        return Inzage(persoon_id=persoon_id, huis=gebruiker.huis.value,
                      opgesteld_op=datetime.now(ZONE),
                      toegang=[AuditRij(**r) for r in rijen])

    @router.get("/controle", response_model=ControleUit)
    def controle(gebruiker: Ingelogd) -> ControleUit:
        """Verify the keyed chain against the highest anchor: intact, ``ingekort`` (cut back
        behind the anchor) or ``herschreven``, naming the first row that does not match."""
        gebruiker.eis(Rol.BEHEERDER)
        log.leg_vast(gebruiker, "audit_controleren", huis=gebruiker.huis.value)
        try:
            c = log.controleer()
        except AnkerOnleesbaar as fout:
            raise HTTPException(503, str(fout)) from fout
        return ControleUit(rijen=c.rijen, intact=c.intact, eerste_gebroken=c.eerste_gebroken,
                           reden=c.reden, toestand=c.toestand, anker=c.anker)

    app.include_router(router)


def _veranker_tijdens(app: FastAPI, log: Auditlog) -> None:
    """Run the anchoring clock for as long as the app runs (its lifespan)."""
    from shared.audit_anker import verankering

    binnen = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        klok = verankering(log)
        taak = asyncio.create_task(klok.run())
        try:
            async with binnen(a) as staat:
                yield staat
        finally:
            klok.stop()
            await taak

    app.router.lifespan_context = lifespan
